"""The exercises of the chapter on Hessians and second derivatives.

Ids ``hessians/<slug>``. The task texts, hints and worked solutions are in
``exercises/solutions/hessians.ipynb`` (kept in sync by ``tests/test_exercises.py``).
"""

import numpy as np

from ..spec import Case, _ex, _nonsym, _points, _xA_cases

_ex("hessians/quadratic-form", "hess_quadratic_form",
    "Hessian of f(x) = x^T A x", "hessian", ["x", "A"],
    _xA_cases, lambda x, A: A + A.T,
    hints=[("symmetric-only", lambda x, A: 2 * A,
            "2A is the Hessian only for symmetric A; a Hessian is always symmetric, and here it "
            "is A + A^T.")])

_ex("hessians/entropy", "hess_entropy",
    "Hessian of f(x) = -sum x_i ln x_i", "hessian", ["x"],
    lambda rng: [Case((rng.uniform(0.1, 2.0, size=d),), f"d = {d}") for d in (2, 3, 4)],
    lambda x: np.diag(-1 / x),
    hints=[("log", lambda x: np.diag(-np.log(x) - 1),
            "That is diag of the gradient; differentiate once more: d/dx (-(ln x + 1)) = -1/x.")])

_ex("hessians/polynomial", "hess_polynomial",
    "Hessian of f(x) = x1^3 x2^2 - 3 x1 x2^3 + 1", "hessian", ["x"],
    lambda rng: [Case((rng.normal(size=2),), "random x") for _ in range(3)],
    lambda x: np.array([[6 * x[0] * x[1] ** 2, 6 * x[0] ** 2 * x[1] - 9 * x[1] ** 2],
                        [6 * x[0] ** 2 * x[1] - 9 * x[1] ** 2, 2 * x[0] ** 3 - 18 * x[0] * x[1]]]))

_ex("hessians/second-order-chain", "d2h",
    "h''(x) for h(x) = exp(sin x)", "derivative", ["x"],
    _points(-1.0, 0.3, 1.2, 2.4),
    lambda x: np.exp(np.sin(x)) * (np.cos(x) ** 2 - np.sin(x)),
    hints=[],
    terms=lambda x: {"f''(g) g'^2": np.exp(np.sin(x)) * np.cos(x) ** 2,
                     "f'(g) g''": -np.exp(np.sin(x)) * np.sin(x)})

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
