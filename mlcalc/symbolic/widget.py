"""Showing a derivation in a notebook, and the derivation explorer (a small ipywidgets form).

    >>> import mlcalc.symbolic.widget as symbolic_widget
    >>> symbolic_widget.derivation_explorer("x.T @ A @ x", wrt="x", shapes="x: n; A: n, n")

:func:`derivation_markdown` turns a :class:`~mlcalc.symbolic.Derivation` into Markdown with
display math: the result and its shape, each step of the derivation as its own equation (long
steps broken at their ``=`` signs so they fit a book page), the rule each step used written
under it in words, and the verdict of the numerical check. :func:`show` wraps it for display.

:func:`derivation_explorer` returns a :class:`DerivationExplorer`: text boxes for the expression,
the variable and the shapes (``"x: n; A: n, n"``, see :func:`parse_shapes`), a "Derive" button
and an output area. Whatever the learner types, the output shows either the derivation or the
one-line reason it was refused; nothing is raised into the notebook.

Like the explorers of :mod:`mlcalc.widgets`, it displays two ways from one bundle: a live
ipywidgets form in Jupyter, and its initial output as ``text/markdown`` in the static HTML
book. When ``MLCALC_EXPLORERS=static`` (set by :func:`mlcalc.widgets.setup` during a book build)
no widget is created, so the built page holds no widget state and loads no widget JavaScript.
"""
from __future__ import annotations

import os
import re

from .derive import Derivation, derive

__all__ = ["DerivationExplorer", "derivation_explorer", "derivation_markdown", "parse_shapes",
           "show"]

#: Environment variable read by :mod:`mlcalc.widgets` too: "static" means no live widget.
_ENV_MODE = "MLCALC_EXPLORERS"
#: Widest equation (in estimated characters of typeset math) shown on one line.
MAX_WIDTH = 58
_SCALAR_WORDS = {"", "()", "scalar"}


# --------------------------------------------------------------------------------------------
# Shapes typed as text
# --------------------------------------------------------------------------------------------


def parse_shapes(text: str) -> dict:
    """Shapes typed as text, ``"x: n; A: n, n; c: scalar"``, as a ``shapes`` dict.

    Entries are separated by ``;`` or new lines; each is ``name: sizes`` with the sizes
    separated by commas (names or integers, optionally in parentheses). No sizes, ``()`` or
    ``scalar`` is a scalar.

    Raises:
        ValueError: an entry without ``:``, a name given twice, a bad size, more than 2 sizes.
    """
    if not isinstance(text, str):
        raise ValueError(f"shapes must be text such as 'x: n; A: n, n', got {type(text).__name__}")
    shapes: dict = {}
    for entry in re.split(r"[;\n]", text):
        entry = entry.strip()
        if not entry:
            continue
        if ":" not in entry:
            raise ValueError(f"shapes: {entry!r} has no ':'; write name: sizes, e.g. 'A: m, n'")
        name, sizes = (s.strip() for s in entry.split(":", 1))
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise ValueError(f"shapes: {name!r} is not a variable name")
        if name in shapes:
            raise ValueError(f"shapes: {name!r} is given twice")
        sizes = sizes.strip()
        if sizes.startswith("(") and sizes.endswith(")"):
            sizes = sizes[1:-1].strip()
        if sizes.lower() in _SCALAR_WORDS:
            shapes[name] = ()
            continue
        dims = []
        for d in (s.strip() for s in sizes.split(",")):
            if re.fullmatch(r"[0-9]+", d) and int(d) > 0:
                dims.append(int(d))
            elif re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", d):
                dims.append(d)
            elif d == "" and dims:  # a trailing comma, as in "(n,)"
                continue
            else:
                raise ValueError(f"shapes: size {d!r} of {name!r} is not a name or a "
                                 "positive integer")
        if len(dims) > 2:
            raise ValueError(f"shapes: {name!r} has {len(dims)} sizes; give at most 2 "
                             "(a vector or a matrix)")
        shapes[name] = tuple(dims)
    if not shapes:
        raise ValueError("shapes: give at least one, e.g. 'x: n; A: n, n'")
    return shapes


def format_shapes(shapes: dict) -> str:
    """The inverse of :func:`parse_shapes`: ``{"x": ("n",)}`` -> ``"x: n"``."""
    return "; ".join(f"{k}: {', '.join(str(d) for d in v) if v else 'scalar'}"
                     for k, v in shapes.items())


