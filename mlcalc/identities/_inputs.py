"""Random inputs of the identities: a tiny spec language ``"kind:args"`` (``x="vec:n"``,
``A="mat:m,n"``, ``S="spd:n"``, ...), the generators behind it, the conditions each kind implies,
and the LaTeX that shows the shapes in the reference tables."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

import numpy as np

from ._records import Condition


def _draw_dims(rng: np.random.Generator, letters: Iterable[str]) -> dict[str, int]:
    """Distinct sizes in 2..7 for the given dimension letters (so m != n always)."""
    letters = list(dict.fromkeys(letters))
    pool = np.arange(2, max(8, 3 + len(letters)))
    values = rng.choice(pool, size=len(letters), replace=False)
    return {ch: int(v) for ch, v in zip(letters, values, strict=True)}


def _orth(rng, n):
    q, r = np.linalg.qr(rng.standard_normal((n, n)))
    return q * np.sign(np.diag(r))


def _gen_inv(rng, n):
    """A well-conditioned, non-symmetric invertible matrix (singular values in [0.7, 1.6])."""
    while True:
        u, v = _orth(rng, n), _orth(rng, n)
        a = (u * rng.uniform(0.7, 1.6, n)) @ v.T
        if np.abs(a - a.T).max() > 0.2:
            return a


def _gen_posdet(rng, n):
    a = _gen_inv(rng, n)
    if np.linalg.det(a) < 0:
        a = a.copy()
        a[0] = -a[0]
    return a


def _gen_sq(rng, n):
    while True:
        a = rng.standard_normal((n, n))
        if np.abs(a - a.T).max() > 0.5:
            return a


def _gen_sym(rng, n):
    a = rng.standard_normal((n, n))
    return (a + a.T) / 2


def _gen_spd(rng, n):
    q = _orth(rng, n)
    a = (q * rng.uniform(0.5, 2.0, n)) @ q.T
    return (a + a.T) / 2


def _gen_away(rng, shape, lo=0.3, hi=1.5):
    return rng.uniform(lo, hi, shape) * rng.choice([-1.0, 1.0], shape)


def _gen_prob(rng, shape):
    p = rng.uniform(0.2, 1.0, shape)
    return p / p.sum(axis=-1, keepdims=True)


def _gen_onehot(rng, shape):
    k = shape[-1]
    lead = shape[:-1]
    labels = rng.integers(0, k, size=lead)
    return np.eye(k)[labels]


def _gen_tall(rng, m, n):
    """A full-column-rank matrix, well conditioned (m >= n)."""
    u = _orth(rng, m)[:, :n]
    return (u * rng.uniform(0.7, 1.6, n)) @ _orth(rng, n).T


_VECTOR_KINDS = {"vec", "pos", "away", "prob", "onehot", "pm1", "bin", "p01", "uni"}
_SCALAR_KINDS = {"num", "int"}


def _gen_one(kind: str, args: list[str], dims: dict[str, int], rng: np.random.Generator):
    if kind == "num":
        lo, hi = float(args[0]), float(args[1])
        return np.float64(rng.uniform(lo, hi))
    if kind == "int":
        lo, hi = int(args[0]), int(args[1])
        return int(rng.integers(lo, hi + 1))
    if kind == "uni":
        lo, hi = float(args[0]), float(args[1])
        shape = tuple(dims[a] if a.isalpha() else int(a) for a in args[2:])
        return rng.uniform(lo, hi, shape)
    shape = tuple(dims[a] if a.isalpha() else int(a) for a in args)
    if kind == "vec" or kind == "mat":
        return rng.standard_normal(shape)
    if kind == "sq":
        return _gen_sq(rng, shape[0])
    if kind == "inv":
        return _gen_inv(rng, shape[0])
    if kind == "posdet":
        return _gen_posdet(rng, shape[0])
    if kind == "sym":
        return _gen_sym(rng, shape[0])
    if kind == "spd":
        return _gen_spd(rng, shape[0])
    if kind == "pos":
        return rng.uniform(0.3, 2.0, shape)
    if kind == "away":
        return _gen_away(rng, shape)
    if kind == "prob":
        return _gen_prob(rng, shape)
    if kind == "onehot":
        return _gen_onehot(rng, shape)
    if kind == "pm1":
        return rng.choice([-1.0, 1.0], shape)
    if kind == "bin":
        return rng.choice([0.0, 1.0], shape)
    if kind == "p01":
        return rng.uniform(0.1, 0.9, shape)
    if kind == "tall":
        return _gen_tall(rng, shape[0], shape[1])
    raise ValueError(f"unknown input kind {kind!r}")


def _parse(spec: str) -> tuple[str, list[str]]:
    kind, _, rest = spec.partition(":")
    args = [a.strip() for a in rest.split(",")] if rest else []
    return kind.strip(), args


_GREEK = {
    "alpha": r"\alpha",
    "beta": r"\beta",
    "delta": r"\delta",
    "eta": r"\eta",
    "lam": r"\lambda",
    "lam1": r"\lambda_1",
    "lam2": r"\lambda_2",
    "mu": r"\mu",
    "pi": r"\pi",
    "sigma": r"\sigma",
    "sigma2": r"\sigma^2",
    "tau2": r"\tau^2",
    "theta": r"\theta",
    "Sigma": r"\Sigma",
    "Lam": r"\Lambda",
    "Omega": r"\Omega",
    "v_": "v",
}


def _display_kind(spec: str) -> str:
    """The kind used for display: ``"vec"`` for 1-D arrays, ``"mat"`` for 2-D, else the kind."""
    kind, args = _parse(spec)
    if kind in _SCALAR_KINDS:
        return kind
    ndim = len(args) - (2 if kind == "uni" else 0)
    return "vec" if ndim == 1 and kind not in ("sq", "inv", "posdet", "sym", "spd") else "mat"


def _symbol(name: str, kind: str) -> str:
    """LaTeX symbol of an input: bold for vectors, plain for matrices and scalars."""
    base, sub = name.rstrip("0123456789"), name[len(name.rstrip("0123456789")) :]
    if name in _GREEK:
        sym = _GREEK[name]
        sub = ""
    elif base in _GREEK:
        sym = _GREEK[base]
    else:
        sym = base
    if kind in _VECTOR_KINDS:
        sym = rf"\pmb{{{sym}}}" if sym.startswith("\\") else rf"\mathbf{{{sym}}}"
    return sym + (f"_{sub}" if sub else "")


def _shape_text(spec: str, dims_display: Callable[[str], str], scalar_wrt: bool) -> str:
    kind, args = _parse(spec)
    if kind in _SCALAR_KINDS:
        lo = float(args[0])
        if kind == "int":
            return r"\in\mathbb{N}"
        return "> 0" if lo > 0 else r"\in\mathbb{R}"
    if kind == "uni":
        args = args[2:]
    if scalar_wrt:
        return r"\in\mathbb{R}"
    if kind in ("sq", "inv", "posdet", "sym", "spd"):
        return rf"\in\mathbb{{R}}^{{{args[0]}\times {args[0]}}}"
    if len(args) == 1:
        return rf"\in\mathbb{{R}}^{{{dims_display(args[0])}}}"
    return r"\in\mathbb{R}^{" + r"\times ".join(dims_display(a) for a in args) + "}"


def _auto_conditions(name: str, spec: str, scalar: bool = False) -> list[Condition]:
    """Conditions implied by an input kind; ``scalar``: the input is the scalar variable of a
    (second-)derivative identity (an array of evaluation points, displayed as a scalar)."""
    kind, args = _parse(spec)
    sym = _symbol(name, "num" if scalar else _display_kind(spec))
    vec = _display_kind(spec) == "vec" and not scalar
    rows = len(args) == 2 and kind in ("prob", "onehot")
    if kind == "sym":
        return [Condition(f"${sym} = {sym}^\\top$", lambda d, n=name: np.allclose(d[n], d[n].T))]
    if kind == "spd":
        return [
            Condition(
                f"${sym}$ symmetric positive definite",
                lambda d, n=name: np.allclose(d[n], d[n].T) and np.linalg.eigvalsh(d[n]).min() > 0,
            )
        ]
    if kind == "inv":
        return [
            Condition(f"${sym}$ invertible", lambda d, n=name: np.linalg.cond(d[n]) < 1e6),
        ]
    if kind == "posdet":
        return [Condition(f"$\\det {sym} > 0$", lambda d, n=name: np.linalg.det(d[n]) > 1e-6)]
    if kind == "tall":
        return [
            Condition(
                f"${sym}$ has full column rank",
                lambda d, n=name: np.linalg.matrix_rank(d[n]) == d[n].shape[1],
            )
        ]
    if kind == "pos":
        text = f"${sym} > 0$ elementwise" if vec else f"${sym} > 0$"
        return [Condition(text, lambda d, n=name: bool(np.all(np.asarray(d[n]) > 0)))]
    if kind == "away":
        text = f"${sym}$ has no zero entry" if vec else f"${sym} \\neq 0$"
        return [Condition(text, lambda d, n=name: bool(np.all(np.abs(d[n]) > 0.05)))]
    if kind == "p01":
        return [
            Condition(
                f"$0 < {sym} < 1$" + (" elementwise" if vec else ""),
                lambda d, n=name: bool(np.all((d[n] > 0) & (d[n] < 1))),
            )
        ]
    if kind == "prob":
        text = (
            f"rows of ${sym}$ are probability vectors" if rows else f"${sym}$ a probability vector"
        )
        return [
            Condition(
                text,
                lambda d, n=name: bool(
                    np.all(d[n] >= 0) and np.allclose(np.sum(d[n], axis=-1), 1.0)
                ),
            )
        ]
    if kind == "onehot":
        text = f"rows of ${sym}$ one-hot" if rows else f"${sym}$ one-hot"
        return [
            Condition(
                text,
                lambda d, n=name: bool(
                    np.all((d[n] == 0) | (d[n] == 1)) and np.all(np.sum(d[n], axis=-1) == 1)
                ),
            )
        ]
    if kind == "pm1":
        return [
            Condition(
                f"entries of ${sym}$ in $\\{{-1, +1\\}}$",
                lambda d, n=name: bool(np.all(np.abs(d[n]) == 1)),
            )
        ]
    if kind == "bin":
        return [
            Condition(
                f"entries of ${sym}$ in $\\{{0, 1\\}}$",
                lambda d, n=name: bool(np.all((d[n] == 0) | (d[n] == 1))),
            )
        ]
    return []


class _Spec:
    """``make_inputs`` built from specs like ``x="vec:n", A="mat:m,n"`` (dims drawn distinct)."""

    def __init__(self, specs: Mapping[str, str], post: Callable | None = None):
        self.specs = dict(specs)
        self.post = post
        letters = []
        for spec in self.specs.values():
            kind, args = _parse(spec)
            if kind in _SCALAR_KINDS:
                continue
            if kind == "uni":
                args = args[2:]
            letters += [a for a in args if a.isalpha()]
        self.letters = list(dict.fromkeys(letters))

    def __call__(self, rng: np.random.Generator) -> dict:
        for _ in range(200):
            dims = _draw_dims(rng, self.letters)
            out = {}
            for name, spec in self.specs.items():
                kind, args = _parse(spec)
                out[name] = _gen_one(kind, args, dims, rng)
            if self.post is None:
                return out
            res = self.post(out, rng)
            if res is not None:
                return res
        raise RuntimeError("could not draw inputs satisfying the identity's conditions")

    def shapes(self, wrt: str, kind: str) -> str:
        parts: list[tuple[str, str]] = []
        for name, spec in self.specs.items():
            scalar_wrt = name == wrt and kind in ("derivative", "second-derivative")
            sym = _symbol(name, "num" if scalar_wrt else _display_kind(spec))
            parts.append((sym, _shape_text(spec, lambda a: a, scalar_wrt)))
        # group consecutive names with the same shape text
        grouped: list[tuple[list[str], str]] = []
        for sym, text in parts:
            if grouped and grouped[-1][1] == text and text.startswith(r"\in"):
                grouped[-1][0].append(sym)
            else:
                grouped.append(([sym], text))
        return ",\\ ".join(",".join(syms) + " " + text for syms, text in grouped)

    def conditions(self, wrt: str, kind: str) -> list[Condition]:
        out = []
        for name, spec in self.specs.items():
            scalar = name == wrt and kind in ("derivative", "second-derivative")
            out += _auto_conditions(name, spec, scalar)
        return out


def _retry(rng, gen, accept, tries=200):
    """Draw ``gen(rng)`` until ``accept(draw, rng)`` returns a dict (the accepted inputs)."""
    for _ in range(tries):
        out = accept(gen(rng), rng)
        if out is not None:
            return out
    raise RuntimeError("could not draw inputs satisfying the identity's conditions")
