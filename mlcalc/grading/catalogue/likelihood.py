"""The exercises of the chapter on likelihoods and their maximisers.

Ids ``likelihood/<slug>``. The task texts, hints and worked solutions are in
``exercises/solutions/likelihood.ipynb`` (kept in sync by ``tests/test_exercises.py``).
"""

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
