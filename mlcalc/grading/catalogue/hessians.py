"""The exercises of the chapter on Hessians and second derivatives.

Ids ``hessians/<slug>``. The task texts, hints and worked solutions are in
``exercises/solutions/hessians.ipynb`` (kept in sync by ``tests/test_exercises.py``).
"""

import numpy as np

from ..spec import Case, _ex, _nonsym, _points, _xA_cases


def _sigmoid(t):
    return 1 / (1 + np.exp(-t))


def _exp_quad_terms(x, A):
    M = A + A.T
    e = np.exp(-x @ A @ x)
    return {"e^{-x^T A x} M x x^T M": e * np.outer(M @ x, M @ x), "-e^{-x^T A x} M": -e * M}


def _sigmoid_square_terms(x):
    s = _sigmoid(x ** 2)
    return {"sigma''(x^2) (2x)^2": s * (1 - s) * (1 - 2 * s) * 4 * x ** 2,
            "sigma'(x^2) 2": 2 * s * (1 - s)}


def _tall(rng, m, n):
    return rng.normal(size=(m, n)) + np.eye(m, n)


def _least_squares_cases(rng):
    return [Case((rng.normal(size=n), _tall(rng, m, n), rng.normal(size=m)), f"A is {m} x {n}")
            for m, n in ((5, 3), (4, 2), (7, 4))]


def _newton_1d(f_prime, f_second, x0, steps):
    x = x0
    for _ in range(steps):
        x = x - f_prime(x) / f_second(x)
    return x


def _newton_1d_wrong_count(f_prime, f_second, x0, steps):
    return _newton_1d(f_prime, f_second, x0, steps + 1)


def _newton_1d_upside_down(f_prime, f_second, x0, steps):
    x = x0
    for _ in range(steps):
        x = x - f_second(x) / f_prime(x)
    return x


def quartic_prime(x):
    """f'(x) for f(x) = x^4 - 3 x^2 + x."""
    return 4 * x ** 3 - 6 * x + 1


def quartic_second(x):
    """f''(x) for f(x) = x^4 - 3 x^2 + x."""
    return 12 * x ** 2 - 6


def exp_linear_prime(x):
    """f'(x) for f(x) = e^x - 2 x."""
    return np.exp(x) - 2


def exp_linear_second(x):
    """f''(x) for f(x) = e^x - 2 x."""
    return np.exp(x)


def logcosh_prime(x):
    """f'(x) for f(x) = ln cosh(x) + x^2 / 2 - x."""
    return np.tanh(x) + x - 1


def logcosh_second(x):
    """f''(x) for f(x) = ln cosh(x) + x^2 / 2 - x."""
    return 1 - np.tanh(x) ** 2 + 1


_ex("hessians/quadratic-form", "hess_quadratic_form",
    "Hessian of f(x) = x^T A x", "hessian", ["x", "A"],
    _xA_cases, lambda x, A: A + A.T,
    hints=[("symmetric-only", lambda x, A: 2 * A,
            "2A is the Hessian only for symmetric A; a Hessian is always symmetric, and here it "
            "is A + A^T.")])

_ex("hessians/quadratic-linear", "hess_quadratic_linear",
    "Hessian of f(x) = x^T A x + b^T x + c", "hessian", ["x", "A", "b", "c"],
    lambda rng: [Case(k.args + (rng.normal(size=len(k.args[0])), float(rng.normal())),
                      k.label, k.tags) for k in _xA_cases(rng)],
    lambda x, A, b, c: A + A.T,
    hints=[("symmetric-only", lambda x, A, b, c: 2 * A,
            "2A is the Hessian only for symmetric A; a Hessian is always symmetric. The linear "
            "term and the constant add nothing to it."),
           ("linear-term-kept", lambda x, A, b, c: A + A.T + np.diag(b),
            "The linear term b^T x has a constant gradient b, so it contributes nothing to the "
            "Hessian (and neither does c).")])

