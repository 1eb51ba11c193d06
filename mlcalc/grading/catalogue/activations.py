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

# ---- practice of other kinds: by hand, spot the error (each with its corrected version), own check


def _softmax_123():
    s = softmax(np.array([1.0, 2.0, 3.0]))
    return s, -s[0] * s[1]


_ex("activations/softmax-by-hand", "softmax_123_by_hand",
    "softmax(1, 2, 3) and the Jacobian entry (1, 2), by hand", "value", [],
    lambda rng: [Case((), "the four numbers")],
    lambda: np.append(*_softmax_123()),
    hints=[("diagonal-formula", lambda: np.append(_softmax_123()[0], 0.09003 * (1 - 0.09003)),
            "The first three numbers are right. Entry (1, 2) is off the diagonal (i != j): "
            "the formula s_i (1 - s_i) holds on the diagonal only."),
           ("off-diagonal-sign", lambda: np.append(_softmax_123()[0], -_softmax_123()[1]),
            "The first three numbers are right. Check the sign of entry (1, 2): increasing z_2 "
            "takes probability away from s_1."),
           ("zero-off-diagonal", lambda: np.append(_softmax_123()[0], 0.0),
            "The first three numbers are right, but softmax is not elementwise: s_1 depends on "
            "z_2 through the normalising sum, so entry (1, 2) is not 0."),
           ("not-normalised", lambda: np.append(np.exp([1.0, 2.0, 3.0]),
                                                -np.exp(1.0) * np.exp(2.0)),
            "Those are e^{z_i}, not yet divided by their sum: softmax(z)_i = e^{z_i} / "
            "sum_k e^{z_k}, and the probabilities add up to 1.")],
    rtol=1e-3, task="by-hand")

_ex("activations/tanh-by-hand", "dtanh_at_ln2",
    "tanh'(x) at x = ln 2, by hand", "value", [],
    lambda rng: [Case((), "the number")], lambda: 1 - np.tanh(np.log(2.0)) ** 2,
    hints=[("no-square", lambda: 1 - 0.6,
            "That is 1 - tanh(x): the square is missing. tanh'(x) = 1 - tanh(x)^2."),
           ("sigmoid-form", lambda: 0.6 * (1 - 0.6),
            "tanh(x)(1 - tanh(x)) is the sigmoid's pattern; tanh has its own identity."),
           ("input-not-tanh", lambda: 1 - np.log(2.0) ** 2,
            "You squared the input x = ln 2; the identity squares tanh(x), so compute "
            "tanh(ln 2) first (with e^{ln 2} = 2)."),
           ("tanh-itself", lambda: 0.6,
            "That is tanh(ln 2) itself; the exercise asks for its derivative.")],
    rtol=1e-3, task="by-hand")

_SPOT_SOFTMAX_T = {
    1: "Step 1 is right: u = z / T is a vector of shape (d,) and s = softmax(u). Look at how "
       "the d x d matrix is assembled from the entries.",
    2: "Step 2 is right: the quotient rule gives ds_i/du_j = s_i (delta_ij - s_j). Check that "
       "the matrix form has those entries.",
    4: "Step 4 is right: u_j = z_j / T depends on z_j only, with slope 1/T. Look at the shapes "
       "in the matrix form of step 2.",
    5: "Step 5 is right: the chain rule multiplies by du/dz = I / T. Look at the step before: "
       "is every term in it a d x d matrix?",
}

_ex("activations/spot-softmax-jacobian", "wrong_step_softmax_temperature",
    "the wrong step of the Jacobian of softmax(z / T)", "value", [],
    lambda rng: [Case((), "the number of the wrong step")], lambda: 3,
    hints=[(f"step-{k}-is-right", lambda k=k: k, m) for k, m in _SPOT_SOFTMAX_T.items()],
    task="spot-error")


def _jac_softmax_T(z, T, planted=None):
    s = softmax(z / T)
    if planted == "inner":
        return (np.diag(s) - s @ s) / T
    if planted == "diagonal":
        return np.diag(s * (1 - s)) / T
    if planted == "no-T":
        return np.diag(s) - np.outer(s, s)
    return (np.diag(s) - np.outer(s, s)) / T


_ex("activations/spot-softmax-jacobian-fixed", "jac_softmax_temperature",
    "Jacobian of softmax(z / T) (the corrected derivation)", "jacobian", ["z", "T"],
    lambda rng: [Case((rng.normal(size=d) * 2, T), f"d = {d}, T = {T}")
                 for d, T in ((3, 0.5), (4, 2.0), (5, 3.0))],
    _jac_softmax_T,
    hints=[("inner-product", lambda z, T: _jac_softmax_T(z, T, "inner"),
            "That is the planted mistake: s^T s is a number (subtracted from every entry); the "
            "off-diagonal entries -s_i s_j form the outer product s s^T, a d x d matrix."),
           ("diagonal-only", lambda z, T: _jac_softmax_T(z, T, "diagonal"),
            "Softmax is not elementwise: every s_i depends on every z_j, so the off-diagonal "
            "entries are not zero."),
           ("no-temperature", lambda z, T: _jac_softmax_T(z, T, "no-T"),
            "The inner function is u = z / T: the chain rule brings a factor du/dz = 1/T.")])

