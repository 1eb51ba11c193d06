"""The exercises of the chapter on likelihoods and their maximisers.

Ids ``likelihood/<slug>``. The task texts, hints and worked solutions are in
``exercises/solutions/likelihood.ipynb`` (kept in sync by ``tests/test_exercises.py``).
"""

import math

import numpy as np

from ..spec import Case, _ex, _labels01

_ex("likelihood/gaussian-mean", "d_loglik_gaussian",
    "d/dmu of the Gaussian log-likelihood", "derivative",
    ["mu", "x", "sigma2"],
    lambda rng: [Case((mu, rng.normal(size=n) * 2 + 1, s2), f"n = {n}, mu = {mu}, "
                      f"sigma2 = {s2}") for n, mu, s2 in ((5, 0.3, 1.0), (8, -1.0, 2.5),
                                                          (4, 2.0, 0.5))],
    lambda mu, x, sigma2: np.sum(x - mu) / sigma2,
    hints=[("sign", lambda mu, x, sigma2: np.sum(mu - x) / sigma2,
            "d/dmu of -(x_i - mu)^2/(2 sigma^2) is +(x_i - mu)/sigma^2: the two minus signs "
            "cancel.")],
    n_samples=lambda mu, x, sigma2: len(x))

_ex("likelihood/exponential-rate", "d_loglik_exponential",
    "d/dlam of sum log(lam e^{-lam x_i}) (exponential)",
    "derivative", ["lam", "x"],
    lambda rng: [Case((lam, rng.exponential(1 / lam0, size=n)), f"n = {n}, lam = {lam}")
                 for n, lam, lam0 in ((5, 0.8, 1.0), (9, 2.0, 1.5), (4, 0.5, 0.7))],
    lambda lam, x: len(x) / lam - np.sum(x),
    hints=[("poisson", lambda lam, x: np.sum(x) / lam - len(x),
            "sum x_i / lam - n is the derivative of the Poisson log-likelihood. This function is "
            "the exponential distribution (density lam e^{-lam x}, mislabelled 'Poisson' in the "
            "source notes): n/lam - sum x_i.")],
    terms=lambda lam, x: {"n/lam": len(x) / lam + 0 * lam, "-sum x_i": -np.sum(x) + 0 * lam})

_ex("likelihood/bernoulli", "d_loglik_bernoulli",
    "d/dp of sum log(p^a_i (1 - p)^(1 - a_i))", "derivative",
    ["p", "a"],
    lambda rng: [Case((p, _labels01(rng, n)), f"n = {n}, p = {p}")
                 for n, p in ((6, 0.3), (9, 0.7), (5, 0.5))],
    lambda p, a: np.sum(a) / p - np.sum(1 - a) / (1 - p),
    hints=[("sign", lambda p, a: np.sum(a) / p + np.sum(1 - a) / (1 - p),
            "d/dp log(1 - p) = -1/(1 - p): the second term has a minus sign.")],
    terms=lambda p, a: {"sum a_i / p": np.sum(a) / p,
                        "-sum (1 - a_i)/(1 - p)": -np.sum(1 - a) / (1 - p)})

_ex("likelihood/uniform", "grad_loglik_uniform",
    "gradient in v = (a, b) of sum log(1/(b - a))", "gradient",
    ["v", "n"],
    lambda rng: [Case((np.array([a, b]), n), f"a = {a}, b = {b}, n = {n}")
                 for a, b, n in ((0.0, 2.0, 5), (-1.5, 0.5, 8), (1.0, 4.0, 3))],
    lambda v, n: np.array([n / (v[1] - v[0]), -n / (v[1] - v[0])]),
    n_samples=lambda v, n: n)

_ex("likelihood/exponential-mle", "mle_rate",
    "the MLE of the exponential rate lam", "estimate", ["x"],
    lambda rng: [Case((rng.exponential(s, size=n),), f"n = {n}")
                 for n, s in ((6, 1.0), (10, 0.4), (4, 2.5))],
    lambda x: 1 / np.mean(x),
    hints=[("mean", lambda x: np.mean(x),
            "The sample mean estimates the mean 1/lam; the rate's MLE is its reciprocal, "
            "n / sum x_i.")])

