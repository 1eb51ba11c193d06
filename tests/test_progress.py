"""The learner's progress: check cells record verdicts in the workspace, ``progress()`` shows them.

Every test works in ``tmp_path`` with ``MLCALC_PROGRESS`` removed from the environment, so
nothing here (or in the rest of the suite) writes a progress file into the repository or the home
folder. The recorded checks use ``sandbox="auto"``; ``sandbox="none"`` checks are recorded only
with ``MLCALC_PROGRESS`` set.
"""

from __future__ import annotations

import importlib
import json
import threading
from collections import Counter
from pathlib import Path

import pytest

import mlcalc
from mlcalc import EXERCISES, Verdict, check, progress
from mlcalc.grading.catalogue import CHAPTERS

P = importlib.import_module("mlcalc.grading.progress")
ROOT = Path(__file__).resolve().parent.parent
EX = "gradients/quadratic-form"
REF = EXERCISES[EX].reference


def right(x, A):
    return REF(x, A)


def wrong(x, A):
    return A @ x


def grad_quadratic_form(x, A):  # the stub, as shipped
    raise NotImplementedError


def _grade(fn, ex_id=EX, sandbox="auto"):
    return check(ex_id, fn, sandbox=sandbox)


def _notes(v: Verdict) -> list[str]:
    """The verdict's notes about progress (not the sandbox's)."""
    return [n for n in v.notes if "progress" in n]


