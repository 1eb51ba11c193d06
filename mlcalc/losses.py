"""Loss functions (the mean over samples) and their gradients with respect to the prediction.

Each loss ``name(prediction, target)`` returns the **mean** over all entries (for
``softmax_cross_entropy``: over the N rows), and ``name_grad`` takes the same arguments and
returns the gradient with respect to the **first** argument, with the 1/N of the mean included,
in the shape of that argument. ``gaussian_nll_grad`` returns the pair
(d/d mu, d/d log_var). All are written with ``autograd.numpy``: ``autograd.grad`` of a loss
agrees with its ``_grad`` (the tests check this).

The contract, shared by every function here:

* Inputs may be numbers, lists or arrays; integer inputs become float64, float32 stays float32.
  Inputs are never modified.
* Shapes must match exactly: ``pred`` of shape (3,) against ``target`` of shape (3, 1) is a
  ValueError naming both arguments and both shapes (NumPy would broadcast it to a 3 x 3 table
  and return a wrong number silently). An empty batch is a ValueError (the mean of nothing is
  undefined). Labels outside their set and probabilities outside [0, 1] are ValueErrors naming
  the argument.
* NaN in the data propagates to NaN; it is not an error.
* Stable: ``bce_with_logits`` at logits +-1000 and +-inf, cross-entropy with logit gaps of 1000,
  ``gaussian_nll`` with log-variance +-1000 are finite where the true value is finite, accurate
  to a few ulps, and raise no overflow/invalid/divide warning.

Kinks (subgradient conventions, the ones the book teaches): ``mae_grad`` uses sign(0) = 0 (the
subgradient of |x| at 0 of smallest magnitude); ``hinge_grad`` is 0 where the margin
y * score equals 1 exactly (hinge = relu(1 - y * score) with relu'(0) = 0).
"""

import math

import autograd.numpy as anp
import numpy as np
from autograd.tracer import Box, getval

from .activations import _as_float, _finish, _lse_parts, log_sigmoid, sigmoid, softplus

__all__ = [
    "bce",
    "bce_grad",
    "bce_with_logits",
    "bce_with_logits_grad",
    "gaussian_nll",
    "gaussian_nll_grad",
    "hinge",
    "hinge_grad",
    "logistic_loss",
    "logistic_loss_grad",
    "mae",
    "mae_grad",
    "mse",
    "mse_grad",
    "softmax_cross_entropy",
    "softmax_cross_entropy_grad",
]

_LOG_2PI = math.log(2 * math.pi)


# ----------------------------------------------------------------------------------------------
# input validation
# ----------------------------------------------------------------------------------------------
def _dtype_of(x):
    return np.asarray(getval(x)).dtype


def _arrays(**named):
    """Convert same-shape float inputs, given as name=value in order; validate shape and size.

    Integer inputs are cast to the floating dtype of the other inputs (float64 if none is
    floating), so float32 data with integer targets stays float32.
    """
    items = [(name, _as_float(value, name)) for name, value in named.items()]
    was_float = [
        isinstance(v, Box) or np.asarray(raw).dtype.kind == "f"
        for (_, v), raw in zip(items, named.values(), strict=True)
    ]
    floats = [_dtype_of(v) for (_, v), f in zip(items, was_float, strict=True) if f]
    common = np.result_type(*floats) if floats else np.dtype(np.float64)
    out = [v if f else v.astype(common) for (_, v), f in zip(items, was_float, strict=True)]
    (first, v0), *rest = items
    shape0 = np.shape(getval(v0))
    for name, v in rest:
        shape = np.shape(getval(v))
        if shape != shape0:
            raise ValueError(
                f"{first} and {name} must have the same shape, got {first} {shape0} and "
                f"{name} {shape} (no broadcasting)"
            )
    if int(np.prod(shape0)) == 0:
        raise ValueError(
            f"{first} is empty (shape {shape0}): the mean over an empty batch is undefined"
        )
    return out


