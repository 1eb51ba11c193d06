"""Verification: each identity's claimed derivative against autograd, central differences and
``mlcalc``'s checker, at random inputs of fresh shapes; each common mistake refuted."""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import autograd
import autograd.numpy as anp
import numpy as np

from ._records import Identity, _as_rng
from ._registry import _registered, get_identity, identities_for

_TOL = {"autograd": 1e-7, "fd": 1e-5, "fd2": 1e-4}


def _fd_jacobian(fn: Callable, x: Any, h_rel: float = 6e-6) -> np.ndarray:
    """Central-difference Jacobian, shape ``fn(x).shape + x.shape`` (independent of autograd)."""
    x = np.array(x, dtype=float)
    f0 = np.asarray(fn(x.copy()), dtype=float)
    jac = np.empty(f0.shape + (x.size,))
    for i in range(x.size):
        h = h_rel * max(1.0, abs(x.reshape(-1)[i]))
        xp, xm = x.copy(), x.copy()
        xp.reshape(-1)[i] += h
        xm.reshape(-1)[i] -= h
        step = xp.reshape(-1)[i] - xm.reshape(-1)[i]
        jac[..., i] = (np.asarray(fn(xp), dtype=float) - np.asarray(fn(xm), dtype=float)) / step
    return jac.reshape(f0.shape + x.shape)


def _fd_hessian(fn: Callable, x: Any, h_rel: float = 2e-4) -> np.ndarray:
    """Central-difference Hessian of a scalar function from function values only."""
    x = np.array(x, dtype=float)
    n = x.size
    hess = np.empty((n, n))
    hs = [h_rel * max(1.0, abs(v)) for v in x.reshape(-1)]

    def at(i, si, j, sj):
        z = x.copy()
        z.reshape(-1)[i] += si * hs[i]
        z.reshape(-1)[j] += sj * hs[j]
        return float(fn(z))

    for i in range(n):
        for j in range(i, n):
            val = (at(i, 1, j, 1) - at(i, 1, j, -1) - at(i, -1, j, 1) + at(i, -1, j, -1)) / (
                4 * hs[i] * hs[j]
            )
            hess[i, j] = hess[j, i] = val
    return hess.reshape(x.shape + x.shape)


def _expand(ident: Identity, value: np.ndarray) -> np.ndarray:
    """Turn an elementwise (second) derivative into the full diagonal Jacobian (Hessian)."""
    if ident.kind in ("derivative", "second-derivative") and value.ndim == 1:
        return np.diag(value)
    return value


def _autograd_reference(kind: str, fn: Callable, x: Any) -> np.ndarray:
    if kind in ("gradient", "matrix-gradient"):
        return np.asarray(autograd.grad(fn)(x), dtype=float)
    if kind in ("jacobian", "derivative"):
        return np.asarray(autograd.jacobian(fn)(x), dtype=float)
    if kind == "hessian":
        return np.asarray(autograd.hessian(fn)(x), dtype=float)
    return np.asarray(autograd.hessian(lambda z: anp.sum(fn(z)))(x), dtype=float)


def _reference(ident: Identity, inputs: Mapping[str, Any], method: str) -> np.ndarray:
    """The derivative of ``ident.f`` computed independently of the claim (autograd or FD)."""
    fn = ident.function_of_wrt(inputs)
    x = inputs[ident.wrt]
    kind = ident.kind
    if kind in ("derivative", "second-derivative"):
        if np.ndim(x) != 1:
            raise ValueError(
                f"identity {ident.id!r}: a {kind} identity needs a 1-D array of points for "
                f"{ident.wrt!r}, got shape {np.shape(x)}"
            )
    if method == "autograd":
        with warnings.catch_warnings():
            # autograd warns when a derivative is identically zero (e.g. the Hessian of a^T x)
            warnings.filterwarnings("ignore", message="Output seems independent of input")
            return _autograd_reference(kind, fn, x)
    if method == "fd":
        if kind in ("gradient", "matrix-gradient", "jacobian", "derivative"):
            return _fd_jacobian(fn, x)
        if kind == "hessian":
            return _fd_hessian(fn, x)
        return _fd_hessian(lambda z: np.sum(fn(z)), x)
    raise ValueError(f"method must be 'autograd' or 'fd', got {method!r}")


def _describe_inputs(inputs: Mapping[str, Any]) -> str:
    parts = []
    for k, v in inputs.items():
        arr = np.asarray(v)
        parts.append(f"{k}{list(arr.shape)}" if arr.ndim else f"{k}={float(arr):.4g}")
    return ", ".join(parts)


