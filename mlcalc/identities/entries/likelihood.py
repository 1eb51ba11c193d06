"""Entries of the identity registry, chapter 10: likelihood, MLE and MAP."""

# Data: each LaTeX statement and each formula stays on one line (grep-able).
# ruff: noqa: E501

import math

import autograd.numpy as anp
import numpy as np

from .._formulas import _inv, _sig, _softmax
from .._registry import _M, _add, _cond
from .linear_models import _LM, _LMB, _logreg_nll

_CH = "ch-likelihood"
_add("lik-gauss-mu", "Gaussian log-likelihood in the mean", "derivative", _CH,
     r"\frac{\partial}{\partial\mu}\sum_{i=1}^{N}\ln\mathcal{N}(x_i;\mu,\sigma^{2}) = \frac{1}{\sigma^{2}}\sum_{i=1}^{N}(x_i - \mu)",
     lambda mu, x, sigma2: anp.sum(-0.5 * anp.log(2 * anp.pi * sigma2) - (x[None, :] - mu[:, None]) ** 2 / (2 * sigma2), axis=1),
     lambda mu, x, sigma2: anp.sum(x[None, :] - mu[:, None], axis=1) / sigma2,
     {"mu": "vec:p", "x": "vec:N", "sigma2": "num:0.3,3"}, "mu")
_add("lik-gauss-var", "Gaussian log-likelihood in the variance", "derivative", _CH,
     r"\frac{\partial}{\partial\sigma^{2}}\sum_{i=1}^{N}\ln\mathcal{N}(x_i;\mu,\sigma^{2}) = -\frac{N}{2\sigma^{2}} + \frac{1}{2\sigma^{4}}\sum_{i=1}^{N}(x_i - \mu)^{2}",
     lambda sigma2, x, mu: anp.sum(-0.5 * anp.log(2 * anp.pi * sigma2[:, None]) - (x[None, :] - mu) ** 2 / (2 * sigma2[:, None]), axis=1),
     lambda sigma2, x, mu: -x.shape[0] / (2 * sigma2) + anp.sum((x - mu) ** 2) / (2 * sigma2**2),
     {"sigma2": "pos:p", "x": "vec:N", "mu": "num:-1,1"}, "sigma2",
     mistake=_M(r"-\frac{N}{\sigma} + \frac{1}{\sigma^{3}}\sum_i(x_i - \mu)^{2}",
                lambda sigma2, x, mu: -x.shape[0] / anp.sqrt(sigma2) + anp.sum((x - mu) ** 2) / sigma2**1.5,
                "the derivative in sigma used for the derivative in sigma squared: it is 2 sigma times the right one"))
_add("lik-gauss-std", "Gaussian log-likelihood in the standard deviation", "derivative", _CH,
     r"\frac{\partial}{\partial\sigma}\sum_{i=1}^{N}\ln\mathcal{N}(x_i;\mu,\sigma^{2}) = -\frac{N}{\sigma} + \frac{1}{\sigma^{3}}\sum_{i=1}^{N}(x_i - \mu)^{2}",
     lambda sigma, x, mu: anp.sum(-0.5 * anp.log(2 * anp.pi * sigma[:, None] ** 2) - (x[None, :] - mu) ** 2 / (2 * sigma[:, None] ** 2), axis=1),
     lambda sigma, x, mu: -x.shape[0] / sigma + anp.sum((x - mu) ** 2) / sigma**3,
     {"sigma": "pos:p", "x": "vec:N", "mu": "num:-1,1"}, "sigma")
_add("lik-mvn-mu", "multivariate Gaussian log-density in the mean", "gradient", _CH,
     r"\nabla_{\pmb{\mu}}\, \ln\mathcal{N}(\mathbf{x};\pmb{\mu},\Sigma) = \Sigma^{-1}(\mathbf{x} - \pmb{\mu})",
     lambda mu, x, Sigma: -0.5 * anp.linalg.slogdet(2 * anp.pi * Sigma)[1] - 0.5 * (x - mu) @ _inv(Sigma) @ (x - mu),
     lambda mu, x, Sigma: _inv(Sigma) @ (x - mu), {"mu": "vec:n", "x": "vec:n", "Sigma": "spd:n,n"}, "mu",
     mistake=_M(r"\Sigma(\mathbf{x} - \pmb{\mu})", lambda mu, x, Sigma: Sigma @ (x - mu),
                "the covariance where its inverse (the precision) belongs"))
