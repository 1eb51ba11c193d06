"""Entries of the identity registry, chapter 3: Jacobians (numerator layout: rows index outputs, columns index inputs)."""

# Data: each LaTeX statement and each formula stays on one line (grep-able).
# ruff: noqa: E501

import autograd.numpy as anp
import numpy as np

from .._formulas import _norm
from .._registry import _M, _add, _cond

_CH = "ch-jacobians"
_add("jac-linear", "linear map", "jacobian", _CH,
     r"\frac{\partial (A\mathbf{x})}{\partial \mathbf{x}} = A",
     lambda x, A: A @ x, lambda x, A: A, {"x": "vec:n", "A": "mat:m,n"}, "x",
     mistake=_M(r"\nabla_{\mathbf{x}}(A\mathbf{x}) = A^\top", lambda x, A: A.T,
                "denominator layout: the transpose of the Jacobian"))
_add("jac-affine", "affine map", "jacobian", _CH,
     r"\frac{\partial (A\mathbf{x} + \mathbf{b})}{\partial \mathbf{x}} = A",
     lambda x, A, b: A @ x + b, lambda x, A, b: A, {"x": "vec:n", "A": "mat:m,n", "b": "vec:m"}, "x",
     mistake=_M(r"\nabla_{\mathbf{x}}(A\mathbf{x} + \mathbf{b}) = A^\top", lambda x, A, b: A.T,
                "denominator layout: the transpose of the Jacobian"))
_add("jac-row-times-matrix", "row vector times a matrix", "jacobian", _CH,
     r"\frac{\partial (\mathbf{x}^\top A)^\top}{\partial \mathbf{x}} = \frac{\partial (A^\top\mathbf{x})}{\partial \mathbf{x}} = A^\top",
     lambda x, A: x @ A, lambda x, A: A.T, {"x": "vec:m", "A": "mat:m,n"}, "x",
     mistake=_M(r"\nabla_{\mathbf{x}}(\mathbf{x}^\top A) = A", lambda x, A: A,
                "denominator layout: the transpose of the Jacobian"))
_add("jac-identity", "identity map", "jacobian", _CH,
     r"\frac{\partial \mathbf{x}}{\partial \mathbf{x}} = I_n",
     lambda x: 1.0 * x, lambda x: anp.eye(x.shape[0]), {"x": "vec:n"}, "x")
_add("jac-neg-log", "elementwise negative logarithm", "jacobian", _CH,
     r"\frac{\partial (-\ln\mathbf{x})}{\partial \mathbf{x}} = \operatorname{diag}(-1/x_1, \dots, -1/x_n)",
     lambda x: -anp.log(x), lambda x: anp.diag(-1.0 / x), {"x": "pos:n"}, "x")
_add("jac-exp", "elementwise exponential", "jacobian", _CH,
     r"\frac{\partial e^{\mathbf{x}}}{\partial \mathbf{x}} = \operatorname{diag}(e^{\mathbf{x}})",
     lambda x: anp.exp(x), lambda x: anp.diag(anp.exp(x)), {"x": "vec:n"}, "x")
_add("jac-elementwise", "elementwise map", "jacobian", _CH,
     r"\frac{\partial g(\mathbf{x})}{\partial \mathbf{x}} = \operatorname{diag}(g'(\mathbf{x}))\ \text{ for } g = \sin \text{ elementwise}",
     lambda x: anp.sin(x), lambda x: anp.diag(anp.cos(x)), {"x": "vec:n"}, "x",
     mistake=_M(r"\frac{\partial \sin(\mathbf{x})}{\partial \mathbf{x}} = \cos(\mathbf{x})\mathbf{1}^\top",
                lambda x: anp.outer(anp.cos(x), anp.ones_like(x)),
                "an elementwise map does not mix coordinates: off-diagonal entries are zero"))
_add("jac-square", "elementwise square", "jacobian", _CH,
     r"\frac{\partial (\mathbf{x}\odot\mathbf{x})}{\partial \mathbf{x}} = 2\operatorname{diag}(\mathbf{x})",
     lambda x: x * x, lambda x: 2 * anp.diag(x), {"x": "vec:n"}, "x")
