"""The child process of batch grading: it runs the learner's cells (each with a time budget,
under resource caps), restores ``mlcalc``, then runs every answer in the check cells' sandbox
and sends plain data back as JSON lines on its stdout. Started by
:func:`mlcalc.grading.batch.grade_submission` as
``python -I -c "from mlcalc.grading.batch_child import _child_entry; _child_entry()" JOB.json``."""

from __future__ import annotations

import ast
import base64
import builtins
import json
import linecache
import os
import signal
import sys

import numpy as np

from .batch_read import _calls_check
from .sandbox import (
    _MEMORY_HEADROOM,
    _CappedText,
    _learner_frame,
    _Run,
)
from .spec import EXERCISES, Exercise, _answer_owner, graded_callable

_FILE_SIZE_CAP = 64 * 2**20         # bytes: the largest file the child may write


# ================================================================================================
# the child: runs the learner's cells, then every answer in the check cells' sandbox
# ================================================================================================

class _CellTimeout(BaseException):
    pass


class _NoIPython:
    """``get_ipython()`` in the child: magics and shell lines do nothing."""

    def __getattr__(self, name):
        return lambda *a, **k: None


def _jsonable(x):
    if isinstance(x, np.ndarray):
        a = np.asarray(x, dtype="<f8")      # not ascontiguousarray: it makes 0-d arrays 1-d
        return {"nd": base64.b64encode(a.tobytes(order="C")).decode("ascii"),
                "shape": list(a.shape)}
    if isinstance(x, (tuple, list)):
        return [_jsonable(v) for v in x]
    if isinstance(x, np.bool_):
        return bool(x)
    if isinstance(x, np.integer):
        return int(x)
    if isinstance(x, np.floating):
        return float(x)
    return x


def _run_to_json(run: _Run) -> dict:
    return {"results": {str(i): _jsonable(r) for i, r in run.results.items()},
            "output": run.output, "warnings": [str(w) for w in run.warnings],
            "timed_out_at": run.timed_out_at, "crashed": run.crashed,
            "elapsed": float(run.elapsed), "note": run.note}


def _limit_resources(cpu_seconds: float) -> None:
    """Cap CPU time, address space, file size and core dumps (soft = hard: no way back up)."""
    try:
        import resource
    except ImportError:     # not on this system: the wall-clock limit still applies
        return

    def cap(which, value):
        try:
            soft, hard = resource.getrlimit(which)
            if hard != resource.RLIM_INFINITY:
                value = min(value, hard)
            resource.setrlimit(which, (value, value))
        except (ValueError, OSError):
            pass

    cap(resource.RLIMIT_CPU, max(1, int(cpu_seconds) + 1))
    cap(resource.RLIMIT_FSIZE, _FILE_SIZE_CAP)
    cap(resource.RLIMIT_CORE, 0)
    try:
        with open("/proc/self/status") as fh:
            vm = next((int(ln.split()[1]) * 1024 for ln in fh if ln.startswith("VmSize:")), 0)
    except OSError:
        vm = 0
    if vm:
        cap(resource.RLIMIT_AS, vm + _MEMORY_HEADROOM)


def _child_entry() -> None:
    """The child's main: ``python -c "...; _child_entry()" JOB.json`` (stdout is the channel)."""
    from . import sandbox

    channel = os.fdopen(os.dup(1), "w", encoding="utf-8")
    devnull = os.open(os.devnull, os.O_RDWR)
    os.dup2(devnull, 0)
    os.dup2(devnull, 1)

    def emit(obj):
        channel.write(json.dumps(obj) + "\n")
        channel.flush()

    with open(sys.argv[-1], encoding="utf-8") as fh:
        job = json.load(fh)
    _limit_resources(job["cpu_seconds"])
    runner = sandbox._run_forked if sandbox._fork_available() else sandbox._run_threaded
    # The state of mlcalc before the learner's code runs; restored before the answers run.
    saved = {name: (mod, dict(vars(mod))) for name, mod in list(sys.modules.items())
             if mod is not None and (name == "mlcalc" or name.startswith("mlcalc."))}
    ns = {"__name__": "__main__", "__builtins__": builtins, "get_ipython": _NoIPython}
    armed = [False]

    def on_alarm(signum, frame):
        if armed[0]:
            armed[0] = False
            raise _CellTimeout

    has_alarm = hasattr(signal, "setitimer")
    for cell in job["cells"]:
        number, src, budget = cell["number"], cell["code"], job["cell_timeout"]
        filename = f"<cell {number}>"
        linecache.cache[filename] = (len(src), None, src.splitlines(True), filename)
        out = _CappedText()
        status, message = "ok", ""
        try:
            tree = ast.parse(src, filename)
            tree.body = [s for s in tree.body if not _calls_check(s)]
            code = compile(tree, filename, "exec")
            sys.stdout = sys.stderr = out
            if has_alarm:
                signal.signal(signal.SIGALRM, on_alarm)
                armed[0] = True
                signal.setitimer(signal.ITIMER_REAL, budget)
            try:
                exec(code, ns)
            finally:
                armed[0] = False
                if has_alarm:
                    signal.setitimer(signal.ITIMER_REAL, 0)
        except _CellTimeout:
            status, message = "timeout", f"did not finish within {budget:g} s and was stopped"
        except BaseException as e:  # noqa: BLE001 - SystemExit, KeyboardInterrupt included
            lineno, line = _learner_frame(e.__traceback__)
            where = f" (line {lineno}: `{line}`)" if lineno and line else ""
            text = f": {str(e)[:200]}" if str(e) else ""
            status, message = "error", f"raised {type(e).__name__}{text}{where}"
        finally:
            sys.stdout, sys.stderr = sys.__stdout__, sys.__stderr__
        emit({"t": "cell", "number": number, "status": status, "message": message,
              "output": out.getvalue()})
    if has_alarm:
        signal.signal(signal.SIGALRM, signal.SIG_IGN)
    sink = _CappedText()
    sys.stdout = sys.stderr = sink
    for name, (mod, state) in saved.items():
        vars(mod).clear()
        vars(mod).update(state)
        sys.modules[name] = mod
    for ex_id in job["exercises"]:
        emit(_child_grade(EXERCISES[ex_id], ns, runner, job["timeout"]))
    emit({"t": "done"})
    channel.close()
    os._exit(0)


def _child_grade(ex: Exercise, ns: dict, runner, timeout: float) -> dict:
    """What the check cell would see before judging: the facts, and the run of the answer."""
    msg = {"t": "ex", "id": ex.id}
    if ex.answer not in ns:
        return {**msg, "state": "missing"}
    answer = ns[ex.answer]
    if answer is None or answer is Ellipsis:
        return {**msg, "state": "empty"}
    if not callable(answer):
        if ex.args:
            return {**msg, "state": "not-callable", "type": type(answer).__name__}

        def fn():
            return answer
    else:
        fn = answer
        try:
            name = getattr(answer, "__name__", None)
            if isinstance(name, str):
                msg["name"] = name
                if name != ex.answer and _answer_owner(name) is not None:
                    return {**msg, "state": "stale"}
            try:
                import inspect

                sig = inspect.signature(answer)
                sig.bind(*ex.args)
            except TypeError:
                return {**msg, "state": "signature", "signature": str(sig),
                        "shown_name": str(getattr(answer, "__name__", "f"))}
            except ValueError:
                pass
        except Exception:  # noqa: BLE001 - an odd callable: just run it, as check() would
            pass
    run = runner(graded_callable(ex, fn), ex.cases(), timeout)
    return {**msg, "state": "run", "run": _run_to_json(run)}
