"""Entries of the identity registry, chapter 2: gradients of scalar functions of a vector."""

# Data: each LaTeX statement and each formula stays on one line (grep-able).
# ruff: noqa: E501

import autograd.numpy as anp
import numpy as np

from .._formulas import _norm
from .._registry import _M, _add, _cond

_CH = "ch-gradients"
_add("grad-linear", "linear form", "gradient", _CH,
     r"\nabla_{\mathbf{x}}\, (\mathbf{a}^\top \mathbf{x}) = \nabla_{\mathbf{x}}\, (\mathbf{x}^\top \mathbf{a}) = \mathbf{a}",
     lambda x, a: a @ x, lambda x, a: a, {"x": "vec:n", "a": "vec:n"}, "x",
     reference="Matrix Cookbook (69)")
_add("grad-affine", "affine function", "gradient", _CH,
     r"\nabla_{\mathbf{x}}\, (\mathbf{a}^\top \mathbf{x} + b) = \mathbf{a}",
     lambda x, a, b: a @ x + b, lambda x, a, b: a, {"x": "vec:n", "a": "vec:n", "b": "num:-2,2"}, "x")
_add("grad-sum", "sum of entries", "gradient", _CH,
     r"\nabla_{\mathbf{x}}\, (\mathbf{1}^\top \mathbf{x}) = \mathbf{1}",
     lambda x: anp.sum(x), lambda x: anp.ones_like(x), {"x": "vec:n"}, "x")
_add("grad-sq-norm", "squared Euclidean norm", "gradient", _CH,
     r"\nabla_{\mathbf{x}}\, \lVert\mathbf{x}\rVert_2^{2} = \nabla_{\mathbf{x}}\, (\mathbf{x}^\top\mathbf{x}) = 2\mathbf{x}",
     lambda x: x @ x, lambda x: 2 * x, {"x": "vec:n"}, "x",
     mistake=_M(r"\nabla_{\mathbf{x}}\, \lVert\mathbf{x}\rVert_2^{2} = \mathbf{x}", lambda x: x,
                "factor 2 dropped"))
_add("grad-half-sq-norm", "half squared norm", "gradient", _CH,
     r"\nabla_{\mathbf{x}}\, \tfrac{1}{2}\mathbf{x}^\top\mathbf{x} = \mathbf{x}",
     lambda x: 0.5 * x @ x, lambda x: x, {"x": "vec:n"}, "x")
_add("grad-norm", "Euclidean norm", "gradient", _CH,
     r"\nabla_{\mathbf{x}}\, \lVert\mathbf{x}\rVert_2 = \frac{\mathbf{x}}{\lVert\mathbf{x}\rVert_2}",
     lambda x: _norm(x), lambda x: x / _norm(x), {"x": "vec:n"}, "x",
     conditions=[_cond(r"$\mathbf{x} \neq \mathbf{0}$", lambda d: np.linalg.norm(d["x"]) > 0)],
     mistake=_M(r"\nabla_{\mathbf{x}}\, \lVert\mathbf{x}\rVert_2 = 2\mathbf{x}", lambda x: 2 * x,
                "the gradient of the squared norm"))
_add("grad-dist", "distance to a point", "gradient", _CH,
     r"\nabla_{\mathbf{x}}\, \lVert\mathbf{x} - \mathbf{a}\rVert_2 = \frac{\mathbf{x} - \mathbf{a}}{\lVert\mathbf{x} - \mathbf{a}\rVert_2}",
     lambda x, a: _norm(x - a), lambda x, a: (x - a) / _norm(x - a), {"x": "vec:n", "a": "vec:n"}, "x",
     conditions=[_cond(r"$\mathbf{x} \neq \mathbf{a}$", lambda d: np.linalg.norm(d["x"] - d["a"]) > 0)])
_add("grad-sq-dist", "squared distance to a point", "gradient", _CH,
     r"\nabla_{\mathbf{x}}\, \lVert\mathbf{x} - \mathbf{a}\rVert_2^{2} = 2(\mathbf{x} - \mathbf{a})",
     lambda x, a: (x - a) @ (x - a), lambda x, a: 2 * (x - a), {"x": "vec:n", "a": "vec:n"}, "x")