_add("jac-hadamard-const", "elementwise product with a constant", "jacobian", _CH,
     r"\frac{\partial (\mathbf{a}\odot\mathbf{x})}{\partial \mathbf{x}} = \operatorname{diag}(\mathbf{a})",
     lambda x, a: a * x, lambda x, a: anp.diag(a), {"x": "vec:n", "a": "vec:n"}, "x")
_add("jac-hadamard-product-rule", "product rule for an elementwise product", "jacobian", _CH,
     r"\frac{\partial (A\mathbf{x}\odot B\mathbf{x})}{\partial \mathbf{x}} = \operatorname{diag}(B\mathbf{x})\,A + \operatorname{diag}(A\mathbf{x})\,B",
     lambda x, A, B: (A @ x) * (B @ x),
     lambda x, A, B: anp.diag(B @ x) @ A + anp.diag(A @ x) @ B,
     {"x": "vec:n", "A": "mat:m,n", "B": "mat:m,n"}, "x")
_add("jac-rank-one", "scalar times a fixed vector", "jacobian", _CH,
     r"\frac{\partial\, (\mathbf{a}^\top\mathbf{x})\,\mathbf{b}}{\partial \mathbf{x}} = \mathbf{b}\mathbf{a}^\top",
     lambda x, a, b: (a @ x) * b, lambda x, a, b: anp.outer(b, a),
     {"x": "vec:n", "a": "vec:n", "b": "vec:m"}, "x",
     mistake=_M(r"\frac{\partial\, (\mathbf{a}^\top\mathbf{x})\,\mathbf{b}}{\partial \mathbf{x}} = \mathbf{a}\mathbf{b}^\top",
                lambda x, a, b: anp.outer(a, b), "denominator layout: the transpose"))
_add("jac-scaled-x", "a vector scaled by a linear form", "jacobian", _CH,
     r"\frac{\partial\, (\mathbf{a}^\top\mathbf{x})\,\mathbf{x}}{\partial \mathbf{x}} = (\mathbf{a}^\top\mathbf{x})\,I + \mathbf{x}\mathbf{a}^\top",
     lambda x, a: (a @ x) * x, lambda x, a: (a @ x) * anp.eye(x.shape[0]) + anp.outer(x, a),
     {"x": "vec:n", "a": "vec:n"}, "x",
     mistake=_M(r"\frac{\partial\, (\mathbf{a}^\top\mathbf{x})\,\mathbf{x}}{\partial \mathbf{x}} = (\mathbf{a}^\top\mathbf{x})\,I + \mathbf{a}\mathbf{x}^\top",
                lambda x, a: (a @ x) * anp.eye(x.shape[0]) + anp.outer(a, x),
                "the rank-one term transposed"))
_add("jac-normalize", "normalisation to unit length", "jacobian", _CH,
     r"\frac{\partial}{\partial \mathbf{x}}\frac{\mathbf{x}}{\lVert\mathbf{x}\rVert} = \frac{1}{\lVert\mathbf{x}\rVert}\Big(I - \frac{\mathbf{x}\mathbf{x}^\top}{\lVert\mathbf{x}\rVert^{2}}\Big)",
     lambda x: x / _norm(x), lambda x: (anp.eye(x.shape[0]) - anp.outer(x, x) / (x @ x)) / _norm(x),
     {"x": "vec:n"}, "x",
     conditions=[_cond(r"$\mathbf{x} \neq \mathbf{0}$", lambda d: np.linalg.norm(d["x"]) > 0)])
_add("jac-norm-sq-times-x", "vector scaled by its squared norm", "jacobian", _CH,
     r"\frac{\partial\, \lVert\mathbf{x}\rVert^{2}\mathbf{x}}{\partial \mathbf{x}} = \lVert\mathbf{x}\rVert^{2} I + 2\mathbf{x}\mathbf{x}^\top",
     lambda x: (x @ x) * x, lambda x: (x @ x) * anp.eye(x.shape[0]) + 2 * anp.outer(x, x),
     {"x": "vec:n"}, "x")
