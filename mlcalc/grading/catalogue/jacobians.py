"""The exercises of the chapter on Jacobians of vector functions.

Ids ``jacobians/<slug>``. The task texts, hints and worked solutions are in
``exercises/solutions/jacobians.ipynb`` (kept in sync by ``tests/test_exercises.py``).
"""

import numpy as np

from ...activations import sigmoid
from ..spec import Case, _ex

_ex("jacobians/linear-map", "jac_linear_map",
    "f(x) = A x with A of shape (m, n)", "jacobian", ["x", "A"],
    lambda rng: [Case((rng.normal(size=n), rng.normal(size=(m, n))), f"A is {m} x {n}")
                 for m, n in ((2, 3), (4, 2), (3, 3))],
    lambda x, A: np.array(A, dtype=float))

_ex("jacobians/notes-example", "jac_notes_example",
    "f(x) = (2 x1 - x3, x1 + x2)", "jacobian", ["x"],
    lambda rng: [Case((rng.normal(size=3),), "random x") for _ in range(2)],
    lambda x: np.array([[2.0, 0.0, -1.0], [1.0, 1.0, 0.0]]),
    hints=[("gradient-rows-swapped", lambda x: np.array([[1.0, 1.0, 0.0], [2.0, 0.0, -1.0]]),
            "Row i of the Jacobian holds the partial derivatives of output f_i: keep the rows in "
            "the order of the outputs.")])

_ex("jacobians/neg-log", "jac_neg_log",
    "f(x) = -log(x), elementwise (x > 0)", "jacobian", ["x"],
    lambda rng: [Case((rng.uniform(0.2, 3.0, size=d),), f"d = {d}") for d in (2, 3, 5)],
    lambda x: np.diag(-1 / x),
    hints=[("sign", lambda x: np.diag(1 / x),
            "d/dx (-log x) = -1/x: the minus sign is missing.")])

_ex("jacobians/sigmoid-elementwise", "jac_sigmoid",
    "f(z) = sigma(z), elementwise", "jacobian", ["z"],
    lambda rng: [Case((rng.normal(size=d) * 2,), f"d = {d}") for d in (2, 4, 3)],
    lambda z: np.diag(sigmoid(z) * (1 - sigmoid(z))),
    hints=[("outer-product", lambda z: np.outer(sigmoid(z), 1 - sigmoid(z)),
            "An elementwise map has a diagonal Jacobian: output i depends on z_i only, so the "
            "off-diagonal entries are 0.")])

_ex("jacobians/square-then-mix", "jac_square_then_mix",
    "f(x) = A (x * x) (elementwise square, A of shape (m, n))",
    "jacobian", ["x", "A"],
    lambda rng: [Case((rng.normal(size=n), rng.normal(size=(m, n))), f"A is {m} x {n}")
                 for m, n in ((2, 3), (3, 3), (4, 2))],
    lambda x, A: 2 * A * x[None, :],
    hints=[("dropped-x", lambda x, A: 2 * A,
            "The inner Jacobian of x * x is diag(2x), not 2: the chain rule gives "
            "A diag(2x), which scales column j of A by 2 x_j.")])

_ex("jacobians/polar", "jac_polar",
    "f(r, theta) = (r cos theta, r sin theta)", "jacobian", ["v"],
    lambda rng: [Case((np.array([r, t]),), f"r = {r}, theta = {t}")
                 for r, t in ((1.5, 0.3), (0.7, 2.0), (2.2, -1.1))],
    lambda v: np.array([[np.cos(v[1]), -v[0] * np.sin(v[1])],
                        [np.sin(v[1]), v[0] * np.cos(v[1])]]))

_ex("jacobians/linear-approximation", "linear_approx",
    "f(x0) + J(x0) dx for f(x) = A tanh(x)", "value",
    ["x0", "dx", "A"],
    lambda rng: [Case((rng.normal(size=n), 0.01 * rng.normal(size=n), rng.normal(size=(m, n))),
                      f"A is {m} x {n}") for m, n in ((2, 3), (3, 2), (3, 3))],
    lambda x0, dx, A: A @ np.tanh(x0) + A @ ((1 - np.tanh(x0) ** 2) * dx),
    hints=[("value-only", lambda x0, dx, A: A @ np.tanh(x0),
            "You returned f(x0) only; add the first-order change J(x0) dx."),
           ("exact", lambda x0, dx, A: A @ np.tanh(x0 + dx),
            "That is the exact value f(x0 + dx); the exercise asks for the linear approximation "
            "f(x0) + J(x0) dx.")],
    terms=lambda x0, dx, A: {"f(x0)": A @ np.tanh(x0),
                             "J dx": A @ ((1 - np.tanh(x0) ** 2) * dx)})