_add("lik-mvn-x", "multivariate Gaussian log-density in x (score)", "gradient", _CH,
     r"\nabla_{\mathbf{x}}\, \ln\mathcal{N}(\mathbf{x};\pmb{\mu},\Sigma) = -\Sigma^{-1}(\mathbf{x} - \pmb{\mu})",
     lambda x, mu, Sigma: -0.5 * anp.linalg.slogdet(2 * anp.pi * Sigma)[1] - 0.5 * (x - mu) @ _inv(Sigma) @ (x - mu),
     lambda x, mu, Sigma: -_inv(Sigma) @ (x - mu), {"x": "vec:n", "mu": "vec:n", "Sigma": "spd:n,n"}, "x")
_add("lik-mvn-cov", "multivariate Gaussian log-density in the covariance", "matrix-gradient", _CH,
     r"\nabla_{\Sigma}\, \ln\mathcal{N}(\mathbf{x};\pmb{\mu},\Sigma) = \tfrac{1}{2}\Sigma^{-1}(\mathbf{x} - \pmb{\mu})(\mathbf{x} - \pmb{\mu})^\top\Sigma^{-1} - \tfrac{1}{2}\Sigma^{-1}",
     lambda Sigma, x, mu: -0.5 * anp.linalg.slogdet(2 * anp.pi * Sigma)[1] - 0.5 * (x - mu) @ _inv(Sigma) @ (x - mu),
     lambda Sigma, x, mu: 0.5 * _inv(Sigma) @ anp.outer(x - mu, x - mu) @ _inv(Sigma) - 0.5 * _inv(Sigma),
     {"Sigma": "spd:n,n", "x": "vec:n", "mu": "vec:n"}, "Sigma")
_add("lik-mvn-precision", "multivariate Gaussian log-density in the precision", "matrix-gradient", _CH,
     r"\nabla_{\Lambda}\, \Big(\tfrac{1}{2}\ln\det\Lambda - \tfrac{1}{2}(\mathbf{x} - \pmb{\mu})^\top\Lambda(\mathbf{x} - \pmb{\mu})\Big) = \tfrac{1}{2}\Lambda^{-1} - \tfrac{1}{2}(\mathbf{x} - \pmb{\mu})(\mathbf{x} - \pmb{\mu})^\top",
     lambda Lam, x, mu: 0.5 * anp.linalg.slogdet(Lam)[1] - 0.5 * (x - mu) @ Lam @ (x - mu),
     lambda Lam, x, mu: 0.5 * _inv(Lam) - 0.5 * anp.outer(x - mu, x - mu),
     {"Lam": "spd:n,n", "x": "vec:n", "mu": "vec:n"}, "Lam")
_add("lik-mvn-cov-mle", "Gaussian covariance log-likelihood (data)", "matrix-gradient", _CH,
     r"\nabla_{\Sigma}\, \Big(-\tfrac{N}{2}\ln\det\Sigma - \tfrac{N}{2}\operatorname{tr}(S\Sigma^{-1})\Big) = \tfrac{N}{2}\big(\Sigma^{-1}S\Sigma^{-1} - \Sigma^{-1}\big)",
     lambda Sigma, S, N: -0.5 * N * anp.linalg.slogdet(Sigma)[1] - 0.5 * N * anp.trace(S @ _inv(Sigma)),
     lambda Sigma, S, N: 0.5 * N * (_inv(Sigma) @ S @ _inv(Sigma) - _inv(Sigma)),
     {"Sigma": "spd:n,n", "S": "spd:n,n", "N": "int:5,50"}, "Sigma")
_add("lik-exp-single", "exponential log-density in the rate", "derivative", _CH,
     r"\frac{\partial}{\partial\lambda}\ln\big(\lambda e^{-\lambda x}\big) = \frac{1}{\lambda} - x",
     lambda lam, x: anp.log(lam) - lam * x, lambda lam, x: 1.0 / lam - x, {"lam": "pos:p", "x": "num:0.1,3"}, "lam")
_add("lik-exp", "exponential log-likelihood in the rate", "derivative", _CH,
     r"\frac{\partial}{\partial\lambda}\sum_{i=1}^{N}\ln\big(\lambda e^{-\lambda x_i}\big) = \frac{N}{\lambda} - \sum_{i=1}^{N}x_i",
     lambda lam, x: anp.sum(anp.log(lam[:, None]) - lam[:, None] * x[None, :], axis=1),
     lambda lam, x: x.shape[0] / lam - anp.sum(x), {"lam": "pos:p", "x": "pos:N"}, "lam")
