"""Activation functions and their derivatives, numerically stable and accurate in the tails.

Every function is written with ``autograd.numpy``, so ``autograd.grad`` and
``autograd.elementwise_grad`` can differentiate it, and autograd's derivative agrees with the
hand-written ``*_grad`` function next to it (the tests check this, at the hard inputs too).

The contract, shared by every public function here:

* Inputs may be Python numbers, lists or arrays. Integer and boolean inputs are converted to
  float64; float32 stays float32 (and float64 stays float64). A 0-d input gives a NumPy scalar.
* Inputs are never modified, and outputs never share memory with them.
* NaN in, NaN out (elementwise; for ``softmax``-type functions a NaN makes its whole slice NaN).
* No overflow, invalid-operation or divide-by-zero warning for any input, including ``+-inf``.
  (Results that are smaller than the smallest float correctly underflow to 0 or a subnormal.)
* Empty inputs follow the empty sum, which is 0: elementwise functions of an empty array are
  empty; ``logsumexp`` over no entries is ``log 0 = -inf``; ``softmax`` and ``log_softmax`` over
  no entries are empty, and ``softmax_jacobian`` of a vector with no entries is 0 x 0 (as
  ``torch.logsumexp``, ``torch.softmax`` and ``scipy.special.logsumexp``; SciPy's ``softmax``
  raises on an empty vector instead).
* Far tails are kept: ``sigmoid(-40)`` is ``4.248e-18`` (not 0), ``sigmoid_grad(40)`` is
  ``4.248e-18``, ``log_sigmoid(-1000) == -1000``, ``softplus(-40)`` is ``4.248e-18``,
  ``tanh_grad(20)`` is ``1.7e-17``, ``logsumexp([0, -40])`` is ``4.248e-18`` and ``elu`` uses
  ``expm1`` near 0.

Kinks. ReLU, leaky ReLU and ELU (with ``alpha != 1``) have a kink at ``x = 0``. The derivative
functions return the derivative of the ``x <= 0`` piece there: ``relu_grad(0) == 0``,
``leaky_relu_grad(0, alpha) == alpha``, ``elu_grad(0, alpha) == alpha``. For ReLU and leaky ReLU
(``0 <= alpha <= 1``) this is the subgradient of smallest magnitude; it is also what PyTorch and
autograd (through the formulas below) use, so ``relu_grad`` agrees with autograd's derivative of
``relu`` everywhere, including 0.
"""

import autograd.numpy as anp
import numpy as np
from autograd.extend import defvjp, primitive
from autograd.tracer import Box, getval

__all__ = [
    "elu",
    "elu_grad",
    "leaky_relu",
    "leaky_relu_grad",
    "log_sigmoid",
    "log_softmax",
    "logsumexp",
    "relu",
    "relu_grad",
    "sigmoid",
    "sigmoid_grad",
    "softmax",
    "softmax_jacobian",
    "softplus",
    "softplus_grad",
    "tanh",
    "tanh_grad",
]


# ----------------------------------------------------------------------------------------------
# input handling (shared with mlcalc.losses)
# ----------------------------------------------------------------------------------------------
def _as_float(x, name):
    """Return ``x`` as a floating array (or the autograd Box it is), validating its dtype.

    Integer and boolean inputs become float64; float16/32/64 keep their dtype. Complex, string
    and object inputs raise TypeError naming the argument.
    """
    if isinstance(x, Box):
        kind = np.asarray(getval(x)).dtype.kind
        if kind != "f":
            raise TypeError(f"{name} must hold real floating-point numbers, got kind {kind!r}")
        return x
    try:
        arr = np.asarray(x)
    except ValueError as exc:  # ragged nested lists
        raise ValueError(f"{name} must be a rectangular array of numbers: {exc}") from None
    kind = arr.dtype.kind
    if kind == "f":
        return arr
    if kind in "iub":
        return arr.astype(np.float64)
    raise TypeError(f"{name} must hold real numbers, got dtype {arr.dtype} (shape {arr.shape})")


