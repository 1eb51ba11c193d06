"""Numerical derivatives and derivative checkers.

Two kinds of tools live here.

* ``numerical_grad``, ``numerical_jacobian`` and ``numerical_hessian`` build a whole derivative by
  finite differences, one coordinate at a time (cost grows with the size of ``x``). Shapes follow
  autograd: ``numerical_jacobian(f, x).shape == f(x).shape + x.shape``.
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

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

__all__ = [
    "CheckReport",
    "check_grad",
    "check_hessian",
    "check_jacobian",
    "numerical_grad",
    "numerical_hessian",
    "numerical_jacobian",
]

_SAFETY = 5.0           # safety factor on every derived tolerance
_NOISE_GAMMA = 4.0      # a single empirical noise sample is multiplied by this
_MAX_EVALS = 16         # evaluation budget of one check (f or grad_f calls)
_LOCATE_MAX = 100       # diagnosis locates wrong entries only for inputs up to this size
# A reading may say OK only if it could have seen an error this large (relative to the
# directional derivative): a small-step fallback whose tolerance is wider than this cannot tell the
# claimed derivative from one 10 % off (or from its negative), and its verdict is INCONCLUSIVE.
_INFORMATIVE = 0.09     # a claim 10 % too large is 0.1/1.1 = 0.091 off on this relative scale
# The claimed derivative was computed in its own dtype by a formula that may cancel (1 - tanh²,
# Ax - r x): its entries can be off by more than eps each. Errors of up to _CLAIM_KAPPA * eps
# per entry (at most 1e-3), independent between entries, add up like a random walk along a
# direction.
_CLAIM_KAPPA = 100.0


def _claim_slack(eps_g: float) -> float:
    """Extra relative error allowed per entry of a claim: 100 eps, but at most 1e-3 (float16's
    eps is 1e-3 already: 100 of them would let a factor 1.1 pass)."""
    return min(_CLAIM_KAPPA * eps_g, 1e-3)


# --------------------------------------------------------------------------------------------
# input handling
# --------------------------------------------------------------------------------------------

def _shape_str(shape: tuple[int, ...]) -> str:
    return str(tuple(int(s) for s in shape))


def _as_real_input(x: Any, name: str = "x") -> np.ndarray:
    """Return a private floating copy of ``x`` (integers become float64)."""
    if callable(x):
        raise TypeError(f"{name} must be an array or a number, not a function")
    try:
        arr = np.array(x, copy=True)
    except Exception as exc:  # pragma: no cover - exotic inputs
        raise TypeError(f"{name} must be array-like of real numbers: {exc}") from None
    if arr.dtype == object:
        raise TypeError(f"{name} must be an array of real numbers, got an object array")
    if arr.dtype.kind == "b":
        raise TypeError(f"{name} must hold real numbers, not booleans")
    if arr.dtype.kind == "c":
        raise TypeError(f"{name} must be real; got complex dtype {arr.dtype}")
    if arr.dtype.kind in "iu":
        arr = arr.astype(np.float64)
    elif arr.dtype.kind != "f":
        raise TypeError(f"{name} must hold real numbers, got dtype {arr.dtype}")
    if arr.dtype not in (np.float16, np.float32, np.float64):
        arr = arr.astype(np.float64)
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be finite (it contains NaN or inf)")
    return arr


def _eps(dtype: Any) -> float:
    dt = np.dtype(dtype)
    if dt.kind == "f":
        return float(np.finfo(dt).eps)
    return float(np.finfo(np.float64).eps)


def _scale(x: np.ndarray) -> float:
    """Root mean square of x, or 1 when x is 0 (the unit of the random directions)."""
    if x.size == 0:
        return 1.0
    s = float(np.sqrt(np.mean(np.square(x.astype(np.float64)))))
    return s if s > 0 and np.isfinite(s) else 1.0


def _to_output(value: Any, name: str) -> np.ndarray:
    """Convert a function's output to a float64 array, rejecting non-numeric results."""
    try:
        arr = np.asarray(value)
    except Exception as exc:  # pragma: no cover
        raise TypeError(f"{name} must return numbers: {exc}") from None
    if arr.dtype == object:
        try:
            arr = arr.astype(np.float64)
        except Exception:
            raise TypeError(f"{name} must return numbers, got {type(value).__name__}") from None
    if arr.dtype.kind == "c":
        raise TypeError(f"{name} returned complex values; the checkers are for real functions")
    if arr.dtype.kind not in "fiub":
        raise TypeError(f"{name} must return numbers, got dtype {arr.dtype}")
    return arr


class _Counter:
    """Calls f on private copies and counts evaluations."""

    def __init__(self, f: Callable, dtype: Any, name: str, scalar: bool):
        if not callable(f):
            raise TypeError(f"{name} must be a callable, got {type(f).__name__}")
        self.f = f
        self.dtype = np.dtype(dtype)
        self.name = name
        self.scalar = scalar
        self.count = 0
        self.out_shape: tuple[int, ...] | None = None
        self.out_eps = 0.0

    def __call__(self, p: np.ndarray, fresh: bool = False) -> np.ndarray:
        """f(p); ``fresh``: p is a new array of the right dtype that no one reads afterwards,
        so f may have it (and change it) without a protective copy."""
        self.count += 1
        if not (fresh and p.dtype == self.dtype):
            p = np.array(p, dtype=self.dtype, copy=True)
        out = _to_output(self.f(p), self.name)
        if self.out_shape is None:
            if self.scalar and out.size != 1:
                raise ValueError(
                    f"{self.name} must return a scalar, got an array of shape "
                    f"{_shape_str(out.shape)}; use check_jacobian for vector-valued functions"
                )
            self.out_shape = () if self.scalar else out.shape
            self.out_eps = _eps(out.dtype) if out.dtype.kind == "f" else 0.0
        elif self.scalar:
            if out.size != 1:
                raise ValueError(f"{self.name} must return a scalar at every point")
        elif out.shape != self.out_shape:
            raise ValueError(
                f"{self.name} returned shape {_shape_str(out.shape)} here but "
                f"{_shape_str(self.out_shape)} at x"
            )
        return out.astype(np.float64).reshape(-1)


