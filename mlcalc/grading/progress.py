"""The learner's progress: check cells record their verdicts, :func:`progress` shows them.

Where verdicts are recorded
    In the learner's own copy of the book (``my-work/``, made by :mod:`mlcalc.workspace`), in the
    hidden file ``<workspace>/.mlcalc-progress.json``. The workspace is found from the current
    folder (a notebook's kernel runs in the notebook's folder): the nearest folder, the current
    one or an ancestor, that holds the ``.base/`` folder a workspace keeps (with the book's
    ``chapters/`` or ``exercises/`` in it, so an unrelated ``.base`` is not taken for one). The
    whole workspace is git-ignored, and so is the file.

    The environment variable ``MLCALC_PROGRESS`` overrides that: a file path (a folder means the
    file ``.mlcalc-progress.json`` in it), or ``off`` to record nothing. Outside a workspace and
    without the variable nothing is recorded: the book's tracked folders and the home folder are
    never written to; :func:`progress` then says how to get a workspace (``make lab``).

What is recorded
    Per exercise id, and nothing else (no code, no answers)::

        {"status": "correct", "last": "wrong", "attempts": 3,
         "first_passed": "2025-01-31T12:00:00Z"}

    ``status`` is the best verdict so far (``"correct"`` once the exercise was passed, else the
    latest status), ``last`` the latest status, ``attempts`` the number of graded attempts and
    ``first_passed`` the time (UTC) of the first pass, or ``null``. A "not attempted" verdict (the
    stub) is not an attempt, and neither is a verdict about something other than the learner's
    answer (an unknown exercise id, a check cell handed another exercise's function, a failure of
    the grader itself, an interrupted check).

How
    :func:`record` is called by :func:`mlcalc.grading.check` on every verdict and never raises:
    any failure becomes at most a note on the verdict. The file is read and rewritten under an
    advisory lock (``.mlcalc-progress.json.lock`` beside it, waited for at most a second) and
    written atomically (a temporary file in the same folder, then ``os.replace``), so a reader
    never sees half a file. A file that is not valid progress data is moved aside to
    ``.mlcalc-progress.json.corrupt`` and a fresh one is started, with a note on the verdict.
    Checks run with ``sandbox="none"`` (trusted code: the tests with reference solutions) are
    recorded only when ``MLCALC_PROGRESS`` names a file, so a test run never writes progress.

This module imports the definitions and the catalogue (for the book's order); the diagnosis
imports it.
"""

from __future__ import annotations

import contextlib
import difflib
import json
import os
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from html import escape
from pathlib import Path
from typing import Any

from ..notebook_files import BASE_NAME, write_atomic
from .catalogue import CHAPTERS
from .spec import EXERCISES
from .verdict import _code_spans

__all__ = ["ENV_VAR", "FILE_NAME", "Progress", "progress", "progress_file", "record"]

ENV_VAR = "MLCALC_PROGRESS"
FILE_NAME = ".mlcalc-progress.json"
_WORKSPACE_MARKER = BASE_NAME  # the book's version of each copy, kept by mlcalc.workspace
_FORMAT = "mlcalc-progress"
_VERSION = 1
_GRADED = ("correct", "wrong", "error", "timeout")  # statuses that are attempts
# Verdict kinds that say nothing about the learner's answer: not attempts.
_NOT_ATTEMPTS = frozenset({"unknown-exercise", "stale-answer", "grader-error", "interrupted"})
_LOCK_WAIT = 1.0  # seconds to wait for another process's lock, then go on without it

_warned: set[str] = set()  # files whose write failure was already noted in this process


# ------------------------------------------------------------------------------------------------
# where


@dataclass(frozen=True)
class _Where:
    file: Path | None
    why: str  # "env", "workspace", "off", "outside"


def _find_workspace(start: Path) -> Path | None:
    """The nearest folder from ``start`` up that is a learner's workspace (holds ``.base/``)."""
    for folder in (start, *start.parents):
        base = folder / _WORKSPACE_MARKER
        if base.is_dir() and ((base / "exercises").is_dir() or (base / "chapters").is_dir()):
            return folder
    return None


