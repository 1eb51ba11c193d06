"""Validation of the linear models' arguments (private): arrays, shapes, labels, penalties."""

from __future__ import annotations

import numbers

import numpy as np
from autograd.tracer import Box, getval

# ---------------------------------------------------------------------------------------------
# private helpers: validation and stable elementwise functions
# ---------------------------------------------------------------------------------------------


def _as_float_array(a, name: str) -> np.ndarray:
    """Return ``a`` as a float ndarray (float32 and float64 kept, others -> float64)."""
    if isinstance(a, Box):
        raise TypeError(
            f"{name} cannot be differentiated here: autograd may differentiate only with "
            "respect to the weights w"
        )
    arr = np.asarray(a)
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"{name} must hold real numbers, got dtype {arr.dtype}")
    if arr.dtype not in (np.float32, np.float64):
        arr = arr.astype(np.float64)
    return arr


def _check_X(X, name: str = "X") -> np.ndarray:
    X = _as_float_array(X, name)
    if X.ndim != 2:
        raise ValueError(f"{name} must be a 2-D array of shape (n, d), got shape {X.shape}")
    return X


def _check_Xy(X, y, *, min_samples: int = 1) -> tuple[np.ndarray, np.ndarray]:
    X = _check_X(X)
    y = _as_float_array(y, "y")
    n = X.shape[0]
    if y.shape != (n,):
        raise ValueError(
            f"y must have shape (n,) = ({n},) to match X of shape {X.shape}, got shape {y.shape}"
        )
    if n < min_samples:
        raise ValueError(
            f"X must have at least {min_samples} row(s) (samples), got shape {X.shape}"
        )
    return X, y


def _check_binary(y) -> None:
    ok = (y == 0) | (y == 1) | np.isnan(y)
    if not np.all(ok):
        bad = np.unique(y[~ok])[:5]
        raise ValueError(f"y must hold labels in {{0, 1}}, got values such as {bad.tolist()}")


def _check_w(w, d: int, X_shape: tuple[int, ...]):
    """Validate the weights; keep autograd boxes untouched so autograd can differentiate."""
    if isinstance(w, Box):
        shape = np.shape(getval(w))
    else:
        w = _as_float_array(w, "w")
        shape = w.shape
    if shape != (d,):
        raise ValueError(
            f"w must have shape (d,) = ({d},) to match X of shape {X_shape}, got shape {shape}"
        )
    return w


def _check_lam(lam, name: str = "lam") -> float:
    val = getval(lam)
    if isinstance(val, np.ndarray) and val.ndim == 0:
        val = val[()]
    if not isinstance(val, numbers.Real) or isinstance(val, bool):
        raise ValueError(f"{name} must be a real scalar >= 0, got {val!r}")
    val = float(val)
    if not (np.isfinite(val) and val >= 0.0):
        raise ValueError(f"{name} must be a finite scalar >= 0, got {val!r}")
    return val


def _check_positive(value, name: str) -> float:
    val = getval(value)
    if isinstance(val, np.ndarray) and val.ndim == 0:
        val = val[()]
    if not isinstance(val, numbers.Real) or isinstance(val, bool):
        raise ValueError(f"{name} must be a real scalar > 0, got {val!r}")
    val = float(val)
    if not (np.isfinite(val) and val > 0.0):
        raise ValueError(f"{name} must be a finite scalar > 0, got {val!r}")
    return val


def _check_count(value, name: str, minimum: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}")
    value = int(value)
    if value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value}")
    return value
