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


# ------------------------------------------------------------------------------------------------
# practice of other kinds: own checks, by hand, spot the error
# ------------------------------------------------------------------------------------------------

_ex("derivatives/by-hand-composite", "d_composite_by_hand",
    "f'(2) for f(x) = (x^2 + 1)^3, by hand", "value", [], lambda rng: [Case((), "by hand")],
    lambda: 300.0,
    hints=[("no-inner", lambda: 75.0,
            "3 (x^2 + 1)^2 = 75 is the outer derivative only: multiply by the inner derivative "
            "2x = 4."),
           ("outer-at-x", lambda: 48.0,
            "The outer derivative 3u^2 is evaluated at u = x^2 + 1 = 5, not at x = 2."),
           ("power-kept", lambda: 1500.0,
            "The power drops by one: the derivative of u^3 is 3u^2, not 3u^3.")],
    task="by-hand")

_ex("derivatives/by-hand-tangent", "tangent_intercept_by_hand",
    "the intercept of the tangent to x^3 - 2x at x0 = 2, by hand", "value", [],
    lambda rng: [Case((), "by hand")], lambda: -16.0,
    hints=[("slope", lambda: 10.0,
            "10 is the slope f'(2) of the tangent; the intercept is its value at x = 0."),
           ("intercept-sign", lambda: 24.0,
            "The tangent is y = f(x0) + f'(x0)(x - x0); at x = 0 that is f(x0) - f'(x0) x0, "
            "with a minus."),
           ("value", lambda: 4.0,
            "4 is f(2), the point where the tangent touches; the intercept is where it "
            "crosses the y-axis, x = 0.")],
    task="by-hand")

_STEP_QUOTIENT = {
    1: "Step 1 is right: f = u/v with u = e^x and v = x^2 + 1.",
    2: "Step 2 is right: u' = e^x and v' = 2x.",
    4: "Step 4 is right given step 3: it substitutes u, v, u', v' into it. Look at the rule it "
       "substitutes into.",
    5: "Step 5 is right given step 4: the sign of -(x - 1)^2 e^x. Look further back.",
}

_ex("derivatives/spot-error-quotient", "wrong_step_quotient",
    "the wrong step in a quotient-rule derivation", "value", [],
    lambda rng: [Case((), "the step number")], lambda: 3,
    hints=[(f"step-{k}", lambda k=k: k, msg) for k, msg in _STEP_QUOTIENT.items()],
    task="spot-error")


def _d_exp_over_quad(x):
    return np.exp(x) * (x - 1) ** 2 / (x**2 + 1) ** 2


_ex("derivatives/spot-error-quotient-fixed", "d_exp_over_quadratic",
    "f(x) = e^x / (x^2 + 1)", "derivative", ["x"],
    _points(-2.0, 0.0, 0.5, 2.0, 3.0), _d_exp_over_quad,
    hints=[("quotient-sign", lambda x: -_d_exp_over_quad(x),
            "That is the planted mistake: (u v' - u' v) / v^2 has the opposite sign. The "
            "quotient rule is (u'v - uv') / v^2."),
           ("quotient-no-square", lambda x: np.exp(x) * (x - 1) ** 2 / (x**2 + 1),
            "The denominator of the quotient rule is v^2 = (x^2 + 1)^2.")])


def _claim_ok(f, df, x, rtol=1e-5):
    """1.0 when df(x) is f'(x) (central difference, h scaled with |x|, relative error), else 0."""
    x = float(x)
    h = 1e-6 * max(1.0, abs(x))
    fd = (f(x + h) - f(x - h)) / (2 * h)
    d = float(df(x))
    return float(abs(d - fd) <= rtol * max(abs(d), abs(fd), 1e-300))


def _named(fn, name):
    """fn under a readable name (shown in a verdict's input row)."""
    def g(x):
        return fn(x)
    g.__name__ = g.__qualname__ = name
    return g


def _claim_cases(rng):
    # (f, claimed f', x, label): right claims exact, wrong ones off by far more than 1e-2
    named, sin, cos = _named, np.sin, np.cos
    plants = [
        (named(sin, "sin"), named(cos, "cos"), 0.7, "right: sin' = cos"),
        (named(sin, "sin"), named(lambda x: 2 * np.cos(x), "two_cos"), 0.7,
         "wrong: a factor 2"),
        (named(sin, "sin"), named(lambda x: -np.cos(x), "minus_cos"), 1.3, "wrong: the sign"),
        (named(lambda x: np.exp(3 * x), "exp3x"), named(lambda x: 3 * np.exp(3 * x), "three_exp3x"),
         4.0, "right: a steep f, f' ~ 5e5"),
        (named(lambda x: np.exp(3 * x), "exp3x"), named(lambda x: np.exp(3 * x), "exp3x_claim"),
         4.0, "wrong: the inner factor 3 missing, steep f"),
        (named(lambda x: x**3, "cube"), named(lambda x: 3 * x**2, "three_x_sq"), 0.01,
         "right: a small derivative, f' = 3e-4"),
        (named(lambda x: x**3, "cube"), named(lambda x: x**2, "x_sq"), 0.01,
         "wrong: a small derivative off by a factor 3"),
        (named(lambda x: x * sin(x), "x_sin"), named(lambda x: np.sin(x), "sin_claim"), 2.0,
         "wrong: a product-rule term missing"),
    ]
    return [Case((f, df, x), label) for f, df, x, label in plants]