def _finish(out):
    """Turn a 0-d ndarray into a NumPy scalar (like NumPy's own ufuncs); leave the rest."""
    if isinstance(out, np.ndarray) and out.ndim == 0:
        return out[()]
    return out


def _scalar_param(value, name):
    """Validate a real scalar hyperparameter (``alpha``) and return it as a Python float.

    A Python float combines with float32 arrays without promoting them to float64. An autograd
    Box (differentiating with respect to the parameter) is passed through unchanged.
    """
    if isinstance(value, Box):
        if np.ndim(getval(value)) != 0:
            raise ValueError(f"{name} must be a scalar, got shape {np.shape(getval(value))}")
        return value
    if np.ndim(value) != 0:
        raise ValueError(f"{name} must be a scalar, got shape {np.shape(value)}")
    if isinstance(value, (bool, np.bool_)) or np.asarray(value).dtype.kind not in "iuf":
        raise TypeError(f"{name} must be a real number, got {value!r}")
    value = float(value)
    if not np.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value!r}")
    return value


def _check_axis(z, axis, name="z"):
    """Validate ``axis`` for a reduction over ``z`` and return it as a non-negative int."""
    shape = np.shape(getval(z))
    if len(shape) == 0:
        raise ValueError(f"{name} must have at least one dimension, got a scalar (shape ())")
    if isinstance(axis, (bool, np.bool_)) or not isinstance(axis, (int, np.integer)):
        raise TypeError(f"axis must be an int, got {axis!r}")
    ndim = len(shape)
    if not -ndim <= axis < ndim:
        raise ValueError(f"axis {axis} is out of range for {name} with shape {shape}")
    return int(axis) % ndim


def _is_empty_along(z, axis):
    """Whether ``z`` has no entries along ``axis``: the empty sum of exponentials is 0."""
    return np.shape(getval(z))[axis] == 0


@primitive
def _expm1(x):
    """``numpy.expm1`` with the derivative exp(x).

    autograd's own rule for expm1 computes the derivative as expm1(x) + 1, which cancels for
    x < 0 (it is exactly 0 at x = -40, where e^-40 = 4.2e-18). Used by ``elu`` and ``tanh`` so
    that autograd's derivative of them keeps the tail too.
    """
    return np.expm1(x)


defvjp(_expm1, lambda ans, x: lambda g: g * anp.exp(x))


def _neg_abs(x):
    """-|x|, written so that its derivative is -1 for x >= 0 and +1 for x < 0.

    (``-abs(x)`` would have derivative 0 at x = 0 under autograd, which breaks the derivative of
    the stable sigmoid at 0.) NaN stays NaN.
    """
    return anp.where(x >= 0, -x, x)


# ----------------------------------------------------------------------------------------------
# sigmoid family
# ----------------------------------------------------------------------------------------------
def sigmoid(x):
    """Logistic sigmoid, elementwise: sigma(x) = 1 / (1 + exp(-x)).

    Computed from e = exp(-|x|), which never overflows: sigma(x) = 1/(1+e) for x >= 0 and
    e/(1+e) for x < 0. So the left tail keeps full relative accuracy
    (``sigmoid(-40) = 4.248e-18``, ``sigmoid(-1000) = 0`` because e^-1000 underflows), and
    ``sigmoid(+-inf)`` is 1 and 0, with no warning.

    Args:
        x: array_like of real numbers, any shape.

    Returns:
        Array of the shape of ``x`` with values in [0, 1] (float32 for float32 input, else
        float64).

    Raises:
        TypeError: if ``x`` is not real-valued.
    """
    x = _as_float(x, "x")
    e = anp.exp(_neg_abs(x))
    return _finish(anp.where(x >= 0, 1 / (1 + e), e / (1 + e)))


def sigmoid_grad(x):
    """Derivative of the sigmoid, elementwise: sigma'(x) = sigma(x) * sigma(-x).

    Written as e / (1 + e)^2 with e = exp(-|x|), which is exact in both tails
    (``sigmoid_grad(40) = 4.248e-18``). The textbook form sigma(x) * (1 - sigma(x)) returns 0
    for x > 37 because 1 - sigma(x) rounds to 0.

    Args:
        x: array_like of real numbers, any shape.

    Returns:
        Array of the shape of ``x`` with values in [0, 1/4].
    """
    x = _as_float(x, "x")
    e = anp.exp(_neg_abs(x))
    return _finish(e / ((1 + e) * (1 + e)))


