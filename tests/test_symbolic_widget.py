"""Tests of mlcalc.symbolic.widget: the derivation explorer's logic, without a browser.

The form's callback is called with typed inputs and the output area's Markdown is read back:
a derivation shows its result, shape, steps and check; a refused input shows its one-line
message and raises nothing. Also: parsing shapes typed as text, breaking long steps so they fit
the book's column, and the static mode of a book build (no widget, no widget state).
"""
from __future__ import annotations

import re

import pytest

from mlcalc.symbolic import derive
from mlcalc.symbolic.widget import (
    MAX_WIDTH,
    DerivationExplorer,
    derivation_explorer,
    derivation_markdown,
    format_shapes,
    latex_width,
    parse_shapes,
    show,
    steps_markdown,
)

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
NET = "norm(W2 @ tanh(W1 @ x) - y)**2"
NET_SHAPES = {"W1": ("h", "d"), "W2": ("k", "h"), "x": ("d",), "y": ("k",)}


# ------------------------------------------------------------------ shapes typed as text

@pytest.mark.parametrize("text, expected", [
    ("x: n; A: n, n", {"x": ("n",), "A": ("n", "n")}),
    ("x: (n,)\nA: (m, n)", {"x": ("n",), "A": ("m", "n")}),
    ("c: scalar; d: (); e:", {"c": (), "d": (), "e": ()}),
    ("X: 3, n ;; w: 3", {"X": (3, "n"), "w": (3,)}),
])
def test_parse_shapes(text, expected):
    assert parse_shapes(text) == expected
    assert parse_shapes(format_shapes(expected)) == expected


@pytest.mark.parametrize("text, phrase", [
    ("x n", "has no ':'"),
    ("x: n; x: m", "given twice"),
    ("x: n-1", "is not a name or a positive integer"),
    ("x: 0", "is not a name or a positive integer"),
    ("T: a, b, c", "has 3 sizes"),
    ("1x: n", "is not a variable name"),
    ("  ;  ", "give at least one"),
])
def test_parse_shapes_refuses(text, phrase):
    with pytest.raises(ValueError, match=re.escape(phrase)):
        parse_shapes(text)


# ------------------------------------------------------------------ the explorer's callback

def test_initial_output_is_the_derivation():
    ex = derivation_explorer()  # x.T @ A @ x in x
    assert ex.error is None
    assert ex.derivation.latex == r"(A + A^{\top}) \mathbf{x}"
    md = ex.markdown
    assert md.startswith("**Gradient** of `x.T @ A @ x` with respect to `x`, shape (n):")
    assert r"\nabla_{\mathbf{x}} f = (A + A^{\top}) \mathbf{x}" in md
    assert "**Derivation by differentials.**" in md
    assert "Rules used: transpose rule, product rule." in md
    assert "**Checked numerically** at sizes n = " in md and "gradient OK" in md


def test_callback_reads_the_boxes_and_updates_the_output():
    ex = derivation_explorer()
    ex.widget()
    boxes = ex._boxes
    boxes["expr"].value = "norm(X @ w - y)**2"  # observe fires: X, w, y unknown yet
    assert ex.error.startswith("ValueError: name 'X' is not in shapes")
    boxes["shapes"].value = "X: N, d; w: d; y: N"
    boxes["wrt"].value = "w"
    ex._on_derive()  # the button's callback
    assert ex.error is None
    assert ex.derivation.latex == r"2 X^{\top} (X \mathbf{w} - \mathbf{y})"
    shown = ex._output.outputs[-1]["data"]["text/markdown"]
    assert shown == ex.markdown and len(ex._output.outputs) == 1
    assert "shape (d):" in shown
    boxes["order"].value = 2
    assert ex.derivation.kind == "hessian" and ex.derivation.latex == r"2 X^{\top} X"
    ex.close()