_ex("likelihood/bernoulli-mle", "mle_p",
    "the MLE of the Bernoulli p", "estimate", ["a"],
    lambda rng: [Case((_labels01(rng, n),), f"n = {n}") for n in (6, 9, 13)],
    lambda a: np.mean(a),
    hints=[("sum", lambda a: np.sum(a),
            "That is the number of ones; divide by n: p = sum a_i / n.")],
    n_samples=lambda a: len(a))

_ex("likelihood/uniform-mle", "mle_interval",
    "the MLE (a, b) of a uniform distribution", "estimate", ["x"],
    lambda rng: [Case((rng.uniform(lo, hi, size=n),), f"n = {n}")
                 for n, lo, hi in ((6, 0, 1), (9, -2, 3), (5, 1, 1.5))],
    lambda x: np.array([np.min(x), np.max(x)]),
    hints=[("first-last", lambda x: np.array([x[0], x[-1]]),
            "The data are not sorted: the likelihood (b - a)^{-n} is largest for the shortest "
            "interval containing every sample: a = min x_i, b = max x_i.")])

_ex("likelihood/gaussian-map-mean", "map_mean",
    "MAP of a Gaussian mean with prior N(mu0, tau2)",
    "estimate", ["x", "sigma2", "mu0", "tau2"],
    lambda rng: [Case((rng.normal(size=n) + 1, s2, m0, t2), f"n = {n}")
                 for n, s2, m0, t2 in ((5, 1.0, 0.0, 0.5), (10, 2.0, 3.0, 1.0),
                                       (3, 0.5, -1.0, 4.0))],
    lambda x, sigma2, mu0, tau2: (tau2 * np.sum(x) + sigma2 * mu0) / (len(x) * tau2 + sigma2),
    hints=[("mle", lambda x, sigma2, mu0, tau2: np.mean(x),
            "That is the MLE; the prior pulls the estimate towards mu0: "
            "(tau2 sum x_i + sigma2 mu0) / (n tau2 + sigma2).")])

# ------------------------------------------------------------------------------------------------
# by hand: given numbers, the answer is a constant
# ------------------------------------------------------------------------------------------------

_X_EXP_BY_HAND = np.array([0.5, 1.0, 2.5, 1.0])

_ex("likelihood/exponential-mle-by-hand", "mle_rate_by_hand",
    "the MLE of an exponential rate from x = (0.5, 1.0, 2.5, 1.0), by hand", "value", [],
    lambda rng: [Case((), "x = (0.5, 1.0, 2.5, 1.0)")],
    lambda: len(_X_EXP_BY_HAND) / np.sum(_X_EXP_BY_HAND),
    hints=[("mean", lambda: np.mean(_X_EXP_BY_HAND),
            "1.25 is the sample mean, which estimates the mean 1/lam of the exponential "
            "distribution (and is the Poisson MLE); the rate's MLE is its reciprocal."),
           ("n-1", lambda: (len(_X_EXP_BY_HAND) - 1) / np.sum(_X_EXP_BY_HAND),
            "Setting n/lam - sum x_i = 0 gives n / sum x_i, with n = 4 samples, not n - 1."),
           ("no-n", lambda: 1 / np.sum(_X_EXP_BY_HAND),
            "The log-likelihood has n log(lam), one log(lam) per sample: its derivative is "
            "n/lam, so the n survives in the MLE.")],
    task="by-hand")

_X_MAP_BY_HAND = np.array([0.5, 2.0, 3.5])
_MAP_BY_HAND = (_X_MAP_BY_HAND, 2.0, 1.0, 1.0)   # x, sigma2, mu0, tau2


def _map_mean(x, sigma2, mu0, tau2):
    return (tau2 * np.sum(x) + sigma2 * mu0) / (len(x) * tau2 + sigma2)


