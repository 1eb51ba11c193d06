"""mlcalc.symbolic: each result agrees with autograd at random non-square, non-symmetric inputs,
and its LaTeX reads as the book writes it."""

import statistics
import time

import autograd.numpy as anp
import numpy as np
import pytest
from autograd import grad, hessian, jacobian

from mlcalc.symbolic import Derivation, derive

SIZES = {"m": 5, "n": 3, "k": 2, "h": 4, "p": 6}


def _draw(shapes, rng, pd=(), positive=()):
    out = {}
    for name, shape in shapes.items():
        dims = tuple(SIZES[d] if isinstance(d, str) else d for d in shape)
        if name in pd:
            n = dims[0]
            out[name] = 3.0 * np.eye(n) + 0.3 * rng.standard_normal(dims)
        elif name in positive:
            out[name] = rng.uniform(0.5, 1.5, dims)
        else:
            out[name] = rng.standard_normal(dims)
    return out


def _softplus(z):
    return anp.logaddexp(0.0, z)


NET = {"W1": ("h", "n"), "W2": ("m", "h"), "x": ("n",), "y": ("m",)}
LS = {"X": ("m", "n"), "w": ("n",), "y": ("m",)}
GAUSS = {"x": ("n",), "mu": ("n",), "S": ("n", "n")}
MF = {"U": ("m", "k"), "V": ("n", "k"), "M": ("m", "n")}

