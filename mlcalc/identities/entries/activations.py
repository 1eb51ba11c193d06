"""Entries of the identity registry, chapter 7: activation functions."""

# Data: each LaTeX statement and each formula stays on one line (grep-able).
# ruff: noqa: E501

import autograd.numpy as anp

from .._formulas import _Phi, _phi, _sig, _sigmoid_plain, _softmax, _softplus
from .._registry import _M, _add

_CH = "ch-activations"


_add("act-sigmoid", "sigmoid", "derivative", _CH,
     r"\frac{d}{dx}\, \sigma(x) = \sigma(x)\big(1 - \sigma(x)\big),\ \sigma(x) = \frac{1}{1 + e^{-x}}",
     lambda x: _sigmoid_plain(x), lambda x: _sig(x) * (1 - _sig(x)), {"x": "uni:-6,6,n"}, "x",
     mistake=_M(r"\sigma(x)\big(1 + \sigma(x)\big)", lambda x: _sig(x) * (1 + _sig(x)), "sign slip in the derivation"))
_add("act-sigmoid-2", "sigmoid, second derivative", "second-derivative", _CH,
     r"\frac{d^{2}}{dx^{2}}\, \sigma(x) = \sigma(x)\big(1 - \sigma(x)\big)\big(1 - 2\sigma(x)\big)",
     lambda x: _sigmoid_plain(x), lambda x: _sig(x) * (1 - _sig(x)) * (1 - 2 * _sig(x)), {"x": "uni:-6,6,n"}, "x")
_add("act-tanh", "hyperbolic tangent", "derivative", _CH,
     r"\frac{d}{dx}\, \tanh x = 1 - \tanh^{2} x = \operatorname{sech}^{2} x",
     lambda x: (anp.exp(x) - anp.exp(-x)) / (anp.exp(x) + anp.exp(-x)), lambda x: 1 - anp.tanh(x) ** 2,
     {"x": "uni:-4,4,n"}, "x",
     mistake=_M(r"1 - \tanh x", lambda x: 1 - anp.tanh(x), "the square is dropped"))
_add("act-tanh-2", "tanh, second derivative", "second-derivative", _CH,
     r"\frac{d^{2}}{dx^{2}}\, \tanh x = -2\tanh x\,(1 - \tanh^{2} x)",
     lambda x: anp.tanh(x), lambda x: -2 * anp.tanh(x) * (1 - anp.tanh(x) ** 2), {"x": "uni:-4,4,n"}, "x")
_add("act-tanh-via-sigmoid", "tanh through the sigmoid", "derivative", _CH,
     r"\frac{d}{dx}\, \big(2\sigma(2x) - 1\big) = 4\sigma(2x)\big(1 - \sigma(2x)\big) = 1 - \tanh^{2} x",
     lambda x: 2 * _sigmoid_plain(2 * x) - 1, lambda x: 4 * _sig(2 * x) * (1 - _sig(2 * x)), {"x": "uni:-4,4,n"}, "x")
_add("act-relu", "ReLU", "derivative", _CH,
     r"\frac{d}{dx}\, \max(0, x) = \mathbb{1}[x > 0]\ \ (x \neq 0)",
     lambda x: anp.maximum(0.0, x), lambda x: (x > 0) * 1.0, {"x": "away:n"}, "x")
_add("act-leaky-relu", "leaky ReLU", "derivative", _CH,
     r"\frac{d}{dx}\, \operatorname{LReLU}_\alpha(x) = \begin{cases} 1 & x > 0 \\ \alpha & x < 0 \end{cases}",
     lambda x, alpha: anp.where(x > 0, x, alpha * x), lambda x, alpha: anp.where(x > 0, 1.0, alpha),
     {"x": "away:n", "alpha": "num:0.01,0.3"}, "x")
