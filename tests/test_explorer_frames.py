"""Frame k of every ready-made explorer shows state k.

For each explorer of :mod:`mlcalc.explorers` a few frames are drawn (tiny, dpi 16) and the text
drawn in each (:func:`mlcalc.explorers.frames.frame_text`) is read: it must state the frame's
slider values and numbers of the state that this test computes on its own (the loss and
weights after k iterations, the position after k steps, the slope f'(x0), the probabilities at
T, the MAP estimate for tau and n, ...). The mutation tests at the end prove the checks can fail:
frames shifted by one (frame k drawn with the values of frame k - 1) fail every explorer's
check, and so does a logistic-regression explorer whose iterates are shifted by one while its
titles still name the right iteration.
"""

from __future__ import annotations

import itertools
import math
import re

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

from mlcalc import explorers as E  # noqa: E402
from mlcalc import linear_models as lm  # noqa: E402
from mlcalc.explorers import models as EM  # noqa: E402
from mlcalc.explorers.frames import frame_text, frames  # noqa: E402

SMALL = dict(dpi=16, precompute=False)
NUM = r"(-?\d+(?:\.\d*)?(?:e[+-]?\d+)?)"


def grab(pattern: str, text: str, n: int = 1) -> tuple[float, ...] | float:
    """The numbers of the first match of ``pattern`` (NUM marks each), as floats."""
    m = re.search(pattern, text)
    assert m, f"the frame does not show {pattern!r}:\n{text}"
    got = tuple(float(g) for g in m.groups())
    assert len(got) == n
    return got[0] if n == 1 else got


def close(shown: float, expected: float, decimals: int) -> None:
    """``shown`` is ``expected`` printed to ``decimals`` decimals (half a unit of slack)."""
    assert abs(shown - expected) <= 0.5 * 10.0**-decimals + 1e-9, (
        f"shown {shown}, expected {expected}")


def close_rel(shown: float, expected: float, digits: int = 3) -> None:
    """``shown`` is ``expected`` printed to ``digits`` significant digits."""
    assert math.isclose(shown, expected, rel_tol=0.5 * 10.0 ** (1 - digits) + 1e-12,
                        abs_tol=1e-12), f"shown {shown}, expected {expected}"


# ------------------------------------------------------------------ one check per explorer


def check_tangent(values, text):
    x0 = values["x0"]
    close(grab(rf"x_0 = {NUM}\$", text), x0, 2)
    close(grab(rf"slope \$f'\(x_0\) = {NUM}\$", text), x0**2 - 1, 2)  # f = x^3/3 - x


def _bowl(x, y):
    return x**2 + 0.8 * x * y + 2 * y**2 + 0.5 * np.sin(2 * x)


def check_directional(values, text):
    px, py = (float(v) for v in values["point"].strip("()").split(","))
    theta = values["angle"]
    assert grab(rf"\\theta = {NUM}\^\\circ\$ at", text) == theta
    assert grab(rf"at \$p = \({NUM}, {NUM}\)\$", text, 2) == (px, py)
    u = np.array([np.cos(np.deg2rad(theta)), np.sin(np.deg2rad(theta))])
    h = 1e-6  # D_u f by a central difference along u, from f itself
    d = (_bowl(px + h * u[0], py + h * u[1]) - _bowl(px - h * u[0], py - h * u[1])) / (2 * h)
    close(grab(rf"D_u f = {NUM}\$", text), d, 2)


def check_linear_approximation(values, text, radius=0.6):
    x0, y0 = values["x0"], values["y0"]
    r = values.get("radius", radius)
    assert grab(rf"patch of radius {NUM} at", text) == r
    assert grab(rf"at \$p = \({NUM}, {NUM}\)\$", text, 2) == (x0, y0)
    f1, f2 = grab(rf"f\(p\) = \({NUM}, {NUM}\)\$", text, 2)
    close(f1, x0 + 0.4 * y0**2, 2)
    close(f2, y0 - 0.4 * x0**2 + 0.2 * x0, 2)
    # f - its linearisation is (0.4 dy^2, -0.4 dx^2): largest at the patch's corners
    close(grab(rf"gap {NUM}", text), 0.4 * math.sqrt(2) * r**2, 3)


def check_quadratic_form(values, text):
    a, b, d = values["a11"], values["a12"], values["a22"]
    assert grab(rf"A = \[\[{NUM}, {NUM}\], \[{NUM}, {NUM}\]\]", text, 4) == (a, b, b, d)
    mid, rad = (a + d) / 2, math.hypot((a - d) / 2, b)
    lam = (mid - rad, mid + rad)
    close(grab(rf"lambda_1={NUM}\$", text), lam[0], 2)
    close(grab(rf"lambda_2={NUM}\$", text), lam[1], 2)
    verdict = ("minimum" if lam[0] > 0 else "maximum" if lam[1] < 0
               else "saddle" if lam[0] < 0 < lam[1] else "semidefinite")
    assert f"at $x = 0$: {verdict}" in text


