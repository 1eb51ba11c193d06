"""Explain *how* a claimed derivative is wrong.

Two entry points:

* :func:`diagnose` compares a claimed derivative with a known correct one (two arrays), as a
  grader does when it holds the reference solution.
* The checkers in :mod:`mlcalc.checks` call :func:`diagnose_from_probes` with the engine of a
  check that said WRONG. The numbers it has measured (claimed and numerical directional
  derivatives along random directions) recognise a scaled, sign-flipped, transposed or
  symmetrised derivative, or (given the terms of the correct derivative) a missing term, at no
  extra cost. A few more readings of ``f`` (4 evaluations each, 6 after a small-step fallback)
  test what the check's own directions cannot: a gradient computed in the transposed layout and
  reshaped (two readings), and a claim off by a multiple of x, a constant or the identity (one
  confirming reading); after a fallback, the small-step reading along the other directions
  (2 evaluations each). Only locating wrong entries needs a full numerical derivative, and that
  is done for small inputs only.

Imports run one way: :mod:`mlcalc.checks` imports this module, which imports only the shared
numerics of :mod:`mlcalc.numerical`; the check's engine is used through its attributes and
methods (``readings``, ``reading_along``).

Every label is a hypothesis that must reproduce *all* measured numbers within their derived
tolerances (and, for the new structures, 10 times closer than the claim is to the truth); when
none does, the diagnosis is None (a wrong derivative with no simple explanation) rather than a
guess, and the report's note says which explanations the readings ruled out.

Phrases (stable, tests rely on them): ``"scaled by 2"``, ``"scaled by 1/2"``, ``"sign flipped"``,
``"scaled by -2"``, ``"scaled by 1/50"``, ``"scaled by 1.37"``, ``"transpose of the correct
derivative"``, ``"symmetric part only: (J + Jᵀ)/2 instead of J"``, ``"symmetrised: J + Jᵀ
instead of J"``, ``"one term missing: <name>"``, ``"sign of term <name> flipped"``, ``"term
<name> counted twice"``, ``"claimed derivative is zero"``, ``"wrong at entries 3, 7"``,
``"computed in the transposed layout (5×3) and reshaped to 3×5: transpose instead of
reshape"`` (``... in column-major
(Fortran) order: ...``), ``"off by a multiple of x: claimed − correct = -0.6·x: ..."``, ``"off
by a constant: claimed − correct = 1 in every entry: ..."``, ``"off by a multiple of the
identity: claimed − correct = -1·I: ..."``.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np

from .numerical import _SAFETY, _claim_slack, _eps, _scale, numerical_hessian

__all__ = ["diagnose"]


# --------------------------------------------------------------------------------------------
# naming
# --------------------------------------------------------------------------------------------

def _nice_scale(c: float, rel: float, sigma: float = 0.0) -> float | None:
    """A simple number (±k, ±1/k or ±p/2) within relative distance ``rel`` of c.

    ``sigma`` is the expected relative error of c: a name is given only when it is unambiguous,
    i.e. when that error is well below the relative gap 1/k to the neighbouring names.
    """
    if not np.isfinite(c) or c == 0:
        return None
    cands = []
    a = abs(c)
    k = round(a)
    if k >= 1:
        cands.append(float(k))
    if a < 1:
        k = round(1 / a)
        if k >= 1:
            cands.append(1.0 / k)
    fr = Fraction(a).limit_denominator(2)
    if fr.numerator > 0:
        cands.append(float(fr))
    best = None
    for cand in cands:
        # the neighbours of k (or 1/k) are about a/k away: the name must be unambiguous
        k_eff = max(cand, 1.0 / cand)
        if sigma * k_eff >= 0.25:
            continue
        if abs(a - cand) <= rel * a and (best is None or abs(a - cand) < abs(a - best)):
            best = cand
    if best is None:
        return None
    return best if c > 0 else -best


def _scale_phrase(c: float) -> str:
    if c == -1:
        return "sign flipped"
    a = abs(c)
    sign = "-" if c < 0 else ""
    if float(a).is_integer() or (a >= 1 and abs(a - round(a)) <= 1e-6 * a):
        return f"scaled by {sign}{int(round(a))}"   # 100000, not 1e+05 (a forgotten 1/n)
    inv = 1 / a
    if abs(inv - round(inv)) < 1e-9 * inv:
        return f"scaled by {sign}1/{int(round(inv))}"
    fr = Fraction(a).limit_denominator(2)
    if abs(float(fr) - a) < 1e-12 * a:
        return f"scaled by {sign}{fr.numerator}/{fr.denominator}"
    return f"scaled by {c:.3g}"


def _index_str(idx: tuple[int, ...]) -> str:
    if len(idx) == 1:
        return str(int(idx[0]))
    return "(" + ", ".join(str(int(i)) for i in idx) + ")"


def _entries_phrase(indices: list[tuple[int, ...]], limit: int = 6) -> str:
    shown = ", ".join(_index_str(i) for i in indices[:limit])
    more = f" and {len(indices) - limit} more" if len(indices) > limit else ""
    return f"wrong at entries {shown}{more}"


def _term_items(terms: Any) -> list[tuple[str, Any]]:
    if terms is None:
        return []
    if isinstance(terms, dict):
        return [(str(k), v) for k, v in terms.items()]
    if isinstance(terms, (list, tuple)):
        return [(f"term {i + 1}", v) for i, v in enumerate(terms)]
    raise TypeError("terms must be a dict {name: term} or a list of terms (callables or arrays)")


# --------------------------------------------------------------------------------------------
# diagnosis from the numbers a check measured
# --------------------------------------------------------------------------------------------

def _fits(probes, predict, weight) -> bool:
    """Does the hypothesis 'claimed number = predict(probe)' reproduce every measurement?"""
    for k, p in enumerate(probes):
        pred = predict(k, p)
        if np.any(np.abs(p.d - pred) > p.tol * (1.0 + weight) + 1e-300):
            return False
    return True


def _diagnose_scale(probes) -> str | None:
    n = np.concatenate([p.n for p in probes])
    d = np.concatenate([p.d for p in probes])
    tol = np.concatenate([p.tol for p in probes])
    informative = np.abs(n) > 4 * tol
    if np.count_nonzero(informative) < 2:
        return None
    # the claim must be measurably nonzero too, else any small factor would "fit"
    if np.count_nonzero(np.abs(d) > 4 * tol) < 1:
        return None
    # the factor is estimated from the informative entries only: an entry whose reading is
    # swamped (a kink within the small step of a fallback, tolerance 74 on an entry of size 1)
    # says nothing about it, and _fits still checks every entry
    ni, di, ti = n[informative], d[informative], tol[informative]
    c_hat = float(np.dot(di, ni) / np.dot(ni, ni))
    # relative uncertainty of c: the measured n carries the error (tol), the claim does not
    rel_unc = float(np.sqrt(np.sum(ti ** 2)) / np.sqrt(np.dot(ni, ni)))
    # tol is a bound with a safety factor; the typical error is several times smaller
    nice = _nice_scale(c_hat, max(4 * rel_unc, 1e-9), rel_unc / 5)
    if nice is not None and nice != 1 and _fits(probes, lambda k, p: nice * p.n, abs(nice)):
        return _scale_phrase(nice)
    # a factor that is not a simple number is named only when it is measured precisely
    if rel_unc <= 1e-3 and abs(c_hat - 1) >= 0.05:
        if _fits(probes, lambda k, p: c_hat * p.n, abs(c_hat)):
            return _scale_phrase(c_hat)
    return None


def _diagnose_square(probes, layout: str, x_shape, m: int) -> str | None:
    """Transposed / symmetric-part hypotheses for square derivatives."""
    if layout == "gradient":
        if not (len(x_shape) == 2 and x_shape[0] == x_shape[1] and x_shape[0] > 1):
            return None
        if len(probes) < 2:
            return None
        U = probes[0].u.reshape(x_shape)
        if not np.array_equal(probes[1].u, U.T.reshape(-1)):
            return None
        p0, p1 = probes[0], probes[1]
        n0, n1 = p0.n, p1.n                     # <C, U>, <C, Uᵀ> = <Cᵀ, U>
        if np.all(np.abs(n0 - n1) <= 4 * (p0.tol + p1.tol)):
            return None                         # C looks symmetric: these cannot be told apart
        hyps = [
            ("transpose of the correct derivative", (n1, n0), 1.0),
            ("symmetric part only: (G + Gᵀ)/2 instead of G",
             ((n0 + n1) / 2, (n0 + n1) / 2), 1.0),
            ("symmetrised: G + Gᵀ instead of G", (n0 + n1, n0 + n1), 2.0),
        ]
        # a hypothesis must fit within tolerance AND far more closely than the claim's distance
        # from the correct derivative along these directions (|n0 - n1|), so that a chance fit
        # of another mistake in float32 is not taken for a transpose
        sharp = 0.1 * np.abs(n0 - n1)
        for phrase, (q0, q1), w in hyps:
            lim = np.minimum((p0.tol + p1.tol) * (1 + w), sharp)
            if np.all(np.abs(p0.d - q0) <= lim) and np.all(np.abs(p1.d - q1) <= lim):
                return phrase
        return None
    if layout == "jacobian":
        n_in = probes[0].u.size
        if m != n_in or m < 2 or len(probes) < 2:
            return None
        # bilinear numbers: u_jᵀ G u_k (claimed) and u_jᵀ C u_k (numerical)
        K = len(probes)
        claimed = np.array([[probes[j].u @ probes[k].d for k in range(K)] for j in range(K)])
        numer = np.array([[probes[j].u @ probes[k].n for k in range(K)] for j in range(K)])
        tolb = np.array([[np.abs(probes[j].u) @ probes[k].tol for k in range(K)]
                         for j in range(K)])
        if np.all(np.abs(numer - numer.T) <= 4 * (tolb + tolb.T)):
            return None
        hyps = [
            ("transpose of the correct derivative", numer.T, 1.0),
            ("symmetric part only: (J + Jᵀ)/2 instead of J", (numer + numer.T) / 2, 1.0),
            ("symmetrised: J + Jᵀ instead of J", numer + numer.T, 2.0),
        ]
        sharp = 0.1 * float(np.max(np.abs(numer - numer.T)))
        for phrase, pred, w in hyps:
            if np.all(np.abs(claimed - pred) <= np.minimum((tolb + tolb.T) * (1 + w), sharp)):
                return phrase
        return None
    return None


# --------------------------------------------------------------------------------------------
# naming without terms=: the reshaped transposed layout, a missing multiple of x or constant
# --------------------------------------------------------------------------------------------
#
# These hypotheses predict the claim along directions the check did not measure, so they cost
# evaluations of f, spent only on a wrong derivative that nothing cheaper explained:
# - a matrix argument m x n (m != n, both > 1): readings along the two directions that the
#   reshaped transposed layout maps the first two onto, 8 evaluations (12 after a fallback to
#   the small step, which measures there too); they serve as confirmations below as well;
# - otherwise, when a structure fits the check's own readings: one reading along a fresh random
#   direction to confirm it, 4 evaluations (6 after a fallback).
# With the 4 of a fallback's small-step readings, a diagnosis costs at most 16 evaluations before
# locating wrong entries (which costs 4 per entry, for inputs of at most 100 entries only).

_SHARP = 0.1     # a hypothesis must fit 10 times closer than the claim is to the truth


class _ExtraReadings:
    """Readings along directions the check did not use, measured once, on demand."""

    def __init__(self, engine, probes):
        self.engine, self.probes = engine, probes
        self._reshaped: list | None = None
        self._fresh: list | None = None

    def reshaped(self) -> list:
        """Readings along π(u_0), π(u_1), π(u) = u.reshape(n, m).T (x is m x n)."""
        if self._reshaped is None:
            m, n = self.engine.x.shape
            out = []
            for p in self.probes[:2]:
                q = self.engine.reading_along(p.u.reshape(n, m).T.reshape(-1).copy())
                if q is None:
                    break
                out.append(q)
            self._reshaped = out
        return self._reshaped

    def confirming(self) -> list:
        """Readings along directions not used to fit: the reshaped ones if measured, else one
        along a fresh random direction."""
        if self._reshaped:
            return self._reshaped
        if self._fresh is None:
            x = self.engine.x
            rng = np.random.default_rng([x.size, 15])
            q = self.engine.reading_along(rng.standard_normal(x.size) * _scale(x))
            self._fresh = [] if q is None else [q]
        return self._fresh


def _close(resid, tol, dist) -> bool:
    """A residual within tolerance and far below the claim's distance from the truth."""
    return bool(np.all(np.abs(resid) <= tol) and np.all(np.abs(resid) <= _SHARP * dist))


