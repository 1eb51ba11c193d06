"""Entries of the identity registry, chapter 8: loss functions (means over the N samples unless said)."""

# Data: each LaTeX statement and each formula stays on one line (grep-able).
# ruff: noqa: E501

import autograd.numpy as anp
import numpy as np

from .._formulas import _sig, _sigmoid_plain, _softmax
from .._registry import _M, _add, _cond

_CH = "ch-losses"


def _post_away(a, b, gap=0.1):
    """Reject draws where inputs[a] - inputs[b] has an entry within ``gap`` of zero (a kink)."""
    def post(d, rng):
        return d if np.all(np.abs(d[a] - d[b]) > gap) else None
    return post


def _post_margin(s, y, gap=0.1):
    """Reject draws where a margin y_i s_i is within ``gap`` of 1 (the hinge kink)."""
    def post(d, rng):
        return d if np.all(np.abs(d[y] * d[s] - 1) > gap) else None
    return post


_add("loss-mse", "mean squared error", "gradient", _CH,
     r"\nabla_{\hat{\mathbf{y}}}\, \frac{1}{N}\sum_{i}(\hat{y}_i - y_i)^{2} = \frac{2}{N}(\hat{\mathbf{y}} - \mathbf{y})",
     lambda yhat, y: anp.mean((yhat - y) ** 2), lambda yhat, y: 2 * (yhat - y) / y.shape[0],
     {"yhat": "vec:N", "y": "vec:N"}, "yhat",
     shapes=r"\hat{\mathbf{y}},\mathbf{y}\in\mathbb{R}^{N}",
     mistake=_M(r"2(\hat{\mathbf{y}} - \mathbf{y})", lambda yhat, y: 2 * (yhat - y), "the 1/N of the mean is forgotten"))
_add("loss-half-sse", "half sum of squared errors", "gradient", _CH,
     r"\nabla_{\hat{\mathbf{y}}}\, \tfrac{1}{2}\lVert\hat{\mathbf{y}} - \mathbf{y}\rVert_2^{2} = \hat{\mathbf{y}} - \mathbf{y}",
     lambda yhat, y: 0.5 * anp.sum((yhat - y) ** 2), lambda yhat, y: yhat - y,
     {"yhat": "vec:N", "y": "vec:N"}, "yhat", shapes=r"\hat{\mathbf{y}},\mathbf{y}\in\mathbb{R}^{N}")
_add("loss-mae", "mean absolute error", "gradient", _CH,
     r"\nabla_{\hat{\mathbf{y}}}\, \frac{1}{N}\sum_{i}\lvert\hat{y}_i - y_i\rvert = \frac{1}{N}\operatorname{sign}(\hat{\mathbf{y}} - \mathbf{y})",
     lambda yhat, y: anp.mean(anp.abs(yhat - y)), lambda yhat, y: anp.sign(yhat - y) / y.shape[0],
     {"yhat": "vec:N", "y": "vec:N"}, "yhat", shapes=r"\hat{\mathbf{y}},\mathbf{y}\in\mathbb{R}^{N}",
     post=_post_away("yhat", "y"),
     conditions=[_cond(r"$\hat{y}_i \neq y_i$", lambda d: bool(np.all(d["yhat"] != d["y"])))])
_add("loss-bce-prob", "binary cross-entropy in the probabilities", "gradient", _CH,
     r"\nabla_{\mathbf{p}}\, \Big(-\frac{1}{N}\sum_{i}\big[y_i\ln p_i + (1 - y_i)\ln(1 - p_i)\big]\Big) = \frac{1}{N}\,\frac{\mathbf{p} - \mathbf{y}}{\mathbf{p}\odot(1 - \mathbf{p})}",
     lambda p, y: -anp.mean(y * anp.log(p) + (1 - y) * anp.log(1 - p)),
     lambda p, y: (p - y) / (p * (1 - p)) / y.shape[0], {"p": "p01:N", "y": "bin:N"}, "p",
     mistake=_M(r"\frac{1}{N}(\mathbf{p} - \mathbf{y})", lambda p, y: (p - y) / y.shape[0],
                "that is the gradient with respect to the logits, not the probabilities"))
