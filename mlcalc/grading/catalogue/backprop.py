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


# ------------------------------------------------------------------------------------------------
# A 2-2-1 network by hand: z = W1 x + b1, h = sigmoid(z), yhat = W2 h + b2, L = 1/2 (yhat - t)^2
# with given numbers (z = (0, 2), so sigma(0) = 1/2 and sigma'(0) = 1/4).
# ------------------------------------------------------------------------------------------------

_X221 = np.array([1.0, 2.0])
_W1_221 = np.array([[1.0, -0.5], [1.0, 0.5]])
_B1_221 = np.array([0.0, 0.0])
_W2_221 = np.array([[1.0, -2.0]])
_B2_221 = np.array([0.5])
_T221 = np.array([1.0])


def _net221(W1=_W1_221, act=sigmoid, dact=lambda z, h: h * (1 - h), b2=_B2_221, half=True):
    """Forward and backward pass of the 2-2-1 network; returns yhat, delta2, grad W2, grad W1."""
    z = W1 @ _X221 + _B1_221
    h = act(z)
    yhat = _W2_221 @ h + b2
    delta2 = (yhat - _T221) * (1.0 if half else 2.0)
    delta1 = dact(z, h) * (_W2_221.T @ delta2)
    return yhat[0], delta2[0], np.outer(delta2, h), np.outer(delta1, _X221)


_ex("backprop/net221-output", "net221_output_by_hand",
    "the output of the 2-2-1 sigmoid network at the given x, by hand", "value", [],
    lambda rng: [Case(())], lambda: _net221()[0],
    hints=[("pre-activation", lambda: _net221(act=lambda z: z)[0],
            "You fed the pre-activations z = W1 x + b1 to the output layer: it reads the "
            "activations h = sigma(z)."),
           ("transposed-W1", lambda: _net221(W1=_W1_221.T)[0],
            "You used W1^T x: row i of W1 holds the weights of hidden unit i, so z_i = "
            "sum_j (W1)_ij x_j."),
           ("missing-b2", lambda: _net221(b2=np.zeros(1))[0],
            "The output layer adds its bias b2 after W2 h.")],
    task="by-hand")

_ex("backprop/net221-output-delta", "net221_output_delta_by_hand",
    "dL/dyhat of the 2-2-1 network at the given x, by hand", "value", [],
    lambda rng: [Case(())], lambda: _net221()[1],
    hints=[("sign", lambda: -_net221()[1],
            "Check the sign: differentiate 1/2 (yhat - t)^2 in yhat, not in t."),
           ("dropped-half", lambda: _net221(half=False)[1],
            "The loss carries a factor 1/2, which cancels the 2 of the square."),
           ("sigmoid-at-output", lambda: _net221()[1] * sigmoid(_net221()[0])
            * (1 - sigmoid(_net221()[0])),
            "The output layer is linear (no sigmoid on yhat): there is no activation derivative "
            "at the top.")],
    task="by-hand")

_ex("backprop/net221-grad-W2", "net221_grad_W2_by_hand",
    "dL/dW2 of the 2-2-1 network at the given x, by hand", "value", [],
    lambda rng: [Case(())], lambda: _net221()[2],
    hints=[("pre-activation", lambda: _net221()[1] * (_W1_221 @ _X221 + _B1_221)[None, :],
            "The input of the output layer is h = sigma(z), not the pre-activation z."),
           ("with-sigmoid-derivative", lambda: _net221()[2] * np.array([[0.25, sigmoid(2.0)
                                                                        * sigmoid(-2.0)]]),
            "No sigmoid derivative here: W2 multiplies h directly, so dL/dW2 = delta2 h^T."),
           ("sign", lambda: -_net221()[2],
            "Check the sign of delta2 = yhat - t.")],
    task="by-hand")