_add("jac-polar", "polar coordinates", "jacobian", _CH,
     r"\frac{\partial (r\cos\theta,\ r\sin\theta)}{\partial (r, \theta)} = \begin{bmatrix} \cos\theta & -r\sin\theta \\ \sin\theta & r\cos\theta \end{bmatrix}",
     lambda p: anp.stack([p[0] * anp.cos(p[1]), p[0] * anp.sin(p[1])]),
     lambda p: anp.array([[anp.cos(p[1]), -p[0] * anp.sin(p[1])], [anp.sin(p[1]), p[0] * anp.cos(p[1])]]),
     lambda rng: {"p": np.array([rng.uniform(0.5, 2.0), rng.uniform(-3.0, 3.0)])}, "p",
     shapes=r"(r, \theta)\in(0,\infty)\times\mathbb{R}", fixed_shapes=True,
     mistake=_M(r"\begin{bmatrix} \cos\theta & \sin\theta \\ -r\sin\theta & r\cos\theta \end{bmatrix}",
                lambda p: anp.array([[anp.cos(p[1]), anp.sin(p[1])], [-p[0] * anp.sin(p[1]), p[0] * anp.cos(p[1])]]),
                "denominator layout: the transpose"))
_add("jac-diag-scaling", "linear map of an elementwise product", "jacobian", _CH,
     r"\frac{\partial\, A(\mathbf{x}\odot\mathbf{b})}{\partial \mathbf{x}} = A\operatorname{diag}(\mathbf{b})",
     lambda x, A, b: A @ (x * b), lambda x, A, b: A @ anp.diag(b),
     {"x": "vec:n", "A": "mat:m,n", "b": "vec:n"}, "x")
_add("jac-cumsum", "cumulative sum", "jacobian", _CH,
     r"\frac{\partial\, \big(\sum_{j\le i} x_j\big)_{i}}{\partial \mathbf{x}} = L,\quad L_{ij} = 1 \text{ if } j \le i \text{ else } 0",
     lambda x: anp.cumsum(x), lambda x: anp.tril(anp.ones((x.shape[0], x.shape[0]))), {"x": "vec:n"}, "x",
     mistake=_M(r"L^\top \text{ (upper triangular)}", lambda x: anp.triu(anp.ones((x.shape[0], x.shape[0]))),
                "denominator layout: the transpose"))
_add("jac-centering", "centering (subtract the mean)", "jacobian", _CH,
     r"\frac{\partial\, (\mathbf{x} - \bar{x}\mathbf{1})}{\partial \mathbf{x}} = I - \tfrac{1}{n}\mathbf{1}\mathbf{1}^\top",
     lambda x: x - anp.mean(x), lambda x: anp.eye(x.shape[0]) - anp.ones((x.shape[0], x.shape[0])) / x.shape[0],
     {"x": "vec:n"}, "x")
_add("jac-outer-self", "outer product with itself", "jacobian", _CH,
     r"\frac{\partial (\mathbf{x}\mathbf{x}^\top)_{ij}}{\partial x_k} = \delta_{ik}x_j + x_i\delta_{jk}",
     lambda x: anp.outer(x, x),
     lambda x: anp.einsum("ik,j->ijk", anp.eye(x.shape[0]), x) + anp.einsum("i,jk->ijk", x, anp.eye(x.shape[0])),
     {"x": "vec:n"}, "x")

_add("jac-warp", "a warp of the plane", "jacobian", _CH,
     r"\frac{\partial\, (x_1 + 0.4x_2^{2},\ x_2 - 0.4x_1^{2} + 0.2x_1)}{\partial \mathbf{x}} = \begin{bmatrix} 1 & 0.8x_2 \\ 0.2 - 0.8x_1 & 1 \end{bmatrix}",
     lambda x: anp.stack([x[0] + 0.4 * x[1] ** 2, x[1] - 0.4 * x[0] ** 2 + 0.2 * x[0]]),
     lambda x: anp.array([[1.0, 0.8 * x[1]], [0.2 - 0.8 * x[0], 1.0]]),
     {"x": "vec:2"}, "x", fixed_shapes=True,
     mistake=_M(r"\begin{bmatrix} 1 & 0.2 - 0.8x_1 \\ 0.8x_2 & 1 \end{bmatrix}",
                lambda x: anp.array([[1.0, 0.2 - 0.8 * x[0]], [0.8 * x[1], 1.0]]),
                "denominator layout: the transpose"))
