"""Exercise grading: run a learner's answer safely and say what is wrong with it.

``check(exercise_id, answer)`` grades an answer to one exercise of the book's exercise notebooks
and returns a :class:`Verdict`; it never raises into the notebook. ``EXERCISES`` maps every
exercise id (``"gradients/quadratic-form"``) to its :class:`Exercise` definition: what kind of
answer it is, the name of the learner's function (unique across the book:
``grad_quadratic_form``), how the test inputs are made (seeded, with awkward cases: non-symmetric
``A``, non-square ``X``), the reference solution, and hints for known wrong answers.

How an answer is graded:

0. Before it runs, the function is checked against the exercise. A function named like the
   answer to **another** exercise is not graded: the verdict (``kind="stale-answer"``) names
   both answers and says to run this exercise's answer cell, then the check. A signature that
   differs from the stub's is reported with the advice to run the edited stub's cell again, and
   a stub that still raises ``NotImplementedError`` is "not attempted", with the advice to run
   the answer's cell (``def <answer>``) before the check. In a notebook run with "Run all" every
   answer is defined in one kernel; their distinct names keep one check from grading another
   exercise's function.
1. The learner's function runs on every test input in **one forked child process** (Linux), killed
   at a time limit (5 s by default), so an infinite loop, a long BLAS call, a memory hog, a
   ``sys.exit()`` or a bare ``except:`` cannot freeze the notebook. The inputs are read-only
   copies; printed output and warnings are captured (and truncated); every ``BaseException`` is
   caught. Where ``fork`` is unavailable the function runs in a thread of the notebook's own
   process with the same time limit, and the verdict says so (a runaway thread cannot be killed).
2. Its results are checked in order: not attempted (a stub raising ``NotImplementedError`` or
   returning ``None``/``...``), exceptions, modified inputs, type (a list where an array is
   expected is graded after conversion, with a note), shape (expected vs got, transposed,
   column instead of 1-D, diagonal only), NaN/inf, then the values at every input.
3. A wrong answer is explained: first by the exercise's own hints (known wrong answers such as
   ``2 A x`` for the gradient of ``x^T A x``), then generically: right only for symmetric ``A``,
   right at some inputs and wrong at others, scaled by a constant (2, 1/2, -1, n, 1/n), transposed,
   symmetric part only, one term missing (for exercises that list their terms), wrong at a few
   entries. The generic explanations reuse :func:`mlcalc.diagnose`.

The verdict shows itself in a notebook (``_repr_html_``) and as text (``repr``) with the numbers
that matter: the input where it differs, the expected and the received value, by how much.
"""

from __future__ import annotations

import difflib
import inspect
import io
import linecache
import os
import re
import sys
import sysconfig
import threading
import time
import traceback
import warnings
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape
from typing import Any

import numpy as np

from .activations import sigmoid, softmax
from .diagnose import diagnose

__all__ = ["EXERCISES", "Exercise", "Hint", "Case", "Verdict", "check"]

STATUSES = ("correct", "wrong", "error", "timeout", "not attempted")
DEFAULT_TIMEOUT = 5.0
_OUTPUT_CAP = 4000          # characters of printed output kept
_RESULT_CAP = 16 * 2**20    # bytes of one result sent back from the child
_MEMORY_HEADROOM = 3 * 2**30  # bytes of extra address space the child may use


# ================================================================================================
# definitions
# ================================================================================================

@dataclass(frozen=True)
class Case:
    """One test input: the positional arguments, a short label, and tags such as ``"symmetric"``."""

    args: tuple
    label: str = ""
    tags: frozenset = frozenset()


@dataclass(frozen=True)
class Hint:
    """A known wrong answer: ``wrong(*args)`` computes it; ``message`` explains the mistake."""

    kind: str
    wrong: Callable[..., Any]
    message: str


@dataclass
class Exercise:
    """The definition of one exercise.

    Attributes:
        id: ``"<chapter>/<slug>"``, e.g. ``"gradients/quadratic-form"``.
        title: a short title (shown in verdicts).
        kind: ``"value"``, ``"derivative"``, ``"gradient"``, ``"jacobian"``, ``"hessian"`` or
            ``"estimate"`` (what the learner's function returns).
        args: names of the arguments of the learner's function (``()`` for a constant answer).
        make_cases: ``make_cases(rng) -> list[Case]``; called once with a generator seeded from
            the id, so the inputs are the same in every run.
        reference: ``reference(*args)`` returns the correct answer.
        hints: known wrong answers with their explanations, tried in order.
        terms: optional ``terms(*args) -> {name: array}``: the terms whose sum is the correct
            answer, to recognise "one term missing".
        n_samples: optional ``n_samples(*args) -> int``, to recognise a stray factor n or 1/n.
        rtol: tolerance, relative to the largest entry of the correct answer.
        answer: the name of the learner's function, as in the stub's ``def`` and the check
            cell (``"grad_quadratic_form"``); unique across the book, so that :func:`check` can
            tell when it received another exercise's answer.
    """

    id: str
    title: str
    kind: str
    args: tuple[str, ...]
    make_cases: Callable[[np.random.Generator], list[Case]]
    reference: Callable[..., Any]
    hints: tuple[Hint, ...] = ()
    terms: Callable[..., dict] | None = None
    n_samples: Callable[..., int] | None = None
    rtol: float = 1e-6
    answer: str = ""
    _prepared: Any = field(default=None, repr=False, compare=False)

    def cases(self) -> list[Case]:
        """The test inputs (deterministic: seeded from the exercise id)."""
        return self._prepare()[0]

    def expected(self) -> list[np.ndarray]:
        """The reference answers at :meth:`cases`, as float64 arrays."""
        return self._prepare()[1]

    def _prepare(self):
        if self._prepared is None:
            rng = np.random.default_rng(zlib.crc32(self.id.encode()))
            cases = list(self.make_cases(rng))
            refs = [np.asarray(self.reference(*c.args), dtype=np.float64) for c in cases]
            self._prepared = (cases, refs)
        return self._prepared


EXERCISES: dict[str, Exercise] = {}


def _register(ex: Exercise) -> Exercise:
    if ex.id in EXERCISES:
        raise ValueError(f"duplicate exercise id {ex.id!r}")
    if not ex.answer.isidentifier():
        raise ValueError(f"{ex.id}: the answer name {ex.answer!r} is not a Python name")
    owner = _answer_owner(ex.answer)
    if owner is not None:
        raise ValueError(f"{ex.id}: the answer name {ex.answer!r} is already the answer to "
                         f"{owner.id}")
    EXERCISES[ex.id] = ex
    return ex


def _answer_owner(name: str) -> Exercise | None:
    """The exercise whose answer function is called ``name``, if any."""
    return next((ex for ex in EXERCISES.values() if ex.answer == name), None)


# ================================================================================================
# the verdict
# ================================================================================================

_STYLE = {
    "correct": ("#1a7f37", "#e8f5ec", "\u2713 Correct"),
    "wrong": ("#b42318", "#fdecea", "\u2717 Not yet right"),
    "error": ("#b54708", "#fff4e5", "\u26a0 Error"),
    "timeout": ("#b54708", "#fff4e5", "\u23f1 Too slow"),
    "not attempted": ("#475467", "#f2f4f7", "\u270e Not attempted"),
}


def _code_spans(text: str) -> str:
    """``name`` in an (already escaped) message becomes <code>name</code> in HTML."""
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", text)


@dataclass
class Verdict:
    """The result of :func:`check`.

    Attributes:
        exercise_id: the exercise graded.
        status: ``"correct"``, ``"wrong"``, ``"error"``, ``"timeout"`` or ``"not attempted"``.
        message: one or two plain sentences saying what happened.
        kind: a stable machine-readable key for the diagnosis (``"correct"``, ``"scaled"``,
            ``"transposed"``, ``"wrong-shape"``, ``"stale-answer"``, a hint's kind, ...); tests
            rely on it.
        details: ``(label, text)`` rows with the numbers that matter.
        notes: extra remarks (a converted list, warnings, the fallback sandbox).
        output: what the function printed (truncated).
        elapsed: seconds spent running the learner's function.
    """

    exercise_id: str
    status: str
    message: str
    kind: str = ""
    details: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    output: str = ""
    elapsed: float = 0.0

    @property
    def passed(self) -> bool:
        """True when the answer is correct."""
        return self.status == "correct"

    def __bool__(self) -> bool:
        return self.passed

    def __repr__(self) -> str:
        head = _STYLE.get(self.status, ("", "", self.status))[2]
        lines = [f"{head} [{self.exercise_id}]: {self.message}"]
        lines += [f"  {label}: {text}" for label, text in self.details]
        lines += [f"  note: {n}" for n in self.notes]
        if self.output:
            lines.append("  your function printed:")
            lines += ["    " + ln for ln in self.output.splitlines()[:20]]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        fg, bg, head = _STYLE.get(self.status, ("#475467", "#f2f4f7", self.status))
        # Explicit left alignment: JupyterLab's output style right-aligns th and td.
        rows = "".join(
            f"<tr><th style='text-align:left;padding:2px 8px 2px 0;vertical-align:top;"
            f"white-space:nowrap'>{escape(label)}</th>"
            f"<td style='text-align:left;padding:2px 0;vertical-align:top'>"
            f"<code style='white-space:pre-wrap'>{escape(text)}</code></td></tr>"
            for label, text in self.details
        )
        table = f"<table style='margin-top:6px;border-collapse:collapse'>{rows}</table>" \
            if rows else ""
        notes = "".join(f"<div style='margin-top:4px;font-size:90%'>Note: {escape(n)}</div>"
                        for n in self.notes)
        out = ""
        if self.output:
            out = ("<details style='margin-top:4px'><summary>Your function printed</summary>"
                   f"<pre style='max-height:12em;overflow:auto'>{escape(self.output)}</pre>"
                   "</details>")
        return (
            f"<div class='mlcalc-verdict' style='border-left:5px solid {fg};background:{bg};"
            f"padding:8px 12px;margin:4px 0;font-family:sans-serif'>"
            f"<div><strong style='color:{fg}'>{escape(head)}</strong> "
            f"<span style='color:#475467;font-size:90%'>{escape(self.exercise_id)}</span></div>"
            f"<div style='margin-top:4px'>{_code_spans(escape(self.message))}</div>"
            f"{table}{notes}{out}</div>"
        )


# ================================================================================================
# running the learner's function (child process or thread)
# ================================================================================================

class _CappedText(io.TextIOBase):
    """A text sink that keeps the first ``cap`` characters and counts the rest."""

    def __init__(self, cap: int = _OUTPUT_CAP):
        self.cap = cap
        self.parts: list[str] = []
        self.kept = 0
        self.dropped = 0

    def writable(self) -> bool:
        return True

    def write(self, s) -> int:
        s = str(s)
        room = self.cap - self.kept
        if room > 0:
            self.parts.append(s[:room])
            self.kept += min(len(s), room)
        self.dropped += max(0, len(s) - max(room, 0))
        return len(s)

    def getvalue(self) -> str:
        text = "".join(self.parts)
        if self.dropped:
            text += f"\n... ({self.dropped} more characters not shown)"
        return text


_LIB_DIRS = tuple({p for p in (sysconfig.get_paths().get(k) for k in
                               ("stdlib", "platstdlib", "purelib", "platlib")) if p})


def _learner_frame(tb) -> tuple[int | None, str]:
    """The deepest traceback frame in the learner's code (not in mlcalc, numpy or the stdlib)."""
    here = os.path.abspath(__file__)
    best = None
    for fr in traceback.extract_tb(tb):
        fn = fr.filename
        if os.path.abspath(fn) == here or fn.startswith(_LIB_DIRS):
            continue
        best = fr
    if best is None:
        return None, ""
    line = best.line or linecache.getline(best.filename, best.lineno or 0).strip()
    return best.lineno, (line or "").strip()


def _readonly_copy(a):
    if isinstance(a, np.ndarray):
        base = np.array(a, copy=True)
        base.flags.writeable = False
        view = base.view()
        view.flags.writeable = False
        return view
    return a


def _encode(value) -> tuple:
    """Describe a returned value compactly and picklably."""
    tname = type(value).__name__
    if value is None:
        return ("none", tname)
    if value is Ellipsis:
        return ("ellipsis", tname)
    if isinstance(value, (str, bytes, dict, set)) or callable(value):
        return ("unconvertible", tname, f"a {tname} is not a number or an array")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            arr = np.asarray(value)
    except BaseException as e:  # noqa: BLE001 - ragged lists, odd objects
        return ("unconvertible", tname, f"{type(e).__name__}: {e}"[:200])
    if arr.dtype.kind == "c":
        if np.all(arr.imag == 0):
            arr = arr.real
        else:
            return ("unconvertible", tname, "it has complex entries")
    if arr.dtype.kind not in "biuf":
        return ("unconvertible", tname, f"its entries have dtype {arr.dtype}")
    if arr.nbytes > _RESULT_CAP:
        return ("big", tname, arr.shape)
    return ("array", tname, np.array(arr, dtype=np.float64), isinstance(value, np.ndarray))


def _run_cases(fn, cases: list[Case], emit) -> None:
    """Call ``fn`` on every case; report each result through ``emit`` (child or thread)."""
    for i, case in enumerate(cases):
        emit(("start", i))
        pristine = [np.array(a, copy=True) if isinstance(a, np.ndarray) else None
                    for a in case.args]
        args = tuple(_readonly_copy(a) for a in case.args)
        try:
            value = fn(*args)
        except BaseException as e:  # noqa: BLE001 - includes SystemExit, KeyboardInterrupt
            lineno, line = _learner_frame(e.__traceback__)
            msg = str(e)
            if isinstance(e, SystemExit):
                msg = f"sys.exit({e.code!r}) was called" if e.code is not None \
                    else "sys.exit() was called"
            emit(("exc", i, type(e).__name__, msg[:300], lineno, line,
                  isinstance(e, NotImplementedError),
                  isinstance(e, ValueError) and "read-only" in str(e),
                  isinstance(e, MemoryError)))
            return
        mutated = any(p is not None and not np.array_equal(p, a, equal_nan=True)
                      for p, a in zip(pristine, args, strict=True))
        emit(("result", i, _encode(value), mutated))
    emit(("finished",))


