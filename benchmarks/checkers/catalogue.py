"""A catalogue of textbook derivatives with the mistakes learners actually make.

Every entry is a function ``make(n, dtype, rng)`` that returns a :class:`Case`: the point ``x``
(about ``n`` entries), the function ``f`` (numpy, computed in ``dtype``), its correct derivative
at ``x`` (gradient, Jacobian or Hessian, an array in ``dtype``) and a list of planted mistakes,
each a wrong derivative at ``x`` with its kind (``scale``, ``transpose``, ``term``, ``entry``,
``sym``, ``other``) and, for ``scale`` and ``transpose`` mistakes, the diagnosis an ideal checker
would give. Derivative formulas are evaluated in ``dtype`` as a learner's code would.

Jacobian and Hessian entries need dense ``n x n`` matrices and are only built for ``n <= 1000``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np


@dataclass
class Mistake:
    label: str               # what the learner did, in words
    kind: str                # scale | transpose | term | entry | sym | other
    claimed: np.ndarray      # the wrong derivative at x
    expected: str | None = None   # the exact diagnosis for scale / transpose mistakes


@dataclass
class Case:
    name: str
    kind: str                # gradient | jacobian | hessian
    x: np.ndarray
    f: Callable
    correct: np.ndarray
    mistakes: list[Mistake] = field(default_factory=list)
    grad: Callable | None = None   # Hessian entries: the (correct) gradient, for peers that
    #                                check a Hessian as the Jacobian of the gradient


CATALOGUE: list[tuple[str, str, Callable]] = []


def entry(name: str, kind: str):
    def deco(make):
        CATALOGUE.append((name, kind, make))
        return make
    return deco


# ------------------------------------------------------------------ helpers

def _rs(rng, shape, dt, scale=1.0):
    return (scale * rng.standard_normal(shape)).astype(dt)


def _one_entry(g: np.ndarray, rng) -> tuple[np.ndarray, tuple]:
    """One entry wrong by a typical magnitude (learner slips on one index)."""
    out = g.copy()
    j = int(rng.integers(out.size))
    mag = float(np.sqrt(np.mean(np.square(out.astype(np.float64))))) or 1.0
    out.flat[j] = out.flat[j] + np.asarray(mag, dtype=out.dtype)
    return out, np.unravel_index(j, out.shape)


def _entry_mistake(g, rng):
    bad, idx = _one_entry(g, rng)
    return Mistake("one entry wrong", "entry", bad, "entry:" + ",".join(str(int(i)) for i in idx))


def _unwritten(g):
    """The last entry never written (the gradient filled in a loop that stops one short)."""
    out = g.copy()
    out.flat[-1] = 0
    idx = np.unravel_index(out.size - 1, out.shape)
    return Mistake("last entry never written", "entry", out,
                   "entry:" + ",".join(str(int(i)) for i in idx))


def _scale(g, c, label, phrase):
    return Mistake(label, "scale", (g * np.asarray(c, dtype=g.dtype)).astype(g.dtype), phrase)


def _square(n: int) -> int:
    return max(2, int(round(np.sqrt(n))))


def _sigmoid(z):
    return 0.5 * (1 + np.tanh(0.5 * z))


def _tridiag(n, dt, rng, sym=False):
    d = (2.0 + rng.random(n)).astype(dt)
    lo = _rs(rng, n, dt, 0.5)
    up = _rs(rng, n, dt, 0.5)
    lo[0] = 0
    if sym:
        up[:-1] = lo[1:]
    up[-1] = 0

    def A(v):          # (A v)_i = d_i v_i + lo_i v_{i-1} + up_i v_{i+1}
        out = d * v
        out[1:] += lo[1:] * v[:-1]
        out[:-1] += up[:-1] * v[1:]
        return out

    def At(v):         # (Aᵀ v)_i = d_i v_i + lo_{i+1} v_{i+1} + up_{i-1} v_{i-1}
        out = d * v
        out[:-1] += lo[1:] * v[1:]
        out[1:] += up[:-1] * v[:-1]
        return out

    def dense():
        M = np.diag(d)
        M[np.arange(1, n), np.arange(n - 1)] = lo[1:]
        M[np.arange(n - 1), np.arange(1, n)] = up[:-1]
        return M.astype(dt)

    return A, At, dense


# ------------------------------------------------------------------ gradients of vectors

@entry("linear aᵀx", "gradient")
def _linear(n, dt, rng):
    a, x = _rs(rng, n, dt), _rs(rng, n, dt)
    g = a.copy()
    return Case("linear aᵀx", "gradient", x, lambda v: np.sum(a * v), g,
                [_scale(g, -1, "sign", "sign flipped"), _entry_mistake(g, rng),
                 Mistake("x instead of a", "other", x.copy())])


@entry("quadratic xᵀAx, A non-symmetric", "gradient")
def _quadratic(n, dt, rng):
    A, At, _ = _tridiag(n, dt, rng)
    x = _rs(rng, n, dt)
    g = A(x) + At(x)
    return Case("quadratic xᵀAx, A non-symmetric", "gradient", x, lambda v: np.sum(v * A(v)), g,
                [Mistake("Ax instead of (A + Aᵀ)x", "term", A(x)),
                 Mistake("2Ax (assumed A symmetric)", "other", 2 * A(x)),
                 _scale(g, -1, "sign", "sign flipped"), _entry_mistake(g, rng)])


@entry("squared norm ‖x‖²", "gradient")
def _sqnorm(n, dt, rng):
    x = _rs(rng, n, dt)
    g = 2 * x
    return Case("squared norm ‖x‖²", "gradient", x, lambda v: np.sum(v * v), g,
                [_scale(g, 0.5, "missing factor 2", "scaled by 1/2"), _entry_mistake(g, rng)])


@entry("norm ‖x‖₂", "gradient")
def _norm(n, dt, rng):
    x = _rs(rng, n, dt)
    g = x / np.sqrt(np.sum(x * x))
    return Case("norm ‖x‖₂", "gradient", x, lambda v: np.sqrt(np.sum(v * v)), g,
                [_scale(g, 2, "2x/‖x‖ (as for ‖x‖²)", "scaled by 2"),
                 Mistake("x (forgot the norm)", "other", x.copy()), _entry_mistake(g, rng)])


@entry("distance ‖x − a‖₂", "gradient")
def _dist(n, dt, rng):
    x, a = _rs(rng, n, dt), _rs(rng, n, dt)
    g = (x - a) / np.sqrt(np.sum((x - a) ** 2))
    return Case("distance ‖x − a‖₂", "gradient", x, lambda v: np.sqrt(np.sum((v - a) ** 2)), g,
                [_scale(g, -1, "(a − x)/‖x − a‖", "sign flipped"), _entry_mistake(g, rng)])


@entry("sum of cubes Σxᵢ³", "gradient")
def _cubes(n, dt, rng):
    x = _rs(rng, n, dt)
    g = 3 * x * x
    return Case("sum of cubes Σxᵢ³", "gradient", x, lambda v: np.sum(v ** 3), g,
                [_scale(g, 1 / 3, "x² (dropped the 3)", "scaled by 1/3"), _entry_mistake(g, rng)])


@entry("log-sum-exp", "gradient")
def _lse(n, dt, rng):
    x = _rs(rng, n, dt)

    def f(v):
        m = np.max(v)
        return m + np.log(np.sum(np.exp(v - m)))

    e = np.exp(x - np.max(x))
    g = e / np.sum(e)
    return Case("log-sum-exp", "gradient", x, f, g,
                [Mistake("exp(x) (forgot to normalise)", "other", np.exp(x)),
                 _entry_mistake(g, rng), _scale(g, -1, "sign", "sign flipped")])


@entry("entropy −Σ xᵢ log xᵢ", "gradient")
def _entropy(n, dt, rng):
    x = (0.5 + rng.random(n)).astype(dt)
    g = -(np.log(x) + 1)
    return Case("entropy −Σ xᵢ log xᵢ", "gradient", x, lambda v: -np.sum(v * np.log(v)), g,
                [Mistake("−log x (dropped the −1)", "term", -np.log(x)),
                 _scale(g, -1, "sign", "sign flipped"), _entry_mistake(g, rng)])


@entry("sum of sigmoids", "gradient")
def _sigsum(n, dt, rng):
    x = _rs(rng, n, dt, 2.0)
    s = _sigmoid(x)
    g = s * (1 - s)
    return Case("sum of sigmoids", "gradient", x, lambda v: np.sum(_sigmoid(v)), g,
                [Mistake("σ(x) (the function, not its slope)", "other", s),
                 _entry_mistake(g, rng)])


@entry("softplus sum", "gradient")
def _softplus(n, dt, rng):
    x = _rs(rng, n, dt, 2.0)
    g = _sigmoid(x)
    return Case("softplus sum", "gradient", x, lambda v: np.sum(np.logaddexp(0, v)), g,
                [Mistake("σ(−x)", "other", _sigmoid(-x)), _entry_mistake(g, rng)])


@entry("Rayleigh quotient xᵀAx / xᵀx", "gradient")
def _rayleigh(n, dt, rng):
    A, _, _ = _tridiag(n, dt, rng, sym=True)
    x = _rs(rng, n, dt)
    xx = np.sum(x * x)
    R = np.sum(x * A(x)) / xx
    g = 2 * (A(x) - R * x) / xx
    return Case("Rayleigh quotient xᵀAx / xᵀx", "gradient", x,
                lambda v: np.sum(v * A(v)) / np.sum(v * v), g,
                [Mistake("2Ax/xᵀx (quotient rule: dropped a term)", "term", 2 * A(x) / xx),
                 _scale(g, 0.5, "missing factor 2", "scaled by 1/2"), _entry_mistake(g, rng)])


@entry("exp(−xᵀAx)", "gradient")
def _expquad(n, dt, rng):
    A, At, _ = _tridiag(n, dt, rng)
    x = _rs(rng, n, dt, 1.0 / np.sqrt(3 * n))
    e = np.exp(-np.sum(x * A(x)))
    g = -e * (A(x) + At(x))
    return Case("exp(−xᵀAx)", "gradient", x, lambda v: np.exp(-np.sum(v * A(v))), g,
                [Mistake("A instead of A + Aᵀ", "term", -e * A(x)),
                 _scale(g, -1, "forgot the minus of the chain rule", "sign flipped"),
                 _entry_mistake(g, rng)])


@entry("Poisson log-likelihood in log-rates", "gradient")
def _poisson(n, dt, rng):
    th = _rs(rng, n, dt, 0.5)
    y = rng.poisson(2.0, n).astype(dt)
    g = y - np.exp(th)
    return Case("Poisson log-likelihood in log-rates", "gradient", th,
                lambda t: np.sum(y * t - np.exp(t)), g,
                [Mistake("y (dropped −e^θ)", "term", y.copy()),
                 _scale(g, -1, "sign", "sign flipped"), _entry_mistake(g, rng)])


@entry("Gaussian NLL in the variances", "gradient")
def _gauss_var(n, dt, rng):
    s = (0.5 + rng.random(n)).astype(dt)
    r2 = (_rs(rng, n, dt) ** 2).astype(dt)
    g = 0.5 / s - r2 / (2 * s * s)
    return Case("Gaussian NLL in the variances", "gradient", s,
                lambda v: np.sum(0.5 * np.log(v) + r2 / (2 * v)), g,
                [Mistake("dropped the log-det term 1/(2s)", "term", -r2 / (2 * s * s)),
                 Mistake("sign of the data term", "term", 0.5 / s + r2 / (2 * s * s)),
                 _entry_mistake(g, rng)])


# ------------------------------------------------------------------ models (weights)

def _data(n, dt, rng):
    N = int(min(2 * n, 40))
    X = _rs(rng, (N, n), dt, 1.0 / np.sqrt(n))
    return N, X


@entry("least squares ‖Xw − y‖²", "gradient")
def _lsq(n, dt, rng):
    N, X = _data(n, dt, rng)
    y, w = _rs(rng, N, dt), _rs(rng, n, dt)
    r = X @ w - y
    g = 2 * (X.T @ r)
    return Case("least squares ‖Xw − y‖²", "gradient", w, lambda v: np.sum((X @ v - y) ** 2), g,
                [_scale(g, 0.5, "missing factor 2", "scaled by 1/2"),
                 _scale(g, -1, "residual y − Xw", "sign flipped"), _entry_mistake(g, rng)])


@entry("mean squared error (1/N)‖Xw − y‖²", "gradient")
def _mse(n, dt, rng):
    N, X = _data(n, dt, rng)
    y, w = _rs(rng, N, dt), _rs(rng, n, dt)
    g = 2 * (X.T @ (X @ w - y)) / N
    return Case("mean squared error (1/N)‖Xw − y‖²", "gradient", w,
                lambda v: np.mean((X @ v - y) ** 2), g,
                [_scale(g, N, "forgot 1/N", f"scaled by {N}"),
                 _scale(g, 0.5, "missing factor 2", "scaled by 1/2"), _entry_mistake(g, rng)])


@entry("ridge (1/N)‖Xw − y‖² + λ‖w‖²", "gradient")
def _ridge(n, dt, rng):
    N, X = _data(n, dt, rng)
    y, w = _rs(rng, N, dt), _rs(rng, n, dt)
    lam = dt(0.3)
    data = 2 * (X.T @ (X @ w - y)) / N
    g = data + 2 * lam * w
    return Case("ridge (1/N)‖Xw − y‖² + λ‖w‖²", "gradient", w,
                lambda v: np.mean((X @ v - y) ** 2) + lam * np.sum(v * v), g,
                [Mistake("dropped the penalty term", "term", data),
                 Mistake("λw (missing 2 in the penalty)", "term", data + lam * w),
                 _scale(g, -1, "sign", "sign flipped"), _entry_mistake(g, rng)])


@entry("logistic regression loss", "gradient")
def _logreg(n, dt, rng):
    N, X = _data(n, dt, rng)
    y = (rng.random(N) < 0.5).astype(dt)
    w = _rs(rng, n, dt)

    def f(v):
        z = X @ v
        return np.mean(np.logaddexp(0, z) - y * z)

    g = X.T @ (_sigmoid(X @ w) - y) / N
    return Case("logistic regression loss", "gradient", w, f, g,
                [_scale(g, -1, "y − σ(Xw)", "sign flipped"),
                 _scale(g, N, "forgot 1/N", f"scaled by {N}"), _entry_mistake(g, rng)])


@entry("binary cross-entropy with logits", "gradient")
def _bce(n, dt, rng):
    z = _rs(rng, n, dt, 2.0)
    y = (rng.random(n) < 0.5).astype(dt)
    g = (_sigmoid(z) - y) / n
    return Case("binary cross-entropy with logits", "gradient", z,
                lambda v: np.mean(np.logaddexp(0, v) - y * v), g,
                [_scale(g, n, "forgot 1/n", f"scaled by {n}"),
                 _scale(g, -1, "sign", "sign flipped"), _entry_mistake(g, rng),
                 _unwritten(g)])


@entry("Gaussian NLL in the mean", "gradient")
def _gauss_mean(n, dt, rng):
    N = 8
    D = _rs(rng, (N, n), dt)
    mu = _rs(rng, n, dt)
    prec = (0.5 + rng.random(n)).astype(dt)          # diagonal precision
    g = -prec * np.sum(D - mu, axis=0)
    return Case("Gaussian NLL in the mean", "gradient", mu,
                lambda m: 0.5 * np.sum(prec * (D - m) ** 2), g,
                [_scale(g, -1, "Σ⁻¹Σ(xᵢ − μ) (sign)", "sign flipped"),
                 _scale(g, 1 / N, "divided by N (a mean, not a sum)", f"scaled by 1/{N}"),
                 _entry_mistake(g, rng)])


# ------------------------------------------------------------------ matrix arguments
# (square, except U in ‖X − UV‖²_F, k×r: the only non-square matrix argument)

@entry("softmax cross-entropy in W", "gradient")
def _softmax_ce(n, dt, rng):
    k = _square(n)
    N = 20
    X = _rs(rng, (N, k), dt, 1.0 / np.sqrt(k))
    lab = rng.integers(k, size=N)
    Y = np.eye(k, dtype=dt)[lab]
    W = _rs(rng, (k, k), dt)

    def f(V):
        Z = X @ V
        m = np.max(Z, axis=1, keepdims=True)
        lse = m[:, 0] + np.log(np.sum(np.exp(Z - m), axis=1))
        return np.mean(lse - np.sum(Y * Z, axis=1))

    Z = X @ W
    E = np.exp(Z - np.max(Z, axis=1, keepdims=True))
    S = E / np.sum(E, axis=1, keepdims=True)
    g = X.T @ (S - Y) / N
    return Case("softmax cross-entropy in W", "gradient", W, f, g,
                [Mistake("(S − Y)ᵀX (transposed)", "transpose", g.T.copy(),
                         "transpose of the correct derivative"),
                 _scale(g, N, "forgot 1/N", f"scaled by {N}"),
                 _scale(g, -1, "Y − S", "sign flipped"), _entry_mistake(g, rng)])


@entry("tr(A X B Xᵀ)", "gradient")
def _trAXBX(n, dt, rng):
    k = _square(n)
    A, B = _rs(rng, (k, k), dt, 1 / np.sqrt(k)), _rs(rng, (k, k), dt, 1 / np.sqrt(k))
    X = _rs(rng, (k, k), dt)
    g = A.T @ X @ B.T + A @ X @ B
    return Case("tr(A X B Xᵀ)", "gradient", X, lambda V: np.trace(A @ V @ B @ V.T), g,
                [Mistake("AXB only (dropped AᵀXBᵀ)", "term", A @ X @ B),
                 Mistake("2AXB (assumed symmetry)", "other", 2 * A @ X @ B),
                 Mistake("transposed", "transpose", g.T.copy(),
                         "transpose of the correct derivative"), _entry_mistake(g, rng)])


@entry("aᵀXb", "gradient")
def _aXb(n, dt, rng):
    k = _square(n)
    a, b, X = _rs(rng, k, dt), _rs(rng, k, dt), _rs(rng, (k, k), dt)
    g = np.outer(a, b)
    return Case("aᵀXb", "gradient", X, lambda V: a @ V @ b, g,
                [Mistake("baᵀ", "transpose", g.T.copy(), "transpose of the correct derivative"),
                 _entry_mistake(g, rng)])


@entry("tr(AX)", "gradient")
def _trAX(n, dt, rng):
    k = _square(n)
    A, X = _rs(rng, (k, k), dt), _rs(rng, (k, k), dt)
    g = A.T.copy()
    return Case("tr(AX)", "gradient", X, lambda V: np.sum(A * V.T), g,
                [Mistake("A (the denominator-layout habit)", "transpose", A.copy(),
                         "transpose of the correct derivative"),
                 Mistake("(A + Aᵀ)/2 (as if X were symmetric)", "sym", (A + A.T) / 2),
                 _entry_mistake(g, rng)])


@entry("‖AX − B‖²_F", "gradient")
def _frob(n, dt, rng):
    k = _square(n)
    A = _rs(rng, (k, k), dt, 1 / np.sqrt(k))
    B, X = _rs(rng, (k, k), dt), _rs(rng, (k, k), dt)
    g = 2 * A.T @ (A @ X - B)
    return Case("‖AX − B‖²_F", "gradient", X, lambda V: np.sum((A @ V - B) ** 2), g,
                [_scale(g, 0.5, "missing factor 2", "scaled by 1/2"),
                 Mistake("2(AX − B)ᵀA (transposed)", "transpose", g.T.copy(),
                         "transpose of the correct derivative"), _entry_mistake(g, rng)])


@entry("‖X − UV‖²_F in U", "gradient")
def _lowrank(n, dt, rng):
    k = _square(n)
    r = max(1, k // 3)
    X = _rs(rng, (k, k), dt)
    U, V = _rs(rng, (k, r), dt), _rs(rng, (r, k), dt, 1 / np.sqrt(k))
    g = -2 * (X - U @ V) @ V.T
    mistakes = [_scale(g, -1, "sign", "sign flipped"),
                _scale(g, 0.5, "missing factor 2", "scaled by 1/2"), _entry_mistake(g, rng)]
    if r >= 2:
        # the learner computes -2 V(X - UV)ᵀ (r×k, the transposed layout) and reshapes it to
        # U's k×r instead of transposing; for r = 1 the reshape is a transpose (no mistake)
        mistakes.append(Mistake("2V(UV − X)ᵀ computed as r×k and reshaped to k×r", "transpose",
                                g.T.reshape(U.shape).copy(),
                                f"computed in the transposed layout ({r}×{k}) and reshaped to "
                                f"{k}×{r}: transpose instead of reshape"))
    return Case("‖X − UV‖²_F in U", "gradient", U, lambda W: np.sum((X - W @ V) ** 2), g,
                mistakes)


@entry("log det X", "gradient")
def _logdet(n, dt, rng):
    k = _square(n)
    X = (np.eye(k) * 2 + rng.standard_normal((k, k)) / np.sqrt(k)).astype(dt)
    Xinv = np.linalg.inv(X)
    g = Xinv.T.copy()
    return Case("log det X", "gradient", X, lambda V: np.linalg.slogdet(V)[1], g,
                [Mistake("X⁻¹ (not transposed)", "transpose", Xinv.copy(),
                         "transpose of the correct derivative"),
                 _scale(g, -1, "sign", "sign flipped"), _entry_mistake(g, rng)])


@entry("aᵀX⁻¹b (inverse)", "gradient")
def _inverse(n, dt, rng):
    k = _square(n)
    X = (np.eye(k) * 2 + rng.standard_normal((k, k)) / np.sqrt(k)).astype(dt)
    a, b = _rs(rng, k, dt), _rs(rng, k, dt)
    Xi = np.linalg.inv(X)
    g = -np.outer(Xi.T @ a, Xi @ b)
    return Case("aᵀX⁻¹b (inverse)", "gradient", X, lambda V: a @ np.linalg.solve(V, b), g,
                [_scale(g, -1, "forgot the minus of dX⁻¹", "sign flipped"),
                 Mistake("transposed", "transpose", g.T.copy(),
                         "transpose of the correct derivative"), _entry_mistake(g, rng)])


@entry("MLP layer ½‖tanh(WX) − T‖² in W", "gradient")
def _mlp(n, dt, rng):
    k = _square(n)
    B = 6
    Xb = _rs(rng, (k, B), dt)
    T = _rs(rng, (k, B), dt, 0.5)
    W = _rs(rng, (k, k), dt, 1 / np.sqrt(k))

    def f(V):
        return 0.5 * np.sum((np.tanh(V @ Xb) - T) ** 2)

    H = np.tanh(W @ Xb)
    delta = (H - T) * (1 - H * H)
    g = delta @ Xb.T
    return Case("MLP layer ½‖tanh(WX) − T‖² in W", "gradient", W, f, g,
                [Mistake("forgot tanh′", "other", (H - T) @ Xb.T),
                 Mistake("transposed", "transpose", g.T.copy(),
                         "transpose of the correct derivative"),
                 _scale(g, -1, "sign", "sign flipped"), _entry_mistake(g, rng)])


@entry("MLP bias ½‖tanh(Wx + b) − t‖² in b", "gradient")
def _mlp_bias(n, dt, rng):
    W = _rs(rng, (n, 3), dt)
    xin = _rs(rng, 3, dt)
    t = _rs(rng, n, dt, 0.5)
    b = _rs(rng, n, dt)
    z = W @ xin
    h = np.tanh(z + b)
    g = (h - t) * (1 - h * h)
    return Case("MLP bias ½‖tanh(Wx + b) − t‖² in b", "gradient", b,
                lambda v: 0.5 * np.sum((np.tanh(z + v) - t) ** 2), g,
                [_scale(g, -1, "sign", "sign flipped"),
                 Mistake("h − t (forgot tanh′)", "other", h - t), _entry_mistake(g, rng)])


# ------------------------------------------------------------------ Jacobians

@entry("Jacobian of softmax", "jacobian")
def _softmax_jac(n, dt, rng):
    x = _rs(rng, n, dt)

    def f(v):
        e = np.exp(v - np.max(v))
        return e / np.sum(e)

    s = f(x)
    J = np.diag(s) - np.outer(s, s)
    return Case("Jacobian of softmax", "jacobian", x, f, J,
                [Mistake("diag(s) (dropped −ssᵀ)", "term", np.diag(s)),
                 _scale(J, -1, "ssᵀ − diag(s)", "sign flipped"), _entry_mistake(J, rng)])


@entry("Jacobian of a tanh layer tanh(Wx + b)", "jacobian")
def _tanh_jac(n, dt, rng):
    W = _rs(rng, (n, n), dt, 1 / np.sqrt(n))
    b, x = _rs(rng, n, dt), _rs(rng, n, dt)
    h = np.tanh(W @ x + b)
    J = (1 - h * h)[:, None] * W
    return Case("Jacobian of a tanh layer tanh(Wx + b)", "jacobian", x,
                lambda v: np.tanh(W @ v + b), J,
                [Mistake("Wᵀ diag(1 − h²) (transposed)", "transpose", J.T.copy(),
                         "transpose of the correct derivative"),
                 Mistake("W (forgot tanh′)", "other", W.copy()), _entry_mistake(J, rng)])


@entry("Jacobian of Ax", "jacobian")
def _lin_jac(n, dt, rng):
    A = _rs(rng, (n, n), dt, 1 / np.sqrt(n))
    x = _rs(rng, n, dt)
    return Case("Jacobian of Ax", "jacobian", x, lambda v: A @ v, A.copy(),
                [Mistake("Aᵀ (denominator layout)", "transpose", A.T.copy(),
                         "transpose of the correct derivative"), _entry_mistake(A, rng)])


@entry("Jacobian of −log x (elementwise)", "jacobian")
def _log_jac(n, dt, rng):
    x = (0.5 + rng.random(n)).astype(dt)
    J = np.diag(-1 / x)
    return Case("Jacobian of −log x (elementwise)", "jacobian", x, lambda v: -np.log(v), J,
                [_scale(J, -1, "sign", "sign flipped"),
                 Mistake("−1/x as a full row (not diagonal)", "other",
                         np.tile(-1 / x, (n, 1)).astype(dt)), _entry_mistake(J, rng)])


# ------------------------------------------------------------------ Hessians

@entry("Hessian of xᵀAx", "hessian")
def _quad_hess(n, dt, rng):
    A, At, dense = _tridiag(n, dt, rng)
    Ad = dense()
    x = _rs(rng, n, dt)
    H = Ad + Ad.T
    return Case("Hessian of xᵀAx", "hessian", x, lambda v: np.sum(v * A(v)), H,
                [Mistake("2A (assumed symmetric)", "other", 2 * Ad),
                 _scale(H, 0.5, "(A + Aᵀ)/2", "scaled by 1/2"), _entry_mistake(H, rng)],
                grad=lambda v: A(v) + At(v))


@entry("Hessian of least squares", "hessian")
def _lsq_hess(n, dt, rng):
    N, X = _data(n, dt, rng)
    y, w = _rs(rng, N, dt), _rs(rng, n, dt)
    H = 2 * X.T @ X + np.eye(n, dtype=dt) * dt(0.1)
    return Case("Hessian of least squares", "hessian", w,
                lambda v: np.sum((X @ v - y) ** 2) + dt(0.05) * np.sum(v * v), H,
                [_scale(H, 0.5, "missing factor 2", "scaled by 1/2"),
                 Mistake("dropped the ridge term", "term", 2 * X.T @ X),
                 _entry_mistake(H, rng)],
                grad=lambda v: 2 * X.T @ (X @ v - y) + dt(0.1) * v)


@entry("Hessian of the logistic loss", "hessian")
def _logreg_hess(n, dt, rng):
    N, X = _data(n, dt, rng)
    y = (rng.random(N) < 0.5).astype(dt)
    w = _rs(rng, n, dt)

    def f(v):
        z = X @ v
        return np.mean(np.logaddexp(0, z) - y * z) + dt(0.05) * np.sum(v * v)

    p = _sigmoid(X @ w)
    H = X.T @ ((p * (1 - p))[:, None] * X) / N + np.eye(n, dtype=dt) * dt(0.1)
    return Case("Hessian of the logistic loss", "hessian", w, f, H,
                [_scale(H, -1, "sign", "sign flipped"),
                 Mistake("forgot 1/N", "other", X.T @ ((p * (1 - p))[:, None] * X)
                         + np.eye(n, dtype=dt) * dt(0.1)),
                 _entry_mistake(H, rng)],
                grad=lambda v: X.T @ (_sigmoid(X @ v) - y) / N + dt(0.1) * v)


# ------------------------------------------------------------------ added for issue 15
# (last in the catalogue, so that every earlier entry keeps its index and hence its seeds)

@entry("Gaussian NLL in the standard deviations", "gradient")
def _gauss_sigma(n, dt, rng):
    # Σ N log sᵢ + Sᵢ/(2sᵢ²): N observations per coordinate with sums of squares Sᵢ. The
    # float32 misses of issue 15 ("power rule with ½", a missing log term) were on this loss
    S = (50 * _rs(rng, n, dt) ** 2).astype(dt)
    s = (0.5 + rng.random(n)).astype(dt)
    N = dt(20)
    g = N / s - S / (s * s * s)
    return Case("Gaussian NLL in the standard deviations", "gradient", s,
                lambda v: np.sum(N * np.log(v) + S / (2 * v * v)), g,
                [Mistake("power rule with ½: −S/(2s³)", "term", N / s - S / (2 * s * s * s)),
                 Mistake("missing the log term N/s", "term", -S / (s * s * s)),
                 _entry_mistake(g, rng), _unwritten(g)])


def build(name_kind_make, n: int, dtype, seed: int, scale: float) -> Case:
    """Build one case, with f and all derivatives multiplied by ``scale``."""
    name, kind, make = name_kind_make
    rng = np.random.default_rng(seed)
    case = make(n, np.dtype(dtype).type, rng)
    if scale != 1.0:
        c = np.asarray(scale, dtype=dtype)
        f0 = case.f
        case.f = lambda v, f0=f0, c=c: c * f0(v)
        if case.grad is not None:
            g0 = case.grad
            case.grad = lambda v, g0=g0, c=c: c * g0(v)
        case.correct = (case.correct * c).astype(dtype)
        for m in case.mistakes:
            m.claimed = (m.claimed * c).astype(dtype)
    case.x = np.asarray(case.x, dtype=dtype)
    case.correct = np.asarray(case.correct, dtype=dtype)
    for m in case.mistakes:
        m.claimed = np.asarray(m.claimed, dtype=dtype)
    return case