# (expression, wrt, shapes, the numpy function of all inputs, expected LaTeX or None, pd names)
GRADIENTS = [
    ("x.T @ A @ x", "x", {"x": ("n",), "A": ("n", "n")}, lambda x, A: x @ A @ x,
     r"(A + A^{\top}) \mathbf{x}", ()),
    ("a.T @ X @ b", "X", {"a": ("m",), "X": ("m", "n"), "b": ("n",)}, lambda a, X, b: a @ X @ b,
     r"\mathbf{a} \mathbf{b}^{\top}", ()),
    ("tr(A @ X @ B)", "X", {"A": ("p", "m"), "X": ("m", "n"), "B": ("n", "p")},
     lambda A, X, B: anp.trace(A @ X @ B), r"A^{\top} B^{\top}", ()),
    ("tr(X.T @ A @ X)", "X", {"X": ("m", "n"), "A": ("m", "m")},
     lambda X, A: anp.trace(X.T @ A @ X), r"(A + A^{\top}) X", ()),
    ("logdet(X)", "X", {"X": ("n", "n")}, lambda X: anp.linalg.slogdet(X)[1], r"X^{-\top}",
     ("X",)),
    ("det(X)", "X", {"X": ("n", "n")}, lambda X: anp.linalg.det(X), r"\det(X) X^{-\top}",
     ("X",)),
    ("tr(inv(X) @ A)", "X", {"X": ("n", "n"), "A": ("n", "n")},
     lambda X, A: anp.trace(anp.linalg.inv(X) @ A), r"-X^{-\top} A^{\top} X^{-\top}", ("X",)),
    ("norm(X @ w - y) ** 2", "w", LS, lambda X, w, y: anp.sum((X @ w - y) ** 2),
     r"2 X^{\top} (X \mathbf{w} - \mathbf{y})", ()),
    ("norm(X @ w - y)**2 + lam * norm(w)**2", "w", {**LS, "lam": ()},
     lambda X, w, y, lam: anp.sum((X @ w - y) ** 2) + lam * anp.sum(w ** 2),
     r"2 X^{\top} (X \mathbf{w} - \mathbf{y}) + 2 \lambda \mathbf{w}", ()),
    ("sum(softplus(X @ w)) - y.T @ X @ w", "w", LS,
     lambda X, w, y: anp.sum(_softplus(X @ w)) - y @ X @ w,
     r"X^{\top} (\sigma(X \mathbf{w}) - \mathbf{y})", ()),
    ("0.5 * (x - mu).T @ inv(S) @ (x - mu)", "mu", GAUSS,
     lambda x, mu, S: 0.5 * (x - mu) @ anp.linalg.inv(S) @ (x - mu),
     r"-\frac{1}{2} (S^{-1} + S^{-\top}) (\mathbf{x} - \boldsymbol{\mu})", ("S",)),
    ("0.5 * logdet(S) + 0.5 * (x - mu).T @ inv(S) @ (x - mu)", "S", GAUSS,
     lambda x, mu, S: 0.5 * anp.linalg.slogdet(S)[1]
     + 0.5 * (x - mu) @ anp.linalg.inv(S) @ (x - mu),
     r"\frac{1}{2} S^{-\top} - \frac{1}{2} S^{-\top} (\mathbf{x} - \boldsymbol{\mu}) "
     r"(\mathbf{x} - \boldsymbol{\mu})^{\top} S^{-\top}", ("S",)),
    ("norm(U @ V.T - M) ** 2", "U", MF, lambda U, V, M: anp.sum((U @ V.T - M) ** 2),
     r"2 (U V^{\top} - M) V", ()),
    ("norm(U @ V.T - M) ** 2", "V", MF, lambda U, V, M: anp.sum((U @ V.T - M) ** 2),
     r"2 (U V^{\top} - M)^{\top} U", ()),
    ("norm(W2 @ tanh(W1 @ x) - y) ** 2", "W2", NET,
     lambda W1, W2, x, y: anp.sum((W2 @ anp.tanh(W1 @ x) - y) ** 2),
     r"2 (W_{2} \tanh(W_{1} \mathbf{x}) - \mathbf{y}) \tanh(W_{1} \mathbf{x})^{\top}", ()),
    ("norm(W2 @ tanh(W1 @ x) - y) ** 2", "W1", NET,
     lambda W1, W2, x, y: anp.sum((W2 @ anp.tanh(W1 @ x) - y) ** 2),
     r"2 ((W_{2}^{\top} (W_{2} \tanh(W_{1} \mathbf{x}) - \mathbf{y})) \odot "
     r"(1 - \tanh(W_{1} \mathbf{x})^{\odot 2})) \mathbf{x}^{\top}", ()),
    ("norm(W2 @ tanh(W1 @ x) - y) ** 2", "x", NET,
     lambda W1, W2, x, y: anp.sum((W2 @ anp.tanh(W1 @ x) - y) ** 2),
     r"2 W_{1}^{\top} ((W_{2}^{\top} (W_{2} \tanh(W_{1} \mathbf{x}) - \mathbf{y})) \odot "
     r"(1 - \tanh(W_{1} \mathbf{x})^{\odot 2}))", ()),
    ("norm(X @ w - y)**2 + lam * norm(w)**2", "lam", {**LS, "lam": ()},
     lambda X, w, y, lam: anp.sum((X @ w - y) ** 2) + lam * anp.sum(w ** 2),
     r"\lVert \mathbf{w} \rVert^{2}", ()),
    ("log(det(inv(X)))", "X", {"X": ("n", "n")},
     lambda X: anp.log(anp.linalg.det(anp.linalg.inv(X))), r"-X^{-\top}", ("X",)),
    ("norm(A @ x - y)", "x", {"A": ("m", "n"), "x": ("n",), "y": ("m",)},
     lambda A, x, y: anp.sqrt(anp.sum((A @ x - y) ** 2)), None, ()),
    ("sum(log(exp(-y * (X @ w)) + 1))", "w", LS,
     lambda X, w, y: anp.sum(anp.log(anp.exp(-y * (X @ w)) + 1)), None, ()),
    ("tr(A @ X.T @ B @ X @ C)", "X", {"A": ("n", "n"), "X": ("m", "n"), "B": ("m", "m"),
                                      "C": ("n", "n")},
     lambda A, X, B, C: anp.trace(A @ X.T @ B @ X @ C), None, ()),
    ("sin(x).T @ y + sum(cos(x) * x) - norm1(x)", "x", {"x": ("n",), "y": ("n",)},
     lambda x, y: anp.sin(x) @ y + anp.sum(anp.cos(x) * x) - anp.sum(anp.abs(x)), None, ()),
    ("x.T @ A @ x / (x.T @ x)", "x", {"x": ("n",), "A": ("n", "n")},
     lambda x, A: (x @ A @ x) / (x @ x), None, ()),
    ("logdet(X.T @ X)", "X", {"X": ("m", "n")},
     lambda X: anp.linalg.slogdet(X.T @ X)[1], r"2 X (X^{\top} X)^{-1}", ()),
]


