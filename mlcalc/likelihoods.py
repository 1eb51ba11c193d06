"""Likelihoods: log-likelihoods and their gradients, MLE and MAP estimates, entropy and KL.

Conventions:

* Data ``x`` is a 1-D array of ``n`` independent samples, shape ``(n,)`` (``X`` of shape
  ``(n, d)`` for the multivariate Gaussian and for regression). A log-likelihood is the **sum**
  ``l(theta) = sum_i log p(x_i | theta)`` over the samples, with every normalising constant
  included, so ``exp(l)`` is the actual likelihood. (The losses of :mod:`mlcalc.linear_models`
  are means; a log-likelihood is a sum: the factor n is stated wherever the two meet.)
* ``<name>_loglik_grad`` has the same arguments as ``<name>_loglik`` and returns the gradient
  with respect to the **parameters**: a float for one parameter, an array ``[d/d theta_1,
  d/d theta_2]`` of shape ``(2,)`` for two (Gaussian ``(mu, sigma2)``, uniform ``(a, b)``,
  Laplace ``(mu, b)``), and for the multivariate Gaussian a pair of arrays.
* Parametrisations: Gaussian by its variance ``sigma2`` (not the standard deviation),
  exponential by its rate ``lam`` (density ``lam * exp(-lam x)``, mean ``1 / lam``), Poisson by
  its mean ``lam``, Laplace by location ``mu`` and scale ``b`` (density
  ``exp(-|x - mu| / b) / (2b)``), uniform by its end points ``a < b``.
* ``0 log 0 = 0`` wherever it can occur (Bernoulli and categorical log-likelihoods, entropy,
  cross-entropy, KL divergence). Natural logarithms: the unit is the nat.
* Kink convention (Laplace in ``mu``): the derivative of ``|x_i - mu|`` at ``x_i = mu`` is taken
  as ``sign(0) = 0``, as autograd does.
* The log-likelihoods are written with ``autograd.numpy``, so autograd can differentiate them
  with respect to their parameters. Inputs are never modified. Bad input raises
  ``ValueError`` naming the argument and the expected shape or range: ``p`` outside
  ``[0, 1]``, ``sigma2 <= 0``, data outside the support (negative exponential samples,
  non-integer Poisson counts, samples outside ``[a, b]``), shape mismatches.
* MAP estimates and the ridge/lasso scaling: a Gaussian prior ``w ~ N(0, tau2 I)`` with noise
  ``y | X, w ~ N(Xw, sigma2 I)`` gives the ridge solution with ``lam = sigma2 / tau2`` in
  :func:`mlcalc.linear_models.ridge_fit` (whose loss is the textbook sum objective divided by
  n, so ``lam`` is the textbook ``lam``); a Laplace prior with scale ``b`` gives the lasso
  solution with ``lam = sigma2 / b``.
"""

from __future__ import annotations

import math
import numbers

import autograd.numpy as anp
import numpy as np
from autograd.tracer import Box, getval

from .linear_models import lasso_fit, ridge_fit

__all__ = [
    "bernoulli_loglik",
    "bernoulli_loglik_grad",
    "bernoulli_mle",
    "categorical_loglik",
    "categorical_loglik_grad",
    "categorical_mle",
    "cross_entropy",
    "entropy",
    "exponential_loglik",
    "exponential_loglik_grad",
    "exponential_mle",
    "gaussian_loglik",
    "gaussian_loglik_grad",
    "gaussian_mle",
    "kl_divergence",
    "laplace_loglik",
    "laplace_loglik_grad",
    "laplace_mle",
    "linear_gaussian_loglik",
    "log_posterior_gaussian_prior",
    "log_posterior_laplace_prior",
    "map_bernoulli_beta",
    "map_gaussian_mean",
    "map_gaussian_prior",
    "map_laplace_prior",
    "mvn_loglik",
    "mvn_loglik_grad",
    "mvn_mle",
    "poisson_loglik",
    "poisson_loglik_grad",
    "poisson_mle",
    "uniform_loglik",
    "uniform_loglik_grad",
    "uniform_mle",
]

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