_add("grad-l1", "L1 norm", "gradient", _CH,
     r"\nabla_{\mathbf{x}}\, \lVert\mathbf{x}\rVert_1 = \operatorname{sign}(\mathbf{x})",
     lambda x: anp.sum(anp.abs(x)), lambda x: anp.sign(x), {"x": "away:n"}, "x")
_add("grad-weighted-sq-norm", "weighted squared norm", "gradient", _CH,
     r"\nabla_{\mathbf{x}}\, \lVert\mathbf{x}\rVert_W^{2} = \nabla_{\mathbf{x}}\, \mathbf{x}^\top W\mathbf{x} = 2W\mathbf{x}",
     lambda x, W: x @ W @ x, lambda x, W: 2 * W @ x, {"x": "vec:n", "W": "spd:n"}, "x")
_add("grad-weighted-norm", "weighted norm", "gradient", _CH,
     r"\nabla_{\mathbf{x}}\, \sqrt{\mathbf{x}^\top W\mathbf{x}} = \frac{W\mathbf{x}}{\sqrt{\mathbf{x}^\top W\mathbf{x}}}",
     lambda x, W: anp.sqrt(x @ W @ x), lambda x, W: W @ x / anp.sqrt(x @ W @ x),
     {"x": "vec:n", "W": "spd:n"}, "x",
     conditions=[_cond(r"$\mathbf{x} \neq \mathbf{0}$", lambda d: np.linalg.norm(d["x"]) > 0)])
_add("grad-quadratic-form", "quadratic form", "gradient", _CH,
     r"\nabla_{\mathbf{x}}\, (\mathbf{x}^\top A\mathbf{x}) = (A + A^\top)\mathbf{x}",
     lambda x, A: x @ A @ x, lambda x, A: (A + A.T) @ x, {"x": "vec:n", "A": "sq:n,n"}, "x",
     mistake=_M(r"\nabla_{\mathbf{x}}\, (\mathbf{x}^\top A\mathbf{x}) = 2A\mathbf{x}",
                lambda x, A: 2 * A @ x, "holds only for symmetric A"))
_add("grad-quadratic-form-sym", "quadratic form, symmetric A", "gradient", _CH,
     r"\nabla_{\mathbf{x}}\, (\mathbf{x}^\top A\mathbf{x}) = 2A\mathbf{x}",
     lambda x, A: x @ A @ x, lambda x, A: 2 * A @ x, {"x": "vec:n", "A": "sym:n,n"}, "x")
_add("grad-half-quadratic-sym", "half quadratic form, symmetric A", "gradient", _CH,
     r"\nabla_{\mathbf{x}}\, \tfrac{1}{2}\mathbf{x}^\top A\mathbf{x} = A\mathbf{x}",
     lambda x, A: 0.5 * x @ A @ x, lambda x, A: A @ x, {"x": "vec:n", "A": "sym:n,n"}, "x")
_add("grad-trace-quadratic", "trace of a quadratic form", "gradient", _CH,
     r"\nabla_{\mathbf{x}}\, \operatorname{tr}(\mathbf{x}^\top A\mathbf{x}) = \nabla_{\mathbf{x}}\, \operatorname{tr}(A\mathbf{x}\mathbf{x}^\top) = (A + A^\top)\mathbf{x}",
     lambda x, A: anp.trace(A @ anp.outer(x, x)), lambda x, A: (A + A.T) @ x,
     {"x": "vec:n", "A": "sq:n,n"}, "x")
_add("grad-bilinear-right", "bilinear form in its right argument", "gradient", _CH,
     r"\nabla_{\mathbf{x}}\, (\mathbf{y}^\top A\mathbf{x}) = A^\top\mathbf{y}",
     lambda x, y, A: y @ A @ x, lambda x, y, A: A.T @ y, {"x": "vec:n", "y": "vec:m", "A": "mat:m,n"}, "x",
     mistake=_M(r"\nabla_{\mathbf{x}}\, (\mathbf{y}^\top A\mathbf{x}) = A\mathbf{x}", lambda x, y, A: A @ x,
                "differentiates with respect to the wrong argument"))
