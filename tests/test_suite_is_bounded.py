"""The suite cannot hang: every test has a time limit (pytest-timeout, set in pyproject.toml),
so a runaway sandbox fails the suite instead of blocking it. Proven by running pytest on a test
that never ends: it must fail, quickly, and say why."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_the_suite_has_a_time_limit(pytestconfig):
    assert float(pytestconfig.getini("timeout")) > 0, "pyproject.toml sets no test time limit"


@pytest.mark.timeout(60)
def test_a_runaway_test_fails_instead_of_hanging(tmp_path):
    runaway = tmp_path / "test_runaway.py"
    runaway.write_text(
        "import time\nimport pytest\n\n\n@pytest.mark.timeout(2)\n"
        "def test_never_ends():\n    while True:\n        try:\n            time.sleep(10)\n"
        "        except BaseException:\n            pass\n")
    t0 = time.monotonic()
    r = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                        f"--rootdir={ROOT}", "-c", str(ROOT / "pyproject.toml"), str(runaway)],
                       capture_output=True, text=True, timeout=50, cwd=tmp_path)
    assert r.returncode != 0, r.stdout[-1500:]
    assert "Timeout" in r.stdout + r.stderr, (r.stdout + r.stderr)[-1500:]
    assert time.monotonic() - t0 < 40
