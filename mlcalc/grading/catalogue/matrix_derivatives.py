"""The exercises of the chapter on derivatives with respect to a matrix.

Ids ``matrix_derivatives/<slug>``. The task texts, hints and worked solutions are in
``exercises/solutions/matrix_derivatives.ipynb`` (kept in sync by ``tests/test_exercises.py``).
"""

import numpy as np

from ..spec import Case, _ex, _nonsym, _sym

_ex("matrix_derivatives/a-X-b", "grad_a_X_b",
    "gradient of f(X) = a^T X b", "gradient", ["X", "a", "b"],
    lambda rng: [Case((rng.normal(size=(m, n)), rng.normal(size=m), rng.normal(size=n)),
                      f"X is {m} x {n}") for m, n in ((2, 3), (4, 2), (3, 3))],
    lambda X, a, b: np.outer(a, b))

_ex("matrix_derivatives/a-Xt-b", "grad_a_Xt_b",
    "gradient of f(X) = a^T X^T b", "gradient", ["X", "a", "b"],
    lambda rng: [Case((rng.normal(size=(m, n)), rng.normal(size=n), rng.normal(size=m)),
                      f"X is {m} x {n}") for m, n in ((2, 3), (4, 2), (3, 3))],
    lambda X, a, b: np.outer(b, a))

_ex("matrix_derivatives/trace-AtX", "grad_trace_AtX",
    "gradient of f(X) = tr(A^T X)", "gradient", ["X", "A"],
    lambda rng: [Case((rng.normal(size=(n, n)), _nonsym(rng, n)), f"{n} x {n}")
                 for n in (2, 3, 4)],
    lambda X, A: np.array(A, dtype=float),
    hints=[("transposed", lambda X, A: np.array(A.T, dtype=float),
            "tr(A^T X) = sum_ij A_ij X_ij, so the gradient is A itself, not A^T.")])

_ex("matrix_derivatives/trace-XtAX", "grad_trace_XtAX",
    "gradient of f(X) = tr(X^T A X)", "gradient", ["X", "A"],
    lambda rng: [Case((rng.normal(size=(n, k)), A), lab, tags) for n, k, A, lab, tags in (
        (3, 2, _nonsym(rng, 3), "X is 3 x 2, A non-symmetric", frozenset()),
        (2, 4, _sym(rng, 2), "X is 2 x 4, A symmetric", frozenset({"symmetric"})),
        (4, 3, _nonsym(rng, 4), "X is 4 x 3, A non-symmetric", frozenset()))],
    lambda X, A: (A + A.T) @ X,
    hints=[("symmetric-only", lambda X, A: 2 * A @ X,
            "2 A X is right only for symmetric A: tr(X^T A X) has gradient (A + A^T) X.")])

_ex("matrix_derivatives/trace-AXBXt", "grad_trace_AXBXt",
    "gradient of f(X) = tr(A X B X^T)", "gradient",
    ["X", "A", "B"],
    lambda rng: [Case((rng.normal(size=(n, m)), _nonsym(rng, n), _nonsym(rng, m)),
                      f"X is {n} x {m}") for n, m in ((3, 2), (2, 4), (3, 3))],
    lambda X, A, B: A.T @ X @ B.T + A @ X @ B,
    terms=lambda X, A, B: {"A^T X B^T": A.T @ X @ B.T, "A X B": A @ X @ B})

_ex("matrix_derivatives/frobenius-fit", "grad_frobenius_fit",
    "gradient of f(X) = ||A X - B||_F^2", "gradient",
    ["X", "A", "B"],
    lambda rng: [Case((rng.normal(size=(n, k)), rng.normal(size=(m, n)),
                       rng.normal(size=(m, k))), f"A is {m} x {n}, X is {n} x {k}")
                 for m, n, k in ((4, 3, 2), (2, 3, 3), (3, 2, 4))],
    lambda X, A, B: 2 * A.T @ (A @ X - B))

_ex("matrix_derivatives/factorization-U", "grad_U",
    "gradient in U of ||X - U V||_F^2", "gradient",
    ["U", "V", "X"],
    lambda rng: [Case((rng.normal(size=(m, r)), rng.normal(size=(r, n)),
                       rng.normal(size=(m, n))), f"X is {m} x {n}, rank {r}")
                 for m, n, r in ((4, 3, 2), (3, 5, 1), (3, 3, 2))],
    lambda U, V, X: -2 * (X - U @ V) @ V.T,
    hints=[("sign", lambda U, V, X: 2 * (X - U @ V) @ V.T,
            "The inner derivative of X - U V in U carries a minus sign: -2 (X - U V) V^T.")])

_ex("matrix_derivatives/factorization-V", "grad_V",
    "gradient in V of ||X - U V||_F^2", "gradient",
    ["U", "V", "X"],
    lambda rng: [Case((rng.normal(size=(m, r)), rng.normal(size=(r, n)),
                       rng.normal(size=(m, n))), f"X is {m} x {n}, rank {r}")
                 for m, n, r in ((4, 3, 2), (3, 5, 1), (3, 3, 2))],
    lambda U, V, X: -2 * U.T @ (X - U @ V))


def _inv_cases(rng):
    out = []
    for n in (2, 3, 4):
        X = rng.normal(size=(n, n)) + n * np.eye(n) + np.triu(np.ones((n, n)), 1)
        out.append(Case((X,), f"{n} x {n}, non-symmetric"))
    return out


_ex("matrix_derivatives/log-det", "grad_log_det",
    "gradient of f(X) = log |det X|", "gradient", ["X"],
    _inv_cases, lambda X: np.linalg.inv(X).T,
    hints=[("no-transpose", lambda X: np.linalg.inv(X),
            "d log|det X| = tr(X^{-1} dX), so the gradient is (X^{-1})^T = X^{-T}, not X^{-1}.")])

_ex("matrix_derivatives/det", "grad_det",
    "gradient of f(X) = det X", "gradient", ["X"],
    _inv_cases, lambda X: np.linalg.det(X) * np.linalg.inv(X).T,
    hints=[("no-transpose", lambda X: np.linalg.det(X) * np.linalg.inv(X),
            "d det X = det(X) tr(X^{-1} dX), so the gradient is det(X) X^{-T}, with the "
            "transpose.")])

_ex("matrix_derivatives/trace-inverse", "grad_trace_inverse",
    "gradient of f(X) = tr(A X^{-1})", "gradient",
    ["X", "A"],
    lambda rng: [Case(c.args + (_nonsym(rng, c.args[0].shape[0]),), c.label)
                 for c in _inv_cases(rng)],
    lambda X, A: -(np.linalg.inv(X) @ A @ np.linalg.inv(X)).T,
    hints=[("no-transpose", lambda X, A: -np.linalg.inv(X) @ A @ np.linalg.inv(X),
            "d tr(A X^{-1}) = -tr(X^{-1} A X^{-1} dX), so the gradient is the transpose "
            "-(X^{-1} A X^{-1})^T.")])
