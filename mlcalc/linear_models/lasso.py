"""The lasso: soft thresholding, the mean loss, its subgradients, ISTA and coordinate descent."""

from __future__ import annotations

import autograd.numpy as anp
import numpy as np
from autograd.tracer import Box

from ._validate import (
    _as_float_array,
    _check_count,
    _check_lam,
    _check_positive,
    _check_w,
    _check_Xy,
)

__all__ = [
    "lasso_coordinate_descent",
    "lasso_fit",
    "lasso_ista",
    "lasso_loss",
    "lasso_min_norm_subgrad",
    "lasso_subgrad",
    "soft_threshold",
]


# ---------------------------------------------------------------------------------------------
# lasso
# ---------------------------------------------------------------------------------------------


def soft_threshold(z, t):
    """Soft-thresholding ``S_t(z) = sign(z) * max(|z| - t, 0)``, elementwise.

    It is the proximal map of ``t * |.|``: the minimiser over ``v`` of
    ``(v - z)^2 / 2 + t |v|``. Entries with ``|z| <= t`` become exactly 0; the others move
    ``t`` towards 0.

    Args:
        z: Scalar or array, any shape.
        t: Threshold, a scalar ``>= 0``.

    Returns:
        Array of the shape of ``z`` (float).

    Raises:
        ValueError: If ``t`` is negative or not a scalar.
    """
    t = _check_lam(t, "t")
    if not isinstance(z, Box):
        z = _as_float_array(z, "z")
    return anp.sign(z) * anp.maximum(anp.abs(z) - t, 0.0)


def lasso_loss(w, X, y, lam):
    """Lasso loss ``L(w) = (||Xw - y||^2 / 2 + lam ||w||_1) / n``.

    Args:
        w: Weights, shape ``(d,)``.
        X: Design matrix, shape ``(n, d)``.
        y: Targets, shape ``(n,)``.
        lam: Penalty strength, a scalar ``>= 0``. scikit-learn's ``Lasso(alpha)`` minimises
            the same function with ``alpha = lam / n``.

    Returns:
        The scalar loss (convex, not differentiable where some ``w_j = 0``).

    Raises:
        ValueError: On shape mismatches, ``n = 0`` or ``lam < 0``.
    """
    X, y = _check_Xy(X, y)
    w = _check_w(w, X.shape[1], X.shape)
    lam = _check_lam(lam)
    r = anp.dot(X, w) - y
    if lam == 0.0:  # 0 * ||w||_1 could be 0 * inf = nan
        return 0.5 * anp.dot(r, r) / X.shape[0]
    return (0.5 * anp.dot(r, r) + lam * anp.sum(anp.abs(w))) / X.shape[0]


def lasso_subgrad(w, X, y, lam) -> np.ndarray:
    """A subgradient of :func:`lasso_loss`: ``(X^T (Xw - y) + lam * sign(w)) / n``.

    Convention at the kink: ``sign(0) = 0``, i.e. the subgradient ``0`` of ``|w_j|`` at
    ``w_j = 0`` (a valid element of ``[-1, 1]``, and what autograd returns for ``abs``). Where no
    ``w_j`` is zero this is the gradient. A zero subgradient of this particular form is *not*
    required at the minimiser: use :func:`lasso_min_norm_subgrad` to test optimality.

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
    return (X.T @ (X @ w - y) + lam * np.sign(w)) / X.shape[0]


def lasso_min_norm_subgrad(w, X, y, lam) -> np.ndarray:
    """The minimum-norm subgradient of :func:`lasso_loss`; all zeros exactly at a minimiser.

    With ``g = X^T (Xw - y) / n`` and ``t = lam / n``, the subdifferential is
    ``g_j + t sign(w_j)`` where ``w_j != 0`` and the interval ``[g_j - t, g_j + t]`` where
    ``w_j = 0``. Its element closest to 0 is ``g_j + t sign(w_j)``, respectively
    ``soft_threshold(g_j, t)``. The optimality condition ``0 in dL(w)`` is
    ``lasso_min_norm_subgrad(w, X, y, lam) == 0``, and its size measures how far a solver is
    from optimal.

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
    n = X.shape[0]
    g = X.T @ (X @ w - y) / n
    t = lam / n
    return np.where(w != 0, g + t * np.sign(w), soft_threshold(g, t))


def _lasso_setup(X, y, lam, w0):
    X, y = _check_Xy(X, y)
    lam = _check_lam(lam)
    d = X.shape[1]
    if w0 is None:
        w = np.zeros(d)
    else:
        w = np.array(_check_w(w0, d, X.shape), dtype=np.float64)  # a copy: w0 is untouched
    return X.astype(np.float64), y.astype(np.float64), lam, w


