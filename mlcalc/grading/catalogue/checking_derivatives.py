"""The exercises of the chapter on checking derivatives numerically.

Ids ``checking_derivatives/<slug>``. The task texts, hints and worked solutions are in
``exercises/solutions/checking_derivatives.ipynb`` (kept in sync by ``tests/test_exercises.py``).
"""

import numpy as np

from ..spec import Case, _ex


def _cubic(x):
    return x**3 - 2 * x


def _fd_cases(rng):
    return [Case((np.sin, 0.7, 1e-3), "f = sin, x = 0.7, h = 1e-3"),
            Case((np.exp, -0.4, 1e-2), "f = exp, x = -0.4, h = 1e-2"),
            Case((_cubic, 1.3, 1e-1), "f(x) = x^3 - 2x, x = 1.3, h = 0.1")]


_ex("checking_derivatives/forward-difference", "forward_diff",
    "the forward difference (f(x + h) - f(x))/h",
    "estimate", ["f", "x", "h"], _fd_cases,
    lambda f, x, h: (f(x + h) - f(x)) / h,
    hints=[("central", lambda f, x, h: (f(x + h) - f(x - h)) / (2 * h),
            "That is the central difference; the exercise asks for the forward difference "
            "(f(x + h) - f(x))/h.")],
    rtol=1e-9)

_ex("checking_derivatives/central-difference", "central_diff",
    "the central difference", "estimate",
    ["f", "x", "h"], _fd_cases,
    lambda f, x, h: (f(x + h) - f(x - h)) / (2 * h),
    hints=[("forward", lambda f, x, h: (f(x + h) - f(x)) / h,
            "That is the forward difference; the central one uses both sides: "
            "(f(x + h) - f(x - h)) / (2h).")],
    rtol=1e-9)


def _quartic(x):
    return np.sum(x**4) + x[0] * x[-1]


def _grad_cases(rng):
    return [Case((_quartic, rng.normal(size=3), 1e-5), "d = 3"),
            Case((np.linalg.norm, rng.normal(size=4), 1e-5), "f = norm, d = 4"),
            Case((_quartic, rng.normal(size=2), 1e-4), "d = 2")]


def _num_grad(f, x, h):
    g = np.zeros(len(x))
    for i in range(len(x)):
        e = np.zeros(len(x))
        e[i] = h
        g[i] = (f(x + e) - f(x - e)) / (2 * h)
    return g


_ex("checking_derivatives/numerical-gradient", "num_grad",
    "a central-difference gradient", "estimate",
    ["f", "x", "h"], _grad_cases, _num_grad,
    hints=[("one-step-for-all", lambda f, x, h: np.full(len(x), (f(x + h) - f(x - h)) / (2 * h)),
            "Perturb one coordinate at a time: x + h e_i, where e_i is the i-th unit vector, not "
            "x + h (which moves every coordinate).")])


def _dir_cases(rng):
    return [Case((_quartic, rng.normal(size=3), rng.normal(size=3), 1e-5), "d = 3"),
            Case((np.linalg.norm, rng.normal(size=4), rng.normal(size=4), 1e-5),
                 "f = norm, d = 4")]


_ex("checking_derivatives/directional", "dir_diff",
    "a central difference along a direction v",
    "estimate", ["f", "x", "v", "h"], _dir_cases,
    lambda f, x, v, h: (f(x + h * v) - f(x - h * v)) / (2 * h))

_ex("checking_derivatives/relative-error", "rel_error",
    "relative error ||a - b|| / (||a|| + ||b||)",
    "estimate", ["a", "b"],
    lambda rng: [Case((rng.normal(size=d), rng.normal(size=d)), f"d = {d}") for d in (3, 5)]
    + [Case((np.array([1.0, 2.0]), np.array([1.0, 2.0 + 1e-6])), "nearly equal")],
    lambda a, b: np.linalg.norm(a - b) / (np.linalg.norm(a) + np.linalg.norm(b)),
    hints=[("one-sided", lambda a, b: np.linalg.norm(a - b) / np.linalg.norm(a),
            "Divide by ||a|| + ||b||, not by ||a|| alone: the measure must not depend on which "
            "of the two you call the reference.")])

