"""Tests of mlcalc.activations: values against mpmath, derivatives against autograd, central
differences and the checker, silence on hard inputs, and the input contract."""

import warnings
from contextlib import contextmanager

import autograd
import autograd.numpy as anp
import mpmath as mp
import numpy as np
import pytest
import scipy.special
from autograd import grad

import mlcalc
from mlcalc import (
    elu,
    elu_grad,
    leaky_relu,
    leaky_relu_grad,
    log_sigmoid,
    log_softmax,
    logsumexp,
    relu,
    relu_grad,
    sigmoid,
    sigmoid_grad,
    softmax,
    softmax_jacobian,
    softplus,
    softplus_grad,
    tanh,
    tanh_grad,
)

mp.mp.dps = 60
INF = np.inf


# ----------------------------------------------------------------------------------------------
# helpers
# ----------------------------------------------------------------------------------------------
@contextmanager
def silent():
    """Every NumPy overflow / invalid / divide flag and every warning becomes an error.

    Underflow is left alone: a result below the smallest float correctly rounds to 0 or a
    subnormal, and numpy raises the underflow flag for exp(-1000) itself.
    """
    with np.errstate(over="raise", invalid="raise", divide="raise"), warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


def assert_ulps(got, want, ulps=4, dtype=np.float64):
    """got equals want (NaN, +-inf in the same places) within `ulps` units in the last place."""
    got = np.asarray(got, dtype=np.float64)
    want = np.asarray(want, dtype=np.float64)
    assert got.shape == want.shape, (got.shape, want.shape)
    np.testing.assert_array_equal(np.isnan(got), np.isnan(want), err_msg="NaN positions differ")
    inf = np.isinf(want)
    np.testing.assert_array_equal(got[inf], want[inf], err_msg="infinities differ")
    fin = np.isfinite(want)
    assert np.all(np.isfinite(got[fin])), (got, want)
    tol = ulps * np.spacing(np.abs(want[fin]).astype(dtype)).astype(np.float64)
    err = np.abs(got[fin] - want[fin])
    bad = err > tol
    assert not np.any(bad), (
        f"off by more than {ulps} ulp: got {got[fin][bad]}, want {want[fin][bad]}, "
        f"error in ulps {(err / np.spacing(np.abs(want[fin])))[bad]}"
    )


def mpf(x):
    return mp.mpf(float(x))  # exact: every double is an mpf


def ref(fn, xs):
    """Apply an mpmath function to each float (exactly) and round the result to float64."""
    out = []
    for x in np.ravel(xs):
        if np.isnan(x):
            out.append(np.nan)
        else:
            out.append(float(fn(x)))
    return np.array(out).reshape(np.shape(xs))


def _mp_sigmoid(x):
    if x == INF:
        return mp.mpf(1)
    if x == -INF:
        return mp.mpf(0)
    return 1 / (1 + mp.exp(-mpf(x)))


def _mp_sigmoid_grad(x):
    if np.isinf(x):
        return mp.mpf(0)
    e = mp.exp(-abs(mpf(x)))
    return e / (1 + e) ** 2


def _mp_log_sigmoid(x):
    if x == INF:
        return mp.mpf(0)
    if x == -INF:
        return -mp.inf
    return -mp.log1p(mp.exp(-mpf(x)))


def _mp_softplus(x):
    if x == INF:
        return mp.inf
    if x == -INF:
        return mp.mpf(0)
    return mp.log1p(mp.exp(mpf(x)))


def _mp_tanh(x):
    return mp.tanh(mpf(x)) if np.isfinite(x) else mp.mpf(np.sign(x))


def _mp_tanh_grad(x):
    return mp.sech(mpf(x)) ** 2 if np.isfinite(x) else mp.mpf(0)


def _mp_elu(alpha):
    def f(x):
        if x > 0:
            return mpf(x)
        if x == -INF:
            return -mpf(alpha)
        return mpf(alpha) * mp.expm1(mpf(x))

    return f