_add("lik-bernoulli-single", "Bernoulli log-probability in p", "derivative", _CH,
     r"\frac{\partial}{\partial p}\big(x\ln p + (1 - x)\ln(1 - p)\big) = \frac{x}{p} - \frac{1 - x}{1 - p}",
     lambda p, x: x * anp.log(p) + (1 - x) * anp.log(1 - p), lambda p, x: x / p - (1 - x) / (1 - p),
     {"p": "p01:q", "x": "bin:q"}, "p",
     post=lambda d, rng: d if 0 < d["x"].sum() < d["x"].size else None,
     shapes=r"p\in(0, 1),\ x\in\{0, 1\}",
     mistake=_M(r"\frac{x}{p} + \frac{1 - x}{1 - p}", lambda p, x: x / p + (1 - x) / (1 - p),
                "the inner derivative -1 of ln(1 - p) is forgotten"))
_add("lik-bernoulli", "Bernoulli log-likelihood in p", "derivative", _CH,
     r"\frac{\partial}{\partial p}\sum_{i=1}^{N}\big(x_i\ln p + (1 - x_i)\ln(1 - p)\big) = \frac{\sum_i x_i}{p} - \frac{N - \sum_i x_i}{1 - p}",
     lambda p, x: anp.sum(x[None, :] * anp.log(p[:, None]) + (1 - x[None, :]) * anp.log(1 - p[:, None]), axis=1),
     lambda p, x: anp.sum(x) / p - (x.shape[0] - anp.sum(x)) / (1 - p), {"p": "p01:q", "x": "bin:N"}, "p")
_add("lik-bernoulli-natural", "Bernoulli log-probability in the log-odds", "derivative", _CH,
     r"\frac{\partial}{\partial\eta}\big(x\eta - \ln(1 + e^{\eta})\big) = x - \sigma(\eta)",
     lambda eta, x: x * eta - anp.log(1 + anp.exp(eta)), lambda eta, x: x - _sig(eta), {"eta": "uni:-5,5,p", "x": "int:0,1"}, "eta",
     shapes=r"\eta\in\mathbb{R},\ x\in\{0, 1\}")
_add("lik-poisson", "Poisson log-likelihood in the rate", "derivative", _CH,
     r"\frac{\partial}{\partial\lambda}\sum_{i=1}^{N}\big(k_i\ln\lambda - \lambda - \ln k_i!\big) = \frac{\sum_i k_i}{\lambda} - N",
     lambda lam, k: anp.sum(k[None, :] * anp.log(lam[:, None]) - lam[:, None], axis=1) - sum(math.lgamma(v + 1.0) for v in np.asarray(k)),
     lambda lam, k: anp.sum(k) / lam - k.shape[0],
     lambda rng: {"lam": rng.uniform(0.3, 5.0, int(rng.integers(2, 7))),
                  "k": rng.poisson(2.0, int(rng.integers(3, 9))).astype(float)}, "lam",
     shapes=r"\lambda\in\mathbb{R},\ k_i\in\{0, 1, 2, \dots\}",
     conditions=[_cond(r"$\lambda > 0$", lambda d: bool(np.all(d["lam"] > 0)))])
_add("lik-categorical-probs", "categorical log-probability in the probabilities", "gradient", _CH,
     r"\nabla_{\pmb{\pi}}\, \sum_{k} y_k\ln\pi_k = \mathbf{y}\oslash\pmb{\pi}\ \ (\text{unconstrained } \pmb{\pi})",
     lambda pi, y: anp.sum(y * anp.log(pi)), lambda pi, y: y / pi, {"pi": "prob:K", "y": "onehot:K"}, "pi")
_add("lik-categorical-logits", "categorical log-probability in the logits", "gradient", _CH,
     r"\nabla_{\pmb{\eta}}\, \sum_{k} y_k\ln\operatorname{softmax}(\pmb{\eta})_k = \mathbf{y} - \operatorname{softmax}(\pmb{\eta})",
     lambda eta, y: anp.sum(y * (eta - anp.log(anp.sum(anp.exp(eta))))), lambda eta, y: y - _softmax(eta),
     {"eta": "vec:K", "y": "onehot:K"}, "eta")