def _diagnose_reshaped(probes, extra: _ExtraReadings, layout: str, x_shape) -> str | None:
    """The gradient of an m x n argument computed as n x m and reshaped, not transposed."""
    if layout != "gradient" or len(x_shape) != 2 or len(probes) < 2:
        return None
    m, n = x_shape
    if m == n or m < 2 or n < 2:
        return None                 # square: a plain transpose (named before); a vector: no-op
    more = extra.reshaped()
    if len(more) < 2:
        return None
    pairs = list(zip(probes[:2], more, strict=True))
    # C order: claimed along u_j = true along π(u_j). Fortran order: claimed along π(u_j) =
    # true along u_j (π undoes that reshape). Each must differ measurably from the truth.
    c_hyp = [(p.d - q.n, p.tol + q.tol, np.abs(p.d - p.n)) for p, q in pairs]
    f_hyp = [(q.d - p.n, p.tol + q.tol, np.abs(q.d - q.n)) for p, q in pairs]
    tells = any(np.any(np.abs(q.n - p.n) > 4 * (p.tol + q.tol)) for p, q in pairs)
    if not tells:
        return None
    for hyp, order in ((c_hyp, ""), (f_hyp, " in column-major (Fortran) order")):
        dist = max(float(np.max(dd)) for _, _, dd in hyp)
        if all(_close(r, 2 * t, dist) for r, t, _ in hyp):
            return (f"computed in the transposed layout ({n}×{m}) and reshaped to {m}×{n}"
                    f"{order}: transpose instead of reshape")
    return None


