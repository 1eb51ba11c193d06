"""Side-by-side numerics: mlcalc vs scipy.special / NumPy vs CPU PyTorch vs an mpmath reference.

Runs the hard inputs of the activations and losses contract (far tails, +-1000, +-inf, logit
gaps, log-variance +-1000, kinks, shape mismatches) through each library, compares every result
with a 60-digit mpmath value computed from the same float64 inputs, records any warning a library
emitted, and writes RESULTS.md next to this file.

Reproduce (PyTorch must never go into the book's .venv):

    python3 -m venv /work/benchvenv_num
    /work/benchvenv_num/bin/pip install torch==2.13.0 numpy scipy mpmath
    /work/benchvenv_num/bin/pip install -e .
    /work/benchvenv_num/bin/python benchmarks/numerics/compare.py

Without torch installed the torch column reads "not installed"; everything else still runs.
"""

from __future__ import annotations

import platform
import sys
import warnings
from pathlib import Path

import mpmath as mp
import numpy as np
import scipy
import scipy.special as sp
import scipy.stats

import mlcalc

try:
    import torch
    import torch.nn.functional as F
except ImportError:  # pragma: no cover - the torch column is optional
    torch = None

mp.mp.dps = 60
INF = np.inf
OUT = Path(__file__).with_name("RESULTS.md")
ULPS = 4  # agreement threshold, in units in the last place of the reference


# ----------------------------------------------------------------------------------------------
# mpmath references (exact arithmetic on the float64 inputs, rounded once at the end)
# ----------------------------------------------------------------------------------------------
def M(x):
    return mp.mpf(float(x))


def r_sigmoid(x):
    return mp.mpf(x > 0) if np.isinf(x) else 1 / (1 + mp.exp(-M(x)))


def r_sigmoid_grad(x):
    e = mp.exp(-abs(M(x)))
    return e / (1 + e) ** 2


def r_softplus(x):
    if np.isinf(x):
        return mp.inf if x > 0 else mp.mpf(0)
    return mp.log1p(mp.exp(M(x)))


def r_lse_minus_max(z):
    zs = sorted((M(v) for v in z if v != -INF), reverse=True)
    return mp.log1p(mp.fsum(mp.exp(v - zs[0]) for v in zs[1:]))


def r_logsumexp(z):
    if all(v == -INF for v in z):
        return -mp.inf
    if any(v == INF for v in z):
        return mp.inf
    return max(M(v) for v in z) + r_lse_minus_max(z)


def r_softmax(z, i):
    m = max(M(v) for v in z)
    return mp.exp(M(z[i]) - m) / mp.fsum(mp.exp(M(v) - m) for v in z if v != -INF)


def r_log_softmax(z, i):
    return (M(z[i]) - max(M(v) for v in z)) - r_lse_minus_max(z)


def r_xlog(w, v):
    return mp.mpf(0) if w == 0 else M(w) * v


def r_bce_logits(z, t):
    return r_xlog(t, r_softplus(-z)) + r_xlog(1 - t, r_softplus(z))


def r_bce(p, t):
    if p == 0 and t > 0:
        return mp.inf
    log_p = mp.log(M(p)) if p else mp.mpf(0)  # only used with weight t = 0 when p = 0
    return -(r_xlog(t, log_p) + r_xlog(1 - t, mp.log1p(-M(p))))


def r_gnll(mu, v, t):
    d = M(t) - M(mu)
    return (mp.log(2 * mp.pi) + M(v) + d**2 * mp.exp(-M(v))) / 2


# ----------------------------------------------------------------------------------------------
# torch helpers (float64 CPU tensors; gradients through torch.autograd)
# ----------------------------------------------------------------------------------------------
def T(v, dtype=None):
    return torch.tensor(v, dtype=dtype or torch.float64)


def T32(v):
    return torch.tensor(v, dtype=torch.float32)


def tgrad(fn, v, index=0, dtype=None):
    """d fn / d v[index] by torch.autograd, where fn maps a float64 tensor to a scalar."""
    x = T(v, dtype).requires_grad_()
    fn(x).backward()
    return x.grad.reshape(-1)[index].item()


