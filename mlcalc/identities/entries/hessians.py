"""Entries of the identity registry, chapter 5: Hessians and curvature."""

# Data: each LaTeX statement and each formula stays on one line (grep-able).
# ruff: noqa: E501

import autograd.numpy as anp
import numpy as np

from .._formulas import _lse, _norm, _sig, _softmax, _softplus
from .._inputs import _gen_sq
from .._registry import _M, _add, _cond

_CH = "ch-hessians"
_add("hess-quadratic-form", "quadratic form", "hessian", _CH,
     r"\nabla^{2}_{\mathbf{x}}\, (\mathbf{x}^\top A\mathbf{x}) = A + A^\top",
     lambda x, A: x @ A @ x, lambda x, A: A + A.T, {"x": "vec:n", "A": "sq:n,n"}, "x",
     mistake=_M(r"\nabla^{2}_{\mathbf{x}}\, (\mathbf{x}^\top A\mathbf{x}) = 2A", lambda x, A: 2 * A,
                "holds only for symmetric A (a Hessian is always symmetric)"))
_add("hess-quadratic-form-sym", "quadratic form, symmetric A", "hessian", _CH,
     r"\nabla^{2}_{\mathbf{x}}\, (\mathbf{x}^\top A\mathbf{x}) = 2A",
     lambda x, A: x @ A @ x, lambda x, A: 2 * A, {"x": "vec:n", "A": "sym:n,n"}, "x")
_add("hess-quadratic-model", "quadratic model", "hessian", _CH,
     r"\nabla^{2}_{\mathbf{x}}\, \big(\tfrac{1}{2}\mathbf{x}^\top A\mathbf{x} + \mathbf{b}^\top\mathbf{x} + c\big) = \tfrac{1}{2}(A + A^\top)",
     lambda x, A, b, c: 0.5 * x @ A @ x + b @ x + c, lambda x, A, b, c: 0.5 * (A + A.T),
     {"x": "vec:n", "A": "sq:n,n", "b": "vec:n", "c": "num:-1,1"}, "x")
_add("hess-linear", "linear form", "hessian", _CH,
     r"\nabla^{2}_{\mathbf{x}}\, (\mathbf{a}^\top\mathbf{x}) = 0",
     lambda x, a: a @ x, lambda x, a: anp.zeros((x.shape[0], x.shape[0])), {"x": "vec:n", "a": "vec:n"}, "x")
_add("hess-sq-norm", "squared norm", "hessian", _CH,
     r"\nabla^{2}_{\mathbf{x}}\, \lVert\mathbf{x}\rVert_2^{2} = 2I",
     lambda x: x @ x, lambda x: 2 * anp.eye(x.shape[0]), {"x": "vec:n"}, "x")
_add("hess-norm", "Euclidean norm", "hessian", _CH,
     r"\nabla^{2}_{\mathbf{x}}\, \lVert\mathbf{x}\rVert_2 = \frac{1}{\lVert\mathbf{x}\rVert_2}\Big(I - \frac{\mathbf{x}\mathbf{x}^\top}{\lVert\mathbf{x}\rVert_2^{2}}\Big)",
     lambda x: _norm(x), lambda x: (anp.eye(x.shape[0]) - anp.outer(x, x) / (x @ x)) / _norm(x),
     {"x": "vec:n"}, "x",
     conditions=[_cond(r"$\mathbf{x} \neq \mathbf{0}$", lambda d: np.linalg.norm(d["x"]) > 0)])
_add("hess-norm4", "fourth power of the norm", "hessian", _CH,
     r"\nabla^{2}_{\mathbf{x}}\, \lVert\mathbf{x}\rVert_2^{4} = 4\lVert\mathbf{x}\rVert_2^{2} I + 8\mathbf{x}\mathbf{x}^\top",
     lambda x: (x @ x) ** 2, lambda x: 4 * (x @ x) * anp.eye(x.shape[0]) + 8 * anp.outer(x, x), {"x": "vec:n"}, "x")
