"""The chain rule chapter's section "When autograd cannot follow" states what the pinned autograd
does with code it cannot trace. Its cells assert each claim against the version they were run
with. These tests tie that version to ``requirements.txt`` (so that bumping autograd names the
section to revise, instead of failing inside a notebook cell) and keep every pitfall paired with
an asserting cell."""

from __future__ import annotations

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHAPTER = ROOT / "chapters" / "chain_rule.ipynb"
SECTION = "## When autograd cannot follow"


def _cells() -> list[dict]:
    return json.loads(CHAPTER.read_text(encoding="utf-8"))["cells"]


def _source(cell: dict) -> str:
    return "".join(cell["source"])


def _pinned_autograd() -> str:
    requirements = (ROOT / "requirements.txt").read_text(encoding="utf-8")
    found = re.search(r"^autograd==(\S+)\s*$", requirements, re.M)
    assert found, "requirements.txt does not pin autograd"
    return found.group(1)


def test_pitfalls_are_checked_against_the_pinned_autograd():
    pinned = _pinned_autograd()
    code = "\n".join(_source(c) for c in _cells() if c["cell_type"] == "code")
    checked = re.findall(r'version\("autograd"\) == "([^"]+)"', code)
    assert checked == [pinned], (
        f"the chain rule chapter checks its autograd pitfalls against {checked}, but "
        f"requirements.txt pins autograd {pinned}: re-run the section {SECTION!r}, revise what "
        "it says works and fails, and update the version it asserts")
    markdown = "\n".join(_source(c) for c in _cells() if c["cell_type"] == "markdown")
    named = set(re.findall(r"autograd (\d+\.\d+\.\d+)", markdown))
    assert named == {pinned}, f"the prose names autograd {named}, the pin is {pinned}"


def test_every_pitfall_has_an_asserting_cell():
    cells = _cells()
    start = next(i for i, c in enumerate(cells) if _source(c).startswith(SECTION))
    end = next(i for i in range(start + 1, len(cells))
               if cells[i]["cell_type"] == "markdown" and _source(cells[i]).startswith("## "))
    pitfalls: list[tuple[str, list[str]]] = []  # (title, code cells until the next pitfall)
    for cell in cells[start + 1:end]:
        text = _source(cell)
        title = re.match(r"\*\*(\d+\.[^*]+)\*\*", text) if cell["cell_type"] == "markdown" else None
        if title:
            pitfalls.append((title.group(1), []))
        elif cell["cell_type"] == "code" and pitfalls:
            pitfalls[-1][1].append(text)
    assert len(pitfalls) >= 7, [t for t, _ in pitfalls]
    numbers = [int(t.split(".")[0]) for t, _ in pitfalls]
    assert numbers == list(range(1, len(pitfalls) + 1)), numbers
    for title, code in pitfalls:
        assert any(re.search(r"\bassert\b", c) for c in code), f"pitfall {title!r} asserts nothing"
