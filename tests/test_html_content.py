"""What a reader sees in the built HTML: every figure and explorer of a chapter is on its page.

A figure can vanish without any error: `plt.show()` under a non-inline backend (for example
`MPLBACKEND=Agg` leaking into the kernel) draws nothing and the build still succeeds.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import HTML_DIR, ROOT

CHAPTERS = sorted((ROOT / "chapters").glob("*.ipynb"))


def _expected_images(nb_path: Path) -> int:
    nb = json.loads(nb_path.read_text(encoding="utf-8"))
    count = 0
    for cell in nb["cells"]:
        if cell["cell_type"] != "code" or "remove-cell" in cell["metadata"].get("tags", []):
            continue
        source = "".join(cell["source"])
        count += len(re.findall(r"\bplt\.show\(\)", source))
        # An explorer is the last expression of its cell and shows one image. (The symbolic
        # engine's derivation_explorer is a form that shows text and math, not an image.)
        lines = [ln for ln in source.strip().splitlines() if ln and not ln[0].isspace()]
        if lines and re.search(r"\bexplore\(|(?<!derivation)_explorer\(",
                               "\n".join(lines[-8:])):
            count += 1
    return count


@pytest.mark.parametrize("nb_path", CHAPTERS, ids=[p.stem for p in CHAPTERS])
def test_every_figure_reaches_the_page(html_dir, nb_path):
    page = html_dir / "chapters" / f"{nb_path.stem}.html"
    assert page.exists(), f"{page.relative_to(HTML_DIR)} was not built"
    images = len(re.findall(r"<img\b", page.read_text(encoding="utf-8")))
    expected = _expected_images(nb_path)
    assert images >= expected, (
        f"{nb_path.name} shows {expected} figures/explorers but its page has only {images} images"
    )


PAGE_BUDGET_BYTES = 3 * 1024 * 1024


def test_every_page_is_within_its_weight_budget(html_dir):
    """Explorers embed their frames; a page (HTML plus its own images) stays under 3 MB."""
    heavy = []
    for page in html_dir.rglob("*.html"):
        if "_static" in page.parts:
            continue
        text = page.read_text(encoding="utf-8")
        weight = len(text.encode("utf-8"))
        for src in re.findall(r'<img[^>]+src="(?!data:)([^"]+)"', text):
            image = (page.parent / src).resolve()
            if image.exists():
                weight += image.stat().st_size
        if weight > PAGE_BUDGET_BYTES:
            heavy.append(f"{page.relative_to(html_dir)}: {weight / 1e6:.2f} MB")
    assert not heavy, "pages over 3 MB: " + ", ".join(heavy)


def _visible_prose(html_text: str) -> str:
    """The page's text outside code, scripts, styles and typeset math."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html_text, "html.parser")
    main = soup.find("main") or soup
    for tag in main.find_all(["script", "style", "pre", "code", "kbd", "samp"]):
        tag.decompose()
    for tag in main.select(".math, .cell_output, .mlx-explorer, .highlight"):
        tag.decompose()
    return main.get_text(" ")


SOURCE_PAGES = sorted(
    p
    for p in HTML_DIR.rglob("*.html")
    if "_static" not in p.parts and p.name not in {"genindex.html", "search.html"}
)


@pytest.mark.parametrize(
    "page", SOURCE_PAGES, ids=[str(p.relative_to(HTML_DIR)) for p in SOURCE_PAGES]
)
def test_no_unparsed_math_in_prose(html_dir, page):
    """A `$` left in the prose means MyST did not recognise a formula (`$$` glued to a line)."""
    text = _visible_prose(page.read_text(encoding="utf-8"))
    hits = [m.start() for m in re.finditer(r"\$", text)]
    snippets = [text[max(0, k - 40): k + 40].replace("\n", " ") for k in hits[:3]]
    assert not hits, f"{len(hits)} stray '$' on {page.relative_to(html_dir)}: {snippets}"
