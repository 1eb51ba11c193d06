"""The registry of every derivative identity the book states, each one verified by code.

Each identity is a small declarative record (:class:`Identity`): an id, the statement in plain
LaTeX (in the book's convention: numerator-layout Jacobians, gradients with the shape of the
variable), the function ``f``, the claimed derivative, a generator of random inputs, the argument
differentiated, conditions such as "A symmetric", and the chapter that derives it. Where a wrong
form circulates (in lecture notes, quick-reference sheets or older books), it is kept as the
identity's :class:`CommonMistake`, and :func:`refute_mistake` proves it wrong with numbers.

Every ``f`` and every claimed derivative is written with ``autograd.numpy`` directly (not with the
other ``mlcalc`` modules), so the registry is an independent statement of the formulas and autograd
can serve as the reference. :func:`verify` compares the claimed derivative with autograd, with
central differences and with ``mlcalc``'s checker at several random inputs whose shapes are drawn
afresh each time (square matrices non-symmetric unless a condition says otherwise, rectangular
matrices with ``m != n``).

Kinds of identity and the shape of the claimed derivative (autograd shapes):

==================== ====================================================================
``"derivative"``     ``f`` acts elementwise on a 1-D array of points; the claimed ``f'`` has
                     the same shape (a scalar derivative evaluated at many points at once).
``"second-derivative"`` the same for ``f''``.
``"gradient"``       scalar ``f`` of a vector; the gradient has the vector's shape.
``"matrix-gradient"`` scalar ``f`` of a matrix ``X``; the gradient has ``X``'s shape.
``"jacobian"``       array-valued ``f``; shape ``f(x).shape + x.shape`` (numerator layout).
``"hessian"``        scalar ``f``; shape ``x.shape + x.shape``.
==================== ====================================================================

Example:
    >>> import numpy as np
    >>> from mlcalc.identities import get_identity, verify
    >>> ident = get_identity("grad-quadratic-form")
    >>> verify(ident, rng=np.random.default_rng(0))
    True
"""

# The registry is data: each LaTeX statement and each formula stays on one line, so an identity
# can be found with grep and read at a glance.
# ruff: noqa: E501

from __future__ import annotations

import difflib
import math
import warnings
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import autograd
import autograd.numpy as anp
import numpy as np

__all__ = [
    "CHAPTERS",
    "KINDS",
    "CommonMistake",
    "Condition",
    "IDENTITIES",
    "Identity",
    "get_identity",
    "identities_for",
    "refute_mistake",
    "render_markdown",
    "render_reference_tables",
    "verify",
    "verify_all",
    "verify_all_identities",
    "verify_identity",
]

#: The book's chapters that derive identities: label -> title (in book order).
CHAPTERS: dict[str, str] = {
    "ch-derivatives": "Derivatives as linear approximations",
    "ch-gradients": "Gradients",
    "ch-jacobians": "Jacobians and layout",
    "ch-chain-rule": "The chain rule",
    "ch-hessians": "Hessians and curvature",
    "ch-matrix-derivatives": "Matrix derivatives",
    "ch-activations": "Activation functions",
    "ch-losses": "Loss functions",
    "ch-linear-models": "Linear models",
    "ch-likelihood": "Likelihood: MLE and MAP",
    "ch-backprop": "Backpropagation",
    "ch-checking": "Checking derivatives in practice",
}

#: The kinds of identity (see the module docstring for the shape of each derivative).
KINDS: tuple[str, ...] = (
    "derivative",
    "second-derivative",
    "gradient",
    "matrix-gradient",
    "jacobian",
    "hessian",
)

_KIND_WORDS = {
    "derivative": "derivative",
    "second-derivative": "second derivative",
    "gradient": "gradient",
    "matrix-gradient": "gradient (matrix)",
    "jacobian": "Jacobian",
    "hessian": "Hessian",
}


# --------------------------------------------------------------------------------------------
# Records
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Condition:
    """A condition under which an identity holds, with a test that inputs satisfy it.

    Attributes:
        text: the condition in markdown with ``$...$`` math, e.g. ``"$A$ symmetric"``.
        holds: callable taking the inputs dict and returning True when the condition holds.
    """

    text: str
    holds: Callable[[Mapping[str, Any]], bool] = field(repr=False, compare=False)

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class CommonMistake:
    """A wrong form of an identity that circulates, kept so the tests can prove it wrong.

    Attributes:
        latex: the wrong statement (plain LaTeX, no ``$``).
        derivative: callable with the same arguments as the identity's ``f`` returning the wrong
            derivative.
        why: one short sentence on where the wrong form comes from or when it would hold.
    """

    latex: str
    derivative: Callable[..., Any] = field(repr=False, compare=False)
    why: str = ""


@dataclass(frozen=True)
class Identity:
    """One derivative identity of the book, with everything needed to verify it.

    Attributes:
        id: unique identifier (kebab-case), e.g. ``"grad-quadratic-form"``.
        name: short plain-text name for tables, e.g. ``"quadratic form"``.
        latex: the statement in plain LaTeX (no ``$``, no ``|``: norms use ``\\lVert``).
        kind: one of :data:`KINDS`.
        f: the function, called as ``f(**inputs)``; written with ``autograd.numpy``.
        derivative: the claimed derivative, called as ``derivative(**inputs)``.
        make_inputs: callable ``rng -> dict`` of inputs; each call draws new shapes.
        wrt: the name of the argument differentiated.
        chapter: label of the chapter that derives it (a key of :data:`CHAPTERS`).
        shapes: LaTeX describing the shapes of the inputs.
        conditions: conditions under which the identity holds (inputs satisfy them).
        common_mistake: a wrong form learners meet, or None.
        reference: where the identity appears in the literature (e.g. a Matrix Cookbook equation).
        fixed_shapes: True if the identity is stated for fixed shapes (e.g. a function of
            two variables), so the shape draws do not vary.
    """

    id: str
    name: str
    latex: str
    kind: str
    f: Callable[..., Any] = field(repr=False, compare=False)
    derivative: Callable[..., Any] = field(repr=False, compare=False)
    make_inputs: Callable[[np.random.Generator], dict] = field(repr=False, compare=False)
    wrt: str
    chapter: str
    shapes: str = ""
    conditions: tuple[Condition, ...] = ()
    common_mistake: CommonMistake | None = None
    reference: str = ""
    fixed_shapes: bool = False

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"Identity {self.id!r}: kind must be one of {KINDS}, got {self.kind!r}")
        if self.chapter not in CHAPTERS:
            raise ValueError(
                f"Identity {self.id!r}: chapter must be one of {tuple(CHAPTERS)}, "
                f"got {self.chapter!r}"
            )
        if not self.latex.strip():
            raise ValueError(f"Identity {self.id!r}: latex must be non-empty")

    def inputs(self, rng: np.random.Generator | int | None = None) -> dict:
        """Draw one set of inputs (fresh shapes) satisfying the identity's conditions."""
        return self.make_inputs(_as_rng(rng))

    def function_of_wrt(self, inputs: Mapping[str, Any]) -> Callable[[Any], Any]:
        """Return ``x -> f(**inputs with inputs[wrt] = x)``, the function the derivative is of."""
        fixed = dict(inputs)

        def fn(x):
            kwargs = dict(fixed)
            kwargs[self.wrt] = x
            return self.f(**kwargs)

        return fn

    def claimed(self, inputs: Mapping[str, Any]) -> np.ndarray:
        """Evaluate the claimed derivative at ``inputs`` (as a float array)."""
        return np.asarray(self.derivative(**dict(inputs)), dtype=float)


# --------------------------------------------------------------------------------------------
# Random inputs: a tiny spec language "kind:args" and the conditions each kind implies
# --------------------------------------------------------------------------------------------


def _as_rng(rng: np.random.Generator | int | None) -> np.random.Generator:
    if rng is None:
        return np.random.default_rng(0)
    if isinstance(rng, np.random.Generator):
        return rng
    if isinstance(rng, (int, np.integer)):
        return np.random.default_rng(int(rng))
    raise TypeError(f"rng must be a numpy Generator, an int seed or None, got {type(rng).__name__}")


def _draw_dims(rng: np.random.Generator, letters: Iterable[str]) -> dict[str, int]:
    """Distinct sizes in 2..7 for the given dimension letters (so m != n always)."""
    letters = list(dict.fromkeys(letters))
    pool = np.arange(2, max(8, 3 + len(letters)))
    values = rng.choice(pool, size=len(letters), replace=False)
    return {ch: int(v) for ch, v in zip(letters, values, strict=True)}


def _orth(rng, n):
    q, r = np.linalg.qr(rng.standard_normal((n, n)))
    return q * np.sign(np.diag(r))


def _gen_inv(rng, n):
    """A well-conditioned, non-symmetric invertible matrix (singular values in [0.7, 1.6])."""
    while True:
        u, v = _orth(rng, n), _orth(rng, n)
        a = (u * rng.uniform(0.7, 1.6, n)) @ v.T
        if np.abs(a - a.T).max() > 0.2:
            return a


def _gen_posdet(rng, n):
    a = _gen_inv(rng, n)
    if np.linalg.det(a) < 0:
        a = a.copy()
        a[0] = -a[0]
    return a


def _gen_sq(rng, n):
    while True:
        a = rng.standard_normal((n, n))
        if np.abs(a - a.T).max() > 0.5:
            return a


def _gen_sym(rng, n):
    a = rng.standard_normal((n, n))
    return (a + a.T) / 2


def _gen_spd(rng, n):
    q = _orth(rng, n)
    a = (q * rng.uniform(0.5, 2.0, n)) @ q.T
    return (a + a.T) / 2


def _gen_away(rng, shape, lo=0.3, hi=1.5):
    return rng.uniform(lo, hi, shape) * rng.choice([-1.0, 1.0], shape)


def _gen_prob(rng, shape):
    p = rng.uniform(0.2, 1.0, shape)
    return p / p.sum(axis=-1, keepdims=True)


def _gen_onehot(rng, shape):
    k = shape[-1]
    lead = shape[:-1]
    labels = rng.integers(0, k, size=lead)
    return np.eye(k)[labels]


def _gen_tall(rng, m, n):
    """A full-column-rank matrix, well conditioned (m >= n)."""
    u = _orth(rng, m)[:, :n]
    return (u * rng.uniform(0.7, 1.6, n)) @ _orth(rng, n).T


_VECTOR_KINDS = {"vec", "pos", "away", "prob", "onehot", "pm1", "bin", "p01", "uni"}
_SCALAR_KINDS = {"num", "int"}


def _gen_one(kind: str, args: list[str], dims: dict[str, int], rng: np.random.Generator):
    if kind == "num":
        lo, hi = float(args[0]), float(args[1])
        return np.float64(rng.uniform(lo, hi))
    if kind == "int":
        lo, hi = int(args[0]), int(args[1])
        return int(rng.integers(lo, hi + 1))
    if kind == "uni":
        lo, hi = float(args[0]), float(args[1])
        shape = tuple(dims[a] if a.isalpha() else int(a) for a in args[2:])
        return rng.uniform(lo, hi, shape)
    shape = tuple(dims[a] if a.isalpha() else int(a) for a in args)
    if kind == "vec" or kind == "mat":
        return rng.standard_normal(shape)
    if kind == "sq":
        return _gen_sq(rng, shape[0])
    if kind == "inv":
        return _gen_inv(rng, shape[0])
    if kind == "posdet":
        return _gen_posdet(rng, shape[0])
    if kind == "sym":
        return _gen_sym(rng, shape[0])
    if kind == "spd":
        return _gen_spd(rng, shape[0])
    if kind == "pos":
        return rng.uniform(0.3, 2.0, shape)
    if kind == "away":
        return _gen_away(rng, shape)
    if kind == "prob":
        return _gen_prob(rng, shape)
    if kind == "onehot":
        return _gen_onehot(rng, shape)
    if kind == "pm1":
        return rng.choice([-1.0, 1.0], shape)
    if kind == "bin":
        return rng.choice([0.0, 1.0], shape)
    if kind == "p01":
        return rng.uniform(0.1, 0.9, shape)
    if kind == "tall":
        return _gen_tall(rng, shape[0], shape[1])
    raise ValueError(f"unknown input kind {kind!r}")


def _parse(spec: str) -> tuple[str, list[str]]:
    kind, _, rest = spec.partition(":")
    args = [a.strip() for a in rest.split(",")] if rest else []
    return kind.strip(), args


_GREEK = {
    "alpha": r"\alpha",
    "beta": r"\beta",
    "delta": r"\delta",
    "eta": r"\eta",
    "lam": r"\lambda",
    "lam1": r"\lambda_1",
    "lam2": r"\lambda_2",
    "mu": r"\mu",
    "pi": r"\pi",
    "sigma": r"\sigma",
    "sigma2": r"\sigma^2",
    "tau2": r"\tau^2",
    "theta": r"\theta",
    "Sigma": r"\Sigma",
    "Lam": r"\Lambda",
    "Omega": r"\Omega",
    "v_": "v",
}


def _display_kind(spec: str) -> str:
    """The kind used for display: ``"vec"`` for 1-D arrays, ``"mat"`` for 2-D, else the kind."""
    kind, args = _parse(spec)
    if kind in _SCALAR_KINDS:
        return kind
    ndim = len(args) - (2 if kind == "uni" else 0)
    return "vec" if ndim == 1 and kind not in ("sq", "inv", "posdet", "sym", "spd") else "mat"


def _symbol(name: str, kind: str) -> str:
    """LaTeX symbol of an input: bold for vectors, plain for matrices and scalars."""
    base, sub = name.rstrip("0123456789"), name[len(name.rstrip("0123456789")) :]
    if name in _GREEK:
        sym = _GREEK[name]
        sub = ""
    elif base in _GREEK:
        sym = _GREEK[base]
    else:
        sym = base
    if kind in _VECTOR_KINDS:
        sym = rf"\pmb{{{sym}}}" if sym.startswith("\\") else rf"\mathbf{{{sym}}}"
    return sym + (f"_{sub}" if sub else "")


def _shape_text(spec: str, dims_display: Callable[[str], str], scalar_wrt: bool) -> str:
    kind, args = _parse(spec)
    if kind in _SCALAR_KINDS:
        lo = float(args[0])
        if kind == "int":
            return r"\in\mathbb{N}"
        return "> 0" if lo > 0 else r"\in\mathbb{R}"
    if kind == "uni":
        args = args[2:]
    if scalar_wrt:
        return r"\in\mathbb{R}"
    if kind in ("sq", "inv", "posdet", "sym", "spd"):
        return rf"\in\mathbb{{R}}^{{{args[0]}\times {args[0]}}}"
    if len(args) == 1:
        return rf"\in\mathbb{{R}}^{{{dims_display(args[0])}}}"
    return r"\in\mathbb{R}^{" + r"\times ".join(dims_display(a) for a in args) + "}"


def _auto_conditions(name: str, spec: str, scalar: bool = False) -> list[Condition]:
    """Conditions implied by an input kind; ``scalar``: the input is the scalar variable of a
    (second-)derivative identity (an array of evaluation points, displayed as a scalar)."""
    kind, args = _parse(spec)
    sym = _symbol(name, "num" if scalar else _display_kind(spec))
    vec = _display_kind(spec) == "vec" and not scalar
    rows = len(args) == 2 and kind in ("prob", "onehot")
    if kind == "sym":
        return [Condition(f"${sym} = {sym}^\\top$", lambda d, n=name: np.allclose(d[n], d[n].T))]
    if kind == "spd":
        return [
            Condition(
                f"${sym}$ symmetric positive definite",
                lambda d, n=name: np.allclose(d[n], d[n].T) and np.linalg.eigvalsh(d[n]).min() > 0,
            )
        ]
    if kind == "inv":
        return [
            Condition(f"${sym}$ invertible", lambda d, n=name: np.linalg.cond(d[n]) < 1e6),
        ]
    if kind == "posdet":
        return [Condition(f"$\\det {sym} > 0$", lambda d, n=name: np.linalg.det(d[n]) > 1e-6)]
    if kind == "tall":
        return [
            Condition(
                f"${sym}$ has full column rank",
                lambda d, n=name: np.linalg.matrix_rank(d[n]) == d[n].shape[1],
            )
        ]
    if kind == "pos":
        text = f"${sym} > 0$ elementwise" if vec else f"${sym} > 0$"
        return [Condition(text, lambda d, n=name: bool(np.all(np.asarray(d[n]) > 0)))]
    if kind == "away":
        text = f"${sym}$ has no zero entry" if vec else f"${sym} \\neq 0$"
        return [Condition(text, lambda d, n=name: bool(np.all(np.abs(d[n]) > 0.05)))]
    if kind == "p01":
        return [
            Condition(
                f"$0 < {sym} < 1$" + (" elementwise" if vec else ""),
                lambda d, n=name: bool(np.all((d[n] > 0) & (d[n] < 1))),
            )
        ]
    if kind == "prob":
        text = f"rows of ${sym}$ are probability vectors" if rows else f"${sym}$ a probability vector"
        return [
            Condition(
                text,
                lambda d, n=name: bool(
                    np.all(d[n] >= 0) and np.allclose(np.sum(d[n], axis=-1), 1.0)
                ),
            )
        ]
    if kind == "onehot":
        text = f"rows of ${sym}$ one-hot" if rows else f"${sym}$ one-hot"
        return [
            Condition(
                text,
                lambda d, n=name: bool(
                    np.all((d[n] == 0) | (d[n] == 1)) and np.all(np.sum(d[n], axis=-1) == 1)
                ),
            )
        ]
    if kind == "pm1":
        return [
            Condition(
                f"entries of ${sym}$ in $\\{{-1, +1\\}}$",
                lambda d, n=name: bool(np.all(np.abs(d[n]) == 1)),
            )
        ]
    if kind == "bin":
        return [
            Condition(
                f"entries of ${sym}$ in $\\{{0, 1\\}}$",
                lambda d, n=name: bool(np.all((d[n] == 0) | (d[n] == 1))),
            )
        ]
    return []


class _Spec:
    """``make_inputs`` built from specs like ``x="vec:n", A="mat:m,n"`` (dims drawn distinct)."""

    def __init__(self, specs: Mapping[str, str], post: Callable | None = None):
        self.specs = dict(specs)
        self.post = post
        letters = []
        for spec in self.specs.values():
            kind, args = _parse(spec)
            if kind in _SCALAR_KINDS:
                continue
            if kind == "uni":
                args = args[2:]
            letters += [a for a in args if a.isalpha()]
        self.letters = list(dict.fromkeys(letters))

    def __call__(self, rng: np.random.Generator) -> dict:
        for _ in range(200):
            dims = _draw_dims(rng, self.letters)
            out = {}
            for name, spec in self.specs.items():
                kind, args = _parse(spec)
                out[name] = _gen_one(kind, args, dims, rng)
            if self.post is None:
                return out
            res = self.post(out, rng)
            if res is not None:
                return res
        raise RuntimeError("could not draw inputs satisfying the identity's conditions")

    def shapes(self, wrt: str, kind: str) -> str:
        parts: list[tuple[str, str]] = []
        for name, spec in self.specs.items():
            scalar_wrt = name == wrt and kind in ("derivative", "second-derivative")
            sym = _symbol(name, "num" if scalar_wrt else _display_kind(spec))
            parts.append((sym, _shape_text(spec, lambda a: a, scalar_wrt)))
        # group consecutive names with the same shape text
        grouped: list[tuple[list[str], str]] = []
        for sym, text in parts:
            if grouped and grouped[-1][1] == text and text.startswith(r"\in"):
                grouped[-1][0].append(sym)
            else:
                grouped.append(([sym], text))
        return ",\\ ".join(",".join(syms) + " " + text for syms, text in grouped)

    def conditions(self, wrt: str, kind: str) -> list[Condition]:
        out = []
        for name, spec in self.specs.items():
            scalar = name == wrt and kind in ("derivative", "second-derivative")
            out += _auto_conditions(name, spec, scalar)
        return out


# --------------------------------------------------------------------------------------------
# Small helpers used by the formulas (autograd-differentiable)
# --------------------------------------------------------------------------------------------


def _sig(z):
    """Logistic sigmoid, overflow-free: 1/(1+exp(-z)) = (1 + tanh(z/2))/2."""
    return 0.5 * (anp.tanh(0.5 * z) + 1.0)


def _softmax(z, axis=-1):
    e = anp.exp(z - anp.max(z, axis=axis, keepdims=True))
    return e / anp.sum(e, axis=axis, keepdims=True)


def _lse(z, axis=-1):
    m = anp.max(z, axis=axis, keepdims=True)
    return anp.squeeze(m, axis=axis) + anp.log(anp.sum(anp.exp(z - m), axis=axis))


def _softplus(z):
    return anp.logaddexp(0.0, z)


def _inv(x):
    return anp.linalg.inv(x)


def _invT(x):
    return anp.linalg.inv(x).T


def _norm(x):
    return anp.sqrt(anp.sum(x**2))


def _vec(m):
    """Column-major vectorisation vec(M) (stack the columns)."""
    return anp.reshape(anp.transpose(m), (-1,))


def _unvec(v, rows, cols):
    return anp.transpose(anp.reshape(v, (cols, rows)))


def _cofactor(x):
    """Cofactor matrix C_ij = (-1)^(i+j) det(minor_ij), computed from minors (no inverse)."""
    x = np.asarray(x, dtype=float)
    n = x.shape[0]
    c = np.empty_like(x)
    for i in range(n):
        for j in range(n):
            rows = [k for k in range(n) if k != i]
            cols = [k for k in range(n) if k != j]
            c[i, j] = (-1) ** (i + j) * np.linalg.det(x[np.ix_(rows, cols)]) if n > 1 else 1.0
    return c


def _matpow(x, k):
    """X^k for an integer k >= 1 by repeated products (autograd-differentiable)."""
    if int(k) == 0:
        return anp.eye(x.shape[0])
    out = x
    for _ in range(int(k) - 1):
        out = out @ x
    return out


def _retry(rng, gen, accept, tries=200):
    """Draw ``gen(rng)`` until ``accept(draw, rng)`` returns a dict (the accepted inputs)."""
    for _ in range(tries):
        out = accept(gen(rng), rng)
        if out is not None:
            return out
    raise RuntimeError("could not draw inputs satisfying the identity's conditions")


def _phi(x):
    return anp.exp(-0.5 * x**2) / math.sqrt(2 * math.pi)


def _Phi(x):
    # imported here: autograd.scipy pulls in scipy.stats and scipy.integrate (slow to import)
    from autograd.scipy.special import erf

    return 0.5 * (1.0 + erf(x / math.sqrt(2.0)))


# --------------------------------------------------------------------------------------------
# Registration
# --------------------------------------------------------------------------------------------

_REGISTRY: list[Identity] = []


def _add(
    id: str,
    name: str,
    kind: str,
    chapter: str,
    latex: str,
    f: Callable,
    d: Callable,
    inputs: Mapping[str, str] | Callable,
    wrt: str,
    *,
    shapes: str | None = None,
    conditions: Iterable[Condition] = (),
    mistake: CommonMistake | None = None,
    reference: str = "",
    post: Callable | None = None,
    fixed_shapes: bool = False,
) -> None:
    if isinstance(inputs, Mapping):
        make = _Spec(inputs, post)
        auto_shapes = make.shapes(wrt, kind)
        conds = make.conditions(wrt, kind) + list(conditions)
    else:
        make = inputs
        auto_shapes = ""
        conds = list(conditions)
    _REGISTRY.append(
        Identity(
            id=id,
            name=name,
            latex=latex,
            kind=kind,
            f=f,
            derivative=d,
            make_inputs=make,
            wrt=wrt,
            chapter=chapter,
            shapes=auto_shapes if shapes is None else shapes,
            conditions=tuple(conds),
            common_mistake=mistake,
            reference=reference,
            fixed_shapes=fixed_shapes,
        )
    )


def _M(latex: str, d: Callable, why: str) -> CommonMistake:
    return CommonMistake(latex=latex, derivative=d, why=why)


def _cond(text: str, holds: Callable[[Mapping[str, Any]], bool]) -> Condition:
    return Condition(text, holds)


# The entries live in a second file-section below, grouped by chapter.


# --------------------------------------------------------------------------------------------
# Verification
# --------------------------------------------------------------------------------------------

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
    from .checks import check_grad, check_hessian, check_jacobian  # lazy: no import cycle

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
        raise TypeError(f"identity must be an Identity or an id string, got {type(identity).__name__}")
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
        frozen = {k: (np.array(v, copy=True) if isinstance(v, np.ndarray) else v) for k, v in inputs.items()}
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
            return f"{ident.id}: the wrong form cannot even be evaluated ({type(exc).__name__}: {exc})"
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
    idents = IDENTITIES if chapter is None else identities_for(chapter)
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


# --------------------------------------------------------------------------------------------
# Lookup and rendering
# --------------------------------------------------------------------------------------------


def get_identity(id: str) -> Identity:
    """Return the identity with this id.

    Raises:
        TypeError: if ``id`` is not a string.
        ValueError: if no identity has this id (the message suggests close ids).
    """
    if not isinstance(id, str):
        raise TypeError(f"id must be a string, got {type(id).__name__}")
    try:
        return _BY_ID[id]
    except KeyError:
        close = difflib.get_close_matches(id, list(_BY_ID), n=3)
        hint = f"; did you mean {', '.join(map(repr, close))}?" if close else ""
        raise ValueError(f"no identity with id {id!r}{hint}") from None


def identities_for(chapter: str) -> tuple[Identity, ...]:
    """Return the identities derived in a chapter (by label, e.g. ``"ch-gradients"``), in order.

    Raises:
        ValueError: if ``chapter`` is not a chapter label of :data:`CHAPTERS`.
    """
    if chapter not in CHAPTERS:
        raise ValueError(f"chapter must be one of {tuple(CHAPTERS)}, got {chapter!r}")
    return tuple(i for i in IDENTITIES if i.chapter == chapter)


def _cell(text: str) -> str:
    return text.replace("|", r"\|").replace("\n", " ")


def _math_chunks(latex: str) -> str:
    """``$...$`` math for a table cell, split before top-level `` = `` and at top-level ``,\\ ``
    and ``\\quad`` (outside braces and environments), so a long statement can wrap."""
    parts, depth, env, start, i = [], 0, 0, 0, 0
    in_definitions = False  # after the first ",\ " only split between definitions
    while i < len(latex):
        if latex.startswith(r"\begin{", i):
            env += 1
        elif latex.startswith(r"\end{", i):
            env -= 1
        ch = latex[i]
        if ch == "\\" and i + 1 < len(latex) and latex[i + 1] in "{}":
            i += 2
            continue
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        elif depth == 0 and env == 0:
            if latex.startswith(" = ", i) and not in_definitions:  # break before "="
                parts.append(latex[start:i])
                start = i + 1
            for sep in (r",\ ", r"\quad"):
                if latex.startswith(sep, i):
                    parts.append(latex[start:i] + ("," if sep.startswith(",") else ""))
                    start = i + len(sep)
                    i = start - 1
                    in_definitions = True
                    break
        i += 1
    parts.append(latex[start:])
    return " ".join(f"${_cell(p.strip())}$" for p in parts if p.strip())


def chapter_link(label: str) -> str:
    """A markdown link to the chapter with ``label`` (e.g. ``"ch-chain-rule"``), relative to
    ``chapters/``: ``[The chain rule](chain_rule.ipynb)``."""
    stem = CHAPTER_FILES.get(label, label.removeprefix("ch-").replace("-", "_"))
    return f"[{CHAPTERS[label]}]({stem}.ipynb)"


#: Chapter notebooks whose file name is not their label's (``ch-<name>`` -> ``<name>.ipynb``).
CHAPTER_FILES: dict[str, str] = {"ch-checking": "checking_derivatives"}


def render_markdown(
    chapter: str | None = None,
    results: Mapping[str, str] | None = None,
    seed: int = 0,
    n_draws: int = 3,
    *,
    headings: bool = True,
    identities: bool = True,
    mistakes: bool = True,
) -> str:
    """Render the reference tables (MyST markdown with ``$...$`` math), grouped by chapter.

    Each row states an identity, its shapes and conditions, links to the chapter that derives it
    (a relative link to the chapter's notebook, which works in the HTML book and in JupyterLab
    alike; the tables are shown on a page in ``chapters/``) and is marked verified only if it passed verification in
    ``results`` (from :func:`verify_all`; run now if None). A last table lists the wrong forms
    in circulation, each marked as proven wrong only if it was refuted.

    Args:
        chapter: a chapter label to render only that chapter, or None for all.
        results: output of :func:`verify_all` covering the selection; None runs it now.
        seed: seed for :func:`verify_all` when ``results`` is None.
        n_draws: draws per identity for :func:`verify_all` when ``results`` is None.
        headings: include a summary line and a ``###`` heading per chapter and for the wrong
            forms (False: for a page that supplies its own headings).
        identities: include the tables of identities.
        mistakes: include the table of wrong forms.

    Returns:
        The markdown text.
    """
    idents = IDENTITIES if chapter is None else identities_for(chapter)
    if results is None:
        results = verify_all(chapter=chapter, seed=seed, n_draws=n_draws)
    lines: list[str] = []
    if headings:
        n_ok = sum(results.get(i.id, "").startswith("verified") for i in idents)
        n_wrong = sum(i.common_mistake is not None for i in idents)
        n_refuted = sum("mistake refuted" in results.get(i.id, "") for i in idents)
        lines += [
            f"**{len(idents)} identities, {n_ok} verified; {n_wrong} wrong forms, "
            f"{n_refuted} proven wrong.**",
            "",
        ]
    labels = [chapter] if chapter is not None else list(CHAPTERS)
    for label in labels if identities else []:
        group = [i for i in idents if i.chapter == label]
        if not group:
            continue
        if headings:
            lines += [f"### {CHAPTERS[label]}", ""]
        lines += [
            f"Derived in {chapter_link(label)}.",
            "",
            "| Identity | Shapes, conditions, source and check |",
            "| --- | --- |",
        ]
        for ident in group:
            status = results.get(ident.id, "")
            mark = "✓ verified" if status.startswith("verified") else "not verified"
            name = ident.name + (f", {ident.reference}" if ident.reference else "")
            # one $...$ per group of inputs, so a narrow page can wrap between them
            where = [f"${_cell(part.strip())}$" for part in ident.shapes.split(r",\ ") if part.strip()]
            where += [_cell(c.text) for c in ident.conditions]
            lines.append(
                f"| {_math_chunks(ident.latex)} | {'; '.join(where) or 'any shapes'}. "
                f"*{_cell(name)}*, {chapter_link(label)}: {mark} |"
            )
        lines.append("")
    wrong = [i for i in idents if i.common_mistake is not None]
    if wrong and mistakes:
        if headings:
            lines += ["### Wrong forms in circulation", ""]
        lines += [
            "Each wrong form below disagrees with autograd on random inputs (a different shape, "
            "or values off by more than $10^{-3}$ relative).",
            "",
            "| Wrong form | Correct identity, why the wrong form is wrong, check |",
            "| --- | --- |",
        ]
        for ident in wrong:
            cm = ident.common_mistake
            status = results.get(ident.id, "")
            mark = "✗ proven wrong" if "mistake refuted" in status else "not checked"
            lines.append(
                f"| {_math_chunks(cm.latex)} | {_math_chunks(ident.latex)} "
                f"({chapter_link(ident.chapter)}). Wrong: {_cell(cm.why)}. {mark} |"
            )
        lines.append("")
    return "\n".join(lines)