_add("loss-bce-logit-sum", "binary cross-entropy in the logit (per sample)", "gradient", _CH,
     r"\nabla_{\mathbf{z}}\, L(\mathbf{z}) = \sigma(\mathbf{z}) - \mathbf{y},\ L(\mathbf{z}) = -\sum_{i}\big[y_i\ln p_i + (1 - y_i)\ln(1 - p_i)\big],\ \mathbf{p} = \sigma(\mathbf{z})",
     lambda z, y: -anp.sum(y * anp.log(_sigmoid_plain(z)) + (1 - y) * anp.log(1 - _sigmoid_plain(z))),
     lambda z, y: _sig(z) - y, {"z": "uni:-5,5,N", "y": "bin:N"}, "z",
     mistake=_M(r"\mathbf{y} - \sigma(\mathbf{z})", lambda z, y: y - _sig(z), "the sign of the negative log-likelihood is lost"))
_add("loss-bce-logits-mean", "binary cross-entropy with logits (mean)", "gradient", _CH,
     r"\nabla_{\mathbf{z}}\, \frac{1}{N}\sum_{i}\big[\ln(1 + e^{z_i}) - y_i z_i\big] = \frac{1}{N}\big(\sigma(\mathbf{z}) - \mathbf{y}\big)",
     lambda z, y: anp.mean(anp.log(1 + anp.exp(z)) - y * z), lambda z, y: (_sig(z) - y) / y.shape[0],
     {"z": "uni:-5,5,N", "y": "bin:N"}, "z",
     mistake=_M(r"\sigma(\mathbf{z}) - \mathbf{y}", lambda z, y: _sig(z) - y, "the 1/N of the mean is forgotten"))
_add("loss-softmax-ce", "softmax cross-entropy (one sample)", "gradient", _CH,
     r"\nabla_{\mathbf{z}}\, \Big(-\sum_{k} y_k\ln\operatorname{softmax}(\mathbf{z})_k\Big) = \mathbf{s} - \mathbf{y}",
     lambda z, y: -anp.sum(y * (z - anp.log(anp.sum(anp.exp(z))))), lambda z, y: _softmax(z) - y,
     {"z": "vec:K", "y": "onehot:K"}, "z",
     mistake=_M(r"-\mathbf{y}\oslash\mathbf{s}", lambda z, y: -y / _softmax(z),
                "that is the gradient with respect to the probabilities s, not the logits"))
_add("loss-softmax-ce-soft", "softmax cross-entropy, unnormalised targets", "gradient", _CH,
     r"\nabla_{\mathbf{z}}\, \Big(-\sum_{k} y_k\ln\operatorname{softmax}(\mathbf{z})_k\Big) = (\mathbf{1}^\top\mathbf{y})\,\mathbf{s} - \mathbf{y}",
     lambda z, y: -anp.sum(y * (z - anp.log(anp.sum(anp.exp(z))))), lambda z, y: anp.sum(y) * _softmax(z) - y,
     {"z": "vec:K", "y": "pos:K"}, "z",
     mistake=_M(r"\mathbf{s} - \mathbf{y}", lambda z, y: _softmax(z) - y, "holds only when the targets sum to 1"))
_add("loss-softmax-ce-batch", "softmax cross-entropy, batch of logits", "matrix-gradient", _CH,
     r"\nabla_{Z}\, \Big(-\frac{1}{N}\sum_{i,k} Y_{ik}\ln S_{ik}\Big) = \frac{1}{N}(S - Y),\ S = \operatorname{softmax}(Z) \text{ row-wise}",
     lambda Z, Y: -anp.mean(anp.sum(Y * (Z - anp.log(anp.sum(anp.exp(Z), axis=1, keepdims=True))), axis=1)),
     lambda Z, Y: (_softmax(Z, axis=1) - Y) / Y.shape[0], {"Z": "mat:N,K", "Y": "onehot:N,K"}, "Z")