def _memory_limit() -> None:
    try:
        import resource

        with open("/proc/self/status") as fh:
            vm = next((int(ln.split()[1]) * 1024 for ln in fh if ln.startswith("VmSize:")), 0)
        if vm:
            lim = vm + _MEMORY_HEADROOM
            soft, hard = resource.getrlimit(resource.RLIMIT_AS)
            if hard != resource.RLIM_INFINITY:
                lim = min(lim, hard)
            resource.setrlimit(resource.RLIMIT_AS, (lim, hard))
    except Exception:  # noqa: BLE001 - best effort only
        pass


def _child_main(fn, cases, conn) -> None:
    """Entry point of the forked child: silence the inherited streams, run, report, exit."""
    out = _CappedText()
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)
    except OSError:
        pass
    sys.stdout = sys.stderr = out
    _memory_limit()
    caught: list[str] = []
    try:
        with warnings.catch_warnings(record=True) as wlist:
            warnings.simplefilter("always")
            _run_cases(fn, cases, conn.send)
            for w in wlist[:5]:
                caught.append(f"{w.category.__name__}: {w.message}"[:200])
            if len(wlist) > 5:
                caught.append(f"... and {len(wlist) - 5} more warnings")
        conn.send(("output", out.getvalue(), caught))
    except BaseException:  # noqa: BLE001 - e.g. an unpicklable result: never hang the parent
        try:
            conn.send(("output", out.getvalue(), caught))
        except BaseException:  # noqa: BLE001
            pass
    finally:
        try:
            conn.close()
        finally:
            os._exit(0)


def _fork_available() -> bool:
    import multiprocessing as mp

    return sys.platform.startswith("linux") and "fork" in mp.get_all_start_methods()


@dataclass
class _Run:
    results: dict
    output: str = ""
    warnings: list = field(default_factory=list)
    timed_out_at: int | None = None
    crashed: str = ""
    elapsed: float = 0.0
    note: str = ""


def _collect(msg, run: _Run, state: dict) -> bool:
    """Handle one message from the runner; True when the run is complete."""
    tag = msg[0]
    if tag == "start":
        state["current"] = msg[1]
    elif tag == "exc":
        run.results[msg[1]] = ("exc",) + tuple(msg[2:])
    elif tag == "result":
        run.results[msg[1]] = ("ok", msg[2], msg[3])
    elif tag == "output":
        run.output, run.warnings = msg[1], list(msg[2])
        return True
    return False


def _run_forked(fn, cases, timeout: float) -> _Run:
    import multiprocessing as mp

    ctx = mp.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    run, state = _Run(results={}), {"current": 0}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # fork in a threaded kernel
        proc = ctx.Process(target=_child_main, args=(fn, cases, child), daemon=True)
        t0 = time.monotonic()
        proc.start()
    child.close()
    try:
        deadline = t0 + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                run.timed_out_at = state["current"]
                break
            if parent.poll(min(remaining, 0.25)):
                try:
                    msg = parent.recv()
                except (EOFError, OSError):
                    proc.join(0.5)
                    run.crashed = _exit_phrase(proc.exitcode)
                    break
                if _collect(msg, run, state):
                    break
    finally:
        run.elapsed = time.monotonic() - t0
        if proc.is_alive():
            proc.kill()
        proc.join(1.0)
        parent.close()
    return run


def _exit_phrase(code) -> str:
    if code is None:
        return "it stopped responding"
    if code < 0:
        import signal

        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        return f"it was killed by {name}"
    return f"it exited with code {code} (e.g. os._exit)"


def _run_inline(fn, cases, timeout: float) -> _Run:
    """Call the function directly (trusted code only: no time limit, no isolation)."""
    run, state = _Run(results={}), {"current": 0}
    t0 = time.monotonic()
    with warnings.catch_warnings(record=True) as wlist:
        warnings.simplefilter("always")
        _run_cases(fn, cases, lambda msg: _collect(msg, run, state))
    run.warnings = [f"{w.category.__name__}: {w.message}"[:200] for w in wlist[:5]]
    run.elapsed = time.monotonic() - t0
    return run


def _run_threaded(fn, cases, timeout: float) -> _Run:
    import contextlib
    import queue

    q: queue.Queue = queue.Queue()
    out = _CappedText()

    def target():
        caught = []
        try:
            with warnings.catch_warnings(record=True) as wlist:
                warnings.simplefilter("always")
                _run_cases(fn, cases, q.put)
                caught = [f"{w.category.__name__}: {w.message}"[:200] for w in wlist[:5]]
        finally:
            q.put(("output", out.getvalue(), caught))

    run, state = _Run(results={}), {"current": 0}
    run.note = ("This system cannot fork, so your function ran inside the notebook's own "
                "process; a function that runs past the time limit cannot be stopped there.")
    t0 = time.monotonic()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        th = threading.Thread(target=target, daemon=True)
        th.start()
        deadline = t0 + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                run.timed_out_at = state["current"]
                break
            try:
                msg = q.get(timeout=min(remaining, 0.25))
            except queue.Empty:
                continue
            if _collect(msg, run, state):
                break
    run.elapsed = time.monotonic() - t0
    return run


# ================================================================================================
# grading
# ================================================================================================

def _fmt(a, maxlen: int = 300) -> str:
    arr = np.asarray(a)
    if arr.ndim == 0:
        return f"{float(arr):.6g}"
    s = np.array2string(arr, precision=4, suppress_small=False, max_line_width=90,
                        threshold=40, edgeitems=3)
    return s if len(s) <= maxlen else s[:maxlen] + " ..."


def _describe_case(ex: Exercise, i: int, case: Case) -> str:
    n = len(ex.cases())
    head = f"input {i + 1} of {n}" + (f" ({case.label})" if case.label else "")
    parts = []
    for name, a in zip(ex.args, case.args, strict=False):
        if callable(a):
            parts.append(f"{name} = {getattr(a, '__name__', 'a function')}")
        elif isinstance(a, np.ndarray) and a.size > 6:
            parts.append(f"{name} of shape {a.shape}")
        else:
            parts.append(f"{name} = {_fmt(a, 80)}")
    return head + (": " + ", ".join(parts) if parts else "")


def _shape_str(shape) -> str:
    return "()" if shape == () else str(tuple(shape))


def _close(G: np.ndarray, C: np.ndarray, rtol: float) -> bool:
    if G.shape != C.shape:
        return False
    scale = float(np.max(np.abs(C))) if C.size else 0.0
    atol = rtol * max(scale, 1e-12) + 1e-13
    return bool(np.all(np.abs(G - C) <= atol + rtol * np.abs(C)))


def _diff_rows(G: np.ndarray, C: np.ndarray) -> list[tuple[str, str]]:
    rows = [("expected", _fmt(C)), ("your answer", _fmt(G))]
    if G.shape == C.shape and np.all(np.isfinite(G)):
        d = float(np.max(np.abs(G - C))) if C.size else 0.0
        scale = float(np.max(np.abs(C))) if C.size else 0.0
        rel = f" (relative to the largest expected entry: {d / scale:.2g})" if scale else ""
        rows.append(("largest difference", f"{d:.3g}{rel}"))
    return rows


_FACTOR_ADVICE = {
    2.0: "Look for a factor 2 counted twice.",
    0.5: "A factor 2 is missing (the derivative of u^2 is 2u).",
    -1.0: "The sign is wrong everywhere: check which way each minus sign goes.",
    -2.0: "Both the sign and a factor 2 are off.",
    -0.5: "Both the sign and a factor 1/2 are off.",
}


def _factor_name(c: float) -> str:
    if c == -1:
        return "-1 times"
    for k in range(2, 11):
        if abs(c - 1 / k) < 1e-9:
            return f"1/{k} of"
        if abs(c + 1 / k) < 1e-9:
            return f"-1/{k} times"
    if float(c).is_integer():
        return f"{int(c)} times"
    return f"{c:.4g} times"


