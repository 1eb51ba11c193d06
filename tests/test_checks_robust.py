"""The checker at awkward points: float32 promotion, C¹ points, cancellation, kinks, noise.

Each test here is a false alarm or a miss that an earlier version of the checker produced.
``benchmarks/checkers/stress.py`` runs the same families at many more seeds (see STRESS.md).
"""

import importlib.util
from pathlib import Path

import numpy as np
import pytest

from mlcalc import check_grad, check_jacobian, elu, elu_grad

ROOT = Path(__file__).resolve().parents[1]


def _stress_module():
    path = ROOT / "benchmarks" / "checkers" / "stress.py"
    spec = importlib.util.spec_from_file_location("mlcalc_stress", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


# ------------------------------------------------------------------ float32: promotion

def test_float32_is_evaluated_in_float64_when_f_follows_its_input():
    rng = np.random.default_rng(0)
    a = rng.standard_normal(50).astype(np.float32)
    x = rng.standard_normal(50).astype(np.float32)
    seen = []

    def f(v):
        seen.append(v.dtype)
        return np.sum(a * v ** 2)

    rep = check_grad(f, lambda v: 2 * a * v, x)
    assert rep and rep.dtype == "float32" and rep.details["evaluated_in"] == "float64"
    assert "f evaluated in float64" in repr(rep)
    assert set(seen) == {np.dtype(np.float64)} and rep.n_evals == 16
    seen.clear()
    rep = check_grad(f, lambda v: 2 * a * v, x, promote=False)
    assert rep and rep.details["evaluated_in"] == "float32" and "evaluated" not in repr(rep)
    assert set(seen) == {np.dtype(np.float32)}


def test_float32_claim_is_computed_at_the_float32_point():
    x = np.linspace(-1, 1, 7, dtype=np.float32)
    got = []

    def g(v):
        got.append(v.dtype)
        return 2 * v

    assert check_grad(lambda v: np.sum(v * v), g, x)
    assert got == [np.dtype(np.float32)]


def test_f_that_stays_in_float32_or_rejects_float64_is_not_promoted():
    x = np.linspace(0.5, 2, 6, dtype=np.float32)

    def stays32(v):
        return np.float32(np.sum(np.asarray(v, dtype=np.float32) ** 2))

    rep = check_grad(stays32, lambda v: 2 * v, x)
    assert rep and rep.details["evaluated_in"] == "float32" and rep.n_evals <= 16

    def picky(v):
        if v.dtype != np.float32:
            raise TypeError("float32 only")
        return np.sum(v ** 3)

    rep = check_grad(picky, lambda v: 3 * v * v, x)
    assert rep and rep.details["evaluated_in"] == "float32"
    assert not check_grad(picky, lambda v: v * v, x)


def test_float32_one_wrong_entry_among_many_is_caught():
    """The miss that motivated promotion: one entry wrong among 100 000, in float32."""
    rng = np.random.default_rng(1)
    n = 100_000
    x = rng.standard_normal(n).astype(np.float32)
    g = 2 * x
    bad = g.copy()
    bad[12345] += np.float32(np.sqrt(np.mean(g.astype(np.float64) ** 2)))
    f = lambda v: np.sum(v * v)  # noqa: E731
    assert check_grad(f, g, x)
    rep = check_grad(f, bad, x)
    assert not rep and rep.details["n_evals_verdict"] == 16
    # f evaluated in float32 only cannot see it: the rounding of f is larger than the error
    assert check_grad(f, bad, x, promote=False)


def test_promote_option_is_checked():
    with pytest.raises(TypeError, match="promote"):
        check_grad(np.sum, np.ones, np.ones(3), promote="yes")


# ------------------------------------------------------------------ C¹ points

@pytest.mark.parametrize("seed", range(12))
def test_elu_at_zero_is_not_a_false_alarm(seed):
    """ELU with alpha = 1 is C¹ but not C² at 0: a t|t| term in f along a line."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(6)
    x[rng.random(6) < 0.5] = 0.0
    x[0] = 0.0
    rep = check_grad(lambda v: np.sum(elu(v)), elu_grad, x)
    assert rep, rep
    assert rep.details["n_evals_verdict"] <= 16
    bad = elu_grad(x).copy()
    bad[0] = 0.5
    assert not check_grad(lambda v: np.sum(elu(v)), bad, x)


@pytest.mark.parametrize("f, g", [
    (lambda v: np.sum(v * np.abs(v)), lambda v: 2 * np.abs(v)),
    (lambda v: np.sum(np.maximum(v, 0) ** 2), lambda v: 2 * np.maximum(v, 0)),
])
def test_once_differentiable_points(f, g):
    for seed in range(8):
        x = np.random.default_rng(seed).standard_normal(5)
        x[:2] = 0.0
        assert check_grad(f, g, x, seed=seed)
    assert check_grad(f, g, 0.0)


# ------------------------------------------------------------------ cancellation

@pytest.mark.parametrize("seed", range(10))
def test_lda_log_odds_cancellation(seed):
    """A difference of two large quadratics: |f| says nothing about f's rounding error."""
    rng = np.random.default_rng(seed)
    d = 2
    L = rng.standard_normal((d, d)) + 2 * np.eye(d)
    Sinv = L @ L.T
    m0 = 3 * rng.standard_normal(d)
    m1 = m0 + 1e-2 * rng.standard_normal(d)
    x = 2 * rng.standard_normal(d) + 30

    def log_odds(v):
        r0, r1 = v - m0, v - m1
        return -0.5 * r1 @ Sinv @ r1 + 0.5 * r0 @ Sinv @ r0

    w = Sinv @ (m1 - m0)
    assert check_grad(log_odds, w, x)
    assert not check_grad(log_odds, 1.1 * w, x)


# ------------------------------------------------------------------ kinks

def test_kink_needs_confirmation_at_a_second_step():
    """A kink is reported only if the one-sided slopes agree at two small steps."""
    rep = check_grad(lambda v: np.sum(np.abs(v)), np.sign, np.array([0.0, 1.0, -2.0]))
    assert rep.verdict == "NOT DIFFERENTIABLE" and rep.n_evals <= 16


def test_jacobian_rows_with_cancellation_in_float32():
    """tanh layer near saturation: 1 - tanh² in float32 loses digits in some rows."""
    rng = np.random.default_rng(14)
    W = (3 * rng.standard_normal((8, 5))).astype(np.float32)
    x = rng.standard_normal(5).astype(np.float32)
    f = lambda v: np.tanh(W @ v)  # noqa: E731
    J = (1 - np.tanh(W @ x) ** 2)[:, None] * W
    assert check_jacobian(f, J, x)
    bad = J.copy()
    i, j = np.unravel_index(np.argmax(np.abs(J)), J.shape)
    bad[i, j] *= np.float32(1.01)             # 1 % off in the largest entry
    assert not check_jacobian(f, bad, x)


# ------------------------------------------------------------------ the stress families

def test_stress_families_no_false_alarm():
    """A few seeds of every stress family: no unexpected verdict on a correct derivative."""
    stress = _stress_module()
    counts, unexpected = stress.run_stress(range(4), [1, 3, 10], catalogue=False)
    bad_correct = {k: v for k, v in unexpected.items() if k[2] == "correct"}
    assert not bad_correct, bad_correct
    total = sum(sum(c.values()) for k, c in counts.items() if k[2] == "correct")
    assert total >= 100


def test_stress_catalogue_no_false_alarm():
    stress = _stress_module()
    counts, unexpected = stress.run_stress(range(2), [3, 10], dtypes=("float32",))
    bad = {k: v for k, v in unexpected.items() if k[0] == "smooth" or k[2] == "correct"}
    assert not bad, bad
    caught = counts[("smooth", "float32", "wrong")]
    assert caught.get("OK", 0) == 0


# ------------------------------------------------------------------ float32 claims that cancel

def _saturated(seed=6):
    rng = np.random.default_rng(seed)
    W = (4 * rng.standard_normal((3, 2))).astype(np.float32)
    x = rng.standard_normal(2).astype(np.float32)
    t = (0.999 * np.sign(rng.standard_normal(3))).astype(np.float32)
    b = rng.standard_normal(3).astype(np.float32)

    def f(v):
        return 0.5 * np.sum((np.tanh(W @ x + v) - t) ** 2)

    def g(v):                   # right formula; 1 - tanh(z)^2 cancels in float32 for |z| > 8
        a = np.tanh(W @ x + v)
        return (1 - a ** 2) * (a - t)

    return f, g, b


def test_float32_claim_with_cancellation_is_re_evaluated_in_float64():
    f, g, b = _saturated()
    rep = check_grad(f, g, b)
    assert rep and rep.details.get("claim_reevaluated")
    assert "the formula is right" in repr(rep)
    # an array cannot be re-evaluated: its float32 values really are several percent off
    assert not check_grad(f, g(b), b)
    # a wrong formula stays wrong in float64
    assert not check_grad(f, lambda v: 2 * g(v), b)
    assert not check_grad(f, lambda v: -g(v), b)


def test_float16_claims_get_a_bounded_allowance():
    x = np.linspace(-1, 1, 5).astype(np.float16)

    def f(v):
        return np.sum(np.sin(v) * v)

    def g(v):
        return np.cos(v) * v + np.sin(v)

    assert check_grad(f, g, x)
    assert check_grad(f, lambda v: 2 * g(v), x).diagnosis == "scaled by 2"
    assert not check_grad(f, lambda v: 1.05 * g(v), x)