def _mp_lse_minus_max(z):
    """logsumexp(z) - max(z); log1p keeps a tail that log(1 + tail) loses even at 60 digits."""
    z = sorted((mpf(v) for v in z if v != -INF), reverse=True)
    return mp.log1p(mp.fsum(mp.exp(v - z[0]) for v in z[1:]))


def _mp_logsumexp(z):
    if all(v == -INF for v in z):
        return -mp.inf
    return max(mpf(v) for v in z) + _mp_lse_minus_max(z)


def _mp_softmax(z):
    m = max(mpf(v) for v in z)
    den = mp.fsum(mp.exp(mpf(v) - m) for v in z if v != -INF)
    return [mp.mpf(0) if v == -INF else mp.exp(mpf(v) - m) / den for v in z]


def _mp_log_softmax(z):
    m = max(mpf(v) for v in z)
    lse_minus_m = _mp_lse_minus_max(z)  # small: no digits are lost to m
    return [-mp.inf if v == -INF else (mpf(v) - m) - lse_minus_m for v in z]


TAIL = np.array(
    [
        -INF,
        -1e308,
        -1000.0,
        -745.0,
        -700.0,
        -40.0,
        -20.0,
        -1.0,
        -1e-10,
        0.0,
        1e-10,
        1.0,
        20.0,
        40.0,
        700.0,
        745.0,
        1000.0,
        1e308,
        INF,
    ]
)


# ----------------------------------------------------------------------------------------------
# edge-case table: values against mpmath (an independent reference)
# ----------------------------------------------------------------------------------------------
ELEMENTWISE = [
    (sigmoid, _mp_sigmoid, 2),
    (sigmoid_grad, _mp_sigmoid_grad, 4),
    (log_sigmoid, _mp_log_sigmoid, 2),
    (softplus, _mp_softplus, 2),
    (softplus_grad, _mp_sigmoid, 2),
    (tanh, _mp_tanh, 2),
    (tanh_grad, _mp_tanh_grad, 4),
    (elu, _mp_elu(1.0), 2),
]


@pytest.mark.parametrize("f, mp_f, ulps", ELEMENTWISE, ids=lambda v: getattr(v, "__name__", ""))
def test_elementwise_tails_match_mpmath(f, mp_f, ulps):
    with silent():
        got = f(TAIL)
    assert_ulps(got, ref(mp_f, TAIL), ulps=ulps)


def test_headline_tail_values():
    with silent():
        assert sigmoid(-40.0) == pytest.approx(4.248354255291589e-18, rel=1e-15)
        assert sigmoid_grad(40.0) == pytest.approx(4.248354255291589e-18, rel=1e-15)
        assert log_sigmoid(-1000.0) == -1000.0
        assert log_sigmoid(40.0) == pytest.approx(-4.248354255291589e-18, rel=1e-15)
        assert softplus(-40.0) == pytest.approx(4.248354255291589e-18, rel=1e-15)
        assert softplus(1000.0) == 1000.0
        assert tanh_grad(20.0) == pytest.approx(float(mp.sech(20) ** 2), rel=1e-15)
        assert elu(-1e-10) == pytest.approx(float(mp.expm1(mp.mpf(-1e-10))), rel=1e-15)
        assert logsumexp([0.0, -40.0]) == pytest.approx(4.248354255291589e-18, rel=1e-15)


ELU_POINTS = np.array([-INF, -1000.0, -40.0, -1.0, -1e-5, -1e-10, -1e-300, 0.0, 1e-300, 2.0])


@pytest.mark.parametrize("alpha", [1.0, 0.5, 2.0])
def test_elu_and_grad_match_mpmath(alpha):
    with silent():
        got = elu(ELU_POINTS, alpha)
        got_grad = elu_grad(ELU_POINTS, alpha)
    assert_ulps(got, ref(_mp_elu(alpha), ELU_POINTS), ulps=2)
    want_grad = ref(lambda x: 1 if x > 0 else alpha * mp.exp(mpf(x)), ELU_POINTS)
    assert_ulps(got_grad, want_grad, ulps=2)


