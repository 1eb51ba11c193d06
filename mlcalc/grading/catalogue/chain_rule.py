"""The exercises of the chapter on the chain rule.

Ids ``chain_rule/<slug>``. The task texts, hints and worked solutions are in
``exercises/solutions/chain_rule.ipynb`` (kept in sync by ``tests/test_exercises.py``).
"""

import numpy as np

from ...activations import sigmoid
from ..spec import Case, _ex, _nonsym, _points, _sym, _xA_cases

_ex("chain_rule/norm-fourth", "grad_norm_fourth",
    "f(x) = ||x||^4", "gradient", ["x"],
    lambda rng: [Case((rng.normal(size=d),), f"d = {d}") for d in (2, 3, 5)],
    lambda x: 4 * np.dot(x, x) * x,
    hints=[("outer-only", lambda x: 4 * np.linalg.norm(x) ** 3 * np.ones_like(x),
            "4||x||^3 is the outer derivative only; multiply by the gradient of ||x||, which is "
            "x/||x||: 4||x||^3 x/||x|| = 4||x||^2 x.")])

def _three_maps_cases(rng):
    return [Case((rng.normal(size=n), rng.normal(size=(p, n)), rng.normal(size=(q, p))),
                 f"n = {n}, p = {p}, q = m = {q}") for n, p, q in ((3, 4, 2), (4, 2, 3), (2, 3, 5))]


def _three_maps_jac(x, A, B, tanh_factor=True, square_factor=True):
    u = np.tanh(A @ x)
    v = B @ u
    left = (2 * v)[:, None] * B if square_factor else B
    right = (1 - u ** 2)[:, None] * A if tanh_factor else A
    return left @ right


_ex("chain_rule/shapes-first", "jac_three_map_composition",
    "Jacobian of h(g(f(x))), f(x) = tanh(A x), g(u) = B u, h(v) = v * v", "jacobian",
    ["x", "A", "B"], _three_maps_cases, _three_maps_jac,
    hints=[("skipped-tanh", lambda x, A, B: _three_maps_jac(x, A, B, tanh_factor=False),
            "The Jacobian of f(x) = tanh(A x) is not A alone: the elementwise tanh adds the "
            "diagonal factor diag(1 - tanh(A x)^2) (p x p) to the left of A."),
           ("skipped-square", lambda x, A, B: _three_maps_jac(x, A, B, square_factor=False),
            "The outermost map h(v) = v * v has a Jacobian too: a diagonal m x m matrix, "
            "evaluated at v = B tanh(A x), and it is the leftmost factor.")],
    task="implement")

_ex("chain_rule/least-squares", "grad_least_squares",
    "f(w) = ||X w - y||^2", "gradient", ["w", "X", "y"],
    lambda rng: [Case((rng.normal(size=d), rng.normal(size=(n, d)), rng.normal(size=n)),
                      f"X is {n} x {d}") for n, d in ((5, 3), (4, 2), (7, 4))],
    lambda w, X, y: 2 * X.T @ (X @ w - y),
    hints=[("sign", lambda w, X, y: 2 * X.T @ (y - X @ w),
            "The residual is X w - y: with (y - X w) the inner Jacobian is -X and the gradient is "
            "-2 X^T (y - X w) = 2 X^T (X w - y).")],
    n_samples=lambda w, X, y: len(y))

_ex("chain_rule/affine-quadratic", "grad_affine_quadratic",
    "f(x) = (A x + b)^T C (D x + e)", "gradient",
    ["x", "A", "b", "C", "D", "e"],
    lambda rng: [Case((rng.normal(size=n), rng.normal(size=(m, n)), rng.normal(size=m),
                       _nonsym(rng, m), rng.normal(size=(m, n)), rng.normal(size=m)),
                      f"m = {m}, n = {n}") for m, n in ((3, 2), (2, 4), (3, 3))],
    lambda x, A, b, C, D, e: A.T @ C @ (D @ x + e) + D.T @ C.T @ (A @ x + b),
    hints=[("C-not-transposed", lambda x, A, b, C, D, e: A.T @ C @ (D @ x + e)
            + D.T @ C @ (A @ x + b),
            "In the term from D x + e, C must be transposed: u^T C v = v^T C^T u, so its "
            "gradient through v is D^T C^T (A x + b).")],
    terms=lambda x, A, b, C, D, e: {"A^T C (D x + e)": A.T @ C @ (D @ x + e),
                                    "D^T C^T (A x + b)": D.T @ C.T @ (A @ x + b)})