_ex("checking_derivatives/richardson", "richardson",
    "Richardson extrapolation (4 D(h/2) - D(h))/3",
    "estimate", ["f", "x", "h"], _fd_cases,
    lambda f, x, h: (4 * (f(x + h / 2) - f(x - h / 2)) / h - (f(x + h) - f(x - h)) / (2 * h))
    / 3,
    hints=[("average", lambda f, x, h: ((f(x + h / 2) - f(x - h / 2)) / h
                                        + (f(x + h) - f(x - h)) / (2 * h)) / 2,
            "Averaging D(h) and D(h/2) keeps the h^2 error; the weights 4/3 and -1/3 cancel it.")],
    rtol=1e-8)


# ------------------------------------------------------------------------------------------------
# spot the error, and implement the corrected result
# ------------------------------------------------------------------------------------------------

def _step_hints(steps, wrong):
    return [(f"step-{k}", lambda k=k: float(k), msg) for k, msg in steps.items() if k != wrong]


_ex("checking_derivatives/spot-forward-order", "wrong_step_forward_diff_order",
    "the wrong step in the forward difference's error order", "value", [],
    lambda rng: [Case(())], lambda: 3.0,
    hints=_step_hints({
        1: "Step 1 is right: it is Taylor's formula to second order, with an O(h^3) remainder. "
           "Look at what is concluded from the quotient.",
        2: "Step 2 is right: subtracting f(x) and dividing by h lowers every power of h by one. "
           "Compare its leading error term with the claim that follows.",
        4: "Step 4 is right: each evaluation of f is rounded with a relative error about eps, "
           "and the quotient divides that by h. Look at the step that names the order of the "
           "truncation error.",
        5: "Step 5 is right: h|f''|/2 = eps|f|/h gives h ~ sqrt(eps). Look at an earlier step.",
    }, 3), task="spot-error")


def _d2_cases(rng):
    return [Case((np.exp, 0.3, 0.1), "f = exp (f'' = exp), x = 0.3, h = 0.1"),
            Case((lambda x: -np.sin(x), 0.7, 0.05), "f = sin (f'' = -sin), x = 0.7, h = 0.05"),
            Case((lambda x: 6 * x, 1.3, 0.2), "f(x) = x^3 - 2x (f'' = 6x), x = 1.3, h = 0.2")]


_ex("checking_derivatives/forward-leading-error", "forward_diff_leading_error",
    "the leading error term (h/2) f''(x) of the forward difference", "estimate",
    ["d2f", "x", "h"], _d2_cases, lambda d2f, x, h: h / 2 * d2f(x),
    hints=[("second-order", lambda d2f, x, h: h**2 / 2 * d2f(x),
            "That is the O(h^2) error the wrong step 3 claims. Dividing the Taylor term "
            "(h^2/2) f''(x) by h leaves a term of first order in h.")],
    rtol=1e-9)

_ex("checking_derivatives/spot-rel-error-norm", "wrong_step_rel_error_norm",
    "the wrong step in a scale-free relative error", "value", [],
    lambda rng: [Case(())], lambda: 3.0,
    hints=_step_hints({
        1: "Step 1 is right: it only names the two gradients, both of the shape of x. Look at "
           "what the difference is divided by.",
        2: "Step 2 is right: both gradients are linear in f, so the norm of their difference "
           "scales with c. Check whether the denominator chosen next scales the same way.",
        4: "Step 4 is right for the denominator ||g|| + ||n||: the triangle inequality bounds "
           "||g - n|| by it. Is that the denominator of step 3?",
        5: "Step 5 is right: central differences in float64 are accurate to about 1e-10 "
           "relative, far below 1e-6. Look at an earlier step.",
    }, 3), task="spot-error")