def _ids(cases):
    return [f"{c[0]} d/d{c[1]}" for c in cases]


@pytest.mark.parametrize("expr, wrt, shapes, fn, tex, pd", GRADIENTS, ids=_ids(GRADIENTS))
def test_gradient_matches_autograd_and_reads_as_expected(expr, wrt, shapes, fn, tex, pd):
    r = derive(expr, wrt=wrt, shapes=shapes)
    assert isinstance(r, Derivation) and r.kind == "gradient"
    assert r.shape == tuple(shapes[wrt])
    if tex is not None:
        assert r.latex == tex
    rng = np.random.default_rng(7)
    names = list(shapes)
    for _ in range(2):
        arrays = _draw(shapes, rng, pd=pd)
        i = names.index(wrt)

        def f(v, arrays=arrays, i=i):
            args = [arrays[n] for n in names]
            args[i] = v
            return fn(*args)

        expected = grad(f)(arrays[wrt] if shapes[wrt] else float(arrays[wrt]))
        got = r.evaluate(**arrays)
        assert got.shape == np.shape(expected)
        np.testing.assert_allclose(got, expected, rtol=1e-9, atol=1e-10)


JACOBIANS = [
    ("A @ x", "x", {"A": ("m", "n"), "x": ("n",)}, lambda A, x: A @ x, "A"),
    ("tanh(W @ x)", "x", {"W": ("m", "n"), "x": ("n",)}, lambda W, x: anp.tanh(W @ x),
     r"\operatorname{diag}(1 - \tanh(W \mathbf{x})^{\odot 2}) W"),
    ("x * y", "x", {"x": ("n",), "y": ("n",)}, lambda x, y: x * y,
     r"\operatorname{diag}(\mathbf{y})"),
    ("x.T @ A", "x", {"x": ("m",), "A": ("m", "n")}, lambda x, A: x @ A, r"A^{\top}"),
    ("(x.T @ y) * x + exp(a) * y", "x", {"x": ("n",), "y": ("n",), "a": ()},
     lambda x, y, a: (x @ y) * x + anp.exp(a) * y, None),
    ("exp(a) * y - a ** 2 * x", "a", {"x": ("n",), "y": ("n",), "a": ()},
     lambda x, y, a: anp.exp(a) * y - a ** 2 * x, None),
]


@pytest.mark.parametrize("expr, wrt, shapes, fn, tex", JACOBIANS, ids=_ids(JACOBIANS))
def test_jacobian_matches_autograd(expr, wrt, shapes, fn, tex):
    r = derive(expr, wrt=wrt, shapes=shapes)
    assert r.kind == "jacobian"
    if tex is not None:
        assert r.latex == tex
    rng = np.random.default_rng(3)
    arrays = _draw(shapes, rng)
    names = list(shapes)
    i = names.index(wrt)

    def f(v):
        args = [arrays[n] for n in names]
        args[i] = v
        return fn(*args)

    x0 = arrays[wrt] if shapes[wrt] else float(arrays[wrt])
    expected = jacobian(f)(x0)
    got = r.evaluate(**arrays)
    assert got.shape == np.shape(expected)  # numerator layout: f.shape + x.shape
    np.testing.assert_allclose(got, expected, rtol=1e-9, atol=1e-10)


