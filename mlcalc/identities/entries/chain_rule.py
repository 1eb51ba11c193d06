"""Entries of the identity registry, chapter 4: the chain rule."""

# Data: each LaTeX statement and each formula stays on one line (grep-able).
# ruff: noqa: E501

import autograd.numpy as anp
import numpy as np

from .._formulas import _lse, _norm, _sig, _sigmoid_plain, _softmax, _softplus
from .._registry import _M, _add, _cond

_CH = "ch-chain-rule"
_add("chain-norm4", "fourth power of the norm", "gradient", _CH,
     r"\nabla_{\mathbf{x}}\, \lVert\mathbf{x}\rVert_2^{4} = 4\lVert\mathbf{x}\rVert_2^{2}\,\mathbf{x}",
     lambda x: (x @ x) ** 2, lambda x: 4 * (x @ x) * x, {"x": "vec:n"}, "x",
     mistake=_M(r"\nabla_{\mathbf{x}}\, \lVert\mathbf{x}\rVert_2^{4} = 4\mathbf{x}^{3}", lambda x: 4 * x**3,
                "the power rule applied coordinatewise"))
_add("chain-regression", "linear-regression residual", "gradient", _CH,
     r"\nabla_{\mathbf{w}}\, \lVert X\mathbf{w} - \mathbf{y}\rVert_2^{2} = 2X^\top(X\mathbf{w} - \mathbf{y})",
     lambda w, X, y: (X @ w - y) @ (X @ w - y), lambda w, X, y: 2 * X.T @ (X @ w - y),
     {"w": "vec:d", "X": "mat:N,d", "y": "vec:N"}, "w",
     mistake=_M(r"\nabla_{\mathbf{w}}\, \lVert X\mathbf{w} - \mathbf{y}\rVert_2^{2} = 2(X\mathbf{w} - \mathbf{y})^\top X",
                lambda w, X, y: 2 * anp.outer(X @ w - y, anp.ones(1)).T @ X,
                "a row vector (the derivative) where the gradient is a column"))
_add("chain-bilinear-affine", "product of two affine maps", "gradient", _CH,
     r"\nabla_{\mathbf{x}}\, (A\mathbf{x} + \mathbf{b})^\top C(D\mathbf{x} + \mathbf{e}) = A^\top C(D\mathbf{x} + \mathbf{e}) + D^\top C^\top(A\mathbf{x} + \mathbf{b})",
     lambda x, A, b, C, D, e: (A @ x + b) @ C @ (D @ x + e),
     lambda x, A, b, C, D, e: A.T @ C @ (D @ x + e) + D.T @ C.T @ (A @ x + b),
     {"x": "vec:n", "A": "mat:p,n", "b": "vec:p", "C": "sq:p,p", "D": "mat:p,n", "e": "vec:p"}, "x",
     mistake=_M(r"A^\top C(D\mathbf{x} + \mathbf{e}) + D^\top C(A\mathbf{x} + \mathbf{b})",
                lambda x, A, b, C, D, e: A.T @ C @ (D @ x + e) + D.T @ C @ (A @ x + b),
                "the transpose on C in the second term is forgotten"))
_add("chain-weighted-ls", "weighted least squares, general W", "gradient", _CH,
     r"\nabla_{\mathbf{x}}\, (A\mathbf{x} - \mathbf{b})^\top W(A\mathbf{x} - \mathbf{b}) = A^\top(W + W^\top)(A\mathbf{x} - \mathbf{b})",
     lambda x, A, b, W: (A @ x - b) @ W @ (A @ x - b),
     lambda x, A, b, W: A.T @ (W + W.T) @ (A @ x - b),
     {"x": "vec:n", "A": "mat:m,n", "b": "vec:m", "W": "sq:m,m"}, "x",
     mistake=_M(r"2A^\top W(A\mathbf{x} - \mathbf{b})", lambda x, A, b, W: 2 * A.T @ W @ (A @ x - b),
                "holds only for symmetric W"))