class _Grader:
    def __init__(self, ex: Exercise, run: _Run):
        self.ex, self.run = ex, run
        self.cases, self.refs = ex._prepare()
        self.notes: list[str] = [run.note] if run.note else []

    def verdict(self, status, message, kind, details=()):
        notes = list(self.notes)
        if self.run.warnings and status == "correct":
            notes.append("Your function raised warnings (not an error): "
                         + "; ".join(self.run.warnings[:3]))
        elif self.run.warnings:
            notes.append("Warnings: " + "; ".join(self.run.warnings[:3]))
        return Verdict(self.ex.id, status, message, kind, list(details), notes,
                       self.run.output, self.run.elapsed)

    def case_row(self, i):
        if not self.ex.args:
            return ("exercise", self.ex.title)
        return ("input", _describe_case(self.ex, i, self.cases[i]))

    def grade(self) -> Verdict:
        ex, run, cases = self.ex, self.run, self.cases
        res = run.results
        # --- exceptions and special returns, in the order the cases ran -----------------------
        for i in range(len(cases)):
            if i not in res:
                break
            r = res[i]
            if r[0] == "exc":
                return self.exception(i, *r[1:])
            kind = r[1][0]
            if kind in ("none", "ellipsis") and i == 0:
                what = "None" if kind == "none" else "... (Ellipsis)"
                return self.verdict(
                    "not attempted",
                    f"Not attempted yet: your function returns {what}. "
                    "Write your answer in the function and `return` it.",
                    "not-attempted")
            if r[2]:
                return self.verdict(
                    "wrong", "Your function changed its input arrays in place. Work on a copy "
                    "(`x = x.copy()`) or build a new array instead.", "modifies-input",
                    [self.case_row(i)])
        if run.timed_out_at is not None:
            i = run.timed_out_at
            return self.verdict(
                "timeout",
                f"Your function did not finish within the time limit of {self.timeout:g} s and "
                "was stopped. Look for a loop that never ends, or a computation far bigger than "
                "the inputs (such as an n x n matrix built from a long vector).",
                "timeout", [self.case_row(i)] if i < len(cases) else [])
        if run.crashed or len(res) < len(cases):
            return self.verdict(
                "error", f"The process running your function died: {run.crashed or 'unknown'}. "
                "Remove calls that end or crash the process.", "crashed")
        # --- types ------------------------------------------------------------------------------
        values = []
        for i, ref in enumerate(self.refs):
            enc = res[i][1]
            kind, tname = enc[0], enc[1]
            if kind in ("none", "ellipsis"):
                return self.verdict(
                    "wrong", f"Your function returned {tname} for this input (did a branch "
                    "forget to `return`?).", "wrong-type", [self.case_row(i)])
            if kind == "unconvertible":
                return self.verdict(
                    "wrong", f"Your function returned a {tname}, which cannot be graded: "
                    f"{enc[2]}. Return a NumPy array of shape {_shape_str(ref.shape)}"
                    + (" (or a float)." if ref.ndim == 0 else "."),
                    "wrong-type", [self.case_row(i)])
            if kind == "big":
                return self.verdict(
                    "wrong", f"Your function returned a huge array of shape {enc[2]}; the "
                    f"expected shape is {_shape_str(ref.shape)}.", "wrong-shape",
                    [self.case_row(i)])
            arr, is_nd = enc[2], enc[3]
            if ref.ndim > 0 and not is_nd and i == 0:
                self.type_note = tname
            values.append(arr)
        type_note = getattr(self, "type_note", None)
        if type_note:
            self.notes.append(f"Your function returns a {type_note}, not a NumPy array; it was "
                              "graded after np.asarray(...). Return an array (np.array(...)).")
        # --- shapes -----------------------------------------------------------------------------
        for i, (G, C) in enumerate(zip(values, self.refs, strict=True)):
            if G.shape != C.shape:
                return self.shape_error(i, G, C)
        # --- NaN / inf --------------------------------------------------------------------------
        for i, (G, C) in enumerate(zip(values, self.refs, strict=True)):
            if not np.all(np.isfinite(G)):
                bad = "NaN" if np.any(np.isnan(G)) else "inf"
                return self.verdict(
                    "wrong", f"Your answer contains {bad} at this input, where the correct answer"
                    " is finite. Look for an overflow (exp of a large number), 0/0, or the log "
                    "of a number <= 0.", "nan", [self.case_row(i)] + _diff_rows(G, C))
        # --- values -----------------------------------------------------------------------------
        ok = [_close(G, C, ex.rtol) for G, C in zip(values, self.refs, strict=True)]
        if all(ok):
            msg = (f"Your answer matches the reference at all {len(cases)} test inputs."
                   if len(cases) > 1 else "Your answer matches the correct value.")
            kind = "correct"
            if type_note:
                msg += f" (It returns a {type_note}: return a NumPy array next time.)"
                kind = "wrong-type"
            return self.verdict("correct", msg, kind)
        return self.explain(values, ok)

    timeout = DEFAULT_TIMEOUT

    # ------------------------------------------------------------------------------------------
    def exception(self, i, name, msg, lineno, line, notimpl, readonly, memory):
        if notimpl:
            return self.verdict(
                "not attempted", "Not attempted yet: the function still raises "
                "NotImplementedError. Replace that line with your answer. If you have written "
                f"your answer, run its cell (the one with `def {self.ex.answer}`) first, then "
                "this check.", "not-attempted")
        where = f" (line {lineno}: `{line}`)" if lineno and line else ""
        rows = [self.case_row(i)]
        if readonly:
            return self.verdict(
                "wrong", f"Your function tried to change its input array in place{where}. "
                "Work on a copy (`x = x.copy()`) or build a new array instead.",
                "modifies-input", rows)
        if memory:
            return self.verdict(
                "error", f"Your function ran out of memory{where}: it tried to use far more "
                "than the inputs need (a huge array?).", "memory", rows)
        if name in ("SystemExit", "KeyboardInterrupt"):
            return self.verdict(
                "error", f"Your function raised {name}{where}: {msg}. A function should "
                "return its answer, not stop the program.", "exception", rows)
        if name == "TypeError" and not lineno:
            return self.verdict(
                "error", f"Your function could not be called with the arguments "
                f"({', '.join(self.ex.args)}): {msg}. Keep the stub's signature. "
                + _rerun_advice(self.ex), "signature", rows)
        return self.verdict(
            "error", f"Your function raised {name}: {msg}{where}.", "exception", rows)

    # ------------------------------------------------------------------------------------------
    def shape_error(self, i, G, C) -> Verdict:
        exp_s, got_s = _shape_str(C.shape), _shape_str(G.shape)
        msg = f"Your answer has shape {got_s} but the expected shape is {exp_s}."
        kind = "wrong-shape"
        if G.ndim == 2 and G.shape == C.shape[::-1] and G.shape != C.shape:
            msg += " Did you mean the transpose?"
            if _close(G.T, C, self.ex.rtol):
                msg += " Its transpose is correct."
                kind = "wrong-shape-transposed"
            elif self.ex.kind in ("gradient",):
                msg += " A gradient has the shape of the variable."
            elif self.ex.kind == "jacobian":
                msg += " A Jacobian has one row per output and one column per input."
        elif G.size == C.size and G.size > 0:
            if _close(G.reshape(C.shape), C, self.ex.rtol):
                msg += (" The numbers are right: return a 1-D array (e.g. with .ravel())."
                        if C.ndim == 1 else " The numbers are right: reshape it.")
                kind = "wrong-shape-reshape"
            elif C.ndim == 0:
                msg += " Return a float (e.g. with .item())."
        elif C.ndim == 2 and G.ndim == 1 and C.shape[0] == C.shape[1] == G.size:
            if _close(np.diag(G), C, self.ex.rtol):
                msg += " You returned the diagonal of the right matrix; wrap it in np.diag(...)."
                kind = "wrong-shape-diagonal"
            else:
                msg += " The answer is a matrix, not a vector."
        return self.verdict("wrong", msg, kind, [self.case_row(i)] + _diff_rows(G, C))

    # ------------------------------------------------------------------------------------------
    def explain(self, values, ok) -> Verdict:
        ex, cases, refs = self.ex, self.cases, self.refs
        first = ok.index(False)
        rows = [self.case_row(first)] + _diff_rows(values[first], refs[first])
        # 1. the exercise's known wrong answers
        for hint in ex.hints:
            try:
                hv = [np.asarray(hint.wrong(*c.args), dtype=np.float64) for c in cases]
            except Exception:  # noqa: BLE001 - a hint that does not apply to this input
                continue
            if all(_close(G, H, ex.rtol) for G, H in zip(values, hv, strict=True)):
                return self.verdict("wrong", hint.message, hint.kind, rows)
        # 2. right only for symmetric inputs
        sym = [("symmetric" in c.tags) for c in cases]
        if any(sym) and not all(sym):
            if all(o for o, s in zip(ok, sym, strict=True) if s) and \
                    not any(o for o, s in zip(ok, sym, strict=True) if not s):
                return self.verdict(
                    "wrong", "Your answer is right when the matrix is symmetric but wrong for a "
                    "general one: keep A and its transpose apart (the gradient of x^T A x is "
                    "(A + A^T) x, which is 2 A x only for symmetric A).", "symmetric-only", rows)
        # 3. one term of the answer missing, sign-flipped or doubled at every input
        if ex.terms is not None:
            termv = [{k: np.asarray(v, dtype=np.float64) for k, v in ex.terms(*c.args).items()}
                     for c in cases]
            for name in termv[0]:
                Ts = [t[name] for t in termv]
                if not any(np.any(T != 0) for T in Ts):
                    continue
                for coef, kind in ((-1.0, "one term missing: "), (-2.0, "sign of term "),
                                   (1.0, "term ")):
                    if all(_close(G, C + coef * T, ex.rtol)
                           for G, C, T in zip(values, refs, Ts, strict=True)):
                        phrase = {"one term missing: ": f"one term missing: {name}",
                                  "sign of term ": f"sign of term {name} flipped",
                                  "term ": f"term {name} counted twice"}[kind]
                        return self.from_phrase(phrase, rows)
        # 4. the same factor at every input
        scaled = self.scale_verdict(values, rows)
        if scaled is not None:
            return scaled
        # 5. right at some inputs only
        if any(ok):
            k = sum(ok)
            return self.verdict(
                "wrong", f"Your answer is right at {k} of {len(ok)} test inputs and wrong at the "
                "others. Look for a case your formula misses: a sign, a kink, a branch, or an "
                "input whose size differs.", "some-points", rows)
        # 6. one consistent explanation at every input
        phrases = []
        for i, (G, C) in enumerate(zip(values, refs, strict=True)):
            terms = None
            if ex.terms is not None:
                terms = {k: np.asarray(v, dtype=np.float64)
                         for k, v in ex.terms(*cases[i].args).items()}
            try:
                phrases.append(diagnose(G, C, terms=terms, rtol=max(ex.rtol, 1e-9)))
            except (ValueError, TypeError):
                phrases.append("wrong")
        p = phrases[0]
        if p and all(q == p for q in phrases) and p != "wrong":
            return self.from_phrase(p, rows)
        return self.verdict(
            "wrong", "Your answer differs from the correct one at every test input, and not by "
            "a simple pattern (a factor, a transpose, a missing term). Re-derive it, and compare "
            "with the numbers below.", "wrong", rows)

    def scale_verdict(self, values, rows):
        ex, refs, cases = self.ex, self.refs, self.cases
        cs, used = [], []
        for k, (G, C) in enumerate(zip(values, refs, strict=True)):
            cc = float(np.sum(C * C))
            if cc == 0:
                if _close(G, C, ex.rtol):
                    continue        # zero is right here, whatever the factor
                return None
            c = float(np.sum(G * C) / cc)
            if c == 0 or not _close(G, c * C, max(ex.rtol, 1e-9)):
                return None
            cs.append(c)
            used.append(k)
        if not cs:
            return None
        cases = [cases[k] for k in used]
        if all(abs(c - cs[0]) <= 1e-6 * abs(cs[0]) for c in cs):
            c = cs[0]
            nice = None
            for cand in [k for k in range(-10, 11) if k] + [1 / k for k in range(2, 11)] \
                    + [-1 / k for k in range(2, 11)]:
                if abs(c - cand) <= 1e-6 * abs(cand):
                    nice = float(cand)
            c = nice if nice is not None else c
            if abs(c - 1) < 1e-9:
                return None
            advice = _FACTOR_ADVICE.get(c, "Look for a constant you dropped or added.")
            if ex.n_samples is not None:
                ns = {ex.n_samples(*cs_.args) for cs_ in cases}
                if len(ns) == 1 and abs(c - 1 / next(iter(ns))) < 1e-9:
                    advice = "That is 1/n: you divided by the number of samples, but this " \
                        "function is a sum, not a mean."
            return self.verdict(
                "wrong", f"Your answer is {_factor_name(c)} the correct one at every input. "
                + advice, "scaled", rows)
        if ex.n_samples is not None:
            ns = [ex.n_samples(*c.args) for c in cases]
            if all(abs(c * n - 1) < 1e-6 for c, n in zip(cs, ns, strict=True)):
                return self.verdict(
                    "wrong", "Your answer is 1/n times the correct one (n = number of samples): "
                    "you divided by n, but this function is a sum, not a mean.", "scaled", rows)
            if all(abs(c / n - 1) < 1e-6 for c, n in zip(cs, ns, strict=True)):
                return self.verdict(
                    "wrong", "Your answer is n times the correct one (n = number of samples): "
                    "this function is a mean, so its derivative keeps the factor 1/n.",
                    "scaled", rows)
        if any(refs[k].size < 2 for k in used) or len(cs) < 2:
            return None     # a single number is always a multiple of another
        return self.verdict(
            "wrong", "Your answer is a multiple of the correct one, but the factor changes from "
            "input to input: look for a factor that depends on the input (a norm, a size).",
            "scaled", rows)

    def from_phrase(self, p: str, rows) -> Verdict:
        if p.startswith("transpose"):
            return self.verdict(
                "wrong", "Your answer is the transpose of the correct one. Check the layout: a "
                "gradient has the shape of its variable, and a Jacobian has one row per output.",
                "transposed", rows)
        if p.startswith("symmetric part only"):
            return self.verdict(
                "wrong", "Your answer is the symmetric part (G + G^T)/2 of the correct one: that "
                "is only right when the matrix involved is symmetric.", "symmetric-part", rows)
        if p.startswith("symmetrised"):
            return self.verdict(
                "wrong", "Your answer is G + G^T where G is the correct one: a transpose term is "
                "counted in twice.", "symmetrised", rows)
        if p.startswith("one term missing: "):
            name = p[len("one term missing: "):]
            return self.verdict(
                "wrong", f"One term is missing: {name}. The other terms are right.",
                "missing-term", rows)
        if p.startswith("sign of term "):
            name = p[len("sign of term "):].removesuffix(" flipped")
            return self.verdict(
                "wrong", f"The term {name} has the wrong sign; the other terms are right.",
                "term-sign", rows)
        if p.startswith("term ") and p.endswith(" counted twice"):
            name = p[len("term "):-len(" counted twice")]
            return self.verdict(
                "wrong", f"The term {name} is counted twice; the other terms are right.",
                "term-twice", rows)
        if p == "claimed derivative is zero":
            return self.verdict(
                "wrong", "Your answer is zero everywhere, but the correct answer is not.",
                "zero", rows)
        if p.startswith("wrong at entries"):
            where = p[len("wrong at entries "):]
            return self.verdict(
                "wrong", f"Most entries are right, but entries {where} are wrong (numbered from 0)"
                ".", "some-entries", rows)
        return self.verdict("wrong", f"Your answer is wrong ({p}).", "wrong", rows)


def _not_attempted(ex_id: str, what: str) -> Verdict:
    return Verdict(ex_id, "not attempted", f"Not attempted yet: {what}.", "not-attempted")


def _rerun_advice(ex: Exercise) -> str:
    """The advice for a function that may be an old definition of the stub (one sentence)."""
    return (f"If you have edited the stub, run its cell (the one with `def {ex.answer}`) again "
            "before this check.")


def _stale_answer(ex: Exercise, answer: Any) -> Verdict | None:
    """An error verdict when ``answer`` is named like the answer to another exercise.

    Every answer has its own name, so a function named like another exercise's answer is almost
    surely a leftover: a check cell copied from another exercise, or an answer name rebound by
    an earlier cell. Grading it would describe the wrong function. A function with any other
    name (a lambda, a helper) is graded as usual.
    """
    name = getattr(answer, "__name__", None)
    if not isinstance(name, str) or name == ex.answer:
        return None
    other = _answer_owner(name)
    if other is None:
        return None
    return Verdict(
        ex.id, "error",
        f"This check grades `{ex.answer}` for \"{ex.title}\", but it received `{name}` (the "
        f"answer to {other.id}). Run this exercise's answer cell (the one with "
        f"`def {ex.answer}`) first, then this check; the check cell should read "
        f'`check("{ex.id}", {ex.answer})`.',
        "stale-answer",
        [("this check grades", f"{ex.answer} ({ex.id})"),
         ("it received", f"{name} ({other.id})")])


def check(exercise_id: str, answer: Any, *, timeout: float = DEFAULT_TIMEOUT,
          sandbox: str = "auto") -> Verdict:
    """Grade ``answer`` for the exercise ``exercise_id``; never raises.

    Args:
        exercise_id: an id from :data:`EXERCISES`, e.g. ``"gradients/quadratic-form"``.
        answer: the learner's function (called with the exercise's arguments), or for a
            ``"value"`` exercise the value itself.
        timeout: seconds allowed for the function on all test inputs together.
        sandbox: ``"auto"`` (a forked child where the system can fork, else a thread),
            ``"fork"``, ``"thread"``, or ``"none"`` (call the function directly, with no time
            limit: only for trusted code such as the reference solutions in the tests).

    Returns:
        A :class:`Verdict` (``.passed``, ``.status``, ``.message``), shown as a coloured box in
        a notebook.
    """
    try:
        return _check(exercise_id, answer, timeout, sandbox)
    except BaseException as e:  # noqa: BLE001 - never raise into the notebook
        if isinstance(e, KeyboardInterrupt):
            return Verdict(str(exercise_id), "error", "The check was interrupted.", "interrupted")
        return Verdict(str(exercise_id), "error",
                       f"The grader itself failed ({type(e).__name__}: {e}). This is a bug in "
                       "mlcalc, not in your answer: please report it.", "grader-error")


def _check(exercise_id, answer, timeout, sandbox) -> Verdict:
    ex = EXERCISES.get(exercise_id) if isinstance(exercise_id, str) else None
    if ex is None:
        close = difflib.get_close_matches(str(exercise_id), list(EXERCISES), n=1, cutoff=0.6)
        hint = f" Did you mean {close[0]!r}?" if close else ""
        return Verdict(str(exercise_id), "error",
                       f"There is no exercise with id {exercise_id!r}.{hint}", "unknown-exercise")
    if answer is None or answer is Ellipsis:
        return _not_attempted(ex.id, "the answer is still empty")
    fn = answer
    if not callable(answer):
        if ex.args:
            return Verdict(ex.id, "error",
                           f"Pass your function itself, e.g. check({ex.id!r}, "
                           f"my_function), not a {type(answer).__name__}.", "not-callable")
        value = answer

        def fn():
            return value
    else:
        stale = _stale_answer(ex, answer)
        if stale is not None:
            return stale
        try:
            sig = inspect.signature(answer)
            sig.bind(*ex.args)
        except TypeError:
            want = ", ".join(ex.args)
            return Verdict(ex.id, "error",
                           f"Your function must take the arguments ({want}), as in the stub; "
                           f"it is defined as {getattr(answer, '__name__', 'f')}{sig}. "
                           + _rerun_advice(ex), "signature")
        except ValueError:
            pass  # builtins without a signature: just call them
    cases = ex.cases()
    if sandbox == "auto":
        sandbox = "fork" if _fork_available() else "thread"
    runner = {"fork": _run_forked, "thread": _run_threaded, "none": _run_inline}.get(sandbox)
    if runner is None:
        return Verdict(ex.id, "error", f"Unknown sandbox {sandbox!r}: use 'auto', 'fork', "
                       "'thread' or 'none'.", "grader-error")
    run = runner(fn, cases, timeout)
    grader = _Grader(ex, run)
    grader.timeout = timeout
    return grader.grade()


# ================================================================================================
# the exercises
# ================================================================================================
# Each exercise says: the name of the learner's function, the kind of answer, the argument names,
# how to make inputs (seeded), the reference answer, known wrong answers with their explanations,
# and optionally the terms of the answer (for "one term missing") and the sample count (for a
# stray 1/n). The notebooks in exercises/ hold the task text, hints and worked solutions;
# tests/test_exercises.py keeps the two in sync.
#
# The answer's name is unique across the book (an operator prefix, d_, grad_, jac_, hess_, and
# what is differentiated: "grad_quadratic_form"): after "Run all" every answer is defined in the
# same kernel, and a check cell that receives another exercise's answer says so instead of
# grading it.


