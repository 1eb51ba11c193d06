"""Tests of mlcalc.diagnose: naming how a derivative is wrong, from arrays and from a check."""

import numpy as np
import pytest

from mlcalc import check_grad, check_hessian, check_jacobian, diagnose


def rng(seed=0):
    return np.random.default_rng(seed)


# ------------------------------------------------------------------ from a check's numbers

@pytest.mark.parametrize("c,phrase", [
    (2.0, "scaled by 2"), (0.5, "scaled by 1/2"), (-1.0, "sign flipped"),
    (-2.0, "scaled by -2"), (1 / 50, "scaled by 1/50"), (50.0, "scaled by 50"),
    (1.5, "scaled by 3/2"), (1.37, "scaled by 1.37"),
])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_scaled(c, phrase, dtype):
    r = rng(1)
    X = r.standard_normal((50, 6)).astype(dtype)
    y = r.standard_normal(50).astype(dtype)
    w = r.standard_normal(6).astype(dtype)

    def f(v):
        return np.mean((X @ v - y) ** 2)

    def g(v):
        return 2 * X.T @ (X @ v - y) / len(y)

    rep = check_grad(f, lambda v: dtype(c) * g(v), w)
    assert not rep
    if phrase == "scaled by 1.37" and dtype == np.float32:
        # a factor that is not a simple number is named only when measured precisely
        assert rep.diagnosis in (phrase, None), rep
    else:
        assert rep.diagnosis == phrase, rep


@pytest.mark.parametrize("n", [3, 7])
def test_transposed_matrix_gradient(n):
    r = rng(2)
    A = r.standard_normal((n, n))
    B = r.standard_normal((n, n))
    X = r.standard_normal((n, n))

    def f(Z):
        return np.trace(A @ Z @ B)

    def g(Z):
        return A.T @ B.T

    assert check_grad(f, g, X)
    assert check_grad(f, lambda Z: g(Z).T, X).diagnosis == "transpose of the correct derivative"
    assert check_grad(f, lambda Z: (g(Z) + g(Z).T) / 2, X).diagnosis == (
        "symmetric part only: (G + Gᵀ)/2 instead of G")
    assert check_grad(f, lambda Z: g(Z) + g(Z).T, X).diagnosis == (
        "symmetrised: G + Gᵀ instead of G")


def test_transposed_jacobian():
    r = rng(3)
    A = r.standard_normal((6, 6))
    x = r.standard_normal(6)

    def f(v):
        return np.tanh(A @ v)

    def J(v):
        return (1 - np.tanh(A @ v) ** 2)[:, None] * A

    assert check_jacobian(f, J, x)
    assert check_jacobian(f, lambda v: J(v).T, x).diagnosis == (
        "transpose of the correct derivative")
    assert check_jacobian(f, lambda v: (J(v) + J(v).T) / 2, x).diagnosis == (
        "symmetric part only: (J + Jᵀ)/2 instead of J")
    assert check_jacobian(f, lambda v: -J(v), x).diagnosis == "sign flipped"


def test_missing_term_with_terms():
    r = rng(4)
    A = r.standard_normal((5, 5))
    x = r.standard_normal(5)
    terms = {"Ax": lambda v: A @ v, "Aᵀx": lambda v: A.T @ v}

    def f(v):
        return v @ A @ v

    assert check_grad(f, lambda v: A @ v, x, terms=terms).diagnosis == "one term missing: Aᵀx"
    assert check_grad(f, lambda v: A @ v - A.T @ v, x, terms=terms).diagnosis == (
        "sign of term Aᵀx flipped")
    assert check_grad(f, lambda v: 2 * A @ v + A.T @ v, x, terms=terms).diagnosis == (
        "term Ax counted twice")
    # without the terms the same mistake gets no (invented) label, or the entries
    assert check_grad(f, lambda v: A @ v, x).diagnosis is None


