"""mlcalc.symbolic side by side with SymPy's matrix-symbol differentiation (issue 16), and the
identity registry cross-checked by the engine.

Each expression of ``CASES`` goes through ``mlcalc.symbolic.derive`` and through SymPy
(``sympy.diff(expr, X)`` on ``MatrixSymbol`` objects with symbolic sizes, as SymPy documents it).
Both results are judged NUMERICALLY against autograd at one random point: non-symmetric,
non-square inputs (sizes m=5, n=3, k=2, h=4, p=6; a matrix under inv/det/logdet is
2 I + 0.3 G / n with G Gaussian, so it is invertible with a positive determinant and not
symmetric). Verdicts:

- **correct**: relative error max|got - ref| / max(1, max|ref|) below 1e-6;
- **wrong**: a number that disagrees, or an array of the wrong shape;
- **unsupported**: the call raises, or returns something that cannot be turned into numbers
  (an unevaluated ``Derivative``, say).

Converting SymPy's result to numbers: the size symbols are replaced by the sizes, each
``MatrixSymbol`` is substituted by an explicit ``ImmutableMatrix`` of the input, then ``.doit()``
and, for array expressions, ``.as_explicit()``; when that fails, ``sympy.lambdify(..., "numpy")``
is tried. Size-1 axes are squeezed (SymPy's vectors are n x 1 matrices and its derivative of a
scalar by a matrix can carry two trailing 1-axes). SymPy returns the Jacobian of a vector by a
vector in denominator layout (``diff(A*x, x)`` is ``A.T``): its Jacobians are transposed before
the comparison (marked in the table), so SymPy is judged in its own convention.
A scalar objective that mixes a scalar (``log det``) with a 1 x 1 matrix (``x^T A x``) cannot be
built in SymPy as one sum ("Mix of Matrix and Scalar symbols"); such cases are written in
several documented ways (the 1 x 1 part under ``Trace``, the scalar times ``Identity(1)``,
the entry ``[0, 0]``, ``applyfunc(sqrt)`` for a norm) and SymPy gets the best verdict of
them. A conversion failure of ours is listed under "conversion failures" in RESULTS.md: it
counts as unsupported there, and the reader can judge it.

Run (about a minute on 2 shared cores), from the repository root:

    .venv/bin/python benchmarks/symbolic/compare.py           # prints the tables
    .venv/bin/python benchmarks/symbolic/compare.py --write   # rewrites RESULTS.md next to it
"""

from __future__ import annotations

import argparse
import importlib.util
import platform
import statistics
import sys
import time
from pathlib import Path

import autograd
import autograd.numpy as anp
import numpy as np
import sympy as sp
from sympy import Determinant, Identity, MatrixSymbol, OneMatrix, Rational, Trace

import mlcalc
from mlcalc.symbolic import derive

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
SIZES = {"m": 5, "n": 3, "k": 2, "h": 4, "p": 6}
TOL = 1e-6
REPEATS = 5
DIM = {name: sp.Symbol(name, integer=True, positive=True) for name in SIZES}


# ------------------------------------------------------------------ the expressions

def _softplus(z):
    return anp.logaddexp(0.0, z)


def _sp_softplus(M):
    return M.applyfunc(lambda z: sp.log(1 + sp.exp(z)))


def _sp_sum(v, rows):
    """1^T v for a column v with ``rows`` rows (a 1 x 1 matrix)."""
    return OneMatrix(1, DIM[rows]) * v


def _sq(r):
    return r.T * r


def _frob2(R):
    return Trace(R.T * R)


def _logdet(S):
    return sp.log(Determinant(S))


def _gauss_forms(s):
    """0.5 log det S + 0.5 (x - mu)^T S^-1 (x - mu), in the three ways SymPy can hold it."""
    q = (s["x"] - s["mu"]).T * s["S"].I * (s["x"] - s["mu"])
    half = Rational(1, 2)
    return [half * _logdet(s["S"]) + half * Trace(q),
            (half * _logdet(s["S"])) * Identity(1) + half * q,
            half * _logdet(s["S"]) + half * q[0, 0]]