_add("grad-bilinear-left", "bilinear form in its left argument", "gradient", _CH,
     r"\nabla_{\mathbf{y}}\, (\mathbf{y}^\top A\mathbf{x}) = A\mathbf{x}",
     lambda x, y, A: y @ A @ x, lambda x, y, A: A @ x, {"x": "vec:n", "y": "vec:m", "A": "mat:m,n"}, "y")
_add("grad-xTATb", "linear form through a transpose", "gradient", _CH,
     r"\nabla_{\mathbf{x}}\, (\mathbf{x}^\top A^\top\mathbf{b}) = A^\top\mathbf{b}",
     lambda x, A, b: x @ A.T @ b, lambda x, A, b: A.T @ b, {"x": "vec:n", "A": "mat:m,n", "b": "vec:m"}, "x")
_add("grad-affine-dot", "affine map dotted with a constant", "gradient", _CH,
     r"\nabla_{\mathbf{x}}\, \big((A\mathbf{x} + \mathbf{b})^\top\mathbf{c}\big) = A^\top\mathbf{c}",
     lambda x, A, b, c: (A @ x + b) @ c, lambda x, A, b, c: A.T @ c,
     {"x": "vec:n", "A": "mat:m,n", "b": "vec:m", "c": "vec:m"}, "x")
_add("grad-sq-norm-Ax", "squared norm of a linear map", "gradient", _CH,
     r"\nabla_{\mathbf{x}}\, \lVert A\mathbf{x}\rVert_2^{2} = 2A^\top A\mathbf{x}",
     lambda x, A: (A @ x) @ (A @ x), lambda x, A: 2 * A.T @ A @ x, {"x": "vec:n", "A": "mat:m,n"}, "x")
_add("grad-half-xTATAx", "half Gram quadratic form", "gradient", _CH,
     r"\nabla_{\mathbf{x}}\, \tfrac{1}{2}\mathbf{x}^\top A^\top A\mathbf{x} = A^\top A\mathbf{x}",
     lambda x, A: 0.5 * x @ A.T @ A @ x, lambda x, A: A.T @ A @ x, {"x": "vec:n", "A": "mat:m,n"}, "x")
_add("grad-least-squares", "least-squares residual", "gradient", _CH,
     r"\nabla_{\mathbf{x}}\, \lVert A\mathbf{x} - \mathbf{b}\rVert_2^{2} = 2A^\top(A\mathbf{x} - \mathbf{b})",
     lambda x, A, b: (A @ x - b) @ (A @ x - b), lambda x, A, b: 2 * A.T @ (A @ x - b),
     {"x": "vec:n", "A": "mat:m,n", "b": "vec:m"}, "x",
     mistake=_M(r"\nabla_{\mathbf{x}}\, \lVert A\mathbf{x} - \mathbf{b}\rVert_2^{2} = A^\top(A\mathbf{x} - \mathbf{b})",
                lambda x, A, b: A.T @ (A @ x - b),
                "the factor 2 of the square is dropped (this is the gradient of half the squared norm)"))
_add("grad-half-least-squares", "half least-squares residual", "gradient", _CH,
     r"\nabla_{\mathbf{x}}\, \tfrac{1}{2}\lVert A\mathbf{x} - \mathbf{b}\rVert_2^{2} = A^\top(A\mathbf{x} - \mathbf{b})",
     lambda x, A, b: 0.5 * (A @ x - b) @ (A @ x - b), lambda x, A, b: A.T @ (A @ x - b),
     {"x": "vec:n", "A": "mat:m,n", "b": "vec:m"}, "x")
_add("grad-entropy", "entropy", "gradient", _CH,
     r"\nabla_{\mathbf{x}}\, \Big(-\sum_{i} x_i \ln x_i\Big) = -(\ln\mathbf{x} + \mathbf{1})",
     lambda x: -anp.sum(x * anp.log(x)), lambda x: -(anp.log(x) + 1.0), {"x": "pos:n"}, "x")
