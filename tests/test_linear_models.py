"""Tests of mlcalc.linear_models: derivatives vs autograd and finite differences, closed forms vs
solvers, scikit-learn on the same data, hard inputs and bad inputs."""

import warnings

import autograd
import autograd.numpy as anp
import numpy as np
import pytest

import mlcalc
from mlcalc import linear_models as lm

SHAPES = [(7, 3), (20, 5), (12, 1), (40, 4)]


def fd_grad(f, x, h=1e-6):
    """Central finite differences of a scalar function, independent of the code under test."""
    x = np.asarray(x, dtype=float)
    g = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        e = np.zeros_like(x)
        e[i] = h
        g[i] = (f(x + e) - f(x - e)) / (2 * h)
    return g


def fd_jacobian(f, x, h=1e-6):
    x = np.asarray(x, dtype=float)
    cols = []
    for i in range(x.size):
        e = np.zeros_like(x)
        e.flat[i] = h
        cols.append((np.asarray(f(x + e)) - np.asarray(f(x - e))) / (2 * h))
    return np.stack(cols, axis=-1)


def regression_data(n, d, seed):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d))
    w_true = rng.normal(size=d)
    y = X @ w_true + 0.3 * rng.normal(size=n)
    return X, y, rng


def classification_data(n, d, seed, noise=1.0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d))
    w_true = rng.normal(size=d)
    y = (X @ w_true + noise * rng.normal(size=n) > 0).astype(float)
    return X, y, rng


