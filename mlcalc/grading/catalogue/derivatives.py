"""The exercises of the chapter on derivatives of functions of one variable.

Ids ``derivatives/<slug>``. The task texts, hints and worked solutions are in
``exercises/solutions/derivatives.ipynb`` (kept in sync by ``tests/test_exercises.py``).
"""

import numpy as np

from ...activations import sigmoid
from ..spec import Case, _ex, _points

_ex("derivatives/polynomial", "d_polynomial",
    "f(x) = 0.3 x^2 + 0.2", "derivative", ["x"],
    _points(-1.5, 0.0, 1.0, 2.5), lambda x: 0.6 * x,
    hints=[("kept-constant", lambda x: 0.6 * x + 0.2,
            "You kept the constant 0.2: the derivative of a constant is 0.")])

_ex("derivatives/product-rule", "d_product_rule",
    "f(x) = x^2 sin x", "derivative", ["x"],
    _points(-2.0, -0.5, 0.7, 1.9, 3.0),
    lambda x: 2 * x * np.sin(x) + x**2 * np.cos(x),
    hints=[("product-of-derivatives", lambda x: 2 * x * np.cos(x),
            "You multiplied the two derivatives, (x^2)' (sin x)' = 2x cos x. The product rule is "
            "(uv)' = u'v + uv'.")],
    terms=lambda x: {"2x sin x": 2 * x * np.sin(x), "x^2 cos x": x**2 * np.cos(x)})

_ex("derivatives/quotient-rule", "d_quotient_rule",
    "f(x) = (x^2 + 1) / (x - 3)", "derivative", ["x"],
    _points(-2.0, 0.0, 1.5, 4.0, 6.0),
    lambda x: (2 * x * (x - 3) - (x**2 + 1)) / (x - 3) ** 2,
    hints=[("quotient-no-square", lambda x: (2 * x * (x - 3) - (x**2 + 1)) / (x - 3),
            "The denominator of the quotient rule is the square of the denominator: "
            "(u/v)' = (u'v - uv') / v^2."),
           ("ratio-of-derivatives", lambda x: 2 * x + 0 * x,
            "You divided the derivatives, u'/v' = 2x/1. The quotient rule is "
            "(u/v)' = (u'v - uv') / v^2.")])

_ex("derivatives/real-life", "d_real_life",
    "f(x) = log_3(2x^2) - 2x e^{3x} + 2", "derivative", ["x"],
    _points(-1.2, -0.4, 0.3, 0.8, 1.1),
    lambda x: 2 / (x * np.log(3)) - 2 * np.exp(3 * x) - 6 * x * np.exp(3 * x),
    hints=[("natural-log", lambda x: 2 / x - 2 * np.exp(3 * x) - 6 * x * np.exp(3 * x),
            "You differentiated log_3 as if it were the natural log: log_3(u) = ln(u) / ln 3, so "
            "a factor 1/ln 3 is missing in the first term.")],
    terms=lambda x: {"2/(x ln 3)": 2 / (x * np.log(3)), "-2e^{3x}": -2 * np.exp(3 * x),
                     "-6x e^{3x}": -6 * x * np.exp(3 * x)})

_ex("derivatives/sigmoid", "dsigma",
    "sigma(z) = 1 / (1 + e^{-z})", "derivative", ["z"],
    _points(-4.0, -1.0, 0.5, 2.0, 6.0),
    lambda z: sigmoid(z) * (1 - sigmoid(z)),
    hints=[("sigmoid-plus", lambda z: sigmoid(z) * (1 + sigmoid(z)),
            "It is sigma(z)(1 - sigma(z)), with a minus: e^{-z}/(1 + e^{-z}) = 1 - sigma(z)."),
           ("sigmoid-itself", lambda z: sigmoid(z),
            "That is sigma(z) itself; its derivative is sigma(z)(1 - sigma(z)).")])

_ex("derivatives/least-squares-slope", "dE",
    "dE/da for E(a) = sum (y_i - a x_i)^2", "derivative",
    ["a", "x", "y"],
    lambda rng: [Case((a, rng.normal(size=n), rng.normal(size=n)), f"a = {a:g}, n = {n}")
                 for a, n in ((0.5, 5), (-1.0, 8), (2.0, 3), (0.0, 6))],
    lambda a, x, y: -2 * np.sum(x * (y - a * x)),
    hints=[("inner-sign", lambda a, x, y: 2 * np.sum(x * (y - a * x)),
            "The inner derivative of y_i - a x_i with respect to a is -x_i: the minus sign is "
            "missing."),
           ("no-inner", lambda a, x, y: -2 * np.sum(y - a * x),
            "The chain rule's inner factor x_i is missing: d/da (y_i - a x_i) = -x_i.")],
    n_samples=lambda a, x, y: len(x))

_ex("derivatives/least-squares-estimate", "best_slope",
    "the minimiser a of sum (y_i - a x_i)^2", "estimate",
    ["x", "y"],
    lambda rng: [Case((rng.normal(size=n), rng.normal(size=n) + 2), f"n = {n}")
                 for n in (5, 9, 4)],
    lambda x, y: np.sum(x * y) / np.sum(x * x),
    hints=[("ratio-of-sums", lambda x, y: np.sum(y) / np.sum(x),
            "Sum(y)/sum(x) is not the minimiser: setting dE/da = -2 sum x_i (y_i - a x_i) to 0 "
            "gives a = sum x_i y_i / sum x_i^2."),
           ("mean-ratio", lambda x, y: np.mean(y / x),
            "The mean of y_i / x_i is not the least-squares slope: solve dE/da = 0.")])

_ex("derivatives/second-derivative", "d2f",
    "f''(x) for f(x) = x e^{-x}", "derivative", ["x"],
    _points(-1.0, 0.5, 2.0, 3.5),
    lambda x: (x - 2) * np.exp(-x),
    hints=[("first-derivative", lambda x: (1 - x) * np.exp(-x),
            "That is the first derivative (1 - x)e^{-x}; differentiate it once more.")])
