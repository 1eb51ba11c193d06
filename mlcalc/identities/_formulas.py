"""Small helpers the entries' formulas use, written with ``autograd.numpy`` so autograd can
differentiate them (the registry states its formulas independently of the other ``mlcalc``
modules)."""

import math

import autograd.numpy as anp
import numpy as np


def _sig(z):
    """Logistic sigmoid, overflow-free: 1/(1+exp(-z)) = (1 + tanh(z/2))/2."""
    return 0.5 * (anp.tanh(0.5 * z) + 1.0)


def _softmax(z, axis=-1):
    e = anp.exp(z - anp.max(z, axis=axis, keepdims=True))
    return e / anp.sum(e, axis=axis, keepdims=True)


def _lse(z, axis=-1):
    m = anp.max(z, axis=axis, keepdims=True)
    return anp.squeeze(m, axis=axis) + anp.log(anp.sum(anp.exp(z - m), axis=axis))


def _softplus(z):
    return anp.logaddexp(0.0, z)


def _inv(x):
    return anp.linalg.inv(x)


def _invT(x):
    return anp.linalg.inv(x).T


def _norm(x):
    return anp.sqrt(anp.sum(x**2))


def _vec(m):
    """Column-major vectorisation vec(M) (stack the columns)."""
    return anp.reshape(anp.transpose(m), (-1,))


def _unvec(v, rows, cols):
    return anp.transpose(anp.reshape(v, (cols, rows)))


def _cofactor(x):
    """Cofactor matrix C_ij = (-1)^(i+j) det(minor_ij), computed from minors (no inverse)."""
    x = np.asarray(x, dtype=float)
    n = x.shape[0]
    c = np.empty_like(x)
    for i in range(n):
        for j in range(n):
            rows = [k for k in range(n) if k != i]
            cols = [k for k in range(n) if k != j]
            c[i, j] = (-1) ** (i + j) * np.linalg.det(x[np.ix_(rows, cols)]) if n > 1 else 1.0
    return c


def _matpow(x, k):
    """X^k for an integer k >= 1 by repeated products (autograd-differentiable)."""
    if int(k) == 0:
        return anp.eye(x.shape[0])
    out = x
    for _ in range(int(k) - 1):
        out = out @ x
    return out


def _sigmoid_plain(x):
    """Logistic sigmoid as the book writes it, 1/(1 + e^(-x)); ``_sig`` is overflow-free."""
    return 1.0 / (1.0 + anp.exp(-x))


def _phi(x):
    return anp.exp(-0.5 * x**2) / math.sqrt(2 * math.pi)


def _Phi(x):
    # imported here: autograd.scipy pulls in scipy.stats and scipy.integrate (slow to import)
    from autograd.scipy.special import erf

    return 0.5 * (1.0 + erf(x / math.sqrt(2.0)))
