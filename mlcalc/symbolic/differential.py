"""The differential ``d(e)`` of an expression with respect to one input, by the rules of the
differential method. The result is an expression linear in ``dX`` (a :class:`Var` with
``diff=True``).

Rules (``dA`` is zero for an input other than ``X``):

* sum and numbers: ``d(A + B) = dA + dB``, ``d(cA) = c dA``; a scalar ``s`` added to an
  array broadcasts, ``s + X = s 1 + X``, so ``d(s + X) = ds 1 + dX``;
* product rule: ``d(A B C) = dA B C + A dB C + A B dC``; the same for ``⊙`` and ``⊘``:
  ``d(A ⊘ B) = dA ⊘ B - (A ⊘ B²) ⊙ dB``;
* transpose: ``d(Aᵀ) = (dA)ᵀ``;
* inverse: ``d(X⁻¹) = -X⁻¹ dX X⁻¹``;
* trace and sum are linear: ``d tr(A) = tr(dA)``, ``d sum(A) = sum(dA)``;
* determinant: ``d det(X) = det(X) tr(X⁻¹ dX)``, ``d log|det X| = tr(X⁻¹ dX)``;
* norm: ``d‖A‖ = ⟨A, dA⟩ / ‖A‖`` and ``d‖A‖ᵖ = p ‖A‖ᵖ⁻² ⟨A, dA⟩`` (so ``d‖A‖² = 2⟨A, dA⟩``),
  where ``⟨A, B⟩`` is ``aᵀb`` for vectors and ``tr(AᵀB)`` for matrices;
* elementwise functions (chain rule): ``d f(A) = f'(A) ⊙ dA``, and ``d(Aᵖ) = p Aᵖ⁻¹ ⊙ dA``.
"""
from __future__ import annotations

from .expr import (
    Add,
    Const,
    Count,
    Diag,
    Div,
    Expr,
    Func,
    Identity,
    MatMul,
    Mul,
    Ones,
    Pow,
    Scale,
    T,
    Var,
    Zero,
    kind,
)

#: What each elementwise function's derivative is, for the steps.
DERIVATIVE_RULES = {
    "exp": r"\exp' = \exp", "log": r"\log'(z) = 1/z", "sqrt": r"\sqrt{z}' = 1/(2\sqrt{z})",
    "tanh": r"\tanh' = 1 - \tanh^2", "sigmoid": r"\sigma' = \sigma (1 - \sigma)",
    "softplus": r"\operatorname{softplus}' = \sigma", "sin": r"\sin' = \cos",
    "cos": r"\cos' = -\sin", "tan": r"\tan' = 1/\cos^2", "arctan": r"\arctan'(z) = 1/(1+z^2)",
    "abs": r"|z|' = \operatorname{sign}(z)", "sign": r"\operatorname{sign}' = 0",
    "relu": r"\operatorname{relu}'(z) = [z > 0]", "step": "[z > 0]' = 0",
}


def inner(a: Expr, b: Expr) -> Expr:
    """``⟨a, b⟩``: ``ab`` for scalars, ``aᵀb`` for vectors, ``abᵀ`` for rows, else ``tr(aᵀb)``."""
    k = kind(a.shape)
    if k == "scalar":
        return Mul(a, b)
    if k == "vector":
        return MatMul((T(a), b))
    if k == "row":
        return MatMul((a, T(b)))
    return Func("tr", MatMul((T(a), b)))


#: Elementwise functions whose derivative is ``1 / q(z)``: ``d f(A) = dA ⊘ q(A)``.
_QUOTIENTS = {
    "log": lambda z: z,
    "sqrt": lambda z: Scale(2.0, Func("sqrt", z)),
    "tan": lambda z: Pow(Func("cos", z), 2.0),
    "arctan": lambda z: Add((Const(1.0), Pow(z, 2.0))),
}


def elementwise_derivative(name: str, z: Expr) -> Expr:
    """``f'(z)`` as an expression (elementwise)."""
    one = Const(1.0)
    if name == "exp":
        return Func("exp", z)
    if name == "log":
        return Div(one, z)
    if name == "sqrt":
        return Div(one, Scale(2.0, Func("sqrt", z)))
    if name == "tanh":
        return Add((one, Scale(-1.0, Pow(Func("tanh", z), 2.0))))
    if name == "sigmoid":
        return Mul(Func("sigmoid", z), Add((one, Scale(-1.0, Func("sigmoid", z)))))
    if name == "softplus":
        return Func("sigmoid", z)
    if name == "sin":
        return Func("cos", z)
    if name == "cos":
        return Scale(-1.0, Func("sin", z))
    if name == "tan":
        return Div(one, Pow(Func("cos", z), 2.0))
    if name == "arctan":
        return Div(one, Add((one, Pow(z, 2.0))))
    if name == "abs":
        return Func("sign", z)
    if name == "relu":
        return Func("step", z)
    if name in ("sign", "step"):
        return Const(0.0)
    raise NotImplementedError(f"no derivative rule for {name}")


