"""Every page of the built book in headless Chromium: math typeset, nothing leaves localhost.

Pages are served on 127.0.0.1. Every request to another host is recorded and aborted, so a page
that would fetch from a CDN fails here even though this machine has no network. Screenshots land
in `_build/screenshots/` for a human to look at.
"""

from __future__ import annotations

import re
from urllib.parse import urlparse

import pytest
from conftest import HTML_DIR, SCREENSHOT_DIR, html_pages

pytestmark = pytest.mark.browser

PAGES = html_pages()
# A learner's exercise page is its solution page minus the solution cells (tests/test_exercises.py
# keeps them in step), so one learner page is visited here and every solution page is.
VISITED = [p for p in PAGES
           if p.parent.name != "exercises" or p.name == "gradients.html"]
# Console messages that are not of our making and carry no meaning for a reader.
IGNORED_CONSOLE = [
    re.compile(r"favicon\.ico"),
]


def _visit(browser, url: str, screenshot_name: str):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    remote, errors = [], []

    def route(route):
        host = urlparse(route.request.url).hostname
        if route.request.url.startswith(("data:", "blob:")) or host in {"127.0.0.1", "localhost"}:
            route.continue_()
        else:
            remote.append(route.request.url)
            route.abort()

    page.route("**/*", route)
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(f"uncaught: {e}"))
    page.goto(url, wait_until="load")
    # Wait until MathJax 3 has finished its first typesetting pass.
    page.wait_for_function(
        "() => window.MathJax && MathJax.startup && MathJax.startup.promise", timeout=30_000
    )
    page.evaluate("() => MathJax.startup.promise")
    math_count = page.locator("mjx-container").count()
    # Display equations wider than the text column: clipped or scrolled, a reader misses the end.
    wide = page.evaluate(WIDE_DISPLAYS)
    raw_errors = page.locator("mjx-merror").count()
    text = page.locator("main").inner_text() if page.locator("main").count() else ""
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT_DIR / screenshot_name), full_page=False)
    context.close()
    errors = [e for e in errors if not any(p.search(e) for p in IGNORED_CONSOLE)]
    return {"remote": remote, "errors": errors, "math": math_count, "merror": raw_errors,
            "text": text, "wide": wide}


WIDE_DISPLAYS = """
() => {
  const column = document.querySelector('article.bd-article') || document.querySelector('main');
  if (!column) return [];
  const right = column.getBoundingClientRect().right;
  const out = [];
  for (const c of document.querySelectorAll('mjx-container[display="true"]')) {
    const m = c.querySelector('mjx-math');
    if (!m) continue;
    const r = m.getBoundingClientRect();
    if (r.width > 0 && r.right > right + 2) {
      const tex = c.parentElement ? c.parentElement.textContent : '';
      out.push(Math.round(r.right - right) + ' px: ' + tex.replace(/\\s+/g, ' ').slice(0, 90));
    }
  }
  return out;
}
"""


@pytest.mark.parametrize("page", VISITED, ids=[str(p.relative_to(HTML_DIR)) for p in VISITED])
def test_page_in_chromium(browser, book_server, page):
    rel = page.relative_to(HTML_DIR).as_posix()
    result = _visit(browser, f"{book_server}/{rel}", rel.replace("/", "__") + ".png")
    assert not result["remote"], f"requests left localhost: {result['remote'][:5]}"
    assert not result["errors"], f"console errors: {result['errors'][:5]}"
    assert result["merror"] == 0, f"{result['merror']} MathJax errors (unknown macro or bad TeX)"
    # No untypeset TeX left visible to the reader.
    for raw in ("$$", "\\[", "\\begin{"):
        assert raw not in result["text"], f"raw TeX {raw!r} visible on {rel}"
    assert not result["wide"], (
        f"{len(result['wide'])} display equations run past the text column on {rel} (split "
        "them over lines): " + "; ".join(result["wide"][:4]))
    source = page.read_text(encoding="utf-8")
    if "class=\"math" in source:
        assert result["math"] > 0, f"{rel} has math but MathJax typeset none of it"


EXPLORER_PAGES = [p for p in PAGES if 'class="mlx-explorer"' in p.read_text(encoding="utf-8")]

MOVE_EVERY_CONTROL = """
(root) => {
  const img = root.querySelector('img.mlx-img');
  const results = [];
  for (const c of root.querySelectorAll('[data-mlx-param]')) {
    const before = img.getAttribute('src');
    const out = root.querySelector(`output[for="${c.id}"]`);
    const label = out ? out.textContent : null;
    const n = c.tagName === 'SELECT' ? c.options.length : parseInt(c.max, 10) + 1;
    const start = parseInt(c.value, 10);
    let changed = false, followed = out === null;
    for (const v of [n - 1, 0, Math.floor(n / 3)]) {   // far ends first, then inside
      if (v === start) continue;
      c.value = String(v);
      c.dispatchEvent(new Event('input', {bubbles: true}));
      c.dispatchEvent(new Event('change', {bubbles: true}));
      if (img.getAttribute('src') !== before) changed = true;
      if (out && out.textContent !== label) followed = true;
    }
    c.value = String(start);
    c.dispatchEvent(new Event('input', {bubbles: true}));
    results.push({id: c.id, changed: changed, followed: followed, n: n});
  }
  return results;
}
"""


@pytest.mark.parametrize(
    "page", EXPLORER_PAGES, ids=[str(p.relative_to(HTML_DIR)) for p in EXPLORER_PAGES]
)
def test_explorers_respond_without_a_kernel(browser, book_server, page):
    """Every static explorer: moving a slider swaps the image, and its value label follows."""
    rel = page.relative_to(HTML_DIR).as_posix()
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.goto(f"{book_server}/{rel}", wait_until="load")
    explorers = tab.locator(".mlx-explorer")
    assert explorers.count() > 0
    for k in range(explorers.count()):
        root = explorers.nth(k)
        results = root.evaluate(MOVE_EVERY_CONTROL)
        assert results, f"explorer {k} on {rel} has no controls"
        assert any(r["changed"] for r in results), f"explorer {k} on {rel}: no slider moves it"
        for r in results:
            assert r["followed"], f"{r['id']} on {rel}: the value label does not follow the slider"
        if k == 0:
            root.scroll_into_view_if_needed()
            root.screenshot(path=str(SCREENSHOT_DIR / (rel.replace("/", "__") + ".explorer.png")))
    # Keyboard works too: focus the first range input and press the right arrow.
    first = tab.locator(".mlx-explorer input[type=range]").first
    if first.count():
        before = first.input_value()
        first.focus()
        tab.keyboard.press("ArrowRight" if before != first.get_attribute("max") else "ArrowLeft")
        assert first.input_value() != before
    context.close()
