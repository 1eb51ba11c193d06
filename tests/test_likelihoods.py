"""Tests of mlcalc.likelihoods: log-likelihoods vs scipy.stats, gradients vs autograd and finite
differences, MLEs vs numerical maximisation, MAP estimates, entropy / cross-entropy / KL."""

import warnings

import autograd
import autograd.numpy as anp
import numpy as np
import pytest

import mlcalc
from mlcalc import likelihoods as lk
from mlcalc import linear_models as lm

stats = pytest.importorskip("scipy.stats")
optimize = pytest.importorskip("scipy.optimize")


def fd_grad(f, x, h=1e-6):
    """Central finite differences of a scalar function of a vector, step relative to |x|."""
    x = np.asarray(x, dtype=float)
    g = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        e = np.zeros_like(x)
        e[i] = h * max(1.0, abs(x[i]))
        g[i] = (f(x + e) - f(x - e)) / (2 * e[i])
    return g


def check_two_param(loglik, grad, theta, x, rtol_fd=1e-6):
    """Gradient of a two-parameter log-likelihood vs autograd and finite differences."""
    f = lambda t: loglik(t[0], t[1], x)  # noqa: E731
    g = grad(theta[0], theta[1], x)
    assert g.shape == (2,)
    np.testing.assert_allclose(g, autograd.grad(f)(np.array(theta, dtype=float)), rtol=1e-10)
    np.testing.assert_allclose(g, fd_grad(f, theta), rtol=rtol_fd, atol=1e-6)


def check_one_param(loglik, grad, theta, x):
    f = lambda t: loglik(t, x)  # noqa: E731
    g = grad(theta, x)
    assert np.ndim(g) == 0
    assert g == pytest.approx(autograd.grad(f)(float(theta)), rel=1e-10, abs=1e-12)
    h = 1e-6 * max(1.0, abs(theta))
    assert g == pytest.approx((f(theta + h) - f(theta - h)) / (2 * h), rel=1e-6, abs=1e-6)


# ------------------------------------------------------------------------------------------------
# values against scipy.stats (an independent implementation)
# ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_logliks_match_scipy(seed):
    rng = np.random.default_rng(seed)
    n = 5 + 7 * seed
    x = rng.normal(1.0, 2.0, size=n)
    mu, s2 = rng.normal(), rng.uniform(0.3, 3)
    assert lk.gaussian_loglik(mu, s2, x) == pytest.approx(
        np.sum(stats.norm.logpdf(x, mu, np.sqrt(s2))), rel=1e-12
    )
    xb = (rng.random(n) < 0.3).astype(float)
    p = rng.uniform(0.05, 0.95)
    assert lk.bernoulli_loglik(p, xb) == pytest.approx(np.sum(stats.bernoulli.logpmf(xb, p)))
    xe = rng.exponential(2.0, size=n)
    lam = rng.uniform(0.2, 3)
    assert lk.exponential_loglik(lam, xe) == pytest.approx(
        np.sum(stats.expon.logpdf(xe, scale=1 / lam)), rel=1e-12
    )
    k = rng.poisson(3.0, size=n).astype(float)
    assert lk.poisson_loglik(lam, k) == pytest.approx(np.sum(stats.poisson.logpmf(k, lam)))
    a, b = -1.0 - rng.random(), 2.0 + rng.random()
    xu = rng.uniform(-1, 2, size=n)
    assert lk.uniform_loglik(a, b, xu) == pytest.approx(
        np.sum(stats.uniform.logpdf(xu, loc=a, scale=b - a)), rel=1e-12
    )
    bl = rng.uniform(0.3, 2)
    assert lk.laplace_loglik(mu, bl, x) == pytest.approx(
        np.sum(stats.laplace.logpdf(x, loc=mu, scale=bl)), rel=1e-12
    )
    K = 4
    pc = rng.dirichlet(np.ones(K))
    labels = rng.integers(0, K, size=n)
    assert lk.categorical_loglik(pc, labels) == pytest.approx(np.sum(np.log(pc[labels])))
    d = 3
    A = rng.normal(size=(d, d))
    cov = A @ A.T + d * np.eye(d)
    m = rng.normal(size=d)
    X = rng.multivariate_normal(m, cov, size=n)
    assert lk.mvn_loglik(m, cov, X) == pytest.approx(
        np.sum(stats.multivariate_normal.logpdf(X, m, cov)), rel=1e-12
    )
    w = rng.normal(size=d)
    yr = X @ w + rng.normal(size=n)
    assert lk.linear_gaussian_loglik(w, s2, X, yr) == pytest.approx(
        np.sum(stats.norm.logpdf(yr, X @ w, np.sqrt(s2))), rel=1e-12
    )


