"""The learner's workspace (``mlcalc.workspace``): created once, merged by cell id afterwards, never
overwritten; and the Jupyter save hook that keeps the tracked notebooks free of outputs.

Every test but the last two works on a small made-up book in ``tmp_path``; one syncs the real book
into ``tmp_path``; the last starts a real ``jupyter server`` and saves through its REST API.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from mlcalc import workspace as ws

ROOT = Path(__file__).resolve().parent.parent
NOW = 1_800_000_000.0  # a fixed time for reset's backup folder name


# --------------------------------------------------------------------------------------------
# A small book



def _as_copied(path: Path) -> str:
    """A book notebook as the workspace holds it: the same cells, this kernel's metadata."""
    return ws.render_notebook(ws._with_kernel_metadata(ws.read_notebook(path)))


def test_copies_carry_this_kernels_metadata_so_opening_them_changes_nothing():
    """JupyterLab writes kernelspec and language_info when the kernel starts; when the file
    already holds them, the notebook is not marked modified on open."""
    import sys

    meta = ws.kernel_metadata()
    assert meta["kernelspec"]["name"] == "python3"
    assert meta["kernelspec"]["display_name"]
    assert meta["language_info"]["version"] == sys.version.split()[0]
    nb = ws._with_kernel_metadata({"cells": [], "metadata": {"kernelspec": {"name": "x"}},
                                   "nbformat": 4, "nbformat_minor": 5})
    assert nb["metadata"]["kernelspec"] == meta["kernelspec"]


def md(cid: str, text: str) -> dict:
    return {"cell_type": "markdown", "id": cid, "metadata": {}, "source": text}


def code(cid: str, text: str, outputs=None, count=None) -> dict:
    return {"cell_type": "code", "id": cid, "metadata": {}, "source": text,
            "outputs": outputs or [], "execution_count": count}


def notebook(cells: list[dict]) -> dict:
    return {"cells": cells, "metadata": {"kernelspec": {"display_name": "Python 3",
                                                         "language": "python", "name": "python3"},
                                         "language_info": {"name": "python"}},
            "nbformat": 4, "nbformat_minor": 5}


