"""The exercises of the chapter on gradients of loss functions.

Ids ``losses/<slug>``. The task texts, hints and worked solutions are in
``exercises/solutions/losses.ipynb`` (kept in sync by ``tests/test_exercises.py``).
"""

import numpy as np

from ...activations import sigmoid, softmax
from ..spec import Case, _ex, _labels01, _pm1


def _py(rng, n):
    return rng.normal(size=n), rng.normal(size=n)


_ex("losses/mse-grad", "grad_mse",
    "gradient in p of mean((p - y)^2)", "gradient", ["p", "y"],
    lambda rng: [Case(_py(rng, n), f"n = {n}") for n in (3, 5, 8)],
    lambda p, y: 2 * (p - y) / len(p),
    n_samples=lambda p, y: len(p))

_ex("losses/mae-grad", "grad_mae",
    "gradient in p of mean(|p - y|) (p_i != y_i)", "gradient", ["p", "y"],
    lambda rng: [Case(_py(rng, n), f"n = {n}") for n in (3, 5, 8)],
    lambda p, y: np.sign(p - y) / len(p),
    n_samples=lambda p, y: len(p))

_ex("losses/bce-logits", "grad_bce",
    "gradient in z of mean BCE(sigma(z), y), y in {0, 1}", "gradient",
    ["z", "y"],
    lambda rng: [Case((rng.normal(size=n) * 2, _labels01(rng, n)), f"n = {n}")
                 for n in (4, 6, 9)],
    lambda z, y: (sigmoid(z) - y) / len(z),
    hints=[("sign", lambda z, y: (y - sigmoid(z)) / len(z),
            "The gradient of the loss is (sigma(z) - y)/n: prediction minus target.")],
    n_samples=lambda z, y: len(z))


def _onehot(rng, k):
    y = np.zeros(k)
    y[rng.integers(k)] = 1.0
    return y


_ex("losses/softmax-ce-logits", "grad_ce",
    "gradient in z of -log softmax(z)_c (y one-hot)", "gradient",
    ["z", "y"],
    lambda rng: [Case((rng.normal(size=k), _onehot(rng, k)), f"k = {k}") for k in (3, 4, 6)],
    lambda z, y: softmax(z) - y,
    hints=[("sign", lambda z, y: y - softmax(z),
            "The gradient is softmax(z) - y (prediction minus target), not y - softmax(z).")])


def _ce_cases(rng):
    out = []
    for n, d, k in ((5, 3, 4), (6, 2, 3), (4, 4, 2)):
        Y = np.zeros((n, k))
        Y[np.arange(n), rng.integers(k, size=n)] = 1.0
        out.append(Case((rng.normal(size=(d, k)), rng.normal(size=(n, d)), Y),
                        f"X is {n} x {d}, W is {d} x {k}"))
    return out


_ex("losses/softmax-ce-matrix", "grad_ce_W",
    "gradient in W of mean softmax cross-entropy of X W",
    "gradient", ["W", "X", "Y"], _ce_cases,
    lambda W, X, Y: X.T @ (softmax(X @ W, axis=1) - Y) / X.shape[0],
    n_samples=lambda W, X, Y: X.shape[0])


def _hinge_cases(rng):
    out = []
    for n in (5, 7, 9):
        y = _pm1(rng, n)
        p = rng.normal(size=n) * 1.5
        p = np.where(np.abs(1 - y * p) < 0.05, p + 0.2, p)
        out.append(Case((p, y), f"n = {n}"))
    return out


_ex("losses/hinge", "grad_hinge",
    "gradient in p of mean max(0, 1 - y p), y in {-1, +1}", "gradient",
    ["p", "y"], _hinge_cases,
    lambda p, y: np.where(y * p < 1, -y, 0.0) / len(p),
    hints=[("no-indicator", lambda p, y: -y / len(p),
            "Points with margin y p > 1 contribute nothing: max(0, .) is flat there. Keep "
            "-y_i/n only where y_i p_i < 1.")],
    n_samples=lambda p, y: len(p))