_add("grad-sum-log", "sum of logarithms", "gradient", _CH,
     r"\nabla_{\mathbf{x}}\, \sum_{i} \ln x_i = \mathbf{1} \oslash \mathbf{x} = (1/x_1, \dots, 1/x_n)^\top",
     lambda x: anp.sum(anp.log(x)), lambda x: 1.0 / x, {"x": "pos:n"}, "x")
_add("grad-exp-linear", "exponential of a linear form", "gradient", _CH,
     r"\nabla_{\mathbf{x}}\, e^{\mathbf{a}^\top\mathbf{x}} = e^{\mathbf{a}^\top\mathbf{x}}\,\mathbf{a}",
     lambda x, a: anp.exp(a @ x), lambda x, a: anp.exp(a @ x) * a, {"x": "vec:n", "a": "vec:n"}, "x")
_add("grad-cubic-norm", "sum of cubed magnitudes", "gradient", _CH,
     r"\nabla_{\mathbf{x}}\, \sum_i \lvert x_i\rvert^{3} = 3\,\mathbf{x}\odot\lvert\mathbf{x}\rvert",
     lambda x: anp.sum(anp.abs(x) ** 3), lambda x: 3 * x * anp.abs(x), {"x": "away:n"}, "x")
_add("grad-cosine-similarity", "cosine similarity", "gradient", _CH,
     r"\nabla_{\mathbf{x}}\, \frac{\mathbf{a}^\top\mathbf{x}}{\lVert\mathbf{a}\rVert\,\lVert\mathbf{x}\rVert} = \frac{1}{\lVert\mathbf{x}\rVert}\Big(\frac{\mathbf{a}}{\lVert\mathbf{a}\rVert} - c\,\frac{\mathbf{x}}{\lVert\mathbf{x}\rVert}\Big),\ c = \frac{\mathbf{a}^\top\mathbf{x}}{\lVert\mathbf{a}\rVert\,\lVert\mathbf{x}\rVert}",
     lambda x, a: a @ x / (_norm(a) * _norm(x)),
     lambda x, a: (a / _norm(a) - (a @ x / (_norm(a) * _norm(x))) * x / _norm(x)) / _norm(x),
     {"x": "vec:n", "a": "vec:n"}, "x")
_add("grad-lagrangian-eig", "Lagrangian of the eigenvalue problem", "gradient", _CH,
     r"\nabla_{\mathbf{x}}\, \big(\mathbf{x}^\top A\mathbf{x} - \lambda(\mathbf{x}^\top\mathbf{x} - 1)\big) = (A + A^\top)\mathbf{x} - 2\lambda\mathbf{x}",
     lambda x, A, lam: x @ A @ x - lam * (x @ x - 1), lambda x, A, lam: (A + A.T) @ x - 2 * lam * x,
     {"x": "vec:n", "A": "sq:n,n", "lam": "num:-2,2"}, "x")
_add("grad-lagrangian-multiplier", "Lagrangian in the multiplier", "derivative", _CH,
     r"\frac{\partial}{\partial\lambda}\, \big(\mathbf{x}^\top A\mathbf{x} - \lambda(\mathbf{x}^\top\mathbf{x} - 1)\big) = 1 - \mathbf{x}^\top\mathbf{x}",
     lambda lam, x, A: x @ A @ x - lam * (x @ x - 1), lambda lam, x, A: (1 - x @ x) * anp.ones_like(lam),
     {"lam": "vec:p", "x": "vec:n", "A": "sq:n,n"}, "lam")
_add("grad-difference-of-linear", "difference of linear forms", "gradient", _CH,
     r"\nabla_{\mathbf{x}}\, (\mathbf{y}^\top\mathbf{x} - \mathbf{w}^\top\mathbf{x}) = \mathbf{y} - \mathbf{w}",
     lambda x, y, w: y @ x - w @ x, lambda x, y, w: y - w, {"x": "vec:n", "y": "vec:n", "w": "vec:n"}, "x")