def _nonsym(rng, d):
    A = rng.normal(size=(d, d))
    return A + np.triu(np.ones((d, d)))  # visibly non-symmetric


def _sym(rng, d):
    B = rng.normal(size=(d, d))
    return (B + B.T) / 2


def _ex(id, answer, title, kind, args, cases, reference, *, hints=(), terms=None,
        n_samples=None, rtol=1e-6):
    return _register(Exercise(id, title, kind, tuple(args), cases, reference,
                              tuple(Hint(*h) for h in hints), terms, n_samples, rtol, answer))


def _points(*pts):
    return lambda rng: [Case((p,), f"x = {p:g}") for p in pts]


# ------------------------------------------------------------------------------------------------
# derivatives
# ------------------------------------------------------------------------------------------------
_ex("derivatives/polynomial", "d_polynomial",
    "f(x) = 0.3 x^2 + 0.2", "derivative", ["x"],
    _points(-1.5, 0.0, 1.0, 2.5), lambda x: 0.6 * x,
    hints=[("kept-constant", lambda x: 0.6 * x + 0.2,
            "You kept the constant 0.2: the derivative of a constant is 0.")])

_ex("derivatives/product-rule", "d_product_rule",
    "f(x) = x^2 sin x", "derivative", ["x"],
    _points(-2.0, -0.5, 0.7, 1.9, 3.0),
    lambda x: 2 * x * np.sin(x) + x**2 * np.cos(x),
    hints=[("product-of-derivatives", lambda x: 2 * x * np.cos(x),
            "You multiplied the two derivatives, (x^2)' (sin x)' = 2x cos x. The product rule is "
            "(uv)' = u'v + uv'.")],
    terms=lambda x: {"2x sin x": 2 * x * np.sin(x), "x^2 cos x": x**2 * np.cos(x)})

_ex("derivatives/quotient-rule", "d_quotient_rule",
    "f(x) = (x^2 + 1) / (x - 3)", "derivative", ["x"],
    _points(-2.0, 0.0, 1.5, 4.0, 6.0),
    lambda x: (2 * x * (x - 3) - (x**2 + 1)) / (x - 3) ** 2,
    hints=[("quotient-no-square", lambda x: (2 * x * (x - 3) - (x**2 + 1)) / (x - 3),
            "The denominator of the quotient rule is the square of the denominator: "
            "(u/v)' = (u'v - uv') / v^2."),
           ("ratio-of-derivatives", lambda x: 2 * x + 0 * x,
            "You divided the derivatives, u'/v' = 2x/1. The quotient rule is "
            "(u/v)' = (u'v - uv') / v^2.")])

_ex("derivatives/real-life", "d_real_life",
    "f(x) = log_3(2x^2) - 2x e^{3x} + 2", "derivative", ["x"],
    _points(-1.2, -0.4, 0.3, 0.8, 1.1),
    lambda x: 2 / (x * np.log(3)) - 2 * np.exp(3 * x) - 6 * x * np.exp(3 * x),
    hints=[("natural-log", lambda x: 2 / x - 2 * np.exp(3 * x) - 6 * x * np.exp(3 * x),
            "You differentiated log_3 as if it were the natural log: log_3(u) = ln(u) / ln 3, so "
            "a factor 1/ln 3 is missing in the first term.")],
    terms=lambda x: {"2/(x ln 3)": 2 / (x * np.log(3)), "-2e^{3x}": -2 * np.exp(3 * x),
                     "-6x e^{3x}": -6 * x * np.exp(3 * x)})

_ex("derivatives/sigmoid", "dsigma",
    "sigma(z) = 1 / (1 + e^{-z})", "derivative", ["z"],
    _points(-4.0, -1.0, 0.5, 2.0, 6.0),
    lambda z: sigmoid(z) * (1 - sigmoid(z)),
    hints=[("sigmoid-plus", lambda z: sigmoid(z) * (1 + sigmoid(z)),
            "It is sigma(z)(1 - sigma(z)), with a minus: e^{-z}/(1 + e^{-z}) = 1 - sigma(z)."),
           ("sigmoid-itself", lambda z: sigmoid(z),
            "That is sigma(z) itself; its derivative is sigma(z)(1 - sigma(z)).")])

_ex("derivatives/least-squares-slope", "dE",
    "dE/da for E(a) = sum (y_i - a x_i)^2", "derivative",
    ["a", "x", "y"],
    lambda rng: [Case((a, rng.normal(size=n), rng.normal(size=n)), f"a = {a:g}, n = {n}")
                 for a, n in ((0.5, 5), (-1.0, 8), (2.0, 3), (0.0, 6))],
    lambda a, x, y: -2 * np.sum(x * (y - a * x)),
    hints=[("inner-sign", lambda a, x, y: 2 * np.sum(x * (y - a * x)),
            "The inner derivative of y_i - a x_i with respect to a is -x_i: the minus sign is "
            "missing."),
           ("no-inner", lambda a, x, y: -2 * np.sum(y - a * x),
            "The chain rule's inner factor x_i is missing: d/da (y_i - a x_i) = -x_i.")],
    n_samples=lambda a, x, y: len(x))

_ex("derivatives/least-squares-estimate", "best_slope",
    "the minimiser a of sum (y_i - a x_i)^2", "estimate",
    ["x", "y"],
    lambda rng: [Case((rng.normal(size=n), rng.normal(size=n) + 2), f"n = {n}")
                 for n in (5, 9, 4)],
    lambda x, y: np.sum(x * y) / np.sum(x * x),
    hints=[("ratio-of-sums", lambda x, y: np.sum(y) / np.sum(x),
            "Sum(y)/sum(x) is not the minimiser: setting dE/da = -2 sum x_i (y_i - a x_i) to 0 "
            "gives a = sum x_i y_i / sum x_i^2."),
           ("mean-ratio", lambda x, y: np.mean(y / x),
            "The mean of y_i / x_i is not the least-squares slope: solve dE/da = 0.")])

_ex("derivatives/second-derivative", "d2f",
    "f''(x) for f(x) = x e^{-x}", "derivative", ["x"],
    _points(-1.0, 0.5, 2.0, 3.5),
    lambda x: (x - 2) * np.exp(-x),
    hints=[("first-derivative", lambda x: (1 - x) * np.exp(-x),
            "That is the first derivative (1 - x)e^{-x}; differentiate it once more.")])

# ------------------------------------------------------------------------------------------------
# gradients
# ------------------------------------------------------------------------------------------------


def _xA_cases(rng, sizes=(3, 4, 2, 5), sym_at=(2,)):
    out = []
    for k, d in enumerate(sizes):
        if k in sym_at:
            out.append(Case((rng.normal(size=d), _sym(rng, d)), f"d = {d}, symmetric A",
                            frozenset({"symmetric"})))
        else:
            out.append(Case((rng.normal(size=d), _nonsym(rng, d)), f"d = {d}, non-symmetric A"))
    return out


_ex("gradients/linear", "grad_linear",
    "f(x) = y^T x", "gradient", ["x", "y"],
    lambda rng: [Case((rng.normal(size=d), rng.normal(size=d)), f"d = {d}") for d in (2, 3, 5)],
    lambda x, y: np.array(y, dtype=float),
    hints=[("swapped-roles", lambda x, y: np.array(x, dtype=float),
            "You returned x; the gradient of y^T x with respect to x is y (x is the variable).")])

_QF_HINTS = [
    ("symmetric-only", lambda x, A: 2 * A @ x,
     "2 A x is right only when A is symmetric. Multiply out x^T A x = sum_ij A_ij x_i x_j: "
     "x_k appears in row k and in column k, giving (A + A^T) x."),
    ("half", lambda x, A: A @ x,
     "A x is only one of the two places x appears: x^T A x = sum_ij A_ij x_i x_j depends on "
     "x_k through row k and column k, so the gradient is (A + A^T) x."),
    ("transpose-only", lambda x, A: A.T @ x,
     "A^T x is only one of the two terms: the gradient is A x + A^T x = (A + A^T) x."),
]

_ex("gradients/quadratic-form", "grad_quadratic_form",
    "f(x) = x^T A x", "gradient", ["x", "A"],
    _xA_cases, lambda x, A: (A + A.T) @ x, hints=_QF_HINTS,
    terms=lambda x, A: {"A x": A @ x, "A^T x": A.T @ x})

_ex("gradients/trace-quadratic", "grad_trace_quadratic",
    "f(x) = Tr(x^T A x)", "gradient", ["x", "A"],
    _xA_cases, lambda x, A: (A + A.T) @ x, hints=_QF_HINTS,
    terms=lambda x, A: {"A x": A @ x, "A^T x": A.T @ x})

_ex("gradients/consolidate-linear", "grad_consolidate_linear",
    "f(x) = y^T x + x^T 1 with y = (2, 5)", "gradient", ["x"],
    lambda rng: [Case((rng.normal(size=2),), "random x") for _ in range(3)],
    lambda x: np.array([3.0, 6.0]),
    hints=[("forgot-ones", lambda x: np.array([2.0, 5.0]),
            "You kept y but dropped the gradient of x^T 1, which is the vector of ones.")],
    terms=lambda x: {"y": np.array([2.0, 5.0]), "1": np.ones(2)})

_ex("gradients/consolidate-quadratic", "grad_consolidate_quadratic",
    "f(x) = x^T A x with A = [[2, 1], [1, 1]]", "gradient",
    ["x"], lambda rng: [Case((rng.normal(size=2),), "random x") for _ in range(3)],
    lambda x: np.array([[4.0, 2.0], [2.0, 2.0]]) @ x,
    hints=[("half", lambda x: np.array([[2.0, 1.0], [1.0, 1.0]]) @ x,
            "A x is half of it: the gradient is (A + A^T) x, which is 2 A x here because this A "
            "is symmetric.")])

_ex("gradients/quick-consolidate-1", "grad_at_y_1",
    "f'(y) for f(x) = x1^2 - ln x2 + e^{-x3}, y = (1, 1, 0)",
    "value", [], lambda rng: [Case(())], lambda: np.array([2.0, -1.0, -1.0]),
    hints=[("sign-exp", lambda: np.array([2.0, -1.0, 1.0]),
            "The derivative of e^{-x3} is -e^{-x3} (chain rule: the inner derivative is -1).")])

_ex("gradients/quick-consolidate-2", "grad_at_y_2",
    "f'(y) for f(x) = x1^2 - x1 - ln x2 + e^{-x1 + x2} + 2 x2 - 3, y = (0, 1)",
    "value", [], lambda rng: [Case(())], lambda: np.array([-1.0 - np.e, 1.0 + np.e]),
    hints=[("notes-answer", lambda: np.array([-np.e, -1.0 + np.e]),
            "(-e, e - 1) is the answer printed in the source notes, and it is wrong: at y = (0, 1),"
            " df/dx1 = 2x1 - 1 - e^{-x1+x2} = -1 - e and df/dx2 = -1/x2 + e^{-x1+x2} + 2 = 1 + e."),
           ("sign-exp", lambda: np.array([-1.0 + np.e, 1.0 + np.e]),
            "d/dx1 e^{-x1 + x2} = -e^{-x1 + x2}: the inner derivative is -1.")])

_ex("gradients/problems-difference", "grad_difference",
    "f(x) = y^T x - w^T x", "gradient", ["x", "y", "w"],
    lambda rng: [Case(tuple(rng.normal(size=(3, d))), f"d = {d}") for d in (2, 4, 3)],
    lambda x, y, w: y - w,
    terms=lambda x, y, w: {"y": y, "-w": -w})

_ex("gradients/problems-bilinear", "grad_bilinear",
    "f(x) = y^T A x", "gradient", ["x", "y", "A"],
    lambda rng: [Case((rng.normal(size=d), rng.normal(size=d), A), lab, tags)
                 for d, A, lab, tags in (
                     (3, _nonsym(rng, 3), "d = 3, non-symmetric A", frozenset()),
                     (2, _sym(rng, 2), "d = 2, symmetric A", frozenset({"symmetric"})),
                     (4, _nonsym(rng, 4), "d = 4, non-symmetric A", frozenset()))],
    lambda x, y, A: A.T @ y,
    hints=[("A-not-transposed", lambda x, y, A: A @ y,
            "A y is the gradient only for symmetric A: y^T A x = (A^T y)^T x, so the gradient "
            "with respect to x is A^T y.")])

_ex("gradients/problems-bilinear-minus-linear", "grad_bilinear_minus_linear",
    "f(x) = y^T A x - y^T x", "gradient",
    ["x", "y", "A"],
    lambda rng: [Case((rng.normal(size=d), rng.normal(size=d), _nonsym(rng, d)), f"d = {d}")
                 for d in (3, 4, 2)],
    lambda x, y, A: A.T @ y - y,
    hints=[("A-not-transposed", lambda x, y, A: A @ y - y,
            "The gradient of y^T A x is A^T y, not A y (they agree only for symmetric A).")],
    terms=lambda x, y, A: {"A^T y": A.T @ y, "-y": -y})


def _nonzero_vec(rng, d):
    v = rng.normal(size=d)
    return np.where(np.abs(v) < 0.1, 0.5, v)


_ex("gradients/l1-norm", "grad_l1_norm",
    "f(x) = ||x||_1 (x with no zero entry)", "gradient", ["x"],
    lambda rng: [Case((_nonzero_vec(rng, d),), f"d = {d}") for d in (2, 4, 6)],
    lambda x: np.sign(x),
    hints=[("ones", lambda x: np.ones_like(x),
            "The derivative of |x_i| is +1 only for x_i > 0; for x_i < 0 it is -1: sign(x)."),
           ("abs", lambda x: np.abs(x),
            "That is |x|, the function itself; its derivative is sign(x).")])

_ex("gradients/l2-norm", "grad_l2_norm",
    "f(x) = ||x||_2", "gradient", ["x"],
    lambda rng: [Case((rng.normal(size=d) * s,), f"d = {d}") for d, s in ((2, 1), (3, 3), (5, .5))],
    lambda x: x / np.linalg.norm(x),
    hints=[("squared-norm", lambda x: 2 * x,
            "2x is the gradient of the squared norm ||x||^2; for ||x|| = (x^T x)^{1/2} the chain "
            "rule gives x / ||x||."),
           ("norm-squared-denominator", lambda x: x / np.dot(x, x),
            "Divide by ||x||, not by ||x||^2.")])

