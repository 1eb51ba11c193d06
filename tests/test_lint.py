"""The code passes ruff with the project's settings (pyproject.toml: pycodestyle, pyflakes,
isort, bugbear, pyupgrade; lines up to 100)."""

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_ruff_clean():
    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
    assert ruff, "ruff is pinned in requirements.txt: run `make env`"
    result = subprocess.run([ruff, "check", "--output-format", "concise", "mlcalc", "tests",
                             "benchmarks"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
