"""Explain *how* a claimed derivative is wrong.

Two entry points:

* :func:`diagnose` compares a claimed derivative with a known correct one (two arrays), as a
  grader does when it holds the reference solution.
* The checkers in :mod:`mlcalc.checks` call :func:`diagnose_from_probes` with the few numbers a
  check has measured (claimed and numerical directional derivatives along random directions).
  No extra evaluation of ``f`` is needed to recognise a scaled, sign-flipped, transposed or
  symmetrised derivative, or (given the terms of the correct derivative) a missing term; only
  locating wrong entries needs a full numerical derivative, and that is done for small inputs
  only.

Imports run one way: :mod:`mlcalc.checks` imports this module, which imports only the shared
numerics of :mod:`mlcalc.numerical`; the check's engine is read through its attributes.

Every label is a hypothesis that must reproduce *all* measured numbers within their derived
tolerances; when none does, the diagnosis is None (a wrong derivative with no simple
explanation) rather than a guess.

Phrases (stable, tests rely on them): ``"scaled by 2"``, ``"scaled by 1/2"``, ``"sign flipped"``,
``"scaled by -2"``, ``"scaled by 1/50"``, ``"scaled by 1.37"``, ``"transpose of the correct
derivative"``, ``"symmetric part only: (J + Jᵀ)/2 instead of J"``, ``"symmetrised: J + Jᵀ
instead of J"``, ``"one term missing: <name>"``, ``"sign of term <name> flipped"``, ``"term
<name> counted twice"``, ``"claimed derivative is zero"``, ``"wrong at entries 3, 7"``.
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
    if float(a).is_integer():
        return f"scaled by {sign}{int(a)}"
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
    c_hat = float(np.dot(d, n) / np.dot(n, n))
    # relative uncertainty of c: the measured n carries the error (tol), the claim does not
    rel_unc = float(np.sqrt(np.sum(tol ** 2)) / np.sqrt(np.dot(n, n)))
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
                     locate_max: int) -> str | None:
    """Diagnosis used by the checkers (see the module docstring)."""
    probes = engine.probes
    if not probes:
        return None
    if not np.any(claimed):
        if any(np.any(np.abs(p.n) > p.tol) for p in probes):
            return "claimed derivative is zero"
    m = engine.G.shape[0]
    for step in (
        lambda: _diagnose_scale(probes),
        lambda: _diagnose_square(probes, layout, engine.x.shape, m),
        lambda: _diagnose_terms(probes, engine, terms, layout) if terms is not None else None,
        lambda: _locate_entries(engine, claimed, layout, locate_max),
    ):
        phrase = step()
        if phrase:
            return phrase
    return None


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
