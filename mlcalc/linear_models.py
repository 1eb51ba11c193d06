"""Linear models: losses in the weights, their gradients and Hessians, closed forms and solvers.

Models: ordinary least squares (OLS), ridge, lasso, logistic regression (plain and
L2-regularised) and linear discriminant analysis (LDA).

Conventions (the same for every model in this module):

* ``X`` is the design matrix, shape ``(n, d)``: one row per sample. ``y`` has shape ``(n,)``.
  The weights ``w`` have shape ``(d,)``. There is no separate intercept: add a column of ones
  with :func:`add_intercept` (note that the penalty of ridge, lasso and regularised logistic
  regression then also acts on the intercept weight).
* **Every loss is the textbook sum objective divided by n** (a mean over samples)::

      ols_loss(w)    = (1/n) * ( 1/2 ||Xw - y||^2 )
      ridge_loss(w)  = (1/n) * ( 1/2 ||Xw - y||^2 + lam/2 ||w||^2 )
      lasso_loss(w)  = (1/n) * ( 1/2 ||Xw - y||^2 + lam   ||w||_1 )
      logreg_loss(w) = (1/n) * ( sum_i [-y_i log s_i - (1-y_i) log(1-s_i)] + lam/2 ||w||^2 ),
                       s = sigmoid(Xw), labels y_i in {0, 1}

  so gradients and Hessians carry the factor 1/n (``ols_grad = X^T (Xw - y) / n``,
  ``logreg_grad = (X^T (sigmoid(Xw) - y) + lam w) / n``, ``logreg_hessian = (X^T D X + lam I) / n``
  with ``D = diag(s_i (1 - s_i))``). Dividing by n does not move the minimiser, so ``lam`` is the
  classic penalty of the sum objective: the ridge normal equations read
  ``(X^T X + lam I) w = X^T y`` and a Gaussian prior N(0, tau2 I) with noise variance sigma2
  gives ``lam = sigma2 / tau2`` (see :mod:`mlcalc.likelihoods`). The mean keeps gradient
  sizes, and hence good step sizes, independent of n.

  The same models in scikit-learn (all with ``fit_intercept=False``)::

      OLS    LinearRegression()
      ridge  Ridge(alpha=lam)                      # sklearn: ||y - Xw||^2 + alpha ||w||^2
      lasso  Lasso(alpha=lam / n)                  # sklearn: ||y - Xw||^2 / (2n) + alpha ||w||_1
      logreg LogisticRegression(C=1 / lam)         # sklearn: C * sum(log-loss) + ||w||^2 / 2
             LogisticRegression(C=numpy.inf)       # lam = 0
      LDA    LinearDiscriminantAnalysis(solver="lsqr")   # same (w, b) as lda_fit

* Kink convention (lasso): the subgradient of ``|w_j|`` at ``w_j = 0`` is taken as
  ``sign(0) = 0``, the same value autograd returns for ``abs``. :func:`lasso_min_norm_subgrad`
  returns the minimum-norm element of the subdifferential instead, which is zero exactly at a
  minimiser.
* Closed forms are solved with ``lstsq`` / ``solve``, never with an explicit inverse.
* Solvers (:func:`gradient_descent`, :func:`newton`, :func:`lasso_ista`,
  :func:`lasso_coordinate_descent`) return **all iterates** as an array whose first axis is the
  iteration, so a chapter can plot the path. Iterates are float64.
* The logistic losses use a numerically stable ``softplus`` (``log(1 + e^z)`` via
  ``logaddexp``) and a stable sigmoid, so ``|Xw|`` of 1000 gives finite values and no
  ``RuntimeWarning``. They are private helpers of this module.
* Losses are written with ``autograd.numpy``: autograd can differentiate them with respect to
  ``w``. Inputs are never modified. Bad input raises ``ValueError`` naming the argument and the
  expected shape or range; arrays are never silently broadcast (``y`` of shape ``(n, 1)`` is an
  error, not an ``(n, n)`` residual).
"""

from __future__ import annotations