#: Alias of :func:`verify_all` under the name re-exported by ``mlcalc``.
verify_all_identities = verify_all

#: Alias of :func:`render_markdown` under the name re-exported by ``mlcalc``.
render_reference_tables = render_markdown


# ============================================================================================
# The entries. Each was verified (autograd + central differences, random shapes) before it was
# entered. Grouped by the chapter that derives it.
# ============================================================================================

# --- Chapter 1: derivatives of functions of one variable (evaluated at many points at once) ---
_CH = "ch-derivatives"
_add("d-power", "power rule", "derivative", _CH,
     r"\frac{d}{dx}\, x^{k} = k\, x^{k-1}",
     lambda x, k: x**k, lambda x, k: k * x ** (k - 1),
     {"x": "pos:n", "k": "num:-2.5,3.5"}, "x")
_add("d-exp", "exponential", "derivative", _CH,
     r"\frac{d}{dx}\, e^{x} = e^{x}",
     lambda x: anp.exp(x), lambda x: anp.exp(x), {"x": "vec:n"}, "x")
_add("d-log", "natural logarithm", "derivative", _CH,
     r"\frac{d}{dx}\, \ln x = \frac{1}{x}",
     lambda x: anp.log(x), lambda x: 1.0 / x, {"x": "pos:n"}, "x")
_add("d-reciprocal", "reciprocal", "derivative", _CH,
     r"\frac{d}{dx}\, \frac{1}{x} = -\frac{1}{x^{2}}",
     lambda x: 1.0 / x, lambda x: -1.0 / x**2, {"x": "away:n"}, "x")
_add("d-sqrt", "square root", "derivative", _CH,
     r"\frac{d}{dx}\, \sqrt{x} = \frac{1}{2\sqrt{x}}",
     lambda x: anp.sqrt(x), lambda x: 0.5 / anp.sqrt(x), {"x": "pos:n"}, "x")
_add("d-sin", "sine", "derivative", _CH,
     r"\frac{d}{dx}\, \sin x = \cos x",
     lambda x: anp.sin(x), lambda x: anp.cos(x), {"x": "vec:n"}, "x")
_add("d-cos", "cosine", "derivative", _CH,
     r"\frac{d}{dx}\, \cos x = -\sin x",
     lambda x: anp.cos(x), lambda x: -anp.sin(x), {"x": "vec:n"}, "x",
     mistake=_M(r"\frac{d}{dx}\, \cos x = \sin x", lambda x: anp.sin(x), "sign dropped"))
_add("d-tan", "tangent", "derivative", _CH,
     r"\frac{d}{dx}\, \tan x = \frac{1}{\cos^{2} x} = 1 + \tan^{2} x",
     lambda x: anp.tan(x), lambda x: 1.0 + anp.tan(x) ** 2, {"x": "uni:-1.2,1.2,n"}, "x")
_add("d-exp-base", "exponential with base a", "derivative", _CH,
     r"\frac{d}{dx}\, a^{x} = a^{x} \ln a",
     lambda x, a: a**x, lambda x, a: a**x * anp.log(a), {"x": "vec:n", "a": "num:0.2,4"}, "x",
     mistake=_M(r"\frac{d}{dx}\, a^{x} = x\, a^{x-1}", lambda x, a: x * a ** (x - 1),
                "the power rule applied to an exponential"))
_add("d-arctan", "arctangent", "derivative", _CH,
     r"\frac{d}{dx}\, \arctan x = \frac{1}{1 + x^{2}}",
     lambda x: anp.arctan(x), lambda x: 1.0 / (1.0 + x**2), {"x": "vec:n"}, "x")
_add("d-xlogx", "x ln x", "derivative", _CH,
     r"\frac{d}{dx}\, x \ln x = \ln x + 1",
     lambda x: x * anp.log(x), lambda x: anp.log(x) + 1.0, {"x": "pos:n"}, "x")
_add("d-product-rule", "product rule (example)", "derivative", _CH,
     r"\frac{d}{dx}\, x^{2} e^{x} = (x^{2} + 2x)\, e^{x}",
     lambda x: x**2 * anp.exp(x), lambda x: (x**2 + 2 * x) * anp.exp(x), {"x": "vec:n"}, "x",
     mistake=_M(r"\frac{d}{dx}\, x^{2} e^{x} = 2x\, e^{x}", lambda x: 2 * x * anp.exp(x),
                "product of the derivatives instead of the product rule"))
_add("d-quotient-rule", "quotient rule (example)", "derivative", _CH,
     r"\frac{d}{dx}\, \frac{\sin x}{x} = \frac{x\cos x - \sin x}{x^{2}}",
     lambda x: anp.sin(x) / x, lambda x: (x * anp.cos(x) - anp.sin(x)) / x**2,
     {"x": "away:n"}, "x",
     mistake=_M(r"\frac{d}{dx}\, \frac{\sin x}{x} = \frac{\sin x - x\cos x}{x^{2}}",
                lambda x: (anp.sin(x) - x * anp.cos(x)) / x**2,
                "numerator of the quotient rule in the wrong order"))
_add("d-chain-gauss", "chain rule (Gaussian bump)", "derivative", _CH,
     r"\frac{d}{dx}\, e^{-x^{2}/2} = -x\, e^{-x^{2}/2}",
     lambda x: anp.exp(-(x**2) / 2), lambda x: -x * anp.exp(-(x**2) / 2), {"x": "vec:n"}, "x",
     mistake=_M(r"\frac{d}{dx}\, e^{-x^{2}/2} = e^{-x^{2}/2}", lambda x: anp.exp(-(x**2) / 2),
                "inner derivative forgotten"))
_add("d-chain-log1p-sq", "chain rule (log of 1 + x^2)", "derivative", _CH,
     r"\frac{d}{dx}\, \ln(1 + x^{2}) = \frac{2x}{1 + x^{2}}",
     lambda x: anp.log(1 + x**2), lambda x: 2 * x / (1 + x**2), {"x": "vec:n"}, "x")
_add("d-abs", "absolute value", "derivative", _CH,
     r"\frac{d}{dx}\, \lvert x\rvert = \operatorname{sign}(x)",
     lambda x: anp.abs(x), lambda x: anp.sign(x), {"x": "away:n"}, "x")
_add("d-ls-1d", "1-D least squares", "derivative", _CH,
     r"\frac{d}{da} \sum_{i=1}^{N} (y_i - a x_i)^{2} = -2\sum_{i=1}^{N} x_i\,(y_i - a x_i)",
     lambda a, x, y: anp.sum((y[None, :] - a[:, None] * x[None, :]) ** 2, axis=1),
     lambda a, x, y: -2 * anp.sum(x[None, :] * (y[None, :] - a[:, None] * x[None, :]), axis=1),
     {"a": "vec:p", "x": "vec:N", "y": "vec:N"}, "a")
_add("d2-ls-1d", "1-D least squares, curvature", "second-derivative", _CH,
     r"\frac{d^{2}}{da^{2}} \sum_{i=1}^{N} (y_i - a x_i)^{2} = 2\sum_{i=1}^{N} x_i^{2}",
     lambda a, x, y: anp.sum((y[None, :] - a[:, None] * x[None, :]) ** 2, axis=1),
     lambda a, x, y: 2 * anp.sum(x**2) * anp.ones_like(a),
     {"a": "vec:p", "x": "vec:N", "y": "vec:N"}, "a")
_add("d2-power", "second derivative of a power", "second-derivative", _CH,
     r"\frac{d^{2}}{dx^{2}}\, x^{k} = k(k-1)\, x^{k-2}",
     lambda x, k: x**k, lambda x, k: k * (k - 1) * x ** (k - 2),
     {"x": "pos:n", "k": "num:-2.5,3.5"}, "x")
_add("d2-gauss", "second derivative of the Gaussian bump", "second-derivative", _CH,
     r"\frac{d^{2}}{dx^{2}}\, e^{-x^{2}/2} = (x^{2} - 1)\, e^{-x^{2}/2}",
     lambda x: anp.exp(-(x**2) / 2), lambda x: (x**2 - 1) * anp.exp(-(x**2) / 2),
     {"x": "vec:n"}, "x")

# --- Chapter 2: gradients of scalar functions of a vector ---
_CH = "ch-gradients"
_add("grad-linear", "linear form", "gradient", _CH,
     r"\nabla_{\mathbf{x}}\, (\mathbf{a}^\top \mathbf{x}) = \nabla_{\mathbf{x}}\, (\mathbf{x}^\top \mathbf{a}) = \mathbf{a}",
     lambda x, a: a @ x, lambda x, a: a, {"x": "vec:n", "a": "vec:n"}, "x",
     reference="Matrix Cookbook (69)")
_add("grad-affine", "affine function", "gradient", _CH,
     r"\nabla_{\mathbf{x}}\, (\mathbf{a}^\top \mathbf{x} + b) = \mathbf{a}",
     lambda x, a, b: a @ x + b, lambda x, a, b: a, {"x": "vec:n", "a": "vec:n", "b": "num:-2,2"}, "x")
_add("grad-sum", "sum of entries", "gradient", _CH,
     r"\nabla_{\mathbf{x}}\, (\mathbf{1}^\top \mathbf{x}) = \mathbf{1}",
     lambda x: anp.sum(x), lambda x: anp.ones_like(x), {"x": "vec:n"}, "x")
_add("grad-sq-norm", "squared Euclidean norm", "gradient", _CH,
     r"\nabla_{\mathbf{x}}\, \lVert\mathbf{x}\rVert_2^{2} = \nabla_{\mathbf{x}}\, (\mathbf{x}^\top\mathbf{x}) = 2\mathbf{x}",
     lambda x: x @ x, lambda x: 2 * x, {"x": "vec:n"}, "x",
     mistake=_M(r"\nabla_{\mathbf{x}}\, \lVert\mathbf{x}\rVert_2^{2} = \mathbf{x}", lambda x: x,
                "factor 2 dropped"))
_add("grad-half-sq-norm", "half squared norm", "gradient", _CH,
     r"\nabla_{\mathbf{x}}\, \tfrac{1}{2}\mathbf{x}^\top\mathbf{x} = \mathbf{x}",
     lambda x: 0.5 * x @ x, lambda x: x, {"x": "vec:n"}, "x")
_add("grad-norm", "Euclidean norm", "gradient", _CH,
     r"\nabla_{\mathbf{x}}\, \lVert\mathbf{x}\rVert_2 = \frac{\mathbf{x}}{\lVert\mathbf{x}\rVert_2}",
     lambda x: _norm(x), lambda x: x / _norm(x), {"x": "vec:n"}, "x",
     conditions=[_cond(r"$\mathbf{x} \neq \mathbf{0}$", lambda d: np.linalg.norm(d["x"]) > 0)],
     mistake=_M(r"\nabla_{\mathbf{x}}\, \lVert\mathbf{x}\rVert_2 = 2\mathbf{x}", lambda x: 2 * x,
                "the gradient of the squared norm"))
_add("grad-dist", "distance to a point", "gradient", _CH,
     r"\nabla_{\mathbf{x}}\, \lVert\mathbf{x} - \mathbf{a}\rVert_2 = \frac{\mathbf{x} - \mathbf{a}}{\lVert\mathbf{x} - \mathbf{a}\rVert_2}",
     lambda x, a: _norm(x - a), lambda x, a: (x - a) / _norm(x - a), {"x": "vec:n", "a": "vec:n"}, "x",
     conditions=[_cond(r"$\mathbf{x} \neq \mathbf{a}$", lambda d: np.linalg.norm(d["x"] - d["a"]) > 0)])
_add("grad-sq-dist", "squared distance to a point", "gradient", _CH,
     r"\nabla_{\mathbf{x}}\, \lVert\mathbf{x} - \mathbf{a}\rVert_2^{2} = 2(\mathbf{x} - \mathbf{a})",
     lambda x, a: (x - a) @ (x - a), lambda x, a: 2 * (x - a), {"x": "vec:n", "a": "vec:n"}, "x")
_add("grad-l1", "L1 norm", "gradient", _CH,
     r"\nabla_{\mathbf{x}}\, \lVert\mathbf{x}\rVert_1 = \operatorname{sign}(\mathbf{x})",
     lambda x: anp.sum(anp.abs(x)), lambda x: anp.sign(x), {"x": "away:n"}, "x")
_add("grad-weighted-sq-norm", "weighted squared norm", "gradient", _CH,
     r"\nabla_{\mathbf{x}}\, \lVert\mathbf{x}\rVert_W^{2} = \nabla_{\mathbf{x}}\, \mathbf{x}^\top W\mathbf{x} = 2W\mathbf{x}",
     lambda x, W: x @ W @ x, lambda x, W: 2 * W @ x, {"x": "vec:n", "W": "spd:n"}, "x")
_add("grad-weighted-norm", "weighted norm", "gradient", _CH,
     r"\nabla_{\mathbf{x}}\, \sqrt{\mathbf{x}^\top W\mathbf{x}} = \frac{W\mathbf{x}}{\sqrt{\mathbf{x}^\top W\mathbf{x}}}",
     lambda x, W: anp.sqrt(x @ W @ x), lambda x, W: W @ x / anp.sqrt(x @ W @ x),
     {"x": "vec:n", "W": "spd:n"}, "x",
     conditions=[_cond(r"$\mathbf{x} \neq \mathbf{0}$", lambda d: np.linalg.norm(d["x"]) > 0)])
_add("grad-quadratic-form", "quadratic form", "gradient", _CH,
     r"\nabla_{\mathbf{x}}\, (\mathbf{x}^\top A\mathbf{x}) = (A + A^\top)\mathbf{x}",
     lambda x, A: x @ A @ x, lambda x, A: (A + A.T) @ x, {"x": "vec:n", "A": "sq:n,n"}, "x",
     mistake=_M(r"\nabla_{\mathbf{x}}\, (\mathbf{x}^\top A\mathbf{x}) = 2A\mathbf{x}",
                lambda x, A: 2 * A @ x, "holds only for symmetric A"))
_add("grad-quadratic-form-sym", "quadratic form, symmetric A", "gradient", _CH,
     r"\nabla_{\mathbf{x}}\, (\mathbf{x}^\top A\mathbf{x}) = 2A\mathbf{x}",
     lambda x, A: x @ A @ x, lambda x, A: 2 * A @ x, {"x": "vec:n", "A": "sym:n,n"}, "x")
_add("grad-half-quadratic-sym", "half quadratic form, symmetric A", "gradient", _CH,
     r"\nabla_{\mathbf{x}}\, \tfrac{1}{2}\mathbf{x}^\top A\mathbf{x} = A\mathbf{x}",
     lambda x, A: 0.5 * x @ A @ x, lambda x, A: A @ x, {"x": "vec:n", "A": "sym:n,n"}, "x")
_add("grad-trace-quadratic", "trace of a quadratic form", "gradient", _CH,
     r"\nabla_{\mathbf{x}}\, \operatorname{tr}(\mathbf{x}^\top A\mathbf{x}) = \nabla_{\mathbf{x}}\, \operatorname{tr}(A\mathbf{x}\mathbf{x}^\top) = (A + A^\top)\mathbf{x}",
     lambda x, A: anp.trace(A @ anp.outer(x, x)), lambda x, A: (A + A.T) @ x,
     {"x": "vec:n", "A": "sq:n,n"}, "x")
_add("grad-bilinear-right", "bilinear form in its right argument", "gradient", _CH,
     r"\nabla_{\mathbf{x}}\, (\mathbf{y}^\top A\mathbf{x}) = A^\top\mathbf{y}",
     lambda x, y, A: y @ A @ x, lambda x, y, A: A.T @ y, {"x": "vec:n", "y": "vec:m", "A": "mat:m,n"}, "x",
     mistake=_M(r"\nabla_{\mathbf{x}}\, (\mathbf{y}^\top A\mathbf{x}) = A\mathbf{x}", lambda x, y, A: A @ x,
                "differentiates with respect to the wrong argument"))
_add("grad-bilinear-left", "bilinear form in its left argument", "gradient", _CH,
     r"\nabla_{\mathbf{y}}\, (\mathbf{y}^\top A\mathbf{x}) = A\mathbf{x}",
     lambda x, y, A: y @ A @ x, lambda x, y, A: A @ x, {"x": "vec:n", "y": "vec:m", "A": "mat:m,n"}, "y")
_add("grad-xTATb", "linear form through a transpose", "gradient", _CH,
     r"\nabla_{\mathbf{x}}\, (\mathbf{x}^\top A^\top\mathbf{b}) = A^\top\mathbf{b}",
     lambda x, A, b: x @ A.T @ b, lambda x, A, b: A.T @ b, {"x": "vec:n", "A": "mat:m,n", "b": "vec:m"}, "x")
_add("grad-affine-dot", "affine map dotted with a constant", "gradient", _CH,
     r"\nabla_{\mathbf{x}}\, \big((A\mathbf{x} + \mathbf{b})^\top\mathbf{c}\big) = A^\top\mathbf{c}",
     lambda x, A, b, c: (A @ x + b) @ c, lambda x, A, b, c: A.T @ c,
     {"x": "vec:n", "A": "mat:m,n", "b": "vec:m", "c": "vec:m"}, "x")
_add("grad-sq-norm-Ax", "squared norm of a linear map", "gradient", _CH,
     r"\nabla_{\mathbf{x}}\, \lVert A\mathbf{x}\rVert_2^{2} = 2A^\top A\mathbf{x}",
     lambda x, A: (A @ x) @ (A @ x), lambda x, A: 2 * A.T @ A @ x, {"x": "vec:n", "A": "mat:m,n"}, "x")
_add("grad-half-xTATAx", "half Gram quadratic form", "gradient", _CH,
     r"\nabla_{\mathbf{x}}\, \tfrac{1}{2}\mathbf{x}^\top A^\top A\mathbf{x} = A^\top A\mathbf{x}",
     lambda x, A: 0.5 * x @ A.T @ A @ x, lambda x, A: A.T @ A @ x, {"x": "vec:n", "A": "mat:m,n"}, "x")
_add("grad-least-squares", "least-squares residual", "gradient", _CH,
     r"\nabla_{\mathbf{x}}\, \lVert A\mathbf{x} - \mathbf{b}\rVert_2^{2} = 2A^\top(A\mathbf{x} - \mathbf{b})",
     lambda x, A, b: (A @ x - b) @ (A @ x - b), lambda x, A, b: 2 * A.T @ (A @ x - b),
     {"x": "vec:n", "A": "mat:m,n", "b": "vec:m"}, "x",
     mistake=_M(r"\nabla_{\mathbf{x}}\, \lVert A\mathbf{x} - \mathbf{b}\rVert_2^{2} = A^\top(A\mathbf{x} - \mathbf{b})",
                lambda x, A, b: A.T @ (A @ x - b),
                "the factor 2 of the square is dropped (this is the gradient of half the squared norm)"))
_add("grad-half-least-squares", "half least-squares residual", "gradient", _CH,
     r"\nabla_{\mathbf{x}}\, \tfrac{1}{2}\lVert A\mathbf{x} - \mathbf{b}\rVert_2^{2} = A^\top(A\mathbf{x} - \mathbf{b})",
     lambda x, A, b: 0.5 * (A @ x - b) @ (A @ x - b), lambda x, A, b: A.T @ (A @ x - b),
     {"x": "vec:n", "A": "mat:m,n", "b": "vec:m"}, "x")
_add("grad-entropy", "entropy", "gradient", _CH,
     r"\nabla_{\mathbf{x}}\, \Big(-\sum_{i} x_i \ln x_i\Big) = -(\ln\mathbf{x} + \mathbf{1})",
     lambda x: -anp.sum(x * anp.log(x)), lambda x: -(anp.log(x) + 1.0), {"x": "pos:n"}, "x")
_add("grad-sum-log", "sum of logarithms", "gradient", _CH,
     r"\nabla_{\mathbf{x}}\, \sum_{i} \ln x_i = \mathbf{1} \oslash \mathbf{x} = (1/x_1, \dots, 1/x_n)^\top",
     lambda x: anp.sum(anp.log(x)), lambda x: 1.0 / x, {"x": "pos:n"}, "x")
_add("grad-exp-linear", "exponential of a linear form", "gradient", _CH,
     r"\nabla_{\mathbf{x}}\, e^{\mathbf{a}^\top\mathbf{x}} = e^{\mathbf{a}^\top\mathbf{x}}\,\mathbf{a}",
     lambda x, a: anp.exp(a @ x), lambda x, a: anp.exp(a @ x) * a, {"x": "vec:n", "a": "vec:n"}, "x")
_add("grad-cubic-norm", "sum of cubed magnitudes", "gradient", _CH,
     r"\nabla_{\mathbf{x}}\, \sum_i \lvert x_i\rvert^{3} = 3\,\mathbf{x}\odot\lvert\mathbf{x}\rvert",
     lambda x: anp.sum(anp.abs(x) ** 3), lambda x: 3 * x * anp.abs(x), {"x": "away:n"}, "x")
_add("grad-cosine-similarity", "cosine similarity", "gradient", _CH,
     r"\nabla_{\mathbf{x}}\, \frac{\mathbf{a}^\top\mathbf{x}}{\lVert\mathbf{a}\rVert\,\lVert\mathbf{x}\rVert} = \frac{1}{\lVert\mathbf{x}\rVert}\Big(\frac{\mathbf{a}}{\lVert\mathbf{a}\rVert} - c\,\frac{\mathbf{x}}{\lVert\mathbf{x}\rVert}\Big),\ c = \frac{\mathbf{a}^\top\mathbf{x}}{\lVert\mathbf{a}\rVert\,\lVert\mathbf{x}\rVert}",
     lambda x, a: a @ x / (_norm(a) * _norm(x)),
     lambda x, a: (a / _norm(a) - (a @ x / (_norm(a) * _norm(x))) * x / _norm(x)) / _norm(x),
     {"x": "vec:n", "a": "vec:n"}, "x")
_add("grad-lagrangian-eig", "Lagrangian of the eigenvalue problem", "gradient", _CH,
     r"\nabla_{\mathbf{x}}\, \big(\mathbf{x}^\top A\mathbf{x} - \lambda(\mathbf{x}^\top\mathbf{x} - 1)\big) = (A + A^\top)\mathbf{x} - 2\lambda\mathbf{x}",
     lambda x, A, lam: x @ A @ x - lam * (x @ x - 1), lambda x, A, lam: (A + A.T) @ x - 2 * lam * x,
     {"x": "vec:n", "A": "sq:n,n", "lam": "num:-2,2"}, "x")
_add("grad-lagrangian-multiplier", "Lagrangian in the multiplier", "derivative", _CH,
     r"\frac{\partial}{\partial\lambda}\, \big(\mathbf{x}^\top A\mathbf{x} - \lambda(\mathbf{x}^\top\mathbf{x} - 1)\big) = 1 - \mathbf{x}^\top\mathbf{x}",
     lambda lam, x, A: x @ A @ x - lam * (x @ x - 1), lambda lam, x, A: (1 - x @ x) * anp.ones_like(lam),
     {"lam": "vec:p", "x": "vec:n", "A": "sq:n,n"}, "lam")
_add("grad-difference-of-linear", "difference of linear forms", "gradient", _CH,
     r"\nabla_{\mathbf{x}}\, (\mathbf{y}^\top\mathbf{x} - \mathbf{w}^\top\mathbf{x}) = \mathbf{y} - \mathbf{w}",
     lambda x, y, w: y @ x - w @ x, lambda x, y, w: y - w, {"x": "vec:n", "y": "vec:n", "w": "vec:n"}, "x")

# --- Chapter 3: Jacobians (numerator layout: rows index outputs, columns index inputs) ---
_CH = "ch-jacobians"
_add("jac-linear", "linear map", "jacobian", _CH,
     r"\frac{\partial (A\mathbf{x})}{\partial \mathbf{x}} = A",
     lambda x, A: A @ x, lambda x, A: A, {"x": "vec:n", "A": "mat:m,n"}, "x",
     mistake=_M(r"\nabla_{\mathbf{x}}(A\mathbf{x}) = A^\top", lambda x, A: A.T,
                "denominator layout: the transpose of the Jacobian"))
_add("jac-affine", "affine map", "jacobian", _CH,
     r"\frac{\partial (A\mathbf{x} + \mathbf{b})}{\partial \mathbf{x}} = A",
     lambda x, A, b: A @ x + b, lambda x, A, b: A, {"x": "vec:n", "A": "mat:m,n", "b": "vec:m"}, "x",
     mistake=_M(r"\nabla_{\mathbf{x}}(A\mathbf{x} + \mathbf{b}) = A^\top", lambda x, A, b: A.T,
                "denominator layout: the transpose of the Jacobian"))
_add("jac-row-times-matrix", "row vector times a matrix", "jacobian", _CH,
     r"\frac{\partial (\mathbf{x}^\top A)^\top}{\partial \mathbf{x}} = \frac{\partial (A^\top\mathbf{x})}{\partial \mathbf{x}} = A^\top",
     lambda x, A: x @ A, lambda x, A: A.T, {"x": "vec:m", "A": "mat:m,n"}, "x",
     mistake=_M(r"\nabla_{\mathbf{x}}(\mathbf{x}^\top A) = A", lambda x, A: A,
                "denominator layout: the transpose of the Jacobian"))
_add("jac-identity", "identity map", "jacobian", _CH,
     r"\frac{\partial \mathbf{x}}{\partial \mathbf{x}} = I_n",
     lambda x: 1.0 * x, lambda x: anp.eye(x.shape[0]), {"x": "vec:n"}, "x")
_add("jac-neg-log", "elementwise negative logarithm", "jacobian", _CH,
     r"\frac{\partial (-\ln\mathbf{x})}{\partial \mathbf{x}} = \operatorname{diag}(-1/x_1, \dots, -1/x_n)",
     lambda x: -anp.log(x), lambda x: anp.diag(-1.0 / x), {"x": "pos:n"}, "x")
_add("jac-exp", "elementwise exponential", "jacobian", _CH,
     r"\frac{\partial e^{\mathbf{x}}}{\partial \mathbf{x}} = \operatorname{diag}(e^{\mathbf{x}})",
     lambda x: anp.exp(x), lambda x: anp.diag(anp.exp(x)), {"x": "vec:n"}, "x")
_add("jac-elementwise", "elementwise map", "jacobian", _CH,
     r"\frac{\partial g(\mathbf{x})}{\partial \mathbf{x}} = \operatorname{diag}(g'(\mathbf{x}))\ \text{ for } g = \sin \text{ elementwise}",
     lambda x: anp.sin(x), lambda x: anp.diag(anp.cos(x)), {"x": "vec:n"}, "x",
     mistake=_M(r"\frac{\partial \sin(\mathbf{x})}{\partial \mathbf{x}} = \cos(\mathbf{x})\mathbf{1}^\top",
                lambda x: anp.outer(anp.cos(x), anp.ones_like(x)),
                "an elementwise map does not mix coordinates: off-diagonal entries are zero"))
_add("jac-square", "elementwise square", "jacobian", _CH,
     r"\frac{\partial (\mathbf{x}\odot\mathbf{x})}{\partial \mathbf{x}} = 2\operatorname{diag}(\mathbf{x})",
     lambda x: x * x, lambda x: 2 * anp.diag(x), {"x": "vec:n"}, "x")
_add("jac-hadamard-const", "elementwise product with a constant", "jacobian", _CH,
     r"\frac{\partial (\mathbf{a}\odot\mathbf{x})}{\partial \mathbf{x}} = \operatorname{diag}(\mathbf{a})",
     lambda x, a: a * x, lambda x, a: anp.diag(a), {"x": "vec:n", "a": "vec:n"}, "x")
_add("jac-hadamard-product-rule", "product rule for an elementwise product", "jacobian", _CH,
     r"\frac{\partial (A\mathbf{x}\odot B\mathbf{x})}{\partial \mathbf{x}} = \operatorname{diag}(B\mathbf{x})\,A + \operatorname{diag}(A\mathbf{x})\,B",
     lambda x, A, B: (A @ x) * (B @ x),
     lambda x, A, B: anp.diag(B @ x) @ A + anp.diag(A @ x) @ B,
     {"x": "vec:n", "A": "mat:m,n", "B": "mat:m,n"}, "x")
_add("jac-rank-one", "scalar times a fixed vector", "jacobian", _CH,
     r"\frac{\partial\, (\mathbf{a}^\top\mathbf{x})\,\mathbf{b}}{\partial \mathbf{x}} = \mathbf{b}\mathbf{a}^\top",
     lambda x, a, b: (a @ x) * b, lambda x, a, b: anp.outer(b, a),
     {"x": "vec:n", "a": "vec:n", "b": "vec:m"}, "x",
     mistake=_M(r"\frac{\partial\, (\mathbf{a}^\top\mathbf{x})\,\mathbf{b}}{\partial \mathbf{x}} = \mathbf{a}\mathbf{b}^\top",
                lambda x, a, b: anp.outer(a, b), "denominator layout: the transpose"))
_add("jac-scaled-x", "a vector scaled by a linear form", "jacobian", _CH,
     r"\frac{\partial\, (\mathbf{a}^\top\mathbf{x})\,\mathbf{x}}{\partial \mathbf{x}} = (\mathbf{a}^\top\mathbf{x})\,I + \mathbf{x}\mathbf{a}^\top",
     lambda x, a: (a @ x) * x, lambda x, a: (a @ x) * anp.eye(x.shape[0]) + anp.outer(x, a),
     {"x": "vec:n", "a": "vec:n"}, "x",
     mistake=_M(r"\frac{\partial\, (\mathbf{a}^\top\mathbf{x})\,\mathbf{x}}{\partial \mathbf{x}} = (\mathbf{a}^\top\mathbf{x})\,I + \mathbf{a}\mathbf{x}^\top",
                lambda x, a: (a @ x) * anp.eye(x.shape[0]) + anp.outer(a, x),
                "the rank-one term transposed"))
