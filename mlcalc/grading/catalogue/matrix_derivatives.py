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
    # Non-square first: there A^T (the classic slip) has the wrong shape, which the grader names.
    lambda rng: [Case((rng.normal(size=(m, n)), rng.normal(size=(m, n))), f"{m} x {n}")
                 for m, n in ((2, 3), (4, 2), (3, 5))],
    lambda X, A: np.array(A, dtype=float))

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

def _tall_cases(rng):
    out = []
    for m, n, k in ((5, 3, 2), (4, 2, 3), (7, 4, 1)):
        A = rng.normal(size=(m, n)) + np.eye(m, n)      # tall, full column rank
        out.append(Case((A, rng.normal(size=(m, k))), f"A is {m} x {n}, B is {m} x {k}"))
    return out


_ex("matrix_derivatives/normal-equations", "solve_normal_equations",
    "the X solving the normal equations A^T A X = A^T B", "value", ["A", "B"],
    _tall_cases, lambda A, B: np.linalg.lstsq(A, B, rcond=None)[0],
    hints=[("rhs-only", lambda A, B: A.T @ B,
            "A^T B is the right-hand side of the normal equations, not their solution: X is what "
            "A^T A has to be multiplied with to give A^T B."),
           ("multiplied", lambda A, B: A.T @ A @ A.T @ B,
            "You multiplied A^T B by A^T A; the normal equations ask you to undo that "
            "multiplication (solve the n x n system), not to apply it.")])

_ex("matrix_derivatives/linear-layer", "grad_linear_layer_W",
    "gradient in W of 1/2 ||W x - y||^2", "gradient", ["W", "x", "y"],
    lambda rng: [Case((rng.normal(size=(m, n)), rng.normal(size=n), rng.normal(size=m)),
                      f"W is {m} x {n}") for m, n in ((3, 2), (2, 4), (4, 3))],
    lambda W, x, y: np.outer(W @ x - y, x),
    hints=[("missing-target", lambda W, x, y: np.outer(W @ x, x),
            "The residual is W x - y: the target y stays in the gradient, it does not drop "
            "out when you differentiate."),
           ("sign", lambda W, x, y: np.outer(y - W @ x, x),
            "You used the residual y - W x: the loss is 1/2 ||W x - y||^2, and its gradient "
            "points uphill, along (W x - y) times the input; y - W x gives the descent "
            "direction instead.")])

_ex("matrix_derivatives/linear-layer-batch", "grad_linear_layer_batch_W",
    "gradient in W of 1/2 sum_j ||W x_j - y_j||^2 over the columns of X", "gradient",
    ["W", "X", "Y"],
    lambda rng: [Case((rng.normal(size=(m, n)), rng.normal(size=(n, N)),
                       rng.normal(size=(m, N))), f"W is {m} x {n}, batch of {N}")
                 for m, n, N in ((3, 2, 5), (2, 4, 6), (4, 3, 7))],
    lambda W, X, Y: (W @ X - Y) @ X.T,
    n_samples=lambda W, X, Y: X.shape[1],
    hints=[("one-sample", lambda W, X, Y: np.outer(W @ X[:, 0] - Y[:, 0], X[:, 0]),
            "You used only the first sample: the batch loss is a sum over the N columns of X, "
            "so its gradient is the sum of the N per-sample gradients."),
           ("mean", lambda W, X, Y: (W @ X - Y) @ X.T / X.shape[1],
            "You divided by the batch size N: this loss is a sum over the batch, not a mean, "
            "so there is no factor 1/N.")])

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

def _ridge_cases(rng):
    return [Case((rng.normal(size=(m, r)), rng.normal(size=(r, n)), rng.normal(size=(m, n)),
                  lam), f"X is {m} x {n}, rank {r}, lambda = {lam:g}")
            for m, n, r, lam in ((4, 3, 2, 0.3), (3, 5, 1, 1.5), (3, 3, 2, 0.7))]