def _quartic_grad(x):
    g = 4 * x**3
    g[0] += x[-1]
    g[-1] += x[0]
    return g


def _scaled(f, c):
    return lambda x: c * f(x)


def _rel_cases(rng):
    x1, x2, x3 = rng.normal(size=3), rng.normal(size=4), rng.normal(size=5)

    def missing(x):
        return 4 * x**3

    def one_off(x):
        g = _quartic_grad(x)
        g[1] += 1.0
        return g
    return [Case((_quartic, lambda x: 2 * _quartic_grad(x), x1, 1e-5),
                 "d = 3, a gradient off by a factor 2"),
            Case((_quartic, missing, x2, 1e-5), "d = 4, the coupling term missing"),
            Case((_scaled(_quartic, 1e6), lambda x: 1e6 * one_off(x), x3, 1e-5),
                 "d = 5, f scaled by 1e6, one entry off")]


def _grad_rel_error(f, grad_f, x, h):
    g = np.asarray(grad_f(x), dtype=float)
    n = _num_grad(f, x, h)
    return np.linalg.norm(g - n) / (np.linalg.norm(g) + np.linalg.norm(n))


_ex("checking_derivatives/grad-rel-error", "grad_rel_error",
    "the relative error of a claimed gradient", "estimate",
    ["f", "grad_f", "x", "h"], _rel_cases, _grad_rel_error,
    hints=[("divided-by-x", lambda f, grad_f, x, h:
            np.linalg.norm(grad_f(x) - _num_grad(f, x, h)) / np.linalg.norm(x),
            "You divided by ||x||, the planted mistake of step 3: the size of the point does "
            "not scale with f. Divide by ||g|| + ||n||."),
           ("one-sided", lambda f, grad_f, x, h:
            np.linalg.norm(grad_f(x) - _num_grad(f, x, h)) / np.linalg.norm(grad_f(x)),
            "You divided by ||g|| alone: divide by ||g|| + ||n||, which does not depend on "
            "which of the two you call the reference and never vanishes unless both do.")],
    rtol=1e-6)


# ------------------------------------------------------------------------------------------------
# write your own checker: planted right and wrong derivatives; the verdict is 1.0 (right) or 0.0
# ------------------------------------------------------------------------------------------------

def _num_grad_any(f, X, h=1e-5):
    """Central differences for f of an array X of any shape (the reference's own check)."""
    X = np.asarray(X, dtype=float)
    G = np.zeros(X.shape)
    for i in np.ndindex(X.shape):
        E = np.zeros(X.shape)
        E[i] = h * max(1.0, abs(X[i]))
        G[i] = (f(X + E) - f(X - E)) / (2 * E[i])
    return G


def _num_jac(F, x, h=1e-5):
    x = np.asarray(x, dtype=float)
    cols = []
    for i in range(len(x)):
        e = np.zeros(len(x))
        e[i] = h * max(1.0, abs(x[i]))
        cols.append((np.asarray(F(x + e)) - np.asarray(F(x - e))) / (2 * e[i]))
    return np.stack(cols, axis=1)


def _agree(a, b, tol=1e-6):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if a.shape != b.shape:
        return False
    den = np.linalg.norm(a) + np.linalg.norm(b)
    return bool(den == 0 or np.linalg.norm(a - b) / den < tol)


def _ref_grad_check(f, grad_f, x):
    return float(_agree(grad_f(x), _num_grad_any(f, x)))


def _fd_checker(h, tol, absolute=False, forward=False, coords=None):
    """A checker a learner might write (for the hints)."""
    def chk(f, grad_f, x):
        g = np.asarray(grad_f(x), dtype=float)
        n = np.zeros(len(x))
        for i in range(len(x)):
            e = np.zeros(len(x))
            e[i] = h
            n[i] = (f(x + e) - f(x)) / h if forward else (f(x + e) - f(x - e)) / (2 * h)
        if coords is not None:
            g, n = g[coords], n[coords]
        if absolute:
            return float(np.max(np.abs(g - n)) < tol)
        return float(np.linalg.norm(g - n) / (np.linalg.norm(g) + np.linalg.norm(n)) < tol)
    return chk