def _claimed_array(claimed: Any, x: np.ndarray, expected: tuple[int, ...], name: str,
                   what: str) -> np.ndarray:
    """Evaluate (if callable) and validate a claimed derivative; return it unchanged in dtype."""
    if callable(claimed):
        value = claimed(np.array(x, copy=True))
    else:
        value = claimed
    arr = _to_output(value, name)
    if arr.dtype.kind == "b":
        raise TypeError(f"{name} must give numbers, not booleans")
    if arr.shape != tuple(expected):
        hint = ""
        if arr.size == int(np.prod(expected, dtype=np.int64)):
            if len(expected) == 2 and arr.shape == expected[::-1]:
                hint = " (it has the transposed shape: did you return the transpose?)"
            else:
                hint = " (same number of entries: reshape it to the expected shape)"
        raise ValueError(
            f"{name} has shape {_shape_str(arr.shape)} but {what} must have shape "
            f"{_shape_str(expected)}{hint}"
        )
    return arr


# --------------------------------------------------------------------------------------------
# the report
# --------------------------------------------------------------------------------------------

@dataclass(repr=False, eq=False)
class CheckReport:
    """Verdict of a derivative check.

    The report is truthy exactly when the claimed derivative is right, so ``assert
    check_grad(f, g, x)`` and ``if not check_grad(...)`` read naturally.

    Attributes:
        ok: True when the claimed derivative agrees with ``f`` along every direction.
        verdict: ``"OK"``, ``"WRONG"``, ``"INCONCLUSIVE"``, ``"NOT DIFFERENTIABLE"`` or
            ``"NOT CHECKED"``. INCONCLUSIVE (falsy, like every verdict but OK) means the
            readings that could decide were too noisy to tell the claim from one 10 % off: f
            rounds too coarsely at this point (typically f computed in float32). The note says
            what to do: evaluate f in float64, or check at another point.
        kind: ``"gradient"``, ``"jacobian"`` or ``"hessian"``.
        diagnosis: None, or a short phrase: ``"scaled by 2"``, ``"sign flipped"``,
            ``"transpose of the correct derivative"``, ``"wrong at entries 3, 7"``,
            ``"not differentiable here"``, ...
        error: relative error of the worst direction (mismatch divided by the largest directional
            derivative seen).
        tolerance: the derived tolerance of that direction, on the same relative scale; the check
            passes when ``error <= tolerance`` in every direction.
        n_evals: evaluations of ``f`` (of ``grad_f`` for a Hessian check with ``grad_f``),
            including any made to diagnose a wrong answer.
        n_directions: number of random directions used.
        dtype: the floating dtype ``x`` was evaluated in.
        details: per-direction numbers (claimed and numerical directional derivatives,
            tolerances) for the curious.
    """

    ok: bool
    verdict: str
    kind: str
    diagnosis: str | None
    error: float
    tolerance: float
    n_evals: int
    n_directions: int
    dtype: str
    note: str = ""
    details: dict = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.ok)

    def _numbers(self) -> str:
        d = self.n_directions
        where = f"{d} random direction{'s' if d != 1 else ''}, {self.n_evals} evaluations of f"
        if self.note:
            where += f"; {self.note}"
        return where

    def __repr__(self) -> str:
        if self.verdict == "NOT DIFFERENTIABLE":
            return f"{self.kind} NOT DIFFERENTIABLE here ({self._numbers()})"
        if self.verdict == "NOT CHECKED":
            return f"{self.kind} NOT CHECKED: {self.diagnosis} ({self._numbers()})"
        if self.verdict == "INCONCLUSIVE":
            return f"{self.kind} INCONCLUSIVE: {self.diagnosis} ({self._numbers()})"
        head = f"{self.kind} {self.verdict}"
        if self.diagnosis:
            head += f" ({self.diagnosis})"
        rel = "<=" if self.ok else ">"
        return (f"{head}: relative error {self.error:.1e} {rel} tolerance {self.tolerance:.1e} "
                f"({self._numbers()})")

    __str__ = __repr__

    def _repr_pretty_(self, p: Any, cycle: bool) -> None:  # IPython display: one line
        p.text(repr(self))

    def assert_ok(self) -> CheckReport:
        """Raise AssertionError with the one-line verdict unless the derivative is right.

        Returns:
            The report itself, so calls can be chained.
        """
        if not self.ok:
            raise AssertionError(repr(self))
        return self


# --------------------------------------------------------------------------------------------
# numerical derivatives (whole arrays; cost grows with x.size)
# --------------------------------------------------------------------------------------------

