"""Parse an expression in Python syntax (with :mod:`ast`) into an expression tree with shapes.

Grammar: ``@`` matrix product, ``*`` elementwise or scalar product, ``+ - /`` elementwise (a
scalar broadcasts), ``**`` with a numeric exponent (elementwise), ``.T``, numbers, unary minus,
and the functions in :data:`FUNCTION_NAMES`. A vector ``x`` of shape ``(n,)`` is a column.

``@`` follows numpy for a vector on the left: when a column vector does not fit as the left
factor, it is read as a row, so ``x @ y`` of two vectors is the inner product ``xᵀy`` and
``x @ A @ x`` is ``xᵀAx``. ``A @ x.T`` is rejected (``x.T`` is a row).

Bad input raises ``ValueError`` (unknown name or function, indexing, an attribute other than
``.T``, a shape mismatch naming both shapes and the operator, Python syntax errors) or
``NotImplementedError`` (valid Python the engine does not support: a non-numeric exponent,
comparisons, ...).
"""
from __future__ import annotations

import ast
import re

from .expr import (
    ELEMENTWISE,
    SCALAR,
    Add,
    Const,
    Div,
    Expr,
    Func,
    MatMul,
    Mul,
    Pow,
    Scale,
    T,
    Var,
    broadcast,
    describe,
    internal_shape,
)

#: Function names of the grammar, with their meaning (aliases map to the same node).
FUNCTION_NAMES = {
    "tr": "tr", "trace": "tr", "det": "det", "logdet": "logdet", "inv": "inv",
    "sum": "sum", "norm": "norm", "norm2": "norm", "norm1": "norm1",
    **{f: f for f in ELEMENTWISE if f != "step"},
}

_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def check_shapes(shapes: dict) -> dict:
    """Validate ``shapes`` (name -> tuple of size names or ints) and convert to internal shapes."""
    if not isinstance(shapes, dict):
        raise TypeError(f"shapes must be a dict name -> shape tuple, got {type(shapes).__name__}")
    out = {}
    for name, shape in shapes.items():
        if not isinstance(name, str) or not _NAME.match(name):
            raise ValueError(f"shapes: {name!r} is not a valid variable name")
        if name in FUNCTION_NAMES:
            raise ValueError(f"shapes: {name!r} is the name of a function; rename the variable")
        if not isinstance(shape, (tuple, list)) or len(shape) > 2:
            raise ValueError(f"shapes[{name!r}] must be () (scalar), (n,) (vector) or (m, n) "
                             f"(matrix), got {shape!r}")
        for dim in shape:
            ok_int = isinstance(dim, int) and not isinstance(dim, bool) and dim >= 1
            ok_str = isinstance(dim, str) and bool(_NAME.match(dim))
            if not (ok_int or ok_str):
                raise ValueError(f"shapes[{name!r}]: each size must be a name like 'n' or a "
                                 f"positive int, got {dim!r}")
        out[name] = internal_shape(tuple(shape))
    return out


def parse(text: str, shapes: dict) -> Expr:
    """Parse ``text`` with the variables of ``shapes`` (user shapes) into an expression tree."""
    if not isinstance(text, str):
        raise TypeError(f"the expression must be a string, got {type(text).__name__}")
    internal = check_shapes(shapes)
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as err:
        raise ValueError(f"cannot parse {text!r}: Python syntax error ({err.msg})") from None
    return _Builder(internal, text).build(tree.body)


def _number(node: ast.AST):
    """The value of a purely numeric subtree (``2``, ``-1``, ``1/2``), else None."""
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) \
            and not isinstance(node.value, bool):
        return float(node.value)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        v = _number(node.operand)
        return None if v is None else (-v if isinstance(node.op, ast.USub) else v)
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Sub, ast.Mult, ast.Div)):
        a, b = _number(node.left), _number(node.right)
        if a is None or b is None:
            return None
        if isinstance(node.op, ast.Add):
            return a + b
        if isinstance(node.op, ast.Sub):
            return a - b
        if isinstance(node.op, ast.Mult):
            return a * b
        return a / b if b != 0 else None
    return None