def _one_off(grad_f, k, delta=1.0):
    def g(x):
        out = np.array(grad_f(x), dtype=float)
        out[k] += delta
        return out
    return g


def _central_cases(rng):
    x3, x4 = rng.normal(size=3), rng.normal(size=4)
    c = 1e-6
    return [Case((_quartic, _quartic_grad, x3), "right gradient, d = 3"),
            Case((_quartic, lambda x: 2 * _quartic_grad(x), x3), "a gradient off by a factor 2"),
            Case((_quartic, lambda x: -_quartic_grad(x), x4), "a gradient with the wrong sign"),
            Case((_quartic, lambda x: 4 * x**3, x4), "a gradient missing the coupling term"),
            Case((_quartic, _one_off(_quartic_grad, 2), x4), "a gradient wrong at entry 2 only"),
            Case((_scaled(_quartic, 1e6), lambda x: 1e6 * _quartic_grad(x), x3),
                 "right gradient of 1e6 f"),
            Case((_scaled(_quartic, c), lambda x: 2 * c * _quartic_grad(x), x4),
                 "a gradient of 1e-6 f off by a factor 2")]


_ex("checking_derivatives/own-central-check", "check_grad_central",
    "your own central-difference gradient checker", "value",
    ["f", "grad_f", "x"], _central_cases, _ref_grad_check,
    hints=[("absolute-tolerance", _fd_checker(1e-5, 1e-5, absolute=True),
            "Your checker uses an absolute tolerance: it rejects a right gradient of a large f "
            "and accepts a wrong gradient of a tiny f. Compare a relative error."),
           ("forward-tiny-h", _fd_checker(1e-12, 1e-6, forward=True),
            "Your checker rejects right gradients: a forward difference with h = 1e-12 is "
            "rounding noise (its error is about eps |f| / h). Use central differences with h "
            "about 1e-5."),
           ("one-coordinate", _fd_checker(1e-5, 1e-6, coords=[0, 1]),
            "Your checker accepts a gradient that is wrong at one entry: compare every "
            "coordinate, not only the first ones.")], task="own-check")


def _quad(A):
    return lambda x: x @ A @ x


def _ortho_err(x, g, scale=1.0):
    """A gradient whose error is orthogonal to both the all-ones vector and x."""
    d = len(x)
    M = np.stack([np.ones(d), x])
    w = np.linalg.svd(M)[2][-1]          # orthogonal to both rows
    return lambda y: g(y) + scale * w


def _dir_check_cases(rng):
    A3 = rng.normal(size=(3, 3)) + np.triu(np.ones((3, 3)))
    A4 = rng.normal(size=(4, 4)) + np.triu(np.ones((4, 4)))
    x3, x4, x5 = rng.normal(size=3), rng.normal(size=4), rng.normal(size=5)
    return [Case((_quad(A3), lambda x: (A3 + A3.T) @ x, x3), "right gradient of x^T A x"),
            Case((_quad(A3), lambda x: 2 * A3 @ x, x3), "2 A x for a non-symmetric A"),
            Case((_quad(A4), lambda x: A4 @ x, x4), "A x (the A^T x term missing)"),
            Case((_quad(A4), lambda x: -(A4 + A4.T) @ x, x4), "a gradient with the wrong sign"),
            Case((_quartic, _quartic_grad, x5), "right gradient of the quartic, d = 5"),
            Case((_quartic, _ortho_err(x5, _quartic_grad), x5),
                 "an error orthogonal to the all-ones vector and to x"),
            Case((_quartic, _one_off(_quartic_grad, 4, 2.0), x5),
                 "a gradient wrong at entry 4 only")]


def _dir_checker(direction, use_abs=False):
    def chk(f, grad_f, x):
        v = direction(x)
        h = 1e-5
        num = (f(x + h * v) - f(x - h * v)) / (2 * h)
        claim = float(np.asarray(grad_f(x)) @ v)
        if use_abs:
            num, claim = abs(num), abs(claim)
        return float(abs(num - claim) <= 1e-6 * (abs(num) + abs(claim)))
    return chk


