"""Tests of mlcalc.checks: numerical derivatives and the directional checkers."""

import re

import autograd.numpy as anp
import numpy as np
import pytest
from autograd import grad, hessian, jacobian

from mlcalc import (
    CheckReport,
    check_grad,
    check_hessian,
    check_jacobian,
    numerical_grad,
    numerical_hessian,
    numerical_jacobian,
)

SHAPES = [(), (1,), (5,), (3, 4), (4, 4), (2, 3, 2)]


def smooth_scalar(x):
    """A smooth scalar function of an array of any shape, written for autograd."""
    return anp.sum(anp.sin(x) * x ** 2) + anp.log(1.0 + anp.sum(x ** 2)) + 0.3 * anp.sum(x) ** 2


def smooth_vector(x):
    """A smooth vector function (3 outputs) of an array of any shape."""
    s = anp.sum(x ** 2)
    return anp.array([anp.sum(anp.tanh(x)), s * anp.sum(x), anp.exp(-0.1 * s)])


def point(shape, seed=0, dtype=np.float64):
    return np.random.default_rng(seed).standard_normal(shape).astype(dtype)


# ------------------------------------------------------------------ numerical derivatives

@pytest.mark.parametrize("shape", SHAPES)
def test_numerical_grad_matches_autograd(shape):
    x = point(shape, 1)
    g = numerical_grad(smooth_scalar, x)
    assert g.shape == x.shape
    np.testing.assert_allclose(g, grad(smooth_scalar)(x), rtol=1e-8, atol=1e-9)


@pytest.mark.parametrize("shape", SHAPES)
def test_numerical_jacobian_matches_autograd(shape):
    x = point(shape, 2)
    J = numerical_jacobian(smooth_vector, x)
    assert J.shape == smooth_vector(x).shape + x.shape
    np.testing.assert_allclose(J, jacobian(smooth_vector)(x), rtol=1e-8, atol=1e-8)


@pytest.mark.parametrize("shape", [(), (3,), (2, 3)])
def test_numerical_hessian_matches_autograd(shape):
    x = point(shape, 3)
    H = numerical_hessian(smooth_scalar, x)
    assert H.shape == x.shape + x.shape
    np.testing.assert_allclose(H, hessian(smooth_scalar)(x), rtol=1e-6, atol=1e-6)


def test_numerical_grad_float32_and_integer_input():
    x32 = point(6, 4, np.float32)
    np.testing.assert_allclose(numerical_grad(smooth_scalar, x32),
                               grad(smooth_scalar)(x32.astype(np.float64)), rtol=2e-3, atol=2e-3)
    xi = np.arange(4)
    np.testing.assert_allclose(numerical_grad(lambda x: np.sum(x ** 3), xi), 3.0 * xi ** 2,
                               rtol=1e-9, atol=1e-9)


def test_numerical_grad_wrong_output():
    with pytest.raises(ValueError, match="scalar"):
        numerical_grad(lambda x: x * 2, np.ones(3))


# ------------------------------------------------------------------ check_grad: right and wrong

@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_check_grad_accepts_correct_gradient(shape, seed):
    x = point(shape, 10 + seed)
    rep = check_grad(smooth_scalar, grad(smooth_scalar), x, seed=seed)
    assert rep, rep
    assert rep.ok and rep.verdict == "OK" and rep.diagnosis is None
    assert rep.error <= rep.tolerance
    assert rep.n_evals <= 16


@pytest.mark.parametrize("shape", [(5,), (3, 4), (2, 3, 2)])
def test_check_grad_rejects_wrong_gradients(shape):
    x = point(shape, 20)
    g = grad(smooth_scalar)

    def one_entry(z):
        out = g(z).copy()
        out.flat[1] += 0.5
        return out

    for wrong in (lambda z: 2 * g(z), lambda z: -g(z), lambda z: g(z) + 1e-4, one_entry,
                  lambda z: np.zeros_like(z)):
        rep = check_grad(smooth_scalar, wrong, x)
        assert not rep and rep.verdict == "WRONG", rep
        assert rep.error > rep.tolerance


def test_check_grad_accepts_an_array():
    x = point(7, 5)
    assert check_grad(smooth_scalar, grad(smooth_scalar)(x), x)
    assert not check_grad(smooth_scalar, 1.01 * grad(smooth_scalar)(x), x)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("scale", [1e-6, 1.0, 1e6])
