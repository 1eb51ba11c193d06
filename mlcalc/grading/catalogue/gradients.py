"""The exercises of the chapter on gradients of scalar functions of a vector.

Ids ``gradients/<slug>``. The task texts, hints and worked solutions are in
``exercises/solutions/gradients.ipynb`` (kept in sync by ``tests/test_exercises.py``).
"""

import numpy as np

from ..spec import Case, _ex, _nonsym, _nonzero_vec, _sym, _xA_cases

_ex("gradients/linear", "grad_linear",
    "f(x) = y^T x", "gradient", ["x", "y"],
    lambda rng: [Case((rng.normal(size=d), rng.normal(size=d)), f"d = {d}") for d in (2, 3, 5)],
    lambda x, y: np.array(y, dtype=float),
    hints=[("swapped-roles", lambda x, y: np.array(x, dtype=float),
            "You returned x; the gradient of y^T x with respect to x is y (x is the variable).")])

_QF_HINTS = [
    ("symmetric-only", lambda x, A: 2 * A @ x,
     "2 A x is right only when A is symmetric. Multiply out x^T A x = sum_ij A_ij x_i x_j: "
     "x_k appears in row k and in column k, giving (A + A^T) x."),
    ("half", lambda x, A: A @ x,
     "A x is only one of the two places x appears: x^T A x = sum_ij A_ij x_i x_j depends on "
     "x_k through row k and column k, so the gradient is (A + A^T) x."),
    ("transpose-only", lambda x, A: A.T @ x,
     "A^T x is only one of the two terms: the gradient is A x + A^T x = (A + A^T) x."),
]

_ex("gradients/quadratic-form", "grad_quadratic_form",
    "f(x) = x^T A x", "gradient", ["x", "A"],
    _xA_cases, lambda x, A: (A + A.T) @ x, hints=_QF_HINTS,
    terms=lambda x, A: {"A x": A @ x, "A^T x": A.T @ x})

_ex("gradients/trace-quadratic", "grad_trace_quadratic",
    "f(x) = Tr(x^T A x)", "gradient", ["x", "A"],
    _xA_cases, lambda x, A: (A + A.T) @ x, hints=_QF_HINTS,
    terms=lambda x, A: {"A x": A @ x, "A^T x": A.T @ x})

_ex("gradients/consolidate-linear", "grad_consolidate_linear",
    "f(x) = y^T x + x^T 1 with y = (2, 5)", "gradient", ["x"],
    lambda rng: [Case((rng.normal(size=2),), "random x") for _ in range(3)],
    lambda x: np.array([3.0, 6.0]),
    hints=[("forgot-ones", lambda x: np.array([2.0, 5.0]),
            "You kept y but dropped the gradient of x^T 1, which is the vector of ones.")],
    terms=lambda x: {"y": np.array([2.0, 5.0]), "1": np.ones(2)})

_ex("gradients/consolidate-quadratic", "grad_consolidate_quadratic",
    "f(x) = x^T A x with A = [[2, 1], [1, 1]]", "gradient",
    ["x"], lambda rng: [Case((rng.normal(size=2),), "random x") for _ in range(3)],
    lambda x: np.array([[4.0, 2.0], [2.0, 2.0]]) @ x,
    hints=[("half", lambda x: np.array([[2.0, 1.0], [1.0, 1.0]]) @ x,
            "A x is half of it: the gradient is (A + A^T) x, which is 2 A x here because this A "
            "is symmetric.")])

_ex("gradients/quick-consolidate-1", "grad_at_y_1",
    "f'(y) for f(x) = x1^2 - ln x2 + e^{-x3}, y = (1, 1, 0)",
    "value", [], lambda rng: [Case(())], lambda: np.array([2.0, -1.0, -1.0]),
    hints=[("sign-exp", lambda: np.array([2.0, -1.0, 1.0]),
            "The derivative of e^{-x3} is -e^{-x3} (chain rule: the inner derivative is -1).")])