class _Builder:
    def __init__(self, shapes: dict, text: str):
        self.shapes = shapes
        self.text = text

    def src(self, node: ast.AST) -> str:
        return ast.get_source_segment(self.text.strip(), node) or ast.unparse(node)

    def build(self, node: ast.AST) -> Expr:
        if isinstance(node, ast.Constant):
            if isinstance(node.value, bool) or not isinstance(node.value, (int, float)):
                raise ValueError(f"constant {node.value!r} is not a real number")
            return Const(float(node.value))
        if isinstance(node, ast.Name):
            if node.id not in self.shapes:
                if node.id in FUNCTION_NAMES:
                    raise ValueError(f"{node.id!r} is a function: call it, e.g. {node.id}(X)")
                raise ValueError(f"name {node.id!r} is not in shapes (known: "
                                 f"{', '.join(sorted(self.shapes)) or 'none'}); add its shape, "
                                 f"e.g. shapes={{{node.id!r}: ('n',)}}")
            return Var(node.id, self.shapes[node.id])
        if isinstance(node, ast.UnaryOp):
            if isinstance(node.op, ast.USub):
                return Scale(-1.0, self.build(node.operand))
            if isinstance(node.op, ast.UAdd):
                return self.build(node.operand)
            raise NotImplementedError(f"operator in {self.src(node)!r} is not supported "
                                      "(only unary minus)")
        if isinstance(node, ast.BinOp):
            return self.binop(node)
        if isinstance(node, ast.Attribute):
            if node.attr != "T":
                raise ValueError(f"attribute .{node.attr} in {self.src(node)!r} is not supported: "
                                 "the only attribute is .T (transpose)")
            return T(self.build(node.value))
        if isinstance(node, ast.Call):
            return self.call(node)
        if isinstance(node, ast.Subscript):
            raise ValueError(f"indexing {self.src(node)!r} is not supported: the engine works "
                             "with whole vectors and matrices (write sum(x), x.T @ y, ...)")
        raise NotImplementedError(f"{type(node).__name__} syntax in {self.src(node)!r} is not "
                                  "supported (use @ * + - / ** .T, numbers and functions)")

    def call(self, node: ast.Call) -> Expr:
        if not isinstance(node.func, ast.Name):
            raise ValueError(f"{self.src(node.func)!r} is not a function of the grammar; "
                             f"known functions: {', '.join(sorted(FUNCTION_NAMES))}")
        name = node.func.id
        if name not in FUNCTION_NAMES:
            raise ValueError(f"unknown function {name!r}; known functions: "
                             f"{', '.join(sorted(FUNCTION_NAMES))}")
        if node.keywords or len(node.args) != 1:
            raise ValueError(f"{name}() takes exactly one argument, in {self.src(node)!r}")
        a = self.build(node.args[0])
        kind = FUNCTION_NAMES[name]
        if kind in ("tr", "det", "logdet", "inv"):
            r, c = a.shape
            if r != c or a.shape == SCALAR:
                raise ValueError(f"{name}() needs a square matrix, got shape "
                                 f"{describe(a.shape)} in {self.src(node)!r}")
        if kind == "norm1":
            return Func("sum", Func("abs", a))
        return Func(kind, a)

    def binop(self, node: ast.BinOp) -> Expr:
        op = node.op
        if isinstance(op, ast.Pow):
            p = _number(node.right)
            if p is None:
                raise NotImplementedError(f"the exponent in {self.src(node)!r} must be a number "
                                          "(a numeric constant such as 2 or 0.5)")
            return Pow(self.build(node.left), p)
        if isinstance(op, ast.BitXor):
            raise ValueError(f"'^' in {self.src(node)!r} is bitwise xor in Python: write ** "
                             "for a power")
        a, b = self.build(node.left), self.build(node.right)
        if isinstance(op, ast.MatMult):
            return self.matmul(a, b, node)
        symbol = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/"}.get(type(op))
        if symbol is None:
            raise NotImplementedError(f"operator {type(op).__name__} in {self.src(node)!r} is "
                                      "not supported (use @ * + - / **)")
        try:
            broadcast(a.shape, b.shape)
        except ValueError:
            raise ValueError(f"shape mismatch in {self.src(node)!r}: {describe(a.shape)} "
                             f"{symbol} {describe(b.shape)} (elementwise {symbol} needs equal "
                             "shapes or a scalar)") from None
        if symbol == "+":
            return Add((a, b))
        if symbol == "-":
            return Add((a, Scale(-1.0, b)))
        if symbol == "*":
            if isinstance(a, Const):
                return Scale(a.value, b)
            if isinstance(b, Const):
                return Scale(b.value, a)
            return Mul(a, b)
        return Div(a, b)

    def matmul(self, a: Expr, b: Expr, node: ast.AST) -> Expr:
        (ra, ca), (rb, _) = a.shape, b.shape
        if a.shape == SCALAR or b.shape == SCALAR:
            if ca == rb:  # (1, 1) @ (1, k) is fine
                return MatMul((a, b))
            raise ValueError(f"shape mismatch in {self.src(node)!r}: {describe(a.shape)} @ "
                             f"{describe(b.shape)}; use * to multiply by a scalar")
        if ca == rb:
            return MatMul((a, b))
        if ca == 1 and ra == rb:  # numpy: a vector on the left of @ is a row
            return MatMul((T(a), b))
        raise ValueError(f"shape mismatch in {self.src(node)!r}: {describe(a.shape)} @ "
                         f"{describe(b.shape)} (the inner sizes {ca} and {rb} differ)")
