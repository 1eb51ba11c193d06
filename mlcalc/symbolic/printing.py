"""Print expression trees: LaTeX in the book's notation, and plain (Unicode) text.

LaTeX: vectors bold (``\\mathbf{x}``, Greek ``\\boldsymbol{\\mu}``), matrices upper-case italic,
scalars italic; ``^{\\top}``, ``^{-1}``, ``^{-\\top}``, ``\\operatorname{tr}``, ``\\det``,
``\\odot`` / ``\\oslash`` for elementwise product / quotient, ``^{\\odot p}`` for an elementwise
power of an array, ``\\sigma`` for the logistic sigmoid, ``\\operatorname{diag}``, ``I`` and
``\\mathbf{1}`` (a column of ones; a row of ones is ``\\mathbf{1}^{\\top}``, a matrix of ones
``\\mathbf{1}\\mathbf{1}^{\\top}``); the number of entries of a shape (``sum(1)``) prints as its
sizes (``N``, ``m n``). Names: ``lam`` or ``lambda`` print as ``\\lambda`` (likewise the other
Greek letters), a trailing number becomes a subscript (``W1`` -> ``W_{1}``), and the differential
of ``x`` is ``d\\mathbf{x}``.

Text: the same reading in Unicode: ``(A + Aᵀ) x``, ``X⁻ᵀ``, ``tr(Xᵀ A X)``, ``a ⊙ b``, ``x.^2``.
"""
from __future__ import annotations

import re
from fractions import Fraction