_ex("gradients/quick-consolidate-2", "grad_at_y_2",
    "f'(y) for f(x) = x1^2 - x1 - ln x2 + e^{-x1 + x2} + 2 x2 - 3, y = (0, 1)",
    "value", [], lambda rng: [Case(())], lambda: np.array([-1.0 - np.e, 1.0 + np.e]),
    hints=[("notes-answer", lambda: np.array([-np.e, -1.0 + np.e]),
            "(-e, e - 1) is the answer printed in the source notes, and it is wrong: at y = (0, 1),"
            " df/dx1 = 2x1 - 1 - e^{-x1+x2} = -1 - e and df/dx2 = -1/x2 + e^{-x1+x2} + 2 = 1 + e."),
           ("sign-exp", lambda: np.array([-1.0 + np.e, 1.0 + np.e]),
            "d/dx1 e^{-x1 + x2} = -e^{-x1 + x2}: the inner derivative is -1.")])

_ex("gradients/problems-difference", "grad_difference",
    "f(x) = y^T x - w^T x", "gradient", ["x", "y", "w"],
    lambda rng: [Case(tuple(rng.normal(size=(3, d))), f"d = {d}") for d in (2, 4, 3)],
    lambda x, y, w: y - w,
    terms=lambda x, y, w: {"y": y, "-w": -w})

_ex("gradients/problems-bilinear", "grad_bilinear",
    "f(x) = y^T A x", "gradient", ["x", "y", "A"],
    lambda rng: [Case((rng.normal(size=d), rng.normal(size=d), A), lab, tags)
                 for d, A, lab, tags in (
                     (3, _nonsym(rng, 3), "d = 3, non-symmetric A", frozenset()),
                     (2, _sym(rng, 2), "d = 2, symmetric A", frozenset({"symmetric"})),
                     (4, _nonsym(rng, 4), "d = 4, non-symmetric A", frozenset()))],
    lambda x, y, A: A.T @ y,
    hints=[("A-not-transposed", lambda x, y, A: A @ y,
            "A y is the gradient only for symmetric A: y^T A x = (A^T y)^T x, so the gradient "
            "with respect to x is A^T y.")])

_ex("gradients/problems-bilinear-minus-linear", "grad_bilinear_minus_linear",
    "f(x) = y^T A x - y^T x", "gradient",
    ["x", "y", "A"],
    lambda rng: [Case((rng.normal(size=d), rng.normal(size=d), _nonsym(rng, d)), f"d = {d}")
                 for d in (3, 4, 2)],
    lambda x, y, A: A.T @ y - y,
    hints=[("A-not-transposed", lambda x, y, A: A @ y - y,
            "The gradient of y^T A x is A^T y, not A y (they agree only for symmetric A).")],
    terms=lambda x, y, A: {"A^T y": A.T @ y, "-y": -y})

_ex("gradients/l1-norm", "grad_l1_norm",
    "f(x) = ||x||_1 (x with no zero entry)", "gradient", ["x"],
    lambda rng: [Case((_nonzero_vec(rng, d),), f"d = {d}") for d in (2, 4, 6)],
    lambda x: np.sign(x),
    hints=[("ones", lambda x: np.ones_like(x),
            "The derivative of |x_i| is +1 only for x_i > 0; for x_i < 0 it is -1: sign(x)."),
           ("abs", lambda x: np.abs(x),
            "That is |x|, the function itself; its derivative is sign(x).")])

_ex("gradients/l2-norm", "grad_l2_norm",
    "f(x) = ||x||_2", "gradient", ["x"],
    lambda rng: [Case((rng.normal(size=d) * s,), f"d = {d}") for d, s in ((2, 1), (3, 3), (5, .5))],
    lambda x: x / np.linalg.norm(x),
    hints=[("squared-norm", lambda x: 2 * x,
            "2x is the gradient of the squared norm ||x||^2; for ||x|| = (x^T x)^{1/2} the chain "
            "rule gives x / ||x||."),
           ("norm-squared-denominator", lambda x: x / np.dot(x, x),
            "Divide by ||x||, not by ||x||^2.")])

