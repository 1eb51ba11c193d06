"""The backprop chapter keeps its hand-worked example and its symbols honest.

* The 2-2-1 network worked by hand shows its values in two Markdown tables; the cells after them
  assert the same values to four decimals. Every number in a table's value column must be one
  the cell asserts, and every number the cell asserts must be in a table, so the prose and the
  check cannot drift apart.
* The chapter keeps one meaning per symbol: L is the loss (the depth is D) and the weights are
  W_l, so the old clashes (A_l for weights, O(Ln^2), a Kronecker delta next to the error
  signal) stay out.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHAPTER = ROOT / "chapters" / "backprop.ipynb"
_NUMBER = re.compile(r"(?<![\w.^_{])-?\d+(?:\.\d+)?(?![\w.])")


def _cells() -> dict[str, dict]:
    nb = json.loads(CHAPTER.read_text(encoding="utf-8"))
    return {c["id"]: c for c in nb["cells"]}


def _source(cell: dict) -> str:
    return "".join(cell["source"])


def table_values(markdown: str) -> list[float]:
    """The numbers in the "value" column (the third) of the Markdown tables in ``markdown``."""
    values = []
    for line in markdown.splitlines():
        cols = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cols) != 3 or cols[0] in ("step (shape)", "---"):
            continue
        values += [float(v) for v in _NUMBER.findall(cols[2])]
    return values


def asserted_values(code: str, name: str) -> list[float]:
    """The numbers of the "shown" lists in the dict literal assigned to ``name`` in ``code``."""
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", None) == name:
            shown = [ast.literal_eval(v.elts[1]) for v in node.value.values]
            flat = []
            for s in shown:
                flat += [float(x) for x in _flatten(s)]
            return flat
    raise AssertionError(f"no assignment to {name!r}")


def _flatten(x):
    if isinstance(x, (list, tuple)):
        for item in x:
            yield from _flatten(item)
    else:
        yield x


def test_hand_worked_tables_show_exactly_what_the_cells_assert():
    cells = _cells()
    for table_id, code_id, name in (("backprop-hand-01", "backprop-hand-02", "forward_shown"),
                                    ("backprop-hand-03", "backprop-hand-04", "backward_shown")):
        shown = sorted(table_values(_source(cells[table_id])))
        asserted = sorted(asserted_values(_source(cells[code_id]), name))
        assert shown, f"{table_id}: no table values found"
        assert set(shown) == set(asserted), (
            f"{table_id} shows {sorted(set(shown) - set(asserted))} that {code_id} does not "
            f"assert; {code_id} asserts {sorted(set(asserted) - set(shown))} that the table "
            "does not show")


def test_table_parser_reads_the_value_column():
    md = ("| step (shape) | computation | value |\n| --- | --- | --- |\n"
          "| a, $2\\times 1$ | $x = 0.5\\cdot 2$ "
          "| $\\begin{bmatrix} -0.25 \\\\ 1\\end{bmatrix}$ |\n")
    assert table_values(md) == [-0.25, 1.0]


def test_one_meaning_per_symbol():
    markdown = "\n".join(_source(c) for c in _cells().values() if c["cell_type"] == "markdown")
    clashes = (
        (r"A_l|A_\{l|\\nabla_\{A", "weights are W_l, as in the chain rule chapter and exercises"),
        (r"O\(L\s*n|O\(L\^2", "L is the loss; the depth is D"),
        (r"\\Delta_\{\\text\{rows", "Delta is grad_Z L in both conventions; no Delta_rows"),
        (r"\\delta_\{ij\}\s*x", "the chapter writes the indicator 1[i = j], not a Kronecker delta"),
    )
    for pattern, why in clashes:
        assert not re.search(pattern, markdown), why