# name, engine expression, wrt, shapes, autograd function, SymPy builder(s), order, square/pd
CASES = [
    # classic identities
    ("x^T A x", "x.T @ A @ x", "x", {"x": ("n",), "A": ("n", "n")},
     lambda x, A: x @ A @ x, lambda s: s["x"].T * s["A"] * s["x"], 1),
    ("a^T X b", "a.T @ X @ b", "X", {"a": ("m",), "X": ("m", "n"), "b": ("n",)},
     lambda a, X, b: a @ X @ b, lambda s: s["a"].T * s["X"] * s["b"], 1),
    ("tr(A X B)", "tr(A @ X @ B)", "X", {"A": ("p", "m"), "X": ("m", "n"), "B": ("n", "p")},
     lambda A, X, B: anp.trace(A @ X @ B), lambda s: Trace(s["A"] * s["X"] * s["B"]), 1),
    ("tr(X^T A X)", "tr(X.T @ A @ X)", "X", {"X": ("m", "n"), "A": ("m", "m")},
     lambda X, A: anp.trace(X.T @ A @ X), lambda s: Trace(s["X"].T * s["A"] * s["X"]), 1),
    ("tr(X A X^T)", "tr(X @ A @ X.T)", "X", {"X": ("m", "n"), "A": ("n", "n")},
     lambda X, A: anp.trace(X @ A @ X.T), lambda s: Trace(s["X"] * s["A"] * s["X"].T), 1),
    ("tr(X^2)", "tr(X @ X)", "X", {"X": ("n", "n")},
     lambda X: anp.trace(X @ X), lambda s: Trace(s["X"] * s["X"]), 1),
    ("tr(X^T X)", "tr(X.T @ X)", "X", {"X": ("m", "n")},
     lambda X: anp.trace(X.T @ X), lambda s: Trace(s["X"].T * s["X"]), 1),
    ("a^T X^T X b", "a.T @ X.T @ X @ b", "X", {"a": ("n",), "X": ("m", "n"), "b": ("n",)},
     lambda a, X, b: a @ X.T @ X @ b, lambda s: s["a"].T * s["X"].T * s["X"] * s["b"], 1),
    ("log det X", "logdet(X)", "X", {"X": ("n", "n")},
     lambda X: anp.linalg.slogdet(X)[1], lambda s: _logdet(s["X"]), 1),
    ("det X", "det(X)", "X", {"X": ("n", "n")},
     lambda X: anp.linalg.det(X), lambda s: Determinant(s["X"]), 1),
    ("tr(X^-1 A)", "tr(inv(X) @ A)", "X", {"X": ("n", "n"), "A": ("n", "n")},
     lambda X, A: anp.trace(anp.linalg.inv(X) @ A), lambda s: Trace(s["X"].I * s["A"]), 1),
    ("a^T X^-1 b", "a.T @ inv(X) @ b", "X", {"a": ("n",), "X": ("n", "n"), "b": ("n",)},
     lambda a, X, b: a @ anp.linalg.inv(X) @ b, lambda s: s["a"].T * s["X"].I * s["b"], 1),
    ("log det(X^T X)", "logdet(X.T @ X)", "X", {"X": ("m", "n")},
     lambda X: anp.linalg.slogdet(X.T @ X)[1], lambda s: _logdet(s["X"].T * s["X"]), 1),
    ("exp(a^T x)", "exp(a.T @ x)", "x", {"a": ("n",), "x": ("n",)},
     lambda a, x: anp.exp(a @ x),
     lambda s: [(s["a"].T * s["x"]).applyfunc(sp.exp), sp.exp(Trace(s["a"].T * s["x"])),
                sp.exp((s["a"].T * s["x"])[0, 0])], 1),
    ("norm(x)", "norm(x)", "x", {"x": ("n",)},
     lambda x: anp.sqrt(x @ x),
     lambda s: [sp.sqrt(Trace(s["x"].T * s["x"])), sp.sqrt((s["x"].T * s["x"])[0, 0]),
                (s["x"].T * s["x"]).applyfunc(sp.sqrt)], 1),
    ("x^T A x, Hessian", "x.T @ A @ x", "x", {"x": ("n",), "A": ("n", "n")},
     lambda x, A: x @ A @ x, lambda s: s["x"].T * s["A"] * s["x"], 2),
    # Jacobians (numerator layout: m x n)
    ("A x, Jacobian", "A @ x", "x", {"A": ("m", "n"), "x": ("n",)},
     lambda A, x: A @ x, lambda s: s["A"] * s["x"], 1),
    ("tanh(A x), Jacobian", "tanh(A @ x)", "x", {"A": ("m", "n"), "x": ("n",)},
     lambda A, x: anp.tanh(A @ x), lambda s: (s["A"] * s["x"]).applyfunc(sp.tanh), 1),
    ("(a^T x) x, Jacobian", "(a.T @ x) * x", "x", {"a": ("n",), "x": ("n",)},
     lambda a, x: (a @ x) * x, lambda s: s["x"] * s["a"].T * s["x"], 1),
    # ML objectives
    ("least squares ||Xw - y||^2", "norm(X @ w - y)**2", "w",
     {"X": ("m", "n"), "w": ("n",), "y": ("m",)},
     lambda X, w, y: anp.sum((X @ w - y) ** 2), lambda s: _sq(s["X"] * s["w"] - s["y"]), 1),
    ("least squares, Hessian", "norm(X @ w - y)**2", "w",
     {"X": ("m", "n"), "w": ("n",), "y": ("m",)},
     lambda X, w, y: anp.sum((X @ w - y) ** 2), lambda s: _sq(s["X"] * s["w"] - s["y"]), 2),
    ("ridge ||Xw - y||^2 + lam ||w||^2", "norm(X @ w - y)**2 + lam * norm(w)**2", "w",
     {"X": ("m", "n"), "w": ("n",), "y": ("m",), "lam": ()},
     lambda X, w, y, lam: anp.sum((X @ w - y) ** 2) + lam * w @ w,
     lambda s: _sq(s["X"] * s["w"] - s["y"]) + s["lam"] * _sq(s["w"]), 1),
    ("weighted LS (Xw - y)^T O (Xw - y)", "(X @ w - y).T @ O @ (X @ w - y)", "w",
     {"X": ("m", "n"), "w": ("n",), "y": ("m",), "O": ("m", "m")},
     lambda X, w, y, O: (X @ w - y) @ O @ (X @ w - y),  # noqa: E741 - O is the weight matrix
     lambda s: (s["X"] * s["w"] - s["y"]).T * s["O"] * (s["X"] * s["w"] - s["y"]), 1),
    ("logistic sum softplus(Xw) - y^T X w", "sum(softplus(X @ w)) - y.T @ X @ w", "w",
     {"X": ("m", "n"), "w": ("n",), "y": ("m",)},
     lambda X, w, y: anp.sum(_softplus(X @ w)) - y @ X @ w,
     lambda s: _sp_sum(_sp_softplus(s["X"] * s["w"]), "m") - s["y"].T * s["X"] * s["w"], 1),
    ("logistic, Hessian", "sum(softplus(X @ w)) - y.T @ X @ w", "w",
     {"X": ("m", "n"), "w": ("n",), "y": ("m",)},
     lambda X, w, y: anp.sum(_softplus(X @ w)) - y @ X @ w,
     lambda s: _sp_sum(_sp_softplus(s["X"] * s["w"]), "m") - s["y"].T * s["X"] * s["w"], 2),
    ("softmax cross-entropy log sum exp(z) - y^T z", "log(sum(exp(z))) - y.T @ z", "z",
     {"z": ("n",), "y": ("n",)},
     lambda z, y: anp.log(anp.sum(anp.exp(z))) - y @ z,
     lambda s: [sp.log(Trace(_sp_sum(s["z"].applyfunc(sp.exp), "n"))) - Trace(s["y"].T * s["z"]),
                sp.log(_sp_sum(s["z"].applyfunc(sp.exp), "n")[0, 0]) - (s["y"].T * s["z"])[0, 0]],
     1),
    ("Gaussian NLL in mu", "0.5 * logdet(S) + 0.5 * (x - mu).T @ inv(S) @ (x - mu)", "mu",
     {"x": ("n",), "mu": ("n",), "S": ("n", "n")},
     lambda x, mu, S: 0.5 * anp.linalg.slogdet(S)[1]
     + 0.5 * (x - mu) @ anp.linalg.inv(S) @ (x - mu), _gauss_forms, 1),
    ("Gaussian NLL in Sigma", "0.5 * logdet(S) + 0.5 * (x - mu).T @ inv(S) @ (x - mu)", "S",
     {"x": ("n",), "mu": ("n",), "S": ("n", "n")},
     lambda x, mu, S: 0.5 * anp.linalg.slogdet(S)[1]
     + 0.5 * (x - mu) @ anp.linalg.inv(S) @ (x - mu), _gauss_forms, 1),
    ("matrix factorisation in U", "norm(U @ V.T - M)**2", "U",
     {"U": ("m", "k"), "V": ("n", "k"), "M": ("m", "n")},
     lambda U, V, M: anp.sum((U @ V.T - M) ** 2), lambda s: _frob2(s["U"] * s["V"].T - s["M"]),
     1),
    ("matrix factorisation in V", "norm(U @ V.T - M)**2", "V",
     {"U": ("m", "k"), "V": ("n", "k"), "M": ("m", "n")},
     lambda U, V, M: anp.sum((U @ V.T - M) ** 2), lambda s: _frob2(s["U"] * s["V"].T - s["M"]),
     1),
    ("matrix least squares ||AX - B||_F^2", "norm(A @ X - B)**2", "X",
     {"A": ("p", "m"), "X": ("m", "n"), "B": ("p", "n")},
     lambda A, X, B: anp.sum((A @ X - B) ** 2), lambda s: _frob2(s["A"] * s["X"] - s["B"]), 1),
    ("norm(A x - b) (not squared)", "norm(A @ x - b)", "x",
     {"A": ("m", "n"), "x": ("n",), "b": ("m",)},
     lambda A, x, b: anp.sqrt(anp.sum((A @ x - b) ** 2)),
     lambda s: [sp.sqrt(Trace(_sq(s["A"] * s["x"] - s["b"]))),
                sp.sqrt(_sq(s["A"] * s["x"] - s["b"])[0, 0]),
                _sq(s["A"] * s["x"] - s["b"]).applyfunc(sp.sqrt)], 1),
]
NET = {"W1": ("h", "n"), "W2": ("m", "h"), "x": ("n",), "y": ("m",)}
for _wrt in ("W1", "W2", "x"):
    CASES.append((f"one-hidden-layer net ||W2 tanh(W1 x) - y||^2 in {_wrt}",
                  "norm(W2 @ tanh(W1 @ x) - y)**2", _wrt, NET,
                  lambda W1, W2, x, y: anp.sum((W2 @ anp.tanh(W1 @ x) - y) ** 2),
                  lambda s: _sq(s["W2"] * (s["W1"] * s["x"]).applyfunc(sp.tanh) - s["y"]), 1))