_ex("chain_rule/weighted-least-squares", "grad_weighted_least_squares",
    "f(x) = (A x - b)^T W (A x - b)", "gradient",
    ["x", "A", "b", "W"],
    lambda rng: [Case((rng.normal(size=n), rng.normal(size=(m, n)), rng.normal(size=m), W),
                      lab, tags) for m, n, W, lab, tags in (
                          (4, 2, _nonsym(rng, 4), "A is 4 x 2, W non-symmetric", frozenset()),
                          (3, 3, _sym(rng, 3), "A is 3 x 3, W symmetric",
                           frozenset({"symmetric"})),
                          (2, 3, _nonsym(rng, 2), "A is 2 x 3, W non-symmetric", frozenset()))],
    lambda x, A, b, W: A.T @ (W + W.T) @ (A @ x - b),
    hints=[("symmetric-only", lambda x, A, b, W: 2 * A.T @ W @ (A @ x - b),
            "2 A^T W (A x - b) assumes W is symmetric. For a general W the quadratic form "
            "r^T W r has gradient (W + W^T) r, so the answer is A^T (W + W^T)(A x - b).")])

_ex("chain_rule/a-x-x-b", "grad_a_x_x_b",
    "f(x) = a^T x x^T b", "gradient", ["x", "a", "b"],
    lambda rng: [Case(tuple(rng.normal(size=(3, d))), f"d = {d}") for d in (2, 3, 4)],
    lambda x, a, b: a * np.dot(x, b) + b * np.dot(a, x),
    terms=lambda x, a, b: {"a (x^T b)": a * np.dot(x, b), "b (a^T x)": b * np.dot(a, x)})

_ex("chain_rule/products-norm-linear", "grad_norm_sq_times_linear",
    "f(x) = (x^T x)(a^T x)", "gradient", ["x", "a"],
    lambda rng: [Case(tuple(rng.normal(size=(2, d))), f"d = {d}") for d in (2, 3, 5)],
    lambda x, a: 2 * x * np.dot(a, x) + np.dot(x, x) * a,
    hints=[("half-norm-gradient", lambda x, a: x * np.dot(a, x) + np.dot(x, x) * a,
            "The gradient of x^T x is 2x, not x: the first product-rule term carries a factor 2 "
            "that the second does not.")],
    terms=lambda x, a: {"2x (a^T x)": 2 * x * np.dot(a, x), "(x^T x) a": np.dot(x, x) * a})

_ex("chain_rule/gaussian-bump", "grad_gaussian_bump",
    "f(x) = exp(-x^T A x)", "gradient", ["x", "A"],
    lambda rng: [Case((0.5 * c.args[0], c.args[1]), c.label, c.tags) for c in _xA_cases(rng)],
    lambda x, A: -np.exp(-x @ A @ x) * (A + A.T) @ x,
    hints=[("symmetric-only", lambda x, A: -2 * np.exp(-x @ A @ x) * A @ x,
            "-2 e^{-x^T A x} A x is right only for symmetric A: the gradient of x^T A x is "
            "(A + A^T) x."),
           ("lost-minus", lambda x, A: np.exp(-x @ A @ x) * (A + A.T) @ x,
            "The inner derivative of -x^T A x carries the minus sign: "
            "-e^{-x^T A x} (A + A^T) x.")])

_ex("chain_rule/gaussian-bump-trace", "grad_gaussian_bump_trace",
    "f(x) = exp(-Tr(x^T A x))", "gradient", ["x", "A"],
    lambda rng: [Case((0.5 * c.args[0], c.args[1]), c.label, c.tags) for c in _xA_cases(rng)],
    lambda x, A: -np.exp(-x @ A @ x) * (A + A.T) @ x,
    hints=[("symmetric-only", lambda x, A: -2 * np.exp(-x @ A @ x) * A @ x,
            "-2 e^{-Tr(x^T A x)} A x is right only for symmetric A: use (A + A^T) x.")])

