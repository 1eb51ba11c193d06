"""Every notebook of the book opened in a real JupyterLab, rendered as a learner sees it.

JupyterLab (this environment's: the pinned JupyterLab, jupyterlab-myst and the book's settings)
serves a temporary learner workspace made by ``mlcalc.workspace.sync``, exactly what
``make lab`` opens, in headless Chromium. Every chapter, exercise and solution notebook must
open with its markdown rendered: no raw MyST (labels, roles, fences, directive options), no
"Cross Reference Not Found", no math error (KaTeX), no link to a file that does not exist,
every hint folded, and the notebook not marked modified on open. Notebooks are opened
without a kernel here (reading only); the run tests open theirs with one. A planted notebook proves
the audit catches each defect.

Skipped locally where Chromium or Playwright is missing (a failure under CI, which installs
both). The server and the tab are the ``lab`` and ``lab_page`` fixtures of ``conftest.py``; no
request may leave 127.0.0.1.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from jupyterlab_driver import RAW_MYST, Notebook

pytestmark = pytest.mark.jupyterlab

ROOT = Path(__file__).resolve().parent.parent
SHOTS = ROOT / "_build" / "screenshots"
BOOK_NOTEBOOKS = sorted(
    str(p.relative_to(ROOT)) for folder in ("chapters", "exercises")
    for p in (ROOT / folder).rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts
)
# Logged by JupyterLab itself when a notebook is opened without a kernel (as here), never
# when it has one (the run tests, which open notebooks with their kernel, allow no page error).
NO_KERNEL_ARTIFACTS = {"Cannot read properties of null (reading 'kernel')"}
# Where a screenshot is taken (at the first cell holding the text): look at them.
SCREENSHOT_AT = {"chapters/hessians.ipynb": "{admonition} Common mistakes",
                 "exercises/gradients.ipynb": "## 2."}


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"jupyterlab-{name}.png"))


def _audit(nb: Notebook, work: Path) -> list[str]:
    """Every way the rendered markdown of ``nb`` fails the learner, as readable lines."""
    problems = []
    folder = (work / nb.path).parent
    for cell in nb.audit_markdown():
        where = f"{nb.path} cell {cell['index']}"
        if cell["source"].strip() and not cell["rendered"]:
            problems.append(f"{where}: markdown not rendered")
            continue
        for line in cell["text"].splitlines():
            for pattern in RAW_MYST:
                if re.search(pattern, line.strip()):
                    problems.append(f"{where}: raw MyST visible: {line.strip()[:80]!r}")
        problems += [f"{where}: {p}" for p in cell["problems"]]
        for href in cell["links"]:
            parts = urlsplit(href)
            if parts.scheme in ("http", "https") and parts.hostname not in ("127.0.0.1",
                                                                             "localhost"):
                continue  # an outside reference: shown, never fetched
            if href.startswith("#"):
                continue
            path = unquote(parts.path)
            if "/files/" in path:
                target = work / path.split("/files/", 1)[1]
            else:
                target = (folder / path).resolve()
            if not target.exists():
                problems.append(f"{where}: dead link {href.split('?')[0]!r}")
        for d in cell["details"]:
            if d["open"]:
                problems.append(f"{where}: {d['summary']!r} is unfolded on open")
    return problems


@pytest.mark.parametrize("path", BOOK_NOTEBOOKS)
def test_notebook_opens_rendered(lab_page, lab, path):
    """No raw MyST, no unresolved reference, no math error, no dead link, hints folded."""
    seen = len(lab_page.page_errors)
    nb = Notebook(lab_page, lab, path, reload=False, kernel=False)
    problems = _audit(nb, lab.root)
    assert not problems, "\n".join(problems[:15])
    assert not nb.dirty, f"{path} is marked modified as soon as it opens"
    # (With its kernel started it stays unmodified too: tests/test_jupyterlab_run.py.)
    errors = [e for e in lab_page.page_errors[seen:] if e not in NO_KERNEL_ARTIFACTS]
    assert not errors, errors[:3]
    if path in SCREENSHOT_AT:
        nb.scroll_to(nb.index_of(SCREENSHOT_AT[path]))
        _shot(lab_page, "rendered-" + path.replace("/", "-").removesuffix(".ipynb"))


def test_audit_catches_raw_markup(lab_page, lab):
    """The audit above can fail: a notebook with each defect planted is reported on each."""
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.metadata = {"kernelspec": {"name": "python3", "display_name": "Python 3 (ipykernel)",
                                  "language": "python"}}
    nb.cells = [nbformat.v4.new_markdown_cell(s) for s in (
        "Math error $\\frac{1}{$ here.",
        "A role {ref}`ch-gradients` to another notebook.",
        "A link to [nowhere](nope.ipynb).",
        ":::{dropdown} Hint\n:open:\nvisible\n:::",
        ":::{no-such-directive}\nbody\n:::",
    )]
    nbformat.write(nb, lab.root / "planted.ipynb")
    found = "\n".join(_audit(Notebook(lab_page, lab, "planted.ipynb", reload=False,
                                       kernel=False), lab.root))
    (lab.root / "planted.ipynb").unlink()
    for expected in ("cell 0: Unexpected end of input", "cell 1: Cross Reference Not Found",
                     "cell 2: dead link", "cell 3: 'Hint' is unfolded", "cell 4: "):
        assert expected in found, f"the audit missed: {expected}\n{found}"