def _structures(engine, layout: str):
    """(name, unit response along a direction u) of the common missing terms for this layout."""
    x = engine.x64
    if layout == "gradient" and x.size > 1:     # one entry: every error is a multiple of x
        yield "x", lambda u: np.atleast_1d(np.dot(x, u))
        yield "1", lambda u: np.atleast_1d(np.sum(u))
    elif layout == "jacobian" and engine.order == 1 and engine.G.shape[0] == x.size > 1:
        yield "I", lambda u: u


def _fit_structure(probes, z) -> float | None:
    """The multiple a with claimed - true = a z along every reading, or None if it does not fit."""
    D = np.concatenate([p.d - p.n for p in probes])
    T = np.concatenate([p.tol for p in probes])
    Z = np.concatenate([z(p.u) for p in probes])
    if np.count_nonzero(np.abs(D) > 4 * T) < 2:
        return None                                   # too little seen to fit anything
    w = 1.0 / np.maximum(T, 1e-300) ** 2
    den = float(np.sum(w * Z * Z))
    if den == 0:
        return None
    a = float(np.sum(w * Z * D) / den)
    if not np.max(np.abs(a * Z)) > 4 * np.max(T):
        return None                                   # the term would be invisible
    return a if _close(D - a * Z, 2 * T, np.max(np.abs(D))) else None