def _data(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _files(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*")}


@pytest.fixture(autouse=True)
def _no_env(monkeypatch):
    monkeypatch.delenv(P.ENV_VAR, raising=False)
    monkeypatch.setattr(P, "_warned", set())


@pytest.fixture
def workspace(tmp_path, monkeypatch) -> Path:
    """A learner's workspace (``.base/`` as mlcalc.workspace keeps it); the kernel's folder is
    its ``exercises/``."""
    ws = tmp_path / "my-work"
    (ws / ".base" / "exercises").mkdir(parents=True)
    (ws / "exercises").mkdir()
    monkeypatch.chdir(ws / "exercises")
    return ws


# ------------------------------------------------------------------------------------------------
# where


def test_the_repository_is_not_a_workspace(monkeypatch):
    """The tests and nbval run in the repository: nothing they check is recorded."""
    for folder in (ROOT, ROOT / "exercises", ROOT / "exercises" / "solutions", ROOT / "chapters"):
        assert P.progress_file(folder) is None, folder
    assert P.progress_file(Path.home()) is None


def test_check_records_in_the_workspace(workspace):
    v = _grade(right)
    assert v.passed and not _notes(v), repr(v)
    path = workspace / ".mlcalc-progress.json"
    assert P.progress_file() == path
    data = _data(path)
    assert data["format"] == "mlcalc-progress" and data["version"] == 1
    entry = data["exercises"][EX]
    assert set(entry) == {"status", "last", "attempts", "first_passed"}  # and nothing else
    assert entry["status"] == entry["last"] == "correct" and entry["attempts"] == 1
    assert entry["first_passed"].endswith("Z")
    # Nothing else is left behind: no temporary files, nothing in the notebooks' folder.
    assert _files(workspace) - {".base", ".base/exercises", "exercises"} == {
        ".mlcalc-progress.json", ".mlcalc-progress.json.lock"}


def test_workspace_found_from_any_depth(workspace, monkeypatch):
    deep = workspace / "exercises" / "solutions"
    deep.mkdir()
    monkeypatch.chdir(deep)
    _grade(wrong)
    assert _data(workspace / ".mlcalc-progress.json")["exercises"][EX]["status"] == "wrong"


def test_nothing_recorded_outside_a_workspace(tmp_path, monkeypatch):
    folder = tmp_path / "somewhere"
    (folder / ".base").mkdir(parents=True)  # a stray .base without the book in it: not one
    monkeypatch.chdir(folder)
    assert _grade(right).passed and _grade(wrong).status == "wrong"
    assert _files(tmp_path) == {"somewhere", "somewhere/.base"}
    p = progress()
    assert not p.recording and p.file is None
    assert "make lab" in p.note and "make lab" in repr(p) and "make lab" in p._repr_html_()
    assert p.total.passed == 0 and p.total.not_started == len(EXERCISES)


def test_env_names_the_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(P.ENV_VAR, "sub/progress.json")  # relative to the current folder
    _grade(right)
    assert _data(tmp_path / "sub" / "progress.json")["exercises"][EX]["status"] == "correct"
    monkeypatch.setenv(P.ENV_VAR, str(tmp_path))  # a folder: the usual name in it
    _grade(wrong)
    assert _data(tmp_path / ".mlcalc-progress.json")["exercises"][EX]["attempts"] == 1
    assert progress().file == tmp_path / ".mlcalc-progress.json"


def test_env_overrides_the_workspace(workspace, tmp_path, monkeypatch):
    target = tmp_path / "elsewhere.json"
    monkeypatch.setenv(P.ENV_VAR, str(target))
    _grade(right)
    assert target.exists() and not (workspace / ".mlcalc-progress.json").exists()


def test_env_off_records_nothing(workspace, monkeypatch):
    monkeypatch.setenv(P.ENV_VAR, "off")
    assert _grade(right).passed
    assert not (workspace / ".mlcalc-progress.json").exists()
    p = progress()
    assert not p.recording and "off" in p.note


def test_sandbox_none_recorded_only_with_the_env(workspace, tmp_path, monkeypatch):
    assert _grade(right, sandbox="none").passed
    assert not (workspace / ".mlcalc-progress.json").exists()
    target = tmp_path / "explicit.json"
    monkeypatch.setenv(P.ENV_VAR, str(target))
    _grade(right, sandbox="none")
    assert _data(target)["exercises"][EX]["attempts"] == 1


# ------------------------------------------------------------------------------------------------
# what


def test_best_status_kept_and_last_status_recorded(workspace):
    path = workspace / ".mlcalc-progress.json"
    P.record(Verdict(EX, "wrong", "", "wrong"), now="2025-01-01T00:00:00Z")
    assert _data(path)["exercises"][EX] == {
        "status": "wrong", "last": "wrong", "attempts": 1, "first_passed": None}
    P.record(Verdict(EX, "correct", "", "correct"), now="2025-01-02T00:00:00Z")
    P.record(Verdict(EX, "error", "", "exception"), now="2025-01-03T00:00:00Z")
    P.record(Verdict(EX, "correct", "", "correct"), now="2025-01-04T00:00:00Z")
    P.record(Verdict(EX, "timeout", "", "timeout"), now="2025-01-05T00:00:00Z")
    assert _data(path)["exercises"][EX] == {
        "status": "correct", "last": "timeout", "attempts": 5,
        "first_passed": "2025-01-02T00:00:00Z"}
    e = progress("gradients").exercises[1]
    assert (e.id, e.status, e.last, e.attempts) == (EX, "passed", "timeout", 5)


def test_not_attempted_is_not_an_attempt(workspace):
    path = workspace / ".mlcalc-progress.json"
    assert _grade(grad_quadratic_form).status == "not attempted"
    assert _grade(None).status == "not attempted"
    assert not path.exists()
    _grade(wrong)
    _grade(grad_quadratic_form)
    assert _data(path)["exercises"][EX]["attempts"] == 1


def test_verdicts_about_something_else_are_not_attempts(workspace):
    def grad_linear(x, y):  # another exercise's answer handed to this check
        return y

    assert _grade(grad_linear).kind == "stale-answer"
    assert check("gradients/no-such-exercise", right).kind == "unknown-exercise"
    P.record(Verdict(EX, "error", "The grader itself failed", "grader-error"))
    assert not (workspace / ".mlcalc-progress.json").exists()


def test_progress_survives_a_restart(workspace):
    """A new kernel: nothing is kept in memory, everything is read back from the file."""
    (workspace / ".mlcalc-progress.json").write_text(json.dumps({
        "format": "mlcalc-progress", "version": 1, "exercises": {
            "gradients/linear": {"status": "correct", "last": "correct", "attempts": 2,
                                 "first_passed": "2025-01-01T00:00:00Z"},
            EX: {"status": "wrong", "last": "error", "attempts": 4, "first_passed": None},
            "derivatives/polynomial": {"status": "correct", "last": "wrong", "attempts": 3,
                                       "first_passed": "2025-01-01T00:00:00Z"},
        }}), encoding="utf-8")
    p = progress()
    rows = {c.chapter: c for c in p.chapters}
    assert (rows["gradients"].passed, rows["gradients"].attempted) == (1, 1)
    assert (rows["derivatives"].passed, rows["derivatives"].attempted) == (1, 0)
    _grade(right)  # the next session goes on from there
    assert _data(workspace / ".mlcalc-progress.json")["exercises"][EX]["attempts"] == 5
    assert progress().chapters[1].passed == 2


# ------------------------------------------------------------------------------------------------
# how: corrupt, unwritable, atomic, concurrent


@pytest.mark.parametrize("text", ["{not json", "[1, 2]", '{"exercises": 3}', "\udcff"])
def test_corrupt_file_moved_aside(workspace, text):
    path = workspace / ".mlcalc-progress.json"
    path.write_text(text, encoding="utf-8", errors="surrogateescape")
    before = path.read_bytes()
    p = progress()  # reading never moves anything
    assert "could not be read" in p.note and path.read_bytes() == before
    v = _grade(right)
    assert v.passed and v.kind == "correct"
    assert any(".mlcalc-progress.json.corrupt" in n for n in v.notes), v.notes
    assert (workspace / ".mlcalc-progress.json.corrupt").read_bytes() == before
    assert _data(path)["exercises"][EX]["attempts"] == 1
    assert progress().note is None


def test_malformed_entries_are_ignored_not_the_file(workspace):
    path = workspace / ".mlcalc-progress.json"
    path.write_text(json.dumps({"exercises": {
        EX: {"status": "bogus", "attempts": "many"},
        "gradients/linear": {"status": "correct", "last": "correct", "attempts": 1,
                             "first_passed": None}}}), encoding="utf-8")
    assert progress().chapters[1].passed == 1
    v = _grade(wrong)
    assert not _notes(v)
    assert _data(path)["exercises"][EX]["attempts"] == 1
    assert not (workspace / ".mlcalc-progress.json.corrupt").exists()


def test_unwritable_progress_never_breaks_check(workspace):
    (workspace / ".mlcalc-progress.json").mkdir()  # cannot be replaced by a file (even as root)
    v = _grade(right)
    assert v.passed and v.kind == "correct"
    assert any("could not be recorded" in n for n in v.notes), v.notes
    assert not any("could not be recorded" in n for n in _grade(right).notes)  # said once
    assert "could not be read" in progress().note


def test_read_only_workspace_never_breaks_check(workspace):
    workspace.chmod(0o555)
    try:
        v = _grade(right)
        assert v.passed and v.kind == "correct"
        if not (workspace / ".mlcalc-progress.json").exists():  # root may write anyway
            assert any("could not be recorded" in n for n in v.notes), v.notes
    finally:
        workspace.chmod(0o755)


def test_any_failure_of_recording_is_swallowed(workspace, monkeypatch):
    def boom(*a, **k):
        raise RuntimeError("boom")

    monkeypatch.setattr(P, "_where", boom)
    v = _grade(right)
    assert v.passed and v.kind == "correct" and not _notes(v)


def test_write_is_atomic(workspace, monkeypatch):
    path = workspace / ".mlcalc-progress.json"
    _grade(right)
    before = path.read_bytes()
    replaced = []
    real_replace = P.os.replace

    def failing_fsync(fd):
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(P.os, "fsync", failing_fsync)  # the write fails half-way
    v = _grade(wrong)
    assert v.status == "wrong" and any("could not be recorded" in n for n in v.notes)
    assert path.read_bytes() == before  # the old file, whole
    assert not list(workspace.glob("*.tmp"))  # no temporary file left
    monkeypatch.undo()
    monkeypatch.delenv(P.ENV_VAR, raising=False)
    monkeypatch.chdir(workspace / "exercises")

    def spy(src, dst):
        replaced.append((Path(src).parent, Path(dst)))
        return real_replace(src, dst)

    monkeypatch.setattr(P.os, "replace", spy)
    _grade(wrong)
    assert replaced == [(workspace, path)]  # written beside it, then renamed over it
    assert _data(path)["exercises"][EX]["attempts"] == 2


def test_concurrent_checks_lose_nothing(workspace):
    verdict = Verdict(EX, "wrong", "", "wrong")
    threads = [threading.Thread(target=lambda: [P.record(verdict) for _ in range(10)])
               for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert _data(workspace / ".mlcalc-progress.json")["exercises"][EX]["attempts"] == 60


# ------------------------------------------------------------------------------------------------
# showing


def test_table_counts_every_chapter_in_the_books_order(workspace):
    P.record(Verdict(EX, "correct", "", "correct"))
    P.record(Verdict("gradients/linear", "wrong", "", "wrong"))
    P.record(Verdict("backprop/" + _slug("backprop", 0), "error", "", "exception"))
    p = progress()
    assert [c.chapter for c in p.chapters] == list(CHAPTERS)
    totals = Counter(ex_id.split("/")[0] for ex_id in EXERCISES)
    for c in p.chapters:
        assert c.total == totals[c.chapter]
        assert c.passed + c.attempted + c.not_started == c.total
    rows = {c.chapter: c for c in p.chapters}
    assert (rows["gradients"].passed, rows["gradients"].attempted) == (1, 1)
    assert (rows["backprop"].passed, rows["backprop"].attempted) == (0, 1)
    assert (p.total.passed, p.total.attempted, p.total.total) == (1, 2, len(EXERCISES))
    d = p.as_dict()
    assert json.loads(json.dumps(d)) == d
    assert d["recording"] and d["file"] == str(workspace / ".mlcalc-progress.json")
    assert [c["chapter"] for c in d["chapters"]] == list(CHAPTERS) and d["exercises"] == []
    text = repr(p)
    assert [line.split()[0] for line in text.splitlines()[2:]] == [*CHAPTERS, "all"]
    html = p._repr_html_()
    assert all(f">{ch}<" in html for ch in CHAPTERS)
    assert html.index(">derivatives<") < html.index(">gradients<") < html.index(">backprop<")


def _slug(chapter: str, i: int) -> str:
    return [e for e in EXERCISES if e.startswith(chapter + "/")][i].split("/", 1)[1]


def test_chapter_detail_lists_its_exercises_in_order(workspace):
    P.record(Verdict(EX, "correct", "", "correct"))
    P.record(Verdict(EX, "wrong", "", "wrong"))
    P.record(Verdict("gradients/l2-norm", "wrong", "", "wrong"))
    p = progress("gradients")
    ids = [e for e in EXERCISES if e.startswith("gradients/")]
    assert [e.id for e in p.exercises] == ids
    assert [c.chapter for c in p.chapters] == ["gradients"]
    by_id = {e.id: e for e in p.exercises}
    assert (by_id[EX].status, by_id[EX].attempts) == ("passed", 2)
    assert by_id["gradients/l2-norm"].status == "attempted"
    assert by_id["gradients/linear"].status == "not started"
    text = repr(p)
    assert "passed (last try: wrong)" in text and "attempted (last: wrong)" in text
    lines = text.splitlines()
    first = next(i for i, line in enumerate(lines) if line.lstrip().startswith("1 "))
    assert [line.split()[1] for line in lines[first:]] == [i.split("/", 1)[1] for i in ids]
    html = p._repr_html_()
    positions = [html.index(f"<code>{i.split('/', 1)[1]}</code>") for i in ids]
    assert positions == sorted(positions)
    assert progress("chain-rule").chapter == "chain_rule"


def test_unknown_chapter_is_a_clear_error():
    with pytest.raises(ValueError, match="Did you mean 'gradients'"):
        progress("gradient")
    with pytest.raises(TypeError, match="chapter"):
        progress(3)


def test_output_is_deterministic(workspace):
    P.record(Verdict(EX, "correct", "", "correct"), now="2031-02-03T04:05:06Z")
    a, b = progress("gradients"), progress("gradients")
    assert repr(a) == repr(b) and a._repr_html_() == b._repr_html_()
    for shown in (repr(a), a._repr_html_(), repr(progress()), progress()._repr_html_()):
        assert "2031" not in shown
    assert a.as_dict()["exercises"][1]["first_passed"] == "2031-02-03T04:05:06Z"


# ------------------------------------------------------------------------------------------------
# the book


def test_progress_is_public():
    assert "progress" in mlcalc.__all__ and mlcalc.progress is progress


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_learner_notebook_says_how_to_see_progress(chapter):
    nb = json.loads((ROOT / "exercises" / f"{chapter}.ipynb").read_text(encoding="utf-8"))
    intro = "".join(nb["cells"][0]["source"])
    assert f'from mlcalc import progress; progress("{chapter}")' in intro
    solution = (ROOT / "exercises" / "solutions" / f"{chapter}.ipynb").read_text(
        encoding="utf-8")
    assert "progress" not in solution  # the solution notebooks are unchanged