def _where(cwd: Path | None = None) -> _Where:
    value = os.environ.get(ENV_VAR, "").strip()
    if value.lower() == "off":
        return _Where(None, "off")
    if value:
        path = Path(value).expanduser()
        if not path.is_absolute():
            path = (cwd or Path.cwd()) / path
        if path.is_dir():
            path = path / FILE_NAME
        return _Where(Path(os.path.abspath(path)), "env")
    try:
        start = Path(os.path.abspath(cwd or Path.cwd()))
    except OSError:  # the current folder was deleted
        return _Where(None, "outside")
    workspace = _find_workspace(start)
    if workspace is None:
        return _Where(None, "outside")
    return _Where(workspace / FILE_NAME, "workspace")


def progress_file(cwd: str | Path | None = None) -> Path | None:
    """The file verdicts are recorded in, seen from ``cwd`` (default: the current folder).

    Returns ``None`` when nothing is recorded: ``MLCALC_PROGRESS=off``, or outside a workspace
    without ``MLCALC_PROGRESS``.
    """
    return _where(Path(cwd) if cwd is not None else None).file


# ------------------------------------------------------------------------------------------------
# the file


class _Corrupt(Exception):
    """The file exists but does not hold progress data."""


def _clean_entry(raw: Any) -> dict | None:
    """A well-formed entry from the file's ``raw`` one, or ``None`` (then it is ignored)."""
    if not isinstance(raw, dict):
        return None
    status, last, attempts = raw.get("status"), raw.get("last"), raw.get("attempts")
    first = raw.get("first_passed")
    if status not in _GRADED or last not in _GRADED:
        return None
    if isinstance(attempts, bool) or not isinstance(attempts, int) or attempts < 1:
        return None
    if first is not None and not isinstance(first, str):
        return None
    return {"status": status, "last": last, "attempts": attempts, "first_passed": first}


