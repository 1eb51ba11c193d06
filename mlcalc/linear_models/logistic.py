"""Logistic regression (plain and L2-regularised): the stable mean loss, its gradient and
Hessian, predicted probabilities and Newton's method to fit it."""

from __future__ import annotations

import autograd.numpy as anp
import numpy as np

from ..activations import sigmoid, softplus
from ._validate import (
    _check_binary,
    _check_count,
    _check_lam,
    _check_positive,
    _check_w,
    _check_X,
    _check_Xy,
)

__all__ = ["logreg_fit", "logreg_grad", "logreg_hessian", "logreg_loss", "logreg_predict_proba"]


# ---------------------------------------------------------------------------------------------
# logistic regression
# ---------------------------------------------------------------------------------------------


def _check_logreg(w, X, y, lam):
    X, y = _check_Xy(X, y)
    _check_binary(y)
    w = _check_w(w, X.shape[1], X.shape)
    lam = _check_lam(lam)
    return w, X, y, lam


def logreg_loss(w, X, y, lam=0.0):
    """Logistic-regression loss: mean negative log-likelihood plus an L2 penalty.

    With ``z = Xw`` and ``s = sigmoid(z)``::

        L(w) = (1/n) * ( sum_i [-y_i log s_i - (1 - y_i) log(1 - s_i)] + lam/2 ||w||^2 )
             = (1/n) * ( sum_i [y_i softplus(-z_i) + (1 - y_i) softplus(z_i)] + lam/2 ||w||^2 )

    The second form is what is computed: ``softplus(z) = log(1 + e^z)`` is evaluated stably,
    so scores ``|z|`` of 1000 or more give the exact finite loss and no warning. Same
    minimiser as scikit-learn's ``LogisticRegression(C=1/lam, fit_intercept=False)``.

    Args:
        w: Weights, shape ``(d,)``.
        X: Design matrix, shape ``(n, d)``.
        y: Labels in ``{0, 1}``, shape ``(n,)``.
        lam: L2 penalty strength, a scalar ``>= 0`` (default 0: plain logistic regression).

    Returns:
        The scalar loss. Differentiable by autograd with respect to ``w``.

    Raises:
        ValueError: On shape mismatches, labels outside ``{0, 1}``, ``n = 0`` or ``lam < 0``.
    """
    w, X, y, lam = _check_logreg(w, X, y, lam)
    z = anp.dot(X, w)
    # select rather than multiply by y and 1 - y: 0 * softplus(inf) would be nan
    # (the 0 * y term only carries a nan label through)
    nll = anp.sum(anp.where(y == 1, softplus(-z), softplus(z)) + 0.0 * y)
    if lam != 0.0:  # skipped at lam = 0 so that 0 * ||w||^2 cannot become 0 * inf = nan
        nll = nll + 0.5 * lam * anp.dot(w, w)
    return nll / X.shape[0]


def logreg_grad(w, X, y, lam=0.0) -> np.ndarray:
    """Gradient of :func:`logreg_loss`: ``(X^T (sigmoid(Xw) - y) + lam w) / n``, shape ``(d,)``.

    The residual ``sigmoid(z_i) - y_i`` is evaluated as ``-sigmoid(-z_i)`` when ``y_i = 1``, so
    it stays accurate (not rounded to 0) for confidently right predictions.

    Args:
        w: Weights, shape ``(d,)``.
        X: Design matrix, shape ``(n, d)``.
        y: Labels in ``{0, 1}``, shape ``(n,)``.
        lam: L2 penalty strength, a scalar ``>= 0``.

    Returns:
        Array of shape ``(d,)``.

    Raises:
        ValueError: On shape mismatches, labels outside ``{0, 1}``, ``n = 0`` or ``lam < 0``.
    """
    w, X, y, lam = _check_logreg(w, X, y, lam)
    z = X @ w
    # sigmoid(z) - y computed without cancellation: for y = 1 it is -sigmoid(-z), which keeps
    # its ~1e-18 size at z = 40 where 1 - sigmoid(40) would round to 0
    residual = anp.where(y == 1, -sigmoid(-z), sigmoid(z)) + 0.0 * y
    return (X.T @ residual + lam * w) / X.shape[0]