_add("lik-laplace-mu", "Laplace log-likelihood in the location", "derivative", _CH,
     r"\frac{\partial}{\partial\mu}\sum_{i=1}^{N}\Big(-\ln 2b - \frac{\lvert x_i - \mu\rvert}{b}\Big) = \frac{1}{b}\sum_{i=1}^{N}\operatorname{sign}(x_i - \mu)",
     lambda mu, x, b: anp.sum(-anp.log(2 * b) - anp.abs(x[None, :] - mu[:, None]) / b, axis=1),
     lambda mu, x, b: anp.sum(anp.sign(x[None, :] - mu[:, None]), axis=1) / b,
     {"mu": "vec:p", "x": "vec:N", "b": "num:0.3,3"}, "mu",
     post=lambda d, rng: d if np.all(np.abs(d["x"][None, :] - d["mu"][:, None]) > 0.05) else None,
     conditions=[_cond(r"$\mu \neq x_i$", lambda d: bool(np.all(d["x"][None, :] != d["mu"][:, None])))])
_add("lik-laplace-scale", "Laplace log-likelihood in the scale", "derivative", _CH,
     r"\frac{\partial}{\partial b}\sum_{i=1}^{N}\Big(-\ln 2b - \frac{\lvert x_i - \mu\rvert}{b}\Big) = -\frac{N}{b} + \frac{1}{b^{2}}\sum_{i=1}^{N}\lvert x_i - \mu\rvert",
     lambda b, x, mu: anp.sum(-anp.log(2 * b[:, None]) - anp.abs(x[None, :] - mu) / b[:, None], axis=1),
     lambda b, x, mu: -x.shape[0] / b + anp.sum(anp.abs(x - mu)) / b**2, {"b": "pos:p", "x": "vec:N", "mu": "num:-1,1"}, "b")
_add("lik-uniform", "uniform log-likelihood in its endpoints", "gradient", _CH,
     r"\nabla_{(a, b)}\, \big(-N\ln(b - a)\big) = \Big(\frac{N}{b - a},\ -\frac{N}{b - a}\Big)\ \ \text{for } a < \min_i x_i,\ b > \max_i x_i",
     lambda theta, x: -x.shape[0] * anp.log(theta[1] - theta[0]),
     lambda theta, x: anp.array([x.shape[0] / (theta[1] - theta[0]), -x.shape[0] / (theta[1] - theta[0])]),
     lambda rng: (lambda x: {"theta": np.array([x.min() - rng.uniform(0.1, 1), x.max() + rng.uniform(0.1, 1)]), "x": x})(
         rng.uniform(-2, 2, int(rng.integers(3, 9)))), "theta",
     shapes=r"(a, b)\in\mathbb{R}^{2},\ \mathbf{x}\in\mathbb{R}^{N}",
     conditions=[_cond(r"$a < \min_i x_i$ and $b > \max_i x_i$",
                       lambda d: d["theta"][0] < d["x"].min() and d["theta"][1] > d["x"].max())],
     fixed_shapes=True)
_add("lik-expfam-bernoulli-mean", "Bernoulli log-partition, first derivative (mean)", "derivative", _CH,
     r"\frac{d}{d\eta}\ln(1 + e^{\eta}) = \sigma(\eta) = \mathbb{E}[x]",
     lambda eta: anp.log(1 + anp.exp(eta)), lambda eta: _sig(eta), {"eta": "uni:-5,5,p"}, "eta")
_add("lik-expfam-bernoulli-var", "Bernoulli log-partition, second derivative (variance)", "second-derivative", _CH,
     r"\frac{d^{2}}{d\eta^{2}}\ln(1 + e^{\eta}) = \sigma(\eta)\big(1 - \sigma(\eta)\big) = \operatorname{Var}[x]",
     lambda eta: anp.log(1 + anp.exp(eta)), lambda eta: _sig(eta) * (1 - _sig(eta)), {"eta": "uni:-5,5,p"}, "eta")
_add("lik-expfam-poisson", "Poisson log-partition (mean and variance)", "derivative", _CH,
     r"\frac{d}{d\eta}e^{\eta} = e^{\eta} = \lambda = \mathbb{E}[k]",
     lambda eta: anp.exp(eta), lambda eta: anp.exp(eta), {"eta": "uni:-3,3,p"}, "eta")