_ex("chain_rule/problems-exp-bilinear", "grad_exp_bilinear",
    "f(x) = exp(y^T A x)", "gradient", ["x", "y", "A"],
    lambda rng: [Case((0.4 * rng.normal(size=d), 0.4 * rng.normal(size=d), A), lab, tags)
                 for d, A, lab, tags in (
                     (3, _nonsym(rng, 3), "d = 3, non-symmetric A", frozenset()),
                     (2, _sym(rng, 2), "d = 2, symmetric A", frozenset({"symmetric"})),
                     (4, _nonsym(rng, 4), "d = 4, non-symmetric A", frozenset()))],
    lambda x, y, A: np.exp(y @ A @ x) * (A.T @ y),
    hints=[("A-not-transposed", lambda x, y, A: np.exp(y @ A @ x) * (A @ y),
            "The gradient of y^T A x in x is A^T y, not A y: e^{y^T A x} A^T y."),
           ("outer-only", lambda x, y, A: np.exp(y @ A @ x) * np.ones_like(x),
            "e^{y^T A x} is the outer derivative; multiply by the inner gradient A^T y.")])

_A_CONS = np.array([[4.0, 0.0], [1.0, 1.0]])
_ex("chain_rule/consolidate-exponential", "grad_consolidate_exp",
    "f(x) = exp(x^T A x) with A = [[4, 0], [1, 1]]",
    "gradient", ["x"],
    lambda rng: [Case((0.3 * rng.normal(size=2),), "random x") for _ in range(3)],
    lambda x: np.exp(x @ _A_CONS @ x) * (_A_CONS + _A_CONS.T) @ x,
    hints=[("symmetric-only", lambda x: 2 * np.exp(x @ _A_CONS @ x) * _A_CONS @ x,
            "This A = [[4, 0], [1, 1]] is not symmetric, so 2 A x is wrong: the gradient of "
            "x^T A x is (A + A^T) x.")])

_W_CONS = np.array([7.0, 8.0])
_ex("chain_rule/consolidate-logistic", "grad_logistic_in_x",
    "f(x) = 1 / (1 + exp(-w^T x)) with w = (7, 8)",
    "gradient", ["x"],
    lambda rng: [Case((0.1 * rng.normal(size=2),), "random x") for _ in range(3)],
    lambda x: sigmoid(_W_CONS @ x) * (1 - sigmoid(_W_CONS @ x)) * _W_CONS,
    hints=[("outer-only", lambda x: sigmoid(_W_CONS @ x) * (1 - sigmoid(_W_CONS @ x))
            * np.ones(2),
            "sigma(w^T x)(1 - sigma(w^T x)) is the outer derivative; multiply by the gradient of "
            "w^T x, which is w.")])

_ex("chain_rule/logistic-in-w", "grad_logistic_in_w",
    "f(w) = 1 / (1 + exp(-w^T x)) as a function of w", "gradient",
    ["w", "x"],
    lambda rng: [Case((rng.normal(size=d), rng.normal(size=d)), f"d = {d}") for d in (2, 3, 5)],
    lambda w, x: sigmoid(w @ x) * (1 - sigmoid(w @ x)) * x,
    hints=[("wrong-variable", lambda w, x: sigmoid(w @ x) * (1 - sigmoid(w @ x)) * w,
            "You differentiated with respect to x: the variable is w, and the gradient of w^T x "
            "with respect to w is x.")])

_ex("chain_rule/circle-path", "dfdt",
    "d/dt f(x(t)), f(x) = x1^2 + 3 x1 x2, x(t) = (sin t, cos t)",
    "derivative", ["t"], _points(-1.0, 0.4, 1.3, 2.5),
    lambda t: (2 * np.sin(t) + 3 * np.cos(t)) * np.cos(t) - 3 * np.sin(t) * np.sin(t),
    hints=[("gradient-only", lambda t: 2 * np.sin(t) + 3 * np.cos(t) + 3 * np.sin(t),
            "You added the partial derivatives; the chain rule weighs each by dx_i/dt: "
            "df/dt = (df/dx1)(cos t) + (df/dx2)(-sin t).")],
    terms=lambda t: {"(df/dx1) cos t": (2 * np.sin(t) + 3 * np.cos(t)) * np.cos(t),
                     "(df/dx2)(-sin t)": -3 * np.sin(t) * np.sin(t)})


def _net_grad_x(x, t, W1, W2, dtanh=lambda h: 1 - h ** 2):
    """Gradient in x of 1/2 ||W2 tanh(W1 x) - t||^2; ``dtanh`` maps tanh(z) to tanh'(z)."""
    h = np.tanh(W1 @ x)
    r = W2 @ h - t
    return W1.T @ (dtanh(h) * (W2.T @ r))