import numbers
from collections.abc import Callable

import autograd.numpy as anp
import numpy as np
from autograd.tracer import Box, getval

from .activations import sigmoid, softplus

__all__ = [
    "add_intercept",
    "gradient_descent",
    "lasso_coordinate_descent",
    "lasso_fit",
    "lasso_ista",
    "lasso_loss",
    "lasso_min_norm_subgrad",
    "lasso_subgrad",
    "lda_class_stats",
    "lda_discriminants",
    "lda_fit",
    "lda_predict",
    "logreg_fit",
    "logreg_grad",
    "logreg_hessian",
    "logreg_loss",
    "logreg_predict_proba",
    "newton",
    "ols_fit",
    "ols_grad",
    "ols_hessian",
    "ols_loss",
    "polynomial_features",
    "ridge_fit",
    "ridge_grad",
    "ridge_hessian",
    "ridge_loss",
    "soft_threshold",
]


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


# ---------------------------------------------------------------------------------------------
# linear discriminant analysis
# ---------------------------------------------------------------------------------------------


def _check_class_labels(y) -> tuple[np.ndarray, int]:
    if not np.all(np.isfinite(y)) or not np.all(y == np.round(y)) or np.any(y < 0):
        raise ValueError("y must hold integer class labels 0, 1, ..., K-1")
    labels = y.astype(np.int64)
    K = int(labels.max()) + 1
    counts = np.bincount(labels, minlength=K)
    if np.any(counts == 0) or K < 2:
        raise ValueError(
            f"y must contain every class 0, ..., K-1 at least once with K >= 2, "
            f"got class counts {counts.tolist()}"
        )
    return labels, K