SQUARE_UNDER_INV = {"log det X", "det X", "tr(X^-1 A)", "a^T X^-1 b", "Gaussian NLL in mu",
                    "Gaussian NLL in Sigma"}


# ------------------------------------------------------------------ inputs and references

def inputs_for(case, rng) -> dict:
    name, _, _, shapes, *_ = case
    out = {}
    for v, shape in shapes.items():
        dims = tuple(SIZES[d] for d in shape)
        if len(dims) == 2 and dims[0] == dims[1] and v in ("X", "S") and name in SQUARE_UNDER_INV:
            out[v] = 2.0 * np.eye(dims[0]) + 0.3 * rng.standard_normal(dims) / dims[0]
        else:
            out[v] = rng.standard_normal(dims) if dims else float(rng.uniform(0.5, 2.0))
    return out


def reference(case, vals) -> np.ndarray:
    _, _, wrt, shapes, fn, _, order = case

    def of_wrt(z):
        return fn(**{**vals, wrt: z})

    f0 = np.asarray(fn(**vals))
    if order == 2:
        return np.asarray(autograd.hessian(of_wrt)(vals[wrt]), float)
    if f0.ndim == 0:
        return np.asarray(autograd.grad(of_wrt)(vals[wrt]), float)
    return np.asarray(autograd.jacobian(of_wrt)(vals[wrt]), float)