_ex("checking_derivatives/own-directional-check", "check_grad_directional",
    "your own directional-derivative checker", "value",
    ["f", "grad_f", "x"], _dir_check_cases, _ref_grad_check,
    hints=[("ones-direction", _dir_checker(lambda x: np.ones(len(x))),
            "Your checker tests only along the all-ones direction: an error orthogonal to it "
            "passes. Draw several random directions from an independent generator."),
           ("x-direction", _dir_checker(lambda x: np.asarray(x, dtype=float)),
            "Your checker tests along x itself: an error orthogonal to x passes. Draw several "
            "random directions, independent of x."),
           ("absolute-values", _dir_checker(lambda x: np.random.default_rng(0).normal(
               size=len(x)), use_abs=True),
            "Your checker compares absolute values of the two directional derivatives: a "
            "gradient with the wrong sign passes. Compare the signed numbers.")], task="own-check")


def _scale_cases(rng):
    x3, x4 = rng.normal(size=3), rng.normal(size=4)
    out = []
    for c, name in ((1e-6, "1e-6 f"), (1e6, "1e6 f")):
        out += [Case((_scaled(_quartic, c), lambda x, c=c: c * _quartic_grad(x), x3),
                     f"right gradient of {name}"),
                Case((_scaled(_quartic, c), lambda x, c=c: 1.5 * c * _quartic_grad(x), x4),
                     f"a gradient of {name} off by a factor 1.5"),
                Case((_scaled(_quartic, c), _one_off(lambda x, c=c: c * _quartic_grad(x), 1,
                                                      c), x4),
                     f"a gradient of {name} wrong at entry 1 only")]
    out.append(Case((_scaled(_quartic, 1e6), lambda x: 1e6 * _quartic_grad(x), 1e3 * x3),
                    "right gradient of 1e6 f at a point of size 1e3"))
    return out


_ex("checking_derivatives/own-scale-check", "check_grad_any_scale",
    "your own gradient checker, at any scale of f", "value",
    ["f", "grad_f", "x"], _scale_cases, _ref_grad_check,
    hints=[("absolute-tolerance", _fd_checker(1e-5, 1e-5, absolute=True),
            "Your checker uses an absolute tolerance: at the scale 1e-6 every gradient passes, "
            "at the scale 1e6 none does. Compare a relative error."),
           ("tiny-step", _fd_checker(1e-10, 1e-8),
            "Your checker rejects right gradients at large scales: with h = 1e-10 the rounding "
            "error eps |f| / h swamps the quotient. Use h about 1e-5 (eps^(1/3)), scaled with "
            "|x| when x is large.")], task="own-check")


def _tanh_map(W):
    return lambda x: np.tanh(W @ x)


def _tanh_jac(W):
    return lambda x: (1 - np.tanh(W @ x)**2)[:, None] * W


def _poly_map(x):
    return np.array([x @ x, x[0] * x[1] * x[2], np.sum(np.sin(x))])[:2]


def _poly_jac(x):
    j2 = np.zeros(len(x))
    j2[0], j2[1], j2[2] = x[1] * x[2], x[0] * x[2], x[0] * x[1]
    return np.stack([2 * x, j2])


