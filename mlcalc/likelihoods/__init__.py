"""Likelihoods: log-likelihoods and their gradients, MLE and MAP estimates, entropy and KL.

Conventions:

* Data ``x`` is a 1-D array of ``n`` independent samples, shape ``(n,)`` (``X`` of shape
  ``(n, d)`` for the multivariate Gaussian and for regression). A log-likelihood is the **sum**
  ``l(theta) = sum_i log p(x_i | theta)`` over the samples, with every normalising constant
  included, so ``exp(l)`` is the actual likelihood. (The losses of :mod:`mlcalc.linear_models`
  are means; a log-likelihood is a sum: the factor n is stated wherever the two meet.)
* ``<name>_loglik_grad`` has the same arguments as ``<name>_loglik`` and returns the gradient
  with respect to the **parameters**: a float for one parameter, an array ``[d/d theta_1,
  d/d theta_2]`` of shape ``(2,)`` for two (Gaussian ``(mu, sigma2)``, uniform ``(a, b)``,
  Laplace ``(mu, b)``), and for the multivariate Gaussian a pair of arrays.
* Parametrisations: Gaussian by its variance ``sigma2`` (not the standard deviation),
  exponential by its rate ``lam`` (density ``lam * exp(-lam x)``, mean ``1 / lam``), Poisson by
  its mean ``lam``, Laplace by location ``mu`` and scale ``b`` (density
  ``exp(-|x - mu| / b) / (2b)``), uniform by its end points ``a < b``.
* ``0 log 0 = 0`` wherever it can occur (Bernoulli and categorical log-likelihoods, entropy,
  cross-entropy, KL divergence). Natural logarithms: the unit is the nat.
* Kink convention (Laplace in ``mu``): the derivative of ``|x_i - mu|`` at ``x_i = mu`` is taken
  as ``sign(0) = 0``, as autograd does.
* The log-likelihoods are written with ``autograd.numpy``, so autograd can differentiate them
  with respect to their parameters. Inputs are never modified. Bad input raises
  ``ValueError`` naming the argument and the expected shape or range: ``p`` outside
  ``[0, 1]``, ``sigma2 <= 0``, data outside the support (negative exponential samples,
  non-integer Poisson counts, samples outside ``[a, b]``), shape mismatches.
* MAP estimates and the ridge/lasso scaling: a Gaussian prior ``w ~ N(0, tau2 I)`` with noise
  ``y | X, w ~ N(Xw, sigma2 I)`` gives the ridge solution with ``lam = sigma2 / tau2`` in
  :func:`mlcalc.linear_models.ridge_fit` (whose loss is the textbook sum objective divided by
  n, so ``lam`` is the textbook ``lam``); a Laplace prior with scale ``b`` gives the lasso
  solution with ``lam = sigma2 / b``.

The module is a package, one module per distribution family: :mod:`.gaussian`,
:mod:`.discrete` (Bernoulli, categorical), :mod:`.exponential_poisson`,
:mod:`.uniform_laplace`; :mod:`.regression` holds the regression likelihood, posteriors and MAP
estimates, :mod:`.information` entropy, cross-entropy and KL; :mod:`._validate` checks the
arguments. Import the names from here (``from mlcalc.likelihoods import gaussian_mle``).
"""

from __future__ import annotations

from .discrete import (
    bernoulli_loglik,
    bernoulli_loglik_grad,
    bernoulli_mle,
    categorical_loglik,
    categorical_loglik_grad,
    categorical_mle,
)
from .exponential_poisson import (
    exponential_loglik,
    exponential_loglik_grad,
    exponential_mle,
    poisson_loglik,
    poisson_loglik_grad,
    poisson_mle,
)
from .gaussian import (
    gaussian_loglik,
    gaussian_loglik_grad,
    gaussian_mle,
    mvn_loglik,
    mvn_loglik_grad,
    mvn_mle,
)
from .information import cross_entropy, entropy, kl_divergence
from .regression import (
    linear_gaussian_loglik,
    log_posterior_gaussian_prior,
    log_posterior_laplace_prior,
    map_bernoulli_beta,
    map_gaussian_mean,
    map_gaussian_prior,
    map_laplace_prior,
)
from .uniform_laplace import (
    laplace_loglik,
    laplace_loglik_grad,
    laplace_mle,
    uniform_loglik,
    uniform_loglik_grad,
    uniform_mle,
)

__all__ = [
    "bernoulli_loglik",
    "bernoulli_loglik_grad",
    "bernoulli_mle",
    "categorical_loglik",
    "categorical_loglik_grad",
    "categorical_mle",
    "cross_entropy",
    "entropy",
    "exponential_loglik",
    "exponential_loglik_grad",
    "exponential_mle",
    "gaussian_loglik",
    "gaussian_loglik_grad",
    "gaussian_mle",
    "kl_divergence",
    "laplace_loglik",
    "laplace_loglik_grad",
    "laplace_mle",
    "linear_gaussian_loglik",
    "log_posterior_gaussian_prior",
    "log_posterior_laplace_prior",
    "map_bernoulli_beta",
    "map_gaussian_mean",
    "map_gaussian_prior",
    "map_laplace_prior",
    "mvn_loglik",
    "mvn_loglik_grad",
    "mvn_mle",
    "poisson_loglik",
    "poisson_loglik_grad",
    "poisson_mle",
    "uniform_loglik",
    "uniform_loglik_grad",
    "uniform_mle",
]