def _check_probability(p, name):
    pv = getval(p)
    bad = (pv < 0) | (pv > 1)  # NaN is not flagged: it propagates
    if np.any(bad):
        raise ValueError(
            f"{name} must lie in [0, 1], got {pv[bad].ravel()[:3]} "
            f"(min {np.nanmin(pv)}, max {np.nanmax(pv)}; shape {pv.shape})"
        )


def _signed_labels(labels, scores):
    """Validate labels in {-1, +1} with the shape of ``scores``; return them as scores' dtype."""
    y = np.asarray(getval(labels))
    if y.dtype.kind not in "iuf":
        raise TypeError(f"labels must be numbers in {{-1, +1}}, got dtype {y.dtype}")
    shape = np.shape(getval(scores))
    if y.shape != shape:
        raise ValueError(
            f"scores and labels must have the same shape, got scores {shape} and labels "
            f"{y.shape} (no broadcasting)"
        )
    bad = (y != 1) & (y != -1)
    if np.any(bad):
        raise ValueError(
            f"labels must be -1 or +1, got {np.unique(y[bad])[:5]} (shape {y.shape}); "
            "for 0/1 labels use bce_with_logits, or pass 2 * y - 1"
        )
    return y.astype(_dtype_of(scores))


def _class_labels(labels, logits):
    """Validate integer labels in [0, K) of shape (N,) for logits of shape (N, K)."""
    z_shape = np.shape(getval(logits))
    if len(z_shape) != 2:
        raise ValueError(f"logits must have shape (N, K), got shape {z_shape}")
    n, k = z_shape
    y = np.asarray(labels)
    if y.dtype.kind == "f":
        if not np.all(np.isfinite(y) & (y == np.round(y))):
            raise ValueError(f"labels must be integers in [0, {k}), got non-integers in {y}")
        y = y.astype(np.int64)
    elif y.dtype.kind not in "iu":
        raise TypeError(f"labels must be integers in [0, {k}), got dtype {y.dtype}")
    if y.shape != (n,):
        raise ValueError(
            f"labels must have shape (N,) = ({n},) to match logits {z_shape}, got labels {y.shape}"
        )
    if n == 0:
        raise ValueError(
            f"logits is empty (shape {z_shape}): the mean over an empty batch is undefined"
        )
    if k == 0:
        raise ValueError(f"logits must have at least one class, got shape {z_shape}")
    bad = (y < 0) | (y >= k)
    if np.any(bad):
        raise ValueError(
            f"labels must lie in [0, {k}) for logits {z_shape}, got {np.unique(y[bad])[:5]}"
        )
    return np.arange(k) == y[:, None]  # one-hot mask, shape (N, K)


# ----------------------------------------------------------------------------------------------
# safe arithmetic
# ----------------------------------------------------------------------------------------------
def _log_or_neg_inf(p):
    """log(p) for p in [0, 1] with log(0) = -inf, without a divide-by-zero warning."""
    return anp.where(p == 0, -np.inf, anp.log(anp.where(p == 0, 1, p)))


def _log1m(p):
    """log(1 - p) for p in [0, 1] (as log1p(-p), exact for small p), with log(0) = -inf."""
    return anp.where(p == 1, -np.inf, anp.log1p(-anp.where(p == 1, 0, p)))


def _weighted(w, v):
    """w * v with the convention 0 * v = 0 (even for v = +-inf): 0 log 0 = 0."""
    return w * anp.where(w == 0, 0, v)


def _times2(x):
    """2 * x, with +-inf instead of an overflow warning where |x| > max / 2."""
    xv = getval(x)
    big = np.abs(xv) > np.finfo(xv.dtype).max / 2
    return anp.where(big, np.copysign(np.inf, xv), 2 * anp.where(big, 0, x))