def _read(path: Path) -> dict[str, dict]:
    """The entries in ``path`` by exercise id ({} when there is no file).

    Raises:
        _Corrupt: if the file is not progress data.
        OSError: if it cannot be read.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except UnicodeDecodeError as e:
        raise _Corrupt(str(e)) from e
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise _Corrupt(str(e)) from e
    if not isinstance(data, dict) or not isinstance(data.get("exercises"), dict):
        raise _Corrupt("no 'exercises' object")
    out = {}
    for ex_id, raw in data["exercises"].items():
        entry = _clean_entry(raw)
        if entry is not None:
            out[str(ex_id)] = entry
    return out


def _render(entries: dict[str, dict]) -> str:
    data = {"format": _FORMAT, "version": _VERSION,
            "exercises": {k: entries[k] for k in sorted(entries)}}
    return json.dumps(data, indent=1, sort_keys=True) + "\n"


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """Hold an advisory lock on ``<path>.lock`` while the file is read and rewritten, so two
    kernels checking at the same moment do not lose each other's verdicts. Where there is no
    lock (no ``fcntl``, an unwritable folder, a lock held over a second) it goes on unlocked:
    the write is atomic either way."""
    fd = None
    try:
        import fcntl

        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(f"{path}.lock", os.O_RDWR | os.O_CREAT, 0o644)
        deadline = time.monotonic() + _LOCK_WAIT
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError:
                if time.monotonic() > deadline:
                    break
                time.sleep(0.01)
    except (ImportError, OSError):
        pass
    try:
        yield
    finally:
        if fd is not None:
            os.close(fd)  # releases the lock


def _now_utc() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def _update(entries: dict[str, dict], ex_id: str, status: str, now: str) -> None:
    old = entries.get(ex_id)
    passed_before = old is not None and old["status"] == "correct"
    entries[ex_id] = {
        "status": "correct" if passed_before or status == "correct" else status,
        "last": status,
        "attempts": (old["attempts"] if old else 0) + 1,
        "first_passed": old["first_passed"] if passed_before else
        (now if status == "correct" else None),
    }


# ------------------------------------------------------------------------------------------------
# recording


def record(verdict: Any, sandbox: str = "auto", *, now: str | None = None) -> Any:
    """Record ``verdict`` in the learner's progress file, if there is one; never raises.

    Args:
        verdict: the :class:`~mlcalc.grading.verdict.Verdict` of a check.
        sandbox: the sandbox the check used; ``"none"`` is recorded only when
            ``MLCALC_PROGRESS`` names a file.
        now: the time to record for a first pass (ISO, UTC); default: the current time.

    Returns:
        ``verdict`` itself, with a note added when the progress file was unreadable (moved
        aside) or could not be written.
    """
    try:
        where = _where()
        if where.file is None or (sandbox == "none" and where.why != "env"):
            return verdict
        ex_id, status = getattr(verdict, "exercise_id", None), getattr(verdict, "status", None)
        if (ex_id not in EXERCISES or status not in _GRADED
                or getattr(verdict, "kind", "") in _NOT_ATTEMPTS):
            return verdict
        note = _record(where.file, ex_id, status, now or _now_utc())
        if note:
            verdict.notes.append(note)
    except Exception:  # noqa: BLE001 - recording must never break a check
        pass
    return verdict


def _record(path: Path, ex_id: str, status: str, now: str) -> str | None:
    """Add one verdict to the file at ``path``; a note for the learner when something failed."""
    note = None
    try:
        with _locked(path):
            try:
                entries = _read(path)
            except _Corrupt:
                aside = path.with_name(path.name + ".corrupt")
                os.replace(path, aside)
                entries = {}
                note = (f"Your progress file {path} could not be read; it was moved aside to "
                        f"{aside.name} and a new one was started with this verdict.")
            _update(entries, ex_id, status, now)
            write_atomic(path, _render(entries))
    except OSError as e:
        key = str(path)
        if key in _warned:
            return note
        _warned.add(key)
        reason = e.strerror or type(e).__name__
        return (f"Your progress could not be recorded in {path} ({reason}). The verdict above "
                "is not affected; set MLCALC_PROGRESS to a writable file, or to off.")
    return note


# ------------------------------------------------------------------------------------------------
# showing


@dataclass(frozen=True)
class ChapterProgress:
    """The counts of one chapter: ``passed + attempted + not_started == total``."""

    chapter: str
    passed: int
    attempted: int  # tried, not passed yet
    not_started: int
    total: int


@dataclass(frozen=True)
class ExerciseProgress:
    """One exercise: ``status`` is ``"passed"``, ``"attempted"`` or ``"not started"``;
    ``last`` the latest verdict's status (``None`` when not started)."""

    id: str
    title: str
    status: str
    last: str | None
    attempts: int
    first_passed: str | None


def _exercise_progress(ex_id: str, entry: dict | None) -> ExerciseProgress:
    title = EXERCISES[ex_id].title
    if entry is None:
        return ExerciseProgress(ex_id, title, "not started", None, 0, None)
    status = "passed" if entry["status"] == "correct" else "attempted"
    return ExerciseProgress(ex_id, title, status, entry["last"], entry["attempts"],
                            entry["first_passed"])


def _status_text(e: ExerciseProgress) -> str:
    if e.status == "passed":
        return "passed" if e.last == "correct" else f"passed (last try: {e.last})"
    if e.status == "attempted":
        return f"attempted (last: {e.last})"
    return "not started"


_BAR = 20
_COLOURS = {"passed": "#1a7f37", "attempted": "#dc6803", "not started": "#e4e7ec"}
_TEXT_COLOURS = {"passed": "#1a7f37", "attempted": "#b54708", "not started": "#475467"}
_CELL = "text-align:{};padding:2px 10px 2px 0;white-space:nowrap"


def _bar_text(c: ChapterProgress) -> str:
    if not c.total:
        return ""
    p = round(_BAR * c.passed / c.total)
    a = min(_BAR - p, round(_BAR * (c.passed + c.attempted) / c.total) - p)
    return "[" + "#" * p + "~" * a + "." * (_BAR - p - a) + "]"


