"""The book's promise rests on this: a wrong formula in a check cell fails the test command.

Two tiny notebooks are written to a temporary folder and run under nbval exactly as `make test`
runs the chapters: one states the right gradient of x^T A x, the other the classic wrong one, 2Ax,
which is right only for symmetric A.
"""

from __future__ import annotations

import subprocess
import sys

import nbformat
import pytest

CHECK = """\
import numpy as np
from mlcalc import check_grad

rng = np.random.default_rng(0)
A = rng.standard_normal((4, 4))          # not symmetric, on purpose
x = rng.standard_normal(4)
f = lambda x: x @ A @ x
grad_f = lambda x: {formula}
check_grad(f, grad_f, x).assert_ok()
"""


def _notebook(formula: str) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Fixture"),
        nbformat.v4.new_code_cell(CHECK.format(formula=formula)),
    ]
    return nb


def _run_nbval(tmp_path, formula: str) -> subprocess.CompletedProcess:
    path = tmp_path / "fixture.ipynb"
    nbformat.write(_notebook(formula), path)
    return subprocess.run(
        [sys.executable, "-m", "pytest", "--nbval-lax", "-p", "no:cacheprovider", "-q",
         "-o", "addopts=", "--rootdir", str(tmp_path), str(path)],
        capture_output=True, text=True, timeout=300, cwd=tmp_path,
    )


@pytest.mark.slow
def test_right_formula_passes(tmp_path):
    result = _run_nbval(tmp_path, "(A + A.T) @ x")
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]


@pytest.mark.slow
def test_wrong_formula_fails_the_run(tmp_path):
    result = _run_nbval(tmp_path, "2 * A @ x")
    assert result.returncode == 1, (
        "nbval passed a notebook whose check cell asserts a wrong formula")
    assert "AssertionError" in result.stdout
