"""The exercises of the chapter on gradients of scalar functions of a vector.

Ids ``gradients/<slug>``. The task texts, hints and worked solutions are in
``exercises/solutions/gradients.ipynb`` (kept in sync by ``tests/test_exercises.py``).
"""

import numpy as np

from ..spec import Case, _ex, _nonsym, _nonzero_vec, _sym, _xA_cases

_ex("gradients/linear", "grad_linear",
    "f(x) = y^T x", "gradient", ["x", "y"],
    lambda rng: [Case((rng.normal(size=d), rng.normal(size=d)), f"d = {d}") for d in (2, 3, 5)],
    lambda x, y: np.array(y, dtype=float),
    hints=[("swapped-roles", lambda x, y: np.array(x, dtype=float),
            "You returned x; the gradient of y^T x with respect to x is y (x is the variable).")])

_QF_HINTS = [
    ("symmetric-only", lambda x, A: 2 * A @ x,
     "2 A x is right only when A is symmetric. Multiply out x^T A x = sum_ij A_ij x_i x_j: "
     "x_k appears in row k and in column k, giving (A + A^T) x."),
    ("half", lambda x, A: A @ x,
     "A x is only one of the two places x appears: x^T A x = sum_ij A_ij x_i x_j depends on "
     "x_k through row k and column k, so the gradient is (A + A^T) x."),
    ("transpose-only", lambda x, A: A.T @ x,
     "A^T x is only one of the two terms: the gradient is A x + A^T x = (A + A^T) x."),
]

_ex("gradients/quadratic-form", "grad_quadratic_form",
    "f(x) = x^T A x", "gradient", ["x", "A"],
    _xA_cases, lambda x, A: (A + A.T) @ x, hints=_QF_HINTS,
    terms=lambda x, A: {"A x": A @ x, "A^T x": A.T @ x})

_ex("gradients/trace-quadratic", "grad_trace_quadratic",
    "f(x) = Tr(x^T A x)", "gradient", ["x", "A"],
    _xA_cases, lambda x, A: (A + A.T) @ x, hints=_QF_HINTS,
    terms=lambda x, A: {"A x": A @ x, "A^T x": A.T @ x})

_ex("gradients/consolidate-linear", "grad_consolidate_linear",
    "f(x) = y^T x + x^T 1 with y = (2, 5)", "gradient", ["x"],
    lambda rng: [Case((rng.normal(size=2),), "random x") for _ in range(3)],
    lambda x: np.array([3.0, 6.0]),
    hints=[("forgot-ones", lambda x: np.array([2.0, 5.0]),
            "You kept y but dropped the gradient of x^T 1, which is the vector of ones.")],
    terms=lambda x: {"y": np.array([2.0, 5.0]), "1": np.ones(2)})

_ex("gradients/consolidate-quadratic", "grad_consolidate_quadratic",
    "f(x) = x^T A x with A = [[2, 1], [1, 1]]", "gradient",
    ["x"], lambda rng: [Case((rng.normal(size=2),), "random x") for _ in range(3)],
    lambda x: np.array([[4.0, 2.0], [2.0, 2.0]]) @ x,
    hints=[("half", lambda x: np.array([[2.0, 1.0], [1.0, 1.0]]) @ x,
            "A x is half of it: the gradient is (A + A^T) x, which is 2 A x here because this A "
            "is symmetric.")])

_ex("gradients/quick-consolidate-1", "grad_at_y_1",
    "f'(y) for f(x) = x1^2 - ln x2 + e^{-x3}, y = (1, 1, 0)",
    "value", [], lambda rng: [Case(())], lambda: np.array([2.0, -1.0, -1.0]),
    hints=[("sign-exp", lambda: np.array([2.0, -1.0, 1.0]),
            "The derivative of e^{-x3} is -e^{-x3} (chain rule: the inner derivative is -1).")])

_ex("gradients/quick-consolidate-2", "grad_at_y_2",
    "f'(y) for f(x) = x1^2 - x1 - ln x2 + e^{-x1 + x2} + 2 x2 - 3, y = (0, 1)",
    "value", [], lambda rng: [Case(())], lambda: np.array([-1.0 - np.e, 1.0 + np.e]),
    hints=[("notes-answer", lambda: np.array([-np.e, -1.0 + np.e]),
            "(-e, e - 1) is the answer printed in the source notes, and it is wrong: at y = (0, 1),"
            " df/dx1 = 2x1 - 1 - e^{-x1+x2} = -1 - e and df/dx2 = -1/x2 + e^{-x1+x2} + 2 = 1 + e."),
           ("sign-exp", lambda: np.array([-1.0 + np.e, 1.0 + np.e]),
            "d/dx1 e^{-x1 + x2} = -e^{-x1 + x2}: the inner derivative is -1.")])