_ex("matrix_derivatives/factorization-ridge-U", "grad_factorization_ridge_U",
    "gradient in U of ||X - U V||_F^2 + lambda (||U||_F^2 + ||V||_F^2)", "gradient",
    ["U", "V", "X", "lam"], _ridge_cases,
    lambda U, V, X, lam: -2 * (X - U @ V) @ V.T + 2 * lam * U,
    hints=[("missing-penalty", lambda U, V, X, lam: -2 * (X - U @ V) @ V.T,
            "The penalty lambda ||U||_F^2 depends on U, so it contributes to the gradient in U."),
           ("penalty-factor", lambda U, V, X, lam: -2 * (X - U @ V) @ V.T + lam * U,
            "The penalty term is off by a factor 2: ||U||_F^2 is a sum of squares, and the "
            "derivative of a square keeps the 2.")])

_ex("matrix_derivatives/factorization-ridge-V", "grad_factorization_ridge_V",
    "gradient in V of ||X - U V||_F^2 + lambda (||U||_F^2 + ||V||_F^2)", "gradient",
    ["U", "V", "X", "lam"], _ridge_cases,
    lambda U, V, X, lam: -2 * U.T @ (X - U @ V) + 2 * lam * V,
    hints=[("missing-penalty", lambda U, V, X, lam: -2 * U.T @ (X - U @ V),
            "The penalty lambda ||V||_F^2 depends on V, so it contributes to the gradient in V."),
           ("penalty-factor", lambda U, V, X, lam: -2 * U.T @ (X - U @ V) + lam * V,
            "The penalty term is off by a factor 2: ||V||_F^2 is a sum of squares, and the "
            "derivative of a square keeps the 2.")])


def _inv_cases(rng):
    out = []
    for n in (2, 3, 4):
        X = rng.normal(size=(n, n)) + n * np.eye(n) + np.triu(np.ones((n, n)), 1)
        out.append(Case((X,), f"{n} x {n}, non-symmetric"))
    return out


_ex("matrix_derivatives/det", "grad_det",
    "gradient of f(X) = det X", "gradient", ["X"],
    _inv_cases, lambda X: np.linalg.det(X) * np.linalg.inv(X).T,
    hints=[("no-transpose", lambda X: np.linalg.det(X) * np.linalg.inv(X),
            "d det X = det(X) tr(X^{-1} dX), so the gradient is det(X) X^{-T}, with the "
            "transpose.")])

_ex("matrix_derivatives/log-det", "grad_log_det",
    "gradient of f(X) = log |det X|", "gradient", ["X"],
    _inv_cases, lambda X: np.linalg.inv(X).T,
    hints=[("no-transpose", lambda X: np.linalg.inv(X),
            "d log|det X| = tr(X^{-1} dX), so the gradient is (X^{-1})^T = X^{-T}, not X^{-1}.")])

_ex("matrix_derivatives/trace-inverse", "grad_trace_inverse",
    "gradient of f(X) = tr(A X^{-1})", "gradient",
    ["X", "A"],
    lambda rng: [Case(c.args + (_nonsym(rng, c.args[0].shape[0]),), c.label)
                 for c in _inv_cases(rng)],
    lambda X, A: -(np.linalg.inv(X) @ A @ np.linalg.inv(X)).T,
    hints=[("no-transpose", lambda X, A: -np.linalg.inv(X) @ A @ np.linalg.inv(X),
            "d tr(A X^{-1}) = -tr(X^{-1} A X^{-1} dX), so the gradient is the transpose "
            "-(X^{-1} A X^{-1})^T.")])


def _precision_cases(rng):
    out = []
    for n in (2, 3, 4):
        L = rng.normal(size=(n, n)) + n * np.eye(n) + np.triu(np.ones((n, n)), 1)
        assert np.linalg.det(L) > 0
        out.append(Case((L, rng.normal(size=n)), f"{n} x {n}, non-symmetric Lambda"))
    return out


def _spd_cases(rng):
    out = []
    for n in (2, 3, 4):
        M = rng.normal(size=(n, n))
        out.append(Case((M @ M.T + n * np.eye(n), rng.normal(size=n)),
                        f"{n} x {n}, symmetric positive definite Lambda"))
    return out