_ex("losses/logistic-pm1", "grad_logistic",
    "gradient in z of mean log(1 + exp(-y z)), y in {-1, +1}",
    "gradient", ["z", "y"],
    lambda rng: [Case((rng.normal(size=n) * 2, _pm1(rng, n)), f"n = {n}") for n in (4, 6)],
    lambda z, y: -y * sigmoid(-y * z) / len(z),
    hints=[("zero-one-formula", lambda z, y: (sigmoid(z) - y) / len(z),
            "(sigma(z) - y)/n is the formula for labels in {0, 1}; with y in {-1, +1} the "
            "gradient is -y sigma(-y z)/n.")],
    n_samples=lambda z, y: len(z))

# ---- practice of other kinds: by hand, spot the error (each with its corrected version), own check

_CE_Z = np.log([1.0, 3.0, 4.0])  # softmax = (1, 3, 4) / 8
_CE_Y = np.array([0.0, 1.0, 0.0])


def _ce_by_hand(planted=None):
    s = softmax(_CE_Z)
    L = -np.log(s[1])
    g = {"sign": _CE_Y - s, "no-softmax": -_CE_Y / s, "no-target": s}.get(planted, s - _CE_Y)
    if planted == "log10":
        L = -np.log10(s[1])
    return np.append(L, g)


_ex("losses/ce-by-hand", "ce_loss_and_grad_by_hand",
    "cross-entropy loss and its logit gradient for z = (0, ln 3, ln 4), class 2, by hand",
    "value", [], lambda rng: [Case((), "the four numbers")], _ce_by_hand,
    hints=[("sign", lambda: _ce_by_hand("sign"),
            "The loss is right; the gradient has the wrong sign: it is prediction minus "
            "target."),
           ("no-softmax", lambda: _ce_by_hand("no-softmax"),
            "The loss is right; -y/s is the gradient in the probabilities s. The logits reach "
            "the loss through the softmax, whose Jacobian the chain rule must include."),
           ("no-target", lambda: _ce_by_hand("no-target"),
            "The loss is right; the gradient is missing the target: each entry is s_j minus "
            "y_j."),
           ("log10", lambda: _ce_by_hand("log10"),
            "The gradient is right; the loss uses the natural logarithm, not log base 10.")],
    rtol=1e-3, task="by-hand")

_SPOT_WBCE = {
    1: "Step 1 is right: the loss is the weighted mean of the per-example terms. Look at how "
       "z reaches the loss.",
    2: "Step 2 is right: d/dp of -c y ln p - (1 - y) ln(1 - p) is -c y/p + (1 - y)/(1 - p). "
       "Follow the derivative further down to z.",
    3: "Step 3 is right: sigma'(z) = sigma(z)(1 - sigma(z)) = p(1 - p). Is it used "
       "afterwards?",
    5: "Step 5 is right: each z_i appears in one term of the mean, hence the 1/N. Look at the "
       "chain rule before it.",
}

_ex("losses/spot-bce-logit", "wrong_step_weighted_bce",
    "the wrong step of the gradient in the logits of a weighted BCE", "value", [],
    lambda rng: [Case((), "the number of the wrong step")], lambda: 4,
    hints=[(f"step-{k}-is-right", lambda k=k: k, m) for k, m in _SPOT_WBCE.items()],
    task="spot-error")


def _grad_wbce(z, y, c, planted=None):
    p = sigmoid(z)
    g = -c * y * (1 - p) + (1 - y) * p
    if planted == "in-p":
        g = g / (p * (1 - p))
    if planted == "unweighted":
        g = p - y
    return g / len(z)


def _wbce_cases(rng):
    return [Case((rng.normal(size=n) * 2, _labels01(rng, n), c), f"n = {n}, c = {c}")
            for n, c in ((4, 3.0), (6, 0.5), (9, 2.0))]


_ex("losses/spot-bce-logit-fixed", "grad_weighted_bce_logits",
    "gradient in z of mean -[c y log sigma(z) + (1 - y) log(1 - sigma(z))] (the corrected "
    "derivation)", "gradient", ["z", "y", "c"], _wbce_cases, _grad_wbce,
    hints=[("gradient-in-p", lambda z, y, c: _grad_wbce(z, y, c, "in-p"),
            "That is the planted mistake: it is the gradient in p. The chain rule multiplies "
            "it by sigma'(z) = p(1 - p), which cancels the denominator."),
           ("unweighted", lambda z, y, c: _grad_wbce(z, y, c, "unweighted"),
            "(p - y)/N is the unweighted BCE (c = 1); keep the weight c on the positive "
            "examples.")],
    n_samples=lambda z, y, c: len(z))