_add("hess-least-squares", "least squares", "hessian", _CH,
     r"\nabla^{2}_{\mathbf{x}}\, \lVert A\mathbf{x} - \mathbf{b}\rVert_2^{2} = 2A^\top A",
     lambda x, A, b: (A @ x - b) @ (A @ x - b), lambda x, A, b: 2 * A.T @ A,
     {"x": "vec:n", "A": "mat:m,n", "b": "vec:m"}, "x",
     mistake=_M(r"2AA^\top", lambda x, A, b: 2 * A @ A.T, "the wrong Gram matrix (m x m instead of n x n)"))
_add("hess-half-least-squares", "half least squares", "hessian", _CH,
     r"\nabla^{2}_{\mathbf{x}}\, \tfrac{1}{2}\lVert A\mathbf{x} - \mathbf{b}\rVert_2^{2} = A^\top A",
     lambda x, A, b: 0.5 * (A @ x - b) @ (A @ x - b), lambda x, A, b: A.T @ A,
     {"x": "vec:n", "A": "mat:m,n", "b": "vec:m"}, "x")
_add("hess-entropy", "entropy", "hessian", _CH,
     r"\nabla^{2}_{\mathbf{x}}\, \Big(-\sum_{i} x_i\ln x_i\Big) = -\operatorname{diag}(1/x_1, \dots, 1/x_n)",
     lambda x: -anp.sum(x * anp.log(x)), lambda x: anp.diag(-1.0 / x), {"x": "pos:n"}, "x")
_add("hess-sum-log", "sum of logarithms", "hessian", _CH,
     r"\nabla^{2}_{\mathbf{x}}\, \sum_{i}\ln x_i = -\operatorname{diag}(1/x_1^{2}, \dots, 1/x_n^{2})",
     lambda x: anp.sum(anp.log(x)), lambda x: anp.diag(-1.0 / x**2), {"x": "pos:n"}, "x")
_add("hess-polynomial", "a polynomial in two variables", "hessian", _CH,
     r"\nabla^{2}\, (x_1^{3}x_2^{2} - 3x_1x_2^{3} + 1) = \begin{bmatrix} 6x_1x_2^{2} & 6x_1^{2}x_2 - 9x_2^{2} \\ 6x_1^{2}x_2 - 9x_2^{2} & 2x_1^{3} - 18x_1x_2 \end{bmatrix}",
     lambda x: x[0] ** 3 * x[1] ** 2 - 3 * x[0] * x[1] ** 3 + 1,
     lambda x: anp.array([[6 * x[0] * x[1] ** 2, 6 * x[0] ** 2 * x[1] - 9 * x[1] ** 2],
                          [6 * x[0] ** 2 * x[1] - 9 * x[1] ** 2, 2 * x[0] ** 3 - 18 * x[0] * x[1]]]),
     {"x": "vec:2"}, "x", fixed_shapes=True,
     mistake=_M(r"\begin{bmatrix} 6x_1x_2^{2} & 6x_1^{2}x_2 - 6x_2 \\ 6x_1^{2}x_2 - 9x_2^{2} & 2x_1^{3} - 18x_1x_2 \end{bmatrix}",
                lambda x: anp.array([[6 * x[0] * x[1] ** 2, 6 * x[0] ** 2 * x[1] - 6 * x[1]],
                                     [6 * x[0] ** 2 * x[1] - 9 * x[1] ** 2, 2 * x[0] ** 3 - 18 * x[0] * x[1]]]),
                "a slip in the (1,2) entry; a Hessian of a smooth function is symmetric, this matrix is not"))
_add("hess-lse", "log-sum-exp", "hessian", _CH,
     r"\nabla^{2}_{\mathbf{z}}\, \ln\sum_{k} e^{z_k} = \operatorname{diag}(\mathbf{s}) - \mathbf{s}\mathbf{s}^\top,\ \mathbf{s} = \operatorname{softmax}(\mathbf{z})",
     lambda z: _lse(z), lambda z: anp.diag(_softmax(z)) - anp.outer(_softmax(z), _softmax(z)), {"z": "vec:K"}, "z",
     mistake=_M(r"\operatorname{diag}(\mathbf{s})", lambda z: anp.diag(_softmax(z)),
                "the rank-one coupling term is dropped"))