# --------------------------------------------------------------------------------------------
# A derivation as Markdown
# --------------------------------------------------------------------------------------------

_WORD = re.compile(r"\\([A-Za-z]+)")
_WIDTH_OF = {"mathbf": 0, "operatorname": 0, "text": 0, "left": 0, "right": 0, "qquad": 2,
             "quad": 1, "frac": 0, "top": 0.6, "lVert": 0.5, "rVert": 0.5, "odot": 1.2,
             "tanh": 4, "log": 3, "det": 3, "exp": 3, "sin": 3, "cos": 3, "tan": 3, "tr": 2,
             "sigma": 1, "partial": 1, "nabla": 1.2, "in": 1.2, "mathbb": 0}


def latex_width(tex: str) -> float:
    """A rough width of typeset ``tex`` in characters (sub- and superscripts count less)."""
    width = 0.0
    for part in re.split(r"([_^]\{[^{}]*\}|[_^].)", tex):
        scale = 0.7 if part[:1] in ("_", "^") else 1.0
        for token in re.findall(r"\\[A-Za-z]+|\\.|[^\s{}_^\\]| ", part):
            if token.startswith("\\") and token[1:].isalpha():
                width += scale * _WIDTH_OF.get(token[1:], 1)
            elif token == " ":
                width += scale * 0.3
            elif not token.startswith("\\"):
                width += scale
    return width


_OPEN = ("(", "{", "[", "\\langle", "\\lVert")
_CLOSE = (")", "}", "]", "\\rangle", "\\rVert")


def _depths(tex: str):
    """Yield ``(index, brace depth, bracket depth)`` for each character of ``tex``; brackets
    are (), [], \\langle \\rangle and \\lVert \\rVert; braces are {}."""
    braces = brackets = 0
    i = 0
    while i < len(tex):
        yield i, braces, brackets
        c = tex[i]
        if c == "{":
            braces += 1
        elif c == "}":
            braces -= 1
        elif c in "([" or tex.startswith(("\\langle", "\\lVert"), i):
            brackets += 1
        elif c in ")]" or tex.startswith(("\\rangle", "\\rVert"), i):
            brackets -= 1
        i += 1


def _top_level_split(tex: str, sep: str) -> list[str]:
    """Split ``tex`` at ``sep`` outside every pair of braces and brackets."""
    parts, start = [], 0
    for i, braces, brackets in _depths(tex):
        if i >= start and braces == 0 and brackets == 0 and tex.startswith(sep, i):
            parts.append(tex[start:i])
            start = i + len(sep)
    parts.append(tex[start:])
    return [p.strip() for p in parts]


def _wrap(tex: str, max_width: float) -> list[str]:
    """Break a long formula at spaces outside braces into lines of at most ``max_width``,
    each break at the shallowest bracket depth that fits (the latest such space)."""
    lines = []
    while latex_width(tex) > max_width:
        best = None
        for i, braces, brackets in _depths(tex):
            if tex[i] != " " or braces != 0 or i == 0:
                continue
            if latex_width(tex[:i]) > max_width:
                break
            if tex[i + 1:i + 2] in ("^", "_", ")", "]", ","):
                continue
            if best is None or brackets <= best[1]:
                best = (i, brackets)
        if best is None:
            break
        lines.append(tex[:best[0]].strip())
        tex = tex[best[0]:].strip()
    return lines + [tex]


def _rule_words(rules: str) -> str:
    """The rules of a step in words: ``\\text{product rule}, d\\lVert A\\rVert ...`` becomes
    'product rule, $d\\lVert A\\rVert ...$'."""
    out = []
    for item in _top_level_split(rules, ", "):
        m = re.fullmatch(r"\\text\{([^{}]*)\}", item)
        if m:
            out.append(m.group(1))
            continue
        m = re.fullmatch(r"\\text\{([^{}]*)\}\s*(.+)", item)
        if m:
            out.append(f"{m.group(1).strip()} ${m.group(2)}$")
        else:
            out.append(f"${item}$")
    return ", ".join(out)