def lda_class_stats(X, y) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Maximum-likelihood parameters of the LDA model ``x | y=k ~ N(mu_k, Sigma)``.

    Args:
        X: Data, shape ``(n, d)``.
        y: Integer class labels ``0, ..., K-1`` (each class present), shape ``(n,)``.

    Returns:
        ``(means, cov, priors)``: class means, shape ``(K, d)``; the shared (pooled)
        within-class covariance ``Sigma = (1/n) sum_i (x_i - mu_{y_i})(x_i - mu_{y_i})^T``,
        shape ``(d, d)`` (the maximum-likelihood estimate, divided by n); class frequencies
        ``pi_k = n_k / n``, shape ``(K,)``.

    Raises:
        ValueError: On shape mismatches or labels that are not ``0, ..., K-1``.
    """
    X, y = _check_Xy(X, y)
    labels, K = _check_class_labels(y)
    n = X.shape[0]
    X = X.astype(np.float64)
    counts = np.bincount(labels, minlength=K)
    means = np.zeros((K, X.shape[1]))
    np.add.at(means, labels, X)
    means /= counts[:, None]
    centred = X - means[labels]
    cov = centred.T @ centred / n
    return means, 0.5 * (cov + cov.T), counts / n


def lda_discriminants(X, means, cov, priors) -> np.ndarray:
    """LDA discriminant functions, one per class, at every row of ``X``.

    ``delta_k(x) = x^T S^{-1} mu_k - mu_k^T S^{-1} mu_k / 2 + log pi_k``.

    ``S`` is the shared covariance. ``delta_k(x)`` equals ``log p(x, y=k)`` up to a term that
    is the same for every class, so ``argmax_k delta_k(x)`` is the predicted class and
    ``delta_1 - delta_0`` is the log-odds, linear in ``x``. ``S^{-1} mu_k`` is computed with
    ``solve``.

    Args:
        X: Points, shape ``(m, d)``.
        means: Class means, shape ``(K, d)``.
        cov: Shared covariance, symmetric positive definite, shape ``(d, d)``.
        priors: Class probabilities ``> 0``, shape ``(K,)``.

    Returns:
        Array of shape ``(m, K)``.

    Raises:
        ValueError: On shape mismatches, non-positive priors or a singular ``cov``.
    """
    X = _check_X(X)
    means = _check_X(means, "means")
    cov = _check_X(cov, "cov")
    priors = _as_float_array(priors, "priors")
    K, d = means.shape
    if X.shape[1] != d:
        raise ValueError(f"X must have d = {d} columns to match means {means.shape}, got {X.shape}")
    if cov.shape != (d, d):
        raise ValueError(f"cov must have shape (d, d) = ({d}, {d}), got shape {cov.shape}")
    if priors.shape != (K,):
        raise ValueError(f"priors must have shape (K,) = ({K},), got shape {priors.shape}")
    if np.any(priors <= 0):
        raise ValueError("priors must be > 0")
    try:
        A = np.linalg.solve(cov, means.T)  # (d, K): columns S^{-1} mu_k
    except np.linalg.LinAlgError:
        raise ValueError("cov is singular; LDA needs an invertible shared covariance") from None
    return X @ A - 0.5 * np.einsum("kd,dk->k", means, A) + np.log(priors)


def lda_fit(X, y) -> tuple[np.ndarray, float]:
    """Two-class LDA: the linear discriminant ``score(x) = x^T w + b``.

    With the maximum-likelihood class means ``mu_0, mu_1``, shared covariance ``S`` and class
    frequencies ``pi_0, pi_1`` (see :func:`lda_class_stats`)::

        w = S^{-1} (mu_1 - mu_0)
        b = -(mu_1 + mu_0)^T w / 2 + log(pi_1 / pi_0)

    ``score(x) = delta_1(x) - delta_0(x)`` is the model's log-odds
    ``log p(y=1|x) / p(y=0|x)``; predict class 1 where it is positive. ``w`` is Fisher's
    discriminant direction. Same ``(w, b)`` as scikit-learn's
    ``LinearDiscriminantAnalysis(solver="lsqr")`` (``coef_[0]``, ``intercept_[0]``).

    Args:
        X: Data, shape ``(n, d)``.
        y: Labels in ``{0, 1}``, both present, shape ``(n,)``.

    Returns:
        ``(w, b)``: direction of shape ``(d,)`` and a float offset.

    Raises:
        ValueError: On shape mismatches, labels outside ``{0, 1}``, a missing class, or a
            singular pooled covariance (e.g. fewer than ``d + 2`` samples).
    """
    X, y = _check_Xy(X, y)
    _check_binary(y)
    means, cov, priors = lda_class_stats(X, y)
    if means.shape[0] != 2:
        raise ValueError("y must contain both labels 0 and 1")
    try:
        w = np.linalg.solve(cov, means[1] - means[0])
    except np.linalg.LinAlgError:
        raise ValueError(
            "the pooled within-class covariance is singular (too few samples or collinear "
            "features); LDA needs it invertible"
        ) from None
    b = -0.5 * (means[1] + means[0]) @ w + np.log(priors[1] / priors[0])
    return w, float(b)


def lda_predict(X, w, b) -> np.ndarray:
    """Class predictions ``1`` where ``Xw + b > 0`` and ``0`` elsewhere.

    Args:
        X: Points, shape ``(m, d)``.
        w: Direction from :func:`lda_fit`, shape ``(d,)``.
        b: Offset, a scalar.

    Returns:
        Integer array of shape ``(m,)``.

    Raises:
        ValueError: On shape mismatches.
    """
    X = _check_X(X)
    w = _check_w(w, X.shape[1], X.shape)
    b = np.asarray(b, dtype=np.float64)
    if b.ndim != 0:
        raise ValueError(f"b must be a scalar, got shape {b.shape}")
    return (X @ w + b > 0).astype(np.int64)


# ---------------------------------------------------------------------------------------------
# generic solvers
# ---------------------------------------------------------------------------------------------


def gradient_descent(grad: Callable, w0, lr, n_steps: int, *, tol=None) -> np.ndarray:
    """Gradient descent ``w_{t+1} = w_t - lr * grad(w_t)``, returning every iterate.

    Args:
        grad: Callable returning the gradient at ``w``, an array of ``w``'s shape.
        w0: Starting point, any shape (a scalar for 1-D demos); it is copied, never modified.
        lr: Step size (learning rate), a scalar ``> 0``.
        n_steps: Number of steps, an integer ``>= 0``.
        tol: Optional. Stop early once a step ``lr * grad`` has all entries ``<= tol`` in
            absolute value (the returned array is then shorter).

    Returns:
        Float64 array of shape ``(n_steps + 1,) + w0.shape`` (fewer rows if stopped early);
        row 0 is ``w0``.

    Raises:
        ValueError: If ``lr <= 0``, ``n_steps`` is not a non-negative integer, or ``grad``
            returns an array of the wrong shape.
    """
    lr = _check_positive(lr, "lr")
    n_steps = _check_count(n_steps, "n_steps", 0)
    w = np.array(_as_float_array(w0, "w0"), dtype=np.float64)
    iterates = [w]
    for _ in range(n_steps):
        g = np.asarray(grad(w.copy()), dtype=np.float64)
        if g.shape != w.shape:
            raise ValueError(
                f"grad must return an array of the shape of w0 {w.shape}, got shape {g.shape}"
            )
        step = lr * g
        w = w - step
        iterates.append(w)
        if tol is not None and np.max(np.abs(step), initial=0.0) <= tol:
            break
    return np.array(iterates)


def newton(grad: Callable, hess: Callable, w0, n_steps: int, *, tol=None) -> np.ndarray:
    """Newton's method ``w_{t+1} = w_t - H(w_t)^{-1} grad(w_t)``, returning every iterate.

    The Newton step solves ``H s = g`` with ``solve`` (no inverse). Newton's method jumps to
    the minimum of the local quadratic model: one step for a quadratic loss (OLS, ridge),
    and quadratic convergence near a minimiser with a positive definite Hessian. It is not a
    descent method in general (no line search here): with an indefinite Hessian it can move
    uphill, towards a saddle or a maximum.

    Args:
        grad: Callable returning the gradient at ``w``, shape ``(d,)`` (or a scalar).
        hess: Callable returning the Hessian at ``w``, shape ``(d, d)`` (or a scalar).
        w0: Starting point, shape ``(d,)``, or a scalar for 1-D demos; copied.
        n_steps: Number of steps, an integer ``>= 0``.
        tol: Optional. Stop early once a step has all entries ``<= tol`` in absolute value.

    Returns:
        Float64 array of shape ``(n_steps + 1,) + w0.shape`` (fewer rows if stopped early).

    Raises:
        ValueError: If ``w0`` is not a scalar or 1-D, ``n_steps`` is bad, or ``grad``/``hess``
            return arrays of the wrong shape.
        numpy.linalg.LinAlgError: If the Hessian is singular at an iterate.
    """
    n_steps = _check_count(n_steps, "n_steps", 0)
    w = np.array(_as_float_array(w0, "w0"), dtype=np.float64)
    if w.ndim > 1:
        raise ValueError(f"w0 must be a scalar or have shape (d,), got shape {w.shape}")
    iterates = [w]
    for t in range(n_steps):
        g = np.asarray(grad(w.copy()), dtype=np.float64)
        H = np.asarray(hess(w.copy()), dtype=np.float64)
        if g.shape != w.shape:
            raise ValueError(f"grad must return shape {w.shape}, got shape {g.shape}")
        if H.shape != w.shape * 2:
            raise ValueError(f"hess must return shape {w.shape * 2}, got shape {H.shape}")
        if w.ndim == 0:
            if H == 0:
                raise np.linalg.LinAlgError(f"newton: second derivative is 0 at step {t}")
            step = g / H
        else:
            try:
                step = np.linalg.solve(H, g)
            except np.linalg.LinAlgError:
                raise np.linalg.LinAlgError(
                    f"newton: the Hessian is singular at step {t}"
                ) from None
        w = w - step
        iterates.append(w)
        if tol is not None and np.max(np.abs(step), initial=0.0) <= tol:
            break
    return np.array(iterates)
