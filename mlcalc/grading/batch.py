"""Batch grading for instructors: grade learners' exercise notebooks into a CSV and a report.

``python -m mlcalc.grade SUBMISSION.ipynb ... --out grades.csv`` (see :mod:`mlcalc.grade`) grades
each submission with the same verdicts as the notebook's check cells, without trusting anything
the notebook says about itself:

1. **This process never runs learner code.** It reads the notebook as JSON, ignores every stored
   output, finds the chapter (the first cell's label ``(ex-<chapter>)=``, else the exercise ids
   of the check cells, else the answers the code defines, else the file name) and so the
   exercises: all of that chapter's registered exercises, so a deleted check cell still gets its
   column. It parses each code cell (a cell that does not parse is a syntax error, not run).
2. **One fresh child process per submission** (``sys.executable``, its own process group, a
   temporary working directory, an empty stdin) runs the code cells in order in one namespace,
   each with a time budget, leaving out the top-level statements that call ``check(``; a cell
   that raises or runs out of time is recorded and the next cell runs. IPython magics and shell
   lines (``%timeit``, ``!pip install``) do nothing there. The child caps its CPU time, address
   space, file size and core dumps (``setrlimit``, soft = hard), and the whole child is killed
   (with its process group) at the submission's wall-clock limit.
3. Still in the child, each exercise's answer (the function named ``Exercise.answer``) runs on the
   exercise's seeded test inputs in the forked sandbox of :mod:`mlcalc.grading.sandbox`, exactly
   as a check cell runs it (same inputs, same time limit, same encoding of what it returns). The
   child first restores every ``mlcalc`` module it had imported to its state before the learner's
   code ran, so a patched ``mlcalc`` cannot change how the answer is run. Only plain data comes
   back (JSON lines on the child's original stdout: statuses, strings, float64 arrays in base64).
4. **This process builds the verdicts** from that data with the check cell's own diagnosis
   (:class:`~mlcalc.grading.diagnosis._Grader`), after validating its shape. A learner who
   redefines ``check``, patches ``mlcalc``, prints a fake "Correct" box or edits the stored
   outputs changes nothing here: what is graded is what their functions return.

This is **not a security boundary**: the learner's code runs with the grader's user, files and
network; see the README ("Grading a class") for what it does not protect against and how to run
a batch in a container.

Statuses in the CSV: the verdict's status (``correct``, ``wrong``, ``error``, ``timeout``,
``not attempted``), or ``missing`` when the submission defines no function of the answer's name.

This module imports the sandbox, the diagnosis, the verdict and the definitions; nothing in the
package imports it. It grades: it starts the child and judges what comes back. Reading a
submission is in :mod:`~mlcalc.grading.batch_read`, the child in
:mod:`~mlcalc.grading.batch_child`, the CSV and the report in :mod:`~mlcalc.grading.batch_report`.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

from .batch_child import _child_entry  # noqa: F401  (the child's entry, as it was named before)
from .batch_read import _Cell, _chapter_of, _defined_names, _read_notebook, chapter_exercises
from .batch_report import ROW_STATUSES, Submission, write_csv, write_report
from .catalogue import CHAPTERS
from .diagnosis import _Grader, _not_attempted, _rerun_advice, _stale_answer
from .sandbox import DEFAULT_TIMEOUT, _exit_phrase, _Run
from .spec import Exercise
from .verdict import Verdict

__all__ = ["ROW_STATUSES", "Submission", "grade_submission", "grade_all", "write_csv",
           "write_report", "main"]

DEFAULT_CELL_TIMEOUT = 10.0         # seconds for one code cell of a submission
DEFAULT_SUBMISSION_TIMEOUT = 300.0  # seconds of wall clock for a whole submission
_CHANNEL_CAP = 256 * 2**20          # bytes read from the child's result channel
_STDERR_CAP = 4000                  # characters of the child's stderr kept (harness failures)
_PKG_PARENT = str(Path(__file__).resolve().parents[2])   # the folder holding `mlcalc`


# ================================================================================================
# this process: validate the child's data and judge it with the check cells' diagnosis
# ================================================================================================

class _Malformed(ValueError):
    pass


def _str(x, cap: int = 300) -> str:
    if not isinstance(x, str):
        raise _Malformed("expected a string")
    return x[:cap]


def _bool(x) -> bool:
    if not isinstance(x, bool):
        raise _Malformed("expected a boolean")
    return x


def _int_or_none(x):
    if x is not None and (not isinstance(x, int) or isinstance(x, bool)):
        raise _Malformed("expected an integer")
    return x


def _array(x) -> np.ndarray:
    if not isinstance(x, dict) or not isinstance(x.get("shape"), list):
        raise _Malformed("expected an array")
    shape = tuple(x["shape"])
    if not all(isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in shape):
        raise _Malformed("bad shape")
    raw = base64.b64decode(_str(x.get("nd"), _CHANNEL_CAP), validate=True)
    if len(raw) != 8 * int(np.prod(shape, dtype=np.int64)):
        raise _Malformed("array size does not match its shape")
    return np.frombuffer(raw, dtype="<f8").astype(np.float64).reshape(shape)


def _decode_encoded(e) -> tuple:
    if not isinstance(e, list) or len(e) < 2:
        raise _Malformed("bad value")
    kind, tname = e[0], _str(e[1], 100)
    if kind in ("none", "ellipsis") and len(e) == 2:
        return (kind, tname)
    if kind == "unconvertible" and len(e) == 3:
        return (kind, tname, _str(e[2]))
    if kind == "big" and len(e) == 3 and isinstance(e[2], list):
        return (kind, tname, tuple(_int_or_none(n) or 0 for n in e[2]))
    if kind == "array" and len(e) == 4:
        return (kind, tname, _array(e[2]), _bool(e[3]))
    raise _Malformed("bad value")


def _decode_run(data, n_cases: int) -> _Run:
    """A :class:`_Run` from the child's JSON, every field checked; raises _Malformed."""
    if not isinstance(data, dict) or not isinstance(data.get("results"), dict):
        raise _Malformed("no results")
    results = {}
    for key, r in data["results"].items():
        if not key.isdigit() or int(key) >= n_cases or not isinstance(r, list) or not r:
            raise _Malformed("bad result")
        if r[0] == "exc" and len(r) == 8:
            results[int(key)] = ("exc", _str(r[1], 100), _str(r[2]), _int_or_none(r[3]),
                                 _str(r[4]), _bool(r[5]), _bool(r[6]), _bool(r[7]))
        elif r[0] == "ok" and len(r) == 3:
            results[int(key)] = ("ok", _decode_encoded(r[1]), _bool(r[2]))
        else:
            raise _Malformed("bad result")
    warns = data.get("warnings", [])
    if not isinstance(warns, list):
        raise _Malformed("bad warnings")
    elapsed = data.get("elapsed", 0.0)
    if not isinstance(elapsed, (int, float)) or isinstance(elapsed, bool):
        raise _Malformed("bad elapsed time")
    timed_out_at = _int_or_none(data.get("timed_out_at"))
    return _Run(results=results, output=_str(data.get("output", ""), 8000),
                warnings=[_str(w, 200) for w in warns[:10]], timed_out_at=timed_out_at,
                crashed=_str(data.get("crashed", ""), 200), elapsed=float(elapsed),
                note=_str(data.get("note", ""), 500))