def _fd_weights(ts: np.ndarray, order: int) -> np.ndarray:
    """Weights w (batched over rows of ts) with sum_j w_j p(t_j) = p^(order)(0) for quartics."""
    k = ts.shape[-1]
    powers = np.arange(k)
    V = ts[..., None, :] ** powers[:, None]          # (..., k, k): V[i, j] = t_j ** i
    rhs = np.zeros(ts.shape[:-1] + (k,))
    rhs[..., order] = math.factorial(order)
    return np.linalg.solve(V, rhs[..., None])[..., 0]


def _coordinate_points(x64: np.ndarray, dtype: np.dtype, i: int, h_i: float):
    """Points x + t e_i for t in (0, +h, -h, +h/2, -h/2), and the displacements actually taken."""
    xi = x64.flat[i]
    targets = np.array([xi + h_i, xi - h_i, xi + h_i / 2, xi - h_i / 2])
    actual = targets.astype(dtype).astype(np.float64)
    return actual, actual - xi


def numerical_jacobian(f: Callable, x: Any, *, step: float | None = None) -> np.ndarray:
    """Jacobian of ``f`` at ``x`` by central differences with Richardson extrapolation.

    For every entry ``x_i``, ``f`` is evaluated at ``x ± h_i e_i`` and ``x ± (h_i/2) e_i`` with
    ``h_i = step * max(|x_i|, rms(x))`` and ``step = eps**(1/5)`` by default; the derivative is
    the slope at 0 of the quartic through these points and ``f(x)`` (the five-point stencil, error
    ``O(h⁴)``), computed with the displacements actually taken after rounding. Cost: ``4 x.size +
    1`` evaluations of ``f``.

    Args:
        f: function of an array shaped like ``x``, returning a number or an array.
        x: the point (any shape; integers are converted to float64).
        step: relative step; default ``eps**(1/5)`` of x's dtype.

    Returns:
        float64 array of shape ``f(x).shape + x.shape`` (autograd's ``jacobian`` convention).

    Raises:
        TypeError: if ``f`` is not callable or ``x`` is not real.
        ValueError: if ``f`` is not finite near ``x``.
    """
    x = _as_real_input(x)
    dtype = x.dtype
    ev = _Counter(f, dtype, "f", scalar=False)
    f0 = ev(x)
    if not np.all(np.isfinite(f0)):
        raise ValueError("f(x) is not finite")
    out_shape = ev.out_shape
    x64 = x.astype(np.float64)
    h = _eps(dtype) ** 0.2 if step is None else float(step)
    s = _scale(x)
    J = np.empty((f0.size, x.size))
    for i in range(x.size):
        h_i = h * max(abs(x64.flat[i]), s)
        for _ in range(4):
            vals, ts = _coordinate_points(x64, dtype, i, h_i)
            if np.any(ts == 0):
                h_i *= 4.0
                continue
            fs = []
            for v in vals:
                p = x64.copy()
                p.flat[i] = v
                fs.append(ev(p))
            F = np.stack([f0] + fs)               # (5, m)
            if np.all(np.isfinite(F)):
                w = _fd_weights(np.concatenate([[0.0], ts]), 1)
                J[:, i] = w @ F
                break
            h_i /= 16.0
        else:
            raise ValueError(f"f is not finite near x (entry {np.unravel_index(i, x.shape)})")
    return J.reshape(out_shape + x.shape)


def numerical_grad(f: Callable, x: Any, *, step: float | None = None) -> np.ndarray:
    """Gradient of a scalar function ``f`` at ``x`` by central differences (Richardson).

    See :func:`numerical_jacobian` for the method; cost ``4 x.size + 1`` evaluations.

    Args:
        f: scalar function of an array shaped like ``x``.
        x: the point (any shape).
        step: relative step; default ``eps**(1/5)``.

    Returns:
        float64 array with the shape of ``x``.

    Raises:
        ValueError: if ``f`` does not return a scalar.
    """
    x = _as_real_input(x)
    ev = _Counter(f, x.dtype, "f", scalar=True)
    ev(x)  # validates that f is scalar (shape message)
    J = numerical_jacobian(lambda z: np.reshape(np.asarray(f(z)), ()), x, step=step)
    return J.reshape(x.shape)