_ex("matrix_derivatives/gaussian-precision", "grad_gaussian_loglik_precision",
    "gradient of 1/2 ln det Lambda - 1/2 x^T Lambda x in a general Lambda", "gradient",
    ["Lam", "x"], _precision_cases,
    lambda L, x: np.linalg.inv(L).T / 2 - np.outer(x, x) / 2,
    hints=[("no-transpose", lambda L, x: np.linalg.inv(L) / 2 - np.outer(x, x) / 2,
            "d ln det Lambda = tr(Lambda^{-1} dLambda), so the gradient of ln det Lambda is "
            "the transpose of Lambda^{-1}; without it the answer is right only for a "
            "symmetric Lambda."),
           ("dropped-half", lambda L, x: np.linalg.inv(L).T - np.outer(x, x) / 2,
            "The log-determinant term carries the factor 1/2 too: only the quadratic term has "
            "it in your answer.")])

_ex("matrix_derivatives/gaussian-precision-sym", "grad_gaussian_loglik_precision_sym",
    "symmetric gradient of 1/2 ln det Lambda - 1/2 x^T Lambda x, Lambda symmetric", "gradient",
    ["Lam", "x"], _spd_cases,
    lambda L, x: np.linalg.inv(L) / 2 - np.outer(x, x) / 2,
    hints=[("independent-entries",
            lambda L, x: (lambda G: 2 * G - np.diag(np.diag(G)))(
                np.linalg.inv(L) / 2 - np.outer(x, x) / 2),
            "That is 2 G - diag(G), the list of partial derivatives in the independent entries "
            "(i <= j). The symmetric gradient asked for is the symmetric matrix that predicts "
            "the change along symmetric directions, and it does not double the off-diagonal "
            "entries."),
           ("dropped-half", lambda L, x: np.linalg.inv(L) / 2 - np.outer(x, x),
            "The quadratic term carries the factor 1/2 too: d(x^T Lambda x) = x^T dLambda x, "
            "and the 1/2 in front stays.")])

_ex("matrix_derivatives/kron-jacobian", "jac_AXB_vec",
    "Jacobian of X -> A X B in column-major vec coordinates", "jacobian", ["X", "A", "B"],
    lambda rng: [Case((rng.normal(size=(m, n)), rng.normal(size=(p, m)),
                       rng.normal(size=(n, q))), f"A is {p} x {m}, X is {m} x {n}, B is {n} x {q}")
                 for p, m, n, q in ((2, 3, 4, 5), (3, 2, 2, 4), (2, 4, 3, 2))],
    lambda X, A, B: np.kron(B.T, A),
    hints=[("row-major-vec", lambda X, A, B: np.kron(A, B.T),
            "That is the Jacobian for row-major flattening (NumPy's default reshape). With vec "
            "stacking the columns, the two Kronecker factors come in the other order.")],
    task="tensor")

_ex("matrix_derivatives/tensor-jacobian", "jac_AXB_tensor",
    "Jacobian of X -> A X B as a 4-index array (p, q, m, n)", "jacobian", ["X", "A", "B"],
    lambda rng: [Case((rng.normal(size=(m, n)), rng.normal(size=(p, m)),
                       rng.normal(size=(n, q))), f"A is {p} x {m}, X is {m} x {n}, B is {n} x {q}")
                 for p, m, n, q in ((2, 3, 4, 5), (3, 2, 2, 4), (4, 3, 2, 3))],
    lambda X, A, B: np.einsum("ai,jb->abij", A, B),
    hints=[("vec-reshaped-C", lambda X, A, B: np.kron(B.T, A).reshape(
                A.shape[0], B.shape[1], *X.shape),
            "You reshaped the column-major vec Jacobian B^T kron A with NumPy's default "
            "row-major reshape: its rows and columns are numbered column-major, so the two "
            "orders do not match."),
           ("vec-reshaped-F", lambda X, A, B: np.kron(A, B.T).reshape(
                A.shape[0], B.shape[1], *X.shape, order="F"),
            "You reshaped the row-major Jacobian A kron B^T in column-major (Fortran) order: "
            "the flattening and the reshape must use the same order.")],
    task="tensor")


# ------------------------------------------------------------------------------------------------
# more Jacobians of matrix functions (task "tensor"): 4-index arrays and vec/Kronecker matrices
# ------------------------------------------------------------------------------------------------

def _vecF(M):
    return np.asarray(M).reshape(-1, order="F")


def _rect_cases(rng, sizes=((2, 3), (4, 2), (3, 5))):
    return [Case((rng.normal(size=(m, n)),), f"X is {m} x {n}") for m, n in sizes]