# ------------------------------------------------------------------------------------------------
# derivatives
# ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("n,d", SHAPES)
@pytest.mark.parametrize("lam", [0.0, 0.7])
def test_least_squares_derivatives(n, d, lam):
    X, y, rng = regression_data(n, d, seed=n * 10 + d)
    w = rng.normal(size=d)
    if lam == 0.0:
        loss, grad, hess = (lambda v: lm.ols_loss(v, X, y)), lm.ols_grad, lm.ols_hessian
        g, H = grad(w, X, y), hess(w, X, y)
    else:
        loss = lambda v: lm.ridge_loss(v, X, y, lam)  # noqa: E731
        g, H = lm.ridge_grad(w, X, y, lam), lm.ridge_hessian(w, X, y, lam)
    assert g.shape == (d,) and H.shape == (d, d)
    np.testing.assert_allclose(g, autograd.grad(loss)(w), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(g, fd_grad(loss, w), rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(H, autograd.hessian(loss)(w), rtol=1e-10, atol=1e-12)
    # closed-form expressions written independently
    np.testing.assert_allclose(g, (X.T @ (X @ w - y) + lam * w) / n, rtol=1e-12)
    np.testing.assert_allclose(H, (X.T @ X + lam * np.eye(d)) / n, rtol=1e-12)
    np.testing.assert_allclose(
        loss(w), (0.5 * np.sum((X @ w - y) ** 2) + 0.5 * lam * w @ w) / n, rtol=1e-12
    )


@pytest.mark.parametrize("n,d", SHAPES)
@pytest.mark.parametrize("lam", [0.0, 0.5])
def test_logreg_derivatives(n, d, lam):
    X, y, rng = classification_data(n, d, seed=n + 100 * d)
    w = rng.normal(size=d)
    loss = lambda v: lm.logreg_loss(v, X, y, lam)  # noqa: E731
    g = lm.logreg_grad(w, X, y, lam)
    H = lm.logreg_hessian(w, X, y, lam)
    np.testing.assert_allclose(g, autograd.grad(loss)(w), rtol=1e-10, atol=1e-13)
    np.testing.assert_allclose(g, fd_grad(loss, w), rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(H, autograd.hessian(loss)(w), rtol=1e-10, atol=1e-13)
    np.testing.assert_allclose(
        H, fd_jacobian(lambda v: lm.logreg_grad(v, X, y, lam), w), rtol=1e-6, atol=1e-8
    )
    # textbook forms, computed independently of the module
    s = 1 / (1 + np.exp(-(X @ w)))
    nll = -np.sum(y * np.log(s) + (1 - y) * np.log(1 - s))
    np.testing.assert_allclose(loss(w), (nll + 0.5 * lam * w @ w) / n, rtol=1e-12)
    np.testing.assert_allclose(g, (X.T @ (s - y) + lam * w) / n, rtol=1e-10, atol=1e-14)
    np.testing.assert_allclose(
        H, (X.T @ np.diag(s * (1 - s)) @ X + lam * np.eye(d)) / n, rtol=1e-10, atol=1e-14
    )
    assert np.all(np.linalg.eigvalsh(H) >= -1e-14)  # convex


def test_wrong_gradients_are_caught():
    """The comparisons above can fail: typical wrong forms differ from autograd."""
    X, y, rng = classification_data(15, 3, seed=3)
    w = rng.normal(size=3)
    right = autograd.grad(lambda v: lm.logreg_loss(v, X, y))(w)
    s = 1 / (1 + np.exp(-(X @ w)))
    for wrong in (X.T @ (s - y), X.T @ (y - s) / 15, X.T @ (s - y) * s.mean() / 15):
        assert not np.allclose(wrong, right, rtol=1e-6)


@pytest.mark.parametrize("n,d", SHAPES)
def test_lasso_subgradients(n, d):
    X, y, rng = regression_data(n, d, seed=7 * n + d)
    lam = 2.0
    w = rng.normal(size=d)  # no zero entries: the loss is differentiable here
    loss = lambda v: lm.lasso_loss(v, X, y, lam)  # noqa: E731
    g = lm.lasso_subgrad(w, X, y, lam)
    np.testing.assert_allclose(g, autograd.grad(loss)(w), rtol=1e-10, atol=1e-13)
    np.testing.assert_allclose(g, fd_grad(loss, w), rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(lm.lasso_min_norm_subgrad(w, X, y, lam), g, rtol=1e-12)
    # at a kink: sign(0) = 0 (autograd's convention) and the min-norm subgradient is the
    # soft-thresholded smooth gradient
    w0 = w.copy()
    w0[0] = 0.0
    g0 = lm.lasso_subgrad(w0, X, y, lam)
    smooth = X.T @ (X @ w0 - y) / n
    assert g0[0] == pytest.approx(smooth[0], rel=1e-12)
    np.testing.assert_allclose(g0, autograd.grad(loss)(w0), rtol=1e-10, atol=1e-13)
    m0 = lm.lasso_min_norm_subgrad(w0, X, y, lam)
    t = lam / n
    expected = np.sign(smooth[0]) * max(abs(smooth[0]) - t, 0.0)
    assert m0[0] == pytest.approx(expected, abs=1e-15)
    # directional derivatives of the convex loss bound the subgradient interval
    e = np.zeros(d)
    e[0] = 1.0
    h = 1e-7
    right = (loss(w0 + h * e) - loss(w0)) / h
    left = (loss(w0) - loss(w0 - h * e)) / h
    assert right == pytest.approx(smooth[0] + t, abs=1e-5)
    assert left == pytest.approx(smooth[0] - t, abs=1e-5)


def test_soft_threshold():
    z = np.array([-3.0, -1.0, -0.5, 0.0, 0.5, 1.0, 2.5])
    np.testing.assert_array_equal(lm.soft_threshold(z, 1.0), [-2.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.5])
    np.testing.assert_array_equal(lm.soft_threshold(z, 0.0), z)
    # prox property: argmin_v (v - z)^2 / 2 + t |v| by brute force on a grid
    grid = np.linspace(-5, 5, 100001)
    for zi in (-2.3, -0.4, 0.0, 0.9, 3.1):
        v = grid[np.argmin(0.5 * (grid - zi) ** 2 + 0.8 * np.abs(grid))]
        assert float(lm.soft_threshold(zi, 0.8)) == pytest.approx(v, abs=1e-4)
    assert float(lm.soft_threshold(5, 2)) == 3.0
    with pytest.raises(ValueError, match="t must be"):
        lm.soft_threshold(z, -1.0)


# ------------------------------------------------------------------------------------------------
# closed forms and solvers
# ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("n,d", SHAPES)
def test_ols_and_ridge_closed_forms(n, d):
    X, y, _ = regression_data(n, d, seed=n * d)
    w = lm.ols_fit(X, y)
    np.testing.assert_allclose(X.T @ X @ w, X.T @ y, rtol=1e-9, atol=1e-10)  # normal equations
    np.testing.assert_allclose(lm.ols_grad(w, X, y), 0, atol=1e-12)
    lam = 1.3
    wr = lm.ridge_fit(X, y, lam)
    np.testing.assert_allclose((X.T @ X + lam * np.eye(d)) @ wr, X.T @ y, rtol=1e-9, atol=1e-10)
    np.testing.assert_allclose(lm.ridge_grad(wr, X, y, lam), 0, atol=1e-12)
    np.testing.assert_allclose(lm.ridge_fit(X, y, 0.0), w, rtol=1e-10, atol=1e-12)
    # Newton converges in one step on a quadratic; gradient descent gets there slowly
    path = lm.newton(
        lambda v: lm.ridge_grad(v, X, y, lam),
        lambda v: lm.ridge_hessian(v, X, y, lam),
        np.ones(d),
        1,
    )
    assert path.shape == (2, d)
    np.testing.assert_allclose(path[-1], wr, rtol=1e-9, atol=1e-10)
    L = np.linalg.eigvalsh(lm.ridge_hessian(wr, X, y, lam)).max()
    gd = lm.gradient_descent(lambda v: lm.ridge_grad(v, X, y, lam), np.zeros(d), 1 / L, 3000)
    assert gd.shape == (3001, d)
    np.testing.assert_allclose(gd[-1], wr, rtol=1e-7, atol=1e-8)
    losses = [lm.ridge_loss(v, X, y, lam) for v in gd[:50]]
    assert np.all(np.diff(losses) <= 1e-15)  # monotone with step 1/L


def test_ols_rank_deficient_gives_min_norm_solution():
    X, y, _ = regression_data(10, 3, seed=1)
    X = np.hstack([X, X[:, :1]])  # duplicated column: infinitely many minimisers
    w = lm.ols_fit(X, y)
    np.testing.assert_allclose(X.T @ X @ w, X.T @ y, atol=1e-10)
    np.testing.assert_allclose(w, np.linalg.pinv(X) @ y, atol=1e-10)
    # ridge stays unique and solvable
    wr = lm.ridge_fit(X, y, 0.5)
    np.testing.assert_allclose((X.T @ X + 0.5 * np.eye(4)) @ wr, X.T @ y, atol=1e-10)


def test_polynomial_features_and_intercept():
    x = np.array([0.0, 1.0, 2.0, -1.5])
    Phi = lm.polynomial_features(x, 3)
    np.testing.assert_array_equal(Phi, np.stack([x**0, x, x**2, x**3], axis=1))
    assert lm.polynomial_features(x, 0).shape == (4, 1)
    X1 = lm.add_intercept(Phi[:, 1:])
    np.testing.assert_array_equal(X1, Phi)
    # cubic data is fitted exactly by cubic features
    w = lm.ols_fit(lm.polynomial_features(np.linspace(-1, 1, 9), 3), np.linspace(-1, 1, 9) ** 3)
    np.testing.assert_allclose(w, [0, 0, 0, 1], atol=1e-12)
    with pytest.raises(ValueError, match="degree"):
        lm.polynomial_features(x, -1)
    with pytest.raises(ValueError, match="x must be a 1-D"):
        lm.polynomial_features(Phi, 2)


@pytest.mark.parametrize("n,d,lam", [(30, 5, 3.0), (15, 8, 1.0), (50, 3, 20.0)])
def test_lasso_solvers_agree(n, d, lam):
    X, y, _ = regression_data(n, d, seed=n + d)
    w = lm.lasso_fit(X, y, lam)
    np.testing.assert_allclose(lm.lasso_min_norm_subgrad(w, X, y, lam), 0, atol=1e-10)
    ista = lm.lasso_ista(X, y, lam, 3000)
    assert ista.shape == (3001, d)

    def path_losses(W):  # lasso loss of every row, vectorised; spot-checked against lasso_loss
        out = (0.5 * np.sum((W @ X.T - y) ** 2, axis=1) + lam * np.sum(np.abs(W), axis=1)) / n
        assert out[-1] == pytest.approx(lm.lasso_loss(W[-1], X, y, lam), rel=1e-12)
        return out

    losses = path_losses(ista)
    assert np.all(np.diff(losses) <= 1e-14)  # ISTA with step 1/L decreases the loss
    np.testing.assert_allclose(ista[-1], w, atol=1e-6)
    cd = lm.lasso_coordinate_descent(X, y, lam, 400)
    assert cd.shape == (401, d)
    cd_losses = path_losses(cd)
    assert np.all(np.diff(cd_losses) <= 1e-14)
    np.testing.assert_allclose(cd[-1], w, atol=1e-8)
    # the minimiser beats nearby points (convexity)
    rng = np.random.default_rng(0)
    for _ in range(20):
        assert lm.lasso_loss(w + 1e-3 * rng.normal(size=d), X, y, lam) >= lm.lasso_loss(
            w, X, y, lam
        )


def test_lasso_orthonormal_design_is_soft_thresholding():
    rng = np.random.default_rng(5)
    Q, _ = np.linalg.qr(rng.normal(size=(20, 6)))  # X^T X = I
    y = rng.normal(size=20) * 2
    lam = 0.9
    expected = np.sign(Q.T @ y) * np.maximum(np.abs(Q.T @ y) - lam, 0)
    assert np.sum(expected == 0) >= 1  # some coefficients are exactly zero
    np.testing.assert_allclose(lm.lasso_fit(Q, y, lam), expected, atol=1e-12)
    np.testing.assert_allclose(lm.lasso_coordinate_descent(Q, y, lam, 1)[-1], expected, atol=1e-12)
    # large lam: everything is zero (lam >= max |X^T y|)
    big = np.max(np.abs(Q.T @ y))
    np.testing.assert_array_equal(lm.lasso_fit(Q, y, big * 1.0001), np.zeros(6))


def test_lasso_coordinate_descent_per_coordinate_and_zero_column():
    X, y, _ = regression_data(12, 3, seed=2)
    X[:, 1] = 0.0
    path = lm.lasso_coordinate_descent(X, y, 0.5, 4, per_coordinate=True, w0=np.ones(3))
    assert path.shape == (4 * 3 + 1, 3)
    np.testing.assert_array_equal(path[0], np.ones(3))
    # each row differs from the previous in at most one coordinate
    assert np.all(np.sum(path[1:] != path[:-1], axis=1) <= 1)
    assert np.all(path[2:, 1] == 0.0)  # zero column gets weight 0
    np.testing.assert_allclose(path[-1], lm.lasso_fit(X, y, 0.5), atol=1e-6)


@pytest.mark.parametrize("lam", [0.0, 0.3, 5.0])
def test_logreg_newton_vs_gradient_descent(lam):
    X, y, _ = classification_data(60, 4, seed=11, noise=1.5)
    w = lm.logreg_fit(X, y, lam)
    np.testing.assert_allclose(lm.logreg_grad(w, X, y, lam), 0, atol=1e-12)
    path = lm.newton(
        lambda v: lm.logreg_grad(v, X, y, lam),
        lambda v: lm.logreg_hessian(v, X, y, lam),
        np.zeros(4),
        12,
    )
    np.testing.assert_allclose(path[-1], w, rtol=1e-10, atol=1e-12)
    errs = np.linalg.norm(path - w, axis=1)
    # quadratic convergence: the error roughly squares once close
    k = np.argmax(errs < 1e-2)
    assert errs[k + 1] < 10 * errs[k] ** 2 + 1e-13
    gd = lm.gradient_descent(lambda v: lm.logreg_grad(v, X, y, lam), np.zeros(4), 2.0, 400)
    assert np.linalg.norm(gd[-1] - w) < np.linalg.norm(gd[10] - w) < np.linalg.norm(w)
    proba = lm.logreg_predict_proba(X, w)
    assert proba.shape == (60,) and np.all((proba > 0) & (proba < 1))


def test_logreg_separable_data_raises():
    X, y, _ = classification_data(30, 3, seed=4, noise=0.0)
    with pytest.raises(RuntimeError, match="separable"):
        lm.logreg_fit(X, y)
    w = lm.logreg_fit(X, y, lam=1e-2)  # regularised: finite minimiser
    np.testing.assert_allclose(lm.logreg_grad(w, X, y, 1e-2), 0, atol=1e-12)


def test_logreg_extreme_scores_are_stable():
    mpmath = pytest.importorskip("mpmath")
    mpmath.mp.dps = 50
    X = np.array([[1.0], [1.0], [1.0], [1.0]])
    for z, label in [(1000.0, 0.0), (-1000.0, 1.0), (40.0, 1.0), (-40.0, 0.0), (1e300, 1.0)]:
        y = np.array([label] * 4)
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            with np.errstate(over="raise", invalid="raise", divide="raise"):
                val = lm.logreg_loss(np.array([z]), X, y)
                g = lm.logreg_grad(np.array([z]), X, y)
                H = lm.logreg_hessian(np.array([z]), X, y)
        zz = mpmath.mpf(z)
        p, q = 1 / (1 + mpmath.exp(-zz)), 1 / (1 + mpmath.exp(zz))  # q = 1 - p, no cancellation
        exact = mpmath.log1p(mpmath.exp(-zz)) if label == 1 else mpmath.log1p(mpmath.exp(zz))
        assert val == pytest.approx(float(exact), rel=1e-14, abs=0)
        assert g[0] == pytest.approx(float(p if label == 0 else -q), rel=1e-14, abs=0)
        assert H[0, 0] == pytest.approx(float(p * q), rel=1e-12, abs=0)


# ------------------------------------------------------------------------------------------------
# LDA
# ------------------------------------------------------------------------------------------------


def lda_data(seed, n=80, d=3):
    rng = np.random.default_rng(seed)
    A = rng.normal(size=(d, d))
    y = (rng.random(n) < 0.35).astype(float)
    X = rng.normal(size=(n, d)) @ A + np.outer(y, rng.normal(size=d) * 2)
    return X, y


def test_lda_fit_matches_its_definition():
    X, y = lda_data(0)
    w, b = lm.lda_fit(X, y)
    X0, X1 = X[y == 0], X[y == 1]
    m0, m1 = X0.mean(0), X1.mean(0)
    S = ((X0 - m0).T @ (X0 - m0) + (X1 - m1).T @ (X1 - m1)) / len(y)
    np.testing.assert_allclose(S @ w, m1 - m0, rtol=1e-10)
    pi1 = y.mean()
    assert b == pytest.approx(-0.5 * (m0 + m1) @ w + np.log(pi1 / (1 - pi1)), rel=1e-10)
    means, cov, priors = lm.lda_class_stats(X, y)
    np.testing.assert_allclose(cov, S, rtol=1e-12)
    np.testing.assert_allclose(priors, [1 - pi1, pi1])
    delta = lm.lda_discriminants(X, means, cov, priors)
    np.testing.assert_allclose(delta[:, 1] - delta[:, 0], X @ w + b, rtol=1e-9, atol=1e-9)
    np.testing.assert_array_equal(lm.lda_predict(X, w, b), np.argmax(delta, axis=1))
    # delta_k is log p(x, y=k) up to a class-independent term (Gaussian densities, shared cov)
    Sinv_X = np.linalg.solve(cov, X.T).T
    for k in range(2):
        D = X - means[k]
        logjoint = -0.5 * np.sum(D * np.linalg.solve(cov, D.T).T, axis=1) + np.log(priors[k])
        np.testing.assert_allclose(
            delta[:, k] - logjoint, 0.5 * np.sum(X * Sinv_X, axis=1), rtol=1e-9, atol=1e-9
        )


def test_lda_three_classes():
    rng = np.random.default_rng(8)
    y = np.repeat([0, 1, 2], 15).astype(float)
    X = rng.normal(size=(45, 2)) + 3 * np.eye(3)[y.astype(int)][:, :2]
    means, cov, priors = lm.lda_class_stats(X, y)
    assert means.shape == (3, 2) and cov.shape == (2, 2) and priors.shape == (3,)
    delta = lm.lda_discriminants(X, means, cov, priors)
    assert delta.shape == (45, 3)
    assert np.mean(np.argmax(delta, axis=1) == y) > 0.8


# ------------------------------------------------------------------------------------------------
# scikit-learn on the same data (test-only dependency)
# ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("n,d", [(30, 4), (80, 6)])
def test_matches_sklearn_regression(n, d):
    linear_model = pytest.importorskip("sklearn.linear_model")
    X, y, _ = regression_data(n, d, seed=n + 3 * d)
    ref = linear_model.LinearRegression(fit_intercept=False).fit(X, y).coef_
    np.testing.assert_allclose(lm.ols_fit(X, y), ref, atol=1e-8)
    for lam in (0.1, 4.0):
        ref = linear_model.Ridge(alpha=lam, fit_intercept=False, solver="cholesky").fit(X, y).coef_
        np.testing.assert_allclose(lm.ridge_fit(X, y, lam), ref, atol=1e-8)
        ref = (
            linear_model.Lasso(alpha=lam / n, fit_intercept=False, tol=1e-14, max_iter=200000)
            .fit(X, y)
            .coef_
        )
        np.testing.assert_allclose(lm.lasso_fit(X, y, lam), ref, atol=1e-7)


@pytest.mark.parametrize("lam", [0.0, 0.5, 3.0])
def test_matches_sklearn_logistic(lam):
    linear_model = pytest.importorskip("sklearn.linear_model")
    X, y, _ = classification_data(80, 4, seed=21, noise=1.5)
    if lam == 0.0:
        clf = linear_model.LogisticRegression(
            C=np.inf, fit_intercept=False, tol=1e-12, max_iter=10000, solver="newton-cg"
        )
    else:
        clf = linear_model.LogisticRegression(
            C=1.0 / lam, fit_intercept=False, tol=1e-12, max_iter=10000, solver="newton-cg"
        )
    ref = clf.fit(X, y).coef_[0]
    np.testing.assert_allclose(lm.logreg_fit(X, y, lam), ref, atol=1e-6)


def test_matches_sklearn_lda():
    discriminant = pytest.importorskip("sklearn.discriminant_analysis")
    X, y = lda_data(3)
    w, b = lm.lda_fit(X, y)
    ref = discriminant.LinearDiscriminantAnalysis(solver="lsqr").fit(X, y)
    np.testing.assert_allclose(w, ref.coef_[0], rtol=1e-6, atol=1e-8)
    assert b == pytest.approx(ref.intercept_[0], rel=1e-6, abs=1e-8)
    svd = discriminant.LinearDiscriminantAnalysis(solver="svd").fit(X, y).coef_[0]
    np.testing.assert_allclose(w / np.linalg.norm(w), svd / np.linalg.norm(svd), atol=1e-6)
    np.testing.assert_array_equal(lm.lda_predict(X, w, b), ref.predict(X))


# ------------------------------------------------------------------------------------------------
# generic solvers
# ------------------------------------------------------------------------------------------------


def test_gradient_descent_and_newton_scalar_and_tol():
    gd = lm.gradient_descent(lambda x: 2 * (x - 3.0), 0.0, 0.25, 20)
    assert gd.shape == (21,)
    np.testing.assert_allclose(gd, 3.0 - 3.0 * 0.5 ** np.arange(21))  # exact geometric path
    nt = lm.newton(lambda x: 4 * x**3, lambda x: 12 * x**2, 1.0, 5)
    np.testing.assert_allclose(nt, (2 / 3) ** np.arange(6))  # x <- x - x/3 for f = x^4
    short = lm.gradient_descent(lambda x: 2 * x, np.ones((2, 2)), 0.5, 50, tol=1e-12)
    assert short.shape == (3, 2, 2)  # step 1 lands on 0, step 2 has size 0 <= tol: stop
    assert lm.newton(lambda v: v, lambda v: np.eye(2), np.ones(2), 10, tol=0.0).shape == (3, 2)
    with pytest.raises(np.linalg.LinAlgError, match="singular"):
        lm.newton(lambda v: v, lambda v: np.zeros((2, 2)), np.ones(2), 3)
    with pytest.raises(ValueError, match="grad must return"):
        lm.gradient_descent(lambda v: np.ones(3), np.ones(2), 0.1, 2)
    with pytest.raises(ValueError, match="hess must return"):
        lm.newton(lambda v: v, lambda v: np.eye(3), np.ones(2), 2)
    with pytest.raises(ValueError, match="lr must be"):
        lm.gradient_descent(lambda v: v, np.ones(2), 0.0, 2)
    with pytest.raises(ValueError, match="n_steps must be"):
        lm.gradient_descent(lambda v: v, np.ones(2), 0.1, -1)
    with pytest.raises(ValueError, match="n_steps must be"):
        lm.newton(lambda v: v, lambda v: np.eye(2), np.ones(2), 2.5)


def test_solvers_do_not_modify_w0_even_if_grad_does():
    w0 = np.array([1.0, 2.0])

    def nasty_grad(v):
        out = v.copy()
        v[:] = 99.0  # a careless user function mutating its argument
        return out

    path = lm.gradient_descent(nasty_grad, w0, 0.5, 3)
    np.testing.assert_array_equal(w0, [1.0, 2.0])
    np.testing.assert_allclose(path[-1], w0 * 0.5**3)


# ------------------------------------------------------------------------------------------------
# input handling
# ------------------------------------------------------------------------------------------------


def test_inputs_never_modified_and_read_only_ok():
    X, y, rng = classification_data(25, 3, seed=9, noise=1.5)
    w = rng.normal(size=3)
    for a in (X, y, w):
        a.setflags(write=False)  # any in-place write would raise
    copies = [X.copy(), y.copy(), w.copy()]
    lm.ols_loss(w, X, y), lm.ols_grad(w, X, y), lm.ols_hessian(w, X, y), lm.ols_fit(X, y)
    lm.ridge_loss(w, X, y, 1.0), lm.ridge_grad(w, X, y, 1.0), lm.ridge_fit(X, y, 1.0)
    lm.lasso_loss(w, X, y, 1.0), lm.lasso_subgrad(w, X, y, 1.0), lm.lasso_fit(X, y, 1.0)
    lm.lasso_ista(X, y, 1.0, 5, w0=w), lm.lasso_coordinate_descent(X, y, 1.0, 3, w0=w)
    lm.lasso_min_norm_subgrad(w, X, y, 1.0), lm.soft_threshold(w, 0.1)
    lm.logreg_loss(w, X, y), lm.logreg_grad(w, X, y), lm.logreg_hessian(w, X, y, 0.2)
    lm.logreg_fit(X, y, 0.1), lm.logreg_predict_proba(X, w)
    lm.lda_fit(X, y), lm.lda_class_stats(X, y), lm.lda_predict(X, w, 0.0)
    lm.gradient_descent(lambda v: v, w, 0.1, 3), lm.newton(lambda v: v, lambda v: np.eye(3), w, 2)
    lm.add_intercept(X), lm.polynomial_features(y, 2)
    for a, c in zip((X, y, w), copies, strict=True):
        np.testing.assert_array_equal(a, c)


def test_lists_and_integers_accepted():
    X = [[1, 0], [0, 1], [1, 1], [2, 1]]
    y = [1, 0, 1, 1]
    assert lm.ols_fit(X, y).dtype == np.float64
    assert lm.ols_loss([0, 0], X, y) == pytest.approx(3 / 8)
    # at w = 0 every probability is 1/2: X^T (s - y) / n with s - y = [-1/2, 1/2, -1/2, -1/2]
    np.testing.assert_allclose(lm.logreg_grad([0, 0], X, y), [-2 / 4, -0.5 / 4])


def test_bad_inputs_raise_clear_errors():
    X, y, rng = regression_data(10, 3, seed=0)
    w = np.zeros(3)
    yb = (y > 0).astype(float)
    with pytest.raises(
        ValueError, match=r"y must have shape \(n,\) = \(10,\).*got shape \(10, 1\)"
    ):
        lm.ols_loss(w, X, y[:, None])  # no silent (10,) vs (10, 1) broadcasting
    with pytest.raises(ValueError, match=r"y must have shape.*got shape \(9,\)"):
        lm.ols_grad(w, X, y[:9])
    with pytest.raises(ValueError, match=r"w must have shape \(d,\) = \(3,\).*got shape \(3, 1\)"):
        lm.ridge_grad(w[:, None], X, y, 1.0)
    with pytest.raises(ValueError, match=r"w must have shape.*got shape \(2,\)"):
        lm.logreg_loss(np.zeros(2), X, yb)
    with pytest.raises(ValueError, match=r"X must be a 2-D array of shape \(n, d\)"):
        lm.ols_fit(X[:, 0], y)
    with pytest.raises(ValueError, match=r"y must hold labels in \{0, 1\}.*-1"):
        lm.logreg_grad(w, X, 2 * yb - 1)
    with pytest.raises(ValueError, match=r"labels in \{0, 1\}"):
        lm.lda_fit(X, 2 * yb)
    with pytest.raises(ValueError, match="lam must be a finite scalar >= 0"):
        lm.ridge_fit(X, y, -1.0)
    with pytest.raises(ValueError, match="lam must be"):
        lm.lasso_loss(w, X, y, np.array([1.0, 2.0]))
    with pytest.raises(ValueError, match="lam must be"):
        lm.logreg_hessian(w, X, yb, float("nan"))
    with pytest.raises(ValueError, match="at least 1 row"):
        lm.ols_loss(w, np.zeros((0, 3)), np.zeros(0))
    with pytest.raises(ValueError, match="both labels|every class"):
        lm.lda_fit(X, np.zeros(10))
    with pytest.raises(ValueError, match="singular"):
        lm.lda_fit(np.hstack([X, X[:, :1]]), yb)
    with pytest.raises(ValueError, match="lr must be"):
        lm.lasso_ista(X, y, 1.0, 3, lr=-0.1)
    with pytest.raises(ValueError, match=r"w must have shape"):
        lm.lasso_coordinate_descent(X, y, 1.0, 3, w0=np.zeros(4))
    with pytest.raises(ValueError, match="priors must have shape"):
        lm.lda_discriminants(X, np.zeros((2, 3)), np.eye(3), np.ones(3) / 3)
    with pytest.raises(TypeError, match="real numbers"):
        lm.ols_fit(X.astype(complex), y)
    with pytest.raises(RuntimeError, match="singular"):
        lm.logreg_fit(np.hstack([X, X[:, :1]]), yb)


def test_autograd_differentiates_losses_only_in_w():
    X, y, _ = regression_data(6, 2, seed=1)
    with pytest.raises(TypeError, match="cannot be differentiated"):
        autograd.grad(lambda Z: lm.ols_loss(np.zeros(2), Z, y))(X)
    # the loss is an ordinary autograd function of w: compose it
    f = lambda v: anp.exp(-lm.ridge_loss(v, X, y, 0.5))  # noqa: E731
    v = np.array([0.3, -0.2])
    np.testing.assert_allclose(autograd.grad(f)(v), -f(v) * lm.ridge_grad(v, X, y, 0.5), rtol=1e-12)


def test_public_api_reexported():
    for name in lm.__all__:
        assert getattr(mlcalc, name) is getattr(lm, name)
        assert name in mlcalc.__all__


# ------------------------------------------------------------------------------------------------
# the book's own checker (mlcalc.checks) agrees, and catches the typical wrong forms
# ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("n,d", [(9, 3), (25, 6)])
def test_checker_accepts_every_derivative(n, d):
    X, y, rng = regression_data(n, d, seed=31 * n + d)
    yb = (y > np.median(y)).astype(float)
    w = rng.normal(size=d)
    models = [
        (
            lambda v: lm.ols_loss(v, X, y),
            lambda v: lm.ols_grad(v, X, y),
            lambda v: lm.ols_hessian(v, X, y),
        ),
        (
            lambda v: lm.ridge_loss(v, X, y, 0.8),
            lambda v: lm.ridge_grad(v, X, y, 0.8),
            lambda v: lm.ridge_hessian(v, X, y, 0.8),
        ),
        (
            lambda v: lm.logreg_loss(v, X, yb),
            lambda v: lm.logreg_grad(v, X, yb),
            lambda v: lm.logreg_hessian(v, X, yb),
        ),
        (
            lambda v: lm.logreg_loss(v, X, yb, 2.0),
            lambda v: lm.logreg_grad(v, X, yb, 2.0),
            lambda v: lm.logreg_hessian(v, X, yb, 2.0),
        ),
    ]
    for f, g, h in models:
        mlcalc.check_grad(f, g, w).assert_ok()
        mlcalc.check_hessian(f, h, w, grad_f=g).assert_ok()
    mlcalc.check_grad(
        lambda v: lm.lasso_loss(v, X, y, 1.5), lambda v: lm.lasso_subgrad(v, X, y, 1.5), w
    ).assert_ok()


def test_checker_rejects_wrong_forms():
    X, y, rng = classification_data(12, 3, seed=5)
    w = rng.normal(size=3)
    f = lambda v: lm.logreg_loss(v, X, y)  # noqa: E731
    sum_form = mlcalc.check_grad(f, lambda v: 12 * lm.logreg_grad(v, X, y), w)  # forgot 1/n
    assert not sum_form and sum_form.diagnosis == "scaled by 12"
    flipped = mlcalc.check_grad(f, lambda v: -lm.logreg_grad(v, X, y), w)  # X^T (y - s) / n
    assert not flipped and flipped.diagnosis == "sign flipped"
    no_d = mlcalc.check_hessian(f, lambda v: X.T @ X / 12, w)  # dropped D
    assert not no_d