_add("jac-normalize", "normalisation to unit length", "jacobian", _CH,
     r"\frac{\partial}{\partial \mathbf{x}}\frac{\mathbf{x}}{\lVert\mathbf{x}\rVert} = \frac{1}{\lVert\mathbf{x}\rVert}\Big(I - \frac{\mathbf{x}\mathbf{x}^\top}{\lVert\mathbf{x}\rVert^{2}}\Big)",
     lambda x: x / _norm(x), lambda x: (anp.eye(x.shape[0]) - anp.outer(x, x) / (x @ x)) / _norm(x),
     {"x": "vec:n"}, "x",
     conditions=[_cond(r"$\mathbf{x} \neq \mathbf{0}$", lambda d: np.linalg.norm(d["x"]) > 0)])
_add("jac-norm-sq-times-x", "vector scaled by its squared norm", "jacobian", _CH,
     r"\frac{\partial\, \lVert\mathbf{x}\rVert^{2}\mathbf{x}}{\partial \mathbf{x}} = \lVert\mathbf{x}\rVert^{2} I + 2\mathbf{x}\mathbf{x}^\top",
     lambda x: (x @ x) * x, lambda x: (x @ x) * anp.eye(x.shape[0]) + 2 * anp.outer(x, x),
     {"x": "vec:n"}, "x")
_add("jac-polar", "polar coordinates", "jacobian", _CH,
     r"\frac{\partial (r\cos\theta,\ r\sin\theta)}{\partial (r, \theta)} = \begin{bmatrix} \cos\theta & -r\sin\theta \\ \sin\theta & r\cos\theta \end{bmatrix}",
     lambda p: anp.stack([p[0] * anp.cos(p[1]), p[0] * anp.sin(p[1])]),
     lambda p: anp.array([[anp.cos(p[1]), -p[0] * anp.sin(p[1])], [anp.sin(p[1]), p[0] * anp.cos(p[1])]]),
     lambda rng: {"p": np.array([rng.uniform(0.5, 2.0), rng.uniform(-3.0, 3.0)])}, "p",
     shapes=r"(r, \theta)\in(0,\infty)\times\mathbb{R}", fixed_shapes=True,
     mistake=_M(r"\begin{bmatrix} \cos\theta & \sin\theta \\ -r\sin\theta & r\cos\theta \end{bmatrix}",
                lambda p: anp.array([[anp.cos(p[1]), anp.sin(p[1])], [-p[0] * anp.sin(p[1]), p[0] * anp.cos(p[1])]]),
                "denominator layout: the transpose"))
_add("jac-diag-scaling", "linear map of an elementwise product", "jacobian", _CH,
     r"\frac{\partial\, A(\mathbf{x}\odot\mathbf{b})}{\partial \mathbf{x}} = A\operatorname{diag}(\mathbf{b})",
     lambda x, A, b: A @ (x * b), lambda x, A, b: A @ anp.diag(b),
     {"x": "vec:n", "A": "mat:m,n", "b": "vec:n"}, "x")
_add("jac-cumsum", "cumulative sum", "jacobian", _CH,
     r"\frac{\partial\, \big(\sum_{j\le i} x_j\big)_{i}}{\partial \mathbf{x}} = L,\quad L_{ij} = 1 \text{ if } j \le i \text{ else } 0",
     lambda x: anp.cumsum(x), lambda x: anp.tril(anp.ones((x.shape[0], x.shape[0]))), {"x": "vec:n"}, "x",
     mistake=_M(r"L^\top \text{ (upper triangular)}", lambda x: anp.triu(anp.ones((x.shape[0], x.shape[0]))),
                "denominator layout: the transpose"))
_add("jac-centering", "centering (subtract the mean)", "jacobian", _CH,
     r"\frac{\partial\, (\mathbf{x} - \bar{x}\mathbf{1})}{\partial \mathbf{x}} = I - \tfrac{1}{n}\mathbf{1}\mathbf{1}^\top",
     lambda x: x - anp.mean(x), lambda x: anp.eye(x.shape[0]) - anp.ones((x.shape[0], x.shape[0])) / x.shape[0],
     {"x": "vec:n"}, "x")
_add("jac-outer-self", "outer product with itself", "jacobian", _CH,
     r"\frac{\partial (\mathbf{x}\mathbf{x}^\top)_{ij}}{\partial x_k} = \delta_{ik}x_j + x_i\delta_{jk}",
     lambda x: anp.outer(x, x),
     lambda x: anp.einsum("ik,j->ijk", anp.eye(x.shape[0]), x) + anp.einsum("i,jk->ijk", x, anp.eye(x.shape[0])),
     {"x": "vec:n"}, "x")

_add("jac-warp", "a warp of the plane", "jacobian", _CH,
     r"\frac{\partial\, (x_1 + 0.4x_2^{2},\ x_2 - 0.4x_1^{2} + 0.2x_1)}{\partial \mathbf{x}} = \begin{bmatrix} 1 & 0.8x_2 \\ 0.2 - 0.8x_1 & 1 \end{bmatrix}",
     lambda x: anp.stack([x[0] + 0.4 * x[1] ** 2, x[1] - 0.4 * x[0] ** 2 + 0.2 * x[0]]),
     lambda x: anp.array([[1.0, 0.8 * x[1]], [0.2 - 0.8 * x[0], 1.0]]),
     {"x": "vec:2"}, "x", fixed_shapes=True,
     mistake=_M(r"\begin{bmatrix} 1 & 0.2 - 0.8x_1 \\ 0.8x_2 & 1 \end{bmatrix}",
                lambda x: anp.array([[1.0, 0.2 - 0.8 * x[0]], [0.8 * x[1], 1.0]]),
                "denominator layout: the transpose"))
_add("jac-vjp", "vector-Jacobian product", "gradient", _CH,
     r"\nabla_{\mathbf{x}}\, \big(\mathbf{u}^\top\mathbf{f}(\mathbf{x})\big) = J^\top\mathbf{u},\ \mathbf{f}(\mathbf{x}) = (x_1x_2 + x_3^{2}, e^{x_1}\sin x_2):\ J^\top\mathbf{u} = \big(u_1x_2 + u_2e^{x_1}\sin x_2, u_1x_1 + u_2e^{x_1}\cos x_2, 2u_1x_3\big)",
     lambda x, u: u[0] * (x[0] * x[1] + x[2] ** 2) + u[1] * anp.exp(x[0]) * anp.sin(x[1]),
     lambda x, u: anp.array([[x[1], x[0], 2 * x[2]],
                             [anp.exp(x[0]) * anp.sin(x[1]), anp.exp(x[0]) * anp.cos(x[1]), 0.0]]).T @ u,
     {"x": "vec:3", "u": "vec:2"}, "x", fixed_shapes=True)

# --- Chapter 4: the chain rule ---
_CH = "ch-chain-rule"
_add("chain-norm4", "fourth power of the norm", "gradient", _CH,
     r"\nabla_{\mathbf{x}}\, \lVert\mathbf{x}\rVert_2^{4} = 4\lVert\mathbf{x}\rVert_2^{2}\,\mathbf{x}",
     lambda x: (x @ x) ** 2, lambda x: 4 * (x @ x) * x, {"x": "vec:n"}, "x",
     mistake=_M(r"\nabla_{\mathbf{x}}\, \lVert\mathbf{x}\rVert_2^{4} = 4\mathbf{x}^{3}", lambda x: 4 * x**3,
                "the power rule applied coordinatewise"))
_add("chain-regression", "linear-regression residual", "gradient", _CH,
     r"\nabla_{\mathbf{w}}\, \lVert X\mathbf{w} - \mathbf{y}\rVert_2^{2} = 2X^\top(X\mathbf{w} - \mathbf{y})",
     lambda w, X, y: (X @ w - y) @ (X @ w - y), lambda w, X, y: 2 * X.T @ (X @ w - y),
     {"w": "vec:d", "X": "mat:N,d", "y": "vec:N"}, "w",
     mistake=_M(r"\nabla_{\mathbf{w}}\, \lVert X\mathbf{w} - \mathbf{y}\rVert_2^{2} = 2(X\mathbf{w} - \mathbf{y})^\top X",
                lambda w, X, y: 2 * anp.outer(X @ w - y, anp.ones(1)).T @ X,
                "a row vector (the derivative) where the gradient is a column"))
_add("chain-bilinear-affine", "product of two affine maps", "gradient", _CH,
     r"\nabla_{\mathbf{x}}\, (A\mathbf{x} + \mathbf{b})^\top C(D\mathbf{x} + \mathbf{e}) = A^\top C(D\mathbf{x} + \mathbf{e}) + D^\top C^\top(A\mathbf{x} + \mathbf{b})",
     lambda x, A, b, C, D, e: (A @ x + b) @ C @ (D @ x + e),
     lambda x, A, b, C, D, e: A.T @ C @ (D @ x + e) + D.T @ C.T @ (A @ x + b),
     {"x": "vec:n", "A": "mat:p,n", "b": "vec:p", "C": "sq:p,p", "D": "mat:p,n", "e": "vec:p"}, "x",
     mistake=_M(r"A^\top C(D\mathbf{x} + \mathbf{e}) + D^\top C(A\mathbf{x} + \mathbf{b})",
                lambda x, A, b, C, D, e: A.T @ C @ (D @ x + e) + D.T @ C @ (A @ x + b),
                "the transpose on C in the second term is forgotten"))
_add("chain-weighted-ls", "weighted least squares, general W", "gradient", _CH,
     r"\nabla_{\mathbf{x}}\, (A\mathbf{x} - \mathbf{b})^\top W(A\mathbf{x} - \mathbf{b}) = A^\top(W + W^\top)(A\mathbf{x} - \mathbf{b})",
     lambda x, A, b, W: (A @ x - b) @ W @ (A @ x - b),
     lambda x, A, b, W: A.T @ (W + W.T) @ (A @ x - b),
     {"x": "vec:n", "A": "mat:m,n", "b": "vec:m", "W": "sq:m,m"}, "x",
     mistake=_M(r"2A^\top W(A\mathbf{x} - \mathbf{b})", lambda x, A, b, W: 2 * A.T @ W @ (A @ x - b),
                "holds only for symmetric W"))
_add("chain-weighted-ls-sym", "weighted least squares, symmetric W", "gradient", _CH,
     r"\nabla_{\mathbf{x}}\, (A\mathbf{x} - \mathbf{b})^\top W(A\mathbf{x} - \mathbf{b}) = 2A^\top W(A\mathbf{x} - \mathbf{b})",
     lambda x, A, b, W: (A @ x - b) @ W @ (A @ x - b),
     lambda x, A, b, W: 2 * A.T @ W @ (A @ x - b),
     {"x": "vec:n", "A": "mat:m,n", "b": "vec:m", "W": "sym:m,m"}, "x")
_add("chain-product-of-linear", "product of two linear forms", "gradient", _CH,
     r"\nabla_{\mathbf{x}}\, (\mathbf{a}^\top\mathbf{x})(\mathbf{x}^\top\mathbf{b}) = (\mathbf{a}\mathbf{b}^\top + \mathbf{b}\mathbf{a}^\top)\,\mathbf{x}",
     lambda x, a, b: (a @ x) * (x @ b), lambda x, a, b: (anp.outer(a, b) + anp.outer(b, a)) @ x,
     {"x": "vec:n", "a": "vec:n", "b": "vec:n"}, "x",
     mistake=_M(r"2\mathbf{a}\mathbf{b}^\top\mathbf{x}", lambda x, a, b: 2 * anp.outer(a, b) @ x,
                "treats the rank-one matrix as symmetric"))
_add("chain-exp-quadratic", "exponential of a quadratic form", "gradient", _CH,
     r"\nabla_{\mathbf{x}}\, e^{-\mathbf{x}^\top A\mathbf{x}} = -e^{-\mathbf{x}^\top A\mathbf{x}}\,(A + A^\top)\mathbf{x}",
     lambda x, A: anp.exp(-x @ A @ x), lambda x, A: -anp.exp(-x @ A @ x) * ((A + A.T) @ x),
     {"x": "vec:n", "A": "sq:n,n"}, "x",
     post=lambda d, rng: {**d, "x": 0.6 * d["x"], "A": 0.3 * d["A"]},
     mistake=_M(r"-2e^{-\mathbf{x}^\top A\mathbf{x}}\,A\mathbf{x}", lambda x, A: -2 * anp.exp(-x @ A @ x) * (A @ x),
                "holds only for symmetric A"))
_add("chain-curve", "function along a curve", "derivative", _CH,
     r"\frac{d}{dt}\, f(\mathbf{x}(t)) = \nabla f(\mathbf{x}(t))^\top\mathbf{x}'(t),\ f(\mathbf{x}) = \mathbf{a}^\top\mathbf{x} + \mathbf{x}^\top B\mathbf{x},\ \mathbf{x}(t) = (\sin t, \cos t)",
     lambda t, a, B: a[0] * anp.sin(t) + a[1] * anp.cos(t)
     + B[0, 0] * anp.sin(t) ** 2 + (B[0, 1] + B[1, 0]) * anp.sin(t) * anp.cos(t) + B[1, 1] * anp.cos(t) ** 2,
     lambda t, a, B: (a[0] + 2 * B[0, 0] * anp.sin(t) + (B[0, 1] + B[1, 0]) * anp.cos(t)) * anp.cos(t)
     + (a[1] + (B[0, 1] + B[1, 0]) * anp.sin(t) + 2 * B[1, 1] * anp.cos(t)) * (-anp.sin(t)),
     {"t": "vec:p", "a": "vec:2", "B": "sq:2,2"}, "t")
_add("chain-dot-rule", "dot-product rule", "gradient", _CH,
     r"\nabla_{\mathbf{x}}\, (A\mathbf{x})^\top(B\mathbf{x}) = A^\top B\mathbf{x} + B^\top A\mathbf{x}",
     lambda x, A, B: (A @ x) @ (B @ x), lambda x, A, B: A.T @ B @ x + B.T @ A @ x,
     {"x": "vec:n", "A": "mat:m,n", "B": "mat:m,n"}, "x",
     mistake=_M(r"2A^\top B\mathbf{x}", lambda x, A, B: 2 * A.T @ B @ x,
                "assumes the two factors are interchangeable"))
_add("chain-jac-exp-linear", "Jacobian of an elementwise map after a linear map", "jacobian", _CH,
     r"\frac{\partial\, e^{A\mathbf{x}}}{\partial \mathbf{x}} = \operatorname{diag}(e^{A\mathbf{x}})\,A",
     lambda x, A: anp.exp(A @ x), lambda x, A: anp.diag(anp.exp(A @ x)) @ A,
     {"x": "vec:n", "A": "mat:m,n"}, "x",
     mistake=_M(r"A^\top\operatorname{diag}(e^{A\mathbf{x}})", lambda x, A: A.T @ anp.diag(anp.exp(A @ x)),
                "the Jacobian product in the wrong order and transposed (denominator layout)"))
_add("chain-jac-two-layers", "Jacobian of a two-layer map", "jacobian", _CH,
     r"\frac{\partial\, A\tanh(B\mathbf{x})}{\partial \mathbf{x}} = A\operatorname{diag}\big(1 - \tanh^{2}(B\mathbf{x})\big)B",
     lambda x, A, B: A @ anp.tanh(B @ x), lambda x, A, B: A @ anp.diag(1 - anp.tanh(B @ x) ** 2) @ B,
     {"x": "vec:n", "A": "mat:p,m", "B": "mat:m,n"}, "x")
_add("chain-softplus-linear", "scalar function of a linear form", "gradient", _CH,
     r"\nabla_{\mathbf{x}}\, h(\mathbf{a}^\top\mathbf{x}) = h'(\mathbf{a}^\top\mathbf{x})\,\mathbf{a},\ h(z) = \ln(1 + e^{z}),\ h' = \sigma",
     lambda x, a: _softplus(a @ x), lambda x, a: _sig(a @ x) * a, {"x": "vec:n", "a": "vec:n"}, "x")
_add("chain-log-linear", "logarithm of a linear form", "gradient", _CH,
     r"\nabla_{\mathbf{x}}\, \ln(\mathbf{a}^\top\mathbf{x}) = \frac{\mathbf{a}}{\mathbf{a}^\top\mathbf{x}}",
     lambda x, a: anp.log(a @ x), lambda x, a: a / (a @ x), {"x": "pos:n", "a": "pos:n"}, "x",
     conditions=[_cond(r"$\mathbf{a}^\top\mathbf{x} > 0$", lambda d: d["a"] @ d["x"] > 0)])
_add("chain-norm-Ax", "norm of a linear map", "gradient", _CH,
     r"\nabla_{\mathbf{x}}\, \lVert A\mathbf{x}\rVert_2 = \frac{A^\top A\mathbf{x}}{\lVert A\mathbf{x}\rVert_2}",
     lambda x, A: _norm(A @ x), lambda x, A: A.T @ A @ x / _norm(A @ x), {"x": "vec:n", "A": "mat:m,n"}, "x",
     conditions=[_cond(r"$A\mathbf{x} \neq \mathbf{0}$", lambda d: np.linalg.norm(d["A"] @ d["x"]) > 0)])
_add("chain-yAx-minus-yx", "bilinear minus linear", "gradient", _CH,
     r"\nabla_{\mathbf{x}}\, (\mathbf{y}^\top A\mathbf{x} - \mathbf{y}^\top\mathbf{x}) = A^\top\mathbf{y} - \mathbf{y}",
     lambda x, y, A: y @ A @ x - y @ x, lambda x, y, A: A.T @ y - y, {"x": "vec:n", "y": "vec:n", "A": "sq:n,n"}, "x",
     mistake=_M(r"A\mathbf{y} - \mathbf{y}", lambda x, y, A: A @ y - y, "A^T replaced by A"))
_add("chain-exp-bilinear", "exponential of a bilinear form", "gradient", _CH,
     r"\nabla_{\mathbf{x}}\, e^{\mathbf{y}^\top A\mathbf{x}} = e^{\mathbf{y}^\top A\mathbf{x}}\,A^\top\mathbf{y}",
     lambda x, y, A: anp.exp(y @ A @ x), lambda x, y, A: anp.exp(y @ A @ x) * (A.T @ y),
     {"x": "vec:n", "y": "vec:m", "A": "mat:m,n"}, "x",
     post=lambda d, rng: {**d, "A": 0.3 * d["A"]})
_add("chain-lse-affine", "log-sum-exp of an affine map", "gradient", _CH,
     r"\nabla_{\mathbf{x}}\, \operatorname{lse}(A\mathbf{x} + \mathbf{b}) = A^\top\operatorname{softmax}(A\mathbf{x} + \mathbf{b})",
     lambda x, A, b: _lse(A @ x + b), lambda x, A, b: A.T @ _softmax(A @ x + b),
     {"x": "vec:n", "A": "mat:m,n", "b": "vec:m"}, "x")
_add("chain-jac-softmax-linear", "Jacobian of softmax after a linear map", "jacobian", _CH,
     r"\frac{\partial \operatorname{softmax}(A\mathbf{x})}{\partial \mathbf{x}} = \big(\operatorname{diag}(\mathbf{s}) - \mathbf{s}\mathbf{s}^\top\big)A,\ \mathbf{s} = \operatorname{softmax}(A\mathbf{x})",
     lambda x, A: _softmax(A @ x),
     lambda x, A: (anp.diag(_softmax(A @ x)) - anp.outer(_softmax(A @ x), _softmax(A @ x))) @ A,
     {"x": "vec:n", "A": "mat:m,n"}, "x")
_add("chain-sin-regression", "least squares through a nonlinearity", "gradient", _CH,
     r"\nabla_{\mathbf{x}}\, \tfrac{1}{2}\lVert\mathbf{y} - A\sin(\mathbf{x})\rVert_2^{2} = -\cos(\mathbf{x})\odot A^\top\big(\mathbf{y} - A\sin(\mathbf{x})\big)",
     lambda x, y, A: 0.5 * (y - A @ anp.sin(x)) @ (y - A @ anp.sin(x)),
     lambda x, y, A: -anp.cos(x) * (A.T @ (y - A @ anp.sin(x))),
     {"x": "vec:n", "y": "vec:N", "A": "mat:N,n"}, "x")
_add("chain-square-of-affine", "square of an affine form", "gradient", _CH,
     r"\nabla_{\mathbf{x}}\, (\mathbf{a}^\top\mathbf{x} + b)^{2} = 2(\mathbf{a}^\top\mathbf{x} + b)\,\mathbf{a}",
     lambda x, a, b: (a @ x + b) ** 2, lambda x, a, b: 2 * (a @ x + b) * a,
     {"x": "vec:n", "a": "vec:n", "b": "num:-2,2"}, "x")


def _post_kink(d, rng):
    """Keep the ReLU argument w^T x away from the kink at 0 (both signs occur across draws)."""
    return d if abs(d["w"] @ d["x"]) > 0.2 else None


_add("chain-relu-x", "ReLU of a linear form, in the input", "gradient", _CH,
     r"\nabla_{\mathbf{x}}\, \operatorname{ReLU}(\mathbf{w}^\top\mathbf{x}) = \mathbb{1}[\mathbf{w}^\top\mathbf{x} > 0]\,\mathbf{w}\ \ (\mathbf{w}^\top\mathbf{x} \neq 0)",
     lambda x, w: anp.maximum(0.0, w @ x), lambda x, w: (w @ x > 0) * w,
     {"x": "vec:n", "w": "vec:n"}, "x", post=_post_kink,
     conditions=[_cond(r"$\mathbf{w}^\top\mathbf{x} \neq 0$", lambda d: d["w"] @ d["x"] != 0)])
_add("chain-relu-w", "ReLU of a linear form, in the weights", "gradient", _CH,
     r"\nabla_{\mathbf{w}}\, \operatorname{ReLU}(\mathbf{w}^\top\mathbf{x}) = \mathbb{1}[\mathbf{w}^\top\mathbf{x} > 0]\,\mathbf{x}\ \ (\mathbf{w}^\top\mathbf{x} \neq 0)",
     lambda w, x: anp.maximum(0.0, w @ x), lambda w, x: (w @ x > 0) * x,
     {"w": "vec:n", "x": "vec:n"}, "w", post=_post_kink,
     conditions=[_cond(r"$\mathbf{w}^\top\mathbf{x} \neq 0$", lambda d: d["w"] @ d["x"] != 0)])
_add("chain-log1p-sq-norm", "logarithm of one plus the squared norm", "gradient", _CH,
     r"\nabla_{\mathbf{x}}\, \ln(1 + \lVert\mathbf{x}\rVert_2^{2}) = \frac{2\mathbf{x}}{1 + \lVert\mathbf{x}\rVert_2^{2}}",
     lambda x: anp.log(1 + x @ x), lambda x: 2 * x / (1 + x @ x), {"x": "vec:n"}, "x")
_add("chain-sq-norm-affine", "squared norm of an affine map", "gradient", _CH,
     r"\nabla_{\mathbf{x}}\, \lVert A\mathbf{x} + \mathbf{b}\rVert_2^{2} = 2A^\top(A\mathbf{x} + \mathbf{b}) = 2A^\top A\mathbf{x} + 2A^\top\mathbf{b}",
     lambda x, A, b: (A @ x + b) @ (A @ x + b), lambda x, A, b: 2 * A.T @ (A @ x + b),
     {"x": "vec:n", "A": "mat:m,n", "b": "vec:m"}, "x",
     mistake=_M(r"2A^\top A\mathbf{x} + A^\top\mathbf{b}", lambda x, A, b: 2 * A.T @ A @ x + A.T @ b,
                "the factor 2 multiplies the whole residual, not only the term in x"))
_add("chain-jac-product-rule", "product rule for an elementwise product of two maps", "jacobian", _CH,
     r"\frac{\partial\, (\mathbf{u}\odot C\mathbf{v})}{\partial \mathbf{x}} = \operatorname{diag}(C\mathbf{v})\frac{\partial\mathbf{u}}{\partial\mathbf{x}} + \operatorname{diag}(\mathbf{u})\,C\frac{\partial\mathbf{v}}{\partial\mathbf{x}},\ \mathbf{u} = \tanh(A\mathbf{x}),\ \mathbf{v} = \sin(B\mathbf{x})",
     lambda x, A, B, C: anp.tanh(A @ x) * (C @ anp.sin(B @ x)),
     lambda x, A, B, C: anp.diag(C @ anp.sin(B @ x)) @ anp.diag(1 - anp.tanh(A @ x) ** 2) @ A
     + anp.diag(anp.tanh(A @ x)) @ C @ anp.diag(anp.cos(B @ x)) @ B,
     {"x": "vec:n", "A": "mat:m,n", "B": "mat:p,n", "C": "mat:m,p"}, "x")

# --- Chapter 5: Hessians and curvature ---
_CH = "ch-hessians"
_add("hess-quadratic-form", "quadratic form", "hessian", _CH,
     r"\nabla^{2}_{\mathbf{x}}\, (\mathbf{x}^\top A\mathbf{x}) = A + A^\top",
     lambda x, A: x @ A @ x, lambda x, A: A + A.T, {"x": "vec:n", "A": "sq:n,n"}, "x",
     mistake=_M(r"\nabla^{2}_{\mathbf{x}}\, (\mathbf{x}^\top A\mathbf{x}) = 2A", lambda x, A: 2 * A,
                "holds only for symmetric A (a Hessian is always symmetric)"))
_add("hess-quadratic-form-sym", "quadratic form, symmetric A", "hessian", _CH,
     r"\nabla^{2}_{\mathbf{x}}\, (\mathbf{x}^\top A\mathbf{x}) = 2A",
     lambda x, A: x @ A @ x, lambda x, A: 2 * A, {"x": "vec:n", "A": "sym:n,n"}, "x")
_add("hess-quadratic-model", "quadratic model", "hessian", _CH,
     r"\nabla^{2}_{\mathbf{x}}\, \big(\tfrac{1}{2}\mathbf{x}^\top A\mathbf{x} + \mathbf{b}^\top\mathbf{x} + c\big) = \tfrac{1}{2}(A + A^\top)",
     lambda x, A, b, c: 0.5 * x @ A @ x + b @ x + c, lambda x, A, b, c: 0.5 * (A + A.T),
     {"x": "vec:n", "A": "sq:n,n", "b": "vec:n", "c": "num:-1,1"}, "x")
_add("hess-linear", "linear form", "hessian", _CH,
     r"\nabla^{2}_{\mathbf{x}}\, (\mathbf{a}^\top\mathbf{x}) = 0",
     lambda x, a: a @ x, lambda x, a: anp.zeros((x.shape[0], x.shape[0])), {"x": "vec:n", "a": "vec:n"}, "x")
_add("hess-sq-norm", "squared norm", "hessian", _CH,
     r"\nabla^{2}_{\mathbf{x}}\, \lVert\mathbf{x}\rVert_2^{2} = 2I",
     lambda x: x @ x, lambda x: 2 * anp.eye(x.shape[0]), {"x": "vec:n"}, "x")
_add("hess-norm", "Euclidean norm", "hessian", _CH,
     r"\nabla^{2}_{\mathbf{x}}\, \lVert\mathbf{x}\rVert_2 = \frac{1}{\lVert\mathbf{x}\rVert_2}\Big(I - \frac{\mathbf{x}\mathbf{x}^\top}{\lVert\mathbf{x}\rVert_2^{2}}\Big)",
     lambda x: _norm(x), lambda x: (anp.eye(x.shape[0]) - anp.outer(x, x) / (x @ x)) / _norm(x),
     {"x": "vec:n"}, "x",
     conditions=[_cond(r"$\mathbf{x} \neq \mathbf{0}$", lambda d: np.linalg.norm(d["x"]) > 0)])
_add("hess-norm4", "fourth power of the norm", "hessian", _CH,
     r"\nabla^{2}_{\mathbf{x}}\, \lVert\mathbf{x}\rVert_2^{4} = 4\lVert\mathbf{x}\rVert_2^{2} I + 8\mathbf{x}\mathbf{x}^\top",
     lambda x: (x @ x) ** 2, lambda x: 4 * (x @ x) * anp.eye(x.shape[0]) + 8 * anp.outer(x, x), {"x": "vec:n"}, "x")
_add("hess-least-squares", "least squares", "hessian", _CH,
     r"\nabla^{2}_{\mathbf{x}}\, \lVert A\mathbf{x} - \mathbf{b}\rVert_2^{2} = 2A^\top A",
     lambda x, A, b: (A @ x - b) @ (A @ x - b), lambda x, A, b: 2 * A.T @ A,
     {"x": "vec:n", "A": "mat:m,n", "b": "vec:m"}, "x",
     mistake=_M(r"2AA^\top", lambda x, A, b: 2 * A @ A.T, "the wrong Gram matrix (m x m instead of n x n)"))
_add("hess-half-least-squares", "half least squares", "hessian", _CH,
     r"\nabla^{2}_{\mathbf{x}}\, \tfrac{1}{2}\lVert A\mathbf{x} - \mathbf{b}\rVert_2^{2} = A^\top A",
     lambda x, A, b: 0.5 * (A @ x - b) @ (A @ x - b), lambda x, A, b: A.T @ A,
     {"x": "vec:n", "A": "mat:m,n", "b": "vec:m"}, "x")
_add("hess-entropy", "entropy", "hessian", _CH,
     r"\nabla^{2}_{\mathbf{x}}\, \Big(-\sum_{i} x_i\ln x_i\Big) = -\operatorname{diag}(1/x_1, \dots, 1/x_n)",
     lambda x: -anp.sum(x * anp.log(x)), lambda x: anp.diag(-1.0 / x), {"x": "pos:n"}, "x")
_add("hess-sum-log", "sum of logarithms", "hessian", _CH,
     r"\nabla^{2}_{\mathbf{x}}\, \sum_{i}\ln x_i = -\operatorname{diag}(1/x_1^{2}, \dots, 1/x_n^{2})",
     lambda x: anp.sum(anp.log(x)), lambda x: anp.diag(-1.0 / x**2), {"x": "pos:n"}, "x")
