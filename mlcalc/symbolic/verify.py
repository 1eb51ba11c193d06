"""Verification: every derivative the engine returns is checked numerically first.

The derivative is checked with mlcalc's own checkers (``check_grad``, ``check_jacobian``,
``check_hessian``) at a random point drawn by :func:`draw_point`: distinct random sizes for
distinct size names (non-square matrices whenever the shapes allow), random non-symmetric
matrices, a well-conditioned ``k I + small non-symmetric`` matrix where an input sits under
``inv``/``det``/``logdet``, positive entries under ``log``/``sqrt``. The generator is seeded from
the expression, so the same call always checks at the same point.

The point must lie in the domain: where ``f`` or the derivative is not finite there (``log(1 - p)``
at ``p > 1``, ``log(-eta)`` at ``eta > 0``), the next point is drawn from another distribution
(:data:`PROFILES`: entries in (0, 1), negative, small positive, then a random mix per input), up
to :data:`DRAWS` points; if none is in the domain, ``RuntimeError`` says the engine could not find
a point where ``f`` is defined. Nothing is judged, or returned, at a point outside the domain.

Outcomes: OK returns; WRONG raises ``RuntimeError("mlcalc.symbolic bug: ...")``; INCONCLUSIVE
(or NOT DIFFERENTIABLE at that point) tries another point from the same distribution, up to
:data:`ATTEMPTS` checks, then raises ``RuntimeError``. The steps' equalities are checked too
(:func:`check_equal`).
"""
from __future__ import annotations

import zlib

import numpy as np

from .. import check_grad, check_hessian, check_jacobian
from .evaluate import evaluate
from .expr import Expr, Func, Pow, Var

ATTEMPTS = 4
#: Random points looked at in all, to find ones where f and the derivative are finite.
DRAWS = 24


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


#: Entry distributions for the inputs under ``log``, ``sqrt`` or a fractional power, in the
#: order the domain search tries them; ``"mixed"`` draws each input from a random one of them.
DOMAINS = {
    "positive": (0.5, 1.5), "unit": (0.1, 0.9), "negative": (-1.5, -0.5),
    "small": (0.02, 0.3),
}
PROFILES = ("default", "unit", "negative", "small", "mixed")


def _domain_names(f: Expr) -> set:
    """Inputs under ``log``, ``sqrt`` or a fractional power (where the domain matters)."""
    names = _names_under(f, ("log", "sqrt"))

    def walk(n: Expr) -> None:
        if isinstance(n, Pow) and not float(n.p).is_integer():
            names.update(_names_under(Func("sqrt", n.a), ("sqrt",)))
        for k in n.children():
            walk(k)

    walk(f)
    return names


def draw_point(f: Expr, shapes: dict, sizes: dict, rng: np.random.Generator,
               attempt: int, profile: str = "default") -> dict:
    """2-D arrays for every input of ``shapes`` (internal shapes), suited to ``f``'s functions.

    ``profile`` says how to draw the inputs where the domain matters (under ``log``, ``sqrt``):
    ``"default"`` positive, or one of :data:`DOMAINS`; ``"mixed"`` draws every input (not only
    those) from a random distribution: normal or one of :data:`DOMAINS`.
    """
    square = _names_under(f, ("inv", "det", "logdet"))
    domain = _domain_names(f)
    scale = 1.0 / (1 + attempt)
    kinds = ("normal",) + tuple(DOMAINS)
    values = {}
    for name, (r, c) in shapes.items():
        m = r if isinstance(r, int) else sizes[r]
        n = c if isinstance(c, int) else sizes[c]
        how = "normal"
        if name in square and m == n and m > 1:
            how = "square"
        elif profile == "mixed":
            how = kinds[int(rng.integers(len(kinds)))]
        elif name in domain:
            how = "positive" if profile == "default" else profile
        elif attempt >= 2 and profile == "default":
            how = "positive"
        if how == "square":
            values[name] = (2.0 + attempt) * np.eye(m) + 0.3 * rng.standard_normal((m, n)) / m
        elif how == "normal":
            values[name] = scale * rng.standard_normal((m, n))
        else:
            values[name] = rng.uniform(*DOMAINS[how], (m, n))
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
    last, checks, undefined, k = None, 0, 0, 0
    for _ in range(DRAWS):
        if checks == ATTEMPTS:
            break
        profile = PROFILES[min(k, len(PROFILES) - 1)]
        sizes = draw_sizes(shapes, rng)
        values = draw_point(f, shapes, sizes, rng, checks, profile)
        if not (_finite(f, values, sizes) and _finite(result, values, sizes)):
            undefined += 1  # outside the domain: draw from the next distribution
            k += 1
            continue
        rep = _check_once(kind, f, result, wrt, values, sizes, shapes_user, grad, checks)
        checks += 1
        if rep.verdict == "OK":
            if points is not None:
                points.append((sizes, values))
            return rep, sizes, values
        if rep.verdict == "WRONG":
            raise VerificationError(
                f"mlcalc.symbolic bug: the {kind} of {source!r} with respect to {wrt!r} failed "
                f"its numerical check at sizes {sizes}: {rep!r}. Please report it.")
        last = repr(rep)
    if checks == 0:
        raise RuntimeError(
            f"mlcalc.symbolic could not find a point where {source!r} and its {kind} are "
            f"defined: at each of {undefined} random points (entries normal, positive, in (0, 1), "
            "negative, small, mixed) the expression or its derivative is not finite (log or "
            "sqrt of a negative number, division by zero, ...); no unverified result is "
            "returned")
    raise RuntimeError(f"mlcalc.symbolic could not verify the {kind} of {source!r} with respect "
                       f"to {wrt!r} at {checks} random points ({last}); no unverified result "
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
