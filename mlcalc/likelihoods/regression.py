"""Linear-Gaussian regression: the log-likelihood in the weights, log-posteriors under
Gaussian and Laplace priors, and MAP estimates (ridge, lasso, a Gaussian mean, a Bernoulli p)."""

from __future__ import annotations

import autograd.numpy as anp
import numpy as np
from autograd.tracer import Box, getval

from ..linear_models import lasso_fit, ridge_fit
from ._validate import (
    _LOG_2PI,
    _check_binary,
    _data,
    _float_array,
    _scalar,
)

__all__ = [
    "linear_gaussian_loglik",
    "log_posterior_gaussian_prior",
    "log_posterior_laplace_prior",
    "map_bernoulli_beta",
    "map_gaussian_mean",
    "map_gaussian_prior",
    "map_laplace_prior",
]


# ---------------------------------------------------------------------------------------------
# regression likelihoods, posteriors and MAP estimates
# ---------------------------------------------------------------------------------------------


def _regression_args(w, X, y):
    X = _float_array(X, "X")
    if X.ndim != 2:
        raise ValueError(f"X must be a 2-D array of shape (n, d), got shape {X.shape}")
    y = _float_array(y, "y")
    n, d = X.shape
    if y.shape != (n,):
        raise ValueError(
            f"y must have shape (n,) = ({n},) to match X of shape {X.shape}, got shape {y.shape}"
        )
    if np.shape(getval(w)) != (d,):
        raise ValueError(
            f"w must have shape (d,) = ({d},) to match X of shape {X.shape}, "
            f"got shape {np.shape(getval(w))}"
        )
    if not isinstance(w, Box):
        w = _float_array(w, "w")
    return w, X, y


def linear_gaussian_loglik(w, sigma2, X, y):
    """Log-likelihood of linear regression with Gaussian noise, ``y_i ~ N(x_i^T w, sigma2)``.

    ``l(w) = -n/2 log(2 pi sigma2) - ||Xw - y||^2 / (2 sigma2)``: maximising it in ``w`` is
    minimising ``||Xw - y||^2``, so the MLE of ``w`` is the OLS solution.

    Args:
        w: Weights, shape ``(d,)``.
        sigma2: Noise variance, a scalar ``> 0``.
        X: Design matrix, shape ``(n, d)``.
        y: Targets, shape ``(n,)``.

    Returns:
        The scalar log-likelihood (differentiable by autograd in ``w`` and ``sigma2``).

    Raises:
        ValueError: On shape mismatches or ``sigma2 <= 0``.
    """
    w, X, y = _regression_args(w, X, y)
    sigma2, _ = _scalar(sigma2, "sigma2", low=0.0, low_open=True)
    r = anp.dot(X, w) - y
    n = X.shape[0]
    return -0.5 * n * (_LOG_2PI + anp.log(sigma2)) - anp.dot(r, r) / (2.0 * sigma2)


def log_posterior_gaussian_prior(w, X, y, sigma2, tau2):
    """Log posterior of ``w`` (up to ``-log p(y | X)``) with the prior ``w ~ N(0, tau2 I)``.

    ``log p(y | X, w) + log p(w)`` with noise ``y_i ~ N(x_i^T w, sigma2)``. Multiplying by
    ``-sigma2 / n`` and dropping constants gives ``ridge_loss(w, X, y, lam=sigma2 / tau2)``,
    so its maximiser is :func:`map_gaussian_prior`.

    Args:
        w: Weights, shape ``(d,)``.
        X: Design matrix, shape ``(n, d)``.
        y: Targets, shape ``(n,)``.
        sigma2: Noise variance, a scalar ``> 0``.
        tau2: Prior variance of every weight, a scalar ``> 0``.

    Returns:
        The scalar log posterior (differentiable by autograd in ``w``).

    Raises:
        ValueError: On shape mismatches or ``sigma2``/``tau2 <= 0``.
    """
    w, X, y = _regression_args(w, X, y)
    tau2, _ = _scalar(tau2, "tau2", low=0.0, low_open=True)
    d = X.shape[1]
    log_prior = -0.5 * d * (_LOG_2PI + anp.log(tau2)) - anp.dot(w, w) / (2.0 * tau2)
    return linear_gaussian_loglik(w, sigma2, X, y) + log_prior


def log_posterior_laplace_prior(w, X, y, sigma2, b):
    """Log posterior of ``w`` (up to ``-log p(y | X)``) with Laplace priors of scale ``b``.

    The prior is ``p(w) = prod_j exp(-|w_j| / b) / (2b)``. Multiplying the log posterior by
    ``-sigma2 / n`` and dropping constants gives ``lasso_loss(w, X, y, lam=sigma2 / b)``, so
    its maximiser is :func:`map_laplace_prior`.

    Args:
        w: Weights, shape ``(d,)``.
        X: Design matrix, shape ``(n, d)``.
        y: Targets, shape ``(n,)``.
        sigma2: Noise variance, a scalar ``> 0``.
        b: Prior scale, a scalar ``> 0``.

    Returns:
        The scalar log posterior.

    Raises:
        ValueError: On shape mismatches or ``sigma2``/``b <= 0``.
    """
    w, X, y = _regression_args(w, X, y)
    b, _ = _scalar(b, "b", low=0.0, low_open=True)
    d = X.shape[1]
    log_prior = -d * anp.log(2.0 * b) - anp.sum(anp.abs(w)) / b
    return linear_gaussian_loglik(w, sigma2, X, y) + log_prior


