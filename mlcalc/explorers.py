"""Ready-made explorers for the chapters, built on :func:`mlcalc.widgets.explore`.

Each function returns an :class:`~mlcalc.widgets.Explorer`; make it the last expression of a
notebook cell. Every parameter spec can be overridden with the same forms ``explore`` takes
(``(lo, hi, step)``, ``(lo, hi, step, default)`` or a list of values), e.g.
``tangent_explorer(x0=(-1.0, 1.0, 0.5))``. The numbers are computed with numpy here, so the
explorers do not depend on other mlcalc modules.

| explorer | chapter | sliders |
| --- | --- | --- |
| :func:`tangent_explorer` | derivatives | point x0 |
| :func:`directional_derivative_explorer` | gradients | point, direction angle |
| :func:`linear_approximation_explorer` | jacobians | point (x0, y0), patch radius |
| :func:`quadratic_form_explorer` | hessians | entries a11, a12 (= a21), a22 |
| :func:`gradient_descent_explorer` | hessians / linear models | learning rate, steps |
| :func:`activation_explorer` | activations | function, point x0 |
| :func:`softmax_temperature_explorer` | activations / losses | temperature T |
| :func:`logistic_regression_explorer` | linear models | method, iteration |
| :func:`map_mle_explorer` | likelihood | prior width tau, sample size n |
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from .activations import sigmoid
from .widgets import Explorer, explore

__all__ = [
    "activation_explorer",
    "directional_derivative_explorer",
    "gradient_descent_explorer",
    "linear_approximation_explorer",
    "logistic_regression_explorer",
    "map_mle_explorer",
    "quadratic_form_explorer",
    "softmax_temperature_explorer",
    "tangent_explorer",
]

_RED, _BLUE, _ORANGE, _GREEN, _GREY = "C3", "C0", "C1", "C2", "0.55"


# --------------------------------------------------------------------------------------------
# Numerical helpers (numpy, float64)
# --------------------------------------------------------------------------------------------


def _central_diff(f: Callable[[np.ndarray], np.ndarray], x: np.ndarray) -> np.ndarray:
    """Elementwise derivative of a scalar function of one variable by central differences."""
    x = np.asarray(x, dtype=float)
    h = 1e-5 * (1.0 + np.abs(x))
    return (np.asarray(f(x + h), dtype=float) - np.asarray(f(x - h), dtype=float)) / (2 * h)


def _numerical_gradient(f: Callable[[np.ndarray], float], w: np.ndarray) -> np.ndarray:
    w = np.asarray(w, dtype=float)
    g = np.zeros_like(w)
    for i in range(w.size):
        h = 1e-6 * (1.0 + abs(w.flat[i]))
        e = np.zeros_like(w)
        e.flat[i] = h
        g.flat[i] = (f(w + e) - f(w - e)) / (2 * h)
    return g


def _numerical_jacobian(f: Callable[[np.ndarray], np.ndarray], w: np.ndarray) -> np.ndarray:
    w = np.asarray(w, dtype=float)
    cols = []
    for i in range(w.size):
        h = 1e-6 * (1.0 + abs(w.flat[i]))
        e = np.zeros_like(w)
        e.flat[i] = h
        cols.append((np.asarray(f(w + e)) - np.asarray(f(w - e))) / (2 * h))
    return np.stack(cols, axis=-1)


def _fitting_defaults(specs: dict[str, Any], wanted: dict[str, Any]) -> dict[str, Any]:
    """The preferred first values that the (possibly overridden) specs can show."""
    out = {}
    for name, value in wanted.items():
        spec = specs[name]
        if isinstance(spec, list):
            if value in spec:
                out[name] = value
        elif isinstance(spec, tuple) and len(spec) == 3 and all(
            isinstance(v, (int, float)) for v in spec
        ):
            if spec[0] <= value <= spec[1]:
                out[name] = value
    return out


def _as_vector(name: str, v: Any, n: int) -> np.ndarray:
    a = np.array(v, dtype=float)
    if a.shape != (n,):
        raise ValueError(f"{name}: expected a vector of shape ({n},), got shape {a.shape}")
    if not np.all(np.isfinite(a)):
        raise ValueError(f"{name}: expected finite numbers, got {v!r}")
    return a


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
        ax1.set_title(r"red: $\nabla f/\|\nabla f\|$, green: $u$", fontsize=9)
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
        ax1.set_title(f"input: patch of radius {radius:g} at $p$", fontsize=9)
        ax2.set(xlim=out_xlim, ylim=out_ylim, aspect="equal", xlabel="$f_1$",
                ylabel="$f_2$")
        ax2.set_title(
            rf"blue: $f$, dashed: $f(p)+J(p)(x-p)$, gap {err:.3f}", fontsize=9
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
        ax1.set_title(rf"$w_{{k+1}} = w_k - \eta\,\nabla f(w_k)$, $\eta = {lr:g}$", fontsize=9)
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
            ax1.set_title(f"{func}: not differentiable at $x_0 = 0$", fontsize=9)
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
        ax2.set_title(f"MAP = {weight:.2f} MLE + {1 - weight:.2f} prior mean", fontsize=9)

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
