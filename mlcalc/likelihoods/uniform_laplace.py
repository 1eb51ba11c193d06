"""Uniform (end points a < b) and Laplace (location mu, scale b) log-likelihoods, gradients
and MLEs."""

from __future__ import annotations

import autograd.numpy as anp
import numpy as np
from autograd.tracer import getval

from ._validate import (
    _data,
    _scalar,
)

__all__ = [
    "laplace_loglik",
    "laplace_loglik_grad",
    "laplace_mle",
    "uniform_loglik",
    "uniform_loglik_grad",
    "uniform_mle",
]


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