_SPOT_SIGMOID_LAYER = {
    1: "Step 1 is right: z = W x + b has shape (m,). Look at where the derivative of the "
       "sigmoid is evaluated.",
    2: "Step 2 is right: a = sigma(z) is applied entry by entry. Look further down.",
    3: "Step 3 is right: sigma'(t) = e^{-t} / (1 + e^{-t})^2 = sigma(t)(1 - sigma(t)). Compare "
       "it with how it is used in the next step.",
    5: "Step 5 is right: z = W x + b is linear in x with Jacobian W, shape (m, n). Look at the "
       "diagonal matrix.",
    6: "Step 6 is right: the chain rule multiplies the Jacobians in this order, (m, m)(m, n). "
       "Look at the entries of the diagonal matrix.",
}

_ex("activations/spot-sigmoid-derivative", "wrong_step_sigmoid_layer",
    "the wrong step of the Jacobian of sigma(W x + b) in x", "value", [],
    lambda rng: [Case((), "the number of the wrong step")], lambda: 4,
    hints=[(f"step-{k}-is-right", lambda k=k: k, m) for k, m in _SPOT_SIGMOID_LAYER.items()],
    task="spot-error")


def _jac_sig_layer(x, W, b, planted=None):
    z = W @ x + b
    a = sigmoid(z)
    d = {"one-minus-z": a * (1 - z), "sigma": a, "one-minus-sigma": 1 - a}.get(planted,
                                                                               a * (1 - a))
    return d[:, None] * W


_ex("activations/spot-sigmoid-derivative-fixed", "jac_sigmoid_layer_in_x",
    "Jacobian in x of sigma(W x + b) (the corrected derivation)", "jacobian", ["x", "W", "b"],
    lambda rng: [Case((rng.normal(size=n), rng.normal(size=(m, n)), rng.normal(size=m)),
                      f"W is {m} x {n}") for m, n in ((3, 2), (2, 4), (4, 3))],
    _jac_sig_layer,
    hints=[("one-minus-z", lambda x, W, b: _jac_sig_layer(x, W, b, "one-minus-z"),
            "That is the planted mistake: sigma'(z) = sigma(z)(1 - sigma(z)), with sigma(z) in "
            "both factors, not sigma(z)(1 - z)."),
           ("sigma-not-derivative", lambda x, W, b: _jac_sig_layer(x, W, b, "sigma"),
            "sigma(z) is not its own derivative: the factor is sigma'(z)."),
           ("dropped-square", lambda x, W, b: _jac_sig_layer(x, W, b, "one-minus-sigma"),
            "e^{-z}/(1 + e^{-z}) is 1 - sigma(z); the quotient rule gives a square in the "
            "denominator, so sigma'(z) has one more factor.")])


# the own-check exercise: planted Jacobians of elementwise (and one non-elementwise) functions


def _fd_jacobian(f, z, h=1e-6):
    z = np.asarray(z, dtype=float)
    cols = []
    for j in range(z.size):
        e = np.zeros_like(z)
        e[j] = h
        cols.append((np.asarray(f(z + e)) - np.asarray(f(z - e))) / (2 * h))
    return np.stack(cols, axis=1)


def _jacobian_verdict(f, jac_f, z):
    J = np.asarray(jac_f(z), dtype=float)
    if J.shape != (z.size, z.size):
        return 0.0
    N = _fd_jacobian(f, z)
    close = np.linalg.norm(J - N) <= 1e-5 * max(np.linalg.norm(N), 1e-300)
    return float(close and np.all(J[~np.eye(z.size, dtype=bool)] == 0))


def tanh_fn(z):
    return np.tanh(z)


def sigmoid_fn(z):
    return sigmoid(z)


def softplus_fn(z):
    return np.logaddexp(0.0, z)


def softmax_fn(z):
    return softmax(z)


def big_tanh_fn(z):
    return 1e4 * np.tanh(z)


def small_tanh_fn(z):
    return 1e-4 * np.tanh(z)


def jac_tanh_right(z):
    return np.diag(1 - np.tanh(z) ** 2)


def jac_sigmoid_right(z):
    return np.diag(sigmoid(z) * (1 - sigmoid(z)))


def jac_tanh_no_square(z):
    return np.diag(1 - np.tanh(z))