def _mul_exp(d, b):
    """d * exp(b), elementwise, without spurious overflow, underflow or NaN.

    ``exp(b)`` alone overflows for b > 709.8 even when d * exp(b) is an ordinary number
    (d = 1e-300, b = 1000 gives 1.97e134). The product is classified from
    L = log|d| + b (computed on values, a constant for autograd): above log(max) it is
    +-inf, below log(smallest subnormal) it is 0, in between it is computed as
    d * exp(b) when |b| < log(max) - 1, else as (d * E) * E with E = exp(b / 2) or as
    (((d * E) * E) * E) * E with E = exp(b / 4), whose partial products stay in range (and
    b / 2, b / 4 are exact). Within a few ulps of the true product. Conventions:
    0 * exp(b) = 0 (also for b = +inf), +-inf * exp(-inf) = NaN, NaN anywhere gives NaN.
    """
    dv, bv = getval(d), getval(b)
    fi = np.finfo(np.result_type(dv, bv))
    log_max = float(np.log(fi.max))
    log_min = float(np.log(fi.smallest_subnormal))
    nan = np.isnan(dv) | np.isnan(bv)
    zero = (dv == 0) & ~np.isnan(bv)
    d_inf = np.isinf(dv)
    fin = ~nan & ~zero & ~d_inf  # d finite and nonzero, b not NaN
    ad = np.where(fin, np.abs(dv), 1)
    bb = np.where(fin & np.isfinite(bv), bv, 0)
    L = np.log(ad) + bb  # |log|d|| <= 745, so this sum cannot overflow
    b_fin = np.isfinite(bv)
    over = fin & ((bv == np.inf) | (b_fin & (L > log_max - 1e-3)))
    under = fin & ((bv == -np.inf) | (b_fin & (L < log_min - 1)))
    mid = fin & b_fin & ~over & ~under
    const = np.where(
        zero | (fin & under),
        0,
        np.where(over | (d_inf & (bv != -np.inf) & ~nan), np.copysign(np.inf, dv), np.nan),
    ).astype(fi.dtype)
    d_s = anp.where(mid, d, 1)
    b_s = anp.where(mid, b, 0)
    # exp(b) in one piece, or as exp(b/2)^2 or exp(b/4)^4: b/2 and b/4 are exact, so this costs
    # at most a few roundings (exp(b/3) would not be: b/3 is rounded, and exp amplifies it)
    ab = np.abs(getval(b_s))
    one = ab < log_max - 1
    two = ~one & (ab < 2 * (log_max - 1))
    four = ~one & ~two
    e1 = anp.exp(anp.where(one, b_s, 0))
    e2 = anp.exp(anp.where(two, b_s, 0) / 2)
    e4 = anp.exp(anp.where(four, b_s, 0) / 4)
    value = anp.where(one, d_s * e1, anp.where(two, (d_s * e2) * e2, (((d_s * e4) * e4) * e4) * e4))
    return anp.where(mid, value, const)


def _square_safe(x):
    """x * x, with +inf instead of an overflow warning where |x| > sqrt(max)."""
    xv = getval(x)
    big = np.abs(xv) > np.sqrt(np.finfo(xv.dtype).max)
    xs = anp.where(big, 0, x)
    return anp.where(big, np.inf, xs * xs)


# ----------------------------------------------------------------------------------------------
# regression losses
# ----------------------------------------------------------------------------------------------
def mse(pred, target):
    """Mean squared error: mean((pred - target)^2) over all entries.

    Args:
        pred: array_like of real numbers, any shape with at least one entry.
        target: array_like of the same shape as ``pred``.

    Returns:
        NumPy scalar (float32 if the inputs are float32, else float64).

    Raises:
        ValueError: if the shapes differ (no broadcasting) or the batch is empty.
    """
    pred, target = _arrays(pred=pred, target=target)
    d = pred - target
    return anp.mean(d * d)


def mse_grad(pred, target):
    """Gradient of :func:`mse` with respect to ``pred``: 2 (pred - target) / N, N = pred.size.

    Returns:
        Array of the shape of ``pred``.
    """
    pred, target = _arrays(pred=pred, target=target)
    n = np.size(getval(pred))
    return _finish(2 * (pred - target) / n)


def mae(pred, target):
    """Mean absolute error: mean(|pred - target|) over all entries.

    Args:
        pred: array_like of real numbers, any shape with at least one entry.
        target: array_like of the same shape as ``pred``.

    Returns:
        NumPy scalar.

    Raises:
        ValueError: if the shapes differ or the batch is empty.
    """
    pred, target = _arrays(pred=pred, target=target)
    return anp.mean(anp.abs(pred - target))