_add("loss-softmax-ce-weights", "softmax regression in the weights", "matrix-gradient", _CH,
     r"\nabla_{W}\, \Big(-\frac{1}{N}\sum_{i,k} Y_{ik}\ln S_{ik}\Big) = \frac{1}{N}X^\top(S - Y),\ S = \operatorname{softmax}(XW) \text{ row-wise}",
     lambda W, X, Y: -anp.mean(anp.sum(Y * (X @ W - anp.log(anp.sum(anp.exp(X @ W), axis=1, keepdims=True))), axis=1)),
     lambda W, X, Y: X.T @ (_softmax(X @ W, axis=1) - Y) / Y.shape[0],
     {"W": "mat:d,K", "X": "mat:N,d", "Y": "onehot:N,K"}, "W",
     mistake=_M(r"\frac{1}{N}(S - Y)^\top X", lambda W, X, Y: (_softmax(X @ W, axis=1) - Y).T @ X / Y.shape[0],
                "denominator layout: the transpose of the gradient"))
_add("loss-bce-weights", "binary cross-entropy of a linear model, in the weights", "gradient", _CH,
     r"\nabla_{\mathbf{w}}\, L(\mathbf{w}) = \frac{1}{N}X^\top(\mathbf{p} - \mathbf{y}),\ L(\mathbf{w}) = -\frac{1}{N}\sum_{i}\big[y_i\ln p_i + (1 - y_i)\ln(1 - p_i)\big],\ \mathbf{p} = \sigma(X\mathbf{w})",
     lambda w, X, y: -anp.mean(y * anp.log(_sigmoid_plain(X @ w)) + (1 - y) * anp.log(1 - _sigmoid_plain(X @ w))),
     lambda w, X, y: X.T @ (_sig(X @ w) - y) / y.shape[0],
     {"w": "vec:d", "X": "mat:N,d", "y": "bin:N"}, "w",
     mistake=_M(r"\frac{1}{N}X^\top\big((\mathbf{p} - \mathbf{y})\odot\mathbf{p}\odot(1 - \mathbf{p})\big)",
                lambda w, X, y: X.T @ ((_sig(X @ w) - y) * _sig(X @ w) * (1 - _sig(X @ w))) / y.shape[0],
                "the sigmoid's derivative p(1 - p) kept: with cross-entropy it cancels (this form belongs to squared error)"))
_add("loss-hinge", "hinge loss in the scores", "gradient", _CH,
     r"\nabla_{\mathbf{s}}\, \frac{1}{N}\sum_{i}\max(0, 1 - y_i s_i) = -\frac{1}{N}\,\mathbf{y}\odot\mathbb{1}[\mathbf{y}\odot\mathbf{s} < 1]",
     lambda s, y: anp.mean(anp.maximum(0.0, 1 - y * s)), lambda s, y: -y * (y * s < 1) / y.shape[0],
     {"s": "uni:-3,3,N", "y": "pm1:N"}, "s", post=_post_margin("s", "y"),
     conditions=[_cond(r"$y_i s_i \neq 1$", lambda d: bool(np.all(d["y"] * d["s"] != 1)))])
_add("loss-logistic", "logistic loss in the scores", "gradient", _CH,
     r"\nabla_{\mathbf{s}}\, \frac{1}{N}\sum_{i}\ln(1 + e^{-y_i s_i}) = -\frac{1}{N}\,\mathbf{y}\odot\sigma(-\mathbf{y}\odot\mathbf{s})",
     lambda s, y: anp.mean(anp.log(1 + anp.exp(-y * s))), lambda s, y: -y * _sig(-y * s) / y.shape[0],
     {"s": "uni:-4,4,N", "y": "pm1:N"}, "s",
     mistake=_M(r"\frac{1}{N}\big(\sigma(\mathbf{s}) - \mathbf{y}\big)", lambda s, y: (_sig(s) - y) / y.shape[0],
                "the formula for labels in {0, 1} used with labels in {-1, +1}"))
