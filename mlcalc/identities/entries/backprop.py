"""Entries of the identity registry, chapter 11: backpropagation."""

# Data: each LaTeX statement and each formula stays on one line (grep-able).
# ruff: noqa: E501

import autograd.numpy as anp
import numpy as np

from .._formulas import _lse, _sig, _sigmoid_plain, _softmax, _softplus, _unvec
from .._inputs import _draw_dims
from .._registry import _M, _add, _cond

_CH = "ch-backprop"


def _dense_loss(W, b, x, t):
    z = W @ x + b
    return 0.5 * anp.sum((_sigmoid_plain(z) - t) ** 2)


def _dense_delta(W, b, x, t):
    s = _sig(W @ x + b)
    return (s - t) * s * (1 - s)


_DENSE = {"W": "mat:m,n", "b": "vec:m", "x": "vec:n", "t": "vec:m"}
_add("bp-dense-W", "dense layer, weight gradient (outer-product rule)", "matrix-gradient", _CH,
     r"\nabla_{W}\, \tfrac{1}{2}\lVert\sigma(W\mathbf{x} + \mathbf{b}) - \mathbf{t}\rVert_2^{2} = \pmb{\delta}\mathbf{x}^\top,\ \pmb{\delta} = (\sigma(\mathbf{z}) - \mathbf{t})\odot\sigma'(\mathbf{z}),\ \mathbf{z} = W\mathbf{x} + \mathbf{b}",
     _dense_loss, lambda W, b, x, t: anp.outer(_dense_delta(W, b, x, t), x), _DENSE, "W",
     mistake=_M(r"\mathbf{x}\pmb{\delta}^\top", lambda W, b, x, t: anp.outer(x, _dense_delta(W, b, x, t)),
                "the transpose: the gradient must have the shape of W"))
_add("bp-dense-b", "dense layer, bias gradient", "gradient", _CH,
     r"\nabla_{\mathbf{b}}\, \tfrac{1}{2}\lVert\sigma(W\mathbf{x} + \mathbf{b}) - \mathbf{t}\rVert_2^{2} = \pmb{\delta}",
     lambda b, W, x, t: _dense_loss(W, b, x, t), lambda b, W, x, t: _dense_delta(W, b, x, t),
     {"b": "vec:m", "W": "mat:m,n", "x": "vec:n", "t": "vec:m"}, "b",
     mistake=_M(r"\sigma(\mathbf{z}) - \mathbf{t}", lambda b, W, x, t: _sig(W @ x + b) - t,
                "the activation's derivative is forgotten"))
_add("bp-dense-x", "dense layer, input gradient", "gradient", _CH,
     r"\nabla_{\mathbf{x}}\, \tfrac{1}{2}\lVert\sigma(W\mathbf{x} + \mathbf{b}) - \mathbf{t}\rVert_2^{2} = W^\top\pmb{\delta}",
     lambda x, W, b, t: _dense_loss(W, b, x, t), lambda x, W, b, t: W.T @ _dense_delta(W, b, x, t),
     {"x": "vec:n", "W": "mat:m,n", "b": "vec:m", "t": "vec:m"}, "x")
_add("bp-batch-W", "batched layer, weight gradient", "matrix-gradient", _CH,
     r"\nabla_{W}\, \tfrac{1}{2}\lVert\tanh(XW) - T\rVert_F^{2} = X^\top\Delta,\ \Delta = (\tanh(XW) - T)\odot(1 - \tanh^{2}(XW))",
     lambda W, X, T: 0.5 * anp.sum((anp.tanh(X @ W) - T) ** 2),
     lambda W, X, T: X.T @ ((anp.tanh(X @ W) - T) * (1 - anp.tanh(X @ W) ** 2)),
     {"W": "mat:d,h", "X": "mat:N,d", "T": "mat:N,h"}, "W",
     mistake=_M(r"\Delta^\top X", lambda W, X, T: ((anp.tanh(X @ W) - T) * (1 - anp.tanh(X @ W) ** 2)).T @ X,
                "the transpose: the gradient must have the shape of W"))