HESSIANS = [
    ("x.T @ A @ x", {"x": ("n",), "A": ("n", "n")}, lambda x, A: x @ A @ x, r"A + A^{\top}"),
    ("sum(exp(x))", {"x": ("n",)}, lambda x: anp.sum(anp.exp(x)),
     r"\operatorname{diag}(\exp(\mathbf{x}))"),
    ("norm(A @ x - y) ** 2", {"A": ("m", "n"), "x": ("n",), "y": ("m",)},
     lambda A, x, y: anp.sum((A @ x - y) ** 2), r"2 A^{\top} A"),
    ("sum(softplus(A @ x))", {"A": ("m", "n"), "x": ("n",)},
     lambda A, x: anp.sum(_softplus(A @ x)), None),
    ("log(sum(exp(x)))", {"x": ("n",)}, lambda x: anp.log(anp.sum(anp.exp(x))), None),
]


@pytest.mark.parametrize("expr, shapes, fn, tex", HESSIANS, ids=[h[0] for h in HESSIANS])
def test_hessian_matches_autograd(expr, shapes, fn, tex):
    r = derive(expr, wrt="x", shapes=shapes, order=2)
    assert r.kind == "hessian" and r.shape == ("n", "n")
    if tex is not None:
        assert r.latex == tex
    arrays = _draw(shapes, np.random.default_rng(5))
    names = list(shapes)
    i = names.index("x")

    def f(v):
        args = [arrays[n] for n in names]
        args[i] = v
        return fn(*args)

    np.testing.assert_allclose(r.evaluate(**arrays), hessian(f)(arrays["x"]), rtol=1e-9,
                               atol=1e-10)


def test_steps_are_the_differential_method():
    r = derive("x.T @ A @ x", wrt="x", shapes={"x": ("n",), "A": ("n", "n")})
    assert r.steps[0].startswith(r"f = \mathbf{x}^{\top} A \mathbf{x}")
    assert r.steps[1].startswith(r"df = d\mathbf{x}^{\top} A \mathbf{x} + "
                                 r"\mathbf{x}^{\top} A d\mathbf{x}")
    assert "product rule" in r.steps[1]
    assert any(s.startswith(r"d\mathbf{x}^{\top} A \mathbf{x} = \mathbf{x}^{\top} A^{\top} "
                            r"d\mathbf{x}") and "a scalar equals its transpose" in s
               for s in r.steps)
    assert r.steps[-1] == r"\nabla_{\mathbf{x}} f = (A + A^{\top}) \mathbf{x}"
    assert r.text == "(A + Aᵀ) x"
    r = derive("tr(A @ X @ B)", wrt="X", shapes={"A": ("p", "m"), "X": ("m", "n"),
                                                 "B": ("n", "p")})
    assert any("cyclic property of the trace" in s for s in r.steps)
    assert r.steps[-2] == r"df = \operatorname{tr}((A^{\top} B^{\top})^{\top} dX)"


def test_result_object_and_notebook_reprs():
    r = derive("norm(X @ w - y) ** 2", wrt="w", shapes=LS)
    assert r.symbol == r"\nabla_{\mathbf{w}} f"
    assert r._repr_latex_() == r"$$\nabla_{\mathbf{w}} f = 2 X^{\top} (X \mathbf{w} - " \
                               r"\mathbf{y})$$"
    md = r._repr_markdown_()
    assert md.count("$$") == 2 * (len(r.steps) + 1) and "Checked numerically" in md
    assert "gradient of norm(X @ w - y) ** 2 with respect to w" in repr(r)
    assert r.check.verdict == "OK" and r.check
    assert len(set(r.checked_sizes.values())) == len(r.checked_sizes)  # m != n
    assert r.expression is not None and r.function is not None