_add("jac-vjp", "vector-Jacobian product", "gradient", _CH,
     r"\nabla_{\mathbf{x}}\, \big(\mathbf{u}^\top\mathbf{f}(\mathbf{x})\big) = J^\top\mathbf{u},\ \mathbf{f}(\mathbf{x}) = (x_1x_2 + x_3^{2}, e^{x_1}\sin x_2):\ J^\top\mathbf{u} = \big(u_1x_2 + u_2e^{x_1}\sin x_2, u_1x_1 + u_2e^{x_1}\cos x_2, 2u_1x_3\big)",
     lambda x, u: u[0] * (x[0] * x[1] + x[2] ** 2) + u[1] * anp.exp(x[0]) * anp.sin(x[1]),
     lambda x, u: anp.array([[x[1], x[0], 2 * x[2]],
                             [anp.exp(x[0]) * anp.sin(x[1]), anp.exp(x[0]) * anp.cos(x[1]), 0.0]]).T @ u,
     {"x": "vec:3", "u": "vec:2"}, "x", fixed_shapes=True)

# Elementwise operations on two vectors: diagonal Jacobians in each argument.
_add("jac-hadamard-u", "elementwise product, Jacobian in one factor", "jacobian", _CH,
     r"\frac{\partial (\mathbf{u}\odot\mathbf{v})}{\partial \mathbf{u}} = \operatorname{diag}(\mathbf{v})",
     lambda u, v: u * v, lambda u, v: anp.diag(v), {"u": "vec:n", "v": "vec:n"}, "u",
     mistake=_M(r"\frac{\partial (\mathbf{u}\odot\mathbf{v})}{\partial \mathbf{u}} = \operatorname{diag}(\mathbf{u})", lambda u, v: anp.diag(u),
                "differentiated by the wrong factor: a step in u is scaled by the other factor, v"))
_add("jac-quotient-v", "elementwise quotient, Jacobian in the denominator", "jacobian", _CH,
     r"\frac{\partial (\mathbf{u}\oslash\mathbf{v})}{\partial \mathbf{v}} = -\operatorname{diag}(u_i/v_i^{2})",
     lambda u, v: u / v, lambda u, v: anp.diag(-u / v**2), {"u": "vec:n", "v": "away:n"}, "v",
     mistake=_M(r"\operatorname{diag}(u_i/v_i^{2})", lambda u, v: anp.diag(u / v**2),
                "the minus sign of d(1/v) = -dv/v^2 is dropped"))

# Broadcast forward, sum backward: a bias copied to the N columns of a batch (examples as columns).
_add("jac-bias-broadcast", "bias added to a batch, gradient in the bias", "gradient", _CH,
     r"\nabla_{\mathbf{b}}\, L(Z + \mathbf{b}\mathbf{1}^\top) = G\mathbf{1},\ G = \nabla_Y L = \tanh(Y),\ Y = Z + \mathbf{b}\mathbf{1}^\top,\ L(Y) = \sum_{i,k}\ln\cosh Y_{ik},\ \mathbf{1}\in\mathbb{R}^{N}",
     lambda b, Z: anp.sum(anp.log(anp.cosh(Z + b[:, None]))), lambda b, Z: anp.tanh(Z + b[:, None]) @ anp.ones(Z.shape[1]),
     {"b": "vec:m", "Z": "mat:m,N"}, "b",
     mistake=_M(r"\tfrac{1}{N}G\mathbf{1}", lambda b, Z: anp.tanh(Z + b[:, None]) @ anp.ones(Z.shape[1]) / Z.shape[1],
                "the batch mean: b is copied to all N examples, so the gradients that come back are summed, not averaged"))

# A first matrix gradient, read off the differential df = 2 (Xb)^T dX b.
_add("jac-grad-sq-norm-Xb", "squared norm of a matrix times a vector, gradient in the matrix", "matrix-gradient", _CH,
     r"\nabla_X\, \lVert X\mathbf{b}\rVert_2^{2} = 2X\mathbf{b}\mathbf{b}^\top",
     lambda X, b: anp.sum((X @ b) ** 2), lambda X, b: 2 * anp.outer(X @ b, b), {"X": "mat:p,q", "b": "vec:q"}, "X",
     mistake=_M(r"2\mathbf{b}(X\mathbf{b})^\top", lambda X, b: 2 * anp.outer(b, X @ b),
                "the transpose (denominator layout): the gradient has the shape of X, p x q"))
