"""Generic solvers that return every iterate: gradient descent and Newton's method."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ._validate import (
    _as_float_array,
    _check_count,
    _check_positive,
)

__all__ = ["gradient_descent", "newton"]


# ---------------------------------------------------------------------------------------------
# generic solvers
# ---------------------------------------------------------------------------------------------


def gradient_descent(grad: Callable, w0, lr, n_steps: int, *, tol=None) -> np.ndarray:
    """Gradient descent ``w_{t+1} = w_t - lr * grad(w_t)``, returning every iterate.

    Args:
        grad: Callable returning the gradient at ``w``, an array of ``w``'s shape.
        w0: Starting point, any shape (a scalar for 1-D demos); it is copied, never modified.
        lr: Step size (learning rate), a scalar ``> 0``.
        n_steps: Number of steps, an integer ``>= 0``.
        tol: Optional. Stop early once a step ``lr * grad`` has all entries ``<= tol`` in
            absolute value (the returned array is then shorter).

    Returns:
        Float64 array of shape ``(n_steps + 1,) + w0.shape`` (fewer rows if stopped early);
        row 0 is ``w0``.

    Raises:
        ValueError: If ``lr <= 0``, ``n_steps`` is not a non-negative integer, or ``grad``
            returns an array of the wrong shape.
    """
    lr = _check_positive(lr, "lr")
    n_steps = _check_count(n_steps, "n_steps", 0)
    w = np.array(_as_float_array(w0, "w0"), dtype=np.float64)
    iterates = [w]
    for _ in range(n_steps):
        g = np.asarray(grad(w.copy()), dtype=np.float64)
        if g.shape != w.shape:
            raise ValueError(
                f"grad must return an array of the shape of w0 {w.shape}, got shape {g.shape}"
            )
        step = lr * g
        w = w - step
        iterates.append(w)
        if tol is not None and np.max(np.abs(step), initial=0.0) <= tol:
            break
    return np.array(iterates)


def newton(grad: Callable, hess: Callable, w0, n_steps: int, *, tol=None) -> np.ndarray:
    """Newton's method ``w_{t+1} = w_t - H(w_t)^{-1} grad(w_t)``, returning every iterate.

    The Newton step solves ``H s = g`` with ``solve`` (no inverse). Newton's method jumps to
    the minimum of the local quadratic model: one step for a quadratic loss (OLS, ridge),
    and quadratic convergence near a minimiser with a positive definite Hessian. It is not a
    descent method in general (no line search here): with an indefinite Hessian it can move
    uphill, towards a saddle or a maximum.

    Args:
        grad: Callable returning the gradient at ``w``, shape ``(d,)`` (or a scalar).
        hess: Callable returning the Hessian at ``w``, shape ``(d, d)`` (or a scalar).
        w0: Starting point, shape ``(d,)``, or a scalar for 1-D demos; copied.
        n_steps: Number of steps, an integer ``>= 0``.
        tol: Optional. Stop early once a step has all entries ``<= tol`` in absolute value.

    Returns:
        Float64 array of shape ``(n_steps + 1,) + w0.shape`` (fewer rows if stopped early).

    Raises:
        ValueError: If ``w0`` is not a scalar or 1-D, ``n_steps`` is bad, or ``grad``/``hess``
            return arrays of the wrong shape.
        numpy.linalg.LinAlgError: If the Hessian is singular at an iterate.
    """
    n_steps = _check_count(n_steps, "n_steps", 0)
    w = np.array(_as_float_array(w0, "w0"), dtype=np.float64)
    if w.ndim > 1:
        raise ValueError(f"w0 must be a scalar or have shape (d,), got shape {w.shape}")
    iterates = [w]
    for t in range(n_steps):
        g = np.asarray(grad(w.copy()), dtype=np.float64)
        H = np.asarray(hess(w.copy()), dtype=np.float64)
        if g.shape != w.shape:
            raise ValueError(f"grad must return shape {w.shape}, got shape {g.shape}")
        if H.shape != w.shape * 2:
            raise ValueError(f"hess must return shape {w.shape * 2}, got shape {H.shape}")
        if w.ndim == 0:
            if H == 0:
                raise np.linalg.LinAlgError(f"newton: second derivative is 0 at step {t}")
            step = g / H
        else:
            try:
                step = np.linalg.solve(H, g)
            except np.linalg.LinAlgError:
                raise np.linalg.LinAlgError(
                    f"newton: the Hessian is singular at step {t}"
                ) from None
        w = w - step
        iterates.append(w)
        if tol is not None and np.max(np.abs(step), initial=0.0) <= tol:
            break
    return np.array(iterates)