def numerical_hessian(f: Callable, x: Any, *, step: float | None = None) -> np.ndarray:
    """Hessian of a scalar function ``f`` at ``x`` by second differences (Richardson).

    Diagonal entries use the five-point second-derivative stencil along ``e_i``; off-diagonal
    entries the four-point mixed difference
    ``[f(+,+) − f(+,−) − f(−,+) + f(−,−)] / (Δ_i Δ_j)`` at steps ``h`` and ``h/2``, extrapolated
    with ``(4 D(h/2) − D(h)) / 3``. Default relative step ``eps**(1/6)``. Cost about
    ``4 n²`` evaluations for ``n = x.size``, so keep ``x`` small (a few hundred entries at most).

    Args:
        f: scalar function of an array shaped like ``x``.
        x: the point (any shape).
        step: relative step; default ``eps**(1/6)``.

    Returns:
        float64 symmetric array of shape ``x.shape + x.shape``.

    Raises:
        ValueError: if ``f`` does not return a scalar or is not finite near ``x``.
    """
    x = _as_real_input(x)
    dtype = x.dtype
    ev = _Counter(f, dtype, "f", scalar=True)
    f0 = ev(x)[0]
    if not np.isfinite(f0):
        raise ValueError("f(x) is not finite")
    n = x.size
    x64 = x.astype(np.float64).reshape(-1)
    h = _eps(dtype) ** (1.0 / 6.0) if step is None else float(step)
    s = _scale(x)
    hs = h * np.maximum(np.abs(x64), s)
    H = np.empty((n, n))

    def at(p: np.ndarray) -> float:
        return ev(p.reshape(x.shape))[0]

    # actual displacements per coordinate for +h, -h, +h/2, -h/2
    targ = np.stack([x64 + hs, x64 - hs, x64 + hs / 2, x64 - hs / 2])
    pts = targ.astype(dtype).astype(np.float64)
    disp = pts - x64
    fdiag = np.empty((4, n))
    for i in range(n):
        for k in range(4):
            p = x64.copy()
            p[i] = pts[k, i]
            fdiag[k, i] = at(p)
        w = _fd_weights(np.concatenate([[0.0], disp[:, i]]), 2)
        H[i, i] = w @ np.concatenate([[f0], fdiag[:, i]])
    for i in range(n):
        for j in range(i + 1, n):
            D = []
            for a, b in ((0, 1), (2, 3)):     # (+h, -h) and (+h/2, -h/2)
                vals = {}
                for si, ki in (("+", a), ("-", b)):
                    for sj, kj in (("+", a), ("-", b)):
                        p = x64.copy()
                        p[i] = pts[ki, i]
                        p[j] = pts[kj, j]
                        vals[si + sj] = at(p)
                den = (disp[a, i] - disp[b, i]) * (disp[a, j] - disp[b, j])
                D.append((vals["++"] - vals["+-"] - vals["-+"] + vals["--"]) / den)
            H[i, j] = H[j, i] = (4.0 * D[1] - D[0]) / 3.0
    if not np.all(np.isfinite(H)):
        raise ValueError("f is not finite near x")
    return H.reshape(x.shape + x.shape)


# --------------------------------------------------------------------------------------------
# the directional engine
# --------------------------------------------------------------------------------------------

def _directions(x: np.ndarray, k: int, seed: Any) -> list[np.ndarray]:
    """k random directions (float64, flattened) with i.i.d. normal entries times rms(x).

    For a square matrix-shaped x the second direction is the transpose of the first: both are
    still random, and together they let the diagnosis recognise a transposed or symmetrised
    derivative without extra evaluations.
    """
    rng = np.random.default_rng(seed)
    s = _scale(x)
    dirs = [rng.standard_normal(x.size) * s for _ in range(k)]
    if x.ndim == 2 and x.shape[0] == x.shape[1] and x.shape[0] > 1 and k >= 2:
        dirs[1] = dirs[0].reshape(x.shape).T.reshape(-1).copy()
    return dirs


@dataclass
class _Probe:
    """Numbers measured along one direction (arrays over the m outputs)."""

    u: np.ndarray            # direction (flattened, float64)
    d: np.ndarray            # claimed directional derivative (G u, or uᵀ H u)
    n: np.ndarray            # numerical directional derivative
    tol: np.ndarray          # derived tolerance for |n - d|
    # the tolerance if f is only once differentiable at x (order 1): a jump of f'' at x puts a
    # t|t| term into the odd part of f, which the Richardson step does not remove
    tol_c1: np.ndarray | None = None


def _points(x64: np.ndarray, dtype: np.dtype, u: np.ndarray, t: float):
    """The point x + t u rounded to dtype, and the displacement actually taken (float64)."""
    p = x64 + t * u
    if p.dtype != dtype:
        p = p.astype(dtype)
        return p, p.astype(np.float64) - x64
    return p, p - x64


def _ratio(p: _Probe, loose: bool = False) -> float:
    diff = np.abs(p.n - p.d)
    tol = p.tol_c1 if (loose and p.tol_c1 is not None) else p.tol
    with np.errstate(divide="ignore", invalid="ignore"):
        r = np.where(tol > 0, diff / np.where(tol > 0, tol, 1.0),
                     np.where(diff > 0, np.inf, 0.0))
    return float(np.max(r)) if r.size else 0.0


