"""The exercises of the chapter on Jacobians of vector functions.

Ids ``jacobians/<slug>``. The task texts, hints and worked solutions are in
``exercises/solutions/jacobians.ipynb`` (kept in sync by ``tests/test_exercises.py``).
"""

import numpy as np

from ...activations import sigmoid
from ..spec import Case, _ex, _nonzero_vec

_ex("jacobians/linear-map", "jac_linear_map",
    "f(x) = A x with A of shape (m, n)", "jacobian", ["x", "A"],
    lambda rng: [Case((rng.normal(size=n), rng.normal(size=(m, n))), f"A is {m} x {n}")
                 for m, n in ((2, 3), (4, 2), (3, 3))],
    lambda x, A: np.array(A, dtype=float))

_ex("jacobians/notes-example", "jac_notes_example",
    "f(x) = (2 x1 - x3, x1 + x2)", "jacobian", ["x"],
    lambda rng: [Case((rng.normal(size=3),), "random x") for _ in range(2)],
    lambda x: np.array([[2.0, 0.0, -1.0], [1.0, 1.0, 0.0]]),
    hints=[("gradient-rows-swapped", lambda x: np.array([[1.0, 1.0, 0.0], [2.0, 0.0, -1.0]]),
            "Row i of the Jacobian holds the partial derivatives of output f_i: keep the rows in "
            "the order of the outputs.")])

_ex("jacobians/neg-log", "jac_neg_log",
    "f(x) = -log(x), elementwise (x > 0)", "jacobian", ["x"],
    lambda rng: [Case((rng.uniform(0.2, 3.0, size=d),), f"d = {d}") for d in (2, 3, 5)],
    lambda x: np.diag(-1 / x),
    hints=[("sign", lambda x: np.diag(1 / x),
            "d/dx (-log x) = -1/x: the minus sign is missing.")])

_ex("jacobians/sigmoid-elementwise", "jac_sigmoid",
    "f(z) = sigma(z), elementwise", "jacobian", ["z"],
    lambda rng: [Case((rng.normal(size=d) * 2,), f"d = {d}") for d in (2, 4, 3)],
    lambda z: np.diag(sigmoid(z) * (1 - sigmoid(z))),
    hints=[("outer-product", lambda z: np.outer(sigmoid(z), 1 - sigmoid(z)),
            "An elementwise map has a diagonal Jacobian: output i depends on z_i only, so the "
            "off-diagonal entries are 0.")])

_ex("jacobians/sigmoid-jvp", "jvp_sigmoid",
    "J v for the elementwise sigmoid, without forming J", "value", ["z", "v"],
    lambda rng: [Case((rng.normal(size=d) * 2, rng.normal(size=d)), f"d = {d}")
                 for d in (3, 5, 2)],
    lambda z, v: sigmoid(z) * (1 - sigmoid(z)) * v,
    hints=[("diagonal-only", lambda z, v: sigmoid(z) * (1 - sigmoid(z)),
            "You returned the diagonal of J, not its product with v: every entry of the "
            "diagonal still has to multiply the matching entry of v."),
           ("sigma-not-derivative", lambda z, v: sigmoid(z) * v,
            "The diagonal of J holds the derivative sigma'(z_i), not sigma(z_i) itself.")])

_ex("jacobians/square-then-mix", "jac_square_then_mix",
    "f(x) = A (x * x) (elementwise square, A of shape (m, n))",
    "jacobian", ["x", "A"],
    lambda rng: [Case((rng.normal(size=n), rng.normal(size=(m, n))), f"A is {m} x {n}")
                 for m, n in ((2, 3), (3, 3), (4, 2))],
    lambda x, A: 2 * A * x[None, :],
    hints=[("dropped-x", lambda x, A: 2 * A,
            "The inner Jacobian of x * x is diag(2x), not 2: the chain rule gives "
            "A diag(2x), which scales column j of A by 2 x_j.")])


def _norm_cases(rng):
    out = []
    for d, scale in ((3, 2.0), (2, 0.6), (5, 1.5)):
        x = _nonzero_vec(rng, d) * scale
        out.append(Case((x,), f"d = {d}, ||x|| = {np.linalg.norm(x):.2f}"))
    return out


def _normalise_jac(x):
    nx = np.linalg.norm(x)
    u = x / nx
    return (np.eye(x.size) - np.outer(u, u)) / nx