def _jac_cases(rng):
    W34 = rng.normal(size=(3, 4))
    W52 = rng.normal(size=(5, 2))
    x4, x2, x5 = rng.normal(size=4), rng.normal(size=2), rng.normal(size=5)
    return [Case((_tanh_map(W34), _tanh_jac(W34), x4), "right Jacobian of tanh(W x), m = 3, n = 4"),
            Case((_tanh_map(W34), lambda x: _tanh_jac(W34)(x).T, x4),
                 "the transposed Jacobian, shape (n, m)"),
            Case((_tanh_map(W34), lambda x: W34, x4), "W: the derivative of tanh forgotten"),
            Case((_tanh_map(W52), _tanh_jac(W52), x2), "right Jacobian, m = 5, n = 2"),
            Case((_tanh_map(W52), _one_off(_tanh_jac(W52), 3), x2), "row 3 wrong"),
            Case((_poly_map, _poly_jac, x5),
                 "right Jacobian of (x^T x, x_0 x_1 x_2), m = 2, n = 5"),
            Case((_poly_map, lambda x: _poly_jac(x) * np.array([[1.0], [-1.0]]), x5),
                 "row 1 with the wrong sign")]


def _ref_jac_check(F, jac_F, x):
    return float(_agree(jac_F(x), _num_jac(F, x)))


def _jac_checker(layout="numerator", rows=None):
    def chk(F, jac_F, x):
        J = np.asarray(jac_F(x), dtype=float)
        N = _num_jac(F, x)
        if layout == "denominator":
            N = N.T
        if rows is not None:
            J, N = J[rows], N[rows]
        return float(_agree(J, N))
    return chk


_ex("checking_derivatives/own-jacobian-check", "check_jacobian",
    "your own Jacobian checker for a map R^n -> R^m", "value",
    ["F", "jac_F", "x"], _jac_cases, _ref_jac_check,
    hints=[("denominator-layout", _jac_checker("denominator"),
            "Your checker builds the numerical Jacobian with one row per input (n x m): it "
            "rejects right Jacobians and accepts transposed ones. Column j of the m x n Jacobian "
            "is (F(x + h e_j) - F(x - h e_j)) / (2h)."),
           ("first-row", _jac_checker(rows=[0]),
            "Your checker compares only the first row (the first output): a Jacobian wrong in a "
            "later row passes. Compare all m rows.")], task="own-check")


def _tr_AX(A):
    return lambda X: np.trace(A @ X)


def _aXb(a, b):
    return lambda X: a @ X @ b


def _XB2(B):
    return lambda X: np.sum((X @ B)**2)


def _transp_cases(rng):
    A = rng.normal(size=(3, 3)) + np.triu(np.ones((3, 3)))
    a, b = rng.normal(size=4), rng.normal(size=4)
    B = rng.normal(size=(3, 3)) + np.triu(np.ones((3, 3)))
    X3, X4, Y3 = rng.normal(size=(3, 3)), rng.normal(size=(4, 4)), rng.normal(size=(3, 3))
    return [Case((_tr_AX(A), lambda X: A.T, X3), "right gradient A^T of tr(A X)"),
            Case((_tr_AX(A), lambda X: A, X3), "A: the transposed gradient of tr(A X)"),
            Case((_tr_AX(A), lambda X: 2 * A.T, X3), "2 A^T: off by a factor 2"),
            Case((_aXb(a, b), lambda X: np.outer(a, b), X4), "right gradient a b^T of a^T X b"),
            Case((_aXb(a, b), lambda X: np.outer(b, a), X4), "b a^T: transposed"),
            Case((_aXb(a, b), lambda X: np.outer(a, b) + np.outer(b, a), X4),
                 "a b^T + b a^T: symmetrised"),
            Case((_XB2(B), lambda X: 2 * X @ B @ B.T, Y3),
                 "right gradient 2 X B B^T of ||X B||^2"),
            Case((_XB2(B), lambda X: 2 * B @ B.T @ X.T, Y3), "2 B B^T X^T: transposed"),
            Case((_XB2(B), lambda X: -2 * X @ B @ B.T, Y3), "a gradient with the wrong sign")]


def _ref_transp_check(f, grad_f, X):
    G, N = np.asarray(grad_f(X), dtype=float), _num_grad_any(f, X)
    if _agree(G, N):
        return 0.0
    return 1.0 if _agree(G.T, N) else 2.0


