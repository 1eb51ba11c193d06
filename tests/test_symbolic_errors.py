"""mlcalc.symbolic: bad input raises with a message naming the problem; a wrong result never
comes back (the verification raises); derivations are fast."""

import importlib

import numpy as np
import pytest

from mlcalc.symbolic import VerificationError, derive
from mlcalc.symbolic.expr import Scale

derive_module = importlib.import_module("mlcalc.symbolic.derive")
verify_module = importlib.import_module("mlcalc.symbolic.verify")

S = {"x": ("n",), "A": ("m", "n"), "X": ("n", "n"), "a": ()}

BAD = [
    ("foo(x)", "x", {}, ValueError, "unknown function 'foo'"),
    ("np.sum(x)", "x", {}, ValueError, "'np.sum' is not a function of the grammar"),
    ("x[0]", "x", {}, ValueError, "indexing 'x\\[0\\]' is not supported"),
    ("x.shape", "x", {}, ValueError, "attribute .shape .* only attribute is .T"),
    ("A @ A", "A", {}, ValueError, r"shape mismatch in 'A @ A': \(m, n\) @ \(m, n\)"),
    ("x + A @ x", "x", {}, ValueError,
     r"shape mismatch in 'x \+ A @ x': \(n,\) \(a column vector\) \+ \(m,\)"),
    ("A @ x.T", "x", {}, ValueError, r"shape mismatch in 'A @ x.T': \(m, n\) @ \(1, n\)"),
    ("a @ x", "x", {}, ValueError, "use \\* to multiply by a scalar"),
    ("tr(A)", "A", {}, ValueError, r"tr\(\) needs a square matrix, got shape \(m, n\)"),
    ("x.T @ x", "z", {}, ValueError, "wrt='z' is not in shapes"),
    ("z @ x", "x", {}, ValueError, "name 'z' is not in shapes"),
    ("x ** a", "x", {}, NotImplementedError, "exponent in 'x \\*\\* a' must be a number"),
    ("x ^ 2", "x", {}, ValueError, "write \\*\\* for a power"),
    ("x.T @", "x", {}, ValueError, "Python syntax error"),
    ("x < 1", "x", {}, NotImplementedError, "Compare syntax"),
    ("exp", "x", {}, ValueError, "'exp' is a function: call it"),
    ("sum(x, 1)", "x", {}, ValueError, "sum\\(\\) takes exactly one argument"),
    ("x.T @ x", "x", {"order": 3}, ValueError, "order must be 1 or 2"),
    ("X @ X", "X", {}, NotImplementedError, "is a matrix .* 4-index tensor"),
    ("A @ x", "A", {}, NotImplementedError, "is a vector and A a matrix"),
    ("A @ x", "x", {"order": 2}, NotImplementedError, "order=2 .* needs a scalar expression"),
    ("tr(X)", "X", {"order": 2}, NotImplementedError, "order=2"),
]


@pytest.mark.parametrize("expr, wrt, kw, exc, msg", BAD, ids=[b[0] + "|" + b[1] for b in BAD])
def test_bad_input_raises_with_a_clear_message(expr, wrt, kw, exc, msg):
    with pytest.raises(exc, match=msg):
        derive(expr, wrt, S, **kw)


@pytest.mark.parametrize("shapes, msg", [
    ({"x": ("n", "m", "k")}, r"shapes\['x'\] must be \(\)"),
    ({"x": (0,)}, "positive int"),
    ({"x": ("n",), "tr": ()}, "'tr' is the name of a function"),
    ({"x": ("n",), "2y": ()}, "not a valid variable name"),
])
def test_bad_shapes_raise(shapes, msg):
    with pytest.raises(ValueError, match=msg):
        derive("x.T @ x", "x", shapes)


def test_a_wrong_result_is_never_returned(monkeypatch):
    real = derive_module._first_order

    def sabotaged(*args, **kw):
        return Scale(2.0, real(*args, **kw))  # a factor-2 bug in the engine

    monkeypatch.setattr(derive_module, "_first_order", sabotaged)
    with pytest.raises(RuntimeError, match="mlcalc.symbolic bug: the gradient of 'x.T @ A @ x'"):
        derive("x.T @ A @ x", "x", {"x": ("n",), "A": ("n", "n")})


def test_a_wrong_step_is_never_returned(monkeypatch):
    real = verify_module.check_equal
    calls = []

    def wrong(sides, *args):
        calls.append(len(sides))
        return False if len(calls) == 1 else real(sides, *args)

    monkeypatch.setattr(derive_module, "check_equal", wrong)
    with pytest.raises(VerificationError, match="a step of the derivation"):
        derive("x.T @ A @ x", "x", {"x": ("n",), "A": ("n", "n")})


class _Report:
    def __init__(self, verdict):
        self.verdict = verdict

    def __repr__(self):
        return f"gradient {self.verdict}"


def test_inconclusive_retries_at_another_point_then_raises(monkeypatch):
    verdicts = iter(["INCONCLUSIVE", "OK"])
    monkeypatch.setattr(verify_module, "check_grad", lambda *a, **k: _Report(next(verdicts)))
    r = derive("x.T @ x", "x", {"x": ("n",)})
    assert r.check.verdict == "OK"
    monkeypatch.setattr(verify_module, "check_grad", lambda *a, **k: _Report("INCONCLUSIVE"))
    with pytest.raises(RuntimeError, match="could not verify .* at 4 random points"):
        derive("x.T @ x", "x", {"x": ("n",)})