_add("bp-batch-X", "batched layer, input gradient", "matrix-gradient", _CH,
     r"\nabla_{X}\, \tfrac{1}{2}\lVert\tanh(XW) - T\rVert_F^{2} = \Delta W^\top",
     lambda X, W, T: 0.5 * anp.sum((anp.tanh(X @ W) - T) ** 2),
     lambda X, W, T: ((anp.tanh(X @ W) - T) * (1 - anp.tanh(X @ W) ** 2)) @ W.T,
     {"X": "mat:N,d", "W": "mat:d,h", "T": "mat:N,h"}, "X")


def _mlp_loss(W1, W2, x, t):
    return 0.5 * anp.sum((W2 @ anp.tanh(W1 @ x) - t) ** 2)


_MLP = {"W1": "mat:h,n", "W2": "mat:m,h", "x": "vec:n", "t": "vec:m"}
_add("bp-mlp-W2", "two-layer network, output weights", "matrix-gradient", _CH,
     r"\nabla_{W_2}\, \tfrac{1}{2}\lVert W_2\tanh(W_1\mathbf{x}) - \mathbf{t}\rVert_2^{2} = \mathbf{r}\mathbf{h}^\top,\ \mathbf{h} = \tanh(W_1\mathbf{x}),\ \mathbf{r} = W_2\mathbf{h} - \mathbf{t}",
     lambda W2, W1, x, t: _mlp_loss(W1, W2, x, t),
     lambda W2, W1, x, t: anp.outer(W2 @ anp.tanh(W1 @ x) - t, anp.tanh(W1 @ x)),
     {"W2": "mat:m,h", "W1": "mat:h,n", "x": "vec:n", "t": "vec:m"}, "W2")
_add("bp-mlp-W1", "two-layer network, hidden weights", "matrix-gradient", _CH,
     r"\nabla_{W_1}\, \tfrac{1}{2}\lVert W_2\tanh(W_1\mathbf{x}) - \mathbf{t}\rVert_2^{2} = \big((W_2^\top\mathbf{r})\odot(1 - \mathbf{h}^{2})\big)\mathbf{x}^\top",
     _mlp_loss,
     lambda W1, W2, x, t: anp.outer((W2.T @ (W2 @ anp.tanh(W1 @ x) - t)) * (1 - anp.tanh(W1 @ x) ** 2), x),
     _MLP, "W1",
     mistake=_M(r"(W_2^\top\mathbf{r})\,\mathbf{x}^\top", lambda W1, W2, x, t: anp.outer(W2.T @ (W2 @ anp.tanh(W1 @ x) - t), x),
                "the derivative of the hidden activation is forgotten"))
_add("bp-vjp", "vector-Jacobian product", "gradient", _CH,
     r"\nabla_{\mathbf{x}}\, \big(\mathbf{v}^\top\tanh(W\mathbf{x})\big) = J^\top\mathbf{v} = W^\top\big(\mathbf{v}\odot(1 - \tanh^{2}(W\mathbf{x}))\big)",
     lambda x, v, W: v @ anp.tanh(W @ x), lambda x, v, W: W.T @ (v * (1 - anp.tanh(W @ x) ** 2)),
     {"x": "vec:n", "v": "vec:m", "W": "mat:m,n"}, "x")
_add("bp-vec-Wx", "linear layer as a function of vec(W)", "jacobian", _CH,
     r"\frac{\partial (W\mathbf{x})}{\partial\, \operatorname{vec}(W)} = \mathbf{x}^\top\otimes I_m",
     lambda w, x, m: _unvec(w, m, x.shape[0]) @ x, lambda w, x, m: anp.kron(x[None, :], anp.eye(m)),
     lambda rng: (lambda d: {"w": rng.standard_normal(d["m"] * d["n"]), "x": rng.standard_normal(d["n"]), "m": d["m"]})(
         _draw_dims(rng, "mn")), "w",
     shapes=r"\operatorname{vec}(W)\in\mathbb{R}^{mn},\ \mathbf{x}\in\mathbb{R}^{n}",
     mistake=_M(r"I_m\otimes\mathbf{x}^\top", lambda w, x, m: anp.kron(anp.eye(m), x[None, :]),
                "right for row-major vec, wrong for the column-stacking vec"))
