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
            "is its negative, the direction of steepest descent (it points downhill), not the "
            "gradient.")],
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


# ------------------------------------------------------------------------------------------------
# by hand: OLS on three points, one gradient-descent step
# ------------------------------------------------------------------------------------------------

_ex("linear_models/ols-by-hand", "ols_three_points_by_hand",
    "OLS line w0 + w1 x through (0, 1), (1, 3), (2, 2), by hand", "value", [],
    lambda rng: [Case((), "the three points")], lambda: np.array([1.5, 0.5]),
    hints=[("swapped", lambda: np.array([0.5, 1.5]),
            "Your entries are swapped: w0 (the intercept, the weight of the column of ones) "
            "comes first, then the slope w1."),
           ("no-inverse", lambda: np.array([6.0, 7.0]),
            "That is X^T y, only the right-hand side of the normal equations X^T X w = X^T y: "
            "solve the 2 x 2 system."),
           ("no-determinant", lambda: np.array([9.0, 3.0]),
            "The inverse of a 2 x 2 matrix has the factor 1/det in front: det(X^T X) = 3 * 5 - "
            "3 * 3 = 6."),
           ("no-intercept", lambda: np.array([0.0, 1.4]),
            "That is the line through the origin (no column of ones): the model here has an "
            "intercept, X has rows (1, x_i).")],
    task="by-hand")

_ex("linear_models/gd-step-by-hand", "gd_step_by_hand",
    "one gradient-descent step on 1/(2n) ||X w - y||^2, by hand", "value", [],
    lambda rng: [Case((), "the given X, y, w0, eta")], lambda: np.array([1.1, 0.3]),
    hints=[("gradient-only", lambda: np.array([-0.25, -0.75]),
            "That is the gradient at w0; the answer is the new weights w0 - eta * gradient."),
           ("no-1/n", lambda: np.array([1.4, 1.2]),
            "The loss is a mean over the n = 4 samples: its gradient is X^T (X w - y) / n, with "
            "the 1/n."),
           ("half-dropped", lambda: np.array([1.2, 0.6]),
            "The factor 1/2 in the loss cancels the 2 from differentiating the square: the "
            "gradient is X^T (X w - y) / n, not 2 X^T (X w - y) / n."),
           ("no-eta", lambda: np.array([1.25, 0.75]),
            "The step is eta times the gradient, with eta = 0.4."),
           ("sign", lambda: np.array([0.9, -0.3]),
            "Gradient descent goes against the gradient: w1 = w0 - eta * gradient, and the "
            "residual is X w0 - y (prediction minus target).")],
    task="by-hand")


# ------------------------------------------------------------------------------------------------
# spot the error, then implement the corrected result
# ------------------------------------------------------------------------------------------------

_ex("linear_models/spot-logreg-grad", "spot_error_logreg_grad",
    "spot the wrong step: the gradient of the mean logistic loss", "value", [],
    lambda rng: [Case((), "the derivation")], lambda: 3,
    hints=[("step-1-right", lambda: 1,
            "Step 1 is right: it is the chapter's definition of the loss, a mean of the "
            "per-sample losses of the logits z = X w. Follow what happens to the 1/n."),
           ("step-2-right", lambda: 2,
            "Step 2 is right: d/dz log sigma(z) = 1 - sigma(z) and d/dz log(1 - sigma(z)) = "
            "-sigma(z) give -y (1 - s) + (1 - y) s = s - y. Look at how the per-sample "
            "derivatives are assembled into a gradient of L."),
           ("step-4-right", lambda: 4,
            "Step 4 is right: z = X w is linear in w, with Jacobian X (n x d). Look at the "
            "gradient with respect to z, before the chain rule."),
           ("step-5-right", lambda: 5,
            "Step 5 applies the chain rule in gradient form correctly, X^T times the gradient "
            "with respect to z; it only inherits an earlier mistake. Which one?")],
    task="spot-error")


