"""Expression trees with shapes: the nodes the engine parses, differentiates, simplifies and prints.

Every node is an immutable (frozen) dataclass, so equal trees compare and hash equal: that is how
like terms are found. Shapes are kept two-dimensional inside the engine: ``(rows, cols)`` where a
dimension is a size name (``"n"``) or an int. A scalar is ``(1, 1)``, a vector ``x`` of user shape
``(n,)`` is the column ``(n, 1)`` and ``x.T`` the row ``(1, n)``; user shapes are converted at the
boundary (:func:`internal_shape`, :func:`user_shape`).

Nodes: :class:`Var` (a named input, or the differential ``dX`` of one when ``diff``), :class:`Const`
(a number), :class:`Ones`, :class:`Count` (the number of entries of a shape, ``sum(1)``),
:class:`Identity`, :class:`Zero`, :class:`Add` (n terms),
:class:`Scale` (a number times an expression), :class:`MatMul` (a chain of matrix products),
:class:`Mul` and :class:`Div` (elementwise, a scalar operand broadcasts), :class:`Pow` (numeric
exponent, elementwise), :class:`T` (transpose), :class:`Func` (a named function) and
:class:`Diag` (a vector placed on a diagonal; only results use it).

Broadcasting: a scalar ``s`` in an elementwise operation with an array stands for ``s 1``, the
scalar times the all-ones array. Products (``s ⊙ A``, ``A ⊘ s``, ``s ⊘ A``) keep the array's
shape in every term of their differential, but a sum does not (``d(s + x) = ds`` when ``x`` is
constant), so the differential writes the broadcast explicitly there: ``Mul(ds, Ones(shape))``,
``ds 1``, whose adjoint is a sum: ``⟨G, ds 1⟩ = (1ᵀG) ds`` ("broadcast forward, sum backward").
"""
from __future__ import annotations

from dataclasses import dataclass

Dim = int | str
Shape = tuple

SCALAR: Shape = (1, 1)

#: Elementwise functions (same shape out as in).
ELEMENTWISE = ("exp", "log", "sqrt", "tanh", "sigmoid", "softplus", "sin", "cos", "tan",
               "arctan", "abs", "sign", "relu", "step")
#: Functions of a whole array that return a scalar.
REDUCTIONS = ("tr", "det", "logdet", "sum", "norm")
#: Functions of a square matrix that return a square matrix.
MATRIX_FUNCS = ("inv",)
FUNCTIONS = ELEMENTWISE + REDUCTIONS + MATRIX_FUNCS


class Expr:
    """Base class of the nodes: a shape and children."""

    __slots__ = ()

    @property
    def shape(self) -> Shape:  # pragma: no cover - every node defines it
        raise NotImplementedError

    def children(self) -> tuple:
        return ()

    def rebuild(self, kids: tuple) -> Expr:
        return self

    @property
    def is_scalar(self) -> bool:
        return self.shape == SCALAR


@dataclass(frozen=True)
class Var(Expr):
    """A named input (``diff=False``) or its differential ``d name`` (``diff=True``)."""

    name: str
    dims: Shape
    diff: bool = False

    @property
    def shape(self) -> Shape:
        return self.dims


@dataclass(frozen=True)
class Const(Expr):
    """A scalar number; broadcasts in elementwise operations."""

    value: float

    @property
    def shape(self) -> Shape:
        return SCALAR


@dataclass(frozen=True)
class Ones(Expr):
    """The all-ones array of a (non-scalar) shape: ``sum(A) = <1, A>``."""

    dims: Shape

    @property
    def shape(self) -> Shape:
        return self.dims


@dataclass(frozen=True)
class Count(Expr):
    """The number of entries of an array of shape ``dims`` (a scalar): ``sum(1) = m n``."""

    dims: Shape

    @property
    def shape(self) -> Shape:
        return SCALAR


@dataclass(frozen=True)
class Identity(Expr):
    """The identity matrix of size ``n``."""

    n: Dim

    @property
    def shape(self) -> Shape:
        return (self.n, self.n)


@dataclass(frozen=True)
class Zero(Expr):
    """The zero array of a shape."""

    dims: Shape

    @property
    def shape(self) -> Shape:
        return self.dims


@dataclass(frozen=True)
class Add(Expr):
    """A sum of terms of one shape (a scalar term broadcasts)."""

    terms: tuple

    @property
    def shape(self) -> Shape:
        return broadcast(*(t.shape for t in self.terms))

    def children(self) -> tuple:
        return self.terms

    def rebuild(self, kids: tuple) -> Expr:
        return Add(tuple(kids))


@dataclass(frozen=True)
class Scale(Expr):
    """A number times an expression (``-e`` is ``Scale(-1, e)``)."""

    c: float
    e: Expr

    @property
    def shape(self) -> Shape:
        return self.e.shape

    def children(self) -> tuple:
        return (self.e,)

    def rebuild(self, kids: tuple) -> Expr:
        return Scale(self.c, kids[0])


@dataclass(frozen=True)
class MatMul(Expr):
    """A chain of matrix products ``F1 F2 ... Fk`` (k >= 2)."""

    factors: tuple

    @property
    def shape(self) -> Shape:
        return (self.factors[0].shape[0], self.factors[-1].shape[1])

    def children(self) -> tuple:
        return self.factors

    def rebuild(self, kids: tuple) -> Expr:
        return MatMul(tuple(kids))


