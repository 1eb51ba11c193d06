"""The exercises of the chapter on derivatives of activation functions.

Ids ``activations/<slug>``. The task texts, hints and worked solutions are in
``exercises/solutions/activations.ipynb`` (kept in sync by ``tests/test_exercises.py``).
"""

import numpy as np

from ...activations import sigmoid, softmax
from ..spec import Case, _ex, _nonzero_vec


def _relu_cases(rng):
    out = []
    for d, sign in ((3, 1), (4, -1), (2, 1), (5, -1)):
        w, x = rng.normal(size=d), rng.normal(size=d)
        if np.sign(w @ x) != sign:
            w = -w
        if abs(w @ x) < 0.1:
            w = w + sign * 0.2 * x / (x @ x)
        out.append(Case((w, x), f"d = {d}, w^T x {'> 0' if sign > 0 else '< 0'}"))
    return out


_ex("activations/relu-of-linear-w", "grad_relu_in_w",
    "gradient in w of ReLU(w^T x)", "gradient", ["w", "x"],
    _relu_cases, lambda w, x: (w @ x > 0) * np.array(x, dtype=float),
    hints=[("no-indicator", lambda w, x: np.array(x, dtype=float),
            "That is right only where w^T x > 0; where w^T x < 0 ReLU is flat and the gradient "
            "is 0: 1[w^T x > 0] x.")])

_ex("activations/relu-of-linear-x", "grad_relu_in_x",
    "gradient in x of ReLU(w^T x)", "gradient", ["x", "w"],
    lambda rng: [Case((c.args[1], c.args[0]), c.label) for c in _relu_cases(rng)],
    lambda x, w: (w @ x > 0) * np.array(w, dtype=float),
    hints=[("no-indicator", lambda x, w: np.array(w, dtype=float),
            "That is right only where w^T x > 0; where w^T x < 0 the gradient is 0: "
            "1[w^T x > 0] w."),
           ("wrong-variable", lambda x, w: (w @ x > 0) * np.array(x, dtype=float),
            "The variable is x here, so the inner gradient of w^T x is w, not x.")])

_ex("activations/tanh", "dtanh",
    "tanh'(z), elementwise", "derivative", ["z"],
    lambda rng: [Case((rng.normal(size=d) * 2,), f"d = {d}") for d in (3, 5)],
    lambda z: 1 - np.tanh(z) ** 2,
    hints=[("sigmoid-form", lambda z: np.tanh(z) * (1 - np.tanh(z)),
            "tanh(z)(1 - tanh(z)) is the sigmoid's pattern; for tanh it is 1 - tanh(z)^2.")])

_ex("activations/softplus", "dsoftplus",
    "softplus'(z) for softplus(z) = log(1 + e^z)", "derivative", ["z"],
    lambda rng: [Case((rng.normal(size=d) * 3,), f"d = {d}") for d in (3, 6)],
    lambda z: sigmoid(z),
    hints=[("sigmoid-of-minus", lambda z: sigmoid(-z),
            "e^z / (1 + e^z) = 1 / (1 + e^{-z}) = sigma(z), not sigma(-z).")])

_ex("activations/elu", "delu",
    "ELU'(z) with parameter alpha (z != 0)", "derivative", ["z", "alpha"],
    lambda rng: [Case((_nonzero_vec(rng, d) * 2, a), f"d = {d}, alpha = {a}")
                 for d, a in ((4, 1.0), (6, 0.5), (5, 2.0))],
    lambda z, alpha: np.where(z > 0, 1.0, alpha * np.exp(np.minimum(z, 0))),
    hints=[("exp-everywhere", lambda z, alpha: alpha * np.exp(z),
            "alpha e^z is the derivative for z < 0 only; for z > 0 ELU is z and its derivative "
            "is 1.")])

_ex("activations/softmax-jacobian", "jac_softmax",
    "Jacobian of softmax(z)", "jacobian", ["z"],
    lambda rng: [Case((rng.normal(size=d),), f"d = {d}") for d in (3, 4, 2)],
    lambda z: np.diag(softmax(z)) - np.outer(softmax(z), softmax(z)),
    hints=[("diagonal-only", lambda z: np.diag(softmax(z) * (1 - softmax(z))),
            "Every output s_i depends on every z_j (through the normalising sum), so the "
            "off-diagonal entries -s_i s_j are not zero: J = diag(s) - s s^T.")])

_ex("activations/logsumexp-grad", "grad_lse",
    "gradient of logsumexp(z) (also for large z)", "gradient",
    ["z"],
    lambda rng: [Case((rng.normal(size=3),), "d = 3"),
                 Case((rng.normal(size=4) * 3 + 800,), "d = 4, entries near 800"),
                 Case((rng.normal(size=5) - 900,), "d = 5, entries near -900")],
    lambda z: softmax(z),
    hints=[("no-normalise", lambda z: np.exp(z - np.max(z)),
            "Subtracting max(z) is right, but the result must still be divided by its sum: "
            "softmax(z) = e^{z - m} / sum e^{z - m}.")])

_ex("activations/log-softmax-jacobian", "jac_log_softmax",
    "Jacobian of log softmax(z)", "jacobian", ["z"],
    lambda rng: [Case((rng.normal(size=d),), f"d = {d}") for d in (3, 4)],
    lambda z: np.eye(len(z)) - np.outer(np.ones(len(z)), softmax(z)))