def jac_sigmoid_one_minus_z(z):
    return np.diag(sigmoid(z) * (1 - z))


def jac_softplus_one_off_diagonal(z):
    J = np.diag(sigmoid(z))
    J[0, 1] = 0.3
    return J


def jac_softplus_wrong_at_last(z):
    d = sigmoid(z)
    d[-1] = 1.5 * d[-1]
    return np.diag(d)


def jac_softmax_right_but_dense(z):
    s = softmax(z)
    return np.diag(s) - np.outer(s, s)


def jac_softmax_diagonal_only(z):
    s = softmax(z)
    return np.diag(s * (1 - s))


def jac_big_tanh_right(z):
    return np.diag(1e4 * (1 - np.tanh(z) ** 2))


def jac_small_tanh_twice(z):
    return np.diag(2e-4 * (1 - np.tanh(z) ** 2))


def _jac_check_cases(rng):
    def z(d):
        return rng.normal(size=d)
    return [
        Case((tanh_fn, jac_tanh_right, z(4)), "tanh, the right Jacobian"),
        Case((sigmoid_fn, jac_sigmoid_right, z(3)), "sigmoid, the right Jacobian"),
        Case((tanh_fn, jac_tanh_no_square, z(4)), "tanh, 1 - tanh (the square missing)"),
        Case((sigmoid_fn, jac_sigmoid_one_minus_z, z(3)), "sigmoid, sigma(z)(1 - z)"),
        Case((softplus_fn, jac_softplus_one_off_diagonal, z(4)),
             "softplus, right diagonal but a nonzero off-diagonal entry"),
        Case((softplus_fn, jac_softplus_wrong_at_last, z(5)),
             "softplus, wrong at the last coordinate only"),
        Case((softmax_fn, jac_softmax_right_but_dense, z(3)),
             "softmax, its right Jacobian (not elementwise: not diagonal)"),
        Case((softmax_fn, jac_softmax_diagonal_only, z(4)),
             "softmax, diag(s(1 - s)) (a diagonal but wrong Jacobian)"),
        Case((big_tanh_fn, jac_big_tanh_right, z(3) * 2), "10^4 tanh, the right Jacobian"),
        Case((small_tanh_fn, jac_small_tanh_twice, z(3)),
             "10^-4 tanh, a Jacobian twice too large"),
        Case((tanh_fn, jac_tanh_right, z(3) * 1e-3), "tanh at tiny z, the right Jacobian"),
    ]


def _no_diag_check(f, jac_f, z):
    J, N = np.asarray(jac_f(z), dtype=float), _fd_jacobian(f, z)
    return float(np.linalg.norm(J - N) <= 1e-5 * np.linalg.norm(N))


def _diag_entries_only(f, jac_f, z):
    J, N = np.asarray(jac_f(z), dtype=float), _fd_jacobian(f, z)
    return float(np.allclose(np.diag(J), np.diag(N), rtol=1e-5, atol=0))


def _abs_tol(f, jac_f, z):
    J, N = np.asarray(jac_f(z), dtype=float), _fd_jacobian(f, z)
    return float(np.max(np.abs(J - N)) < 1e-3 and np.all(J[~np.eye(z.size, dtype=bool)] == 0))


def _tiny_h(f, jac_f, z):
    J, N = np.asarray(jac_f(z), dtype=float), _fd_jacobian(f, z, h=1e-12)
    return float(np.allclose(J, N, rtol=1e-5, atol=1e-8)
                 and np.all(J[~np.eye(z.size, dtype=bool)] == 0))


_ex("activations/own-jacobian-check", "check_elementwise_jacobian",
    "your own checker: is jac_f(z) the Jacobian of an elementwise f at z?", "value",
    ["f", "jac_f", "z"], _jac_check_cases, _jacobian_verdict,
    hints=[("no-diagonal-check", _no_diag_check,
            "Your checker accepted the right Jacobian of softmax, which is not diagonal: "
            "softmax is not elementwise. Also check that every off-diagonal entry is 0."),
           ("diagonal-entries-only", _diag_entries_only,
            "Your checker compares the diagonal entries only, so it misses a wrong off-diagonal "
            "entry. Compare the whole matrix, and require the off-diagonal part to be 0."),
           ("absolute-tolerance", _abs_tol,
            "An absolute tolerance does not scale with f: it rejects a right Jacobian of a "
            "large f, or accepts a wrong one of a tiny f. Use an error relative to the size of "
            "the Jacobian."),
           ("tiny-step", _tiny_h,
            "With a step h of about 1e-12, f(z + h) - f(z - h) is mostly rounding error. Use "
            "h near 1e-6 (central differences) or 1e-8 (forward).")],
    task="own-check")
