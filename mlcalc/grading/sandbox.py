"""Running the learner's function: a forked child, a thread, or (trusted code only) inline.

The learner's function runs on every test input in **one forked child process** (Linux), killed at
a time limit (``DEFAULT_TIMEOUT``, 5 s), so an infinite loop, a long BLAS call, a memory hog
(the child's address space is capped), a ``sys.exit()`` or a bare ``except:`` cannot freeze the
notebook. The inputs are read-only copies; printed output and warnings are captured (and
truncated); every ``BaseException`` is caught. Where ``fork`` is unavailable the function runs in
a thread of the notebook's own process with the same time limit, and the run carries a note
saying so (a runaway thread cannot be killed).

Each runner (:func:`_run_forked`, :func:`_run_threaded`, :func:`_run_inline`) takes the function,
the cases (objects with ``.args``) and the time limit, and returns a :class:`_Run`: per case
either the raised exception (name, message, the learner's line) or the returned value encoded
compactly and picklably (:func:`_encode`), whether the inputs were modified, the printed output,
the warnings, and where it timed out or how the child died. Judging the results is the job of
:mod:`mlcalc.grading.diagnosis`.

This module imports nothing from the rest of the package; frames of the package's own modules
are left out when the learner's line of an exception is looked up.
"""

from __future__ import annotations

import io
import linecache
import os
import sys
import sysconfig
import threading
import time
import traceback
import warnings
from dataclasses import dataclass, field

import numpy as np

DEFAULT_TIMEOUT = 5.0
_OUTPUT_CAP = 4000          # characters of printed output kept
_RESULT_CAP = 16 * 2**20    # bytes of one result sent back from the child
_MEMORY_HEADROOM = 3 * 2**30  # bytes of extra address space the child may use
_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))  # mlcalc/grading: not learner code


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
    """The deepest traceback frame in the learner's code (not in this package, numpy or the stdlib).

    The package's own frames include the runner and the catalogue's helpers that an exercise
    passes to the learner's function (such as the function to differentiate).
    """
    best = None
    for fr in traceback.extract_tb(tb):
        fn = fr.filename
        if os.path.abspath(fn).startswith(_PACKAGE_DIR + os.sep) or fn.startswith(_LIB_DIRS):
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


def _run_cases(fn, cases: list, emit) -> None:
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