def first(x):
    return float(np.asarray(x).reshape(-1)[0])


# ----------------------------------------------------------------------------------------------
# the cases: (id, what, reference, mlcalc, (how, scipy/numpy), (how, torch), why)
# ----------------------------------------------------------------------------------------------
def cases():
    c = []

    def add(cid, what, ref, ml, sci, tor, why="", dtype=np.float64):
        c.append(dict(id=cid, what=what, ref=ref, ml=ml, sci=sci, tor=tor, why=why, dtype=dtype))

    for x in [-1000.0, -745.0, -40.0, 40.0, 1000.0]:
        add(
            f"sigmoid({x:g})",
            "activation",
            lambda x=x: r_sigmoid(x),
            lambda x=x: mlcalc.sigmoid(x),
            ("expit", lambda x=x: sp.expit(x)),
            ("torch.sigmoid", lambda x=x: torch.sigmoid(T(x)).item()),
        )
    for x in [-1000.0, -40.0, 40.0]:
        add(
            f"log_sigmoid({x:g})",
            "activation",
            lambda x=x: -r_softplus(-x),
            lambda x=x: mlcalc.log_sigmoid(x),
            ("log_expit", lambda x=x: sp.log_expit(x)),
            ("F.logsigmoid", lambda x=x: F.logsigmoid(T(x)).item()),
        )
    for x in [-40.0, 1000.0]:
        add(
            f"softplus({x:g})",
            "activation",
            lambda x=x: r_softplus(x),
            lambda x=x: mlcalc.softplus(x),
            ("np.logaddexp(0, x)", lambda x=x: np.logaddexp(0.0, x)),
            ("F.softplus", lambda x=x: F.softplus(T(x)).item()),
        )
    add(
        "elu(-1e-10)",
        "activation",
        lambda: mp.expm1(M(-1e-10)),
        lambda: mlcalc.elu(-1e-10),
        ("np.exp(x) - 1 (no scipy elu)", lambda: np.exp(-1e-10) - 1),
        ("F.elu", lambda: F.elu(T(-1e-10)).item()),
    )
    for x in [38.0, 40.0]:
        add(
            f"sigmoid'({x:g})",
            "derivative",
            lambda x=x: r_sigmoid_grad(x),
            lambda x=x: mlcalc.sigmoid_grad(x),
            ("expit(x)*(1-expit(x))", lambda x=x: sp.expit(x) * (1 - sp.expit(x))),
            ("autograd of torch.sigmoid", lambda x=x: tgrad(torch.sigmoid, [x])),
        )
    add(
        "tanh'(20)",
        "derivative",
        lambda: mp.sech(20) ** 2,
        lambda: mlcalc.tanh_grad(20.0),
        ("1 - np.tanh(x)**2", lambda: 1 - np.tanh(20.0) ** 2),
        ("autograd of torch.tanh", lambda: tgrad(torch.tanh, [20.0])),
    )
    add(
        "elu'(-40)",
        "derivative",
        lambda: mp.exp(-40),
        lambda: mlcalc.elu_grad(-40.0),
        ("np.exp(x) (no scipy elu)", lambda: np.exp(-40.0)),
        ("autograd of F.elu", lambda: tgrad(F.elu, [-40.0])),
    )
    add(
        "relu'(0)",
        "kink",
        lambda: mp.mpf(0),
        lambda: mlcalc.relu_grad(0.0),
        ("np.heaviside(x, 0)", lambda: np.heaviside(0.0, 0.0)),
        ("autograd of F.relu", lambda: tgrad(F.relu, [0.0])),
        "convention, not a tail: both are valid subgradients; 0 is the book's choice",
    )

    lse = [
        [1000.0, 1001.0],
        [0.0, -40.0],
        [0.0, -20.0],
        [-INF, -INF],
        [INF, 0.0],
        [-INF, 0.0],
    ]
    for z in lse:
        add(
            f"logsumexp({z})",
            "softmax",
            lambda z=z: r_logsumexp(z),
            lambda z=z: mlcalc.logsumexp(z),
            ("logsumexp", lambda z=z: sp.logsumexp(z)),
            ("torch.logsumexp", lambda z=z: torch.logsumexp(T(z), 0).item()),
        )
    add(
        "softmax([1000, 1001])[0]",
        "softmax",
        lambda: r_softmax([1000.0, 1001.0], 0),
        lambda: mlcalc.softmax([1000.0, 1001.0])[0],
        ("softmax", lambda: sp.softmax([1000.0, 1001.0])[0]),
        ("torch.softmax", lambda: torch.softmax(T([1000.0, 1001.0]), 0)[0].item()),
    )
    add(
        "softmax([0, -40])[1]",
        "softmax",
        lambda: r_softmax([0.0, -40.0], 1),
        lambda: mlcalc.softmax([0.0, -40.0])[1],
        ("softmax", lambda: sp.softmax([0.0, -40.0])[1]),
        ("torch.softmax", lambda: torch.softmax(T([0.0, -40.0]), 0)[1].item()),
    )
    add(
        "log_softmax([0, -40])[0]",
        "softmax",
        lambda: r_log_softmax([0.0, -40.0], 0),
        lambda: mlcalc.log_softmax([0.0, -40.0])[0],
        ("log_softmax", lambda: sp.log_softmax([0.0, -40.0])[0]),
        ("torch.log_softmax", lambda: torch.log_softmax(T([0.0, -40.0]), 0)[0].item()),
    )
    add(
        "log_softmax([0, 1000])[0]",
        "softmax",
        lambda: r_log_softmax([0.0, 1000.0], 0),
        lambda: mlcalc.log_softmax([0.0, 1000.0])[0],
        ("log_softmax", lambda: sp.log_softmax([0.0, 1000.0])[0]),
        ("torch.log_softmax", lambda: torch.log_softmax(T([0.0, 1000.0]), 0)[0].item()),
    )
    add(
        "softmax_jacobian([0, -40])[0, 0]",
        "softmax",
        lambda: r_softmax([0.0, -40.0], 0) * r_softmax([0.0, -40.0], 1),
        lambda: mlcalc.softmax_jacobian([0.0, -40.0])[0, 0],
        ("s*(1-s), s = softmax", lambda: (lambda s: s[0] * (1 - s[0]))(sp.softmax([0.0, -40.0]))),
        (
            "torch.autograd.functional.jacobian",
            lambda: torch.autograd.functional.jacobian(
                lambda v: torch.softmax(v, 0), T([0.0, -40.0])
            )[0, 0].item(),
        ),
    )

    # losses
    for z, t in [(1000.0, 0.0), (-40.0, 0.0), (-INF, 0.0), (INF, 1.0)]:
        add(
            f"bce_with_logits(z={z:g}, t={t:g})",
            "loss",
            lambda z=z, t=t: r_bce_logits(z, t),
            lambda z=z, t=t: mlcalc.bce_with_logits([z], [t]),
            (
                "-(t log_expit(z) + (1-t) log_expit(-z))",
                lambda z=z, t=t: -(t * sp.log_expit(z) + (1 - t) * sp.log_expit(-z)),
            ),
            (
                "F.binary_cross_entropy_with_logits",
                lambda z=z, t=t: F.binary_cross_entropy_with_logits(T([z]), T([t])).item(),
            ),
        )
    add(
        "d/dz bce_with_logits(z=40, t=1)",
        "loss gradient",
        lambda: -(1 - r_sigmoid(40.0)),
        lambda: first(mlcalc.bce_with_logits_grad([40.0], [1.0])),
        ("expit(z) - t", lambda: sp.expit(40.0) - 1.0),
        (
            "autograd of F.binary_cross_entropy_with_logits",
            lambda: tgrad(lambda x: F.binary_cross_entropy_with_logits(x, T([1.0])), [40.0]),
        ),
    )
    for p, t in [(0.0, 1.0), (1e-50, 1.0), (0.0, 0.0)]:
        add(
            f"bce(p={p:g}, t={t:g})",
            "loss",
            lambda p=p, t=t: r_bce(p, t),
            lambda p=p, t=t: mlcalc.bce([p], [t]),
            (
                "-(xlogy(t, p) + xlog1py(1-t, -p))",
                lambda p=p, t=t: -(sp.xlogy(t, p) + sp.xlog1py(1 - t, -p)),
            ),
            (
                "F.binary_cross_entropy",
                lambda p=p, t=t: F.binary_cross_entropy(T([p]), T([t])).item(),
            ),
        )
    for row, label in [([0.0, 1000.0], 0), ([0.0, -40.0], 0)]:
        add(
            f"softmax_cross_entropy({row}, y={label})",
            "loss",
            lambda row=row, label=label: -r_log_softmax(row, label),
            lambda row=row, label=label: mlcalc.softmax_cross_entropy([row], [label]),
            ("-log_softmax(z)[y]", lambda row=row, label=label: -sp.log_softmax(row)[label]),
            (
                "F.cross_entropy",
                lambda row=row, label=label: F.cross_entropy(
                    T([row]), torch.tensor([label])
                ).item(),
            ),
        )
    add(
        "d/dz_y softmax_cross_entropy([0, -40], y=0)",
        "loss gradient",
        lambda: -r_softmax([0.0, -40.0], 1),
        lambda: mlcalc.softmax_cross_entropy_grad([[0.0, -40.0]], [0])[0, 0],
        ("softmax(z)[y] - 1", lambda: sp.softmax([0.0, -40.0])[0] - 1),
        (
            "autograd of F.cross_entropy",
            lambda: tgrad(lambda x: F.cross_entropy(x, torch.tensor([0])), [[0.0, -40.0]]),
        ),
    )
    add(
        "logistic_loss(s=40, y=+1)",
        "loss",
        lambda: r_softplus(-40.0),
        lambda: mlcalc.logistic_loss([40.0], [1]),
        ("-log_expit(y s)", lambda: -sp.log_expit(40.0)),
        ("F.softplus(-y s)", lambda: F.softplus(T([-40.0])).item()),
    )
    for mu, v, t in [(0.0, -1000.0, 1e-300), (0.0, 1000.0, 1.0), (1.0, 0.0, 2.0)]:
        add(
            f"gaussian_nll(mu={mu:g}, log_var={v:g}, t={t:g})",
            "loss",
            lambda mu=mu, v=v, t=t: r_gnll(mu, v, t),
            lambda mu=mu, v=v, t=t: mlcalc.gaussian_nll([mu], [v], [t]),
            (
                "-norm.logpdf(t, mu, exp(v/2)) (scipy.stats)",
                lambda mu=mu, v=v, t=t: -float(scipy.stats.norm.logpdf(t, mu, np.exp(v / 2))),
            ),
            (
                "F.gaussian_nll_loss(full=True)",
                lambda mu=mu, v=v, t=t: F.gaussian_nll_loss(
                    T([mu]), T([t]), torch.exp(T([v])), full=True
                ).item(),
            ),
        )
    add(
        "d/ds hinge at margin y*s = 1",
        "kink",
        lambda: mp.mpf(0),
        lambda: first(mlcalc.hinge_grad([1.0], [1])),
        ("-y * (1 - y s > 0)", lambda: -1.0 * float(1 - 1.0 * 1.0 > 0)),
        (
            "autograd of clamp(1 - y s, min=0)",
            lambda: tgrad(lambda x: torch.clamp(1 - x, min=0).mean(), [1.0]),
        ),
        "convention, not a tail: any value in [-1, 0] is a subgradient; the book uses 0",
    )

    # float32, PyTorch's default dtype: the same losses of tail happen 20 units earlier
    f32 = np.float32
    add(
        "sigmoid'(20) [float32]",
        "derivative",
        lambda: r_sigmoid_grad(20.0),
        lambda: mlcalc.sigmoid_grad(f32(20)),
        ("expit(x)*(1-expit(x))", lambda: sp.expit(f32(20)) * (1 - sp.expit(f32(20)))),
        ("autograd of torch.sigmoid", lambda: tgrad(torch.sigmoid, [20.0], dtype=torch.float32)),
        dtype=np.float32,
    )
    add(
        "tanh'(10) [float32]",
        "derivative",
        lambda: mp.sech(10) ** 2,
        lambda: mlcalc.tanh_grad(f32(10)),
        ("1 - np.tanh(x)**2", lambda: 1 - np.tanh(f32(10)) ** 2),
        ("autograd of torch.tanh", lambda: tgrad(torch.tanh, [10.0], dtype=torch.float32)),
        dtype=np.float32,
    )
    add(
        "logsumexp([0, -20]) [float32]",
        "softmax",
        lambda: r_logsumexp([0.0, -20.0]),
        lambda: mlcalc.logsumexp(np.float32([0, -20])),
        ("logsumexp", lambda: sp.logsumexp(np.float32([0, -20]))),
        ("torch.logsumexp", lambda: torch.logsumexp(T32([0.0, -20.0]), 0).item()),
        dtype=np.float32,
    )
    add(
        "bce_with_logits(z=-20, t=0) [float32]",
        "loss",
        lambda: r_bce_logits(-20.0, 0.0),
        lambda: mlcalc.bce_with_logits(np.float32([-20]), np.float32([0])),
        ("-log_expit(-z)", lambda: -sp.log_expit(f32(20))),
        (
            "F.binary_cross_entropy_with_logits",
            lambda: F.binary_cross_entropy_with_logits(T32([-20.0]), T32([0.0])).item(),
        ),
        dtype=np.float32,
    )
    add(
        "softmax_cross_entropy([0, -20], y=0) [float32]",
        "loss",
        lambda: -r_log_softmax([0.0, -20.0], 0),
        lambda: mlcalc.softmax_cross_entropy(np.float32([[0, -20]]), [0]),
        ("-log_softmax(z)[y]", lambda: -sp.log_softmax(np.float32([0, -20]))[0]),
        ("F.cross_entropy", lambda: F.cross_entropy(T32([[0.0, -20.0]]), torch.tensor([0])).item()),
        dtype=np.float32,
    )
    # Empty inputs: the sum of no exponentials is 0, so logsumexp of nothing is log 0 = -inf and
    # softmax / log_softmax of nothing are empty (size 0).
    add(
        "logsumexp([])",
        "empty",
        lambda: float("-inf"),
        lambda: mlcalc.logsumexp(np.zeros(0)),
        ("logsumexp", lambda: sp.logsumexp(np.zeros(0))),
        ("torch.logsumexp", lambda: torch.logsumexp(T([]), 0).item()),
    )
    for name in ("softmax", "log_softmax"):
        add(
            f"{name}([]).size",
            "empty",
            lambda: 0.0,
            lambda name=name: getattr(mlcalc, name)(np.zeros(0)).size,
            (name, lambda name=name: getattr(sp, name)(np.zeros(0)).size),
            (f"torch.{name}", lambda name=name: getattr(torch, name)(T([]), 0).numel()),
        )
    add(
        "mse([], []) (empty batch)",
        "empty",
        lambda: float("nan"),
        lambda: mlcalc.mse(np.zeros(0), np.zeros(0)),
        ("np.mean((p - t)**2)", lambda: np.mean((np.zeros(0) - np.zeros(0)) ** 2)),
        ("F.mse_loss", lambda: F.mse_loss(T([]), T([])).item()),
    )
    return c


