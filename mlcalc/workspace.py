"""The learner's own copy of the book, and the save hook that keeps the tracked notebooks clean.

``python -m mlcalc.workspace`` (run by ``make lab`` before JupyterLab starts) keeps a git-ignored
copy of every notebook of the book in ``my-work/`` at the repository root, with the book's layout
(``chapters/``, ``exercises/``, ``exercises/solutions/``) so the notebooks' relative links work::

    my-work/
      chapters/*.ipynb              the learner's copies: run them, write in them
      exercises/*.ipynb
      exercises/solutions/*.ipynb
      backups/<time>/...            copies moved aside by --reset / --reset-all
      .base/...                     the book's version each copy was last synced from (hidden)

The book is the notebooks as committed (``git HEAD``; as on disk when the book is not a git
checkout), so what ``git pull`` brings is an update and a tracked notebook edited in place is not.
The first run creates the copies. Later runs never overwrite the learner's work: each notebook is
merged three ways, by cell id, between ``.base`` (the book as it was at the last sync), the
learner's copy and the book now:

* a cell the learner did not change takes the book's new version (a code cell whose source the
  book changed loses its outputs, which came from the old code);
* a cell the learner changed is kept; if the book changed it too, the learner's is kept and the
  conflict is reported (the book's version stays readable in the repository);
* a new book cell is inserted after its predecessor in the book; cells the learner added stay
  after their predecessor in the learner's copy;
* a cell the book removed is removed unless the learner had changed it; a cell the learner deleted
  stays deleted;
* the learner's outputs, cell metadata, notebook metadata (saved widget state included) are kept;
  the book's order is followed unless the learner reordered cells, then the learner's order is.

A notebook that is not valid JSON (half-written, hand-edited) is reported and left untouched, and
every write is atomic (a temporary file renamed over the old one).

``python -m mlcalc.workspace --reset chapters/gradients.ipynb`` moves the learner's copy of one
notebook to ``my-work/backups/<time>/`` and puts a fresh copy of the book's version in its place;
``--reset-all`` does that for every notebook.

:func:`pre_save_hook` is the Jupyter server's ``FileContentsManager.pre_save_hook`` (configured in
``jupyter/jupyter_server_config.json``, which ``make env`` installs into the environment): when a
notebook of the book's tracked folders (``chapters/``, ``exercises/``) is saved, its outputs,
execution counts, saved widget state and kernel-written metadata are stripped, so running the book
in place never dirties the repository. The learner's copies are saved untouched.

Reading, writing and cleaning notebook files live in :mod:`mlcalc.notebook_files`, the three-way
merge in :mod:`mlcalc.notebook_merge`; their names are re-exported here.
"""

from __future__ import annotations

import argparse
import copy
import functools
import logging
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .notebook_files import (
    BASE_NAME,
    Notebook,
    UnreadableNotebook,
    clean_notebook,
    parse_notebook,
    read_notebook,
    render_notebook,
    write_atomic,
)
from .notebook_merge import MergeStats, merge_notebook

__all__ = [
    "WORKSPACE_NAME",
    "clean_notebook",
    "merge_notebook",
    "sync",
    "reset",
    "reset_all",
    "pre_save_hook",
    "main",
]

ROOT = Path(__file__).resolve().parent.parent
WORKSPACE_NAME = "my-work"
BACKUPS_NAME = "backups"
# Folders of the book copied into the workspace (each one's own *.ipynb, not recursive).
BOOK_FOLDERS = ("chapters", "exercises", "exercises/solutions")
# Folders whose notebooks are tracked by git and saved without outputs (recursive).
TRACKED_FOLDERS = ("chapters", "exercises")

log = logging.getLogger(__name__)

# --------------------------------------------------------------------------------------------
# Syncing the workspace


