"""Explorers of second derivatives: the quadratic form and its eigenvectors, and gradient
descent on a quadratic whose Hessian sets the largest stable learning rate (hessians,
linear models)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from ..widgets import Explorer, explore
from ._common import (
    _BLUE,
    _GREEN,
    _GREY,
    _RED,
    _as_vector,
    _fitting_defaults,
    _numerical_gradient,
)

__all__ = ["gradient_descent_explorer", "quadratic_form_explorer"]


# --------------------------------------------------------------------------------------------
# 4. Quadratic form (chapter: hessians)
# --------------------------------------------------------------------------------------------


def _quadratic_verdict(eigenvalues: np.ndarray, tol: float = 1e-12) -> str:
    """Classify the critical point 0 of x^T A x from the eigenvalues of A (symmetric)."""
    lam = np.asarray(eigenvalues, dtype=float)
    scale = max(1.0, float(np.max(np.abs(lam))))
    pos, neg = np.sum(lam > tol * scale), np.sum(lam < -tol * scale)
    if pos == lam.size:
        return "minimum (positive definite)"
    if neg == lam.size:
        return "maximum (negative definite)"
    if pos and neg:
        return "saddle (indefinite)"
    return "semidefinite: flat direction, test inconclusive"


def quadratic_form_explorer(
    *,
    a11: Any = (-1.5, 1.5, 1.0, 1.5),
    a12: Any = [0.0, 0.5, 1.0],  # noqa: B006 - a list means "these values" (never mutated)
    a22: Any = (-1.5, 1.5, 1.0, 1.5),
    title: str | None = "Quadratic form and its eigenvectors",
    alt: str | None = None,
    **options: Any,
) -> Explorer:
    """Contours of q(x) = xᵀAx for a symmetric 2 x 2 matrix A = [[a11, a12], [a12, a22]].

    Left: contours of q (red positive, blue negative, black q = 0), the eigenvectors of A
    drawn with their eigenvalues. Right: q along each eigenvector, q(t v_i) = λ_i t². The
    title gives the verdict for the critical point x = 0 from the signs of the eigenvalues of
    the Hessian 2A: minimum, maximum, saddle or semidefinite.

    Args:
        a11, a12, a22: specs of the entries of A (a21 = a12).
        title: title above the figure.
        alt: alt text.
        **options: further keywords of :func:`~mlcalc.widgets.explore`.

    Returns:
        The explorer.
    """
    g = np.linspace(-2, 2, 121)
    X, Y = np.meshgrid(g, g)
    from matplotlib.colors import TwoSlopeNorm

    def plot(fig, a11, a12, a22):
        A = np.array([[a11, a12], [a12, a22]], dtype=float)
        lam, V = np.linalg.eigh(A)
        Q = a11 * X**2 + 2 * a12 * X * Y + a22 * Y**2
        ax1, ax2 = fig.subplots(1, 2)
        vmax = 12.0
        levels = np.linspace(-vmax, vmax, 17)
        ax1.contourf(X, Y, np.clip(Q, -vmax, vmax), levels=levels, cmap="RdBu_r",
                     norm=TwoSlopeNorm(0, -vmax, vmax))
        if Q.min() < 0 < Q.max():
            ax1.contour(X, Y, Q, levels=[0], colors="k", linewidths=1)
        t = np.linspace(-2, 2, 101)
        for i, c in enumerate((_GREEN, "C4")):
            v = V[:, i] * np.sign(V[np.argmax(np.abs(V[:, i])), i])
            ax1.annotate("", 1.5 * v, (0, 0), arrowprops=dict(arrowstyle="->", color=c, lw=2))
            ax1.text(*(1.7 * v), rf"$\lambda_{i + 1}={lam[i]:.2f}$", color=c, fontsize=9,
                     ha="center", va="center",
                     bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="none", alpha=0.8))
            ax2.plot(t, lam[i] * t**2, color=c, label=rf"$q(t\,v_{i + 1}) = {lam[i]:.2f}\,t^2$")
        ax1.set(xlim=(-2, 2), ylim=(-2, 2), aspect="equal", xlabel="$x_1$", ylabel="$x_2$")
        ax1.set_title(f"$A = [[{a11:g}, {a12:g}], [{a12:g}, {a22:g}]]$", fontsize=9)
        ax2.axhline(0, color=_GREY, lw=0.8)
        ax2.set(xlim=(-2, 2), ylim=(-10, 10), xlabel="$t$", ylabel="$q$")
        ax2.legend(loc="lower left", fontsize=8)
        ax2.grid(alpha=0.3)
        ax2.set_title("at $x = 0$: " + _quadratic_verdict(lam), fontsize=9)

    if alt is None:
        alt = (
            "Left: filled contours of the quadratic form x transpose A x (red positive, blue "
            "negative) with the two eigenvectors of A labelled by their eigenvalues. Right: the "
            "form along each eigenvector, two parabolas lambda t squared, and the verdict "
            "minimum, maximum, saddle or semidefinite. Changing the entries of A rotates and "
            "reshapes the contours."
        )
    options.setdefault("defaults", _fitting_defaults({"a12": a12}, {"a12": 1.0}))
    return explore(plot, a11=a11, a12=a12, a22=a22, title=title, alt=alt,
                   labels={"a11": "a₁₁", "a12": "a₁₂ = a₂₁", "a22": "a₂₂"}, **options)


# --------------------------------------------------------------------------------------------
# 5. Gradient descent (chapters: hessians, linear models)
# --------------------------------------------------------------------------------------------

_GD_H = np.array([[5.5, 4.5], [4.5, 5.5]])  # eigenvalues 1 and 10: diverges for lr > 0.2


def _gd_path(grad: Callable[[np.ndarray], np.ndarray], w0: np.ndarray, lr: float,
             steps: int) -> np.ndarray:
    """Iterates w_{k+1} = w_k - lr * grad(w_k), k = 0..steps; stops early once they blow up."""
    path = [np.array(w0, dtype=float)]
    for _ in range(int(steps)):
        w = path[-1] - lr * np.asarray(grad(path[-1]), dtype=float)
        path.append(w)
        if not np.all(np.isfinite(w)) or np.max(np.abs(w)) > 1e6:
            break
    return np.array(path)


def gradient_descent_explorer(
    f: Callable[[np.ndarray], float] | None = None,
    grad: Callable[[np.ndarray], np.ndarray] | None = None,
    *,
    w0: Sequence[float] = (-1.6, 0.6),
    lr: Any = (0.04, 0.24, 0.04),
    steps: Any = [1, 2, 5, 10, 25, 50],  # noqa: B006 (read only)
    box: float = 2.0,
    title: str | None = "Gradient descent: learning rate and steps",
    alt: str | None = None,
    **options: Any,
) -> Explorer:
    """Gradient descent on a 2-D loss: the path over the contours and the loss per step.

    The default loss is f(w) = wᵀHw/2 with H = [[5.5, 4.5], [4.5, 5.5]] (eigenvalues 1 and 10):
    the iteration converges for a learning rate below 2/10 = 0.2 and diverges above it, and
    zig-zags across the narrow valley well before that.

    Args:
        f: loss of a vector w of shape (2,). Default: the quadratic above.
        grad: its gradient; default: exact for the default ``f``, central differences
            otherwise.
        w0: starting point.
        lr: spec of the learning-rate slider.
        steps: spec of the number-of-steps slider.
        box: the plot shows [-box, box]².
        title: title above the figure.
        alt: alt text.
        **options: further keywords of :func:`~mlcalc.widgets.explore`.

    Returns:
        The explorer.
    """
    if f is None:

        def f(w):
            w = np.asarray(w, dtype=float)
            return 0.5 * np.einsum("i...,ij,j...->...", w, _GD_H, w)

        if grad is None:

            def grad(w):
                return _GD_H @ np.asarray(w, dtype=float)

    if grad is None:
        user_f = f

        def grad(w):
            return _numerical_gradient(lambda v: float(user_f(v)), w)

    start = _as_vector("w0", w0, 2)
    g = np.linspace(-box, box, 121)
    X, Y = np.meshgrid(g, g)
    Z = np.array([[float(f(np.array([a, b]))) for a in g] for b in g])
    levels = np.quantile(Z, np.linspace(0, 1, 14) ** 2)
    levels = np.unique(levels)
    f0 = float(f(start))

    def plot(fig, lr, steps):
        path = _gd_path(grad, start, lr, steps)
        losses = np.array([float(f(w)) if np.all(np.isfinite(w)) else np.inf for w in path])
        ax1, ax2 = fig.subplots(1, 2)
        ax1.contourf(X, Y, Z, levels=levels, cmap="Blues_r", alpha=0.35)
        shown = np.clip(path, -1.5 * box, 1.5 * box)
        ax1.plot(shown[:, 0], shown[:, 1], "-o", color=_RED, ms=3, lw=1)
        ax1.plot(*start, "s", color="k", ms=5)
        ax1.set(xlim=(-box, box), ylim=(-box, box), aspect="equal", xlabel="$w_1$",
                ylabel="$w_2$")
        w_end = path[-1]
        ax1.set_title(rf"$w_{{k+1}} = w_k - \eta\,\nabla f(w_k)$, $\eta = {lr:g}$" "\n"
                      rf"$w_{{{len(path) - 1}}} = ({w_end[0]:.3g}, {w_end[1]:.3g})$", fontsize=9)
        k = np.arange(len(losses))
        ax2.semilogy(k, np.maximum(losses, 1e-16), "-o", color=_BLUE, ms=3)
        ax2.set(xlim=(-0.5, max(steps, 1) + 0.5), ylim=(1e-8, max(1e4, 10 * f0)),
                xlabel="step $k$", ylabel="loss $f(w_k)$")
        ax2.grid(alpha=0.3)
        last = losses[-1]
        verdict = "diverging" if (not np.isfinite(last) or last > f0) else f"loss {last:.2e}"
        ax2.set_title(f"after {len(path) - 1} steps: {verdict}", fontsize=9)

    if alt is None:
        alt = (
            "Left: contour lines of a two-dimensional loss with the gradient descent path from a "
            "fixed start. Right: the loss after each step on a log scale. A small learning rate "
            "creeps along the valley, a larger one zig-zags, and above 2 over the largest "
            "Hessian eigenvalue the path diverges; more steps extend the path."
        )
    options.setdefault(
        "defaults", _fitting_defaults({"lr": lr, "steps": steps}, {"lr": 0.08, "steps": 10})
    )
    return explore(plot, lr=lr, steps=steps, title=title, alt=alt,
                   labels={"lr": "learning rate η", "steps": "steps"}, **options)