_add("bp-residual-jacobian", "residual block Jacobian", "jacobian", _CH,
     r"\frac{\partial\, \big(\mathbf{x} + W_2\operatorname{ReLU}(W_1\mathbf{x})\big)}{\partial \mathbf{x}} = I + W_2\operatorname{diag}\big(\mathbb{1}[W_1\mathbf{x} > 0]\big)W_1",
     lambda x, W1, W2: x + W2 @ anp.maximum(0.0, W1 @ x),
     lambda x, W1, W2: anp.eye(x.shape[0]) + W2 @ anp.diag((W1 @ x > 0) * 1.0) @ W1,
     {"x": "vec:n", "W1": "mat:h,n", "W2": "mat:n,h"}, "x",
     post=lambda d, rng: d if np.all(np.abs(d["W1"] @ d["x"]) > 0.05) else None,
     conditions=[_cond(r"no entry of $W_1\mathbf{x}$ is 0", lambda d: bool(np.all(d["W1"] @ d["x"] != 0)))],
     mistake=_M(r"W_2\operatorname{diag}\big(\mathbb{1}[W_1\mathbf{x} > 0]\big)W_1", lambda x, W1, W2: W2 @ anp.diag((W1 @ x > 0) * 1.0) @ W1,
                "the identity from the skip connection is forgotten"))
_add("bp-softmax-layer-W", "softmax output layer, weight gradient", "matrix-gradient", _CH,
     r"\nabla_{W}\, \Big(-\mathbf{y}^\top\ln\operatorname{softmax}(W\mathbf{x} + \mathbf{b})\Big) = (\mathbf{s} - \mathbf{y})\,\mathbf{x}^\top",
     lambda W, b, x, y: -y @ (W @ x + b - anp.log(anp.sum(anp.exp(W @ x + b)))),
     lambda W, b, x, y: anp.outer(_softmax(W @ x + b) - y, x),
     {"W": "mat:K,n", "b": "vec:K", "x": "vec:n", "y": "onehot:K"}, "W")


# The layer f = sigma(Wx + b) with W in R^{m x n}: Jacobians in b, in W (three indices) and in vec(W).
_LAYER_JAC = {"b": "vec:m", "W": "mat:m,n", "x": "vec:n"}
_add("bp-layer-jac-b", "dense layer, Jacobian in the bias", "jacobian", _CH,
     r"\frac{\partial\, \tanh(W\mathbf{x} + \mathbf{b})}{\partial \mathbf{b}} = \operatorname{diag}\big(\sigma'(\mathbf{z})\big) = \operatorname{diag}\big(1 - \tanh^{2}(\mathbf{z})\big),\ \mathbf{z} = W\mathbf{x} + \mathbf{b},\ \sigma = \tanh",
     lambda b, W, x: anp.tanh(W @ x + b), lambda b, W, x: anp.diag(1 - anp.tanh(W @ x + b) ** 2), _LAYER_JAC, "b",
     mistake=_M(r"\operatorname{diag}\big(\sigma'(\mathbf{z})\big)W", lambda b, W, x: anp.diag(1 - anp.tanh(W @ x + b) ** 2) @ W,
                "the Jacobian in the input x; the bias enters z with the identity, not with W"))
_add("bp-layer-jac-A", "dense layer, Jacobian in the weight matrix (three indices)", "jacobian", _CH,
     r"\frac{\partial f_i}{\partial W_{jk}} = \sigma'(z_i)\,\mathbb{1}[i = j]\,x_k,\ \mathbf{f} = \sigma(\mathbf{z}),\ \mathbf{z} = W\mathbf{x} + \mathbf{b},\ \sigma = \text{logistic sigmoid}\ (\text{an } m\times m\times n \text{ array, autograd's shape})",
     lambda W, b, x: _sigmoid_plain(W @ x + b),
     lambda W, b, x: anp.einsum("i,ij,k->ijk", _sig(W @ x + b) * (1 - _sig(W @ x + b)), anp.eye(W.shape[0]), x),
     {"W": "mat:m,n", "b": "vec:m", "x": "vec:n"}, "W",
     mistake=_M(r"\sigma'(z_i)\,x_k\ \ (\text{no } \mathbb{1}[i = j])",
                lambda W, b, x: anp.einsum("i,j,k->ijk", _sig(W @ x + b) * (1 - _sig(W @ x + b)), anp.ones(W.shape[0]), x),
                "the indicator 1[i = j] is dropped: weight W_jk feeds unit j only, so f_i does not depend on row j for j != i"))