_add("chain-weighted-ls-sym", "weighted least squares, symmetric W", "gradient", _CH,
     r"\nabla_{\mathbf{x}}\, (A\mathbf{x} - \mathbf{b})^\top W(A\mathbf{x} - \mathbf{b}) = 2A^\top W(A\mathbf{x} - \mathbf{b})",
     lambda x, A, b, W: (A @ x - b) @ W @ (A @ x - b),
     lambda x, A, b, W: 2 * A.T @ W @ (A @ x - b),
     {"x": "vec:n", "A": "mat:m,n", "b": "vec:m", "W": "sym:m,m"}, "x")
_add("chain-product-of-linear", "product of two linear forms", "gradient", _CH,
     r"\nabla_{\mathbf{x}}\, (\mathbf{a}^\top\mathbf{x})(\mathbf{x}^\top\mathbf{b}) = (\mathbf{a}\mathbf{b}^\top + \mathbf{b}\mathbf{a}^\top)\,\mathbf{x}",
     lambda x, a, b: (a @ x) * (x @ b), lambda x, a, b: (anp.outer(a, b) + anp.outer(b, a)) @ x,
     {"x": "vec:n", "a": "vec:n", "b": "vec:n"}, "x",
     mistake=_M(r"2\mathbf{a}\mathbf{b}^\top\mathbf{x}", lambda x, a, b: 2 * anp.outer(a, b) @ x,
                "treats the rank-one matrix as symmetric"))
_add("chain-exp-quadratic", "exponential of a quadratic form", "gradient", _CH,
     r"\nabla_{\mathbf{x}}\, e^{-\mathbf{x}^\top A\mathbf{x}} = -e^{-\mathbf{x}^\top A\mathbf{x}}\,(A + A^\top)\mathbf{x}",
     lambda x, A: anp.exp(-x @ A @ x), lambda x, A: -anp.exp(-x @ A @ x) * ((A + A.T) @ x),
     {"x": "vec:n", "A": "sq:n,n"}, "x",
     post=lambda d, rng: {**d, "x": 0.6 * d["x"], "A": 0.3 * d["A"]},
     mistake=_M(r"-2e^{-\mathbf{x}^\top A\mathbf{x}}\,A\mathbf{x}", lambda x, A: -2 * anp.exp(-x @ A @ x) * (A @ x),
                "holds only for symmetric A"))
_add("chain-curve", "function along a curve", "derivative", _CH,
     r"\frac{d}{dt}\, f(\mathbf{x}(t)) = \nabla f(\mathbf{x}(t))^\top\mathbf{x}'(t),\ f(\mathbf{x}) = \mathbf{a}^\top\mathbf{x} + \mathbf{x}^\top B\mathbf{x},\ \mathbf{x}(t) = (\sin t, \cos t)",
     lambda t, a, B: a[0] * anp.sin(t) + a[1] * anp.cos(t)
     + B[0, 0] * anp.sin(t) ** 2 + (B[0, 1] + B[1, 0]) * anp.sin(t) * anp.cos(t) + B[1, 1] * anp.cos(t) ** 2,
     lambda t, a, B: (a[0] + 2 * B[0, 0] * anp.sin(t) + (B[0, 1] + B[1, 0]) * anp.cos(t)) * anp.cos(t)
     + (a[1] + (B[0, 1] + B[1, 0]) * anp.sin(t) + 2 * B[1, 1] * anp.cos(t)) * (-anp.sin(t)),
     {"t": "vec:p", "a": "vec:2", "B": "sq:2,2"}, "t")
_add("chain-dot-rule", "dot-product rule", "gradient", _CH,
     r"\nabla_{\mathbf{x}}\, (A\mathbf{x})^\top(B\mathbf{x}) = A^\top B\mathbf{x} + B^\top A\mathbf{x}",
     lambda x, A, B: (A @ x) @ (B @ x), lambda x, A, B: A.T @ B @ x + B.T @ A @ x,
     {"x": "vec:n", "A": "mat:m,n", "B": "mat:m,n"}, "x",
     mistake=_M(r"2A^\top B\mathbf{x}", lambda x, A, B: 2 * A.T @ B @ x,
                "assumes the two factors are interchangeable"))