_ex("gradients/norm-distance", "grad_distance",
    "f(x) = ||x - a||_2", "gradient", ["x", "a"],
    lambda rng: [Case((rng.normal(size=d), rng.normal(size=d)), f"d = {d}") for d in (2, 3, 4)],
    lambda x, a: (x - a) / np.linalg.norm(x - a),
    hints=[("sign", lambda x, a: (a - x) / np.linalg.norm(x - a),
            "(a - x)/||x - a|| points towards a; the gradient points away from a: "
            "(x - a)/||x - a||.")])

_ex("gradients/entropy", "grad_entropy",
    "f(x) = -sum x_i ln x_i (x > 0)", "gradient", ["x"],
    lambda rng: [Case((rng.uniform(0.05, 2.0, size=d),), f"d = {d}") for d in (2, 3, 5)],
    lambda x: -(np.log(x) + 1),
    hints=[("missing-one", lambda x: -np.log(x),
            "The product rule gives d/dx (x ln x) = ln x + 1: the +1 is missing.")],
    terms=lambda x: {"-ln x": -np.log(x), "-1": -np.ones_like(x)})


# ------------------------------------------------------------------------------------------------
# practice of other kinds: by hand, spot the error, own checks
# ------------------------------------------------------------------------------------------------

_A_HAND = np.array([[1.0, 2.0], [0.0, 3.0]])
_X_HAND = np.array([1.0, 2.0])

_ex("gradients/by-hand-quadratic-form", "grad_quadratic_form_by_hand",
    "the gradient of x^T A x at x = (1, 2), A = [[1, 2], [0, 3]], by hand", "value", [],
    lambda rng: [Case((), "by hand")], lambda: (_A_HAND + _A_HAND.T) @ _X_HAND,
    hints=[("symmetric-only", lambda: 2 * _A_HAND @ _X_HAND,
            "2 A x = (10, 12) is the gradient only for a symmetric A; this A is not symmetric. "
            "Write out x^T A x as a sum and differentiate in x_1 and in x_2."),
           ("half", lambda: _A_HAND @ _X_HAND,
            "A x = (5, 6) is one of two terms: x_k appears in row k and in column k of "
            "sum_ij A_ij x_i x_j."),
           ("transpose-only", lambda: _A_HAND.T @ _X_HAND,
            "A^T x = (1, 8) is one of two terms; the other is A x.")],
    task="by-hand")

_STEP_QF = {
    1: "Step 1 is right: x^T A x = sum_ij A_ij x_i x_j and b^T x = sum_i b_i x_i.",
    2: "Step 2 is right: x_k appears as the first factor (i = k) and as the second (j = k), "
       "so the product rule gives two sums.",
    3: "Step 3 is right: sum_j A_kj x_j is row k of A times x, sum_i A_ik x_i is column k of A "
       "times x. Are those two always equal?",
    5: "Step 5 is right: the derivative of -2 sum_i b_i x_i in x_k is -2 b_k.",
    6: "Step 6 is right given the steps before it: it stacks the partial derivatives. Look "
       "further back.",
}

_ex("gradients/spot-error-quadratic-form", "wrong_step_quadratic_form",
    "the wrong step in a derivation of the gradient of x^T A x - 2 b^T x", "value", [],
    lambda rng: [Case((), "the step number")], lambda: 4,
    hints=[(f"step-{k}", lambda k=k: k, msg) for k, msg in _STEP_QF.items()],
    task="spot-error")


def _xAb_cases(rng):
    out = []
    for d, sym in ((3, False), (4, False), (2, True), (5, False)):
        A = _sym(rng, d) if sym else _nonsym(rng, d)
        lab = f"d = {d}, " + ("symmetric A" if sym else "non-symmetric A")
        out.append(Case((rng.normal(size=d), A, rng.normal(size=d)), lab,
                        frozenset({"symmetric"}) if sym else frozenset()))
    return out