def log_sigmoid(x):
    """Log of the sigmoid, elementwise: log sigma(x) = -softplus(-x) = min(x, 0) - log1p(e^-|x|).

    Never forms sigma(x) itself, so it is exact where log(sigmoid(x)) fails:
    ``log_sigmoid(-1000) == -1000.0`` (log(sigmoid(-1000)) is -inf) and
    ``log_sigmoid(40) = -4.248e-18`` (log(sigmoid(40)) is 0). ``log_sigmoid(-inf) = -inf``,
    ``log_sigmoid(inf) = 0``. Its derivative is sigma(-x) = ``sigmoid(-x)``.

    Args:
        x: array_like of real numbers, any shape.

    Returns:
        Array of the shape of ``x`` with values in [-inf, 0].
    """
    x = _as_float(x, "x")
    return _finish(anp.where(x >= 0, 0, x) - anp.log1p(anp.exp(_neg_abs(x))))


def softplus(x):
    """Softplus, elementwise: softplus(x) = log(1 + e^x) = max(x, 0) + log1p(e^-|x|).

    A smooth version of ReLU. Stable for all inputs (``softplus(1000) == 1000``) and exact in
    the left tail (``softplus(-40) = 4.248e-18``, where log(1 + exp(-40)) gives 0).

    Args:
        x: array_like of real numbers, any shape.

    Returns:
        Array of the shape of ``x`` with values in [0, inf].
    """
    x = _as_float(x, "x")
    return _finish(anp.where(x >= 0, x, 0) + anp.log1p(anp.exp(_neg_abs(x))))


def softplus_grad(x):
    """Derivative of softplus, elementwise: softplus'(x) = sigma(x) (see :func:`sigmoid`).

    Args:
        x: array_like of real numbers, any shape.

    Returns:
        Array of the shape of ``x`` with values in [0, 1].
    """
    return sigmoid(x)


# ----------------------------------------------------------------------------------------------
# tanh
# ----------------------------------------------------------------------------------------------
def tanh(x):
    """Hyperbolic tangent, elementwise: tanh(x) = sign(x) (1 - e) / (1 + e), e = exp(-2|x|).

    1 - e is computed as -expm1(-2|x|), so small x keep full relative precision
    (``tanh(1e-10) = 1e-10``), and e never overflows. Written this way (rather than calling
    ``numpy.tanh``) so that autograd's derivative of it is the stable 4e / (1 + e)^2 of
    :func:`tanh_grad`; autograd's rule for ``numpy.tanh``, 1 / cosh(x)^2, overflows in cosh for
    |x| > 710. ``tanh(+-inf) = +-1``; the sign of zero is kept.

    Args:
        x: array_like of real numbers, any shape.

    Returns:
        Array of the shape of ``x`` with values in [-1, 1].
    """
    x = _as_float(x, "x")
    u = 2 * anp.maximum(_neg_abs(x), -400)  # -2|x|; tanh(400) is 1 to the last bit
    t = -_expm1(u) / (1 + anp.exp(u))
    return _finish(anp.where(x > 0, t, anp.where(x < 0, -t, x)))


def tanh_grad(x):
    """Derivative of tanh, elementwise: tanh'(x) = sech^2(x) = 1 - tanh(x)^2.

    Computed as 4e / (1 + e)^2 with e = exp(-2|x|) (that is 4 sigma(2x) sigma(-2x)), which keeps
    the tail: ``tanh_grad(20) = 1.7e-17``, where 1 - tanh(20)^2 is exactly 0. |x| is capped at
    400 before doubling (tanh'(400) = 4e^-800 already underflows to 0), so 2|x| never
    overflows.

    Args:
        x: array_like of real numbers, any shape.

    Returns:
        Array of the shape of ``x`` with values in [0, 1].
    """
    x = _as_float(x, "x")
    e = anp.exp(2 * anp.maximum(_neg_abs(x), -400))
    return _finish(4 * e / ((1 + e) * (1 + e)))