_ex("likelihood/gaussian-map-by-hand", "map_mean_by_hand",
    "the MAP of a Gaussian mean from three numbers and a prior N(1, 1), by hand", "value", [],
    lambda rng: [Case((), "x = (0.5, 2.0, 3.5), sigma2 = 2, mu0 = 1, tau2 = 1")],
    lambda: _map_mean(*_MAP_BY_HAND),
    hints=[("mle", lambda: np.mean(_X_MAP_BY_HAND),
            "2 is the sample mean, the MLE: the prior term -(mu - mu0)^2/(2 tau^2) of the log "
            "posterior is missing."),
           ("swapped-variances", lambda: _map_mean(_X_MAP_BY_HAND, 1.0, 1.0, 2.0),
            "sigma^2 and tau^2 are swapped: the data term is divided by sigma^2 = 2 and the "
            "prior term by tau^2 = 1."),
           ("no-n", lambda: (np.sum(_X_MAP_BY_HAND) + 2.0 * 1.0) / (1.0 + 2.0),
            "Each of the n = 3 samples contributes -mu/sigma^2 to the derivative: the "
            "denominator has n tau^2, not tau^2."),
           ("plain-average", lambda: (np.mean(_X_MAP_BY_HAND) + 1.0) / 2,
            "The MAP is a weighted average of the sample mean and mu0, with weights the "
            "precisions n/sigma^2 and 1/tau^2, not a plain average of the two.")],
    task="by-hand")

# ------------------------------------------------------------------------------------------------
# spot the error, then implement the corrected result
# ------------------------------------------------------------------------------------------------

_VAR_STEPS = {
    1: "Step 1 is right: log of (2 pi sigma^2)^{-1/2} exp(-(x_i - mu)^2/(2 sigma^2)), summed "
       "over the n samples. Look further on.",
    2: "Step 2 is right: only the sum depends on mu, and its zero is the sample mean. Look at "
       "what happens in the variance.",
    3: "Step 3 is right: with v = sigma^2, d/dv log v = 1/v and d/dv (1/v) = -1/v^2. Follow "
       "the equation it leads to.",
    4: "Step 4 is right: multiply the zero derivative by 2 sigma^4 > 0. Now solve the equation "
       "for sigma^2.",
    6: "Step 6 is right: at sigma^2 = sum r_i^2 / n the second derivative is -n/(2 sigma^4) < 0. "
       "Look at the steps before it.",
}

_ex("likelihood/spot-error-variance", "wrong_step_variance_mle",
    "spot the wrong step: the MLE of a Gaussian variance", "value", [],
    lambda rng: [Case((), "the derivation of the variance MLE")],
    lambda: 5,
    hints=[(f"step-{k}-right", lambda k=k: k, m) for k, m in _VAR_STEPS.items()],
    task="spot-error")

_ex("likelihood/variance-mle", "mle_variance_gaussian",
    "the MLE of a Gaussian variance", "estimate", ["x"],
    lambda rng: [Case((rng.normal(size=n) * s + m,), f"n = {n}")
                 for n, s, m in ((5, 1.0, 2.0), (8, 0.5, -1.0), (3, 2.0, 0.5), (12, 1.5, 4.0))],
    lambda x: np.mean((x - np.mean(x)) ** 2),
    hints=[("n-1", lambda x: np.sum((x - np.mean(x)) ** 2) / (len(x) - 1),
            "Dividing by n - 1 gives the unbiased estimate, not the MLE: the zero of "
            "-n/(2 sigma^2) + sum r_i^2/(2 sigma^4) is sum r_i^2 / n."),
           ("uncentred", lambda x: np.mean(x ** 2),
            "The deviations are from the MLE of the mean: use (x_i - mean(x))^2, not x_i^2.")],
    n_samples=lambda x: len(x))