from .expr import (
    SCALAR,
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

GREEK = ("alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa",
         "lambda", "mu", "nu", "xi", "pi", "rho", "sigma", "tau", "upsilon", "phi", "chi", "psi",
         "omega", "Gamma", "Delta", "Theta", "Lambda", "Xi", "Pi", "Sigma", "Upsilon", "Phi",
         "Psi", "Omega")
ALIASES = {"lam": "lambda", "eps": "epsilon"}

ADD, PROD, POST, ATOM = 1, 2, 3, 4

_LATEX_FUNCS = {
    "exp": r"\exp", "log": r"\log", "tanh": r"\tanh", "sigmoid": r"\sigma",
    "softplus": r"\operatorname{softplus}", "sin": r"\sin", "cos": r"\cos", "tan": r"\tan",
    "arctan": r"\arctan", "sign": r"\operatorname{sign}", "relu": r"\operatorname{relu}",
    "step": r"\operatorname{step}", "tr": r"\operatorname{tr}", "det": r"\det",
    "logdet": r"\log\det", "sum": r"\operatorname{sum}",
}
_TEXT_FUNCS = {"sigmoid": "σ", "logdet": "logdet"}


def number(c: float, latex: bool = True) -> str:
    """``2``, ``\\frac{1}{2}`` (text ``1/2``), ``0.001``."""
    if float(c).is_integer():
        return str(int(c))
    fr = Fraction(c).limit_denominator(12)
    if float(fr) == c:
        p, q = abs(fr.numerator), fr.denominator
        sign = "-" if fr < 0 else ""
        return f"{sign}\\frac{{{p}}}{{{q}}}" if latex else f"{sign}{p}/{q}"
    return repr(float(c))


def name_latex(name: str, shape: tuple) -> str:
    """The LaTeX of a variable name, by its shape (bold vectors)."""
    m = re.match(r"^(.*?)_?(\d+)$", name)
    base, sub = (m.group(1), m.group(2)) if m and m.group(1) else (name, "")
    base = ALIASES.get(base, base)
    greek = base in GREEK
    core = "\\" + base if greek else base
    vector = kind(shape) in ("vector", "row")
    if vector:
        core = f"\\boldsymbol{{{core}}}" if greek else f"\\mathbf{{{core}}}"
    elif not greek and len(base) > 1:
        core = f"\\mathit{{{base}}}"
    return core + (f"_{{{sub}}}" if sub else "")


class _Printer:
    def __init__(self, latex: bool):
        self.latex = latex

    def wrap(self, s: str) -> str:
        if self.latex and ("\\frac" in s or "\\sum" in s):
            return f"\\left({s}\\right)"
        return f"({s})"

    def prec(self, e: Expr) -> int:
        if isinstance(e, Add):
            return ADD
        if self.latex and isinstance(e, Div) and e.b.shape == SCALAR:
            return ATOM  # \frac{a}{b} reads as one unit beside another factor
        if isinstance(e, (Scale, MatMul, Mul, Div)):
            return PROD
        if isinstance(e, Const) and e.value < 0:
            return ADD
        if isinstance(e, (Pow, T)) or (isinstance(e, Func) and e.name == "inv"):
            return POST
        if isinstance(e, Ones) and kind(e.shape) == "row":
            return POST
        if (isinstance(e, Ones) and kind(e.shape) == "matrix") or (
                isinstance(e, Count) and 1 not in e.dims and e.dims[0] != e.dims[1]):
            return PROD
        return ATOM

    def at(self, e: Expr, level: int) -> str:
        s = self.p(e)
        return self.wrap(s) if self.prec(e) < level else s

    def p(self, e: Expr) -> str:
        L = self.latex
        if isinstance(e, Var):
            if L:
                return ("d" if e.diff else "") + name_latex(e.name, e.dims)
            return ("d" if e.diff else "") + e.name
        if isinstance(e, Const):
            return number(e.value, L)
        if isinstance(e, Ones):
            return self.ones(e)
        if isinstance(e, Count):  # the number of entries: n, m n, n^2
            dims = [str(d) for d in e.dims if d != 1] or ["1"]
            if len(dims) == 2 and dims[0] == dims[1]:
                return f"{dims[0]}^{{2}}" if L else f"{dims[0]}^2"
            return " ".join(dims)
        if isinstance(e, Identity):
            return "I"
        if isinstance(e, Zero):
            return "0"
        if isinstance(e, Add):
            return self.add(e)
        if isinstance(e, Scale):
            if e.c == -1:
                return "-" + self.at(e.e, PROD + 1 if isinstance(e.e, Scale) else PROD)
            return number(e.c, L) + " " + self.at(e.e, PROD if not isinstance(e.e, Scale)
                                                  else ATOM)
        if isinstance(e, MatMul):
            return " ".join(self.factor(f) for f in e.factors)
        if isinstance(e, Mul):
            return self.mul(e)
        if isinstance(e, Div):
            return self.div(e)
        if isinstance(e, Pow):
            return self.pow(e)
        if isinstance(e, T):
            return self.transpose(e)
        if isinstance(e, Func):
            return self.func(e)
        if isinstance(e, Diag):
            return (r"\operatorname{diag}" if L else "diag") + f"({self.p(e.a)})"
        raise TypeError(f"cannot print {type(e).__name__}")

    def ones(self, e: Ones) -> str:
        """``1`` (a column), ``1ᵀ`` (a row), ``1 1ᵀ`` (a matrix of ones: never a bare ``1``
        between matrices, where its shape could not be read)."""
        one, top = (r"\mathbf{1}", r"^{\top}") if self.latex else ("1", "ᵀ")
        k = kind(e.shape)
        if k == "row":
            return one + top
        if k == "matrix":
            return f"{one} {one}{top}"
        return one

    def add(self, e: Add) -> str:
        out = ""
        for i, t in enumerate(e.terms):
            neg = (isinstance(t, Scale) and t.c < 0) or (isinstance(t, Const) and t.value < 0)
            if neg:
                pos = Scale(-t.c, t.e) if isinstance(t, Scale) else Const(-t.value)
                if isinstance(pos, Scale) and pos.c == 1:
                    pos = pos.e
                s = self.at(pos, PROD)
                out += ("-" if i == 0 else " - ") + s
            else:
                out += ("" if i == 0 else " + ") + self.at(t, ADD + 1 if isinstance(t, Add)
                                                           else ADD)
        return out

    def factor(self, f: Expr) -> str:
        if isinstance(f, MatMul):
            return self.p(f)
        return self.at(f, POST)

    def mul(self, e: Mul) -> str:
        a, b = e.a, e.b
        if a.shape == SCALAR or b.shape == SCALAR:
            s, m = (a, b) if a.shape == SCALAR else (b, a)
            ss = self.at(s, ATOM if isinstance(s, (MatMul, Mul, Div, Scale)) else POST)
            ms = self.at(m, PROD if isinstance(m, (MatMul, Ones)) else POST)
            return f"{ss} {ms}"
        op = r" \odot " if self.latex else " ⊙ "
        return self.at(a, POST) + op + self.at(b, POST)

    def div(self, e: Div) -> str:
        a, b = e.a, e.b
        if self.latex and b.shape == SCALAR:
            return f"\\frac{{{self.p(a)}}}{{{self.p(b)}}}"
        if b.shape == SCALAR:
            return self.at(a, POST) + " / " + self.at(b, POST)
        op = r" \oslash " if self.latex else " ⊘ "
        return self.at(a, POST) + op + self.at(b, POST)

    def post(self, e: Expr) -> str:
        """``e`` before a superscript (``^{\top}``, ``^{2}``): a fraction gets parentheses."""
        return self.wrap(self.p(e)) if isinstance(e, Div) else self.at(e, ATOM)

    def pow(self, e: Pow) -> str:
        base = self.post(e.a)
        p = number(e.p, self.latex)
        if self.latex:
            return f"{base}^{{{p}}}" if e.shape == SCALAR else f"{base}^{{\\odot {p}}}"
        return f"{base}^{p}" if e.shape == SCALAR else f"{base}.^{p}"

    def transpose(self, e: T) -> str:
        a = e.a
        if isinstance(a, Func) and a.name == "inv":
            return self.post(a.a) + (r"^{-\top}" if self.latex else "⁻ᵀ")
        return self.post(a) + (r"^{\top}" if self.latex else "ᵀ")

    def func(self, e: Func) -> str:
        name, a = e.name, e.a
        if name == "inv":
            return self.post(a) + ("^{-1}" if self.latex else "⁻¹")
        if name == "norm":
            return rf"\lVert {self.p(a)} \rVert" if self.latex else f"‖{self.p(a)}‖"
        if name == "abs":
            return rf"\lvert {self.p(a)} \rvert" if self.latex else f"|{self.p(a)}|"
        if name == "sqrt":
            return rf"\sqrt{{{self.p(a)}}}" if self.latex else f"sqrt({self.p(a)})"
        if self.latex:
            return f"{_LATEX_FUNCS[name]}({self.p(a)})"
        return f"{_TEXT_FUNCS.get(name, name)}({self.p(a)})"


def latex(e: Expr) -> str:
    """The LaTeX of ``e`` (no ``$`` delimiters)."""
    return _Printer(True).p(e)


def text(e: Expr) -> str:
    """The plain-text (Unicode) form of ``e``."""
    return _Printer(False).p(e)


def space_latex(name: str, shape: tuple) -> str:
    """``\\mathbf{x} \\in \\mathbb{R}^{n}`` for a variable of internal shape ``shape``."""
    r, c = shape
    k = kind(shape)
    where = {"scalar": r"\mathbb{R}", "vector": rf"\mathbb{{R}}^{{{r}}}",
             "row": rf"\mathbb{{R}}^{{1 \times {c}}}"}.get(k, rf"\mathbb{{R}}^{{{r} \times {c}}}")
    return f"{name_latex(name, shape)} \\in {where}"