LSE_CASES = [
    [1000.0, 1001.0],
    [0.0, -40.0],
    [-40.0, 0.0, -40.0],
    [-INF, 0.0],
    [-INF, -1000.0, -1001.0],
    [0.0, 0.0, 0.0],
    [-1000.0, -1000.0],
    [0.0, 1000.0],
    [1e308, 1e308],
    [-1e308, 0.0],
    [3.0],
    [-745.0, 0.0, 1.0, -0.5],
]


@pytest.mark.parametrize("z", LSE_CASES, ids=str)
def test_softmax_family_matches_mpmath(z):
    with silent():
        lse = logsumexp(z)
        s = softmax(z)
        ls = log_softmax(z)
    assert_ulps(lse, float(_mp_logsumexp(z)), ulps=2)
    assert_ulps(s, np.array([float(v) for v in _mp_softmax(z)]), ulps=4)
    assert_ulps(ls, np.array([float(v) for v in _mp_log_softmax(z)]), ulps=4)


def test_softmax_family_non_finite_slices():
    z = np.array([[-INF, -INF], [INF, 0.0], [np.nan, 1.0], [-1.7e308, 1.7e308]])
    with silent():
        lse = logsumexp(z)
        s = softmax(z)
        ls = log_softmax(z)
        jac = softmax_jacobian(z)
    np.testing.assert_array_equal(lse[:3], [-INF, INF, np.nan])
    assert lse[3] == 1.7e308
    assert np.all(np.isnan(s[:3])) and np.all(np.isnan(ls[:3])) and np.all(np.isnan(jac[:3]))
    np.testing.assert_array_equal(s[3], [0.0, 1.0])
    np.testing.assert_array_equal(ls[3], [-INF, 0.0])  # true value -3.4e308 is beyond float


def test_softmax_jacobian_matches_mpmath_in_the_tail():
    z = [0.0, -40.0, -1.0]
    s = _mp_softmax(z)
    want = np.array([[float(s[i] * ((i == j) - s[j])) for j in range(3)] for i in range(3)])
    with silent():
        got = softmax_jacobian(z)
    assert_ulps(got, want, ulps=4)
    assert got[0, 0] > 0  # 1 - s_0 does not round to 0


# ----------------------------------------------------------------------------------------------
# derivatives: autograd, central differences, the checker
# ----------------------------------------------------------------------------------------------
PAIRS = [
    (sigmoid, sigmoid_grad, {}),
    (tanh, tanh_grad, {}),
    (softplus, softplus_grad, {}),
    (relu, relu_grad, {}),
    (leaky_relu, leaky_relu_grad, {}),
    (leaky_relu, leaky_relu_grad, {"alpha": 0.2}),
    (elu, elu_grad, {}),
    (elu, elu_grad, {"alpha": 0.3}),
    (log_sigmoid, lambda x: sigmoid(-np.asarray(x)), {}),
]
PAIR_IDS = [f"{f.__name__}{kw}" for f, _, kw in PAIRS]
SHAPES = [(), (7,), (3, 4), (2, 3, 5)]


def central_diff(f, x, h=1e-6):
    """Elementwise derivative of an elementwise f by central differences."""
    step = h * np.maximum(1.0, np.abs(x))
    return (f(x + step) - f(x - step)) / (2 * step)


@pytest.mark.parametrize("f, g, kw", PAIRS, ids=PAIR_IDS)
@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_grad_matches_autograd_and_central_differences(f, g, kw, shape):
    rng = np.random.default_rng(sum(shape) + 17)
    x = rng.normal(scale=3.0, size=shape)
    want = g(x, **kw)
    auto = autograd.elementwise_grad(lambda v: f(v, **kw))(x)
    np.testing.assert_allclose(auto, want, rtol=1e-13, atol=1e-300)
    num = central_diff(lambda v: f(v, **kw), x)
    np.testing.assert_allclose(num, want, rtol=1e-6, atol=1e-9)