_W1_NET = np.array([[0.5, -0.25], [1.0, -0.5], [0.0, 0.5]])
_W2_NET = np.array([[1.0, -1.0, 2.0]])
_X_NET = np.array([1.0, 2.0])
_T_NET = np.array([1.0])
_NET = (_X_NET, _T_NET, _W1_NET, _W2_NET)
_NET_HINTS = (
    ("skipped-tanh", lambda h: np.ones_like(h),
     "The error W2^T r must also pass back through tanh: multiply it elementwise by the "
     "derivative of tanh at W1 x before applying W1^T."),
    ("sigmoid-pattern", lambda h: h * (1 - h),
     "tanh(z)(1 - tanh(z)) is the sigmoid's pattern; the derivative of tanh is 1 - tanh(z)^2."))

_ex("chain_rule/network-by-hand", "grad_network_by_hand",
    "grad_x of 1/2 ||W2 tanh(W1 x) - t||^2 for a 2-3-1 network with given numbers", "value", [],
    lambda rng: [Case(())], lambda: _net_grad_x(*_NET),
    hints=[(k, lambda d=d: _net_grad_x(*_NET, dtanh=d), m) for k, d, m in _NET_HINTS],
    task="by-hand")


def _net_cases(rng):
    return [Case((rng.normal(size=n), rng.normal(size=m), 0.7 * rng.normal(size=(h, n)),
                  rng.normal(size=(m, h))), f"n = {n}, hidden {h}, m = {m}")
            for n, h, m in ((3, 4, 2), (2, 5, 1), (4, 3, 3))]


_ex("chain_rule/network-in-x", "grad_network_in_x",
    "grad_x of 1/2 ||W2 tanh(W1 x) - t||^2", "gradient", ["x", "t", "W1", "W2"],
    _net_cases, _net_grad_x,
    hints=[(k, lambda x, t, W1, W2, d=d: _net_grad_x(x, t, W1, W2, dtanh=d), m)
           for k, d, m in _NET_HINTS])


# --- shapes first: the tuple of shapes of every intermediate and derivative -------------------

def _sizes_cases(names, sizes):
    return lambda rng: [Case(s, ", ".join(f"{k} = {v}" for k, v in zip(names, s, strict=True)))
                        for s in sizes]


def _three_map_shapes(n, p, q, m, layout="numerator", column=False):
    vec = (lambda k: (k, 1)) if column else (lambda k: (k,))
    jac = (lambda rows, cols: (rows, cols)) if layout == "numerator" else (
        lambda rows, cols: (cols, rows))
    return (vec(n), vec(p), vec(q), vec(m), jac(p, n), jac(q, p), jac(m, q), jac(m, n))


_ex("chain_rule/shapes-three-jacobians", "shapes_three_map_chain",
    "the shapes in F(x) = f(g(h(x))): three Jacobians and their product", "value",
    ["n", "p", "q", "m"],
    _sizes_cases("npqm", ((3, 4, 2, 5), (2, 5, 3, 4), (6, 2, 4, 3))), _three_map_shapes,
    hints=[("denominator-layout", lambda n, p, q, m: _three_map_shapes(n, p, q, m, "denominator"),
            "Every Jacobian is written in denominator layout (inputs x outputs). This book "
            "writes one row per output: the Jacobian of a map from R^n to R^p is p x n."),
           ("column-vectors", lambda n, p, q, m: _three_map_shapes(n, p, q, m, column=True),
            "The vectors are written as (k, 1) columns. In NumPy, and in this question, a vector "
            "of length k has shape (k,).")],
    task="shapes")


def _least_squares_shapes(N, d, row_grad=False, jac_t=False, loss_vec=False):
    return ((N, d), (d,), (N,), (N,), (N,) if loss_vec else (),
            (d, N) if jac_t else (N, d),
            (1, N) if row_grad else (N,), (1, d) if row_grad else (d,))


_ex("chain_rule/shapes-least-squares", "shapes_least_squares",
    "the shapes in L(w) = ||X w - y||^2 / N", "value", ["N", "d"],
    _sizes_cases("Nd", ((5, 3), (2, 6), (7, 4))), _least_squares_shapes,
    hints=[("gradient-as-row", lambda N, d: _least_squares_shapes(N, d, row_grad=True),
            "A gradient is written as a row (1 x k). In this book a gradient has the shape of "
            "its variable: a vector of length k has shape (k,)."),
           ("jacobian-transposed", lambda N, d: _least_squares_shapes(N, d, jac_t=True),
            "The Jacobian of the residual in w is transposed: r has N entries and w has d, and "
            "numerator layout puts one row per output."),
           ("loss-not-scalar", lambda N, d: _least_squares_shapes(N, d, loss_vec=True),
            "The loss is one number: the squared residuals are summed (and divided by N), so "
            "its shape is ().")],
    task="shapes")