def _layer_vec_inputs(rng, with_target=False):
    d = _draw_dims(rng, "mn")
    out = {"w": rng.standard_normal(d["m"] * d["n"]), "b": rng.standard_normal(d["m"]), "x": rng.standard_normal(d["n"])}
    if with_target:
        out["t"] = rng.standard_normal(d["m"])
    return out


def _layer_vec_W(w, b, x):
    """W from its column-major vec: W is m x n with m = len(b), n = len(x)."""
    return _unvec(w, b.shape[0], x.shape[0])


def _dsig(z):
    return _sig(z) * (1 - _sig(z))


_add("bp-layer-jac-vecA", "dense layer, Jacobian in vec(W)", "jacobian", _CH,
     r"\frac{\partial\, \sigma(W\mathbf{x} + \mathbf{b})}{\partial\, \operatorname{vec}(W)} = \operatorname{diag}\big(\sigma'(\mathbf{z})\big)\,(\mathbf{x}^\top\otimes I_m),\ \mathbf{z} = W\mathbf{x} + \mathbf{b},\ \sigma = \text{logistic sigmoid},\ \operatorname{vec}(W) = \text{the columns of } W \text{ stacked}",
     lambda w, b, x: _sigmoid_plain(_layer_vec_W(w, b, x) @ x + b),
     lambda w, b, x: _dsig(_layer_vec_W(w, b, x) @ x + b)[:, None] * anp.kron(x[None, :], anp.eye(b.shape[0])),
     _layer_vec_inputs, "w",
     shapes=r"\operatorname{vec}(W)\in\mathbb{R}^{mn},\ \mathbf{b}\in\mathbb{R}^{m},\ \mathbf{x}\in\mathbb{R}^{n}",
     mistake=_M(r"\operatorname{diag}\big(\sigma'(\mathbf{z})\big)\,(I_m\otimes\mathbf{x}^\top)",
                lambda w, b, x: _dsig(_layer_vec_W(w, b, x) @ x + b)[:, None] * anp.kron(anp.eye(b.shape[0]), x[None, :]),
                "right for the row-major vec (NumPy's default reshape), wrong for the column-stacking vec"))


def _layer_vec_delta(w, b, x, t):
    z = _layer_vec_W(w, b, x) @ x + b
    return _dsig(z) * (_sig(z) - t)


_add("bp-grad-vecA", "dense layer, gradient in vec(W)", "gradient", _CH,
     r"\nabla_{\operatorname{vec}(W)}\, \tfrac{1}{2}\lVert\sigma(W\mathbf{x} + \mathbf{b}) - \mathbf{t}\rVert_2^{2} = (\mathbf{x}\otimes I_m)\,\pmb{\delta} = \operatorname{vec}(\pmb{\delta}\mathbf{x}^\top),\ \pmb{\delta} = \sigma'(\mathbf{z})\odot(\sigma(\mathbf{z}) - \mathbf{t}),\ \mathbf{z} = W\mathbf{x} + \mathbf{b},\ \operatorname{vec} \text{ stacks columns}",
     lambda w, b, x, t: 0.5 * anp.sum((_sigmoid_plain(_layer_vec_W(w, b, x) @ x + b) - t) ** 2),
     lambda w, b, x, t: anp.kron(x[:, None], anp.eye(b.shape[0])) @ _layer_vec_delta(w, b, x, t),
     lambda rng: _layer_vec_inputs(rng, with_target=True), "w",
     shapes=r"\operatorname{vec}(W)\in\mathbb{R}^{mn},\ \mathbf{b},\mathbf{t}\in\mathbb{R}^{m},\ \mathbf{x}\in\mathbb{R}^{n}",
     mistake=_M(r"(I_m\otimes\mathbf{x})\,\pmb{\delta}",
                lambda w, b, x, t: anp.kron(anp.eye(b.shape[0]), x[:, None]) @ _layer_vec_delta(w, b, x, t),
                "the row-major vec of the outer product: vec here stacks columns"))

# A batch with examples as columns: Z = WF + b 1^T, L = sum_ij ln cosh(Z_ij), so Delta = dL/dZ = tanh(Z).
_BATCH_COLS = {"W": "mat:m,n", "b": "vec:m", "F": "mat:n,N"}


def _cols_loss(W, b, F):
    return anp.sum(anp.log(anp.cosh(W @ F + b[:, None])))