def _display(equation: str, max_width: float) -> str:
    """One display equation; when it is too wide, broken at its top-level '=' signs and, if a
    side is still too wide, at spaces (continuation lines indented)."""
    if latex_width(equation) <= max_width:
        return f"$$\n{equation}\n$$"
    sides = _top_level_split(equation, " = ")
    if len(sides) >= 2 and latex_width(sides[0]) <= max_width / 4:
        rows = [(sides[0] + " &= ", sides[1])] + [("&= ", s) for s in sides[2:]]
    else:  # no '=', or a long left side: every side starts its own line
        rows = [("&", sides[0])] + [("&\\quad = ", s) for s in sides[1:]]
    lines = []
    for lead, side in rows:
        pieces = _wrap(side, max_width - latex_width(lead))
        lines.append(lead + pieces[0])
        lines += ["&\\qquad " + p for p in pieces[1:]]
    body = " \\\\\n".join(lines)
    return f"$$\n\\begin{{aligned}}\n{body}\n\\end{{aligned}}\n$$"


def steps_markdown(r: Derivation, max_width: float = MAX_WIDTH) -> str:
    """The steps of ``r`` as Markdown: one display equation each, its rules in words below."""
    blocks = []
    for i, step in enumerate(r.steps):
        where = ""
        if i == 0 and r", \qquad " in step:  # f = ..., \qquad x \in R^n, ...
            step, where = step.split(r", \qquad ", 1)
        parts = step.split(r" \qquad ", 1)
        equation, rules = parts[0], (parts[1] if len(parts) > 1 else "")
        text = ""
        if rules.strip() == r"\text{simplify}":
            text = "Simplify (collect like terms)."
        elif rules:
            words = _rule_words(rules)
            text = ("Rules used: " if ", " in words else "Rule used: ") + words + "."
        m = re.fullmatch(r"\\text\{([^{}]*)\}\s*(.*)", equation)
        if m:  # a step that is a sentence: "Hessian: differentiate g = ..."
            blocks.append(f"{m.group(1).strip()} ${m.group(2)}$:" if m.group(2) else m.group(1))
            continue
        blocks.append(_display(equation, max_width))
        if where:
            blocks.append(f"with ${where}$.")
        if text:
            blocks.append(text)
    return "\n\n".join(blocks)


def derivation_markdown(r: Derivation, steps: bool = True, check: bool = True,
                        max_width: float = MAX_WIDTH) -> str:
    """Markdown for ``r``: the result and its shape, the steps, and the check's verdict."""
    shape = "a scalar" if r.shape == () else "(" + ", ".join(str(d) for d in r.shape) + ")"
    lines = [f"**{r.kind.capitalize()}** of `{r.source}` with respect to `{r.wrt}`, "
             f"shape {shape}:", "", _display(f"{r.symbol} = {r.latex}", max_width)]
    if steps:
        lines += ["", "**Derivation by differentials.**", "", steps_markdown(r, max_width)]
    if check:
        sizes = ", ".join(f"{k} = {v}" for k, v in r.checked_sizes.items())
        at = f" at sizes {sizes}" if sizes else ""
        lines += ["", f"**Checked numerically**{at}: `{r.check!r}`"]
    return "\n".join(lines)


def show(r: Derivation, **kwargs):
    """``IPython.display.Markdown`` of :func:`derivation_markdown` (the last line of a cell)."""
    from IPython.display import Markdown

    return Markdown(derivation_markdown(r, **kwargs))


# --------------------------------------------------------------------------------------------
# The explorer
# --------------------------------------------------------------------------------------------


