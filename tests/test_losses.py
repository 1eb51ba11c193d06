"""Tests of mlcalc.losses: values and gradients against mpmath at hard inputs, gradients against
autograd, central differences and the checker, silence, and the input contract."""

import warnings
from contextlib import contextmanager

import autograd
import mpmath as mp
import numpy as np
import pytest

import mlcalc
from mlcalc import (
    bce,
    bce_grad,
    bce_with_logits,
    bce_with_logits_grad,
    gaussian_nll,
    gaussian_nll_grad,
    hinge,
    hinge_grad,
    logistic_loss,
    logistic_loss_grad,
    mae,
    mae_grad,
    mse,
    mse_grad,
    softmax_cross_entropy,
    softmax_cross_entropy_grad,
)

mp.mp.dps = 60
INF = np.inf
SIGMA40 = 4.248354255291589e-18  # sigma(-40) = e^-40 / (1 + e^-40)


@contextmanager
def silent():
    """Overflow / invalid / divide flags and all warnings become errors (underflow to 0 is fine)."""
    with np.errstate(over="raise", invalid="raise", divide="raise"), warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


def assert_ulps(got, want, ulps=4):
    got = np.asarray(got, dtype=np.float64)
    want = np.asarray(want, dtype=np.float64)
    assert got.shape == want.shape, (got.shape, want.shape)
    np.testing.assert_array_equal(np.isnan(got), np.isnan(want), err_msg="NaN positions differ")
    inf = np.isinf(want)
    np.testing.assert_array_equal(got[inf], want[inf], err_msg="infinities differ")
    fin = np.isfinite(want)
    assert np.all(np.isfinite(got[fin])), (got, want)
    err = np.abs(got[fin] - want[fin])
    bad = err > ulps * np.spacing(np.abs(want[fin]))
    assert not np.any(bad), f"got {got[fin][bad]}, want {want[fin][bad]} (more than {ulps} ulp)"


def mpf(x):
    return mp.mpf(float(x))


# ----------------------------------------------------------------------------------------------
# mpmath references (per entry; the tables below use batches of one, so mean = entry)
# ----------------------------------------------------------------------------------------------
def mp_softplus(x):
    if x == INF:
        return mp.inf
    if x == -INF:
        return mp.mpf(0)
    return mp.log1p(mp.exp(mpf(x)))


def mp_sigmoid(x):
    if np.isinf(x):
        return mp.mpf(x > 0)
    return 1 / (1 + mp.exp(-mpf(x)))


def mp_xlog(w, v):  # w * v with 0 * anything = 0
    return mp.mpf(0) if w == 0 else mpf(w) * v


def mp_log(p):
    return -mp.inf if p == 0 else mp.log(mpf(p))


def mp_log1m(p):
    return -mp.inf if p == 1 else mp.log1p(-mpf(p))


def mp_bce(p, t):
    return -(mp_xlog(t, mp_log(p)) + mp_xlog(1 - mpf(t), mp_log1m(p)))


def mp_bce_logits(z, t):
    return mp_xlog(t, mp_softplus(-z)) + mp_xlog(1 - mpf(t), mp_softplus(z))


def mp_sce(row, label):
    m = max(mpf(v) for v in row)
    rest = mp.fsum(mp.exp(mpf(v) - m) for i, v in enumerate(row) if v != -INF) - 1
    if row[label] == -INF:
        return mp.inf
    return (m - mpf(row[label])) + mp.log1p(rest)


def mp_gnll(mu, v, t):
    if v == INF:
        return mp.inf
    d = mpf(t) - mpf(mu)
    if v == -INF:
        return -mp.inf if d == 0 else mp.inf
    return (mp.log(2 * mp.pi) + mpf(v) + d**2 * mp.exp(-mpf(v))) / 2


def mp_gnll_grads(mu, v, t):
    d = mpf(t) - mpf(mu)
    q = d**2 * mp.exp(-mpf(v))
    return -d * mp.exp(-mpf(v)), (1 - q) / 2


def _f(x):
    """mpf to float, with mpmath's infinities."""
    return float(x)