def test_no_point_in_the_domain_raises_and_says_so():
    with pytest.raises(RuntimeError, match="could not find a point where 'sum\\(log\\(-exp"
                       r"\(x\)\)\)' and its gradient are defined"):
        derive("sum(log(-exp(x)))", "x", {"x": ("n",)})


def test_points_outside_the_domain_are_never_judged(monkeypatch):
    """log(1 - p): the first (positive) draws put some p > 1; the check only ever sees a point
    where f is finite, and the domain search does not use up the INCONCLUSIVE retries."""
    seen = []
    real = verify_module.check_grad

    def spy(f, g, x0, **kw):
        seen.append(np.asarray(x0, float).copy())
        return real(f, g, x0, **kw)

    monkeypatch.setattr(verify_module, "check_grad", spy)
    r = derive("sum(log(1 - p))", "p", {"p": ("n",)})
    assert r.check.verdict == "OK" and len(seen) == 1
    assert np.all(seen[0] < 1)
    rng = np.random.default_rng(verify_module.seed_for("sum(log(1 - p))", "p", "gradient"))
    sizes = verify_module.draw_sizes({"p": ("n", 1)}, rng)
    first = verify_module.draw_point(r.function, {"p": ("n", 1)}, sizes, rng, 0)
    assert np.any(first["p"] > 1)  # the engine's first draw was outside the domain


# expressions that exercise every rule; derive() verifies each before returning
BATTERY = [
    ("0.5 * x.T @ A @ x", "x", 2), ("A @ exp(x)", "x", 1), ("sin(x).T @ y", "x", 2),
    ("(y * v).T @ x", "v", 1), ("norm(A @ x - y)", "x", 2), ("norm1(A @ x - y)", "x", 1),
    ("sum(log(exp(-y * (Z @ w)) + 1))", "w", 2), ("tr(A @ X.T @ B @ X @ C)", "X", 1),
    ("log(det(inv(X)))", "X", 1), ("a ** 3", "a", 2), ("x @ A @ x", "x", 2),
    ("sum(X)", "X", 1), ("tr(X)", "X", 1), ("norm(X)", "X", 1), ("norm(x)**3", "x", 2),
    ("x / norm(x)", "x", 1), ("sqrt(x.T @ x)", "x", 2), ("sum(sqrt(x))", "x", 2),
    ("sum(log(x))", "x", 2), ("1 / a", "a", 2), ("x / a", "x", 1), ("x / a", "a", 1),
    ("sigmoid(x)", "x", 1), ("softplus(x)", "x", 1), ("x ** 2", "x", 1),
    ("tr(X @ X)", "X", 1), ("tr(inv(X))", "X", 1), ("det(X.T)", "X", 1),
    ("x.T @ inv(X) @ y", "X", 1), ("sum(tanh(X))", "X", 1), ("sum(relu(x))", "x", 1),
    ("cos(x)", "x", 1), ("tan(x)", "x", 1), ("arctan(x)", "x", 1), ("y / x", "x", 1),
    ("sum(y / x)", "x", 2), ("x.T @ A @ x", "A", 1), ("a * x.T @ x", "a", 2),
    ("sum(exp(X @ Z))", "X", 1), ("3", "x", 2), ("exp(x.T @ y) * x", "x", 1),
    ("det(X) ** 2", "X", 1), ("det(2 * X)", "X", 1), ("sum(X / B)", "X", 1),
    ("sum(B / X)", "X", 1), ("log(sum(exp(x)))", "x", 2), ("x.T @ A @ x / (x.T @ x)", "x", 2),
    ("sum(sigmoid(x) * x) - 2 * x.T @ y + 1", "x", 2), ("trace(X.T @ B @ X)", "X", 1),
    ("sum(a + x)", "a", 1), ("x - sum(x)", "x", 1), ("a - x", "a", 1), ("sum(a * X - a)", "a", 1),
    ("sum((x - a) ** 2)", "a", 2), ("log(sum(exp(x - a)))", "x", 2), ("sum(log(1 - x))", "x", 2),
    ("-log(-a)", "a", 2), ("sqrt(1 - x.T @ x)", "x", 1), ("sum(x ** 0.5)", "x", 2),
]
SQUARE = {"x": ("n",), "y": ("n",), "v": ("n",), "A": ("n", "n"), "B": ("n", "n"),
          "X": ("n", "n"), "C": ("n", "n"), "a": (), "w": ("k",), "Z": ("n", "k")}


@pytest.mark.parametrize("expr, wrt, order", BATTERY, ids=[f"{e}|{w}|{o}" for e, w, o in BATTERY])
def test_battery_is_verified(expr, wrt, order):
    for o in range(1, order + 1):
        r = derive(expr, wrt, SQUARE, order=o)
        assert r.check.verdict == "OK"
        assert r.steps[-1].endswith(r.latex)


def test_results_are_deterministic():
    a = derive("norm(U @ V.T - M) ** 2", "U", {"U": ("m", "k"), "V": ("n", "k"),
                                               "M": ("m", "n")})
    b = derive("norm(U @ V.T - M) ** 2", "U", {"U": ("m", "k"), "V": ("n", "k"),
                                               "M": ("m", "n")})
    assert a.steps == b.steps and a.checked_sizes == b.checked_sizes
    assert a.check.error == b.check.error
    assert np.unique(list(a.checked_sizes.values())).size == 3