_add("lik-expfam-gaussian", "Gaussian log-partition in the natural parameters", "gradient", _CH,
     r"\nabla_{\pmb{\eta}}\Big(-\frac{\eta_1^{2}}{4\eta_2} - \tfrac{1}{2}\ln(-2\eta_2)\Big) = \big(\mathbb{E}[x], \mathbb{E}[x^{2}]\big) = \Big(-\frac{\eta_1}{2\eta_2},\ \frac{\eta_1^{2}}{4\eta_2^{2}} - \frac{1}{2\eta_2}\Big)",
     lambda eta: -eta[0] ** 2 / (4 * eta[1]) - 0.5 * anp.log(-2 * eta[1]),
     lambda eta: anp.array([-eta[0] / (2 * eta[1]), eta[0] ** 2 / (4 * eta[1] ** 2) - 1 / (2 * eta[1])]),
     lambda rng: {"eta": np.array([rng.uniform(-2, 2), -rng.uniform(0.2, 2)])}, "eta",
     shapes=r"\pmb{\eta} = (\mu/\sigma^{2},\ -1/(2\sigma^{2}))\in\mathbb{R}\times(-\infty, 0)",
     conditions=[_cond(r"$\eta_2 < 0$", lambda d: d["eta"][1] < 0)], fixed_shapes=True)
_add("lik-gauss-prior", "log of a Gaussian prior", "gradient", _CH,
     r"\nabla_{\mathbf{w}}\, \ln\mathcal{N}(\mathbf{w}; \mathbf{0}, \tau^{2}I) = -\frac{\mathbf{w}}{\tau^{2}}",
     lambda w, tau2: -0.5 * w.shape[0] * anp.log(2 * anp.pi * tau2) - 0.5 * w @ w / tau2,
     lambda w, tau2: -w / tau2, {"w": "vec:d", "tau2": "num:0.3,3"}, "w")
_add("lik-laplace-prior", "log of a Laplace prior", "gradient", _CH,
     r"\nabla_{\mathbf{w}}\, \sum_{j}\Big(-\ln 2b - \frac{\lvert w_j\rvert}{b}\Big) = -\frac{1}{b}\operatorname{sign}(\mathbf{w})",
     lambda w, b: anp.sum(-anp.log(2 * b) - anp.abs(w) / b), lambda w, b: -anp.sign(w) / b,
     {"w": "away:d", "b": "num:0.3,3"}, "w")
_add("lik-map-ridge", "negative log-posterior with a Gaussian prior (ridge)", "gradient", _CH,
     r"\nabla_{\mathbf{w}}\, \Big(\frac{1}{2\sigma^{2}}\lVert X\mathbf{w} - \mathbf{y}\rVert_2^{2} + \frac{1}{2\tau^{2}}\lVert\mathbf{w}\rVert_2^{2}\Big) = \frac{1}{\sigma^{2}}X^\top(X\mathbf{w} - \mathbf{y}) + \frac{\mathbf{w}}{\tau^{2}}",
     lambda w, X, y, sigma2, tau2: anp.sum((X @ w - y) ** 2) / (2 * sigma2) + w @ w / (2 * tau2),
     lambda w, X, y, sigma2, tau2: X.T @ (X @ w - y) / sigma2 + w / tau2,
     {**_LM, "sigma2": "num:0.3,3", "tau2": "num:0.3,3"}, "w")
_add("lik-map-lasso", "negative log-posterior with a Laplace prior (lasso)", "gradient", _CH,
     r"\nabla_{\mathbf{w}}\, \Big(\frac{1}{2\sigma^{2}}\lVert X\mathbf{w} - \mathbf{y}\rVert_2^{2} + \frac{1}{b}\lVert\mathbf{w}\rVert_1\Big) = \frac{1}{\sigma^{2}}X^\top(X\mathbf{w} - \mathbf{y}) + \frac{1}{b}\operatorname{sign}(\mathbf{w})",
     lambda w, X, y, sigma2, b: anp.sum((X @ w - y) ** 2) / (2 * sigma2) + anp.sum(anp.abs(w)) / b,
     lambda w, X, y, sigma2, b: X.T @ (X @ w - y) / sigma2 + anp.sign(w) / b,
     {"w": "away:d", "X": "mat:N,d", "y": "vec:N", "sigma2": "num:0.3,3", "b": "num:0.3,3"}, "w")
_add("lik-gauss-nll-weights", "Gaussian negative log-likelihood of linear regression", "gradient", _CH,
     r"\nabla_{\mathbf{w}}\, \Big(\frac{1}{2\sigma^{2}}\lVert X\mathbf{w} - \mathbf{y}\rVert_2^{2} + \frac{N}{2}\ln(2\pi\sigma^{2})\Big) = \frac{1}{\sigma^{2}}X^\top(X\mathbf{w} - \mathbf{y})",
     lambda w, X, y, sigma2: anp.sum((X @ w - y) ** 2) / (2 * sigma2) + 0.5 * y.shape[0] * anp.log(2 * anp.pi * sigma2),
     lambda w, X, y, sigma2: X.T @ (X @ w - y) / sigma2, {**_LM, "sigma2": "num:0.3,3"}, "w")