# ----------------------------------------------------------------------------------------------
# piecewise-linear and ELU
# ----------------------------------------------------------------------------------------------
def relu(x):
    """Rectified linear unit, elementwise: relu(x) = max(x, 0).

    ``relu(nan)`` is nan, ``relu(-inf)`` is 0.

    Args:
        x: array_like of real numbers, any shape.

    Returns:
        Array of the shape of ``x``.
    """
    x = _as_float(x, "x")
    return _finish(anp.where(x <= 0, 0, x))


def relu_grad(x):
    """Derivative of ReLU, elementwise: 1 for x > 0, 0 for x < 0.

    Kink convention: ``relu_grad(0) == 0``. Any g in [0, 1] is a subgradient at 0; we use 0, the
    one of smallest magnitude (also PyTorch's choice, and autograd's derivative of
    :func:`relu`). NaN stays NaN.

    Args:
        x: array_like of real numbers, any shape.

    Returns:
        Array of the shape of ``x`` with values in {0, 1} (or NaN).
    """
    x = _as_float(x, "x")
    return _finish(anp.where(x > 0, 1, anp.where(x <= 0, 0, x)))


def leaky_relu(x, alpha=0.01):
    """Leaky ReLU, elementwise: x for x > 0, alpha * x for x <= 0.

    Args:
        x: array_like of real numbers, any shape.
        alpha: real scalar, the slope for x <= 0 (default 0.01). ``alpha = 0`` gives ReLU.

    Returns:
        Array of the shape of ``x``.

    Raises:
        ValueError: if ``alpha`` is not a finite scalar.
    """
    x = _as_float(x, "x")
    alpha = _scalar_param(alpha, "alpha")
    if not isinstance(alpha, Box) and alpha == 0:
        return relu(x)  # avoids 0 * (-inf) = nan
    return _finish(anp.where(x > 0, x, alpha * x))


def leaky_relu_grad(x, alpha=0.01):
    """Derivative of leaky ReLU, elementwise: 1 for x > 0, alpha for x < 0.

    Kink convention: ``leaky_relu_grad(0, alpha) == alpha`` (the derivative of the x <= 0 piece;
    for 0 <= alpha <= 1 the subgradient of smallest magnitude, consistent with
    ``relu_grad(0) == 0``).

    Args:
        x: array_like of real numbers, any shape.
        alpha: real scalar, the slope for x <= 0 (default 0.01).

    Returns:
        Array of the shape of ``x`` with values in {alpha, 1} (or NaN).
    """
    x = _as_float(x, "x")
    alpha = _scalar_param(alpha, "alpha")
    return _finish(anp.where(x > 0, 1, anp.where(x <= 0, alpha, x)))


def elu(x, alpha=1.0):
    """Exponential linear unit, elementwise: x for x > 0, alpha * (e^x - 1) for x <= 0.

    Uses ``expm1`` so that ``elu(-1e-10)`` is -1e-10 to full precision (e^x - 1 would lose
    about 6 digits there). ``elu(-inf) = -alpha``.

    Args:
        x: array_like of real numbers, any shape.
        alpha: real scalar (default 1.0), the negative saturation value is -alpha.

    Returns:
        Array of the shape of ``x``.
    """
    x = _as_float(x, "x")
    alpha = _scalar_param(alpha, "alpha")
    neg = anp.where(x > 0, 0, x)  # keeps expm1 away from overflow for large positive x
    return _finish(anp.where(x > 0, x, alpha * _expm1(neg)))


def elu_grad(x, alpha=1.0):
    """Derivative of ELU, elementwise: 1 for x > 0, alpha * e^x for x <= 0.

    At x = 0 ELU is differentiable only when alpha = 1. Kink convention for other alpha: the
    derivative of the x <= 0 piece, ``elu_grad(0, alpha) == alpha`` (as in PyTorch).

    Args:
        x: array_like of real numbers, any shape.
        alpha: real scalar (default 1.0).

    Returns:
        Array of the shape of ``x``.
    """
    x = _as_float(x, "x")
    alpha = _scalar_param(alpha, "alpha")
    neg = anp.where(x > 0, 0, x)
    return _finish(anp.where(x > 0, 1, alpha * anp.exp(neg)))


