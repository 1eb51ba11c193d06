"""Entries of the identity registry, chapter 9: linear models (X is N x d, one sample per row)."""

# Data: each LaTeX statement and each formula stays on one line (grep-able).
# ruff: noqa: E501

import autograd.numpy as anp
import numpy as np

from .._formulas import _inv, _sig, _sigmoid_plain
from .._registry import _M, _add, _cond

_CH = "ch-linear-models"
_LM = {"w": "vec:d", "X": "mat:N,d", "y": "vec:N"}
_LMB = {"w": "vec:d", "X": "mat:N,d", "y": "bin:N"}


def _logreg_nll(w, X, y):
    p = _sigmoid_plain(X @ w)
    return -anp.sum(y * anp.log(p) + (1 - y) * anp.log(1 - p))


_add("lm-ols-grad", "ordinary least squares, gradient", "gradient", _CH,
     r"\nabla_{\mathbf{w}}\, \tfrac{1}{2}\lVert X\mathbf{w} - \mathbf{y}\rVert_2^{2} = X^\top(X\mathbf{w} - \mathbf{y})",
     lambda w, X, y: 0.5 * anp.sum((X @ w - y) ** 2), lambda w, X, y: X.T @ (X @ w - y), _LM, "w",
     mistake=_M(r"X^\top(\mathbf{y} - X\mathbf{w})", lambda w, X, y: X.T @ (y - X @ w),
                "the residual's sign flipped: that is the descent direction, minus the gradient"))
_add("lm-ols-hess", "ordinary least squares, Hessian", "hessian", _CH,
     r"\nabla^{2}_{\mathbf{w}}\, \tfrac{1}{2}\lVert X\mathbf{w} - \mathbf{y}\rVert_2^{2} = X^\top X",
     lambda w, X, y: 0.5 * anp.sum((X @ w - y) ** 2), lambda w, X, y: X.T @ X, _LM, "w")
_add("lm-mse-grad", "mean squared error in the weights", "gradient", _CH,
     r"\nabla_{\mathbf{w}}\, \frac{1}{2N}\lVert X\mathbf{w} - \mathbf{y}\rVert_2^{2} = \frac{1}{N}X^\top(X\mathbf{w} - \mathbf{y})",
     lambda w, X, y: 0.5 * anp.mean((X @ w - y) ** 2), lambda w, X, y: X.T @ (X @ w - y) / y.shape[0], _LM, "w",
     mistake=_M(r"X^\top(X\mathbf{w} - \mathbf{y})", lambda w, X, y: X.T @ (X @ w - y), "the 1/N of the mean is forgotten"))
_add("lm-mse-hess", "mean squared error, Hessian", "hessian", _CH,
     r"\nabla^{2}_{\mathbf{w}}\, \frac{1}{2N}\lVert X\mathbf{w} - \mathbf{y}\rVert_2^{2} = \frac{1}{N}X^\top X",
     lambda w, X, y: 0.5 * anp.mean((X @ w - y) ** 2), lambda w, X, y: X.T @ X / y.shape[0], _LM, "w")
_add("lm-ridge-grad", "ridge regression, gradient", "gradient", _CH,
     r"\nabla_{\mathbf{w}}\, \Big(\tfrac{1}{2}\lVert X\mathbf{w} - \mathbf{y}\rVert_2^{2} + \tfrac{\lambda}{2}\lVert\mathbf{w}\rVert_2^{2}\Big) = X^\top(X\mathbf{w} - \mathbf{y}) + \lambda\mathbf{w}",
     lambda w, X, y, lam: 0.5 * anp.sum((X @ w - y) ** 2) + 0.5 * lam * w @ w,
     lambda w, X, y, lam: X.T @ (X @ w - y) + lam * w, {**_LM, "lam": "num:0.1,3"}, "w",
     mistake=_M(r"X^\top(X\mathbf{w} - \mathbf{y}) + 2\lambda\mathbf{w}", lambda w, X, y, lam: X.T @ (X @ w - y) + 2 * lam * w,
                "the 1/2 in front of the penalty is forgotten"))