_ex("hessians/exp-quadratic", "hess_exp_quadratic",
    "Hessian of f(x) = exp(-x^T A x)", "hessian", ["x", "A"],
    lambda rng: [Case((0.5 * k.args[0], k.args[1]), k.label, k.tags) for k in _xA_cases(rng)],
    lambda x, A: sum(_exp_quad_terms(x, A).values()),
    hints=[("symmetric-only", lambda x, A: np.exp(-x @ A @ x) * (4 * np.outer(A @ x, A @ x)
                                                                  - 2 * A),
            "You used 2A where A + A^T belongs: the gradient of x^T A x is (A + A^T) x, which is "
            "2 A x only for symmetric A."),
           ("exp-dropped", lambda x, A: np.outer((A + A.T) @ x, (A + A.T) @ x) - (A + A.T),
            "Both terms keep the factor exp(-x^T A x): the derivative of e^u is e^u u', and the "
            "product rule leaves e^u in front of each term.")],
    terms=_exp_quad_terms)

_ex("hessians/polynomial-gradient", "grad_polynomial",
    "gradient of f(x) = x1^3 x2^2 - 3 x1 x2^3 + 1", "gradient", ["x"],
    lambda rng: [Case((rng.normal(size=2),), "random x") for _ in range(3)],
    lambda x: np.array([3 * x[0] ** 2 * x[1] ** 2 - 3 * x[1] ** 3,
                        2 * x[0] ** 3 * x[1] - 9 * x[0] * x[1] ** 2]),
    hints=[("swapped", lambda x: np.array([2 * x[0] ** 3 * x[1] - 9 * x[0] * x[1] ** 2,
                                           3 * x[0] ** 2 * x[1] ** 2 - 3 * x[1] ** 3]),
            "Your entries are swapped: entry 1 of the gradient is the partial derivative with "
            "respect to x1, entry 2 the one with respect to x2."),
           ("power-rule", lambda x: np.array([3 * x[0] ** 2 * x[1] ** 2 - 3 * x[1] ** 3,
                                              2 * x[0] ** 3 * x[1] - 3 * x[0] * x[1] ** 2]),
            "The derivative of -3 x1 x2^3 with respect to x2 is -9 x1 x2^2: the power rule "
            "brings down the exponent 3.")])

_ex("hessians/polynomial", "hess_polynomial",
    "Hessian of f(x) = x1^3 x2^2 - 3 x1 x2^3 + 1", "hessian", ["x"],
    lambda rng: [Case((rng.normal(size=2),), "random x") for _ in range(3)],
    lambda x: np.array([[6 * x[0] * x[1] ** 2, 6 * x[0] ** 2 * x[1] - 9 * x[1] ** 2],
                        [6 * x[0] ** 2 * x[1] - 9 * x[1] ** 2, 2 * x[0] ** 3 - 18 * x[0] * x[1]]]))

_ex("hessians/polynomial-at-point", "hess_polynomial_at_1_2",
    "Hessian of x1^3 x2^2 - 3 x1 x2^3 + 1 at x = (1, 2)", "value", [],
    lambda rng: [Case(())], lambda: np.array([[24.0, -24.0], [-24.0, -34.0]]),
    hints=[("swapped-point", lambda: np.array([[12.0, 15.0], [15.0, -20.0]]),
            "Those are the second derivatives at (2, 1): substitute x1 = 1 and x2 = 2."),
           ("mixed-term", lambda: np.array([[24.0, -12.0], [-12.0, -34.0]]),
            "Check the mixed derivative: d/dx2 of (3 x1^2 x2^2 - 3 x2^3) is 6 x1^2 x2 - 9 x2^2, "
            "both terms included.")],
    task="by-hand")

_ex("hessians/entropy", "hess_entropy",
    "Hessian of f(x) = -sum x_i ln x_i", "hessian", ["x"],
    lambda rng: [Case((rng.uniform(0.1, 2.0, size=d),), f"d = {d}") for d in (2, 3, 4)],
    lambda x: np.diag(-1 / x),
    hints=[("log", lambda x: np.diag(-np.log(x) - 1),
            "That is diag of the gradient; differentiate once more: d/dx (-(ln x + 1)) = -1/x.")])