def _diagnose_structure(probes, extra: _ExtraReadings, engine, layout: str) -> str | None:
    """claimed - true = a x (a dropped regulariser), a constant (a dropped bias or constant
    term) or a I (a Jacobian missing the identity of a skip connection)."""
    if engine.order != 1:
        return None          # second differences see only uᵀDu: too little to tell (module doc)
    for name, z in _structures(engine, layout):
        a = _fit_structure(probes, z)
        if a is None:
            continue
        more = extra.confirming()
        if not more or _fit_structure(probes + more, z) is None:
            continue
        return _structure_phrase(name, _round_sig(a))
    return None


def _round_sig(a: float) -> float:
    return float(f"{a:.3g}")


def _structure_phrase(name: str, a: float) -> str:
    c = f"{abs(a):g}"
    if name == "x":
        fix = (f"a term {c}·x is missing (a dropped regulariser λx or 2λx?)" if a < 0 else
               f"a term in x is wrong or extra: subtract {c}·x")
        return f"off by a multiple of x: claimed − correct = {a:g}·x: {fix}"
    if name == "1":
        fix = (f"a constant term is missing: add {c}" if a < 0 else
               f"a constant term is missing or wrong: subtract {c}")
        return f"off by a constant: claimed − correct = {a:g} in every entry: {fix}"
    fix = (f"a term {c}·I is missing (a dropped ridge term λI, or the identity of a skip "
            "connection x + g(x)?)" if a < 0
           else f"a term is wrong or extra: subtract {c}·I")
    return f"off by a multiple of the identity: claimed − correct = {a:g}·I: {fix}"