def _logreg_mean_grad(w, X, y):
    return X.T @ (sigmoid(X @ w) - y) / len(y)


_ex("linear_models/logreg-mean-grad", "grad_logreg_mean",
    "gradient of the mean logistic loss (1/n) sum_i l(x_i^T w, y_i)", "gradient",
    ["w", "X", "y"], _logreg_cases, _logreg_mean_grad,
    hints=[("no-1/n", lambda w, X, y: X.T @ (sigmoid(X @ w) - y),
            "That is the gradient of the sum, the mistake of step 3: the loss is a mean, so "
            "every per-sample derivative carries the factor 1/n."),
           ("sign", lambda w, X, y: X.T @ (y - sigmoid(X @ w)) / len(y),
            "X^T (y - sigma(X w)) / n is the gradient of the mean log-likelihood; the loss is "
            "its negative.")],
    n_samples=lambda w, X, y: len(y))


_ex("linear_models/spot-ridge-mean", "spot_error_ridge_mean",
    "spot the wrong step: ridge with a mean loss and the penalty outside the mean", "value", [],
    lambda rng: [Case((), "the derivation")], lambda: 4,
    hints=[("step-1-right", lambda: 1,
            "Step 1 is right: the gradient of ||r||^2 is 2 r, the chain rule through r = X w - y "
            "gives X^T, and 1/(2n) times 2 is 1/n. Follow the factors of n further down."),
           ("step-2-right", lambda: 2,
            "Step 2 is right: the gradient of (lam/2) w^T w is lam w. Follow what happens to "
            "lam when the equation is rescaled."),
           ("step-3-right", lambda: 3,
            "Step 3 is right: it adds the two gradients of steps 1 and 2 and sets the sum to "
            "zero. Check the next manipulation term by term."),
           ("step-5-right", lambda: 5,
            "Step 5 correctly collects the terms in w of the line above it (lam w = lam I w); "
            "it only inherits an earlier mistake. Which one?"),
           ("step-6-right", lambda: 6,
            "Step 6 solves the system of step 5 correctly; the mistake is earlier.")],
    task="spot-error")


def _ridge_mean(X, y, lam):
    n, d = X.shape
    return np.linalg.solve(X.T @ X + n * lam * np.eye(d), X.T @ y)


_ex("linear_models/ridge-mean-fit", "ridge_mean_penalty",
    "the minimiser of 1/(2n) ||X w - y||^2 + lam/2 ||w||^2", "estimate",
    ["X", "y", "lam"],
    lambda rng: [Case(c.args[1:] + (lam,), c.label + f", lam = {lam}")
                 for c, lam in zip(_reg_cases(rng), (0.5, 2.0, 0.1), strict=True)],
    _ridge_mean,
    hints=[("lam-not-scaled", lambda X, y, lam: np.linalg.solve(X.T @ X + lam * np.eye(X.shape[1]),
                                                                X.T @ y),
            "That is the mistake of step 4: multiplying the equation by n multiplies the penalty "
            "term lam w by n too."),
           ("broadcast-lam", lambda X, y, lam: np.linalg.solve(X.T @ X + len(y) * lam, X.T @ y),
            "X.T @ X + c adds c to every entry (NumPy broadcasting); the penalty adds to the "
            "diagonal only: use np.eye(d)."),
           ("lam-over-n", lambda X, y, lam: np.linalg.solve(
               X.T @ X + lam / len(y) * np.eye(X.shape[1]), X.T @ y),
            "Multiplying (1/n) X^T X w + lam w by n gives X^T X w + n lam w: the factor is n, "
            "not 1/n.")])


# ------------------------------------------------------------------------------------------------
# project: L2-regularised logistic regression, from the loss to a trained model
# L(w) = (1/n) sum_i [log(1 + e^{z_i}) - y_i z_i] + lam/2 ||w||^2, z = X w, y_i in {0, 1}
# ------------------------------------------------------------------------------------------------

def _sig(z):
    return 1 / (1 + np.exp(-z))