_ex("hessians/classify-hessian", "hess_cubic_critical",
    "Hessian of f(x) = x1^3 - 3 x1 + x2^2", "hessian", ["x"],
    lambda rng: [Case((np.array(p),), f"x = {p}") for p in
                 ((1.0, 0.0), (-1.0, 0.0), (0.7, -1.3), (-2.1, 0.4))],
    lambda x: np.array([[6 * x[0], 0.0], [0.0, 2.0]]),
    hints=[("first-derivative", lambda x: np.array([[3 * x[0] ** 2 - 3, 0.0], [0.0, 2 * x[1]]]),
            "Those are the first partial derivatives on the diagonal; differentiate each once "
            "more (d/dx1 of 3 x1^2 - 3 is 6 x1).")])

_ex("hessians/classify-eigenvalues", "eig_at_critical_points",
    "eigenvalues of the Hessian of x1^3 - 3 x1 + x2^2 at (1, 0) and (-1, 0)", "value", [],
    lambda rng: [Case(())], lambda: np.array([[2.0, 6.0], [-6.0, 2.0]]),
    hints=[("rows-swapped", lambda: np.array([[-6.0, 2.0], [2.0, 6.0]]),
            "Row 1 belongs to the critical point (1, 0) and row 2 to (-1, 0): your rows are "
            "swapped."),
           ("unsorted", lambda: np.array([[6.0, 2.0], [-6.0, 2.0]]),
            "List the eigenvalues of each point in increasing order (as np.linalg.eigvalsh "
            "does).")],
    task="by-hand")

_ex("hessians/second-order-chain", "d2h",
    "h''(x) for h(x) = exp(sin x)", "derivative", ["x"],
    _points(-1.0, 0.3, 1.2, 2.4),
    lambda x: np.exp(np.sin(x)) * (np.cos(x) ** 2 - np.sin(x)),
    hints=[],
    terms=lambda x: {"f''(g) g'^2": np.exp(np.sin(x)) * np.cos(x) ** 2,
                     "f'(g) g''": -np.exp(np.sin(x)) * np.sin(x)})

_ex("hessians/sigmoid-square", "d2_sigmoid_square",
    "h''(x) for h(x) = sigma(x^2)", "derivative", ["x"],
    _points(-1.5, -0.4, 0.7, 1.3),
    lambda x: sum(_sigmoid_square_terms(x).values()),
    hints=[("g-prime-not-squared",
            lambda x: (_sigmoid(x ** 2) * (1 - _sigmoid(x ** 2)) * (1 - 2 * _sigmoid(x ** 2))
                       * 2 * x + 2 * _sigmoid(x ** 2) * (1 - _sigmoid(x ** 2))),
            "In f''(g) g'^2 the inner derivative g' = 2x appears squared: (2x)^2 = 4x^2."),
           ("evaluated-at-x",
            lambda x: (_sigmoid(x) * (1 - _sigmoid(x)) * (1 - 2 * _sigmoid(x)) * 4 * x ** 2
                       + 2 * _sigmoid(x) * (1 - _sigmoid(x))),
            "sigma' and sigma'' are evaluated at the inner value g(x) = x^2, not at x.")],
    terms=_sigmoid_square_terms)

_ex("hessians/least-squares-hessian", "hess_least_squares",
    "Hessian of f(x) = 1/2 ||A x - y||^2", "hessian", ["x", "A", "y"],
    _least_squares_cases, lambda x, A, y: A.T @ A,
    hints=[("residual-outer", lambda x, A, y: A.T @ np.outer(A @ x - y, A @ x - y) @ A,
            "The residual Ax - y does not belong in the Hessian: the gradient A^T (A x - y) is "
            "affine in x, so its Jacobian is a constant matrix.")])