@pytest.mark.parametrize("shape,index,text", [
    ((8,), (3,), "wrong at entries 3"),
    ((3, 4), (1, 2), "wrong at entries (1, 2)"),
])
def test_wrong_entries(shape, index, text):
    r = rng(5)
    x = r.standard_normal(shape)

    def f(z):
        return np.sum(np.sin(z) * z)

    def g(z):
        return np.cos(z) * z + np.sin(z)

    def g_bad(z):
        out = g(z)
        out[index] += 0.3
        return out

    rep = check_grad(f, g_bad, x)
    assert not rep and rep.diagnosis == text
    assert rep.n_evals > 16            # locating costs a full numerical gradient


def test_two_wrong_entries_listed():
    x = rng(6).standard_normal(10)

    def g_bad(z):
        out = 2 * z
        out[[2, 7]] = 0.0
        return out

    assert check_grad(lambda z: np.sum(z ** 2), g_bad, x).diagnosis == "wrong at entries 2, 7"


def test_no_false_labels_for_random_errors():
    # a random wrong gradient must not be called scaled/transposed/...
    r = rng(7)
    for seed in range(20):
        n = 4
        A = r.standard_normal((n, n))
        X = r.standard_normal((n, n))
        E = r.standard_normal((n, n))

        def f(Z, A=A):
            return np.sum(np.tanh(A @ Z))

        def g(Z, A=A):
            return A.T @ (1 - np.tanh(A @ Z) ** 2)

        rep = check_grad(f, lambda Z, E=E, g=g: g(Z) + E, X, seed=seed)
        assert not rep
        assert rep.diagnosis is None, rep


def test_hessian_diagnoses():
    r = rng(8)
    A = r.standard_normal((4, 4))
    x = r.standard_normal(4)

    def f(v):
        return v @ A @ v

    assert check_hessian(f, A + A.T, x)
    assert check_hessian(f, 2 * (A + A.T), x).diagnosis == "scaled by 2"
    assert check_hessian(f, 2 * A, x).diagnosis.startswith("not symmetric")
    assert check_hessian(f, 2 * A, x, grad_f=lambda v: (A + A.T) @ v).diagnosis is None


def test_not_differentiable_is_not_diagnosed_as_wrong():
    rep = check_grad(lambda z: np.sum(np.abs(z)), np.sign, np.array([0.0, 2.0, -1.0]))
    assert rep.diagnosis == "not differentiable here"
    assert rep.verdict == "NOT DIFFERENTIABLE"


# ------------------------------------------------------------------ from two arrays

def test_diagnose_arrays():
    r = rng(9)
    C = r.standard_normal((4, 4))
    assert diagnose(C, C) is None
    assert diagnose(2 * C, C) == "scaled by 2"
    assert diagnose(-C, C) == "sign flipped"
    assert diagnose(C / 10, C) == "scaled by 1/10"
    assert diagnose(C.T, C) == "transpose of the correct derivative"
    assert diagnose((C + C.T) / 2, C) == "symmetric part only: (G + Gᵀ)/2 instead of G"
    assert diagnose(C + C.T, C) == "symmetrised: G + Gᵀ instead of G"
    assert diagnose(np.zeros_like(C), C) == "claimed derivative is zero"
    bad = C.copy()
    bad[1, 3] += 1
    assert diagnose(bad, C) == "wrong at entries (1, 3)"
    assert diagnose(C + r.standard_normal((4, 4)), C) == "wrong"
    T1, T2 = r.standard_normal(5), r.standard_normal(5)
    assert diagnose(T1, T1 + T2, terms={"a": T1, "b": T2}) == "one term missing: b"
    assert diagnose(T1 - T2, T1 + T2, terms=[T1, T2]) == "sign of term term 2 flipped"
    Cr = r.standard_normal((2, 3))
    assert diagnose(Cr.T, Cr) == "transpose of the correct derivative"
    with pytest.raises(ValueError, match="shape"):
        diagnose(np.ones(3), np.ones(4))
    with pytest.raises(ValueError, match="term"):
        diagnose(T1, T1 + T2, terms={"a": np.ones(2)})
    with pytest.raises(TypeError, match="terms"):
        diagnose(T1, T1 + T2, terms="a")