def test_evaluate_checks_shapes_and_binds_sizes():
    r = derive("x.T @ A @ x", wrt="x", shapes={"x": ("n",), "A": ("n", "n")})
    with pytest.raises(ValueError, match="size 'n' is 3 in x but 4 in A"):
        r.evaluate(x=np.ones(3), A=np.ones((4, 4)))
    with pytest.raises(ValueError, match=r"A must have shape \(n, n\)"):
        r.evaluate(x=np.ones(3), A=np.ones(3))
    with pytest.raises(ValueError, match="missing value"):
        r.evaluate(x=np.ones(3))
    with pytest.raises(TypeError, match="not in shapes"):
        r.evaluate(x=np.ones(3), A=np.eye(3), B=np.eye(3))
    r = derive("A @ x", wrt="x", shapes={"A": (2, "n"), "x": ("n",)})
    with pytest.raises(ValueError, match=r"A must have shape \(2, n\)"):
        r.evaluate(A=np.ones((3, 3)), x=np.ones(3))
    assert r.evaluate(A=np.ones((2, 3)), x=np.ones(3)).shape == (2, 3)


def test_inner_product_of_two_vectors_reads_like_numpy():
    r = derive("x @ y", wrt="x", shapes={"x": ("n",), "y": ("n",)})
    assert r.latex == r"\mathbf{y}"
    r = derive("x @ A @ x", wrt="x", shapes={"x": ("n",), "A": ("n", "n")})
    assert r.latex == r"(A + A^{\top}) \mathbf{x}"


def test_zero_derivative_is_verified_too():
    r = derive("sum(y)", wrt="x", shapes={"x": ("n",), "y": ("n",)})
    assert r.latex == "0"
    assert np.all(r.evaluate(x=np.ones(3), y=np.ones(3)) == 0)


def _compare(r, shapes, fn, arrays, derivative):
    """``r.evaluate`` against autograd's ``derivative`` (grad, jacobian) of ``fn``."""
    names = list(shapes)
    i = names.index(r.wrt)

    def f(v):
        args = [arrays[n] for n in names]
        args[i] = v
        return fn(*args)

    x0 = arrays[r.wrt] if shapes[r.wrt] else float(arrays[r.wrt])
    expected = derivative(f)(x0)
    got = r.evaluate(**arrays)
    assert got.shape == np.shape(expected)
    np.testing.assert_allclose(got, expected, rtol=1e-9, atol=1e-10)


def _lse(z):
    return anp.log(anp.sum(anp.exp(z)))


# A scalar broadcast against an array: "broadcast forward, sum backward" (issue 16's registry
# cross-check found these). (expression, wrt, shapes, function, LaTeX or None, positive names)
BROADCASTS = [
    ("sum(lam + x)", "lam", {"lam": (), "x": ("m",)}, lambda lam, x: anp.sum(lam + x), "m", ()),
    ("sum(s + X)", "s", {"s": (), "X": ("m", "n")}, lambda s, X: anp.sum(s + X), "m n", ()),
    ("tr(X - s)", "s", {"s": (), "X": ("n", "n")}, lambda s, X: anp.trace(X - s), "-n", ()),
    ("sum(log(lam) - lam * x)", "lam", {"lam": (), "x": ("m",)},
     lambda lam, x: anp.sum(anp.log(lam) - lam * x),
     r"\frac{m}{\lambda} - \operatorname{sum}(\mathbf{x})", ("lam",)),
    ("sum(y * (z - log(sum(exp(z)))))", "z", {"z": ("n",), "y": ("n",)},
     lambda z, y: anp.sum(y * (z - _lse(z))),
     r"\mathbf{y} - \frac{\operatorname{sum}(\mathbf{y})}{\operatorname{sum}(\exp(\mathbf{z}))} "
     r"\exp(\mathbf{z})", ()),
    ("y @ (z - z @ z)", "z", {"z": ("n",), "y": ("n",)}, lambda z, y: y @ (z - z @ z),
     r"\mathbf{y} - 2 \operatorname{sum}(\mathbf{y}) \mathbf{z}", ()),
    ("lam * sum(x)", "x", {"lam": (), "x": ("m",)}, lambda lam, x: lam * anp.sum(x),
     r"\lambda \mathbf{1}", ()),
    ("norm(X - s)**2", "s", {"s": (), "X": ("m", "n")}, lambda s, X: anp.sum((X - s) ** 2),
     r"-2 \mathbf{1}^{\top} (X - s)^{\top} \mathbf{1}", ()),
    ("sum((x - sum(x) / N) ** 2)", "x", {"x": ("m",), "N": ()},
     lambda x, N: anp.sum((x - anp.sum(x) / N) ** 2), None, ()),
    ("sum(log(sigmoid(X @ w + b)))", "b", {"w": ("n",), "X": ("m", "n"), "b": ()},
     lambda w, X, b: anp.sum(anp.log(1 / (1 + anp.exp(-(X @ w + b))))), None, ()),
    # printing: the m x N matrix of ones times o is (1^T o) 1, never a bare 1 o
    ("sum(b @ o.T)", "b", {"b": ("m",), "o": ("n",)}, lambda b, o: anp.sum(anp.outer(b, o)),
     r"(\mathbf{1}^{\top} \mathbf{o}) \mathbf{1}", ()),
    ("sum(X)", "X", {"X": ("m", "n")}, lambda X: anp.sum(X), r"\mathbf{1} \mathbf{1}^{\top}", ()),
]