@dataclass(frozen=True)
class Mul(Expr):
    """Elementwise product ``a ⊙ b``; a scalar operand makes it the scalar multiple."""

    a: Expr
    b: Expr

    @property
    def shape(self) -> Shape:
        return broadcast(self.a.shape, self.b.shape)

    def children(self) -> tuple:
        return (self.a, self.b)

    def rebuild(self, kids: tuple) -> Expr:
        return Mul(kids[0], kids[1])


@dataclass(frozen=True)
class Div(Expr):
    """Elementwise quotient ``a ⊘ b``; a scalar operand broadcasts."""

    a: Expr
    b: Expr

    @property
    def shape(self) -> Shape:
        return broadcast(self.a.shape, self.b.shape)

    def children(self) -> tuple:
        return (self.a, self.b)

    def rebuild(self, kids: tuple) -> Expr:
        return Div(kids[0], kids[1])


@dataclass(frozen=True)
class Pow(Expr):
    """Elementwise power with a numeric exponent."""

    a: Expr
    p: float

    @property
    def shape(self) -> Shape:
        return self.a.shape

    def children(self) -> tuple:
        return (self.a,)

    def rebuild(self, kids: tuple) -> Expr:
        return Pow(kids[0], self.p)


@dataclass(frozen=True)
class T(Expr):
    """Transpose."""

    a: Expr

    @property
    def shape(self) -> Shape:
        r, c = self.a.shape
        return (c, r)

    def children(self) -> tuple:
        return (self.a,)

    def rebuild(self, kids: tuple) -> Expr:
        return T(kids[0])


@dataclass(frozen=True)
class Func(Expr):
    """A named function of one argument (see ``FUNCTIONS``)."""

    name: str
    a: Expr

    @property
    def shape(self) -> Shape:
        if self.name in REDUCTIONS:
            return SCALAR
        return self.a.shape

    def children(self) -> tuple:
        return (self.a,)

    def rebuild(self, kids: tuple) -> Expr:
        return Func(self.name, kids[0])


@dataclass(frozen=True)
class Diag(Expr):
    """``diag(a)``: the column vector ``a`` on the diagonal of a square matrix."""

    a: Expr

    @property
    def shape(self) -> Shape:
        n = self.a.shape[0]
        return (n, n)

    def children(self) -> tuple:
        return (self.a,)

    def rebuild(self, kids: tuple) -> Expr:
        return Diag(kids[0])


# --------------------------------------------------------------------------------------------
# shapes
# --------------------------------------------------------------------------------------------

def broadcast(*shapes: Shape) -> Shape:
    """The shape of an elementwise operation: all equal, scalars broadcast (else ValueError)."""
    big = [s for s in shapes if s != SCALAR]
    if not big:
        return SCALAR
    for s in big[1:]:
        if s != big[0]:
            raise ValueError(f"shapes {describe(big[0])} and {describe(s)} do not match")
    return big[0]


def internal_shape(shape: tuple) -> Shape:
    """User shape ``()``, ``(n,)``, ``(m, n)`` -> engine ``(1, 1)``, ``(n, 1)``, ``(m, n)``."""
    if len(shape) == 0:
        return SCALAR
    if len(shape) == 1:
        return (shape[0], 1)
    return tuple(shape)


def user_shape(shape: Shape) -> tuple:
    """The engine's shape back to the user's: scalars ``()``, columns and rows ``(n,)``."""
    r, c = shape
    if shape == SCALAR:
        return ()
    if c == 1:
        return (r,)
    if r == 1:
        return (c,)
    return (r, c)


def kind(shape: Shape) -> str:
    """``"scalar"``, ``"vector"`` (a column), ``"row"`` or ``"matrix"``."""
    r, c = shape
    if shape == SCALAR:
        return "scalar"
    if c == 1:
        return "vector"
    if r == 1:
        return "row"
    return "matrix"


def describe(shape: Shape) -> str:
    """A shape for messages, in the user's terms: ``() (scalar)``, ``(n,) (vector)``, ..."""
    k = kind(shape)
    r, c = shape
    if k == "scalar":
        return "() (a scalar)"
    if k == "vector":
        return f"({r},) (a column vector)"
    if k == "row":
        return f"(1, {c}) (a row vector, e.g. x.T)"
    return f"({r}, {c})"


def contains(e: Expr, pred) -> bool:
    """True when some node of ``e`` satisfies ``pred``."""
    if pred(e):
        return True
    return any(contains(k, pred) for k in e.children())


def has_diff(e: Expr) -> bool:
    """True when ``e`` contains a differential ``dX``."""
    return contains(e, lambda n: isinstance(n, Var) and n.diff)


def has_var(e: Expr, name: str) -> bool:
    """True when ``e`` depends on the input ``name``."""
    return contains(e, lambda n: isinstance(n, Var) and not n.diff and n.name == name)


def variables(e: Expr) -> list:
    """Names of the inputs of ``e``, in order of first appearance."""
    out: list = []

    def walk(n: Expr) -> None:
        if isinstance(n, Var) and not n.diff and n.name not in out:
            out.append(n.name)
        for k in n.children():
            walk(k)

    walk(e)
    return out


def count_nodes(e: Expr, cls: type) -> int:
    """How many nodes of class ``cls`` are in ``e``."""
    return int(isinstance(e, cls)) + sum(count_nodes(k, cls) for k in e.children())