# ----------------------------------------------------------------------------------------------
# softmax family
# ----------------------------------------------------------------------------------------------
def _lse_parts(z, axis):
    """Shared core of logsumexp, log_softmax, softmax and the cross-entropy loss.

    With m the maximum along ``axis`` (a constant for autograd) and d = z - m <= 0, the sum
    S = sum(exp(d)) is written as S = 1 + r, where r sums exp(d) over every entry except one
    maximal entry (whose exp(d) = 1 is replaced by expm1(d) = 0, so its derivative is kept).
    Then log S = log1p(r) keeps tiny r: logsumexp([0, -40]) = log1p(e^-40) = 4.248e-18.

    Returns:
        d: z - m, computed without overflow (z/2 - m/2 cannot overflow; a difference below
           -max(float) is -inf); for slices whose maximum is not finite, d = z.
        e: exp(d).
        r: the sum above, keepdims=True; 0 in slices whose maximum is not finite.
        finite: boolean constant, keepdims=True: the maximum of the slice is finite.
        m: the maximum (a NumPy constant), keepdims=True.
        shift: m where finite, else 0.
    """
    zv = getval(z)
    m = np.max(zv, axis=axis, keepdims=True)
    finite = np.isfinite(m)
    shift = np.where(finite, m, 0)
    lim = np.finfo(zv.dtype).max / 2
    half = z / 2 - shift / 2  # cannot overflow: both terms are at most max/2 in magnitude
    below = getval(half) < -lim  # the true difference is below -max(float): exp is 0
    d = anp.where(below, -np.inf, 2 * anp.maximum(half, -lim))
    e = anp.exp(d)
    k = zv.shape[axis]
    shape = [1] * zv.ndim
    shape[axis] = k
    top = np.arange(k).reshape(shape) == np.argmax(zv, axis=axis, keepdims=True)
    r = anp.sum(anp.where(top, anp.expm1(d), e), axis=axis, keepdims=True)
    r = anp.where(finite, r, 0)
    return d, e, r, finite, m, shift


def logsumexp(z, axis=-1):
    """log(sum(exp(z))) along ``axis``, without overflow and accurate when the result is tiny.

    Computed as m + log1p(r) with m = max(z) and r the sum of exp(z_k - m) over all entries but
    one maximal one. ``logsumexp([1000, 1000]) = 1000 + log 2``;
    ``logsumexp([0, -40]) = 4.248e-18`` (the usual m + log(sum) gives 0);
    ``-inf`` entries contribute nothing; all ``-inf`` gives ``-inf``; any ``+inf`` gives ``+inf``;
    NaN gives NaN; no entries along ``axis`` gives ``-inf``, the log of the empty sum 0 (as
    ``scipy.special.logsumexp`` and ``torch.logsumexp``). No warnings. Its gradient is
    ``softmax(z, axis)``.

    Args:
        z: array_like of real numbers with at least one dimension.
        axis: int, the axis to reduce (default -1).

    Returns:
        Array of the shape of ``z`` with ``axis`` removed (a NumPy scalar for a vector).

    Raises:
        ValueError: if ``z`` is a scalar or ``axis`` is out of range.
    """
    z = _as_float(z, "z")
    axis = _check_axis(z, axis)
    if _is_empty_along(z, axis):   # log of the empty sum, log 0 (as scipy and PyTorch)
        return _finish(anp.sum(z * 0.0, axis=axis) - np.inf)   # traced: its gradient is empty
    _, _, r, finite, m, shift = _lse_parts(z, axis)
    out = anp.where(finite, shift + anp.log1p(r), m)
    return _finish(anp.squeeze(out, axis=axis))


