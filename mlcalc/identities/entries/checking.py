"""Entries of the identity registry, chapter 12: checking derivatives."""

# Data: each LaTeX statement and each formula stays on one line (grep-able).
# ruff: noqa: E501

import autograd.numpy as anp

from .._formulas import _lse, _softmax
from .._registry import _add

_CH = "ch-checking"
_add("chk-directional", "directional derivative", "derivative", _CH,
     r"\frac{d}{dt}\, f(\mathbf{x} + t\mathbf{v}) = \nabla f(\mathbf{x} + t\mathbf{v})^\top\mathbf{v},\ f = \operatorname{lse}:\ \operatorname{softmax}(\mathbf{x} + t\mathbf{v})^\top\mathbf{v}",
     lambda t, x, v: _lse(x[None, :] + t[:, None] * v[None, :], axis=1),
     lambda t, x, v: anp.sum(_softmax(x[None, :] + t[:, None] * v[None, :], axis=1) * v[None, :], axis=1),
     {"t": "vec:p", "x": "vec:n", "v": "vec:n"}, "t")
_add("chk-hvp", "Hessian-vector product as a gradient", "gradient", _CH,
     r"\nabla_{\mathbf{x}}\, \big(\nabla f(\mathbf{x})^\top\mathbf{v}\big) = \nabla^{2}f(\mathbf{x})\,\mathbf{v},\ f = \operatorname{lse}:\ \mathbf{s}\odot\mathbf{v} - (\mathbf{s}^\top\mathbf{v})\,\mathbf{s},\ \mathbf{s} = \operatorname{softmax}(\mathbf{x})",
     lambda x, v: _softmax(x) @ v, lambda x, v: _softmax(x) * v - (_softmax(x) @ v) * _softmax(x),
     {"x": "vec:n", "v": "vec:n"}, "x")
_add("chk-gradient-of-quadratic-check", "the test function of a gradient check", "derivative", _CH,
     r"\frac{d}{dt}\, \big(\mathbf{x} + t\mathbf{v}\big)^\top A\big(\mathbf{x} + t\mathbf{v}\big) = \mathbf{v}^\top(A + A^\top)(\mathbf{x} + t\mathbf{v})",
     lambda t, x, v, A: anp.einsum("ti,ij,tj->t", x[None, :] + t[:, None] * v[None, :], A, x[None, :] + t[:, None] * v[None, :]),
     lambda t, x, v, A: (x[None, :] + t[:, None] * v[None, :]) @ (A + A.T) @ v,
     {"t": "vec:p", "x": "vec:n", "v": "vec:n", "A": "sq:n,n"}, "t")
