"""Validation of the likelihoods' arguments (private): data, scalar parameters, supports."""

from __future__ import annotations

import math

import numpy as np
from autograd.tracer import Box, getval

_LOG_2PI = math.log(2.0 * math.pi)

# ---------------------------------------------------------------------------------------------
# private validation helpers
# ---------------------------------------------------------------------------------------------


def _float_array(a, name: str) -> np.ndarray:
    if isinstance(a, Box):
        raise TypeError(
            f"{name} is data and cannot be differentiated here: autograd may differentiate "
            "only with respect to the parameters"
        )
    arr = np.asarray(a)
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"{name} must hold real numbers, got dtype {arr.dtype}")
    if arr.dtype not in (np.float32, np.float64):
        arr = arr.astype(np.float64)
    return arr


def _data(x, name: str = "x", *, nonempty: bool = False) -> np.ndarray:
    x = _float_array(x, name)
    if x.ndim != 1:
        raise ValueError(f"{name} must be a 1-D array of samples, shape (n,), got shape {x.shape}")
    if nonempty and x.shape[0] == 0:
        raise ValueError(f"{name} must contain at least one sample, got shape {x.shape}")
    return x


def _scalar(value, name: str, *, low=None, high=None, low_open=False, high_open=False):
    """Validate a scalar parameter; return (value for computation, its float value).

    An autograd box is returned unchanged so autograd can differentiate through it.
    """
    val = getval(value)
    arr = np.asarray(val)
    if arr.ndim != 0:
        raise ValueError(f"{name} must be a scalar, got shape {arr.shape}")
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"{name} must be a real number, got {val!r}")
    v = float(arr)
    ok = True
    if not np.isnan(v):
        if low is not None:
            ok = ok and (v > low if low_open else v >= low)
        if high is not None:
            ok = ok and (v < high if high_open else v <= high)
    if not ok:
        lo = "" if low is None else f"{'>' if low_open else '>='} {low:g}"
        hi = "" if high is None else f"{'<' if high_open else '<='} {high:g}"
        rng = " and ".join(s for s in (lo, hi) if s)
        raise ValueError(f"{name} must be {rng}, got {v!r}")
    return (value if isinstance(value, Box) else v), v


def _check_binary(x, name: str) -> None:
    ok = (x == 0) | (x == 1) | np.isnan(x)
    if not np.all(ok):
        raise ValueError(
            f"{name} must hold outcomes in {{0, 1}}, got values such as "
            f"{np.unique(x[~ok])[:5].tolist()}"
        )


def _check_nonneg_integers(k, name: str) -> None:
    finite = k[~np.isnan(k)]
    if np.any(finite < 0) or np.any(finite != np.floor(finite)):
        bad = finite[(finite < 0) | (finite != np.floor(finite))][:5]
        raise ValueError(
            f"{name} must hold non-negative integer counts, got values such as {bad.tolist()}"
        )