HARD = np.array([-1000.0, -700.0, -40.0, -20.0, -1e-10, 0.0, 1e-10, 20.0, 40.0, 700.0, 1000.0])


@pytest.mark.parametrize("f, g, kw", PAIRS, ids=PAIR_IDS)
def test_grad_matches_autograd_at_hard_inputs(f, g, kw):
    """Including the kink x = 0: autograd's derivative of our formula is our convention."""
    with silent():
        want = g(HARD, **kw)
        auto = autograd.elementwise_grad(lambda v: f(v, **kw))(HARD)
    np.testing.assert_allclose(auto, want, rtol=1e-13, atol=1e-300)


def test_kink_conventions():
    assert relu_grad(0.0) == 0.0
    assert leaky_relu_grad(0.0) == 0.01 and leaky_relu_grad(0.0, alpha=0.3) == 0.3
    assert elu_grad(0.0) == 1.0 and elu_grad(0.0, alpha=2.0) == 2.0
    assert elu_grad(0.0, alpha=0.5) == 0.5
    assert leaky_relu_grad(-0.0, alpha=0.3) == 0.3 and relu_grad(-0.0) == 0.0
    # autograd agrees at the kink
    assert autograd.grad(relu)(0.0) == 0.0
    assert autograd.grad(lambda v: leaky_relu(v, 0.3))(0.0) == 0.3
    assert autograd.grad(lambda v: elu(v, 2.0))(0.0) == 2.0


def test_sigmoid_grad_beats_textbook_form():
    x = np.array([38.0, 40.0, 100.0])
    textbook = sigmoid(x) * (1 - sigmoid(x))
    assert np.all(textbook == 0.0)  # the trap the docstring describes
    assert_ulps(sigmoid_grad(x), ref(_mp_sigmoid_grad, x), ulps=4)


def test_tanh_grad_beats_textbook_form():
    x = np.array([20.0, 40.0, 300.0])
    assert np.all(1 - tanh(x) ** 2 == 0.0)
    assert_ulps(tanh_grad(x), ref(_mp_tanh_grad, x), ulps=4)


def test_second_derivatives_match_autograd():
    """The _grad functions are autograd-differentiable too (used by the Hessian chapters)."""
    x = np.random.default_rng(3).normal(scale=3, size=9)
    s = sigmoid(x)
    t = tanh(x)
    np.testing.assert_allclose(
        autograd.elementwise_grad(sigmoid_grad)(x),
        s * (1 - s) * (1 - 2 * s),
        rtol=1e-10,
        atol=1e-15,
    )
    np.testing.assert_allclose(
        autograd.elementwise_grad(tanh_grad)(x), -2 * t * (1 - t**2), rtol=1e-10, atol=1e-15
    )


@pytest.mark.parametrize("shape, axis", [((5,), -1), ((3, 4), -1), ((3, 4), 0), ((2, 3, 4), 1)])
def test_logsumexp_grad_is_softmax(shape, axis):
    rng = np.random.default_rng(len(shape) * 10 + axis)
    z = rng.normal(scale=5, size=shape)
    w = rng.normal(size=np.delete(np.array(shape), axis))
    g = autograd.grad(lambda v: anp.sum(w * logsumexp(v, axis=axis)))(z)
    np.testing.assert_allclose(g, np.expand_dims(w, axis) * softmax(z, axis=axis), rtol=1e-12)


@pytest.mark.parametrize(
    "z",
    [[0.3, -1.2, 2.0, 0.0], [1000.0, 1001.0, 999.0], [0.0, -40.0], [5.0], [-INF, 0.0, 1.0]],
    ids=str,
)
def test_softmax_jacobian_matches_autograd(z):
    z = np.array(z)
    with silent():
        want = softmax_jacobian(z)
        auto = autograd.jacobian(softmax)(z)
    assert want.shape == (z.size, z.size)
    np.testing.assert_allclose(auto, want, rtol=1e-12, atol=1e-16)
    np.testing.assert_allclose(want, want.T)
    np.testing.assert_allclose(want.sum(axis=1), 0.0, atol=1e-16)