# ---------------------------------------------------------------------------------------------
# Bernoulli and categorical
# ---------------------------------------------------------------------------------------------


def bernoulli_loglik(p, x):
    """Bernoulli log-likelihood ``l(p) = sum x_i log p + (1 - x_i) log(1 - p)``.

    With ``s = sum x_i`` ones among ``n`` samples, ``l(p) = s log p + (n - s) log(1 - p)``, using
    ``0 log 0 = 0``: ``l(0) = 0`` when every ``x_i = 0`` and ``-inf`` otherwise (similarly at
    ``p = 1``), without warnings.

    Args:
        p: Success probability, a scalar in ``[0, 1]``.
        x: Outcomes in ``{0, 1}``, shape ``(n,)``.

    Returns:
        The scalar log-likelihood (differentiable by autograd in ``p`` for ``0 < p < 1``).

    Raises:
        ValueError: If ``p`` is outside ``[0, 1]`` or not a scalar, or ``x`` is not 1-D with
            entries in ``{0, 1}``.
    """
    p, pv = _scalar(p, "p", low=0.0, high=1.0)
    x = _data(x)
    _check_binary(x, "x")
    s = float(np.sum(x))
    f = float(x.shape[0]) - s
    if np.isnan(s):
        return float("nan")
    out = 0.0
    if s > 0:
        out = out + (s * anp.log(p) if pv > 0 else -np.inf)
    if f > 0:
        out = out + (f * anp.log1p(-p) if pv < 1 else -np.inf)
    return out


def bernoulli_loglik_grad(p, x) -> float:
    """Derivative of :func:`bernoulli_loglik`: ``s / p - (n - s) / (1 - p)`` with ``s = sum x_i``.

    A term whose count is 0 is identically 0 and contributes 0, so the derivative is finite at
    ``p = 0`` when every ``x_i = 0`` (it is ``-n``) and at ``p = 1`` when every ``x_i = 1``.

    Args:
        p: Success probability, a scalar in ``[0, 1]``.
        x: Outcomes in ``{0, 1}``, shape ``(n,)``.

    Returns:
        The derivative, a float.

    Raises:
        ValueError: As :func:`bernoulli_loglik`, and where the log-likelihood is ``-inf``
            (``p = 0`` with a 1 in ``x``, or ``p = 1`` with a 0).
    """
    _, p = _scalar(p, "p", low=0.0, high=1.0)
    x = _data(x)
    _check_binary(x, "x")
    s = float(np.sum(x))
    f = float(x.shape[0]) - s
    out = 0.0
    if s > 0:
        if p == 0.0:
            raise ValueError("p = 0 with a 1 in x: the log-likelihood is -inf, no derivative")
        out += s / p
    if f > 0:
        if p == 1.0:
            raise ValueError("p = 1 with a 0 in x: the log-likelihood is -inf, no derivative")
        out -= f / (1.0 - p)
    return out if not np.isnan(s) else float("nan")


def bernoulli_mle(x) -> float:
    """Maximum-likelihood Bernoulli probability: the fraction of ones, ``mean(x)``.

    Args:
        x: Outcomes in ``{0, 1}``, shape ``(n,)`` with ``n >= 1``.

    Returns:
        ``p_hat`` as a float.

    Raises:
        ValueError: If ``x`` is empty, not 1-D or has entries outside ``{0, 1}``.
    """
    x = _data(x, nonempty=True)
    _check_binary(x, "x")
    return float(np.mean(x))


def _labels(x, name: str, K: int | None = None) -> np.ndarray:
    x = _data(x, name)
    if (
        np.any(~np.isfinite(x))
        or np.any(x != np.round(x))
        or np.any(x < 0)
        or (K is not None and np.any(x >= K))
    ):
        upper = "K-1" if K is None else str(K - 1)
        raise ValueError(f"{name} must hold integer class labels 0, ..., {upper}")
    return x.astype(np.int64)