def _rel(got, ref) -> float:
    return float(np.max(np.abs(got - ref)) / max(1.0, np.max(np.abs(ref))))


# ------------------------------------------------------------------ the two engines

def run_mlcalc(case, vals, ref) -> dict:
    _, expr, wrt, shapes, _, _, order = case
    try:
        r = derive(expr, wrt, shapes, order=order)
    except Exception as err:  # noqa: BLE001 - the verdict records it
        return {"verdict": "unsupported", "shown": f"{type(err).__name__}: {err}"}
    times = []
    for _ in range(REPEATS):
        t0 = time.perf_counter()
        derive(expr, wrt, shapes, order=order)
        times.append(time.perf_counter() - t0)
    got = np.asarray(r.evaluate(**vals), float)
    ok = got.shape == ref.shape and _rel(got, ref) < TOL
    return {"verdict": "correct" if ok else "wrong", "shown": f"${r.latex}$",
            "time": statistics.median(times)}


def _concrete(name, shape):
    return MatrixSymbol(name, *(SIZES[d] for d in shape)) if len(shape) == 2 else \
        MatrixSymbol(name, SIZES[shape[0]], 1)


def _symbols(shapes) -> dict:
    out = {}
    for v, shape in shapes.items():
        if shape == ():
            out[v] = sp.Symbol(v, real=True)
        elif len(shape) == 1:
            out[v] = MatrixSymbol(v, DIM[shape[0]], 1)
        else:
            out[v] = MatrixSymbol(v, DIM[shape[0]], DIM[shape[1]])
    return out