_ex("backprop/net221-grad-W1", "net221_grad_W1_by_hand",
    "dL/dW1 of the 2-2-1 network at the given x, by hand", "value", [],
    lambda rng: [Case(())], lambda: _net221()[3],
    hints=[("skipped-activation", lambda: _net221(dact=lambda z, h: np.ones_like(z))[3],
            "W2^T delta2 must pass back through the sigmoid: multiply it elementwise by "
            "sigma'(z) before the outer product with x."),
           ("sigma-for-sigma-prime", lambda: _net221(dact=lambda z, h: h)[3],
            "You multiplied by sigma(z); the derivative is sigma(z) (1 - sigma(z))."),
           ("derivative-at-output", lambda: _net221(
               dact=lambda z, h: sigmoid(h) * (1 - sigmoid(h)))[3],
            "You evaluated sigma' at h = sigma(z): the derivative is taken at the pre-activation "
            "z, sigma'(z) = h (1 - h)."),
           ("outer-swapped", lambda: _net221()[3].T,
            "The outer product goes the other way round: dL/dW1 = delta1 x^T, with row i for "
            "hidden unit i.")],
    task="by-hand")


# ------------------------------------------------------------------------------------------------
# Project: a two-layer network on a batch, examples as rows, in four steps.
# Z1 = X W1 + b1 (N, h), H = tanh(Z1), Y = H W2 + b2 (N, k), L = 1/(2N) ||Y - T||_F^2.
# ------------------------------------------------------------------------------------------------

def _rows_cases(rng, with_T=True):
    out = []
    for N, d, h, k in ((5, 3, 4, 2), (4, 2, 3, 3), (6, 4, 2, 1)):
        X = rng.normal(size=(N, d))
        T = rng.normal(size=(N, k))
        W1, b1 = 0.8 * rng.normal(size=(d, h)), rng.normal(size=h)
        W2, b2 = rng.normal(size=(h, k)), rng.normal(size=k)
        args = (X, T, W1, b1, W2, b2) if with_T else (X, W1, b1, W2, b2)
        out.append(Case(args, f"N = {N}, d = {d}, h = {h}, k = {k}"))
    return out


def _rows(X, T, W1, b1, W2, b2):
    """Forward and backward pass on a batch (rows are examples)."""
    Z1 = X @ W1 + b1
    H = np.tanh(Z1)
    Y = H @ W2 + b2
    D2 = (Y - T) / X.shape[0]
    D1 = (D2 @ W2.T) * (1 - H ** 2)
    return Z1, H, Y, D2, D1


_ex("backprop/rows-forward", "mlp_rows_forward",
    "project step 1: the forward pass Y = tanh(X W1 + b1) W2 + b2 on a batch", "value",
    ["X", "W1", "b1", "W2", "b2"], lambda rng: _rows_cases(rng, with_T=False),
    lambda X, W1, b1, W2, b2: np.tanh(X @ W1 + b1) @ W2 + b2,
    hints=[("no-activation", lambda X, W1, b1, W2, b2: (X @ W1 + b1) @ W2 + b2,
            "The hidden layer applies tanh to Z1 = X W1 + b1 before W2."),
           ("missing-b1", lambda X, W1, b1, W2, b2: np.tanh(X @ W1) @ W2 + b2,
            "The hidden layer adds b1 (to every row) before the tanh."),
           ("missing-b2", lambda X, W1, b1, W2, b2: np.tanh(X @ W1 + b1) @ W2,
            "The output layer adds b2 to every row of H W2.")],
    task="project-step")

_ex("backprop/rows-output-delta", "mlp_rows_output_delta",
    "project step 2: the output delta dL/dY for L = 1/(2N) ||Y - T||^2", "gradient",
    ["X", "T", "W1", "b1", "W2", "b2"], _rows_cases,
    lambda X, T, W1, b1, W2, b2: _rows(X, T, W1, b1, W2, b2)[3],
    hints=[("sign", lambda X, T, W1, b1, W2, b2: -_rows(X, T, W1, b1, W2, b2)[3],
            "Check the sign: the derivative of 1/2 (y - t)^2 in y is y - t."),
           ("mean-over-all", lambda X, T, W1, b1, W2, b2: _rows(X, T, W1, b1, W2, b2)[3]
            / T.shape[1],
            "You divided by N k, the number of entries: the loss divides by the number of "
            "examples N only.")],
    n_samples=lambda X, T, W1, b1, W2, b2: X.shape[0],
    task="project-step")