_add("lm-ridge-hess", "ridge regression, Hessian", "hessian", _CH,
     r"\nabla^{2}_{\mathbf{w}}\, \Big(\tfrac{1}{2}\lVert X\mathbf{w} - \mathbf{y}\rVert_2^{2} + \tfrac{\lambda}{2}\lVert\mathbf{w}\rVert_2^{2}\Big) = X^\top X + \lambda I",
     lambda w, X, y, lam: 0.5 * anp.sum((X @ w - y) ** 2) + 0.5 * lam * w @ w,
     lambda w, X, y, lam: X.T @ X + lam * anp.eye(w.shape[0]), {**_LM, "lam": "num:0.1,3"}, "w")
_add("lm-lasso-subgrad", "lasso, gradient away from zero weights", "gradient", _CH,
     r"\nabla_{\mathbf{w}}\, \Big(\tfrac{1}{2}\lVert X\mathbf{w} - \mathbf{y}\rVert_2^{2} + \lambda\lVert\mathbf{w}\rVert_1\Big) = X^\top(X\mathbf{w} - \mathbf{y}) + \lambda\operatorname{sign}(\mathbf{w})",
     lambda w, X, y, lam: 0.5 * anp.sum((X @ w - y) ** 2) + lam * anp.sum(anp.abs(w)),
     lambda w, X, y, lam: X.T @ (X @ w - y) + lam * anp.sign(w),
     {"w": "away:d", "X": "mat:N,d", "y": "vec:N", "lam": "num:0.1,3"}, "w",
     mistake=_M(r"X^\top(X\mathbf{w} - \mathbf{y}) + \lambda\mathbf{w}", lambda w, X, y, lam: X.T @ (X @ w - y) + lam * w,
                "the ridge penalty's gradient used for the L1 penalty"))
_add("lm-elastic-net", "elastic net, gradient away from zero weights", "gradient", _CH,
     r"\nabla_{\mathbf{w}}\, \Big(\tfrac{1}{2}\lVert X\mathbf{w} - \mathbf{y}\rVert_2^{2} + \lambda_1\lVert\mathbf{w}\rVert_1 + \tfrac{\lambda_2}{2}\lVert\mathbf{w}\rVert_2^{2}\Big) = X^\top(X\mathbf{w} - \mathbf{y}) + \lambda_1\operatorname{sign}(\mathbf{w}) + \lambda_2\mathbf{w}",
     lambda w, X, y, lam1, lam2: 0.5 * anp.sum((X @ w - y) ** 2) + lam1 * anp.sum(anp.abs(w)) + 0.5 * lam2 * w @ w,
     lambda w, X, y, lam1, lam2: X.T @ (X @ w - y) + lam1 * anp.sign(w) + lam2 * w,
     {"w": "away:d", "X": "mat:N,d", "y": "vec:N", "lam1": "num:0.1,2", "lam2": "num:0.1,2"}, "w")
_add("lm-mae-grad", "mean absolute error in the weights", "gradient", _CH,
     r"\nabla_{\mathbf{w}}\, \frac{1}{N}\sum_{i}\lvert y_i - \mathbf{w}^\top\mathbf{x}_i\rvert = -\frac{1}{N}X^\top\operatorname{sign}(\mathbf{y} - X\mathbf{w})",
     lambda w, X, y: anp.mean(anp.abs(y - X @ w)), lambda w, X, y: -X.T @ anp.sign(y - X @ w) / y.shape[0], _LM, "w",
     post=lambda d, rng: d if np.all(np.abs(d["y"] - d["X"] @ d["w"]) > 0.05) else None,
     conditions=[_cond(r"no zero residual", lambda d: bool(np.all(d["y"] != d["X"] @ d["w"])))])