@pytest.mark.parametrize("expr, wrt, shapes, message", [
    ("x.T @ A @ x", "x", "x: n; A: m, n",
     "ValueError: shape mismatch in 'x.T @ A': (1, n) (a row vector, e.g. x.T) @ (m, n)"),
    ("softmax(x)", "x", "x: n", "ValueError: unknown function 'softmax'"),
    ("x[0]", "x", "x: n", "ValueError: indexing 'x[0]' is not supported"),
    ("sum(x)", "z", "x: n", "ValueError: wrt='z' is not in shapes"),
    ("x ** x", "x", "x: n", "NotImplementedError: the exponent in 'x ** x' must be a number"),
    ("A @ A", "A", "A: n, n", "NotImplementedError: 'A @ A' is a matrix"),
    ("x.T @ x", "x", "x n", "ValueError: shapes: 'x n' has no ':'"),
    ("x.T @ (x", "x", "x: n", "ValueError: cannot parse 'x.T @ (x': Python syntax error"),
    ("", "x", "x: n", "ValueError: cannot parse"),
])
def test_refused_input_shows_one_line_and_raises_nothing(expr, wrt, shapes, message):
    ex = derivation_explorer(expr, wrt=wrt, shapes=shapes)
    assert ex.derivation is None
    assert ex.error.startswith(message), ex.error
    assert "\n" not in ex.error
    assert ex.markdown.startswith("**Not derived.** ")
    ex.widget()
    assert ex._output.outputs[-1]["data"]["text/markdown"] == ex.markdown


def test_learner_text_cannot_inject_markup():
    ex = derivation_explorer("x[<b>$1$</b>]", wrt="x", shapes="x: n")
    assert ex.error is not None
    assert "<b>" not in ex.markdown and "\\<b\\>" in ex.markdown
    assert "$" not in ex.markdown.replace("\\$", "")


def test_any_exception_is_shown(monkeypatch):
    import mlcalc.symbolic.widget as W

    def broken(*args, **kwargs):
        raise RuntimeError("mlcalc.symbolic bug: planted\nsecond line")

    monkeypatch.setattr(W, "derive", broken)
    ex = W.derivation_explorer()
    assert ex.error == "RuntimeError: mlcalc.symbolic bug: planted"


# ------------------------------------------------------------------ display

def test_bundle_live_and_static(monkeypatch):
    monkeypatch.delenv("MLCALC_EXPLORERS", raising=False)
    ex = derivation_explorer()
    live = ex._repr_mimebundle_()
    assert WIDGET_VIEW in live and "text/markdown" in live
    ex.close()
    monkeypatch.setenv("MLCALC_EXPLORERS", "static")
    ex = derivation_explorer("tanh(W @ x)", wrt="x", shapes="W: m, n; x: n")
    static = ex._repr_mimebundle_()
    assert WIDGET_VIEW not in static and ex._widget is None  # no widget state in the book
    md = static["text/markdown"]
    assert "live when the notebook runs in Jupyter" in md
    assert "`tanh(W @ x)`" in md and "`W: m, n; x: n`" in md
    assert r"\operatorname{diag}(1 - \tanh(W \mathbf{x})^{\odot 2}) W" in md


def test_show_is_markdown():
    r = derive("logdet(X)", "X", {"X": ("n", "n")})
    out = show(r)
    assert out.data == derivation_markdown(r)
    assert r"$$" + "\n" + r"\nabla_{X} f = X^{-\top}" in out.data


def test_steps_are_display_equations_with_rules_in_words():
    r = derive("x.T @ A @ x", "x", {"x": ("n",), "A": ("n", "n")})
    md = steps_markdown(r)
    assert md.count("$$") == 2 * len(r.steps)
    assert r"\qquad" not in md  # the rules are prose, the space of f its own sentence
    assert r"with $\mathbf{x} \in \mathbb{R}^{n},\ A \in \mathbb{R}^{n \times n}$." in md
    assert "Rule used: a scalar equals its transpose." in md


def test_long_steps_are_broken_to_fit_the_column():
    r = derive(NET, "W1", NET_SHAPES)
    md = derivation_markdown(r)
    assert r"\begin{aligned}" in md
    for block in re.findall(r"\$\$\n(.*?)\n\$\$", md, flags=re.S):
        for line in block.split("\\\\\n"):
            line = re.sub(r"\\(begin|end)\{aligned\}\n?", "", line)
            assert latex_width(line) <= MAX_WIDTH + 1, line
    # The broken lines still hold the whole step: nothing is dropped.
    flat = re.sub(r"\\begin\{aligned\}|\\end\{aligned\}|&\\qquad |&\\quad |&|\\\\|\s+", "", md)
    for step in r.steps:
        eq = step.split(r" \qquad ")[0].rstrip(",")
        assert re.sub(r"\s+", "", eq) in flat, eq


def test_explorer_is_fast_enough():
    import time

    t = time.perf_counter()
    ex = DerivationExplorer(NET, "W1", format_shapes(NET_SHAPES))
    assert ex.error is None
    assert time.perf_counter() - t < 2.0