def _transpose_tensor(X):
    m, n = X.shape
    return np.einsum("aj,bi->abij", np.eye(n), np.eye(m))


def _commutation(X):
    m, n = X.shape
    K = np.zeros((m * n, m * n))
    for i in range(m):
        for j in range(n):
            K[j + i * n, i + j * m] = 1.0       # vec(X^T)[j + i n] = X_ij = vec(X)[i + j m]
    return K


_ex("matrix_derivatives/transpose-tensor", "jac_transpose_tensor",
    "Jacobian of X -> X^T as a 4-index array (n, m, m, n)", "jacobian", ["X"],
    _rect_cases, _transpose_tensor,
    hints=[("identity-map", lambda X: np.einsum("ai,bj->abij", np.eye(X.shape[1], X.shape[0]),
                                                np.eye(X.shape[0], X.shape[1])),
            "That array has a 1 where (a, b) = (i, j): it is the pattern of the identity map "
            "X -> X. Here F_ab = (X^T)_ab = X_ba, so entry [a, b, i, j] is 1 when the indices "
            "cross: a = j and b = i."),
           ("vec-reshaped-C", lambda X: _commutation(X).reshape(X.shape[1], X.shape[0], *X.shape),
            "You reshaped the column-major commutation matrix with NumPy's default row-major "
            "reshape: its rows and columns are numbered column-major, so the two orders do not "
            "match.")],
    task="tensor")

_ex("matrix_derivatives/commutation-matrix", "jac_transpose_vec",
    "Jacobian of vec X -> vec(X^T): the commutation matrix", "jacobian", ["X"],
    _rect_cases, _commutation,
    hints=[("row-major-vec", lambda X: _commutation(X).T,
            "That is the matrix for row-major flattening (NumPy's default reshape), which is the "
            "transpose of the column-major one: it maps vec(X^T) back to vec X. With m != n the "
            "two differ; number the entries column by column."),
           ("identity", lambda X: np.eye(X.size),
            "The identity matrix is the Jacobian of X -> X. The transpose moves X_ij to "
            "position (j, i), so it permutes the entries of vec X: each row has a single 1, "
            "but not on the diagonal.")],
    task="tensor")


def _AX_cases(rng):
    return [Case((rng.normal(size=(m, n)), rng.normal(size=(p, m))),
                 f"A is {p} x {m}, X is {m} x {n}")
            for p, m, n in ((2, 3, 4), (4, 2, 3), (3, 4, 2))]


def _XB_cases(rng):
    return [Case((rng.normal(size=(m, n)), rng.normal(size=(n, q))),
                 f"X is {m} x {n}, B is {n} x {q}")
            for m, n, q in ((2, 3, 4), (4, 2, 3), (3, 4, 2))]


_ex("matrix_derivatives/AX-vec", "jac_AX_vec",
    "Jacobian of X -> A X in column-major vec coordinates", "jacobian", ["X", "A"],
    _AX_cases, lambda X, A: np.kron(np.eye(X.shape[1]), A),
    hints=[("row-major-vec", lambda X, A: np.kron(A, np.eye(X.shape[1])),
            "That is the Jacobian for row-major flattening (NumPy's default reshape). With vec "
            "stacking the columns, A acts on each column of X separately: the Kronecker factors "
            "come in the other order.")],
    task="tensor")

_ex("matrix_derivatives/XB-vec", "jac_XB_vec",
    "Jacobian of X -> X B in column-major vec coordinates", "jacobian", ["X", "B"],
    _XB_cases, lambda X, B: np.kron(B.T, np.eye(X.shape[0])),
    hints=[("row-major-vec", lambda X, B: np.kron(np.eye(X.shape[0]), B.T),
            "That is the Jacobian for row-major flattening (NumPy's default reshape). With vec "
            "stacking the columns, column l of X B mixes whole columns of X: the Kronecker "
            "factors come in the other order.")],
    task="tensor")


def _square_tensor(X):
    m, n = X.shape
    return 2 * np.einsum("ab,ai,bj->abij", X, np.eye(m), np.eye(n))


