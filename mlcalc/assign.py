"""Make the learner exercise notebooks from the solution notebooks.

``python -m mlcalc.assign`` reads every ``exercises/solutions/<name>.ipynb`` and writes
``exercises/<name>.ipynb``:

* the code between ``### BEGIN SOLUTION`` and ``### END SOLUTION`` (the nbgrader convention) is
  replaced by ``raise NotImplementedError  # your code here`` at the same indentation;
* markdown cells tagged ``solution`` (the worked derivations) are dropped;
* the first cell (``(sol-<name>)=`` / ``# Solutions: <Title>``) becomes the learner's opening
  cell (``(ex-<name>)=`` / ``# Exercises: <Title>``) with a short introduction;
* outputs and execution counts are cleared, and the ``hide-input`` tag is removed (a learner
  must see the stub).

``python -m mlcalc.assign --check`` writes nothing and exits with status 1 when a learner
notebook is missing or differs from what would be generated.
"""

from __future__ import annotations

import argparse
import copy
import re
import sys
from pathlib import Path

import nbformat

__all__ = ["make_learner_notebook", "strip_solutions", "main"]

BEGIN = "### BEGIN SOLUTION"
END = "### END SOLUTION"
STUB = "raise NotImplementedError  # your code here"
ROOT = Path(__file__).resolve().parent.parent


def strip_solutions(source: str) -> str:
    """Replace every solution block in ``source`` by a ``raise NotImplementedError`` stub.

    Raises:
        ValueError: if the markers are unbalanced.
    """
    out: list[str] = []
    inside = False
    for line in source.splitlines():
        stripped = line.strip()
        if stripped == BEGIN:
            if inside:
                raise ValueError("nested ### BEGIN SOLUTION")
            inside = True
            indent = line[: len(line) - len(line.lstrip())]
            out.append(indent + STUB)
        elif stripped == END:
            if not inside:
                raise ValueError("### END SOLUTION without BEGIN")
            inside = False
        elif not inside:
            out.append(line)
    if inside:
        raise ValueError("### BEGIN SOLUTION without END")
    return "\n".join(out)


def _intro(name: str, title: str, chapter_link: str) -> str:
    # Plain relative links, not {ref}/{doc} roles: they work in the HTML book and in JupyterLab.
    return (
        f"(ex-{name})=\n# Exercises: {title}\n\n"
        f"Practise what {chapter_link} teaches. Each exercise states a task with the "
        "shapes of every input. Replace the line `raise NotImplementedError` in the function "
        "below it by your answer, then run the check cell: it grades your function at several "
        "test inputs (non-symmetric matrices, non-square shapes) and says what is wrong, if "
        "anything: a transpose, a factor 2, a missing term. Hints are folded, in levels: "
        "open **Hint 1** for a nudge first, then the method, then the key identity. "
        f"Worked solutions: [Solutions: {title}](solutions/{name}.ipynb).\n\n"
        "Run the imports cell first. Your verdicts are kept in your own copy of the book (the "
        "one `make lab` opens): run `from mlcalc import progress; "
        f'progress("{name}")` in any cell to see which exercises you have passed, even after a '
        "kernel restart."
    )


def make_learner_notebook(solution: nbformat.NotebookNode, name: str) -> nbformat.NotebookNode:
    """The learner notebook for the solution notebook ``solution`` named ``name``."""
    nb = copy.deepcopy(solution)
    first = "".join(nb.cells[0].source)
    m = re.match(r"\(sol-([a-z0-9_-]+)\)=\n# Solutions: (.+)\n", first)
    if not m:
        raise ValueError(f"{name}: the first cell must start with '(sol-...)=' and "
                         "'# Solutions: <Title>'")
    title = m.group(2).strip()
    link = re.search(r"\[([^\]]+)\]\(\.\./\.\./chapters/([a-z0-9_]+)\.ipynb\)", first)
    chapter = (link.group(1), link.group(2)) if link else (title, name)
    chapter_link = f"[{chapter[0]}](../chapters/{chapter[1]}.ipynb)"
    cells = [nbformat.v4.new_markdown_cell(_intro(name, title, chapter_link))]
    ids = [nb.cells[0].get("id", "")]
    for cell in nb.cells[1:]:
        tags = list(cell.get("metadata", {}).get("tags", []))
        if cell.cell_type == "markdown" and "solution" in tags:
            continue
        new = copy.deepcopy(cell)
        ids.append(new.pop("id", ""))
        if new.cell_type == "code":
            new.source = strip_solutions("".join(new.source))
            new.outputs = []
            new.execution_count = None
        tags = [t for t in tags if t != "hide-input"]
        if tags:
            new.metadata["tags"] = tags
        else:
            new.metadata.pop("tags", None)
        cells.append(new)
    out = nbformat.v4.new_notebook()
    out.metadata = copy.deepcopy(solution.metadata)
    out.cells = cells
    # A learner cell keeps the id of the solution cell it comes from ("sol-" dropped), so ids
    # stay the same when exercises are added or removed: the learner's workspace is merged by id.
    for i, (cell, sol_id) in enumerate(zip(out.cells, ids, strict=True)):
        cell["id"] = sol_id.removeprefix("sol-") if sol_id else f"{name}-{i}"
    if len({c["id"] for c in out.cells}) != len(out.cells):
        raise ValueError(f"{name}: the solution notebook has duplicate cell ids")
    return out


def _render(nb: nbformat.NotebookNode) -> str:
    return nbformat.writes(nb, version=4) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Command line: generate (or with ``--check`` verify) every learner notebook."""
    parser = argparse.ArgumentParser(prog="python -m mlcalc.assign", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true",
                        help="do not write; exit 1 if a learner notebook is out of date")
    parser.add_argument("--root", type=Path, default=ROOT, help="the book's root folder")
    args = parser.parse_args(argv)
    sol_dir = args.root / "exercises" / "solutions"
    solutions = sorted(sol_dir.glob("*.ipynb"))
    if not solutions:
        print(f"no solution notebooks in {sol_dir}", file=sys.stderr)
        return 1
    stale = []
    for path in solutions:
        name = path.stem
        learner = make_learner_notebook(nbformat.read(path, as_version=4), name)
        text = _render(learner)
        target = args.root / "exercises" / f"{name}.ipynb"
        current = target.read_text(encoding="utf-8") if target.exists() else None
        if current != text:
            stale.append(target)
            if not args.check:
                target.write_text(text, encoding="utf-8")
    if args.check:
        for t in stale:
            print(f"out of date: {t.relative_to(args.root)} (run `python -m mlcalc.assign`)")
        return 1 if stale else 0
    print(f"{len(solutions)} learner notebooks: {len(stale)} written, "
          f"{len(solutions) - len(stale)} already up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