_add("act-elu", "ELU", "derivative", _CH,
     r"\frac{d}{dx}\, \operatorname{ELU}_\alpha(x) = \begin{cases} 1 & x > 0 \\ \alpha e^{x} = \operatorname{ELU}_\alpha(x) + \alpha & x < 0 \end{cases}",
     lambda x, alpha: anp.where(x > 0, x, alpha * (anp.exp(anp.minimum(x, 0.0)) - 1)),
     lambda x, alpha: anp.where(x > 0, 1.0, alpha * anp.exp(anp.minimum(x, 0.0))),
     {"x": "away:n", "alpha": "num:0.2,2"}, "x")
_add("act-softplus", "softplus", "derivative", _CH,
     r"\frac{d}{dx}\, \ln(1 + e^{x}) = \frac{e^{x}}{1 + e^{x}} = \sigma(x)",
     lambda x: anp.log(1 + anp.exp(x)), lambda x: _sig(x), {"x": "uni:-6,6,n"}, "x")
_add("act-softplus-2", "softplus, second derivative", "second-derivative", _CH,
     r"\frac{d^{2}}{dx^{2}}\, \ln(1 + e^{x}) = \sigma(x)\big(1 - \sigma(x)\big)",
     lambda x: anp.log(1 + anp.exp(x)), lambda x: _sig(x) * (1 - _sig(x)), {"x": "uni:-6,6,n"}, "x")
_add("act-log-sigmoid", "log-sigmoid", "derivative", _CH,
     r"\frac{d}{dx}\, \ln\sigma(x) = 1 - \sigma(x) = \sigma(-x)",
     lambda x: anp.log(_sigmoid_plain(x)), lambda x: _sig(-x), {"x": "uni:-6,6,n"}, "x")
_add("act-swish", "swish / SiLU", "derivative", _CH,
     r"\frac{d}{dx}\, x\,\sigma(x) = \sigma(x)\big(1 + x(1 - \sigma(x))\big)",
     lambda x: x * _sigmoid_plain(x), lambda x: _sig(x) * (1 + x * (1 - _sig(x))), {"x": "uni:-6,6,n"}, "x")
_add("act-gelu", "GELU", "derivative", _CH,
     r"\frac{d}{dx}\, x\,\Phi(x) = \Phi(x) + x\,\varphi(x),\ \varphi(x) = \frac{e^{-x^{2}/2}}{\sqrt{2\pi}}",
     lambda x: x * _Phi(x), lambda x: _Phi(x) + x * _phi(x), {"x": "uni:-4,4,n"}, "x")
_add("act-softsign", "softsign", "derivative", _CH,
     r"\frac{d}{dx}\, \frac{x}{1 + \lvert x\rvert} = \frac{1}{(1 + \lvert x\rvert)^{2}}",
     lambda x: x / (1 + anp.abs(x)), lambda x: 1.0 / (1 + anp.abs(x)) ** 2, {"x": "away:n"}, "x")
_add("act-sigmoid-vector", "elementwise sigmoid on a vector", "jacobian", _CH,
     r"\frac{\partial\, \sigma(\mathbf{z})}{\partial \mathbf{z}} = \operatorname{diag}\big(\sigma(\mathbf{z})\odot(1 - \sigma(\mathbf{z}))\big)",
     lambda z: _sigmoid_plain(z), lambda z: anp.diag(_sig(z) * (1 - _sig(z))), {"z": "vec:n"}, "z")
_add("act-softmax-jacobian", "softmax Jacobian", "jacobian", _CH,
     r"\frac{\partial \operatorname{softmax}(\mathbf{z})}{\partial \mathbf{z}} = \operatorname{diag}(\mathbf{s}) - \mathbf{s}\mathbf{s}^\top,\ \ \frac{\partial s_i}{\partial z_j} = s_i(\delta_{ij} - s_j)",
     lambda z: anp.exp(z) / anp.sum(anp.exp(z)),
     lambda z: anp.diag(_softmax(z)) - anp.outer(_softmax(z), _softmax(z)), {"z": "vec:K"}, "z",
     mistake=_M(r"\operatorname{diag}\big(\mathbf{s}\odot(1 - \mathbf{s})\big)",
                lambda z: anp.diag(_softmax(z) * (1 - _softmax(z))),
                "treats softmax as elementwise (like the sigmoid): the off-diagonal terms are lost"))
