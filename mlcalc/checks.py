"""Numerical derivatives and derivative checkers.

Two kinds of tools are public here.

* ``numerical_grad``, ``numerical_jacobian`` and ``numerical_hessian`` build a whole derivative by
  finite differences, one coordinate at a time (cost grows with the size of ``x``). Shapes follow
  autograd: ``numerical_jacobian(f, x).shape == f(x).shape + x.shape``. They live in
  :mod:`mlcalc.numerical` with the numerics shared by checking and diagnosis, and are re-exported
  here.
* ``check_grad``, ``check_jacobian`` and ``check_hessian`` decide whether a *claimed* derivative is
  right. They never build the whole derivative. They compare the claimed derivative with the
  function along a few random directions, so their cost does not grow with the size of ``x``
  (at most 16 evaluations of ``f`` plus one call of the claimed derivative).

How a check works (``check_grad``; the other two are variations):

1. Draw ``directions`` (default 3) random directions ``u`` with i.i.d. normal entries, from
   ``numpy.random.default_rng(seed)``, scaled by the root mean square of ``x`` (or 1 when ``x`` is
   0). The directions are independent of the user's data: a direction built from the data (or a
   fixed non-negative one) can be exactly orthogonal to a real error.
2. Along each direction evaluate ``f`` at ``x ± h u`` and ``x ± (h/2) u`` (``h = eps**(1/5)``,
   eps the machine epsilon of the dtype) and subtract the claimed linear model
   ``f(x) + g·Δ``, where ``Δ`` is the displacement actually taken after rounding ``x + t u`` to the
   dtype. The odd part of what remains, extrapolated with Richardson's rule
   ``(4 D(h/2) − D(h)) / 3``, is the mismatch between the true and the claimed directional
   derivative, with error ``O(h⁴)``.
3. The tolerance is derived, not fixed: the rounding error of ``f`` (``eps · |f|``, at least
   ``eps · Σ|g_i x_i|``, what rounding the inputs alone costs, so that an ``f`` that is a
   cancellation of large terms is not held to ``eps · |f|``; raised to an empirical noise
   estimate when ``f`` is noisier) amplified by the Richardson weights (``3/h``), the
   truncation error estimated from the measured cubic term, and the rounding error of the
   claimed derivative (``eps · Σ|g_i u_i|``, plus up to 100 eps per entry adding up like a
   random walk, for a claim computed by a formula that cancels), times a safety factor.
4. On the first direction ``f`` is also evaluated at ``x ± h' u`` with a much smaller ``h'``
   and at ``x + 0.3 h u``. This gives empirical noise samples (residuals from the smooth model),
   two readings of the slope at ``h'`` (a plain central difference, unaffected by kinks further
   away than ``h'``, and a fit ``M t + b t|t| + c t³`` of the odd part through ``h, h/2, h'``,
   unbiased when ``f`` is once but not twice differentiable at ``x``, as ELU with alpha = 1 at
   0), and the test for a kink *at* ``x``: if the one-sided slopes differ by the same amount at
   ``h'`` and again at ``16 h'`` (two more evaluations, only then), ``f`` is not differentiable
   at ``x`` and the report says so. When the numbers at scale ``h`` and at ``h'`` disagree (kinks
   near ``x``, or a jump of ``f''`` at ``x``), the derivative is called wrong only if the
   small-step slope says so too.
5. If the claimed derivative is wrong, :mod:`mlcalc.diagnose` explains how (transposed, scaled by
   c, symmetric part only, a missing term, wrong at some entries) using the numbers already
   measured (plus, for small inputs only, a full numerical derivative to locate wrong entries).

Modules: this one holds the public checkers; :mod:`mlcalc.check_engine` the directional engine
(steps 1 to 4) and :class:`CheckReport`; :mod:`mlcalc.diagnose` step 5; :mod:`mlcalc.numerical`
what they share. Imports run one way: checks → check_engine, diagnose → numerical.

float16 and float32 inputs: ``f`` is called at float64 copies of the points when it returns
float64 for float64 input (``promote=True``, the default); the claimed derivative is evaluated at
the original ``x`` in its own dtype and gets that dtype's rounding allowance. Float32 rounding of
``f``, amplified by ``3/h``, is otherwise as large as the error of one wrong entry among 100 000
along a random direction; in float64 it is 10⁹ times smaller. An ``f`` that returns float32 for
float64 input (or fails on it) is evaluated in x's own dtype. A float32 claim can itself be far
from the true values when its formula cancels (``1 - tanh(z)²`` for a saturated ``z``): when a
callable claim disagrees with ``f`` by no more than that could explain, it is called once more at
``x`` in float64, and if that agrees the report is OK with a note saying how far the float32
values are off.

The complex-step method (``Im f(x + i h u) / h``, exact to rounding) is deliberately not used:
numpy's ``abs``, ``maximum``, comparisons and ``conj``-free transposes silently give wrong
derivatives for complex input, and a learner's ``f`` cannot be trusted to be analytic in code.
Richardson-extrapolated central differences reach about ``eps**(4/5)`` with real arithmetic only.

``check_jacobian`` does the same with vector outputs (it compares ``J u`` with directional
differences of ``f``, entry by entry). ``check_hessian`` compares the second directional
derivative ``uᵀ H u`` with a Richardson-extrapolated second difference of ``f`` (16
evaluations), plus a free test that the claimed Hessian is symmetric; when ``grad_f`` is given it
instead compares ``H u`` with directional differences of the gradient (a Jacobian check of
``grad_f``), which also sees non-symmetric errors.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from .check_engine import CheckReport, DirectionalEngine
from .diagnose import diagnose_from_probes
from .numerical import (
    _LOCATE_MAX,
    _SAFETY,
    _as_real_input,
    _claimed_array,
    _Counter,
    _eps,
    _shape_str,
    numerical_grad,
    numerical_hessian,
    numerical_jacobian,
)

__all__ = [
    "CheckReport",
    "check_grad",
    "check_hessian",
    "check_jacobian",
    "numerical_grad",
    "numerical_hessian",
    "numerical_jacobian",
]

# --------------------------------------------------------------------------------------------
# public checkers
# --------------------------------------------------------------------------------------------

def _check_options(directions: Any, rtol: Any, step: Any, safety: Any,
                   promote: Any = True) -> None:
    if not isinstance(promote, (bool, np.bool_)):
        raise TypeError(f"promote must be True or False, got {type(promote).__name__}")
    if isinstance(directions, bool) or not isinstance(directions, (int, np.integer)):
        raise TypeError("directions must be an integer between 1 and 3")
    if not 1 <= int(directions) <= 3:
        raise ValueError("directions must be between 1 and 3 (the budget is 16 evaluations)")
    if rtol is not None and not float(rtol) > 0:
        raise ValueError("rtol must be a positive number, or None to derive the tolerance")
    if step is not None and not 0 < float(step) < 1:
        raise ValueError("step must be a relative step between 0 and 1, or None")
    if not float(safety) >= 1:
        raise ValueError("safety must be a number >= 1")


def _claimed_eps(arr: np.ndarray) -> float:
    return _eps(arr.dtype) if arr.dtype.kind == "f" else _eps(np.float64)


def _start(f: Callable, x: Any, scalar: bool, promote: bool):
    """Validate x, evaluate f(x); decide the dtype f is evaluated in.

    Returns (x, x_eval, ev, f0): x as given (the claimed derivative is evaluated there),
    x_eval the same point in the dtype the finite differences use.

    With ``promote`` and a float16/float32 x, f is first called on x converted to float64
    (the same numbers). If it returns float64, f follows its input's precision and every
    difference is taken in float64: the rounding error of f, not the mathematics being
    checked, is what limits a float32 check, so this is what makes float32 checks as sharp as
    float64 ones. If f returns a lower precision or fails on float64 input, f is evaluated in
    x's own dtype.
    """
    x = _as_real_input(x)
    if promote and x.dtype != np.float64:
        x64 = x.astype(np.float64)
        ev = _Counter(f, np.float64, "f", scalar=scalar)
        try:
            f0 = ev(x64)
            follows = ev.out_eps == _eps(np.float64)
        except Exception:              # noqa: BLE001 - f(x) in x's own dtype decides
            follows, f0 = False, None
        if follows:
            if not np.all(np.isfinite(f0)):
                raise ValueError("f(x) is not finite, so there is no derivative to check")
            return x, x64, ev, f0
        native = _Counter(f, x.dtype, "f", scalar=scalar)
        native.count = ev.count
        if f0 is None:              # f failed on float64 input: f(x) in x's own dtype
            f0 = native(x)
        else:                       # f(x) at the same numbers, already in f's own precision
            native.out_shape, native.out_eps = ev.out_shape, ev.out_eps
        ev = native
    else:
        ev = _Counter(f, x.dtype, "f", scalar=scalar)
        f0 = ev(x)
    if not np.all(np.isfinite(f0)):
        raise ValueError("f(x) is not finite, so there is no derivative to check")
    return x, x, ev, f0


def _claim_rounding_explains(engine: DirectionalEngine, claimed: np.ndarray, claimed_fn: Any):
    """Is the mismatch the claim's own low-precision rounding (a formula that cancels)?

    Asked only of a float16/float32 claim, given as a callable, that disagrees with f evaluated
    in float64 by no more than float32 rounding of its entries could (up to 10⁶ eps each, as
    1 - tanh(z)² for a saturated z). The callable is then evaluated once more at x in float64;
    if that agrees with f, the formula is right and only its low-precision values are off.

    Returns None, or (relative error, relative tolerance, relative deviation of the claim from
    its float64 value) for the report.
    """
    if (not callable(claimed_fn) or engine.order != 1 or engine.dtype != np.float64
            or claimed.dtype.kind != "f" or claimed.dtype == np.float64 or not engine.probes):
        return None
    S, e = engine.safety, engine.eps_g
    for p in engine.probes:
        walk = float(np.max(np.sqrt(engine._apply(engine.G2, p.u * p.u))))
        loose = p.tol_c1 if p.tol_c1 is not None else p.tol
        if np.any(np.abs(p.n - p.d) > loose + S * 1e6 * e * walk):
            return None
    try:
        g64 = np.asarray(claimed_fn(np.reshape(engine.x64.copy(), engine.x.shape)))
    except Exception:                # noqa: BLE001 - no second opinion, the verdict stands
        return None
    if g64.dtype != np.float64 or g64.shape != claimed.shape or not np.all(np.isfinite(g64)):
        return None
    G64 = g64.reshape(engine.G.shape)
    # the same readings the verdict may use: the main probes; the small-step slopes only where
    # the verdict would consult them (kinks near x; a mismatch a jump of f'' could explain)
    readings = [(engine.probes, False)]
    if engine.small is not None:
        if engine.ambiguous:
            readings += [([engine.small], False), ([engine.small_c1], False)]
        else:
            readings += [(engine.probes, True)]
    for probes, c1 in readings:
        diffs = [np.abs(p.n - engine._apply(G64, p.u)) for p in probes]
        tols = [p.tol for p in probes]
        if c1:              # within the C1 allowance on every probe, and the t|t| fit agrees
            tols = [p.tol_c1 for p in probes]
            sc = engine.small_c1
            if np.any(np.abs(sc.n - engine._apply(G64, sc.u)) > sc.tol):
                continue
        if all(np.all(dv <= tv) for dv, tv in zip(diffs, tols, strict=True)):
            ref = max(float(np.max(np.abs(p.n))) for p in probes) or 1.0
            k = int(np.argmax([float(np.max(dv - tv)) for dv, tv in zip(diffs, tols,
                                                                        strict=True)]))
            j = int(np.argmax(diffs[k] - tols[k]))
            dev = float(np.max(np.abs(engine.G - G64)) / max(float(np.max(np.abs(G64))),
                                                               1e-300))
            return float(diffs[k][j]) / ref, float(tols[k][j]) / ref, dev
    return None


def _run(engine: DirectionalEngine, claimed: np.ndarray, *, diagnose: bool, terms: Any,
         layout: str, x_dtype: Any, claimed_fn: Any = None) -> CheckReport:
    finite = bool(np.all(np.isfinite(claimed)))
    if not finite:
        engine.G = np.nan_to_num(engine.G, nan=0.0, posinf=0.0, neginf=0.0)
        engine.absG = np.abs(engine.G)
        engine.G2 = engine.G * engine.G
    rep = engine.run()
    second = (_claim_rounding_explains(engine, claimed, claimed_fn)
              if finite and rep.verdict == "WRONG" else None)
    if second is not None:
        rep.ok, rep.verdict = True, "OK"
        rep.error, rep.tolerance = second[0], second[1]
        rep.note = ((rep.note + "; ") if rep.note else "") + (
            f"the formula is right: re-evaluated in float64 it agrees with f; its "
            f"{claimed.dtype} values are off by rounding, up to {second[2]:.1e} relative")
        rep.details["claim_reevaluated"] = True
    rep.details["n_evals_verdict"] = rep.n_evals
    rep.details["evaluated_in"] = str(engine.dtype)
    if np.dtype(x_dtype) != engine.dtype:
        rep.dtype = str(np.dtype(x_dtype))
        promoted = f"f evaluated in {engine.dtype}"
        rep.note = promoted + (f"; {rep.note}" if rep.note else "")
    if not finite and rep.verdict in ("OK", "WRONG"):
        rep.ok, rep.verdict = False, "WRONG"
        rep.diagnosis = "claimed derivative contains NaN or inf"
        return rep
    if rep.verdict == "WRONG" and diagnose:
        rep.diagnosis, why = diagnose_from_probes(engine, claimed, layout=layout, terms=terms,
                                                  locate_max=_LOCATE_MAX)
        if why:
            rep.note = (rep.note + "; " if rep.note else "") + why
        rep.n_evals = engine.ev.count
    return rep


def _index_str(idx) -> str:
    return "(" + ", ".join(str(int(i)) for i in idx) + ")"


def check_grad(f: Callable, grad_f: Any, x: Any, *, seed: Any = 0, directions: int = 3,
               rtol: float | None = None, step: float | None = None, safety: float = _SAFETY,
               diagnose: bool = True, terms: Any = None, promote: bool = True) -> CheckReport:
    """Check a claimed gradient of a scalar function along a few random directions.

    Args:
        f: scalar function of an array shaped like ``x``.
        grad_f: the claimed gradient: a callable ``grad_f(x)`` or an array, with x's shape.
        x: the point (scalar, vector, matrix or tensor; integers become float64; float32 stays
            float32 and gets float32 tolerances).
        seed: seed of the random directions (default 0: reproducible).
        directions: number of random directions, 1 to 3 (default 3).
        rtol: a fixed relative tolerance instead of the derived one (default None: derived).
        step: relative finite-difference step (default ``eps**(1/5)`` of x's dtype).
        safety: safety factor of the derived tolerance (default 5).
        diagnose: explain a wrong gradient (default True).
        terms: optional dict ``{name: term}`` (or list) of the terms of the correct gradient,
            each a callable or an array; lets the diagnosis say which term is missing.
        promote: for a float16/float32 ``x``, evaluate ``f`` at float64 copies of the points
            when ``f`` returns float64 for float64 input (default True). The claimed gradient
            is still evaluated at ``x`` in its own dtype. The differences are then limited by
            float64 rounding, not float32, so an error as small as one wrong entry among
            100 000 is still seen; the report's note says ``f evaluated in float64``. Set it to
            False to measure ``f`` in x's own dtype only.

    Returns:
        CheckReport, truthy exactly when the claimed gradient is right. Cost: at most 16
        evaluations of ``f`` (exactly 16 with the default 3 directions) and one call of ``grad_f``;
        only a wrong gradient of an input with at most 100 entries costs more (``4 n`` more
        evaluations, to locate the wrong entries), and a float32 ``grad_f`` that misses by no
        more than its own rounding could explain gets one more call, in float64.

    Raises:
        TypeError: if ``f`` is not callable, or ``x`` or the gradient is not real.
        ValueError: if the gradient's shape differs from x's, ``f`` is not scalar-valued, or
            ``f(x)`` is not finite.

    Example:
        >>> A = np.array([[1.0, 2.0], [0.0, 3.0]])
        >>> check_grad(lambda x: x @ A @ x, lambda x: (A + A.T) @ x, np.array([1.0, -2.0]))
        gradient OK: relative error ... <= tolerance ... (3 random directions, 16 evaluations of f)
    """
    _check_options(directions, rtol, step, safety, promote)
    if not callable(f):
        raise TypeError(f"f must be a callable, got {type(f).__name__}")
    x, x_eval, ev, f0 = _start(f, x, scalar=True, promote=promote)
    g = _claimed_array(grad_f, x, x.shape, "grad_f",
                       f"the gradient of f at x of shape {_shape_str(x.shape)}")
    G = g.astype(np.float64).reshape(1, -1)
    eng = DirectionalEngine(ev, f0, G, _claimed_eps(g), x_eval, kind="gradient", order=1, seed=seed,
                  directions=directions, rtol=rtol, step=step, safety=safety)
    return _run(eng, g, diagnose=diagnose, terms=terms, layout="gradient", x_dtype=x.dtype,
                claimed_fn=grad_f)


def check_jacobian(f: Callable, jac_f: Any, x: Any, *, seed: Any = 0, directions: int = 3,
                   rtol: float | None = None, step: float | None = None,
                   safety: float = _SAFETY, diagnose: bool = True,
                   terms: Any = None, promote: bool = True) -> CheckReport:
    """Check a claimed Jacobian by comparing ``J u`` with directional differences of ``f``.

    Each output entry is compared separately, with its own derived tolerance, so an error in one
    component of a large output is not hidden by the others.

    Args:
        f: function of an array shaped like ``x``, returning an array (or a number).
        jac_f: the claimed Jacobian, callable or array, of shape ``f(x).shape + x.shape``
            (numerator layout, as autograd's ``jacobian``).
        x: the point (any shape).
        seed, directions, rtol, step, safety, diagnose, terms, promote: as in
            :func:`check_grad`.

    Returns:
        CheckReport, truthy exactly when the claimed Jacobian is right; at most 16 evaluations
        of ``f`` and one call of ``jac_f`` (more only to locate wrong entries of a small one).

    Raises:
        TypeError: if ``f`` is not callable or inputs are not real.
        ValueError: if the claimed Jacobian's shape is not ``f(x).shape + x.shape``.
    """
    _check_options(directions, rtol, step, safety, promote)
    if not callable(f):
        raise TypeError(f"f must be a callable, got {type(f).__name__}")
    x, x_eval, ev, f0 = _start(f, x, scalar=False, promote=promote)
    out_shape = ev.out_shape
    J = _claimed_array(jac_f, x, out_shape + x.shape, "jac_f",
                       f"the Jacobian (f(x).shape + x.shape = {_shape_str(out_shape)} + "
                       f"{_shape_str(x.shape)})")
    G = J.astype(np.float64).reshape(f0.size, x.size)
    eng = DirectionalEngine(ev, f0, G, _claimed_eps(J), x_eval, kind="jacobian", order=1, seed=seed,
                  directions=directions, rtol=rtol, step=step, safety=safety)
    return _run(eng, J, diagnose=diagnose, terms=terms, layout="jacobian", x_dtype=x.dtype,
                claimed_fn=jac_f)


def check_hessian(f: Callable, hess_f: Any, x: Any, *, grad_f: Callable | None = None,
                  seed: Any = 0, directions: int = 3, rtol: float | None = None,
                  step: float | None = None, safety: float = _SAFETY, diagnose: bool = True,
                  terms: Any = None, promote: bool = True) -> CheckReport:
    """Check a claimed Hessian of a scalar function.

    Without ``grad_f``: along each random direction ``u`` the second directional derivative
    ``uᵀ H u`` is measured by a Richardson-extrapolated second difference of ``f`` (points
    ``x ± h u`` and ``x ± (h/2) u``, ``h = eps**(1/6)``) and compared with ``uᵀ H_claimed u``
    (16 evaluations). Second differences only see the symmetric part of a matrix, so the
    claimed Hessian is also tested for symmetry (free); a non-symmetric claim is wrong, because
    the Hessian of a twice continuously differentiable function is symmetric.

    With ``grad_f`` (a gradient you trust, e.g. autograd's or one that passed
    :func:`check_grad`): compares ``H u`` with directional differences of ``grad_f``, i.e. runs
    ``check_jacobian(grad_f, hess_f, x)``. This is more accurate and sees every error directly;
    ``n_evals`` then counts calls of ``grad_f``.

    Args:
        f: scalar function of an array shaped like ``x``.
        hess_f: claimed Hessian, callable or array of shape ``x.shape + x.shape``.
        x: the point (any shape).
        grad_f: optional gradient of ``f``, used as described above.
        seed, directions, rtol, step, safety, diagnose, terms, promote: as in
            :func:`check_grad`.

    Returns:
        CheckReport, truthy exactly when the claimed Hessian is right.

    Raises:
        ValueError: if the claimed Hessian's shape is not ``x.shape + x.shape`` or ``f`` is not
            scalar-valued.
    """
    _check_options(directions, rtol, step, safety, promote)
    if not callable(f):
        raise TypeError(f"f must be a callable, got {type(f).__name__}")
    if grad_f is not None and not callable(grad_f):
        raise TypeError("grad_f must be a callable (the gradient of f) or None")
    if grad_f is not None:
        # f itself is not needed: the Hessian is the Jacobian of the gradient
        xa = _as_real_input(x)
        Hc = _claimed_array(hess_f, xa, xa.shape + xa.shape, "hess_f",
                            f"the Hessian (x.shape + x.shape = "
                            f"{_shape_str(xa.shape + xa.shape)})")
        rep = check_jacobian(grad_f, Hc, xa, seed=seed, directions=directions, rtol=rtol,
                             step=step, safety=safety, diagnose=diagnose, terms=terms,
                             promote=promote)
        rep.kind = "hessian"
        note = "compared with differences of grad_f: evaluations are of grad_f"
        rep.note = note + (f"; {rep.note}" if rep.note else "")
        return rep
    x, x_eval, ev, f0 = _start(f, x, scalar=True, promote=promote)
    Hc = _claimed_array(hess_f, x, x.shape + x.shape, "hess_f",
                        f"the Hessian (x.shape + x.shape = {_shape_str(x.shape + x.shape)})")
    H = Hc.astype(np.float64).reshape(x.size, x.size)
    eps_h = _claimed_eps(Hc)
    eng = DirectionalEngine(ev, f0, H, eps_h, x_eval, kind="hessian", order=2, seed=seed,
                  directions=directions, rtol=rtol, step=step, safety=safety)
    rep = _run(eng, Hc, diagnose=diagnose, terms=terms, layout="hessian", x_dtype=x.dtype)
    # a Hessian is symmetric: second differences cannot see the antisymmetric part, test it
    if np.all(np.isfinite(H)) and rep.verdict in ("OK", "WRONG"):
        big = float(np.max(np.abs(H))) if H.size else 0.0
        asym = float(np.max(np.abs(H - H.T))) if H.size else 0.0
        if asym > 4 * safety * eps_h * big:
            sym_ok = rep.ok
            rep.ok, rep.verdict = False, "WRONG"
            rep.error = max(rep.error, asym / big)
            pairs = np.argwhere(np.triu(np.abs(H - H.T) > 4 * safety * eps_h * big))
            if len(pairs) <= 3:
                # a few entries differ from their mirror: one of each pair is wrong (its
                # symmetric part is then off by half that, too little for the readings to see)
                full = x.shape + x.shape
                named = "; ".join(
                    f"{_index_str(np.unravel_index(i * x.size + j, full))} and "
                    f"{_index_str(np.unravel_index(j * x.size + i, full))}" for i, j in pairs)
                rest = "" if sym_ok or not rep.diagnosis else f"; {rep.diagnosis}"
                rep.diagnosis = (f"not symmetric (a Hessian is symmetric): entries {named} "
                                 f"differ, so one of each pair is wrong{rest}")
            elif sym_ok:
                rep.diagnosis = ("not symmetric (a Hessian is symmetric); its symmetric part "
                                 "(H + Hᵀ)/2 passes the check")
            else:
                rep.diagnosis = "not symmetric" + (f"; {rep.diagnosis}" if rep.diagnosis else "")
    return rep