@pytest.mark.parametrize("n", [10, 1000, 20000])
def test_scale_dtype_and_size(dtype, scale, n):
    rng = np.random.default_rng(n)
    x = rng.standard_normal(n).astype(dtype)
    b = rng.standard_normal(n).astype(dtype)
    c = dtype(scale)

    def f(z):
        return c * (np.sum(z * z) / 2 + np.sum(np.logaddexp(0, b * z)))

    def g(z):
        return c * (z + b / (1 + np.exp(-b * z)))

    rep = check_grad(f, g, x)
    assert rep, rep
    assert rep.n_evals <= 16
    assert rep.dtype == np.dtype(dtype).name
    assert not check_grad(f, lambda z: 2 * g(z), x)
    assert not check_grad(f, lambda z: g(z)[::-1], x)


def test_cost_does_not_grow_with_n():
    counts = []
    for n in (3, 300, 30000):
        calls = []

        def f(z, calls=calls):
            calls.append(1)
            return np.sum(z ** 2)

        rep = check_grad(f, lambda z: 2 * z, point(n, 1))
        assert rep
        counts.append(len(calls))
        assert rep.n_evals == len(calls)
    assert counts[0] == counts[1] == counts[2] <= 16


def test_directional_not_per_coordinate_cost_float32_noise():
    # a float32 sum of many terms: noise far above eps*|f| per term, no false alarm
    x = point(50000, 3, np.float32)
    assert check_grad(lambda z: np.sum(np.cos(z)), lambda z: -np.sin(z), x)


# ------------------------------------------------------------------ kinks

@pytest.mark.parametrize("fun,der", [
    (lambda z: np.sum(np.abs(z)), np.sign),
    (lambda z: np.sum(np.maximum(z, 0)), lambda z: (z > 0).astype(float)),
    (lambda z: np.sum(np.maximum(z, 0)), lambda z: (z >= 0).astype(float)),
])
@pytest.mark.parametrize("n", [1, 4, 200])
def test_kink_at_x_is_not_differentiable(fun, der, n):
    x = point(n, 4)
    x[0] = 0.0
    rep = check_grad(fun, der, x)
    assert not rep
    assert rep.verdict == "NOT DIFFERENTIABLE", rep
    assert rep.diagnosis == "not differentiable here"
    assert "NOT DIFFERENTIABLE here" in repr(rep)


def test_kink_not_at_x_is_fine():
    x = point(6, 5)
    x[0] = 1e-3          # the kink of |x_0| is inside the finite-difference step
    assert check_grad(lambda z: np.sum(np.abs(z)), np.sign, x)
    x[0] = 0.5
    assert check_grad(lambda z: np.sum(np.maximum(z, 0)),
                      lambda z: (z > 0).astype(float), x)


def test_many_kinks_near_x_no_false_alarm():
    # a ReLU layer in 3000 dimensions: many kinks lie within the step of x
    rng = np.random.default_rng(6)
    n = 3000
    w = rng.standard_normal(n)
    x = rng.standard_normal(n)

    def f(z):
        return np.sum(w * np.maximum(z, 0)) + 0.5 * np.sum(z ** 2)

    def g(z):
        return w * (z > 0) + z

    rep = check_grad(f, g, x)
    assert rep, rep
    assert not check_grad(f, lambda z: 2 * g(z), x)


# ------------------------------------------------------------------ Jacobians and Hessians

@pytest.mark.parametrize("shape", [(), (4,), (2, 3)])
def test_check_jacobian(shape):
    x = point(shape, 7)
    J = jacobian(smooth_vector)
    rep = check_jacobian(smooth_vector, J, x)
    assert rep, rep
    assert rep.kind == "jacobian" and rep.n_evals <= 16
    assert not check_jacobian(smooth_vector, lambda z: 1.5 * J(z), x)


def test_check_jacobian_one_component_wrong():
    rng = np.random.default_rng(8)
    W = rng.standard_normal((400, 30))
    x = rng.standard_normal(30)

    def f(z):
        return np.tanh(W @ z)

    def J(z):
        return (1 - np.tanh(W @ z) ** 2)[:, None] * W

    assert check_jacobian(f, J, x)

    def J_bad(z):
        out = J(z)
        out[123, 4] *= 1.5
        return out

    assert not check_jacobian(f, J_bad, x)