_ex("gradients/spot-error-quadratic-form-fixed", "grad_quadratic_minus_linear",
    "f(x) = x^T A x - 2 b^T x", "gradient", ["x", "A", "b"],
    _xAb_cases, lambda x, A, b: (A + A.T) @ x - 2 * b,
    hints=[("symmetric-only", lambda x, A, b: 2 * A @ x - 2 * b,
            "That is the planted mistake: 2 A x - 2 b assumes A x = A^T x, true only for a "
            "symmetric A. Keep the two sums of step 2 apart."),
           ("linear-sign", lambda x, A, b: (A + A.T) @ x + 2 * b,
            "The gradient of -2 b^T x is -2 b: the sign of the linear term is flipped.")],
    terms=lambda x, A, b: {"A x": A @ x, "A^T x": A.T @ x, "-2b": -2 * b})

_STEP_NORM = {
    1: "Step 1 is right: ||r|| = (r^T r)^{1/2}, with r of shape (m,).",
    2: "Step 2 is right: r = A x - b is affine in x, its Jacobian is A, shape (m, n).",
    3: "Step 3 is right: the gradient of r^T r is 2 J^T r = 2 A^T r, shape (n,).",
    5: "Step 5 is right given step 4: it substitutes r = A x - b. Look further back.",
}

_ex("gradients/spot-error-norm", "wrong_step_residual_norm",
    "the wrong step in a derivation of the gradient of ||A x - b||", "value", [],
    lambda rng: [Case((), "the step number")], lambda: 4,
    hints=[(f"step-{k}", lambda k=k: k, msg) for k, msg in _STEP_NORM.items()],
    task="spot-error")


def _Axb_cases(rng):
    return [Case((rng.normal(size=n), rng.normal(size=(m, n)), rng.normal(size=m)),
                 f"A of shape ({m}, {n})") for m, n in ((5, 3), (2, 4), (4, 4))]


def _grad_res_norm(x, A, b):
    r = A @ x - b
    return A.T @ r / np.linalg.norm(r)


_ex("gradients/spot-error-norm-fixed", "grad_residual_norm",
    "f(x) = ||A x - b||_2", "gradient", ["x", "A", "b"],
    _Axb_cases, _grad_res_norm,
    hints=[("missing-norm", lambda x, A, b: A.T @ (A @ x - b),
            "That is the planted mistake: the outer derivative of s^{1/2} is 1/(2 s^{1/2}), "
            "not 1/2: a factor 1/||A x - b|| is missing."),
           ("norm-squared-denominator",
            lambda x, A, b: A.T @ (A @ x - b) / np.sum((A @ x - b) ** 2),
            "Divide by ||A x - b||, not by ||A x - b||^2: the chain rule gives "
            "(1/2)(r^T r)^{-1/2}.")])


# --- own checks ---------------------------------------------------------------------------------

def _fn(fn, name):
    """fn under a readable name (shown in a verdict's input row)."""
    def g(x):
        return fn(x)
    g.__name__ = g.__qualname__ = name
    return g


def _num_grad(f, x, h=None):
    x = np.asarray(x, dtype=float)
    h = 1e-6 * max(1.0, float(np.max(np.abs(x)))) if h is None else h
    G = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        e = np.zeros_like(x)
        e[idx] = h
        G[idx] = (f(x + e) - f(x - e)) / (2 * h)
    return G


def _rel_close(g, fd, tol=1e-5):
    g, fd = np.asarray(g, dtype=float), np.asarray(fd, dtype=float)
    if g.shape != fd.shape:
        return False
    return bool(np.linalg.norm(g - fd) <= tol * max(np.linalg.norm(g), np.linalg.norm(fd)))


def _grad_ok(f, grad_f, x):
    """1.0 when grad_f(x) is the gradient of f at x (central differences, relative), else 0."""
    return float(_rel_close(grad_f(x), _num_grad(f, x)))