_add("chain-jac-exp-linear", "Jacobian of an elementwise map after a linear map", "jacobian", _CH,
     r"\frac{\partial\, e^{A\mathbf{x}}}{\partial \mathbf{x}} = \operatorname{diag}(e^{A\mathbf{x}})\,A",
     lambda x, A: anp.exp(A @ x), lambda x, A: anp.diag(anp.exp(A @ x)) @ A,
     {"x": "vec:n", "A": "mat:m,n"}, "x",
     mistake=_M(r"A^\top\operatorname{diag}(e^{A\mathbf{x}})", lambda x, A: A.T @ anp.diag(anp.exp(A @ x)),
                "the Jacobian product in the wrong order and transposed (denominator layout)"))
_add("chain-jac-two-layers", "Jacobian of a two-layer map", "jacobian", _CH,
     r"\frac{\partial\, A\tanh(B\mathbf{x})}{\partial \mathbf{x}} = A\operatorname{diag}\big(1 - \tanh^{2}(B\mathbf{x})\big)B",
     lambda x, A, B: A @ anp.tanh(B @ x), lambda x, A, B: A @ anp.diag(1 - anp.tanh(B @ x) ** 2) @ B,
     {"x": "vec:n", "A": "mat:p,m", "B": "mat:m,n"}, "x")
_add("chain-softplus-linear", "scalar function of a linear form", "gradient", _CH,
     r"\nabla_{\mathbf{x}}\, h(\mathbf{a}^\top\mathbf{x}) = h'(\mathbf{a}^\top\mathbf{x})\,\mathbf{a},\ h(z) = \ln(1 + e^{z}),\ h' = \sigma",
     lambda x, a: _softplus(a @ x), lambda x, a: _sig(a @ x) * a, {"x": "vec:n", "a": "vec:n"}, "x")
_add("chain-log-linear", "logarithm of a linear form", "gradient", _CH,
     r"\nabla_{\mathbf{x}}\, \ln(\mathbf{a}^\top\mathbf{x}) = \frac{\mathbf{a}}{\mathbf{a}^\top\mathbf{x}}",
     lambda x, a: anp.log(a @ x), lambda x, a: a / (a @ x), {"x": "pos:n", "a": "pos:n"}, "x",
     conditions=[_cond(r"$\mathbf{a}^\top\mathbf{x} > 0$", lambda d: d["a"] @ d["x"] > 0)])
_add("chain-norm-Ax", "norm of a linear map", "gradient", _CH,
     r"\nabla_{\mathbf{x}}\, \lVert A\mathbf{x}\rVert_2 = \frac{A^\top A\mathbf{x}}{\lVert A\mathbf{x}\rVert_2}",
     lambda x, A: _norm(A @ x), lambda x, A: A.T @ A @ x / _norm(A @ x), {"x": "vec:n", "A": "mat:m,n"}, "x",
     conditions=[_cond(r"$A\mathbf{x} \neq \mathbf{0}$", lambda d: np.linalg.norm(d["A"] @ d["x"]) > 0)])
_add("chain-yAx-minus-yx", "bilinear minus linear", "gradient", _CH,
     r"\nabla_{\mathbf{x}}\, (\mathbf{y}^\top A\mathbf{x} - \mathbf{y}^\top\mathbf{x}) = A^\top\mathbf{y} - \mathbf{y}",
     lambda x, y, A: y @ A @ x - y @ x, lambda x, y, A: A.T @ y - y, {"x": "vec:n", "y": "vec:n", "A": "sq:n,n"}, "x",
     mistake=_M(r"A\mathbf{y} - \mathbf{y}", lambda x, y, A: A @ y - y, "A^T replaced by A"))