def _compare(claimed: np.ndarray, ref: np.ndarray, tol: float) -> tuple[bool, str]:
    if claimed.shape != ref.shape:
        return False, f"shape {claimed.shape}, expected {ref.shape}"
    if not np.all(np.isfinite(claimed)):
        return False, "non-finite values in the claimed derivative"
    err = float(np.max(np.abs(claimed - ref))) if ref.size else 0.0
    scale = max(1.0, float(np.max(np.abs(ref)))) if ref.size else 1.0
    ok = err <= tol * scale
    idx = np.unravel_index(int(np.argmax(np.abs(claimed - ref))), ref.shape) if ref.size else ()
    detail = (
        f"max abs error {err:.3g} (tolerance {tol * scale:.3g}); at index {tuple(map(int, idx))}: "
        f"claimed {float(claimed[idx]) if ref.size else 0:.10g}, "
        f"reference {float(ref[idx]) if ref.size else 0:.10g}"
    )
    return ok, detail


def _checker_report(ident: Identity, inputs: Mapping[str, Any], derivative: Callable):
    """Run mlcalc's checker (``check_grad`` / ``check_jacobian`` / ``check_hessian``) on a claim."""
    from ..checks import check_grad, check_hessian, check_jacobian  # lazy: no import cycle

    fn = ident.function_of_wrt(inputs)
    x = inputs[ident.wrt]

    def claim(z):
        kwargs = dict(inputs)
        kwargs[ident.wrt] = z
        return np.asarray(derivative(**kwargs), dtype=float)

    if ident.kind in ("gradient", "matrix-gradient"):
        return check_grad(fn, claim, x)
    if ident.kind == "jacobian":
        return check_jacobian(fn, claim, x)
    if ident.kind == "hessian":
        return check_hessian(fn, claim, x)
    if ident.kind == "derivative":  # f elementwise: its Jacobian is diagonal
        return check_jacobian(fn, lambda z: np.diag(claim(z)), x)
    # second derivative of an elementwise f: the Hessian of sum(f) is diagonal
    return check_hessian(lambda z: np.sum(fn(z)), lambda z: np.diag(claim(z)), x)


_METHODS = ("autograd", "fd", "checker")


def verify(
    identity: Identity | str,
    rng: np.random.Generator | int | None = None,
    n_draws: int = 3,
    methods: Iterable[str] = _METHODS,
) -> bool:
    """Check an identity's claimed derivative at ``n_draws`` random inputs (fresh shapes each).

    The claim is compared with autograd (tolerance 1e-7 relative to the derivative's largest
    entry), with central differences computed here from ``f`` alone (1e-5 for first
    derivatives, 1e-4 for second), and with ``mlcalc``'s checker (``check_grad``,
    ``check_jacobian`` or ``check_hessian``, random directional differences). The inputs are
    checked against the identity's conditions first, and the claimed derivative must not modify
    them.

    Args:
        identity: an :class:`Identity` or its id.
        rng: a ``numpy.random.Generator``, an int seed, or None (seed 0).
        n_draws: number of random input draws (at least 1).
        methods: references to compare with, any of ``"autograd"``, ``"fd"``, ``"checker"``.

    Returns:
        True if every comparison passes.

    Raises:
        AssertionError: with the identity, the draw, the input shapes and the numbers, if a
            comparison fails or a generated input violates a condition.
        ValueError: for a bad ``n_draws`` or method.
    """
    ident = get_identity(identity) if isinstance(identity, str) else identity
    if not isinstance(ident, Identity):
        raise TypeError(
            f"identity must be an Identity or an id string, got {type(identity).__name__}"
        )
    if int(n_draws) < 1:
        raise ValueError(f"n_draws must be >= 1, got {n_draws}")
    methods = tuple(methods)
    for m in methods:
        if m not in _METHODS:
            raise ValueError(f"methods must be among {_METHODS}, got {m!r}")
    gen = _as_rng(rng)
    for draw in range(int(n_draws)):
        inputs = ident.make_inputs(gen)
        for cond in ident.conditions:
            if not cond.holds(inputs):
                raise AssertionError(
                    f"identity {ident.id!r}, draw {draw}: generated inputs violate the condition "
                    f"{cond.text!r} ({_describe_inputs(inputs)})"
                )
        frozen = {
            k: (np.array(v, copy=True) if isinstance(v, np.ndarray) else v)
            for k, v in inputs.items()
        }
        claimed = _expand(ident, ident.claimed(inputs))
        for k, v in frozen.items():
            if isinstance(v, np.ndarray) and not np.array_equal(v, inputs[k]):
                raise AssertionError(f"identity {ident.id!r}: the derivative modified input {k!r}")
        for method in methods:
            if method == "checker":
                report = _checker_report(ident, inputs, ident.derivative)
                if not report.ok:
                    raise AssertionError(
                        f"identity {ident.id!r} ({ident.latex}) is WRONG according to mlcalc's "
                        f"checker on draw {draw} ({_describe_inputs(inputs)}): {report!r}"
                    )
                continue
            ref = _reference(ident, inputs, method)
            tol = _TOL[method]
            if method == "fd" and ident.kind in ("hessian", "second-derivative"):
                tol = _TOL["fd2"]
            ok, detail = _compare(claimed, ref, tol)
            if not ok:
                raise AssertionError(
                    f"identity {ident.id!r} ({ident.latex}) is WRONG against {method} on draw "
                    f"{draw} ({_describe_inputs(inputs)}): {detail}"
                )
    return True


