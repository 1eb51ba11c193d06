"""Every number the prose states that comes from a computation is asserted or produced by a cell.

The rule, as CONTRIBUTING.md states it: a sentence may say "the error is 4.2×10⁻¹⁸" or "the loss
is 0.44 at step 500" only if a cell of the same notebook asserts that number (to the precision
stated) or prints it for the reader. This test keeps a mechanical floor of the rule: every
*measured-looking* number in a chapter's Markdown (a decimal such as ``0.05``, a power of ten such
as ``10^{-8}``, ``4\\times 10^{-17}`` or ``10⁻⁸``, a percentage such as ``99 %``) must occur as a
literal in some code cell of the same notebook, where an ``assert`` or a printed line can carry it.

Numbers that are not results of a computation (a version number, a tolerance the book chooses)
go on :data:`ALLOWED`, each with its reason. Integers and numbers inside code spans are not
inspected: integers are mostly sizes, indices and section numbers, and code spans are code.
Whether the asserting cell really asserts the number (and not, say, uses it as a step size) is
left to review; the test catches the sentence nobody backed with a cell at all.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = sorted((ROOT / "chapters").glob("*.ipynb"))

# notebook stem -> {token as written in the Markdown: why it needs no asserting cell}
ALLOWED: dict[str, dict[str, str]] = {
    "how_to_use": {
        "3.11": "the Python version the book is tested with (a requirement, not a result)",
    },
}

_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-")
_NUMBER = re.compile(
    r"""(?x)
      (?P<sci>(?P<mantissa>\d+(?:\.\d+)?)\s*(?:×|\\times|\\cdot)\s*
              10(?:\^\{?(?P<e1>[-−]?\d+)\}?|(?P<e2>⁻?[⁰¹²³⁴⁵⁶⁷⁸⁹]+)))
    | (?P<pow>(?<![\d.])10(?:\^\{(?P<e3>[-−]?\d+)\}|\^(?P<e4>-?\d)|(?P<e5>⁻?[⁰¹²³⁴⁵⁶⁷⁸⁹]+)))
    | (?P<pct>(?<![\w.])(?P<percent>\d+(?:\.\d+)?)\s?(?:%|\\%))
    | (?P<dec>(?<![\w.\\])\d+\.\d+(?![\w.]))
    """
)
_CODE_LITERAL = re.compile(r"(?<![\w.])(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_CODE_POWER = re.compile(r"(?<![\w.])10(?:\.0?)?\s*\*\*\s*\(?\s*(-?\d+)")
_CODE_SPAN = re.compile(r"`[^`\n]*`")
_LABEL_OR_LINK_TARGET = re.compile(r"\]\([^)]*\)|^\([\w-]+\)=$", re.M)


def _exponent(text: str) -> int:
    return int(text.translate(_SUPERSCRIPTS).replace("−", "-"))


def prose_numbers(markdown: str) -> list[tuple[str, Decimal]]:
    """The measured-looking numbers of a Markdown text, as ``(token, value)`` pairs.

    A percentage's value is its fraction (``99 %`` is 0.99); the check also accepts the number
    itself (99) in code.
    """
    text = _LABEL_OR_LINK_TARGET.sub("", _CODE_SPAN.sub("", markdown))
    found = []
    for m in _NUMBER.finditer(text):
        token = m.group(0).strip()
        # Decimal: exact, and no overflow (1.8×10³⁰⁸ is past the largest float)
        if m["sci"]:
            value = Decimal(m["mantissa"]).scaleb(_exponent(m["e1"] or m["e2"]))
        elif m["pow"]:
            value = Decimal(1).scaleb(_exponent(m["e3"] or m["e4"] or m["e5"]))
        elif m["pct"]:
            value = Decimal(m["percent"]) / 100
        else:
            value = Decimal(m["dec"])
        found.append((token, value))
    return found


def code_numbers(code: str) -> list[Decimal]:
    """Every numeric literal in Python source (``0.44``, ``1e-8``, ``4.2e-18``, ``99``)."""
    values = []
    values += [Decimal(literal) for literal in _CODE_LITERAL.findall(code)]
    values += [Decimal(1).scaleb(int(k)) for k in _CODE_POWER.findall(code)]  # 10**9, 10.0**-8
    return values


def unbacked_numbers(nb: dict, allowed: dict[str, str] | None = None) -> list[str]:
    """The prose numbers of a notebook that no code cell of it spells, minus ``allowed``."""
    allowed = allowed or {}
    code = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
    literals = code_numbers(code)

    def backed(token: str, value: Decimal) -> bool:
        candidates = [value, value * 100] if token.endswith("%") else [value]
        return any(abs(v - w) <= Decimal("1e-9") * abs(v) for v in candidates for w in literals)

    missing = []
    for cell in nb["cells"]:
        if cell["cell_type"] != "markdown":
            continue
        for token, value in prose_numbers("".join(cell["source"])):
            if token not in allowed and not backed(token, value):
                missing.append(f"{token!r} in cell {cell.get('id', '?')}")
    return missing


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_every_prose_number_is_backed_by_a_cell(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    missing = unbacked_numbers(nb, ALLOWED.get(path.stem))
    assert not missing, (
        f"{path.name}: these numbers in the prose occur in no code cell. Assert each one in a "
        "cell (to the precision the sentence states) or print it, or, if it is not the result "
        "of a computation, add it to ALLOWED in tests/test_prose_numbers.py with the reason: "
        + "; ".join(missing))


def test_allow_list_names_only_numbers_that_are_there():
    for stem, tokens in ALLOWED.items():
        nb = json.loads((ROOT / "chapters" / f"{stem}.ipynb").read_text(encoding="utf-8"))
        text = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
        stated = {token for token, _ in prose_numbers(text)}
        assert set(tokens) <= stated, f"{stem}: stale allow-list entries {set(tokens) - stated}"
        assert all(reason.strip() for reason in tokens.values())


def _notebook(markdown: str, code: str) -> dict:
    return {"cells": [
        {"cell_type": "markdown", "id": "m", "source": [markdown]},
        {"cell_type": "code", "id": "c", "source": [code]},
    ]}


@pytest.mark.parametrize("markdown, token", [
    ("The naive result is already 0 instead of $e^{-40} \\approx 4.2\\times 10^{-18}$.",
     "4.2\\times 10^{-18}"),
    ("The error passes 10⁻⁸ near $x = 18.1$.", "10⁻⁸"),
    ("The test accuracy reaches 99 %.", "99 %"),
    ("The loss is 0.44 at step 500.", "0.44"),
    ("The largest float is about $1.8\\times 10^{308}$.", "1.8\\times 10^{308}"),
    ("a relative error below $10^{-7}$", "10^{-7}"),
])
def test_the_rule_can_fail(markdown, token):
    missing = unbacked_numbers(_notebook(markdown, "assert abs(result - 0.18) < 0.005\n"))
    assert any(m.startswith(repr(token)) for m in missing), missing


@pytest.mark.parametrize("markdown, code", [
    ("$e^{-40} \\approx 4.2\\times 10^{-18}$",
     "assert np.isclose(np.exp(-40), 4.2e-18, rtol=0.01)"),
    ("passes 10⁻⁸ near $x = 18.1$", "assert abs(x_cross - 18.1) < 0.05 and err(x_cross) < 1e-8"),
    ("reaches 99 %", "assert accuracy >= 0.99"),
    ("the loss is 0.44", "assert round(loss[500], 2) == 0.44"),
    ("a condition number near $10^9$",
     "assert 10**8 < kappa < 10 ** 10 and abs(kappa / 10 ** 9 - 1) < 0.5"),
    ("in `np.isclose(a, 0.123)` the code span is code", "pass"),
    ("see [the section](chapter.ipynb#section-1.5) and section 3", "pass"),
])
def test_a_backed_number_passes(markdown, code):
    assert unbacked_numbers(_notebook(markdown, code)) == []