_ex("jacobians/normalisation", "jac_normalise",
    "f(x) = x / ||x||", "jacobian", ["x"], _norm_cases, _normalise_jac,
    hints=[("norm-held-constant", lambda x: np.eye(x.size) / np.linalg.norm(x),
            "That treats ||x|| as a constant: the norm depends on x too, and its derivative "
            "(the quotient rule) contributes a second term."),
           ("dropped-norm", lambda x: _normalise_jac(x) * np.linalg.norm(x),
            "The projection part is right, but the overall factor 1/||x|| is missing: "
            "x/||x|| shrinks when x grows.")])

_ex("jacobians/dot-times-x", "jac_dot_times_x",
    "f(x) = (a^T x) x", "jacobian", ["x", "a"],
    lambda rng: [Case((rng.normal(size=d), rng.normal(size=d)), f"d = {d}")
                 for d in (3, 4, 2)],
    lambda x, a: np.outer(x, a) + (a @ x) * np.eye(x.size),
    hints=[("outer-order", lambda x, a: np.outer(a, x) + (a @ x) * np.eye(x.size),
            "The outer product is in the wrong order: row i holds the derivatives of f_i = "
            "(a^T x) x_i, so the vector that varies down the rows is the one multiplying "
            "(a^T x).")],
    terms=lambda x, a: {"x a^T": np.outer(x, a), "(a^T x) I": (a @ x) * np.eye(x.size)})

_ex("jacobians/x-norm-squared", "jac_x_norm_squared",
    "f(x) = x ||x||^2", "jacobian", ["x"], _norm_cases,
    lambda x: (x @ x) * np.eye(x.size) + 2 * np.outer(x, x),
    hints=[("norm-derivative-factor", lambda x: (x @ x) * np.eye(x.size) + np.outer(x, x),
            "The outer-product term is off by a factor: differentiate ||x||^2 = x^T x "
            "carefully (it is a square).")],
    terms=lambda x: {"||x||^2 I": (x @ x) * np.eye(x.size), "2 x x^T": 2 * np.outer(x, x)})

_ex("jacobians/polar", "jac_polar",
    "f(r, theta) = (r cos theta, r sin theta)", "jacobian", ["v"],
    lambda rng: [Case((np.array([r, t]),), f"r = {r}, theta = {t}")
                 for r, t in ((1.5, 0.3), (0.7, 2.0), (2.2, -1.1))],
    lambda v: np.array([[np.cos(v[1]), -v[0] * np.sin(v[1])],
                        [np.sin(v[1]), v[0] * np.cos(v[1])]]))


def _spherical_cases(rng):
    return [Case((np.array(v),), f"r = {v[0]}, theta = {v[1]}, phi = {v[2]}")
            for v in ((1.5, 0.7, 0.4), (0.6, 2.1, -1.2), (2.3, 1.1, 2.5))]


def _spherical_jac(v):
    r, t, p = v
    return np.array([[np.sin(t) * np.cos(p), r * np.cos(t) * np.cos(p), -r * np.sin(t) * np.sin(p)],
                     [np.sin(t) * np.sin(p), r * np.cos(t) * np.sin(p), r * np.sin(t) * np.cos(p)],
                     [np.cos(t), -r * np.sin(t), 0.0]])


def _spherical_jac_sign(v):
    J = _spherical_jac(v)
    J[2, 1] = -J[2, 1]
    return J


_ex("jacobians/spherical", "jac_spherical",
    "f(r, theta, phi) = (r sin theta cos phi, r sin theta sin phi, r cos theta)", "jacobian",
    ["v"], _spherical_cases, _spherical_jac,
    hints=[("sign-cos-derivative", _spherical_jac_sign,
            "Check the sign of the derivative of r cos theta with respect to theta (last row).")])

_ex("jacobians/spherical-determinant", "det_spherical",
    "det of the Jacobian of the spherical-coordinate map", "value", ["v"], _spherical_cases,
    lambda v: v[0] ** 2 * np.sin(v[1]),
    hints=[("r-not-squared", lambda v: v[0] * np.sin(v[1]),
            "That is the power of r of the polar map (two coordinates); here two columns of "
            "the Jacobian carry a factor r."),
           ("wrong-angle", lambda v: v[0] ** 2 * np.sin(v[2]),
            "The determinant does not depend on the azimuth phi (rotating about the z-axis "
            "does not change volumes); it depends on the other angle.")])