_add("chain-exp-bilinear", "exponential of a bilinear form", "gradient", _CH,
     r"\nabla_{\mathbf{x}}\, e^{\mathbf{y}^\top A\mathbf{x}} = e^{\mathbf{y}^\top A\mathbf{x}}\,A^\top\mathbf{y}",
     lambda x, y, A: anp.exp(y @ A @ x), lambda x, y, A: anp.exp(y @ A @ x) * (A.T @ y),
     {"x": "vec:n", "y": "vec:m", "A": "mat:m,n"}, "x",
     post=lambda d, rng: {**d, "A": 0.3 * d["A"]})
_add("chain-lse-affine", "log-sum-exp of an affine map", "gradient", _CH,
     r"\nabla_{\mathbf{x}}\, \operatorname{lse}(A\mathbf{x} + \mathbf{b}) = A^\top\operatorname{softmax}(A\mathbf{x} + \mathbf{b})",
     lambda x, A, b: _lse(A @ x + b), lambda x, A, b: A.T @ _softmax(A @ x + b),
     {"x": "vec:n", "A": "mat:m,n", "b": "vec:m"}, "x")
_add("chain-jac-softmax-linear", "Jacobian of softmax after a linear map", "jacobian", _CH,
     r"\frac{\partial \operatorname{softmax}(A\mathbf{x})}{\partial \mathbf{x}} = \big(\operatorname{diag}(\mathbf{s}) - \mathbf{s}\mathbf{s}^\top\big)A,\ \mathbf{s} = \operatorname{softmax}(A\mathbf{x})",
     lambda x, A: _softmax(A @ x),
     lambda x, A: (anp.diag(_softmax(A @ x)) - anp.outer(_softmax(A @ x), _softmax(A @ x))) @ A,
     {"x": "vec:n", "A": "mat:m,n"}, "x")
_add("chain-sin-regression", "least squares through a nonlinearity", "gradient", _CH,
     r"\nabla_{\mathbf{x}}\, \tfrac{1}{2}\lVert\mathbf{y} - A\sin(\mathbf{x})\rVert_2^{2} = -\cos(\mathbf{x})\odot A^\top\big(\mathbf{y} - A\sin(\mathbf{x})\big)",
     lambda x, y, A: 0.5 * (y - A @ anp.sin(x)) @ (y - A @ anp.sin(x)),
     lambda x, y, A: -anp.cos(x) * (A.T @ (y - A @ anp.sin(x))),
     {"x": "vec:n", "y": "vec:N", "A": "mat:N,n"}, "x")
_add("chain-square-of-affine", "square of an affine form", "gradient", _CH,
     r"\nabla_{\mathbf{x}}\, (\mathbf{a}^\top\mathbf{x} + b)^{2} = 2(\mathbf{a}^\top\mathbf{x} + b)\,\mathbf{a}",
     lambda x, a, b: (a @ x + b) ** 2, lambda x, a, b: 2 * (a @ x + b) * a,
     {"x": "vec:n", "a": "vec:n", "b": "num:-2,2"}, "x")


def _post_kink(d, rng):
    """Keep the ReLU argument w^T x away from the kink at 0 (both signs occur across draws)."""
    return d if abs(d["w"] @ d["x"]) > 0.2 else None


_add("chain-relu-x", "ReLU of a linear form, in the input", "gradient", _CH,
     r"\nabla_{\mathbf{x}}\, \operatorname{ReLU}(\mathbf{w}^\top\mathbf{x}) = \mathbb{1}[\mathbf{w}^\top\mathbf{x} > 0]\,\mathbf{w}\ \ (\mathbf{w}^\top\mathbf{x} \neq 0)",
     lambda x, w: anp.maximum(0.0, w @ x), lambda x, w: (w @ x > 0) * w,
     {"x": "vec:n", "w": "vec:n"}, "x", post=_post_kink,
     conditions=[_cond(r"$\mathbf{w}^\top\mathbf{x} \neq 0$", lambda d: d["w"] @ d["x"] != 0)])
