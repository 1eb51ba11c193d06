"""The Jacobians chapter keeps what other chapters rely on.

Other notebooks link into sections of ``chapters/jacobians.ipynb`` (the backprop chapter's bias
gradient points at "Broadcasting forward, summing backward"), so those headings must keep their
slug; and the layout box's two bullets must stay two bullets (they were once glued into one
paragraph with a stray dash).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHAPTER = ROOT / "chapters" / "jacobians.ipynb"

# slug -> heading text; sections other chapters are invited to link to
STABLE_SECTIONS = {
    "the-derivative-is-a-linear-map": "The derivative is a linear map",
    "the-chain-rule-for-differentials": "The chain rule for differentials",
    "elementwise-operations-on-two-vectors": "Elementwise operations on two vectors",
    "broadcasting-forward-summing-backward": "Broadcasting forward, summing backward",
    "numerator-and-denominator-layout": "Numerator and denominator layout",
}


def _markdown(path: Path) -> list[str]:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return ["".join(c["source"]) for c in cells if c["cell_type"] == "markdown"]


def slug(title: str) -> str:
    """The anchor a heading gets (GitHub style, as MyST's heading anchors and Sphinx ids)."""
    text = re.sub(r"[^\w\s-]", "", title.strip().lower())
    return re.sub(r"\s+", "-", text)


def _headings(path: Path) -> dict[str, str]:
    found = {}
    for text in _markdown(path):
        for m in re.finditer(r"^#{1,6}\s+(.+?)\s*$", text, re.M):
            found[slug(m.group(1))] = m.group(1)
    return found


def test_slug_matches_the_built_anchor():
    assert slug("Broadcasting forward, summing backward") == "broadcasting-forward-summing-backward"
    assert slug("The derivative is a linear map") == "the-derivative-is-a-linear-map"


def test_stable_sections_exist():
    headings = _headings(CHAPTER)
    for anchor, title in STABLE_SECTIONS.items():
        assert headings.get(anchor) == title, f"heading {title!r} (#{anchor}) is missing"


def test_links_into_the_chapter_resolve():
    """Every ``jacobians.ipynb#anchor`` link in the book points at a heading of the chapter."""
    headings = _headings(CHAPTER)
    notebooks = sorted((ROOT / "chapters").glob("*.ipynb")) + sorted(
        (ROOT / "exercises").rglob("*.ipynb"))
    for path in notebooks:
        for text in _markdown(path):
            for anchor in re.findall(r"\]\([^)\s]*jacobians\.ipynb#([^)\s]+)\)", text):
                assert anchor in headings, f"{path.name}: link to missing #{anchor}"


def test_layout_box_has_two_bullets():
    box = next(t for t in _markdown(CHAPTER) if "Layout box" in t)
    bullets = re.findall(r"^- \*\*(Numerator|Denominator) layout\*\*", box, re.M)
    assert bullets == ["Numerator", "Denominator"], bullets
    assert not re.search(r"\$\.[ \t]+- \*\*Denominator", box), "the two bullets are glued again"