_ex("gradients/norm-distance", "grad_distance",
    "f(x) = ||x - a||_2", "gradient", ["x", "a"],
    lambda rng: [Case((rng.normal(size=d), rng.normal(size=d)), f"d = {d}") for d in (2, 3, 4)],
    lambda x, a: (x - a) / np.linalg.norm(x - a),
    hints=[("sign", lambda x, a: (a - x) / np.linalg.norm(x - a),
            "(a - x)/||x - a|| points towards a; the gradient points away from a: "
            "(x - a)/||x - a||.")])

_ex("gradients/entropy", "grad_entropy",
    "f(x) = -sum x_i ln x_i (x > 0)", "gradient", ["x"],
    lambda rng: [Case((rng.uniform(0.05, 2.0, size=d),), f"d = {d}") for d in (2, 3, 5)],
    lambda x: -(np.log(x) + 1),
    hints=[("missing-one", lambda x: -np.log(x),
            "The product rule gives d/dx (x ln x) = ln x + 1: the +1 is missing.")],
    terms=lambda x: {"-ln x": -np.log(x), "-1": -np.ones_like(x)})

# ------------------------------------------------------------------------------------------------
# jacobians
# ------------------------------------------------------------------------------------------------
_ex("jacobians/linear-map", "jac_linear_map",
    "f(x) = A x with A of shape (m, n)", "jacobian", ["x", "A"],
    lambda rng: [Case((rng.normal(size=n), rng.normal(size=(m, n))), f"A is {m} x {n}")
                 for m, n in ((2, 3), (4, 2), (3, 3))],
    lambda x, A: np.array(A, dtype=float))

_ex("jacobians/notes-example", "jac_notes_example",
    "f(x) = (2 x1 - x3, x1 + x2)", "jacobian", ["x"],
    lambda rng: [Case((rng.normal(size=3),), "random x") for _ in range(2)],
    lambda x: np.array([[2.0, 0.0, -1.0], [1.0, 1.0, 0.0]]),
    hints=[("gradient-rows-swapped", lambda x: np.array([[1.0, 1.0, 0.0], [2.0, 0.0, -1.0]]),
            "Row i of the Jacobian holds the partial derivatives of output f_i: keep the rows in "
            "the order of the outputs.")])

_ex("jacobians/neg-log", "jac_neg_log",
    "f(x) = -log(x), elementwise (x > 0)", "jacobian", ["x"],
    lambda rng: [Case((rng.uniform(0.2, 3.0, size=d),), f"d = {d}") for d in (2, 3, 5)],
    lambda x: np.diag(-1 / x),
    hints=[("sign", lambda x: np.diag(1 / x),
            "d/dx (-log x) = -1/x: the minus sign is missing.")])

_ex("jacobians/sigmoid-elementwise", "jac_sigmoid",
    "f(z) = sigma(z), elementwise", "jacobian", ["z"],
    lambda rng: [Case((rng.normal(size=d) * 2,), f"d = {d}") for d in (2, 4, 3)],
    lambda z: np.diag(sigmoid(z) * (1 - sigmoid(z))),
    hints=[("outer-product", lambda z: np.outer(sigmoid(z), 1 - sigmoid(z)),
            "An elementwise map has a diagonal Jacobian: output i depends on z_i only, so the "
            "off-diagonal entries are 0.")])

_ex("jacobians/square-then-mix", "jac_square_then_mix",
    "f(x) = A (x * x) (elementwise square, A of shape (m, n))",
    "jacobian", ["x", "A"],
    lambda rng: [Case((rng.normal(size=n), rng.normal(size=(m, n))), f"A is {m} x {n}")
                 for m, n in ((2, 3), (3, 3), (4, 2))],
    lambda x, A: 2 * A * x[None, :],
    hints=[("dropped-x", lambda x, A: 2 * A,
            "The inner Jacobian of x * x is diag(2x), not 2: the chain rule gives "
            "A diag(2x), which scales column j of A by 2 x_j.")])

_ex("jacobians/polar", "jac_polar",
    "f(r, theta) = (r cos theta, r sin theta)", "jacobian", ["v"],
    lambda rng: [Case((np.array([r, t]),), f"r = {r}, theta = {t}")
                 for r, t in ((1.5, 0.3), (0.7, 2.0), (2.2, -1.1))],
    lambda v: np.array([[np.cos(v[1]), -v[0] * np.sin(v[1])],
                        [np.sin(v[1]), v[0] * np.cos(v[1])]]))

_ex("jacobians/linear-approximation", "linear_approx",
    "f(x0) + J(x0) dx for f(x) = A tanh(x)", "value",
    ["x0", "dx", "A"],
    lambda rng: [Case((rng.normal(size=n), 0.01 * rng.normal(size=n), rng.normal(size=(m, n))),
                      f"A is {m} x {n}") for m, n in ((2, 3), (3, 2), (3, 3))],
    lambda x0, dx, A: A @ np.tanh(x0) + A @ ((1 - np.tanh(x0) ** 2) * dx),
    hints=[("value-only", lambda x0, dx, A: A @ np.tanh(x0),
            "You returned f(x0) only; add the first-order change J(x0) dx."),
           ("exact", lambda x0, dx, A: A @ np.tanh(x0 + dx),
            "That is the exact value f(x0 + dx); the exercise asks for the linear approximation "
            "f(x0) + J(x0) dx.")],
    terms=lambda x0, dx, A: {"f(x0)": A @ np.tanh(x0),
                             "J dx": A @ ((1 - np.tanh(x0) ** 2) * dx)})

# ------------------------------------------------------------------------------------------------
# chain_rule
# ------------------------------------------------------------------------------------------------
_ex("chain_rule/norm-fourth", "grad_norm_fourth",
    "f(x) = ||x||^4", "gradient", ["x"],
    lambda rng: [Case((rng.normal(size=d),), f"d = {d}") for d in (2, 3, 5)],
    lambda x: 4 * np.dot(x, x) * x,
    hints=[("outer-only", lambda x: 4 * np.linalg.norm(x) ** 3 * np.ones_like(x),
            "4||x||^3 is the outer derivative only; multiply by the gradient of ||x||, which is "
            "x/||x||: 4||x||^3 x/||x|| = 4||x||^2 x.")])

_ex("chain_rule/least-squares", "grad_least_squares",
    "f(w) = ||X w - y||^2", "gradient", ["w", "X", "y"],
    lambda rng: [Case((rng.normal(size=d), rng.normal(size=(n, d)), rng.normal(size=n)),
                      f"X is {n} x {d}") for n, d in ((5, 3), (4, 2), (7, 4))],
    lambda w, X, y: 2 * X.T @ (X @ w - y),
    hints=[("sign", lambda w, X, y: 2 * X.T @ (y - X @ w),
            "The residual is X w - y: with (y - X w) the inner Jacobian is -X and the gradient is "
            "-2 X^T (y - X w) = 2 X^T (X w - y).")],
    n_samples=lambda w, X, y: len(y))

_ex("chain_rule/affine-quadratic", "grad_affine_quadratic",
    "f(x) = (A x + b)^T C (D x + e)", "gradient",
    ["x", "A", "b", "C", "D", "e"],
    lambda rng: [Case((rng.normal(size=n), rng.normal(size=(m, n)), rng.normal(size=m),
                       _nonsym(rng, m), rng.normal(size=(m, n)), rng.normal(size=m)),
                      f"m = {m}, n = {n}") for m, n in ((3, 2), (2, 4), (3, 3))],
    lambda x, A, b, C, D, e: A.T @ C @ (D @ x + e) + D.T @ C.T @ (A @ x + b),
    hints=[("C-not-transposed", lambda x, A, b, C, D, e: A.T @ C @ (D @ x + e)
            + D.T @ C @ (A @ x + b),
            "In the term from D x + e, C must be transposed: u^T C v = v^T C^T u, so its "
            "gradient through v is D^T C^T (A x + b).")],
    terms=lambda x, A, b, C, D, e: {"A^T C (D x + e)": A.T @ C @ (D @ x + e),
                                    "D^T C^T (A x + b)": D.T @ C.T @ (A @ x + b)})

_ex("chain_rule/weighted-least-squares", "grad_weighted_least_squares",
    "f(x) = (A x - b)^T W (A x - b)", "gradient",
    ["x", "A", "b", "W"],
    lambda rng: [Case((rng.normal(size=n), rng.normal(size=(m, n)), rng.normal(size=m), W),
                      lab, tags) for m, n, W, lab, tags in (
                          (4, 2, _nonsym(rng, 4), "A is 4 x 2, W non-symmetric", frozenset()),
                          (3, 3, _sym(rng, 3), "A is 3 x 3, W symmetric",
                           frozenset({"symmetric"})),
                          (2, 3, _nonsym(rng, 2), "A is 2 x 3, W non-symmetric", frozenset()))],
    lambda x, A, b, W: A.T @ (W + W.T) @ (A @ x - b),
    hints=[("symmetric-only", lambda x, A, b, W: 2 * A.T @ W @ (A @ x - b),
            "2 A^T W (A x - b) assumes W is symmetric. For a general W the quadratic form "
            "r^T W r has gradient (W + W^T) r, so the answer is A^T (W + W^T)(A x - b).")])

_ex("chain_rule/a-x-x-b", "grad_a_x_x_b",
    "f(x) = a^T x x^T b", "gradient", ["x", "a", "b"],
    lambda rng: [Case(tuple(rng.normal(size=(3, d))), f"d = {d}") for d in (2, 3, 4)],
    lambda x, a, b: a * np.dot(x, b) + b * np.dot(a, x),
    terms=lambda x, a, b: {"a (x^T b)": a * np.dot(x, b), "b (a^T x)": b * np.dot(a, x)})

_ex("chain_rule/gaussian-bump", "grad_gaussian_bump",
    "f(x) = exp(-x^T A x)", "gradient", ["x", "A"],
    lambda rng: [Case((0.5 * c.args[0], c.args[1]), c.label, c.tags) for c in _xA_cases(rng)],
    lambda x, A: -np.exp(-x @ A @ x) * (A + A.T) @ x,
    hints=[("symmetric-only", lambda x, A: -2 * np.exp(-x @ A @ x) * A @ x,
            "-2 e^{-x^T A x} A x is right only for symmetric A: the gradient of x^T A x is "
            "(A + A^T) x."),
           ("lost-minus", lambda x, A: np.exp(-x @ A @ x) * (A + A.T) @ x,
            "The inner derivative of -x^T A x carries the minus sign: "
            "-e^{-x^T A x} (A + A^T) x.")])

_ex("chain_rule/gaussian-bump-trace", "grad_gaussian_bump_trace",
    "f(x) = exp(-Tr(x^T A x))", "gradient", ["x", "A"],
    lambda rng: [Case((0.5 * c.args[0], c.args[1]), c.label, c.tags) for c in _xA_cases(rng)],
    lambda x, A: -np.exp(-x @ A @ x) * (A + A.T) @ x,
    hints=[("symmetric-only", lambda x, A: -2 * np.exp(-x @ A @ x) * A @ x,
            "-2 e^{-Tr(x^T A x)} A x is right only for symmetric A: use (A + A^T) x.")])

_ex("chain_rule/problems-exp-bilinear", "grad_exp_bilinear",
    "f(x) = exp(y^T A x)", "gradient", ["x", "y", "A"],
    lambda rng: [Case((0.4 * rng.normal(size=d), 0.4 * rng.normal(size=d), A), lab, tags)
                 for d, A, lab, tags in (
                     (3, _nonsym(rng, 3), "d = 3, non-symmetric A", frozenset()),
                     (2, _sym(rng, 2), "d = 2, symmetric A", frozenset({"symmetric"})),
                     (4, _nonsym(rng, 4), "d = 4, non-symmetric A", frozenset()))],
    lambda x, y, A: np.exp(y @ A @ x) * (A.T @ y),
    hints=[("A-not-transposed", lambda x, y, A: np.exp(y @ A @ x) * (A @ y),
            "The gradient of y^T A x in x is A^T y, not A y: e^{y^T A x} A^T y."),
           ("outer-only", lambda x, y, A: np.exp(y @ A @ x) * np.ones_like(x),
            "e^{y^T A x} is the outer derivative; multiply by the inner gradient A^T y.")])

_A_CONS = np.array([[4.0, 0.0], [1.0, 1.0]])
_ex("chain_rule/consolidate-exponential", "grad_consolidate_exp",
    "f(x) = exp(x^T A x) with A = [[4, 0], [1, 1]]",
    "gradient", ["x"],
    lambda rng: [Case((0.3 * rng.normal(size=2),), "random x") for _ in range(3)],
    lambda x: np.exp(x @ _A_CONS @ x) * (_A_CONS + _A_CONS.T) @ x,
    hints=[("symmetric-only", lambda x: 2 * np.exp(x @ _A_CONS @ x) * _A_CONS @ x,
            "This A = [[4, 0], [1, 1]] is not symmetric, so 2 A x is wrong: the gradient of "
            "x^T A x is (A + A^T) x.")])

_W_CONS = np.array([7.0, 8.0])
_ex("chain_rule/consolidate-logistic", "grad_logistic_in_x",
    "f(x) = 1 / (1 + exp(-w^T x)) with w = (7, 8)",
    "gradient", ["x"],
    lambda rng: [Case((0.1 * rng.normal(size=2),), "random x") for _ in range(3)],
    lambda x: sigmoid(_W_CONS @ x) * (1 - sigmoid(_W_CONS @ x)) * _W_CONS,
    hints=[("outer-only", lambda x: sigmoid(_W_CONS @ x) * (1 - sigmoid(_W_CONS @ x))
            * np.ones(2),
            "sigma(w^T x)(1 - sigma(w^T x)) is the outer derivative; multiply by the gradient of "
            "w^T x, which is w.")])

_ex("chain_rule/logistic-in-w", "grad_logistic_in_w",
    "f(w) = 1 / (1 + exp(-w^T x)) as a function of w", "gradient",
    ["w", "x"],
    lambda rng: [Case((rng.normal(size=d), rng.normal(size=d)), f"d = {d}") for d in (2, 3, 5)],
    lambda w, x: sigmoid(w @ x) * (1 - sigmoid(w @ x)) * x,
    hints=[("wrong-variable", lambda w, x: sigmoid(w @ x) * (1 - sigmoid(w @ x)) * w,
            "You differentiated with respect to x: the variable is w, and the gradient of w^T x "
            "with respect to w is x.")])