def _why_unexplained(probes, engine, layout: str) -> str:
    """Why no name was given: which explanations the readings ruled out."""
    D = np.concatenate([p.d - p.n for p in probes])
    T = np.concatenate([p.tol for p in probes])
    if np.count_nonzero(np.abs(D) > 4 * T) < 2:
        return "the readings are too noisy to say how the claim is wrong"
    if engine.order != 1:
        return ("not a multiple of the right Hessian; second differences see only uᵀHu, too "
                "little to name a missing term: pass grad_f (or terms=) for that")
    head = "no simple explanation: not a multiple of the right derivative"
    tail = ": a term of another form is missing or wrong"
    shape = engine.x.shape
    if layout == "jacobian" and engine.G.shape[0] == engine.x.size > 1:
        return (head + ", nor its transpose, and claimed − correct is not a multiple of the "
                "identity" + tail)
    if layout != "gradient":
        return head + tail
    if len(shape) == 2 and shape[0] > 1 and shape[1] > 1:
        head += ", nor its transpose" if shape[0] == shape[1] else ", nor a reshaped transpose"
    if engine.x.size == 1:
        return "one entry: wrong by a factor that is not a simple number"
    return f"{head}, and claimed − correct is not a multiple of x or a constant{tail}"


def _eval_terms(terms, x: np.ndarray, shape: tuple[int, ...]) -> list[tuple[str, np.ndarray]]:
    out = []
    for name, t in _term_items(terms):
        val = t(np.array(x, copy=True)) if callable(t) else t
        arr = np.asarray(val, dtype=np.float64)
        if arr.shape != shape:
            raise ValueError(f"term {name!r} has shape {arr.shape}, expected {shape}")
        out.append((name, arr))
    return out


def _diagnose_terms(probes, engine, terms, layout: str) -> str | None:
    x = engine.x
    if layout == "hessian":
        shape = x.shape + x.shape
    elif layout == "gradient":
        shape = x.shape
    else:
        shape = engine.ev.out_shape + x.shape
    items = _eval_terms(terms, x, shape)
    for name, T in items:
        Tm = T.reshape(engine.G.shape)
        if layout == "hessian":
            tu = [np.atleast_1d(p.u @ (Tm @ p.u)) for p in probes]
        else:
            tu = [Tm @ p.u for p in probes]
        if all(np.all(np.abs(t) <= p.tol) for t, p in zip(tu, probes, strict=True)):
            continue                             # this term is invisible along the directions
        for coef, phrase in ((-1.0, f"one term missing: {name}"),
                             (-2.0, f"sign of term {name} flipped"),
                             (1.0, f"term {name} counted twice")):
            if _fits(probes, lambda k, p, c=coef, tu=tu: p.n + c * tu[k], 1.0):
                return phrase
    return None