_add("hess-lse-affine", "log-sum-exp of an affine map", "hessian", _CH,
     r"\nabla^{2}_{\mathbf{x}}\, \operatorname{lse}(A\mathbf{x} + \mathbf{b}) = A^\top\big(\operatorname{diag}(\mathbf{s}) - \mathbf{s}\mathbf{s}^\top\big)A,\ \mathbf{s} = \operatorname{softmax}(A\mathbf{x} + \mathbf{b})",
     lambda x, A, b: _lse(A @ x + b),
     lambda x, A, b: A.T @ (anp.diag(_softmax(A @ x + b)) - anp.outer(_softmax(A @ x + b), _softmax(A @ x + b))) @ A,
     {"x": "vec:n", "A": "mat:m,n", "b": "vec:m"}, "x")
_add("hess-exp-linear", "exponential of a linear form", "hessian", _CH,
     r"\nabla^{2}_{\mathbf{x}}\, e^{\mathbf{a}^\top\mathbf{x}} = e^{\mathbf{a}^\top\mathbf{x}}\,\mathbf{a}\mathbf{a}^\top",
     lambda x, a: anp.exp(a @ x), lambda x, a: anp.exp(a @ x) * anp.outer(a, a), {"x": "vec:n", "a": "vec:n"}, "x",
     post=lambda d, rng: {**d, "a": 0.5 * d["a"]})
_add("hess-square-linear", "square of a linear form", "hessian", _CH,
     r"\nabla^{2}_{\mathbf{x}}\, (\mathbf{a}^\top\mathbf{x})^{2} = 2\mathbf{a}\mathbf{a}^\top",
     lambda x, a: (a @ x) ** 2, lambda x, a: 2 * anp.outer(a, a), {"x": "vec:n", "a": "vec:n"}, "x",
     mistake=_M(r"2\mathbf{a}^\top\mathbf{a}\,I", lambda x, a: 2 * (a @ a) * anp.eye(x.shape[0]),
                "inner product where the outer product belongs"))
_add("hess-softplus-linear", "softplus of a linear form", "hessian", _CH,
     r"\nabla^{2}_{\mathbf{x}}\, \ln(1 + e^{\mathbf{a}^\top\mathbf{x}}) = \sigma(z)\big(1 - \sigma(z)\big)\,\mathbf{a}\mathbf{a}^\top,\ z = \mathbf{a}^\top\mathbf{x}",
     lambda x, a: _softplus(a @ x), lambda x, a: _sig(a @ x) * (1 - _sig(a @ x)) * anp.outer(a, a),
     {"x": "vec:n", "a": "vec:n"}, "x")
_add("hess-gaussian-bump", "Gaussian bump", "hessian", _CH,
     r"\nabla^{2}_{\mathbf{x}}\, e^{-\lVert\mathbf{x}\rVert^{2}/2} = e^{-\lVert\mathbf{x}\rVert^{2}/2}\,(\mathbf{x}\mathbf{x}^\top - I)",
     lambda x: anp.exp(-0.5 * x @ x), lambda x: anp.exp(-0.5 * x @ x) * (anp.outer(x, x) - anp.eye(x.shape[0])),
     {"x": "vec:n"}, "x")
_add("hess-second-order-chain", "second-order chain rule", "second-derivative", _CH,
     r"\frac{d^{2}}{dx^{2}}\, f(g(x)) = f''(g(x))\,g'(x)^{2} + f'(g(x))\,g''(x),\ \text{e.g. } \frac{d^{2}}{dx^{2}} e^{\sin x} = e^{\sin x}(\cos^{2}x - \sin x)",
     lambda x: anp.exp(anp.sin(x)), lambda x: anp.exp(anp.sin(x)) * (anp.cos(x) ** 2 - anp.sin(x)), {"x": "vec:n"}, "x",
     mistake=_M(r"f''(g(x))\,g''(x)", lambda x: anp.exp(anp.sin(x)) * (-anp.sin(x)),
                "the product of second derivatives is not the second derivative of the composition"))