def _n(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")


@dataclass
class Entry:
    """One line of a report: a notebook and what happened to it."""

    status: str  # created, updated, unchanged, skipped, gone, reset
    path: str  # relative to the workspace, posix
    detail: str = ""
    stats: MergeStats | None = None
    notes: list[str] = field(default_factory=list)


@dataclass
class Report:
    """What a sync or reset did, printable."""

    workspace: Path
    entries: list[Entry] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(e.status == status for e in self.entries)

    @property
    def kept_edits(self) -> int:
        return sum(e.stats.kept_edits for e in self.entries if e.stats)

    @property
    def conflicts(self) -> list[tuple[str, str]]:
        return [(e.path, c) for e in self.entries if e.stats for c in e.stats.conflicts]

    def lines(self) -> list[str]:
        out = [f"your copy of the book: {self.workspace}"]
        created = [e for e in self.entries if e.status == "created"]
        if len(created) > 5:
            out.append(f"  created   {len(created)} notebooks (a fresh copy of the book)")
        for e in self.entries:
            notes = e.notes or (e.stats and (e.stats.conflicts or e.stats.kept_removed
                                             or e.stats.deleted_changed))
            if not notes and (e.status == "unchanged"
                              or (e.status == "created" and len(created) > 5)):
                continue
            out.append(f"  {e.status:<9} {e.path}" + (f": {e.detail}" if e.detail else ""))
            if e.stats:
                for c in e.stats.conflicts:
                    out.append(f"  CONFLICT  {e.path} {c}: changed by you and by the book; "
                               f"yours kept (the book's new version: {e.path} in the repository)")
                for c in e.stats.kept_removed:
                    out.append(f"  note      {e.path} {c}: the book removed it; kept because "
                               "you changed it")
                for c in e.stats.deleted_changed:
                    out.append(f"  note      {e.path} {c}: the book changed it; it stays "
                               "deleted because you deleted it")
            for note in e.notes:
                out.append(f"  note      {note}")
        parts = [f"{self.count(s)} {s}" for s in ("created", "updated", "reset", "unchanged")
                 if self.count(s)]
        more = []
        if self.kept_edits:
            more.append(f"your edits kept in {_n(self.kept_edits, 'cell')}")
        if self.conflicts:
            more.append(f"{_n(len(self.conflicts), 'conflict')} (yours kept)")
        if self.count("skipped"):
            more.append(f"{self.count('skipped')} skipped (left untouched)")
        out.append(f"{_n(len(self.entries), 'notebook')}: "
                   + "; ".join(p for p in [", ".join(parts), *more] if p))
        return out

    def __str__(self) -> str:
        return "\n".join(self.lines())


def book_notebooks(book: Path) -> list[str]:
    """The book's notebooks that the workspace copies, as posix paths relative to ``book``."""
    found = []
    for folder in BOOK_FOLDERS:
        found += sorted(p.relative_to(book).as_posix() for p in (book / folder).glob("*.ipynb"))
    return found


def _paths(book: Path | None, workspace: Path | None) -> tuple[Path, Path]:
    book = Path(book if book is not None else ROOT).resolve()
    if not (book / "chapters").is_dir():
        raise FileNotFoundError(f"{book} is not the book (no chapters/ folder)")
    workspace = Path(workspace).resolve() if workspace is not None else book / WORKSPACE_NAME
    for folder in TRACKED_FOLDERS:
        if workspace.is_relative_to(book / folder):
            raise ValueError(f"the workspace {workspace} must not be inside the book's {folder}/")
    return book, workspace


class _Book:
    """The book's notebooks as committed (``git HEAD``) when the book is a git checkout, else as
    they are on disk.

    Committed, not on disk: a tracked notebook edited in place (answers written there before this
    workspace existed, or a ``git checkout`` that later reverts them) must never look like an
    update of the book, which would replace the learner's unchanged cells in the workspace.
    """

    def __init__(self, root: Path, names: list[str]):
        self.root = root
        self.committed = _git_committed(root, names)

    def notebook(self, rel: str) -> Notebook:
        if rel in self.committed:
            try:
                return parse_notebook(self.committed[rel].decode("utf-8"))
            except UnicodeDecodeError as e:
                raise UnreadableNotebook(f"not UTF-8 text ({e})") from e
        return read_notebook(self.root / rel)

    def edited_in_place(self, rel: str) -> bool:
        """Whether the repository's file differs from its committed version."""
        try:
            return rel in self.committed and (self.root / rel).read_bytes() != self.committed[rel]
        except OSError:
            return False


def _git_committed(root: Path, names: list[str]) -> dict[str, bytes]:
    """The committed (HEAD) content of each of ``names`` (paths relative to ``root``) that git
    tracks; empty when ``root`` is not in a git checkout or git is missing."""
    git = shutil.which("git")
    if git is None or not names:
        return {}
    try:
        top = subprocess.run([git, "-C", str(root), "rev-parse", "--show-toplevel"],
                             capture_output=True, text=True, timeout=30)
        if top.returncode != 0:
            return {}
        prefix = root.resolve().relative_to(Path(top.stdout.strip()).resolve()).as_posix()
        spec = "".join(f"HEAD:{n if prefix == '.' else prefix + '/' + n}\n" for n in names)
        out = subprocess.run([git, "-C", str(root), "cat-file", "--batch"],
                             input=spec.encode("utf-8"), capture_output=True, timeout=60)
        if out.returncode != 0:
            return {}
        data, pos, found = out.stdout, 0, {}
        for name in names:
            end = data.index(b"\n", pos)
            header = data[pos:end].split()
            pos = end + 1
            if len(header) == 3 and header[1] == b"blob":
                size = int(header[2])
                found[name] = data[pos:pos + size]
                pos += size + 1
        return found
    except (OSError, ValueError, subprocess.SubprocessError):
        return {}


def kernel_metadata() -> dict:
    """The ``kernelspec`` and ``language_info`` that this environment's kernel reports.

    JupyterLab writes both into a notebook as soon as its kernel starts; when they differ from
    the file, the notebook shows as modified the moment it opens. The learner's copies carry
    the local values from the start, so opening one changes nothing. Empty if unavailable.
    """
    meta: dict = {}
    try:
        from jupyter_client.kernelspec import KernelSpecManager

        spec = KernelSpecManager().get_kernel_spec("python3")
        meta["kernelspec"] = {"name": "python3", "display_name": spec.display_name,
                              "language": spec.language}
    except Exception:  # noqa: BLE001 - no Jupyter here: keep the book's metadata
        return {}
    # ipykernel's own class attribute: exactly what the kernel sends (version included).
    try:
        from ipykernel.ipkernel import IPythonKernel

        meta["language_info"] = dict(IPythonKernel.language_info)
    except Exception:  # noqa: BLE001
        pass
    return meta


def _with_kernel_metadata(nb: Notebook) -> Notebook:
    nb = copy.deepcopy(nb)
    nb.setdefault("metadata", {}).update(copy.deepcopy(_KERNEL_METADATA()))
    return nb


_KERNEL_METADATA = functools.cache(kernel_metadata)


def _merge_one(book: Path, workspace: Path, rel: str, source: _Book | None = None) -> Entry:
    ours_path, base_path = workspace / rel, workspace / BASE_NAME / rel
    source = source or _Book(book, [rel])
    try:
        theirs = _with_kernel_metadata(clean_notebook(source.notebook(rel)))
    except UnreadableNotebook as e:
        return Entry("skipped", rel, f"the book's notebook is {e}; your copy left untouched")
    if not ours_path.exists():
        detail = "it was missing; a fresh copy" if base_path.exists() else ""
        write_atomic(ours_path, render_notebook(theirs))
        write_atomic(base_path, render_notebook(theirs))
        return Entry("created", rel, detail)
    try:
        ours = read_notebook(ours_path)
    except UnreadableNotebook as e:
        return Entry("skipped", rel, f"{e}; left untouched. Repair it, or start it over with "
                     f"`python -m mlcalc.workspace --reset {rel}`")
    if ours["cells"] and not any(isinstance(c.get("id"), str) for c in ours["cells"]):
        return Entry("skipped", rel, "its cells have no ids (saved by an old tool?), so it "
                     "cannot be merged; left untouched")
    try:
        base = read_notebook(base_path) if base_path.exists() else None
    except UnreadableNotebook:
        base = None
    merged, stats = merge_notebook(base, ours, theirs)
    detail = []
    if stats.new_cells:
        detail.append(f"{_n(stats.new_cells, 'new cell')} from the book")
    if stats.updated_cells:
        detail.append(f"{_n(stats.updated_cells, 'cell')} updated")
    if stats.removed_cells:
        detail.append(f"{_n(stats.removed_cells, 'cell')} removed by the book")
    if stats.kept_edits:
        detail.append(f"kept your edits in {_n(stats.kept_edits, 'cell')}")
    if base is None:
        detail.append("no record of the version it was made from: cells that differ are "
                      "kept as yours")
    if merged != ours:
        write_atomic(ours_path, render_notebook(merged))
        status = "updated"
    else:
        status = "unchanged"
    if base != theirs:
        write_atomic(base_path, render_notebook(theirs))
    return Entry(status, rel, "; ".join(detail), stats)


def sync(book: Path | None = None, workspace: Path | None = None) -> Report:
    """Create or update the learner's copy of the book; never overwrite the learner's work.

    Args:
        book: the repository root (default: the one this package lives in).
        workspace: the learner's copy (default: ``<book>/my-work``).

    Returns:
        A :class:`Report` (``print`` it).
    """
    book, workspace = _paths(book, workspace)
    report = Report(workspace)
    names = book_notebooks(book)
    source = _Book(book, names)
    for rel in names:
        entry = _merge_one(book, workspace, rel, source)
        if source.edited_in_place(rel):
            entry.notes.append(
                f"the repository's {rel} has changes that are not committed (work done there "
                "before?); your copy follows the committed book. See `git diff " + rel + "`")
        report.entries.append(entry)
    # Notebooks the book no longer has: the learner's copy stays, its record goes.
    base_dir = workspace / BASE_NAME
    if base_dir.is_dir():
        for base_path in sorted(base_dir.rglob("*.ipynb")):
            rel = base_path.relative_to(base_dir).as_posix()
            if rel not in names:
                base_path.unlink()
                if (workspace / rel).exists():
                    report.entries.append(Entry("gone", rel, "no longer in the book; your copy "
                                                "is kept"))
    return report


def _stamp(now: float | None) -> str:
    return time.strftime("%Y%m%d-%H%M%S", time.localtime(time.time() if now is None else now))


def _backup_dir(workspace: Path, now: float | None) -> Path:
    stamp = _stamp(now)
    target, n = workspace / BACKUPS_NAME / stamp, 1
    while target.exists():
        n += 1
        target = workspace / BACKUPS_NAME / f"{stamp}-{n}"
    return target


def _resolve(arg: str | Path, book: Path, workspace: Path, names: Iterable[str]) -> str:
    """The book-relative path named by ``arg``: a path in the workspace or the book (absolute or
    relative to the current folder), or relative to either of them."""
    names = set(names)
    raw = Path(arg)
    tries = [raw if raw.is_absolute() else Path.cwd() / raw]
    if not raw.is_absolute():
        tries += [workspace / raw, book / raw]
    for p in tries:
        for p2 in (p, p.with_name(p.name + ".ipynb")):
            p2 = Path(os.path.abspath(p2))
            for root in (workspace, book):
                if p2.is_relative_to(root):
                    rel = p2.relative_to(root).as_posix()
                    if rel in names:
                        return rel
    raise ValueError(f"{arg}: not a notebook of the book (for example chapters/gradients.ipynb "
                     "or exercises/gradients.ipynb)")


def reset(paths: Iterable[str | Path], book: Path | None = None,
          workspace: Path | None = None, now: float | None = None) -> Report:
    """Start one or more notebooks over: the learner's copy moves to
    ``<workspace>/backups/<time>/<path>`` and a fresh copy of the book's version takes its place.

    Raises:
        ValueError: if a path is not a notebook of the book (nothing is moved then).
    """
    book, workspace = _paths(book, workspace)
    names = book_notebooks(book)
    rels = list(dict.fromkeys(_resolve(p, book, workspace, names) for p in paths))
    report = Report(workspace)
    backup = _backup_dir(workspace, now)
    source = _Book(book, rels)
    for rel in rels:
        ours_path = workspace / rel
        moved = ""
        try:
            source.notebook(rel)
        except UnreadableNotebook as e:
            report.entries.append(Entry("skipped", rel, f"the book's notebook is {e}; your "
                                        "copy left in place"))
            continue
        if ours_path.exists():
            target = backup / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(ours_path, target)
            moved = f"your copy moved to {target.relative_to(workspace).as_posix()}; "
        (workspace / BASE_NAME / rel).unlink(missing_ok=True)
        entry = _merge_one(book, workspace, rel, source)
        if entry.status == "created":
            entry = Entry("reset", rel, moved + "a fresh copy of the book's version")
        else:
            entry.detail = moved + entry.detail
        report.entries.append(entry)
    return report


def reset_all(book: Path | None = None, workspace: Path | None = None,
              now: float | None = None) -> Report:
    """Start the whole book over: every copy moves to ``<workspace>/backups/<time>/``."""
    book, workspace = _paths(book, workspace)
    return reset(book_notebooks(book), book, workspace, now)


# --------------------------------------------------------------------------------------------
# The Jupyter server's pre-save hook

_told: set[str] = set()


def _is_tracked(os_path: Path, book: Path) -> bool:
    if os_path.suffix != ".ipynb" or ".ipynb_checkpoints" in os_path.parts:
        return False
    if os_path.is_relative_to(book / WORKSPACE_NAME):
        return False
    return any(os_path.is_relative_to(book / folder) for folder in TRACKED_FOLDERS)


WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
#: Outputs that can stand in for a widget view once its kernel is gone.
_WIDGET_FALLBACKS = ("text/html", "image/png")


def static_widget_views(content: dict) -> dict:
    """``content`` with every widget view that carries a static fallback saved as that fallback.

    An explorer's output holds its live widget view *and* a static view (``text/html``: the
    precomputed frames with working sliders; ``image/png``). Reopened with no kernel, JupyterLab
    renders the widget view and shows "Error displaying widget: model not found"; without the
    view (and without the PNG, which JupyterLab would prefer to the HTML) it renders the static
    explorer, which works with no kernel. Running the cell again
    brings the live widget back. Outputs with no fallback (a plain ``ipywidgets`` slider) are
    left as they are. Returns a copy when anything changes, else ``content`` itself.
    """
    changed = False
    cells = content.get("cells")
    for cell in cells if isinstance(cells, list) else ():
        for out in cell.get("outputs") or () if isinstance(cell, dict) else ():
            data = out.get("data") if isinstance(out, dict) else None
            if isinstance(data, dict) and WIDGET_VIEW in data and any(
                    k in data for k in _WIDGET_FALLBACKS):
                changed = True
    if not changed:
        return content
    content = copy.deepcopy(content)
    for cell in content["cells"]:
        for out in cell.get("outputs") or () if isinstance(cell, dict) else ():
            data = out.get("data") if isinstance(out, dict) else None
            if isinstance(data, dict) and WIDGET_VIEW in data and any(
                    k in data for k in _WIDGET_FALLBACKS):
                data.pop(WIDGET_VIEW)
                if "text/html" in data:  # JupyterLab ranks a PNG above HTML: keep the sliders
                    data.pop("image/png", None)
    return content


def pre_save_hook(model: dict, path: str, contents_manager: Any = None, **kwargs: Any) -> None:
    """``FileContentsManager.pre_save_hook``: keep the saved notebooks clean and reopenable.

    The Jupyter server calls it before every save with the model about to be written and its API
    path (relative to ``contents_manager.root_dir``). When that file is a notebook under the
    repository's ``chapters/`` or ``exercises/`` (and not the learner's copy in ``my-work/``), the
    model's content is replaced by :func:`clean_notebook` of it. Any other notebook (the
    learner's) is saved with its outputs, an explorer's live widget view saved as its static
    view (:func:`static_widget_views`), so the notebook reopens with working static sliders and
    no widget error. It never raises: on any error it logs and leaves the model as it was, so
    the save goes on.
    """
    logger = getattr(contents_manager, "log", None) or log
    try:
        if not isinstance(model, dict) or model.get("type") != "notebook":
            return
        content = model.get("content")
        root_dir = getattr(contents_manager, "root_dir", None)
        if not isinstance(content, dict) or not root_dir or not isinstance(path, str):
            return
        os_path = Path(os.path.abspath(Path(root_dir).expanduser() / path.strip("/")))
        book = ROOT.resolve()
        # Compare real paths too (a symlinked root or folder must not sneak past the check).
        if not (_is_tracked(os_path, book) or _is_tracked(os_path.resolve(), book)):
            model["content"] = static_widget_views(content)
            return
        model["content"] = clean_notebook(content)  # a deep copy: the model changes at once
        key = str(os_path)
        if key not in _told:
            _told.add(key)
            logger.info("mlcalc: %s is a tracked notebook of the book: saved without outputs. "
                        "Run `make lab` to work in your own copy (my-work/), which keeps them.",
                        path)
    except Exception:
        try:
            logger.error("mlcalc pre_save_hook failed on %r; saving it unchanged", path,
                         exc_info=True)
        except Exception:
            pass


# --------------------------------------------------------------------------------------------
# Command line


def main(argv: list[str] | None = None, print_: Callable[[str], Any] = print) -> int:
    """``python -m mlcalc.workspace [--reset PATH ... | --reset-all]``."""
    parser = argparse.ArgumentParser(
        prog="python -m mlcalc.workspace",
        description="Create or update your own copy of the book (my-work/); your edits, answers "
                    "and outputs are never overwritten.",
    )
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--reset", nargs="+", metavar="PATH",
                       help="start these notebooks over (e.g. exercises/gradients.ipynb): your "
                            "copy moves to my-work/backups/<time>/, a fresh one takes its place")
    group.add_argument("--reset-all", action="store_true",
                       help="start every notebook over (all copies move to my-work/backups/)")
    parser.add_argument("--book", type=Path, default=None, help="the book's root folder")
    parser.add_argument("--workspace", type=Path, default=None,
                        help=f"your copy (default: <book>/{WORKSPACE_NAME})")
    args = parser.parse_args(argv)
    try:
        if args.reset:
            report = reset(args.reset, args.book, args.workspace)
        elif args.reset_all:
            report = reset_all(args.book, args.workspace)
        else:
            report = sync(args.book, args.workspace)
    except (ValueError, FileNotFoundError) as e:
        print(f"mlcalc.workspace: {e}", file=sys.stderr)
        return 2
    print_(str(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