def _grad_out(X, T, W1, b1, W2, b2):
    _, H, _, D2, _ = _rows(X, T, W1, b1, W2, b2)
    return np.vstack([H.T @ D2, D2.sum(axis=0)])


_ex("backprop/rows-grad-W2-b2", "mlp_rows_grad_W2_b2",
    "project step 3: dL/dW2 and dL/db2 stacked as one (h + 1, k) array", "gradient",
    ["X", "T", "W1", "b1", "W2", "b2"], _rows_cases, _grad_out,
    hints=[("bias-mean", lambda X, T, W1, b1, W2, b2: np.vstack([
        _grad_out(X, T, W1, b1, W2, b2)[:-1], _grad_out(X, T, W1, b1, W2, b2)[-1:]
        / X.shape[0]]),
            "The bias gradient is the SUM over the batch of the rows of dL/dY (broadcast "
            "forward, sum backward); the 1/N of the mean is already inside dL/dY."),
           ("pre-activation", lambda X, T, W1, b1, W2, b2: np.vstack([
               _rows(X, T, W1, b1, W2, b2)[0].T @ _rows(X, T, W1, b1, W2, b2)[3],
               _rows(X, T, W1, b1, W2, b2)[3].sum(axis=0)]),
            "The input of the output layer is H = tanh(Z1), not Z1: dL/dW2 = H^T dL/dY."),
           ("no-1/N", lambda X, T, W1, b1, W2, b2: X.shape[0] * _grad_out(X, T, W1, b1, W2, b2),
            "The loss is a mean over the N examples: start from dL/dY = (Y - T)/N.")],
    task="project-step")

_ex("backprop/rows-grad-W1", "mlp_rows_grad_W1",
    "project step 4: dL/dW1 of the two-layer network on a batch", "gradient",
    ["X", "T", "W1", "b1", "W2", "b2"], _rows_cases,
    lambda X, T, W1, b1, W2, b2: X.T @ _rows(X, T, W1, b1, W2, b2)[4],
    hints=[("skipped-tanh", lambda X, T, W1, b1, W2, b2: X.T @ (
        _rows(X, T, W1, b1, W2, b2)[3] @ W2.T),
            "dL/dH = dL/dY W2^T must pass back through tanh: multiply it elementwise by "
            "1 - H^2 before X^T."),
           ("derivative-at-output", lambda X, T, W1, b1, W2, b2: X.T @ (
               (_rows(X, T, W1, b1, W2, b2)[3] @ W2.T)
               * (1 - np.tanh(_rows(X, T, W1, b1, W2, b2)[1]) ** 2)),
            "You applied tanh' to H = tanh(Z1): the derivative is taken at Z1, and "
            "tanh'(Z1) = 1 - H^2."),
           ("sigmoid-pattern", lambda X, T, W1, b1, W2, b2: X.T @ (
               (_rows(X, T, W1, b1, W2, b2)[3] @ W2.T)
               * _rows(X, T, W1, b1, W2, b2)[1] * (1 - _rows(X, T, W1, b1, W2, b2)[1])),
            "H (1 - H) is the sigmoid's pattern; the derivative of tanh is 1 - H^2."),
           ("no-1/N", lambda X, T, W1, b1, W2, b2: X.shape[0] * X.T @ _rows(
               X, T, W1, b1, W2, b2)[4],
            "The loss is a mean over the N examples: start from dL/dY = (Y - T)/N.")],
    task="project-step")


# ------------------------------------------------------------------------------------------------
# Spot the error: a backward pass without the activation's derivative; a bias gradient averaged
# instead of summed over the batch. Each is followed by the corrected result to implement.
# ------------------------------------------------------------------------------------------------

