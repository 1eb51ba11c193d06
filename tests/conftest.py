"""Shared fixtures: the built book, a local HTTP server for it, and headless Chromium.

The HTML tests need `_build/html` (made by `make book`, which `make test` runs first). Where the
build or Chromium is missing they are skipped with a visible reason, except under CI (`CI=true`),
where `.ci/run` installs everything and a missing piece is a failure.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parent.parent
HTML_DIR = ROOT / "_build" / "html"
SCREENSHOT_DIR = ROOT / "_build" / "screenshots"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


# Test files that read the built book (_build/html). `make test` runs every other test while the
# book builds, and these once it is built (the `book` marker is added here, by file).
BOOK_TEST_FILES = {"test_browser.py", "test_html_content.py", "test_html_offline.py"}


# The longest test files, started first: under `-n 2 --dist loadfile` each file runs on one
# worker in collection order, so a long file collected last leaves the other worker idle at the
# end (longest first is the classic greedy schedule).
LONG_TEST_FILES = ("test_jupyterlab_render_solutions.py", "test_jupyterlab_render.py",
                   "test_jupyterlab_run.py", "test_browser_explorers.py")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.path.name in BOOK_TEST_FILES:
            item.add_marker(pytest.mark.book)

    def rank(item):
        name = item.path.name
        return LONG_TEST_FILES.index(name) if name in LONG_TEST_FILES else len(LONG_TEST_FILES)

    items.sort(key=rank)   # stable: the order within a file, and of the other files, is kept


def _missing(reason: str):
    """Skip with a reason locally; fail under CI, where nothing may be missing."""
    if IN_CI:
        pytest.fail(f"{reason} (CI must provide it: see .ci/run)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def html_dir() -> Path:
    """The built HTML book; run `make book` first."""
    if not (HTML_DIR / "index.html").exists():
        _missing("the HTML book is not built: run `make book` first")
    return HTML_DIR


def html_pages() -> list[Path]:
    """Every page of the built book that comes from our sources (not Sphinx's own)."""
    if not HTML_DIR.exists():
        return []
    skip = {"genindex.html", "search.html"}
    return sorted(
        p
        for p in HTML_DIR.rglob("*.html")
        if p.name not in skip and "_static" not in p.parts and "_sources" not in p.parts
    )


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep pytest output clean
        pass


@pytest.fixture(scope="session")
def book_server(html_dir: Path):
    """Serve the built book on 127.0.0.1 at a free port; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(html_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def browser():
    """Debian's headless Chromium driven by Playwright (no browser download)."""
    if not CHROMIUM.exists() and shutil.which("chromium") is None:
        _missing("Chromium is not installed (apt-get install -y chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()


# ------------------------------------------------------------------------------ JupyterLab
# A real JupyterLab on 127.0.0.1 in a temporary learner workspace (what `make lab` opens), and
# a browser tab on it; used by tests/test_jupyterlab_*.py (see tests/jupyterlab_driver.py).


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """JupyterLab serving a fresh learner workspace made by mlcalc.workspace.sync."""
    from jupyterlab_driver import Lab

    from mlcalc import workspace

    home = tmp_path_factory.mktemp("jupyterlab")
    work = home / "work"
    workspace.sync(ROOT, work)
    server = Lab(work, home)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def lab_page(browser, lab):
    """One browser tab; every request that leaves 127.0.0.1 is refused and recorded."""
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    remote: list[str] = []

    def route(r):
        host = urlsplit(r.request.url).hostname
        if r.request.url.startswith(("data:", "blob:")) or host in ("127.0.0.1", "localhost"):
            r.continue_()
        else:
            remote.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda e: errors.append(str(e)))
    tab.remote, tab.page_errors = remote, errors
    yield tab
    context.close()
    assert not remote, f"requests left 127.0.0.1: {remote[:5]}"
