"""``derive``: parse, differentiate, rearrange, simplify, print, and verify before returning."""
from __future__ import annotations

import numpy as np

from .differential import differential
from .evaluate import bind, evaluate
from .expr import SCALAR, Expr, Func, MatMul, Mul, T, Var, Zero, kind, user_shape, variables
from .gradient import (
    Unsupported,
    canonical,
    gradient_terms,
    jacobian_form,
    jacobian_terms,
)
from .parse import check_shapes, parse
from .printing import latex, name_latex, space_latex, text
from .simplify import mk_add, simplify, tidy, transpose
from .verify import VerificationError, check_equal, run_check


class Derivation:
    """A verified derivative and how it was derived.

    Attributes:
        source: the expression as typed.
        wrt: the variable differentiated against.
        shapes: the shapes given (user form).
        order: 1 or 2.
        kind: ``"gradient"`` (scalar f), ``"jacobian"`` (vector f) or ``"hessian"`` (order 2).
        function: the parsed expression tree of f.
        expression: the derivative's expression tree.
        latex: the derivative in LaTeX (no ``$``).
        text: the derivative in plain Unicode text.
        symbol: LaTeX of what was computed (``\\nabla_{\\mathbf{x}} f``, ...).
        steps: list of LaTeX strings (no ``$``): the derivation by differentials.
        shape: the derivative's shape in size names (user form): ``wrt``'s shape for a
            gradient, ``f.shape + x.shape`` for a Jacobian, ``x.shape * 2`` for a Hessian.
        check: the passing :class:`mlcalc.CheckReport` of the verification.
        checked_sizes: the sizes (name -> int) at which it was checked.
    """

    def __init__(self, **kw):
        self.__dict__.update(kw)

    def evaluate(self, **arrays) -> np.ndarray:
        """The derivative at numpy arrays, one per input of the expression (by name).

        Returns an array of shape ``shape`` with the sizes bound. Raises ``ValueError`` for a
        missing input, a wrong shape or inconsistent sizes, ``TypeError`` for a name not in
        ``shapes``.
        """
        needed = [n for n in self._inputs]
        values, sizes = bind(arrays, self.shapes, needed)
        out = evaluate(self.expression, values, sizes)
        shape = tuple(d if isinstance(d, int) else sizes[d] for d in self.shape)
        return out.reshape(shape)

    def __repr__(self) -> str:
        return (f"{self.kind} of {self.source} with respect to {self.wrt}: {self.text}  "
                f"(shape {self.shape}; verified numerically)")

    def _repr_latex_(self) -> str:
        return f"$${self.symbol} = {self.latex}$$"

    def _repr_markdown_(self) -> str:
        lines = [f"**{self.kind.capitalize()}** of `{self.source}` with respect to "
                 f"`{self.wrt}`:", "", f"$${self.symbol} = {self.latex}$$", "",
                 f"Shape {self.shape}. Derivation:", ""]
        lines += [f"$${s}$$" for s in self.steps]
        lines += ["", f"Checked numerically ({self.check!r})."]
        return "\n".join(lines)


def _rules(rules: list) -> str:
    return r" \qquad " + ", ".join(rules) if rules else ""


def _symbol(kind_: str, wrt: str, shape: tuple) -> str:
    x = name_latex(wrt, shape)
    if kind_ == "jacobian":
        return rf"\frac{{\partial \mathbf{{f}}}}{{\partial {x}}}"
    if kind_ == "hessian":
        if shape == SCALAR:
            return rf"\frac{{d^{{2}} f}}{{d {x}^{{2}}}}"
        return rf"\nabla^{{2}}_{{{x}}} f"
    return rf"\nabla_{{{x}}} f" if shape != SCALAR else rf"\frac{{\partial f}}{{\partial {x}}}"


def _final_form(G: Expr, dX: Var) -> Expr:
    """``⟨G, dX⟩`` with G intact (not simplified), for the read-off step."""
    k = kind(dX.shape)
    if k == "scalar":
        return Mul(G, dX)
    if k == "matrix":
        return Func("tr", MatMul((T(G), dX)))
    return MatMul((T(G), dX))


def _first_order(f: Expr, wrt: str, xshape: tuple, fname: str, steps: list) -> Expr:
    """Append the steps of df and its rearrangement; return the derivative's tree."""
    df, dX, rules = differential(f, wrt, xshape)
    d = "d" + fname
    if df is None:
        steps.append((f"{d} = 0", [], None))
        return Zero(xshape if f.shape == SCALAR else (f.shape[0], xshape[0]))
    raw = tidy(df)
    steps.append((f"{d} = {latex(raw)}{_rules(rules)}", [raw], dX))
    dfs = simplify(df)
    if latex(dfs) != latex(raw):
        steps.append((f"{d} = {latex(dfs)}" + r" \qquad \text{simplify}", [raw, dfs], dX))
    vector_f = f.shape != SCALAR
    terms = jacobian_terms(dfs, dX) if vector_f else gradient_terms(dfs, dX)
    form = jacobian_form if vector_f else canonical
    forms = []
    for t, G, r in terms:
        ft = simplify(form(G, dX))
        forms.append(ft)
        if latex(ft) != latex(t):
            steps.append((f"{latex(t)} = {latex(ft)}{_rules(r)}", [t, ft], dX))
    result = simplify(mk_add([G for _, G, _ in terms]))
    final = MatMul((result, dX)) if vector_f and dX.shape != SCALAR else (
        Mul(result, dX) if vector_f else _final_form(result, dX))
    if vector_f and dX.shape == SCALAR:
        final = Mul(dX, result)
    summed = mk_add(forms)
    last = steps[-1][0].split(r" \qquad")[0].split(" = ")[-1]
    if len(terms) > 1:
        steps.append((f"{d} = {latex(summed)} = {latex(final)}", [dfs, summed, final], dX))
    elif latex(final) != last:
        steps.append((f"{d} = {latex(final)}", [dfs, final], dX))
    return result


