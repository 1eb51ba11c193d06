"""Every solution notebook opened in a real JupyterLab, rendered as a learner sees it.

The same audit as ``test_jupyterlab_render.py`` (no raw MyST, no unresolved reference, no math
error, no dead link, every fold closed, not modified on open), on the solution notebooks. A
learner notebook is its solution notebook without the worked solutions (kept in sync by
``tests/test_exercises.py``), so this covers the markdown of every exercise notebook too.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from jupyterlab_driver import assert_opens_rendered

pytestmark = pytest.mark.jupyterlab

ROOT = Path(__file__).resolve().parent.parent
SOLUTIONS = [str(p.relative_to(ROOT))
             for p in sorted((ROOT / "exercises" / "solutions").glob("*.ipynb"))]


@pytest.mark.parametrize("path", SOLUTIONS)
def test_solution_notebook_opens_rendered(lab_page, lab, path):
    assert_opens_rendered(lab_page, lab, path)