_SPOT_CE_LOGITS = {
    1: "Step 1 is right: with a one-hot y the loss is -log s_c. Look at how the logits reach "
       "the loss.",
    2: "Step 2 is right: d/ds_j of -sum_k y_k log s_k is -y_j/s_j. Is that the gradient in z?",
    3: "Step 3 is right: the softmax Jacobian is diag(s) - s s^T, symmetric. Is it used "
       "afterwards?",
    5: "Step 5 is right: each row of Z is one example, and the mean brings 1/N. Look at the "
       "chain rule before it.",
}

_ex("losses/spot-ce-logits", "wrong_step_ce_logits",
    "the wrong step of the gradient of softmax cross-entropy in the logits", "value", [],
    lambda rng: [Case((), "the number of the wrong step")], lambda: 4,
    hints=[(f"step-{k}-is-right", lambda k=k: k, m) for k, m in _SPOT_CE_LOGITS.items()],
    task="spot-error")


def _batch_ce_cases(rng):
    out = []
    for n, k in ((5, 3), (3, 4), (6, 2)):
        Y = np.zeros((n, k))
        Y[np.arange(n), rng.integers(k, size=n)] = 1.0
        out.append(Case((rng.normal(size=(n, k)) * 1.5, Y), f"Z is {n} x {k}"))
    return out


_ex("losses/spot-ce-logits-fixed", "grad_ce_batch_logits",
    "gradient in Z of the mean softmax cross-entropy of the rows of Z (the corrected "
    "derivation)", "gradient", ["Z", "Y"], _batch_ce_cases,
    lambda Z, Y: (softmax(Z, axis=1) - Y) / Z.shape[0],
    hints=[("no-softmax-jacobian", lambda Z, Y: -Y / softmax(Z, axis=1) / Z.shape[0],
            "That is the planted mistake: -Y/S is the gradient in the probabilities. Multiply "
            "by the softmax Jacobian (chain rule); it simplifies a lot with a one-hot y."),
           ("softmax-over-batch", lambda Z, Y: (softmax(Z, axis=0) - Y) / Z.shape[0],
            "The softmax normalises each example (each row of Z) over its classes, not each "
            "column over the batch."),
           ("sign", lambda Z, Y: (Y - softmax(Z, axis=1)) / Z.shape[0],
            "The gradient is prediction minus target, softmax(Z) - Y, not Y - softmax(Z).")],
    n_samples=lambda Z, Y: Z.shape[0])


# the own-check exercise: planted gradients of batch losses, means and sums


def _fd_grad(loss, P, h=1e-6):
    P = np.asarray(P, dtype=float)
    G = np.zeros_like(P)
    for idx in np.ndindex(P.shape):
        E = np.zeros_like(P)
        E[idx] = h
        G[idx] = (loss(P + E) - loss(P - E)) / (2 * h)
    return G


def _loss_grad_verdict(loss, grad_loss, P):
    G = np.asarray(grad_loss(P), dtype=float)
    if G.shape != P.shape:
        return 0.0
    N = _fd_grad(loss, P)
    return float(np.linalg.norm(G - N) <= 1e-5 * max(np.linalg.norm(N), 1e-300))


def _targets(n, k):
    Y = np.zeros((n, k))
    Y[np.arange(n), np.arange(n) % k] = 1.0
    return Y


_T = _targets(6, 3)


def mse_mean(P):
    return np.mean(np.sum((P - _T) ** 2, axis=1))


def mse_sum(P):
    return np.sum((P - _T) ** 2)


def ce_mean(P):
    m = np.max(P, axis=1, keepdims=True)
    logs = P - m - np.log(np.sum(np.exp(P - m), axis=1, keepdims=True))
    return -np.mean(np.sum(_T * logs, axis=1))


def big_ce_mean(P):
    return 1e5 * ce_mean(P)


def grad_mse_mean_right(P):
    return 2 * (P - _T) / P.shape[0]


def grad_mse_mean_as_sum(P):
    return 2 * (P - _T)


