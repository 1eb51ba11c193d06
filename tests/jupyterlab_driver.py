"""Drive a real JupyterLab in headless Chromium, the way JupyterLab's own Galata tests do.

:class:`Lab` starts ``python -m jupyterlab`` from this environment (so with the pinned
jupyterlab-myst and the book's settings) on 127.0.0.1 with a random token, rooted in a folder
made by :func:`mlcalc.workspace.sync` (the learner's workspace, exactly as ``make lab`` makes it).
:class:`Notebook` wraps one opened notebook: run cells, wait for the kernel, read the rendered
markdown, move a slider. The page's ``window.jupyterapp`` (``expose_app_in_browser``) gives the
same access Galata uses: ``app.commands.execute(...)`` and the notebook widget's model.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from urllib.parse import unquote, urlsplit

#: Text that must never be visible in rendered markdown: MyST that was not parsed.
RAW_MYST = [
    r"^\([A-Za-z0-9_-]+\)=\s*$",                      # a label line
    r"\{(ref|doc|numref|eq|term|download|cite|math)\}`",  # a role
    r"^:::",                                          # a colon fence
    r"^```",                                          # a backtick fence that was not parsed
    r"^:(class|name|open|label|icon):",               # a directive option
]

# Everything a notebook's markdown looks like once rendered, in one pass over the DOM:
# problems jupyterlab-myst reports (cross-reference not found, a math error: a yellow warning
# span with a title), unknown directives, links, and <details> (hints) with their state.
_AUDIT_JS = """() => {
  const nb = window.jupyterapp.shell.currentWidget.content;
  const out = [];
  nb.widgets.forEach((cell, i) => {
    if (cell.model.type !== 'markdown') return;
    const myst = cell.node.querySelector('.jp-InputArea .myst');
    const editor = cell.node.querySelector('.jp-InputArea-editor');
    const hidden = !editor || getComputedStyle(editor).display === 'none';
    const rec = {index: i, rendered: !!myst && hidden,
                 source: cell.model.sharedModel.getSource(), text: '', problems: [], links: [],
                 details: []};
    if (myst) {
      // The visible text without typeset math (KaTeX's text would read as "(x)=" lines).
      const clone = myst.cloneNode(true);
      clone.querySelectorAll('.katex, .katex-display').forEach(m => m.replaceWith(' '));
      const box = document.createElement('div');
      box.style.cssText = 'position:absolute;left:-10000px;top:0;width:900px';
      box.appendChild(clone);
      document.body.appendChild(box);
      rec.text = clone.innerText;
      box.remove();
      myst.querySelectorAll('[title]').forEach(el => {
        const cls = String(el.className || '');
        if (cls.includes('text-yellow')) rec.problems.push(el.title);
      });
      myst.querySelectorAll('.myst-exercise-title').forEach(el => {
        if (/Unknown (Directive|Role)/i.test(el.innerText)) rec.problems.push(el.innerText);
      });
      myst.querySelectorAll('a[href]').forEach(a => rec.links.push(a.getAttribute('href')));
      myst.querySelectorAll('details').forEach(d => rec.details.push(
        {open: d.open, summary: (d.querySelector('summary') || {innerText: ''}).innerText.trim()}));
    }
    out.push(rec);
  });
  return out;
}"""

_IDLE_JS = """() => {
  const w = window.jupyterapp.shell.currentWidget;
  const k = w && w.sessionContext.session && w.sessionContext.session.kernel;
  return !!k && k.status === 'idle';
}"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Lab:
    """A JupyterLab server on 127.0.0.1 rooted in ``root`` (stopped by :meth:`stop`)."""

    def __init__(self, root: Path, home: Path, timeout: float = 90.0):
        self.root = Path(root)
        self.port = free_port()
        self.token = secrets.token_hex(16)
        self.url = f"http://127.0.0.1:{self.port}"
        self._stoppers: list[threading.Thread] = []
        settings = home / "user-settings" / "@jupyterlab" / "notebook-extension"
        settings.mkdir(parents=True, exist_ok=True)
        # Render every cell at once (no virtual scrolling), so the audit sees every cell.
        (settings / "tracker.jupyterlab-settings").write_text(
            json.dumps({"windowingMode": "none"}), encoding="utf-8")
        env = dict(os.environ)
        env.update({
            "JUPYTERLAB_SETTINGS_DIR": str(home / "user-settings"),
            "JUPYTERLAB_WORKSPACES_DIR": str(home / "workspaces"),
            "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
            "PYTHONHASHSEED": "0",
        })
        env.pop("MLCALC_EXPLORERS", None)  # live widgets, as a learner gets them
        self.log = (home / "lab.log").open("w", encoding="utf-8")
        cmd = [sys.executable, "-m", "jupyterlab", "--no-browser", "--ServerApp.ip=127.0.0.1",
               f"--ServerApp.port={self.port}", "--ServerApp.port_retries=0",
               f"--IdentityProvider.token={self.token}", f"--ServerApp.root_dir={self.root}",
               "--LabApp.expose_app_in_browser=True"]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            cmd.append("--allow-root")
        self.proc = subprocess.Popen(cmd, cwd=self.root, env=env, stdout=self.log,
                                     stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + timeout
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(
                    f"jupyter lab exited ({self.proc.returncode}); see {home}/lab.log")
            try:
                self.api("GET", "api/status")
                break
            except OSError:
                if time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError("jupyter lab did not start in time") from None
                time.sleep(0.3)

    def api(self, method: str, path: str, body: dict | None = None):
        req = urllib.request.Request(
            f"{self.url}/{path}", method=method,
            data=None if body is None else json.dumps(body).encode(),
            headers={"Authorization": f"token {self.token}", "Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=10) as r:  # noqa: S310 - 127.0.0.1 only
            text = r.read().decode()
        return json.loads(text) if text else None

    def shutdown_kernels(self, wait: bool = True) -> None:
        """Stop every kernel, as a learner's next day starts: a saved notebook, no kernel.

        With ``wait=False`` the kernels are stopped in a background thread (a graceful
        shutdown takes a second or two each).
        """
        ids = [k["id"] for k in self.api("GET", "api/kernels")]

        def stop_all():
            for kid in ids:
                try:
                    self.api("DELETE", f"api/kernels/{kid}")
                except OSError:
                    pass  # already gone

        if wait:
            stop_all()
        else:
            thread = threading.Thread(target=stop_all, daemon=True)
            thread.start()
            self._stoppers.append(thread)

    def stop(self) -> None:
        for thread in self._stoppers:
            thread.join(timeout=30)
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self.log.close()


class Notebook:
    """One notebook opened in the page (a fresh app load, as a learner's click)."""

    def __init__(self, page, lab: Lab, path: str, timeout: float = 60_000,
                 reload: bool = True, kernel: bool = True):
        """Open ``path``.

        Args:
            reload: a fresh page load (a learner's click on a link to the notebook); False
                opens it inside the running app, after closing the notebooks open before.
            kernel: start the notebook's kernel, as JupyterLab does; False opens the notebook
                without one (reading only: much faster, and no kernel competes for the CPU).
        """
        self.page, self.lab, self.path = page, lab, path
        in_app = (not reload and page.url.startswith(f"{lab.url}/lab")
                  and page.evaluate("() => !!window.jupyterapp"))
        if not in_app and not kernel:
            page.goto(f"{lab.url}/lab?token={lab.token}&reset")
            in_app = True
        if in_app:
            page.wait_for_function(
                "() => !!window.jupyterapp && !!window.jupyterapp.docRegistry"
                ".getWidgetFactory('Notebook')", timeout=timeout, polling=200)
            page.evaluate("() => window.jupyterapp.restored")  # the app is fully started
            page.evaluate("""(start) => {
                for (const w of [...window.jupyterapp.shell.widgets('main')]) {
                  if (w.context) w.context.model.dirty = false;
                  w.dispose();
                }
                // Whether opening a notebook starts its kernel (the factory's preference).
                const f = window.jupyterapp.docRegistry.getWidgetFactory('Notebook');
                f._preferKernel = start;
                f._canStartKernel = start;
            }""", kernel)
            lab.shutdown_kernels(wait=False)
            page.evaluate("(p) => window.jupyterapp.commands.execute('docmanager:open',"
                          " {path: p})", path)
        else:
            page.goto(f"{lab.url}/lab/tree/{path}?token={lab.token}&reset")
        page.wait_for_function(
            "(p) => { const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;"
            " return !!w && !!w.context && w.context.path === p && w.context.isReady; }",
            arg=path, timeout=timeout, polling=200)
        if kernel:
            self.wait_idle(timeout)
        self.wait_rendered(timeout)

    # ----------------------------------------------------------------------------- state
    def js(self, body: str, arg=None):
        return self.page.evaluate(body, arg)

    def wait_idle(self, timeout: float = 60_000) -> None:
        self.page.wait_for_function(_IDLE_JS, timeout=timeout, polling=200)

    def wait_rendered(self, timeout: float = 60_000) -> None:
        self.page.wait_for_function(
            """() => { const nb = window.jupyterapp.shell.currentWidget.content;
                return nb.widgets.filter(c => c.model.type === 'markdown').every(c =>
                  c.model.sharedModel.getSource().trim() === '' ||
                  !!c.node.querySelector('.jp-InputArea .myst *')); }""",
            timeout=timeout, polling=250)

    @property
    def dirty(self) -> bool:
        return self.js("() => window.jupyterapp.shell.currentWidget.context.model.dirty")

    def sources(self) -> list[str]:
        return self.js("() => window.jupyterapp.shell.currentWidget.content.widgets.map("
                       "c => c.model.sharedModel.getSource())")

    def index_of(self, needle: str) -> int:
        for i, src in enumerate(self.sources()):
            if needle in src:
                return i
        raise LookupError(f"no cell of {self.path} contains {needle!r}")

    def audit_markdown(self) -> list[dict]:
        return self.js(_AUDIT_JS)

    # ----------------------------------------------------------------------------- actions
    def command(self, name: str, args: dict | None = None):
        return self.js("([n, a]) => window.jupyterapp.commands.execute(n, a)", [name, args or {}])

    def run_all(self, timeout: float = 300_000) -> None:
        self.command("notebook:run-all-cells")
        self.page.wait_for_function(
            """() => { const w = window.jupyterapp.shell.currentWidget;
                const k = w.sessionContext.session.kernel;
                return k.status === 'idle' && w.content.widgets.every(
                  c => c.model.type !== 'code' || (c.model.executionCount !== null
                       && !c.node.classList.contains('jp-mod-pending'))); }""",
            timeout=timeout, polling=500)

    def run_cell(self, index: int, timeout: float = 60_000) -> None:
        before = self.js("(i) => window.jupyterapp.shell.currentWidget.content.widgets[i]"
                         ".model.executionCount", index)
        self.js("(i) => { const nb = window.jupyterapp.shell.currentWidget.content;"
                " nb.activeCellIndex = i; nb.mode = 'command'; }", index)
        self.command("notebook:run-cell")
        self.page.wait_for_function(
            """([i, before]) => { const w = window.jupyterapp.shell.currentWidget;
                const c = w.content.widgets[i];
                return w.sessionContext.session.kernel.status === 'idle'
                  && c.model.executionCount !== null && c.model.executionCount !== before; }""",
            arg=[index, before], timeout=timeout, polling=200)

    def set_source(self, index: int, source: str) -> None:
        self.js("([i, s]) => window.jupyterapp.shell.currentWidget.content.widgets[i]"
                ".model.sharedModel.setSource(s)", [index, source])

    def output_text(self, index: int) -> str:
        return self.js("(i) => window.jupyterapp.shell.currentWidget.content.widgets[i]"
                       ".node.querySelector('.jp-OutputArea') ?"
                       " window.jupyterapp.shell.currentWidget.content.widgets[i]"
                       ".node.querySelector('.jp-OutputArea').innerText : ''", index)

    def error_outputs(self) -> list[dict]:
        """Every error or stderr output, with the cell it came from."""
        return self.js(
            """() => window.jupyterapp.shell.currentWidget.content.widgets.flatMap((c, i) =>
                 c.model.type !== 'code' ? [] : [...c.node.querySelectorAll(
                   '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')]
                 .map(n => ({cell: i, text: n.innerText.slice(0, 400)})))""")

    def widget_errors(self) -> list[int]:
        return self.js(
            """() => window.jupyterapp.shell.currentWidget.content.widgets.flatMap((c, i) =>
                 c.node.innerText.includes('Error displaying widget') ? [i] : [])""")

    def save(self) -> None:
        self.command("docmanager:save")
        self.page.wait_for_function(
            "() => !window.jupyterapp.shell.currentWidget.context.model.dirty",
            timeout=30_000, polling=200)

    def scroll_to(self, index: int) -> None:
        self.js("(i) => window.jupyterapp.shell.currentWidget.content.widgets[i]"
                ".node.scrollIntoView({block: 'start'})", index)


# ------------------------------------------------------------------------------ the audit
SHOTS = Path(__file__).resolve().parent.parent / "_build" / "screenshots"
# Logged by JupyterLab itself when a notebook is opened without a kernel (as here), never
# when it has one (the run tests, which open notebooks with their kernel, allow no page error).
NO_KERNEL_ARTIFACTS = {"Cannot read properties of null (reading 'kernel')"}
def shot(page, name: str) -> None:
    """Save a screenshot as _build/screenshots/jupyterlab-<name>.png."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"jupyterlab-{name}.png"))


def audit(nb: Notebook, work: Path) -> list[str]:
    """Every way the rendered markdown of ``nb`` fails the learner, as readable lines."""
    problems = []
    folder = (work / nb.path).parent
    for cell in nb.audit_markdown():
        where = f"{nb.path} cell {cell['index']}"
        if cell["source"].strip() and not cell["rendered"]:
            problems.append(f"{where}: markdown not rendered")
            continue
        for line in cell["text"].splitlines():
            for pattern in RAW_MYST:
                if re.search(pattern, line.strip()):
                    problems.append(f"{where}: raw MyST visible: {line.strip()[:80]!r}")
        problems += [f"{where}: {p}" for p in cell["problems"]]
        for href in cell["links"]:
            parts = urlsplit(href)
            if parts.scheme in ("http", "https") and parts.hostname not in ("127.0.0.1",
                                                                             "localhost"):
                continue  # an outside reference: shown, never fetched
            if href.startswith("#"):
                continue
            path = unquote(parts.path)
            if "/files/" in path:
                target = work / path.split("/files/", 1)[1]
            else:
                target = (folder / path).resolve()
            if not target.exists():
                problems.append(f"{where}: dead link {href.split('?')[0]!r}")
        for d in cell["details"]:
            if d["open"]:
                problems.append(f"{where}: {d['summary']!r} is unfolded on open")
    return problems


def assert_opens_rendered(page, lab: Lab, path: str) -> Notebook:
    """Open ``path`` without a kernel and fail on anything :func:`audit` finds, on a notebook
    marked modified as it opens, or on a page error (JupyterLab's own no-kernel message apart).
    (With its kernel started a notebook stays unmodified too: tests/test_jupyterlab_run.py.)"""
    seen = len(page.page_errors)
    nb = Notebook(page, lab, path, reload=False, kernel=False)
    problems = audit(nb, lab.root)
    assert not problems, "\n".join(problems[:15])
    assert not nb.dirty, f"{path} is marked modified as soon as it opens"
    errors = [e for e in page.page_errors[seen:] if e not in NO_KERNEL_ARTIFACTS]
    assert not errors, errors[:3]
    return nb