def map_gaussian_prior(X, y, sigma2, tau2) -> np.ndarray:
    """MAP weights of linear regression with a Gaussian prior: ridge with ``lam = sigma2 / tau2``.

    Maximising :func:`log_posterior_gaussian_prior` means minimising
    ``||Xw - y||^2 / (2 sigma2) + ||w||^2 / (2 tau2)``; multiplied by ``sigma2`` this is the
    ridge objective ``||Xw - y||^2 / 2 + lam ||w||^2 / 2`` with ``lam = sigma2 / tau2``
    (equivalently ``ridge_loss`` of :mod:`mlcalc.linear_models`, which divides it by n). The
    solution solves ``(X^T X + (sigma2 / tau2) I) w = X^T y``.

    Args:
        X: Design matrix, shape ``(n, d)``.
        y: Targets, shape ``(n,)``.
        sigma2: Noise variance, a scalar ``> 0``.
        tau2: Prior variance, a scalar ``> 0``.

    Returns:
        Weights of shape ``(d,)``, equal to ``ridge_fit(X, y, sigma2 / tau2)``.

    Raises:
        ValueError: On shape mismatches or ``sigma2``/``tau2 <= 0``.
    """
    _, s = _scalar(sigma2, "sigma2", low=0.0, low_open=True)
    _, t = _scalar(tau2, "tau2", low=0.0, low_open=True)
    return ridge_fit(X, y, s / t)


def map_laplace_prior(X, y, sigma2, b) -> np.ndarray:
    """MAP weights of linear regression with Laplace priors: lasso with ``lam = sigma2 / b``.

    Maximising :func:`log_posterior_laplace_prior` means minimising
    ``||Xw - y||^2 / (2 sigma2) + ||w||_1 / b``; multiplied by ``sigma2`` this is the lasso
    objective ``||Xw - y||^2 / 2 + lam ||w||_1`` with ``lam = sigma2 / b``. Solved by
    :func:`mlcalc.linear_models.lasso_fit` (coordinate descent).

    Args:
        X: Design matrix, shape ``(n, d)``.
        y: Targets, shape ``(n,)``.
        sigma2: Noise variance, a scalar ``> 0``.
        b: Prior scale, a scalar ``> 0``.

    Returns:
        Weights of shape ``(d,)``, equal to ``lasso_fit(X, y, sigma2 / b)``.

    Raises:
        ValueError: On shape mismatches or ``sigma2``/``b <= 0``.
    """
    _, s = _scalar(sigma2, "sigma2", low=0.0, low_open=True)
    _, bv = _scalar(b, "b", low=0.0, low_open=True)
    return lasso_fit(X, y, s / bv)


def map_gaussian_mean(x, sigma2, mu0, tau2) -> float:
    """MAP (= posterior mean) of a Gaussian mean with known variance and a Gaussian prior.

    Model ``x_i ~ N(mu, sigma2)``, prior ``mu ~ N(mu0, tau2)``. Setting the derivative of
    ``sum -(x_i - mu)^2 / (2 sigma2) - (mu - mu0)^2 / (2 tau2)`` to zero gives::

        mu_MAP = (tau2 * sum x_i + sigma2 * mu0) / (n tau2 + sigma2),

    a weighted average of the sample mean and ``mu0``; it tends to the MLE ``mean(x)`` as
    ``n`` or ``tau2`` grows.

    Args:
        x: Samples, shape ``(n,)`` (may be empty: then the prior mean is returned).
        sigma2: Known noise variance, a scalar ``> 0``.
        mu0: Prior mean, a scalar.
        tau2: Prior variance, a scalar ``> 0``.

    Returns:
        ``mu_MAP`` as a float.

    Raises:
        ValueError: If ``x`` is not 1-D, or ``sigma2``/``tau2 <= 0``.
    """
    x = _data(x)
    _, s = _scalar(sigma2, "sigma2", low=0.0, low_open=True)
    _, m0 = _scalar(mu0, "mu0")
    _, t = _scalar(tau2, "tau2", low=0.0, low_open=True)
    return float((t * np.sum(x) + s * m0) / (x.shape[0] * t + s))


def map_bernoulli_beta(x, alpha, beta) -> float:
    """MAP Bernoulli probability under a ``Beta(alpha, beta)`` prior.

    The log posterior is ``(s + alpha - 1) log p + (n - s + beta - 1) log(1 - p)`` plus a
    constant, with ``s = sum x_i``; its maximiser is ``(s + alpha - 1) / (n + alpha + beta - 2)``.
    ``alpha = beta = 1`` (flat prior) gives the MLE; ``alpha = beta = 2`` is "add one success
    and one failure" (Laplace smoothing).

    Args:
        x: Outcomes in ``{0, 1}``, shape ``(n,)``.
        alpha: Prior parameter, a scalar ``>= 1``.
        beta: Prior parameter, a scalar ``>= 1``.

    Returns:
        ``p_MAP`` as a float in ``[0, 1]``.

    Raises:
        ValueError: If ``x`` is not 1-D 0/1 outcomes, ``alpha`` or ``beta`` is below 1, or
            ``n + alpha + beta - 2 = 0`` (no data and a flat prior: every ``p`` is a mode).
    """
    x = _data(x)
    _check_binary(x, "x")
    _, a = _scalar(alpha, "alpha", low=1.0)
    _, b = _scalar(beta, "beta", low=1.0)
    denom = x.shape[0] + a + b - 2.0
    if denom == 0.0:
        raise ValueError("no data and alpha = beta = 1: the posterior is flat, no unique MAP")
    return float((np.sum(x) + a - 1.0) / denom)