_add("hess-polynomial", "a polynomial in two variables", "hessian", _CH,
     r"\nabla^{2}\, (x_1^{3}x_2^{2} - 3x_1x_2^{3} + 1) = \begin{bmatrix} 6x_1x_2^{2} & 6x_1^{2}x_2 - 9x_2^{2} \\ 6x_1^{2}x_2 - 9x_2^{2} & 2x_1^{3} - 18x_1x_2 \end{bmatrix}",
     lambda x: x[0] ** 3 * x[1] ** 2 - 3 * x[0] * x[1] ** 3 + 1,
     lambda x: anp.array([[6 * x[0] * x[1] ** 2, 6 * x[0] ** 2 * x[1] - 9 * x[1] ** 2],
                          [6 * x[0] ** 2 * x[1] - 9 * x[1] ** 2, 2 * x[0] ** 3 - 18 * x[0] * x[1]]]),
     {"x": "vec:2"}, "x", fixed_shapes=True,
     mistake=_M(r"\begin{bmatrix} 6x_1x_2^{2} & 6x_1^{2}x_2 - 6x_2 \\ 6x_1^{2}x_2 - 9x_2^{2} & 2x_1^{3} - 18x_1x_2 \end{bmatrix}",
                lambda x: anp.array([[6 * x[0] * x[1] ** 2, 6 * x[0] ** 2 * x[1] - 6 * x[1]],
                                     [6 * x[0] ** 2 * x[1] - 9 * x[1] ** 2, 2 * x[0] ** 3 - 18 * x[0] * x[1]]]),
                "a slip in the (1,2) entry; a Hessian of a smooth function is symmetric, this matrix is not"))
_add("hess-lse", "log-sum-exp", "hessian", _CH,
     r"\nabla^{2}_{\mathbf{z}}\, \ln\sum_{k} e^{z_k} = \operatorname{diag}(\mathbf{s}) - \mathbf{s}\mathbf{s}^\top,\ \mathbf{s} = \operatorname{softmax}(\mathbf{z})",
     lambda z: _lse(z), lambda z: anp.diag(_softmax(z)) - anp.outer(_softmax(z), _softmax(z)), {"z": "vec:K"}, "z",
     mistake=_M(r"\operatorname{diag}(\mathbf{s})", lambda z: anp.diag(_softmax(z)),
                "the rank-one coupling term is dropped"))
_add("hess-lse-affine", "log-sum-exp of an affine map", "hessian", _CH,
     r"\nabla^{2}_{\mathbf{x}}\, \operatorname{lse}(A\mathbf{x} + \mathbf{b}) = A^\top\big(\operatorname{diag}(\mathbf{s}) - \mathbf{s}\mathbf{s}^\top\big)A,\ \mathbf{s} = \operatorname{softmax}(A\mathbf{x} + \mathbf{b})",
     lambda x, A, b: _lse(A @ x + b),
     lambda x, A, b: A.T @ (anp.diag(_softmax(A @ x + b)) - anp.outer(_softmax(A @ x + b), _softmax(A @ x + b))) @ A,
     {"x": "vec:n", "A": "mat:m,n", "b": "vec:m"}, "x")
_add("hess-exp-linear", "exponential of a linear form", "hessian", _CH,
     r"\nabla^{2}_{\mathbf{x}}\, e^{\mathbf{a}^\top\mathbf{x}} = e^{\mathbf{a}^\top\mathbf{x}}\,\mathbf{a}\mathbf{a}^\top",
     lambda x, a: anp.exp(a @ x), lambda x, a: anp.exp(a @ x) * anp.outer(a, a), {"x": "vec:n", "a": "vec:n"}, "x",
     post=lambda d, rng: {**d, "a": 0.5 * d["a"]})
_add("hess-square-linear", "square of a linear form", "hessian", _CH,
     r"\nabla^{2}_{\mathbf{x}}\, (\mathbf{a}^\top\mathbf{x})^{2} = 2\mathbf{a}\mathbf{a}^\top",
     lambda x, a: (a @ x) ** 2, lambda x, a: 2 * anp.outer(a, a), {"x": "vec:n", "a": "vec:n"}, "x",
     mistake=_M(r"2\mathbf{a}^\top\mathbf{a}\,I", lambda x, a: 2 * (a @ a) * anp.eye(x.shape[0]),
                "inner product where the outer product belongs"))
_add("hess-softplus-linear", "softplus of a linear form", "hessian", _CH,
     r"\nabla^{2}_{\mathbf{x}}\, \ln(1 + e^{\mathbf{a}^\top\mathbf{x}}) = \sigma(z)\big(1 - \sigma(z)\big)\,\mathbf{a}\mathbf{a}^\top,\ z = \mathbf{a}^\top\mathbf{x}",
     lambda x, a: _softplus(a @ x), lambda x, a: _sig(a @ x) * (1 - _sig(a @ x)) * anp.outer(a, a),
     {"x": "vec:n", "a": "vec:n"}, "x")
_add("hess-gaussian-bump", "Gaussian bump", "hessian", _CH,
     r"\nabla^{2}_{\mathbf{x}}\, e^{-\lVert\mathbf{x}\rVert^{2}/2} = e^{-\lVert\mathbf{x}\rVert^{2}/2}\,(\mathbf{x}\mathbf{x}^\top - I)",
     lambda x: anp.exp(-0.5 * x @ x), lambda x: anp.exp(-0.5 * x @ x) * (anp.outer(x, x) - anp.eye(x.shape[0])),
     {"x": "vec:n"}, "x")
_add("hess-second-order-chain", "second-order chain rule", "second-derivative", _CH,
     r"\frac{d^{2}}{dx^{2}}\, f(g(x)) = f''(g(x))\,g'(x)^{2} + f'(g(x))\,g''(x),\ \text{e.g. } \frac{d^{2}}{dx^{2}} e^{\sin x} = e^{\sin x}(\cos^{2}x - \sin x)",
     lambda x: anp.exp(anp.sin(x)), lambda x: anp.exp(anp.sin(x)) * (anp.cos(x) ** 2 - anp.sin(x)), {"x": "vec:n"}, "x",
     mistake=_M(r"f''(g(x))\,g''(x)", lambda x: anp.exp(anp.sin(x)) * (-anp.sin(x)),
                "the product of second derivatives is not the second derivative of the composition"))
_add("hess-directional-second", "second directional derivative", "second-derivative", _CH,
     r"\frac{d^{2}}{dt^{2}}\, f(\mathbf{x} + t\mathbf{v}) = \mathbf{v}^\top\nabla^{2}f(\mathbf{x} + t\mathbf{v})\,\mathbf{v},\ f = \operatorname{lse}:\ \sum_k s_k v_k^{2} - (\mathbf{s}^\top\mathbf{v})^{2}",
     lambda t, x, v: _lse(x[None, :] + t[:, None] * v[None, :], axis=1),
     lambda t, x, v: anp.sum(_softmax(x[None, :] + t[:, None] * v[None, :], axis=1) * v[None, :] ** 2, axis=1)
     - anp.sum(_softmax(x[None, :] + t[:, None] * v[None, :], axis=1) * v[None, :], axis=1) ** 2,
     {"t": "vec:p", "x": "vec:n", "v": "vec:n"}, "t")
_add("grad-rayleigh", "Rayleigh quotient", "gradient", _CH,
     r"\nabla_{\mathbf{x}}\, \frac{\mathbf{x}^\top A\mathbf{x}}{\mathbf{x}^\top\mathbf{x}} = \frac{2}{\mathbf{x}^\top\mathbf{x}}\big(A\mathbf{x} - R(\mathbf{x})\,\mathbf{x}\big),\ R(\mathbf{x}) = \frac{\mathbf{x}^\top A\mathbf{x}}{\mathbf{x}^\top\mathbf{x}}",
     lambda x, A: x @ A @ x / (x @ x), lambda x, A: 2 / (x @ x) * (A @ x - (x @ A @ x / (x @ x)) * x),
     {"x": "vec:n", "A": "sym:n,n"}, "x",
     conditions=[_cond(r"$\mathbf{x} \neq \mathbf{0}$", lambda d: np.linalg.norm(d["x"]) > 0)],
     mistake=_M(r"2A\mathbf{x}", lambda x, A: 2 * A @ x,
                "differentiates the numerator only (ignores the normalisation)"))


def _gen_rayleigh_eigvec(rng):
    """A non-symmetric A and a unit eigenvector of its symmetric part, chosen at random."""
    n = int(rng.integers(2, 7))
    A = _gen_sq(rng, n)
    _, Q = np.linalg.eigh((A + A.T) / 2)
    return {"x": Q[:, int(rng.integers(0, n))].copy(), "A": A}


def _is_unit_eigvec(d):
    S = (d["A"] + d["A"].T) / 2
    x = d["x"]
    return bool(abs(x @ x - 1) < 1e-10 and np.linalg.norm(S @ x - (x @ S @ x) * x) < 1e-10)


_add("hess-exp-quadratic", "exponential of a quadratic form", "hessian", _CH,
     r"\nabla^{2}_{\mathbf{x}}\, e^{-\mathbf{x}^\top A\mathbf{x}} = e^{-\mathbf{x}^\top A\mathbf{x}}\,\big(M\mathbf{x}\mathbf{x}^\top M - M\big),\ M = A + A^\top",
     lambda x, A: anp.exp(-x @ A @ x),
     lambda x, A: anp.exp(-x @ A @ x) * (anp.outer((A + A.T) @ x, (A + A.T) @ x) - (A + A.T)),
     {"x": "vec:n", "A": "sq:n,n"}, "x",
     post=lambda d, rng: {**d, "x": 0.6 * d["x"], "A": 0.3 * d["A"]},
     mistake=_M(r"e^{-\mathbf{x}^\top A\mathbf{x}}\,\big(4A\mathbf{x}\mathbf{x}^\top A - 2A\big)",
                lambda x, A: anp.exp(-x @ A @ x) * (4 * anp.outer(A @ x, A @ x) - 2 * A),
                "2A in place of A + A^T: holds only for symmetric A"))
_add("hess-lncosh-affine", "sum of log-cosh of an affine map", "hessian", _CH,
     r"\nabla^{2}_{\mathbf{x}}\, \sum_{k}\ln\cosh\big((A\mathbf{x} + \mathbf{b})_k\big) = A^\top\operatorname{diag}\big(1 - \tanh^{2}(A\mathbf{x} + \mathbf{b})\big)A",
     lambda x, A, b: anp.sum(anp.log(anp.cosh(A @ x + b))),
     lambda x, A, b: A.T @ anp.diag(1 - anp.tanh(A @ x + b) ** 2) @ A,
     {"x": "vec:n", "A": "mat:m,n", "b": "vec:m"}, "x")
_add("hess-gauss-newton", "nonlinear least squares: Gauss-Newton term plus curvature", "hessian", _CH,
     r"\nabla^{2}_{\mathbf{x}}\, \tfrac{1}{2}\lVert\tanh(A\mathbf{x}) - \mathbf{y}\rVert_2^{2} = J^\top J + \sum_{k} r_k\nabla^{2}g_k,\ \mathbf{g} = \tanh(A\mathbf{x}),\ J = \operatorname{diag}(1 - \mathbf{g}^{2})A,\ \mathbf{r} = \mathbf{g} - \mathbf{y},\ \nabla^{2}g_k = -2g_k(1 - g_k^{2})\,\mathbf{a}_k\mathbf{a}_k^\top",
     lambda x, A, y: 0.5 * anp.sum((anp.tanh(A @ x) - y) ** 2),
     lambda x, A, y: A.T @ anp.diag((1 - anp.tanh(A @ x) ** 2) ** 2) @ A
     + A.T @ anp.diag((anp.tanh(A @ x) - y) * (-2 * anp.tanh(A @ x) * (1 - anp.tanh(A @ x) ** 2))) @ A,
     {"x": "vec:n", "A": "mat:m,n", "y": "vec:m"}, "x",
     post=lambda d, rng: {**d, "x": 0.5 * d["x"]},
     mistake=_M(r"J^\top J", lambda x, A, y: A.T @ anp.diag((1 - anp.tanh(A @ x) ** 2) ** 2) @ A,
                "the Gauss-Newton approximation: the curvature term of the residuals is dropped"))
_add("hess-lagrangian-eig", "Lagrangian of the eigenvalue problem, Hessian", "hessian", _CH,
     r"\nabla^{2}_{\mathbf{x}}\, \big(\mathbf{x}^\top A\mathbf{x} - \lambda(\mathbf{x}^\top\mathbf{x} - 1)\big) = A + A^\top - 2\lambda I = 2(S - \lambda I),\ S = \tfrac{1}{2}(A + A^\top)",
     lambda x, A, lam: x @ A @ x - lam * (x @ x - 1),
     lambda x, A, lam: A + A.T - 2 * lam * anp.eye(x.shape[0]),
     {"x": "vec:n", "A": "sq:n,n", "lam": "num:-2,2"}, "x",
     mistake=_M(r"2(A - \lambda I)", lambda x, A, lam: 2 * (A - lam * anp.eye(x.shape[0])),
                "A in place of its symmetric part S (a Hessian is symmetric)"))
_add("hess-rayleigh-eigvec", "Rayleigh quotient at an eigenvector, Hessian", "hessian", _CH,
     r"\nabla^{2}_{\mathbf{x}}\, \frac{\mathbf{x}^\top A\mathbf{x}}{\mathbf{x}^\top\mathbf{x}}\Big\rvert_{\mathbf{x} = \mathbf{q}_i} = 2(S - \lambda_i I),\ S = \tfrac{1}{2}(A + A^\top),\ S\mathbf{q}_i = \lambda_i\mathbf{q}_i,\ \lVert\mathbf{q}_i\rVert_2 = 1",
     lambda x, A: x @ A @ x / (x @ x),
     lambda x, A: 2 * ((A + A.T) / 2 - (x @ ((A + A.T) / 2) @ x) * anp.eye(x.shape[0])),
     _gen_rayleigh_eigvec, "x",
     shapes=r"\mathbf{x} = \mathbf{q}_i\in\mathbb{R}^{n},\ A\in\mathbb{R}^{n\times n}",
     conditions=[_cond(r"$\mathbf{x}$ a unit eigenvector of $\tfrac{1}{2}(A + A^\top)$", _is_unit_eigvec)],
     mistake=_M(r"2(A - \lambda_i I)", lambda x, A: 2 * (A - (x @ ((A + A.T) / 2) @ x) * anp.eye(x.shape[0])),
                "A in place of its symmetric part S (a Hessian is symmetric)"))

# --- Chapter 6: matrix derivatives (gradient has the shape of X; Jacobians as 4-index arrays) ---
_CH = "ch-matrix-derivatives"


def _gen_det_axb(rng):
    dims = _draw_dims(rng, "mn")
    m, n = dims["m"], dims["n"]
    k = int(rng.integers(1, min(m, n) + 1))
    return {"X": rng.standard_normal((m, n)), "A": rng.standard_normal((k, m)),
            "B": rng.standard_normal((n, k))}


def _post_det_axb(d, rng):
    M = d["A"] @ d["X"] @ d["B"]
    return d if np.linalg.cond(M) < 1e3 else None


def _gen_xtax(rng):
    n, m = sorted(_draw_dims(rng, "mn").values())
    S = _gen_spd(rng, m)
    K = rng.standard_normal((m, m))
    return {"X": _gen_tall(rng, m, n), "A": S + 0.3 * (K - K.T)}


def _gen_vec_axb(rng):
    dims = _draw_dims(rng, "mnpq")
    m, n, p, q = dims["m"], dims["n"], dims["p"], dims["q"]
    return {"x": rng.standard_normal(m * n), "A": rng.standard_normal((p, m)),
            "B": rng.standard_normal((n, q))}


_add("mgrad-aXb", "bilinear form in X", "matrix-gradient", _CH,
     r"\nabla_X\, (\mathbf{a}^\top X\mathbf{b}) = \mathbf{a}\mathbf{b}^\top",
     lambda X, a, b: a @ X @ b, lambda X, a, b: anp.outer(a, b), {"X": "mat:m,n", "a": "vec:m", "b": "vec:n"}, "X",
     reference="Matrix Cookbook (70)",
     mistake=_M(r"\nabla_X\, (\mathbf{a}^\top X\mathbf{b}) = \mathbf{b}\mathbf{a}^\top", lambda X, a, b: anp.outer(b, a),
                "the transpose: the gradient must have the shape of X"))
_add("mgrad-aXTb", "bilinear form in the transpose", "matrix-gradient", _CH,
     r"\nabla_X\, (\mathbf{a}^\top X^\top\mathbf{b}) = \mathbf{b}\mathbf{a}^\top",
     lambda X, a, b: a @ X.T @ b, lambda X, a, b: anp.outer(b, a), {"X": "mat:m,n", "a": "vec:n", "b": "vec:m"}, "X",
     reference="Matrix Cookbook (71)",
     mistake=_M(r"\nabla_X\, (\mathbf{a}^\top X^\top\mathbf{b}) = \mathbf{a}\mathbf{b}^\top", lambda X, a, b: anp.outer(a, b),
                "the transpose: the gradient must have the shape of X"))
_add("mgrad-aXa", "quadratic form in X", "matrix-gradient", _CH,
     r"\nabla_X\, (\mathbf{a}^\top X\mathbf{a}) = \mathbf{a}\mathbf{a}^\top",
     lambda X, a: a @ X @ a, lambda X, a: anp.outer(a, a), {"X": "sq:n,n", "a": "vec:n"}, "X",
     reference="Matrix Cookbook (72)")
_add("mgrad-aXTa", "quadratic form in the transpose", "matrix-gradient", _CH,
     r"\nabla_X\, (\mathbf{a}^\top X^\top\mathbf{a}) = \mathbf{a}\mathbf{a}^\top",
     lambda X, a: a @ X.T @ a, lambda X, a: anp.outer(a, a), {"X": "sq:n,n", "a": "vec:n"}, "X",
     reference="Matrix Cookbook (72)")
_add("mgrad-quadratic-in-A", "quadratic form as a function of its matrix", "matrix-gradient", _CH,
     r"\nabla_A\, (\mathbf{x}^\top A\mathbf{x}) = \mathbf{x}\mathbf{x}^\top",
     lambda A, x: x @ A @ x, lambda A, x: anp.outer(x, x), {"A": "sq:n,n", "x": "vec:n"}, "A")
_add("mgrad-sum-entries", "sum of all entries", "matrix-gradient", _CH,
     r"\nabla_X\, (\mathbf{1}^\top X\mathbf{1}) = \mathbf{1}\mathbf{1}^\top",
     lambda X: anp.sum(X), lambda X: anp.ones(X.shape), {"X": "mat:m,n"}, "X")
_add("mgrad-trace", "trace", "matrix-gradient", _CH,
     r"\nabla_X\, \operatorname{tr}(X) = I",
     lambda X: anp.trace(X), lambda X: anp.eye(X.shape[0]), {"X": "sq:n,n"}, "X",
     reference="Matrix Cookbook (36)")
_add("mgrad-tr-AX", "trace of AX", "matrix-gradient", _CH,
     r"\nabla_X\, \operatorname{tr}(AX) = A^\top",
     lambda X, A: anp.trace(A @ X), lambda X, A: A.T, {"X": "mat:m,n", "A": "mat:n,m"}, "X",
     mistake=_M(r"\nabla_X\, \operatorname{tr}(AX) = A", lambda X, A: A,
                "denominator/numerator confusion: A has the shape of X transposed"))
_add("mgrad-tr-XA", "trace of XA", "matrix-gradient", _CH,
     r"\nabla_X\, \operatorname{tr}(XA) = A^\top",
     lambda X, A: anp.trace(X @ A), lambda X, A: A.T, {"X": "mat:m,n", "A": "mat:n,m"}, "X")
_add("mgrad-tr-ATX", "trace of A^T X (Frobenius inner product)", "matrix-gradient", _CH,
     r"\nabla_X\, \operatorname{tr}(A^\top X) = \nabla_X\, \langle A, X\rangle_F = A",
     lambda X, A: anp.trace(A.T @ X), lambda X, A: A, {"X": "mat:m,n", "A": "mat:m,n"}, "X")
_add("mgrad-tr-AXT", "trace of A X^T", "matrix-gradient", _CH,
     r"\nabla_X\, \operatorname{tr}(AX^\top) = \nabla_X\, \operatorname{tr}(X^\top A) = A",
     lambda X, A: anp.trace(A @ X.T), lambda X, A: A, {"X": "mat:m,n", "A": "mat:m,n"}, "X",
     mistake=_M(r"\nabla_X\, \operatorname{tr}(AX^\top) = A^\top", lambda X, A: A.T,
                "the transpose: the gradient must have the shape of X"))
_add("mgrad-tr-AXB", "trace of AXB", "matrix-gradient", _CH,
     r"\nabla_X\, \operatorname{tr}(AXB) = A^\top B^\top",
     lambda X, A, B: anp.trace(A @ X @ B), lambda X, A, B: A.T @ B.T,
     {"X": "mat:m,n", "A": "mat:p,m", "B": "mat:n,p"}, "X",
     mistake=_M(r"\nabla_X\, \operatorname{tr}(AXB) = BA", lambda X, A, B: B @ A,
                "denominator layout: the transpose"))
_add("mgrad-tr-AXTB", "trace of A X^T B", "matrix-gradient", _CH,
     r"\nabla_X\, \operatorname{tr}(AX^\top B) = BA",
     lambda X, A, B: anp.trace(A @ X.T @ B), lambda X, A, B: B @ A,
     {"X": "mat:m,n", "A": "mat:p,n", "B": "mat:m,p"}, "X")
_add("mgrad-tr-XTAX", "trace of X^T A X", "matrix-gradient", _CH,
     r"\nabla_X\, \operatorname{tr}(X^\top AX) = (A + A^\top)X",
     lambda X, A: anp.trace(X.T @ A @ X), lambda X, A: (A + A.T) @ X, {"X": "mat:m,n", "A": "sq:m,m"}, "X",
     mistake=_M(r"\nabla_X\, \operatorname{tr}(X^\top AX) = 2AX", lambda X, A: 2 * A @ X,
                "holds only for symmetric A"))
_add("mgrad-tr-XTAX-sym", "trace of X^T A X, symmetric A", "matrix-gradient", _CH,
     r"\nabla_X\, \operatorname{tr}(X^\top AX) = 2AX",
     lambda X, A: anp.trace(X.T @ A @ X), lambda X, A: 2 * A @ X, {"X": "mat:m,n", "A": "sym:m,m"}, "X")
_add("mgrad-tr-XAXT", "trace of X A X^T", "matrix-gradient", _CH,
     r"\nabla_X\, \operatorname{tr}(XAX^\top) = X(A + A^\top)",
     lambda X, A: anp.trace(X @ A @ X.T), lambda X, A: X @ (A + A.T), {"X": "mat:m,n", "A": "sq:n,n"}, "X")
_add("mgrad-tr-AXTX", "trace of A X^T X", "matrix-gradient", _CH,
     r"\nabla_X\, \operatorname{tr}(AX^\top X) = X(A + A^\top)",
     lambda X, A: anp.trace(A @ X.T @ X), lambda X, A: X @ (A + A.T), {"X": "mat:m,n", "A": "sq:n,n"}, "X")
_add("mgrad-tr-AXBXT", "trace of A X B X^T", "matrix-gradient", _CH,
     r"\nabla_X\, \operatorname{tr}(AXBX^\top) = A^\top XB^\top + AXB",
     lambda X, A, B: anp.trace(A @ X @ B @ X.T), lambda X, A, B: A.T @ X @ B.T + A @ X @ B,
     {"X": "mat:m,n", "A": "sq:m,m", "B": "sq:n,n"}, "X",
     mistake=_M(r"\nabla_X\, \operatorname{tr}(AXBX^\top) = A^\top X(B + B^\top)",
                lambda X, A, B: A.T @ X @ (B + B.T), "holds only for symmetric A"))
_add("mgrad-tr-AXBX", "trace of A X B X", "matrix-gradient", _CH,
     r"\nabla_X\, \operatorname{tr}(AXBX) = A^\top X^\top B^\top + B^\top X^\top A^\top",
     lambda X, A, B: anp.trace(A @ X @ B @ X), lambda X, A, B: A.T @ X.T @ B.T + B.T @ X.T @ A.T,
     {"X": "sq:n,n", "A": "sq:n,n", "B": "sq:n,n"}, "X")
_add("mgrad-tr-X2", "trace of X squared", "matrix-gradient", _CH,
     r"\nabla_X\, \operatorname{tr}(X^{2}) = 2X^\top",
     lambda X: anp.trace(X @ X), lambda X: 2 * X.T, {"X": "sq:n,n"}, "X",
     mistake=_M(r"\nabla_X\, \operatorname{tr}(X^{2}) = 2X", lambda X: 2 * X, "the scalar power rule; holds only for symmetric X"))
_add("mgrad-tr-Xk", "trace of a matrix power", "matrix-gradient", _CH,
     r"\nabla_X\, \operatorname{tr}(X^{k}) = k\,(X^{k-1})^\top",
     lambda X, k: anp.trace(_matpow(X, k)), lambda X, k: k * _matpow(X, k - 1).T,
     {"X": "sq:n,n", "k": "int:2,4"}, "X",
     post=lambda d, rng: {**d, "X": d["X"] / np.sqrt(d["X"].shape[0])},
     mistake=_M(r"k\,X^{k-1}", lambda X, k: k * _matpow(X, k - 1), "the transpose is missing"))
_add("mgrad-tr-XTX", "squared Frobenius norm", "matrix-gradient", _CH,
     r"\nabla_X\, \lVert X\rVert_F^{2} = \nabla_X\, \operatorname{tr}(X^\top X) = \nabla_X\, \operatorname{tr}(XX^\top) = 2X",
     lambda X: anp.trace(X.T @ X), lambda X: 2 * X, {"X": "mat:m,n"}, "X")
_add("mgrad-frobenius", "Frobenius norm", "matrix-gradient", _CH,
     r"\nabla_X\, \lVert X\rVert_F = \frac{X}{\lVert X\rVert_F}",
     lambda X: anp.sqrt(anp.sum(X**2)), lambda X: X / anp.sqrt(anp.sum(X**2)), {"X": "mat:m,n"}, "X",
     conditions=[_cond(r"$X \neq 0$", lambda d: np.linalg.norm(d["X"]) > 0)])
_add("mgrad-frob-AX-B", "least squares in a matrix", "matrix-gradient", _CH,
     r"\nabla_X\, \lVert AX - B\rVert_F^{2} = 2A^\top(AX - B)",
     lambda X, A, B: anp.sum((A @ X - B) ** 2), lambda X, A, B: 2 * A.T @ (A @ X - B),
     {"X": "mat:m,n", "A": "mat:p,m", "B": "mat:p,n"}, "X")
_add("mgrad-half-frob-AX-B", "half least squares in a matrix", "matrix-gradient", _CH,
     r"\nabla_X\, \tfrac{1}{2}\lVert AX - B\rVert_F^{2} = A^\top(AX - B)",
     lambda X, A, B: 0.5 * anp.sum((A @ X - B) ** 2), lambda X, A, B: A.T @ (A @ X - B),
     {"X": "mat:m,n", "A": "mat:p,m", "B": "mat:p,n"}, "X")
_add("mgrad-frob-XA-B", "least squares, X on the left", "matrix-gradient", _CH,
     r"\nabla_X\, \lVert XA - B\rVert_F^{2} = 2(XA - B)A^\top",
     lambda X, A, B: anp.sum((X @ A - B) ** 2), lambda X, A, B: 2 * (X @ A - B) @ A.T,
     {"X": "mat:m,n", "A": "mat:n,p", "B": "mat:m,p"}, "X",
     mistake=_M(r"2A(XA - B)^\top", lambda X, A, B: 2 * A @ (X @ A - B).T,
                "denominator layout: the transpose of the gradient"))
_add("mgrad-frob-AXB-C", "least squares, X in the middle", "matrix-gradient", _CH,
     r"\nabla_X\, \lVert AXB - C\rVert_F^{2} = 2A^\top(AXB - C)B^\top",
     lambda X, A, B, C: anp.sum((A @ X @ B - C) ** 2), lambda X, A, B, C: 2 * A.T @ (A @ X @ B - C) @ B.T,
     {"X": "mat:m,n", "A": "mat:p,m", "B": "mat:n,q", "C": "mat:p,q"}, "X")
_add("mgrad-factorization-U", "matrix factorisation, left factor", "matrix-gradient", _CH,
     r"\nabla_U\, \lVert X - UV\rVert_F^{2} = -2(X - UV)V^\top",
     lambda U, V, X: anp.sum((X - U @ V) ** 2), lambda U, V, X: -2 * (X - U @ V) @ V.T,
     {"U": "mat:m,k", "V": "mat:k,n", "X": "mat:m,n"}, "U",
     mistake=_M(r"2(X - UV)V^\top", lambda U, V, X: 2 * (X - U @ V) @ V.T,
                "the sign of the inner derivative of X - UV is lost"))
_add("mgrad-factorization-V", "matrix factorisation, right factor", "matrix-gradient", _CH,
     r"\nabla_V\, \lVert X - UV\rVert_F^{2} = -2U^\top(X - UV)",
     lambda V, U, X: anp.sum((X - U @ V) ** 2), lambda V, U, X: -2 * U.T @ (X - U @ V),
     {"V": "mat:k,n", "U": "mat:m,k", "X": "mat:m,n"}, "V",
     mistake=_M(r"-2(X - UV)^\top U", lambda V, U, X: -2 * (X - U @ V).T @ U,
                "the transpose: the gradient must have the shape of V"))
_add("mgrad-det", "determinant", "matrix-gradient", _CH,
     r"\nabla_X\, \det X = \det(X)\,X^{-\top}",
     lambda X: anp.linalg.det(X), lambda X: anp.linalg.det(X) * _invT(X), {"X": "inv:n,n"}, "X",
     reference="Matrix Cookbook (42)",
     mistake=_M(r"\nabla_X\, \det X = \det(X)\,X^{-1}", lambda X: anp.linalg.det(X) * _inv(X),
                "the transpose is missing (equal only for symmetric X)"))
_add("mgrad-det-cofactor", "determinant via cofactors", "matrix-gradient", _CH,
     r"\nabla_X\, \det X = \operatorname{adj}(X)^\top = C,\ C_{ij} = (-1)^{i+j}\det X_{(-i,-j)}",
     lambda X: anp.linalg.det(X), lambda X: _cofactor(X), {"X": "sq:n,n"}, "X",
     reference="Matrix Cookbook (41)")
