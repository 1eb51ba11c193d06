"""The commands CONTRIBUTING.md and README.md document work as documented.

Every ``make <target>`` they name exists (``make -n`` accepts it), and the pytest command lines
they run behave: ``make notebooks`` with two workers keeps each notebook's cells on one worker
(before the options moved into ``pyproject.toml`` it split them and failed with NameError), and
the one-notebook command runs that notebook's cells.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = [ROOT / "CONTRIBUTING.md", ROOT / "README.md"]
SMALL_NOTEBOOKS = ["chapters/notation.ipynb", "chapters/how_to_use.ipynb"]


def _documented() -> list[str]:
    return sorted({cmd for doc in DOCS
                   for cmd in re.findall(r"`((?:make|\.venv/bin/\S+) [^`|]*)`", doc.read_text())})


def _make_targets() -> list[str]:
    return sorted({m.group(1) for cmd in _documented()
                   for m in [re.match(r"make ([\w-]+)", cmd)] if m})


def _recipe(target: str) -> list[str]:
    """The command ``make <target>`` would run (its last recipe line), as argv."""
    # --no-print-directory: under `make test` (MAKELEVEL set) make would print "Leaving
    # directory" lines around the recipe.
    out = subprocess.run(["make", "--no-print-directory", "-n", target], cwd=ROOT,
                         capture_output=True, text=True, check=True).stdout.strip().splitlines()
    return shlex.split([line for line in out if not line.startswith("make")][-1])


needs_make = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


def test_docs_name_the_commands():
    targets = _make_targets()
    for expected in ("book", "test", "unit", "notebooks", "browser", "lab"):
        assert expected in targets, f"`make {expected}` is not documented"


@needs_make
@pytest.mark.parametrize("target", _make_targets())
def test_documented_make_target_exists(target):
    r = subprocess.run(["make", "-n", target], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, f"`make {target}` fails: {r.stderr.strip()[:300]}"


def _run_pytest(argv: list[str]) -> subprocess.CompletedProcess:
    env_args = [a for a in argv if "=" in a and not a.startswith("-")]
    argv = [a for a in argv if a not in env_args]
    i = argv.index("pytest")
    cmd = [sys.executable, "-m", "pytest", *argv[i + 1:]]
    env = dict(os.environ, **dict(a.split("=", 1) for a in env_args))
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, env=env, timeout=300)


@needs_make
@pytest.mark.slow
def test_make_notebooks_keeps_each_notebook_on_one_worker():
    """`make notebooks` runs pytest -n 2: every cell of a notebook must share one kernel."""
    argv = _recipe("notebooks")
    assert "-n" in argv and "chapters" in argv and "exercises" in argv, argv
    argv = [a for a in argv if a not in ("chapters", "exercises")] + SMALL_NOTEBOOKS
    r = _run_pytest(argv)
    assert r.returncode == 0 and "NameError" not in r.stdout, r.stdout[-2000:]
    assert re.search(r"\b\d+ passed", r.stdout), r.stdout[-500:]


def test_one_notebook_command_runs_its_cells():
    """The documented one-notebook command collects the notebook's cells and runs them."""
    cmd = next(c for c in _documented() if re.search(r"pytest \S*\.ipynb", c))
    argv = shlex.split(cmd)
    argv = [("pytest" if a.endswith("/pytest") else a) for a in argv]
    argv[-1] = SMALL_NOTEBOOKS[0]
    r = _run_pytest(argv)
    assert r.returncode == 0, r.stdout[-2000:]
    assert re.search(r"\b\d+ passed", r.stdout), r.stdout[-500:]