_add("lm-logreg-grad", "logistic regression, gradient", "gradient", _CH,
     r"\nabla_{\mathbf{w}}\, L(\mathbf{w}) = X^\top\big(\sigma(X\mathbf{w}) - \mathbf{y}\big),\ L(\mathbf{w}) = -\sum_{i}\big[y_i\ln p_i + (1 - y_i)\ln(1 - p_i)\big],\ \mathbf{p} = \sigma(X\mathbf{w})",
     _logreg_nll, lambda w, X, y: X.T @ (_sig(X @ w) - y), _LMB, "w",
     mistake=_M(r"X^\top\big(\mathbf{y} - \sigma(X\mathbf{w})\big)", lambda w, X, y: X.T @ (y - _sig(X @ w)),
                "the gradient of the log-likelihood, not of the loss (sign)"))
_add("lm-logreg-hess", "logistic regression, Hessian", "hessian", _CH,
     r"\nabla^{2}_{\mathbf{w}}\, L(\mathbf{w}) = X^\top DX,\ D = \operatorname{diag}\big(p_i(1 - p_i)\big),\ \mathbf{p} = \sigma(X\mathbf{w}),\ L = \text{logistic NLL}",
     _logreg_nll, lambda w, X, y: X.T @ anp.diag(_sig(X @ w) * (1 - _sig(X @ w))) @ X, _LMB, "w",
     mistake=_M(r"X^\top X", lambda w, X, y: X.T @ X, "the weights p(1 - p) of the curvature are dropped"))
_add("lm-logreg-l2-grad", "L2-regularised logistic regression, gradient", "gradient", _CH,
     r"\nabla_{\mathbf{w}}\, \Big(L(\mathbf{w}) + \tfrac{\lambda}{2}\lVert\mathbf{w}\rVert_2^{2}\Big) = X^\top(\mathbf{p} - \mathbf{y}) + \lambda\mathbf{w},\ L = \text{logistic NLL}",
     lambda w, X, y, lam: _logreg_nll(w, X, y) + 0.5 * lam * w @ w,
     lambda w, X, y, lam: X.T @ (_sig(X @ w) - y) + lam * w, {**_LMB, "lam": "num:0.1,3"}, "w")
_add("lm-logreg-l2-hess", "L2-regularised logistic regression, Hessian", "hessian", _CH,
     r"\nabla^{2}_{\mathbf{w}}\, \Big(L(\mathbf{w}) + \tfrac{\lambda}{2}\lVert\mathbf{w}\rVert_2^{2}\Big) = X^\top DX + \lambda I",
     lambda w, X, y, lam: _logreg_nll(w, X, y) + 0.5 * lam * w @ w,
     lambda w, X, y, lam: X.T @ anp.diag(_sig(X @ w) * (1 - _sig(X @ w))) @ X + lam * anp.eye(w.shape[0]),
     {**_LMB, "lam": "num:0.1,3"}, "w")
_add("lm-logistic-pm1-hess", "logistic loss with labels in {-1, +1}, Hessian", "hessian", _CH,
     r"\nabla^{2}_{\mathbf{w}}\, \frac{1}{N}\sum_{i}\ln(1 + e^{-y_i\mathbf{w}^\top\mathbf{x}_i}) = \frac{1}{N}X^\top DX,\ D = \operatorname{diag}\big(\sigma(z_i)(1 - \sigma(z_i))\big),\ \mathbf{z} = X\mathbf{w}",
     lambda w, X, y: anp.mean(anp.log(1 + anp.exp(-y * (X @ w)))),
     lambda w, X, y: X.T @ anp.diag(_sig(X @ w) * (1 - _sig(X @ w))) @ X / y.shape[0],
     {"w": "vec:d", "X": "mat:N,d", "y": "pm1:N"}, "w")