# ------------------------------------------------------------------ named without terms=

def _layer(m=3, n=5, N=20, seed=10, dtype=np.float64):
    """Squared error of a linear layer X W ≈ Y in W (m x n), its gradient X.T @ D."""
    r = rng(seed)
    X = r.standard_normal((N, m)).astype(dtype)
    Y = r.standard_normal((N, n)).astype(dtype)
    W = r.standard_normal((m, n)).astype(dtype)

    def f(V):
        return 0.5 * np.sum((X @ V - Y) ** 2)

    def g(V):
        return X.T @ (X @ V - Y)

    return f, g, W, X, Y


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_reshaped_transposed_layout(dtype):
    f, g, W, X, Y = _layer(dtype=dtype)
    assert check_grad(f, g, W)
    # the learner computed D.T @ X (n x m, the transposed layout) and reshaped it
    rep = check_grad(f, lambda V: ((X @ V - Y).T @ X).reshape(V.shape), W)
    assert not rep and rep.diagnosis == (
        "computed in the transposed layout (5×3) and reshaped to 3×5: transpose instead of "
        "reshape"), rep
    assert rep.n_evals == 16 + 8           # two readings along the reshaped directions
    rep = check_grad(f, lambda V: g(V).T.reshape(V.shape, order="F"), W)
    assert rep.diagnosis == (
        "computed in the transposed layout (5×3) and reshaped to 3×5 in column-major (Fortran) "
        "order: transpose instead of reshape"), rep


def test_reshaped_layout_is_not_claimed_for_other_mistakes():
    f, g, W, X, Y = _layer()
    r = rng(11)
    for _ in range(5):
        E = r.standard_normal(W.shape)
        rep = check_grad(f, lambda V, E=E: g(V) + E, W)
        assert not rep and (rep.diagnosis is None or "layout" not in rep.diagnosis), rep
    # a column or row "matrix": the transposed layout reshaped is the right gradient
    f1, g1, w1, _, _ = _layer(m=4, n=1)
    assert check_grad(f1, lambda V: g1(V).T.reshape(V.shape), w1)


def test_missing_regulariser_and_constant():
    r = rng(12)
    X = r.standard_normal((30, 8))
    y = r.standard_normal(30)
    w = r.standard_normal(8)
    lam = 0.3

    def f(v):
        return np.mean((X @ v - y) ** 2) + lam * v @ v

    def data(v):
        return 2 * X.T @ (X @ v - y) / len(y)

    assert check_grad(f, lambda v: data(v) + 2 * lam * v, w).diagnosis is None
    rep = check_grad(f, data, w)                      # the penalty's gradient 2λw dropped
    assert rep.diagnosis == ("off by a multiple of x: claimed − correct = -0.6·x: a term 0.6·x "
                             "is missing (a dropped regulariser λx or 2λx?)"), rep
    assert rep.n_evals == 16 + 4                      # one confirming reading
    rep = check_grad(f, lambda v: data(v) + lam * v, w)     # λw: the 2 forgotten
    assert rep.diagnosis.startswith("off by a multiple of x: claimed − correct = -0.3·x")
    rep = check_grad(f, lambda v: data(v) + 2 * lam * v + 0.5, w)
    assert rep.diagnosis == ("off by a constant: claimed − correct = 0.5 in every entry: a "
                             "constant term is missing or wrong: subtract 0.5"), rep
    # another form: the note says what was ruled out
    rep = check_grad(f, lambda v: data(v) + 2 * lam * v + v ** 2, w)
    assert rep.diagnosis is None
    assert "not a multiple of x or a constant: a term of another form is missing" in rep.note