def _check_simplex(p_val: np.ndarray, name: str, *, check_sum: bool = True) -> None:
    if np.any(p_val < 0) or np.any(p_val > 1):
        raise ValueError(f"{name} must hold probabilities in [0, 1]")
    if check_sum:
        eps = np.finfo(p_val.dtype if p_val.dtype.kind == "f" else np.float64).eps
        total = p_val.sum(axis=-1)
        if not np.all(np.abs(total - 1.0) <= max(np.sqrt(eps), 4 * p_val.shape[-1] * eps)):
            raise ValueError(
                f"{name} must sum to 1 along its last axis, got sums "
                f"{np.atleast_1d(total)[:5].tolist()}"
            )


def categorical_loglik(p, x, *, check_sum: bool = True):
    """Categorical log-likelihood ``l(p) = sum_i log p_{x_i} = sum_k c_k log p_k``.

    ``c_k`` is the number of samples in class ``k``; terms with ``c_k = 0`` are 0 even where
    ``p_k = 0`` (``0 log 0 = 0``); ``c_k > 0`` with ``p_k = 0`` gives ``-inf`` without warnings.

    Args:
        p: Class probabilities, shape ``(K,)``, entries in ``[0, 1]`` summing to 1.
        x: Integer class labels ``0, ..., K-1``, shape ``(n,)``.
        check_sum: If False, skip the check that ``p`` sums to 1 and evaluate the formula as a
            function of ``K`` free variables (what finite differences and the Lagrangian
            derivation of the MLE need).

    Returns:
        The scalar log-likelihood (differentiable by autograd in ``p`` where ``p > 0``).

    Raises:
        ValueError: If ``p`` is not 1-D, has entries outside ``[0, 1]`` or does not sum to 1,
            or ``x`` has labels outside ``0, ..., K-1``.
    """
    p_val = _float_array(getval(p), "p")
    if p_val.ndim != 1:
        raise ValueError(
            f"p must be a 1-D array of class probabilities, shape (K,), got shape {p_val.shape}"
        )
    _check_simplex(p_val, "p", check_sum=check_sum)
    K = p_val.shape[0]
    counts = np.bincount(_labels(x, "x", K), minlength=K).astype(np.float64)
    if not isinstance(p, Box):
        p = p_val
    used = counts > 0
    if np.any(used & (p_val == 0)):
        return -np.inf + 0.0 * anp.sum(p)
    safe_p = anp.where(used, p, 1.0)
    return anp.sum(counts * anp.log(safe_p))


def categorical_loglik_grad(p, x, *, check_sum: bool = True) -> np.ndarray:
    """Gradient of :func:`categorical_loglik` with respect to ``p``: ``c_k / p_k``, shape ``(K,)``.

    This is the gradient with the ``p_k`` treated as free variables; on the simplex the
    maximiser is where it is parallel to ``(1, ..., 1)`` (Lagrange condition
    ``c_k / p_k = n``), i.e. ``p_k = c_k / n``. Entries with ``c_k = 0`` are 0.

    Args:
        p: Class probabilities, shape ``(K,)``.
        x: Integer class labels ``0, ..., K-1``, shape ``(n,)``.
        check_sum: As in :func:`categorical_loglik`.

    Returns:
        Array of shape ``(K,)``.

    Raises:
        ValueError: As :func:`categorical_loglik`, and if some ``p_k = 0`` with ``c_k > 0``.
    """
    p = _float_array(getval(p), "p")
    if p.ndim != 1:
        raise ValueError(
            f"p must be a 1-D array of class probabilities, shape (K,), got shape {p.shape}"
        )
    _check_simplex(p, "p", check_sum=check_sum)
    K = p.shape[0]
    counts = np.bincount(_labels(x, "x", K), minlength=K).astype(np.float64)
    used = counts > 0
    if np.any(used & (p == 0)):
        raise ValueError("p_k = 0 for a class k present in x: the log-likelihood is -inf")
    return np.where(used, counts / np.where(used, p, 1.0), 0.0)