BROADCAST_JACOBIANS = [
    ("x - sum(x)", "x", {"x": ("n",)}, lambda x: x - anp.sum(x),
     r"I - \mathbf{1} \mathbf{1}^{\top}"),
    ("x - sum(x) / N", "x", {"x": ("n",), "N": ()}, lambda x, N: x - anp.sum(x) / N,
     r"I - \frac{\mathbf{1} \mathbf{1}^{\top}}{N}"),
    ("z - log(sum(exp(z)))", "z", {"z": ("n",)}, lambda z: z - _lse(z),
     r"I - \frac{\mathbf{1} \exp(\mathbf{z})^{\top}}{\operatorname{sum}(\exp(\mathbf{z}))}"),
    ("lam + x", "lam", {"lam": (), "x": ("n",)}, lambda lam, x: lam + x, r"\mathbf{1}"),
    ("b + X @ w", "b", {"w": ("n",), "X": ("m", "n"), "b": ()}, lambda w, X, b: b + X @ w,
     r"\mathbf{1}"),
    ("a * x + a", "a", {"a": (), "x": ("n",)}, lambda a, x: a * x + a, r"\mathbf{x} + \mathbf{1}"),
]


@pytest.mark.parametrize("expr, wrt, shapes, fn, tex, positive", BROADCASTS,
                         ids=_ids(BROADCASTS))
def test_a_broadcast_scalar_gets_the_sum_of_the_gradient(expr, wrt, shapes, fn, tex, positive):
    r = derive(expr, wrt=wrt, shapes=shapes)
    assert r.kind == "gradient" and r.shape == tuple(shapes[wrt])
    if tex is not None:
        assert r.latex == tex
    rng = np.random.default_rng(11)
    for _ in range(2):
        _compare(r, shapes, fn, _draw(shapes, rng, positive=positive), grad)


@pytest.mark.parametrize("expr, wrt, shapes, fn, tex", BROADCAST_JACOBIANS,
                         ids=_ids(BROADCAST_JACOBIANS))
def test_vector_minus_scalar_has_the_jacobian_of_the_broadcast(expr, wrt, shapes, fn, tex):
    r = derive(expr, wrt=wrt, shapes=shapes)
    assert r.kind == "jacobian" and r.latex == tex
    _compare(r, shapes, fn, _draw(shapes, np.random.default_rng(13)), jacobian)