_ex("gradients/problems-difference", "grad_difference",
    "f(x) = y^T x - w^T x", "gradient", ["x", "y", "w"],
    lambda rng: [Case(tuple(rng.normal(size=(3, d))), f"d = {d}") for d in (2, 4, 3)],
    lambda x, y, w: y - w,
    terms=lambda x, y, w: {"y": y, "-w": -w})

_ex("gradients/problems-bilinear", "grad_bilinear",
    "f(x) = y^T A x", "gradient", ["x", "y", "A"],
    lambda rng: [Case((rng.normal(size=d), rng.normal(size=d), A), lab, tags)
                 for d, A, lab, tags in (
                     (3, _nonsym(rng, 3), "d = 3, non-symmetric A", frozenset()),
                     (2, _sym(rng, 2), "d = 2, symmetric A", frozenset({"symmetric"})),
                     (4, _nonsym(rng, 4), "d = 4, non-symmetric A", frozenset()))],
    lambda x, y, A: A.T @ y,
    hints=[("A-not-transposed", lambda x, y, A: A @ y,
            "A y is the gradient only for symmetric A: y^T A x = (A^T y)^T x, so the gradient "
            "with respect to x is A^T y.")])

_ex("gradients/problems-bilinear-minus-linear", "grad_bilinear_minus_linear",
    "f(x) = y^T A x - y^T x", "gradient",
    ["x", "y", "A"],
    lambda rng: [Case((rng.normal(size=d), rng.normal(size=d), _nonsym(rng, d)), f"d = {d}")
                 for d in (3, 4, 2)],
    lambda x, y, A: A.T @ y - y,
    hints=[("A-not-transposed", lambda x, y, A: A @ y - y,
            "The gradient of y^T A x is A^T y, not A y (they agree only for symmetric A).")],
    terms=lambda x, y, A: {"A^T y": A.T @ y, "-y": -y})

_ex("gradients/l1-norm", "grad_l1_norm",
    "f(x) = ||x||_1 (x with no zero entry)", "gradient", ["x"],
    lambda rng: [Case((_nonzero_vec(rng, d),), f"d = {d}") for d in (2, 4, 6)],
    lambda x: np.sign(x),
    hints=[("ones", lambda x: np.ones_like(x),
            "The derivative of |x_i| is +1 only for x_i > 0; for x_i < 0 it is -1: sign(x)."),
           ("abs", lambda x: np.abs(x),
            "That is |x|, the function itself; its derivative is sign(x).")])

_ex("gradients/l2-norm", "grad_l2_norm",
    "f(x) = ||x||_2", "gradient", ["x"],
    lambda rng: [Case((rng.normal(size=d) * s,), f"d = {d}") for d, s in ((2, 1), (3, 3), (5, .5))],
    lambda x: x / np.linalg.norm(x),
    hints=[("squared-norm", lambda x: 2 * x,
            "2x is the gradient of the squared norm ||x||^2; for ||x|| = (x^T x)^{1/2} the chain "
            "rule gives x / ||x||."),
           ("norm-squared-denominator", lambda x: x / np.dot(x, x),
            "Divide by ||x||, not by ||x||^2.")])

_ex("gradients/norm-distance", "grad_distance",
    "f(x) = ||x - a||_2", "gradient", ["x", "a"],
    lambda rng: [Case((rng.normal(size=d), rng.normal(size=d)), f"d = {d}") for d in (2, 3, 4)],
    lambda x, a: (x - a) / np.linalg.norm(x - a),
    hints=[("sign", lambda x, a: (a - x) / np.linalg.norm(x - a),
            "(a - x)/||x - a|| points towards a; the gradient points away from a: "
            "(x - a)/||x - a||.")])

_ex("gradients/entropy", "grad_entropy",
    "f(x) = -sum x_i ln x_i (x > 0)", "gradient", ["x"],
    lambda rng: [Case((rng.uniform(0.05, 2.0, size=d),), f"d = {d}") for d in (2, 3, 5)],
    lambda x: -(np.log(x) + 1),
    hints=[("missing-one", lambda x: -np.log(x),
            "The product rule gives d/dx (x ln x) = ln x + 1: the +1 is missing.")],
    terms=lambda x: {"-ln x": -np.log(x), "-1": -np.ones_like(x)})