_BETA_STEPS = {
    1: "Step 1 is right: the log-likelihood plus the log of the Beta density "
       "p^(alpha-1) (1-p)^(beta-1). Look further on.",
    2: "Step 2 is right: collect the log p and the log(1 - p) terms; s counts the ones. Look at "
       "the next step.",
    4: "Step 4 is right as an equation: it is what a zero derivative gives after multiplying "
       "by p(1 - p) > 0. Does it follow from the derivative as written before it?",
    5: "Step 5 is right: expand step 4 and collect the terms in p. Look at the steps before it.",
}

_ex("likelihood/spot-error-beta-bernoulli", "wrong_step_beta_bernoulli",
    "spot the wrong step: the MAP of a Bernoulli p with a Beta prior", "value", [],
    lambda rng: [Case((), "the derivation of the Beta-Bernoulli MAP")],
    lambda: 3,
    hints=[(f"step-{k}-right", lambda k=k: k, m) for k, m in _BETA_STEPS.items()],
    task="spot-error")


def _beta_cases(rng):
    return [Case((p, _labels01(rng, n), al, be), f"n = {n}, p = {p}, alpha = {al}, beta = {be}")
            for n, p, al, be in ((6, 0.3, 2.0, 3.0), (9, 0.7, 0.5, 1.5), (5, 0.45, 4.0, 2.0))]


def _beta_terms(p, a, alpha, beta):
    s, n = np.sum(a), len(a)
    return {"(s + alpha - 1)/p": (s + alpha - 1) / p,
            "-(n - s + beta - 1)/(1 - p)": -(n - s + beta - 1) / (1 - p)}


_ex("likelihood/beta-bernoulli-score", "d_logpost_bernoulli_beta",
    "d/dp of the Bernoulli log posterior with a Beta(alpha, beta) prior", "derivative",
    ["p", "a", "alpha", "beta"], _beta_cases,
    lambda p, a, alpha, beta: sum(_beta_terms(p, a, alpha, beta).values()),
    hints=[("sign", lambda p, a, alpha, beta: (np.sum(a) + alpha - 1) / p
            + (len(a) - np.sum(a) + beta - 1) / (1 - p),
            "d/dp log(1 - p) = -1/(1 - p): the chain rule's inner derivative -1 gives the "
            "second term a minus sign."),
           ("no-prior", lambda p, a, alpha, beta: np.sum(a) / p - np.sum(1 - a) / (1 - p),
            "That is the derivative of the log-likelihood alone: the log prior "
            "(alpha - 1) log p + (beta - 1) log(1 - p) adds alpha - 1 and beta - 1 to the "
            "counts."),
           ("exponents", lambda p, a, alpha, beta: (np.sum(a) + alpha) / p
            - (len(a) - np.sum(a) + beta) / (1 - p),
            "The Beta density is proportional to p^(alpha - 1) (1 - p)^(beta - 1): the counts "
            "grow by alpha - 1 and beta - 1, not by alpha and beta.")],
    terms=_beta_terms)

# ------------------------------------------------------------------------------------------------
# a project in steps: Newton's method for Poisson regression
# ------------------------------------------------------------------------------------------------


def _poisson_data(rng, n, d):
    X = np.column_stack([np.ones(n), 0.6 * rng.normal(size=(n, d - 1))])
    w_true = np.concatenate([[0.8], 0.5 * rng.normal(size=d - 1)])
    y = rng.poisson(np.exp(X @ w_true)).astype(float)
    return X, y


def _poisson_cases(rng, with_y=True):
    out = []
    for n, d in ((20, 2), (30, 3), (15, 4)):
        X, y = _poisson_data(rng, n, d)
        w = 0.3 * rng.normal(size=d)
        out.append(Case((w, X, y) if with_y else (w, X), f"n = {n}, d = {d}"))
    return out


def _log_factorial(y):
    return np.array([math.lgamma(k + 1) for k in np.ravel(y)])


def _poisson_loglik(w, X, y):
    z = X @ w
    return np.sum(y * z - np.exp(z) - _log_factorial(y))


def _poisson_score(w, X, y):
    return X.T @ (y - np.exp(X @ w))


