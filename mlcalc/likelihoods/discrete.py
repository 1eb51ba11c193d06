"""Bernoulli and categorical log-likelihoods, their gradients and the MLEs."""

from __future__ import annotations

import numbers

import autograd.numpy as anp
import numpy as np
from autograd.tracer import Box, getval

from ._validate import (
    _check_binary,
    _data,
    _float_array,
    _scalar,
)

__all__ = [
    "bernoulli_loglik",
    "bernoulli_loglik_grad",
    "bernoulli_mle",
    "categorical_loglik",
    "categorical_loglik_grad",
    "categorical_mle",
]


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