def mae_grad(pred, target):
    """(Sub)gradient of :func:`mae` with respect to ``pred``: sign(pred - target) / N.

    Kink convention: where pred == target the entry is 0 (sign(0) = 0, the subgradient of |x|
    at 0 with the smallest magnitude; any value in [-1/N, 1/N] is a valid subgradient there).
    This is also autograd's derivative of ``abs`` at 0.

    Returns:
        Array of the shape of ``pred``.
    """
    pred, target = _arrays(pred=pred, target=target)
    n = np.size(getval(pred))
    return _finish(anp.sign(pred - target) / n)


def gaussian_nll(mu, log_var, target):
    """Mean Gaussian negative log-likelihood with a predicted log-variance.

    Per entry, with v = log_var (the log of the variance sigma^2):
    0.5 * (log(2 pi) + v + (target - mu)^2 * exp(-v)), the exact negative log-density of
    N(mu, e^v) at ``target`` (the constant 0.5 log(2 pi) is included). Works for
    v = +-1000 (variance e^+-1000) without overflow: the quadratic term is computed as
    ((target - mu) e^{-v/2})^2 with a guarded product, so e.g. target - mu = 1e-300 at
    v = -1000 gives the right 1.97e-166 rather than inf * 0. No variance clamping.

    Args:
        mu: array_like, the predicted means, any shape with at least one entry.
        log_var: array_like of the same shape, the predicted log-variances.
        target: array_like of the same shape, the observations.

    Returns:
        NumPy scalar.

    Raises:
        ValueError: if the shapes differ or the batch is empty.
    """
    mu, log_var, target = _arrays(mu=mu, log_var=log_var, target=target)
    h = target / 2 - mu / 2  # (target - mu) / 2 without overflow
    q = _square_safe(_times2(_mul_exp(h, -log_var / 2)))
    q_inf = getval(q) == np.inf
    v_s = anp.where(q_inf, 0, log_var)
    q_s = anp.where(q_inf, 0, q)
    per = anp.where(q_inf, np.inf, 0.5 * (_LOG_2PI + v_s + q_s))
    return anp.mean(per)


def gaussian_nll_grad(mu, log_var, target):
    """Gradients of :func:`gaussian_nll`: the pair (d/d mu, d/d log_var), each over N entries.

    d/d mu = (mu - target) e^{-v} / N and d/d log_var = (1 - (target - mu)^2 e^{-v}) / (2N),
    computed with the same overflow-safe products as the loss.

    Returns:
        Tuple of two arrays, each of the shape of ``mu``.
    """
    mu, log_var, target = _arrays(mu=mu, log_var=log_var, target=target)
    n = np.size(getval(mu))
    h = mu / 2 - target / 2
    g_mu = _times2(_mul_exp(h, -log_var)) / n
    q = _square_safe(_times2(_mul_exp(-h, -log_var / 2)))
    g_v = 0.5 * (1 - q) / n
    return _finish(g_mu), _finish(g_v)


# ----------------------------------------------------------------------------------------------
# binary classification
# ----------------------------------------------------------------------------------------------
def bce(prob, target):
    """Binary cross-entropy of probabilities: -mean(t log p + (1 - t) log(1 - p)).

    Uses 0 log 0 = 0, so ``bce([0, 1], [0, 1]) == 0``; a wrong certain prediction
    (p = 0 with t > 0) gives +inf, without a warning. log(1 - p) is computed as log1p(-p).
    ``target`` may be soft (any value in [0, 1]). Prefer :func:`bce_with_logits` when you
    have logits: it never forms p and keeps the tails.

    Args:
        prob: array_like of probabilities in [0, 1], any shape with at least one entry.
        target: array_like of the same shape, values in [0, 1].

    Returns:
        NumPy scalar.

    Raises:
        ValueError: if the shapes differ, the batch is empty, or a value of ``prob`` or
            ``target`` lies outside [0, 1] (NaN is allowed and propagates).
    """
    prob, target = _arrays(prob=prob, target=target)
    _check_probability(prob, "prob")
    _check_probability(target, "target")
    per = _weighted(target, _log_or_neg_inf(prob)) + _weighted(1 - target, _log1m(prob))
    return -anp.mean(per)


