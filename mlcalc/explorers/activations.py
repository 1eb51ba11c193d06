"""Explorers of activation functions and of softmax with a temperature (activations,
losses)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from ..activations import sigmoid
from ..widgets import Explorer, explore
from ._common import (
    _BLUE,
    _GREEN,
    _GREY,
    _ORANGE,
    _fitting_defaults,
)

__all__ = ["activation_explorer", "softmax_temperature_explorer"]


# --------------------------------------------------------------------------------------------
# 6. Activations and softmax (chapters: activations, losses)
# --------------------------------------------------------------------------------------------


_ACTIVATIONS: dict[str, tuple[Callable, Callable, str]] = {
    "sigmoid": (sigmoid, lambda x: sigmoid(x) * (1 - sigmoid(x)),
                r"$\sigma(x) = 1/(1+e^{-x})$"),
    "tanh": (np.tanh, lambda x: 1 - np.tanh(x) ** 2, r"$\tanh(x)$"),
    "relu": (lambda x: np.maximum(x, 0.0), lambda x: (np.asarray(x) > 0).astype(float),
             r"$\max(0, x)$"),
    "leaky_relu": (lambda x: np.where(np.asarray(x) > 0, x, 0.01 * np.asarray(x)),
                   lambda x: np.where(np.asarray(x) > 0, 1.0, 0.01),
                   r"$\max(0.01x, x)$"),
    "elu": (lambda x: np.where(np.asarray(x) > 0, x, np.expm1(np.minimum(x, 0))),
            lambda x: np.where(np.asarray(x) > 0, 1.0, np.exp(np.minimum(x, 0))),
            r"$x$ if $x>0$ else $e^x-1$"),
    "softplus": (lambda x: np.logaddexp(0.0, x), sigmoid, r"$\log(1+e^x)$"),
}
_KINKED = {"relu", "leaky_relu"}  # not differentiable at 0


def activation_explorer(
    *,
    func: Any = ("sigmoid", "tanh", "relu", "leaky_relu", "elu", "softplus"),
    x0: Any = (-3.0, 3.0, 1.0, 1.0),
    title: str | None = "Activation functions and their derivatives",
    alt: str | None = None,
    **options: Any,
) -> Explorer:
    """Pick an activation; see it with its tangent at x0 and its derivative beside it.

    Args:
        func: names to choose from, any of sigmoid, tanh, relu, leaky_relu (slope 0.01),
            elu (alpha = 1), softplus.
        x0: spec of the point's slider.
        title: title above the figure.
        alt: alt text.
        **options: further keywords of :func:`~mlcalc.widgets.explore`.

    Returns:
        The explorer.
    """
    names = list(func)
    unknown = [n for n in names if n not in _ACTIVATIONS]
    if unknown:
        raise ValueError(f"func: unknown activations {unknown}; choose from {list(_ACTIVATIONS)}")
    x = np.linspace(-5, 5, 500)  # even count: 0 is not a sample, kinks are drawn as jumps

    def plot(fig, func, x0):
        a, da, formula = _ACTIVATIONS[func]
        y, dy = a(x), da(x)
        ax1, ax2 = fig.subplots(1, 2)
        ax1.plot(x, y, color=_BLUE, label=formula)
        ax1.axhline(0, color=_GREY, lw=0.8)
        ax1.axvline(0, color=_GREY, lw=0.8)
        fx0 = float(a(np.array(x0)))
        kink = func in _KINKED and x0 == 0
        if kink:
            ax1.set_title(f"{func}$(0) = {fx0:.3f}$: not differentiable at $x_0 = 0$",
                          fontsize=9)
        else:
            s = float(da(np.array(x0)))
            ax1.plot(x, fx0 + s * (x - x0), color=_ORANGE, lw=1, label="tangent")
            ax1.set_title(f"{func}$({x0:g}) = {fx0:.3f}$, slope ${s:.3f}$", fontsize=9)
        ax1.plot([x0], [fx0], "ko", ms=4)
        ax1.set(xlim=(-5, 5), ylim=(-1.6, 5.2), xlabel="$x$")
        ax1.legend(loc="upper left", fontsize=8)
        ax1.grid(alpha=0.3)
        if func in _KINKED:
            ax2.plot(x[x < 0], dy[x < 0], color=_GREEN)
            ax2.plot(x[x > 0], dy[x > 0], color=_GREEN)
            ax2.plot([0, 0], [dy[x < 0][-1], 1.0], ls=":", color=_GREEN)
        else:
            ax2.plot(x, dy, color=_GREEN)
        if not kink:
            ax2.plot([x0], [float(da(np.array(x0)))], "o", color=_ORANGE, ms=6)
        ax2.axhline(0, color=_GREY, lw=0.8)
        ax2.set(xlim=(-5, 5), ylim=(-0.1, 1.15), xlabel="$x$", ylabel="derivative")
        ax2.set_title("derivative (vanishing where it is near 0)", fontsize=9)
        ax2.grid(alpha=0.3)

    if alt is None:
        alt = (
            "Left: the chosen activation function with its tangent line at x0. Right: its "
            "derivative with a marker at x0. Picking another function or moving x0 shows where "
            "the slope is large and where it vanishes (saturation)."
        )
    return explore(plot, func=names, x0=x0, title=title, alt=alt,
                   labels={"func": "activation", "x0": "x₀"}, **options)


def _softmax(z: np.ndarray) -> np.ndarray:
    z = np.asarray(z, dtype=float)
    e = np.exp(z - z.max())
    return e / e.sum()


def _softmax_jacobian(z: np.ndarray) -> np.ndarray:
    """Jacobian of softmax at z (K x K, numerator layout): diag(p) - p pᵀ."""
    p = _softmax(z)
    return np.diag(p) - np.outer(p, p)


def softmax_temperature_explorer(
    logits: Sequence[float] = (2.0, 1.0, 0.2, -1.0),
    *,
    T: Any = [0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 1, 1.5, 2, 3, 5, 10, 20],  # noqa: B006
    title: str | None = "Softmax with temperature",
    alt: str | None = None,
    **options: Any,
) -> Explorer:
    """Probabilities p = softmax(z / T) for fixed logits z, and the Jacobian ∂p/∂z.

    Left: the probabilities as bars, with 1/K (uniform, T → ∞) marked. Right: the K x K
    Jacobian of z ↦ softmax(z / T), (diag(p) - ppᵀ)/T, as a heat map: it vanishes both when
    p is one-hot (T → 0) and, like 1/T, when p is uniform (T → ∞).

    Args:
        logits: the logits z (at least 2).
        T: spec of the temperature slider (positive values).
        title: title above the figure.
        alt: alt text.
        **options: further keywords of :func:`~mlcalc.widgets.explore`.

    Returns:
        The explorer.
    """
    z = np.asarray(logits, dtype=float)
    if z.ndim != 1 or z.size < 2 or not np.all(np.isfinite(z)):
        raise ValueError(f"logits: expected a finite vector of shape (K,), K >= 2, got {logits!r}")
    temps = list(T) if isinstance(T, list) else None
    if temps is not None and any(t <= 0 for t in temps):
        raise ValueError(f"T: temperatures must be > 0, got {temps!r}")
    K = z.size
    idx = np.arange(K)

    def plot(fig, T):
        p = _softmax(z / T)
        J = _softmax_jacobian(z / T) / T
        ax1, ax2 = fig.subplots(1, 2)
        ax1.bar(idx, p, color=_BLUE)
        ax1.axhline(1 / K, color=_GREY, ls="--", lw=1, label=f"uniform 1/K = {1 / K:.2f}")
        for i in idx:
            ax1.text(i, p[i] + 0.02, f"{p[i]:.2f}", ha="center", fontsize=8)
        ax1.set(ylim=(0, 1.1), xticks=idx,
                xticklabels=[f"$z_{i + 1}={v:g}$" for i, v in enumerate(z)], ylabel="$p_i$")
        ax1.tick_params(axis="x", labelsize=8)
        ent = float(-np.sum(p * np.log(np.maximum(p, 1e-300))))
        ax1.set_title(f"$p = $softmax$(z/T)$, $T = {T:g}$, entropy {ent:.2f} nats", fontsize=9)
        ax1.legend(loc="upper right", fontsize=8)
        vmax = 0.25
        ax2.imshow(J, cmap="RdBu_r", vmin=-vmax, vmax=vmax)
        for i in idx:
            for j in idx:
                ax2.text(j, i, f"{J[i, j]:.2f}", ha="center", va="center", fontsize=7,
                         color="k" if abs(J[i, j]) < 0.6 * vmax else "w")
        ax2.set(xticks=idx, yticks=idx, xticklabels=[f"$z_{j + 1}$" for j in idx],
                yticklabels=[f"$p_{i + 1}$" for i in idx])
        ax2.set_title(r"$\partial p/\partial z = (\mathrm{diag}(p) - pp^\top)/T$", fontsize=9)

    if alt is None:
        alt = (
            "Left: bar chart of the softmax probabilities of fixed logits divided by a "
            "temperature T, with the uniform level 1/K dashed. Right: the Jacobian of the "
            "probabilities with respect to the logits as a colour-coded matrix. Lowering T makes "
            "the probabilities approach one-hot and the Jacobian vanish; raising T makes them "
            "uniform."
        )
    options.setdefault("defaults", _fitting_defaults({"T": T}, {"T": 1}))
    return explore(plot, T=T, title=title, alt=alt, labels={"T": "temperature T"}, **options)