def categorical_mle(x, n_classes: int | None = None) -> np.ndarray:
    """Maximum-likelihood class probabilities: the class frequencies ``c_k / n``.

    Args:
        x: Integer class labels, shape ``(n,)`` with ``n >= 1``.
        n_classes: Number of classes ``K``; default ``max(x) + 1``.

    Returns:
        Array of shape ``(K,)`` summing to 1.

    Raises:
        ValueError: If ``x`` is empty or holds labels that are not integers in
            ``0, ..., K-1``.
    """
    x = _data(x, nonempty=True)
    if n_classes is not None:
        if (
            isinstance(n_classes, bool)
            or not isinstance(n_classes, numbers.Integral)
            or n_classes < 1
        ):
            raise ValueError(f"n_classes must be a positive integer, got {n_classes!r}")
    labels = _labels(x, "x", n_classes)
    K = int(labels.max()) + 1 if n_classes is None else int(n_classes)
    return np.bincount(labels, minlength=K) / labels.shape[0]


# ---------------------------------------------------------------------------------------------
# exponential and Poisson
# ---------------------------------------------------------------------------------------------


def _nonneg_data(x, name: str = "x", nonempty: bool = False) -> np.ndarray:
    x = _data(x, name, nonempty=nonempty)
    if np.any(x < 0):
        raise ValueError(
            f"{name} must hold samples >= 0 (the support), got a minimum of {np.nanmin(x)!r}"
        )
    return x


def exponential_loglik(lam, x):
    """Exponential log-likelihood ``l(lam) = n log lam - lam sum x_i`` (density ``lam e^{-lam x}``).

    Args:
        lam: Rate, a scalar ``> 0`` (the mean is ``1 / lam``).
        x: Samples ``>= 0``, shape ``(n,)``.

    Returns:
        The scalar log-likelihood (differentiable by autograd in ``lam``).

    Raises:
        ValueError: If ``lam <= 0`` or not a scalar, or ``x`` is not 1-D or has a negative
            sample.
    """
    lam, _ = _scalar(lam, "lam", low=0.0, low_open=True)
    x = _nonneg_data(x)
    return x.shape[0] * anp.log(lam) - lam * np.sum(x)


def exponential_loglik_grad(lam, x) -> float:
    """Derivative of :func:`exponential_loglik`: ``n / lam - sum x_i``.

    Args:
        lam: Rate, a scalar ``> 0``.
        x: Samples ``>= 0``, shape ``(n,)``.

    Returns:
        The derivative, a float.

    Raises:
        ValueError: As :func:`exponential_loglik`.
    """
    _, lam = _scalar(lam, "lam", low=0.0, low_open=True)
    x = _nonneg_data(x)
    return float(x.shape[0] / lam - np.sum(x))


def exponential_mle(x) -> float:
    """Maximum-likelihood exponential rate ``1 / mean(x)``.

    Args:
        x: Samples ``>= 0``, shape ``(n,)`` with ``n >= 1``.

    Returns:
        ``lam_hat`` as a float.

    Raises:
        ValueError: If ``x`` is empty, has a negative sample, or is all zeros (then the
            likelihood grows without bound as ``lam -> inf``).
    """
    x = _nonneg_data(x, nonempty=True)
    m = float(np.mean(x))
    if m == 0.0:
        raise ValueError(
            "x is all zeros: the likelihood increases without bound in lam, "
            "there is no maximum-likelihood rate"
        )
    return 1.0 / m


def _log_factorial_sum(k: np.ndarray) -> float:
    if np.any(np.isnan(k)):
        return float("nan")
    return float(sum(math.lgamma(v + 1.0) for v in k.tolist()))


def poisson_loglik(lam, k):
    """Poisson log-likelihood ``l(lam) = sum_i (k_i log lam - lam - log k_i!)``.

    Args:
        lam: Mean (rate), a scalar ``>= 0``. At ``lam = 0`` the result is 0 if every
            ``k_i = 0`` (``0 log 0 = 0``) and ``-inf`` otherwise.
        k: Counts, non-negative integers, shape ``(n,)``.

    Returns:
        The scalar log-likelihood (differentiable by autograd in ``lam > 0``).

    Raises:
        ValueError: If ``lam < 0`` or not a scalar, or ``k`` is not 1-D non-negative integers.
    """
    lam, lam_v = _scalar(lam, "lam", low=0.0)
    k = _data(k, "k")
    _check_nonneg_integers(k, "k")
    s = float(np.sum(k))
    n = k.shape[0]
    const = _log_factorial_sum(k)
    if lam_v == 0.0 and s > 0:
        return -np.inf + 0.0 * lam
    term = s * anp.log(lam) if s != 0 else 0.0
    return term - n * lam - const