BCE_LOGITS = [
    (z, t) for z in [-1000.0, -40.0, -1.0, 0.0, 1e-10, 40.0, 1000.0] for t in [0.0, 1.0, 0.25]
] + [(INF, 0.5)]
BCE_LOGITS_INF = [((INF, 1.0), 0.0), ((INF, 0.0), INF), ((-INF, 0.0), 0.0), ((-INF, 1.0), INF)]
BCE = [(p, t) for p in [0.0, 1e-300, 1e-10, 0.5, 0.9999999999999999, 1.0] for t in [0.0, 1.0, 0.3]]
SCE = [
    ([0.0, 1000.0], 0),
    ([0.0, 1000.0], 1),
    ([0.0, -40.0], 0),
    ([0.0, -40.0], 1),
    ([1000.0, 1001.0, 999.0], 2),
    ([-1000.0, -1000.0, -1000.0], 1),
    ([-INF, 0.0], 1),
    ([-INF, 0.0], 0),
    ([5.0], 0),
]
LOGISTIC = [(s, y) for s in [-1000.0, -40.0, -1.0, 0.0, 40.0, 1000.0] for y in [-1.0, 1.0]]
GNLL = [
    (0.0, -1000.0, 1e-300),  # q = 1e-600 e^1000 = 1.97e-166: needs the guarded product
    (0.0, 1000.0, 1.0),
    (0.0, -1000.0, 0.0),
    (0.0, -1000.0, 1.0),  # true loss ~ 1e434: inf
    (1.0, 0.0, 2.0),
    (0.0, 700.0, 1e200),
    (-3.0, 2.5, 4.0),
    (0.0, -1500.0, 1e-320),
    (0.0, INF, 1.0),
    (0.0, -INF, 0.0),
    (0.0, -INF, 1.0),
]


@pytest.mark.parametrize("z, t", BCE_LOGITS, ids=str)
def test_bce_with_logits_matches_mpmath(z, t):
    with silent():
        got = bce_with_logits([z], [t])
        got_grad = bce_with_logits_grad([z], [t])
    assert_ulps(got, _f(mp_bce_logits(z, t)))
    want = mp_sigmoid(z) - mpf(t)
    if t in (0.0, 1.0):
        assert_ulps(got_grad, [_f(want)])  # hard labels: exact in the tails
    else:  # a soft label cancels against sigma(z): one ulp of the larger of the two
        assert abs(got_grad[0] - _f(want)) <= 2 * np.spacing(max(_f(mp_sigmoid(z)), t))


@pytest.mark.parametrize("args, want", BCE_LOGITS_INF, ids=str)
def test_bce_with_logits_infinite_logits(args, want):
    z, t = args
    with silent():
        assert bce_with_logits([z], [t]) == want
        assert bce_with_logits_grad([z], [t])[0] == (z > 0) - t


@pytest.mark.parametrize("p, t", BCE, ids=str)
def test_bce_matches_mpmath(p, t):
    with silent():
        got = bce([p], [t])
        got_grad = bce_grad([p], [t])
    assert_ulps(got, _f(mp_bce(p, t)))
    if 0 < p < 1:
        want_grad = (mpf(p) - mpf(t)) / (mpf(p) * (1 - mpf(p)))
    elif p == 0:
        want_grad = -mp.inf if t > 0 else 1 - mpf(t)
    else:
        want_grad = mp.inf if t < 1 else -mpf(t)
    assert_ulps(got_grad, [_f(want_grad)])


@pytest.mark.parametrize("row, label", SCE, ids=str)
def test_softmax_cross_entropy_matches_mpmath(row, label):
    with silent():
        got = softmax_cross_entropy([row], [label])
        got_grad = softmax_cross_entropy_grad([row], [label])
    assert_ulps(got, _f(mp_sce(row, label)))
    m = max(mpf(v) for v in row)
    e = [mp.mpf(0) if v == -INF else mp.exp(mpf(v) - m) for v in row]
    s = [ei / mp.fsum(e) for ei in e]
    others = mp.fsum(s[k] for k in range(len(row)) if k != label)
    want = [-others if k == label else s[k] for k in range(len(row))]  # s_y - 1 = -others
    assert_ulps(got_grad, [[_f(w) for w in want]])