_SPOT_SIGMOID = {
    1: "Step 1 is right: the gradient of 1/2 ||yhat - t||^2 in yhat is yhat - t.",
    2: "Step 2 is right: the outer-product rule with the layer's input h. Look at how the "
       "gradient crosses the sigmoid.",
    3: "Step 3 is right: passing through yhat = W2 h + b2 multiplies by W2^T. Look at the next "
       "layer it crosses.",
    5: "Step 5 is right given delta1: the outer-product rule dL/dW1 = delta1 x^T. Check how "
       "delta1 was obtained.",
}

_ex("backprop/spot-skipped-derivative", "wrong_step_backward_pass",
    "the wrong step of a backward pass through a sigmoid layer", "value", [],
    lambda rng: [Case((), "the number of the wrong step")], lambda: 4,
    hints=[(f"step-{k}-is-right", lambda k=k: k, m) for k, m in _SPOT_SIGMOID.items()],
    task="spot-error")


def _sig_net_cases(rng):
    return [Case((rng.normal(size=n), rng.normal(size=k), rng.normal(size=(p, n)),
                  rng.normal(size=p), rng.normal(size=(k, p)), rng.normal(size=k)),
                 f"x in R^{n}, {p} hidden units, {k} outputs")
            for n, p, k in ((3, 4, 2), (2, 3, 3), (4, 2, 1))]


def _sig_grad_W1(x, t, W1, b1, W2, b2, skip=False):
    h = sigmoid(W1 @ x + b1)
    g = W2.T @ (W2 @ h + b2 - t)
    return np.outer(g if skip else g * h * (1 - h), x)


_ex("backprop/spot-skipped-derivative-fixed", "grad_W1_sigmoid_net",
    "dL/dW1 for L = 1/2 ||W2 sigma(W1 x + b1) + b2 - t||^2 (the corrected derivation)",
    "gradient", ["x", "t", "W1", "b1", "W2", "b2"], _sig_net_cases, _sig_grad_W1,
    hints=[("skipped-activation", lambda x, t, W1, b1, W2, b2: _sig_grad_W1(
        x, t, W1, b1, W2, b2, skip=True),
            "That is the planted mistake: W2^T delta2 must be multiplied elementwise by "
            "sigma'(z1) = h (1 - h) before the outer product with x.")])

_SPOT_BIAS = {
    1: "Step 1 is right: b is added to every row, Z = X W + 1 b^T. Look at what that broadcast "
       "does backwards.",
    2: "Step 2 is right: the differential of the loss in Z is tr(G^T dZ).",
    3: "Step 3 is right: dZ = X dW + 1 db^T. Follow the db term to the end.",
    4: "Step 4 is right: tr(G^T X dW) gives dL/dW = X^T G.",
}

_ex("backprop/spot-bias-mean", "wrong_step_bias_gradient",
    "the wrong step of the bias gradient of a batched linear layer", "value", [],
    lambda rng: [Case((), "the number of the wrong step")], lambda: 5,
    hints=[(f"step-{k}-is-right", lambda k=k: k, m) for k, m in _SPOT_BIAS.items()],
    task="spot-error")


def _lin_rows_cases(rng):
    return [Case((rng.normal(size=(N, d)), rng.normal(size=(d, k)), rng.normal(size=k),
                  rng.normal(size=(N, k))), f"N = {N}, X is {N} x {d}, W is {d} x {k}")
            for N, d, k in ((5, 3, 2), (4, 2, 3), (7, 3, 1))]


def _lin_rows_grad_b(X, W, b, T):
    return (X @ W + b - T).sum(axis=0) / X.shape[0]


_ex("backprop/spot-bias-mean-fixed", "grad_b_linear_rows",
    "dL/db for L = 1/(2N) ||X W + 1 b^T - T||^2 (the corrected derivation)", "gradient",
    ["X", "W", "b", "T"], _lin_rows_cases, _lin_rows_grad_b,
    hints=[("bias-mean", lambda X, W, b, T: _lin_rows_grad_b(X, W, b, T) / X.shape[0],
            "That is the planted mistake: G = (Z - T)/N already holds the 1/N of the mean; "
            "the bias gradient sums G over the batch, dL/db = G^T 1.")],
    n_samples=lambda X, W, b, T: X.shape[0])