def bce_grad(prob, target):
    """Gradient of :func:`bce` with respect to ``prob``: (p - t) / (p (1 - p)) / N.

    At the ends, where that formula is 0/0 or x/0, it is -t/p + (1 - t)/(1 - p) with 0 * x = 0:
    at p = 0 the entry is 1/N for t = 0 and -inf for t > 0; at p = 1 it is -1/N for t = 1 and
    +inf for t < 1. No warnings.

    Returns:
        Array of the shape of ``prob``.
    """
    prob, target = _arrays(prob=prob, target=target)
    _check_probability(prob, "prob")
    _check_probability(target, "target")
    n = np.size(getval(prob))
    pv, tv = getval(prob), getval(target)
    inside = (pv > 0) & (pv < 1)
    p_s = anp.where(inside, prob, 0.5)
    num = p_s - target
    den = p_s * (1 - p_s)
    big = np.abs(getval(num)) > getval(den) * np.finfo(pv.dtype).max  # quotient overflows
    g_in = anp.where(big, np.copysign(np.inf, getval(num)), num / anp.where(big, 1, den))
    g_0 = anp.where(tv > 0, -np.inf, 1 - target)  # p = 0
    g_1 = anp.where(tv < 1, np.inf, -target)  # p = 1
    g = anp.where(inside, g_in, anp.where(pv == 0, g_0, anp.where(pv == 1, g_1, prob + target)))
    return _finish(g / n)


def bce_with_logits(logits, target):
    """Binary cross-entropy of sigmoid(logits): mean(t softplus(-z) + (1 - t) softplus(z)).

    This equals -mean(t log sigma(z) + (1 - t) log(1 - sigma(z))), but both terms are
    non-negative and never form sigma(z), so it is exact at any logit:
    ``bce_with_logits([1000], [0]) == 1000``, ``bce_with_logits([-40], [0]) = 4.248e-18``,
    ``bce_with_logits([inf], [1]) == 0`` (terms with weight 0 count 0), and
    ``bce_with_logits([-inf], [1]) == inf``. No warnings.

    Args:
        logits: array_like of real numbers (+-inf allowed), any shape with at least one entry.
        target: array_like of the same shape, values in [0, 1] (soft labels allowed).

    Returns:
        NumPy scalar.

    Raises:
        ValueError: if the shapes differ, the batch is empty or ``target`` is outside [0, 1].
    """
    logits, target = _arrays(logits=logits, target=target)
    _check_probability(target, "target")
    per = _weighted(target, softplus(-logits)) + _weighted(1 - target, softplus(logits))
    return anp.mean(per)


def bce_with_logits_grad(logits, target):
    """Gradient of :func:`bce_with_logits` w.r.t. ``logits``: (sigma(z) - t) / N.

    Computed as sigma(z) - t for z <= 0 and as (1 - t) - sigma(-z) for z > 0, so the sigmoid
    that is formed is always at most 1/2 and exact in its tail: at z = 40, t = 1 the entry is
    -4.248e-18 / N, where sigma(40) - 1 is 0. (For a soft label t close to sigma(z) the
    difference cancels; its absolute error is then about one ulp of max(sigma(z), t).)

    Returns:
        Array of the shape of ``logits``.
    """
    logits, target = _arrays(logits=logits, target=target)
    _check_probability(target, "target")
    n = np.size(getval(logits))
    g = anp.where(logits > 0, (1 - target) - sigmoid(-logits), sigmoid(logits) - target)
    return _finish(g / n)


def hinge(scores, labels):
    """Hinge loss: mean(max(0, 1 - y * score)) with labels y in {-1, +1}.

    Args:
        scores: array_like of real scores, any shape with at least one entry.
        labels: array_like of the same shape with every entry -1 or +1.

    Returns:
        NumPy scalar.

    Raises:
        ValueError: if the shapes differ, the batch is empty or a label is not -1 or +1.
    """
    scores = _arrays(scores=scores)[0]
    y = _signed_labels(labels, scores)
    margin = 1 - y * scores
    return anp.mean(anp.where(margin <= 0, 0, margin))