def _fixed_h_forward(f, df, x):
    h = 1e-12
    fd = (f(x + h) - f(x)) / h
    d = df(x)
    return float(abs(d - fd) <= 1e-6 * max(abs(d), abs(fd)))


def _absolute_tol(f, df, x):
    h = 1e-5
    fd = (f(x + h) - f(x - h)) / (2 * h)
    return float(abs(df(x) - fd) < 1e-6)


_ex("derivatives/own-check-central", "check_derivative_claim",
    "a checker for a claimed derivative f'(x) (central differences, relative tolerance)",
    "value", ["f", "df", "x"], _claim_cases, _claim_ok,
    hints=[("absolute-tolerance", _absolute_tol,
            "Your checker compares with an absolute tolerance: for a steep f (values ~1e5) the "
            "finite difference itself is off by more than 1e-6, so a right claim is rejected. "
            "Compare the relative error |d - fd| / max(|d|, |fd|)."),
           ("forward-tiny-h", _fixed_h_forward,
            "Your checker uses a one-sided difference with a tiny step (h = 1e-12): rounding "
            "error eps |f| / h swamps the difference and right claims are rejected. Use the "
            "central difference (f(x+h) - f(x-h)) / (2h) with h around 1e-6 (times |x| when "
            "|x| is large)."),
           ("accepts-all", lambda f, df, x: 1.0,
            "Your checker accepts every claim, including the planted wrong ones.")],
    task="own-check")


def _order_cases(rng):
    sin, cos = np.sin, np.cos
    rows = [
        (sin, cos, 0.7, "right: sin' = cos"),
        (sin, lambda x: 2 * np.cos(x), 0.7, "wrong: a factor 2"),
        (lambda x: np.exp(3 * x), lambda x: 3 * np.exp(3 * x), 1.0, "right: exp(3x)"),
        (lambda x: np.exp(3 * x), lambda x: np.exp(3 * x), 1.0, "wrong: inner factor missing"),
        (lambda x: x**3 + x, lambda x: 3 * x**2 + 1, -1.5, "right: a cubic"),
        (lambda x: x**3 + x, lambda x: 3 * x**2, -1.5, "wrong: a term missing"),
    ]
    return [Case((f, df, x), label) for f, df, x, label in rows]


def _order(f, df, x, *, forward=False, ratio_only=False):
    x = float(x)
    h = 1e-2 * max(1.0, abs(x))

    def err(h):
        fd = (f(x + h) - f(x)) / h if forward else (f(x + h) - f(x - h)) / (2 * h)
        return abs(fd - df(x))
    r = err(h) / err(h / 2)
    return float(r if ratio_only else np.round(np.log2(r)))


_ex("derivatives/own-check-order", "central_difference_order",
    "the observed order of accuracy of the central difference against a claimed f'",
    "value", ["f", "df", "x"], _order_cases, _order,
    hints=[("forward-difference", lambda f, df, x: _order(f, df, x, forward=True),
            "You measured the one-sided (forward) difference, whose error is O(h): order 1. "
            "The exercise asks for the central difference (f(x+h) - f(x-h)) / (2h)."),
           ("ratio-not-order", lambda f, df, x: _order(f, df, x, ratio_only=True),
            "You returned the ratio err(h) / err(h/2) = 2^p; the order p is its base-2 log "
            "(rounded to the nearest integer).")],
    task="own-check")


def _big_x_cases(rng):
    rows = [
        (np.log, lambda x: 1 / x, 1e12, "right: ln at x = 1e12"),
        (np.log, lambda x: 1 / (2 * x), 1e12, "wrong: a factor 1/2 at x = 1e12"),
        (np.sqrt, lambda x: 0.5 / np.sqrt(x), 1e10, "right: sqrt at x = 1e10"),
        (np.sqrt, lambda x: 1 / np.sqrt(x), 1e10, "wrong: a factor 2 at x = 1e10"),
        (lambda x: x**2, lambda x: 2 * x, -3e7, "right: x^2 at x = -3e7"),
        (lambda x: x**2, lambda x: -2 * x, -3e7, "wrong: the sign at x = -3e7"),
        (lambda x: x**2, lambda x: 0 * x, 1e-9, "wrong: claims 0 where f' = 2e-9"),
        (np.sin, np.cos, 0.4, "right: sin at x = 0.4"),
    ]
    return [Case((f, df, x), label) for f, df, x, label in rows]


def _fixed_h_central(f, df, x):
    h = 1e-6
    fd = (f(x + h) - f(x - h)) / (2 * h)
    d = df(x)
    return float(abs(d - fd) <= 1e-5 * max(abs(d), abs(fd), 1e-300))


def _isclose_default(f, df, x):
    h = 1e-6 * max(1.0, abs(x))
    fd = (f(x + h) - f(x - h)) / (2 * h)
    return float(np.isclose(df(x), fd, rtol=1e-5))


_ex("derivatives/own-check-large-x", "check_derivative_large_x",
    "a derivative checker that works for tiny and huge |x|",
    "value", ["f", "df", "x"], _big_x_cases, _claim_ok,
    hints=[("fixed-step", _fixed_h_central,
            "Your step h does not grow with |x|: at x = 1e12 the numbers near x are 1e-4 apart, "
            "so x + 1e-6 rounds to x and the difference is 0. Scale the step, "
            "h = 1e-6 max(1, |x|)."),
           ("isclose-atol", _isclose_default,
            "np.isclose has a default absolute tolerance atol = 1e-8: where the derivative is "
            "tiny (2e-9) it accepts the claim 0. Use a purely relative test (atol=0).")],
    task="own-check")
