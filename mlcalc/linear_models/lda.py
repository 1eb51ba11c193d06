"""Linear discriminant analysis: class statistics, discriminants, the fitted boundary."""

from __future__ import annotations

import numpy as np

from ._validate import (
    _as_float_array,
    _check_binary,
    _check_w,
    _check_X,
    _check_Xy,
)

__all__ = ["lda_class_stats", "lda_discriminants", "lda_fit", "lda_predict"]


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