class _Named:
    """Stands for the learner's function where only its name matters (the stale-answer test)."""

    def __init__(self, name: str):
        self.__name__ = name


def _verdict_from_child(ex: Exercise, msg: dict, timeout: float) -> Verdict:
    """The verdict the check cell ``check(ex.id, <answer>)`` would show, from the child's data."""
    state = msg.get("state")
    if state == "missing":
        return Verdict(ex.id, "missing", f"The submission defines no `{ex.answer}`: its answer "
                       "cell was deleted or renamed.", "missing")
    if state == "empty":
        return _not_attempted(ex.id, "the answer is still empty")
    if state == "not-callable":
        return Verdict(ex.id, "error", f"Pass your function itself, e.g. check({ex.id!r}, "
                       f"my_function), not a {_str(msg.get('type'), 100)}.", "not-callable")
    name = msg.get("name")
    if name is not None:
        stale = _stale_answer(ex, _Named(_str(name, 200)))
        if stale is not None:
            return stale
    if state == "signature":
        return Verdict(ex.id, "error",
                       f"Your function must take the arguments ({', '.join(ex.args)}), as in "
                       f"the stub; it is defined as {_str(msg.get('shown_name'), 200)}"
                       f"{_str(msg.get('signature'), 500)}. " + _rerun_advice(ex), "signature")
    if state != "run":
        raise _Malformed(f"unexpected state {state!r}")
    grader = _Grader(ex, _decode_run(msg.get("run"), len(ex.cases())))
    grader.timeout = timeout
    return grader.grade()