def to_numpy(res, shapes, vals):
    """SymPy's result as a float array (see the module docstring); raises when it cannot."""
    res = res.xreplace({DIM[d]: sp.Integer(v) for d, v in SIZES.items()})
    subs = {}
    for v, shape in shapes.items():
        if shape == ():
            subs[sp.Symbol(v, real=True)] = sp.Float(vals[v])
        else:
            arr = np.asarray(vals[v], float).reshape(SIZES[shape[0]], -1)
            subs[_concrete(v, shape)] = sp.ImmutableMatrix(arr)
    errors = []
    try:
        out = res.xreplace(subs).doit()
        if hasattr(out, "as_explicit"):
            out = out.as_explicit()
        arr = np.array(out.tolist() if hasattr(out, "tolist") else out, dtype=float)
        return np.squeeze(arr), "subs"
    except Exception as err:  # noqa: BLE001 - try lambdify next
        errors.append(f"subs: {type(err).__name__}: {err}")
    try:
        names = list(subs)
        fn = sp.lambdify(names, res, "numpy")
        arr = np.asarray(fn(*[np.array(subs[s].tolist(), float) if isinstance(
            subs[s], sp.ImmutableMatrix) else float(subs[s]) for s in names]), float)
        return np.squeeze(arr), "lambdify"
    except Exception as err:  # noqa: BLE001
        errors.append(f"lambdify: {type(err).__name__}: {err}")
    raise ValueError("; ".join(errors))