def test_check_hessian_both_paths():
    rng = np.random.default_rng(9)
    A = rng.standard_normal((5, 5))
    x = rng.standard_normal(5)

    def f(z):
        return z @ A @ z + np.sum(np.exp(z))

    def H(z):
        return A + A.T + np.diag(np.exp(z))

    def g(z):
        return (A + A.T) @ z + np.exp(z)

    assert check_hessian(f, H, x)
    assert check_hessian(f, H, x, grad_f=g)
    for bad in (lambda z: 2 * H(z), lambda z: 2 * A + np.diag(np.exp(z)),
                lambda z: H(z) + 1e-3):
        assert not check_hessian(f, bad, x)
        assert not check_hessian(f, bad, x, grad_f=g)
    rep = check_hessian(f, H, x)
    assert rep.kind == "hessian" and rep.n_evals <= 16
    rep = check_hessian(f, H, x, grad_f=g)
    assert rep.kind == "hessian" and rep.n_evals <= 16 and "grad_f" in repr(rep)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_check_hessian_autograd_shapes(dtype):
    x = point((2, 3), 12, dtype)
    Hf = hessian(smooth_scalar)
    assert check_hessian(smooth_scalar, lambda z: Hf(z.astype(np.float64)), x)
    assert not check_hessian(smooth_scalar, lambda z: 1.2 * Hf(z.astype(np.float64)), x)


# ------------------------------------------------------------------ report and options

def test_report_interface():
    x = np.arange(1.0, 4.0)
    rep = check_grad(lambda z: np.sum(z ** 2), lambda z: 2 * z, x)
    assert isinstance(rep, CheckReport)
    assert bool(rep) is True
    assert rep.assert_ok() is rep
    bad = check_grad(lambda z: np.sum(z ** 2), lambda z: 4 * z, x)
    with pytest.raises(AssertionError, match=re.escape(repr(bad))):
        bad.assert_ok()
    assert str(bad) == repr(bad)
    assert "claimed" in bad.details and len(bad.details["numerical"]) == 3


def test_golden_reprs():
    x = np.array([1.0, -2.0, 0.5])

    def f(z):
        return np.sum(z ** 2)

    assert repr(check_grad(f, lambda z: 2 * z, x)) == (
        "gradient OK: relative error 3.8e-13 <= tolerance 1.3e-11 "
        "(3 random directions, 16 evaluations of f)")
    assert repr(check_grad(f, lambda z: 4 * z, x)) == (
        "gradient WRONG (scaled by 2): relative error 5.0e-01 > tolerance 1.3e-11 "
        "(3 random directions, 16 evaluations of f)")
    assert repr(check_grad(f, lambda z: -2 * z, x)) == (
        "gradient WRONG (sign flipped): relative error 2.0e+00 > tolerance 2.0e-11 "
        "(3 random directions, 16 evaluations of f)")
    assert repr(check_grad(lambda z: np.sum(np.abs(z)), np.sign, np.array([0.0, 1.0]))) == (
        "gradient NOT DIFFERENTIABLE here (3 random directions, 10 evaluations of f; one-sided "
        "slopes along a random direction: -0.182 and -0.00451)")
    x32 = x.astype(np.float32)
    assert repr(check_grad(f, lambda z: 2 * z, x32)) == (
        "gradient OK: relative error 1.9e-13 <= tolerance 2.0e-05 "
        "(3 random directions, 16 evaluations of f; f evaluated in float64)")
    assert repr(check_grad(f, lambda z: 2 * z, x32, promote=False)) == (
        "gradient OK: relative error 7.4e-06 <= tolerance 1.8e-04 "
        "(3 random directions, 16 evaluations of f)")


def test_deterministic_and_seeded():
    x = point(20, 13)
    g = grad(smooth_scalar)
    r1, r2 = check_grad(smooth_scalar, g, x), check_grad(smooth_scalar, g, x)
    assert repr(r1) == repr(r2)
    r3 = check_grad(smooth_scalar, g, x, seed=123)
    assert r3 and not np.allclose(r1.details["claimed"][0], r3.details["claimed"][0])
    # no global random state is touched
    state = np.random.get_state()[1].copy()
    check_grad(smooth_scalar, g, x)
    assert np.array_equal(state, np.random.get_state()[1])