# ================================================================================================
# one submission
# ================================================================================================


def _run_child(job: dict, submission_timeout: float) -> tuple[list[dict], str, str]:
    """Run the child on ``job``; its messages, how it ended ("" = finished) and its stderr."""
    with tempfile.TemporaryDirectory(prefix="mlcalc-grade-") as tmp:
        job_path = os.path.join(tmp, "job.json")
        with open(job_path, "w", encoding="utf-8") as fh:
            json.dump(job, fh)
        code = (f"import sys; sys.path.insert(0, {_PKG_PARENT!r}); "
                "from mlcalc.grading.batch_child import _child_entry; _child_entry()")
        # MLCALC_PROGRESS=off: a check() the learner's code calls records no progress anywhere.
        env = dict(os.environ, MPLBACKEND="Agg", PYTHONDONTWRITEBYTECODE="1",
                   MLCALC_PROGRESS="off")
        for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
            env.setdefault(var, "1")
        proc = subprocess.Popen([sys.executable, "-I", "-c", code, job_path], cwd=tmp, env=env,
                                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, start_new_session=True)
        bufs: dict[str, bytearray] = {"out": bytearray(), "err": bytearray()}

        def drain(stream, key, cap):
            while chunk := stream.read(65536):
                if len(bufs[key]) < cap:
                    bufs[key] += chunk[:cap - len(bufs[key])]

        readers = [threading.Thread(target=drain, args=(proc.stdout, "out", _CHANNEL_CAP),
                                    daemon=True),
                   threading.Thread(target=drain, args=(proc.stderr, "err", _STDERR_CAP),
                                    daemon=True)]
        for t in readers:
            t.start()
        ended = ""
        try:
            proc.wait(timeout=submission_timeout)
        except subprocess.TimeoutExpired:
            ended = "timeout"
        finally:
            _kill_group(proc)
            proc.wait()
        for t in readers:
            t.join(5.0)
        if not ended and proc.returncode != 0:
            ended = _exit_phrase(proc.returncode)
    messages = []
    for line in bytes(bufs["out"]).split(b"\n"):
        try:
            msg = json.loads(line)
        except ValueError:
            continue
        if isinstance(msg, dict):
            messages.append(msg)
    if not ended and not any(m.get("t") == "done" for m in messages):
        ended = "it ended before it had graded every exercise"
    return messages, ended, bytes(bufs["err"]).decode("utf-8", "replace")


def _kill_group(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError, AttributeError, OSError):
        if proc.poll() is None:
            proc.kill()