_add("mgrad-logabsdet", "log of the absolute determinant", "matrix-gradient", _CH,
     r"\nabla_X\, \ln\lvert\det X\rvert = X^{-\top}",
     lambda X: anp.linalg.slogdet(X)[1], lambda X: _invT(X), {"X": "inv:n,n"}, "X",
     reference="Matrix Cookbook (43)",
     mistake=_M(r"\nabla_X\, \ln\lvert\det X\rvert = X^{-1}", lambda X: _inv(X),
                "the transpose is missing (equal only for symmetric X)"))
_add("mgrad-logdet-spd", "log-determinant of a covariance", "matrix-gradient", _CH,
     r"\nabla_X\, \ln\det X = X^{-1}",
     lambda X: anp.linalg.slogdet(X)[1], lambda X: _inv(X), {"X": "spd:n,n"}, "X")
_add("mgrad-det-AXB", "determinant of a product", "matrix-gradient", _CH,
     r"\nabla_X\, \det(AXB) = \det(AXB)\,A^\top(AXB)^{-\top}B^\top",
     lambda X, A, B: anp.linalg.det(A @ X @ B),
     lambda X, A, B: anp.linalg.det(A @ X @ B) * A.T @ _invT(A @ X @ B) @ B.T,
     lambda rng: _retry(rng, _gen_det_axb, _post_det_axb), "X",
     shapes=r"X\in\mathbb{R}^{m\times n},\ A\in\mathbb{R}^{k\times m},\ B\in\mathbb{R}^{n\times k}",
     conditions=[_cond(r"$AXB$ invertible", lambda d: np.linalg.cond(d["A"] @ d["X"] @ d["B"]) < 1e6)])
_add("mgrad-det-XTAX", "determinant of X^T A X", "matrix-gradient", _CH,
     r"\nabla_X\, \det(X^\top AX) = \det(M)\big(AXM^{-1} + A^\top XM^{-\top}\big),\ M = X^\top AX",
     lambda X, A: anp.linalg.det(X.T @ A @ X),
     lambda X, A: anp.linalg.det(X.T @ A @ X) * (A @ X @ _inv(X.T @ A @ X) + A.T @ X @ _invT(X.T @ A @ X)),
     _gen_xtax, "X",
     shapes=r"X\in\mathbb{R}^{m\times n}\ (m > n),\ A\in\mathbb{R}^{m\times m}",
     conditions=[_cond(r"$X^\top AX$ invertible", lambda d: np.linalg.cond(d["X"].T @ d["A"] @ d["X"]) < 1e6)],
     mistake=_M(r"2\det(M)\,AXM^{-1}", lambda X, A: 2 * anp.linalg.det(X.T @ A @ X) * A @ X @ _inv(X.T @ A @ X),
                "holds only for symmetric A"))
_add("mgrad-logdet-XTX", "log-determinant of a Gram matrix", "matrix-gradient", _CH,
     r"\nabla_X\, \ln\det(X^\top X) = 2X(X^\top X)^{-1}",
     lambda X: anp.linalg.slogdet(X.T @ X)[1], lambda X: 2 * X @ _inv(X.T @ X),
     lambda rng: (lambda n, m: {"X": _gen_tall(rng, m, n)})(*sorted(_draw_dims(rng, "mn").values())), "X",
     shapes=r"X\in\mathbb{R}^{m\times n}\ (m > n)",
     conditions=[_cond(r"$X$ has full column rank", lambda d: np.linalg.matrix_rank(d["X"]) == d["X"].shape[1])])
_add("mgrad-det-Xk", "determinant of a matrix power", "matrix-gradient", _CH,
     r"\nabla_X\, \det(X^{k}) = k\,\det(X^{k})\,X^{-\top}",
     lambda X, k: anp.linalg.det(_matpow(X, k)), lambda X, k: k * anp.linalg.det(_matpow(X, k)) * _invT(X),
     {"X": "inv:n,n", "k": "int:1,3"}, "X")
_add("mgrad-inverse-bilinear", "bilinear form of the inverse", "matrix-gradient", _CH,
     r"\nabla_X\, (\mathbf{a}^\top X^{-1}\mathbf{b}) = -X^{-\top}\mathbf{a}\mathbf{b}^\top X^{-\top}",
     lambda X, a, b: a @ _inv(X) @ b, lambda X, a, b: -_invT(X) @ anp.outer(a, b) @ _invT(X),
     {"X": "inv:n,n", "a": "vec:n", "b": "vec:n"}, "X",
     mistake=_M(r"-X^{-1}\mathbf{a}\mathbf{b}^\top X^{-1}", lambda X, a, b: -_inv(X) @ anp.outer(a, b) @ _inv(X),
                "the transposes are missing"))
_add("mgrad-tr-AXinvB", "trace with an inverse", "matrix-gradient", _CH,
     r"\nabla_X\, \operatorname{tr}(AX^{-1}B) = -X^{-\top}A^\top B^\top X^{-\top}",
     lambda X, A, B: anp.trace(A @ _inv(X) @ B), lambda X, A, B: -_invT(X) @ A.T @ B.T @ _invT(X),
     {"X": "inv:n,n", "A": "mat:p,n", "B": "mat:n,p"}, "X",
     mistake=_M(r"-X^{-1}BAX^{-1}", lambda X, A, B: -_inv(X) @ B @ A @ _inv(X),
                "denominator layout: the transpose"))
_add("mgrad-tr-Xinv", "trace of the inverse", "matrix-gradient", _CH,
     r"\nabla_X\, \operatorname{tr}(X^{-1}) = -(X^{-2})^\top",
     lambda X: anp.trace(_inv(X)), lambda X: -(_inv(X) @ _inv(X)).T, {"X": "inv:n,n"}, "X",
     mistake=_M(r"-X^{-2}", lambda X: -_inv(X) @ _inv(X), "the transpose is missing"))
_add("mgrad-aXTXb", "bilinear form of the Gram matrix", "matrix-gradient", _CH,
     r"\nabla_X\, (\mathbf{a}^\top X^\top X\mathbf{b}) = X(\mathbf{a}\mathbf{b}^\top + \mathbf{b}\mathbf{a}^\top)",
     lambda X, a, b: a @ X.T @ X @ b, lambda X, a, b: X @ (anp.outer(a, b) + anp.outer(b, a)),
     {"X": "mat:m,n", "a": "vec:n", "b": "vec:n"}, "X")
_add("mgrad-aXTXa", "quadratic form of the Gram matrix", "matrix-gradient", _CH,
     r"\nabla_X\, (\mathbf{a}^\top X^\top X\mathbf{a}) = \nabla_X\, \lVert X\mathbf{a}\rVert_2^{2} = 2X\mathbf{a}\mathbf{a}^\top",
     lambda X, a: a @ X.T @ X @ a, lambda X, a: 2 * X @ anp.outer(a, a), {"X": "mat:m,n", "a": "vec:n"}, "X")
_add("mgrad-bXTDXc", "weighted bilinear form", "matrix-gradient", _CH,
     r"\nabla_X\, (\mathbf{b}^\top X^\top DX\mathbf{c}) = D^\top X\mathbf{b}\mathbf{c}^\top + DX\mathbf{c}\mathbf{b}^\top",
     lambda X, b, c, D: b @ X.T @ D @ X @ c,
     lambda X, b, c, D: D.T @ X @ anp.outer(b, c) + D @ X @ anp.outer(c, b),
     {"X": "mat:m,n", "b": "vec:n", "c": "vec:n", "D": "sq:m,m"}, "X")
_add("mgrad-affine-quadratic", "weighted squared affine residual", "matrix-gradient", _CH,
     r"\nabla_X\, (X\mathbf{b} + \mathbf{c})^\top D(X\mathbf{b} + \mathbf{c}) = (D + D^\top)(X\mathbf{b} + \mathbf{c})\mathbf{b}^\top",
     lambda X, b, c, D: (X @ b + c) @ D @ (X @ b + c),
     lambda X, b, c, D: anp.outer((D + D.T) @ (X @ b + c), b),
     {"X": "mat:m,n", "b": "vec:n", "c": "vec:m", "D": "sq:m,m"}, "X",
     mistake=_M(r"2D(X\mathbf{b} + \mathbf{c})\mathbf{b}^\top", lambda X, b, c, D: 2 * anp.outer(D @ (X @ b + c), b),
                "holds only for symmetric D"))
_add("mgrad-aX2b", "bilinear form of X squared", "matrix-gradient", _CH,
     r"\nabla_X\, (\mathbf{a}^\top X^{2}\mathbf{b}) = X^\top\mathbf{a}\mathbf{b}^\top + \mathbf{a}\mathbf{b}^\top X^\top",
     lambda X, a, b: a @ X @ X @ b, lambda X, a, b: X.T @ anp.outer(a, b) + anp.outer(a, b) @ X.T,
     {"X": "sq:n,n", "a": "vec:n", "b": "vec:n"}, "X")


def _sym(m):
    return 0.5 * (m + anp.transpose(m))


def _f_sym_example(X, a, b):
    """f(X) = a^T X b + ln det X, defined for every invertible X with det X > 0."""
    return a @ X @ b + anp.linalg.slogdet(X)[1]


def _G_sym_example(X, a, b):
    """The unstructured gradient G = a b^T + X^{-T} of ``_f_sym_example``."""
    return anp.outer(a, b) + _invT(X)


def _cookbook_sym(G):
    """G + G^T - diag(G): the partials in the free entries X_ij (i <= j), laid out as a matrix."""
    return G + anp.transpose(G) - anp.diag(anp.diag(G))


def _post_sym_direction(d, rng):
    """Scale the symmetric direction E so that X + tE stays positive definite for |t| <= 1."""
    return {**d, "E": 0.2 * d["E"] / np.linalg.norm(d["E"], 2)}


# Symmetric X. verify() differentiates in every direction and cannot restrict the perturbations to
# symmetric ones, so the statement "sym(G) is the gradient that predicts symmetric perturbations" is
# entered twice: (1) as a directional derivative along a symmetric direction E (a derivative in t,
# evaluated at many t at once), and (2) as the gradient of the symmetric extension X -> f(sym X),
# which does not see the antisymmetric part of a perturbation, so its full gradient at a symmetric X
# is sym(G). The Cookbook form G + G^T - diag(G) is refuted by both.
_add("mgrad-sym-directional", "symmetric matrix: derivative along a symmetric direction", "derivative", _CH,
     r"\frac{d}{dt}\, f(X + tE) = \langle \operatorname{sym}G, E\rangle_F,\ \operatorname{sym}G = \tfrac{1}{2}(G + G^\top),\ G = \nabla f(X + tE),\ \text{e.g. } f(X) = \mathbf{a}^\top X\mathbf{b} + \ln\det X,\ G = \mathbf{a}\mathbf{b}^\top + X^{-\top}",
     lambda t, X, E, a, b: anp.stack([_f_sym_example(X + ti * E, a, b) for ti in t]),
     lambda t, X, E, a, b: anp.stack([anp.sum(_sym(_G_sym_example(X + ti * E, a, b)) * E) for ti in t]),
     {"t": "uni:-1,1,p", "X": "spd:n,n", "E": "sym:n,n", "a": "vec:n", "b": "vec:n"}, "t",
     post=_post_sym_direction,
     mistake=_M(r"\langle G + G^\top - \operatorname{diag}(G), E\rangle_F",
                lambda t, X, E, a, b: anp.stack([anp.sum(_cookbook_sym(_G_sym_example(X + ti * E, a, b)) * E) for ti in t]),
                "G + G^T - diag(G) lists the partial derivatives in the free entries X_ij (i <= j); paired with a perturbation it counts every off-diagonal change twice"))
_add("mgrad-sym-extension", "symmetric matrix: gradient of the symmetric extension", "matrix-gradient", _CH,
     r"\nabla_X\, f\big(\tfrac{1}{2}(X + X^\top)\big) = \operatorname{sym}G = \tfrac{1}{2}(G + G^\top)\ \text{for symmetric } X,\ G = \nabla f(X),\ \text{e.g. } f(X) = \mathbf{a}^\top X\mathbf{b} + \ln\det X,\ \operatorname{sym}G = \tfrac{1}{2}(\mathbf{a}\mathbf{b}^\top + \mathbf{b}\mathbf{a}^\top) + X^{-1}",
     lambda X, a, b: _f_sym_example(_sym(X), a, b),
     lambda X, a, b: _sym(_G_sym_example(X, a, b)),
     {"X": "spd:n,n", "a": "vec:n", "b": "vec:n"}, "X",
     mistake=_M(r"G + G^\top - \operatorname{diag}(G)", lambda X, a, b: _cookbook_sym(_G_sym_example(X, a, b)),
                "the partial derivatives in the free entries X_ij (i <= j) laid out as a matrix: off the diagonal twice the gradient"))
_add("mgrad-ls-in-A", "least squares in the matrix of a linear map", "matrix-gradient", _CH,
     r"\nabla_A\, \lVert A\mathbf{x} - \mathbf{y}\rVert_2^{2} = 2(A\mathbf{x} - \mathbf{y})\mathbf{x}^\top",
     lambda A, x, y: (A @ x - y) @ (A @ x - y), lambda A, x, y: 2 * anp.outer(A @ x - y, x),
     {"A": "mat:m,n", "x": "vec:n", "y": "vec:m"}, "A")
_add("mgrad-loss-of-AXB", "a loss of AXB (chain rule through a matrix product)", "matrix-gradient", _CH,
     r"\nabla_X\, \ell(AXB) = A^\top GB^\top,\ G = \nabla\ell(AXB),\ \text{e.g. } \ell(Y) = \sum_{k,l}\ln\cosh Y_{kl},\ G = \tanh(AXB)",
     lambda X, A, B: anp.sum(anp.log(anp.cosh(A @ X @ B))),
     lambda X, A, B: A.T @ anp.tanh(A @ X @ B) @ B.T,
     {"X": "mat:m,n", "A": "mat:p,m", "B": "mat:n,q"}, "X")

# Jacobians of matrix-valued functions of a matrix: entry [k, l, i, j] = d F_kl / d X_ij.
_add("mjac-identity", "a matrix with respect to itself", "jacobian", _CH,
     r"\frac{\partial X_{kl}}{\partial X_{ij}} = \delta_{ik}\,\delta_{lj}\quad\Big(\frac{\partial X}{\partial X_{ij}} = J^{ij}\Big)",
     lambda X: 1.0 * X, lambda X: anp.einsum("ki,lj->klij", anp.eye(X.shape[0]), anp.eye(X.shape[1])),
     {"X": "mat:m,n"}, "X", reference="Matrix Cookbook (32), (73)")
_add("mjac-XA", "right multiplication", "jacobian", _CH,
     r"\frac{\partial (XA)_{ij}}{\partial X_{mn}} = \delta_{im}\,A_{nj}",
     lambda X, A: X @ A, lambda X, A: anp.einsum("im,nj->ijmn", anp.eye(X.shape[0]), A),
     {"X": "mat:p,q", "A": "mat:q,r"}, "X", reference="Matrix Cookbook (74)")
_add("mjac-XTA", "transpose times a matrix", "jacobian", _CH,
     r"\frac{\partial (X^\top A)_{ij}}{\partial X_{mn}} = \delta_{in}\,A_{mj}",
     lambda X, A: X.T @ A, lambda X, A: anp.einsum("in,mj->ijmn", anp.eye(X.shape[1]), A),
     {"X": "mat:p,q", "A": "mat:p,r"}, "X", reference="Matrix Cookbook (75)")
_add("mjac-transpose", "transpose", "jacobian", _CH,
     r"\frac{\partial (X^\top)_{kl}}{\partial X_{ij}} = \delta_{kj}\,\delta_{li}",
     lambda X: X.T, lambda X: anp.einsum("kj,li->klij", anp.eye(X.shape[1]), anp.eye(X.shape[0])),
     {"X": "mat:m,n"}, "X", reference="Matrix Cookbook (44)")
_add("mjac-scalar-times-matrix", "scalar times a matrix", "jacobian", _CH,
     r"\frac{\partial (\alpha X)}{\partial \alpha} = X",
     lambda alpha, X: alpha * X, lambda alpha, X: X, {"alpha": "num:-2,2", "X": "mat:m,n"}, "alpha",
     reference="Matrix Cookbook (34)")
_add("mjac-square", "matrix square (product rule)", "jacobian", _CH,
     r"\frac{\partial (X^{2})_{kl}}{\partial X_{ij}} = \delta_{ki}X_{jl} + X_{ki}\delta_{lj}\quad\big(d(X^{2}) = dX\,X + X\,dX\big)",
     lambda X: X @ X,
     lambda X: anp.einsum("ki,jl->klij", anp.eye(X.shape[0]), X) + anp.einsum("ki,lj->klij", X, anp.eye(X.shape[0])),
     {"X": "sq:n,n"}, "X", reference="Matrix Cookbook (37)",
     mistake=_M(r"2X_{kl}\,\delta_{ki}\delta_{lj}", lambda X: 2 * anp.einsum("ki,lj,kl->klij", anp.eye(X.shape[0]), anp.eye(X.shape[0]), X),
                "the scalar rule d(x^2) = 2x dx does not carry over: matrices do not commute"))
_add("mjac-gram", "Gram matrix", "jacobian", _CH,
     r"\frac{\partial (X^\top X)_{kl}}{\partial X_{ij}} = \delta_{kj}X_{il} + X_{ik}\delta_{lj}",
     lambda X: X.T @ X,
     lambda X: anp.einsum("kj,il->klij", anp.eye(X.shape[1]), X) + anp.einsum("ik,lj->klij", X, anp.eye(X.shape[1])),
     {"X": "mat:m,n"}, "X")
_add("mjac-hadamard", "elementwise square of a matrix", "jacobian", _CH,
     r"\frac{\partial (X\odot X)_{kl}}{\partial X_{ij}} = 2X_{kl}\,\delta_{ki}\,\delta_{lj}",
     lambda X: X * X,
     lambda X: 2 * anp.einsum("ki,lj,kl->klij", anp.eye(X.shape[0]), anp.eye(X.shape[1]), X),
     {"X": "mat:m,n"}, "X", reference="Matrix Cookbook (38)")
_add("mjac-kron", "Kronecker product", "jacobian", _CH,
     r"\frac{\partial (X\otimes Y)}{\partial X_{ij}} = J^{ij}\otimes Y",
     lambda X, Y: anp.kron(X, Y),
     lambda X, Y: anp.reshape(
         anp.einsum("ai,cj,bd->abcdij", anp.eye(X.shape[0]), anp.eye(X.shape[1]), Y),
         (X.shape[0] * Y.shape[0], X.shape[1] * Y.shape[1], X.shape[0], X.shape[1])),
     {"X": "mat:m,n", "Y": "mat:p,q"}, "X", reference="Matrix Cookbook (39)")
_add("mjac-inverse", "matrix inverse", "jacobian", _CH,
     r"\frac{\partial (X^{-1})_{kl}}{\partial X_{ij}} = -(X^{-1})_{ki}\,(X^{-1})_{jl}\quad\big(d(X^{-1}) = -X^{-1}\,dX\,X^{-1}\big)",
     lambda X: _inv(X), lambda X: -anp.einsum("ki,jl->klij", _inv(X), _inv(X)),
     {"X": "inv:n,n"}, "X", reference="Matrix Cookbook (40)",
     mistake=_M(r"d(X^{-1}) = -X^{-2}\,dX,\ \text{i.e. } -(X^{-2})_{ki}\,\delta_{lj}",
                lambda X: -anp.einsum("ki,lj->klij", _inv(X) @ _inv(X), anp.eye(X.shape[0])),
                "the scalar rule d(1/x) = -dx/x^2 assumes that X and dX commute"))
_add("mjac-vec-AXB", "vec of a matrix product", "jacobian", _CH,
     r"\frac{\partial\, \operatorname{vec}(AXB)}{\partial\, \operatorname{vec}(X)} = B^\top\otimes A",
     lambda x, A, B: _vec(A @ _unvec(x, A.shape[1], B.shape[0]) @ B), lambda x, A, B: anp.kron(B.T, A),
     _gen_vec_axb, "x",
     shapes=r"\operatorname{vec}(X)\in\mathbb{R}^{mn},\ A\in\mathbb{R}^{p\times m},\ B\in\mathbb{R}^{n\times q}",
     mistake=_M(r"A\otimes B^\top", lambda x, A, B: anp.kron(A, B.T),
                "the Kronecker factors in the wrong order (row-major vec)"))

# --- Chapter 7: activation functions ---
_CH = "ch-activations"


def _sigmoid_plain(x):
    return 1.0 / (1.0 + anp.exp(-x))


_add("act-sigmoid", "sigmoid", "derivative", _CH,
     r"\frac{d}{dx}\, \sigma(x) = \sigma(x)\big(1 - \sigma(x)\big),\ \sigma(x) = \frac{1}{1 + e^{-x}}",
     lambda x: _sigmoid_plain(x), lambda x: _sig(x) * (1 - _sig(x)), {"x": "uni:-6,6,n"}, "x",
     mistake=_M(r"\sigma(x)\big(1 + \sigma(x)\big)", lambda x: _sig(x) * (1 + _sig(x)), "sign slip in the derivation"))
_add("act-sigmoid-2", "sigmoid, second derivative", "second-derivative", _CH,
     r"\frac{d^{2}}{dx^{2}}\, \sigma(x) = \sigma(x)\big(1 - \sigma(x)\big)\big(1 - 2\sigma(x)\big)",
     lambda x: _sigmoid_plain(x), lambda x: _sig(x) * (1 - _sig(x)) * (1 - 2 * _sig(x)), {"x": "uni:-6,6,n"}, "x")
_add("act-tanh", "hyperbolic tangent", "derivative", _CH,
     r"\frac{d}{dx}\, \tanh x = 1 - \tanh^{2} x = \operatorname{sech}^{2} x",
     lambda x: (anp.exp(x) - anp.exp(-x)) / (anp.exp(x) + anp.exp(-x)), lambda x: 1 - anp.tanh(x) ** 2,
     {"x": "uni:-4,4,n"}, "x",
     mistake=_M(r"1 - \tanh x", lambda x: 1 - anp.tanh(x), "the square is dropped"))
_add("act-tanh-2", "tanh, second derivative", "second-derivative", _CH,
     r"\frac{d^{2}}{dx^{2}}\, \tanh x = -2\tanh x\,(1 - \tanh^{2} x)",
     lambda x: anp.tanh(x), lambda x: -2 * anp.tanh(x) * (1 - anp.tanh(x) ** 2), {"x": "uni:-4,4,n"}, "x")
_add("act-tanh-via-sigmoid", "tanh through the sigmoid", "derivative", _CH,
     r"\frac{d}{dx}\, \big(2\sigma(2x) - 1\big) = 4\sigma(2x)\big(1 - \sigma(2x)\big) = 1 - \tanh^{2} x",
     lambda x: 2 * _sigmoid_plain(2 * x) - 1, lambda x: 4 * _sig(2 * x) * (1 - _sig(2 * x)), {"x": "uni:-4,4,n"}, "x")
_add("act-relu", "ReLU", "derivative", _CH,
     r"\frac{d}{dx}\, \max(0, x) = \mathbb{1}[x > 0]\ \ (x \neq 0)",
     lambda x: anp.maximum(0.0, x), lambda x: (x > 0) * 1.0, {"x": "away:n"}, "x")
_add("act-leaky-relu", "leaky ReLU", "derivative", _CH,
     r"\frac{d}{dx}\, \operatorname{LReLU}_\alpha(x) = \begin{cases} 1 & x > 0 \\ \alpha & x < 0 \end{cases}",
     lambda x, alpha: anp.where(x > 0, x, alpha * x), lambda x, alpha: anp.where(x > 0, 1.0, alpha),
     {"x": "away:n", "alpha": "num:0.01,0.3"}, "x")
_add("act-elu", "ELU", "derivative", _CH,
     r"\frac{d}{dx}\, \operatorname{ELU}_\alpha(x) = \begin{cases} 1 & x > 0 \\ \alpha e^{x} = \operatorname{ELU}_\alpha(x) + \alpha & x < 0 \end{cases}",
     lambda x, alpha: anp.where(x > 0, x, alpha * (anp.exp(anp.minimum(x, 0.0)) - 1)),
     lambda x, alpha: anp.where(x > 0, 1.0, alpha * anp.exp(anp.minimum(x, 0.0))),
     {"x": "away:n", "alpha": "num:0.2,2"}, "x")
_add("act-softplus", "softplus", "derivative", _CH,
     r"\frac{d}{dx}\, \ln(1 + e^{x}) = \frac{e^{x}}{1 + e^{x}} = \sigma(x)",
     lambda x: anp.log(1 + anp.exp(x)), lambda x: _sig(x), {"x": "uni:-6,6,n"}, "x")
_add("act-softplus-2", "softplus, second derivative", "second-derivative", _CH,
     r"\frac{d^{2}}{dx^{2}}\, \ln(1 + e^{x}) = \sigma(x)\big(1 - \sigma(x)\big)",
     lambda x: anp.log(1 + anp.exp(x)), lambda x: _sig(x) * (1 - _sig(x)), {"x": "uni:-6,6,n"}, "x")
_add("act-log-sigmoid", "log-sigmoid", "derivative", _CH,
     r"\frac{d}{dx}\, \ln\sigma(x) = 1 - \sigma(x) = \sigma(-x)",
     lambda x: anp.log(_sigmoid_plain(x)), lambda x: _sig(-x), {"x": "uni:-6,6,n"}, "x")
_add("act-swish", "swish / SiLU", "derivative", _CH,
     r"\frac{d}{dx}\, x\,\sigma(x) = \sigma(x)\big(1 + x(1 - \sigma(x))\big)",
     lambda x: x * _sigmoid_plain(x), lambda x: _sig(x) * (1 + x * (1 - _sig(x))), {"x": "uni:-6,6,n"}, "x")
_add("act-gelu", "GELU", "derivative", _CH,
     r"\frac{d}{dx}\, x\,\Phi(x) = \Phi(x) + x\,\varphi(x),\ \varphi(x) = \frac{e^{-x^{2}/2}}{\sqrt{2\pi}}",
     lambda x: x * _Phi(x), lambda x: _Phi(x) + x * _phi(x), {"x": "uni:-4,4,n"}, "x")
_add("act-softsign", "softsign", "derivative", _CH,
     r"\frac{d}{dx}\, \frac{x}{1 + \lvert x\rvert} = \frac{1}{(1 + \lvert x\rvert)^{2}}",
     lambda x: x / (1 + anp.abs(x)), lambda x: 1.0 / (1 + anp.abs(x)) ** 2, {"x": "away:n"}, "x")
_add("act-sigmoid-vector", "elementwise sigmoid on a vector", "jacobian", _CH,
     r"\frac{\partial\, \sigma(\mathbf{z})}{\partial \mathbf{z}} = \operatorname{diag}\big(\sigma(\mathbf{z})\odot(1 - \sigma(\mathbf{z}))\big)",
     lambda z: _sigmoid_plain(z), lambda z: anp.diag(_sig(z) * (1 - _sig(z))), {"z": "vec:n"}, "z")
_add("act-softmax-jacobian", "softmax Jacobian", "jacobian", _CH,
     r"\frac{\partial \operatorname{softmax}(\mathbf{z})}{\partial \mathbf{z}} = \operatorname{diag}(\mathbf{s}) - \mathbf{s}\mathbf{s}^\top,\ \ \frac{\partial s_i}{\partial z_j} = s_i(\delta_{ij} - s_j)",
     lambda z: anp.exp(z) / anp.sum(anp.exp(z)),
     lambda z: anp.diag(_softmax(z)) - anp.outer(_softmax(z), _softmax(z)), {"z": "vec:K"}, "z",
     mistake=_M(r"\operatorname{diag}\big(\mathbf{s}\odot(1 - \mathbf{s})\big)",
                lambda z: anp.diag(_softmax(z) * (1 - _softmax(z))),
                "treats softmax as elementwise (like the sigmoid): the off-diagonal terms are lost"))
_add("act-softmax-temperature", "softmax with temperature", "jacobian", _CH,
     r"\frac{\partial \operatorname{softmax}(\mathbf{z}/T)}{\partial \mathbf{z}} = \frac{1}{T}\big(\operatorname{diag}(\mathbf{s}) - \mathbf{s}\mathbf{s}^\top\big),\ \mathbf{s} = \operatorname{softmax}(\mathbf{z}/T)",
     lambda z, T: anp.exp(z / T) / anp.sum(anp.exp(z / T)),
     lambda z, T: (anp.diag(_softmax(z / T)) - anp.outer(_softmax(z / T), _softmax(z / T))) / T,
     {"z": "vec:K", "T": "num:0.5,3"}, "z")
_add("act-log-softmax-jacobian", "log-softmax Jacobian", "jacobian", _CH,
     r"\frac{\partial \ln\operatorname{softmax}(\mathbf{z})}{\partial \mathbf{z}} = I - \mathbf{1}\mathbf{s}^\top",
     lambda z: z - anp.log(anp.sum(anp.exp(z))),
     lambda z: anp.eye(z.shape[0]) - anp.outer(anp.ones_like(z), _softmax(z)), {"z": "vec:K"}, "z",
     mistake=_M(r"I - \mathbf{s}\mathbf{1}^\top", lambda z: anp.eye(z.shape[0]) - anp.outer(_softmax(z), anp.ones_like(z)),
                "the rank-one term transposed"))
_add("act-lse-gradient", "log-sum-exp gradient", "gradient", _CH,
     r"\nabla_{\mathbf{z}}\, \ln\sum_{k} e^{z_k} = \operatorname{softmax}(\mathbf{z})",
     lambda z: anp.log(anp.sum(anp.exp(z))), lambda z: _softmax(z), {"z": "vec:K"}, "z",
     mistake=_M(r"e^{\mathbf{z}}", lambda z: anp.exp(z), "the normalisation by the sum is forgotten"))

_add("act-softplus-beta", "sharpened softplus", "derivative", _CH,
     r"\frac{d}{dx}\, \frac{1}{\beta}\ln(1 + e^{\beta x}) = \sigma(\beta x)",
     lambda x, beta: _softplus(beta * x) / beta, lambda x, beta: _sig(beta * x),
     {"x": "uni:-4,4,n", "beta": "num:0.5,5"}, "x",
     mistake=_M(r"\beta\,\sigma(\beta x)", lambda x, beta: beta * _sig(beta * x),
                "the inner factor beta kept: it cancels the outer 1/beta"))