def _proj_loss(w, X, y, lam):
    z = X @ w
    return np.mean(np.logaddexp(0.0, z) - y * z) + lam / 2 * w @ w


def _proj_grad(w, X, y, lam):
    return X.T @ (_sig(X @ w) - y) / len(y) + lam * w


def _proj_hess(w, X, y, lam):
    s = _sig(X @ w)
    return X.T @ (X * (s * (1 - s))[:, None]) / len(y) + lam * np.eye(len(w))


def _proj_newton(w, X, y, lam):
    return w - np.linalg.solve(_proj_hess(w, X, y, lam), _proj_grad(w, X, y, lam))


def _proj_fit(X, y, lam, steps=8):
    w = np.zeros(X.shape[1])
    for _ in range(steps):
        w = _proj_newton(w, X, y, lam)
    return w


def _proj_cases(rng):
    out = []
    for (n, d), lam, scale in zip(((6, 3), (9, 2), (5, 4)), (0.1, 0.5, 0.05), (0.5, 0.5, 25.0),
                                  strict=True):
        X = rng.normal(size=(n, d))
        w = rng.normal(size=d) * scale
        label = f"X is {n} x {d}, lam = {lam}" + (", large logits" if scale > 1 else "")
        out.append(Case((w, X, _labels01(rng, n), lam), label))
    return out


def _proj_data(rng, n, d):
    """Well-conditioned, non-separable data: a column of ones, Gaussian features, noisy labels."""
    X = np.column_stack([np.ones(n), rng.normal(size=(n, d - 1))])
    w_true = rng.normal(size=d)
    y = (rng.uniform(size=n) < _sig(X @ w_true)).astype(float)
    y[0], y[1] = 0.0, 1.0
    return X, y


def _proj_fit_cases(rng):
    out = []
    for (n, d), lam in zip(((40, 3), (60, 4), (30, 2)), (0.1, 0.05, 0.2), strict=True):
        X, y = _proj_data(rng, n, d)
        out.append(Case((X, y, lam), f"X is {n} x {d}, lam = {lam}"))
    return out


_ex("linear_models/project-logreg-loss", "logreg_mean_loss",
    "project step 1: the regularised mean logistic loss, computed stably", "value",
    ["w", "X", "y", "lam"], _proj_cases, _proj_loss,
    hints=[("sum-not-mean", lambda w, X, y, lam: np.sum(np.logaddexp(0.0, X @ w) - y * (X @ w))
            + lam / 2 * w @ w,
            "The data term is a mean over the n samples, not a sum."),
           ("penalty-no-half", lambda w, X, y, lam: np.mean(np.logaddexp(0.0, X @ w)
                                                            - y * (X @ w)) + lam * w @ w,
            "The penalty is lam/2 ||w||^2: you left out the 1/2."),
           ("penalty-over-n", lambda w, X, y, lam: np.mean(np.logaddexp(0.0, X @ w)
                                                           - y * (X @ w)) + lam / 2 * w @ w
            / len(y),
            "Here the penalty lam/2 ||w||^2 stands outside the mean: it is not divided by n."),
           ("no-penalty", lambda w, X, y, lam: np.mean(np.logaddexp(0.0, X @ w) - y * (X @ w)),
            "The loss of this project includes the ridge term lam/2 ||w||^2.")],
    task="project-step")

_ex("linear_models/project-logreg-grad", "grad_logreg_mean_ridge",
    "project step 2: the gradient of the regularised mean logistic loss", "gradient",
    ["w", "X", "y", "lam"], _proj_cases, _proj_grad,
    hints=[("no-1/n", lambda w, X, y, lam: X.T @ (_sig(X @ w) - y) + lam * w,
            "The data term is a mean: its gradient is X^T (sigma(X w) - y) / n, with the 1/n."),
           ("penalty-over-n", lambda w, X, y, lam: (X.T @ (_sig(X @ w) - y) + lam * w) / len(y),
            "Here the penalty stands outside the mean, so its gradient is lam w, not lam w / n "
            "(the chapter's convention puts it inside)."),
           ("sign", lambda w, X, y, lam: X.T @ (y - _sig(X @ w)) / len(y) + lam * w,
            "X^T (y - sigma(X w)) / n is the gradient of the mean log-likelihood; the loss is "
            "its negative.")],
    terms=lambda w, X, y, lam: {"X^T (sigma(X w) - y) / n": X.T @ (_sig(X @ w) - y) / len(y),
                                "lam w": lam * w},
    task="project-step")