def _plants(rng, orthogonal=False):
    d = 4
    A = _nonsym(rng, d)
    b = rng.normal(size=d)
    x = rng.normal(size=d)
    qf = _fn(lambda x: x @ A @ x, "x_A_x")
    g = _fn(lambda x: (A + A.T) @ x, "A_plus_At_x")

    def last_off(x):
        v = (A + A.T) @ x
        v[-1] += 0.5 * np.linalg.norm(v)
        return v

    def ortho(x):
        v = (A + A.T) @ x
        return v + 0.5 * np.linalg.norm(v) * np.array([1.0, -1.0, 0.0, 0.0]) / np.sqrt(2)
    big = _fn(lambda x: 1e6 * (x @ A @ x), "big_x_A_x")
    big_g = _fn(lambda x: 1e6 * ((A + A.T) @ x), "big_grad")
    half = _fn(lambda x: 0.5 * (x @ x), "half_sq_norm")
    ident = _fn(lambda x: np.array(x, dtype=float), "identity")
    rows = [
        (qf, g, x, "right: (A + A^T) x"),
        (qf, _fn(lambda x: 2 * A @ x, "two_A_x"), x, "wrong: 2 A x (A not symmetric)"),
        (qf, _fn(lambda x: 2 * (A + A.T) @ x, "twice"), x, "wrong: a factor 2"),
        (qf, _fn(lambda x: -(A + A.T) @ x, "minus"), x, "wrong: the sign"),
        (qf, _fn(last_off, "last_coordinate_off"), x, "wrong: only the last coordinate"),
        (_fn(lambda x: x @ A @ x + b @ x, "x_A_x_plus_b_x"), g, x, "wrong: the term b missing"),
        (big, big_g, 100 * x, "right: a large-scale f (f ~ 1e10) at x ~ 100"),
        (half, ident, 1e-8 * x, "right: a tiny gradient at x ~ 1e-8"),
    ]
    if orthogonal:
        rows.append((qf, _fn(ortho, "error_orthogonal_to_ones"), x,
                     "wrong: an error orthogonal to (1, 1, ..., 1)"))
    return [Case((f, gf, pt), label) for f, gf, pt, label in rows]


def _first_coordinate_only(f, grad_f, x):
    h = 1e-6 * max(1.0, float(np.max(np.abs(x))))
    e = np.zeros_like(x)
    e[0] = h
    fd0 = (f(x + e) - f(x - e)) / (2 * h)
    g0 = grad_f(x)[0]
    return float(abs(g0 - fd0) <= 1e-5 * max(abs(g0), abs(fd0)))


def _absolute_tol(f, grad_f, x):
    return float(np.max(np.abs(grad_f(x) - _num_grad(f, x, h=1e-5))) < 1e-6)


def _forward_tiny_h(f, grad_f, x):
    h = 1e-12
    fd = np.array([(f(x + h * e) - f(x)) / h for e in np.eye(len(x))])
    return float(_rel_close(grad_f(x), fd, 1e-6))


_ex("gradients/own-check-coordinates", "check_gradient_by_coordinates",
    "a gradient checker by coordinates (central differences, relative error)", "value",
    ["f", "grad_f", "x"], _plants, _grad_ok,
    hints=[("first-coordinate-only", _first_coordinate_only,
            "Your checker compares one coordinate only: a gradient wrong in its last "
            "coordinate passes. Compare every coordinate, d finite differences."),
           ("absolute-tolerance", _absolute_tol,
            "Your checker compares with an absolute tolerance: for a large-scale f (f ~ 1e10) "
            "rounding error in the finite difference alone exceeds it, and a right gradient is "
            "rejected. Compare the relative error ||g - fd|| / max(||g||, ||fd||)."),
           ("forward-tiny-h", _forward_tiny_h,
            "Your checker uses a one-sided difference with h = 1e-12: rounding error eps |f| / h "
            "swamps it. Use central differences with h around 1e-6 (scaled with |x|).")],
    task="own-check")


def _ones_direction(f, grad_f, x):
    v = np.ones_like(x)
    h = 1e-6 * max(1.0, float(np.max(np.abs(x))))
    fd = (f(x + h * v) - f(x - h * v)) / (2 * h)
    gv = grad_f(x) @ v
    return float(abs(gv - fd) <= 1e-5 * max(abs(gv), abs(fd)))