def poisson_loglik_grad(lam, k) -> float:
    """Derivative of :func:`poisson_loglik`: ``sum k_i / lam - n``.

    Args:
        lam: Mean, a scalar ``> 0`` (at ``lam = 0`` only if every ``k_i = 0``; then ``-n``).
        k: Counts, non-negative integers, shape ``(n,)``.

    Returns:
        The derivative, a float.

    Raises:
        ValueError: As :func:`poisson_loglik`, and at ``lam = 0`` with a positive count.
    """
    _, lam = _scalar(lam, "lam", low=0.0)
    k = _data(k, "k")
    _check_nonneg_integers(k, "k")
    s = float(np.sum(k))
    if s == 0:
        return float(-k.shape[0])
    if lam == 0.0:
        raise ValueError("lam = 0 with a positive count: the log-likelihood is -inf")
    return s / lam - k.shape[0]


def poisson_mle(k) -> float:
    """Maximum-likelihood Poisson mean: the sample mean ``mean(k)``.

    Args:
        k: Counts, non-negative integers, shape ``(n,)`` with ``n >= 1``.

    Returns:
        ``lam_hat`` as a float (0 if every count is 0: a boundary maximum).

    Raises:
        ValueError: If ``k`` is empty, not 1-D or not non-negative integers.
    """
    k = _data(k, "k", nonempty=True)
    _check_nonneg_integers(k, "k")
    return float(np.mean(k))


# ---------------------------------------------------------------------------------------------
# uniform and Laplace
# ---------------------------------------------------------------------------------------------


def _uniform_args(a, b, x):
    a, av = _scalar(a, "a")
    b, bv = _scalar(b, "b")
    if not av < bv:
        raise ValueError(f"a must be < b, got a={av!r}, b={bv!r}")
    x = _data(x)
    return a, av, b, bv, x


def uniform_loglik(a, b, x, *, allow_outside: bool = False):
    """Uniform log-likelihood on ``[a, b]``: ``l(a, b) = -n log(b - a)``, every sample inside.

    Args:
        a: Left end, a scalar.
        b: Right end, a scalar ``> a``.
        x: Samples, shape ``(n,)``, all in ``[a, b]``.
        allow_outside: If True, a sample outside ``[a, b]`` gives ``-inf`` (likelihood 0)
            instead of an error: convenient for plotting ``l`` over a grid of ``(a, b)``.

    Returns:
        The scalar log-likelihood (differentiable by autograd in ``a`` and ``b``).

    Raises:
        ValueError: If ``a >= b``, ``a``/``b`` are not scalars, ``x`` is not 1-D, or (unless
            ``allow_outside``) a sample lies outside ``[a, b]``.
    """
    a, av, b, bv, x = _uniform_args(a, b, x)
    if np.any((x < av) | (x > bv)):
        if allow_outside:
            return -np.inf + 0.0 * (b - a)
        raise ValueError(
            f"x must lie in the support [a, b] = [{av!r}, {bv!r}], got samples in "
            f"[{np.nanmin(x)!r}, {np.nanmax(x)!r}]"
        )
    return -x.shape[0] * anp.log(b - a) + 0.0 * np.sum(x)


def uniform_loglik_grad(a, b, x) -> np.ndarray:
    """Gradient of :func:`uniform_loglik`: ``[n / (b - a), -n / (b - a)]``.

    It never vanishes: ``l`` grows as ``a`` increases and as ``b`` decreases, until ``a`` hits
    ``min(x)`` or ``b`` hits ``max(x)``, where ``l`` drops to ``-inf``. The maximum is on that
    boundary (see :func:`uniform_mle`). At ``a = min(x)`` (or ``b = max(x)``) the value is the
    one-sided derivative from inside the feasible set.

    Args:
        a: Left end, a scalar.
        b: Right end, a scalar ``> a``.
        x: Samples, shape ``(n,)``, all in ``[a, b]``.

    Returns:
        Array ``[dl/da, dl/db]`` of shape ``(2,)``.

    Raises:
        ValueError: As :func:`uniform_loglik` (with ``allow_outside=False``).
    """
    _, av, _, bv, x = _uniform_args(getval(a), getval(b), x)
    if np.any((x < av) | (x > bv)):
        raise ValueError(
            f"x must lie in the support [a, b] = [{av!r}, {bv!r}], got samples in "
            f"[{np.nanmin(x)!r}, {np.nanmax(x)!r}]"
        )
    n = x.shape[0]
    g = n / (bv - av)
    nan = 0.0 * np.sum(x)
    return np.array([g + nan, -g + nan])


