"""Least squares and ridge regression: mean losses, gradients, Hessians and closed forms."""

from __future__ import annotations

import autograd.numpy as anp
import numpy as np

from ._validate import (
    _check_lam,
    _check_w,
    _check_Xy,
)

__all__ = [
    "ols_fit",
    "ols_grad",
    "ols_hessian",
    "ols_loss",
    "ridge_fit",
    "ridge_grad",
    "ridge_hessian",
    "ridge_loss",
]


# ---------------------------------------------------------------------------------------------
# ordinary least squares and ridge
# ---------------------------------------------------------------------------------------------


def ols_loss(w, X, y):
    """Least-squares loss ``L(w) = ||Xw - y||^2 / (2n)`` (half the mean squared residual).

    Args:
        w: Weights, shape ``(d,)``.
        X: Design matrix, shape ``(n, d)``.
        y: Targets, shape ``(n,)``.

    Returns:
        The scalar loss. Differentiable by autograd with respect to ``w``.

    Raises:
        ValueError: On shape mismatches (``w`` not ``(d,)``, ``y`` not ``(n,)``) or ``n = 0``.
    """
    X, y = _check_Xy(X, y)
    w = _check_w(w, X.shape[1], X.shape)
    r = anp.dot(X, w) - y
    return 0.5 * anp.dot(r, r) / X.shape[0]


def ols_grad(w, X, y) -> np.ndarray:
    """Gradient of :func:`ols_loss`: ``X^T (Xw - y) / n``, shape ``(d,)``.

    Args:
        w: Weights, shape ``(d,)``.
        X: Design matrix, shape ``(n, d)``.
        y: Targets, shape ``(n,)``.

    Returns:
        Array of shape ``(d,)``.

    Raises:
        ValueError: On shape mismatches or ``n = 0``.
    """
    X, y = _check_Xy(X, y)
    w = _check_w(w, X.shape[1], X.shape)
    return X.T @ (X @ w - y) / X.shape[0]


def ols_hessian(w, X, y) -> np.ndarray:
    """Hessian of :func:`ols_loss`: ``X^T X / n``, shape ``(d, d)``, the same for every ``w``.

    ``w`` and ``y`` are only validated (the loss is quadratic); they are arguments so that
    ``newton`` can call every Hessian of this module the same way.

    Args:
        w: Weights, shape ``(d,)``.
        X: Design matrix, shape ``(n, d)``.
        y: Targets, shape ``(n,)``.

    Returns:
        Symmetric positive semi-definite array of shape ``(d, d)``.

    Raises:
        ValueError: On shape mismatches or ``n = 0``.
    """
    X, y = _check_Xy(X, y)
    _check_w(w, X.shape[1], X.shape)
    return X.T @ X / X.shape[0]


def ols_fit(X, y) -> np.ndarray:
    """Least-squares weights: a solution of the normal equations ``X^T X w = X^T y``.

    Solved with ``numpy.linalg.lstsq`` (an SVD), which never forms ``X^T X`` or its inverse.
    When ``X`` has full column rank the solution is unique; otherwise this returns the
    minimum-norm solution among the infinitely many minimisers.

    Args:
        X: Design matrix, shape ``(n, d)``.
        y: Targets, shape ``(n,)``.

    Returns:
        Weights of shape ``(d,)``.

    Raises:
        ValueError: On shape mismatches or ``n = 0``.
    """
    X, y = _check_Xy(X, y)
    return np.linalg.lstsq(X, y, rcond=None)[0]


def ridge_loss(w, X, y, lam):
    """Ridge loss ``L(w) = (||Xw - y||^2 / 2 + lam ||w||^2 / 2) / n``.

    Args:
        w: Weights, shape ``(d,)``.
        X: Design matrix, shape ``(n, d)``.
        y: Targets, shape ``(n,)``.
        lam: Penalty strength, a scalar ``>= 0`` (``lam = 0`` gives :func:`ols_loss`).

    Returns:
        The scalar loss. Differentiable by autograd with respect to ``w``.

    Raises:
        ValueError: On shape mismatches, ``n = 0`` or ``lam < 0``.
    """
    X, y = _check_Xy(X, y)
    w = _check_w(w, X.shape[1], X.shape)
    lam = _check_lam(lam)
    r = anp.dot(X, w) - y
    if lam == 0.0:  # 0 * ||w||^2 could be 0 * inf = nan
        return 0.5 * anp.dot(r, r) / X.shape[0]
    return 0.5 * (anp.dot(r, r) + lam * anp.dot(w, w)) / X.shape[0]


def ridge_grad(w, X, y, lam) -> np.ndarray:
    """Gradient of :func:`ridge_loss`: ``(X^T (Xw - y) + lam w) / n``, shape ``(d,)``.

    Args:
        w: Weights, shape ``(d,)``.
        X: Design matrix, shape ``(n, d)``.
        y: Targets, shape ``(n,)``.
        lam: Penalty strength, a scalar ``>= 0``.

    Returns:
        Array of shape ``(d,)``.

    Raises:
        ValueError: On shape mismatches, ``n = 0`` or ``lam < 0``.
    """
    X, y = _check_Xy(X, y)
    w = _check_w(w, X.shape[1], X.shape)
    lam = _check_lam(lam)
    return (X.T @ (X @ w - y) + lam * w) / X.shape[0]


def ridge_hessian(w, X, y, lam) -> np.ndarray:
    """Hessian of :func:`ridge_loss`: ``(X^T X + lam I) / n``, shape ``(d, d)``.

    Positive definite for ``lam > 0`` even when ``X`` is rank deficient.

    Args:
        w: Weights, shape ``(d,)`` (validated only).
        X: Design matrix, shape ``(n, d)``.
        y: Targets, shape ``(n,)`` (validated only).
        lam: Penalty strength, a scalar ``>= 0``.

    Returns:
        Symmetric array of shape ``(d, d)``.

    Raises:
        ValueError: On shape mismatches, ``n = 0`` or ``lam < 0``.
    """
    X, y = _check_Xy(X, y)
    _check_w(w, X.shape[1], X.shape)
    lam = _check_lam(lam)
    return (X.T @ X + lam * np.eye(X.shape[1])) / X.shape[0]


def ridge_fit(X, y, lam) -> np.ndarray:
    """Ridge weights: the solution of ``(X^T X + lam I) w = X^T y``.

    Solved as the least-squares problem ``[X; sqrt(lam) I] w ~ [y; 0]`` with ``lstsq``, which
    has the same normal equations but never squares the condition number of ``X`` and never
    inverts a matrix. Same as scikit-learn's ``Ridge(alpha=lam, fit_intercept=False)``.

    Args:
        X: Design matrix, shape ``(n, d)``.
        y: Targets, shape ``(n,)``.
        lam: Penalty strength, a scalar ``>= 0`` (``lam = 0`` gives :func:`ols_fit`).

    Returns:
        Weights of shape ``(d,)``.

    Raises:
        ValueError: On shape mismatches, ``n = 0`` or ``lam < 0``.
    """
    X, y = _check_Xy(X, y)
    lam = _check_lam(lam)
    d = X.shape[1]
    A = np.vstack([X, np.sqrt(lam) * np.eye(d, dtype=X.dtype)])
    b = np.concatenate([y, np.zeros(d, dtype=y.dtype)])
    return np.linalg.lstsq(A, b, rcond=None)[0]
