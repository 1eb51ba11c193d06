"""The exercises of the chapter on backpropagation.

Ids ``backprop/<slug>``. The task texts, hints and worked solutions are in
``exercises/solutions/backprop.ipynb`` (kept in sync by ``tests/test_exercises.py``).
"""

import numpy as np

from ...activations import sigmoid, softmax
from ..spec import Case, _ex

_ex("backprop/dense-weight-grad", "grad_dense_W",
    "dL/dW for z = W x + b, given g = dL/dz", "gradient",
    ["g", "x"],
    lambda rng: [Case((rng.normal(size=m), rng.normal(size=n)), f"W is {m} x {n}")
                 for m, n in ((3, 2), (2, 4), (3, 3))],
    lambda g, x: np.outer(g, x))

_ex("backprop/dense-input-grad", "grad_dense_x",
    "dL/dx for z = W x + b, given g = dL/dz", "gradient",
    ["g", "W"],
    lambda rng: [Case((rng.normal(size=m), rng.normal(size=(m, n))), f"W is {m} x {n}")
                 for m, n in ((3, 2), (2, 4), (3, 3))],
    lambda g, W: W.T @ g)


def _layer_cases(rng):
    return [Case((rng.normal(size=m), rng.normal(size=n), rng.normal(size=(m, n)),
                  rng.normal(size=m)), f"W is {m} x {n}") for m, n in ((3, 2), (2, 4), (4, 4))]


_ex("backprop/sigmoid-layer", "grad_sigmoid_layer_W",
    "dL/dW for y = sigma(W x + b), given g = dL/dy", "gradient",
    ["g", "x", "W", "b"], _layer_cases,
    lambda g, x, W, b: np.outer(g * sigmoid(W @ x + b) * (1 - sigmoid(W @ x + b)), x),
    hints=[("skipped-activation", lambda g, x, W, b: np.outer(g, x),
            "g x^T skips the sigmoid: first pull g back through it, "
            "delta = g * sigma'(W x + b), then dL/dW = delta x^T.")])


def _mlp_cases(rng):
    out = []
    for n, h, k in ((3, 4, 2), (2, 3, 3), (4, 2, 1)):
        out.append(Case((rng.normal(size=n), rng.normal(size=k), rng.normal(size=(h, n)),
                         rng.normal(size=h), rng.normal(size=(k, h)), rng.normal(size=k)),
                        f"x in R^{n}, {h} hidden units, {k} outputs"))
    return out


def _mlp(x, t, W1, b1, W2, b2):
    a = W1 @ x + b1
    hid = np.tanh(a)
    r = W2 @ hid + b2 - t
    delta1 = (W2.T @ r) * (1 - hid**2)
    return hid, r, delta1


_ex("backprop/mlp-W2", "grad_W2",
    "dL/dW2 for L = 1/2 ||W2 tanh(W1 x + b1) + b2 - t||^2", "gradient",
    ["x", "t", "W1", "b1", "W2", "b2"], _mlp_cases,
    lambda x, t, W1, b1, W2, b2: np.outer(_mlp(x, t, W1, b1, W2, b2)[1],
                                          _mlp(x, t, W1, b1, W2, b2)[0]))

_ex("backprop/mlp-W1", "grad_W1",
    "dL/dW1 for L = 1/2 ||W2 tanh(W1 x + b1) + b2 - t||^2", "gradient",
    ["x", "t", "W1", "b1", "W2", "b2"], _mlp_cases,
    lambda x, t, W1, b1, W2, b2: np.outer(_mlp(x, t, W1, b1, W2, b2)[2], x),
    hints=[("skipped-tanh", lambda x, t, W1, b1, W2, b2: np.outer(
        W2.T @ _mlp(x, t, W1, b1, W2, b2)[1], x),
        "W2^T r must also pass back through tanh: multiply by 1 - tanh(W1 x + b1)^2 "
        "elementwise before the outer product with x.")])

_ex("backprop/softmax-vjp", "vjp_softmax",
    "v^T J for J the softmax Jacobian, without forming J", "gradient",
    ["z", "v"],
    lambda rng: [Case((rng.normal(size=d), rng.normal(size=d)), f"d = {d}") for d in (3, 5, 2)],
    lambda z, v: softmax(z) * (v - np.dot(v, softmax(z))),
    hints=[("diagonal-only", lambda z, v: v * softmax(z) * (1 - softmax(z)),
            "That uses the diagonal of J only; J = diag(s) - s s^T, so "
            "v^T J = s * (v - v^T s).")])


def _batch_cases(rng):
    return [Case((rng.normal(size=(n, d)), rng.normal(size=(d, k)), rng.normal(size=(n, k))),
                 f"X is {n} x {d}, W is {d} x {k}") for n, d, k in ((5, 3, 2), (4, 2, 3),
                                                                    (3, 3, 3))]


_ex("backprop/batch-weight-grad", "grad_batch_W",
    "dL/dW for Z = X W, given G = dL/dZ", "gradient",
    ["X", "W", "G"], _batch_cases, lambda X, W, G: X.T @ G)

_ex("backprop/batch-input-grad", "grad_batch_X",
    "dL/dX for Z = X W, given G = dL/dZ", "gradient",
    ["X", "W", "G"], _batch_cases, lambda X, W, G: G @ W.T)