def test_softmax_jacobian_by_central_differences_and_batches():
    rng = np.random.default_rng(5)
    z = rng.normal(size=(2, 3, 4))
    jac = softmax_jacobian(z)
    assert jac.shape == (2, 3, 4, 4)
    for idx in np.ndindex(2, 3):
        v = z[idx]
        num = np.stack([(softmax(v + h) - softmax(v - h)) / 2e-6 for h in np.eye(4) * 1e-6], 1)
        np.testing.assert_allclose(jac[idx], num, atol=1e-9)
        np.testing.assert_allclose(jac[idx], softmax_jacobian(v), rtol=1e-15)


def test_log_softmax_jacobian_matches_autograd():
    z = np.array([0.5, -2.0, 3.0])
    s = softmax(z)
    np.testing.assert_allclose(
        autograd.jacobian(log_softmax)(z), np.eye(3) - s[None, :], rtol=1e-13
    )


@pytest.mark.skipif(not hasattr(mlcalc, "check_grad"), reason="mlcalc.check_grad not merged yet")
@pytest.mark.parametrize("f, g, kw", PAIRS, ids=PAIR_IDS)
def test_grad_with_mlcalc_checker(f, g, kw):
    x = np.random.default_rng(11).normal(scale=2, size=(3, 4))
    mlcalc.check_grad(lambda v: anp.sum(f(v, **kw)), lambda v: g(v, **kw), x).assert_ok()
    wrong = mlcalc.check_grad(lambda v: anp.sum(f(v, **kw)), lambda v: 0.5 * g(v, **kw), x)
    assert not wrong


@pytest.mark.skipif(not hasattr(mlcalc, "check_jacobian"), reason="checker not merged yet")
def test_softmax_jacobian_with_mlcalc_checker():
    z = np.random.default_rng(12).normal(size=5)
    mlcalc.check_jacobian(softmax, softmax_jacobian, z).assert_ok()
    assert not mlcalc.check_jacobian(softmax, lambda v: softmax_jacobian(v).T * 2, z)


# ----------------------------------------------------------------------------------------------
# silence on hard inputs
# ----------------------------------------------------------------------------------------------
ALL_ELEMENTWISE = [
    sigmoid,
    sigmoid_grad,
    log_sigmoid,
    softplus,
    softplus_grad,
    tanh,
    tanh_grad,
    relu,
    relu_grad,
    leaky_relu,
    leaky_relu_grad,
    elu,
    elu_grad,
]


@pytest.mark.parametrize("f", ALL_ELEMENTWISE, ids=lambda f: f.__name__)
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_silent_on_hard_inputs(f, dtype):
    big = np.finfo(dtype).max / 2  # 1e308 does not fit in float32
    tail = np.where(np.abs(TAIL) == 1e308, np.sign(TAIL) * big, TAIL)
    tiny = np.finfo(dtype).smallest_subnormal
    x = np.concatenate([tail, [np.nan, -0.0, tiny, -tiny]]).astype(dtype)
    with silent():
        y = f(x)
    assert y.dtype == dtype
    assert np.isnan(y[len(TAIL)])  # NaN in, NaN out
    assert not np.any(np.isnan(y[: len(TAIL)]))


@pytest.mark.parametrize("f", [softmax, log_softmax, logsumexp, softmax_jacobian])
def test_softmax_family_silent(f):
    z = np.array(
        [
            [1000.0, 1001.0, -INF],
            [-INF, -INF, -INF],
            [INF, 0.0, -INF],
            [np.nan, 0.0, 1.0],
            [-1.7e308, 1.7e308, 0.0],
            [0.0, -1000.0, -40.0],
        ]
    )
    z32 = np.where(np.abs(z) > 1e308, np.sign(z) * 3e38, z).astype(np.float32)
    with silent():
        f(z)
        f(z32)


