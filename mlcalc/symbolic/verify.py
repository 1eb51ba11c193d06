"""Verification: every derivative the engine returns is checked numerically first.

The derivative is checked with mlcalc's own checkers (``check_grad``, ``check_jacobian``,
``check_hessian``) at a random point drawn by :func:`draw_point`: distinct random sizes for
distinct size names (non-square matrices whenever the shapes allow), random non-symmetric
matrices, a well-conditioned ``k I + small non-symmetric`` matrix where an input sits under
``inv``/``det``/``logdet``, positive entries under ``log``/``sqrt``. The generator is seeded from
the expression, so the same call always checks at the same point.

Outcomes: OK returns; WRONG raises ``RuntimeError("mlcalc.symbolic bug: ...")``; INCONCLUSIVE
(or NOT DIFFERENTIABLE at that point) tries another point, up to :data:`ATTEMPTS`, then raises
``RuntimeError``. The steps' equalities are checked too (:func:`check_equal`).
"""
from __future__ import annotations

import zlib

import numpy as np

from .. import check_grad, check_hessian, check_jacobian
from .evaluate import evaluate
from .expr import Expr, Func, Var

ATTEMPTS = 4


class VerificationError(RuntimeError):
    """The engine's result failed its numerical check (a bug of the engine)."""


def seed_for(*parts) -> int:
    return zlib.crc32("|".join(str(p) for p in parts).encode())


def _names_under(e: Expr, funcs: tuple) -> set:
    out: set = set()

    def walk(n: Expr, inside: bool) -> None:
        if isinstance(n, Var) and inside and not n.diff:
            out.add(n.name)
        now = inside or (isinstance(n, Func) and n.name in funcs)
        for k in n.children():
            walk(k, now)

    walk(e, False)
    return out


def draw_sizes(shapes: dict, rng: np.random.Generator) -> dict:
    """Distinct random sizes (2..6, more when there are many names) for the size names."""
    names = sorted({d for s in shapes.values() for d in s if isinstance(d, str)})
    pool = np.arange(2, max(7, len(names) + 2))
    picks = rng.permutation(pool)[:len(names)]
    return {n: int(v) for n, v in zip(names, picks, strict=True)}


def draw_point(f: Expr, shapes: dict, sizes: dict, rng: np.random.Generator,
               attempt: int) -> dict:
    """2-D arrays for every input of ``shapes`` (internal shapes), suited to ``f``'s functions."""
    square = _names_under(f, ("inv", "det", "logdet"))
    positive = _names_under(f, ("log", "sqrt"))
    scale = 1.0 / (1 + attempt)
    values = {}
    for name, (r, c) in shapes.items():
        m = r if isinstance(r, int) else sizes[r]
        n = c if isinstance(c, int) else sizes[c]
        if name in square and m == n and m > 1:
            values[name] = (2.0 + attempt) * np.eye(m) + 0.3 * rng.standard_normal((m, n)) / m
        elif name in positive or attempt >= 2:
            values[name] = rng.uniform(0.5, 1.5, (m, n))
        else:
            values[name] = scale * rng.standard_normal((m, n))
    return values


def _finite(e: Expr, values: dict, sizes: dict) -> bool:
    return bool(np.all(np.isfinite(evaluate(e, values, sizes))))


def check_equal(sides: list, values: dict, sizes: dict, dX: Var | None, rng) -> bool:
    """True when the trees in ``sides`` (all linear in ``dX``, or free of it) agree numerically
    at ``values`` with a random ``dX``."""
    vals = dict(values)
    if dX is not None:
        r, c = dX.shape
        m = r if isinstance(r, int) else sizes[r]
        n = c if isinstance(c, int) else sizes[c]
        vals["d" + dX.name] = rng.standard_normal((m, n))
    out = [evaluate(s, vals, sizes) for s in sides]
    ref = out[0]
    scale = max(1.0, float(np.max(np.abs(ref)))) if ref.size else 1.0
    return all(o.shape == ref.shape and np.allclose(o, ref, rtol=1e-7, atol=1e-9 * scale)
               for o in out[1:])


def _ushape(v: np.ndarray, shape: tuple) -> tuple:
    if len(shape) == 0:
        return ()
    if len(shape) == 1:
        return (v.size,)
    return v.shape


def run_check(kind: str, f: Expr, result: Expr, wrt: str, shapes: dict, shapes_user: dict,
              source: str, grad: Expr | None = None, points: list | None = None):
    """Check ``result`` (a gradient, Jacobian or Hessian of ``f`` w.r.t. ``wrt``) at random
    points; return ``(report, sizes, values)`` of the passing check or raise RuntimeError.

    ``points`` receives each ``(sizes, values)`` tried (for checking the steps there too).
    """
    rng = np.random.default_rng(seed_for(source, wrt, kind))
    last = None
    for attempt in range(ATTEMPTS):
        sizes = draw_sizes(shapes, rng)
        values = draw_point(f, shapes, sizes, rng, attempt)
        if not (_finite(f, values, sizes) and _finite(result, values, sizes)):
            last = "the expression or its derivative is not finite at the random point"
            continue
        rep = _check_once(kind, f, result, wrt, values, sizes, shapes_user, grad, attempt)
        if rep.verdict == "OK":
            if points is not None:
                points.append((sizes, values))
            return rep, sizes, values
        if rep.verdict == "WRONG":
            raise VerificationError(
                f"mlcalc.symbolic bug: the {kind} of {source!r} with respect to {wrt!r} failed "
                f"its numerical check at sizes {sizes}: {rep!r}. Please report it.")
        last = repr(rep)
    raise RuntimeError(f"mlcalc.symbolic could not verify the {kind} of {source!r} with respect "
                       f"to {wrt!r} at {ATTEMPTS} random points ({last}); no unverified result "
                       "is returned")


def _check_once(kind, f, result, wrt, values, sizes, shapes_user, grad, attempt):
    x0 = values[wrt].reshape(_ushape(values[wrt], shapes_user[wrt]))
    x_shape2 = values[wrt].shape

    def at(x, tree):
        vals = dict(values)
        vals[wrt] = np.asarray(x, dtype=float).reshape(x_shape2)
        return evaluate(tree, vals, sizes)

    def f_user(x):
        out = at(x, f)
        return float(out[0, 0]) if out.size == 1 and kind != "jacobian" else out.reshape(-1)

    out_shape = _ushape(values[wrt], shapes_user[wrt])

    def res_user(x, tree=result, shape=None):
        return at(x, tree).reshape(shape)

    seed = attempt
    if kind == "gradient":
        return check_grad(f_user, lambda x: res_user(x, result, out_shape), x0, seed=seed)
    if kind == "jacobian":
        m = at(x0, f).size
        return check_jacobian(f_user, lambda x: res_user(x, result, (m,) + out_shape), x0,
                              seed=seed)
    return check_hessian(f_user, lambda x: res_user(x, result, out_shape + out_shape), x0,
                         grad_f=lambda x: res_user(x, grad, out_shape), seed=seed)


__all__ = ["run_check", "check_equal", "draw_point", "draw_sizes", "VerificationError"]