def _directions_absolute(f, grad_f, x):
    rng = np.random.default_rng(0)
    g = grad_f(x)
    for _ in range(5):
        v = rng.normal(size=x.shape)
        fd = (f(x + 1e-5 * v) - f(x - 1e-5 * v)) / 2e-5
        if abs(g @ v - fd) >= 1e-6:
            return 0.0
    return 1.0


_ex("gradients/own-check-directions", "check_gradient_by_directions",
    "a gradient checker along random directions", "value",
    ["f", "grad_f", "x"], lambda rng: _plants(rng, orthogonal=True), _grad_ok,
    hints=[("one-fixed-direction", _ones_direction,
            "Your checker tests a single fixed direction (1, ..., 1): an error orthogonal to it "
            "passes. Draw several random directions v."),
           ("absolute-tolerance", _directions_absolute,
            "Your checker compares with an absolute tolerance: for a large-scale f (f ~ 1e10) "
            "the difference quotient itself is off by more than that, so a right gradient is "
            "rejected. Divide by ||grad f(x)|| ||v|| (a relative error).")],
    task="own-check")


def _matrix_verdict(f, grad_f, X, *, transpose=True, shape_only=False):
    G = np.asarray(grad_f(X), dtype=float)
    if shape_only:
        return 0.0 if G.shape == X.shape else 1.0 if G.T.shape == X.shape else 2.0
    fd = _num_grad(f, X)
    if _rel_close(G, fd):
        return 0.0
    if transpose and _rel_close(G.T, fd):
        return 1.0
    return 2.0


def _matrix_cases(rng):
    a, b = rng.normal(size=3), rng.normal(size=2)
    X32 = rng.normal(size=(3, 2))
    A = _nonsym(rng, 3)
    X33 = rng.normal(size=(3, 3))
    X24 = rng.normal(size=(2, 4))
    bil = _fn(lambda X: a @ X @ b, "a_X_b")
    tr = _fn(lambda X: np.trace(A @ X), "trace_A_X")
    fro = _fn(lambda X: np.sum(X**2), "frobenius_sq")
    rows = [
        (bil, _fn(lambda X: np.outer(a, b), "a_bT"), X32, "right: a b^T, X of shape (3, 2)"),
        (bil, _fn(lambda X: np.outer(b, a), "b_aT"), X32, "transposed: b a^T, shape (2, 3)"),
        (bil, _fn(lambda X: 2 * np.outer(a, b), "two_a_bT"), X32, "wrong: a factor 2"),
        (tr, _fn(lambda X: A.T, "A_T"), X33, "right: A^T, X of shape (3, 3)"),
        (tr, _fn(lambda X: A, "A"), X33, "transposed: A, same shape as X"),
        (tr, _fn(lambda X: A + A.T, "A_plus_AT"), X33, "wrong: A + A^T"),
        (fro, _fn(lambda X: 2 * X, "two_X"), X24, "right: 2 X, X of shape (2, 4)"),
        (fro, _fn(lambda X: 2 * X.T, "two_XT"), X24, "transposed: 2 X^T, shape (4, 2)"),
        (fro, _fn(lambda X: X, "X"), X24, "wrong: X (the factor 2 missing)"),
    ]
    return [Case((f, gf, X), label) for f, gf, X, label in rows]


_ex("gradients/own-check-transposed", "diagnose_matrix_gradient",
    "a checker that names a transposed matrix gradient (0 right, 1 transposed, 2 wrong)",
    "value", ["f", "grad_f", "X"], _matrix_cases, _matrix_verdict,
    hints=[("no-transpose-test", lambda f, g, X: _matrix_verdict(f, g, X, transpose=False),
            "Your checker calls a transposed gradient just 'wrong' (2): compare the claim's "
            "transpose with the finite-difference gradient too, and return 1 when it matches."),
           ("shape-only", lambda f, g, X: _matrix_verdict(f, g, X, shape_only=True),
            "Your checker looks at shapes only: a square transposed gradient, or one off by a "
            "factor 2, has the right shape. Compare the values with finite differences.")],
    task="own-check")