_ex("hessians/least-squares-newton", "newton_step_least_squares",
    "one Newton step for f(x) = 1/2 ||A x - y||^2", "estimate", ["x", "A", "y"],
    _least_squares_cases,
    lambda x, A, y: x - np.linalg.solve(A.T @ A, A.T @ (A @ x - y)),
    hints=[("gradient-step", lambda x, A, y: x - A.T @ (A @ x - y),
            "That is a gradient step with step size 1; Newton multiplies the gradient by the "
            "inverse Hessian: x - H^{-1} grad f."),
           ("wrong-sign", lambda x, A, y: x + np.linalg.solve(A.T @ A, A.T @ (A @ x - y)),
            "Newton's step goes against the gradient: x_new = x - H^{-1} grad f.")])

_ex("hessians/pca-objective", "grad_pca_objective",
    "gradient of f(x) = x^T A x - lam (x^T x - 1)", "gradient",
    ["x", "A", "lam"],
    lambda rng: [Case(c.args + (lam,), c.label, c.tags) for c, lam in
                 zip(_xA_cases(rng), (0.7, -1.3, 2.0, 0.4), strict=True)],
    lambda x, A, lam: (A + A.T) @ x - 2 * lam * x,
    hints=[("symmetric-only", lambda x, A, lam: 2 * A @ x - 2 * lam * x,
            "2 A x - 2 lam x is right only for symmetric A: the gradient of x^T A x is "
            "(A + A^T) x.")],
    terms=lambda x, A, lam: {"(A + A^T) x": (A + A.T) @ x, "-2 lam x": -2 * lam * x})

_ex("hessians/rayleigh-max", "max_on_sphere",
    "max of x^T A x over unit vectors x", "estimate", ["A"],
    lambda rng: [Case((_nonsym(rng, d),), f"non-symmetric {d} x {d}") for d in (3, 4, 2)],
    lambda A: np.max(np.linalg.eigvalsh((A + A.T) / 2)),
    hints=[("eig-of-A", lambda A: np.max(np.linalg.eigvals(A).real),
            "The eigenvalues of a non-symmetric A do not bound x^T A x; x^T A x = x^T S x with "
            "the symmetric part S = (A + A^T)/2, so the maximum is the largest eigenvalue of S.")])

_ex("hessians/newton-step", "newton_step",
    "one Newton step for f(x) = sum exp(x_i) - b^T x + x^T x / 2",
    "estimate", ["x", "b"],
    lambda rng: [Case((rng.normal(size=d), rng.normal(size=d)), f"d = {d}") for d in (2, 3, 5)],
    lambda x, b: x - (np.exp(x) - b + x) / (np.exp(x) + 1),
    hints=[("gradient-step", lambda x, b: x - (np.exp(x) - b + x),
            "That is a gradient step with step size 1; Newton divides by the Hessian: "
            "x - H^{-1} grad f."),
           ("wrong-sign", lambda x, b: x + (np.exp(x) - b + x) / (np.exp(x) + 1),
            "Newton's step goes against the gradient: x_new = x - H^{-1} grad f.")])

_ex("hessians/newton-1d", "newton_1d",
    "Newton's method in one dimension: the iterate after `steps` steps", "estimate",
    ["f_prime", "f_second", "x0", "steps"],
    lambda rng: [Case((quartic_prime, quartic_second, 2.0, 4), "f = x^4 - 3x^2 + x, x0 = 2"),
                 Case((quartic_prime, quartic_second, -1.5, 3), "f = x^4 - 3x^2 + x, x0 = -1.5"),
                 Case((exp_linear_prime, exp_linear_second, 1.5, 2), "f = e^x - 2x, x0 = 1.5"),
                 Case((logcosh_prime, logcosh_second, -2.0, 1),
                      "f = ln cosh x + x^2/2 - x, x0 = -2")],
    _newton_1d,
    hints=[("one-step-too-many", _newton_1d_wrong_count,
            "You took one step too many: after `steps` Newton steps from x0 (with steps = 0 the "
            "answer is x0 itself)."),
           ("ratio-upside-down", _newton_1d_upside_down,
            "The Newton step divides the first derivative by the second: x - f'(x) / f''(x).")])