def _bar_html(c: ChapterProgress) -> str:
    if not c.total:
        return ""
    parts = "".join(
        f"<span style='display:inline-block;height:10px;width:{100 * n / c.total:.2f}%;"
        f"background:{_COLOURS[name]}'></span>"
        for name, n in (("passed", c.passed), ("attempted", c.attempted),
                        ("not started", c.not_started)) if n)
    return (f"<span style='display:inline-block;width:120px;height:10px;line-height:0;"
            f"background:{_COLOURS['not started']};border-radius:2px;overflow:hidden'>{parts}"
            "</span>")


@dataclass
class Progress:
    """What :func:`progress` returns: shown as tables in a notebook, as text by ``repr``.

    Attributes:
        file: the progress file read, or ``None`` when nothing is recorded.
        recording: whether check cells run here record their verdicts.
        note: a sentence for the learner (nothing recorded, an unreadable file), or ``None``.
        chapters: the counts per chapter, in the book's order (only the chapter asked for,
            when one was).
        chapter: the chapter asked for, or ``None``.
        exercises: that chapter's exercises in order (empty for the whole book).
    """

    file: Path | None
    recording: bool
    note: str | None
    chapters: list[ChapterProgress]
    chapter: str | None = None
    exercises: list[ExerciseProgress] = field(default_factory=list)

    @property
    def total(self) -> ChapterProgress:
        """The counts summed over :attr:`chapters`."""
        return ChapterProgress("all", *(sum(getattr(c, k) for c in self.chapters)
                                        for k in ("passed", "attempted", "not_started", "total")))

    def as_dict(self) -> dict:
        """Plain data (JSON-ready): file, recording, note, chapters, total, chapter,
        exercises."""
        return {
            "file": None if self.file is None else str(self.file),
            "recording": self.recording,
            "note": self.note,
            "chapters": [asdict(c) for c in self.chapters],
            "total": asdict(self.total),
            "chapter": self.chapter,
            "exercises": [asdict(e) for e in self.exercises],
        }

    def _head(self) -> str:
        if self.file is None:
            return "Your progress"
        return f"Your progress (recorded in {self.file})"

    def __repr__(self) -> str:
        lines = [self._head()]
        if self.note:
            lines.append(self.note)
        rows = self.chapters if self.chapter else [*self.chapters, self.total]
        width = max(len("chapter"), *(len(c.chapter) for c in rows))
        lines.append(f"{'chapter':<{width}}  passed  attempted  not started  total")
        for c in rows:
            lines.append(f"{c.chapter:<{width}}  {c.passed:>6}  {c.attempted:>9}  "
                         f"{c.not_started:>11}  {c.total:>5}  {_bar_text(c)}")
        if self.exercises:
            lines.append("")
            w_id = max(len(e.id.split("/", 1)[1]) for e in self.exercises)
            w_st = max(len(_status_text(e)) for e in self.exercises)
            lines.append(f"{'#':>2}  {'exercise':<{w_id}}  {'status':<{w_st}}  attempts  title")
            for i, e in enumerate(self.exercises, 1):
                lines.append(f"{i:>2}  {e.id.split('/', 1)[1]:<{w_id}}  "
                             f"{_status_text(e):<{w_st}}  {e.attempts:>8}  {e.title}")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        # Explicit alignment: JupyterLab's output style right-aligns th and td.
        left, right = _CELL.format("left"), _CELL.format("right")

        def row(cells, tag="td", bold=False):
            style = " style='font-weight:bold'" if bold else ""
            return (f"<tr{style}>"
                    + "".join(f"<{tag} style='{align}'>{text}</{tag}>" for align, text in cells)
                    + "</tr>")

        head = row([(left, "chapter"), (right, "passed"), (right, "attempted"),
                    (right, "not started"), (right, "total"), (left, "")], "th")
        body = "".join(
            row([(left, escape(c.chapter)), (right, c.passed), (right, c.attempted),
                 (right, c.not_started), (right, c.total), (left, _bar_html(c))],
                bold=c.chapter == "all")
            for c in (self.chapters if self.chapter else [*self.chapters, self.total]))
        html = ("<div class='mlcalc-progress' style='font-family:sans-serif;margin:4px 0'>"
                f"<div><strong>{escape(self._head())}</strong></div>")
        if self.note:
            html += f"<div style='margin-top:4px'>{_code_spans(escape(self.note))}</div>"
        html += f"<table style='margin-top:6px;border-collapse:collapse'>{head}{body}</table>"
        if self.exercises:
            head = row([(right, "#"), (left, "exercise"), (left, "status"),
                        (right, "attempts"), (left, "title")], "th")
            body = "".join(
                row([(right, i), (left, f"<code>{escape(e.id.split('/', 1)[1])}</code>"),
                     (f"{left};color:{_TEXT_COLOURS[e.status]}", escape(_status_text(e))),
                     (right, e.attempts), (left, escape(e.title))])
                for i, e in enumerate(self.exercises, 1))
            html += f"<table style='margin-top:8px;border-collapse:collapse'>{head}{body}</table>"
        return html + "</div>"