def _locate_entries(engine, claimed: np.ndarray, layout: str, locate_max: int) -> str | None:
    """Locate wrong entries with a full numerical derivative (small inputs only)."""
    x = engine.x
    n = x.size
    if x.ndim == 0 or n == 1:
        return None                      # one entry: any error is a scale
    if layout == "hessian":
        if n > 20:
            return None
        C = numerical_hessian(engine.f_at, x).reshape(n, n)
        engine.ev.count += 4 * n * n + 1
        eps = engine.eps
        h = _eps(x.dtype) ** (1.0 / 6.0)
        noise = eps * max(abs(float(engine.f0[0])), 1e-300) * float(np.max(
            engine.noise_factor)) * 30 / (h * _scale(x)) ** 2
        tol = _SAFETY * (noise + eps ** 0.5 * np.abs(C) + engine.eps_g * np.abs(engine.G))
        wrong = np.abs(engine.G - C) > tol
        wrong = wrong | wrong.T
        idx = [tuple(i) for i in np.argwhere(np.triu(wrong))]
        full_shape = x.shape + x.shape
        idx = [tuple(np.unravel_index(i * n + j, full_shape)) for i, j in idx]
        total = n * (n + 1) // 2
    else:
        m = engine.G.shape[0]
        if n * max(m, 1) > locate_max * max(m, 1) or n > locate_max:
            return None
        C, tol = _numerical_with_tolerance(engine)
        wrong = np.abs(engine.G - C) > tol
        flat = np.flatnonzero(wrong)
        full_shape = claimed.shape
        idx = [tuple(np.unravel_index(i, full_shape)) for i in flat]
        total = engine.G.size
    if not idx:
        return None
    if len(idx) > max(3, total // 3):
        return None                      # most entries wrong: "entries" would not help
    # the located entries must explain every directional measurement: replace them by the
    # numerical values and the claimed derivative must then agree along every direction
    fixed = engine.G.copy()
    fixed[wrong] = C[wrong]
    for p in engine.probes:
        pred = (np.atleast_1d(p.u @ (fixed @ p.u)) if layout == "hessian"
                else fixed @ p.u)
        if np.any(np.abs(p.n - pred) > 2 * p.tol):
            return None
    return _entries_phrase(idx)


def _numerical_with_tolerance(engine):
    """Richardson central differences per coordinate, with a derived tolerance per entry."""
    x, dtype = engine.x, engine.x.dtype
    x64 = engine.x64
    f0 = engine.f0
    h = _eps(dtype) ** 0.2
    s = _scale(x)
    m, n = engine.G.shape
    C = np.empty((m, n))
    tol = np.empty((m, n))
    eps = engine.eps
    floor = 1e-3 * float(np.sqrt(np.mean(f0 ** 2)))
    big_g = float(np.max(engine.absG)) if engine.absG.size else 0.0
    for i in range(n):
        hi = h * max(abs(x64[i]), s)
        vals, ts = [], []
        for t in (hi, -hi, hi / 2, -hi / 2):
            p = x64.copy()
            p[i] = x64[i] + t
            p = p.astype(dtype)
            ts.append(float(p[i]) - x64[i])
            vals.append(engine.f_at(p))
        fp1, fm1, fp2, fm2 = vals
        t1, t2 = (ts[0] - ts[1]) / 2, (ts[2] - ts[3]) / 2
        D1 = (fp1 - fm1) / (ts[0] - ts[1])
        D2 = (fp2 - fm2) / (ts[2] - ts[3])
        ratio = (t1 / t2) ** 2
        R = (ratio * D2 - D1) / (ratio - 1)
        F = np.maximum.reduce([np.abs(f0)] + [np.abs(v) for v in vals])
        # the same noise model as the check: eps |f|, at least the condition floor
        sig = engine.eps_f * np.maximum(np.maximum(F, floor), engine.cond) * engine.noise_factor
        trunc0 = np.abs(D1 - D2)
        trunc = trunc0 * np.minimum(1.0, trunc0 / np.maximum(np.abs(R), 1e-300))
        C[:, i] = R
        # the claim's own rounding: eps per entry, and up to _claim_slack of the largest
        # entry where its formula cancels (see mlcalc.checks)
        claim = engine.eps_g * engine.absG[:, i] + _claim_slack(engine.eps_g) * big_g
        tol[:, i] = _SAFETY * (3 * sig / hi + trunc + claim) + _SAFETY * eps * np.abs(R)
    return C, tol


def diagnose_from_probes(engine, claimed: np.ndarray, *, layout: str, terms: Any,
                         locate_max: int) -> tuple[str | None, str]:
    """Diagnosis used by the checkers (see the module docstring).

    Returns:
        (phrase, why): the diagnosis (None when no hypothesis reproduces every measurement) and,
        when there is none, a short reason for the report's note ("" otherwise).
    """
    probes = engine.readings()         # after a fallback: the small-step reading, all directions
    if not probes:
        return None, ""
    if not np.any(claimed):
        if any(np.any(np.abs(p.n) > p.tol) for p in probes):
            return "claimed derivative is zero", ""
    m = engine.G.shape[0]
    extra = _ExtraReadings(engine, probes)
    for step in (
        lambda: _diagnose_scale(probes),
        lambda: _diagnose_square(probes, layout, engine.x.shape, m),
        lambda: _diagnose_terms(probes, engine, terms, layout) if terms is not None else None,
        lambda: _diagnose_reshaped(probes, extra, layout, engine.x.shape),
        lambda: _diagnose_structure(probes, extra, engine, layout),
        lambda: _locate_entries(engine, claimed, layout, locate_max),
    ):
        phrase = step()
        if phrase:
            return phrase, ""
    return None, _why_unexplained(probes, engine, layout)


# --------------------------------------------------------------------------------------------
# diagnosis from two arrays
# --------------------------------------------------------------------------------------------

def diagnose(claimed: Any, correct: Any, *, terms: Any = None,
             rtol: float = 1e-6) -> str | None:
    """Say how a claimed derivative differs from the correct one (both given as arrays).

    Tries, in order: equal (returns None), zero, scaled by a constant (named: ``"scaled by 2"``,
    ``"sign flipped"``, ``"scaled by 1/50"``), transposed, symmetric part only, symmetrised, one
    of the given ``terms`` missing / sign-flipped / doubled, and finally the list of wrong
    entries when only a few are wrong.

    For matrix-shaped derivatives "transposed" swaps the last two axes of a 2-D array; for a
    Jacobian of a vector function (2-D, square) it is the matrix transpose as well.

    Args:
        claimed: the claimed derivative (array-like).
        correct: the correct derivative, same shape (a transposed shape is recognised too).
        terms: optional dict ``{name: array}`` (or list) of the terms whose sum is ``correct``.
        rtol: relative tolerance, measured against the largest entry of ``correct``.

    Returns:
        None when the two agree within ``rtol``; otherwise a short phrase, or ``"wrong"`` when
        no simple explanation fits.

    Raises:
        ValueError: if the shapes differ (other than by a transpose) or a term's shape differs.
        TypeError: if the inputs are not numeric.
    """
    G = np.asarray(claimed, dtype=np.float64)
    C = np.asarray(correct, dtype=np.float64)
    if G.shape != C.shape:
        if G.ndim == 2 and G.shape == C.shape[::-1]:
            if np.allclose(G.T, C, rtol=0, atol=rtol * max(float(np.max(np.abs(C))), 1e-300)):
                return "transpose of the correct derivative"
        raise ValueError(f"claimed has shape {G.shape} but correct has shape {C.shape}")
    if not np.all(np.isfinite(G)):
        return "claimed derivative contains NaN or inf"
    scale = max(float(np.max(np.abs(C))) if C.size else 0.0,
                float(np.max(np.abs(G))) if G.size else 0.0)
    if scale == 0:
        return None
    atol = rtol * scale

    def close(a: np.ndarray, b: np.ndarray) -> bool:
        return bool(np.all(np.abs(a - b) <= atol))

    if close(G, C):
        return None
    if not np.any(G):
        return "claimed derivative is zero"
    cc = float(np.sum(C * C))
    if cc > 0:
        c_hat = float(np.sum(G * C) / cc)
        nice = _nice_scale(c_hat, 1e-6)
        for c in (nice, c_hat):
            if c is not None and close(G, c * C) and abs(c - 1) > rtol:
                return _scale_phrase(c)
    if C.ndim == 2 and C.shape[0] == C.shape[1] and not close(C, C.T):
        if close(G, C.T):
            return "transpose of the correct derivative"
        if close(G, (C + C.T) / 2):
            return "symmetric part only: (G + Gᵀ)/2 instead of G"
        if close(G, C + C.T):
            return "symmetrised: G + Gᵀ instead of G"
    for name, T in _term_items(terms):
        Tarr = np.asarray(T, dtype=np.float64)
        if Tarr.shape != C.shape:
            raise ValueError(f"term {name!r} has shape {Tarr.shape}, expected {C.shape}")
        if not np.any(np.abs(Tarr) > atol):
            continue
        for coef, phrase in ((-1.0, f"one term missing: {name}"),
                             (-2.0, f"sign of term {name} flipped"),
                             (1.0, f"term {name} counted twice")):
            if close(G, C + coef * Tarr):
                return phrase
    wrong = np.argwhere(np.abs(G - C) > atol)
    if 0 < len(wrong) <= max(3, C.size // 3):
        return _entries_phrase([tuple(i) for i in wrong])
    return "wrong"
