"""Gaussian log-likelihoods (univariate in (mu, sigma2), multivariate in (mu, cov)), their
gradients and the MLEs."""

from __future__ import annotations

import autograd.numpy as anp
import numpy as np
from autograd.tracer import Box, getval

from ._validate import (
    _LOG_2PI,
    _data,
    _float_array,
    _scalar,
)

__all__ = [
    "gaussian_loglik",
    "gaussian_loglik_grad",
    "gaussian_mle",
    "mvn_loglik",
    "mvn_loglik_grad",
    "mvn_mle",
]


# ---------------------------------------------------------------------------------------------
# Gaussian (univariate and multivariate)
# ---------------------------------------------------------------------------------------------


def gaussian_loglik(mu, sigma2, x):
    """Gaussian log-likelihood of samples ``x`` with mean ``mu`` and variance ``sigma2``.

    ``l(mu, sigma2) = -n/2 log(2 pi sigma2) - sum_i (x_i - mu)^2 / (2 sigma2)``.

    Args:
        mu: Mean, a scalar.
        sigma2: Variance, a scalar ``> 0``.
        x: Samples, shape ``(n,)``.

    Returns:
        The scalar log-likelihood (differentiable by autograd in ``mu`` and ``sigma2``).

    Raises:
        ValueError: If ``mu``/``sigma2`` are not scalars, ``sigma2 <= 0`` or ``x`` is not 1-D.
    """
    mu, _ = _scalar(mu, "mu")
    sigma2, _ = _scalar(sigma2, "sigma2", low=0.0, low_open=True)
    x = _data(x)
    n = x.shape[0]
    r = x - mu
    return -0.5 * n * (_LOG_2PI + anp.log(sigma2)) - anp.sum(r * r) / (2.0 * sigma2)


def gaussian_loglik_grad(mu, sigma2, x) -> np.ndarray:
    """Gradient of :func:`gaussian_loglik` with respect to ``(mu, sigma2)``.

    ``dl/dmu = sum (x_i - mu) / sigma2`` and
    ``dl/dsigma2 = -n / (2 sigma2) + sum (x_i - mu)^2 / (2 sigma2^2)``.

    Args:
        mu: Mean, a scalar.
        sigma2: Variance, a scalar ``> 0``.
        x: Samples, shape ``(n,)``.

    Returns:
        Array ``[dl/dmu, dl/dsigma2]`` of shape ``(2,)``.

    Raises:
        ValueError: As :func:`gaussian_loglik`.
    """
    _, mu = _scalar(mu, "mu")
    _, sigma2 = _scalar(sigma2, "sigma2", low=0.0, low_open=True)
    x = _data(x)
    r = x - mu
    n = x.shape[0]
    return np.array([np.sum(r) / sigma2, -0.5 * n / sigma2 + np.sum(r * r) / (2.0 * sigma2**2)])


def gaussian_mle(x) -> tuple[float, float]:
    """Maximum-likelihood Gaussian parameters: the sample mean and the (biased) variance.

    ``mu_hat = mean(x)`` solves ``dl/dmu = 0``; then ``sigma2_hat = mean((x - mu_hat)^2)``
    (divided by n, not n - 1) solves ``dl/dsigma2 = 0``.

    Args:
        x: Samples, shape ``(n,)`` with ``n >= 1``.

    Returns:
        ``(mu_hat, sigma2_hat)`` as floats. ``sigma2_hat`` is 0 when all samples are equal
        (the likelihood is then unbounded: no maximiser with ``sigma2 > 0``).

    Raises:
        ValueError: If ``x`` is not 1-D or is empty.
    """
    x = _data(x, nonempty=True)
    mu = float(np.mean(x))
    return mu, float(np.mean((x - mu) ** 2))


def _check_cov(cov, d: int) -> np.ndarray:
    cov = _float_array(cov, "cov")
    if cov.shape != (d, d):
        raise ValueError(f"cov must have shape (d, d) = ({d}, {d}), got shape {cov.shape}")
    scale = np.max(np.abs(cov), initial=0.0)
    if not np.allclose(cov, cov.T, rtol=0.0, atol=1e-10 * scale):
        raise ValueError("cov must be symmetric")
    try:
        np.linalg.cholesky(cov)
    except np.linalg.LinAlgError:
        raise ValueError("cov must be positive definite") from None
    return cov


def _mvn_args(mu, cov, X):
    X = _float_array(X, "X")
    if X.ndim != 2:
        raise ValueError(f"X must be a 2-D array of samples, shape (n, d), got shape {X.shape}")
    d = X.shape[1]
    mu_val = getval(mu)
    if np.shape(mu_val) != (d,):
        raise ValueError(
            f"mu must have shape (d,) = ({d},) to match X of shape {X.shape}, "
            f"got shape {np.shape(mu_val)}"
        )
    if not isinstance(mu, Box):
        mu = _float_array(mu, "mu")
    cov_val = getval(cov)
    _check_cov(cov_val, d)
    if not isinstance(cov, Box):
        cov = _float_array(cov, "cov")
    return mu, cov, X