_ex("chain_rule/circle-path", "dfdt",
    "d/dt f(x(t)), f(x) = x1^2 + 3 x1 x2, x(t) = (sin t, cos t)",
    "derivative", ["t"], _points(-1.0, 0.4, 1.3, 2.5),
    lambda t: (2 * np.sin(t) + 3 * np.cos(t)) * np.cos(t) - 3 * np.sin(t) * np.sin(t),
    hints=[("gradient-only", lambda t: 2 * np.sin(t) + 3 * np.cos(t) + 3 * np.sin(t),
            "You added the partial derivatives; the chain rule weighs each by dx_i/dt: "
            "df/dt = (df/dx1)(cos t) + (df/dx2)(-sin t).")],
    terms=lambda t: {"(df/dx1) cos t": (2 * np.sin(t) + 3 * np.cos(t)) * np.cos(t),
                     "(df/dx2)(-sin t)": -3 * np.sin(t) * np.sin(t)})

# ------------------------------------------------------------------------------------------------
# hessians
# ------------------------------------------------------------------------------------------------
_ex("hessians/quadratic-form", "hess_quadratic_form",
    "Hessian of f(x) = x^T A x", "hessian", ["x", "A"],
    _xA_cases, lambda x, A: A + A.T,
    hints=[("symmetric-only", lambda x, A: 2 * A,
            "2A is the Hessian only for symmetric A; a Hessian is always symmetric, and here it "
            "is A + A^T.")])

_ex("hessians/entropy", "hess_entropy",
    "Hessian of f(x) = -sum x_i ln x_i", "hessian", ["x"],
    lambda rng: [Case((rng.uniform(0.1, 2.0, size=d),), f"d = {d}") for d in (2, 3, 4)],
    lambda x: np.diag(-1 / x),
    hints=[("log", lambda x: np.diag(-np.log(x) - 1),
            "That is diag of the gradient; differentiate once more: d/dx (-(ln x + 1)) = -1/x.")])

_ex("hessians/polynomial", "hess_polynomial",
    "Hessian of f(x) = x1^3 x2^2 - 3 x1 x2^3 + 1", "hessian", ["x"],
    lambda rng: [Case((rng.normal(size=2),), "random x") for _ in range(3)],
    lambda x: np.array([[6 * x[0] * x[1] ** 2, 6 * x[0] ** 2 * x[1] - 9 * x[1] ** 2],
                        [6 * x[0] ** 2 * x[1] - 9 * x[1] ** 2, 2 * x[0] ** 3 - 18 * x[0] * x[1]]]))

_ex("hessians/second-order-chain", "d2h",
    "h''(x) for h(x) = exp(sin x)", "derivative", ["x"],
    _points(-1.0, 0.3, 1.2, 2.4),
    lambda x: np.exp(np.sin(x)) * (np.cos(x) ** 2 - np.sin(x)),
    hints=[],
    terms=lambda x: {"f''(g) g'^2": np.exp(np.sin(x)) * np.cos(x) ** 2,
                     "f'(g) g''": -np.exp(np.sin(x)) * np.sin(x)})

_ex("hessians/pca-objective", "grad_pca_objective",
    "gradient of f(x) = x^T A x - lam (x^T x - 1)", "gradient",
    ["x", "A", "lam"],
    lambda rng: [Case(c.args + (lam,), c.label, c.tags) for c, lam in
                 zip(_xA_cases(rng), (0.7, -1.3, 2.0, 0.4), strict=True)],
    lambda x, A, lam: (A + A.T) @ x - 2 * lam * x,
    hints=[("symmetric-only", lambda x, A, lam: 2 * A @ x - 2 * lam * x,
            "2 A x - 2 lam x is right only for symmetric A: the gradient of x^T A x is "
            "(A + A^T) x.")],
    terms=lambda x, A, lam: {"(A + A^T) x": (A + A.T) @ x, "-2 lam x": -2 * lam * x})

_ex("hessians/rayleigh-max", "max_on_sphere",
    "max of x^T A x over unit vectors x", "estimate", ["A"],
    lambda rng: [Case((_nonsym(rng, d),), f"non-symmetric {d} x {d}") for d in (3, 4, 2)],
    lambda A: np.max(np.linalg.eigvalsh((A + A.T) / 2)),
    hints=[("eig-of-A", lambda A: np.max(np.linalg.eigvals(A).real),
            "The eigenvalues of a non-symmetric A do not bound x^T A x; x^T A x = x^T S x with "
            "the symmetric part S = (A + A^T)/2, so the maximum is the largest eigenvalue of S.")])

_ex("hessians/newton-step", "newton_step",
    "one Newton step for f(x) = sum exp(x_i) - b^T x + x^T x / 2",
    "estimate", ["x", "b"],
    lambda rng: [Case((rng.normal(size=d), rng.normal(size=d)), f"d = {d}") for d in (2, 3, 5)],
    lambda x, b: x - (np.exp(x) - b + x) / (np.exp(x) + 1),
    hints=[("gradient-step", lambda x, b: x - (np.exp(x) - b + x),
            "That is a gradient step with step size 1; Newton divides by the Hessian: "
            "x - H^{-1} grad f."),
           ("wrong-sign", lambda x, b: x + (np.exp(x) - b + x) / (np.exp(x) + 1),
            "Newton's step goes against the gradient: x_new = x - H^{-1} grad f.")])

# ------------------------------------------------------------------------------------------------
# matrix_derivatives
# ------------------------------------------------------------------------------------------------
_ex("matrix_derivatives/a-X-b", "grad_a_X_b",
    "gradient of f(X) = a^T X b", "gradient", ["X", "a", "b"],
    lambda rng: [Case((rng.normal(size=(m, n)), rng.normal(size=m), rng.normal(size=n)),
                      f"X is {m} x {n}") for m, n in ((2, 3), (4, 2), (3, 3))],
    lambda X, a, b: np.outer(a, b))

_ex("matrix_derivatives/a-Xt-b", "grad_a_Xt_b",
    "gradient of f(X) = a^T X^T b", "gradient", ["X", "a", "b"],
    lambda rng: [Case((rng.normal(size=(m, n)), rng.normal(size=n), rng.normal(size=m)),
                      f"X is {m} x {n}") for m, n in ((2, 3), (4, 2), (3, 3))],
    lambda X, a, b: np.outer(b, a))

_ex("matrix_derivatives/trace-AtX", "grad_trace_AtX",
    "gradient of f(X) = tr(A^T X)", "gradient", ["X", "A"],
    lambda rng: [Case((rng.normal(size=(n, n)), _nonsym(rng, n)), f"{n} x {n}")
                 for n in (2, 3, 4)],
    lambda X, A: np.array(A, dtype=float),
    hints=[("transposed", lambda X, A: np.array(A.T, dtype=float),
            "tr(A^T X) = sum_ij A_ij X_ij, so the gradient is A itself, not A^T.")])

_ex("matrix_derivatives/trace-XtAX", "grad_trace_XtAX",
    "gradient of f(X) = tr(X^T A X)", "gradient", ["X", "A"],
    lambda rng: [Case((rng.normal(size=(n, k)), A), lab, tags) for n, k, A, lab, tags in (
        (3, 2, _nonsym(rng, 3), "X is 3 x 2, A non-symmetric", frozenset()),
        (2, 4, _sym(rng, 2), "X is 2 x 4, A symmetric", frozenset({"symmetric"})),
        (4, 3, _nonsym(rng, 4), "X is 4 x 3, A non-symmetric", frozenset()))],
    lambda X, A: (A + A.T) @ X,
    hints=[("symmetric-only", lambda X, A: 2 * A @ X,
            "2 A X is right only for symmetric A: tr(X^T A X) has gradient (A + A^T) X.")])

_ex("matrix_derivatives/trace-AXBXt", "grad_trace_AXBXt",
    "gradient of f(X) = tr(A X B X^T)", "gradient",
    ["X", "A", "B"],
    lambda rng: [Case((rng.normal(size=(n, m)), _nonsym(rng, n), _nonsym(rng, m)),
                      f"X is {n} x {m}") for n, m in ((3, 2), (2, 4), (3, 3))],
    lambda X, A, B: A.T @ X @ B.T + A @ X @ B,
    terms=lambda X, A, B: {"A^T X B^T": A.T @ X @ B.T, "A X B": A @ X @ B})

_ex("matrix_derivatives/frobenius-fit", "grad_frobenius_fit",
    "gradient of f(X) = ||A X - B||_F^2", "gradient",
    ["X", "A", "B"],
    lambda rng: [Case((rng.normal(size=(n, k)), rng.normal(size=(m, n)),
                       rng.normal(size=(m, k))), f"A is {m} x {n}, X is {n} x {k}")
                 for m, n, k in ((4, 3, 2), (2, 3, 3), (3, 2, 4))],
    lambda X, A, B: 2 * A.T @ (A @ X - B))

_ex("matrix_derivatives/factorization-U", "grad_U",
    "gradient in U of ||X - U V||_F^2", "gradient",
    ["U", "V", "X"],
    lambda rng: [Case((rng.normal(size=(m, r)), rng.normal(size=(r, n)),
                       rng.normal(size=(m, n))), f"X is {m} x {n}, rank {r}")
                 for m, n, r in ((4, 3, 2), (3, 5, 1), (3, 3, 2))],
    lambda U, V, X: -2 * (X - U @ V) @ V.T,
    hints=[("sign", lambda U, V, X: 2 * (X - U @ V) @ V.T,
            "The inner derivative of X - U V in U carries a minus sign: -2 (X - U V) V^T.")])

_ex("matrix_derivatives/factorization-V", "grad_V",
    "gradient in V of ||X - U V||_F^2", "gradient",
    ["U", "V", "X"],
    lambda rng: [Case((rng.normal(size=(m, r)), rng.normal(size=(r, n)),
                       rng.normal(size=(m, n))), f"X is {m} x {n}, rank {r}")
                 for m, n, r in ((4, 3, 2), (3, 5, 1), (3, 3, 2))],
    lambda U, V, X: -2 * U.T @ (X - U @ V))


def _inv_cases(rng):
    out = []
    for n in (2, 3, 4):
        X = rng.normal(size=(n, n)) + n * np.eye(n) + np.triu(np.ones((n, n)), 1)
        out.append(Case((X,), f"{n} x {n}, non-symmetric"))
    return out


_ex("matrix_derivatives/log-det", "grad_log_det",
    "gradient of f(X) = log |det X|", "gradient", ["X"],
    _inv_cases, lambda X: np.linalg.inv(X).T,
    hints=[("no-transpose", lambda X: np.linalg.inv(X),
            "d log|det X| = tr(X^{-1} dX), so the gradient is (X^{-1})^T = X^{-T}, not X^{-1}.")])

_ex("matrix_derivatives/det", "grad_det",
    "gradient of f(X) = det X", "gradient", ["X"],
    _inv_cases, lambda X: np.linalg.det(X) * np.linalg.inv(X).T,
    hints=[("no-transpose", lambda X: np.linalg.det(X) * np.linalg.inv(X),
            "d det X = det(X) tr(X^{-1} dX), so the gradient is det(X) X^{-T}, with the "
            "transpose.")])

_ex("matrix_derivatives/trace-inverse", "grad_trace_inverse",
    "gradient of f(X) = tr(A X^{-1})", "gradient",
    ["X", "A"],
    lambda rng: [Case(c.args + (_nonsym(rng, c.args[0].shape[0]),), c.label)
                 for c in _inv_cases(rng)],
    lambda X, A: -(np.linalg.inv(X) @ A @ np.linalg.inv(X)).T,
    hints=[("no-transpose", lambda X, A: -np.linalg.inv(X) @ A @ np.linalg.inv(X),
            "d tr(A X^{-1}) = -tr(X^{-1} A X^{-1} dX), so the gradient is the transpose "
            "-(X^{-1} A X^{-1})^T.")])

# ------------------------------------------------------------------------------------------------
# activations
# ------------------------------------------------------------------------------------------------


def _relu_cases(rng):
    out = []
    for d, sign in ((3, 1), (4, -1), (2, 1), (5, -1)):
        w, x = rng.normal(size=d), rng.normal(size=d)
        if np.sign(w @ x) != sign:
            w = -w
        if abs(w @ x) < 0.1:
            w = w + sign * 0.2 * x / (x @ x)
        out.append(Case((w, x), f"d = {d}, w^T x {'> 0' if sign > 0 else '< 0'}"))
    return out


_ex("activations/relu-of-linear-w", "grad_relu_in_w",
    "gradient in w of ReLU(w^T x)", "gradient", ["w", "x"],
    _relu_cases, lambda w, x: (w @ x > 0) * np.array(x, dtype=float),
    hints=[("no-indicator", lambda w, x: np.array(x, dtype=float),
            "That is right only where w^T x > 0; where w^T x < 0 ReLU is flat and the gradient "
            "is 0: 1[w^T x > 0] x.")])

_ex("activations/relu-of-linear-x", "grad_relu_in_x",
    "gradient in x of ReLU(w^T x)", "gradient", ["x", "w"],
    lambda rng: [Case((c.args[1], c.args[0]), c.label) for c in _relu_cases(rng)],
    lambda x, w: (w @ x > 0) * np.array(w, dtype=float),
    hints=[("no-indicator", lambda x, w: np.array(w, dtype=float),
            "That is right only where w^T x > 0; where w^T x < 0 the gradient is 0: "
            "1[w^T x > 0] w."),
           ("wrong-variable", lambda x, w: (w @ x > 0) * np.array(x, dtype=float),
            "The variable is x here, so the inner gradient of w^T x is w, not x.")])

_ex("activations/tanh", "dtanh",
    "tanh'(z), elementwise", "derivative", ["z"],
    lambda rng: [Case((rng.normal(size=d) * 2,), f"d = {d}") for d in (3, 5)],
    lambda z: 1 - np.tanh(z) ** 2,
    hints=[("sigmoid-form", lambda z: np.tanh(z) * (1 - np.tanh(z)),
            "tanh(z)(1 - tanh(z)) is the sigmoid's pattern; for tanh it is 1 - tanh(z)^2.")])