def test_broadcast_steps_say_so():
    r = derive("sum(lam + x)", "lam", {"lam": (), "x": ("N",)})
    assert r.latex == "N" and r.text == "N"
    assert r.steps[1] == (r"df = \operatorname{sum}(d\lambda \mathbf{1}) \qquad \text{a scalar "
                          r"broadcasts: } d(s\mathbf{1}) = ds\,\mathbf{1}")
    assert r.steps[2] == r"df = N d\lambda \qquad \text{simplify}"
    assert r.evaluate(lam=0.3, x=np.arange(7.0)) == 7.0
    r = derive("sum(y * (z - log(sum(exp(z)))))", "z", {"z": ("K",), "y": ("K",)})
    assert any(r"\langle G, ds\,\mathbf{1}\rangle = \operatorname{sum}(G)\, ds" in s
               for s in r.steps)
    r = derive("x - sum(x)", "x", {"x": ("n",)})
    assert r.text == "I - 1 1ᵀ" and r.shape == ("n", "n")
    np.testing.assert_array_equal(r.evaluate(x=np.ones(3)), np.eye(3) - 1)
    r = derive("sum(b @ o.T)", "b", {"b": ("m",), "o": ("N",)})
    assert r.text == "(1ᵀ o) 1"


# Outside the domain of log at the engine's first random point: it draws again, from other
# distributions (in (0, 1), negative, ...), until f and the derivative are finite.
# (expression, wrt, shapes, function, LaTeX or None, a point in the domain)
DOMAIN = [
    ("sum(log(1 - p))", "p", {"p": ("m",)}, lambda p: anp.sum(anp.log(1 - p)),
     r"-\mathbf{1} \oslash (1 - \mathbf{p})", lambda rng: {"p": rng.uniform(0.05, 0.95, 5)}),
    ("-log(-eta)", "eta", {"eta": ()}, lambda eta: -anp.log(-eta), r"-\frac{1}{\eta}",
     lambda rng: {"eta": -rng.uniform(0.2, 3.0)}),
    ("-sum(y * log(p) + (1 - y) * log(1 - p)) / N", "p", {"p": ("m",), "y": ("m",), "N": ()},
     lambda p, y, N: -anp.sum(y * anp.log(p) + (1 - y) * anp.log(1 - p)) / N, None,
     lambda rng: {"p": rng.uniform(0.05, 0.95, 5), "y": rng.uniform(0, 1, 5), "N": 5.0}),
    ("-(e1 @ eta)**2 / (4 * (e2 @ eta)) - 0.5 * log(-2 * (e2 @ eta))", "eta",
     {"eta": (2,), "e1": (2,), "e2": (2,)},
     lambda eta, e1, e2: -(e1 @ eta) ** 2 / (4 * (e2 @ eta)) - 0.5 * anp.log(-2 * (e2 @ eta)),
     None, lambda rng: {"eta": np.array([rng.normal(), -rng.uniform(0.2, 2)]),
                        "e1": np.array([1.0, 0.0]), "e2": np.array([0.0, 1.0])}),
]


@pytest.mark.parametrize("expr, wrt, shapes, fn, tex, point", DOMAIN, ids=_ids(DOMAIN))
def test_verification_finds_a_point_in_the_domain(expr, wrt, shapes, fn, tex, point):
    r = derive(expr, wrt=wrt, shapes=shapes)
    assert r.check.verdict == "OK"
    if tex is not None:
        assert r.latex == tex
    rng = np.random.default_rng(17)
    for _ in range(3):
        arrays = point(rng)
        _compare(r, shapes, fn, {n: arrays[n] for n in shapes}, grad)


def test_fast_enough_to_use_interactively():
    """Every derivation above, verification included: median and worst well under a second."""
    calls = [(e, w, s, 1) for e, w, s, *_ in GRADIENTS + JACOBIANS + BROADCASTS
             + BROADCAST_JACOBIANS + DOMAIN]
    calls += [(e, "x", s, 2) for e, s, *_ in HESSIANS]
    times = []
    for expr, wrt, shapes, order in calls:
        t = time.perf_counter()
        derive(expr, wrt, shapes, order=order)
        times.append(time.perf_counter() - t)
    assert statistics.median(times) < 0.1 and max(times) < 0.5, (statistics.median(times),
                                                                  max(times))
