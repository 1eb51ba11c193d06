"""Numerical derivatives, and the numerics the checker and the diagnosis share.

* ``numerical_grad``, ``numerical_jacobian`` and ``numerical_hessian`` build a whole derivative by
  finite differences, one coordinate at a time (cost grows with the size of ``x``). Shapes follow
  autograd: ``numerical_jacobian(f, x).shape == f(x).shape + x.shape``.
* The shared numerics of :mod:`mlcalc.checks` (the checkers), :mod:`mlcalc.check_engine` (their
  directional engine) and :mod:`mlcalc.diagnose` (naming a wrong derivative): the constants of
  the derived tolerances, machine epsilon and the unit of the random directions, validation of
  inputs and outputs, an evaluation counter, finite-difference weights.

This module imports nothing from the rest of ``mlcalc``: checking and diagnosis both import it,
and diagnosis never imports checking (see ``tests/test_checks_structure.py``).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

__all__ = ["numerical_grad", "numerical_hessian", "numerical_jacobian"]

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