def uniform_mle(x) -> tuple[float, float]:
    """Maximum-likelihood uniform end points ``(min(x), max(x))``: a boundary maximum.

    ``l(a, b) = -n log(b - a)`` increases as the interval shrinks, and the interval must
    contain every sample, so the tightest one wins; the derivative is never 0 there.

    Args:
        x: Samples, shape ``(n,)`` with at least two distinct values.

    Returns:
        ``(a_hat, b_hat)`` as floats.

    Raises:
        ValueError: If ``x`` is empty, not 1-D, or all its samples are equal (no interval of
            positive length: the likelihood is unbounded).
    """
    x = _data(x, nonempty=True)
    a, b = float(np.min(x)), float(np.max(x))
    if not a < b:
        raise ValueError(
            "x must contain at least two distinct values: with a = b the likelihood is unbounded"
        )
    return a, b


def laplace_loglik(mu, b, x):
    """Laplace log-likelihood ``l(mu, b) = -n log(2b) - sum |x_i - mu| / b``.

    Args:
        mu: Location, a scalar.
        b: Scale, a scalar ``> 0`` (the density is ``exp(-|x - mu| / b) / (2b)``).
        x: Samples, shape ``(n,)``.

    Returns:
        The scalar log-likelihood (differentiable by autograd in ``b``, and in ``mu`` away
        from the samples).

    Raises:
        ValueError: If ``mu``/``b`` are not scalars, ``b <= 0``, or ``x`` is not 1-D.
    """
    mu, _ = _scalar(mu, "mu")
    b, _ = _scalar(b, "b", low=0.0, low_open=True)
    x = _data(x)
    return -x.shape[0] * anp.log(2.0 * b) - anp.sum(anp.abs(x - mu)) / b


def laplace_loglik_grad(mu, b, x) -> np.ndarray:
    """Gradient of :func:`laplace_loglik` with respect to ``(mu, b)``.

    ``dl/dmu = sum sign(x_i - mu) / b`` (with ``sign(0) = 0`` where ``mu`` equals a sample: a
    subgradient there) and ``dl/db = -n / b + sum |x_i - mu| / b^2``.

    Args:
        mu: Location, a scalar.
        b: Scale, a scalar ``> 0``.
        x: Samples, shape ``(n,)``.

    Returns:
        Array ``[dl/dmu, dl/db]`` of shape ``(2,)``.

    Raises:
        ValueError: As :func:`laplace_loglik`.
    """
    _, mu = _scalar(mu, "mu")
    _, b = _scalar(b, "b", low=0.0, low_open=True)
    x = _data(x)
    r = x - mu
    return np.array([np.sum(np.sign(r)) / b, -x.shape[0] / b + np.sum(np.abs(r)) / b**2])


def laplace_mle(x) -> tuple[float, float]:
    """Maximum-likelihood Laplace parameters: the median and the mean absolute deviation from it.

    ``mu_hat = median(x)``: ``sum |x_i - mu|`` is minimised where as many samples lie above
    ``mu`` as below (for even ``n`` every point between the two middle samples is a
    maximiser; this returns their midpoint). Then ``b_hat = mean(|x - mu_hat|)`` solves
    ``dl/db = 0``.

    Args:
        x: Samples, shape ``(n,)`` with ``n >= 1``.

    Returns:
        ``(mu_hat, b_hat)`` as floats (``b_hat = 0`` when every sample equals the median).

    Raises:
        ValueError: If ``x`` is empty or not 1-D.
    """
    x = _data(x, nonempty=True)
    mu = float(np.median(x))
    return mu, float(np.mean(np.abs(x - mu)))


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