_add("act-softmax-backward", "backward pass through softmax", "gradient", _CH,
     r"\nabla_{\mathbf{z}}\, \ell(\operatorname{softmax}(\mathbf{z})) = J^\top\mathbf{g} = \mathbf{s}\odot\big(\mathbf{g} - (\mathbf{s}^\top\mathbf{g})\mathbf{1}\big),\ \mathbf{g} = \nabla\ell(\mathbf{s}),\ \text{e.g. } \ell(\mathbf{s}) = \tfrac{1}{2}\lVert\mathbf{s} - \mathbf{t}\rVert_2^{2},\ \mathbf{g} = \mathbf{s} - \mathbf{t}",
     lambda z, t: 0.5 * anp.sum((_softmax(z) - t) ** 2),
     lambda z, t: _softmax(z) * ((_softmax(z) - t) - _softmax(z) @ (_softmax(z) - t)),
     {"z": "vec:K", "t": "vec:K"}, "z",
     mistake=_M(r"\mathbf{s}\odot(\mathbf{1} - \mathbf{s})\odot\mathbf{g}",
                lambda z, t: _softmax(z) * (1 - _softmax(z)) * (_softmax(z) - t),
                "treats softmax as elementwise (like the sigmoid): the coupling term is lost"))

# --- Chapter 8: loss functions (means over the N samples unless said) ---
_CH = "ch-losses"


def _post_away(a, b, gap=0.1):
    """Reject draws where inputs[a] - inputs[b] has an entry within ``gap`` of zero (a kink)."""
    def post(d, rng):
        return d if np.all(np.abs(d[a] - d[b]) > gap) else None
    return post


def _post_margin(s, y, gap=0.1):
    """Reject draws where a margin y_i s_i is within ``gap`` of 1 (the hinge kink)."""
    def post(d, rng):
        return d if np.all(np.abs(d[y] * d[s] - 1) > gap) else None
    return post


_add("loss-mse", "mean squared error", "gradient", _CH,
     r"\nabla_{\hat{\mathbf{y}}}\, \frac{1}{N}\sum_{i}(\hat{y}_i - y_i)^{2} = \frac{2}{N}(\hat{\mathbf{y}} - \mathbf{y})",
     lambda yhat, y: anp.mean((yhat - y) ** 2), lambda yhat, y: 2 * (yhat - y) / y.shape[0],
     {"yhat": "vec:N", "y": "vec:N"}, "yhat",
     shapes=r"\hat{\mathbf{y}},\mathbf{y}\in\mathbb{R}^{N}",
     mistake=_M(r"2(\hat{\mathbf{y}} - \mathbf{y})", lambda yhat, y: 2 * (yhat - y), "the 1/N of the mean is forgotten"))
_add("loss-half-sse", "half sum of squared errors", "gradient", _CH,
     r"\nabla_{\hat{\mathbf{y}}}\, \tfrac{1}{2}\lVert\hat{\mathbf{y}} - \mathbf{y}\rVert_2^{2} = \hat{\mathbf{y}} - \mathbf{y}",
     lambda yhat, y: 0.5 * anp.sum((yhat - y) ** 2), lambda yhat, y: yhat - y,
     {"yhat": "vec:N", "y": "vec:N"}, "yhat", shapes=r"\hat{\mathbf{y}},\mathbf{y}\in\mathbb{R}^{N}")
_add("loss-mae", "mean absolute error", "gradient", _CH,
     r"\nabla_{\hat{\mathbf{y}}}\, \frac{1}{N}\sum_{i}\lvert\hat{y}_i - y_i\rvert = \frac{1}{N}\operatorname{sign}(\hat{\mathbf{y}} - \mathbf{y})",
     lambda yhat, y: anp.mean(anp.abs(yhat - y)), lambda yhat, y: anp.sign(yhat - y) / y.shape[0],
     {"yhat": "vec:N", "y": "vec:N"}, "yhat", shapes=r"\hat{\mathbf{y}},\mathbf{y}\in\mathbb{R}^{N}",
     post=_post_away("yhat", "y"),
     conditions=[_cond(r"$\hat{y}_i \neq y_i$", lambda d: bool(np.all(d["yhat"] != d["y"])))])
_add("loss-bce-prob", "binary cross-entropy in the probabilities", "gradient", _CH,
     r"\nabla_{\mathbf{p}}\, \Big(-\frac{1}{N}\sum_{i}\big[y_i\ln p_i + (1 - y_i)\ln(1 - p_i)\big]\Big) = \frac{1}{N}\,\frac{\mathbf{p} - \mathbf{y}}{\mathbf{p}\odot(1 - \mathbf{p})}",
     lambda p, y: -anp.mean(y * anp.log(p) + (1 - y) * anp.log(1 - p)),
     lambda p, y: (p - y) / (p * (1 - p)) / y.shape[0], {"p": "p01:N", "y": "bin:N"}, "p",
     mistake=_M(r"\frac{1}{N}(\mathbf{p} - \mathbf{y})", lambda p, y: (p - y) / y.shape[0],
                "that is the gradient with respect to the logits, not the probabilities"))
_add("loss-bce-logit-sum", "binary cross-entropy in the logit (per sample)", "gradient", _CH,
     r"\nabla_{\mathbf{z}}\, L(\mathbf{z}) = \sigma(\mathbf{z}) - \mathbf{y},\ L(\mathbf{z}) = -\sum_{i}\big[y_i\ln p_i + (1 - y_i)\ln(1 - p_i)\big],\ \mathbf{p} = \sigma(\mathbf{z})",
     lambda z, y: -anp.sum(y * anp.log(_sigmoid_plain(z)) + (1 - y) * anp.log(1 - _sigmoid_plain(z))),
     lambda z, y: _sig(z) - y, {"z": "uni:-5,5,N", "y": "bin:N"}, "z",
     mistake=_M(r"\mathbf{y} - \sigma(\mathbf{z})", lambda z, y: y - _sig(z), "the sign of the negative log-likelihood is lost"))
_add("loss-bce-logits-mean", "binary cross-entropy with logits (mean)", "gradient", _CH,
     r"\nabla_{\mathbf{z}}\, \frac{1}{N}\sum_{i}\big[\ln(1 + e^{z_i}) - y_i z_i\big] = \frac{1}{N}\big(\sigma(\mathbf{z}) - \mathbf{y}\big)",
     lambda z, y: anp.mean(anp.log(1 + anp.exp(z)) - y * z), lambda z, y: (_sig(z) - y) / y.shape[0],
     {"z": "uni:-5,5,N", "y": "bin:N"}, "z",
     mistake=_M(r"\sigma(\mathbf{z}) - \mathbf{y}", lambda z, y: _sig(z) - y, "the 1/N of the mean is forgotten"))
_add("loss-softmax-ce", "softmax cross-entropy (one sample)", "gradient", _CH,
     r"\nabla_{\mathbf{z}}\, \Big(-\sum_{k} y_k\ln\operatorname{softmax}(\mathbf{z})_k\Big) = \mathbf{s} - \mathbf{y}",
     lambda z, y: -anp.sum(y * (z - anp.log(anp.sum(anp.exp(z))))), lambda z, y: _softmax(z) - y,
     {"z": "vec:K", "y": "onehot:K"}, "z",
     mistake=_M(r"-\mathbf{y}\oslash\mathbf{s}", lambda z, y: -y / _softmax(z),
                "that is the gradient with respect to the probabilities s, not the logits"))
_add("loss-softmax-ce-soft", "softmax cross-entropy, unnormalised targets", "gradient", _CH,
     r"\nabla_{\mathbf{z}}\, \Big(-\sum_{k} y_k\ln\operatorname{softmax}(\mathbf{z})_k\Big) = (\mathbf{1}^\top\mathbf{y})\,\mathbf{s} - \mathbf{y}",
     lambda z, y: -anp.sum(y * (z - anp.log(anp.sum(anp.exp(z))))), lambda z, y: anp.sum(y) * _softmax(z) - y,
     {"z": "vec:K", "y": "pos:K"}, "z",
     mistake=_M(r"\mathbf{s} - \mathbf{y}", lambda z, y: _softmax(z) - y, "holds only when the targets sum to 1"))
_add("loss-softmax-ce-batch", "softmax cross-entropy, batch of logits", "matrix-gradient", _CH,
     r"\nabla_{Z}\, \Big(-\frac{1}{N}\sum_{i,k} Y_{ik}\ln S_{ik}\Big) = \frac{1}{N}(S - Y),\ S = \operatorname{softmax}(Z) \text{ row-wise}",
     lambda Z, Y: -anp.mean(anp.sum(Y * (Z - anp.log(anp.sum(anp.exp(Z), axis=1, keepdims=True))), axis=1)),
     lambda Z, Y: (_softmax(Z, axis=1) - Y) / Y.shape[0], {"Z": "mat:N,K", "Y": "onehot:N,K"}, "Z")
_add("loss-softmax-ce-weights", "softmax regression in the weights", "matrix-gradient", _CH,
     r"\nabla_{W}\, \Big(-\frac{1}{N}\sum_{i,k} Y_{ik}\ln S_{ik}\Big) = \frac{1}{N}X^\top(S - Y),\ S = \operatorname{softmax}(XW) \text{ row-wise}",
     lambda W, X, Y: -anp.mean(anp.sum(Y * (X @ W - anp.log(anp.sum(anp.exp(X @ W), axis=1, keepdims=True))), axis=1)),
     lambda W, X, Y: X.T @ (_softmax(X @ W, axis=1) - Y) / Y.shape[0],
     {"W": "mat:d,K", "X": "mat:N,d", "Y": "onehot:N,K"}, "W",
     mistake=_M(r"\frac{1}{N}(S - Y)^\top X", lambda W, X, Y: (_softmax(X @ W, axis=1) - Y).T @ X / Y.shape[0],
                "denominator layout: the transpose of the gradient"))
_add("loss-bce-weights", "binary cross-entropy of a linear model, in the weights", "gradient", _CH,
     r"\nabla_{\mathbf{w}}\, L(\mathbf{w}) = \frac{1}{N}X^\top(\mathbf{p} - \mathbf{y}),\ L(\mathbf{w}) = -\frac{1}{N}\sum_{i}\big[y_i\ln p_i + (1 - y_i)\ln(1 - p_i)\big],\ \mathbf{p} = \sigma(X\mathbf{w})",
     lambda w, X, y: -anp.mean(y * anp.log(_sigmoid_plain(X @ w)) + (1 - y) * anp.log(1 - _sigmoid_plain(X @ w))),
     lambda w, X, y: X.T @ (_sig(X @ w) - y) / y.shape[0],
     {"w": "vec:d", "X": "mat:N,d", "y": "bin:N"}, "w",
     mistake=_M(r"\frac{1}{N}X^\top\big((\mathbf{p} - \mathbf{y})\odot\mathbf{p}\odot(1 - \mathbf{p})\big)",
                lambda w, X, y: X.T @ ((_sig(X @ w) - y) * _sig(X @ w) * (1 - _sig(X @ w))) / y.shape[0],
                "the sigmoid's derivative p(1 - p) kept: with cross-entropy it cancels (this form belongs to squared error)"))
_add("loss-hinge", "hinge loss in the scores", "gradient", _CH,
     r"\nabla_{\mathbf{s}}\, \frac{1}{N}\sum_{i}\max(0, 1 - y_i s_i) = -\frac{1}{N}\,\mathbf{y}\odot\mathbb{1}[\mathbf{y}\odot\mathbf{s} < 1]",
     lambda s, y: anp.mean(anp.maximum(0.0, 1 - y * s)), lambda s, y: -y * (y * s < 1) / y.shape[0],
     {"s": "uni:-3,3,N", "y": "pm1:N"}, "s", post=_post_margin("s", "y"),
     conditions=[_cond(r"$y_i s_i \neq 1$", lambda d: bool(np.all(d["y"] * d["s"] != 1)))])
_add("loss-logistic", "logistic loss in the scores", "gradient", _CH,
     r"\nabla_{\mathbf{s}}\, \frac{1}{N}\sum_{i}\ln(1 + e^{-y_i s_i}) = -\frac{1}{N}\,\mathbf{y}\odot\sigma(-\mathbf{y}\odot\mathbf{s})",
     lambda s, y: anp.mean(anp.log(1 + anp.exp(-y * s))), lambda s, y: -y * _sig(-y * s) / y.shape[0],
     {"s": "uni:-4,4,N", "y": "pm1:N"}, "s",
     mistake=_M(r"\frac{1}{N}\big(\sigma(\mathbf{s}) - \mathbf{y}\big)", lambda s, y: (_sig(s) - y) / y.shape[0],
                "the formula for labels in {0, 1} used with labels in {-1, +1}"))
_add("loss-logistic-weights", "logistic loss in the weights", "gradient", _CH,
     r"\nabla_{\mathbf{w}}\, \frac{1}{N}\sum_{i}\ln(1 + e^{-y_i\mathbf{w}^\top\mathbf{x}_i}) = -\frac{1}{N}X^\top\big(\mathbf{y}\odot\sigma(-\mathbf{y}\odot X\mathbf{w})\big)",
     lambda w, X, y: anp.mean(anp.log(1 + anp.exp(-y * (X @ w)))),
     lambda w, X, y: -X.T @ (y * _sig(-y * (X @ w))) / y.shape[0],
     {"w": "vec:d", "X": "mat:N,d", "y": "pm1:N"}, "w",
     mistake=_M(r"\frac{1}{N}X^\top\big((\sigma(-\mathbf{y}\odot X\mathbf{w}) - \mathbf{1})\odot(-\mathbf{y})\big)",
                lambda w, X, y: X.T @ ((_sig(-y * (X @ w)) - 1) * (-y)) / y.shape[0],
                "wrong in sign and in the argument of sigma: it equals +(1/N) X^T (y * sigma(+y Xw)), "
                "where the gradient is -(1/N) X^T (y * sigma(-y Xw))"))
_add("loss-logistic-01", "logistic loss with {0, 1} labels", "gradient", _CH,
     r"\nabla_{\mathbf{z}}\, \frac{1}{N}\sum_{i}\ln\big(1 + e^{-(2y_i - 1)z_i}\big) = \frac{1}{N}\big(\sigma(\mathbf{z}) - \mathbf{y}\big),\ y_i\in\{0, 1\}",
     lambda z, y: anp.mean(anp.log(1 + anp.exp(-(2 * y - 1) * z))), lambda z, y: (_sig(z) - y) / y.shape[0],
     {"z": "uni:-4,4,N", "y": "bin:N"}, "z",
     mistake=_M(r"\frac{1}{N}\big(\sigma(\mathbf{z}) - (2\mathbf{y} - \mathbf{1})\big)",
                lambda z, y: (_sig(z) - (2 * y - 1)) / y.shape[0],
                "the sigma(z) - y form needs labels in {0, 1}; the {-1, +1} labels 2y - 1 do not go into it"))
_add("loss-gaussian-nll-mu", "Gaussian NLL in the mean", "gradient", _CH,
     r"\nabla_{\pmb{\mu}}\, \frac{1}{N}\sum_{i}\tfrac{1}{2}\Big(\ln 2\pi + v_i + (y_i - \mu_i)^{2}e^{-v_i}\Big) = \frac{1}{N}(\pmb{\mu} - \mathbf{y})\odot e^{-\mathbf{v}}",
     lambda mu, v_, y: anp.mean(0.5 * (anp.log(2 * anp.pi) + v_ + (y - mu) ** 2 * anp.exp(-v_))),
     lambda mu, v_, y: (mu - y) * anp.exp(-v_) / y.shape[0],
     {"mu": "vec:N", "v_": "vec:N", "y": "vec:N"}, "mu",
     shapes=r"\pmb{\mu},\mathbf{v},\mathbf{y}\in\mathbb{R}^{N}\ (\mathbf{v} = \text{log-variance})")
_add("loss-gaussian-nll-logvar", "Gaussian NLL in the log-variance", "gradient", _CH,
     r"\nabla_{\mathbf{v}}\, \frac{1}{N}\sum_{i}\tfrac{1}{2}\Big(\ln 2\pi + v_i + (y_i - \mu_i)^{2}e^{-v_i}\Big) = \frac{1}{2N}\Big(1 - (\mathbf{y} - \pmb{\mu})^{2}\odot e^{-\mathbf{v}}\Big)",
     lambda v_, mu, y: anp.mean(0.5 * (anp.log(2 * anp.pi) + v_ + (y - mu) ** 2 * anp.exp(-v_))),
     lambda v_, mu, y: 0.5 * (1 - (y - mu) ** 2 * anp.exp(-v_)) / y.shape[0],
     {"v_": "vec:N", "mu": "vec:N", "y": "vec:N"}, "v_",
     shapes=r"\pmb{\mu},\mathbf{v},\mathbf{y}\in\mathbb{R}^{N}\ (\mathbf{v} = \text{log-variance})")
_add("loss-huber", "Huber loss", "derivative", _CH,
     r"\frac{d}{dr}\, H_\delta(r) = \begin{cases} r & \lvert r\rvert \le \delta \\ \delta\operatorname{sign}(r) & \lvert r\rvert > \delta \end{cases},\ H_\delta(r) = \begin{cases} \tfrac{1}{2}r^{2} & \lvert r\rvert \le \delta \\ \delta(\lvert r\rvert - \tfrac{1}{2}\delta) & \text{else} \end{cases}",
     lambda r, delta: anp.where(anp.abs(r) <= delta, 0.5 * r**2, delta * (anp.abs(r) - 0.5 * delta)),
     lambda r, delta: anp.where(anp.abs(r) <= delta, r, delta * anp.sign(r)),
     {"r": "uni:-3,3,n", "delta": "num:0.5,1.5"}, "r",
     post=lambda d, rng: d if np.all(np.abs(np.abs(d["r"]) - d["delta"]) > 0.05) else None,
     conditions=[_cond(r"$\lvert r\rvert \neq \delta$", lambda d: bool(np.all(np.abs(d["r"]) != d["delta"])))])
_add("loss-cross-entropy-q", "cross-entropy in the predicted distribution", "gradient", _CH,
     r"\nabla_{\mathbf{q}}\, \Big(-\sum_{k} p_k\ln q_k\Big) = -\mathbf{p}\oslash\mathbf{q}",
     lambda q, p: -anp.sum(p * anp.log(q)), lambda q, p: -p / q, {"q": "pos:K", "p": "prob:K"}, "q")

_add("loss-linear-model-chain", "any loss through a linear model", "gradient", _CH,
     r"\nabla_{\mathbf{w}}\, L(X\mathbf{w}) = X^\top\nabla_{\hat{\mathbf{y}}}L,\ \text{e.g. } L(\hat{\mathbf{y}}) = \frac{1}{N}\sum_{i}\ln\cosh(\hat{y}_i - y_i):\ \frac{1}{N}X^\top\tanh(X\mathbf{w} - \mathbf{y})",
     lambda w, X, y: anp.mean(anp.log(anp.cosh(X @ w - y))),
     lambda w, X, y: X.T @ anp.tanh(X @ w - y) / y.shape[0],
     {"w": "vec:d", "X": "mat:N,d", "y": "vec:N"}, "w")
_add("loss-mse-weights", "mean squared error of a linear model, in the weights", "gradient", _CH,
     r"\nabla_{\mathbf{w}}\, \frac{1}{N}\lVert X\mathbf{w} - \mathbf{y}\rVert_2^{2} = \frac{2}{N}X^\top(X\mathbf{w} - \mathbf{y})",
     lambda w, X, y: anp.mean((X @ w - y) ** 2), lambda w, X, y: 2 * X.T @ (X @ w - y) / y.shape[0],
     {"w": "vec:d", "X": "mat:N,d", "y": "vec:N"}, "w",
     mistake=_M(r"\frac{1}{N}X^\top(X\mathbf{w} - \mathbf{y})", lambda w, X, y: X.T @ (X @ w - y) / y.shape[0],
                "the gradient of the 1/(2N) convention paired with the 1/N loss (off by a factor 2)"))

# --- Chapter 9: linear models (X is N x d, one sample per row) ---
_CH = "ch-linear-models"
_LM = {"w": "vec:d", "X": "mat:N,d", "y": "vec:N"}
_LMB = {"w": "vec:d", "X": "mat:N,d", "y": "bin:N"}


def _logreg_nll(w, X, y):
    p = _sigmoid_plain(X @ w)
    return -anp.sum(y * anp.log(p) + (1 - y) * anp.log(1 - p))


_add("lm-ols-grad", "ordinary least squares, gradient", "gradient", _CH,
     r"\nabla_{\mathbf{w}}\, \tfrac{1}{2}\lVert X\mathbf{w} - \mathbf{y}\rVert_2^{2} = X^\top(X\mathbf{w} - \mathbf{y})",
     lambda w, X, y: 0.5 * anp.sum((X @ w - y) ** 2), lambda w, X, y: X.T @ (X @ w - y), _LM, "w",
     mistake=_M(r"X^\top(\mathbf{y} - X\mathbf{w})", lambda w, X, y: X.T @ (y - X @ w),
                "the residual's sign flipped: that is the descent direction, minus the gradient"))
_add("lm-ols-hess", "ordinary least squares, Hessian", "hessian", _CH,
     r"\nabla^{2}_{\mathbf{w}}\, \tfrac{1}{2}\lVert X\mathbf{w} - \mathbf{y}\rVert_2^{2} = X^\top X",
     lambda w, X, y: 0.5 * anp.sum((X @ w - y) ** 2), lambda w, X, y: X.T @ X, _LM, "w")
_add("lm-mse-grad", "mean squared error in the weights", "gradient", _CH,
     r"\nabla_{\mathbf{w}}\, \frac{1}{2N}\lVert X\mathbf{w} - \mathbf{y}\rVert_2^{2} = \frac{1}{N}X^\top(X\mathbf{w} - \mathbf{y})",
     lambda w, X, y: 0.5 * anp.mean((X @ w - y) ** 2), lambda w, X, y: X.T @ (X @ w - y) / y.shape[0], _LM, "w",
     mistake=_M(r"X^\top(X\mathbf{w} - \mathbf{y})", lambda w, X, y: X.T @ (X @ w - y), "the 1/N of the mean is forgotten"))
_add("lm-mse-hess", "mean squared error, Hessian", "hessian", _CH,
     r"\nabla^{2}_{\mathbf{w}}\, \frac{1}{2N}\lVert X\mathbf{w} - \mathbf{y}\rVert_2^{2} = \frac{1}{N}X^\top X",
     lambda w, X, y: 0.5 * anp.mean((X @ w - y) ** 2), lambda w, X, y: X.T @ X / y.shape[0], _LM, "w")
_add("lm-ridge-grad", "ridge regression, gradient", "gradient", _CH,
     r"\nabla_{\mathbf{w}}\, \Big(\tfrac{1}{2}\lVert X\mathbf{w} - \mathbf{y}\rVert_2^{2} + \tfrac{\lambda}{2}\lVert\mathbf{w}\rVert_2^{2}\Big) = X^\top(X\mathbf{w} - \mathbf{y}) + \lambda\mathbf{w}",
     lambda w, X, y, lam: 0.5 * anp.sum((X @ w - y) ** 2) + 0.5 * lam * w @ w,
     lambda w, X, y, lam: X.T @ (X @ w - y) + lam * w, {**_LM, "lam": "num:0.1,3"}, "w",
     mistake=_M(r"X^\top(X\mathbf{w} - \mathbf{y}) + 2\lambda\mathbf{w}", lambda w, X, y, lam: X.T @ (X @ w - y) + 2 * lam * w,
                "the 1/2 in front of the penalty is forgotten"))
_add("lm-ridge-hess", "ridge regression, Hessian", "hessian", _CH,
     r"\nabla^{2}_{\mathbf{w}}\, \Big(\tfrac{1}{2}\lVert X\mathbf{w} - \mathbf{y}\rVert_2^{2} + \tfrac{\lambda}{2}\lVert\mathbf{w}\rVert_2^{2}\Big) = X^\top X + \lambda I",
     lambda w, X, y, lam: 0.5 * anp.sum((X @ w - y) ** 2) + 0.5 * lam * w @ w,
     lambda w, X, y, lam: X.T @ X + lam * anp.eye(w.shape[0]), {**_LM, "lam": "num:0.1,3"}, "w")
_add("lm-lasso-subgrad", "lasso, gradient away from zero weights", "gradient", _CH,
     r"\nabla_{\mathbf{w}}\, \Big(\tfrac{1}{2}\lVert X\mathbf{w} - \mathbf{y}\rVert_2^{2} + \lambda\lVert\mathbf{w}\rVert_1\Big) = X^\top(X\mathbf{w} - \mathbf{y}) + \lambda\operatorname{sign}(\mathbf{w})",
     lambda w, X, y, lam: 0.5 * anp.sum((X @ w - y) ** 2) + lam * anp.sum(anp.abs(w)),
     lambda w, X, y, lam: X.T @ (X @ w - y) + lam * anp.sign(w),
     {"w": "away:d", "X": "mat:N,d", "y": "vec:N", "lam": "num:0.1,3"}, "w",
     mistake=_M(r"X^\top(X\mathbf{w} - \mathbf{y}) + \lambda\mathbf{w}", lambda w, X, y, lam: X.T @ (X @ w - y) + lam * w,
                "the ridge penalty's gradient used for the L1 penalty"))
_add("lm-elastic-net", "elastic net, gradient away from zero weights", "gradient", _CH,
     r"\nabla_{\mathbf{w}}\, \Big(\tfrac{1}{2}\lVert X\mathbf{w} - \mathbf{y}\rVert_2^{2} + \lambda_1\lVert\mathbf{w}\rVert_1 + \tfrac{\lambda_2}{2}\lVert\mathbf{w}\rVert_2^{2}\Big) = X^\top(X\mathbf{w} - \mathbf{y}) + \lambda_1\operatorname{sign}(\mathbf{w}) + \lambda_2\mathbf{w}",
     lambda w, X, y, lam1, lam2: 0.5 * anp.sum((X @ w - y) ** 2) + lam1 * anp.sum(anp.abs(w)) + 0.5 * lam2 * w @ w,
     lambda w, X, y, lam1, lam2: X.T @ (X @ w - y) + lam1 * anp.sign(w) + lam2 * w,
     {"w": "away:d", "X": "mat:N,d", "y": "vec:N", "lam1": "num:0.1,2", "lam2": "num:0.1,2"}, "w")
_add("lm-mae-grad", "mean absolute error in the weights", "gradient", _CH,
     r"\nabla_{\mathbf{w}}\, \frac{1}{N}\sum_{i}\lvert y_i - \mathbf{w}^\top\mathbf{x}_i\rvert = -\frac{1}{N}X^\top\operatorname{sign}(\mathbf{y} - X\mathbf{w})",
     lambda w, X, y: anp.mean(anp.abs(y - X @ w)), lambda w, X, y: -X.T @ anp.sign(y - X @ w) / y.shape[0], _LM, "w",
     post=lambda d, rng: d if np.all(np.abs(d["y"] - d["X"] @ d["w"]) > 0.05) else None,
     conditions=[_cond(r"no zero residual", lambda d: bool(np.all(d["y"] != d["X"] @ d["w"])))])
_add("lm-logreg-grad", "logistic regression, gradient", "gradient", _CH,
     r"\nabla_{\mathbf{w}}\, L(\mathbf{w}) = X^\top\big(\sigma(X\mathbf{w}) - \mathbf{y}\big),\ L(\mathbf{w}) = -\sum_{i}\big[y_i\ln p_i + (1 - y_i)\ln(1 - p_i)\big],\ \mathbf{p} = \sigma(X\mathbf{w})",
     _logreg_nll, lambda w, X, y: X.T @ (_sig(X @ w) - y), _LMB, "w",
     mistake=_M(r"X^\top\big(\mathbf{y} - \sigma(X\mathbf{w})\big)", lambda w, X, y: X.T @ (y - _sig(X @ w)),
                "the gradient of the log-likelihood, not of the loss (sign)"))
_add("lm-logreg-hess", "logistic regression, Hessian", "hessian", _CH,
     r"\nabla^{2}_{\mathbf{w}}\, L(\mathbf{w}) = X^\top DX,\ D = \operatorname{diag}\big(p_i(1 - p_i)\big),\ \mathbf{p} = \sigma(X\mathbf{w}),\ L = \text{logistic NLL}",
     _logreg_nll, lambda w, X, y: X.T @ anp.diag(_sig(X @ w) * (1 - _sig(X @ w))) @ X, _LMB, "w",
     mistake=_M(r"X^\top X", lambda w, X, y: X.T @ X, "the weights p(1 - p) of the curvature are dropped"))
_add("lm-logreg-l2-grad", "L2-regularised logistic regression, gradient", "gradient", _CH,
     r"\nabla_{\mathbf{w}}\, \Big(L(\mathbf{w}) + \tfrac{\lambda}{2}\lVert\mathbf{w}\rVert_2^{2}\Big) = X^\top(\mathbf{p} - \mathbf{y}) + \lambda\mathbf{w},\ L = \text{logistic NLL}",
     lambda w, X, y, lam: _logreg_nll(w, X, y) + 0.5 * lam * w @ w,
     lambda w, X, y, lam: X.T @ (_sig(X @ w) - y) + lam * w, {**_LMB, "lam": "num:0.1,3"}, "w")
_add("lm-logreg-l2-hess", "L2-regularised logistic regression, Hessian", "hessian", _CH,
     r"\nabla^{2}_{\mathbf{w}}\, \Big(L(\mathbf{w}) + \tfrac{\lambda}{2}\lVert\mathbf{w}\rVert_2^{2}\Big) = X^\top DX + \lambda I",
     lambda w, X, y, lam: _logreg_nll(w, X, y) + 0.5 * lam * w @ w,
     lambda w, X, y, lam: X.T @ anp.diag(_sig(X @ w) * (1 - _sig(X @ w))) @ X + lam * anp.eye(w.shape[0]),
     {**_LMB, "lam": "num:0.1,3"}, "w")
_add("lm-logistic-pm1-hess", "logistic loss with labels in {-1, +1}, Hessian", "hessian", _CH,
     r"\nabla^{2}_{\mathbf{w}}\, \frac{1}{N}\sum_{i}\ln(1 + e^{-y_i\mathbf{w}^\top\mathbf{x}_i}) = \frac{1}{N}X^\top DX,\ D = \operatorname{diag}\big(\sigma(z_i)(1 - \sigma(z_i))\big),\ \mathbf{z} = X\mathbf{w}",
     lambda w, X, y: anp.mean(anp.log(1 + anp.exp(-y * (X @ w)))),
     lambda w, X, y: X.T @ anp.diag(_sig(X @ w) * (1 - _sig(X @ w))) @ X / y.shape[0],
     {"w": "vec:d", "X": "mat:N,d", "y": "pm1:N"}, "w")