_ex("activations/softplus", "dsoftplus",
    "softplus'(z) for softplus(z) = log(1 + e^z)", "derivative", ["z"],
    lambda rng: [Case((rng.normal(size=d) * 3,), f"d = {d}") for d in (3, 6)],
    lambda z: sigmoid(z),
    hints=[("sigmoid-of-minus", lambda z: sigmoid(-z),
            "e^z / (1 + e^z) = 1 / (1 + e^{-z}) = sigma(z), not sigma(-z).")])

_ex("activations/elu", "delu",
    "ELU'(z) with parameter alpha (z != 0)", "derivative", ["z", "alpha"],
    lambda rng: [Case((_nonzero_vec(rng, d) * 2, a), f"d = {d}, alpha = {a}")
                 for d, a in ((4, 1.0), (6, 0.5), (5, 2.0))],
    lambda z, alpha: np.where(z > 0, 1.0, alpha * np.exp(np.minimum(z, 0))),
    hints=[("exp-everywhere", lambda z, alpha: alpha * np.exp(z),
            "alpha e^z is the derivative for z < 0 only; for z > 0 ELU is z and its derivative "
            "is 1.")])

_ex("activations/softmax-jacobian", "jac_softmax",
    "Jacobian of softmax(z)", "jacobian", ["z"],
    lambda rng: [Case((rng.normal(size=d),), f"d = {d}") for d in (3, 4, 2)],
    lambda z: np.diag(softmax(z)) - np.outer(softmax(z), softmax(z)),
    hints=[("diagonal-only", lambda z: np.diag(softmax(z) * (1 - softmax(z))),
            "Every output s_i depends on every z_j (through the normalising sum), so the "
            "off-diagonal entries -s_i s_j are not zero: J = diag(s) - s s^T.")])

_ex("activations/logsumexp-grad", "grad_lse",
    "gradient of logsumexp(z) (also for large z)", "gradient",
    ["z"],
    lambda rng: [Case((rng.normal(size=3),), "d = 3"),
                 Case((rng.normal(size=4) * 3 + 800,), "d = 4, entries near 800"),
                 Case((rng.normal(size=5) - 900,), "d = 5, entries near -900")],
    lambda z: softmax(z),
    hints=[("no-normalise", lambda z: np.exp(z - np.max(z)),
            "Subtracting max(z) is right, but the result must still be divided by its sum: "
            "softmax(z) = e^{z - m} / sum e^{z - m}.")])

_ex("activations/log-softmax-jacobian", "jac_log_softmax",
    "Jacobian of log softmax(z)", "jacobian", ["z"],
    lambda rng: [Case((rng.normal(size=d),), f"d = {d}") for d in (3, 4)],
    lambda z: np.eye(len(z)) - np.outer(np.ones(len(z)), softmax(z)))

# ------------------------------------------------------------------------------------------------
# losses
# ------------------------------------------------------------------------------------------------


def _py(rng, n):
    return rng.normal(size=n), rng.normal(size=n)


_ex("losses/mse-grad", "grad_mse",
    "gradient in p of mean((p - y)^2)", "gradient", ["p", "y"],
    lambda rng: [Case(_py(rng, n), f"n = {n}") for n in (3, 5, 8)],
    lambda p, y: 2 * (p - y) / len(p),
    n_samples=lambda p, y: len(p))

_ex("losses/mae-grad", "grad_mae",
    "gradient in p of mean(|p - y|) (p_i != y_i)", "gradient", ["p", "y"],
    lambda rng: [Case(_py(rng, n), f"n = {n}") for n in (3, 5, 8)],
    lambda p, y: np.sign(p - y) / len(p),
    n_samples=lambda p, y: len(p))


def _labels01(rng, n):
    y = (rng.uniform(size=n) < 0.5).astype(float)
    y[0], y[1] = 0.0, 1.0
    return y


_ex("losses/bce-logits", "grad_bce",
    "gradient in z of mean BCE(sigma(z), y), y in {0, 1}", "gradient",
    ["z", "y"],
    lambda rng: [Case((rng.normal(size=n) * 2, _labels01(rng, n)), f"n = {n}")
                 for n in (4, 6, 9)],
    lambda z, y: (sigmoid(z) - y) / len(z),
    hints=[("sign", lambda z, y: (y - sigmoid(z)) / len(z),
            "The gradient of the loss is (sigma(z) - y)/n: prediction minus target.")],
    n_samples=lambda z, y: len(z))


def _onehot(rng, k):
    y = np.zeros(k)
    y[rng.integers(k)] = 1.0
    return y


_ex("losses/softmax-ce-logits", "grad_ce",
    "gradient in z of -log softmax(z)_c (y one-hot)", "gradient",
    ["z", "y"],
    lambda rng: [Case((rng.normal(size=k), _onehot(rng, k)), f"k = {k}") for k in (3, 4, 6)],
    lambda z, y: softmax(z) - y,
    hints=[("sign", lambda z, y: y - softmax(z),
            "The gradient is softmax(z) - y (prediction minus target), not y - softmax(z).")])


def _ce_cases(rng):
    out = []
    for n, d, k in ((5, 3, 4), (6, 2, 3), (4, 4, 2)):
        Y = np.zeros((n, k))
        Y[np.arange(n), rng.integers(k, size=n)] = 1.0
        out.append(Case((rng.normal(size=(d, k)), rng.normal(size=(n, d)), Y),
                        f"X is {n} x {d}, W is {d} x {k}"))
    return out


_ex("losses/softmax-ce-matrix", "grad_ce_W",
    "gradient in W of mean softmax cross-entropy of X W",
    "gradient", ["W", "X", "Y"], _ce_cases,
    lambda W, X, Y: X.T @ (softmax(X @ W, axis=1) - Y) / X.shape[0],
    n_samples=lambda W, X, Y: X.shape[0])


def _pm1(rng, n):
    y = np.where(rng.uniform(size=n) < 0.5, -1.0, 1.0)
    y[0], y[1] = -1.0, 1.0
    return y


def _hinge_cases(rng):
    out = []
    for n in (5, 7, 9):
        y = _pm1(rng, n)
        p = rng.normal(size=n) * 1.5
        p = np.where(np.abs(1 - y * p) < 0.05, p + 0.2, p)
        out.append(Case((p, y), f"n = {n}"))
    return out


_ex("losses/hinge", "grad_hinge",
    "gradient in p of mean max(0, 1 - y p), y in {-1, +1}", "gradient",
    ["p", "y"], _hinge_cases,
    lambda p, y: np.where(y * p < 1, -y, 0.0) / len(p),
    hints=[("no-indicator", lambda p, y: -y / len(p),
            "Points with margin y p > 1 contribute nothing: max(0, .) is flat there. Keep "
            "-y_i/n only where y_i p_i < 1.")],
    n_samples=lambda p, y: len(p))

_ex("losses/logistic-pm1", "grad_logistic",
    "gradient in z of mean log(1 + exp(-y z)), y in {-1, +1}",
    "gradient", ["z", "y"],
    lambda rng: [Case((rng.normal(size=n) * 2, _pm1(rng, n)), f"n = {n}") for n in (4, 6)],
    lambda z, y: -y * sigmoid(-y * z) / len(z),
    hints=[("zero-one-formula", lambda z, y: (sigmoid(z) - y) / len(z),
            "(sigma(z) - y)/n is the formula for labels in {0, 1}; with y in {-1, +1} the "
            "gradient is -y sigma(-y z)/n.")],
    n_samples=lambda z, y: len(z))

# ------------------------------------------------------------------------------------------------
# linear_models
# ------------------------------------------------------------------------------------------------


def _reg_cases(rng, shapes=((6, 3), (8, 2), (5, 4))):
    return [Case((rng.normal(size=d), rng.normal(size=(n, d)), rng.normal(size=n)),
                 f"X is {n} x {d}") for n, d in shapes]


_ex("linear_models/regression-objective", "grad_regression",
    "gradient of f(w) = 1/2 sum (w^T x_i - y_i)^2",
    "gradient", ["w", "X", "y"], _reg_cases,
    lambda w, X, y: X.T @ (X @ w - y),
    hints=[("sign", lambda w, X, y: X.T @ (y - X @ w),
            "The residual is w^T x_i - y_i, so the gradient is X^T (X w - y); X^T (y - X w) "
            "points uphill the other way.")],
    n_samples=lambda w, X, y: len(y))

_ex("linear_models/normal-equations", "ols",
    "the least-squares weights (X^T X)^{-1} X^T y",
    "estimate", ["X", "y"],
    lambda rng: [Case(c.args[1:], c.label) for c in _reg_cases(rng)],
    lambda X, y: np.linalg.solve(X.T @ X, X.T @ y),
    hints=[("no-inverse", lambda X, y: X.T @ y,
            "X^T y is only the right-hand side of the normal equations X^T X w = X^T y; solve "
            "them: np.linalg.solve(X.T @ X, X.T @ y).")])

_ex("linear_models/ridge-fit", "ridge",
    "the ridge weights (X^T X + lam I)^{-1} X^T y", "estimate",
    ["X", "y", "lam"],
    lambda rng: [Case(c.args[1:] + (lam,), c.label + f", lam = {lam}")
                 for c, lam in zip(_reg_cases(rng), (0.5, 2.0, 0.1), strict=True)],
    lambda X, y, lam: np.linalg.solve(X.T @ X + lam * np.eye(X.shape[1]), X.T @ y),
    hints=[("broadcast-lam", lambda X, y, lam: np.linalg.solve(X.T @ X + lam, X.T @ y),
            "X.T @ X + lam adds lam to every entry (NumPy broadcasting); the penalty adds lam to "
            "the diagonal only: X.T @ X + lam * np.eye(d).")])


def _logreg_cases(rng):
    return [Case((rng.normal(size=d) * 0.5, rng.normal(size=(n, d)), _labels01(rng, n)),
                 f"X is {n} x {d}") for n, d in ((6, 3), (8, 2), (5, 4))]


_ex("linear_models/logreg-grad", "grad_logreg",
    "gradient of the logistic regression NLL sum_i -y_i log s_i - (1 - y_i) log(1 - s_i)",
    "gradient", ["w", "X", "y"], _logreg_cases,
    lambda w, X, y: X.T @ (sigmoid(X @ w) - y),
    hints=[("sign", lambda w, X, y: X.T @ (y - sigmoid(X @ w)),
            "X^T (y - sigma(X w)) is the gradient of the log-likelihood; the negative "
            "log-likelihood has X^T (sigma(X w) - y).")],
    n_samples=lambda w, X, y: len(y))

_ex("linear_models/logreg-hessian", "hess_logreg",
    "Hessian of the logistic regression NLL", "hessian",
    ["w", "X", "y"], _logreg_cases,
    lambda w, X, y: X.T @ (X * (sigmoid(X @ w) * (1 - sigmoid(X @ w)))[:, None]),
    hints=[("sigma-only", lambda w, X, y: X.T @ (X * sigmoid(X @ w)[:, None]),
            "The weights are the derivative of sigma: D = diag(s_i (1 - s_i)), not diag(s_i)."),
           ("sign", lambda w, X, y: -X.T @ (X * (sigmoid(X @ w)
                                                 * (1 - sigmoid(X @ w)))[:, None]),
            "The NLL is convex: its Hessian X^T D X is positive semidefinite, with a plus sign.")],
    n_samples=lambda w, X, y: len(y))


def _svm_cases(rng):
    out = []
    for n, d in ((6, 3), (8, 2), (7, 4)):
        X, y, w = rng.normal(size=(n, d)), _pm1(rng, n), rng.normal(size=d) * 2.0
        m = y * (X @ w)
        X = np.where((np.abs(1 - m) < 0.05)[:, None], X * 1.3, X)
        out.append(Case((w, X, y), f"X is {n} x {d}"))
    return out


_ex("linear_models/svm-objective", "grad_svm",
    "gradient of f(w) = sum ReLU(1 - y_i x_i^T w)", "gradient",
    ["w", "X", "y"], _svm_cases,
    lambda w, X, y: -X.T @ (y * (y * (X @ w) < 1)),
    hints=[("no-indicator", lambda w, X, y: -X.T @ y,
            "Only the samples with margin y_i x_i^T w < 1 contribute: ReLU is flat where its "
            "argument is negative.")],
    n_samples=lambda w, X, y: len(y))

_ex("linear_models/soft-threshold", "soft_threshold",
    "the soft-thresholding operator S_t(z)", "estimate",
    ["z", "t"],
    lambda rng: [Case((rng.normal(size=n) * 2, t), f"n = {n}, t = {t}")
                 for n, t in ((6, 0.5), (8, 1.0), (5, 0.3))],
    lambda z, t: np.sign(z) * np.maximum(np.abs(z) - t, 0.0),
    hints=[("no-clip", lambda z, t: z - t * np.sign(z),
            "Entries with |z_i| <= t must become exactly 0: S_t(z) = sign(z) max(|z| - t, 0)."),
           ("hard-threshold", lambda z, t: np.where(np.abs(z) > t, z, 0.0),
            "That is hard thresholding (keep or kill); soft thresholding also shrinks the "
            "survivors by t.")])

_ex("linear_models/regularised-logreg-grad", "grad_regularised_logreg",
    "gradient of the L2-regularised logistic NLL (+ lam/2 ||w||^2)", "gradient",
    ["w", "X", "y", "lam"],
    lambda rng: [Case(c.args + (lam,), c.label + f", lam = {lam}")
                 for c, lam in zip(_logreg_cases(rng), (0.5, 1.5, 3.0), strict=True)],
    lambda w, X, y, lam: X.T @ (sigmoid(X @ w) - y) + lam * w,
    terms=lambda w, X, y, lam: {"X^T (sigma(X w) - y)": X.T @ (sigmoid(X @ w) - y),
                                "lam w": lam * w})

# ------------------------------------------------------------------------------------------------
# likelihood
# ------------------------------------------------------------------------------------------------
_ex("likelihood/gaussian-mean", "d_loglik_gaussian",
    "d/dmu of the Gaussian log-likelihood", "derivative",
    ["mu", "x", "sigma2"],
    lambda rng: [Case((mu, rng.normal(size=n) * 2 + 1, s2), f"n = {n}, mu = {mu}, "
                      f"sigma2 = {s2}") for n, mu, s2 in ((5, 0.3, 1.0), (8, -1.0, 2.5),
                                                          (4, 2.0, 0.5))],
    lambda mu, x, sigma2: np.sum(x - mu) / sigma2,
    hints=[("sign", lambda mu, x, sigma2: np.sum(mu - x) / sigma2,
            "d/dmu of -(x_i - mu)^2/(2 sigma^2) is +(x_i - mu)/sigma^2: the two minus signs "
            "cancel.")],
    n_samples=lambda mu, x, sigma2: len(x))