def check_gradient_descent(values, text):
    lr, steps = values["lr"], values["steps"]
    H = np.array([[5.5, 4.5], [4.5, 5.5]])
    w = np.array([-1.6, 0.6])
    for _ in range(steps):
        w = w - lr * H @ w
    assert grab(rf"\\eta = {NUM}\$", text) == lr
    assert grab(rf"after {NUM} steps", text) == steps
    shown = grab(rf"w_\{{{steps}\}} = \({NUM}, {NUM}\)\$", text, 2)
    for s, e in zip(shown, w, strict=True):
        close_rel(s, e, 3)
    loss = 0.5 * w @ H @ w
    if loss < 0.5 * 1.6**2 * 5.5:  # below f(w0): the title gives the loss
        close_rel(grab(rf"loss {NUM}", text), loss, 3)
    else:
        assert "diverging" in text


_ACTIVATIONS = {  # f and f' written out again, independent of the explorer
    "sigmoid": (lambda x: 1 / (1 + math.exp(-x)),
                lambda x: math.exp(-x) / (1 + math.exp(-x)) ** 2),
    "tanh": (math.tanh, lambda x: 1 / math.cosh(x) ** 2),
    "relu": (lambda x: max(x, 0.0), lambda x: 1.0 if x > 0 else 0.0),
    "leaky_relu": (lambda x: x if x > 0 else 0.01 * x, lambda x: 1.0 if x > 0 else 0.01),
    "elu": (lambda x: x if x > 0 else math.exp(x) - 1, lambda x: 1.0 if x > 0 else math.exp(x)),
    "softplus": (lambda x: math.log1p(math.exp(x)), lambda x: 1 / (1 + math.exp(-x))),
}


def check_activation(values, text):
    func, x0 = values["func"], values["x0"]
    f, df = _ACTIVATIONS[func]
    close(grab(rf"{func}\$\({NUM}\) = ", text), x0, 6)
    close(grab(rf"{func}\$\(-?[\d.]+\) = {NUM}\$", text), f(x0), 3)
    if func in ("relu", "leaky_relu") and x0 == 0:
        assert "not differentiable" in text
    else:
        close(grab(rf"slope \${NUM}\$", text), df(x0), 3)


_LOGITS = np.array([2.0, 1.0, 0.2, -1.0])


def check_softmax_temperature(values, text):
    T = values["T"]
    e = np.exp(_LOGITS / T - np.max(_LOGITS / T))
    p = e / e.sum()
    assert grab(rf"\$T = {NUM}\$", text) == T
    bars = [float(s) for s in re.findall(rf"^ax0\.text: {NUM}$", text, re.M)]
    assert len(bars) == 4, text
    for shown, expected in zip(bars, p, strict=True):
        close(shown, expected, 2)
    close(grab(rf"entropy {NUM} nats", text), -np.sum(p * np.log(p)), 2)


def _logistic_problem():
    X, y = EM._logistic_data(60, 0)  # the explorer's data (its input, not its state)
    return lm.add_intercept(X)[:, [1, 2, 0]], y  # intercept last, as the explorer's w


def _logistic_iterate(method, k, lr=0.5):
    """The weights after k iterations, by mlcalc.linear_models' own solvers."""
    A, y = _logistic_problem()
    w0 = np.zeros(3)
    if method == "Newton":
        path = lm.newton(lambda w: lm.logreg_grad(w, A, y), lambda w: lm.logreg_hessian(w, A, y),
                         w0, k)
    else:
        path = lm.gradient_descent(lambda w: lm.logreg_grad(w, A, y), w0, lr, k)
    assert len(path) == k + 1
    return path[k], float(lm.logreg_loss(path[k], A, y))


def check_logistic_regression(values, text):
    method, k = values["method"], values["iteration"]
    w, loss = _logistic_iterate(method, k)
    assert f"{method}, iteration {k}: loss" in text
    close(grab(rf"iteration {k}: loss {NUM}", text), loss, 4)
    shown = grab(rf"\$w = \({NUM}, {NUM}\)\$, \$b = {NUM}\$", text, 3)
    for s, e in zip(shown, w, strict=True):
        close(s, e, 2)


