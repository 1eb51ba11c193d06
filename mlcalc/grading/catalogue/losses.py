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