def test_autograd_silent_at_finite_hard_inputs():
    with silent():
        for f in [sigmoid, log_sigmoid, softplus, tanh, elu, relu, leaky_relu]:
            autograd.elementwise_grad(f)(HARD)
        autograd.jacobian(softmax)(np.array([1000.0, 0.0, -1000.0]))
        autograd.grad(logsumexp)(np.array([1000.0, 0.0, -INF]))


# ----------------------------------------------------------------------------------------------
# the input contract
# ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "f", ALL_ELEMENTWISE + [softmax, log_softmax, softmax_jacobian], ids=lambda f: f.__name__
)
def test_lists_ints_float32_and_no_mutation(f):
    ints = [[-2, 0, 3], [1, 1, -1]]
    y = f(ints)
    assert y.dtype == np.float64
    np.testing.assert_allclose(y, f(np.array(ints, dtype=float)))
    x32 = np.array([[-2.5, 0.0, 3.0], [1.0, 1.5, -1.0]], dtype=np.float32)
    x32.flags.writeable = False  # any in-place write would raise
    y32 = f(x32)
    assert y32.dtype == np.float32
    np.testing.assert_allclose(y32, f(x32.astype(np.float64)), rtol=2e-6, atol=1e-7)
    x = np.array([[-2.5, 0.0, 3.0], [1.0, 1.5, -1.0]])
    before = x.copy()
    y = f(x)
    np.testing.assert_array_equal(x, before)
    assert not np.shares_memory(x, y)


def test_float32_accuracy_against_mpmath():
    x = np.array([-100.0, -40.0, -1.0, 0.0, 2.0, 40.0], dtype=np.float32)
    assert_ulps(sigmoid(x), ref(_mp_sigmoid, x), ulps=2, dtype=np.float32)
    assert_ulps(log_sigmoid(x), ref(_mp_log_sigmoid, x), ulps=2, dtype=np.float32)
    assert_ulps(softplus(x), ref(_mp_softplus, x), ulps=2, dtype=np.float32)
    assert_ulps(sigmoid_grad(x), ref(_mp_sigmoid_grad, x), ulps=4, dtype=np.float32)
    z = np.array([80.0, 81.0, 0.0], dtype=np.float32)  # exp(81) overflows float32
    assert_ulps(logsumexp(z), float(_mp_logsumexp(z)), ulps=2, dtype=np.float32)


def test_scalars_give_numpy_scalars():
    for f in ALL_ELEMENTWISE:
        y = f(0.5)
        assert isinstance(y, np.float64), f.__name__
    assert isinstance(logsumexp([1.0, 2.0]), np.float64)
    assert sigmoid(np.float32(0.5)).dtype == np.float32


def test_elementwise_nan_is_elementwise():
    x = np.array([np.nan, 1.0])
    for f in ALL_ELEMENTWISE:
        y = f(x)
        assert np.isnan(y[0]) and not np.isnan(y[1]), f.__name__


def test_softmax_axis_and_shift_invariance():
    rng = np.random.default_rng(2)
    z = rng.normal(size=(3, 5))
    np.testing.assert_allclose(softmax(z, axis=0), softmax(z.T).T, rtol=1e-15)
    np.testing.assert_allclose(softmax(z).sum(axis=-1), 1.0, rtol=1e-15)
    np.testing.assert_allclose(softmax(z + 700.0), softmax(z), rtol=1e-12)
    np.testing.assert_allclose(log_softmax(z), np.log(softmax(z)), rtol=1e-13)
    np.testing.assert_allclose(logsumexp(z, axis=0), np.log(np.exp(z).sum(axis=0)), rtol=1e-14)
    assert logsumexp(z, axis=1).shape == (3,)


