"""Grading: run an answer in the sandbox, then judge it and say what is wrong with it.

``check(exercise_id, answer)`` grades an answer to one exercise and returns a
:class:`~mlcalc.grading.verdict.Verdict`; it never raises into the notebook.

0. Before it runs, the function is checked against the exercise. A function named like the
   answer to **another** exercise is not graded: the verdict (``kind="stale-answer"``) names
   both answers and says to run this exercise's answer cell, then the check. A signature that
   differs from the stub's is reported with the advice to run the edited stub's cell again, and
   a stub that still raises ``NotImplementedError`` is "not attempted", with the advice to run
   the answer's cell (``def <answer>``) before the check. In a notebook run with "Run all" every
   answer is defined in one kernel; their distinct names keep one check from grading another
   exercise's function.
1. The function runs on every test input in the sandbox (:mod:`mlcalc.grading.sandbox`: a forked
   child with a time limit, or a thread where the system cannot fork).
2. Its results are checked in order (:class:`_Grader`): not attempted (a stub raising
   ``NotImplementedError`` or returning ``None``/``...``), exceptions, modified inputs, type (a
   list where an array is expected is graded after conversion, with a note), shape (expected vs
   got, transposed, column instead of 1-D, diagonal only), NaN/inf, then the values at every
   input.
3. A wrong answer is explained: first by the exercise's own hints (known wrong answers such as
   ``2 A x`` for the gradient of ``x^T A x``), then generically: right only for symmetric ``A``,
   right at some inputs and wrong at others, scaled by a constant (2, 1/2, -1, n, 1/n), transposed,
   symmetric part only, one term missing (for exercises that list their terms), wrong at a few
   entries. The generic explanations reuse :func:`mlcalc.diagnose`.

4. The verdict is recorded in the learner's progress (:mod:`mlcalc.grading.progress`).

This module imports the sandbox, the verdict, the definitions and the progress; none of them
imports it.
"""

from __future__ import annotations

import difflib
import inspect
from typing import Any

import numpy as np

from ..diagnose import diagnose
from .progress import record as _record_progress
from .sandbox import (
    DEFAULT_TIMEOUT,
    _fork_available,
    _Run,
    _run_forked,
    _run_inline,
    _run_threaded,
)
from .spec import EXERCISES, Case, Exercise, _answer_owner, graded_callable, shape_of_row
from .verdict import Verdict


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
                if ex.task == "shapes":
                    return self.verdict(
                        "wrong", f"You gave {G.shape[0]} shapes; the question asks for "
                        f"{C.shape[0]}, one per item, in the order of the question.",
                        "shapes-count", [self.case_row(i)])
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
                kind = "correct-converted"  # right values; not a mistake the verdict names
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
        if name == "ShapesAnswerError":
            return self.verdict(
                "wrong", f"Your answer cannot be read as shapes: {msg}.", "shapes-format", rows)
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
        if ex.task == "shapes":
            return self.shapes_verdict(values, first)
        rows = [self.case_row(first)] + _diff_rows(values[first], refs[first])
        # 1. the exercise's known wrong answers
        for hint in ex.hints:
            try:
                hv = [ex.as_array(hint.wrong(*c.args)) for c in cases]
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

    def shapes_verdict(self, values, first) -> Verdict:
        """Which shapes of a ``"shapes"`` answer are wrong, and how (never the right ones)."""
        ex, cases = self.ex, self.cases
        rows = [self.case_row(first)]
        for hint in ex.hints:  # the exercise's known slips first
            try:
                hv = [ex.as_array(hint.wrong(*c.args)) for c in cases]
            except Exception:  # noqa: BLE001 - a hint that does not apply to this input
                continue
            if all(G.shape == H.shape and np.array_equal(G, H)
                   for G, H in zip(values, hv, strict=True)):
                return self.verdict("wrong", hint.message, hint.kind, rows)
        G, C = values[first], self.refs[first]
        parts, kinds = [], set()
        for k, (g, c) in enumerate(zip(G, C, strict=True), 1):
            got, want = shape_of_row(g), shape_of_row(c)
            if got == want:
                continue
            if len(got) == len(want) and got == want[::-1]:
                parts.append(f"shape {k} {got} is transposed (in this book a Jacobian of a map "
                             "from n inputs to m outputs is m x n, and a gradient has the shape "
                             "of its variable)")
                kinds.add("shape-transposed")
            elif len(got) != len(want):
                parts.append(f"shape {k} {got} has {len(got)} axes, but the object has "
                             f"{len(want)}")
                kinds.add("shape-axes")
            else:
                parts.append(f"shape {k} {got} has the right number of axes but the wrong sizes")
                kinds.add("shape-sizes")
        kind = kinds.pop() if len(kinds) == 1 else "shapes-wrong"
        return self.verdict("wrong", "Not all shapes are right: " + "; ".join(parts) + ".",
                            kind, rows)

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
        a notebook. The verdict is recorded in the learner's progress
        (:func:`mlcalc.grading.progress.record`: only in a workspace or where ``MLCALC_PROGRESS``
        says; a ``sandbox="none"`` check only where ``MLCALC_PROGRESS`` says).
    """
    try:
        return _record_progress(_check(exercise_id, answer, timeout, sandbox), sandbox)
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
    run = runner(graded_callable(ex, fn), cases, timeout)
    grader = _Grader(ex, run)
    grader.timeout = timeout
    return grader.grade()