_add("hess-directional-second", "second directional derivative", "second-derivative", _CH,
     r"\frac{d^{2}}{dt^{2}}\, f(\mathbf{x} + t\mathbf{v}) = \mathbf{v}^\top\nabla^{2}f(\mathbf{x} + t\mathbf{v})\,\mathbf{v},\ f = \operatorname{lse}:\ \sum_k s_k v_k^{2} - (\mathbf{s}^\top\mathbf{v})^{2}",
     lambda t, x, v: _lse(x[None, :] + t[:, None] * v[None, :], axis=1),
     lambda t, x, v: anp.sum(_softmax(x[None, :] + t[:, None] * v[None, :], axis=1) * v[None, :] ** 2, axis=1)
     - anp.sum(_softmax(x[None, :] + t[:, None] * v[None, :], axis=1) * v[None, :], axis=1) ** 2,
     {"t": "vec:p", "x": "vec:n", "v": "vec:n"}, "t")
_add("grad-rayleigh", "Rayleigh quotient", "gradient", _CH,
     r"\nabla_{\mathbf{x}}\, \frac{\mathbf{x}^\top A\mathbf{x}}{\mathbf{x}^\top\mathbf{x}} = \frac{2}{\mathbf{x}^\top\mathbf{x}}\big(A\mathbf{x} - R(\mathbf{x})\,\mathbf{x}\big),\ R(\mathbf{x}) = \frac{\mathbf{x}^\top A\mathbf{x}}{\mathbf{x}^\top\mathbf{x}}",
     lambda x, A: x @ A @ x / (x @ x), lambda x, A: 2 / (x @ x) * (A @ x - (x @ A @ x / (x @ x)) * x),
     {"x": "vec:n", "A": "sym:n,n"}, "x",
     conditions=[_cond(r"$\mathbf{x} \neq \mathbf{0}$", lambda d: np.linalg.norm(d["x"]) > 0)],
     mistake=_M(r"2A\mathbf{x}", lambda x, A: 2 * A @ x,
                "differentiates the numerator only (ignores the normalisation)"))


def _gen_rayleigh_eigvec(rng):
    """A non-symmetric A and a unit eigenvector of its symmetric part, chosen at random."""
    n = int(rng.integers(2, 7))
    A = _gen_sq(rng, n)
    _, Q = np.linalg.eigh((A + A.T) / 2)
    return {"x": Q[:, int(rng.integers(0, n))].copy(), "A": A}


def _is_unit_eigvec(d):
    S = (d["A"] + d["A"].T) / 2
    x = d["x"]
    return bool(abs(x @ x - 1) < 1e-10 and np.linalg.norm(S @ x - (x @ S @ x) * x) < 1e-10)


_add("hess-exp-quadratic", "exponential of a quadratic form", "hessian", _CH,
     r"\nabla^{2}_{\mathbf{x}}\, e^{-\mathbf{x}^\top A\mathbf{x}} = e^{-\mathbf{x}^\top A\mathbf{x}}\,\big(M\mathbf{x}\mathbf{x}^\top M - M\big),\ M = A + A^\top",
     lambda x, A: anp.exp(-x @ A @ x),
     lambda x, A: anp.exp(-x @ A @ x) * (anp.outer((A + A.T) @ x, (A + A.T) @ x) - (A + A.T)),
     {"x": "vec:n", "A": "sq:n,n"}, "x",
     post=lambda d, rng: {**d, "x": 0.6 * d["x"], "A": 0.3 * d["A"]},
     mistake=_M(r"e^{-\mathbf{x}^\top A\mathbf{x}}\,\big(4A\mathbf{x}\mathbf{x}^\top A - 2A\big)",
                lambda x, A: anp.exp(-x @ A @ x) * (4 * anp.outer(A @ x, A @ x) - 2 * A),
                "2A in place of A + A^T: holds only for symmetric A"))
_add("hess-lncosh-affine", "sum of log-cosh of an affine map", "hessian", _CH,
     r"\nabla^{2}_{\mathbf{x}}\, \sum_{k}\ln\cosh\big((A\mathbf{x} + \mathbf{b})_k\big) = A^\top\operatorname{diag}\big(1 - \tanh^{2}(A\mathbf{x} + \mathbf{b})\big)A",
     lambda x, A, b: anp.sum(anp.log(anp.cosh(A @ x + b))),
     lambda x, A, b: A.T @ anp.diag(1 - anp.tanh(A @ x + b) ** 2) @ A,
     {"x": "vec:n", "A": "mat:m,n", "b": "vec:m"}, "x")