_add("lm-hinge-grad", "hinge loss (SVM) in the weights", "gradient", _CH,
     r"\nabla_{\mathbf{w}}\, \frac{1}{N}\sum_{i}\max(0, 1 - y_i\mathbf{w}^\top\mathbf{x}_i) = -\frac{1}{N}\sum_{i} y_i\mathbf{x}_i\,\mathbb{1}[y_i\mathbf{w}^\top\mathbf{x}_i < 1]",
     lambda w, X, y: anp.mean(anp.maximum(0.0, 1 - y * (X @ w))),
     lambda w, X, y: -X.T @ (y * (y * (X @ w) < 1)) / y.shape[0],
     {"w": "vec:d", "X": "mat:N,d", "y": "pm1:N"}, "w",
     post=lambda d, rng: d if np.all(np.abs(d["y"] * (d["X"] @ d["w"]) - 1) > 0.05) else None,
     conditions=[_cond(r"$y_i\mathbf{w}^\top\mathbf{x}_i \neq 1$", lambda d: bool(np.all(d["y"] * (d["X"] @ d["w"]) != 1)))])
_add("lm-wls-grad", "weighted least squares, gradient", "gradient", _CH,
     r"\nabla_{\mathbf{w}}\, \tfrac{1}{2}(X\mathbf{w} - \mathbf{y})^\top\Omega(X\mathbf{w} - \mathbf{y}) = X^\top\Omega(X\mathbf{w} - \mathbf{y})",
     lambda w, X, y, Omega: 0.5 * (X @ w - y) @ Omega @ (X @ w - y), lambda w, X, y, Omega: X.T @ Omega @ (X @ w - y),
     {**_LM, "Omega": "spd:N,N"}, "w")
_add("lm-wls-hess", "weighted least squares, Hessian", "hessian", _CH,
     r"\nabla^{2}_{\mathbf{w}}\, \tfrac{1}{2}(X\mathbf{w} - \mathbf{y})^\top\Omega(X\mathbf{w} - \mathbf{y}) = X^\top\Omega X",
     lambda w, X, y, Omega: 0.5 * (X @ w - y) @ Omega @ (X @ w - y), lambda w, X, y, Omega: X.T @ Omega @ X,
     {**_LM, "Omega": "spd:N,N"}, "w")
_add("lm-poisson-grad", "Poisson regression, gradient", "gradient", _CH,
     r"\nabla_{\mathbf{w}}\, \sum_{i}\big(e^{\mathbf{w}^\top\mathbf{x}_i} - y_i\mathbf{w}^\top\mathbf{x}_i\big) = X^\top\big(e^{X\mathbf{w}} - \mathbf{y}\big)",
     lambda w, X, y: anp.sum(anp.exp(X @ w) - y * (X @ w)), lambda w, X, y: X.T @ (anp.exp(X @ w) - y),
     {"w": "vec:d", "X": "mat:N,d", "y": "pos:N"}, "w", post=lambda d, rng: {**d, "w": 0.4 * d["w"]})
_add("lm-poisson-hess", "Poisson regression, Hessian", "hessian", _CH,
     r"\nabla^{2}_{\mathbf{w}}\, \sum_{i}\big(e^{\mathbf{w}^\top\mathbf{x}_i} - y_i\mathbf{w}^\top\mathbf{x}_i\big) = X^\top\operatorname{diag}(e^{X\mathbf{w}})X",
     lambda w, X, y: anp.sum(anp.exp(X @ w) - y * (X @ w)), lambda w, X, y: X.T @ anp.diag(anp.exp(X @ w)) @ X,
     {"w": "vec:d", "X": "mat:N,d", "y": "pos:N"}, "w", post=lambda d, rng: {**d, "w": 0.4 * d["w"]})