_add("loss-logistic-weights", "logistic loss in the weights", "gradient", _CH,
     r"\nabla_{\mathbf{w}}\, \frac{1}{N}\sum_{i}\ln(1 + e^{-y_i\mathbf{w}^\top\mathbf{x}_i}) = -\frac{1}{N}X^\top\big(\mathbf{y}\odot\sigma(-\mathbf{y}\odot X\mathbf{w})\big)",
     lambda w, X, y: anp.mean(anp.log(1 + anp.exp(-y * (X @ w)))),
     lambda w, X, y: -X.T @ (y * _sig(-y * (X @ w))) / y.shape[0],
     {"w": "vec:d", "X": "mat:N,d", "y": "pm1:N"}, "w",
     mistake=_M(r"\frac{1}{N}X^\top\big((\sigma(-\mathbf{y}\odot X\mathbf{w}) - \mathbf{1})\odot(-\mathbf{y})\big)",
                lambda w, X, y: X.T @ ((_sig(-y * (X @ w)) - 1) * (-y)) / y.shape[0],
                "wrong in sign and in the argument of sigma: it equals +(1/N) X^T (y * sigma(+y Xw)), "
                "where the gradient is -(1/N) X^T (y * sigma(-y Xw))"))
_add("loss-logistic-01", "logistic loss with {0, 1} labels", "gradient", _CH,
     r"\nabla_{\mathbf{z}}\, \frac{1}{N}\sum_{i}\ln\big(1 + e^{-(2y_i - 1)z_i}\big) = \frac{1}{N}\big(\sigma(\mathbf{z}) - \mathbf{y}\big),\ y_i\in\{0, 1\}",
     lambda z, y: anp.mean(anp.log(1 + anp.exp(-(2 * y - 1) * z))), lambda z, y: (_sig(z) - y) / y.shape[0],
     {"z": "uni:-4,4,N", "y": "bin:N"}, "z",
     mistake=_M(r"\frac{1}{N}\big(\sigma(\mathbf{z}) - (2\mathbf{y} - \mathbf{1})\big)",
                lambda z, y: (_sig(z) - (2 * y - 1)) / y.shape[0],
                "the sigma(z) - y form needs labels in {0, 1}; the {-1, +1} labels 2y - 1 do not go into it"))
_add("loss-gaussian-nll-mu", "Gaussian NLL in the mean", "gradient", _CH,
     r"\nabla_{\pmb{\mu}}\, \frac{1}{N}\sum_{i}\tfrac{1}{2}\Big(\ln 2\pi + v_i + (y_i - \mu_i)^{2}e^{-v_i}\Big) = \frac{1}{N}(\pmb{\mu} - \mathbf{y})\odot e^{-\mathbf{v}}",
     lambda mu, v_, y: anp.mean(0.5 * (anp.log(2 * anp.pi) + v_ + (y - mu) ** 2 * anp.exp(-v_))),
     lambda mu, v_, y: (mu - y) * anp.exp(-v_) / y.shape[0],
     {"mu": "vec:N", "v_": "vec:N", "y": "vec:N"}, "mu",
     shapes=r"\pmb{\mu},\mathbf{v},\mathbf{y}\in\mathbb{R}^{N}\ (\mathbf{v} = \text{log-variance})")
