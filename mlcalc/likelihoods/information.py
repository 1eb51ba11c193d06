"""Entropy, cross-entropy and KL divergence of discrete distributions (in nats, 0 log 0 = 0)."""

from __future__ import annotations

import autograd.numpy as anp
import numpy as np
from autograd.tracer import Box, getval

from ._validate import (
    _float_array,
)
from .discrete import _check_simplex

__all__ = ["cross_entropy", "entropy", "kl_divergence"]


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
