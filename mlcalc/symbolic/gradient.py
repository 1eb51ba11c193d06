"""Read a derivative off a differential.

* Scalar ``f``: rewrite ``df`` as ``⟨G, dX⟩ = tr(Gᵀ dX)`` (``gᵀ dx`` for a vector, ``g dx`` for a
  scalar) and read off the gradient ``G``. :func:`adjoint` moves everything around ``dX`` onto the
  other side of the inner product, one identity at a time:
  ``⟨S, L E R⟩ = ⟨Lᵀ S Rᵀ, E⟩`` (cyclic property of the trace), ``⟨S, Eᵀ⟩ = ⟨Sᵀ, E⟩`` (transpose),
  ``⟨S, A ⊙ E⟩ = ⟨S ⊙ A, E⟩`` (the ⊙ identity), ``⟨s, tr E⟩ = ⟨s I, E⟩``,
  ``⟨s, sum E⟩ = ⟨s 1, E⟩``, and for a broadcast scalar ``⟨S, ds 1⟩ = sum(S) ds`` (a gradient
  with respect to a scalar that was broadcast is the sum over the entries it reached).
* Vector ``f`` of a vector (or scalar) ``x``: rewrite ``df = J dx`` and read off the Jacobian
  ``J`` (numerator layout): :func:`jacobian_of` uses ``a ⊙ (B dx) = diag(a) B dx``.
"""
from __future__ import annotations

from .expr import (
    SCALAR,
    Add,
    Const,
    Diag,
    Div,
    Expr,
    Func,
    Identity,
    MatMul,
    Mul,
    Ones,
    Scale,
    T,
    Var,
    has_diff,
    kind,
)
from .simplify import (
    mk_add,
    mk_div,
    mk_func,
    mk_matmul,
    mk_mul,
    mk_scale,
    simplify,
    transpose,
)

TRACE = r"\text{cyclic property of the trace}"
SCALAR_T = r"\text{a scalar equals its transpose}"
TRACE_T = r"\operatorname{tr}(A^{\top}) = \operatorname{tr}(A)"
HADAMARD = (r"\operatorname{tr}(G^{\top}(A \odot E)) = "
            r"\operatorname{tr}((G \odot A)^{\top} E)")
HADAMARD_V = (r"\mathbf{g}^{\top}(\mathbf{a} \odot \mathbf{e}) = "
              r"(\mathbf{g} \odot \mathbf{a})^{\top}\mathbf{e}")
SUM = r"\operatorname{sum}(E) = \langle \mathbf{1}, E\rangle"
BROADCAST = r"\langle G, ds\,\mathbf{1}\rangle = \operatorname{sum}(G)\, ds"


class Unsupported(NotImplementedError):
    """A differential the rearrangement cannot handle (reported as NotImplementedError)."""


def inner_value(s: Expr, a: Expr) -> Expr:
    """``⟨S, A⟩`` as a simplified expression (a scalar)."""
    if isinstance(s, Ones):
        return mk_func("sum", a)
    if isinstance(a, Ones):
        return mk_func("sum", s)
    k = kind(a.shape)
    if k == "scalar":
        return mk_mul(s, a)
    if k == "vector":
        return mk_matmul([transpose(s), a])
    if k == "row":
        return mk_matmul([s, transpose(a)])
    return mk_func("tr", mk_matmul([transpose(s), a]))


def _with_diff(factors) -> int:
    idx = [i for i, f in enumerate(factors) if has_diff(f)]
    if len(idx) != 1:
        raise Unsupported("the differential is not linear in dX")
    return idx[0]


def _constant_and_linear(e: Expr) -> tuple:
    """``(a, b)`` of ``a ⊙ b`` or ``b ⊘ a`` with ``b`` holding dX and ``a`` free of it."""
    if isinstance(e, Div):
        a, b = e.b, e.a
    else:
        a, b = (e.b, e.a) if has_diff(e.a) else (e.a, e.b)
    if has_diff(a) or not has_diff(b):
        raise Unsupported("the differential is not linear in dX")
    return a, b


def adjoint(e: Expr, S: Expr, rules: list) -> Expr:
    """``G`` with ``⟨S, e⟩ = ⟨G, dX⟩`` for ``e`` linear in ``dX``; ``rules`` gets the identities."""
    def note(r: str) -> None:
        if r not in rules:
            rules.append(r)

    if isinstance(e, Var) and e.diff:
        return S
    if isinstance(e, Add):  # a scalar term of an array sum is broadcast: <S, t 1> = sum(S) t
        return mk_add([adjoint(t, S if t.shape == e.shape else mk_func("sum", S), rules)
                       for t in e.terms if has_diff(t)])
    if isinstance(e, Scale):
        return adjoint(e.e, mk_scale(e.c, S), rules)
    if isinstance(e, MatMul):
        k = _with_diff(e.factors)
        L, E, R = e.factors[:k], e.factors[k], e.factors[k + 1:]
        seed = [S]
        if L:
            seed = [transpose(mk_matmul(L))] + seed
        if R:
            seed = seed + [transpose(mk_matmul(R))]
        if L or R:
            note(TRACE if kind(E.shape) == "matrix" or kind(S.shape) == "matrix" else SCALAR_T)
        return adjoint(E, mk_matmul(seed), rules)
    if isinstance(e, T):
        note(SCALAR_T if kind(S.shape) != "matrix" else TRACE_T)
        return adjoint(e.a, transpose(S), rules)
    if isinstance(e, (Mul, Div)):
        a, b = _constant_and_linear(e)
        op = mk_mul if isinstance(e, Mul) else mk_div
        if a.shape == SCALAR or a.shape == b.shape:
            if a.shape != SCALAR:
                note(HADAMARD_V if kind(S.shape) in ("vector", "row") else HADAMARD)
            return adjoint(b, op(S, a), rules)
        # b is a scalar holding dX, a an array: <S, a b> = b <S, a>; <S, ds 1> = sum(S) ds
        other = a if isinstance(e, Mul) else mk_div(Ones(a.shape), a)
        if isinstance(other, Ones):
            note(BROADCAST)
        return adjoint(b, inner_value(S, other), rules)
    if isinstance(e, Func) and e.name == "tr":
        return adjoint(e.a, mk_mul(S, Identity(e.a.shape[0])), rules)
    if isinstance(e, Func) and e.name == "sum":
        note(SUM)
        return adjoint(e.a, mk_mul(S, Ones(e.a.shape)), rules)
    raise Unsupported(f"cannot rearrange a {type(e).__name__} node holding dX")