def grade_submission(path, *, chapter: str | None = None, timeout: float = DEFAULT_TIMEOUT,
                     cell_timeout: float = DEFAULT_CELL_TIMEOUT,
                     submission_timeout: float = DEFAULT_SUBMISSION_TIMEOUT) -> Submission:
    """Grade one notebook in a fresh child process; never raises for a bad submission.

    Args:
        path: the notebook.
        chapter: the chapter it answers (default: found from the notebook).
        timeout: seconds for one answer on all its test inputs (as a check cell).
        cell_timeout: seconds for one code cell.
        submission_timeout: seconds of wall clock for the whole submission.
    """
    t0 = time.monotonic()
    path = Path(path)
    sub = Submission(str(path))
    try:
        markdown, cells = _read_notebook(path)
    except ValueError as e:
        sub.readable = False
        sub.chapter = chapter or (path.stem if path.stem in CHAPTERS else None)
        sub.notes.append(f"The submission could not be read: {e}.")
        for ex in chapter_exercises(sub.chapter) if sub.chapter else []:
            sub.verdicts[ex.id] = Verdict(ex.id, "error", f"The submission could not be read: "
                                          f"{e}.", "unreadable")
        sub.elapsed = time.monotonic() - t0
        return sub
    sub.chapter = chapter or _chapter_of(path, markdown, cells)
    if sub.chapter is None:
        sub.readable = False
        sub.notes.append("Could not tell which chapter this notebook answers (no `(ex-<chapter>)=`"
                         " label, no check cell, no known answer): pass --chapter.")
        sub.elapsed = time.monotonic() - t0
        return sub
    exercises = chapter_exercises(sub.chapter)
    for c in cells:
        if c.code is None:
            sub.notes.append(f"Cell {c.number} (`{c.head}`) has a syntax error and was not run: "
                             f"{c.syntax_error}.")
    suspicious = sorted({w for c in cells for w in ("EXERCISES", "mlcalc.grading", "_prepare")
                         if w in c.source})
    if suspicious:
        sub.notes.append("The code refers to the grader's internals ("
                         + ", ".join(f"`{w}`" for w in suspicious) + "): review it by hand.")
    job = {"cells": [{"number": c.number, "code": c.code} for c in cells if c.code is not None],
           "exercises": [ex.id for ex in exercises], "timeout": timeout,
           "cell_timeout": cell_timeout, "cpu_seconds": submission_timeout}
    messages, ended, stderr = _run_child(job, submission_timeout)
    by_number = {c.number: c for c in cells}
    failed: list[tuple[_Cell, str]] = [(c, f"has a syntax error ({c.syntax_error})")
                                       for c in cells if c.code is None]
    for m in messages:
        if m.get("t") != "cell" or m.get("status") == "ok":
            continue
        c = by_number.get(m.get("number"))
        if c is None:
            continue
        try:
            what = _str(m.get("message"), 400)
        except _Malformed:
            what = "failed"
        failed.append((c, what))
        sub.notes.append(f"Cell {c.number} (`{c.head}`) {what}.")
    failed.sort(key=lambda cw: cw[0].number)
    got = {m.get("id"): m for m in messages if m.get("t") == "ex"}
    for ex in exercises:
        m = got.get(ex.id)
        if m is None:
            sub.verdicts[ex.id] = _unfinished(ex, ended, submission_timeout)
            continue
        try:
            v = _verdict_from_child(ex, m, timeout)
        except (_Malformed, KeyError, TypeError, IndexError, ValueError) as e:
            v = Verdict(ex.id, "error", f"The grader could not read the result of this answer "
                        f"({e}).", "malformed")
        broken = [(c, what) for c, what in failed if ex.answer in _defined_names(c)]
        if broken and v.status == "missing":
            c, what = broken[-1]
            v = Verdict(ex.id, "error", f"The cell that defines `{ex.answer}` (cell {c.number}) "
                        f"{what}, so `{ex.answer}` is not defined. Fix that cell; its check cell "
                        "would fail with NameError.", "cell-failed")
        elif broken:
            c, what = broken[-1]
            v.notes.append(f"Cell {c.number}, which defines `{ex.answer}`, {what}; the "
                           "definition graded is the one in place when the cells had run.")
        sub.verdicts[ex.id] = v
    if ended == "timeout":
        sub.notes.append(f"Grading stopped at the time limit for a whole submission "
                         f"({submission_timeout:g} s); the exercises not graded by then count "
                         "as timeout.")
    elif ended:
        tail = stderr.strip().splitlines()[-1:] if stderr.strip() else []
        sub.notes.append(f"The process grading this submission died: {ended}"
                         + (f" ({tail[0][:200]})" if tail else "") + ".")
    sub.elapsed = time.monotonic() - t0
    return sub


def _unfinished(ex: Exercise, ended: str, submission_timeout: float) -> Verdict:
    if ended == "timeout":
        return Verdict(ex.id, "timeout", "Grading this submission stopped at its time limit "
                       f"({submission_timeout:g} s) before this exercise was graded.",
                       "submission-timeout")
    return Verdict(ex.id, "error", "The process grading this submission died before this "
                   f"exercise was graded: {ended or 'unknown'}.", "submission-crashed")


