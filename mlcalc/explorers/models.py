"""Explorers of fitted models: logistic regression iteration by iteration (linear models)
and the MAP estimate against the MLE as the prior widens (likelihood)."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..activations import sigmoid
from ..widgets import Explorer, explore
from ._common import (
    _BLUE,
    _GREEN,
    _ORANGE,
    _RED,
    _fitting_defaults,
)

__all__ = ["logistic_regression_explorer", "map_mle_explorer"]


# --------------------------------------------------------------------------------------------
# 7. Logistic regression (chapter: linear models)
# --------------------------------------------------------------------------------------------


def _logistic_data(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    half = n // 2
    X = np.vstack([rng.normal([-1.0, -0.5], 1.0, (half, 2)),
                   rng.normal([1.0, 0.8], 1.0, (n - half, 2))])
    y = np.r_[np.zeros(half), np.ones(n - half)]
    return X, y


def _logistic_loss_grad_hess(w: np.ndarray, A: np.ndarray, y: np.ndarray):
    """Mean logistic loss of weights w (with the intercept last), its gradient and Hessian."""
    z = A @ w
    p = sigmoid(z)
    n = y.size
    loss = float(np.mean(np.logaddexp(0.0, z) - y * z))
    grad = A.T @ (p - y) / n
    hess = (A * (p * (1 - p))[:, None]).T @ A / n
    return loss, grad, hess


def _logistic_path(A: np.ndarray, y: np.ndarray, method: str, iterations: int,
                   lr: float) -> np.ndarray:
    w = np.zeros(A.shape[1])
    path = [w]
    for _ in range(iterations):
        _, g, H = _logistic_loss_grad_hess(w, A, y)
        w = w - (np.linalg.solve(H, g) if method == "Newton" else lr * g)
        path.append(w)
    return np.array(path)


def logistic_regression_explorer(
    *,
    iteration: Any = [0, 1, 2, 3, 4, 5, 6, 8, 10, 15, 20, 30, 50, 75, 100, 150],  # noqa: B006
    method: Any = ("gradient descent", "Newton"),
    lr: float = 0.5,
    n: int = 60,
    seed: int = 0,
    title: str | None = "Logistic regression, iteration by iteration",
    alt: str | None = None,
    **options: Any,
) -> Explorer:
    """Two classes in the plane and the decision boundary of logistic regression as it trains.

    The weights start at 0 and follow gradient descent (step ``lr``) or Newton's method on the
    mean logistic loss. Left: the points, the predicted probability σ(wᵀx + b) as shading and
    the boundary σ = 1/2. Right: the loss per iteration for both methods.

    Args:
        iteration: spec of the iteration slider (integers >= 0).
        method: methods to choose from ("gradient descent", "Newton").
        lr: learning rate of gradient descent.
        n: number of points.
        seed: seed of the generated data.
        title: title above the figure.
        alt: alt text.
        **options: further keywords of :func:`~mlcalc.widgets.explore`.

    Returns:
        The explorer.
    """
    methods = list(method)
    bad = [m for m in methods if m not in ("gradient descent", "Newton")]
    if bad:
        raise ValueError(f"method: unknown {bad}; choose from 'gradient descent', 'Newton'")
    its = list(iteration) if isinstance(iteration, list) else None
    top = max(its) if its is not None else int(iteration[1])
    X, y = _logistic_data(int(n), int(seed))
    A = np.c_[X, np.ones(len(y))]
    paths = {m: _logistic_path(A, y, m, top, lr) for m in ("gradient descent", "Newton")}
    losses = {m: np.array([_logistic_loss_grad_hess(w, A, y)[0] for w in paths[m]])
              for m in paths}
    g = np.linspace(-4, 4, 121)
    GX, GY = np.meshgrid(g, g)

    def plot(fig, method, iteration):
        w = paths[method][iteration]
        ax1, ax2 = fig.subplots(1, 2)
        P = sigmoid(w[0] * GX + w[1] * GY + w[2])
        ax1.contourf(GX, GY, P, levels=np.linspace(0, 1, 11), cmap="RdBu_r", alpha=0.35)
        if abs(w[1]) > 1e-12 or abs(w[0]) > 1e-12:
            ax1.contour(GX, GY, P, levels=[0.5], colors="k", linewidths=1.5)
        ax1.scatter(X[y == 0, 0], X[y == 0, 1], s=12, color=_BLUE, label="class 0")
        ax1.scatter(X[y == 1, 0], X[y == 1, 1], s=12, color=_RED, marker="^", label="class 1")
        ax1.set(xlim=(-4, 4), ylim=(-4, 4), aspect="equal", xlabel="$x_1$", ylabel="$x_2$")
        ax1.set_title(f"$w = ({w[0]:.2f}, {w[1]:.2f})$, $b = {w[2]:.2f}$", fontsize=9)
        ax1.legend(loc="lower right", fontsize=7)
        for m, c in (("gradient descent", _BLUE), ("Newton", _ORANGE)):
            ax2.plot(np.arange(top + 1), losses[m], color=c, lw=1.2, label=m,
                     alpha=1.0 if m == method else 0.35)
        ax2.plot([iteration], [losses[method][iteration]], "o", color="k", ms=5)
        ax2.set(xscale="symlog", xlim=(0, top), ylim=(0.9 * losses[method].min(), 0.72),
                xlabel="iteration", ylabel="mean logistic loss")
        ax2.legend(loc="upper right", fontsize=8)
        ax2.grid(alpha=0.3)
        ax2.set_title(f"{method}, iteration {iteration}: loss {losses[method][iteration]:.4f}",
                      fontsize=9)

    if alt is None:
        alt = (
            "Left: two classes of points in the plane, the predicted probability as red-blue "
            "shading and the decision boundary as a black line. Right: the training loss per "
            "iteration for gradient descent and Newton's method. Moving the iteration turns and "
            "sharpens the boundary; Newton's method gets there in a few iterations."
        )
    options.setdefault("defaults", _fitting_defaults({"iteration": iteration}, {"iteration": 3}))
    return explore(plot, method=methods, iteration=iteration, title=title, alt=alt, **options)


# --------------------------------------------------------------------------------------------
# 8. MAP vs MLE (chapter: likelihood)
# --------------------------------------------------------------------------------------------


def _gaussian_map(xbar: float, n: int, sigma: float, mu0: float, tau: float) -> float:
    """MAP estimate of a Gaussian mean (known sigma) under the prior N(mu0, tau²)."""
    a, b = n / sigma**2, 1.0 / tau**2
    return (a * xbar + b * mu0) / (a + b)


def _normal_pdf(x, m, s):
    return np.exp(-0.5 * ((x - m) / s) ** 2) / (s * np.sqrt(2 * np.pi))


def map_mle_explorer(
    *,
    tau: Any = [0.05, 0.1, 0.2, 0.5, 1, 2, 5, 20],  # noqa: B006
    n: Any = [1, 5, 20, 100],  # noqa: B006
    mu_true: float = 2.0,
    sigma: float = 1.0,
    mu0: float = 0.0,
    seed: int = 0,
    title: str | None = "MAP versus MLE: the prior's width",
    alt: str | None = None,
    **options: Any,
) -> Explorer:
    """Estimating a Gaussian mean: the MAP estimate moves from the prior mean to the MLE.

    Data x_1..x_n ~ N(mu_true, sigma²) (seeded), sigma known, prior mu ~ N(mu0, tau²). The MLE
    is the sample mean x̄; the MAP estimate is (n x̄/sigma² + mu0/tau²) / (n/sigma² + 1/tau²).
    Left: prior, likelihood (normalised in mu) and posterior with the three estimates. Right:
    the MAP estimate as a function of tau for the current n.

    Args:
        tau: spec of the prior-width slider (positive values).
        n: spec of the sample-size slider (positive integers, at most 1000).
        mu_true: mean the data are drawn from.
        sigma: known standard deviation of the data.
        mu0: prior mean.
        seed: seed of the data.
        title: title above the figure.
        alt: alt text.
        **options: further keywords of :func:`~mlcalc.widgets.explore`.

    Returns:
        The explorer.
    """
    if not sigma > 0:
        raise ValueError(f"sigma: expected > 0, got {sigma!r}")
    ns = list(n) if isinstance(n, list) else list(range(int(n[0]), int(n[1]) + 1))
    if any(int(k) != k or k < 1 or k > 1000 for k in ns):
        raise ValueError(f"n: expected integers in [1, 1000], got {n!r}")
    rng = np.random.default_rng(seed)
    data = rng.normal(mu_true, sigma, max(ns))
    m = np.linspace(mu0 - 2.5, mu_true + 2.5, 600)
    taus = np.geomspace(0.02, 50, 200)

    def plot(fig, tau, n):
        n = int(n)
        xbar = float(np.mean(data[:n]))
        est = _gaussian_map(xbar, n, sigma, mu0, tau)
        post_sd = 1.0 / np.sqrt(n / sigma**2 + 1 / tau**2)
        ax1, ax2 = fig.subplots(1, 2)
        ax1.plot(m, _normal_pdf(m, mu0, tau), color=_GREEN, label=rf"prior $N({mu0:g}, {tau:g}^2)$")
        ax1.plot(m, _normal_pdf(m, xbar, sigma / np.sqrt(n)), color=_BLUE, label="likelihood")
        ax1.plot(m, _normal_pdf(m, est, post_sd), color=_RED, lw=2, label="posterior")
        for v, c, ls in ((mu0, _GREEN, ":"), (xbar, _BLUE, "--"), (est, _RED, "-")):
            ax1.axvline(v, color=c, ls=ls, lw=1)
        ax1.set(xlim=(m[0], m[-1]), ylim=(0, 4.5), xlabel=r"mean $\mu$", ylabel="density")
        ax1.legend(loc="upper left", fontsize=7)
        ax1.set_title(rf"$n = {n}$: MLE $\bar x = {xbar:.2f}$, MAP $= {est:.2f}$", fontsize=9)
        curve = [_gaussian_map(xbar, n, sigma, mu0, t) for t in taus]
        ax2.semilogx(taus, curve, color=_RED)
        ax2.axhline(mu0, color=_GREEN, ls=":", label=f"prior mean {mu0:g}")
        ax2.axhline(xbar, color=_BLUE, ls="--", label=rf"MLE $\bar x$ = {xbar:.2f}")
        ax2.plot([tau], [est], "o", color=_RED, ms=6)
        ax2.set(xlabel=r"prior width $\tau$", ylabel="MAP estimate",
                ylim=(min(mu0, xbar) - 0.5, max(mu0, xbar) + 0.5))
        ax2.legend(loc="lower right", fontsize=7)
        ax2.grid(alpha=0.3)
        weight = (n / sigma**2) / (n / sigma**2 + 1 / tau**2)
        ax2.set_title(rf"$\tau = {tau:g}$: MAP = {weight:.2f} MLE + {1 - weight:.2f} prior mean",
                      fontsize=9)

    if alt is None:
        alt = (
            "Left: prior, likelihood and posterior densities for the mean of Gaussian data, "
            "with the prior mean, the maximum likelihood estimate and the MAP estimate as "
            "vertical lines. Right: the MAP estimate as a function of the prior width on a log "
            "scale. A narrow prior pulls the MAP estimate to the prior mean, a wide prior or "
            "more data moves it to the MLE."
        )
    options.setdefault("defaults", _fitting_defaults({"tau": tau, "n": n}, {"tau": 1, "n": 5}))
    return explore(plot, tau=tau, n=n, title=title, alt=alt,
                   labels={"tau": "prior width τ", "n": "sample size n"}, **options)