def grad_mse_sum_right(P):
    return 2 * (P - _T)


def grad_mse_sum_as_mean(P):
    return 2 * (P - _T) / P.shape[0]


def grad_mse_mean_half(P):
    return (P - _T) / P.shape[0]


def grad_ce_mean_right(P):
    return (softmax(P, axis=1) - _T) / P.shape[0]


def grad_ce_mean_sign(P):
    return (_T - softmax(P, axis=1)) / P.shape[0]


def grad_ce_mean_wrong_at_one_entry(P):
    G = grad_ce_mean_right(P)
    G[-1, -1] += 0.5 * np.max(np.abs(G))
    return G


def grad_big_ce_mean_right(P):
    return 1e5 * grad_ce_mean_right(P)


def _loss_check_cases(rng):
    def P():
        return rng.normal(size=_T.shape)
    return [
        Case((mse_mean, grad_mse_mean_right, P()), "mean squared error, the right gradient"),
        Case((mse_mean, grad_mse_mean_as_sum, P()),
             "mean squared error, the gradient of the sum (N times too large)"),
        Case((mse_sum, grad_mse_sum_right, P()), "summed squared error, the right gradient"),
        Case((mse_sum, grad_mse_sum_as_mean, P()),
             "summed squared error, the gradient of the mean (N times too small)"),
        Case((mse_mean, grad_mse_mean_half, P()),
             "mean squared error, the gradient of the 1/2 convention"),
        Case((ce_mean, grad_ce_mean_right, P()), "mean cross-entropy, the right gradient"),
        Case((ce_mean, grad_ce_mean_sign, P()), "mean cross-entropy, the sign flipped"),
        Case((ce_mean, grad_ce_mean_wrong_at_one_entry, P()),
             "mean cross-entropy, wrong at the last entry only"),
        Case((big_ce_mean, grad_big_ce_mean_right, P()),
             "10^5 times the mean cross-entropy, the right gradient"),
        Case((mse_mean, grad_mse_mean_right, P() * 1e-4 + _T),
             "mean squared error near its minimum (tiny gradient), the right gradient"),
    ]


def _direction_only(loss, grad_loss, P):
    G, N = np.asarray(grad_loss(P), dtype=float).ravel(), _fd_grad(loss, P).ravel()
    return float(G @ N / (np.linalg.norm(G) * np.linalg.norm(N)) > 1 - 1e-6)


def _first_entry_only(loss, grad_loss, P):
    G, N = np.asarray(grad_loss(P), dtype=float), _fd_grad(loss, P)
    return float(abs(G[0, 0] - N[0, 0]) <= 1e-5 * abs(N[0, 0]))


def _loss_abs_tol(loss, grad_loss, P):
    G, N = np.asarray(grad_loss(P), dtype=float), _fd_grad(loss, P)
    return float(np.max(np.abs(G - N)) < 1e-6)


def _loss_tiny_h(loss, grad_loss, P):
    G, N = np.asarray(grad_loss(P), dtype=float), _fd_grad(loss, P, h=1e-12)
    return float(np.linalg.norm(G - N) <= 1e-5 * np.linalg.norm(N))


_ex("losses/own-loss-grad-check", "check_loss_grad",
    "your own checker: is grad_loss(P) the gradient of loss at the batch P?", "value",
    ["loss", "grad_loss", "P"], _loss_check_cases, _loss_grad_verdict,
    hints=[("direction-only", _direction_only,
            "Your checker compares directions only, so a gradient N times too large (the sum's "
            "gradient for a mean loss) or twice too small passes. Compare the sizes too: a "
            "relative error of the whole array."),
           ("first-entry-only", _first_entry_only,
            "Your checker compares one entry, so a gradient wrong elsewhere passes. Compare "
            "every entry of the (N, k) array."),
           ("absolute-tolerance", _loss_abs_tol,
            "An absolute tolerance does not scale with the loss: it rejects the right gradient "
            "of a loss multiplied by a large number. Use an error relative to the size of the "
            "gradient."),
           ("tiny-step", _loss_tiny_h,
            "With a step h of about 1e-12, loss(P + h E) - loss(P - h E) is mostly rounding "
            "error. Use h near 1e-6 (central differences).")],
    task="own-check")