def test_jacobian_missing_identity():
    r = rng(13)
    A = r.standard_normal((6, 6)) / 3
    x = r.standard_normal(6)

    def f(v):                                  # a residual block: x + tanh(A x)
        return v + np.tanh(A @ v)

    def J(v):
        return np.eye(6) + (1 - np.tanh(A @ v) ** 2)[:, None] * A

    assert check_jacobian(f, J, x).diagnosis is None
    rep = check_jacobian(f, lambda v: J(v) - np.eye(6), x)
    assert rep.diagnosis == ("off by a multiple of the identity: claimed − correct = -1·I: a "
                             "term 1·I is missing (a dropped ridge term λI, or the identity of "
                             "a skip connection x + g(x)?)")


def _kinked_layer():
    """relu(W x + b) + tanh(W x) with one pre-activation 3e-4 from its kink: f is not smooth at
    the scale of the step, and the checker falls back to a smaller step."""
    r = rng(0)
    n = 5
    W = r.standard_normal((n, n))
    x = r.standard_normal(n)
    b = -W @ x + r.standard_normal(n)
    b[2] = -(W @ x)[2] + 3e-4

    def f(v):
        return np.maximum(W @ v + b, 0) + np.tanh(W @ v)

    def J(v):
        return (W @ v + b > 0)[:, None] * W + (1 - np.tanh(W @ v) ** 2)[:, None] * W

    return f, J, x


def test_transposed_jacobian_after_the_fallback():
    f, J, x = _kinked_layer()
    ok = check_jacobian(f, J, x)
    assert ok and "smaller step" in ok.note
    rep = check_jacobian(f, lambda v: J(v).T, x)
    assert not rep and "smaller step" in rep.note
    assert rep.diagnosis == "transpose of the correct derivative", rep
    assert rep.n_evals == 16 + 4            # the small step along the two other directions
    assert check_jacobian(f, lambda v: -J(v), x).diagnosis == "sign flipped"


def test_the_extra_readings_reproduce_the_checks_own():
    """A reading taken for the diagnosis along a main direction equals the verdict's."""
    from mlcalc.check_engine import DirectionalEngine
    from mlcalc.checks import _start

    f, g, W, X, Y = _layer()
    x, x_eval, ev, f0 = _start(f, W, scalar=True, promote=True)
    eng = DirectionalEngine(ev, f0, g(W).reshape(1, -1), 2.2e-16, x_eval, kind="gradient",
                            order=1, seed=0, directions=3, rtol=None, step=None, safety=5.0)
    eng.run()
    for p, (u, h, fv) in zip(eng.probes[1:], eng.raw[1:], strict=True):
        q = eng._reading(u, h, fv, small=False)
        assert np.allclose(q.n, p.n, rtol=0, atol=1e-15) and np.allclose(q.tol, p.tol)


def test_one_entry_gets_no_structure_label():
    """With one entry every error is 'a multiple of x': only a scale may be named."""
    for c in (0.65, 1.37, -0.2):
        rep = check_grad(lambda v: np.sum(np.sin(v)), lambda v, c=c: c * np.cos(v),
                         np.array([0.7]))
        assert not rep and rep.diagnosis.startswith("scaled by"), rep
    rep = check_grad(lambda v: np.sum(np.sin(v)), lambda v: np.cos(v) + 0.1 * v ** 2,
                     np.array([0.7]))
    assert not rep and (rep.diagnosis is None or rep.diagnosis.startswith("scaled")), rep


def test_a_large_integer_scale_is_written_out():
    """A forgotten 1/n at n = 100 000 reads "scaled by 100000", not "scaled by 1e+05"."""
    from mlcalc.diagnose import _scale_phrase

    assert _scale_phrase(100000.00000001) == "scaled by 100000"
    assert _scale_phrase(-40.0) == "scaled by -40"
    assert _scale_phrase(1.37) == "scaled by 1.37"