def broadcast_rows():
    """mse with pred (3,) and target (3, 1): a shape bug every library sees differently."""
    pred, target = np.array([1.0, 2.0, 3.0]), np.array([[1.0], [2.0], [3.0]])
    rows = []
    try:
        mlcalc.mse(pred, target)
        rows.append(("mlcalc.mse", "returned a number"))
    except ValueError as exc:
        rows.append(("mlcalc.mse", f"ValueError: {exc}"))
    rows.append(
        (
            "np.mean((pred - target)**2)",
            f"{np.mean((pred - target) ** 2):.6g} (3 x 3 broadcast, silently)",
        )
    )
    if torch is not None:
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            val = F.mse_loss(T(pred), T(target)).item()
        note = f" with a UserWarning ({w[0].message})" if w else " silently"
        rows.append(("F.mse_loss", f"{val:.6g} (3 x 3 broadcast){note}"))
    return rows


WHY = """
## Where each disagrees, and why

**Headline.** mlcalc agrees with mpmath in every row but one, the empty batch, where it raises
on purpose (see below). SciPy's own functions (`expit`,
`log_expit`, `logsumexp`, `softmax`, `xlogy`/`xlog1py`, `scipy.stats.norm.logpdf`) are right in
every row except `log_softmax`, which loses the tail; the other SciPy-column disagreements come
from formulas a user composes from them: the textbook derivatives (SciPy has no derivative
functions), exp(x) - 1, and t log_expit(z) meeting 0 * inf at infinite logits. PyTorch loses
the tail in the sigmoid and tanh derivatives (its backward formulas are the textbook ones), in
`logsumexp`, `log_softmax`, `cross_entropy` and `binary_cross_entropy_with_logits`, returns NaN for
`binary_cross_entropy_with_logits` at infinite logits, and changes the loss itself in
`binary_cross_entropy` (log clamped at -100) and `gaussian_nll_loss` (variance clamped at 1e-6,
and the variance, not its log, is the input). In float32, PyTorch's default dtype, the same
tails are lost already at |z| = 10 to 20.

**Derivatives of sigmoid and tanh** (`sigmoid'(38)`, `sigmoid'(40)`, `tanh'(20)` and their float32
rows). The textbook forms sigma(x)(1 - sigma(x)) and 1 - tanh(x)^2 subtract from 1 a number that
has already rounded to 1: sigma(38) and tanh(20) are 1 in float64 (tanh(10) and sigma(20) in
float32), so the result is exactly 0 while the true value is 3e-17, 2e-17, 8e-9. PyTorch's
backward passes use these forms (sigmoid_backward = g (1 - y) y, tanh_backward = g (1 - y^2),
computed from the saved output y). mlcalc uses e / (1 + e)^2 with e = exp(-|x|), and
4e / (1 + e)^2 with e = exp(-2|x|): no subtraction, full relative accuracy in both tails.

**Empty vectors** (`logsumexp([])`, `softmax([]).size`, `log_softmax([]).size`). The sum of no
exponentials is 0, so logsumexp of nothing is log 0 = -inf and softmax and log_softmax of nothing
are empty. mlcalc and PyTorch return exactly that, and so does SciPy's `logsumexp`; SciPy's
`softmax` and `log_softmax` raise a ValueError (they take the maximum of an empty array). mlcalc
follows the empty sum, the mathematically right answer.

**The mean loss of an empty batch** (`mse([], [])`). A mean over no samples is 0/0: NumPy and
PyTorch return NaN (NumPy with a RuntimeWarning). mlcalc raises a ValueError that names the empty
argument instead, on purpose: an empty batch is a bug in the caller's data pipeline, and a NaN
loss would surface far from it, steps later. This row counts as a disagreement for mlcalc.

**logsumexp with a dominant entry** (`logsumexp([0, -40])`, `logsumexp([0, -20])`, float32 row).
PyTorch computes m + log(sum(exp(z - m))): the sum is 1 + 4e-18, which rounds to 1, and log 1 = 0
(at -20 in float64 it keeps only 8 of 16 digits: 1 + 2e-9 is rounded before the log). SciPy 1.17
and mlcalc take the maximal term out of the sum and use log1p of the rest, which is exact.

**log_softmax, cross-entropy and their gradients** (`log_softmax([0, -40])[0]`, the two
`softmax_cross_entropy` rows, the float32 row). Both SciPy's `log_softmax` and PyTorch compute
z - m - log(sum(exp(z - m))), the same log(1 + tiny) = 0 as above, so a confident correct
prediction gets loss 0 instead of 4.2e-18. The gradient entry at the label, s_y - 1, is 0 in
PyTorch for the same reason (s_y rounds to 1); mlcalc computes it as -(sum of the other
probabilities). The softmax Jacobian diagonal s(1 - s) fails the same way.

**binary_cross_entropy_with_logits** (`z=-40, t=0`; `z=+-inf`; the gradient at `z=40, t=1`).
PyTorch evaluates (1 - t) z - log_sigmoid(z): at z = -40 that is -40 + 40.0000000000000000042,
which cancels to 0; at z = inf with t = 1 it forms 0 * inf = NaN, and at z = -inf with t = 0,
-inf + inf = NaN. Its gradient sigma(z) - t is 0 at z = 40, t = 1. The SciPy column composes
t log_expit(z) + (1 - t) log_expit(-z), which is exact for finite z but also meets 0 * inf at
infinite z (with a RuntimeWarning). mlcalc adds t softplus(-z) and (1 - t) softplus(z), two
non-negative terms, with the convention 0 * inf = 0 for a zero weight, and writes the gradient
as (1 - t) - sigma(-z) for z > 0.

**binary_cross_entropy of probabilities** (`p=0, t=1`; `p=1e-50, t=1`). PyTorch clamps each log
at -100 (documented), so a certainly-wrong prediction costs 100 instead of inf, and p = 1e-50
costs 100 instead of 115.13. SciPy's `xlogy`/`xlog1py` and mlcalc give the true values;
`bce(p=0, t=0)` is 0 everywhere (0 log 0 = 0).

**Gaussian negative log-likelihood with log-variance +-1000.** `F.gaussian_nll_loss` takes the
variance: exp(1000) overflows to inf before the loss is formed (loss inf instead of 500.9), and
exp(-1000) = 0 is clamped up to eps = 1e-6 (loss -5.99 instead of -499.08). scipy.stats, fed the
standard deviation exp(v/2) = exp(-500), is exact here. mlcalc takes the log-variance and forms
(t - mu)^2 e^{-v} as ((t - mu) e^{-v/2})^2 with an overflow-guarded product.

**Small differences that are not tails.** `elu(-1e-10)` with exp(x) - 1 loses 7 digits to
cancellation (expm1 does not; PyTorch's `elu` uses expm1). `sigmoid(-745)` is the smallest
subnormal, 4.9e-324; SciPy and PyTorch return 0, which is within the 4-ulp tolerance there
(subnormals have absolute spacing 4.9e-324).

**Kinks (conventions, not errors).** All three give relu'(0) = 0. At the hinge's kink, margin
y s = 1, PyTorch's `clamp(1 - y s, min=0)` passes the gradient through at the boundary (-y), while
mlcalc uses 0, consistent with relu'(0) = 0 (hinge = relu(1 - y s)). Any value in [-1, 0] is a
valid subgradient; the book states its choice and the chapters teach the same one.

**Shape mismatch.** NumPy broadcasts (3,) against (3, 1) to a 3 x 3 table and averages it
silently; `F.mse_loss` does the same with a UserWarning; mlcalc raises a ValueError naming both
arguments and shapes.
"""


