"""Exponential (rate lam) and Poisson (mean lam) log-likelihoods, gradients and MLEs."""

from __future__ import annotations

import math

import autograd.numpy as anp
import numpy as np

from ._validate import (
    _check_nonneg_integers,
    _data,
    _scalar,
)

__all__ = [
    "exponential_loglik",
    "exponential_loglik_grad",
    "exponential_mle",
    "poisson_loglik",
    "poisson_loglik_grad",
    "poisson_mle",
]


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
