"""The built book must load nothing from the network: no remote script, style, font or image.

Links (`<a href>`) to the outside world are allowed; resources are not. This scans the HTML and
CSS that the build produced; tests/test_browser.py then proves it in a real browser.
"""

from __future__ import annotations

import re

import pytest
from conftest import HTML_DIR, html_pages

REMOTE = r"(?:https?:)?//(?!127\.0\.0\.1|localhost)"
RESOURCE_ATTRS = [
    re.compile(r"<script\b[^>]*\bsrc\s*=\s*[\"']" + REMOTE, re.I),
    re.compile(r"<link\b[^>]*\bhref\s*=\s*[\"']" + REMOTE, re.I),
    re.compile(r"<(?:img|iframe|source|video|audio|embed)\b[^>]*\bsrc\s*=\s*[\"']" + REMOTE, re.I),
    re.compile(r"url\(\s*[\"']?" + REMOTE, re.I),
    re.compile(r"@import\s+[\"']?" + REMOTE, re.I),
]
KNOWN_CDNS = re.compile(r"cdn\.jsdelivr\.net|unpkg\.com|cdnjs|maxcdn|googleapis|gstatic", re.I)


def _resource_hits(text: str) -> list[str]:
    return [m.group(0) for pattern in RESOURCE_ATTRS for m in pattern.finditer(text)]


PAGES = html_pages()


def test_the_book_has_pages(html_dir):
    assert (html_dir / "index.html").exists()
    assert len(PAGES) >= 3


@pytest.mark.parametrize("page", PAGES, ids=[str(p.relative_to(HTML_DIR)) for p in PAGES])
def test_page_loads_nothing_remote(html_dir, page):
    text = page.read_text(encoding="utf-8")
    hits = _resource_hits(text)
    assert not hits, f"remote resources in {page.name}: {hits[:5]}"
    # A CDN host anywhere outside a plain link is a regression (e.g. a config falling back).
    for line in text.splitlines():
        if KNOWN_CDNS.search(line) and "<a " not in line:
            pytest.fail(f"CDN host in {page.name}: {line.strip()[:200]}")


def test_stylesheets_load_no_remote_fonts(html_dir):
    offenders = []
    for css in (html_dir / "_static").rglob("*.css"):
        for hit in _resource_hits(css.read_text(encoding="utf-8", errors="replace")):
            offenders.append(f"{css.relative_to(html_dir)}: {hit}")
    assert not offenders, "\n".join(offenders[:10])


def test_mathjax_is_vendored(html_dir):
    index = (html_dir / "intro.html").read_text(encoding="utf-8")
    assert re.search(r"<script[^>]+src=\"[^\"]*_static/mathjax/tex-chtml\.js", index), (
        "intro.html does not load the vendored MathJax"
    )
    assert (html_dir / "_static" / "mathjax" / "output" / "chtml" / "fonts" / "woff-v2").is_dir()


def test_scanner_catches_a_cdn_script():
    """The scanner itself must be able to fail."""
    bad = '<script src="https://cdn.jsdelivr.net/npm/mathjax@3/es5/tex-chtml.js"></script>'
    assert _resource_hits(bad)
    assert not _resource_hits('<script src="_static/mathjax/tex-chtml.js"></script>')
    assert not _resource_hits('<a href="https://example.org/">a link</a>')