def _poisson_info(w, X):
    return X.T @ (np.exp(X @ w)[:, None] * X)


def _poisson_newton(X, y, w0, k, frozen=False):
    w = np.array(w0, dtype=float)
    for _ in range(int(k)):
        info = _poisson_info(w0 if frozen else w, X)
        w = w + np.linalg.solve(info, _poisson_score(w, X, y))
    return w


_ex("likelihood/poisson-regression-loglik", "loglik_poisson_regression",
    "the Poisson regression log-likelihood", "value", ["w", "X", "y"],
    _poisson_cases, _poisson_loglik,
    hints=[("no-log-factorial", lambda w, X, y: np.sum(y * (X @ w) - np.exp(X @ w)),
            "The term -log(y_i!) of the Poisson log-probability is missing: it does not depend "
            "on w, but it is part of the log-likelihood (math.lgamma(y_i + 1) = log(y_i!))."),
           ("rate-sign", lambda w, X, y: np.sum(y * (X @ w) + np.exp(X @ w)
                                                 - _log_factorial(y)),
            "log(lam^k e^{-lam} / k!) = k log(lam) - lam - log(k!): the rate exp(x_i^T w) "
            "enters with a minus sign.")],
    n_samples=lambda w, X, y: len(y), task="project-step")

_ex("likelihood/poisson-regression-score", "grad_loglik_poisson_regression",
    "the score (gradient in w) of the Poisson regression log-likelihood", "gradient",
    ["w", "X", "y"], _poisson_cases, _poisson_score,
    hints=[("nll-sign", lambda w, X, y: X.T @ (np.exp(X @ w) - y),
            "That is the gradient of the negative log-likelihood: the score is the gradient of "
            "the log-likelihood itself."),
           ("identity-link", lambda w, X, y: X.T @ (y - X @ w),
            "That is the least-squares gradient: the Poisson mean of y_i is exp(x_i^T w), not "
            "x_i^T w.")],
    terms=lambda w, X, y: {"X^T y": X.T @ y, "-X^T exp(Xw)": -X.T @ np.exp(X @ w)},
    n_samples=lambda w, X, y: len(y), task="project-step")

_ex("likelihood/poisson-regression-information", "info_poisson_regression",
    "the observed information of Poisson regression", "hessian", ["w", "X"],
    lambda rng: _poisson_cases(rng, with_y=False), _poisson_info,
    hints=[("hessian-sign", lambda w, X: -_poisson_info(w, X),
            "That is the Hessian of the log-likelihood; the observed information is minus the "
            "Hessian, positive definite here."),
           ("no-weights", lambda w, X: X.T @ X,
            "The weights are missing: the derivative of exp(x_i^T w) x_i in w is "
            "exp(x_i^T w) x_i x_i^T.")],
    n_samples=lambda w, X: X.shape[0], task="project-step")


def _newton_cases(rng):
    out = []
    for n, d, k in ((20, 2, 2), (30, 3, 4), (15, 4, 12)):
        X, y = _poisson_data(rng, n, d)
        out.append(Case((X, y, np.zeros(d), k), f"n = {n}, d = {d}, w0 = 0, k = {k}"))
    return out


_ex("likelihood/poisson-regression-newton", "newton_poisson_regression",
    "k Newton steps for Poisson regression", "estimate", ["X", "y", "w0", "k"],
    _newton_cases, _poisson_newton,
    hints=[("frozen-information", lambda X, y, w0, k: _poisson_newton(X, y, w0, k, frozen=True),
            "The information I(w) = X^T diag(exp(Xw)) X changes with w: recompute it at each "
            "iterate, not only at w0."),
           ("off-by-one", lambda X, y, w0, k: _poisson_newton(X, y, w0, k + 1),
            "That is one Newton step too many: start from w0 and take exactly k steps."),
           ("one-step", lambda X, y, w0, k: _poisson_newton(X, y, w0, 1),
            "That is a single Newton step: repeat the update k times, each from the previous "
            "iterate.")],
    task="project-step")