_ex("jacobians/linear-approximation", "linear_approx",
    "f(x0) + J(x0) dx for f(x) = A tanh(x)", "value",
    ["x0", "dx", "A"],
    lambda rng: [Case((rng.normal(size=n), 0.01 * rng.normal(size=n), rng.normal(size=(m, n))),
                      f"A is {m} x {n}") for m, n in ((2, 3), (3, 2), (3, 3))],
    lambda x0, dx, A: A @ np.tanh(x0) + A @ ((1 - np.tanh(x0) ** 2) * dx),
    hints=[("value-only", lambda x0, dx, A: A @ np.tanh(x0),
            "You returned f(x0) only; add the first-order change J(x0) dx."),
           ("exact", lambda x0, dx, A: A @ np.tanh(x0 + dx),
            "That is the exact value f(x0 + dx); the exercise asks for the linear approximation "
            "f(x0) + J(x0) dx.")],
    terms=lambda x0, dx, A: {"f(x0)": A @ np.tanh(x0),
                             "J dx": A @ ((1 - np.tanh(x0) ** 2) * dx)})

_ex("jacobians/layout-translation", "jac_from_denominator_layout",
    "f(x) = A x + B^T x from denominator-layout identities", "jacobian", ["x", "A", "B"],
    lambda rng: [Case((rng.normal(size=n), rng.normal(size=(m, n)), rng.normal(size=(n, m))),
                      f"A is {m} x {n}, B is {n} x {m}") for m, n in ((2, 3), (4, 2), (3, 3))],
    lambda x, A, B: A + B.T,
    hints=[("b-not-transposed", lambda x, A, B: A + B.reshape(A.shape),
            "The term with B is not translated: reshaping B changes its shape but not its "
            "layout; a change of layout is a transpose.")],
    terms=lambda x, A, B: {"A": np.array(A, dtype=float), "B^T": B.T})


def _layout_cases(rng):
    out = []
    for m, n, denominator in ((2, 3, True), (4, 2, False), (3, 5, True), (5, 2, True),
                              (2, 4, False)):
        J = rng.normal(size=(m, n))
        G = J.T.copy() if denominator else J
        out.append(Case((G, m, n), f"f: R^{n} -> R^{m}, G is {G.shape[0]} x {G.shape[1]}"))
    return out


def _to_numerator(G, m, n):
    G = np.array(G, dtype=float)
    return G if G.shape == (m, n) else G.T


_ex("jacobians/layout-recognition", "jac_to_numerator_layout",
    "recognise the layout of a derivative from its shape", "jacobian", ["G", "m", "n"],
    _layout_cases, _to_numerator,
    hints=[("reshape-not-transpose", lambda G, m, n: np.array(G, dtype=float).reshape(m, n),
            "Reshaping gives the right shape but scrambles the entries: the two layouts are "
            "transposes of each other, so a denominator-layout matrix must be transposed.")])


# --- shapes first: the tuple of shapes of every intermediate and derivative -------------------

def _sizes_cases(names, sizes):
    return lambda rng: [Case(s, ", ".join(f"{k} = {v}" for k, v in zip(names, s, strict=True)))
                        for s in sizes]


def _affine_shapes(m, n, denominator=False, bias_vec=False, grad_out=False):
    return ((n,), (m, n), (m,), (m,), (n, m) if denominator else (m, n),
            (m,) if bias_vec else (m, m), (m, m, n), (m,), (m,) if grad_out else (n,))


_ex("jacobians/shapes-affine-layer", "shapes_affine_layer",
    "the shapes in an affine layer y = A x + b", "value", ["m", "n"],
    _sizes_cases("mn", ((3, 2), (2, 5), (4, 3))), _affine_shapes,
    hints=[("denominator-layout", lambda m, n: _affine_shapes(m, n, denominator=True),
            "The Jacobian in x is in denominator layout (n x m): this book writes one row per "
            "output."),
           ("bias-jacobian-as-vector", lambda m, n: _affine_shapes(m, n, bias_vec=True),
            "The Jacobian of y in b is a matrix, not a vector: each of the m outputs has a "
            "derivative in each of the m entries of b (most of them 0)."),
           ("gradient-in-x-sized-like-y", lambda m, n: _affine_shapes(m, n, grad_out=True),
            "The gradient in x has the shape of x, not of y: the backward pass multiplies by "
            "the transposed Jacobian.")],
    task="shapes")


