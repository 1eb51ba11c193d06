"""Entries of the identity registry, chapter 1: derivatives of functions of one variable (evaluated at many points at once)."""

# Data: each LaTeX statement and each formula stays on one line (grep-able).
# ruff: noqa: E501

import autograd.numpy as anp

from .._registry import _M, _add

_CH = "ch-derivatives"
_add("d-power", "power rule", "derivative", _CH,
     r"\frac{d}{dx}\, x^{k} = k\, x^{k-1}",
     lambda x, k: x**k, lambda x, k: k * x ** (k - 1),
     {"x": "pos:n", "k": "num:-2.5,3.5"}, "x")
_add("d-exp", "exponential", "derivative", _CH,
     r"\frac{d}{dx}\, e^{x} = e^{x}",
     lambda x: anp.exp(x), lambda x: anp.exp(x), {"x": "vec:n"}, "x")
_add("d-log", "natural logarithm", "derivative", _CH,
     r"\frac{d}{dx}\, \ln x = \frac{1}{x}",
     lambda x: anp.log(x), lambda x: 1.0 / x, {"x": "pos:n"}, "x")
_add("d-reciprocal", "reciprocal", "derivative", _CH,
     r"\frac{d}{dx}\, \frac{1}{x} = -\frac{1}{x^{2}}",
     lambda x: 1.0 / x, lambda x: -1.0 / x**2, {"x": "away:n"}, "x")
_add("d-sqrt", "square root", "derivative", _CH,
     r"\frac{d}{dx}\, \sqrt{x} = \frac{1}{2\sqrt{x}}",
     lambda x: anp.sqrt(x), lambda x: 0.5 / anp.sqrt(x), {"x": "pos:n"}, "x")
_add("d-sin", "sine", "derivative", _CH,
     r"\frac{d}{dx}\, \sin x = \cos x",
     lambda x: anp.sin(x), lambda x: anp.cos(x), {"x": "vec:n"}, "x")
_add("d-cos", "cosine", "derivative", _CH,
     r"\frac{d}{dx}\, \cos x = -\sin x",
     lambda x: anp.cos(x), lambda x: -anp.sin(x), {"x": "vec:n"}, "x",
     mistake=_M(r"\frac{d}{dx}\, \cos x = \sin x", lambda x: anp.sin(x), "sign dropped"))
_add("d-tan", "tangent", "derivative", _CH,
     r"\frac{d}{dx}\, \tan x = \frac{1}{\cos^{2} x} = 1 + \tan^{2} x",
     lambda x: anp.tan(x), lambda x: 1.0 + anp.tan(x) ** 2, {"x": "uni:-1.2,1.2,n"}, "x")
_add("d-exp-base", "exponential with base a", "derivative", _CH,
     r"\frac{d}{dx}\, a^{x} = a^{x} \ln a",
     lambda x, a: a**x, lambda x, a: a**x * anp.log(a), {"x": "vec:n", "a": "num:0.2,4"}, "x",
     mistake=_M(r"\frac{d}{dx}\, a^{x} = x\, a^{x-1}", lambda x, a: x * a ** (x - 1),
                "the power rule applied to an exponential"))
_add("d-arctan", "arctangent", "derivative", _CH,
     r"\frac{d}{dx}\, \arctan x = \frac{1}{1 + x^{2}}",
     lambda x: anp.arctan(x), lambda x: 1.0 / (1.0 + x**2), {"x": "vec:n"}, "x")
_add("d-xlogx", "x ln x", "derivative", _CH,
     r"\frac{d}{dx}\, x \ln x = \ln x + 1",
     lambda x: x * anp.log(x), lambda x: anp.log(x) + 1.0, {"x": "pos:n"}, "x")
_add("d-product-rule", "product rule (example)", "derivative", _CH,
     r"\frac{d}{dx}\, x^{2} e^{x} = (x^{2} + 2x)\, e^{x}",
     lambda x: x**2 * anp.exp(x), lambda x: (x**2 + 2 * x) * anp.exp(x), {"x": "vec:n"}, "x",
     mistake=_M(r"\frac{d}{dx}\, x^{2} e^{x} = 2x\, e^{x}", lambda x: 2 * x * anp.exp(x),
                "product of the derivatives instead of the product rule"))