_ex("matrix_derivatives/square-tensor", "jac_elementwise_square_tensor",
    "Jacobian of X -> X * X (elementwise) as a 4-index array", "jacobian", ["X"],
    _rect_cases, _square_tensor,
    hints=[("missing-term", lambda X: _square_tensor(X) / 2,
            "The product rule gives two terms, d(X * X) = dX * X + X * dX, and they are equal "
            "here: you kept only one of them."),
           ("dense", lambda X: 2 * np.broadcast_to(X, X.shape + X.shape).copy(),
            "Entry (a, b) of X * X is X_ab^2: it depends on X_ab only, so dF_ab/dX_ij is zero "
            "unless (i, j) = (a, b). Your array is nonzero off that diagonal."),
           ("vec-reshaped-mixed", lambda X: np.diag(2 * _vecF(X)).reshape(*X.shape, *X.shape),
            "You built the vec Jacobian diag(2 vec X) with column-major vec, then reshaped it "
            "with NumPy's default row-major reshape: the flattening and the reshape must use "
            "the same order.")],
    task="tensor")


def _XXt_terms(X):
    m, _ = X.shape
    return {"delta_ai X_bj": np.einsum("ai,bj->abij", np.eye(m), X),
            "X_aj delta_bi": np.einsum("aj,bi->abij", X, np.eye(m))}


_ex("matrix_derivatives/XXt-tensor", "jac_XXt_tensor",
    "Jacobian of X -> X X^T as a 4-index array (m, m, m, n)", "jacobian", ["X"],
    _rect_cases, lambda X: sum(_XXt_terms(X).values()),
    hints=[("missing-term", lambda X: _XXt_terms(X)["delta_ai X_bj"],
            "d(X X^T) = dX X^T + X dX^T: the product rule gives two terms, one for each "
            "factor, and your array has only the first."),
           ("missing-term", lambda X: _XXt_terms(X)["X_aj delta_bi"],
            "d(X X^T) = dX X^T + X dX^T: the product rule gives two terms, one for each "
            "factor, and your array has only the second."),
           ("scalar-rule", lambda X: 2 * _XXt_terms(X)["delta_ai X_bj"],
            "2 dX X^T is the scalar rule d(x^2) = 2x dx: matrices do not commute, and the "
            "two product-rule terms dX X^T and X dX^T are different (each is the transpose "
            "of the other).")],
    terms=_XXt_terms, task="tensor")


def _trX_terms(X):
    n = X.shape[0]
    return {"delta_ij X_ab": np.einsum("ab,ij->abij", X, np.eye(n)),
            "tr(X) delta_ai delta_bj": np.trace(X) * np.einsum("ai,bj->abij", np.eye(n),
                                                               np.eye(n))}


def _sq_cases(rng):
    return [Case((_nonsym(rng, n),), f"{n} x {n}, non-symmetric") for n in (2, 3, 4)]


_ex("matrix_derivatives/trace-times-X-tensor", "jac_trace_times_X_tensor",
    "Jacobian of X -> tr(X) X as a 4-index array (n, n, n, n)", "jacobian", ["X"],
    _sq_cases, lambda X: sum(_trX_terms(X).values()),
    hints=[("missing-term", lambda X: _trX_terms(X)["tr(X) delta_ai delta_bj"],
            "d(tr(X) X) = tr(dX) X + tr(X) dX: you kept the change of the trace and dropped "
            "the term in which X itself changes."),
           ("missing-term", lambda X: _trX_terms(X)["delta_ij X_ab"],
            "d(tr(X) X) = tr(dX) X + tr(X) dX: you treated tr(X) as a constant and dropped "
            "the term in which the trace changes."),
           ("axes-swapped", lambda X: sum(_trX_terms(X).values()).transpose(2, 3, 0, 1),
            "You swapped the output and input index pairs: entry [a, b, i, j] is dF_ab/dX_ij, "
            "so the factor X_ab goes with the output indices and delta_ij with the input "
            "indices.")],
    terms=_trX_terms, task="tensor")


def _inv_tensor(X):
    Y = np.linalg.inv(X)
    return -np.einsum("ai,jb->abij", Y, Y)