def hinge_grad(scores, labels):
    """(Sub)gradient of :func:`hinge` w.r.t. ``scores``: -y * [y * score < 1] / N.

    Kink convention: where the margin y * score equals 1 exactly the entry is 0 (hinge is
    relu(1 - y * score) and relu'(0) = 0; any value between -y/N and 0 is a subgradient there).

    Returns:
        Array of the shape of ``scores``.
    """
    scores = _arrays(scores=scores)[0]
    y = _signed_labels(labels, scores)
    n = np.size(getval(scores))
    margin = 1 - y * scores
    return _finish(anp.where(margin > 0, -y, anp.where(margin <= 0, 0, margin)) / n)


def logistic_loss(scores, labels):
    """Logistic loss: mean(log(1 + exp(-y * score))) = mean(softplus(-y * score)), y in {-1, +1}.

    Stable and exact in both tails (see :func:`mlcalc.softplus`).

    Args:
        scores: array_like of real scores, any shape with at least one entry.
        labels: array_like of the same shape with every entry -1 or +1.

    Returns:
        NumPy scalar.

    Raises:
        ValueError: if the shapes differ, the batch is empty or a label is not -1 or +1.
    """
    scores = _arrays(scores=scores)[0]
    y = _signed_labels(labels, scores)
    return -anp.mean(log_sigmoid(y * scores))


def logistic_loss_grad(scores, labels):
    """Gradient of :func:`logistic_loss` w.r.t. ``scores``: -y * sigma(-y * score) / N.

    Returns:
        Array of the shape of ``scores``.
    """
    scores = _arrays(scores=scores)[0]
    y = _signed_labels(labels, scores)
    n = np.size(getval(scores))
    return _finish(-y * sigmoid(-y * scores) / n)


# ----------------------------------------------------------------------------------------------
# multiclass
# ----------------------------------------------------------------------------------------------
def softmax_cross_entropy(logits, labels):
    """Mean softmax cross-entropy: mean_i (logsumexp(z_i) - z_{i, y_i}) = -mean_i log s_{i, y_i}.

    Computed from the stable log-softmax (see :func:`mlcalc.log_softmax`): a logit gap of 1000
    gives a loss of exactly 1000 (not inf), and a confident right answer keeps its tiny loss
    (logits [0, -40] with label 0 give 4.248e-18, not 0). A row whose maximum logit is not
    finite gives NaN. No warnings.

    Args:
        logits: array_like of shape (N, K), N >= 1, K >= 1.
        labels: array_like of N integers in [0, K) (integer-valued floats are accepted).

    Returns:
        NumPy scalar.

    Raises:
        ValueError: if ``logits`` is not 2-D, ``labels`` is not (N,), N = 0, or a label is out
            of range or not an integer.
        TypeError: if ``labels`` is not numeric.
    """
    logits = _as_float(logits, "logits")
    onehot = _class_labels(labels, logits)
    d, _, r, finite, _, _ = _lse_parts(logits, 1)
    logp = anp.where(finite, d - anp.log1p(r), np.nan)
    return -anp.mean(anp.sum(anp.where(onehot, logp, 0), axis=1))


def softmax_cross_entropy_grad(logits, labels):
    """Gradient of :func:`softmax_cross_entropy` w.r.t. ``logits``: (softmax(Z) - Y) / N.

    Y is the one-hot matrix of the labels. The entry at the label, s_y - 1, is computed as
    -sum_{k != y} s_k (no cancellation), so it stays accurate when s_y is close to 1.

    Returns:
        Array of shape (N, K).
    """
    logits = _as_float(logits, "logits")
    onehot = _class_labels(labels, logits)
    n = np.shape(getval(logits))[0]
    _, e, r, finite, _, _ = _lse_parts(logits, 1)
    total = 1 + r
    s = e / total
    rest = anp.sum(anp.where(onehot, 0, e), axis=1, keepdims=True) / total
    g = anp.where(onehot, -rest, s)
    return anp.where(finite, g, np.nan) / n