_add("act-softmax-temperature", "softmax with temperature", "jacobian", _CH,
     r"\frac{\partial \operatorname{softmax}(\mathbf{z}/T)}{\partial \mathbf{z}} = \frac{1}{T}\big(\operatorname{diag}(\mathbf{s}) - \mathbf{s}\mathbf{s}^\top\big),\ \mathbf{s} = \operatorname{softmax}(\mathbf{z}/T)",
     lambda z, T: anp.exp(z / T) / anp.sum(anp.exp(z / T)),
     lambda z, T: (anp.diag(_softmax(z / T)) - anp.outer(_softmax(z / T), _softmax(z / T))) / T,
     {"z": "vec:K", "T": "num:0.5,3"}, "z")
_add("act-log-softmax-jacobian", "log-softmax Jacobian", "jacobian", _CH,
     r"\frac{\partial \ln\operatorname{softmax}(\mathbf{z})}{\partial \mathbf{z}} = I - \mathbf{1}\mathbf{s}^\top",
     lambda z: z - anp.log(anp.sum(anp.exp(z))),
     lambda z: anp.eye(z.shape[0]) - anp.outer(anp.ones_like(z), _softmax(z)), {"z": "vec:K"}, "z",
     mistake=_M(r"I - \mathbf{s}\mathbf{1}^\top", lambda z: anp.eye(z.shape[0]) - anp.outer(_softmax(z), anp.ones_like(z)),
                "the rank-one term transposed"))
_add("act-lse-gradient", "log-sum-exp gradient", "gradient", _CH,
     r"\nabla_{\mathbf{z}}\, \ln\sum_{k} e^{z_k} = \operatorname{softmax}(\mathbf{z})",
     lambda z: anp.log(anp.sum(anp.exp(z))), lambda z: _softmax(z), {"z": "vec:K"}, "z",
     mistake=_M(r"e^{\mathbf{z}}", lambda z: anp.exp(z), "the normalisation by the sum is forgotten"))

_add("act-softplus-beta", "sharpened softplus", "derivative", _CH,
     r"\frac{d}{dx}\, \frac{1}{\beta}\ln(1 + e^{\beta x}) = \sigma(\beta x)",
     lambda x, beta: _softplus(beta * x) / beta, lambda x, beta: _sig(beta * x),
     {"x": "uni:-4,4,n", "beta": "num:0.5,5"}, "x",
     mistake=_M(r"\beta\,\sigma(\beta x)", lambda x, beta: beta * _sig(beta * x),
                "the inner factor beta kept: it cancels the outer 1/beta"))
_add("act-softmax-backward", "backward pass through softmax", "gradient", _CH,
     r"\nabla_{\mathbf{z}}\, \ell(\operatorname{softmax}(\mathbf{z})) = J^\top\mathbf{g} = \mathbf{s}\odot\big(\mathbf{g} - (\mathbf{s}^\top\mathbf{g})\mathbf{1}\big),\ \mathbf{g} = \nabla\ell(\mathbf{s}),\ \text{e.g. } \ell(\mathbf{s}) = \tfrac{1}{2}\lVert\mathbf{s} - \mathbf{t}\rVert_2^{2},\ \mathbf{g} = \mathbf{s} - \mathbf{t}",
     lambda z, t: 0.5 * anp.sum((_softmax(z) - t) ** 2),
     lambda z, t: _softmax(z) * ((_softmax(z) - t) - _softmax(z) @ (_softmax(z) - t)),
     {"z": "vec:K", "t": "vec:K"}, "z",
     mistake=_M(r"\mathbf{s}\odot(\mathbf{1} - \mathbf{s})\odot\mathbf{g}",
                lambda z, t: _softmax(z) * (1 - _softmax(z)) * (_softmax(z) - t),
                "treats softmax as elementwise (like the sigmoid): the coupling term is lost"))