def grade_all(paths, *, jobs: int = 1, **kw) -> list[Submission]:
    """Grade every submission (``jobs`` at a time); the result is in the order given."""
    paths = list(paths)
    if jobs <= 1 or len(paths) <= 1:
        return [grade_submission(p, **kw) for p in paths]
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        return list(pool.map(lambda p: grade_submission(p, **kw), paths))


# ================================================================================================
# command line
# ================================================================================================

def _expand(paths: list[str]) -> list[Path]:
    out = []
    for p in paths:
        path = Path(p)
        out += sorted(path.glob("*.ipynb")) if path.is_dir() else [path]
    return out


def _positive(text: str) -> float:
    try:
        v = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not v > 0:
        raise argparse.ArgumentTypeError(f"must be positive: {text!r}")
    return v


def main(argv: list[str] | None = None) -> int:
    """Command line: grade the submissions, write the CSV and the report.

    Exit status: 0 when every submission was graded (wrong answers included), 1 when some
    submission could not be graded at all (unreadable, or its chapter unknown; it still has its
    row), 2 for bad arguments (a missing file, an unknown chapter).
    """
    parser = argparse.ArgumentParser(
        prog="python -m mlcalc.grade",
        description="Grade learners' exercise notebooks, each in its own process with time and "
        "memory limits, with the same verdicts as the check cells. Stored outputs are ignored.")
    parser.add_argument("submissions", nargs="+", metavar="SUBMISSION",
                        help="notebooks to grade (a folder: every .ipynb in it)")
    parser.add_argument("--out", required=True, type=Path, help="the CSV to write")
    parser.add_argument("--report", type=Path, default=None,
                        help="the Markdown report (default: the CSV's name with .md)")
    parser.add_argument("--chapter", choices=CHAPTERS, default=None,
                        help="the chapter every submission answers (default: found per notebook)")
    parser.add_argument("--timeout", type=_positive, default=DEFAULT_TIMEOUT,
                        help=f"seconds for one answer on all its inputs (default "
                        f"{DEFAULT_TIMEOUT:g}, as the check cells)")
    parser.add_argument("--cell-timeout", type=_positive, default=DEFAULT_CELL_TIMEOUT,
                        help=f"seconds for one code cell (default {DEFAULT_CELL_TIMEOUT:g})")
    parser.add_argument("--submission-timeout", type=_positive,
                        default=DEFAULT_SUBMISSION_TIMEOUT,
                        help="seconds of wall clock for one whole submission (default "
                        f"{DEFAULT_SUBMISSION_TIMEOUT:g})")
    parser.add_argument("--jobs", type=int, default=min(4, os.cpu_count() or 1),
                        help="submissions graded at once (default: up to 4, one per CPU)")
    parser.add_argument("--quiet", action="store_true", help="print only errors")
    args = parser.parse_args(argv)
    paths = _expand(args.submissions)
    for p in paths:
        if not p.is_file():
            print(f"error: no such notebook: {p}", file=sys.stderr)
            return 2
    if not paths:
        print("error: no notebooks to grade", file=sys.stderr)
        return 2
    report = args.report or args.out.with_suffix(".md")
    if report.resolve() == args.out.resolve():
        print(f"error: the report would overwrite {args.out}: pass --report", file=sys.stderr)
        return 2
    for target in (args.out, report):
        if not target.parent.is_dir():
            print(f"error: the folder for {target} does not exist", file=sys.stderr)
            return 2
    subs = grade_all(paths, jobs=max(1, args.jobs), chapter=args.chapter, timeout=args.timeout,
                     cell_timeout=args.cell_timeout,
                     submission_timeout=args.submission_timeout)
    write_csv(subs, args.out)
    write_report(subs, report, args.out)
    if not args.quiet:
        for s in subs:
            n = Counter(v.status for v in s.verdicts.values())
            rest = ", ".join(f"{k} {n[k]}" for k in ROW_STATUSES[1:] if n.get(k))
            print(f"{s.path}: {s.passed}/{s.total} correct" + (f" ({rest})" if rest else "")
                  + (f"; {len(s.notes)} note(s)" if s.notes else ""))
        print(f"wrote {args.out} and {report}")
    return 0 if all(s.readable for s in subs) else 1