class Differentiator:
    """``d(e)`` with respect to the input ``wrt``; records which rules it used."""

    def __init__(self, wrt: str, shape: tuple):
        self.wrt = wrt
        self.dX = Var(wrt, shape, diff=True)
        self.rules: list = []

    def _rule(self, name: str) -> None:
        if name not in self.rules:
            self.rules.append(name)

    def d(self, e: Expr):
        """The differential of ``e``, or None when it is zero."""
        if isinstance(e, Var):
            return self.dX if (e.name == self.wrt and not e.diff) else None
        if isinstance(e, (Const, Count, Ones, Identity, Zero)):
            return None
        if isinstance(e, Add):
            ds = [self._broadcast(self.d(t), e.shape) for t in e.terms]
            ds = [x for x in ds if x is not None]
            if len(ds) > 1:
                self._rule(r"\text{sum rule}")
            return None if not ds else (ds[0] if len(ds) == 1 else Add(tuple(ds)))
        if isinstance(e, Scale):
            de = self.d(e.e)
            return None if de is None else Scale(e.c, de)
        if isinstance(e, MatMul):
            return self._product(e)
        if isinstance(e, (Mul, Div)):
            return self._elementwise_product(e)
        if isinstance(e, T):
            de = self.d(e.a)
            if de is not None:
                self._rule(r"\text{transpose rule}")
            return None if de is None else T(de)
        if isinstance(e, Pow):
            return self._pow(e)
        if isinstance(e, Func):
            return self._func(e)
        if isinstance(e, Diag):
            de = self.d(e.a)
            return None if de is None else Diag(de)
        raise NotImplementedError(f"no differential rule for {type(e).__name__}")

    def _broadcast(self, dt, shape):
        """``dt`` of a term of a sum of shape ``shape``: a scalar ``ds`` broadcast there is
        ``ds 1`` (without it ``d(s + x) = ds`` would lose the shape)."""
        if dt is None or dt.shape == shape:
            return dt
        self._rule(r"\text{a scalar broadcasts: } d(s\mathbf{1}) = ds\,\mathbf{1}")
        if isinstance(dt, Scale):
            return Scale(dt.c, Mul(dt.e, Ones(shape)))
        return Mul(dt, Ones(shape))

    def _product(self, e: MatMul):
        terms = []
        for i, f in enumerate(e.factors):
            df = self.d(f)
            if df is not None:
                terms.append(MatMul(e.factors[:i] + (df,) + e.factors[i + 1:]))
        if len(terms) > 1:
            self._rule(r"\text{product rule}")
        if not terms:
            return None
        return terms[0] if len(terms) == 1 else Add(tuple(terms))

    def _elementwise_product(self, e):
        da, db = self.d(e.a), self.d(e.b)
        terms = []
        if isinstance(e, Mul):
            if da is not None:
                terms.append(Mul(da, e.b))
            if db is not None:
                terms.append(Mul(e.a, db))
        else:
            if da is not None:
                terms.append(Div(da, e.b))
            if db is not None:
                self._rule(r"\text{quotient rule}")
                terms.append(Scale(-1.0, Mul(Div(e.a, Pow(e.b, 2.0)), db)))
        if len(terms) > 1:
            self._rule(r"\text{product rule}")
        if not terms:
            return None
        return terms[0] if len(terms) == 1 else Add(tuple(terms))

    def _pow(self, e: Pow):
        if isinstance(e.a, Func) and e.a.name == "norm":
            da = self.d(e.a.a)
            if da is None:
                return None
            self._rule(r"d\lVert A\rVert^{p} = p \lVert A\rVert^{p-2} \langle A, dA\rangle")
            body = inner(e.a.a, da)
            if e.p != 2:
                body = Mul(Pow(e.a, e.p - 2.0), body)
            return Scale(e.p, body)
        da = self.d(e.a)
        if da is None:
            return None
        self._rule(r"\text{power rule}")
        base = e.a if e.p == 2 else Pow(e.a, e.p - 1.0)
        return Scale(e.p, Mul(base, da))

    def _func(self, e: Func):
        da = self.d(e.a)
        if da is None:
            return None
        name, a = e.name, e.a
        if name == "tr":
            self._rule(r"d\operatorname{tr}(A) = \operatorname{tr}(dA)")
            return Func("tr", da)
        if name == "sum":
            return Func("sum", da)
        if name == "inv":
            self._rule(r"dX^{-1} = -X^{-1}\, dX\, X^{-1}")
            return Scale(-1.0, MatMul((e, da, e)))
        if name == "det":
            self._rule(r"d\det X = \det X \operatorname{tr}(X^{-1} dX)")
            return Mul(e, Func("tr", MatMul((Func("inv", a), da))))
        if name == "logdet":
            self._rule(r"d\log\det X = \operatorname{tr}(X^{-1} dX)")
            return Func("tr", MatMul((Func("inv", a), da)))
        if name == "norm":
            self._rule(r"d\lVert A\rVert = \langle A, dA\rangle / \lVert A\rVert")
            return Div(inner(a, da), e)
        self._rule(r"\text{chain rule: } " + DERIVATIVE_RULES[name])
        if name in _QUOTIENTS:  # f'(a) = 1 / q(a): write da ⊘ q(a)
            return Div(da, _QUOTIENTS[name](a))
        deriv = elementwise_derivative(name, a)
        if isinstance(deriv, Const) and deriv.value == 0:
            return None
        return Mul(deriv, da)


def differential(e: Expr, wrt: str, shape: tuple) -> tuple:
    """``(de, dX, rules)``: the differential (``None`` when zero), the symbol ``dX`` and the rule
    names used, in order."""
    D = Differentiator(wrt, shape)
    de = D.d(e)
    return de, D.dX, D.rules