_add("chain-relu-w", "ReLU of a linear form, in the weights", "gradient", _CH,
     r"\nabla_{\mathbf{w}}\, \operatorname{ReLU}(\mathbf{w}^\top\mathbf{x}) = \mathbb{1}[\mathbf{w}^\top\mathbf{x} > 0]\,\mathbf{x}\ \ (\mathbf{w}^\top\mathbf{x} \neq 0)",
     lambda w, x: anp.maximum(0.0, w @ x), lambda w, x: (w @ x > 0) * x,
     {"w": "vec:n", "x": "vec:n"}, "w", post=_post_kink,
     conditions=[_cond(r"$\mathbf{w}^\top\mathbf{x} \neq 0$", lambda d: d["w"] @ d["x"] != 0)])
_add("chain-log1p-sq-norm", "logarithm of one plus the squared norm", "gradient", _CH,
     r"\nabla_{\mathbf{x}}\, \ln(1 + \lVert\mathbf{x}\rVert_2^{2}) = \frac{2\mathbf{x}}{1 + \lVert\mathbf{x}\rVert_2^{2}}",
     lambda x: anp.log(1 + x @ x), lambda x: 2 * x / (1 + x @ x), {"x": "vec:n"}, "x")
_add("chain-sq-norm-affine", "squared norm of an affine map", "gradient", _CH,
     r"\nabla_{\mathbf{x}}\, \lVert A\mathbf{x} + \mathbf{b}\rVert_2^{2} = 2A^\top(A\mathbf{x} + \mathbf{b}) = 2A^\top A\mathbf{x} + 2A^\top\mathbf{b}",
     lambda x, A, b: (A @ x + b) @ (A @ x + b), lambda x, A, b: 2 * A.T @ (A @ x + b),
     {"x": "vec:n", "A": "mat:m,n", "b": "vec:m"}, "x",
     mistake=_M(r"2A^\top A\mathbf{x} + A^\top\mathbf{b}", lambda x, A, b: 2 * A.T @ A @ x + A.T @ b,
                "the factor 2 multiplies the whole residual, not only the term in x"))
_add("chain-jac-product-rule", "product rule for an elementwise product of two maps", "jacobian", _CH,
     r"\frac{\partial\, (\mathbf{u}\odot C\mathbf{v})}{\partial \mathbf{x}} = \operatorname{diag}(C\mathbf{v})\frac{\partial\mathbf{u}}{\partial\mathbf{x}} + \operatorname{diag}(\mathbf{u})\,C\frac{\partial\mathbf{v}}{\partial\mathbf{x}},\ \mathbf{u} = \tanh(A\mathbf{x}),\ \mathbf{v} = \sin(B\mathbf{x})",
     lambda x, A, B, C: anp.tanh(A @ x) * (C @ anp.sin(B @ x)),
     lambda x, A, B, C: anp.diag(C @ anp.sin(B @ x)) @ anp.diag(1 - anp.tanh(A @ x) ** 2) @ A
     + anp.diag(anp.tanh(A @ x)) @ C @ anp.diag(anp.cos(B @ x)) @ B,
     {"x": "vec:n", "A": "mat:m,n", "B": "mat:p,n", "C": "mat:m,p"}, "x")

# A layer's weighted output: the order the chain rule imposes, at a non-square W.
_add("chain-sigmoid-layer-x", "weighted output of a sigmoid layer, gradient in the input", "gradient", _CH,
     r"\nabla_{\mathbf{x}}\, \mathbf{v}^\top\sigma(W\mathbf{x}) = W^\top\big(\sigma'(W\mathbf{x})\odot\mathbf{v}\big),\ \sigma(s) = \frac{1}{1 + e^{-s}},\ \sigma' = \sigma(1 - \sigma)",
     lambda x, v, W: v @ _sigmoid_plain(W @ x), lambda x, v, W: W.T @ (_sig(W @ x) * (1 - _sig(W @ x)) * v),
     {"x": "vec:n", "v": "vec:m", "W": "mat:m,n"}, "x",
     mistake=_M(r"\sigma'(W\mathbf{x})\odot W^\top\mathbf{v}", lambda x, v, W: _sig(W @ x) * (1 - _sig(W @ x)) * (W.T @ v),
                "an m-vector times an n-vector: it has a shape only for a square W, and is wrong there too (the chain rule weights v by sigma' before W^T acts)"))