# --- shapes first: the tuple of shapes of every intermediate and derivative -------------------

def _sizes_cases(names, sizes):
    return lambda rng: [Case(s, ", ".join(f"{k} = {v}" for k, v in zip(names, s, strict=True)))
                        for s in sizes]


def _hvp_shapes(n, row_grad=False, hv_matrix=False, curv_vec=False):
    return ((n,), (), (1, n) if row_grad else (n,), (n, n), (n,),
            (n, n) if hv_matrix else (n,), (n,) if curv_vec else ())


_ex("hessians/shapes-gradient-hessian", "shapes_hessian_vector_product",
    "the shapes of the gradient, the Hessian and a Hessian-vector product", "value", ["n"],
    _sizes_cases("n", ((3,), (5,), (2,))), _hvp_shapes,
    hints=[("gradient-as-row", lambda n: _hvp_shapes(n, row_grad=True),
            "The gradient is written as a row (1 x n). In this book a gradient has the shape of "
            "its variable, (n,)."),
           ("hvp-as-matrix", lambda n: _hvp_shapes(n, hv_matrix=True),
            "H v is a matrix times a vector: a vector, not a matrix."),
           ("curvature-not-scalar", lambda n: _hvp_shapes(n, curv_vec=True),
            "v^T H v is a row times a matrix times a column: one number, the curvature along "
            "v, shape ().")],
    task="shapes")


def _matrix_hessian_shapes(m, n, hess_like_w=False, axes_grouped=False, flat_grad=False):
    four = (m, m, n, n) if axes_grouped else (m, n, m, n)
    return ((m, n), (), (m * n,) if flat_grad else (m, n), (m * n,), (m * n,),
            (m, n) if hess_like_w else (m * n, m * n), four)


_ex("hessians/shapes-matrix-hessian", "shapes_hessian_in_matrix",
    "the shapes of the Hessian of a loss in a matrix W: flattened and as a 4-index array",
    "value", ["m", "n"],
    _sizes_cases("mn", ((2, 3), (4, 2), (3, 5))), _matrix_hessian_shapes,
    hints=[("hessian-shaped-like-W", lambda m, n: _matrix_hessian_shapes(m, n, hess_like_w=True),
            "The Hessian is not shaped like W: it has one row and one column per entry of W, "
            "for every pair of entries."),
           ("four-index-axes-grouped",
            lambda m, n: _matrix_hessian_shapes(m, n, axes_grouped=True),
            "The 4-index Hessian's axes are grouped by kind (rows, rows, columns, columns). "
            "autograd's layout is the shape of the gradient followed by the shape of W."),
           ("gradient-flattened", lambda m, n: _matrix_hessian_shapes(m, n, flat_grad=True),
            "The gradient in W is flattened. A gradient has the shape of its variable; only "
            "the gradient in vec(W) is a vector.")],
    task="shapes")


def _newton_shapes(N, d, hess_data=False, row_grad=False, step_matrix=False):
    return ((N, d), (N,), (d,), (N,), (), (1, d) if row_grad else (d,),
            (N, N) if hess_data else (d, d), (d, d) if step_matrix else (d,), (d,))


_ex("hessians/shapes-newton-step", "shapes_newton_step",
    "the shapes in one Newton step for logistic regression", "value", ["N", "d"],
    _sizes_cases("Nd", ((5, 3), (7, 2), (9, 4))), _newton_shapes,
    hints=[("hessian-over-examples", lambda N, d: _newton_shapes(N, d, hess_data=True),
            "The Hessian is indexed by the parameters, not by the examples: one row and one "
            "column per entry of w."),
           ("gradient-as-row", lambda N, d: _newton_shapes(N, d, row_grad=True),
            "The gradient is written as a row (1 x d). A gradient has the shape of its "
            "variable, (d,)."),
           ("step-as-matrix", lambda N, d: _newton_shapes(N, d, step_matrix=True),
            "The Newton step H^{-1} g is a matrix times a vector: a vector, like w.")],
    task="shapes")
