"""Design matrices: a column of ones for the intercept, polynomial features."""

from __future__ import annotations

import numpy as np

from ._validate import (
    _as_float_array,
    _check_count,
    _check_X,
)

__all__ = ["add_intercept", "polynomial_features"]


# ---------------------------------------------------------------------------------------------
# design matrices
# ---------------------------------------------------------------------------------------------


def add_intercept(X) -> np.ndarray:
    """Prepend a column of ones to a design matrix.

    Args:
        X: Design matrix, shape ``(n, d)``.

    Returns:
        New array of shape ``(n, d + 1)`` whose first column is all ones; the weight of that
        column plays the role of the intercept (bias) ``b`` in ``x^T w + b``.

    Raises:
        ValueError: If ``X`` is not 2-D.
    """
    X = _check_X(X)
    return np.hstack([np.ones((X.shape[0], 1), dtype=X.dtype), X])


def polynomial_features(x, degree: int) -> np.ndarray:
    """Polynomial feature matrix ``Phi`` with columns ``1, x, x^2, ..., x^degree``.

    Linear regression on ``Phi`` fits a polynomial of the given degree: the model is still
    linear in the weights, so every formula of this module applies with ``X = Phi``.

    Args:
        x: Scalar inputs, shape ``(n,)``.
        degree: Highest power, an integer ``>= 0``.

    Returns:
        Array ``Phi`` of shape ``(n, degree + 1)`` with ``Phi[i, k] = x[i] ** k``.

    Raises:
        ValueError: If ``x`` is not 1-D or ``degree`` is not a non-negative integer.
    """
    x = _as_float_array(x, "x")
    if x.ndim != 1:
        raise ValueError(f"x must be a 1-D array of shape (n,), got shape {x.shape}")
    degree = _check_count(degree, "degree", 0)
    return np.vander(x, degree + 1, increasing=True)