def run_sympy(case, vals, ref) -> dict:
    _, _, wrt, shapes, fn, build, order = case
    jacobian = order == 1 and np.ndim(fn(**vals)) == 1
    s = _symbols(shapes)
    try:
        forms = build(s)
    except Exception as err:  # noqa: BLE001
        return {"verdict": "unsupported", "shown": f"{type(err).__name__}: {err}", "forms": 0}
    forms = forms if isinstance(forms, list) else [forms]
    rank = {"correct": 0, "wrong": 1, "unsupported": 2}
    best = None
    for k, form in enumerate(forms):
        out = {"form": k + 1}
        try:
            t0 = time.perf_counter()
            res = sp.diff(form, s[wrt]) if order == 1 else sp.diff(sp.diff(form, s[wrt]), s[wrt])
            res = res.doit()
            out["time"] = time.perf_counter() - t0
            out["shown"] = f"`{sp.sstr(res)}`"
            if res.has(sp.Derivative):
                out["verdict"] = "unsupported"
                out["shown"] += " (unevaluated derivative)"
            else:
                try:
                    got, how = to_numpy(res, shapes, vals)
                    out["how"] = how
                    if jacobian and got.ndim == 2:  # SymPy's layout: d(Ax)/dx = A.T
                        got = got.T
                        out["shown"] += " (denominator layout: compared transposed)"
                    if got.shape == ref.shape and np.all(np.isfinite(got)):
                        out["verdict"] = "correct" if _rel(got, ref) < TOL else "wrong"
                    else:
                        out["verdict"] = "wrong"
                        if got.shape != ref.shape:
                            out["shown"] += f" (shape {got.shape}, expected {ref.shape})"
                except Exception as err:  # noqa: BLE001
                    out["verdict"] = "unsupported"
                    out["conversion"] = f"{type(err).__name__}: {str(err)[:200]}"
                    out["shown"] += " (could not be evaluated: see conversion failures)"
        except Exception as err:  # noqa: BLE001
            out["verdict"] = "unsupported"
            out["shown"] = f"raises {type(err).__name__}: {str(err)[:160]}"
        if best is None or rank[out["verdict"]] < rank[best["verdict"]]:
            best = out
    best["forms"] = len(forms)
    if best["verdict"] != "unsupported" or "time" in best:
        t = []
        form = forms[best["form"] - 1]
        for _ in range(REPEATS):
            t0 = time.perf_counter()
            try:
                r = sp.diff(form, s[wrt]) if order == 1 else sp.diff(sp.diff(form, s[wrt]),
                                                                     s[wrt])
                r.doit()
            except Exception:  # noqa: BLE001
                pass
            t.append(time.perf_counter() - t0)
        best["time"] = statistics.median(t)
    return best


# ------------------------------------------------------------------ the report

def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def compare(seed: int = 0) -> list:
    rng = np.random.default_rng(seed)
    rows = []
    for case in CASES:
        vals = inputs_for(case, rng)
        ref = reference(case, vals)
        rows.append({"case": case, "mlcalc": run_mlcalc(case, vals, ref),
                     "sympy": run_sympy(case, vals, ref)})
    return rows