class _Engine:
    """Directional checks of a claimed first derivative (order 1) or Hessian (order 2).

    Order 1: the claimed linear map is the (m, n) matrix G; compares G u with differences of f.
    Order 2: G is the claimed (n, n) Hessian of a scalar f; compares uᵀ G u with second
    differences of f.
    """

    def __init__(self, ev: _Counter, f0: np.ndarray, G: np.ndarray, eps_g: float,
                 x: np.ndarray, *, kind: str, order: int, seed: Any, directions: int,
                 rtol: float | None, step: float | None, safety: float):
        self.ev, self.f0, self.G, self.kind, self.order = ev, f0, G, kind, order
        self.absG = np.abs(G)
        self.G2 = G * G
        self.eps_g = eps_g
        self.x = x
        self.dtype = x.dtype
        self.x64 = x.astype(np.float64).reshape(-1)
        self.seed, self.k, self.rtol, self.safety = seed, int(directions), rtol, float(safety)
        e = _eps(x.dtype)
        default = e ** 0.2 if order == 1 else e ** (1.0 / 6.0)
        self.h = default if step is None else float(step)
        self.hp = max(self.h / 1024.0, math.sqrt(e))
        if self.hp >= self.h / 8:
            self.hp = self.h / 64.0
        # eps_f: relative rounding error of f's values (the dtype f is evaluated in and the
        # dtype it returns); eps also covers the claimed derivative's rounding
        self.eps_f = max(e, ev.out_eps)
        self.eps = max(self.eps_f, eps_g)
        self.probes: list[_Probe] = []
        self.small: _Probe | None = None
        self.small_c1: _Probe | None = None
        self.cond = np.zeros(1)
        self.ambiguous = False
        self.noise_factor = np.ones(1)

    def f_at(self, p: np.ndarray) -> np.ndarray:
        # every caller passes a point it has just made and does not read again
        return self.ev(np.reshape(p, self.x.shape), fresh=True)

    @staticmethod
    def _apply(M: np.ndarray, v: np.ndarray) -> np.ndarray:
        # einsum, not BLAS gemv/dot: single-threaded and much faster when BLAS threads contend
        # for a busy CPU; the products are small next to the evaluations of f
        return np.einsum("ij,j->i", M, v)

    def _model(self, disp: np.ndarray) -> np.ndarray:
        if self.order == 1:
            return self._apply(self.G, disp)
        return np.atleast_1d(0.5 * np.dot(disp, self._apply(self.G, disp)))

    # ------------------------------------------------------------------
    def run(self) -> CheckReport:
        x64, S, f0 = self.x64, self.safety, self.f0
        eps = self.eps
        floor = float(np.max(np.abs(f0))) if f0.size > 1 else 0.0
        # rounding the inputs alone moves f by about eps * sum_j |df/dx_j| |x_j| (the condition
        # of f at x): no implementation of f is more accurate than that, however small |f| is
        # (f a cancellation of large terms). Measured with the claimed derivative, per output.
        if self.order == 1:
            cond = self._apply(self.absG, np.abs(x64))
        else:
            cond = np.zeros(1)
        self.cond = cond
        for idx, u in enumerate(_directions(self.x, self.k, self.seed)):
            if idx > 0 and self.ev.count + 4 > _MAX_EVALS:
                self.k = idx          # a kink test that needed confirming used the budget
                break
            h = self.h
            if self.order == 2:
                # snap the direction so that x + h u is representable: x ± h u nearly exact
                u = _points(x64, self.dtype, u, h)[1] / h
                if not np.any(u):
                    return self._not_checked("the step is below the resolution of x's dtype")
            for _attempt in range(3):
                fv, rho = [], []
                for t in (h, -h, h / 2, -h / 2):
                    p, disp = _points(x64, self.dtype, u, t)
                    val = self.f_at(p)
                    fv.append(val)
                    rho.append(val - f0 - self._model(disp))
                if all(np.all(np.isfinite(v)) for v in fv):
                    break
                if self.ev.count + 4 + (3 if idx == 0 else 0) > _MAX_EVALS - 4 * (
                        self.k - idx - 1):
                    break
                h /= 16.0
            if not all(np.all(np.isfinite(v)) for v in fv):
                return self._not_checked(
                    "f is not finite near x (is x at the edge of f's domain?)")
            F = np.maximum.reduce([np.abs(f0)] + [np.abs(v) for v in fv])
            # rounding noise of f: eps * |f| (for vector outputs at least eps * max|f|: the
            # noise of a small entry comes from intermediates as large as the others)
            sig_th = self.eps_f * np.maximum(np.maximum(F, floor), cond)
            # raw odd and even parts of f along u
            O1f, O2f = (fv[0] - fv[1]) / 2, (fv[2] - fv[3]) / 2
            E1, E2 = (fv[0] + fv[1]) / 2 - f0, (fv[2] + fv[3]) / 2 - f0
            a1 = (8 * O2f - O1f) / (3 * h)                    # first directional derivative
            a3h3 = (4.0 / 3.0) * (O1f - 2 * O2f)              # cubic term a3 h^3
            c_big = (4 * E2 - E1) / h                         # kink strength seen at h
            if self.order == 1:
                O1, O2 = (rho[0] - rho[1]) / 2, (rho[2] - rho[3]) / 2
                M = (8 * O2 - O1) / (3 * h)                   # numerical - claimed, along u
                d = self._apply(self.G, u)
                n = d + M
                trunc0 = np.abs(a3h3) / h                     # error of the plain central diff
                # (for a vector output, every row at least at the level of the largest row: a
                # small row is often a cancellation of large terms, as 1 - tanh² near ±1)
                walk = np.sqrt(self._apply(self.G2, u * u))
                claimed_round = (self.eps_g * self._apply(self.absG, np.abs(u))
                                 + _claim_slack(self.eps_g) * np.max(walk))
                noise_w = 3.0 / h                             # sum of |Richardson weights|
            else:
                Er1, Er2 = (rho[0] + rho[1]) / 2, (rho[2] + rho[3]) / 2
                M = np.atleast_1d(2 * (16 * Er2 - Er1) / (3 * h * h))
                d = np.atleast_1d(np.dot(u, self._apply(self.G, u)))
                n = d + M
                trunc0 = np.abs(2 * (4.0 / 3.0) * (Er1 - 4 * Er2)) / (h * h)
                claimed_round = np.atleast_1d(
                    self.eps_g * np.dot(np.abs(u), self._apply(self.absG, np.abs(u)))
                    + _claim_slack(self.eps_g)
                    * np.sqrt(np.dot(u * u, self._apply(self.G2, u * u))))
                noise_w = 68.0 / (3.0 * h * h)
            if idx == 0:
                if self.order == 1:
                    self._odd = (O1, O2)
                out = self._small_step_probe(u, h, f0, a1, a3h3, c_big, E1, E2, M, d, n,
                                             sig_th, trunc0, claimed_round)
                if isinstance(out, CheckReport):
                    return out
                # f may be noisier than eps*|f| (cancellation inside f): measured noise over
                # eps*|f| per output entry. One sample per entry can be small by chance, so for
                # vector outputs it is pooled: at least the 90th percentile over the entries
                nf = np.maximum(1.0, _NOISE_GAMMA * out / np.maximum(sig_th, 1e-300))
                pooled = np.max(nf) if nf.size < 10 else np.percentile(nf, 90)
                self.noise_factor = np.maximum(nf, pooled)
            sig = sig_th * self.noise_factor
            # not smooth at the scale of the step (kinks within h of x)? For a smooth f the
            # even part satisfies E(h) = 4 E(h/2) up to O(h^4): |4E2 - E1| / |E1| ~ h^2
            tau = min(0.25, 30.0 * h ** 2)
            if np.any(np.abs(4 * E2 - E1) > np.maximum(tau * np.abs(E1), 40 * sig)):
                self.ambiguous = True
            trunc = trunc0 * np.minimum(1.0, trunc0 / np.maximum(np.abs(n), 1e-300))
            tol = S * (noise_w * sig + trunc + claimed_round) + S * eps * (np.abs(n) + np.abs(d))
            if self.rtol is not None:
                tol = float(self.rtol) * np.maximum(np.abs(n), np.abs(d))
            # with two odd samples a t|t| term (bias up to trunc0 / 2) cannot be told from
            # the cubic one: a mismatch below this looser bound is only "marginal"
            tol_c1 = tol + S * trunc0 / 2 if (self.order == 1 and self.rtol is None) else tol
            self.probes.append(_Probe(u, d, n, tol, tol_c1))
        return self._verdict()

    def _small_step_probe(self, u, h, f0, a1, a3h3, c_big, E1, E2, M, d, n, sig_th, trunc0,
                          claimed_round):
        """Evaluate f at x ± h' u and x + 0.3 h u: noise, kink at x, a kink-free difference."""
        hp, S, x64 = self.hp, self.safety, self.x64
        t3 = 0.3 * h
        fps, rps = [], []
        for t in (hp, -hp, t3):
            p, disp = _points(x64, self.dtype, u, t)
            val = self.f_at(p)
            fps.append(val)
            rps.append(val - f0 - self._model(disp))
        if not all(np.all(np.isfinite(v)) for v in fps):
            return 0.0 * sig_th
        Op = (fps[0] - fps[1]) / 2
        Ep = (fps[0] + fps[1]) / 2 - f0
        a2h2 = (16 * E2 - E1) / 3.0                       # smooth model: a2 h^2
        a4h4 = (4.0 / 3.0) * (E1 - 4 * E2)                # and a4 h^4
        # what is left after the smooth model fitted at scale h is noise (or a kink at x)
        noise_odd = np.abs(Op - a1 * hp - a3h3 * (hp / h) ** 3)
        c_small = (Ep - a2h2 * (hp / h) ** 2) / hp        # kink strength seen at h'
        noise_lvl = np.maximum(sig_th, noise_odd)
        with np.errstate(invalid="ignore"):
            is_kink = ((np.abs(c_small) * hp > 16 * noise_lvl)
                       & (np.abs(c_small) >= 0.25 * np.abs(c_big))
                       & (np.abs(c_small) <= 4 * np.abs(c_big))
                       & (np.sign(c_small) == np.sign(c_big)))
        if np.any(is_kink):
            # confirm at a second, larger small step before calling it a kink: the even part of
            # f at a kink grows like |t| (the same strength c at every step), rounding noise that
            # happened to look like one does not
            hq = min(16 * hp, h / 4)
            fq = [self.f_at(_points(x64, self.dtype, u, t)[0]) for t in (hq, -hq)]
            if all(np.all(np.isfinite(v)) for v in fq):
                c_q = ((fq[0] + fq[1]) / 2 - f0 - a2h2 * (hq / h) ** 2) / hq
                with np.errstate(invalid="ignore", divide="ignore"):
                    agree = ((np.sign(c_q) == np.sign(c_small))
                             & (np.abs(c_q) >= 0.5 * np.abs(c_small))
                             & (np.abs(c_q) <= 2 * np.abs(c_small)))
                is_kink = is_kink & agree
        if np.any(is_kink):
            j = int(np.argmax(np.where(is_kink, np.abs(c_small), -1.0)))
            left = (f0[j] - fps[1][j]) / hp
            right = (fps[0][j] - f0[j]) / hp
            return self._report_kink(left, right)
        # three noise samples: what is left of f(x + t u) - f(x) after the smooth model, at
        # t = ±h' and at t = 0.3 h (the quartic through the five points at scale h). Rounding
        # errors at very close points can be correlated (their pattern has not changed yet),
        # so the sample at 0.3 h, between the points of scale h, is the one that sees the
        # noise those points carry; one sample alone can also be small by chance.
        if self.order == 1:
            series, lin = rps, M                          # f minus the claimed linear model
        else:
            series, lin = [v - f0 for v in fps], a1
        res = [np.abs(v - (lin * t + a2h2 * (t / h) ** 2 + a3h3 * (t / h) ** 3
                           + a4h4 * (t / h) ** 4))
               for v, t in zip(series, (hp, -hp, t3), strict=True)]
        noise = np.maximum.reduce(res)
        if self.order == 2:
            return noise
        eps = self.eps
        # two readings of the slope at h'. (B) the plain central difference: it sees nothing
        # of f farther than h' from x, so a kink between h' and h does not bias it.
        Mp = ((rps[0] - rps[1]) / 2) / hp
        # its noise is that of the points x ± h' u themselves: their even part Ep, which needs
        # no model fitted at the scale h (a kink between h' and h would spoil that model and
        # make the residuals above look like noise)
        lam = hp / h
        noise_B = np.abs(Ep - a2h2 * lam ** 2 - a4h4 * lam ** 4)
        if np.any(noise > 16 * np.maximum(sig_th, noise_B)):
            # what looked like noise at scale h is absent at h': f is not smooth within h
            self.ambiguous = True
        sig_B = np.maximum(sig_th, _NOISE_GAMMA * noise_B)
        tol_p = S * (sig_B / hp + trunc0 * (hp / h) ** 2 + claimed_round) \
            + S * eps * (np.abs(d + Mp) + np.abs(d))
        sig_p = np.maximum(sig_th, _NOISE_GAMMA * noise)
        trunc = trunc0 * np.minimum(1.0, trunc0 / np.maximum(np.abs(n), 1e-300))
        tol_R = S * (3 * sig_p / h + trunc + claimed_round)
        if np.any(np.abs(M - Mp) > tol_R + tol_p):
            # either f is noisier than measured or it has kinks between h' and h
            self.ambiguous = True
        # (C) the odd part of what is left after the claimed linear model fitted as
        # O(t) = M t + b t|t| + c t^3 through t = h, h/2 and h'. The t|t| term is there when f
        # is once but not twice differentiable at x (ELU with alpha = 1 at 0, x|x|, relu²): it
        # biases every central difference by about b h, at h' too. For a smooth f, b = 0 and
        # this is the central difference at h' with its cubic error removed.
        O1, O2 = self._odd
        V = np.array([[1.0, 1.0, 1.0], [0.5, 0.25, 0.125], [lam, lam ** 2, lam ** 3]])
        coef = np.linalg.solve(V, np.stack([O1, O2, (rps[0] - rps[1]) / 2]))
        w = np.linalg.solve(V.T, np.array([1.0, 0.0, 0.0]))  # M h = w . (O1, O2, O(h'))
        Mc = coef[0] / h
        # noise samples this model leaves: the even part at h' and the point at 0.3 h (the
        # t|t| term is not noise, so the smooth model's residuals would overstate it)
        s3 = t3 / h
        even_p = noise_B
        res3 = np.abs(rps[2] - (coef[0] * s3 + coef[1] * s3 ** 2 + coef[2] * s3 ** 3
                                + a2h2 * s3 ** 2 + a4h4 * s3 ** 4))
        sig_c = np.maximum(sig_th, _NOISE_GAMMA * np.maximum(even_p, res3))
        tol_c = S * (float(np.sum(np.abs(w))) * sig_c / h + trunc0 * (hp / h) ** 2
                     + claimed_round) + S * eps * (np.abs(d + Mc) + np.abs(d))
        if self.rtol is not None:
            tol_p = float(self.rtol) * np.maximum(np.abs(d + Mp), np.abs(d))
            tol_c = float(self.rtol) * np.maximum(np.abs(d + Mc), np.abs(d))
        self.small = _Probe(u, d, d + Mp, tol_p)
        self.small_c1 = _Probe(u, d, d + Mc, tol_c)
        return noise

    def _verdict(self) -> CheckReport:
        probes = self.probes
        wrong_A = any(_ratio(p) > 1 for p in probes)
        if (wrong_A and not self.ambiguous and self.small is not None
                and not any(_ratio(p, loose=True) > 1 for p in probes)):
            # every mismatch is within what a jump of f'' at x explains (f once but not twice
            # differentiable there: ELU at 0, x|x|): the small-step slope, fitted with a t|t|
            # term, decides
            if _ratio(self.small_c1) <= 1:
                if self._uninformative([self.small_c1]):
                    return self._inconclusive([self.small_c1])
                return self._report(True, [self.small_c1], "f may not be twice "
                                    "differentiable at x: judged at a smaller step")
        if self.ambiguous and self.order == 2 and wrong_A:
            return self._not_checked(
                "f is not smooth near x (kinks within the step), so its second derivative "
                "cannot be measured there")
        if self.ambiguous and self.small is not None:
            # two explanations: f noisier than eps*|f| (trust the step-h numbers with the
            # larger noise) or kinks near x (trust only the small-step difference). Call the
            # derivative wrong only if both explanations say so.
            # the small-step slope, read both ways (B: plain; C: with a t|t| term)
            small = min((self.small, self.small_c1), key=_ratio)
            wrong_B = _ratio(small) > 1
            note = "f is not smooth at the scale of the step: also judged at a smaller step"
            if wrong_A and wrong_B:
                self.probes = [small]
                return self._report(False, [small], note)
            if wrong_A:
                # the step-h readings say WRONG; only the small-step reading can overrule them,
                # and only if it could have seen an error of the size they saw
                if self._uninformative([small]):
                    return self._inconclusive([small])
                return self._report(True, [small], note)
            if self._uninformative(probes) and not wrong_B and not self._uninformative([small]):
                # kinks within the step blur the step-h readings; the small step is sharper
                return self._report(True, [small], note)
            return self._report(True, probes)
        return self._report(not wrong_A, probes)

    # ------------------------------------------------------------------
    def _rel(self, used: list[_Probe]) -> tuple[float, float]:
        worst = max(used, key=_ratio)
        ref = max(max(float(np.max(np.abs(q.n))), float(np.max(np.abs(q.d)))) for q in used)
        if ref == 0 or not np.isfinite(ref):
            ref = 1.0
        diff = np.abs(worst.n - worst.d)
        j = int(np.argmax(diff - worst.tol))
        return float(diff[j] / ref), float(worst.tol[j] / ref)

    def _report(self, ok: bool, used: list[_Probe], note: str = "") -> CheckReport:
        err, tol = self._rel(used)
        if ok and not tol <= _INFORMATIVE and (note or self._coarse()):
            return self._inconclusive(used, fallback=bool(note))
        return CheckReport(
            ok=bool(ok), verdict="OK" if ok else "WRONG", kind=self.kind, diagnosis=None,
            error=err, tolerance=tol, n_evals=self.ev.count, n_directions=self.k,
            dtype=str(self.dtype), note=note,
            details={"claimed": [p.d.copy() for p in self.probes],
                     "numerical": [p.n.copy() for p in self.probes],
                     "tolerance": [p.tol.copy() for p in self.probes],
                     "step": self.h})

    def _coarse(self) -> bool:
        """Whether f rounds coarsely: evaluated, or returning its values, below float64.

        Then a wide tolerance at step h is rounding, and an OK needs a tolerance narrow enough to
        see a 10 % error. (For f in float64 a wide tolerance at step h comes from the derivative
        itself being near zero, as x|x| at 0, where 10 % of it is below any resolution and the
        claim is judged on the absolute scale.)"""
        return self.eps_f > 1e3 * np.finfo(np.float64).eps

    def _uninformative(self, used: list[_Probe]) -> bool:
        """Whether the readings ``used`` are too noisy to tell a 10 % error from none."""
        err, tol = self._rel(used)
        return not tol <= _INFORMATIVE

    def _inconclusive(self, used: list[_Probe], fallback: bool = True) -> CheckReport:
        """Neither OK nor WRONG: the readings that could decide carry too little information.

        Args:
            used: the readings that would have decided.
            fallback: True when the step-h readings disagreed with the claim and ``used`` is
                the small-step reading that could have overruled them.
        """
        err, tol = self._rel(used)
        rep = self._report(False, used)   # ok=False: no second test of informativeness
        rep.verdict = "INCONCLUSIVE"
        if fallback:
            rep.diagnosis = (
                "f is too noisy at this point to tell: at the scale of the step it disagrees "
                "with the claim, and at a smaller step rounding hides an error of 10 % or more")
        else:
            rep.diagnosis = ("f is too noisy at this point to tell: its rounding hides an "
                             "error of 10 % or more in the claim")
        rep.note = (f"relative error {err:.1e}, but the tolerance is {tol:.1e}; evaluate f in "
                    "float64, or check at another point")
        return rep

    def _report_kink(self, left: float, right: float) -> CheckReport:
        return CheckReport(
            ok=False, verdict="NOT DIFFERENTIABLE", kind=self.kind,
            diagnosis="not differentiable here",
            note=(f"one-sided slopes along a random direction: {left:.3g} and {right:.3g}"),
            error=float("nan"), tolerance=float("nan"), n_evals=self.ev.count,
            n_directions=self.k, dtype=str(self.dtype),
            details={"one_sided_slopes": (float(left), float(right))})

    def _not_checked(self, why: str) -> CheckReport:
        return CheckReport(ok=False, verdict="NOT CHECKED", kind=self.kind, diagnosis=why,
                           error=float("nan"), tolerance=float("nan"), n_evals=self.ev.count,
                           n_directions=self.k, dtype=str(self.dtype))


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


def _claim_rounding_explains(engine: _Engine, claimed: np.ndarray, claimed_fn: Any):
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


def _run(engine: _Engine, claimed: np.ndarray, *, diagnose: bool, terms: Any,
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
        from .diagnose import _diagnose_probes

        rep.diagnosis = _diagnose_probes(engine, claimed, layout=layout, terms=terms,
                                         locate_max=_LOCATE_MAX)
        rep.n_evals = engine.ev.count
    return rep


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
    eng = _Engine(ev, f0, G, _claimed_eps(g), x_eval, kind="gradient", order=1, seed=seed,
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
    eng = _Engine(ev, f0, G, _claimed_eps(J), x_eval, kind="jacobian", order=1, seed=seed,
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
    eng = _Engine(ev, f0, H, eps_h, x_eval, kind="hessian", order=2, seed=seed,
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
            if sym_ok:
                rep.diagnosis = ("not symmetric (a Hessian is symmetric); its symmetric part "
                                 "(H + Hᵀ)/2 passes the check")
            else:
                rep.diagnosis = "not symmetric" + (f"; {rep.diagnosis}" if rep.diagnosis else "")
    return rep
