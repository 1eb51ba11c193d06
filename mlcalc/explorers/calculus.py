"""Explorers of first derivatives: the tangent line (derivatives), the directional
derivative (gradients) and the linear approximation of a map (jacobians)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from ..widgets import Explorer, explore
from ._common import (
    _BLUE,
    _GREEN,
    _GREY,
    _ORANGE,
    _RED,
    _as_vector,
    _central_diff,
    _numerical_gradient,
    _numerical_jacobian,
)

__all__ = ["directional_derivative_explorer", "linear_approximation_explorer", "tangent_explorer"]


# --------------------------------------------------------------------------------------------
# 1. Tangent line (chapter: derivatives)
# --------------------------------------------------------------------------------------------


def _cubic(x):
    return x**3 / 3 - x


def _cubic_prime(x):
    return x**2 - 1


def tangent_explorer(
    f: Callable[[np.ndarray], np.ndarray] | None = None,
    df: Callable[[np.ndarray], np.ndarray] | None = None,
    *,
    x0: Any = (-2.0, 2.0, 0.2),
    x_range: tuple[float, float] = (-2.6, 2.6),
    label: str = r"$f(x) = x^3/3 - x$",
    title: str | None = "Tangent line and derivative",
    alt: str | None = None,
    **options: Any,
) -> Explorer:
    """Tangent line to ``f`` at a movable point ``x0``, beside the graph of ``f'``.

    Left: the graph of f, the point (x0, f(x0)) and the tangent line
    y = f(x0) + f'(x0) (x - x0). Right: the graph of f' with the point (x0, f'(x0)): the slope
    of the tangent on the left is the height on the right.

    Args:
        f: vectorised scalar function of one variable (numpy). Default: x^3/3 - x.
        df: its derivative; default: the exact derivative for the default ``f``, central
            differences otherwise.
        x0: spec of the point's slider.
        x_range: interval shown on the horizontal axis.
        label: legend label of f (matplotlib mathtext).
        title: title above the figure.
        alt: alt text (default describes the figure).
        **options: further keywords of :func:`~mlcalc.widgets.explore` (figsize, dpi,
            max_frames, max_bytes, precompute, ...).

    Returns:
        The explorer.
    """
    if f is None:
        f, df = _cubic, (_cubic_prime if df is None else df)
    if df is None:
        user_f = f

        def df(x):
            return _central_diff(user_f, x)

    lo, hi = float(x_range[0]), float(x_range[1])
    if not lo < hi:
        raise ValueError(f"x_range: expected (lo, hi) with lo < hi, got {x_range!r}")
    x = np.linspace(lo, hi, 401)
    y, dy = np.asarray(f(x), dtype=float), np.asarray(df(x), dtype=float)
    pad_y = 0.15 * (np.ptp(y) + 1e-12)
    pad_d = 0.15 * (np.ptp(dy) + 1e-12)
    ylim = (y.min() - pad_y, y.max() + pad_y)
    dlim = (min(dy.min(), 0.0) - pad_d, max(dy.max(), 0.0) + pad_d)

    def plot(fig, x0):
        fx0 = float(np.asarray(f(np.array(x0)), dtype=float))
        s = float(np.asarray(df(np.array(x0)), dtype=float))
        ax1, ax2 = fig.subplots(1, 2)
        ax1.plot(x, y, color=_BLUE, label=label)
        ax1.plot(x, fx0 + s * (x - x0), color=_ORANGE, label="tangent")
        ax1.plot([x0], [fx0], "o", color="k", ms=5)
        ax1.set(xlim=(lo, hi), ylim=ylim, xlabel="$x$", ylabel="$y$")
        ax1.set_title(f"$x_0 = {x0:.2f}$,  slope $f'(x_0) = {s:.2f}$", fontsize=10)
        ax1.legend(loc="upper left", fontsize=8)
        ax1.grid(alpha=0.3)
        ax2.plot(x, dy, color=_GREEN, label="$f'(x)$")
        ax2.axhline(0, color=_GREY, lw=0.8)
        ax2.plot([x0], [s], "o", color=_ORANGE, ms=6)
        ax2.vlines(x0, 0, s, color=_ORANGE, ls="--", lw=1)
        ax2.set(xlim=(lo, hi), ylim=dlim, xlabel="$x$", ylabel="$f'(x)$")
        ax2.set_title("$f'$: its height is the slope on the left", fontsize=10)
        ax2.grid(alpha=0.3)

    if alt is None:
        alt = (
            "Left: the graph of f with its tangent line at the point x0; right: the graph of "
            "the derivative f' with a marker at x0 whose height equals the tangent's slope. "
            "Moving x0 slides the point and tilts the tangent."
        )
    return explore(plot, x0=x0, title=title, alt=alt, labels={"x0": "x₀"}, **options)


# --------------------------------------------------------------------------------------------
# 2. Directional derivative (chapter: gradients)
# --------------------------------------------------------------------------------------------


def _bowl(x, y):
    return x**2 + 0.8 * x * y + 2 * y**2 + 0.5 * np.sin(2 * x)


def _bowl_grad(x, y):
    return np.array([2 * x + 0.8 * y + np.cos(2 * x), 0.8 * x + 4 * y])


def directional_derivative_explorer(
    f: Callable[[Any, Any], Any] | None = None,
    grad: Callable[[float, float], np.ndarray] | None = None,
    *,
    points: Sequence[tuple[float, float]] = ((0.8, 0.6), (-1.0, -0.4)),
    angle: Any = (0, 330, 30),
    box: float = 2.0,
    title: str | None = "Directional derivative",
    alt: str | None = None,
    **options: Any,
) -> Explorer:
    """Contours of f(x, y) with the gradient at a point and a movable unit direction u.

    Left: contours, the gradient direction (red), the unit direction u (green) at angle θ and
    the projection of ∇f onto u. Right: the directional derivative D_u f = ∇f·u as a function
    of θ: a cosine of amplitude ‖∇f‖ whose maximum is at the direction of ∇f and whose zeros
    are the directions along the level curve.

    Args:
        f: ``f(x, y)`` vectorised over numpy arrays. Default:
            x² + 0.8xy + 2y² + sin(2x)/2.
        grad: ``grad(x, y)`` returning the gradient as an array of shape (2,); default: exact
            for the default ``f``, central differences otherwise.
        points: the points to choose from (a drop-down).
        angle: spec of the direction slider in degrees.
        box: the plot shows [-box, box]².
        title: title above the figure.
        alt: alt text.
        **options: further keywords of :func:`~mlcalc.widgets.explore`.

    Returns:
        The explorer.
    """
    if f is None:
        f, grad = _bowl, (_bowl_grad if grad is None else grad)
    if grad is None:
        user_f = f

        def grad(x, y):
            return _numerical_gradient(lambda w: float(user_f(w[0], w[1])), np.array([x, y]))

    pts = [_as_vector("points[i]", p, 2) for p in points]
    if not pts:
        raise ValueError("points: expected at least one (x, y) point")
    names = [f"({p[0]:g}, {p[1]:g})" for p in pts]
    by_name = dict(zip(names, pts, strict=True))
    g = np.linspace(-box, box, 161)
    X, Y = np.meshgrid(g, g)
    Z = np.asarray(f(X, Y), dtype=float)
    levels = np.linspace(Z.min(), Z.max(), 16)
    theta = np.linspace(0, 360, 361)

    def plot(fig, point, angle):
        p = by_name[point]
        gp = _as_vector("grad(x, y)", grad(p[0], p[1]), 2)
        norm = float(np.hypot(*gp))
        t = np.deg2rad(angle)
        u = np.array([np.cos(t), np.sin(t)])
        d = float(gp @ u)
        ax1, ax2 = fig.subplots(1, 2, width_ratios=[1, 1.25])
        ax1.contourf(X, Y, Z, levels=levels, cmap="Blues_r", alpha=0.35)
        L = 0.35 * box
        if norm > 0:
            gh = gp / norm
            ax1.annotate("", p + L * gh, p, arrowprops=dict(arrowstyle="->", color=_RED, lw=2))
            foot = p + L * (gh @ u) * u
            ax1.plot([p[0] + L * gh[0], foot[0]], [p[1] + L * gh[1], foot[1]], ":", color=_RED)
        ax1.annotate("", p + L * u, p, arrowprops=dict(arrowstyle="->", color=_GREEN, lw=2))
        ax1.plot(*p, "ko", ms=4)
        ax1.set(xlim=(-box, box), ylim=(-box, box), aspect="equal", xlabel="$x$",
                ylabel="$y$")
        ax1.set_title(rf"$\theta = {angle:g}^\circ$ at $p = ({p[0]:g}, {p[1]:g})$" "\n"
                      r"red: $\nabla f/\|\nabla f\|$, green: $u$", fontsize=9)
        curve = norm * np.cos(np.deg2rad(theta) - np.arctan2(gp[1], gp[0]))
        ax2.plot(theta, curve, color=_BLUE, lw=1.5)
        ax2.axhline(0, color=_GREY, lw=0.8)
        best = np.rad2deg(np.arctan2(gp[1], gp[0])) % 360
        ax2.plot([best], [norm], "^", color=_RED, ms=8, label=r"max $=\|\nabla f\|$")
        ax2.plot([angle], [d], "o", color=_GREEN, ms=7, label=r"$D_u f = \nabla f \cdot u$")
        ax2.set(xlim=(0, 360), xticks=range(0, 361, 90), xlabel=r"angle $\theta$ of $u$ (deg)",
                ylabel=r"$D_u f$")
        ax2.set_title(
            rf"$D_u f = {d:.2f}$,  $\|\nabla f\| = {norm:.2f}$ at $\theta = {best:.0f}^\circ$",
            fontsize=9,
        )
        ax2.legend(loc="lower left", fontsize=8)
        ax2.grid(alpha=0.3)

    if alt is None:
        alt = (
            "Left: contour lines of f(x, y), a point, the gradient direction (red arrow) and a "
            "unit direction u (green arrow) with the projection of the gradient onto u. Right: "
            "the directional derivative as a function of the angle of u, a cosine whose maximum, "
            "the gradient's length, is at the gradient's direction. Moving the angle turns u."
        )
    return explore(plot, point=names, angle=angle, title=title, alt=alt,
                   labels={"angle": "angle θ (deg)"}, **options)


# --------------------------------------------------------------------------------------------
# 3. Linear approximation of a map R^2 -> R^2 (chapter: jacobians)
# --------------------------------------------------------------------------------------------


def _warp(x, y):
    return np.array([x + 0.4 * y**2, y - 0.4 * x**2 + 0.2 * x])


def _warp_jac(x, y):
    return np.array([[1.0, 0.8 * y], [-0.8 * x + 0.2, 1.0]])


def linear_approximation_explorer(
    f: Callable[[Any, Any], np.ndarray] | None = None,
    jac: Callable[[float, float], np.ndarray] | None = None,
    *,
    x0: Any = (-1.0, 1.0, 0.5),
    y0: Any = (-1.0, 1.0, 0.5),
    radius: Any = 0.6,
    title: str | None = "A map and its linear approximation",
    alt: str | None = None,
    **options: Any,
) -> Explorer:
    """A square grid patch around p = (x0, y0), its image under f and under f's linearisation.

    Left: the input plane with the patch. Right: the output plane with the image of the whole
    grid under f (grey), the patch's image under f (blue, curved) and under the linear
    approximation f(p) + J(p)(x - p) (orange, dashed, straight). The gap shrinks like r² as the
    radius r shrinks.

    Args:
        f: ``f(x, y)`` returning the stacked components ``[f1, f2]``, vectorised. Default:
            f(x, y) = (x + 0.4y², y - 0.4x² + 0.2x).
        jac: ``jac(x, y)`` returning the 2 x 2 Jacobian; default: exact for the default ``f``,
            central differences otherwise.
        x0, y0: specs of the point's coordinates.
        radius: the patch's half-width: a number (fixed), or a spec for a third slider, e.g.
            ``[0.75, 0.25]`` to show the approximation improving as the patch shrinks.
        title: title above the figure.
        alt: alt text.
        **options: further keywords of :func:`~mlcalc.widgets.explore`.

    Returns:
        The explorer.
    """
    if f is None:
        f, jac = _warp, (_warp_jac if jac is None else jac)
    if jac is None:
        user_f = f

        def jac(x, y):
            return _numerical_jacobian(lambda w: np.asarray(user_f(w[0], w[1])), np.array([x, y]))

    s = np.linspace(-1, 1, 7)
    dense = np.linspace(-1, 1, 61)
    full = np.linspace(-2, 2, 7)
    full_dense = np.linspace(-2, 2, 81)
    bg = []
    for c in full:
        bg.append(np.asarray(f(np.full_like(full_dense, c), full_dense), dtype=float))
        bg.append(np.asarray(f(full_dense, np.full_like(full_dense, c)), dtype=float))
    allpts = np.concatenate(bg, axis=1)
    lo, hi = allpts.min(axis=1) - 0.2, allpts.max(axis=1) + 0.2
    out_xlim, out_ylim = (lo[0], hi[0]), (lo[1], hi[1])

    def plot(fig, x0, y0, radius):
        p = np.array([x0, y0])
        fp = np.asarray(f(x0, y0), dtype=float)
        J = np.asarray(jac(x0, y0), dtype=float)
        if J.shape != (2, 2):
            raise ValueError(f"jac(x, y): expected shape (2, 2), got {J.shape}")
        ax1, ax2 = fig.subplots(1, 2)
        for c in full:
            ax1.plot(full_dense, np.full_like(full_dense, c), color="0.85", lw=0.6)
            ax1.plot(np.full_like(full_dense, c), full_dense, color="0.85", lw=0.6)
        for xs, ys in bg:
            ax2.plot(xs, ys, color="0.85", lw=0.6)
        err = 0.0
        for c in s:
            for line in ((radius * dense, np.full_like(dense, radius * c)),
                         (np.full_like(dense, radius * c), radius * dense)):
                dx, dy = line
                ax1.plot(x0 + dx, y0 + dy, color=_BLUE, lw=0.8)
                img = np.asarray(f(x0 + dx, y0 + dy), dtype=float)
                lin = fp[:, None] + J @ np.vstack([dx, dy])
                ax2.plot(img[0], img[1], color=_BLUE, lw=0.9)
                ax2.plot(lin[0], lin[1], color=_ORANGE, lw=0.9, ls="--")
                err = max(err, float(np.max(np.hypot(*(img - lin)))))
        ax1.plot(*p, "ko", ms=4)
        ax2.plot(*fp, "ko", ms=4)
        ax1.set(xlim=(-2.4, 2.4), ylim=(-2.4, 2.4), aspect="equal", xlabel="$x_1$",
                ylabel="$x_2$")
        ax1.set_title(f"input: patch of radius {radius:g} at $p = ({x0:g}, {y0:g})$", fontsize=9)
        ax2.set(xlim=out_xlim, ylim=out_ylim, aspect="equal", xlabel="$f_1$",
                ylabel="$f_2$")
        ax2.set_title(
            rf"$f(p) = ({fp[0]:.2f}, {fp[1]:.2f})$, gap {err:.3f}" "\n"
            r"blue: $f$, dashed: $f(p)+J(p)(x-p)$", fontsize=9
        )

    if alt is None:
        alt = (
            "Left: a square grid patch around the point p in the input plane. Right: its image "
            "under the map f (curved blue lines) and under the linear approximation at p "
            "(straight dashed orange lines), over the faint image of the whole grid. Moving p "
            "changes the local stretching and turning; the smaller the patch, the closer the two "
            "images."
        )
    labels = {"x0": "p₁", "y0": "p₂", "radius": "radius r"}
    if isinstance(radius, (list, tuple)):
        return explore(plot, x0=x0, y0=y0, radius=radius, title=title, alt=alt, labels=labels,
                       **options)
    r = float(radius)
    if not r > 0:
        raise ValueError(f"radius: expected a number > 0 or a spec, got {radius!r}")

    def plot_fixed(fig, x0, y0):
        plot(fig, x0, y0, r)

    labels.pop("radius")
    return explore(plot_fixed, x0=x0, y0=y0, title=title, alt=alt, labels=labels, **options)