def mvn_loglik(mu, cov, X):
    """Multivariate Gaussian log-likelihood of the rows of ``X``.

    ``l(mu, S) = -n/2 (d log(2 pi) + log det S) - 1/2 sum_i (x_i - mu)^T S^{-1} (x_i - mu)``.

    Args:
        mu: Mean, shape ``(d,)``.
        cov: Covariance ``S``, symmetric positive definite, shape ``(d, d)``.
        X: Samples as rows, shape ``(n, d)``.

    Returns:
        The scalar log-likelihood (differentiable by autograd in ``mu`` and ``cov``; the
        quadratic form uses ``solve``, the determinant ``slogdet``).

    Raises:
        ValueError: On shape mismatches or a ``cov`` that is not symmetric positive definite.
    """
    mu, cov, X = _mvn_args(mu, cov, X)
    n, d = X.shape
    D = X - mu
    Z = anp.linalg.solve(cov, anp.transpose(D))  # (d, n): S^{-1} (x_i - mu)
    logdet = anp.linalg.slogdet(cov)[1]
    return -0.5 * n * (d * _LOG_2PI + logdet) - 0.5 * anp.sum(anp.transpose(D) * Z)


def mvn_loglik_grad(mu, cov, X) -> tuple[np.ndarray, np.ndarray]:
    """Gradient of :func:`mvn_loglik` with respect to ``mu`` and to ``cov``.

    With ``S`` the covariance and ``A = sum_i (x_i - mu)(x_i - mu)^T`` (the scatter matrix)::

        dl/dmu = S^{-1} sum_i (x_i - mu)                    shape (d,)
        dl/dS  = (S^{-1} A S^{-1} - n S^{-1}) / 2          shape (d, d), symmetric

    ``dl/dS`` is the gradient treating the ``d^2`` entries of ``S`` as independent (the
    Matrix Cookbook convention), from ``d log det S = tr(S^{-1} dS)`` and
    ``d S^{-1} = -S^{-1} dS S^{-1}``. To check it with finite differences, which perturb one
    entry and so leave the symmetric matrices, evaluate the log-likelihood at
    ``S = (B + B^T) / 2``: its gradient in ``B`` at a symmetric ``B`` is the same matrix.

    Args:
        mu: Mean, shape ``(d,)``.
        cov: Covariance, symmetric positive definite, shape ``(d, d)``.
        X: Samples as rows, shape ``(n, d)``.

    Returns:
        ``(grad_mu, grad_cov)`` with shapes ``(d,)`` and ``(d, d)``.

    Raises:
        ValueError: As :func:`mvn_loglik`.
    """
    mu, cov, X = _mvn_args(getval(mu), getval(cov), X)
    n, d = X.shape
    D = X - mu
    L = np.linalg.cholesky(cov)

    def cho_solve(B):
        return np.linalg.solve(L.T, np.linalg.solve(L, B))

    grad_mu = cho_solve(D.sum(axis=0))
    S_inv = cho_solve(np.eye(d))
    Z = cho_solve(D.T)  # (d, n)
    G = 0.5 * (Z @ Z.T - n * S_inv)
    return grad_mu, 0.5 * (G + G.T)


def mvn_mle(X) -> tuple[np.ndarray, np.ndarray]:
    """Maximum-likelihood mean and covariance of the rows of ``X``.

    ``mu_hat = (1/n) sum x_i`` and ``S_hat = (1/n) sum (x_i - mu_hat)(x_i - mu_hat)^T`` (divided
    by n, like ``numpy.cov(X.T, bias=True)``): both make :func:`mvn_loglik_grad` vanish.

    Args:
        X: Samples as rows, shape ``(n, d)`` with ``n >= 1``.

    Returns:
        ``(mu_hat, cov_hat)`` with shapes ``(d,)`` and ``(d, d)``. ``cov_hat`` is singular when
        ``n <= d`` (then the likelihood has no maximiser).

    Raises:
        ValueError: If ``X`` is not 2-D or has no rows.
    """
    X = _float_array(X, "X")
    if X.ndim != 2 or X.shape[0] == 0:
        raise ValueError(
            f"X must be a 2-D array of samples, shape (n, d) with n >= 1, got shape {X.shape}"
        )
    mu = X.mean(axis=0)
    D = X - mu
    cov = D.T @ D / X.shape[0]
    return mu, 0.5 * (cov + cov.T)