_add("lik-bernoulli-loglik-weights", "Bernoulli log-likelihood of logistic regression", "gradient", _CH,
     r"\nabla_{\mathbf{w}}\, \ell(\mathbf{w}) = X^\top\big(\mathbf{y} - \sigma(X\mathbf{w})\big),\ \ell(\mathbf{w}) = \sum_{i}\big[y_i\ln p_i + (1 - y_i)\ln(1 - p_i)\big],\ \mathbf{p} = \sigma(X\mathbf{w})",
     lambda w, X, y: -_logreg_nll(w, X, y), lambda w, X, y: X.T @ (y - _sig(X @ w)), _LMB, "w")
_add("lik-kl-p", "KL divergence in its first argument", "gradient", _CH,
     r"\nabla_{\mathbf{p}}\, \sum_{k} p_k\ln\frac{p_k}{q_k} = \ln(\mathbf{p}\oslash\mathbf{q}) + \mathbf{1}\ \ (\text{unconstrained } \mathbf{p})",
     lambda p, q: anp.sum(p * anp.log(p / q)), lambda p, q: anp.log(p / q) + 1, {"p": "prob:K", "q": "prob:K"}, "p")
_add("lik-kl-q", "KL divergence in its second argument", "gradient", _CH,
     r"\nabla_{\mathbf{q}}\, \sum_{k} p_k\ln\frac{p_k}{q_k} = -\mathbf{p}\oslash\mathbf{q}",
     lambda q, p: anp.sum(p * anp.log(p / q)), lambda q, p: -p / q, {"q": "prob:K", "p": "prob:K"}, "q",
     mistake=_M(r"\ln(\mathbf{q}\oslash\mathbf{p}) + \mathbf{1}", lambda q, p: anp.log(q / p) + 1,
                "the formula for the first argument; KL is not symmetric"))

_add("lik-map-gauss-mean", "MAP objective for a Gaussian mean with a Gaussian prior", "derivative", _CH,
     r"\frac{\partial}{\partial\mu}\Big(\sum_{i=1}^{N}\ln\mathcal{N}(x_i;\mu,\sigma^{2}) - \frac{(\mu - \mu_0)^{2}}{2\tau^{2}}\Big) = \frac{1}{\sigma^{2}}\sum_{i=1}^{N}(x_i - \mu) - \frac{\mu - \mu_0}{\tau^{2}}",
     lambda mu, x, sigma2, mu0, tau2: anp.sum(-0.5 * anp.log(2 * anp.pi * sigma2) - (x[None, :] - mu[:, None]) ** 2 / (2 * sigma2), axis=1)
     - (mu - mu0) ** 2 / (2 * tau2),
     lambda mu, x, sigma2, mu0, tau2: anp.sum(x[None, :] - mu[:, None], axis=1) / sigma2 - (mu - mu0) / tau2,
     {"mu": "vec:p", "x": "vec:N", "sigma2": "num:0.3,3", "mu0": "num:-2,2", "tau2": "num:0.3,3"}, "mu")
_add("lik-expfam-exponential-mean", "exponential log-partition, first derivative (mean)", "derivative", _CH,
     r"\frac{d}{d\eta}\big(-\ln(-\eta)\big) = -\frac{1}{\eta} = \frac{1}{\lambda} = \mathbb{E}[x],\ \eta = -\lambda < 0",
     lambda eta: -anp.log(-eta), lambda eta: -1.0 / eta, {"eta": "uni:-3,-0.3,p"}, "eta",
     conditions=[_cond(r"$\eta < 0$", lambda d: bool(np.all(d["eta"] < 0)))])
_add("lik-expfam-exponential-var", "exponential log-partition, second derivative (variance)", "second-derivative", _CH,
     r"\frac{d^{2}}{d\eta^{2}}\big(-\ln(-\eta)\big) = \frac{1}{\eta^{2}} = \frac{1}{\lambda^{2}} = \operatorname{Var}[x],\ \eta = -\lambda < 0",
     lambda eta: -anp.log(-eta), lambda eta: 1.0 / eta**2, {"eta": "uni:-3,-0.3,p"}, "eta",
     conditions=[_cond(r"$\eta < 0$", lambda d: bool(np.all(d["eta"] < 0)))])