def log_softmax(z, axis=-1):
    """log(softmax(z)) along ``axis``: z - logsumexp(z), computed as d - log1p(r), d = z - max z.

    Exact for large logit gaps: ``log_softmax([0, 1000]) = [-1000, 0]`` and
    ``log_softmax([0, -40])[0] = -4.248e-18`` (not 0). A ``-inf`` entry gives ``-inf``. A slice
    whose maximum is not finite (all ``-inf``, any ``+inf``, any NaN) gives NaN: the value is
    undefined there. No warnings.

    Args:
        z: array_like of real numbers with at least one dimension. With no entries along
            ``axis`` the result is empty too (as scipy and PyTorch).
        axis: int, the axis along which to normalise (default -1).

    Returns:
        Array of the shape of ``z`` with values in [-inf, 0].

    Raises:
        ValueError: if ``z`` is a scalar or ``axis`` is out of range.
    """
    z = _as_float(z, "z")
    axis = _check_axis(z, axis)
    if _is_empty_along(z, axis):   # nothing to normalise: an empty result of z's shape
        return z * 1.0
    d, _, r, finite, _, _ = _lse_parts(z, axis)
    return _finish(anp.where(finite, d - anp.log1p(r), np.nan))


def softmax(z, axis=-1):
    """Softmax along ``axis``: s_i = exp(z_i) / sum_k exp(z_k).

    Shifted by the maximum, so ``softmax([1000, 1001])`` is ``[0.269, 0.731]``; ``-inf``
    entries get probability 0. A slice whose maximum is not finite (all ``-inf``, any
    ``+inf``, any NaN) gives NaN: the value is undefined there. No warnings.

    Args:
        z: array_like of real numbers with at least one dimension. With no entries along
            ``axis`` the result is empty too (as scipy and PyTorch).
        axis: int, the axis along which to normalise (default -1).

    Returns:
        Array of the shape of ``z``; each slice along ``axis`` is non-negative and sums to 1.

    Raises:
        ValueError: if ``z`` is a scalar or ``axis`` is out of range.
    """
    z = _as_float(z, "z")
    axis = _check_axis(z, axis)
    if _is_empty_along(z, axis):   # nothing to normalise: an empty result of z's shape
        return z * 1.0
    _, e, r, finite, _, _ = _lse_parts(z, axis)
    return _finish(anp.where(finite, e / (1 + r), np.nan))


def softmax_jacobian(z):
    """Jacobian of ``softmax(z)`` for a vector z in R^K: J = diag(s) - s s^T, K x K.

    Entry (i, j) is d s_i / d z_j = s_i (delta_ij - s_j) (numerator layout; J is symmetric).
    The diagonal s_i (1 - s_i) is computed as s_i * sum_{k != i} s_k, which keeps it accurate
    when s_i is close to 1 (``softmax_jacobian([0, -40])[0, 0] = 4.248e-18``, not 0).

    A batch of vectors is allowed: for ``z`` of shape (..., K) the result has shape
    (..., K, K), one Jacobian per vector along the last axis.

    Args:
        z: array_like of real numbers, shape (K,) or (..., K); K = 0 gives shape (0, 0).

    Returns:
        Array of shape (K, K) (or (..., K, K)).

    Raises:
        ValueError: if ``z`` is a scalar.
    """
    z = _as_float(z, "z")
    axis = _check_axis(z, -1)
    if _is_empty_along(z, axis):   # the Jacobian of a map from R^0 to R^0: 0 x 0
        return np.zeros(np.shape(getval(z)) + (0,), dtype=getval(z).dtype)
    _, e, r, finite, _, _ = _lse_parts(z, axis)
    total = 1 + r
    s = anp.where(finite, e / total, np.nan)
    k = np.shape(getval(z))[-1]
    eye = np.eye(k, dtype=bool)
    # 1 - s_i as the sum of the other entries (no cancellation)
    rows = e[..., None, :] * np.ones((k, 1), dtype=bool)  # (..., K, K), row i is e
    rest = anp.sum(anp.where(eye, 0, rows), axis=-1) / total
    diag = (s * rest)[..., :, None]
    outer = s[..., :, None] * s[..., None, :]
    return eye * diag - (~eye) * outer
