"""Statements corrected for issue 14 that live outside the chapters: a grader hint and two
"why" lines of the registry's wrong forms. Each is checked numerically here, so the text cannot
drift from the mathematics again."""

from __future__ import annotations

import numpy as np

from mlcalc import get_identity


def _sigmoid(t):
    return 1 / (1 + np.exp(-t))


def test_regression_hint_says_the_negative_gradient_points_downhill():
    from mlcalc.grading import EXERCISES

    ex = EXERCISES["linear_models/regression-objective"]
    (hint,) = [h for h in ex.hints if h.kind == "sign"]
    wrong, text = hint.wrong, hint.message
    assert "downhill" in text and "uphill" not in text
    rng = np.random.default_rng(14)
    X, y, w = rng.normal(size=(9, 4)), rng.normal(size=9), rng.normal(size=4)
    f = lambda v: 0.5 * np.sum((X @ v - y) ** 2)  # noqa: E731
    right = X.T @ (X @ w - y)
    assert np.allclose(wrong(w, X, y), -right)  # the hint's answer is minus the gradient
    assert f(w + 1e-3 * wrong(w, X, y)) < f(w) < f(w + 1e-3 * right)  # ... and goes downhill


def test_logistic_wrong_form_is_wrong_in_sign_and_in_the_argument_of_sigma():
    ident = get_identity("loss-logistic-weights")
    why = ident.common_mistake.why
    assert "sign" in why and "argument" in why
    d = ident.inputs(np.random.default_rng(3))
    w, X, y = d["w"], d["X"], d["y"]
    wrong = ident.common_mistake.derivative(**d)
    assert np.allclose(wrong, X.T @ (y * _sigmoid(y * (X @ w))) / len(y))
    assert np.allclose(ident.claimed(d), -X.T @ (y * _sigmoid(-y * (X @ w))) / len(y))


def test_gaussian_variance_wrong_form_is_the_derivative_in_sigma():
    var, std = get_identity("lik-gauss-var"), get_identity("lik-gauss-std")
    assert "2 sigma times" in var.common_mistake.why
    d = var.inputs(np.random.default_rng(4))
    sigma = np.sqrt(d["sigma2"])
    d_sigma = std.derivative(sigma=sigma, x=d["x"], mu=d["mu"])
    assert np.allclose(var.common_mistake.derivative(**d), d_sigma)
    assert np.allclose(d_sigma, 2 * sigma * var.claimed(d))