class DerivationExplorer:
    """Text boxes for an expression, a variable and shapes; shows the derivation or why not.

    Attributes:
        expr, wrt, shapes, order: the current inputs (``shapes`` as text).
        markdown: what the output area shows (Markdown with math).
        error: the one-line message when the last input was refused, else ``None``.
        derivation: the last :class:`Derivation`, or ``None`` after an error.
    """

    def __init__(self, expr: str, wrt: str, shapes: str, order: int = 1):
        self.expr, self.wrt, self.shapes, self.order = expr, wrt, shapes, order
        self._widget = None
        self._boxes: dict = {}
        self._output = None
        self.update()

    # ---------------------------------------------------------------- the logic

    def update(self, expr: str | None = None, wrt: str | None = None,
               shapes: str | None = None, order: int | None = None) -> str:
        """Derive with the given inputs (the others unchanged); return the Markdown shown."""
        if expr is not None:
            self.expr = expr
        if wrt is not None:
            self.wrt = wrt
        if shapes is not None:
            self.shapes = shapes
        if order is not None:
            self.order = order
        self.derivation = self.error = None
        try:
            shapes_dict = parse_shapes(self.shapes)
            self.derivation = derive(self.expr.strip(), self.wrt.strip(), shapes_dict,
                                     order=int(self.order))
        except Exception as err:  # shown to the learner, never raised into the notebook
            lines = str(err).strip().splitlines() or [""]
            self.error = f"{type(err).__name__}: {lines[0]}".rstrip(": ")
            self.markdown = f"**Not derived.** {_escape(self.error)}"
        else:
            self.markdown = derivation_markdown(self.derivation)
        self._show()
        return self.markdown

    def _show(self) -> None:
        if self._output is None:
            return
        # One state update that replaces the whole output (no clear_output message, which
        # would race with it when the button and a text box fire together).
        self._output.outputs = ({"output_type": "display_data", "metadata": {},
                                 "data": {"text/markdown": self.markdown,
                                          "text/plain": self.error or self.derivation.text}},)

    def _on_derive(self, _=None) -> None:
        """The callback of the button and of the text boxes: read them and derive."""
        b = self._boxes
        self.update(expr=b["expr"].value, wrt=b["wrt"].value, shapes=b["shapes"].value,
                    order=b["order"].value)

    # ---------------------------------------------------------------- the widget

    def widget(self):
        """The live ipywidgets form (created on first use)."""
        if self._widget is not None:
            return self._widget
        import ipywidgets as w

        layout = w.Layout(width="95%")
        style = {"description_width": "9em"}
        self._boxes = {
            "expr": w.Text(value=self.expr, description="expression", layout=layout,
                           style=style, continuous_update=False,
                           placeholder="x.T @ A @ x"),
            "wrt": w.Text(value=self.wrt, description="with respect to", layout=layout,
                          style=style, continuous_update=False, placeholder="x"),
            "shapes": w.Text(value=self.shapes, description="shapes", layout=layout,
                             style=style, continuous_update=False,
                             placeholder="x: n; A: n, n"),
            "order": w.Dropdown(options=[("1 (gradient or Jacobian)", 1), ("2 (Hessian)", 2)],
                                value=int(self.order), description="order", style=style),
        }
        button = w.Button(description="Derive", button_style="primary", icon="check")
        button.on_click(self._on_derive)
        for box in self._boxes.values():
            box.observe(self._on_derive, names="value")
        self._output = w.Output()
        self._show()
        self._widget = w.VBox([*self._boxes.values(), button, self._output])
        return self._widget

    def _static_markdown(self) -> str:
        order = "" if int(self.order) == 1 else f", order {self.order}"
        return (f"*Derivation explorer* (live when the notebook runs in Jupyter): expression "
                f"`{self.expr}`, with respect to `{self.wrt}`, shapes "
                f"`{self.shapes}`{order}.\n\n" + self.markdown)

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        """Widget view (live Jupyter) + ``text/markdown`` (the static book)."""
        data = {"text/plain": f"DerivationExplorer({self.expr!r}, wrt={self.wrt!r}, "
                              f"shapes={self.shapes!r})",
                "text/markdown": self._static_markdown()}
        if os.environ.get(_ENV_MODE, "").strip().lower() != "static":
            view = self.widget()._repr_mimebundle_()
            key = "application/vnd.jupyter.widget-view+json"
            if key in view:
                data[key] = view[key]
        return data

    def close(self) -> None:
        """Close the live widgets."""
        if self._widget is not None:
            for box in self._boxes.values():
                box.close()
            self._output.close()
            self._widget.close()
            self._widget = self._output = None
            self._boxes = {}


def _escape(text: str) -> str:
    """Text safe inside Markdown: no emphasis, math or HTML from the learner's input."""
    return re.sub(r"([\\`*_$<>\[\]])", r"\\\1", text)


def derivation_explorer(expr: str = "x.T @ A @ x", wrt: str = "x",
                        shapes: str = "x: n; A: n, n", order: int = 1) -> DerivationExplorer:
    """A form where a learner types an expression and sees its derivative, steps and check.

    Args:
        expr: the initial expression (Python syntax, see :mod:`mlcalc.symbolic`).
        wrt: the initial variable.
        shapes: the initial shapes as text, ``"x: n; A: n, n"`` (see :func:`parse_shapes`).
        order: 1 (gradient or Jacobian) or 2 (Hessian).

    Returns:
        DerivationExplorer: display it (the last line of a cell). Its initial output is
        computed at once, so a refused input shows its message and raises nothing.
    """
    return DerivationExplorer(expr, wrt, shapes, order)