_add("lm-hinge-grad", "hinge loss (SVM) in the weights", "gradient", _CH,
     r"\nabla_{\mathbf{w}}\, \frac{1}{N}\sum_{i}\max(0, 1 - y_i\mathbf{w}^\top\mathbf{x}_i) = -\frac{1}{N}\sum_{i} y_i\mathbf{x}_i\,\mathbb{1}[y_i\mathbf{w}^\top\mathbf{x}_i < 1]",
     lambda w, X, y: anp.mean(anp.maximum(0.0, 1 - y * (X @ w))),
     lambda w, X, y: -X.T @ (y * (y * (X @ w) < 1)) / y.shape[0],
     {"w": "vec:d", "X": "mat:N,d", "y": "pm1:N"}, "w",
     post=lambda d, rng: d if np.all(np.abs(d["y"] * (d["X"] @ d["w"]) - 1) > 0.05) else None,
     conditions=[_cond(r"$y_i\mathbf{w}^\top\mathbf{x}_i \neq 1$", lambda d: bool(np.all(d["y"] * (d["X"] @ d["w"]) != 1)))])
_add("lm-wls-grad", "weighted least squares, gradient", "gradient", _CH,
     r"\nabla_{\mathbf{w}}\, \tfrac{1}{2}(X\mathbf{w} - \mathbf{y})^\top\Omega(X\mathbf{w} - \mathbf{y}) = X^\top\Omega(X\mathbf{w} - \mathbf{y})",
     lambda w, X, y, Omega: 0.5 * (X @ w - y) @ Omega @ (X @ w - y), lambda w, X, y, Omega: X.T @ Omega @ (X @ w - y),
     {**_LM, "Omega": "spd:N,N"}, "w")
_add("lm-wls-hess", "weighted least squares, Hessian", "hessian", _CH,
     r"\nabla^{2}_{\mathbf{w}}\, \tfrac{1}{2}(X\mathbf{w} - \mathbf{y})^\top\Omega(X\mathbf{w} - \mathbf{y}) = X^\top\Omega X",
     lambda w, X, y, Omega: 0.5 * (X @ w - y) @ Omega @ (X @ w - y), lambda w, X, y, Omega: X.T @ Omega @ X,
     {**_LM, "Omega": "spd:N,N"}, "w")
_add("lm-poisson-grad", "Poisson regression, gradient", "gradient", _CH,
     r"\nabla_{\mathbf{w}}\, \sum_{i}\big(e^{\mathbf{w}^\top\mathbf{x}_i} - y_i\mathbf{w}^\top\mathbf{x}_i\big) = X^\top\big(e^{X\mathbf{w}} - \mathbf{y}\big)",
     lambda w, X, y: anp.sum(anp.exp(X @ w) - y * (X @ w)), lambda w, X, y: X.T @ (anp.exp(X @ w) - y),
     {"w": "vec:d", "X": "mat:N,d", "y": "pos:N"}, "w", post=lambda d, rng: {**d, "w": 0.4 * d["w"]})
_add("lm-poisson-hess", "Poisson regression, Hessian", "hessian", _CH,
     r"\nabla^{2}_{\mathbf{w}}\, \sum_{i}\big(e^{\mathbf{w}^\top\mathbf{x}_i} - y_i\mathbf{w}^\top\mathbf{x}_i\big) = X^\top\operatorname{diag}(e^{X\mathbf{w}})X",
     lambda w, X, y: anp.sum(anp.exp(X @ w) - y * (X @ w)), lambda w, X, y: X.T @ anp.diag(anp.exp(X @ w)) @ X,
     {"w": "vec:d", "X": "mat:N,d", "y": "pos:N"}, "w", post=lambda d, rng: {**d, "w": 0.4 * d["w"]})
_add("lm-lda-discriminant", "LDA discriminant", "gradient", _CH,
     r"\nabla_{\mathbf{x}}\, \Big(\mathbf{x}^\top\Sigma^{-1}\pmb{\mu}_k - \tfrac{1}{2}\pmb{\mu}_k^\top\Sigma^{-1}\pmb{\mu}_k + \ln\pi_k\Big) = \Sigma^{-1}\pmb{\mu}_k",
     lambda x, Sigma, mu, pi: x @ _inv(Sigma) @ mu - 0.5 * mu @ _inv(Sigma) @ mu + anp.log(pi),
     lambda x, Sigma, mu, pi: _inv(Sigma) @ mu, {"x": "vec:n", "Sigma": "spd:n,n", "mu": "vec:n", "pi": "num:0.05,0.95"}, "x")
_add("lm-qda-discriminant", "Gaussian class log-density (QDA) in x", "gradient", _CH,
     r"\nabla_{\mathbf{x}}\, \Big(-\tfrac{1}{2}(\mathbf{x} - \pmb{\mu}_k)^\top\Sigma_k^{-1}(\mathbf{x} - \pmb{\mu}_k)\Big) = -\Sigma_k^{-1}(\mathbf{x} - \pmb{\mu}_k)",
     lambda x, Sigma, mu: -0.5 * (x - mu) @ _inv(Sigma) @ (x - mu), lambda x, Sigma, mu: -_inv(Sigma) @ (x - mu),
     {"x": "vec:n", "Sigma": "spd:n,n", "mu": "vec:n"}, "x")


def _lda_log_joint(x, Sigma, mu, pi):
    return anp.log(pi) - 0.5 * (x - mu) @ _inv(Sigma) @ (x - mu)


_add("lm-lda-log-odds", "LDA log-odds between two classes", "gradient", _CH,
     r"\nabla_{\mathbf{x}}\, \big(\delta_1(\mathbf{x}) - \delta_0(\mathbf{x})\big) = \nabla_{\mathbf{x}}\ln\frac{P(y = 1\mid\mathbf{x})}{P(y = 0\mid\mathbf{x})} = \Sigma^{-1}(\pmb{\mu}_1 - \pmb{\mu}_0)",
     lambda x, Sigma, mu1, mu0, pi1: _lda_log_joint(x, Sigma, mu1, pi1) - _lda_log_joint(x, Sigma, mu0, 1 - pi1),
     lambda x, Sigma, mu1, mu0, pi1: _inv(Sigma) @ (mu1 - mu0),
     {"x": "vec:n", "Sigma": "spd:n,n", "mu1": "vec:n", "mu0": "vec:n", "pi1": "num:0.05,0.95"}, "x",
     shapes=r"\mathbf{x},\pmb{\mu}_1,\pmb{\mu}_0\in\mathbb{R}^{n},\ \Sigma\in\mathbb{R}^{n\times n},\ \pi_1\in(0, 1),\ \pi_0 = 1 - \pi_1",
     mistake=_M(r"\Sigma(\pmb{\mu}_1 - \pmb{\mu}_0)", lambda x, Sigma, mu1, mu0, pi1: Sigma @ (mu1 - mu0),
                "the covariance where its inverse (the precision) belongs"))
_add("lm-logreg-mean-hess", "logistic regression (mean loss), Hessian", "hessian", _CH,
     r"\nabla^{2}_{\mathbf{w}}\, \frac{1}{n}L(\mathbf{w}) = \frac{1}{n}X^\top DX,\ D = \operatorname{diag}\big(p_i(1 - p_i)\big),\ \mathbf{p} = \sigma(X\mathbf{w}),\ L = \text{logistic NLL},\ y_i\in\{0, 1\}",
     lambda w, X, y: _logreg_nll(w, X, y) / y.shape[0],
     lambda w, X, y: X.T @ anp.diag(_sig(X @ w) * (1 - _sig(X @ w))) @ X / y.shape[0], _LMB, "w",
     mistake=_M(r"\frac{1}{n}X^\top\operatorname{diag}(\mathbf{p})X", lambda w, X, y: X.T @ anp.diag(_sig(X @ w)) @ X / y.shape[0],
                "sigma'(z) written as sigma(z): the weights are p(1 - p), not p"))

# --- Chapter 10: likelihood, MLE and MAP ---
_CH = "ch-likelihood"
_add("lik-gauss-mu", "Gaussian log-likelihood in the mean", "derivative", _CH,
     r"\frac{\partial}{\partial\mu}\sum_{i=1}^{N}\ln\mathcal{N}(x_i;\mu,\sigma^{2}) = \frac{1}{\sigma^{2}}\sum_{i=1}^{N}(x_i - \mu)",
     lambda mu, x, sigma2: anp.sum(-0.5 * anp.log(2 * anp.pi * sigma2) - (x[None, :] - mu[:, None]) ** 2 / (2 * sigma2), axis=1),
     lambda mu, x, sigma2: anp.sum(x[None, :] - mu[:, None], axis=1) / sigma2,
     {"mu": "vec:p", "x": "vec:N", "sigma2": "num:0.3,3"}, "mu")
_add("lik-gauss-var", "Gaussian log-likelihood in the variance", "derivative", _CH,
     r"\frac{\partial}{\partial\sigma^{2}}\sum_{i=1}^{N}\ln\mathcal{N}(x_i;\mu,\sigma^{2}) = -\frac{N}{2\sigma^{2}} + \frac{1}{2\sigma^{4}}\sum_{i=1}^{N}(x_i - \mu)^{2}",
     lambda sigma2, x, mu: anp.sum(-0.5 * anp.log(2 * anp.pi * sigma2[:, None]) - (x[None, :] - mu) ** 2 / (2 * sigma2[:, None]), axis=1),
     lambda sigma2, x, mu: -x.shape[0] / (2 * sigma2) + anp.sum((x - mu) ** 2) / (2 * sigma2**2),
     {"sigma2": "pos:p", "x": "vec:N", "mu": "num:-1,1"}, "sigma2",
     mistake=_M(r"-\frac{N}{\sigma} + \frac{1}{\sigma^{3}}\sum_i(x_i - \mu)^{2}",
                lambda sigma2, x, mu: -x.shape[0] / anp.sqrt(sigma2) + anp.sum((x - mu) ** 2) / sigma2**1.5,
                "the derivative in sigma used for the derivative in sigma squared: it is 2 sigma times the right one"))
_add("lik-gauss-std", "Gaussian log-likelihood in the standard deviation", "derivative", _CH,
     r"\frac{\partial}{\partial\sigma}\sum_{i=1}^{N}\ln\mathcal{N}(x_i;\mu,\sigma^{2}) = -\frac{N}{\sigma} + \frac{1}{\sigma^{3}}\sum_{i=1}^{N}(x_i - \mu)^{2}",
     lambda sigma, x, mu: anp.sum(-0.5 * anp.log(2 * anp.pi * sigma[:, None] ** 2) - (x[None, :] - mu) ** 2 / (2 * sigma[:, None] ** 2), axis=1),
     lambda sigma, x, mu: -x.shape[0] / sigma + anp.sum((x - mu) ** 2) / sigma**3,
     {"sigma": "pos:p", "x": "vec:N", "mu": "num:-1,1"}, "sigma")
_add("lik-mvn-mu", "multivariate Gaussian log-density in the mean", "gradient", _CH,
     r"\nabla_{\pmb{\mu}}\, \ln\mathcal{N}(\mathbf{x};\pmb{\mu},\Sigma) = \Sigma^{-1}(\mathbf{x} - \pmb{\mu})",
     lambda mu, x, Sigma: -0.5 * anp.linalg.slogdet(2 * anp.pi * Sigma)[1] - 0.5 * (x - mu) @ _inv(Sigma) @ (x - mu),
     lambda mu, x, Sigma: _inv(Sigma) @ (x - mu), {"mu": "vec:n", "x": "vec:n", "Sigma": "spd:n,n"}, "mu",
     mistake=_M(r"\Sigma(\mathbf{x} - \pmb{\mu})", lambda mu, x, Sigma: Sigma @ (x - mu),
                "the covariance where its inverse (the precision) belongs"))
_add("lik-mvn-x", "multivariate Gaussian log-density in x (score)", "gradient", _CH,
     r"\nabla_{\mathbf{x}}\, \ln\mathcal{N}(\mathbf{x};\pmb{\mu},\Sigma) = -\Sigma^{-1}(\mathbf{x} - \pmb{\mu})",
     lambda x, mu, Sigma: -0.5 * anp.linalg.slogdet(2 * anp.pi * Sigma)[1] - 0.5 * (x - mu) @ _inv(Sigma) @ (x - mu),
     lambda x, mu, Sigma: -_inv(Sigma) @ (x - mu), {"x": "vec:n", "mu": "vec:n", "Sigma": "spd:n,n"}, "x")
_add("lik-mvn-cov", "multivariate Gaussian log-density in the covariance", "matrix-gradient", _CH,
     r"\nabla_{\Sigma}\, \ln\mathcal{N}(\mathbf{x};\pmb{\mu},\Sigma) = \tfrac{1}{2}\Sigma^{-1}(\mathbf{x} - \pmb{\mu})(\mathbf{x} - \pmb{\mu})^\top\Sigma^{-1} - \tfrac{1}{2}\Sigma^{-1}",
     lambda Sigma, x, mu: -0.5 * anp.linalg.slogdet(2 * anp.pi * Sigma)[1] - 0.5 * (x - mu) @ _inv(Sigma) @ (x - mu),
     lambda Sigma, x, mu: 0.5 * _inv(Sigma) @ anp.outer(x - mu, x - mu) @ _inv(Sigma) - 0.5 * _inv(Sigma),
     {"Sigma": "spd:n,n", "x": "vec:n", "mu": "vec:n"}, "Sigma")
_add("lik-mvn-precision", "multivariate Gaussian log-density in the precision", "matrix-gradient", _CH,
     r"\nabla_{\Lambda}\, \Big(\tfrac{1}{2}\ln\det\Lambda - \tfrac{1}{2}(\mathbf{x} - \pmb{\mu})^\top\Lambda(\mathbf{x} - \pmb{\mu})\Big) = \tfrac{1}{2}\Lambda^{-1} - \tfrac{1}{2}(\mathbf{x} - \pmb{\mu})(\mathbf{x} - \pmb{\mu})^\top",
     lambda Lam, x, mu: 0.5 * anp.linalg.slogdet(Lam)[1] - 0.5 * (x - mu) @ Lam @ (x - mu),
     lambda Lam, x, mu: 0.5 * _inv(Lam) - 0.5 * anp.outer(x - mu, x - mu),
     {"Lam": "spd:n,n", "x": "vec:n", "mu": "vec:n"}, "Lam")
_add("lik-mvn-cov-mle", "Gaussian covariance log-likelihood (data)", "matrix-gradient", _CH,
     r"\nabla_{\Sigma}\, \Big(-\tfrac{N}{2}\ln\det\Sigma - \tfrac{N}{2}\operatorname{tr}(S\Sigma^{-1})\Big) = \tfrac{N}{2}\big(\Sigma^{-1}S\Sigma^{-1} - \Sigma^{-1}\big)",
     lambda Sigma, S, N: -0.5 * N * anp.linalg.slogdet(Sigma)[1] - 0.5 * N * anp.trace(S @ _inv(Sigma)),
     lambda Sigma, S, N: 0.5 * N * (_inv(Sigma) @ S @ _inv(Sigma) - _inv(Sigma)),
     {"Sigma": "spd:n,n", "S": "spd:n,n", "N": "int:5,50"}, "Sigma")
_add("lik-exp-single", "exponential log-density in the rate", "derivative", _CH,
     r"\frac{\partial}{\partial\lambda}\ln\big(\lambda e^{-\lambda x}\big) = \frac{1}{\lambda} - x",
     lambda lam, x: anp.log(lam) - lam * x, lambda lam, x: 1.0 / lam - x, {"lam": "pos:p", "x": "num:0.1,3"}, "lam")
_add("lik-exp", "exponential log-likelihood in the rate", "derivative", _CH,
     r"\frac{\partial}{\partial\lambda}\sum_{i=1}^{N}\ln\big(\lambda e^{-\lambda x_i}\big) = \frac{N}{\lambda} - \sum_{i=1}^{N}x_i",
     lambda lam, x: anp.sum(anp.log(lam[:, None]) - lam[:, None] * x[None, :], axis=1),
     lambda lam, x: x.shape[0] / lam - anp.sum(x), {"lam": "pos:p", "x": "pos:N"}, "lam")
_add("lik-bernoulli-single", "Bernoulli log-probability in p", "derivative", _CH,
     r"\frac{\partial}{\partial p}\big(x\ln p + (1 - x)\ln(1 - p)\big) = \frac{x}{p} - \frac{1 - x}{1 - p}",
     lambda p, x: x * anp.log(p) + (1 - x) * anp.log(1 - p), lambda p, x: x / p - (1 - x) / (1 - p),
     {"p": "p01:q", "x": "bin:q"}, "p",
     post=lambda d, rng: d if 0 < d["x"].sum() < d["x"].size else None,
     shapes=r"p\in(0, 1),\ x\in\{0, 1\}",
     mistake=_M(r"\frac{x}{p} + \frac{1 - x}{1 - p}", lambda p, x: x / p + (1 - x) / (1 - p),
                "the inner derivative -1 of ln(1 - p) is forgotten"))
_add("lik-bernoulli", "Bernoulli log-likelihood in p", "derivative", _CH,
     r"\frac{\partial}{\partial p}\sum_{i=1}^{N}\big(x_i\ln p + (1 - x_i)\ln(1 - p)\big) = \frac{\sum_i x_i}{p} - \frac{N - \sum_i x_i}{1 - p}",
     lambda p, x: anp.sum(x[None, :] * anp.log(p[:, None]) + (1 - x[None, :]) * anp.log(1 - p[:, None]), axis=1),
     lambda p, x: anp.sum(x) / p - (x.shape[0] - anp.sum(x)) / (1 - p), {"p": "p01:q", "x": "bin:N"}, "p")
_add("lik-bernoulli-natural", "Bernoulli log-probability in the log-odds", "derivative", _CH,
     r"\frac{\partial}{\partial\eta}\big(x\eta - \ln(1 + e^{\eta})\big) = x - \sigma(\eta)",
     lambda eta, x: x * eta - anp.log(1 + anp.exp(eta)), lambda eta, x: x - _sig(eta), {"eta": "uni:-5,5,p", "x": "int:0,1"}, "eta",
     shapes=r"\eta\in\mathbb{R},\ x\in\{0, 1\}")
_add("lik-poisson", "Poisson log-likelihood in the rate", "derivative", _CH,
     r"\frac{\partial}{\partial\lambda}\sum_{i=1}^{N}\big(k_i\ln\lambda - \lambda - \ln k_i!\big) = \frac{\sum_i k_i}{\lambda} - N",
     lambda lam, k: anp.sum(k[None, :] * anp.log(lam[:, None]) - lam[:, None], axis=1) - sum(math.lgamma(v + 1.0) for v in np.asarray(k)),
     lambda lam, k: anp.sum(k) / lam - k.shape[0],
     lambda rng: {"lam": rng.uniform(0.3, 5.0, int(rng.integers(2, 7))),
                  "k": rng.poisson(2.0, int(rng.integers(3, 9))).astype(float)}, "lam",
     shapes=r"\lambda\in\mathbb{R},\ k_i\in\{0, 1, 2, \dots\}",
     conditions=[_cond(r"$\lambda > 0$", lambda d: bool(np.all(d["lam"] > 0)))])
_add("lik-categorical-probs", "categorical log-probability in the probabilities", "gradient", _CH,
     r"\nabla_{\pmb{\pi}}\, \sum_{k} y_k\ln\pi_k = \mathbf{y}\oslash\pmb{\pi}\ \ (\text{unconstrained } \pmb{\pi})",
     lambda pi, y: anp.sum(y * anp.log(pi)), lambda pi, y: y / pi, {"pi": "prob:K", "y": "onehot:K"}, "pi")
_add("lik-categorical-logits", "categorical log-probability in the logits", "gradient", _CH,
     r"\nabla_{\pmb{\eta}}\, \sum_{k} y_k\ln\operatorname{softmax}(\pmb{\eta})_k = \mathbf{y} - \operatorname{softmax}(\pmb{\eta})",
     lambda eta, y: anp.sum(y * (eta - anp.log(anp.sum(anp.exp(eta))))), lambda eta, y: y - _softmax(eta),
     {"eta": "vec:K", "y": "onehot:K"}, "eta")
_add("lik-laplace-mu", "Laplace log-likelihood in the location", "derivative", _CH,
     r"\frac{\partial}{\partial\mu}\sum_{i=1}^{N}\Big(-\ln 2b - \frac{\lvert x_i - \mu\rvert}{b}\Big) = \frac{1}{b}\sum_{i=1}^{N}\operatorname{sign}(x_i - \mu)",
     lambda mu, x, b: anp.sum(-anp.log(2 * b) - anp.abs(x[None, :] - mu[:, None]) / b, axis=1),
     lambda mu, x, b: anp.sum(anp.sign(x[None, :] - mu[:, None]), axis=1) / b,
     {"mu": "vec:p", "x": "vec:N", "b": "num:0.3,3"}, "mu",
     post=lambda d, rng: d if np.all(np.abs(d["x"][None, :] - d["mu"][:, None]) > 0.05) else None,
     conditions=[_cond(r"$\mu \neq x_i$", lambda d: bool(np.all(d["x"][None, :] != d["mu"][:, None])))])
_add("lik-laplace-scale", "Laplace log-likelihood in the scale", "derivative", _CH,
     r"\frac{\partial}{\partial b}\sum_{i=1}^{N}\Big(-\ln 2b - \frac{\lvert x_i - \mu\rvert}{b}\Big) = -\frac{N}{b} + \frac{1}{b^{2}}\sum_{i=1}^{N}\lvert x_i - \mu\rvert",
     lambda b, x, mu: anp.sum(-anp.log(2 * b[:, None]) - anp.abs(x[None, :] - mu) / b[:, None], axis=1),
     lambda b, x, mu: -x.shape[0] / b + anp.sum(anp.abs(x - mu)) / b**2, {"b": "pos:p", "x": "vec:N", "mu": "num:-1,1"}, "b")
_add("lik-uniform", "uniform log-likelihood in its endpoints", "gradient", _CH,
     r"\nabla_{(a, b)}\, \big(-N\ln(b - a)\big) = \Big(\frac{N}{b - a},\ -\frac{N}{b - a}\Big)\ \ \text{for } a < \min_i x_i,\ b > \max_i x_i",
     lambda theta, x: -x.shape[0] * anp.log(theta[1] - theta[0]),
     lambda theta, x: anp.array([x.shape[0] / (theta[1] - theta[0]), -x.shape[0] / (theta[1] - theta[0])]),
     lambda rng: (lambda x: {"theta": np.array([x.min() - rng.uniform(0.1, 1), x.max() + rng.uniform(0.1, 1)]), "x": x})(
         rng.uniform(-2, 2, int(rng.integers(3, 9)))), "theta",
     shapes=r"(a, b)\in\mathbb{R}^{2},\ \mathbf{x}\in\mathbb{R}^{N}",
     conditions=[_cond(r"$a < \min_i x_i$ and $b > \max_i x_i$",
                       lambda d: d["theta"][0] < d["x"].min() and d["theta"][1] > d["x"].max())],
     fixed_shapes=True)
_add("lik-expfam-bernoulli-mean", "Bernoulli log-partition, first derivative (mean)", "derivative", _CH,
     r"\frac{d}{d\eta}\ln(1 + e^{\eta}) = \sigma(\eta) = \mathbb{E}[x]",
     lambda eta: anp.log(1 + anp.exp(eta)), lambda eta: _sig(eta), {"eta": "uni:-5,5,p"}, "eta")
_add("lik-expfam-bernoulli-var", "Bernoulli log-partition, second derivative (variance)", "second-derivative", _CH,
     r"\frac{d^{2}}{d\eta^{2}}\ln(1 + e^{\eta}) = \sigma(\eta)\big(1 - \sigma(\eta)\big) = \operatorname{Var}[x]",
     lambda eta: anp.log(1 + anp.exp(eta)), lambda eta: _sig(eta) * (1 - _sig(eta)), {"eta": "uni:-5,5,p"}, "eta")
_add("lik-expfam-poisson", "Poisson log-partition (mean and variance)", "derivative", _CH,
     r"\frac{d}{d\eta}e^{\eta} = e^{\eta} = \lambda = \mathbb{E}[k]",
     lambda eta: anp.exp(eta), lambda eta: anp.exp(eta), {"eta": "uni:-3,3,p"}, "eta")
_add("lik-expfam-gaussian", "Gaussian log-partition in the natural parameters", "gradient", _CH,
     r"\nabla_{\pmb{\eta}}\Big(-\frac{\eta_1^{2}}{4\eta_2} - \tfrac{1}{2}\ln(-2\eta_2)\Big) = \big(\mathbb{E}[x], \mathbb{E}[x^{2}]\big) = \Big(-\frac{\eta_1}{2\eta_2},\ \frac{\eta_1^{2}}{4\eta_2^{2}} - \frac{1}{2\eta_2}\Big)",
     lambda eta: -eta[0] ** 2 / (4 * eta[1]) - 0.5 * anp.log(-2 * eta[1]),
     lambda eta: anp.array([-eta[0] / (2 * eta[1]), eta[0] ** 2 / (4 * eta[1] ** 2) - 1 / (2 * eta[1])]),
     lambda rng: {"eta": np.array([rng.uniform(-2, 2), -rng.uniform(0.2, 2)])}, "eta",
     shapes=r"\pmb{\eta} = (\mu/\sigma^{2},\ -1/(2\sigma^{2}))\in\mathbb{R}\times(-\infty, 0)",
     conditions=[_cond(r"$\eta_2 < 0$", lambda d: d["eta"][1] < 0)], fixed_shapes=True)
_add("lik-gauss-prior", "log of a Gaussian prior", "gradient", _CH,
     r"\nabla_{\mathbf{w}}\, \ln\mathcal{N}(\mathbf{w}; \mathbf{0}, \tau^{2}I) = -\frac{\mathbf{w}}{\tau^{2}}",
     lambda w, tau2: -0.5 * w.shape[0] * anp.log(2 * anp.pi * tau2) - 0.5 * w @ w / tau2,
     lambda w, tau2: -w / tau2, {"w": "vec:d", "tau2": "num:0.3,3"}, "w")
_add("lik-laplace-prior", "log of a Laplace prior", "gradient", _CH,
     r"\nabla_{\mathbf{w}}\, \sum_{j}\Big(-\ln 2b - \frac{\lvert w_j\rvert}{b}\Big) = -\frac{1}{b}\operatorname{sign}(\mathbf{w})",
     lambda w, b: anp.sum(-anp.log(2 * b) - anp.abs(w) / b), lambda w, b: -anp.sign(w) / b,
     {"w": "away:d", "b": "num:0.3,3"}, "w")
_add("lik-map-ridge", "negative log-posterior with a Gaussian prior (ridge)", "gradient", _CH,
     r"\nabla_{\mathbf{w}}\, \Big(\frac{1}{2\sigma^{2}}\lVert X\mathbf{w} - \mathbf{y}\rVert_2^{2} + \frac{1}{2\tau^{2}}\lVert\mathbf{w}\rVert_2^{2}\Big) = \frac{1}{\sigma^{2}}X^\top(X\mathbf{w} - \mathbf{y}) + \frac{\mathbf{w}}{\tau^{2}}",
     lambda w, X, y, sigma2, tau2: anp.sum((X @ w - y) ** 2) / (2 * sigma2) + w @ w / (2 * tau2),
     lambda w, X, y, sigma2, tau2: X.T @ (X @ w - y) / sigma2 + w / tau2,
     {**_LM, "sigma2": "num:0.3,3", "tau2": "num:0.3,3"}, "w")
_add("lik-map-lasso", "negative log-posterior with a Laplace prior (lasso)", "gradient", _CH,
     r"\nabla_{\mathbf{w}}\, \Big(\frac{1}{2\sigma^{2}}\lVert X\mathbf{w} - \mathbf{y}\rVert_2^{2} + \frac{1}{b}\lVert\mathbf{w}\rVert_1\Big) = \frac{1}{\sigma^{2}}X^\top(X\mathbf{w} - \mathbf{y}) + \frac{1}{b}\operatorname{sign}(\mathbf{w})",
     lambda w, X, y, sigma2, b: anp.sum((X @ w - y) ** 2) / (2 * sigma2) + anp.sum(anp.abs(w)) / b,
     lambda w, X, y, sigma2, b: X.T @ (X @ w - y) / sigma2 + anp.sign(w) / b,
     {"w": "away:d", "X": "mat:N,d", "y": "vec:N", "sigma2": "num:0.3,3", "b": "num:0.3,3"}, "w")
_add("lik-gauss-nll-weights", "Gaussian negative log-likelihood of linear regression", "gradient", _CH,
     r"\nabla_{\mathbf{w}}\, \Big(\frac{1}{2\sigma^{2}}\lVert X\mathbf{w} - \mathbf{y}\rVert_2^{2} + \frac{N}{2}\ln(2\pi\sigma^{2})\Big) = \frac{1}{\sigma^{2}}X^\top(X\mathbf{w} - \mathbf{y})",
     lambda w, X, y, sigma2: anp.sum((X @ w - y) ** 2) / (2 * sigma2) + 0.5 * y.shape[0] * anp.log(2 * anp.pi * sigma2),
     lambda w, X, y, sigma2: X.T @ (X @ w - y) / sigma2, {**_LM, "sigma2": "num:0.3,3"}, "w")
_add("lik-bernoulli-loglik-weights", "Bernoulli log-likelihood of logistic regression", "gradient", _CH,
     r"\nabla_{\mathbf{w}}\, \ell(\mathbf{w}) = X^\top\big(\mathbf{y} - \sigma(X\mathbf{w})\big),\ \ell(\mathbf{w}) = \sum_{i}\big[y_i\ln p_i + (1 - y_i)\ln(1 - p_i)\big],\ \mathbf{p} = \sigma(X\mathbf{w})",
     lambda w, X, y: -_logreg_nll(w, X, y), lambda w, X, y: X.T @ (y - _sig(X @ w)), _LMB, "w")
_add("lik-kl-p", "KL divergence in its first argument", "gradient", _CH,
     r"\nabla_{\mathbf{p}}\, \sum_{k} p_k\ln\frac{p_k}{q_k} = \ln(\mathbf{p}\oslash\mathbf{q}) + \mathbf{1}\ \ (\text{unconstrained } \mathbf{p})",
     lambda p, q: anp.sum(p * anp.log(p / q)), lambda p, q: anp.log(p / q) + 1, {"p": "prob:K", "q": "prob:K"}, "p")