def gradient_terms(df: Expr, dX: Var) -> list:
    """``[(term, G_term, rules)]`` for each term of the simplified ``df``."""
    terms = df.terms if isinstance(df, Add) else (df,)
    out = []
    for t in terms:
        if not has_diff(t):
            raise Unsupported("a term of df does not hold dX")
        rules: list = []
        G = simplify(adjoint(t, Const(1.0), rules))
        out.append((t, G, rules))
    return out


def canonical(G: Expr, dX: Var) -> Expr:
    """``⟨G, dX⟩`` written as the book writes it: ``gᵀdx``, ``tr(Gᵀ dX)`` or ``g dx``."""
    return inner_value(G, dX) if kind(dX.shape) != "scalar" else mk_mul(G, dX)


def jacobian_of(e: Expr, dX: Var, rules: list) -> Expr:
    """``J`` with ``e = J dx`` for ``e`` linear in ``dx`` (``e`` a column, a row or a scalar)."""
    def note(r: str) -> None:
        if r not in rules:
            rules.append(r)

    n_scalar = dX.shape == SCALAR
    if e.shape == SCALAR:  # a scalar: J is the row gᵀ (or the number g)
        G = simplify(adjoint(e, _one(), rules))
        return G if n_scalar else transpose(G)
    if kind(e.shape) == "row":
        return jacobian_of(simplify(transpose(e, force=True)), dX, rules)
    if isinstance(e, Var) and e.diff:
        return _one() if n_scalar else Identity(dX.shape[0])
    if isinstance(e, Add):  # a scalar term t of a vector sum is t 1: its Jacobian is 1 J_t
        return mk_add([jacobian_of(t, dX, rules) if t.shape == e.shape else
                       mk_matmul([Ones((e.shape[0], 1)), jacobian_of(t, dX, rules)])
                       for t in e.terms if has_diff(t)])
    if isinstance(e, Scale):
        return mk_scale(e.c, jacobian_of(e.e, dX, rules))
    if isinstance(e, T):
        return jacobian_of(simplify(transpose(e.a, force=True)), dX, rules)
    if isinstance(e, MatMul):
        k = _with_diff(e.factors)
        L, E, R = list(e.factors[:k]), e.factors[k], list(e.factors[k + 1:])
        if not R:
            return mk_matmul(L + [jacobian_of(E, dX, rules)])
        Rp = mk_matmul(R)
        if E.shape[0] == 1 or Rp.shape == SCALAR:  # L (E R) with E R a scalar, or E r scalar
            if Rp.shape == SCALAR:
                return mk_mul(Rp, mk_matmul(L + [jacobian_of(E, dX, rules)]))
            return mk_matmul(L + [jacobian_of(mk_matmul([E, Rp]), dX, rules)])
        if isinstance(E, Diag) and kind(Rp.shape) == "vector":
            note(r"\operatorname{diag}(a)\, b = \operatorname{diag}(b)\, a")
            return mk_matmul(L + [Diag(Rp), jacobian_of(E.a, dX, rules)])
        raise Unsupported("cannot read a Jacobian off a product with dx inside a matrix")
    if isinstance(e, (Mul, Div)):
        a, b = _constant_and_linear(e)
        Jb = jacobian_of(b, dX, rules)
        if a.shape == SCALAR:
            return mk_mul(a, Jb) if isinstance(e, Mul) else mk_div(Jb, a)
        factor = a if isinstance(e, Mul) else mk_div(Ones(a.shape), a)
        if b.shape == SCALAR:  # a vector times a scalar holding dx: a (gᵀ dx)
            return mk_matmul([factor, Jb])
        note(r"\mathbf{a} \odot \mathbf{b} = \operatorname{diag}(\mathbf{a})\, \mathbf{b}")
        return mk_matmul([Diag(factor), Jb])
    raise Unsupported(f"cannot read a Jacobian off a {type(e).__name__} node with dx")


def _one() -> Expr:
    return Const(1.0)


def jacobian_terms(df: Expr, dX: Var) -> list:
    """``[(term, J_term, rules)]`` for each term of the simplified vector ``df``."""
    terms = df.terms if isinstance(df, Add) else (df,)
    out = []
    for t in terms:
        rules: list = []
        out.append((t, simplify(jacobian_of(t, dX, rules)), rules))
    return out


def jacobian_form(J: Expr, dX: Var) -> Expr:
    """``J dx`` (``J`` times ``dx`` for a scalar ``x``)."""
    return mk_mul(dX, J) if dX.shape == SCALAR else mk_matmul([J, dX])


__all__ = ["Unsupported", "adjoint", "gradient_terms", "canonical", "jacobian_of",
           "jacobian_terms", "jacobian_form", "inner_value"]