def _transp_checker(first_transposed=False, codes=(0.0, 1.0, 2.0)):
    def chk(f, grad_f, X):
        G, N = np.asarray(grad_f(X), dtype=float), _num_grad_any(f, X)
        if _agree(G, N):
            return codes[0]
        if first_transposed is None:
            return codes[2]
        return codes[1] if _agree(G.T, N) else codes[2]
    return chk


_ex("checking_derivatives/own-transposed-check", "check_grad_transposed",
    "your own checker that tells a transposed gradient from a wrong one", "value",
    ["f", "grad_f", "X"], _transp_cases, _ref_transp_check,
    hints=[("never-transposed", _transp_checker(first_transposed=None),
            "Your checker never answers 1: when the gradient is wrong, compare its transpose "
            "with the numerical gradient too before you answer 2."),
           ("codes-swapped", _transp_checker(codes=(0.0, 2.0, 1.0)),
            "Your checker swaps the codes: answer 1 for a transposed gradient and 2 for any "
            "other wrong one.")], task="own-check")


def _hvp_quad(A):
    return lambda x: (A + A.T) @ x


def _expq(x):
    return np.exp(x) + _quartic_grad(x)


def _hvp_cases(rng):
    A3 = rng.normal(size=(3, 3)) + np.triu(np.ones((3, 3)))
    x3, x4, x5 = rng.normal(size=3), rng.normal(size=4), rng.normal(size=5)

    def hvp_exp(x, v):
        h = np.exp(x) * v + 12 * x**2 * v
        h[0] += v[-1]
        h[-1] += v[0]
        return h
    return [Case((_hvp_quad(A3), lambda x, v: (A3 + A3.T) @ v, x3),
                 "right H v = (A + A^T) v of x^T A x"),
            Case((_hvp_quad(A3), lambda x, v: 2 * A3 @ v, x3), "2 A v for a non-symmetric A"),
            Case((_hvp_quad(A3), lambda x, v: (A3 + A3.T) @ x, x3), "H x instead of H v"),
            Case((_expq, hvp_exp, x4), "right H v of sum(exp(x)) + the quartic, d = 4"),
            Case((_expq, lambda x, v: np.exp(x) + 12 * x**2, x4),
                 "the Hessian's diagonal instead of H v"),
            Case((_expq, lambda x, v: hvp_exp(x, v) - np.exp(x) * v, x5),
                 "the exp term missing, d = 5"),
            Case((lambda x: 1e6 * _expq(x), lambda x, v: 1e6 * hvp_exp(x, v), x5),
                 "right H v of 1e6 f")]


def _ref_hvp_check(grad_f, hvp_f, x):
    rng = np.random.default_rng(12345)
    for _ in range(3):
        v = rng.normal(size=len(x))
        h = 1e-5
        num = (np.asarray(grad_f(x + h * v)) - np.asarray(grad_f(x - h * v))) / (2 * h)
        if not _agree(hvp_f(x, v), num):
            return 0.0
    return 1.0


def _hvp_checker(direction, absolute=False):
    def chk(grad_f, hvp_f, x):
        v = direction(x)
        h = 1e-5
        num = (np.asarray(grad_f(x + h * v)) - np.asarray(grad_f(x - h * v))) / (2 * h)
        hv = np.asarray(hvp_f(x, v), dtype=float)
        if absolute:
            return float(np.max(np.abs(hv - num)) < 1e-5)
        return float(_agree(hv, num))
    return chk


_ex("checking_derivatives/own-hvp-check", "check_hvp",
    "your own Hessian-vector-product checker", "value",
    ["grad_f", "hvp_f", "x"], _hvp_cases, _ref_hvp_check,
    hints=[("x-direction", _hvp_checker(lambda x: np.asarray(x, dtype=float)),
            "Your checker tests the product only with v = x: a function that returns H x "
            "whatever v is passes. Use random directions v, independent of x."),
           ("absolute-tolerance", _hvp_checker(
               lambda x: np.random.default_rng(0).normal(size=len(x)), absolute=True),
            "Your checker uses an absolute tolerance: it rejects a right product for a large f. "
            "Compare a relative error.")], task="own-check")