def _cols_delta(W, b, F):
    return anp.tanh(W @ F + b[:, None])


_add("bp-batch-cols-A", "batch as columns, weight gradient", "matrix-gradient", _CH,
     r"\nabla_{W}\, \sum_{i,j}\ln\cosh(Z_{ij}) = \Delta F^\top,\ Z = WF + \mathbf{b}\mathbf{1}^\top,\ \Delta = \frac{\partial L}{\partial Z} = \tanh(Z),\ \text{examples are the columns of } F",
     _cols_loss, lambda W, b, F: _cols_delta(W, b, F) @ F.T, _BATCH_COLS, "W",
     mistake=_M(r"F\Delta^\top", lambda W, b, F: F @ _cols_delta(W, b, F).T,
                "the transpose (denominator layout): the gradient must have the shape of W"))
_add("bp-batch-cols-b", "batch as columns, bias gradient", "gradient", _CH,
     r"\nabla_{\mathbf{b}}\, \sum_{i,j}\ln\cosh(Z_{ij}) = \Delta\mathbf{1},\ Z = WF + \mathbf{b}\mathbf{1}^\top,\ \Delta = \tanh(Z)",
     lambda b, W, F: _cols_loss(W, b, F), lambda b, W, F: _cols_delta(W, b, F) @ anp.ones(F.shape[1]),
     {"b": "vec:m", "W": "mat:m,n", "F": "mat:n,N"}, "b",
     mistake=_M(r"\Delta^\top\mathbf{1}", lambda b, W, F: _cols_delta(W, b, F).T @ anp.ones(W.shape[0]),
                "sums over the units instead of over the batch (the bias is shared by the examples)"))
_add("bp-batch-cols-F", "batch as columns, input gradient", "matrix-gradient", _CH,
     r"\nabla_{F}\, \sum_{i,j}\ln\cosh(Z_{ij}) = W^\top\Delta,\ Z = WF + \mathbf{b}\mathbf{1}^\top,\ \Delta = \tanh(Z)",
     lambda F, W, b: _cols_loss(W, b, F), lambda F, W, b: W.T @ _cols_delta(W, b, F),
     {"F": "mat:n,N", "W": "mat:m,n", "b": "vec:m"}, "F")


def _cols_onehot_inputs(rng):
    d = _draw_dims(rng, "KN")
    labels = rng.integers(0, d["K"], size=d["N"])
    return {"Z": 2.0 * rng.standard_normal((d["K"], d["N"])), "Y": np.eye(d["K"])[:, labels]}


_add("bp-softmax-ce-cols", "mean softmax cross-entropy, examples as columns", "matrix-gradient", _CH,
     r"\nabla_{Z}\, \Big(-\frac{1}{N}\sum_{k,i} Y_{ki}\ln S_{ki}\Big) = \frac{1}{N}(S - Y),\ S = \operatorname{softmax}(Z) \text{ column by column}",
     lambda Z, Y: -anp.sum(Y * (Z - _lse(Z, axis=0)[None, :])) / Z.shape[1],
     lambda Z, Y: (_softmax(Z, axis=0) - Y) / Y.shape[1], _cols_onehot_inputs, "Z",
     shapes=r"Z\in\mathbb{R}^{K\times N},\ Y\in\{0, 1\}^{K\times N}",
     conditions=[_cond("columns of $Y$ one-hot",
                       lambda d: bool(np.all((d["Y"] == 0) | (d["Y"] == 1)) and np.all(d["Y"].sum(axis=0) == 1)))],
     mistake=_M(r"\frac{1}{N}\big(\operatorname{softmax}(Z) \text{ row by row} - Y\big)",
                lambda Z, Y: (_softmax(Z, axis=1) - Y) / Y.shape[1],
                "the softmax taken along the wrong axis (the rows-as-examples code applied to columns)"))

# One backward step g_{l-1} = W_l^T (sigma'(z_l) * g_l) as the gradient of g_l^T f_l in f_{l-1}.
_STEP = {"f": "vec:n", "g": "vec:m", "W": "mat:m,n", "b": "vec:m"}
_STEP_SHAPES = r"W_l\in\mathbb{R}^{n_l\times n_{l-1}},\ \mathbf{f}_{l-1}\in\mathbb{R}^{n_{l-1}},\ \mathbf{b}_l,\mathbf{g}_l\in\mathbb{R}^{n_l}"