def _vjp_shapes(n, p, q, row_grad=False, denominator=False):
    g = (lambda k: (1, k)) if row_grad else (lambda k: (k,))
    jac = (lambda rows, cols: (cols, rows)) if denominator else (lambda rows, cols: (rows, cols))
    return ((1, q), g(q), jac(q, p), g(p), jac(p, n), g(n))


_ex("chain_rule/shapes-vjp-backward", "shapes_vjp_three_maps",
    "the shapes of the vector-Jacobian products backwards through three maps", "value",
    ["n", "p", "q"],
    _sizes_cases("npq", ((3, 5, 2), (6, 2, 4), (2, 4, 7))), _vjp_shapes,
    hints=[("gradient-as-row", lambda n, p, q: _vjp_shapes(n, p, q, row_grad=True),
            "The upstream gradients are written as rows. The 1 x q row is the Jacobian of the "
            "last map; a gradient has the shape of its variable, (k,)."),
           ("denominator-layout", lambda n, p, q: _vjp_shapes(n, p, q, denominator=True),
            "The Jacobians of the two inner maps are in denominator layout: the Jacobian of a "
            "map from R^p to R^q has one row per output, q x p, and the backward pass "
            "multiplies by its transpose.")],
    task="shapes")


def _two_layer_shapes(N, d, h, k, batch=True, w_t=False, per_example=False):
    b = (lambda *s: (N, *s)) if batch else (lambda *s: s)
    gw2 = (k, h) if w_t else (N, h, k) if per_example else (h, k)
    gw1 = (h, d) if w_t else (N, d, h) if per_example else (d, h)
    return (b(d), (d, h), b(h), b(h), (h, k), b(k), (), b(k), gw2, b(h), b(h), gw1)


_ex("chain_rule/shapes-two-layer", "shapes_two_layer_network",
    "the shapes in a two-layer network with rows as examples: Y = tanh(X W1) W2", "value",
    ["N", "d", "h", "k"],
    _sizes_cases("Ndhk", ((5, 3, 4, 2), (2, 6, 3, 4), (7, 2, 5, 3))), _two_layer_shapes,
    hints=[("weight-gradient-transposed",
            lambda N, d, h, k: _two_layer_shapes(N, d, h, k, w_t=True),
            "The gradients of the weights are transposed. A gradient has the shape of its "
            "variable: the gradient of W1 has the shape of W1."),
           ("forgot-batch", lambda N, d, h, k: _two_layer_shapes(N, d, h, k, batch=False),
            "The batch axis is missing: X holds N examples as rows, so every intermediate and "
            "its gradient keeps that first axis of length N."),
           ("per-example-weight-gradient",
            lambda N, d, h, k: _two_layer_shapes(N, d, h, k, per_example=True),
            "The weight gradients keep a batch axis. The loss is one number and W1, W2 are "
            "shared by all examples: the examples' contributions are summed, and the gradient "
            "has the shape of the weight.")],
    task="shapes")


def _softmax_shapes(N, d, k, loss_vec=False, w_t=False, diag_only=False):
    return ((N, d), (d, k), (N, k), (N, k), (N, k), (k,) if diag_only else (k, k),
            (N,) if loss_vec else (), (N, k), (k, d) if w_t else (d, k))


_ex("chain_rule/shapes-softmax-xent", "shapes_softmax_cross_entropy",
    "the shapes in the softmax cross-entropy of a batch, logits Z = X W", "value",
    ["N", "d", "k"],
    _sizes_cases("Ndk", ((5, 3, 4), (2, 6, 3), (7, 2, 5))), _softmax_shapes,
    hints=[("per-example-loss", lambda N, d, k: _softmax_shapes(N, d, k, loss_vec=True),
            "The loss is the mean of the examples' cross-entropies: one number, shape ()."),
           ("weight-gradient-transposed", lambda N, d, k: _softmax_shapes(N, d, k, w_t=True),
            "The gradient of W is transposed: it has the shape of W."),
           ("softmax-diagonal-only", lambda N, d, k: _softmax_shapes(N, d, k, diag_only=True),
            "The softmax is not elementwise: each probability depends on every logit of its "
            "row, so the Jacobian of one row's probabilities in its logits is a full matrix.")],
    task="shapes")