def _chapter_name(chapter: Any) -> str:
    if not isinstance(chapter, str):
        raise TypeError(f"chapter must be a chapter name such as 'gradients', not "
                        f"{type(chapter).__name__}")
    name = chapter.strip().replace("-", "_")
    if name not in CHAPTERS:
        close = difflib.get_close_matches(name, CHAPTERS, n=1, cutoff=0.6)
        hint = f" Did you mean {close[0]!r}?" if close else ""
        raise ValueError(f"chapter {chapter!r} is not a chapter with exercises.{hint} The "
                         f"chapters: {', '.join(CHAPTERS)}.")
    return name


def progress(chapter: str | None = None) -> Progress:
    """The learner's progress through the exercises, per chapter in the book's order.

    Shown in a notebook as a table (passed / attempted / not started / total, with a bar); with
    ``chapter`` (``progress("gradients")``) also that chapter's exercises in order, with their
    status and number of attempts. The verdicts are those the check cells recorded in the
    learner's workspace (see the module's documentation); they survive kernel restarts.

    Args:
        chapter: a chapter name (``"gradients"``, ``"chain_rule"``), or ``None`` for the book.

    Returns:
        A :class:`Progress` (``.as_dict()`` for plain data).

    Raises:
        ValueError: if ``chapter`` is not a chapter with exercises.
        TypeError: if ``chapter`` is not a string.
    """
    name = None if chapter is None else _chapter_name(chapter)
    where = _where()
    note = None
    entries: dict[str, dict] = {}
    if where.why == "off":
        note = f"Progress is not recorded: {ENV_VAR} is set to off."
    elif where.why == "outside":
        note = ("Progress is not recorded here: this folder is not in your own copy of the book. "
                "Run `make lab` to open your copy (my-work/); the check cells there record your "
                f"verdicts. (Or set {ENV_VAR} to a file to record them in.)")
    else:
        try:
            entries = _read(where.file)
        except _Corrupt:
            note = (f"The progress file {where.file} could not be read; the next check moves it "
                    f"aside to {where.file.name}.corrupt and starts a new one.")
        except OSError as e:
            note = f"The progress file {where.file} could not be read ({e.strerror or e})."
    by_chapter: dict[str, list[ExerciseProgress]] = {c: [] for c in CHAPTERS}
    for ex_id in EXERCISES:  # registered chapter by chapter, in the book's order
        ch = ex_id.split("/", 1)[0]
        if ch in by_chapter:
            by_chapter[ch].append(_exercise_progress(ex_id, entries.get(ex_id)))
    chapters = []
    for ch in CHAPTERS if name is None else (name,):
        exs = by_chapter[ch]
        count = {s: sum(e.status == s for e in exs)
                 for s in ("passed", "attempted", "not started")}
        chapters.append(ChapterProgress(ch, count["passed"], count["attempted"],
                                        count["not started"], len(exs)))
    return Progress(where.file, where.file is not None, note, chapters, name,
                    by_chapter[name] if name else [])
