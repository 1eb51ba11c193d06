"""Shared helpers of the ready-made explorers: colours, finite differences, slider specs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

_RED, _BLUE, _ORANGE, _GREEN, _GREY = "C3", "C0", "C1", "C2", "0.55"


# --------------------------------------------------------------------------------------------
# Numerical helpers (numpy, float64)
# --------------------------------------------------------------------------------------------


def _central_diff(f: Callable[[np.ndarray], np.ndarray], x: np.ndarray) -> np.ndarray:
    """Elementwise derivative of a scalar function of one variable by central differences."""
    x = np.asarray(x, dtype=float)
    h = 1e-5 * (1.0 + np.abs(x))
    return (np.asarray(f(x + h), dtype=float) - np.asarray(f(x - h), dtype=float)) / (2 * h)


def _numerical_gradient(f: Callable[[np.ndarray], float], w: np.ndarray) -> np.ndarray:
    w = np.asarray(w, dtype=float)
    g = np.zeros_like(w)
    for i in range(w.size):
        h = 1e-6 * (1.0 + abs(w.flat[i]))
        e = np.zeros_like(w)
        e.flat[i] = h
        g.flat[i] = (f(w + e) - f(w - e)) / (2 * h)
    return g


def _numerical_jacobian(f: Callable[[np.ndarray], np.ndarray], w: np.ndarray) -> np.ndarray:
    w = np.asarray(w, dtype=float)
    cols = []
    for i in range(w.size):
        h = 1e-6 * (1.0 + abs(w.flat[i]))
        e = np.zeros_like(w)
        e.flat[i] = h
        cols.append((np.asarray(f(w + e)) - np.asarray(f(w - e))) / (2 * h))
    return np.stack(cols, axis=-1)


def _fitting_defaults(specs: dict[str, Any], wanted: dict[str, Any]) -> dict[str, Any]:
    """The preferred first values that the (possibly overridden) specs can show."""
    out = {}
    for name, value in wanted.items():
        spec = specs[name]
        if isinstance(spec, list):
            if value in spec:
                out[name] = value
        elif isinstance(spec, tuple) and len(spec) == 3 and all(
            isinstance(v, (int, float)) for v in spec
        ):
            if spec[0] <= value <= spec[1]:
                out[name] = value
    return out


def _as_vector(name: str, v: Any, n: int) -> np.ndarray:
    a = np.array(v, dtype=float)
    if a.shape != (n,):
        raise ValueError(f"{name}: expected a vector of shape ({n},), got shape {a.shape}")
    if not np.all(np.isfinite(a)):
        raise ValueError(f"{name}: expected finite numbers, got {v!r}")
    return a