_ex("likelihood/exponential-rate", "d_loglik_exponential",
    "d/dlam of sum log(lam e^{-lam x_i}) (exponential)",
    "derivative", ["lam", "x"],
    lambda rng: [Case((lam, rng.exponential(1 / lam0, size=n)), f"n = {n}, lam = {lam}")
                 for n, lam, lam0 in ((5, 0.8, 1.0), (9, 2.0, 1.5), (4, 0.5, 0.7))],
    lambda lam, x: len(x) / lam - np.sum(x),
    hints=[("poisson", lambda lam, x: np.sum(x) / lam - len(x),
            "sum x_i / lam - n is the derivative of the Poisson log-likelihood. This function is "
            "the exponential distribution (density lam e^{-lam x}, mislabelled 'Poisson' in the "
            "source notes): n/lam - sum x_i.")],
    terms=lambda lam, x: {"n/lam": len(x) / lam + 0 * lam, "-sum x_i": -np.sum(x) + 0 * lam})

_ex("likelihood/bernoulli", "d_loglik_bernoulli",
    "d/dp of sum log(p^a_i (1 - p)^(1 - a_i))", "derivative",
    ["p", "a"],
    lambda rng: [Case((p, _labels01(rng, n)), f"n = {n}, p = {p}")
                 for n, p in ((6, 0.3), (9, 0.7), (5, 0.5))],
    lambda p, a: np.sum(a) / p - np.sum(1 - a) / (1 - p),
    hints=[("sign", lambda p, a: np.sum(a) / p + np.sum(1 - a) / (1 - p),
            "d/dp log(1 - p) = -1/(1 - p): the second term has a minus sign.")],
    terms=lambda p, a: {"sum a_i / p": np.sum(a) / p,
                        "-sum (1 - a_i)/(1 - p)": -np.sum(1 - a) / (1 - p)})

_ex("likelihood/uniform", "grad_loglik_uniform",
    "gradient in v = (a, b) of sum log(1/(b - a))", "gradient",
    ["v", "n"],
    lambda rng: [Case((np.array([a, b]), n), f"a = {a}, b = {b}, n = {n}")
                 for a, b, n in ((0.0, 2.0, 5), (-1.5, 0.5, 8), (1.0, 4.0, 3))],
    lambda v, n: np.array([n / (v[1] - v[0]), -n / (v[1] - v[0])]),
    n_samples=lambda v, n: n)

_ex("likelihood/exponential-mle", "mle_rate",
    "the MLE of the exponential rate lam", "estimate", ["x"],
    lambda rng: [Case((rng.exponential(s, size=n),), f"n = {n}")
                 for n, s in ((6, 1.0), (10, 0.4), (4, 2.5))],
    lambda x: 1 / np.mean(x),
    hints=[("mean", lambda x: np.mean(x),
            "The sample mean estimates the mean 1/lam; the rate's MLE is its reciprocal, "
            "n / sum x_i.")])

_ex("likelihood/bernoulli-mle", "mle_p",
    "the MLE of the Bernoulli p", "estimate", ["a"],
    lambda rng: [Case((_labels01(rng, n),), f"n = {n}") for n in (6, 9, 13)],
    lambda a: np.mean(a),
    hints=[("sum", lambda a: np.sum(a),
            "That is the number of ones; divide by n: p = sum a_i / n.")],
    n_samples=lambda a: len(a))

_ex("likelihood/uniform-mle", "mle_interval",
    "the MLE (a, b) of a uniform distribution", "estimate", ["x"],
    lambda rng: [Case((rng.uniform(lo, hi, size=n),), f"n = {n}")
                 for n, lo, hi in ((6, 0, 1), (9, -2, 3), (5, 1, 1.5))],
    lambda x: np.array([np.min(x), np.max(x)]),
    hints=[("first-last", lambda x: np.array([x[0], x[-1]]),
            "The data are not sorted: the likelihood (b - a)^{-n} is largest for the shortest "
            "interval containing every sample: a = min x_i, b = max x_i.")])

_ex("likelihood/gaussian-map-mean", "map_mean",
    "MAP of a Gaussian mean with prior N(mu0, tau2)",
    "estimate", ["x", "sigma2", "mu0", "tau2"],
    lambda rng: [Case((rng.normal(size=n) + 1, s2, m0, t2), f"n = {n}")
                 for n, s2, m0, t2 in ((5, 1.0, 0.0, 0.5), (10, 2.0, 3.0, 1.0),
                                       (3, 0.5, -1.0, 4.0))],
    lambda x, sigma2, mu0, tau2: (tau2 * np.sum(x) + sigma2 * mu0) / (len(x) * tau2 + sigma2),
    hints=[("mle", lambda x, sigma2, mu0, tau2: np.mean(x),
            "That is the MLE; the prior pulls the estimate towards mu0: "
            "(tau2 sum x_i + sigma2 mu0) / (n tau2 + sigma2).")])

# ------------------------------------------------------------------------------------------------
# backprop
# ------------------------------------------------------------------------------------------------
_ex("backprop/dense-weight-grad", "grad_dense_W",
    "dL/dW for z = W x + b, given g = dL/dz", "gradient",
    ["g", "x"],
    lambda rng: [Case((rng.normal(size=m), rng.normal(size=n)), f"W is {m} x {n}")
                 for m, n in ((3, 2), (2, 4), (3, 3))],
    lambda g, x: np.outer(g, x))

_ex("backprop/dense-input-grad", "grad_dense_x",
    "dL/dx for z = W x + b, given g = dL/dz", "gradient",
    ["g", "W"],
    lambda rng: [Case((rng.normal(size=m), rng.normal(size=(m, n))), f"W is {m} x {n}")
                 for m, n in ((3, 2), (2, 4), (3, 3))],
    lambda g, W: W.T @ g)


def _layer_cases(rng):
    return [Case((rng.normal(size=m), rng.normal(size=n), rng.normal(size=(m, n)),
                  rng.normal(size=m)), f"W is {m} x {n}") for m, n in ((3, 2), (2, 4), (4, 4))]


_ex("backprop/sigmoid-layer", "grad_sigmoid_layer_W",
    "dL/dW for y = sigma(W x + b), given g = dL/dy", "gradient",
    ["g", "x", "W", "b"], _layer_cases,
    lambda g, x, W, b: np.outer(g * sigmoid(W @ x + b) * (1 - sigmoid(W @ x + b)), x),
    hints=[("skipped-activation", lambda g, x, W, b: np.outer(g, x),
            "g x^T skips the sigmoid: first pull g back through it, "
            "delta = g * sigma'(W x + b), then dL/dW = delta x^T.")])


def _mlp_cases(rng):
    out = []
    for n, h, k in ((3, 4, 2), (2, 3, 3), (4, 2, 1)):
        out.append(Case((rng.normal(size=n), rng.normal(size=k), rng.normal(size=(h, n)),
                         rng.normal(size=h), rng.normal(size=(k, h)), rng.normal(size=k)),
                        f"x in R^{n}, {h} hidden units, {k} outputs"))
    return out


def _mlp(x, t, W1, b1, W2, b2):
    a = W1 @ x + b1
    hid = np.tanh(a)
    r = W2 @ hid + b2 - t
    delta1 = (W2.T @ r) * (1 - hid**2)
    return hid, r, delta1


_ex("backprop/mlp-W2", "grad_W2",
    "dL/dW2 for L = 1/2 ||W2 tanh(W1 x + b1) + b2 - t||^2", "gradient",
    ["x", "t", "W1", "b1", "W2", "b2"], _mlp_cases,
    lambda x, t, W1, b1, W2, b2: np.outer(_mlp(x, t, W1, b1, W2, b2)[1],
                                          _mlp(x, t, W1, b1, W2, b2)[0]))

_ex("backprop/mlp-W1", "grad_W1",
    "dL/dW1 for L = 1/2 ||W2 tanh(W1 x + b1) + b2 - t||^2", "gradient",
    ["x", "t", "W1", "b1", "W2", "b2"], _mlp_cases,
    lambda x, t, W1, b1, W2, b2: np.outer(_mlp(x, t, W1, b1, W2, b2)[2], x),
    hints=[("skipped-tanh", lambda x, t, W1, b1, W2, b2: np.outer(
        W2.T @ _mlp(x, t, W1, b1, W2, b2)[1], x),
        "W2^T r must also pass back through tanh: multiply by 1 - tanh(W1 x + b1)^2 "
        "elementwise before the outer product with x.")])

_ex("backprop/softmax-vjp", "vjp_softmax",
    "v^T J for J the softmax Jacobian, without forming J", "gradient",
    ["z", "v"],
    lambda rng: [Case((rng.normal(size=d), rng.normal(size=d)), f"d = {d}") for d in (3, 5, 2)],
    lambda z, v: softmax(z) * (v - np.dot(v, softmax(z))),
    hints=[("diagonal-only", lambda z, v: v * softmax(z) * (1 - softmax(z)),
            "That uses the diagonal of J only; J = diag(s) - s s^T, so "
            "v^T J = s * (v - v^T s).")])


def _batch_cases(rng):
    return [Case((rng.normal(size=(n, d)), rng.normal(size=(d, k)), rng.normal(size=(n, k))),
                 f"X is {n} x {d}, W is {d} x {k}") for n, d, k in ((5, 3, 2), (4, 2, 3),
                                                                    (3, 3, 3))]


_ex("backprop/batch-weight-grad", "grad_batch_W",
    "dL/dW for Z = X W, given G = dL/dZ", "gradient",
    ["X", "W", "G"], _batch_cases, lambda X, W, G: X.T @ G)

_ex("backprop/batch-input-grad", "grad_batch_X",
    "dL/dX for Z = X W, given G = dL/dZ", "gradient",
    ["X", "W", "G"], _batch_cases, lambda X, W, G: G @ W.T)

# ------------------------------------------------------------------------------------------------
# checking_derivatives
# ------------------------------------------------------------------------------------------------


def _cubic(x):
    return x**3 - 2 * x


def _fd_cases(rng):
    return [Case((np.sin, 0.7, 1e-3), "f = sin, x = 0.7, h = 1e-3"),
            Case((np.exp, -0.4, 1e-2), "f = exp, x = -0.4, h = 1e-2"),
            Case((_cubic, 1.3, 1e-1), "f(x) = x^3 - 2x, x = 1.3, h = 0.1")]


_ex("checking_derivatives/forward-difference", "forward_diff",
    "the forward difference (f(x + h) - f(x))/h",
    "estimate", ["f", "x", "h"], _fd_cases,
    lambda f, x, h: (f(x + h) - f(x)) / h,
    hints=[("central", lambda f, x, h: (f(x + h) - f(x - h)) / (2 * h),
            "That is the central difference; the exercise asks for the forward difference "
            "(f(x + h) - f(x))/h.")],
    rtol=1e-9)

_ex("checking_derivatives/central-difference", "central_diff",
    "the central difference", "estimate",
    ["f", "x", "h"], _fd_cases,
    lambda f, x, h: (f(x + h) - f(x - h)) / (2 * h),
    hints=[("forward", lambda f, x, h: (f(x + h) - f(x)) / h,
            "That is the forward difference; the central one uses both sides: "
            "(f(x + h) - f(x - h)) / (2h).")],
    rtol=1e-9)


def _quartic(x):
    return np.sum(x**4) + x[0] * x[-1]


def _grad_cases(rng):
    return [Case((_quartic, rng.normal(size=3), 1e-5), "d = 3"),
            Case((np.linalg.norm, rng.normal(size=4), 1e-5), "f = norm, d = 4"),
            Case((_quartic, rng.normal(size=2), 1e-4), "d = 2")]


def _num_grad(f, x, h):
    g = np.zeros(len(x))
    for i in range(len(x)):
        e = np.zeros(len(x))
        e[i] = h
        g[i] = (f(x + e) - f(x - e)) / (2 * h)
    return g


_ex("checking_derivatives/numerical-gradient", "num_grad",
    "a central-difference gradient", "estimate",
    ["f", "x", "h"], _grad_cases, _num_grad,
    hints=[("one-step-for-all", lambda f, x, h: np.full(len(x), (f(x + h) - f(x - h)) / (2 * h)),
            "Perturb one coordinate at a time: x + h e_i, where e_i is the i-th unit vector, not "
            "x + h (which moves every coordinate).")])


def _dir_cases(rng):
    return [Case((_quartic, rng.normal(size=3), rng.normal(size=3), 1e-5), "d = 3"),
            Case((np.linalg.norm, rng.normal(size=4), rng.normal(size=4), 1e-5),
                 "f = norm, d = 4")]


_ex("checking_derivatives/directional", "dir_diff",
    "a central difference along a direction v",
    "estimate", ["f", "x", "v", "h"], _dir_cases,
    lambda f, x, v, h: (f(x + h * v) - f(x - h * v)) / (2 * h))

_ex("checking_derivatives/relative-error", "rel_error",
    "relative error ||a - b|| / (||a|| + ||b||)",
    "estimate", ["a", "b"],
    lambda rng: [Case((rng.normal(size=d), rng.normal(size=d)), f"d = {d}") for d in (3, 5)]
    + [Case((np.array([1.0, 2.0]), np.array([1.0, 2.0 + 1e-6])), "nearly equal")],
    lambda a, b: np.linalg.norm(a - b) / (np.linalg.norm(a) + np.linalg.norm(b)),
    hints=[("one-sided", lambda a, b: np.linalg.norm(a - b) / np.linalg.norm(a),
            "Divide by ||a|| + ||b||, not by ||a|| alone: the measure must not depend on which "
            "of the two you call the reference.")])

_ex("checking_derivatives/richardson", "richardson",
    "Richardson extrapolation (4 D(h/2) - D(h))/3",
    "estimate", ["f", "x", "h"], _fd_cases,
    lambda f, x, h: (4 * (f(x + h / 2) - f(x - h / 2)) / h - (f(x + h) - f(x - h)) / (2 * h))
    / 3,
    hints=[("average", lambda f, x, h: ((f(x + h / 2) - f(x - h / 2)) / h
                                        + (f(x + h) - f(x - h)) / (2 * h)) / 2,
            "Averaging D(h) and D(h/2) keeps the h^2 error; the weights 4/3 and -1/3 cancel it.")],
    rtol=1e-8)