def logreg_hessian(w, X, y, lam=0.0) -> np.ndarray:
    """Hessian of :func:`logreg_loss`: ``(X^T D X + lam I) / n``, shape ``(d, d)``.

    ``D = diag(s_i (1 - s_i))`` with ``s = sigmoid(Xw)``; ``s_i (1 - s_i)`` is computed as
    ``sigmoid(z_i) * sigmoid(-z_i)``, accurate in the tails. The Hessian does not depend on
    ``y`` (validated only). It is positive semi-definite, so the loss is convex.

    Args:
        w: Weights, shape ``(d,)``.
        X: Design matrix, shape ``(n, d)``.
        y: Labels in ``{0, 1}``, shape ``(n,)``.
        lam: L2 penalty strength, a scalar ``>= 0``.

    Returns:
        Symmetric array of shape ``(d, d)``.

    Raises:
        ValueError: On shape mismatches, labels outside ``{0, 1}``, ``n = 0`` or ``lam < 0``.
    """
    w, X, y, lam = _check_logreg(w, X, y, lam)
    z = X @ w
    dvec = sigmoid(z) * sigmoid(-z)
    H = X.T @ (dvec[:, None] * X) + lam * np.eye(X.shape[1])
    return 0.5 * (H + H.T) / X.shape[0]


def logreg_predict_proba(X, w) -> np.ndarray:
    """Predicted probabilities ``P(y = 1 | x) = sigmoid(x^T w)`` for every row of ``X``.

    Args:
        X: Design matrix, shape ``(n, d)``.
        w: Weights, shape ``(d,)``.

    Returns:
        Array of shape ``(n,)`` with entries in ``[0, 1]``.

    Raises:
        ValueError: On shape mismatches.
    """
    X = _check_X(X)
    w = _check_w(w, X.shape[1], X.shape)
    return sigmoid(X @ w)


def logreg_fit(X, y, lam=0.0, *, tol: float = 1e-10, max_iter: int = 100) -> np.ndarray:
    """Logistic-regression weights: the minimiser of :func:`logreg_loss`, by Newton's method.

    Starts at ``w = 0`` and takes Newton steps ``H^{-1} g`` (solved with ``solve``), halving a
    step while it does not decrease the loss enough (backtracking line search), until a step
    is smaller than ``tol * max(1, max|w|)``.

    With ``lam = 0`` a finite minimiser exists only if the classes are not linearly
    separable: on separable data the loss keeps decreasing as ``||w||`` grows, and this
    function raises instead of returning a meaningless huge ``w``.

    Args:
        X: Design matrix, shape ``(n, d)``.
        y: Labels in ``{0, 1}``, shape ``(n,)``.
        lam: L2 penalty strength, a scalar ``>= 0``.
        tol: Relative step-size tolerance.
        max_iter: Maximum number of Newton steps.

    Returns:
        Weights of shape ``(d,)``.

    Raises:
        ValueError: On shape mismatches, labels outside ``{0, 1}`` or ``lam < 0``.
        RuntimeError: If ``lam = 0`` and the classes are linearly separable (detected when
            an iterate classifies every sample correctly), if Newton's method has not
            converged after ``max_iter`` steps, or if the Hessian is singular (``lam = 0`` and
            ``X`` without full column rank).
    """
    X, y = _check_Xy(X, y)
    _check_binary(y)
    lam = _check_lam(lam)
    tol = _check_positive(tol, "tol")
    max_iter = _check_count(max_iter, "max_iter", 1)
    X = X.astype(np.float64)
    y = y.astype(np.float64)
    w = np.zeros(X.shape[1])
    loss = logreg_loss(w, X, y, lam)
    for _ in range(max_iter):
        g = logreg_grad(w, X, y, lam)
        H = logreg_hessian(w, X, y, lam)
        try:
            step = np.linalg.solve(H, g)
        except np.linalg.LinAlgError:
            raise RuntimeError(
                "logreg_fit: the Hessian X^T D X / n is singular; with lam = 0 the columns of "
                "X must be linearly independent (or use lam > 0)"
            ) from None
        decrement = float(g @ step)
        t = 1.0
        while True:
            w_new = w - t * step
            loss_new = logreg_loss(w_new, X, y, lam)
            # near the minimum the decrease is below the rounding of the loss: take full steps
            if decrement < 1e-8 or loss_new <= loss - 0.25 * t * decrement or t < 1e-12:
                break
            t *= 0.5
        small = np.max(np.abs(t * step), initial=0.0) <= tol * max(1.0, np.max(np.abs(w_new)))
        w, loss = w_new, loss_new
        if lam == 0.0 and np.all((2.0 * y - 1.0) * (X @ w) > 0):
            raise RuntimeError(
                "logreg_fit: the classes are linearly separable (the current weights classify "
                "every sample correctly), so the loss has no minimiser: scaling w up always "
                "lowers it and no finite maximum-likelihood weights exist; use lam > 0"
            )
        if small:
            return w
    raise RuntimeError(
        f"logreg_fit: Newton's method did not converge in max_iter={max_iter} steps "
        f"(|w| = {np.linalg.norm(w):.3g}); with lam = 0 this usually means the classes are "
        "linearly separable, so no finite maximum-likelihood weights exist: use lam > 0"
    )