def test_headline_loss_values():
    with silent():
        assert softmax_cross_entropy([[0.0, 1000.0]], [0]) == 1000.0
        assert softmax_cross_entropy([[0.0, -40.0]], [0]) == pytest.approx(SIGMA40, rel=1e-15)
        assert softmax_cross_entropy_grad([[0.0, -40.0]], [0])[0, 0] == pytest.approx(-SIGMA40)
        assert bce_with_logits([1000.0], [0.0]) == 1000.0
        assert bce_with_logits([-40.0], [0.0]) == pytest.approx(SIGMA40, rel=1e-15)
        assert bce_with_logits_grad([40.0], [1.0])[0] == pytest.approx(-SIGMA40, rel=1e-15)
        assert logistic_loss([40.0], [1.0]) == pytest.approx(SIGMA40, rel=1e-15)
        assert bce([0.0, 1.0], [0.0, 1.0]) == 0.0


@pytest.mark.parametrize("s, y", LOGISTIC, ids=str)
def test_logistic_loss_matches_mpmath(s, y):
    with silent():
        got = logistic_loss([s], [y])
        got_grad = logistic_loss_grad([s], [y])
    assert_ulps(got, _f(mp_softplus(-y * s)))
    assert_ulps(got_grad, [_f(-mpf(y) * mp_sigmoid(-y * s))])


@pytest.mark.parametrize("mu, v, t", GNLL, ids=str)
def test_gaussian_nll_matches_mpmath(mu, v, t):
    with silent():
        got = gaussian_nll([mu], [v], [t])
        g_mu, g_v = gaussian_nll_grad([mu], [v], [t])
    assert_ulps(got, _f(mp_gnll(mu, v, t)))
    if np.isfinite(v):
        w_mu, w_v = mp_gnll_grads(mu, v, t)
        assert_ulps(g_mu, [_f(w_mu)])
        assert_ulps(g_v, [_f(w_v)])


def test_hinge_values_and_kink():
    scores = np.array([1.0, 0.5, -1000.0, 2.0, -1.0, INF])
    labels = np.array([1, 1, 1, -1, -1, 1])
    per = [0.0, 0.5, 1001.0, 3.0, 0.0, 0.0]
    with silent():
        assert hinge(scores, labels) == pytest.approx(np.mean(per), rel=1e-15)
        g = hinge_grad(scores, labels)
    np.testing.assert_array_equal(g, np.array([0.0, -1.0, -1.0, 1.0, 0.0, 0.0]) / 6)
    # margin exactly 1 (first and fifth entries): the subgradient 0, and autograd agrees
    np.testing.assert_array_equal(autograd.grad(hinge)(scores[:5], labels[:5]), g[:5] * 6 / 5)


def test_mae_kink_convention():
    pred = np.array([1.0, 2.0, 3.0])
    target = np.array([1.0, 0.0, 4.0])
    np.testing.assert_array_equal(mae_grad(pred, target), [0.0, 1 / 3, -1 / 3])
    np.testing.assert_array_equal(autograd.grad(mae)(pred, target), [0.0, 1 / 3, -1 / 3])


# ----------------------------------------------------------------------------------------------
# gradients at random points: autograd, central differences, the checker
# ----------------------------------------------------------------------------------------------
SHAPES = [(), (5,), (3, 4), (2, 3, 4)]


def make_case(name, shape, rng):
    """(loss, grad, first argument, other arguments) at a random point."""
    x = rng.normal(scale=2.0, size=shape)
    if name == "mse":
        return mse, mse_grad, x, (rng.normal(size=shape),)
    if name == "mae":
        return mae, mae_grad, x, (rng.normal(size=shape),)
    if name == "bce":
        return bce, bce_grad, rng.uniform(0.05, 0.95, size=shape), (rng.uniform(size=shape),)
    if name == "bce_with_logits":
        return bce_with_logits, bce_with_logits_grad, x, (rng.uniform(size=shape),)
    if name == "hinge":
        return hinge, hinge_grad, x, (rng.choice([-1.0, 1.0], size=shape),)
    if name == "logistic_loss":
        return logistic_loss, logistic_loss_grad, x, (rng.choice([-1, 1], size=shape),)
    if name == "gaussian_nll_mu":
        v, t = rng.normal(size=shape), rng.normal(size=shape)
        return gaussian_nll, (lambda m, v, t: gaussian_nll_grad(m, v, t)[0]), x, (v, t)
    if name == "gaussian_nll_log_var":
        mu, t = rng.normal(size=shape), rng.normal(size=shape)
        return (
            lambda v, mu, t: gaussian_nll(mu, v, t),
            lambda v, mu, t: gaussian_nll_grad(mu, v, t)[1],
            x,
            (mu, t),
        )
    raise KeyError(name)