#: Alias of :func:`verify` under the name re-exported by ``mlcalc``.
verify_identity = verify


def refute_mistake(
    identity: Identity | str,
    rng: np.random.Generator | int | None = None,
    n_draws: int = 3,
) -> str:
    """Prove an identity's ``common_mistake`` wrong: it must disagree with autograd.

    The wrong form counts as refuted at a draw if its shape differs from the true derivative's,
    if it cannot be evaluated, or if it differs by more than 1e-3 relative to the true
    derivative's largest entry.

    Args:
        identity: an :class:`Identity` (with a ``common_mistake``) or its id.
        rng: a ``numpy.random.Generator``, an int seed, or None (seed 0).
        n_draws: number of random input draws.

    Returns:
        A one-line description of how the wrong form fails (for the first draw where it does).

    Raises:
        ValueError: if the identity has no ``common_mistake``.
        AssertionError: if the wrong form agrees with the true derivative on every draw.
    """
    ident = get_identity(identity) if isinstance(identity, str) else identity
    if ident.common_mistake is None:
        raise ValueError(f"identity {ident.id!r} has no common_mistake to refute")
    gen = _as_rng(rng)
    for draw in range(int(n_draws)):
        inputs = ident.make_inputs(gen)
        ref = _reference(ident, inputs, "autograd")
        try:
            wrong = _expand(
                ident, np.asarray(ident.common_mistake.derivative(**dict(inputs)), dtype=float)
            )
        except (ValueError, TypeError, IndexError, np.linalg.LinAlgError) as exc:
            return (
                f"{ident.id}: the wrong form cannot even be evaluated ({type(exc).__name__}: {exc})"
            )
        if wrong.shape != ref.shape:
            return f"{ident.id}: the wrong form has shape {wrong.shape}, the derivative {ref.shape}"
        err = float(np.max(np.abs(wrong - ref)))
        scale = max(1.0, float(np.max(np.abs(ref))))
        if not np.all(np.isfinite(wrong)) or err > 1e-3 * scale:
            return (
                f"{ident.id}: the wrong form is off by {err:.3g} (largest true entry "
                f"{float(np.max(np.abs(ref))):.3g}) on draw {draw} ({_describe_inputs(inputs)})"
            )
    raise AssertionError(
        f"the common mistake of {ident.id!r} ({ident.common_mistake.latex}) agreed with the true "
        f"derivative on all {n_draws} draws: it is not shown wrong"
    )


def verify_all(
    chapter: str | None = None,
    seed: int = 0,
    n_draws: int = 3,
    methods: Iterable[str] = _METHODS,
) -> dict[str, str]:
    """Verify every identity (of one chapter, or all) and refute every common mistake.

    Args:
        chapter: a chapter label, or None for the whole registry.
        seed: seed of the random inputs (each identity gets its own generator from it).
        n_draws: random input draws per identity.
        methods: references, as in :func:`verify`.

    Returns:
        A dict ``id -> "verified"`` (entries with a mistake: ``"verified; mistake refuted"``).

    Raises:
        AssertionError: listing every identity that failed, with the numbers.
    """
    idents = _registered() if chapter is None else identities_for(chapter)
    results: dict[str, str] = {}
    failures: list[str] = []
    for k, ident in enumerate(idents):
        rng = np.random.default_rng([seed, k])
        try:
            verify(ident, rng=rng, n_draws=n_draws, methods=methods)
            status = "verified"
            if ident.common_mistake is not None:
                refute_mistake(ident, rng=rng, n_draws=n_draws)
                status += "; mistake refuted"
            results[ident.id] = status
        except AssertionError as exc:
            failures.append(str(exc))
    if failures:
        raise AssertionError(f"{len(failures)} identities failed:\n" + "\n".join(failures))
    return results


#: Alias of :func:`verify_all` under the name re-exported by ``mlcalc``.
verify_all_identities = verify_all