def test_options():
    x = point(8, 14)
    g = grad(smooth_scalar)
    assert check_grad(smooth_scalar, g, x, directions=1).n_directions == 1
    assert check_grad(smooth_scalar, g, x, directions=1).n_evals == 8
    # a user-chosen relative tolerance: a 1e-3 relative error passes rtol=1e-2, not 1e-4
    assert check_grad(smooth_scalar, lambda z: g(z) * (1 + 1e-3), x, rtol=1e-2)
    assert not check_grad(smooth_scalar, lambda z: g(z) * (1 + 1e-3), x, rtol=1e-4)
    assert check_grad(smooth_scalar, g, x, step=1e-3)
    with pytest.raises(ValueError, match="directions"):
        check_grad(smooth_scalar, g, x, directions=0)
    with pytest.raises(TypeError, match="directions"):
        check_grad(smooth_scalar, g, x, directions=2.0)
    with pytest.raises(ValueError, match="rtol"):
        check_grad(smooth_scalar, g, x, rtol=-1)
    with pytest.raises(ValueError, match="step"):
        check_grad(smooth_scalar, g, x, step=2.0)


def test_inputs_not_modified_and_mutating_f():
    x = point(5, 15)
    x0 = x.copy()

    def f(z):
        z *= 2.0            # a careless f that writes into its argument
        return np.sum(z ** 2) / 4

    def g(z):
        z += 0.0            # writes too
        return 2 * z

    assert check_grad(f, g, x)
    assert np.array_equal(x, x0)


# ------------------------------------------------------------------ bad input

def test_bad_inputs_name_argument_and_shape():
    x = np.ones(3)
    with pytest.raises(ValueError, match=r"grad_f has shape \(3, 1\).*shape \(3,\)"):
        check_grad(lambda z: np.sum(z ** 2), lambda z: (2 * z).reshape(3, 1), x)
    with pytest.raises(ValueError, match="transpose"):
        check_grad(lambda z: np.sum(z), np.ones((3, 2)), np.ones((2, 3)))
    with pytest.raises(ValueError, match="scalar"):
        check_grad(lambda z: 2 * z, lambda z: 2 * np.eye(3), x)
    with pytest.raises(TypeError, match="f must be a callable"):
        check_grad(3.0, lambda z: z, x)
    with pytest.raises(TypeError, match="x must be real"):
        check_grad(lambda z: np.sum(z), np.ones(2), np.ones(2) * 1j)
    with pytest.raises(ValueError, match="x must be finite"):
        check_grad(lambda z: np.sum(z), np.ones(2), np.array([1.0, np.nan]))
    with pytest.raises(ValueError, match="not finite"), np.errstate(invalid="ignore"):
        check_grad(lambda z: np.sum(np.log(z)), lambda z: 1 / z, -np.ones(2))
    with pytest.raises(ValueError, match=r"jac_f has shape \(3, 3\).*\(2,\) \+ \(3,\)"):
        check_jacobian(lambda z: z[:2], np.eye(3), x)
    with pytest.raises(ValueError, match=r"hess_f has shape \(3,\)"):
        check_hessian(lambda z: np.sum(z), np.ones(3), x)
    with pytest.raises(TypeError, match="grad_f must be a callable"):
        check_hessian(lambda z: np.sum(z), np.zeros((3, 3)), x, grad_f=np.ones(3))


def test_nan_claimed_is_wrong_not_crash():
    x = np.ones(3)
    rep = check_grad(lambda z: np.sum(z ** 2), lambda z: np.full(3, np.nan), x)
    assert not rep and rep.diagnosis == "claimed derivative contains NaN or inf"


def test_domain_edge_is_reported():
    # x at the edge of log's domain along the random directions: not a verdict on the gradient
    x = np.array([1e-12, 1.0, 2.0])
    with np.errstate(invalid="ignore"):
        rep = check_grad(lambda z: np.sum(np.log(z)), lambda z: 1 / z, x)
    assert not rep or rep.verdict == "OK"
    assert rep.verdict in ("OK", "NOT CHECKED")