NAMES = [
    "mse",
    "mae",
    "bce",
    "bce_with_logits",
    "hinge",
    "logistic_loss",
    "gaussian_nll_mu",
    "gaussian_nll_log_var",
]


def numerical_grad(f, x, h=1e-6):
    x = np.array(x, dtype=float)
    g = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        step = h * max(1.0, abs(x[idx]))
        xp, xm = x.copy(), x.copy()
        xp[idx] += step
        xm[idx] -= step
        g[idx] = (f(xp) - f(xm)) / (2 * step)
    return g


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_grad_matches_autograd_and_central_differences(name, shape):
    rng = np.random.default_rng(len(shape) * 100 + NAMES.index(name))
    loss, grad, x, rest = make_case(name, shape, rng)
    want = grad(x, *rest)
    assert np.shape(want) == np.shape(x)
    auto = autograd.grad(loss)(x, *rest)
    np.testing.assert_allclose(auto, want, rtol=1e-12, atol=1e-300)
    num = numerical_grad(lambda v: loss(v, *rest), x)
    np.testing.assert_allclose(num, want, rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("n, k", [(1, 1), (1, 3), (4, 3), (6, 5)])
def test_softmax_cross_entropy_grad_random(n, k):
    rng = np.random.default_rng(n * 10 + k)
    z = rng.normal(scale=3, size=(n, k))
    y = rng.integers(0, k, size=n)
    want = softmax_cross_entropy_grad(z, y)
    np.testing.assert_allclose(
        autograd.grad(softmax_cross_entropy)(z, y), want, rtol=1e-12, atol=1e-300
    )
    num = numerical_grad(lambda v: softmax_cross_entropy(v, y), z)
    np.testing.assert_allclose(num, want, rtol=1e-6, atol=1e-9)
    # independent form of the value: mean of logsumexp minus the picked logit
    lse = np.log(np.exp(z).sum(axis=1))
    assert softmax_cross_entropy(z, y) == pytest.approx(np.mean(lse - z[np.arange(n), y]))


def test_values_against_naive_formulas_at_ordinary_points():
    rng = np.random.default_rng(7)
    p, t = rng.normal(size=(4, 3)), rng.normal(size=(4, 3))
    assert mse(p, t) == pytest.approx(np.mean((p - t) ** 2), rel=1e-14)
    assert mae(p, t) == pytest.approx(np.mean(np.abs(p - t)), rel=1e-14)
    q, y = rng.uniform(0.01, 0.99, size=7), rng.uniform(size=7)
    naive = -np.mean(y * np.log(q) + (1 - y) * np.log(1 - q))
    assert bce(q, y) == pytest.approx(naive, rel=1e-13)
    z = rng.normal(size=7)
    sig = 1 / (1 + np.exp(-z))
    assert bce_with_logits(z, y) == pytest.approx(
        -np.mean(y * np.log(sig) + (1 - y) * np.log(1 - sig)), rel=1e-13
    )
    s = rng.choice([-1, 1], size=7)
    assert logistic_loss(z, s) == pytest.approx(np.mean(np.log(1 + np.exp(-s * z))), rel=1e-13)
    assert hinge(z, s) == pytest.approx(np.mean(np.maximum(0, 1 - s * z)), rel=1e-15)
    mu, v = rng.normal(size=7), rng.normal(size=7)
    naive = np.mean(0.5 * np.log(2 * np.pi * np.exp(v)) + (z - mu) ** 2 / (2 * np.exp(v)))
    assert gaussian_nll(mu, v, z) == pytest.approx(naive, rel=1e-13)


def test_gradients_at_hard_inputs_match_autograd():
    """Where autograd can run (finite inputs), it agrees with the hand gradients."""
    z = np.array([-1000.0, -40.0, 0.0, 40.0, 1000.0])
    t = np.array([1.0, 0.0, 1.0, 1.0, 0.0])
    with silent():
        np.testing.assert_allclose(
            autograd.grad(bce_with_logits)(z, t),
            bce_with_logits_grad(z, t),
            rtol=1e-13,
            atol=1e-300,
        )
        y = np.array([1, -1, 1, 1, -1])
        np.testing.assert_allclose(
            autograd.grad(logistic_loss)(z, y), logistic_loss_grad(z, y), rtol=1e-13, atol=1e-300
        )
        zz = np.array([[0.0, 1000.0], [0.0, -40.0], [1000.0, 1001.0]])
        lab = np.array([0, 1, 1])
        np.testing.assert_allclose(
            autograd.grad(softmax_cross_entropy)(zz, lab),
            softmax_cross_entropy_grad(zz, lab),
            rtol=1e-13,
            atol=1e-17,
        )
        mu = np.array([0.0, 0.0, 0.0, 1.0])
        v = np.array([-1000.0, 1000.0, -1000.0, 0.0])
        tt = np.array([1e-300, 1.0, 0.0, 2.0])
        g_mu, g_v = gaussian_nll_grad(mu, v, tt)
        np.testing.assert_allclose(autograd.grad(gaussian_nll, 0)(mu, v, tt), g_mu, rtol=1e-13)
        np.testing.assert_allclose(autograd.grad(gaussian_nll, 1)(mu, v, tt), g_v, rtol=1e-13)


@pytest.mark.skipif(not hasattr(mlcalc, "check_grad"), reason="mlcalc.check_grad not merged yet")
@pytest.mark.parametrize("name", NAMES)
def test_grad_with_mlcalc_checker(name):
    loss, grad, x, rest = make_case(name, (3, 4), np.random.default_rng(21))
    mlcalc.check_grad(lambda v: loss(v, *rest), lambda v: grad(v, *rest), x).assert_ok()
    # the classic mistake: forgetting the 1/N of the mean
    assert not mlcalc.check_grad(lambda v: loss(v, *rest), lambda v: 12 * grad(v, *rest), x)


# ----------------------------------------------------------------------------------------------
# silence
# ----------------------------------------------------------------------------------------------
def test_silent_on_the_hard_table():
    with silent():
        for z, t in BCE_LOGITS + [a for a, _ in BCE_LOGITS_INF]:
            bce_with_logits([z], [t]), bce_with_logits_grad([z], [t])
        for p, t in BCE:
            bce([p], [t]), bce_grad([p], [t])
        bce_grad([5e-324], [1.0])  # -1/5e-324 is beyond float: -inf, silently
        for row, label in SCE + [([INF, 0.0], 0), ([-INF, -INF], 0), ([np.nan, 1.0], 1)]:
            softmax_cross_entropy([row], [label]), softmax_cross_entropy_grad([row], [label])
        for s, y in LOGISTIC + [(INF, 1.0), (-INF, 1.0)]:
            logistic_loss([s], [y]), logistic_loss_grad([s], [y])
            hinge([s], [y]), hinge_grad([s], [y])
        for mu, v, t in GNLL + [(1e308, 1500.0, -1e308), (0.0, 2000.0, 5e-324)]:
            gaussian_nll([mu], [v], [t]), gaussian_nll_grad([mu], [v], [t])


def test_gaussian_nll_far_out():
    with silent():
        # (2e308)^2 e^-1500 = 4e616 * e^-1500 ~ 1.5e-35: the difference overflows, the loss does not
        got = gaussian_nll([1e308], [1500.0], [-1e308])
    want = mp_gnll(1e308, 1500.0, -1e308)
    assert_ulps(got, _f(want))


# ----------------------------------------------------------------------------------------------
# the input contract
# ----------------------------------------------------------------------------------------------
PAIR_LOSSES = [mse, mse_grad, mae, mae_grad, bce, bce_grad, bce_with_logits, bce_with_logits_grad]
FIRST = {mse: "pred", mae: "pred", bce: "prob", bce_with_logits: "logits"}
FIRST.update({mse_grad: "pred", mae_grad: "pred", bce_grad: "prob", bce_with_logits_grad: "logits"})


@pytest.mark.parametrize("f", PAIR_LOSSES, ids=lambda f: f.__name__)
def test_no_silent_broadcasting(f):
    first = FIRST[f]
    msg = rf"{first} and target must have the same shape, got {first} \(3,\) and target \(3, 1\)"
    with pytest.raises(ValueError, match=msg):
        f([0.1, 0.2, 0.3], [[0.0], [1.0], [1.0]])


@pytest.mark.parametrize("f", PAIR_LOSSES, ids=lambda f: f.__name__)
def test_empty_batch(f):
    with pytest.raises(ValueError, match=rf"{FIRST[f]} is empty \(shape \(0,\)\)"):
        f([], [])
    with pytest.raises(ValueError, match="empty"):
        f(np.zeros((0, 3)), np.zeros((0, 3)))


@pytest.mark.parametrize("f", [bce, bce_grad])
def test_bce_probability_range(f):
    with pytest.raises(ValueError, match=r"prob must lie in \[0, 1\], got \[1.2\]"):
        f([0.5, 1.2], [0.0, 1.0])
    with pytest.raises(ValueError, match=r"target must lie in \[0, 1\], got \[-0.5\]"):
        f([0.5, 0.2], [-0.5, 1.0])
    out = f([np.nan, 0.5], [1.0, 1.0])  # NaN is not "outside [0, 1]": it propagates
    if f is bce:
        assert np.isnan(out)
    else:
        assert np.isnan(out[0]) and not np.isnan(out[1])


@pytest.mark.parametrize("f", [bce_with_logits, bce_with_logits_grad])
def test_bce_with_logits_target_range(f):
    with pytest.raises(ValueError, match=r"target must lie in \[0, 1\]"):
        f([0.5, 1.2], [0.0, 2.0])


@pytest.mark.parametrize("f", [hinge, hinge_grad, logistic_loss, logistic_loss_grad])
def test_signed_labels(f):
    with pytest.raises(ValueError, match=r"labels must be -1 or \+1, got \[0\]"):
        f([0.5, 1.0], [0, 1])
    with pytest.raises(ValueError, match="labels must be -1 or"):
        f([0.5, 1.0], [np.nan, 1.0])
    with pytest.raises(
        ValueError,
        match=r"scores and labels must have the same shape, got "
        r"scores \(2,\) and labels \(2, 1\)",
    ):
        f([0.5, 1.0], [[1], [-1]])
    with pytest.raises(ValueError, match=r"scores is empty"):
        f([], [])
    with pytest.raises(TypeError, match="labels"):
        f([0.5, 1.0], ["a", "b"])
    f([0.5, 1.0], [-1.0, 1.0])  # float labels are fine


@pytest.mark.parametrize("f", [softmax_cross_entropy, softmax_cross_entropy_grad])
def test_class_labels(f):
    z = np.zeros((2, 3))
    with pytest.raises(
        ValueError, match=r"labels must lie in \[0, 3\) for logits \(2, 3\), got \[3\]"
    ):
        f(z, [0, 3])
    with pytest.raises(ValueError, match=r"labels must lie in \[0, 3\).*got \[-1\]"):
        f(z, [-1, 0])
    with pytest.raises(
        ValueError,
        match=r"labels must have shape \(N,\) = \(2,\) to match logits "
        r"\(2, 3\), got labels \(2, 1\)",
    ):
        f(z, [[0], [1]])
    with pytest.raises(ValueError, match="labels must be integers"):
        f(z, [0.5, 1.0])
    with pytest.raises(TypeError, match="labels"):
        f(z, ["a", "b"])
    with pytest.raises(ValueError, match=r"logits must have shape \(N, K\), got shape \(3,\)"):
        f(np.zeros(3), [0])
    with pytest.raises(ValueError, match=r"logits is empty \(shape \(0, 3\)\)"):
        f(np.zeros((0, 3)), np.zeros(0, dtype=int))
    f(z, np.array([0.0, 2.0]))  # integral floats are accepted


def test_gaussian_nll_shapes():
    for f in [gaussian_nll, gaussian_nll_grad]:
        with pytest.raises(
            ValueError,
            match=r"mu and log_var must have the same shape, got "
            r"mu \(3,\) and log_var \(3, 1\)",
        ):
            f(np.zeros(3), np.zeros((3, 1)), np.zeros(3))
        with pytest.raises(ValueError, match=r"mu and target must have the same shape"):
            f(np.zeros(3), np.zeros(3), np.zeros(4))
        with pytest.raises(ValueError, match=r"mu is empty"):
            f([], [], [])


ALL = [
    (mse, [[1, 2], [3, 4]], [[0, 0], [1, 5]]),
    (mse_grad, [[1, 2], [3, 4]], [[0, 0], [1, 5]]),
    (mae, [[1, 2], [3, 4]], [[0, 0], [1, 5]]),
    (mae_grad, [[1, 2], [3, 4]], [[0, 0], [1, 5]]),
    (bce, [[0.25, 0.5], [1, 0]], [[0, 1], [1, 0]]),
    (bce_grad, [[0.25, 0.5], [1, 0]], [[0, 1], [1, 0]]),
    (bce_with_logits, [[1, -2], [3, 0]], [[0, 1], [1, 0]]),
    (bce_with_logits_grad, [[1, -2], [3, 0]], [[0, 1], [1, 0]]),
    (hinge, [[1, -2], [3, 0]], [[1, -1], [-1, 1]]),
    (hinge_grad, [[1, -2], [3, 0]], [[1, -1], [-1, 1]]),
    (logistic_loss, [[1, -2], [3, 0]], [[1, -1], [-1, 1]]),
    (logistic_loss_grad, [[1, -2], [3, 0]], [[1, -1], [-1, 1]]),
    (softmax_cross_entropy, [[1, -2], [3, 0]], [1, 0]),
    (softmax_cross_entropy_grad, [[1, -2], [3, 0]], [1, 0]),
]


@pytest.mark.parametrize("f, a, b", ALL, ids=[f.__name__ for f, _, _ in ALL])
def test_lists_ints_float32_nan_and_no_mutation(f, a, b):
    y = f(a, b)
    assert np.asarray(y).dtype == np.float64
    a32 = np.array(a, dtype=np.float32)
    a32.flags.writeable = False  # an in-place write would raise
    b_arr = np.array(b)
    b_arr.flags.writeable = False
    y32 = f(a32, b_arr)  # integer targets do not promote float32 data
    assert np.asarray(y32).dtype == np.float32
    np.testing.assert_allclose(y32, y, rtol=1e-6)
    x = np.array(a, dtype=float)
    before = x.copy()
    y = f(x, b)
    np.testing.assert_array_equal(x, before)
    if np.ndim(y):
        assert not np.shares_memory(x, y)
    x[0, 0] = np.nan  # NaN data propagates, it is not an error
    assert np.any(np.isnan(f(x, b)))


def test_gaussian_nll_dtypes_and_nan():
    mu = np.float32([0.0, 1.0])
    assert gaussian_nll(mu, [0, 0], [1, 2]).dtype == np.float32
    assert all(g.dtype == np.float32 for g in gaussian_nll_grad(mu, [0, 0], [1, 2]))
    assert gaussian_nll([0, 1], [0, 0], [1, 2]).dtype == np.float64
    assert np.isnan(gaussian_nll([np.nan], [0.0], [1.0]))
    assert np.isnan(gaussian_nll([0.0], [np.nan], [1.0]))
    assert all(np.isnan(g[0]) for g in gaussian_nll_grad([0.0], [np.nan], [1.0]))


def test_float32_tail():
    with silent():
        got = bce_with_logits(np.float32([-40.0]), np.float32([0.0]))
    assert got.dtype == np.float32
    assert got == pytest.approx(SIGMA40, rel=1e-6)
