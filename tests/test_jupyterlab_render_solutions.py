"""Every solution notebook opened in a real JupyterLab, rendered as a learner sees it.

The same audit as ``test_jupyterlab_render.py`` (no raw MyST, no unresolved reference, no math
error, no dead link, every fold closed, not modified on open), on the solution notebooks. A
learner notebook is its solution notebook without the worked solutions (kept in sync by
``tests/test_exercises.py``), so this covers the markdown of every exercise notebook too.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from jupyterlab_driver import NO_KERNEL_ARTIFACTS, Notebook, audit

pytestmark = pytest.mark.jupyterlab

ROOT = Path(__file__).resolve().parent.parent
SOLUTIONS = [str(p.relative_to(ROOT))
             for p in sorted((ROOT / "exercises" / "solutions").glob("*.ipynb"))]


@pytest.mark.parametrize("path", SOLUTIONS)
def test_solution_notebook_opens_rendered(lab_page, lab, path):
    seen = len(lab_page.page_errors)
    nb = Notebook(lab_page, lab, path, reload=False, kernel=False)
    problems = audit(nb, lab.root)
    assert not problems, "\n".join(problems[:15])
    assert not nb.dirty, f"{path} is marked modified as soon as it opens"
    errors = [e for e in lab_page.page_errors[seen:] if e not in NO_KERNEL_ARTIFACTS]
    assert not errors, errors[:3]
