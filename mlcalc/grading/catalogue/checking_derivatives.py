"""The exercises of the chapter on checking derivatives numerically.

Ids ``checking_derivatives/<slug>``. The task texts, hints and worked solutions are in
``exercises/solutions/checking_derivatives.ipynb`` (kept in sync by ``tests/test_exercises.py``).
"""

import numpy as np

from ..spec import Case, _ex


def _cubic(x):
    return x**3 - 2 * x


def _fd_cases(rng):
    return [Case((np.sin, 0.7, 1e-3), "f = sin, x = 0.7, h = 1e-3"),
            Case((np.exp, -0.4, 1e-2), "f = exp, x = -0.4, h = 1e-2"),
            Case((_cubic, 1.3, 1e-1), "f(x) = x^3 - 2x, x = 1.3, h = 0.1")]


_ex("checking_derivatives/forward-difference", "forward_diff",
    "the forward difference (f(x + h) - f(x))/h",
    "estimate", ["f", "x", "h"], _fd_cases,
    lambda f, x, h: (f(x + h) - f(x)) / h,
    hints=[("central", lambda f, x, h: (f(x + h) - f(x - h)) / (2 * h),
            "That is the central difference; the exercise asks for the forward difference "
            "(f(x + h) - f(x))/h.")],
    rtol=1e-9)

_ex("checking_derivatives/central-difference", "central_diff",
    "the central difference", "estimate",
    ["f", "x", "h"], _fd_cases,
    lambda f, x, h: (f(x + h) - f(x - h)) / (2 * h),
    hints=[("forward", lambda f, x, h: (f(x + h) - f(x)) / h,
            "That is the forward difference; the central one uses both sides: "
            "(f(x + h) - f(x - h)) / (2h).")],
    rtol=1e-9)


def _quartic(x):
    return np.sum(x**4) + x[0] * x[-1]


def _grad_cases(rng):
    return [Case((_quartic, rng.normal(size=3), 1e-5), "d = 3"),
            Case((np.linalg.norm, rng.normal(size=4), 1e-5), "f = norm, d = 4"),
            Case((_quartic, rng.normal(size=2), 1e-4), "d = 2")]


def _num_grad(f, x, h):
    g = np.zeros(len(x))
    for i in range(len(x)):
        e = np.zeros(len(x))
        e[i] = h
        g[i] = (f(x + e) - f(x - e)) / (2 * h)
    return g


_ex("checking_derivatives/numerical-gradient", "num_grad",
    "a central-difference gradient", "estimate",
    ["f", "x", "h"], _grad_cases, _num_grad,
    hints=[("one-step-for-all", lambda f, x, h: np.full(len(x), (f(x + h) - f(x - h)) / (2 * h)),
            "Perturb one coordinate at a time: x + h e_i, where e_i is the i-th unit vector, not "
            "x + h (which moves every coordinate).")])


def _dir_cases(rng):
    return [Case((_quartic, rng.normal(size=3), rng.normal(size=3), 1e-5), "d = 3"),
            Case((np.linalg.norm, rng.normal(size=4), rng.normal(size=4), 1e-5),
                 "f = norm, d = 4")]


_ex("checking_derivatives/directional", "dir_diff",
    "a central difference along a direction v",
    "estimate", ["f", "x", "v", "h"], _dir_cases,
    lambda f, x, v, h: (f(x + h * v) - f(x - h * v)) / (2 * h))

_ex("checking_derivatives/relative-error", "rel_error",
    "relative error ||a - b|| / (||a|| + ||b||)",
    "estimate", ["a", "b"],
    lambda rng: [Case((rng.normal(size=d), rng.normal(size=d)), f"d = {d}") for d in (3, 5)]
    + [Case((np.array([1.0, 2.0]), np.array([1.0, 2.0 + 1e-6])), "nearly equal")],
    lambda a, b: np.linalg.norm(a - b) / (np.linalg.norm(a) + np.linalg.norm(b)),
    hints=[("one-sided", lambda a, b: np.linalg.norm(a - b) / np.linalg.norm(a),
            "Divide by ||a|| + ||b||, not by ||a|| alone: the measure must not depend on which "
            "of the two you call the reference.")])

_ex("checking_derivatives/richardson", "richardson",
    "Richardson extrapolation (4 D(h/2) - D(h))/3",
    "estimate", ["f", "x", "h"], _fd_cases,
    lambda f, x, h: (4 * (f(x + h / 2) - f(x - h / 2)) / h - (f(x + h) - f(x - h)) / (2 * h))
    / 3,
    hints=[("average", lambda f, x, h: ((f(x + h / 2) - f(x - h / 2)) / h
                                        + (f(x + h) - f(x - h)) / (2 * h)) / 2,
            "Averaging D(h) and D(h/2) keeps the h^2 error; the weights 4/3 and -1/3 cancel it.")],
    rtol=1e-8)