_add("lik-kl-q", "KL divergence in its second argument", "gradient", _CH,
     r"\nabla_{\mathbf{q}}\, \sum_{k} p_k\ln\frac{p_k}{q_k} = -\mathbf{p}\oslash\mathbf{q}",
     lambda q, p: anp.sum(p * anp.log(p / q)), lambda q, p: -p / q, {"q": "prob:K", "p": "prob:K"}, "q",
     mistake=_M(r"\ln(\mathbf{q}\oslash\mathbf{p}) + \mathbf{1}", lambda q, p: anp.log(q / p) + 1,
                "the formula for the first argument; KL is not symmetric"))

_add("lik-map-gauss-mean", "MAP objective for a Gaussian mean with a Gaussian prior", "derivative", _CH,
     r"\frac{\partial}{\partial\mu}\Big(\sum_{i=1}^{N}\ln\mathcal{N}(x_i;\mu,\sigma^{2}) - \frac{(\mu - \mu_0)^{2}}{2\tau^{2}}\Big) = \frac{1}{\sigma^{2}}\sum_{i=1}^{N}(x_i - \mu) - \frac{\mu - \mu_0}{\tau^{2}}",
     lambda mu, x, sigma2, mu0, tau2: anp.sum(-0.5 * anp.log(2 * anp.pi * sigma2) - (x[None, :] - mu[:, None]) ** 2 / (2 * sigma2), axis=1)
     - (mu - mu0) ** 2 / (2 * tau2),
     lambda mu, x, sigma2, mu0, tau2: anp.sum(x[None, :] - mu[:, None], axis=1) / sigma2 - (mu - mu0) / tau2,
     {"mu": "vec:p", "x": "vec:N", "sigma2": "num:0.3,3", "mu0": "num:-2,2", "tau2": "num:0.3,3"}, "mu")
_add("lik-expfam-exponential-mean", "exponential log-partition, first derivative (mean)", "derivative", _CH,
     r"\frac{d}{d\eta}\big(-\ln(-\eta)\big) = -\frac{1}{\eta} = \frac{1}{\lambda} = \mathbb{E}[x],\ \eta = -\lambda < 0",
     lambda eta: -anp.log(-eta), lambda eta: -1.0 / eta, {"eta": "uni:-3,-0.3,p"}, "eta",
     conditions=[_cond(r"$\eta < 0$", lambda d: bool(np.all(d["eta"] < 0)))])
_add("lik-expfam-exponential-var", "exponential log-partition, second derivative (variance)", "second-derivative", _CH,
     r"\frac{d^{2}}{d\eta^{2}}\big(-\ln(-\eta)\big) = \frac{1}{\eta^{2}} = \frac{1}{\lambda^{2}} = \operatorname{Var}[x],\ \eta = -\lambda < 0",
     lambda eta: -anp.log(-eta), lambda eta: 1.0 / eta**2, {"eta": "uni:-3,-0.3,p"}, "eta",
     conditions=[_cond(r"$\eta < 0$", lambda d: bool(np.all(d["eta"] < 0)))])

# --- Chapter 11: backpropagation ---
_CH = "ch-backprop"


def _dense_loss(W, b, x, t):
    z = W @ x + b
    return 0.5 * anp.sum((_sigmoid_plain(z) - t) ** 2)


def _dense_delta(W, b, x, t):
    s = _sig(W @ x + b)
    return (s - t) * s * (1 - s)


_DENSE = {"W": "mat:m,n", "b": "vec:m", "x": "vec:n", "t": "vec:m"}
_add("bp-dense-W", "dense layer, weight gradient (outer-product rule)", "matrix-gradient", _CH,
     r"\nabla_{W}\, \tfrac{1}{2}\lVert\sigma(W\mathbf{x} + \mathbf{b}) - \mathbf{t}\rVert_2^{2} = \pmb{\delta}\mathbf{x}^\top,\ \pmb{\delta} = (\sigma(\mathbf{z}) - \mathbf{t})\odot\sigma'(\mathbf{z}),\ \mathbf{z} = W\mathbf{x} + \mathbf{b}",
     _dense_loss, lambda W, b, x, t: anp.outer(_dense_delta(W, b, x, t), x), _DENSE, "W",
     mistake=_M(r"\mathbf{x}\pmb{\delta}^\top", lambda W, b, x, t: anp.outer(x, _dense_delta(W, b, x, t)),
                "the transpose: the gradient must have the shape of W"))
_add("bp-dense-b", "dense layer, bias gradient", "gradient", _CH,
     r"\nabla_{\mathbf{b}}\, \tfrac{1}{2}\lVert\sigma(W\mathbf{x} + \mathbf{b}) - \mathbf{t}\rVert_2^{2} = \pmb{\delta}",
     lambda b, W, x, t: _dense_loss(W, b, x, t), lambda b, W, x, t: _dense_delta(W, b, x, t),
     {"b": "vec:m", "W": "mat:m,n", "x": "vec:n", "t": "vec:m"}, "b",
     mistake=_M(r"\sigma(\mathbf{z}) - \mathbf{t}", lambda b, W, x, t: _sig(W @ x + b) - t,
                "the activation's derivative is forgotten"))
_add("bp-dense-x", "dense layer, input gradient", "gradient", _CH,
     r"\nabla_{\mathbf{x}}\, \tfrac{1}{2}\lVert\sigma(W\mathbf{x} + \mathbf{b}) - \mathbf{t}\rVert_2^{2} = W^\top\pmb{\delta}",
     lambda x, W, b, t: _dense_loss(W, b, x, t), lambda x, W, b, t: W.T @ _dense_delta(W, b, x, t),
     {"x": "vec:n", "W": "mat:m,n", "b": "vec:m", "t": "vec:m"}, "x")
_add("bp-batch-W", "batched layer, weight gradient", "matrix-gradient", _CH,
     r"\nabla_{W}\, \tfrac{1}{2}\lVert\tanh(XW) - T\rVert_F^{2} = X^\top\Delta,\ \Delta = (\tanh(XW) - T)\odot(1 - \tanh^{2}(XW))",
     lambda W, X, T: 0.5 * anp.sum((anp.tanh(X @ W) - T) ** 2),
     lambda W, X, T: X.T @ ((anp.tanh(X @ W) - T) * (1 - anp.tanh(X @ W) ** 2)),
     {"W": "mat:d,h", "X": "mat:N,d", "T": "mat:N,h"}, "W",
     mistake=_M(r"\Delta^\top X", lambda W, X, T: ((anp.tanh(X @ W) - T) * (1 - anp.tanh(X @ W) ** 2)).T @ X,
                "the transpose: the gradient must have the shape of W"))
_add("bp-batch-X", "batched layer, input gradient", "matrix-gradient", _CH,
     r"\nabla_{X}\, \tfrac{1}{2}\lVert\tanh(XW) - T\rVert_F^{2} = \Delta W^\top",
     lambda X, W, T: 0.5 * anp.sum((anp.tanh(X @ W) - T) ** 2),
     lambda X, W, T: ((anp.tanh(X @ W) - T) * (1 - anp.tanh(X @ W) ** 2)) @ W.T,
     {"X": "mat:N,d", "W": "mat:d,h", "T": "mat:N,h"}, "X")


def _mlp_loss(W1, W2, x, t):
    return 0.5 * anp.sum((W2 @ anp.tanh(W1 @ x) - t) ** 2)


_MLP = {"W1": "mat:h,n", "W2": "mat:m,h", "x": "vec:n", "t": "vec:m"}
_add("bp-mlp-W2", "two-layer network, output weights", "matrix-gradient", _CH,
     r"\nabla_{W_2}\, \tfrac{1}{2}\lVert W_2\tanh(W_1\mathbf{x}) - \mathbf{t}\rVert_2^{2} = \mathbf{r}\mathbf{h}^\top,\ \mathbf{h} = \tanh(W_1\mathbf{x}),\ \mathbf{r} = W_2\mathbf{h} - \mathbf{t}",
     lambda W2, W1, x, t: _mlp_loss(W1, W2, x, t),
     lambda W2, W1, x, t: anp.outer(W2 @ anp.tanh(W1 @ x) - t, anp.tanh(W1 @ x)),
     {"W2": "mat:m,h", "W1": "mat:h,n", "x": "vec:n", "t": "vec:m"}, "W2")
_add("bp-mlp-W1", "two-layer network, hidden weights", "matrix-gradient", _CH,
     r"\nabla_{W_1}\, \tfrac{1}{2}\lVert W_2\tanh(W_1\mathbf{x}) - \mathbf{t}\rVert_2^{2} = \big((W_2^\top\mathbf{r})\odot(1 - \mathbf{h}^{2})\big)\mathbf{x}^\top",
     _mlp_loss,
     lambda W1, W2, x, t: anp.outer((W2.T @ (W2 @ anp.tanh(W1 @ x) - t)) * (1 - anp.tanh(W1 @ x) ** 2), x),
     _MLP, "W1",
     mistake=_M(r"(W_2^\top\mathbf{r})\,\mathbf{x}^\top", lambda W1, W2, x, t: anp.outer(W2.T @ (W2 @ anp.tanh(W1 @ x) - t), x),
                "the derivative of the hidden activation is forgotten"))
_add("bp-vjp", "vector-Jacobian product", "gradient", _CH,
     r"\nabla_{\mathbf{x}}\, \big(\mathbf{v}^\top\tanh(A\mathbf{x})\big) = J^\top\mathbf{v} = A^\top\big(\mathbf{v}\odot(1 - \tanh^{2}(A\mathbf{x}))\big)",
     lambda x, v, A: v @ anp.tanh(A @ x), lambda x, v, A: A.T @ (v * (1 - anp.tanh(A @ x) ** 2)),
     {"x": "vec:n", "v": "vec:m", "A": "mat:m,n"}, "x")
_add("bp-vec-Wx", "linear layer as a function of vec(W)", "jacobian", _CH,
     r"\frac{\partial (W\mathbf{x})}{\partial\, \operatorname{vec}(W)} = \mathbf{x}^\top\otimes I_m",
     lambda w, x, m: _unvec(w, m, x.shape[0]) @ x, lambda w, x, m: anp.kron(x[None, :], anp.eye(m)),
     lambda rng: (lambda d: {"w": rng.standard_normal(d["m"] * d["n"]), "x": rng.standard_normal(d["n"]), "m": d["m"]})(
         _draw_dims(rng, "mn")), "w",
     shapes=r"\operatorname{vec}(W)\in\mathbb{R}^{mn},\ \mathbf{x}\in\mathbb{R}^{n}",
     mistake=_M(r"I_m\otimes\mathbf{x}^\top", lambda w, x, m: anp.kron(anp.eye(m), x[None, :]),
                "right for row-major vec, wrong for the column-stacking vec"))
_add("bp-residual-jacobian", "residual block Jacobian", "jacobian", _CH,
     r"\frac{\partial\, \big(\mathbf{x} + W_2\operatorname{ReLU}(W_1\mathbf{x})\big)}{\partial \mathbf{x}} = I + W_2\operatorname{diag}\big(\mathbb{1}[W_1\mathbf{x} > 0]\big)W_1",
     lambda x, W1, W2: x + W2 @ anp.maximum(0.0, W1 @ x),
     lambda x, W1, W2: anp.eye(x.shape[0]) + W2 @ anp.diag((W1 @ x > 0) * 1.0) @ W1,
     {"x": "vec:n", "W1": "mat:h,n", "W2": "mat:n,h"}, "x",
     post=lambda d, rng: d if np.all(np.abs(d["W1"] @ d["x"]) > 0.05) else None,
     conditions=[_cond(r"no entry of $W_1\mathbf{x}$ is 0", lambda d: bool(np.all(d["W1"] @ d["x"] != 0)))],
     mistake=_M(r"W_2\operatorname{diag}\big(\mathbb{1}[W_1\mathbf{x} > 0]\big)W_1", lambda x, W1, W2: W2 @ anp.diag((W1 @ x > 0) * 1.0) @ W1,
                "the identity from the skip connection is forgotten"))
_add("bp-softmax-layer-W", "softmax output layer, weight gradient", "matrix-gradient", _CH,
     r"\nabla_{W}\, \Big(-\mathbf{y}^\top\ln\operatorname{softmax}(W\mathbf{x} + \mathbf{b})\Big) = (\mathbf{s} - \mathbf{y})\,\mathbf{x}^\top",
     lambda W, b, x, y: -y @ (W @ x + b - anp.log(anp.sum(anp.exp(W @ x + b)))),
     lambda W, b, x, y: anp.outer(_softmax(W @ x + b) - y, x),
     {"W": "mat:K,n", "b": "vec:K", "x": "vec:n", "y": "onehot:K"}, "W")


# The layer f = sigma(Ax + b) with A in R^{m x n}: Jacobians in b, in A (three indices) and in vec(A).
_LAYER_JAC = {"b": "vec:m", "A": "mat:m,n", "x": "vec:n"}
_add("bp-layer-jac-b", "dense layer, Jacobian in the bias", "jacobian", _CH,
     r"\frac{\partial\, \tanh(A\mathbf{x} + \mathbf{b})}{\partial \mathbf{b}} = \operatorname{diag}\big(\sigma'(\mathbf{z})\big) = \operatorname{diag}\big(1 - \tanh^{2}(\mathbf{z})\big),\ \mathbf{z} = A\mathbf{x} + \mathbf{b},\ \sigma = \tanh",
     lambda b, A, x: anp.tanh(A @ x + b), lambda b, A, x: anp.diag(1 - anp.tanh(A @ x + b) ** 2), _LAYER_JAC, "b",
     mistake=_M(r"\operatorname{diag}\big(\sigma'(\mathbf{z})\big)A", lambda b, A, x: anp.diag(1 - anp.tanh(A @ x + b) ** 2) @ A,
                "the Jacobian in the input x; the bias enters z with the identity, not with A"))
_add("bp-layer-jac-A", "dense layer, Jacobian in the weight matrix (three indices)", "jacobian", _CH,
     r"\frac{\partial f_i}{\partial A_{jk}} = \sigma'(z_i)\,\delta_{ij}\,x_k,\ \mathbf{f} = \sigma(\mathbf{z}),\ \mathbf{z} = A\mathbf{x} + \mathbf{b},\ \sigma = \text{logistic sigmoid}\ (\text{an } m\times m\times n \text{ array, autograd's shape})",
     lambda A, b, x: _sigmoid_plain(A @ x + b),
     lambda A, b, x: anp.einsum("i,ij,k->ijk", _sig(A @ x + b) * (1 - _sig(A @ x + b)), anp.eye(A.shape[0]), x),
     {"A": "mat:m,n", "b": "vec:m", "x": "vec:n"}, "A",
     mistake=_M(r"\sigma'(z_i)\,x_k\ \ (\text{no } \delta_{ij})",
                lambda A, b, x: anp.einsum("i,j,k->ijk", _sig(A @ x + b) * (1 - _sig(A @ x + b)), anp.ones(A.shape[0]), x),
                "the Kronecker delta is dropped: weight A_jk feeds unit j only, so f_i does not depend on row j for j != i"))


def _layer_vec_inputs(rng, with_target=False):
    d = _draw_dims(rng, "mn")
    out = {"a": rng.standard_normal(d["m"] * d["n"]), "b": rng.standard_normal(d["m"]), "x": rng.standard_normal(d["n"])}
    if with_target:
        out["t"] = rng.standard_normal(d["m"])
    return out


def _layer_vec_A(a, b, x):
    """A from its column-major vec: A is m x n with m = len(b), n = len(x)."""
    return _unvec(a, b.shape[0], x.shape[0])


def _dsig(z):
    return _sig(z) * (1 - _sig(z))


_add("bp-layer-jac-vecA", "dense layer, Jacobian in vec(A)", "jacobian", _CH,
     r"\frac{\partial\, \sigma(A\mathbf{x} + \mathbf{b})}{\partial\, \operatorname{vec}(A)} = \operatorname{diag}\big(\sigma'(\mathbf{z})\big)\,(\mathbf{x}^\top\otimes I_m),\ \mathbf{z} = A\mathbf{x} + \mathbf{b},\ \sigma = \text{logistic sigmoid},\ \operatorname{vec}(A) = \text{the columns of } A \text{ stacked}",
     lambda a, b, x: _sigmoid_plain(_layer_vec_A(a, b, x) @ x + b),
     lambda a, b, x: _dsig(_layer_vec_A(a, b, x) @ x + b)[:, None] * anp.kron(x[None, :], anp.eye(b.shape[0])),
     _layer_vec_inputs, "a",
     shapes=r"\operatorname{vec}(A)\in\mathbb{R}^{mn},\ \mathbf{b}\in\mathbb{R}^{m},\ \mathbf{x}\in\mathbb{R}^{n}",
     mistake=_M(r"\operatorname{diag}\big(\sigma'(\mathbf{z})\big)\,(I_m\otimes\mathbf{x}^\top)",
                lambda a, b, x: _dsig(_layer_vec_A(a, b, x) @ x + b)[:, None] * anp.kron(anp.eye(b.shape[0]), x[None, :]),
                "right for the row-major vec (NumPy's default reshape), wrong for the column-stacking vec"))


def _layer_vec_delta(a, b, x, t):
    z = _layer_vec_A(a, b, x) @ x + b
    return _dsig(z) * (_sig(z) - t)


_add("bp-grad-vecA", "dense layer, gradient in vec(A)", "gradient", _CH,
     r"\nabla_{\operatorname{vec}(A)}\, \tfrac{1}{2}\lVert\sigma(A\mathbf{x} + \mathbf{b}) - \mathbf{t}\rVert_2^{2} = (\mathbf{x}\otimes I_m)\,\pmb{\delta} = \operatorname{vec}(\pmb{\delta}\mathbf{x}^\top),\ \pmb{\delta} = \sigma'(\mathbf{z})\odot(\sigma(\mathbf{z}) - \mathbf{t}),\ \mathbf{z} = A\mathbf{x} + \mathbf{b},\ \operatorname{vec} \text{ stacks columns}",
     lambda a, b, x, t: 0.5 * anp.sum((_sigmoid_plain(_layer_vec_A(a, b, x) @ x + b) - t) ** 2),
     lambda a, b, x, t: anp.kron(x[:, None], anp.eye(b.shape[0])) @ _layer_vec_delta(a, b, x, t),
     lambda rng: _layer_vec_inputs(rng, with_target=True), "a",
     shapes=r"\operatorname{vec}(A)\in\mathbb{R}^{mn},\ \mathbf{b},\mathbf{t}\in\mathbb{R}^{m},\ \mathbf{x}\in\mathbb{R}^{n}",
     mistake=_M(r"(I_m\otimes\mathbf{x})\,\pmb{\delta}",
                lambda a, b, x, t: anp.kron(anp.eye(b.shape[0]), x[:, None]) @ _layer_vec_delta(a, b, x, t),
                "the row-major vec of the outer product: vec here stacks columns"))

# A batch with examples as columns: Z = AF + b 1^T, L = sum_ij ln cosh(Z_ij), so Delta = dL/dZ = tanh(Z).
_BATCH_COLS = {"A": "mat:m,n", "b": "vec:m", "F": "mat:n,N"}


def _cols_loss(A, b, F):
    return anp.sum(anp.log(anp.cosh(A @ F + b[:, None])))


def _cols_delta(A, b, F):
    return anp.tanh(A @ F + b[:, None])


_add("bp-batch-cols-A", "batch as columns, weight gradient", "matrix-gradient", _CH,
     r"\nabla_{A}\, \sum_{i,j}\ln\cosh(Z_{ij}) = \Delta F^\top,\ Z = AF + \mathbf{b}\mathbf{1}^\top,\ \Delta = \frac{\partial L}{\partial Z} = \tanh(Z),\ \text{examples are the columns of } F",
     _cols_loss, lambda A, b, F: _cols_delta(A, b, F) @ F.T, _BATCH_COLS, "A",
     mistake=_M(r"F\Delta^\top", lambda A, b, F: F @ _cols_delta(A, b, F).T,
                "the transpose (denominator layout): the gradient must have the shape of A"))
_add("bp-batch-cols-b", "batch as columns, bias gradient", "gradient", _CH,
     r"\nabla_{\mathbf{b}}\, \sum_{i,j}\ln\cosh(Z_{ij}) = \Delta\mathbf{1},\ Z = AF + \mathbf{b}\mathbf{1}^\top,\ \Delta = \tanh(Z)",
     lambda b, A, F: _cols_loss(A, b, F), lambda b, A, F: _cols_delta(A, b, F) @ anp.ones(F.shape[1]),
     {"b": "vec:m", "A": "mat:m,n", "F": "mat:n,N"}, "b",
     mistake=_M(r"\Delta^\top\mathbf{1}", lambda b, A, F: _cols_delta(A, b, F).T @ anp.ones(A.shape[0]),
                "sums over the units instead of over the batch (the bias is shared by the examples)"))
_add("bp-batch-cols-F", "batch as columns, input gradient", "matrix-gradient", _CH,
     r"\nabla_{F}\, \sum_{i,j}\ln\cosh(Z_{ij}) = A^\top\Delta,\ Z = AF + \mathbf{b}\mathbf{1}^\top,\ \Delta = \tanh(Z)",
     lambda F, A, b: _cols_loss(A, b, F), lambda F, A, b: A.T @ _cols_delta(A, b, F),
     {"F": "mat:n,N", "A": "mat:m,n", "b": "vec:m"}, "F")


def _cols_onehot_inputs(rng):
    d = _draw_dims(rng, "KN")
    labels = rng.integers(0, d["K"], size=d["N"])
    return {"Z": 2.0 * rng.standard_normal((d["K"], d["N"])), "Y": np.eye(d["K"])[:, labels]}


_add("bp-softmax-ce-cols", "mean softmax cross-entropy, examples as columns", "matrix-gradient", _CH,
     r"\nabla_{Z}\, \Big(-\frac{1}{N}\sum_{k,i} Y_{ki}\ln S_{ki}\Big) = \frac{1}{N}(S - Y),\ S = \operatorname{softmax}(Z) \text{ column by column}",
     lambda Z, Y: -anp.sum(Y * (Z - _lse(Z, axis=0)[None, :])) / Z.shape[1],
     lambda Z, Y: (_softmax(Z, axis=0) - Y) / Y.shape[1], _cols_onehot_inputs, "Z",
     shapes=r"Z\in\mathbb{R}^{K\times N},\ Y\in\{0, 1\}^{K\times N}",
     conditions=[_cond("columns of $Y$ one-hot",
                       lambda d: bool(np.all((d["Y"] == 0) | (d["Y"] == 1)) and np.all(d["Y"].sum(axis=0) == 1)))],
     mistake=_M(r"\frac{1}{N}\big(\operatorname{softmax}(Z) \text{ row by row} - Y\big)",
                lambda Z, Y: (_softmax(Z, axis=1) - Y) / Y.shape[1],
                "the softmax taken along the wrong axis (the rows-as-examples code applied to columns)"))

# One backward step g_{l-1} = A_l^T (sigma'(z_l) * g_l) as the gradient of g_l^T f_l in f_{l-1}.
_STEP = {"f": "vec:n", "g": "vec:m", "A": "mat:m,n", "b": "vec:m"}
_STEP_SHAPES = r"A_l\in\mathbb{R}^{n_l\times n_{l-1}},\ \mathbf{f}_{l-1}\in\mathbb{R}^{n_{l-1}},\ \mathbf{b}_l,\mathbf{g}_l\in\mathbb{R}^{n_l}"


def _step_latex(act: str, deriv: str) -> str:
    return (r"\mathbf{g}_{l-1} = \nabla_{\mathbf{f}_{l-1}}\big(\mathbf{g}_l^\top\sigma(A_l\mathbf{f}_{l-1} + \mathbf{b}_l)\big) = A_l^\top\big(\sigma'(\mathbf{z}_l)\odot\mathbf{g}_l\big),\ "
            r"\mathbf{z}_l = A_l\mathbf{f}_{l-1} + \mathbf{b}_l,\ " + act + r",\ " + deriv)


def _relu_step_post(d, rng):
    z = d["A"] @ d["f"] + d["b"]
    return d if np.all(np.abs(z) > 0.1) and z.min() < 0 < z.max() else None


_add("bp-step-sigmoid", "backward step through a sigmoid layer", "gradient", _CH,
     _step_latex(r"\sigma(z) = \frac{1}{1 + e^{-z}}", r"\sigma' = \sigma(1 - \sigma)"),
     lambda f, g, A, b: g @ _sigmoid_plain(A @ f + b), lambda f, g, A, b: A.T @ (_dsig(A @ f + b) * g), _STEP, "f",
     shapes=_STEP_SHAPES,
     mistake=_M(r"A_l^\top\big(\sigma(\mathbf{z}_l)\odot\mathbf{g}_l\big)", lambda f, g, A, b: A.T @ (_sig(A @ f + b) * g),
                "the activation written where its derivative belongs"))
_add("bp-step-relu", "backward step through a ReLU layer", "gradient", _CH,
     _step_latex(r"\sigma = \operatorname{ReLU}", r"\sigma'(z) = \mathbb{1}[z > 0]"),
     lambda f, g, A, b: g @ anp.maximum(0.0, A @ f + b), lambda f, g, A, b: A.T @ ((A @ f + b > 0) * g), _STEP, "f",
     shapes=_STEP_SHAPES, post=_relu_step_post,
     conditions=[_cond(r"no entry of $\mathbf{z}_l$ is 0 (ReLU has a kink there)",
                       lambda d: bool(np.all(d["A"] @ d["f"] + d["b"] != 0)))],
     mistake=_M(r"A_l^\top\mathbf{g}_l", lambda f, g, A, b: A.T @ g,
                "ReLU's derivative taken as 1 everywhere; it is 0 on inactive units"))
_add("bp-step-softplus", "backward step through a softplus layer", "gradient", _CH,
     _step_latex(r"\sigma(z) = \ln(1 + e^{z})", r"\sigma'(z) = \frac{1}{1 + e^{-z}}"),
     lambda f, g, A, b: g @ _softplus(A @ f + b), lambda f, g, A, b: A.T @ (_sig(A @ f + b) * g), _STEP, "f",
     shapes=_STEP_SHAPES)
_add("bp-residual-step", "backward step through a residual block", "gradient", _CH,
     r"\mathbf{g}_{l-1} = \nabla_{\mathbf{f}_{l-1}}\Big(\mathbf{g}_l^\top\big(\mathbf{f}_{l-1} + \sigma(A_l\mathbf{f}_{l-1} + \mathbf{b}_l)\big)\Big) = \mathbf{g}_l + A_l^\top\big(\sigma'(\mathbf{z}_l)\odot\mathbf{g}_l\big),\ \mathbf{z}_l = A_l\mathbf{f}_{l-1} + \mathbf{b}_l,\ \sigma = \text{logistic sigmoid}",
     lambda f, g, A, b: g @ (f + _sigmoid_plain(A @ f + b)), lambda f, g, A, b: g + A.T @ (_dsig(A @ f + b) * g),
     {"f": "vec:n", "g": "vec:n", "A": "sq:n,n", "b": "vec:n"}, "f",
     shapes=r"A_l\in\mathbb{R}^{n\times n},\ \mathbf{f}_{l-1},\mathbf{b}_l,\mathbf{g}_l\in\mathbb{R}^{n}",
     mistake=_M(r"A_l^\top\big(\sigma'(\mathbf{z}_l)\odot\mathbf{g}_l\big)", lambda f, g, A, b: A.T @ (_dsig(A @ f + b) * g),
                "the identity path of the skip connection is forgotten: it hands g_l down unchanged"))

# --- Chapter 12: checking derivatives ---
_CH = "ch-checking"
_add("chk-directional", "directional derivative", "derivative", _CH,
     r"\frac{d}{dt}\, f(\mathbf{x} + t\mathbf{v}) = \nabla f(\mathbf{x} + t\mathbf{v})^\top\mathbf{v},\ f = \operatorname{lse}:\ \operatorname{softmax}(\mathbf{x} + t\mathbf{v})^\top\mathbf{v}",
     lambda t, x, v: _lse(x[None, :] + t[:, None] * v[None, :], axis=1),
     lambda t, x, v: anp.sum(_softmax(x[None, :] + t[:, None] * v[None, :], axis=1) * v[None, :], axis=1),
     {"t": "vec:p", "x": "vec:n", "v": "vec:n"}, "t")
_add("chk-hvp", "Hessian-vector product as a gradient", "gradient", _CH,
     r"\nabla_{\mathbf{x}}\, \big(\nabla f(\mathbf{x})^\top\mathbf{v}\big) = \nabla^{2}f(\mathbf{x})\,\mathbf{v},\ f = \operatorname{lse}:\ \mathbf{s}\odot\mathbf{v} - (\mathbf{s}^\top\mathbf{v})\,\mathbf{s},\ \mathbf{s} = \operatorname{softmax}(\mathbf{x})",
     lambda x, v: _softmax(x) @ v, lambda x, v: _softmax(x) * v - (_softmax(x) @ v) * _softmax(x),
     {"x": "vec:n", "v": "vec:n"}, "x")
_add("chk-gradient-of-quadratic-check", "the test function of a gradient check", "derivative", _CH,
     r"\frac{d}{dt}\, \big(\mathbf{x} + t\mathbf{v}\big)^\top A\big(\mathbf{x} + t\mathbf{v}\big) = \mathbf{v}^\top(A + A^\top)(\mathbf{x} + t\mathbf{v})",
     lambda t, x, v, A: anp.einsum("ti,ij,tj->t", x[None, :] + t[:, None] * v[None, :], A, x[None, :] + t[:, None] * v[None, :]),
     lambda t, x, v, A: (x[None, :] + t[:, None] * v[None, :]) @ (A + A.T) @ v,
     {"t": "vec:p", "x": "vec:n", "v": "vec:n", "A": "sq:n,n"}, "t")


# --------------------------------------------------------------------------------------------
# The registry
# --------------------------------------------------------------------------------------------

#: Every identity of the book, in chapter order (a tuple of :class:`Identity`).
IDENTITIES: tuple[Identity, ...] = tuple(_REGISTRY)
_BY_ID: dict[str, Identity] = {}
for _ident in IDENTITIES:
    if _ident.id in _BY_ID:
        raise RuntimeError(f"duplicate identity id {_ident.id!r}")
    _BY_ID[_ident.id] = _ident
del _ident, _CH