_add("loss-gaussian-nll-logvar", "Gaussian NLL in the log-variance", "gradient", _CH,
     r"\nabla_{\mathbf{v}}\, \frac{1}{N}\sum_{i}\tfrac{1}{2}\Big(\ln 2\pi + v_i + (y_i - \mu_i)^{2}e^{-v_i}\Big) = \frac{1}{2N}\Big(1 - (\mathbf{y} - \pmb{\mu})^{2}\odot e^{-\mathbf{v}}\Big)",
     lambda v_, mu, y: anp.mean(0.5 * (anp.log(2 * anp.pi) + v_ + (y - mu) ** 2 * anp.exp(-v_))),
     lambda v_, mu, y: 0.5 * (1 - (y - mu) ** 2 * anp.exp(-v_)) / y.shape[0],
     {"v_": "vec:N", "mu": "vec:N", "y": "vec:N"}, "v_",
     shapes=r"\pmb{\mu},\mathbf{v},\mathbf{y}\in\mathbb{R}^{N}\ (\mathbf{v} = \text{log-variance})")
_add("loss-huber", "Huber loss", "derivative", _CH,
     r"\frac{d}{dr}\, H_\delta(r) = \begin{cases} r & \lvert r\rvert \le \delta \\ \delta\operatorname{sign}(r) & \lvert r\rvert > \delta \end{cases},\ H_\delta(r) = \begin{cases} \tfrac{1}{2}r^{2} & \lvert r\rvert \le \delta \\ \delta(\lvert r\rvert - \tfrac{1}{2}\delta) & \text{else} \end{cases}",
     lambda r, delta: anp.where(anp.abs(r) <= delta, 0.5 * r**2, delta * (anp.abs(r) - 0.5 * delta)),
     lambda r, delta: anp.where(anp.abs(r) <= delta, r, delta * anp.sign(r)),
     {"r": "uni:-3,3,n", "delta": "num:0.5,1.5"}, "r",
     post=lambda d, rng: d if np.all(np.abs(np.abs(d["r"]) - d["delta"]) > 0.05) else None,
     conditions=[_cond(r"$\lvert r\rvert \neq \delta$", lambda d: bool(np.all(np.abs(d["r"]) != d["delta"])))])
_add("loss-cross-entropy-q", "cross-entropy in the predicted distribution", "gradient", _CH,
     r"\nabla_{\mathbf{q}}\, \Big(-\sum_{k} p_k\ln q_k\Big) = -\mathbf{p}\oslash\mathbf{q}",
     lambda q, p: -anp.sum(p * anp.log(q)), lambda q, p: -p / q, {"q": "pos:K", "p": "prob:K"}, "q")

_add("loss-linear-model-chain", "any loss through a linear model", "gradient", _CH,
     r"\nabla_{\mathbf{w}}\, L(X\mathbf{w}) = X^\top\nabla_{\hat{\mathbf{y}}}L,\ \text{e.g. } L(\hat{\mathbf{y}}) = \frac{1}{N}\sum_{i}\ln\cosh(\hat{y}_i - y_i):\ \frac{1}{N}X^\top\tanh(X\mathbf{w} - \mathbf{y})",
     lambda w, X, y: anp.mean(anp.log(anp.cosh(X @ w - y))),
     lambda w, X, y: X.T @ anp.tanh(X @ w - y) / y.shape[0],
     {"w": "vec:d", "X": "mat:N,d", "y": "vec:N"}, "w")
_add("loss-mse-weights", "mean squared error of a linear model, in the weights", "gradient", _CH,
     r"\nabla_{\mathbf{w}}\, \frac{1}{N}\lVert X\mathbf{w} - \mathbf{y}\rVert_2^{2} = \frac{2}{N}X^\top(X\mathbf{w} - \mathbf{y})",
     lambda w, X, y: anp.mean((X @ w - y) ** 2), lambda w, X, y: 2 * X.T @ (X @ w - y) / y.shape[0],
     {"w": "vec:d", "X": "mat:N,d", "y": "vec:N"}, "w",
     mistake=_M(r"\frac{1}{N}X^\top(X\mathbf{w} - \mathbf{y})", lambda w, X, y: X.T @ (X @ w - y) / y.shape[0],
                "the gradient of the 1/(2N) convention paired with the 1/N loss (off by a factor 2)"))