_add("hess-gauss-newton", "nonlinear least squares: Gauss-Newton term plus curvature", "hessian", _CH,
     r"\nabla^{2}_{\mathbf{x}}\, \tfrac{1}{2}\lVert\tanh(A\mathbf{x}) - \mathbf{y}\rVert_2^{2} = J^\top J + \sum_{k} r_k\nabla^{2}g_k,\ \mathbf{g} = \tanh(A\mathbf{x}),\ J = \operatorname{diag}(1 - \mathbf{g}^{2})A,\ \mathbf{r} = \mathbf{g} - \mathbf{y},\ \nabla^{2}g_k = -2g_k(1 - g_k^{2})\,\mathbf{a}_k\mathbf{a}_k^\top",
     lambda x, A, y: 0.5 * anp.sum((anp.tanh(A @ x) - y) ** 2),
     lambda x, A, y: A.T @ anp.diag((1 - anp.tanh(A @ x) ** 2) ** 2) @ A
     + A.T @ anp.diag((anp.tanh(A @ x) - y) * (-2 * anp.tanh(A @ x) * (1 - anp.tanh(A @ x) ** 2))) @ A,
     {"x": "vec:n", "A": "mat:m,n", "y": "vec:m"}, "x",
     post=lambda d, rng: {**d, "x": 0.5 * d["x"]},
     mistake=_M(r"J^\top J", lambda x, A, y: A.T @ anp.diag((1 - anp.tanh(A @ x) ** 2) ** 2) @ A,
                "the Gauss-Newton approximation: the curvature term of the residuals is dropped"))
_add("hess-lagrangian-eig", "Lagrangian of the eigenvalue problem, Hessian", "hessian", _CH,
     r"\nabla^{2}_{\mathbf{x}}\, \big(\mathbf{x}^\top A\mathbf{x} - \lambda(\mathbf{x}^\top\mathbf{x} - 1)\big) = A + A^\top - 2\lambda I = 2(S - \lambda I),\ S = \tfrac{1}{2}(A + A^\top)",
     lambda x, A, lam: x @ A @ x - lam * (x @ x - 1),
     lambda x, A, lam: A + A.T - 2 * lam * anp.eye(x.shape[0]),
     {"x": "vec:n", "A": "sq:n,n", "lam": "num:-2,2"}, "x",
     mistake=_M(r"2(A - \lambda I)", lambda x, A, lam: 2 * (A - lam * anp.eye(x.shape[0])),
                "A in place of its symmetric part S (a Hessian is symmetric)"))
_add("hess-rayleigh-eigvec", "Rayleigh quotient at an eigenvector, Hessian", "hessian", _CH,
     r"\nabla^{2}_{\mathbf{x}}\, \frac{\mathbf{x}^\top A\mathbf{x}}{\mathbf{x}^\top\mathbf{x}}\Big\rvert_{\mathbf{x} = \mathbf{q}_i} = 2(S - \lambda_i I),\ S = \tfrac{1}{2}(A + A^\top),\ S\mathbf{q}_i = \lambda_i\mathbf{q}_i,\ \lVert\mathbf{q}_i\rVert_2 = 1",
     lambda x, A: x @ A @ x / (x @ x),
     lambda x, A: 2 * ((A + A.T) / 2 - (x @ ((A + A.T) / 2) @ x) * anp.eye(x.shape[0])),
     _gen_rayleigh_eigvec, "x",
     shapes=r"\mathbf{x} = \mathbf{q}_i\in\mathbb{R}^{n},\ A\in\mathbb{R}^{n\times n}",
     conditions=[_cond(r"$\mathbf{x}$ a unit eigenvector of $\tfrac{1}{2}(A + A^\top)$", _is_unit_eigvec)],
     mistake=_M(r"2(A - \lambda_i I)", lambda x, A: 2 * (A - (x @ ((A + A.T) / 2) @ x) * anp.eye(x.shape[0])),
                "A in place of its symmetric part S (a Hessian is symmetric)"))