# ------------------------------------------------------------------------------------------------
# gradients
# ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("n", [1, 6, 40])
def test_gradients_vs_autograd_and_finite_differences(n):
    rng = np.random.default_rng(n)
    x = rng.normal(0.5, 1.5, size=n)
    check_two_param(lk.gaussian_loglik, lk.gaussian_loglik_grad, [0.2, 1.7], x)
    check_two_param(lk.laplace_loglik, lk.laplace_loglik_grad, [0.1234, 0.8], x)
    xu = rng.uniform(0.0, 1.0, size=n)
    check_two_param(lk.uniform_loglik, lk.uniform_loglik_grad, [-0.5, 1.5], xu)
    xb = (rng.random(n) < 0.5).astype(float)
    check_one_param(lk.bernoulli_loglik, lk.bernoulli_loglik_grad, 0.37, xb)
    check_one_param(lk.exponential_loglik, lk.exponential_loglik_grad, 1.3, rng.exponential(size=n))
    check_one_param(lk.poisson_loglik, lk.poisson_loglik_grad, 2.1, rng.poisson(2, size=n))
    K = 5
    p = rng.dirichlet(np.ones(K))
    labels = rng.integers(0, K, size=n)
    g = lk.categorical_loglik_grad(p, labels)
    f = lambda q: lk.categorical_loglik(q, labels, check_sum=False)  # noqa: E731
    np.testing.assert_allclose(g, autograd.grad(f)(p), rtol=1e-10)
    np.testing.assert_allclose(g, fd_grad(f, p, h=1e-7), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(g, np.bincount(labels, minlength=K) / p, rtol=1e-12)


@pytest.mark.parametrize("d,n", [(1, 5), (2, 9), (4, 30)])
def test_mvn_gradients(d, n):
    rng = np.random.default_rng(d * 10 + n)
    A = rng.normal(size=(d, d))
    cov = A @ A.T + np.eye(d)
    mu = rng.normal(size=d)
    X = rng.normal(size=(n, d)) @ A.T + 0.5
    g_mu, g_cov = lk.mvn_loglik_grad(mu, cov, X)
    assert g_mu.shape == (d,) and g_cov.shape == (d, d)
    np.testing.assert_allclose(
        g_mu, autograd.grad(lambda m: lk.mvn_loglik(m, cov, X))(mu), rtol=1e-9, atol=1e-11
    )
    np.testing.assert_allclose(
        g_mu, fd_grad(lambda m: lk.mvn_loglik(m, cov, X), mu), rtol=1e-6, atol=1e-6
    )
    # the covariance gradient, checked through the symmetric parametrisation S = (B + B^T) / 2
    f_sym = lambda B: lk.mvn_loglik(mu, (B + B.T) / 2, X)  # noqa: E731
    np.testing.assert_allclose(g_cov, autograd.grad(f_sym)(cov), rtol=1e-9, atol=1e-11)
    np.testing.assert_allclose(g_cov, fd_grad(f_sym, cov), rtol=1e-5, atol=1e-6)
    # and against the unconstrained autograd gradient, which equals it at a symmetric S
    np.testing.assert_allclose(
        g_cov, autograd.grad(lambda S: lk.mvn_loglik(mu, S, X))(cov), rtol=1e-9, atol=1e-11
    )
    # a classic wrong form (forgetting the 1/2) is caught
    assert not np.allclose(2 * g_cov, autograd.grad(f_sym)(cov), rtol=1e-6)


def test_laplace_kink_convention():
    x = np.array([-1.0, 0.0, 2.0])
    g = lk.laplace_loglik_grad(0.0, 1.0, x)  # mu equals a sample: sign(0) = 0
    assert g[0] == 0.0
    assert g[0] == autograd.grad(lambda t: lk.laplace_loglik(t, 1.0, x))(0.0)
    # one-sided derivatives bracket it
    f = lambda m: lk.laplace_loglik(m, 1.0, x)  # noqa: E731
    h = 1e-7
    assert (f(h) - f(0.0)) / h == pytest.approx(-1.0, abs=1e-6)
    assert (f(0.0) - f(-h)) / h == pytest.approx(1.0, abs=1e-6)


# ------------------------------------------------------------------------------------------------
# MLEs against numerical maximisation
# ------------------------------------------------------------------------------------------------


def argmax_1d(f, lo, hi):
    res = optimize.minimize_scalar(
        lambda t: -f(t), bounds=(lo, hi), method="bounded", options={"xatol": 1e-10}
    )
    return res.x


@pytest.mark.parametrize("seed", [3, 4])
def test_mles_match_numerical_maximisation(seed):
    rng = np.random.default_rng(seed)
    n = 25
    x = rng.normal(2.0, 1.5, size=n)
    mu_hat, s2_hat = lk.gaussian_mle(x)
    res = optimize.minimize(
        lambda t: -lk.gaussian_loglik(t[0], np.exp(t[1]), x),
        [0.0, 0.0],
        method="BFGS",
        options={"gtol": 1e-10},
    )
    assert res.x[0] == pytest.approx(mu_hat, abs=1e-5)
    assert np.exp(res.x[1]) == pytest.approx(s2_hat, rel=1e-5)
    np.testing.assert_allclose(lk.gaussian_loglik_grad(mu_hat, s2_hat, x), 0, atol=1e-10)

    xb = (rng.random(n) < 0.3).astype(float)
    p_hat = lk.bernoulli_mle(xb)
    assert argmax_1d(lambda p: lk.bernoulli_loglik(p, xb), 1e-6, 1 - 1e-6) == pytest.approx(
        p_hat, abs=1e-6
    )
    assert lk.bernoulli_loglik_grad(p_hat, xb) == pytest.approx(0, abs=1e-9)

    xe = rng.exponential(0.5, size=n)
    lam_hat = lk.exponential_mle(xe)
    assert argmax_1d(lambda t: lk.exponential_loglik(t, xe), 1e-3, 50) == pytest.approx(
        lam_hat, rel=1e-6
    )
    assert lk.exponential_loglik_grad(lam_hat, xe) == pytest.approx(0, abs=1e-9)

    k = rng.poisson(4.0, size=n)
    lp_hat = lk.poisson_mle(k)
    assert argmax_1d(lambda t: lk.poisson_loglik(t, k), 1e-3, 50) == pytest.approx(lp_hat, rel=1e-6)
    assert lk.poisson_loglik_grad(lp_hat, k) == pytest.approx(0, abs=1e-9)

    xl = rng.laplace(1.0, 2.0, size=n)  # odd n: the median is unique
    m_hat, b_hat = lk.laplace_mle(xl)
    res = optimize.minimize(
        lambda t: -lk.laplace_loglik(t[0], np.exp(t[1]), xl),
        [0.0, 0.0],
        method="Nelder-Mead",
        options={"xatol": 1e-10, "fatol": 1e-13, "maxiter": 5000},
    )
    assert res.x[0] == pytest.approx(m_hat, abs=1e-6)
    assert np.exp(res.x[1]) == pytest.approx(b_hat, rel=1e-6)
    assert lk.laplace_loglik_grad(m_hat, b_hat, xl)[1] == pytest.approx(0, abs=1e-9)

    K = 4
    labels = rng.integers(0, K, size=n)
    p_hat = lk.categorical_mle(labels, n_classes=K)
    res = optimize.minimize(  # softmax parametrisation keeps p on the simplex
        lambda z: -lk.categorical_loglik(np.exp(z - np.log(np.sum(np.exp(z)))), labels),
        np.zeros(K),
        method="BFGS",
        options={"gtol": 1e-10},
    )
    q = np.exp(res.x) / np.sum(np.exp(res.x))
    np.testing.assert_allclose(q, p_hat, atol=1e-6)
    # Lagrange condition: the free-variable gradient c_k / p_k is n in every coordinate
    np.testing.assert_allclose(lk.categorical_loglik_grad(p_hat, labels), n, rtol=1e-12)

    X = rng.normal(size=(n, 3)) @ rng.normal(size=(3, 3))
    m, S = lk.mvn_mle(X)
    np.testing.assert_allclose(S, np.cov(X.T, bias=True), rtol=1e-12)
    g_mu, g_cov = lk.mvn_loglik_grad(m, S, X)
    np.testing.assert_allclose(g_mu, 0, atol=1e-9)
    np.testing.assert_allclose(g_cov, 0, atol=1e-9)
    for _ in range(5):  # it beats nearby parameters
        E = 1e-3 * rng.normal(size=(3, 3))
        assert lk.mvn_loglik(m + 1e-3 * rng.normal(size=3), S + E @ E.T, X) < lk.mvn_loglik(m, S, X)


def test_uniform_mle_is_a_boundary_maximum():
    rng = np.random.default_rng(7)
    x = rng.uniform(-1.0, 3.0, size=20)
    a_hat, b_hat = lk.uniform_mle(x)
    assert (a_hat, b_hat) == (x.min(), x.max())
    best = lk.uniform_loglik(a_hat, b_hat, x)
    for _ in range(200):  # any feasible interval is at least as long: lower likelihood
        a = a_hat - rng.exponential()
        b = b_hat + rng.exponential()
        assert lk.uniform_loglik(a, b, x) < best
    g = lk.uniform_loglik_grad(a_hat, b_hat, x)
    assert g[0] > 0 and g[1] < 0  # never zero: the maximum is not a stationary point
    np.testing.assert_allclose(g, [20 / (b_hat - a_hat), -20 / (b_hat - a_hat)])
    # shrinking the interval past the data leaves the support
    assert lk.uniform_loglik(a_hat + 1e-9, b_hat, x, allow_outside=True) == -np.inf
    with pytest.raises(ValueError, match=r"x must lie in the support \[a, b\]"):
        lk.uniform_loglik(a_hat + 1e-9, b_hat, x)


# ------------------------------------------------------------------------------------------------
# MAP
# ------------------------------------------------------------------------------------------------


def test_map_gaussian_prior_is_ridge():
    rng = np.random.default_rng(12)
    n, d = 30, 4
    X = rng.normal(size=(n, d))
    y = X @ rng.normal(size=d) + rng.normal(size=n)
    sigma2, tau2 = 0.8, 0.25
    w = lk.map_gaussian_prior(X, y, sigma2, tau2)
    np.testing.assert_allclose(w, lm.ridge_fit(X, y, sigma2 / tau2), rtol=1e-12)
    post = lambda v: lk.log_posterior_gaussian_prior(v, X, y, sigma2, tau2)  # noqa: E731
    np.testing.assert_allclose(autograd.grad(post)(w), 0, atol=1e-10)
    # the documented scaling: -sigma2/n * log posterior = ridge_loss(lam = sigma2/tau2) + const
    v1, v2 = rng.normal(size=d), rng.normal(size=d)
    diff_post = -sigma2 / n * (post(v1) - post(v2))
    diff_ridge = lm.ridge_loss(v1, X, y, sigma2 / tau2) - lm.ridge_loss(v2, X, y, sigma2 / tau2)
    assert diff_post == pytest.approx(diff_ridge, rel=1e-10)
    # the wrong scaling lam = tau2 / sigma2 gives a different answer
    assert not np.allclose(lm.ridge_fit(X, y, tau2 / sigma2), w, rtol=1e-6)


def test_map_laplace_prior_is_lasso():
    rng = np.random.default_rng(13)
    n, d = 25, 5
    X = rng.normal(size=(n, d))
    y = X @ np.array([2.0, 0, 0, -1.0, 0]) + 0.5 * rng.normal(size=n)
    sigma2, b = 1.0, 0.1
    w = lk.map_laplace_prior(X, y, sigma2, b)
    np.testing.assert_allclose(w, lm.lasso_fit(X, y, sigma2 / b), rtol=1e-12)
    np.testing.assert_allclose(lm.lasso_min_norm_subgrad(w, X, y, sigma2 / b), 0, atol=1e-10)
    assert np.sum(w == 0) >= 1  # the Laplace prior gives exact zeros
    post = lambda v: lk.log_posterior_laplace_prior(v, X, y, sigma2, b)  # noqa: E731
    v1, v2 = rng.normal(size=d), rng.normal(size=d)
    assert -sigma2 / n * (post(v1) - post(v2)) == pytest.approx(
        lm.lasso_loss(v1, X, y, sigma2 / b) - lm.lasso_loss(v2, X, y, sigma2 / b), rel=1e-10
    )
    for _ in range(20):
        assert post(w + 1e-3 * rng.normal(size=d)) < post(w)


def test_map_scalar_estimates():
    rng = np.random.default_rng(14)
    x = rng.normal(3.0, 2.0, size=10)
    sigma2, mu0, tau2 = 4.0, -1.0, 0.5
    m = lk.map_gaussian_mean(x, sigma2, mu0, tau2)
    logpost = lambda t: lk.gaussian_loglik(t, sigma2, x) - (t - mu0) ** 2 / (2 * tau2)  # noqa: E731
    assert autograd.grad(logpost)(m) == pytest.approx(0, abs=1e-10)
    assert mu0 < m < np.mean(x)  # shrunk towards the prior mean
    assert lk.map_gaussian_mean(x, sigma2, mu0, 1e12) == pytest.approx(np.mean(x), rel=1e-9)
    assert lk.map_gaussian_mean([], sigma2, mu0, tau2) == mu0
    xb = np.array([1, 1, 1, 0, 1.0])
    pm = lk.map_bernoulli_beta(xb, 3.0, 2.0)
    beta_logpdf = lambda p: stats.beta.logpdf(p, 3.0, 2.0)  # noqa: E731
    ref = argmax_1d(lambda p: lk.bernoulli_loglik(p, xb) + beta_logpdf(p), 1e-6, 1 - 1e-6)
    assert pm == pytest.approx(ref, abs=1e-6)
    assert lk.map_bernoulli_beta(xb, 1.0, 1.0) == lk.bernoulli_mle(xb)


# ------------------------------------------------------------------------------------------------
# entropy, cross-entropy, KL
# ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("K", [2, 5, 11])
def test_entropy_cross_entropy_kl(K):
    rng = np.random.default_rng(K)
    p, q = rng.dirichlet(np.ones(K)), rng.dirichlet(np.ones(K))
    H, CE, KL = lk.entropy(p), lk.cross_entropy(p, q), lk.kl_divergence(p, q)
    assert CE == pytest.approx(H + KL, rel=1e-12)  # H(p, q) = H(p) + KL(p || q)
    assert H == pytest.approx(stats.entropy(p), rel=1e-12)
    assert KL == pytest.approx(stats.entropy(p, q), rel=1e-12)
    assert KL > 0 and lk.kl_divergence(p, p) == 0.0
    assert lk.kl_divergence(q, p) != pytest.approx(KL)  # not symmetric
    # batches along the last axis
    P, Q = rng.dirichlet(np.ones(K), size=(2, 3)), rng.dirichlet(np.ones(K), size=(2, 3))
    out = lk.kl_divergence(P, Q)
    assert out.shape == (2, 3)
    assert out[1, 2] == pytest.approx(lk.kl_divergence(P[1, 2], Q[1, 2]), rel=1e-12)
    np.testing.assert_allclose(lk.cross_entropy(P, Q), lk.entropy(P) + out, rtol=1e-12)
    # gradient in q (cross-entropy as a loss): -p / q
    g = autograd.grad(lambda r: lk.cross_entropy(p, r))(q)
    np.testing.assert_allclose(g, -p / q, rtol=1e-10)


def test_zero_log_zero_and_infinities_without_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(all="raise"):
            p = np.array([0.5, 0.5, 0.0])
            q = np.array([0.25, 0.75, 0.0])
            assert lk.entropy(p) == pytest.approx(np.log(2))
            assert lk.entropy(np.array([1.0, 0.0])) == 0.0
            assert lk.kl_divergence(p, q) == pytest.approx(0.5 * np.log(2) + 0.5 * np.log(2 / 3))
            assert lk.kl_divergence(q, np.array([0.5, 0.0, 0.5])) == np.inf
            assert lk.cross_entropy(p, np.array([1.0, 0.0, 0.0])) == np.inf
            assert lk.bernoulli_loglik(0.0, [0, 0, 0]) == 0.0
            assert lk.bernoulli_loglik(0.0, [0, 1, 0]) == -np.inf
            assert lk.bernoulli_loglik(1.0, [1, 1]) == 0.0
            assert lk.bernoulli_loglik_grad(0.0, [0, 0, 0]) == -3.0
            assert lk.categorical_loglik([0.5, 0.5, 0.0], [0, 1, 1]) == pytest.approx(
                3 * np.log(0.5)
            )
            assert lk.categorical_loglik([0.5, 0.5, 0.0], [0, 2]) == -np.inf
            np.testing.assert_array_equal(
                lk.categorical_loglik_grad([0.5, 0.5, 0.0], [0, 0]), [4.0, 0.0, 0.0]
            )
            assert lk.poisson_loglik(0.0, [0, 0]) == 0.0
            assert lk.poisson_loglik(0.0, [0, 3]) == -np.inf
            assert lk.poisson_mle([0, 0, 0]) == 0.0
            assert lk.gaussian_loglik(0.0, 1e-300, np.array([0.0])) == pytest.approx(
                -0.5 * np.log(2 * np.pi * 1e-300), rel=1e-14
            )


def test_nan_propagates():
    assert np.isnan(lk.gaussian_loglik(0.0, 1.0, [1.0, np.nan]))
    assert np.isnan(lk.exponential_loglik(1.0, [1.0, np.nan]))
    assert np.isnan(lk.uniform_loglik(0.0, 1.0, [0.5, np.nan]))
    assert np.isnan(lk.gaussian_loglik(np.nan, 1.0, [1.0]))


# ------------------------------------------------------------------------------------------------
# bad input
# ------------------------------------------------------------------------------------------------


def test_bad_inputs_raise_clear_errors():
    x = np.array([0.5, 1.5, 2.0])
    cases = [
        (lambda: lk.gaussian_loglik(0.0, 0.0, x), r"sigma2 must be > 0, got 0\.0"),
        (lambda: lk.gaussian_loglik(0.0, -1.0, x), r"sigma2 must be > 0"),
        (
            lambda: lk.gaussian_loglik_grad(np.zeros(2), 1.0, x),
            r"mu must be a scalar, got shape \(2,\)",
        ),
        (lambda: lk.gaussian_loglik(0.0, 1.0, x[:, None]), r"x must be a 1-D array.*\(3, 1\)"),
        (lambda: lk.gaussian_mle([]), r"x must contain at least one sample"),
        (lambda: lk.bernoulli_loglik(1.2, [0, 1]), r"p must be >= 0 and <= 1, got 1\.2"),
        (lambda: lk.bernoulli_loglik(-0.1, [0, 1]), r"p must be >= 0 and <= 1"),
        (lambda: lk.bernoulli_loglik(0.5, [0, 2]), r"x must hold outcomes in \{0, 1\}.*2"),
        (lambda: lk.bernoulli_loglik_grad(0.0, [1, 0]), r"p = 0 with a 1 in x"),
        (lambda: lk.categorical_loglik([0.5, 0.6], [0, 1]), r"p must sum to 1"),
        (
            lambda: lk.categorical_loglik([0.5, 0.5], [0, 2]),
            r"x must hold integer class labels 0, \.\.\., 1",
        ),
        (lambda: lk.categorical_loglik([[0.5, 0.5]], [0]), r"p must be a 1-D array.*\(1, 2\)"),
        (lambda: lk.categorical_loglik([1.5, -0.5], [0]), r"p must hold probabilities in \[0, 1\]"),
        (lambda: lk.categorical_mle([0, 1.5]), r"integer class labels"),
        (lambda: lk.exponential_loglik(0.0, x), r"lam must be > 0"),
        (lambda: lk.exponential_loglik(1.0, [-1.0, 2.0]), r"x must hold samples >= 0"),
        (lambda: lk.exponential_mle([0.0, 0.0]), r"all zeros"),
        (lambda: lk.poisson_loglik(-1.0, [1, 2]), r"lam must be >= 0"),
        (lambda: lk.poisson_loglik(1.0, [1, 2.5]), r"k must hold non-negative integer counts"),
        (lambda: lk.poisson_loglik(1.0, [1, -2]), r"k must hold non-negative integer counts"),
        (lambda: lk.uniform_loglik(1.0, 1.0, x), r"a must be < b"),
        (
            lambda: lk.uniform_loglik(1.0, 3.0, x),
            r"x must lie in the support \[a, b\] = \[1\.0, 3\.0\]",
        ),
        (lambda: lk.uniform_loglik_grad(0.0, 1.0, x), r"x must lie in the support"),
        (lambda: lk.uniform_mle([2.0, 2.0]), r"two distinct values"),
        (lambda: lk.laplace_loglik(0.0, 0.0, x), r"b must be > 0"),
        (
            lambda: lk.mvn_loglik(np.zeros(2), np.eye(2), np.zeros((4, 3))),
            r"mu must have shape \(d,\) = \(3,\)",
        ),
        (
            lambda: lk.mvn_loglik(np.zeros(2), np.eye(3), np.zeros((4, 2))),
            r"cov must have shape \(d, d\) = \(2, 2\)",
        ),
        (
            lambda: lk.mvn_loglik(np.zeros(2), [[1, 2], [0, 1]], np.zeros((4, 2))),
            r"cov must be symmetric",
        ),
        (lambda: lk.mvn_loglik(np.zeros(2), -np.eye(2), np.zeros((4, 2))), r"positive definite"),
        (
            lambda: lk.linear_gaussian_loglik(np.zeros(2), 1.0, np.zeros((4, 2)), np.zeros((4, 1))),
            r"y must have shape \(n,\) = \(4,\).*\(4, 1\)",
        ),
        (
            lambda: lk.map_gaussian_prior(np.zeros((4, 2)), np.zeros(4), 1.0, 0.0),
            r"tau2 must be > 0",
        ),
        (
            lambda: lk.map_laplace_prior(np.zeros((4, 2)), np.zeros(4), 0.0, 1.0),
            r"sigma2 must be > 0",
        ),
        (lambda: lk.map_bernoulli_beta([0, 1], 0.5, 1.0), r"alpha must be >= 1"),
        (lambda: lk.map_bernoulli_beta([], 1.0, 1.0), r"posterior is flat"),
        (
            lambda: lk.kl_divergence([0.5, 0.5], [0.2, 0.3, 0.5]),
            r"q must have the shape of p \(2,\)",
        ),
        (lambda: lk.kl_divergence([0.5, 0.5], [0.2, 0.3]), r"q must sum to 1"),
        (lambda: lk.entropy([0.7, 0.7]), r"p must sum to 1"),
        (lambda: lk.entropy(0.5), r"p must have shape \(K,\)"),
        (lambda: lk.cross_entropy([1.2, -0.2], [0.5, 0.5]), r"p must hold probabilities"),
    ]
    for call, message in cases:
        with pytest.raises(ValueError, match=message):
            call()


def test_inputs_never_modified():
    rng = np.random.default_rng(0)
    x = rng.normal(size=8)
    xb = (x > 0).astype(float)
    X = rng.normal(size=(8, 2))
    p = np.array([0.2, 0.3, 0.5])
    for a in (x, xb, X, p):
        a.setflags(write=False)
    copies = [a.copy() for a in (x, xb, X, p)]
    lk.gaussian_loglik(0.1, 1.0, x), lk.gaussian_loglik_grad(0.1, 1.0, x), lk.gaussian_mle(x)
    lk.laplace_loglik(0.1, 1.0, x), lk.laplace_loglik_grad(0.1, 1.0, x), lk.laplace_mle(x)
    lk.uniform_mle(x), lk.uniform_loglik(-9, 9, x), lk.uniform_loglik_grad(-9, 9, x)
    lk.bernoulli_loglik(0.4, xb), lk.bernoulli_mle(xb), lk.map_bernoulli_beta(xb, 2, 2)
    (
        lk.mvn_mle(X),
        lk.mvn_loglik(np.zeros(2), np.eye(2), X),
        lk.mvn_loglik_grad(np.zeros(2), np.eye(2), X),
    )
    lk.entropy(p), lk.kl_divergence(p, p[::-1]), lk.cross_entropy(p, p)
    lk.categorical_loglik(p, [0, 2]), lk.categorical_loglik_grad(p, [0, 2])
    lk.map_gaussian_prior(X, x, 1.0, 1.0), lk.map_laplace_prior(X, x, 1.0, 1.0)
    lk.linear_gaussian_loglik(np.ones(2), 1.0, X, x)
    for a, c in zip((x, xb, X, p), copies, strict=True):
        np.testing.assert_array_equal(a, c)


def test_autograd_composes_with_logliks():
    x = np.array([0.3, 1.1, 2.0])
    f = lambda t: anp.exp(lk.gaussian_loglik(t, 1.0, x) / 3)  # noqa: E731
    assert autograd.grad(f)(0.5) == pytest.approx(
        f(0.5) * lk.gaussian_loglik_grad(0.5, 1.0, x)[0] / 3, rel=1e-12
    )


def test_public_api_reexported():
    for name in lk.__all__:
        assert getattr(mlcalc, name) is getattr(lk, name)
        assert name in mlcalc.__all__


# ------------------------------------------------------------------------------------------------
# the book's own checker (mlcalc.checks) agrees, and catches the typical wrong forms
# ------------------------------------------------------------------------------------------------


def test_checker_accepts_every_gradient():
    rng = np.random.default_rng(41)
    x = rng.normal(size=12)
    xb = (x > 0).astype(float)
    two = [
        (
            lambda t: lk.gaussian_loglik(t[0], t[1], x),
            lambda t: lk.gaussian_loglik_grad(t[0], t[1], x),
            np.array([0.3, 1.4]),
        ),
        (
            lambda t: lk.laplace_loglik(t[0], t[1], x),
            lambda t: lk.laplace_loglik_grad(t[0], t[1], x),
            np.array([0.05, 0.9]),
        ),
        (
            lambda t: lk.uniform_loglik(t[0], t[1], x),
            lambda t: lk.uniform_loglik_grad(t[0], t[1], x),
            np.array([-4.0, 5.0]),
        ),
    ]
    for f, g, t in two:
        mlcalc.check_grad(f, g, t).assert_ok()
    one = [
        (lk.bernoulli_loglik, lk.bernoulli_loglik_grad, 0.3, xb),
        (lk.exponential_loglik, lk.exponential_loglik_grad, 0.7, np.abs(x)),
        (lk.poisson_loglik, lk.poisson_loglik_grad, 1.9, rng.poisson(2, size=12)),
    ]
    for f, g, t, data in one:
        mlcalc.check_grad(
            lambda s, f=f, data=data: f(s, data), lambda s, g=g, data=data: g(s, data), np.array(t)
        ).assert_ok()
    p = rng.dirichlet(np.ones(4))
    labels = rng.integers(0, 4, size=12)
    mlcalc.check_grad(
        lambda q: lk.categorical_loglik(q, labels, check_sum=False),
        lambda q: lk.categorical_loglik_grad(q, labels, check_sum=False),
        p,
    ).assert_ok()
    A = rng.normal(size=(3, 3))
    cov = A @ A.T + np.eye(3)
    X = rng.normal(size=(10, 3))
    mu = rng.normal(size=3)
    mlcalc.check_grad(
        lambda m: lk.mvn_loglik(m, cov, X), lambda m: lk.mvn_loglik_grad(m, cov, X)[0], mu
    ).assert_ok()
    mlcalc.check_grad(
        lambda B: lk.mvn_loglik(mu, (B + B.T) / 2, X),
        lambda B: lk.mvn_loglik_grad(mu, (B + B.T) / 2, X)[1],
        cov,
    ).assert_ok()


def test_checker_rejects_the_notes_style_mistakes():
    rng = np.random.default_rng(42)
    x = rng.exponential(size=10)
    # writing the exponential derivative per sample (1/lam - x_i) but forgetting the sum's n
    wrong = mlcalc.check_grad(
        lambda t: lk.exponential_loglik(t, x), lambda t: 1 / t - np.sum(x), np.array(0.8)
    )
    assert not wrong
    # the uniform gradient with a and b swapped is sign-flipped
    xu = rng.uniform(size=10)
    flipped = mlcalc.check_grad(
        lambda t: lk.uniform_loglik(t[0], t[1], xu),
        lambda t: -lk.uniform_loglik_grad(t[0], t[1], xu),
        np.array([-1.0, 2.0]),
    )
    assert not flipped and flipped.diagnosis == "sign flipped"