_add("d-quotient-rule", "quotient rule (example)", "derivative", _CH,
     r"\frac{d}{dx}\, \frac{\sin x}{x} = \frac{x\cos x - \sin x}{x^{2}}",
     lambda x: anp.sin(x) / x, lambda x: (x * anp.cos(x) - anp.sin(x)) / x**2,
     {"x": "away:n"}, "x",
     mistake=_M(r"\frac{d}{dx}\, \frac{\sin x}{x} = \frac{\sin x - x\cos x}{x^{2}}",
                lambda x: (anp.sin(x) - x * anp.cos(x)) / x**2,
                "numerator of the quotient rule in the wrong order"))
_add("d-chain-gauss", "chain rule (Gaussian bump)", "derivative", _CH,
     r"\frac{d}{dx}\, e^{-x^{2}/2} = -x\, e^{-x^{2}/2}",
     lambda x: anp.exp(-(x**2) / 2), lambda x: -x * anp.exp(-(x**2) / 2), {"x": "vec:n"}, "x",
     mistake=_M(r"\frac{d}{dx}\, e^{-x^{2}/2} = e^{-x^{2}/2}", lambda x: anp.exp(-(x**2) / 2),
                "inner derivative forgotten"))
_add("d-chain-log1p-sq", "chain rule (log of 1 + x^2)", "derivative", _CH,
     r"\frac{d}{dx}\, \ln(1 + x^{2}) = \frac{2x}{1 + x^{2}}",
     lambda x: anp.log(1 + x**2), lambda x: 2 * x / (1 + x**2), {"x": "vec:n"}, "x")
_add("d-abs", "absolute value", "derivative", _CH,
     r"\frac{d}{dx}\, \lvert x\rvert = \operatorname{sign}(x)",
     lambda x: anp.abs(x), lambda x: anp.sign(x), {"x": "away:n"}, "x")
_add("d-ls-1d", "1-D least squares", "derivative", _CH,
     r"\frac{d}{da} \sum_{i=1}^{N} (y_i - a x_i)^{2} = -2\sum_{i=1}^{N} x_i\,(y_i - a x_i)",
     lambda a, x, y: anp.sum((y[None, :] - a[:, None] * x[None, :]) ** 2, axis=1),
     lambda a, x, y: -2 * anp.sum(x[None, :] * (y[None, :] - a[:, None] * x[None, :]), axis=1),
     {"a": "vec:p", "x": "vec:N", "y": "vec:N"}, "a")
_add("d2-ls-1d", "1-D least squares, curvature", "second-derivative", _CH,
     r"\frac{d^{2}}{da^{2}} \sum_{i=1}^{N} (y_i - a x_i)^{2} = 2\sum_{i=1}^{N} x_i^{2}",
     lambda a, x, y: anp.sum((y[None, :] - a[:, None] * x[None, :]) ** 2, axis=1),
     lambda a, x, y: 2 * anp.sum(x**2) * anp.ones_like(a),
     {"a": "vec:p", "x": "vec:N", "y": "vec:N"}, "a")
_add("d2-power", "second derivative of a power", "second-derivative", _CH,
     r"\frac{d^{2}}{dx^{2}}\, x^{k} = k(k-1)\, x^{k-2}",
     lambda x, k: x**k, lambda x, k: k * (k - 1) * x ** (k - 2),
     {"x": "pos:n", "k": "num:-2.5,3.5"}, "x")
_add("d2-gauss", "second derivative of the Gaussian bump", "second-derivative", _CH,
     r"\frac{d^{2}}{dx^{2}}\, e^{-x^{2}/2} = (x^{2} - 1)\, e^{-x^{2}/2}",
     lambda x: anp.exp(-(x**2) / 2), lambda x: (x**2 - 1) * anp.exp(-(x**2) / 2),
     {"x": "vec:n"}, "x")