_ex("matrix_derivatives/inverse-tensor", "jac_inverse_tensor",
    "Jacobian of X -> X^{-1} as a 4-index array (n, n, n, n)", "jacobian", ["X"],
    _inv_cases, _inv_tensor,
    hints=[("axes-swapped", lambda X: _inv_tensor(X).transpose(2, 3, 0, 1),
            "You swapped the output and input index pairs: entry [a, b, i, j] is "
            "d(X^{-1})_ab / dX_ij, so a pairs with the first factor and b with the second."),
           ("inverse-squared", lambda X: -np.einsum(
                "ai,jb->abij", np.linalg.inv(X) @ np.linalg.inv(X), np.eye(X.shape[0])),
            "That is -X^{-2} dX, the scalar rule d(1/x) = -dx/x^2. Matrices do not commute: "
            "d(X^{-1}) = -X^{-1} dX X^{-1}, with one inverse on each side of dX."),
           ("index-order", lambda X: -np.einsum("ai,bj->abij", np.linalg.inv(X),
                                                 np.linalg.inv(X)),
            "The second factor has its indices the wrong way round: in X^{-1} dX X^{-1} the "
            "entry dX_ij is followed by the row j of the second X^{-1}.")],
    task="tensor")

_ex("matrix_derivatives/inverse-vec", "jac_inverse_vec",
    "Jacobian of vec X -> vec(X^{-1}) in column-major vec coordinates", "jacobian", ["X"],
    _inv_cases, lambda X: -np.kron(np.linalg.inv(X).T, np.linalg.inv(X)),
    hints=[("row-major-vec", lambda X: -np.kron(np.linalg.inv(X), np.linalg.inv(X).T),
            "That is the Jacobian for row-major flattening (NumPy's default reshape). With vec "
            "stacking the columns, vec(A dX B) = (B^T kron A) vec dX: the factors come in the "
            "other order."),
           ("no-transpose", lambda X: -np.kron(np.linalg.inv(X), np.linalg.inv(X)),
            "vec(A dX B) = (B^T kron A) vec dX puts the transpose on the right-hand factor "
            "B = X^{-1}; without it the answer is right only for a symmetric X."),
           ("inverse-squared", lambda X: -np.kron(np.eye(X.shape[0]),
                                                  np.linalg.inv(X) @ np.linalg.inv(X)),
            "That is the vec form of -X^{-2} dX, the scalar rule d(1/x) = -dx/x^2. Matrices do "
            "not commute: d(X^{-1}) = -X^{-1} dX X^{-1}, with one inverse on each side of dX.")],
    task="tensor")


def _softmax_rows(Z):
    E = np.exp(Z - Z.max(axis=1, keepdims=True))
    return E / E.sum(axis=1, keepdims=True)


def _softmax_rows_tensor(Z):
    N, K = Z.shape
    S = _softmax_rows(Z)
    per_row = np.einsum("ab,bj->abj", S, np.eye(K)) - np.einsum("ab,aj->abj", S, S)
    return np.einsum("abj,ai->abij", per_row, np.eye(N))


def _softmax_cols_tensor(Z):
    return _softmax_rows_tensor(Z.T).transpose(1, 0, 3, 2)


_ex("matrix_derivatives/softmax-rows-tensor", "jac_softmax_rows_tensor",
    "Jacobian of the row-wise softmax of Z as a 4-index array (N, K, N, K)", "jacobian", ["Z"],
    lambda rng: [Case((rng.normal(size=(N, K)),), f"Z is {N} x {K}")
                 for N, K in ((3, 4), (2, 3), (4, 2))],
    _softmax_rows_tensor,
    hints=[("rows-coupled", lambda Z: np.broadcast_to(
                _softmax_rows_tensor(Z).sum(axis=2, keepdims=True), Z.shape * 2).copy(),
            "Row a of the softmax depends on row a of Z only: dS_ab/dZ_ij is zero when i != a. "
            "Your array is nonzero across rows."),
           ("missing-term", lambda Z: np.einsum("ab,ai,bj->abij", _softmax_rows(Z),
                                                 np.eye(Z.shape[0]), np.eye(Z.shape[1])),
            "That is the derivative of the numerator exp(Z_ab) alone, divided by the sum: the "
            "normaliser depends on the whole row too, and its derivative gives the term "
            "-S_ab S_aj."),
           ("columns", _softmax_cols_tensor,
            "That is the Jacobian of the softmax down the columns of Z. The softmax here "
            "normalises each row (axis=1): S_ab = exp(Z_ab) / sum_c exp(Z_ac).")],
    task="tensor")