def lasso_ista(X, y, lam, n_steps: int, *, lr=None, w0=None) -> np.ndarray:
    """ISTA (proximal gradient descent) for :func:`lasso_loss`, returning every iterate.

    Each step is a gradient step on the smooth part ``f(w) = ||Xw - y||^2 / (2n)`` followed by
    soft-thresholding, the proximal map of the penalty::

        w <- soft_threshold(w - lr * X^T (Xw - y) / n,  lr * lam / n)

    With ``lr <= 1 / L``, where ``L = sigma_max(X)^2 / n`` is the Lipschitz constant of the
    gradient of ``f``, the loss decreases at every step and converges to the minimum.

    Args:
        X: Design matrix, shape ``(n, d)``.
        y: Targets, shape ``(n,)``.
        lam: Penalty strength, a scalar ``>= 0``.
        n_steps: Number of steps, an integer ``>= 0``.
        lr: Step size ``> 0``; default ``1 / L``.
        w0: Starting weights, shape ``(d,)``; default zeros.

    Returns:
        Iterates, shape ``(n_steps + 1, d)``; row 0 is ``w0``.

    Raises:
        ValueError: On shape mismatches, ``lam < 0``, ``lr <= 0`` or a bad ``n_steps``.
    """
    X, y, lam, w = _lasso_setup(X, y, lam, w0)
    n_steps = _check_count(n_steps, "n_steps", 0)
    n = X.shape[0]
    if lr is None:
        lipschitz = np.linalg.norm(X, 2) ** 2 / n
        lr = 1.0 / lipschitz if lipschitz > 0 else 1.0
    else:
        lr = _check_positive(lr, "lr")
    iterates = np.empty((n_steps + 1, w.shape[0]))
    iterates[0] = w
    for t in range(1, n_steps + 1):
        g = X.T @ (X @ w - y) / n
        w = soft_threshold(w - lr * g, lr * lam / n)
        iterates[t] = w
    return iterates


def lasso_coordinate_descent(
    X, y, lam, n_sweeps: int, *, w0=None, per_coordinate: bool = False
) -> np.ndarray:
    """Cyclic coordinate descent for :func:`lasso_loss`, returning the iterates.

    Minimising the loss exactly in the single coordinate ``w_j`` (the others fixed) gives::

        w_j <- soft_threshold(X_j^T r_j, lam) / ||X_j||^2,   r_j = y - Xw + X_j w_j,

    where ``X_j`` is column ``j`` and ``r_j`` is the residual without feature ``j``. A sweep
    updates ``j = 0, ..., d - 1`` in turn. A column of zeros gets weight 0.

    Args:
        X: Design matrix, shape ``(n, d)``.
        y: Targets, shape ``(n,)``.
        lam: Penalty strength, a scalar ``>= 0``.
        n_sweeps: Number of full sweeps over the coordinates, an integer ``>= 0``.
        w0: Starting weights, shape ``(d,)``; default zeros.
        per_coordinate: If True, record the weights after every single-coordinate update
            (the staircase path, good for 2-D contour plots) instead of after every sweep.

    Returns:
        Iterates, shape ``(n_sweeps + 1, d)``, or ``(n_sweeps * d + 1, d)`` with
        ``per_coordinate=True``; row 0 is ``w0``.

    Raises:
        ValueError: On shape mismatches, ``lam < 0`` or a bad ``n_sweeps``.
    """
    X, y, lam, w = _lasso_setup(X, y, lam, w0)
    n_sweeps = _check_count(n_sweeps, "n_sweeps", 0)
    d = X.shape[1]
    col_sq = np.einsum("ij,ij->j", X, X)
    rows = [w.copy()]
    for _ in range(n_sweeps):
        r = y - X @ w  # recomputed every sweep so rounding errors do not accumulate
        for j in range(d):
            if col_sq[j] == 0.0:
                new = 0.0
            else:
                rho = X[:, j] @ r + col_sq[j] * w[j]
                new = float(soft_threshold(rho, lam)) / col_sq[j]
            if new != w[j]:
                r += X[:, j] * (w[j] - new)
                w[j] = new
            if per_coordinate:
                rows.append(w.copy())
        if not per_coordinate:
            rows.append(w.copy())
    return np.array(rows)


def lasso_fit(X, y, lam, *, tol: float = 1e-12, max_sweeps: int = 100_000) -> np.ndarray:
    """Lasso weights: the minimiser of :func:`lasso_loss`, by coordinate descent.

    There is no closed form in general. Sweeps run until no coordinate moves by more than
    ``tol * max(1, max|w|)``. Same as scikit-learn's ``Lasso(alpha=lam / n,
    fit_intercept=False)`` run to a tight tolerance.

    Args:
        X: Design matrix, shape ``(n, d)``.
        y: Targets, shape ``(n,)``.
        lam: Penalty strength, a scalar ``>= 0``.
        tol: Convergence tolerance on the largest coordinate change, relative.
        max_sweeps: Maximum number of sweeps.

    Returns:
        Weights of shape ``(d,)``.

    Raises:
        ValueError: On shape mismatches or ``lam < 0``.
        RuntimeError: If it has not converged after ``max_sweeps`` sweeps.
    """
    X, y, lam, w = _lasso_setup(X, y, lam, None)
    tol = _check_positive(tol, "tol")
    max_sweeps = _check_count(max_sweeps, "max_sweeps", 1)
    col_sq = np.einsum("ij,ij->j", X, X)
    for _ in range(max_sweeps):
        r = y - X @ w
        biggest = 0.0
        for j in range(X.shape[1]):
            if col_sq[j] == 0.0:
                new = 0.0
            else:
                rho = X[:, j] @ r + col_sq[j] * w[j]
                new = float(soft_threshold(rho, lam)) / col_sq[j]
            change = abs(new - w[j])
            if change:
                r += X[:, j] * (w[j] - new)
                w[j] = new
                biggest = max(biggest, change)
        if biggest <= tol * max(1.0, np.max(np.abs(w), initial=0.0)):
            return w
    raise RuntimeError(
        f"lasso_fit: coordinate descent did not converge in max_sweeps={max_sweeps} sweeps "
        f"(last largest change {biggest:.3g}); raise max_sweeps or tol"
    )