@pytest.mark.parametrize(
    "bad", [1 + 2j, [1j, 2.0], ["a", "b"], [object()]],
    ids=["complex", "complex-list", "strings", "object"]
)
def test_non_real_input_is_a_type_error(bad):
    with pytest.raises(TypeError, match="x"):
        sigmoid(bad)
    with pytest.raises(TypeError, match="z"):
        softmax(bad if np.ndim(bad) else [bad])


def test_ragged_input_names_the_argument():
    with pytest.raises(ValueError, match="^x "):
        relu([[1.0, 2.0], [3.0]])


@pytest.mark.parametrize("f", [softmax, log_softmax, logsumexp])
def test_softmax_family_bad_axis_and_shapes(f):
    with pytest.raises(ValueError, match=r"axis 2 is out of range for z with shape \(2, 3\)"):
        f(np.zeros((2, 3)), axis=2)
    with pytest.raises(TypeError, match="axis"):
        f(np.zeros((2, 3)), axis=(0, 1))
    with pytest.raises(ValueError, match=r"z must have at least one dimension"):
        f(1.0)
    assert f(np.zeros((0, 3))).shape[0] == 0  # no rows is fine: nothing to normalise


def test_empty_vectors_follow_the_empty_sum():
    """The sum of no exponentials is 0: logsumexp of nothing is log 0 = -inf, and softmax and
    log_softmax of nothing are empty (as torch.logsumexp / torch.softmax; scipy.special agrees
    on logsumexp, and its softmax raises on an empty vector)."""
    for dtype in (np.float64, np.float32):
        e = np.zeros(0, dtype=dtype)
        assert logsumexp(e) == -np.inf and logsumexp(e).dtype == dtype
        assert softmax(e).shape == log_softmax(e).shape == (0,)
        assert softmax(e).dtype == log_softmax(e).dtype == dtype
    rows = np.zeros((2, 0))
    assert np.array_equal(logsumexp(rows), [-np.inf, -np.inf])
    assert np.array_equal(logsumexp(rows), scipy.special.logsumexp(rows, axis=-1))
    assert softmax(rows).shape == log_softmax(rows).shape == (2, 0)
    assert logsumexp(np.zeros((3, 0)), axis=0).shape == (0,)
    # the gradient of logsumexp is softmax, at no entries too: empty, and no warning
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert grad(lambda v: logsumexp(v))(np.zeros(0)).shape == (0,)


def test_softmax_jacobian_bad_input():
    with pytest.raises(ValueError, match="z must have at least one dimension"):
        softmax_jacobian(2.0)
    assert softmax_jacobian([]).shape == (0, 0)          # the Jacobian of R^0 -> R^0
    assert softmax_jacobian(np.zeros((4, 0))).shape == (4, 0, 0)


@pytest.mark.parametrize("f", [leaky_relu, leaky_relu_grad, elu, elu_grad])
def test_alpha_validation(f):
    with pytest.raises(ValueError, match=r"alpha must be a scalar, got shape \(2,\)"):
        f([1.0, -1.0], alpha=[0.1, 0.2])
    with pytest.raises(ValueError, match="alpha must be finite"):
        f([1.0, -1.0], alpha=np.inf)
    with pytest.raises(TypeError, match="alpha"):
        f([1.0, -1.0], alpha="0.1")
    assert f(np.float32([-1.0]), alpha=np.float64(0.5)).dtype == np.float32


def test_leaky_relu_alpha_zero_is_relu():
    x = np.array([-INF, -1.0, 0.0, 2.0, np.nan])
    with silent():
        np.testing.assert_array_equal(leaky_relu(x, alpha=0.0), relu(x))
        np.testing.assert_array_equal(leaky_relu_grad(x, alpha=0.0), relu_grad(x))


def test_leaky_relu_is_differentiable_in_alpha():
    x = np.array([-2.0, -0.5, 1.0])
    g = autograd.grad(lambda a: anp.sum(leaky_relu(x, a)))(0.1)
    assert g == pytest.approx(-2.5)