def derive(expr: str, wrt: str, shapes: dict, order: int = 1) -> Derivation:
    """Derive a gradient, Jacobian or Hessian by the differential method, and verify it.

    Args:
        expr: the expression in Python syntax (``"x.T @ A @ x"``; see :mod:`mlcalc.symbolic`).
        wrt: the name of the variable to differentiate against (a key of ``shapes``).
        shapes: ``{name: shape}`` for every variable; a shape is ``()`` (scalar), ``(n,)``
            (column vector) or ``(m, n)`` (matrix), each size a name (str) or an int.
        order: 1 (gradient or Jacobian) or 2 (Hessian of a scalar expression of a vector or
            scalar).

    Returns:
        Derivation, checked numerically at a random point before it is returned.

    Raises:
        ValueError: bad input (unknown name or function, indexing, attributes other than ``.T``,
            shape mismatch, ``wrt`` not in ``shapes``, bad ``order``).
        NotImplementedError: a valid request the engine does not support (a matrix-valued
            expression, a vector expression of a matrix, a Hessian of a non-scalar expression
            or with respect to a matrix, a non-numeric exponent).
        RuntimeError: the result failed its numerical check (``"mlcalc.symbolic bug: ..."``) or
            no random point could decide it; nothing unverified is returned.
    """
    internal = check_shapes(shapes)
    if not isinstance(wrt, str) or wrt not in internal:
        raise ValueError(f"wrt={wrt!r} is not in shapes (known: {', '.join(sorted(internal))})")
    if order not in (1, 2):
        raise ValueError(f"order must be 1 or 2, got {order!r}")
    f = parse(expr, shapes)
    xshape = internal[wrt]
    fkind, xkind = kind(f.shape), kind(xshape)
    if fkind == "matrix":
        raise NotImplementedError(
            f"{expr!r} is a matrix (shape {user_shape(f.shape)}): its derivative is a 4-index "
            "tensor, which this engine does not derive; differentiate a scalar such as "
            "tr(...), sum(...) or norm(...)**2 of it")
    if fkind in ("vector", "row") and xkind in ("matrix", "row"):
        raise NotImplementedError(
            f"{expr!r} is a vector and {wrt} a matrix: the derivative is a 3-index tensor, "
            "which this engine does not derive; differentiate a scalar of it instead")
    if order == 2 and (fkind != "scalar" or xkind in ("matrix", "row")):
        raise NotImplementedError("order=2 (the Hessian) needs a scalar expression of a vector "
                                  f"or scalar; got {expr!r} of shape {user_shape(f.shape)} with "
                                  f"{wrt} of shape {tuple(shapes[wrt])}")
    notes = []
    if fkind == "row":  # a row of outputs: the same entries as the column fᵀ
        f = simplify(transpose(f, force=True))
        notes.append((r"\text{the expression is a row; differentiate the column } "
                      rf"\mathbf{{f}} = {latex(f)}", [], None))
    kind_ = "hessian" if order == 2 else ("gradient" if fkind == "scalar" else "jacobian")
    space = r",\ ".join(space_latex(n, internal[n]) for n in _ordered_inputs(f, internal))
    steps: list = [(f"f = {latex(tidy(f))}" + (rf", \qquad {space}" if space else ""), [], None)]
    steps += notes
    try:
        result = _first_order(f, wrt, xshape, "f", steps)
        grad = None
        if order == 2:
            grad = result
            g_tex = name_latex("g", xshape)
            steps.append((rf"\text{{Hessian: differentiate }} {g_tex} = {latex(grad)}", [], None))
            result = _first_order(grad, wrt, xshape, g_tex, steps)
    except Unsupported as err:
        raise NotImplementedError(f"mlcalc.symbolic cannot rearrange the differential of "
                                  f"{expr!r} with respect to {wrt!r}: {err}") from None
    ushape_f = user_shape(f.shape)
    ushape_x = tuple(shapes[wrt])
    shape = ushape_x if kind_ == "gradient" else (
        ushape_f + ushape_x if kind_ == "jacobian" else ushape_x + ushape_x)
    symbol = _symbol(kind_, wrt, xshape)
    steps.append((f"{symbol} = {latex(result)}", [], None))
    points: list = []
    if order == 2:
        run_check("gradient", f, grad, wrt, internal, shapes, expr)
    report, sizes, values = run_check(kind_, f, result, wrt, internal, shapes, expr, grad=grad,
                                      points=points)
    _check_steps(steps, values, sizes, expr)
    return Derivation(source=expr, wrt=wrt, shapes=dict(shapes), order=order, kind=kind_,
                      function=f, expression=result, latex=latex(result), text=text(result),
                      symbol=symbol, steps=[s for s, _, _ in steps], shape=shape,
                      check=report, checked_sizes=sizes, _inputs=_ordered_inputs(f, internal))


def _ordered_inputs(f: Expr, internal: dict) -> list:
    return [n for n in variables(f) if n in internal]


def _check_steps(steps: list, values: dict, sizes: dict, source: str) -> None:
    rng = np.random.default_rng(0)
    for tex, sides, dX in steps:
        if len(sides) > 1 and not check_equal(sides, values, sizes, dX, rng):
            raise VerificationError(f"mlcalc.symbolic bug: a step of the derivation of "
                                    f"{source!r} is not an identity: {tex}")