def _sigmoid_shapes(N, n, jac_vec=False, blocks=False, jvp_matrix=False):
    return ((n,), (n,), (n,), (n,) if jac_vec else (n, n), (n,), (n, n) if jvp_matrix else (n,),
            (N, n), (N, n), (N, n, n) if blocks else (N, n, N, n))


_ex("jacobians/shapes-sigmoid", "shapes_elementwise_sigmoid",
    "the shapes of the elementwise sigmoid's derivatives, for a vector and for a batch",
    "value", ["N", "n"],
    _sizes_cases(("N", "n"), ((4, 3), (2, 5), (6, 2))), _sigmoid_shapes,
    hints=[("jacobian-as-vector", lambda N, n: _sigmoid_shapes(N, n, jac_vec=True),
            "The Jacobian of the elementwise sigmoid is a matrix: it is diagonal, and its "
            "diagonal is the vector of derivatives, but the Jacobian itself has one row per "
            "output and one column per input."),
           ("jvp-as-matrix", lambda N, n: _sigmoid_shapes(N, n, jvp_matrix=True),
            "J v is a matrix times a vector: a vector."),
           ("per-example-blocks", lambda N, n: _sigmoid_shapes(N, n, blocks=True),
            "That is the stack of the examples' own Jacobians (the nonzero blocks). The full "
            "derivative of an array in an array has the output's shape followed by the "
            "input's.")],
    task="shapes")


def _matrix_map_shapes(m, n, p, input_first=False, vec_t=False, vec_column=False):
    vec = (lambda k: (k, 1)) if vec_column else (lambda k: (k,))
    return ((m, n), (p, m), (p, n), (m, n, p, n) if input_first else (p, n, m, n),
            vec(m * n), vec(p * n), (m * n, p * n) if vec_t else (p * n, m * n))


_ex("jacobians/shapes-matrix-map", "shapes_matrix_map_jacobian",
    "the shapes of the Jacobian of F(X) = A X: a 4-index array and a vec matrix", "value",
    ["m", "n", "p"],
    _sizes_cases("mnp", ((2, 3, 4), (3, 5, 2), (4, 2, 3))), _matrix_map_shapes,
    hints=[("input-axes-first", lambda m, n, p: _matrix_map_shapes(m, n, p, input_first=True),
            "The 4-index array puts the input's axes first. autograd's layout, like numerator "
            "layout, puts the output's axes first: F(X).shape + X.shape."),
           ("vec-denominator-layout", lambda m, n, p: _matrix_map_shapes(m, n, p, vec_t=True),
            "The vec Jacobian is in denominator layout. In numerator layout it has one row per "
            "entry of vec(F) and one column per entry of vec(X)."),
           ("vec-as-column", lambda m, n, p: _matrix_map_shapes(m, n, p, vec_column=True),
            "vec(X) is written as a column (k, 1); in NumPy, and in this question, a vector of "
            "length k has shape (k,).")],
    task="shapes")


def _dot_times_x_shapes(n, jac_as_grad=False, outer_scalar=False):
    return ((), (n,) if jac_as_grad else (1, n), (n,), (n, n), (n,),
            () if outer_scalar else (n, n), (n, n), (n, n))


_ex("jacobians/shapes-product-rule", "shapes_dot_times_x",
    "the shapes in the product rule for f(x) = (a^T x) x", "value", ["n"],
    _sizes_cases("n", ((3,), (5,), (2,))), _dot_times_x_shapes,
    hints=[("scalar-jacobian-as-gradient", lambda n: _dot_times_x_shapes(n, jac_as_grad=True),
            "The Jacobian of the scalar a^T x is written with the gradient's shape. In "
            "numerator layout a map from R^n to R (one output) has a 1 x n Jacobian; the "
            "gradient is its transpose, shaped like x."),
           ("outer-product-as-scalar", lambda n: _dot_times_x_shapes(n, outer_scalar=True),
            "x a^T is a column times a row: an outer product, a matrix. The inner product is "
            "a^T x.")],
    task="shapes")