def comparison_markdown(rows) -> str:
    def tot(who):
        return {v: sum(r[who]["verdict"] == v for r in rows)
                for v in ("correct", "wrong", "unsupported")}

    def med(who):
        ts = [r[who]["time"] for r in rows if "time" in r[who]]
        return statistics.median(ts) if ts else float("nan")

    tm, ts = tot("mlcalc"), tot("sympy")
    lines = [
        "## (b) mlcalc.symbolic and SymPy side by side",
        "",
        f"{len(rows)} expressions. Each result is judged numerically against autograd at one "
        "random point with non-symmetric, non-square inputs (sizes m=5, n=3, k=2, h=4, p=6); "
        f"correct means a relative error below {TOL:g}. SymPy works on `MatrixSymbol`s with "
        "symbolic sizes (`sympy.diff(expr, X)`, then `.doit()`); its result is converted to "
        "numbers by substituting explicit matrices (`.xreplace`, `.doit()`, `.as_explicit()`), "
        "with `sympy.lambdify` as the fallback. SymPy's Jacobians are in denominator layout "
        "(`diff(A*x, x)` is `A.T`) and are transposed before the comparison. Where a scalar "
        "objective mixes `log det` with a 1 x 1 matrix, or takes a square root, SymPy gets "
        "the best of the ways of writing it listed in `compare.py` "
        "(`forms`). See the docstring of `benchmarks/symbolic/compare.py` for the details.",
        "",
        "| totals | correct | wrong | unsupported | median time per derivation |",
        "| --- | ---: | ---: | ---: | ---: |",
        f"| mlcalc.symbolic | {tm['correct']} | {tm['wrong']} | {tm['unsupported']} | "
        f"{med('mlcalc') * 1e3:.0f} ms (includes its own numerical verification) |",
        f"| SymPy {sp.__version__} | {ts['correct']} | {ts['wrong']} | {ts['unsupported']} | "
        f"{med('sympy') * 1e3:.0f} ms (`diff` + `.doit()`) |",
        "",
        "| expression | wrt | mlcalc.symbolic | SymPy |",
        "| --- | --- | --- | --- |",
    ]
    for r in rows:
        name, expr, wrt, _, _, _, order = r["case"]
        m, s = r["mlcalc"], r["sympy"]
        what = f"{name}<br>`{expr}`" + (" (order 2)" if order == 2 else "")
        forms = f" (best of {s['forms']} forms: form {s['form']})" if s.get("forms", 1) > 1 else ""
        lines.append(f"| {_cell(what)} | `{wrt}` | **{m['verdict']}**: {_cell(m['shown'])} | "
                     f"**{s['verdict']}**{forms}: {_cell(s['shown'])} |")
    conv = [(r["case"][0], r["sympy"]["conversion"]) for r in rows if "conversion" in r["sympy"]]
    lines += ["", "Conversion failures (our conversion of a SymPy result to numbers failed; "
              "counted as unsupported above, listed so the reader can judge):", ""]
    lines += [f"- {name}: {_cell(msg)}" for name, msg in conv] or ["- none"]
    return "\n".join(lines) + "\n"


def _registry_module():
    spec = importlib.util.spec_from_file_location(
        "test_symbolic_registry", ROOT / "tests" / "test_symbolic_registry.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod
    spec.loader.exec_module(mod)
    return mod


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--write", action="store_true", help="rewrite RESULTS.md next to this file")
    args = ap.parse_args()
    reg = _registry_module()
    t0 = time.perf_counter()
    cov = reg.coverage()
    t_cov = time.perf_counter() - t0
    rows = compare()
    head = [
        "# mlcalc.symbolic: the registry cross-check and the comparison with SymPy",
        "",
        "Generated by `benchmarks/symbolic/compare.py`; do not edit by hand. Reproduce from the "
        "repository root:",
        "",
        "```bash",
        ".venv/bin/python benchmarks/symbolic/compare.py --write   # rewrites this file",
        ".venv/bin/python -m pytest -q tests/test_symbolic_registry.py   # the CI test of (a)",
        "```",
        "",
        f"Versions: Python {platform.python_version()}, mlcalc {mlcalc.__version__}, "
        f"SymPy {sp.__version__}, NumPy {np.__version__}, autograd "
        f"{_version('autograd')}; {platform.machine()}, 2 shared cores (timings are medians of "
        f"{REPEATS} runs on a loaded machine: read them as orders of magnitude). The registry "
        f"cross-check took {t_cov:.0f} s here.",
        "",
        "",
    ]
    text = "\n".join(head) + reg.report_markdown(cov) + "\n" + comparison_markdown(rows)
    if args.write:
        (HERE / "RESULTS.md").write_text(text)
        print(f"wrote {HERE / 'RESULTS.md'}")
    else:
        print(text)


def _version(dist: str) -> str:
    from importlib.metadata import version

    return version(dist)


if __name__ == "__main__":
    main()