# ----------------------------------------------------------------------------------------------
# running and judging
# ----------------------------------------------------------------------------------------------
def run(fn):
    """Value (float, or an exception string) and the warnings the call emitted."""
    with warnings.catch_warnings(record=True) as caught, np.errstate(all="warn", under="ignore"):
        warnings.simplefilter("always")
        try:
            val = float(fn())
        except Exception as exc:  # noqa: BLE001 - reported in the table
            return f"{type(exc).__name__}", []
    names = sorted({f"{w.category.__name__}: {str(w.message)[:60]}" for w in caught})
    return val, names


def judge(val, ref, dtype=np.float64, kink=False):
    """'ok' or a short description of the disagreement with the reference."""
    if isinstance(val, str):
        return f"raised {val}"
    if np.isnan(ref):
        return "ok" if np.isnan(val) else "not NaN"
    if np.isnan(val):
        return "NaN"
    if np.isinf(ref) or np.isinf(val):
        return "ok" if val == ref else ("inf" if np.isinf(val) else "finite")
    err = abs(val - ref)
    if err <= ULPS * float(np.spacing(dtype(abs(ref)))):
        return "ok"
    if kink:
        return "other subgradient"
    if ref != 0 and val == 0:
        return "0 (tail lost)"
    rel = err / abs(ref) if ref else err
    return f"rel. error {rel:.1e}"


