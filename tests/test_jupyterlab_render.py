"""The chapters opened in a real JupyterLab, rendered as a learner sees it.

JupyterLab (this environment's: the pinned JupyterLab, jupyterlab-myst and the book's settings)
serves a temporary learner workspace made by ``mlcalc.workspace.sync``, exactly what
``make lab`` opens, in headless Chromium. Every chapter (and one learner exercise notebook;
the solution notebooks, which hold every learner notebook's markdown, are audited the same way
in test_jupyterlab_render_solutions.py) must open with its markdown rendered: no raw MyST
(labels, roles, fences, directive options), no "Cross Reference Not Found", no math error
(KaTeX), no link to a file that does not exist, every hint folded, and the notebook not marked
modified on open. Notebooks are opened without a kernel here (reading only); the run tests open
theirs with one. A planted notebook proves the audit catches each defect.

Skipped locally where Chromium or Playwright is missing (a failure under CI, which installs
both). The server and the tab are the ``lab`` and ``lab_page`` fixtures of ``conftest.py``; no
request may leave 127.0.0.1.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from jupyterlab_driver import Notebook, assert_opens_rendered, audit, shot

pytestmark = pytest.mark.jupyterlab

ROOT = Path(__file__).resolve().parent.parent
SHOTS = ROOT / "_build" / "screenshots"
# The chapters and one learner notebook here; the solution notebooks, whose markdown includes
# every learner notebook's (tests/test_exercises.py keeps them in sync), in
# test_jupyterlab_render_solutions.py, so that the two halves can run on two workers.
BOOK_NOTEBOOKS = [str(p.relative_to(ROOT)) for p in sorted((ROOT / "chapters").glob("*.ipynb"))]
BOOK_NOTEBOOKS.append("exercises/gradients.ipynb")
# Where a screenshot is taken (at the first cell holding the text): look at them.
SCREENSHOT_AT = {"chapters/hessians.ipynb": "{admonition} Common mistakes",
                 "exercises/gradients.ipynb": "## 2."}


@pytest.mark.parametrize("path", BOOK_NOTEBOOKS)
def test_notebook_opens_rendered(lab_page, lab, path):
    """No raw MyST, no unresolved reference, no math error, no dead link, hints folded."""
    nb = assert_opens_rendered(lab_page, lab, path)
    if path in SCREENSHOT_AT:
        nb.scroll_to(nb.index_of(SCREENSHOT_AT[path]))
        shot(lab_page, "rendered-" + path.replace("/", "-").removesuffix(".ipynb"))


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
    found = "\n".join(audit(Notebook(lab_page, lab, "planted.ipynb", reload=False,
                                       kernel=False), lab.root))
    (lab.root / "planted.ipynb").unlink()
    for expected in ("cell 0: Unexpected end of input", "cell 1: Cross Reference Not Found",
                     "cell 2: dead link", "cell 3: 'Hint' is unfolded", "cell 4: "):
        assert expected in found, f"the audit missed: {expected}\n{found}"


