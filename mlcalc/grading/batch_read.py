"""Reading a submitted notebook for batch grading (this process: parsing only, never
executing): its code cells, with magics made harmless and the ``check(`` calls left out, and
its chapter (from the label, the check cells, the answers it defines or the file name)."""

from __future__ import annotations

import ast
import json
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from .catalogue import CHAPTERS
from .spec import EXERCISES, Exercise, _answer_owner

# ================================================================================================
# reading a submission (this process: parsing only, never executing)
# ================================================================================================

@dataclass
class _Cell:
    number: int             # position in the notebook, from 1, counting every cell
    source: str             # as written
    code: str | None        # what the child runs (magics made harmless); None: not run
    syntax_error: str = ""

    @property
    def head(self) -> str:
        first = next((ln.strip() for ln in self.source.splitlines() if ln.strip()), "")
        return first if len(first) <= 60 else first[:57] + "..."


def _is_check_call(node: ast.AST) -> bool:
    return isinstance(node, ast.Call) and (
        (isinstance(node.func, ast.Name) and node.func.id == "check")
        or (isinstance(node.func, ast.Attribute) and node.func.attr == "check"))


def _calls_check(stmt: ast.stmt) -> bool:
    """A top-level statement that calls ``check(`` (a check cell's line); definitions are kept."""
    if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return False
    return any(_is_check_call(n) for n in ast.walk(stmt))


def _without_magics(source: str) -> str | None:
    """The cell with IPython magics and ``!`` lines turned into calls, or None if impossible."""
    try:
        from IPython.core.inputtransformer2 import TransformerManager
    except Exception:  # noqa: BLE001 - IPython missing: magics stay syntax errors
        return None
    try:
        return TransformerManager().transform_cell(source)
    except Exception:  # noqa: BLE001
        return None


def _syntax_message(e: SyntaxError) -> str:
    where = f"line {e.lineno}" if e.lineno else "somewhere"
    text = (e.text or "").strip()
    return f"{type(e).__name__} at {where}: {e.msg}" + (f" (`{text[:80]}`)" if text else "")


def _prepare_cell(number: int, source: str) -> _Cell:
    try:
        ast.parse(source)
        return _Cell(number, source, source)
    except (SyntaxError, ValueError) as e:   # ValueError: null bytes
        err = e
    if re.search(r"^\s*[%!]", source, re.MULTILINE):
        code = _without_magics(source)
        if code is not None:
            try:
                ast.parse(code)
                return _Cell(number, source, code)
            except (SyntaxError, ValueError):
                pass
    msg = _syntax_message(err) if isinstance(err, SyntaxError) else f"{err}"
    return _Cell(number, source, None, msg)


def _read_notebook(path: Path) -> tuple[list[str], list[_Cell]]:
    """The markdown sources and the prepared code cells; raises ValueError if unreadable."""
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        raise ValueError(f"not a readable notebook ({type(e).__name__}: {e})"[:300]) from e
    cells = nb.get("cells") if isinstance(nb, dict) else None
    if not isinstance(cells, list):
        raise ValueError("not a Jupyter notebook in format 4 (no list of cells)")
    markdown, code = [], []
    for number, cell in enumerate(cells, start=1):
        if not isinstance(cell, dict):
            continue
        src = cell.get("source", "")
        src = "".join(s for s in src if isinstance(s, str)) if isinstance(src, list) else src
        if not isinstance(src, str):
            continue
        if cell.get("cell_type") == "code":
            code.append(_prepare_cell(number, src))
        elif cell.get("cell_type") == "markdown":
            markdown.append(src)
    return markdown, code


def _defined_names(cell: _Cell) -> set[str]:
    """Names a cell defines or assigns at top level (textually, so also for a syntax error)."""
    found = re.findall(r"^(?:async\s+)?def\s+([A-Za-z_]\w*)|^([A-Za-z_]\w*)\s*=(?!=)",
                       cell.source, re.MULTILINE)
    return {a or b for a, b in found}


def _chapter_of(path: Path, markdown: list[str], cells: list[_Cell]) -> str | None:
    """The chapter a submission answers: label, check ids, defined answers, then file name."""
    first = markdown[0] if markdown else ""
    m = re.match(r"\s*\((?:ex|sol)-([a-z0-9_]+)\)=", first)
    if m and m.group(1) in CHAPTERS:
        return m.group(1)
    code = "\n".join(c.source for c in cells)
    ids = Counter(c for c in re.findall(r"""check\(\s*["']([a-z0-9_]+)/""", code)
                  if c in CHAPTERS)
    if ids:
        return ids.most_common(1)[0][0]
    owners = Counter()
    for c in cells:
        for name in _defined_names(c):
            ex = _answer_owner(name)
            if ex is not None:
                owners[ex.id.split("/", 1)[0]] += 1
    if owners:
        return owners.most_common(1)[0][0]
    return path.stem if path.stem in CHAPTERS else None


def chapter_exercises(chapter: str) -> list[Exercise]:
    """The registered exercises of a chapter, in the book's order."""
    return [ex for ex in EXERCISES.values() if ex.id.startswith(chapter + "/")]