# ---------------------------------------------------------------------------------------------
# entropy, cross-entropy, KL divergence
# ---------------------------------------------------------------------------------------------


def _distributions(p, q=None):
    p_val = _float_array(getval(p), "p")
    if p_val.ndim == 0:
        raise ValueError("p must have shape (K,) or (..., K), got a scalar")
    _check_simplex(p_val, "p")
    if not isinstance(p, Box):
        p = p_val
    if q is None:
        return p, p_val, None, None
    q_val = _float_array(getval(q), "q")
    if q_val.shape != p_val.shape:
        raise ValueError(f"q must have the shape of p {p_val.shape}, got shape {q_val.shape}")
    _check_simplex(q_val, "q")
    if not isinstance(q, Box):
        q = q_val
    return p, p_val, q, q_val


def _unwrap_0d(a):
    """Return a 0-d ndarray as a NumPy scalar (autograd boxes pass through)."""
    if isinstance(a, np.ndarray) and a.ndim == 0:
        return a[()]
    return a


def entropy(p):
    """Shannon entropy ``H(p) = -sum_k p_k log p_k`` in nats, with ``0 log 0 = 0``.

    Args:
        p: Probabilities, shape ``(K,)`` or ``(..., K)``; entries in ``[0, 1]`` summing to 1
            along the last axis.

    Returns:
        A scalar, or an array of shape ``p.shape[:-1]``.

    Raises:
        ValueError: If ``p`` is not a distribution along its last axis.
    """
    p, p_val, _, _ = _distributions(p)
    pos = p_val > 0
    safe = anp.where(pos, p, 1.0)
    return -anp.sum(anp.where(pos, p * anp.log(safe), 0.0), axis=-1)


def cross_entropy(p, q):
    """Cross-entropy ``H(p, q) = -sum_k p_k log q_k`` in nats, with ``0 log 0 = 0``.

    ``+inf`` (no warning) where some ``q_k = 0`` while ``p_k > 0``. It satisfies
    ``H(p, q) = H(p) + KL(p || q)``, so minimising it in ``q`` minimises the KL divergence.

    Args:
        p: Probabilities, shape ``(K,)`` or ``(..., K)``, summing to 1 along the last axis.
        q: Probabilities of the same shape.

    Returns:
        A scalar, or an array of shape ``p.shape[:-1]``.

    Raises:
        ValueError: If ``p`` or ``q`` is not a distribution or their shapes differ.
    """
    p, p_val, q, q_val = _distributions(p, q)
    pos = p_val > 0
    blocked = np.any(pos & (q_val == 0), axis=-1)
    safe_q = anp.where(pos & (q_val > 0), q, 1.0)
    out = -anp.sum(anp.where(pos, p * anp.log(safe_q), 0.0), axis=-1)
    return _unwrap_0d(anp.where(blocked, np.inf, out))


def kl_divergence(p, q):
    """Kullback-Leibler divergence ``KL(p || q) = sum_k p_k log(p_k / q_k)`` in nats.

    Uses ``0 log(0 / q) = 0``; ``+inf`` (no warning) where some ``q_k = 0`` while ``p_k > 0``.
    Always ``>= 0``, 0 only for ``p = q``, and not symmetric in ``p`` and ``q``.

    Args:
        p: Probabilities, shape ``(K,)`` or ``(..., K)``, summing to 1 along the last axis.
        q: Probabilities of the same shape.

    Returns:
        A scalar, or an array of shape ``p.shape[:-1]``.

    Raises:
        ValueError: If ``p`` or ``q`` is not a distribution or their shapes differ.
    """
    p, p_val, q, q_val = _distributions(p, q)
    pos = p_val > 0
    blocked = np.any(pos & (q_val == 0), axis=-1)
    safe_p = anp.where(pos, p, 1.0)
    safe_q = anp.where(pos & (q_val > 0), q, 1.0)
    out = anp.sum(anp.where(pos, p * (anp.log(safe_p) - anp.log(safe_q)), 0.0), axis=-1)
    return _unwrap_0d(anp.where(blocked, np.inf, out))