def write(path: Path, nb: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(ws.render_notebook(nb), encoding="utf-8")


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def ids(path: Path) -> list[str]:
    return [c["id"] for c in load(path)["cells"]]


def cell(path: Path, cid: str) -> dict:
    return next(c for c in load(path)["cells"] if c["id"] == cid)


def src(c: dict) -> str:
    return "".join(c["source"])


OUTPUT = [{"output_type": "stream", "name": "stdout", "text": ["42\n"]}]


def exercises_v1() -> dict:
    return notebook([
        md("ex-0", "# Exercises: Gradients\n\nSee [the chapter](../chapters/gradients.ipynb)."),
        code("ex-1", "import numpy as np"),
        md("ex-2", "## 1. Linear"),
        code("ex-3", "def grad_linear(x, y):\n    raise NotImplementedError  # your code here"),
        code("ex-4", 'check("gradients/linear", grad_linear)'),
        md("ex-5", "## 2. Quadratic"),
        code("ex-6", "def grad_quad(x, A):\n    raise NotImplementedError  # your code here"),
        code("ex-7", 'check("gradients/quad", grad_quad)'),
    ])


@pytest.fixture
def book(tmp_path: Path) -> Path:
    root = tmp_path / "book"
    write(root / "chapters" / "gradients.ipynb", notebook([
        md("ch-0", "(ch-gradients)=\n# Gradients\n\n[Exercises](../exercises/gradients.ipynb)"),
        code("ch-1", "import numpy as np\nx = np.ones(3)"),
        md("ch-2", "## The gradient"),
        code("ch-3", "print(x.sum())"),
    ]))
    write(root / "exercises" / "gradients.ipynb", exercises_v1())
    write(root / "exercises" / "solutions" / "gradients.ipynb", notebook([
        md("sol-ex-0", "# Solutions: Gradients"),
        code("sol-ex-3", "def grad_linear(x, y):\n    return y"),
    ]))
    return root


@pytest.fixture
def work(book: Path) -> Path:
    """The workspace after its first sync."""
    ws.sync(book)
    return book / ws.WORKSPACE_NAME


def answer(work: Path, rel: str, cid: str, text: str, outputs=OUTPUT) -> None:
    """The learner edits cell ``cid`` and runs it (as JupyterLab would save it)."""
    path = work / rel
    nb = load(path)
    for c in nb["cells"]:
        if c["id"] == cid:
            c["source"] = text
            if c["cell_type"] == "code":
                c["outputs"], c["execution_count"] = outputs, 1
    write(path, nb)


def book_edit(book: Path, rel: str, change) -> None:
    nb = load(book / rel)
    change(nb["cells"])
    write(book / rel, nb)


# --------------------------------------------------------------------------------------------
# First sync


def test_first_sync_creates_the_copy_with_the_books_layout(book):
    report = ws.sync(book)
    work = book / "my-work"
    for rel in ("chapters/gradients.ipynb", "exercises/gradients.ipynb",
                "exercises/solutions/gradients.ipynb"):
        assert (work / rel).read_text() == _as_copied(book / rel), rel
        assert (work / ".base" / rel).exists(), rel
    assert report.count("created") == 3
    assert "3 notebooks: 3 created" in str(report)
    # The notebooks' relative links resolve inside the copy as they do in the book.
    assert (work / "exercises" / "../chapters/gradients.ipynb").exists()
    assert (work / "exercises" / "solutions/gradients.ipynb").exists()


def test_the_real_book_is_copied_byte_for_byte(tmp_path):
    book = tmp_path / "book"  # a snapshot, so an edit made meanwhile cannot disturb the test
    for folder in ("chapters", "exercises"):
        shutil.copytree(ROOT / folder, book / folder,
                        ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    report = ws.sync(book)
    names = ws.book_notebooks(book)
    assert len(names) >= 30 and report.count("created") == len(names)
    for rel in names:
        assert (book / "my-work" / rel).read_text() == _as_copied(book / rel), rel
    assert ws.sync(book).count("unchanged") == len(names)


def test_the_workspace_is_git_ignored():
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    paths = ["my-work/chapters/gradients.ipynb", "my-work/.base/chapters/gradients.ipynb",
             "my-work/backups/20260101-000000/chapters/gradients.ipynb"]
    result = subprocess.run(["git", "check-ignore", *paths], cwd=ROOT, capture_output=True,
                            text=True)
    assert result.stdout.split() == paths, "my-work/ must be listed in .gitignore"


# --------------------------------------------------------------------------------------------
# Later syncs: the learner's work is never overwritten


def test_a_second_sync_keeps_edits_outputs_and_widget_state(book, work):
    rel = "exercises/gradients.ipynb"
    answer(work, rel, "ex-3", "def grad_linear(x, y):\n    return y")
    nb = load(work / rel)
    nb["metadata"]["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}}}
    nb["metadata"]["language_info"] = {"name": "python", "version": "3.11.2"}
    nb["cells"][1]["outputs"], nb["cells"][1]["execution_count"] = OUTPUT, 2
    write(work / rel, nb)
    before = (work / rel).read_bytes()
    mtime = (work / rel).stat().st_mtime_ns

    report = ws.sync(book)

    assert (work / rel).read_bytes() == before
    assert (work / rel).stat().st_mtime_ns == mtime, "an unchanged notebook is not rewritten"
    assert report.count("unchanged") == 3
    assert "your edits kept in 1 cell" in str(report)


def test_a_new_exercise_upstream_appears_in_place_and_the_answers_stay(book, work):
    rel = "exercises/gradients.ipynb"
    answer(work, rel, "ex-3", "def grad_linear(x, y):\n    return y")
    answer(work, rel, "ex-6", "def grad_quad(x, A):\n    return (A + A.T) @ x")
    nb = load(work / rel)  # the learner adds a scratch cell after the first answer
    nb["cells"].insert(5, code("mine-1", "grad_linear(1, 2)"))
    write(work / rel, nb)

    def add_exercise(cells):  # the book inserts exercise 1b between 1 and 2
        at = [c["id"] for c in cells].index("ex-5")
        cells[at:at] = [md("ex-4a", "## 1b. Affine"),
                        code("ex-4b", "def grad_affine(x):\n    raise NotImplementedError"),
                        code("ex-4c", 'check("gradients/affine", grad_affine)')]

    book_edit(book, rel, add_exercise)
    report = ws.sync(book)

    assert ids(work / rel) == ["ex-0", "ex-1", "ex-2", "ex-3", "ex-4", "mine-1",
                               "ex-4a", "ex-4b", "ex-4c", "ex-5", "ex-6", "ex-7"]
    assert src(cell(work / rel, "ex-3")) == "def grad_linear(x, y):\n    return y"
    assert src(cell(work / rel, "ex-6")) == "def grad_quad(x, A):\n    return (A + A.T) @ x"
    assert cell(work / rel, "ex-6")["outputs"] == OUTPUT
    text = str(report)
    assert "updated   exercises/gradients.ipynb: 3 new cells from the book" in text
    assert "kept your edits in 2 cells" in text
    assert "CONFLICT" not in text


def test_a_new_notebook_upstream_is_added(book, work):
    write(book / "chapters" / "hessians.ipynb", notebook([md("h-0", "# Hessians")]))
    report = ws.sync(book)
    assert (work / "chapters" / "hessians.ipynb").exists()
    assert [e.path for e in report.entries if e.status == "created"] == ["chapters/hessians.ipynb"]


def test_an_untouched_cell_takes_the_books_update_and_loses_stale_outputs(book, work):
    rel = "chapters/gradients.ipynb"
    nb = load(work / rel)  # the learner ran the chapter but changed nothing
    for c in nb["cells"]:
        if c["cell_type"] == "code":
            c["outputs"], c["execution_count"] = OUTPUT, 1
    write(work / rel, nb)

    def change(cells):
        cells[3]["source"] = "print(x.sum() / 3)"
        cells[2]["metadata"] = {"tags": ["new-tag"]}

    book_edit(book, rel, change)
    report = ws.sync(book)

    assert src(cell(work / rel, "ch-3")) == "print(x.sum() / 3)"
    assert cell(work / rel, "ch-3")["outputs"] == []
    assert cell(work / rel, "ch-3")["execution_count"] is None
    assert cell(work / rel, "ch-1")["outputs"] == OUTPUT, "unchanged code keeps its outputs"
    assert cell(work / rel, "ch-2")["metadata"] == {"tags": ["new-tag"]}
    assert "2 cells updated" in str(report)


def test_a_conflict_keeps_the_learners_cell_and_is_reported(book, work):
    rel = "exercises/gradients.ipynb"
    answer(work, rel, "ex-3", "def grad_linear(x, y):\n    return y  # mine")

    def change(cells):
        cells[3]["source"] = "def grad_linear(x, y, z):\n    raise NotImplementedError"

    book_edit(book, rel, change)
    report = ws.sync(book)

    kept = cell(work / rel, "ex-3")
    assert src(kept) == "def grad_linear(x, y):\n    return y  # mine"
    assert kept["outputs"] == OUTPUT
    assert report.conflicts == [(rel, "cell ex-3 (def grad_linear(x, y):)")]
    assert "CONFLICT  exercises/gradients.ipynb cell ex-3" in str(report)
    assert "1 conflict (yours kept)" in str(report)
    # Reported once: the book's new version is now the base, and the learner's cell still wins.
    again = ws.sync(book)
    assert again.conflicts == [] and src(cell(work / rel, "ex-3")).endswith("# mine")


def test_cells_removed_upstream_go_unless_the_learner_changed_them(book, work):
    rel = "exercises/gradients.ipynb"
    answer(work, rel, "ex-6", "def grad_quad(x, A):\n    return 2 * A @ x")
    book_edit(book, rel, lambda cells: cells.__delitem__(slice(5, 8)))  # exercise 2 removed
    report = ws.sync(book)
    assert ids(work / rel) == ["ex-0", "ex-1", "ex-2", "ex-3", "ex-4", "ex-6"]
    assert "the book removed it; kept because you changed it" in str(report)


def test_cells_the_learner_deleted_stay_deleted(book, work):
    rel = "chapters/gradients.ipynb"
    nb = load(work / rel)
    del nb["cells"][2]
    write(work / rel, nb)
    book_edit(book, rel, lambda cells: cells.append(md("ch-4", "## Summary")))
    ws.sync(book)
    assert ids(work / rel) == ["ch-0", "ch-1", "ch-3", "ch-4"]


def test_the_books_reordering_is_followed_unless_the_learner_reordered(book, work):
    rel = "chapters/gradients.ipynb"
    book_edit(book, rel, lambda cells: cells.insert(1, cells.pop(3)))
    ws.sync(book)
    assert ids(work / rel) == ["ch-0", "ch-3", "ch-1", "ch-2"]

    nb = load(work / rel)  # now the learner moves a cell; the book adds one after ch-1
    nb["cells"].append(nb["cells"].pop(0))
    write(work / rel, nb)
    book_edit(book, rel, lambda cells: cells.insert(3, md("ch-1b", "new")))
    ws.sync(book)
    assert ids(work / rel) == ["ch-3", "ch-1", "ch-1b", "ch-2", "ch-0"]


def test_the_notebook_metadata_and_cell_metadata_of_the_learner_are_kept(book, work):
    rel = "chapters/gradients.ipynb"
    nb = load(work / rel)
    nb["metadata"]["widgets"] = {"state": {"abc": 1}}
    nb["cells"][1]["metadata"] = {"scrolled": True}
    write(work / rel, nb)
    book_edit(book, rel, lambda cells: cells.append(md("ch-4", "## Summary")))
    ws.sync(book)
    merged = load(work / rel)
    assert merged["metadata"]["widgets"] == {"state": {"abc": 1}}
    assert merged["cells"][1]["metadata"] == {"scrolled": True}
    assert merged["cells"][-1]["id"] == "ch-4"


def test_an_invalid_notebook_is_left_untouched_and_reported(book, work):
    rel = "exercises/gradients.ipynb"
    half = '{\n "cells": [\n  {\n   "cell_type": "code",'
    (work / rel).write_text(half)
    base = (work / ".base" / rel).read_bytes()
    book_edit(book, rel, lambda cells: cells.append(md("ex-8", "## 3. New")))
    book_edit(book, "chapters/gradients.ipynb", lambda cells: cells.append(md("ch-4", "new")))

    report = ws.sync(book)

    assert (work / rel).read_text() == half
    assert (work / ".base" / rel).read_bytes() == base, "the record stays at the old version"
    assert "skipped   exercises/gradients.ipynb: not valid JSON" in str(report)
    assert "1 skipped (left untouched)" in str(report)
    assert ids(work / "chapters/gradients.ipynb")[-1] == "ch-4", "the others are still synced"
    # Starting it over puts the book's current version in its place.
    ws.reset([rel], book, now=NOW)
    assert ids(work / rel)[-1] == "ex-8"


def test_a_json_file_that_is_not_a_notebook_is_left_untouched(book, work):
    rel = "chapters/gradients.ipynb"
    (work / rel).write_text("[1, 2, 3]\n")
    report = ws.sync(book)
    assert (work / rel).read_text() == "[1, 2, 3]\n"
    assert report.count("skipped") == 1


def test_a_copy_without_a_record_is_merged_without_losing_anything(book, work):
    rel = "exercises/gradients.ipynb"
    answer(work, rel, "ex-3", "def grad_linear(x, y):\n    return y")
    shutil.rmtree(work / ".base")
    book_edit(book, rel, lambda cells: cells.append(md("ex-8", "## 3. New")))
    report = ws.sync(book)
    assert src(cell(work / rel, "ex-3")).endswith("return y")
    assert ids(work / rel)[-1] == "ex-8"
    assert "no record of the version it was made from" in str(report)


def test_a_deleted_notebook_comes_back(book, work):
    (work / "chapters" / "gradients.ipynb").unlink()
    report = ws.sync(book)
    assert (work / "chapters" / "gradients.ipynb").exists()
    assert "it was missing; a fresh copy" in str(report)


def test_a_notebook_gone_from_the_book_stays_in_the_copy(book, work):
    (book / "chapters" / "gradients.ipynb").unlink()
    report = ws.sync(book)
    assert (work / "chapters" / "gradients.ipynb").exists()
    assert "gone      chapters/gradients.ipynb: no longer in the book" in str(report)
    assert ws.sync(book).count("gone") == 0, "reported once"


def git(book: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org",
                    "-c", "commit.gpgsign=false", *args], cwd=book, check=True,
                   capture_output=True)


@pytest.fixture
def git_book(book):
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    git(book, "init", "-q")
    git(book, "add", ".")
    git(book, "commit", "-q", "-m", "book v1")
    return book


def test_a_git_book_is_followed_as_committed_not_as_edited_in_place(git_book):
    """Answers written in the tracked notebook (the old way) never count as a book update: were
    they copied as the book's version, a later `git checkout` would look like an update and
    replace the learner's unchanged cells."""
    rel = "exercises/gradients.ipynb"
    book_edit(git_book, rel, lambda cells: cells[3].update(source="answer written in place"))
    report = ws.sync(git_book)
    work = git_book / "my-work"
    assert (work / rel).read_text() == ws.render_notebook(ws._with_kernel_metadata(exercises_v1()))
    assert f"note      the repository's {rel} has changes that are not committed" in str(report)

    answer(work, rel, "ex-3", "def grad_linear(x, y):\n    return y")
    git(git_book, "checkout", "--", rel)
    assert ws.sync(git_book).count("unchanged") == 3
    assert src(cell(work / rel, "ex-3")).endswith("return y")

    # A committed change (what `git pull` brings) is merged in; an uncommitted one is not.
    book_edit(git_book, rel, lambda cells: cells.append(md("ex-8", "## 3. New")))
    ws.sync(git_book)
    assert "ex-8" not in ids(work / rel)
    git(git_book, "commit", "-q", "-am", "book v2")
    ws.sync(git_book)
    assert ids(work / rel)[-1] == "ex-8" and src(cell(work / rel, "ex-3")).endswith("return y")


def test_writes_are_atomic(tmp_path, monkeypatch):
    path = tmp_path / "a.ipynb"
    path.write_text("old")

    def fail(*args):
        raise OSError("disk full")

    monkeypatch.setattr(ws.os, "replace", fail)
    with pytest.raises(OSError):
        ws.write_atomic(path, "new")
    assert path.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["a.ipynb"], "no temporary file left behind"


# --------------------------------------------------------------------------------------------
# Starting over


def test_reset_moves_one_copy_aside_and_puts_a_fresh_one(book, work, monkeypatch):
    rel = "exercises/gradients.ipynb"
    answer(work, rel, "ex-3", "def grad_linear(x, y):\n    return y")
    mine = (work / rel).read_bytes()
    monkeypatch.chdir(book)  # the path as typed at the repository root, inside my-work/
    report = ws.reset(["my-work/exercises/gradients.ipynb"], book, now=NOW)

    stamp = ws._stamp(NOW)
    assert (work / "backups" / stamp / rel).read_bytes() == mine
    assert (work / rel).read_text() == _as_copied(book / rel)
    assert str(report).splitlines()[1] == (
        f"  reset     {rel}: your copy moved to backups/{stamp}/{rel}; "
        "a fresh copy of the book's version")
    # A second reset in the same second gets its own folder.
    ws.reset([rel], book, now=NOW)
    assert (work / "backups" / f"{stamp}-2" / rel).exists()


def test_reset_accepts_book_paths_and_rejects_others(book, work):
    ws.reset(["chapters/gradients"], book, now=NOW)  # relative to the book, suffix optional
    with pytest.raises(ValueError, match="not a notebook of the book"):
        ws.reset(["chapters/nothing.ipynb"], book, now=NOW)


def test_reset_all_starts_everything_over(book, work):
    answer(work, "exercises/gradients.ipynb", "ex-3", "x")
    report = ws.reset_all(book, now=NOW)
    assert report.count("reset") == 3
    backup = work / "backups" / ws._stamp(NOW)
    assert sorted(p.relative_to(backup).as_posix() for p in backup.rglob("*.ipynb")) == [
        "chapters/gradients.ipynb", "exercises/gradients.ipynb",
        "exercises/solutions/gradients.ipynb"]
    assert src(cell(backup / "exercises/gradients.ipynb", "ex-3")) == "x"
    assert ws.sync(book).count("unchanged") == 3


def test_command_line(book, capsys):
    assert ws.main(["--book", str(book)]) == 0
    assert "3 notebooks: 3 created" in capsys.readouterr().out
    assert ws.main(["--book", str(book), "--reset", "chapters/nope.ipynb"]) == 2
    assert "not a notebook of the book" in capsys.readouterr().err
    result = subprocess.run([sys.executable, "-m", "mlcalc.workspace", "--book", str(book)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and "3 notebooks: 3 unchanged" in result.stdout


# --------------------------------------------------------------------------------------------
# The save hook


class FakeContentsManager:
    def __init__(self, root_dir):
        self.root_dir = str(root_dir)
        self.log = logging.getLogger("fake-contents-manager")


def ran_notebook() -> dict:
    nb = notebook([md("a", "# T"), code("b", "1 + 1", OUTPUT, 3)])
    nb["cells"][1]["metadata"] = {"tags": ["keep"], "execution": {"t": 1}, "scrolled": True}
    nb["metadata"]["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}}}
    nb["metadata"]["language_info"] = {"name": "python", "version": "3.11.2"}
    return nb


@pytest.fixture
def hook_book(book, monkeypatch):
    monkeypatch.setattr(ws, "ROOT", book)
    return book


@pytest.mark.parametrize("path", ["chapters/gradients.ipynb", "/exercises/gradients.ipynb",
                                  "exercises/solutions/gradients.ipynb"])
def test_hook_strips_tracked_notebooks(hook_book, path):
    model = {"type": "notebook", "format": "json", "content": ran_notebook()}
    ws.pre_save_hook(model=model, path=path, contents_manager=FakeContentsManager(hook_book))
    nb = model["content"]
    assert nb["cells"][1]["outputs"] == [] and nb["cells"][1]["execution_count"] is None
    assert nb["cells"][1]["metadata"] == {"tags": ["keep"]}
    assert "widgets" not in nb["metadata"]
    assert nb["metadata"]["language_info"] == {"name": "python"}
    assert nb["cells"][0]["source"] == "# T"


def test_hook_strips_when_the_server_root_is_above_the_book(hook_book):
    model = {"type": "notebook", "content": ran_notebook()}
    ws.pre_save_hook(model, "book/chapters/gradients.ipynb",
                     FakeContentsManager(hook_book.parent))
    assert model["content"]["cells"][1]["outputs"] == []


@pytest.mark.parametrize("root, path", [
    ("my-work", "chapters/gradients.ipynb"),  # make lab: the root is the workspace
    (".", "my-work/chapters/gradients.ipynb"),
    (".", "my-work/exercises/gradients.ipynb"),
    (".", "notes/scratch.ipynb"),
    (".", "chapters/.ipynb_checkpoints/gradients-checkpoint.ipynb"),
])
def test_hook_leaves_the_workspace_and_other_notebooks_alone(hook_book, root, path):
    model = {"type": "notebook", "content": ran_notebook()}
    ws.pre_save_hook(model, path, FakeContentsManager(hook_book / root))
    assert model["content"] == ran_notebook()


@pytest.mark.parametrize("model, path, manager", [
    (None, "chapters/gradients.ipynb", "cm"),
    ({}, "chapters/gradients.ipynb", "cm"),
    ({"type": "file", "content": "text"}, "chapters/notes.txt", "cm"),
    ({"type": "notebook"}, "chapters/gradients.ipynb", "cm"),
    ({"type": "notebook", "content": None}, "chapters/gradients.ipynb", "cm"),
    ({"type": "notebook", "content": "not a dict"}, "chapters/gradients.ipynb", "cm"),
    ({"type": "notebook", "content": {"cells": "odd", "metadata": []}},
     "chapters/gradients.ipynb", "cm"),
    ({"type": "notebook", "content": {"cells": [1, None, {"cell_type": "code"}]}},
     "chapters/gradients.ipynb", "cm"),
    ({"type": "notebook", "content": {}}, None, "cm"),
    ({"type": "notebook", "content": {}}, "chapters/gradients.ipynb", None),
    ({"type": "notebook", "content": {}}, "chapters/gradients.ipynb", object()),
    ({"type": "directory"}, "chapters", "cm"),
])
def test_hook_never_raises(hook_book, model, path, manager):
    if manager == "cm":
        manager = FakeContentsManager(hook_book)
    ws.pre_save_hook(model, path, manager)  # must not raise


def test_hook_saves_unchanged_when_it_fails(hook_book, monkeypatch, caplog):
    def broken(nb):
        raise RuntimeError("boom")

    monkeypatch.setattr(ws, "clean_notebook", broken)
    model = {"type": "notebook", "content": ran_notebook()}
    with caplog.at_level(logging.ERROR):
        ws.pre_save_hook(model, "chapters/gradients.ipynb", FakeContentsManager(hook_book),
                         extra="ignored")
    assert model["content"] == ran_notebook()
    assert "saving it unchanged" in caplog.text


def test_the_server_config_names_the_hook():
    path = ROOT / "jupyter" / "jupyter_server_config.json"
    if not path.exists():
        pytest.skip("jupyter/jupyter_server_config.json is not in this checkout")
    config = json.loads(path.read_text())
    name = config["FileContentsManager"]["pre_save_hook"]
    module, _, attr = name.rpartition(".")
    assert getattr(__import__(module, fromlist=[attr]), attr) is ws.pre_save_hook


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.slow
def test_a_real_jupyter_server_strips_tracked_and_keeps_workspace_outputs(book, tmp_path):
    """Save two notebooks through a real server's REST API (as JupyterLab's autosave does)."""
    pytest.importorskip("jupyter_server")
    ws.sync(book)
    config = tmp_path / "config.py"
    config.write_text(
        "from pathlib import Path\n"
        "import mlcalc.workspace\n"
        f"mlcalc.workspace.ROOT = Path({str(book)!r})\n"
        "c.FileContentsManager.pre_save_hook = 'mlcalc.workspace.pre_save_hook'\n")
    port, token = _free_port(), "test-token"
    cmd = [sys.executable, "-m", "jupyter_server", f"--config={config}",
           "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
           "--ServerApp.open_browser=False", f"--ServerApp.root_dir={book}",
           f"--IdentityProvider.token={token}"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(tmp_path / "jcfg"),
           "JUPYTER_RUNTIME_DIR": str(tmp_path / "jrt")}
    log_path = tmp_path / "server.log"
    with open(log_path, "w") as log_file:
        server = subprocess.Popen(cmd, stdout=log_file, stderr=subprocess.STDOUT, env=env,
                                  cwd=tmp_path)
    base = f"http://127.0.0.1:{port}/api"
    headers = {"Authorization": f"token {token}", "Content-Type": "application/json"}

    def call(method, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(base + path, data=data, headers=headers, method=method)
        with urllib.request.urlopen(req, timeout=10) as resp:
            return json.loads(resp.read() or b"null")

    try:
        deadline = time.monotonic() + 12
        while True:
            if server.poll() is not None:
                pytest.skip("jupyter server did not start:\n" + log_path.read_text()[-2000:])
            try:
                call("GET", "/status")
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if time.monotonic() > deadline:
                    pytest.skip("jupyter server did not answer in time:\n"
                                + log_path.read_text()[-2000:])
                time.sleep(0.2)
        for path in ("chapters/gradients.ipynb", "my-work/chapters/gradients.ipynb"):
            call("PUT", f"/contents/{path}",
                 {"type": "notebook", "format": "json", "content": ran_notebook()})
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()

    tracked = load(book / "chapters/gradients.ipynb")
    assert tracked["cells"][1]["outputs"] == [], log_path.read_text()[-2000:]
    assert tracked["cells"][1]["execution_count"] is None
    assert "widgets" not in tracked["metadata"]
    mine = load(book / "my-work/chapters/gradients.ipynb")
    assert mine["cells"][1]["outputs"] == OUTPUT
    assert mine["cells"][1]["execution_count"] == 3
    assert "widgets" in mine["metadata"]


@pytest.mark.slow
def test_the_installed_server_config_runs_the_hook():
    """The environment's Jupyter server (as `make env` sets it up) calls our pre_save_hook: a
    hook named only in a jupyter_server_config.d/ file is silently ignored."""
    installed = Path(sys.prefix) / "etc" / "jupyter" / "jupyter_server_config.json"
    if not installed.exists():
        if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
            pytest.fail(f"{installed} is missing: `make env` must install it")
        pytest.skip(f"{installed} is missing: run `make env`")
    code = ("from jupyter_server.serverapp import ServerApp\n"
            "app = ServerApp(); app.initialize(argv=['--no-browser', '--allow-root'])\n"
            "h = app.contents_manager.pre_save_hook\n"
            "print(getattr(h, '__module__', None), getattr(h, '__name__', None))\n")
    env = {**os.environ, "JUPYTER_RUNTIME_DIR": tempfile.mkdtemp()}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=60, env=env, cwd=tempfile.gettempdir())
    assert out.stdout.split()[-2:] == ["mlcalc.workspace", "pre_save_hook"], out.stderr[-1500:]


@pytest.mark.parametrize("module", ["mlcalc.workspace", "mlcalc.grade"])
def test_running_the_module_prints_no_warning(module):
    """`make lab` runs `python -m mlcalc.workspace`: no runpy warning ("found in sys.modules ...
    prior to execution") may greet the learner, as it did while mlcalc imported the module."""
    import subprocess
    import sys

    r = subprocess.run([sys.executable, "-W", "error::RuntimeWarning", "-m", module, "--help"],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr[-800:]
    assert "Warning" not in r.stderr, r.stderr[-800:]
