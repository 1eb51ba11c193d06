"""The exercises of the chapter on linear models: regression, logistic regression, SVM.

Ids ``linear_models/<slug>``. The task texts, hints and worked solutions are in
``exercises/solutions/linear_models.ipynb`` (kept in sync by ``tests/test_exercises.py``).
"""

import numpy as np

from ...activations import sigmoid
from ..spec import Case, _ex, _labels01, _pm1


def _reg_cases(rng, shapes=((6, 3), (8, 2), (5, 4))):
    return [Case((rng.normal(size=d), rng.normal(size=(n, d)), rng.normal(size=n)),
                 f"X is {n} x {d}") for n, d in shapes]


_ex("linear_models/regression-objective", "grad_regression",
    "gradient of f(w) = 1/2 sum (w^T x_i - y_i)^2",
    "gradient", ["w", "X", "y"], _reg_cases,
    lambda w, X, y: X.T @ (X @ w - y),
    hints=[("sign", lambda w, X, y: X.T @ (y - X @ w),
            "The residual is w^T x_i - y_i, so the gradient is X^T (X w - y); X^T (y - X w) "
            "points uphill the other way.")],
    n_samples=lambda w, X, y: len(y))

_ex("linear_models/normal-equations", "ols",
    "the least-squares weights (X^T X)^{-1} X^T y",
    "estimate", ["X", "y"],
    lambda rng: [Case(c.args[1:], c.label) for c in _reg_cases(rng)],
    lambda X, y: np.linalg.solve(X.T @ X, X.T @ y),
    hints=[("no-inverse", lambda X, y: X.T @ y,
            "X^T y is only the right-hand side of the normal equations X^T X w = X^T y; solve "
            "them: np.linalg.solve(X.T @ X, X.T @ y).")])

_ex("linear_models/ridge-fit", "ridge",
    "the ridge weights (X^T X + lam I)^{-1} X^T y", "estimate",
    ["X", "y", "lam"],
    lambda rng: [Case(c.args[1:] + (lam,), c.label + f", lam = {lam}")
                 for c, lam in zip(_reg_cases(rng), (0.5, 2.0, 0.1), strict=True)],
    lambda X, y, lam: np.linalg.solve(X.T @ X + lam * np.eye(X.shape[1]), X.T @ y),
    hints=[("broadcast-lam", lambda X, y, lam: np.linalg.solve(X.T @ X + lam, X.T @ y),
            "X.T @ X + lam adds lam to every entry (NumPy broadcasting); the penalty adds lam to "
            "the diagonal only: X.T @ X + lam * np.eye(d).")])


def _logreg_cases(rng):
    return [Case((rng.normal(size=d) * 0.5, rng.normal(size=(n, d)), _labels01(rng, n)),
                 f"X is {n} x {d}") for n, d in ((6, 3), (8, 2), (5, 4))]


_ex("linear_models/logreg-grad", "grad_logreg",
    "gradient of the logistic regression NLL sum_i -y_i log s_i - (1 - y_i) log(1 - s_i)",
    "gradient", ["w", "X", "y"], _logreg_cases,
    lambda w, X, y: X.T @ (sigmoid(X @ w) - y),
    hints=[("sign", lambda w, X, y: X.T @ (y - sigmoid(X @ w)),
            "X^T (y - sigma(X w)) is the gradient of the log-likelihood; the negative "
            "log-likelihood has X^T (sigma(X w) - y).")],
    n_samples=lambda w, X, y: len(y))

_ex("linear_models/logreg-hessian", "hess_logreg",
    "Hessian of the logistic regression NLL", "hessian",
    ["w", "X", "y"], _logreg_cases,
    lambda w, X, y: X.T @ (X * (sigmoid(X @ w) * (1 - sigmoid(X @ w)))[:, None]),
    hints=[("sigma-only", lambda w, X, y: X.T @ (X * sigmoid(X @ w)[:, None]),
            "The weights are the derivative of sigma: D = diag(s_i (1 - s_i)), not diag(s_i)."),
           ("sign", lambda w, X, y: -X.T @ (X * (sigmoid(X @ w)
                                                 * (1 - sigmoid(X @ w)))[:, None]),
            "The NLL is convex: its Hessian X^T D X is positive semidefinite, with a plus sign.")],
    n_samples=lambda w, X, y: len(y))


def _svm_cases(rng):
    out = []
    for n, d in ((6, 3), (8, 2), (7, 4)):
        X, y, w = rng.normal(size=(n, d)), _pm1(rng, n), rng.normal(size=d) * 2.0
        m = y * (X @ w)
        X = np.where((np.abs(1 - m) < 0.05)[:, None], X * 1.3, X)
        out.append(Case((w, X, y), f"X is {n} x {d}"))
    return out


_ex("linear_models/svm-objective", "grad_svm",
    "gradient of f(w) = sum ReLU(1 - y_i x_i^T w)", "gradient",
    ["w", "X", "y"], _svm_cases,
    lambda w, X, y: -X.T @ (y * (y * (X @ w) < 1)),
    hints=[("no-indicator", lambda w, X, y: -X.T @ y,
            "Only the samples with margin y_i x_i^T w < 1 contribute: ReLU is flat where its "
            "argument is negative.")],
    n_samples=lambda w, X, y: len(y))

_ex("linear_models/soft-threshold", "soft_threshold",
    "the soft-thresholding operator S_t(z)", "estimate",
    ["z", "t"],
    lambda rng: [Case((rng.normal(size=n) * 2, t), f"n = {n}, t = {t}")
                 for n, t in ((6, 0.5), (8, 1.0), (5, 0.3))],
    lambda z, t: np.sign(z) * np.maximum(np.abs(z) - t, 0.0),
    hints=[("no-clip", lambda z, t: z - t * np.sign(z),
            "Entries with |z_i| <= t must become exactly 0: S_t(z) = sign(z) max(|z| - t, 0)."),
           ("hard-threshold", lambda z, t: np.where(np.abs(z) > t, z, 0.0),
            "That is hard thresholding (keep or kill); soft thresholding also shrinks the "
            "survivors by t.")])

_ex("linear_models/regularised-logreg-grad", "grad_regularised_logreg",
    "gradient of the L2-regularised logistic NLL (+ lam/2 ||w||^2)", "gradient",
    ["w", "X", "y", "lam"],
    lambda rng: [Case(c.args + (lam,), c.label + f", lam = {lam}")
                 for c, lam in zip(_logreg_cases(rng), (0.5, 1.5, 3.0), strict=True)],
    lambda w, X, y, lam: X.T @ (sigmoid(X @ w) - y) + lam * w,
    terms=lambda w, X, y, lam: {"X^T (sigma(X w) - y)": X.T @ (sigmoid(X @ w) - y),
                                "lam w": lam * w})