_ex("linear_models/project-logreg-hessian", "hess_logreg_mean_ridge",
    "project step 3: the Hessian of the regularised mean logistic loss", "hessian",
    ["w", "X", "y", "lam"], _proj_cases, _proj_hess,
    hints=[("sigma-only", lambda w, X, y, lam: X.T @ (X * _sig(X @ w)[:, None]) / len(y)
            + lam * np.eye(len(w)),
            "The weights are the derivative of sigma: D = diag(p_i (1 - p_i)), not diag(p_i)."),
           ("no-1/n", lambda w, X, y, lam: len(y) * _proj_hess(w, X, y, lam)
            - (len(y) - 1) * lam * np.eye(len(w)),
            "The data term is a mean: its Hessian is X^T D X / n, with the 1/n."),
           ("ols-hessian", lambda w, X, y, lam: X.T @ X / len(y) + lam * np.eye(len(w)),
            "X^T X / n is the Hessian of least squares; the logistic loss weights each sample "
            "by sigma'(z_i) = p_i (1 - p_i).")],
    terms=lambda w, X, y, lam: {"X^T D X / n": _proj_hess(w, X, y, lam) - lam * np.eye(len(w)),
                                "lam I": lam * np.eye(len(w))},
    task="project-step")

_ex("linear_models/project-logreg-newton-step", "newton_step_logreg",
    "project step 4: one Newton step on the regularised mean logistic loss", "estimate",
    ["w", "X", "y", "lam"], _proj_cases, _proj_newton,
    hints=[("gradient-step", lambda w, X, y, lam: w - _proj_grad(w, X, y, lam),
            "That is a gradient step with step size 1; Newton multiplies the gradient by the "
            "inverse Hessian: w - H^{-1} g (solve H s = g)."),
           ("wrong-sign", lambda w, X, y, lam: w + np.linalg.solve(_proj_hess(w, X, y, lam),
                                                                   _proj_grad(w, X, y, lam)),
            "Newton's step goes against the gradient: w_new = w - H^{-1} g."),
           ("step-only", lambda w, X, y, lam: -np.linalg.solve(_proj_hess(w, X, y, lam),
                                                               _proj_grad(w, X, y, lam)),
            "That is the Newton step s = -H^{-1} g itself; the answer is the new point w + s.")],
    task="project-step")


def _fit_gd(X, y, lam, steps=8):
    w = np.zeros(X.shape[1])
    for _ in range(steps):
        w = w - _proj_grad(w, X, y, lam)
    return w


_ex("linear_models/project-logreg-fit", "logreg_newton_fit",
    "project step 5: the weights after 8 Newton steps from w = 0", "estimate",
    ["X", "y", "lam"], _proj_fit_cases, _proj_fit,
    hints=[("gradient-descent", _fit_gd,
            "Those are 8 gradient steps with step size 1; take 8 Newton steps (step 4) from "
            "w = 0."),
           ("no-penalty", lambda X, y, lam: _proj_fit(X, y, 0.0),
            "Keep the ridge term lam/2 ||w||^2 in the gradient and the Hessian: the weights "
            "minimise the regularised loss."),
           ("penalty-over-n", lambda X, y, lam: _proj_fit(X, y, lam / len(y)),
            "Here the penalty lam/2 ||w||^2 stands outside the mean: its gradient is lam w and "
            "its Hessian lam I, not divided by n.")],
    task="project-step")