def check_map_mle(values, text, mu_true=2.0, sigma=1.0, mu0=0.0, seed=0, n_max=20):
    tau, n = values["tau"], values["n"]
    data = np.random.default_rng(seed).normal(mu_true, sigma, n_max)[:n]
    xbar = data.mean()
    # the posterior mode, maximising sum log N(x_i; mu, sigma^2) + log N(mu; mu0, tau^2)
    est = (data.sum() / sigma**2 + mu0 / tau**2) / (n / sigma**2 + 1 / tau**2)
    assert grab(rf"\$n = {NUM}\$", text) == n
    assert grab(rf"\$\\tau = {NUM}\$", text) == tau
    close(grab(rf"MLE \$\\bar x = {NUM}\$", text), xbar, 2)
    close(grab(rf"MAP \$= {NUM}\$", text), est, 2)
    weight = (n / sigma**2) / (n / sigma**2 + 1 / tau**2)
    close(grab(rf"MAP = {NUM} MLE", text), weight, 2)


#: explorer -> (its small sliders, the check of one frame). The map_mle sliders need n <= 20.
FRAMES = {
    "tangent_explorer": (dict(x0=[-1.0, 0.4, 1.5]), check_tangent),
    "directional_derivative_explorer": (
        dict(points=[(0.8, 0.6), (-1.0, -0.4)], angle=[0, 200]), check_directional),
    "linear_approximation_explorer": (dict(x0=[0.0, 1.0], y0=[-0.5, 0.5]),
                                      check_linear_approximation),
    "quadratic_form_explorer": (dict(a11=[1.0, -1.0], a12=[0.0, 2.0], a22=[0.5]),
                                check_quadratic_form),
    "gradient_descent_explorer": (dict(lr=[0.04, 0.24], steps=[2, 10]),
                                  check_gradient_descent),
    "activation_explorer": (dict(func=["tanh", "leaky_relu", "elu"], x0=[-1.0, 0.0, 0.5]),
                            check_activation),
    "softmax_temperature_explorer": (dict(T=[0.5, 1, 3]), check_softmax_temperature),
    "logistic_regression_explorer": (
        dict(method=["gradient descent", "Newton"], iteration=[1, 4]),
        check_logistic_regression),
    "map_mle_explorer": (dict(tau=[0.1, 10], n=[2, 20]), check_map_mle),
}


def test_every_ready_made_explorer_has_a_frame_check():
    assert set(FRAMES) == set(E.__all__)


def check_frames(name, **override):
    specs, check = FRAMES[name]
    ex = getattr(E, name)(**{**specs, **override}, **SMALL)
    n = 0
    for values, text in frames(ex):
        check(values, text)
        n += 1
    assert n == ex.n_frames >= 2
    ex.close()


@pytest.mark.parametrize("name", sorted(FRAMES))
def test_frame_k_shows_state_k(name):
    check_frames(name)


def test_linear_approximation_radius_frames():
    check_frames("linear_approximation_explorer", x0=[0.5], y0=[0.0], radius=[0.75, 0.25])


def test_frame_text_by_values():
    ex = E.tangent_explorer(x0=[-1.0, 0.4, 1.5], **SMALL)
    assert "$x_0 = 0.40$" in frame_text(ex, x0=0.4)
    assert frame_text(ex, x0=0.4) == frame_text(ex, (1,))
    with pytest.raises(KeyError, match="x1"):
        frame_text(ex, x1=0.4)


# ------------------------------------------------------------------ the checks can fail


def _shifted_by_one(ex):
    """Mutate ``ex`` so frame k is drawn with the values of frame k - 1 (cyclically)."""
    combos = list(itertools.product(*(p.values for p in ex._params)))
    plot = ex._plot_fn

    def shifted(fig, **values):
        i = combos.index(tuple(values[p.name] for p in ex._params))
        plot(fig, **dict(zip(ex.params, combos[i - 1], strict=True)))

    ex._plot_fn = shifted
    return ex


@pytest.mark.parametrize("name", sorted(FRAMES))
def test_frames_shifted_by_one_are_caught(name):
    specs, check = FRAMES[name]
    ex = _shifted_by_one(getattr(E, name)(**specs, **SMALL))
    with pytest.raises(AssertionError):
        for values, text in frames(ex):
            check(values, text)


def test_logistic_iterates_shifted_by_one_are_caught(monkeypatch):
    """The bug of issue 15: frame k shows iteration k - 1 while its title says k."""
    path = EM._logistic_path

    def lagging(A, y, method, iterations, lr):
        p = path(A, y, method, iterations, lr)
        return np.vstack([p[:1], p[:-1]])  # iterate k is w_{k-1} (w_0 twice)

    monkeypatch.setattr(EM, "_logistic_path", lagging)
    with pytest.raises(AssertionError, match="shown .*, expected"):
        check_frames("logistic_regression_explorer")  # unmutated, it passes (above)
