"""Evaluate an expression tree with numpy.

:func:`bind` checks user arrays against the declared shapes (binding each size name to one
number, consistently across arrays) and converts them to the engine's 2-D form (a vector ``(n,)``
becomes the column ``(n, 1)``). :func:`evaluate` computes a tree from 2-D arrays; it never
raises on values outside a function's domain (``log`` of a negative number is ``nan``).
"""
from __future__ import annotations

import numpy as np

from .expr import (
    Add,
    Const,
    Count,
    Diag,
    Div,
    Expr,
    Func,
    Identity,
    MatMul,
    Mul,
    Ones,
    Pow,
    Scale,
    T,
    Var,
    Zero,
)


def _sigmoid(z):
    return 0.5 * (1.0 + np.tanh(0.5 * z))


_ELEMENTWISE = {
    "exp": np.exp, "log": np.log, "sqrt": np.sqrt, "tanh": np.tanh, "sigmoid": _sigmoid,
    "softplus": lambda z: np.logaddexp(0.0, z), "sin": np.sin, "cos": np.cos, "tan": np.tan,
    "arctan": np.arctan, "abs": np.abs, "sign": np.sign, "relu": lambda z: np.maximum(z, 0.0),
    "step": lambda z: (z > 0).astype(float),
}


def _reduce(name: str, a: np.ndarray) -> np.ndarray:
    if name == "tr":
        v = np.trace(a)
    elif name == "det":
        v = np.linalg.det(a)
    elif name == "logdet":
        v = np.linalg.slogdet(a)[1]  # log |det a|: its gradient is a^{-T} whatever the sign
    elif name == "sum":
        v = np.sum(a)
    else:  # norm: Euclidean / Frobenius
        v = np.sqrt(np.sum(a * a))
    return np.array([[v]], dtype=float)


def size_of(dim, sizes: dict) -> int:
    return dim if isinstance(dim, int) else sizes[dim]


def evaluate(e: Expr, values: dict, sizes: dict) -> np.ndarray:
    """The value of ``e`` (a 2-D array) with ``values[name]`` 2-D arrays and ``values['d'+name]``
    for differentials; ``sizes`` maps size names to ints."""
    with np.errstate(all="ignore"):
        return _ev(e, values, sizes)


def _ev(e: Expr, v: dict, sizes: dict) -> np.ndarray:
    if isinstance(e, Var):
        return v[("d" if e.diff else "") + e.name]
    if isinstance(e, Const):
        return np.array([[e.value]])
    if isinstance(e, Ones):
        return np.ones((size_of(e.dims[0], sizes), size_of(e.dims[1], sizes)))
    if isinstance(e, Count):
        return np.array([[float(size_of(e.dims[0], sizes) * size_of(e.dims[1], sizes))]])
    if isinstance(e, Zero):
        return np.zeros((size_of(e.dims[0], sizes), size_of(e.dims[1], sizes)))
    if isinstance(e, Identity):
        return np.eye(size_of(e.n, sizes))
    if isinstance(e, Add):
        out = _ev(e.terms[0], v, sizes)
        for t in e.terms[1:]:
            out = out + _ev(t, v, sizes)
        return out
    if isinstance(e, Scale):
        return e.c * _ev(e.e, v, sizes)
    if isinstance(e, MatMul):
        out = _ev(e.factors[0], v, sizes)
        for f in e.factors[1:]:
            out = out @ _ev(f, v, sizes)
        return out
    if isinstance(e, Mul):
        return _ev(e.a, v, sizes) * _ev(e.b, v, sizes)
    if isinstance(e, Div):
        return _ev(e.a, v, sizes) / _ev(e.b, v, sizes)
    if isinstance(e, Pow):
        return _ev(e.a, v, sizes) ** e.p
    if isinstance(e, T):
        return _ev(e.a, v, sizes).T
    if isinstance(e, Diag):
        return np.diag(_ev(e.a, v, sizes)[:, 0])
    if isinstance(e, Func):
        a = _ev(e.a, v, sizes)
        if e.name in _ELEMENTWISE:
            return _ELEMENTWISE[e.name](a)
        if e.name == "inv":
            return np.linalg.inv(a)
        return _reduce(e.name, a)
    raise TypeError(f"cannot evaluate {type(e).__name__}")


def _dim_text(shape: tuple) -> str:
    return "(" + ", ".join(str(d) for d in shape) + ("," if len(shape) == 1 else "") + ")"


def bind(arrays: dict, shapes: dict, needed) -> tuple:
    """Check user arrays against the user shapes; return ``(values, sizes)`` in 2-D form.

    Raises:
        TypeError: an array for a name that is not in ``shapes``.
        ValueError: a needed array is missing, an array has the wrong number of dimensions, an
            int size differs, or a size name gets two different values.
    """
    unknown = sorted(set(arrays) - set(shapes))
    if unknown:
        raise TypeError(f"unexpected argument(s) {', '.join(unknown)}: not in shapes "
                        f"({', '.join(sorted(shapes))})")
    missing = [n for n in needed if n not in arrays]
    if missing:
        raise ValueError(f"missing value(s) for {', '.join(missing)}")
    sizes: dict = {}
    where: dict = {}
    values = {}
    for name, arr in arrays.items():
        a = np.asarray(arr, dtype=float)
        shape = tuple(shapes[name])
        if a.ndim != len(shape):
            raise ValueError(f"{name} must have shape {_dim_text(shape)}, got an array of shape "
                             f"{a.shape}")
        for dim, got in zip(shape, a.shape, strict=True):
            if isinstance(dim, int):
                if dim != got:
                    raise ValueError(f"{name} must have shape {_dim_text(shape)}, got {a.shape}")
            elif dim in sizes and sizes[dim] != got:
                raise ValueError(f"size {dim!r} is {sizes[dim]} in {where[dim]} but {got} in "
                                 f"{name} (shape {a.shape})")
            else:
                sizes[dim], where[dim] = got, name
        if a.ndim == 0:
            a = a.reshape(1, 1)
        elif a.ndim == 1:
            a = a.reshape(-1, 1)
        values[name] = a
    return values, sizes