_add("lm-lda-discriminant", "LDA discriminant", "gradient", _CH,
     r"\nabla_{\mathbf{x}}\, \Big(\mathbf{x}^\top\Sigma^{-1}\pmb{\mu}_k - \tfrac{1}{2}\pmb{\mu}_k^\top\Sigma^{-1}\pmb{\mu}_k + \ln\pi_k\Big) = \Sigma^{-1}\pmb{\mu}_k",
     lambda x, Sigma, mu, pi: x @ _inv(Sigma) @ mu - 0.5 * mu @ _inv(Sigma) @ mu + anp.log(pi),
     lambda x, Sigma, mu, pi: _inv(Sigma) @ mu, {"x": "vec:n", "Sigma": "spd:n,n", "mu": "vec:n", "pi": "num:0.05,0.95"}, "x")
_add("lm-qda-discriminant", "Gaussian class log-density (QDA) in x", "gradient", _CH,
     r"\nabla_{\mathbf{x}}\, \Big(-\tfrac{1}{2}(\mathbf{x} - \pmb{\mu}_k)^\top\Sigma_k^{-1}(\mathbf{x} - \pmb{\mu}_k)\Big) = -\Sigma_k^{-1}(\mathbf{x} - \pmb{\mu}_k)",
     lambda x, Sigma, mu: -0.5 * (x - mu) @ _inv(Sigma) @ (x - mu), lambda x, Sigma, mu: -_inv(Sigma) @ (x - mu),
     {"x": "vec:n", "Sigma": "spd:n,n", "mu": "vec:n"}, "x")


def _lda_log_joint(x, Sigma, mu, pi):
    return anp.log(pi) - 0.5 * (x - mu) @ _inv(Sigma) @ (x - mu)


_add("lm-lda-log-odds", "LDA log-odds between two classes", "gradient", _CH,
     r"\nabla_{\mathbf{x}}\, \big(\delta_1(\mathbf{x}) - \delta_0(\mathbf{x})\big) = \nabla_{\mathbf{x}}\ln\frac{P(y = 1\mid\mathbf{x})}{P(y = 0\mid\mathbf{x})} = \Sigma^{-1}(\pmb{\mu}_1 - \pmb{\mu}_0)",
     lambda x, Sigma, mu1, mu0, pi1: _lda_log_joint(x, Sigma, mu1, pi1) - _lda_log_joint(x, Sigma, mu0, 1 - pi1),
     lambda x, Sigma, mu1, mu0, pi1: _inv(Sigma) @ (mu1 - mu0),
     {"x": "vec:n", "Sigma": "spd:n,n", "mu1": "vec:n", "mu0": "vec:n", "pi1": "num:0.05,0.95"}, "x",
     shapes=r"\mathbf{x},\pmb{\mu}_1,\pmb{\mu}_0\in\mathbb{R}^{n},\ \Sigma\in\mathbb{R}^{n\times n},\ \pi_1\in(0, 1),\ \pi_0 = 1 - \pi_1",
     mistake=_M(r"\Sigma(\pmb{\mu}_1 - \pmb{\mu}_0)", lambda x, Sigma, mu1, mu0, pi1: Sigma @ (mu1 - mu0),
                "the covariance where its inverse (the precision) belongs"))
_add("lm-logreg-mean-hess", "logistic regression (mean loss), Hessian", "hessian", _CH,
     r"\nabla^{2}_{\mathbf{w}}\, \frac{1}{n}L(\mathbf{w}) = \frac{1}{n}X^\top DX,\ D = \operatorname{diag}\big(p_i(1 - p_i)\big),\ \mathbf{p} = \sigma(X\mathbf{w}),\ L = \text{logistic NLL},\ y_i\in\{0, 1\}",
     lambda w, X, y: _logreg_nll(w, X, y) / y.shape[0],
     lambda w, X, y: X.T @ anp.diag(_sig(X @ w) * (1 - _sig(X @ w))) @ X / y.shape[0], _LMB, "w",
     mistake=_M(r"\frac{1}{n}X^\top\operatorname{diag}(\mathbf{p})X", lambda w, X, y: X.T @ anp.diag(_sig(X @ w)) @ X / y.shape[0],
                "sigma'(z) written as sigma(z): the weights are p(1 - p), not p"))