def fmt(val):
    if isinstance(val, str):
        return val
    return f"{val:.10g}"


def main():
    if torch is not None:
        torch.set_num_threads(1)
    rows = []
    for case in cases():
        dtype = case["dtype"]
        ref = float(dtype(float(case["ref"]())))  # the reference rounded once to the dtype
        kink = case["what"] == "kink"
        cells = []
        for key in ("ml", "sci", "tor"):
            spec = case[key]
            if key == "ml":
                how, fn = "mlcalc", spec
            else:
                how, fn = spec
            if key == "tor" and torch is None:
                cells.append(("not installed", "", [], how))
                continue
            val, warns = run(fn)
            cells.append((fmt(val), judge(val, ref, dtype, kink), warns, how))
        rows.append((case, ref, cells))

    lines = []
    lines.append("# Numerics side by side: mlcalc, scipy.special / NumPy, PyTorch, mpmath\n")
    lines.append(
        "Generated by `benchmarks/numerics/compare.py`; do not edit by hand. Every value is "
        "computed in float64 from the same float64 inputs; the reference is mpmath at 60 digits "
        "on those inputs, rounded once. A result **agrees** when it is within "
        f"{ULPS} ulp of the reference (or the same inf/NaN). Warnings that a call emitted "
        "(RuntimeWarning from NumPy/SciPy, UserWarning from PyTorch) are listed; underflow to "
        "0 is not counted as a warning.\n"
    )
    tv = torch.__version__ if torch is not None else "not installed"
    lines.append(
        f"Versions: Python {platform.python_version()}, numpy {np.__version__}, "
        f"scipy {scipy.__version__}, torch {tv} (CPU), mpmath {mp.__version__}, "
        f"mlcalc {mlcalc.__version__}; {platform.machine()}.\n"
    )
    lines.append("## Reproduce\n")
    lines.append(
        "```bash\n"
        "python3 -m venv /work/benchvenv_num      # never install torch into the book's .venv\n"
        "/work/benchvenv_num/bin/pip install torch==2.13.0 numpy scipy mpmath\n"
        "/work/benchvenv_num/bin/pip install -e .\n"
        "/work/benchvenv_num/bin/python benchmarks/numerics/compare.py   # rewrites RESULTS.md\n"
        "```\n"
    )
    n_bad = {k: 0 for k in ("mlcalc", "scipy", "torch")}
    lines.append("## Results\n")
    lines.append(
        "Each cell: the value, then `ok` or how it disagrees with mpmath; "
        "the second line of a cell says which call produced it.\n"
    )
    lines.append("| case | mpmath reference | mlcalc | scipy.special / NumPy | PyTorch (CPU) |")
    lines.append("| --- | --- | --- | --- | --- |")
    for case, ref, cells in rows:
        out = [f"`{case['id']}`", f"{ref:.10g}"]
        for name, (val, verdict, warns, how) in zip(
            ("mlcalc", "scipy", "torch"), cells, strict=True
        ):
            if verdict not in ("ok", "", "other subgradient"):
                n_bad[name] += 1
            mark = "ok" if verdict == "ok" else f"**{verdict}**" if verdict else ""
            w = f" ⚠ {'; '.join(warns)}" if warns else ""
            src = "" if name == "mlcalc" else f"<br>`{how}`"
            out.append(f"{val} {mark}{w}{src}".strip())
        lines.append("| " + " | ".join(out) + " |")
    lines.append("")
    lines.append(
        f"Disagreements with mpmath (of {len(rows)} cases): mlcalc {n_bad['mlcalc']}, "
        f"scipy/NumPy {n_bad['scipy']}, PyTorch {n_bad['torch']} (the two kink rows are not "
        "counted: any value in the subdifferential is correct there). Rows marked [float32] "
        "run in float32 and are judged in float32 ulps against the reference rounded to "
        "float32.\n"
    )
    lines.append("## Shape mismatch: pred (3,) against target (3, 1)\n")
    lines.append("| call | what happens |")
    lines.append("| --- | --- |")
    for call, what in broadcast_rows():
        lines.append(f"| `{call}` | {what} |")
    lines.append("")
    lines.append(WHY.strip() + "\n")
    OUT.write_text("\n".join(lines), encoding="utf-8")
    print(f"wrote {OUT} ({len(rows)} cases); disagreements: {n_bad}", file=sys.stderr)


if __name__ == "__main__":
    main()