def _step_latex(act: str, deriv: str) -> str:
    return (r"\mathbf{g}_{l-1} = \nabla_{\mathbf{f}_{l-1}}\big(\mathbf{g}_l^\top\sigma(W_l\mathbf{f}_{l-1} + \mathbf{b}_l)\big) = W_l^\top\big(\sigma'(\mathbf{z}_l)\odot\mathbf{g}_l\big),\ "
            r"\mathbf{z}_l = W_l\mathbf{f}_{l-1} + \mathbf{b}_l,\ " + act + r",\ " + deriv)


def _relu_step_post(d, rng):
    z = d["W"] @ d["f"] + d["b"]
    return d if np.all(np.abs(z) > 0.1) and z.min() < 0 < z.max() else None


_add("bp-step-sigmoid", "backward step through a sigmoid layer", "gradient", _CH,
     _step_latex(r"\sigma(z) = \frac{1}{1 + e^{-z}}", r"\sigma' = \sigma(1 - \sigma)"),
     lambda f, g, W, b: g @ _sigmoid_plain(W @ f + b), lambda f, g, W, b: W.T @ (_dsig(W @ f + b) * g), _STEP, "f",
     shapes=_STEP_SHAPES,
     mistake=_M(r"W_l^\top\big(\sigma(\mathbf{z}_l)\odot\mathbf{g}_l\big)", lambda f, g, W, b: W.T @ (_sig(W @ f + b) * g),
                "the activation written where its derivative belongs"))
_add("bp-step-relu", "backward step through a ReLU layer", "gradient", _CH,
     _step_latex(r"\sigma = \operatorname{ReLU}", r"\sigma'(z) = \mathbb{1}[z > 0]"),
     lambda f, g, W, b: g @ anp.maximum(0.0, W @ f + b), lambda f, g, W, b: W.T @ ((W @ f + b > 0) * g), _STEP, "f",
     shapes=_STEP_SHAPES, post=_relu_step_post,
     conditions=[_cond(r"no entry of $\mathbf{z}_l$ is 0 (ReLU has a kink there)",
                       lambda d: bool(np.all(d["W"] @ d["f"] + d["b"] != 0)))],
     mistake=_M(r"W_l^\top\mathbf{g}_l", lambda f, g, W, b: W.T @ g,
                "ReLU's derivative taken as 1 everywhere; it is 0 on inactive units"))
_add("bp-step-softplus", "backward step through a softplus layer", "gradient", _CH,
     _step_latex(r"\sigma(z) = \ln(1 + e^{z})", r"\sigma'(z) = \frac{1}{1 + e^{-z}}"),
     lambda f, g, W, b: g @ _softplus(W @ f + b), lambda f, g, W, b: W.T @ (_sig(W @ f + b) * g), _STEP, "f",
     shapes=_STEP_SHAPES)
_add("bp-residual-step", "backward step through a residual block", "gradient", _CH,
     r"\mathbf{g}_{l-1} = \nabla_{\mathbf{f}_{l-1}}\Big(\mathbf{g}_l^\top\big(\mathbf{f}_{l-1} + \sigma(W_l\mathbf{f}_{l-1} + \mathbf{b}_l)\big)\Big) = \mathbf{g}_l + W_l^\top\big(\sigma'(\mathbf{z}_l)\odot\mathbf{g}_l\big),\ \mathbf{z}_l = W_l\mathbf{f}_{l-1} + \mathbf{b}_l,\ \sigma = \text{logistic sigmoid}",
     lambda f, g, W, b: g @ (f + _sigmoid_plain(W @ f + b)), lambda f, g, W, b: g + W.T @ (_dsig(W @ f + b) * g),
     {"f": "vec:n", "g": "vec:n", "W": "sq:n,n", "b": "vec:n"}, "f",
     shapes=r"W_l\in\mathbb{R}^{n\times n},\ \mathbf{f}_{l-1},\mathbf{b}_l,\mathbf{g}_l\in\mathbb{R}^{n}",
     mistake=_M(r"W_l^\top\big(\sigma'(\mathbf{z}_l)\odot\mathbf{g}_l\big)", lambda f, g, W, b: W.T @ (_dsig(W @ f + b) * g),
                "the identity path of the skip connection is forgotten: it hands g_l down unchanged"))
