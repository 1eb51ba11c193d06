"""The grader itself: every status and diagnosis, and survival of hostile answers.

Each broken answer must get a verdict within the time limit plus one second, and this process
must live on (the answers run in a forked child that is killed at the limit).
"""

from __future__ import annotations

import os
import sys
import time

import numpy as np
import pytest

from mlcalc import EXERCISES, Verdict, check
from mlcalc.grading import _fork_available

QF = "gradients/quadratic-form"     # f(x) = x^T A x, gradient (A + A^T) x, terms A x and A^T x
TIMEOUT = 2.0


def good(x, A):
    return (A + A.T) @ x


def run(answer, ex=QF, **kw):
    t0 = time.monotonic()
    v = check(ex, answer, timeout=kw.pop("timeout", TIMEOUT), **kw)
    assert isinstance(v, Verdict)
    assert time.monotonic() - t0 < TIMEOUT + 1.0, f"verdict took {time.monotonic() - t0:.1f} s"
    assert v.status in ("correct", "wrong", "error", "timeout", "not attempted")
    assert v.message and repr(v) and v._repr_html_().startswith("<div")
    _never_correct_with_a_named_mistake(v)
    return v


CORRECT_KINDS = {"correct", "correct-converted"}


def _never_correct_with_a_named_mistake(v: Verdict) -> None:
    """A verdict that names a mistake is never "correct", and a correct one names none."""
    assert (v.status == "correct") == (v.kind in CORRECT_KINDS), (
        f"status {v.status!r} with diagnosis {v.kind!r}: {v.message}")


# ------------------------------------------------------------------------------------------------
# statuses
# ------------------------------------------------------------------------------------------------

def test_correct():
    v = run(good)
    assert v.passed and bool(v) and v.status == "correct" and v.kind == "correct"
    assert "\u2713" in repr(v)


def test_not_attempted_stub():
    def stub(x, A):
        raise NotImplementedError  # your code here
    v = run(stub)
    assert v.status == "not attempted" and not v.passed and "NotImplementedError" in v.message


def test_not_attempted_stub_says_to_run_the_answer_cell_first():
    # an answer written but its cell not run: the old stub is still what the name holds
    def grad_quadratic_form(x, A):
        raise NotImplementedError  # your code here
    v = run(grad_quadratic_form)
    assert v.status == "not attempted" and v.kind == "not-attempted"
    assert ("If you have written your answer, run its cell (the one with "
            "`def grad_quadratic_form`) first, then this check.") in v.message


@pytest.mark.parametrize("value", [None, Ellipsis])
def test_not_attempted_returns_none_or_ellipsis(value):
    v = run(lambda x, A: value)
    assert v.status == "not attempted"
    assert run(value).status == "not attempted"          # check(id, None)


def test_unknown_id_is_an_error_verdict_with_suggestion():
    v = run(good, ex="gradients/quadratic-from")
    assert v.status == "error" and v.kind == "unknown-exercise"
    assert "gradients/quadratic-form" in v.message
    assert run(good, ex=42).status == "error"


def test_exception_names_type_and_line():
    def boom(x, A):
        return np.log(-1.0) + undefined_name  # noqa: F821
    v = run(boom)
    assert v.status == "error" and v.kind == "exception"
    assert "NameError" in v.message and "undefined_name" in v.message and "line" in v.message


def test_wrong_signature():
    v = run(lambda x: x)
    assert v.status == "error" and v.kind == "signature" and "(x, A)" in v.message


def test_wrong_signature_says_to_run_the_edited_stub():
    # the stub's def was edited (or is an older version) but its cell was not run again
    def grad_quadratic_form(x):
        return x
    v = run(grad_quadratic_form)
    assert v.status == "error" and v.kind == "signature"
    assert "must take the arguments (x, A), as in the stub" in v.message
    assert "it is defined as grad_quadratic_form(x)" in v.message
    assert ("If you have edited the stub, run its cell (the one with "
            "`def grad_quadratic_form`) again before this check.") in v.message


# ------------------------------------------------------------------------------------------------
# stale answers: every answer has its own name, so another exercise's answer is recognised
# ------------------------------------------------------------------------------------------------

def test_another_exercises_answer_is_a_stale_verdict_naming_both():
    def grad_linear(x, y):              # the answer to gradients/linear
        return np.array(y, dtype=float)
    v = run(grad_linear)
    assert v.status == "error" and not v.passed and v.kind == "stale-answer"
    assert v.exercise_id == QF
    msg = v.message
    assert "This check grades `grad_quadratic_form` for \"f(x) = x^T A x\"" in msg
    assert "it received `grad_linear` (the answer to gradients/linear)" in msg
    assert ("Run this exercise's answer cell (the one with `def grad_quadratic_form`) first, "
            "then this check") in msg
    assert 'check("gradients/quadratic-form", grad_quadratic_form)' in msg
    assert ("it received", "grad_linear (gradients/linear)") in v.details


def test_another_exercises_answer_is_not_graded_even_when_it_would_pass():
    # gradients/trace-quadratic has the same arguments and the same gradient, (A + A^T) x
    def grad_trace_quadratic(x, A):
        return (A + A.T) @ x
    assert check("gradients/trace-quadratic", grad_trace_quadratic).passed
    v = run(grad_trace_quadratic)
    assert v.kind == "stale-answer" and "gradients/trace-quadratic" in v.message


def test_another_exercises_stub_is_stale_not_a_signature_error():
    # the issue: the last stub defined in the notebook was picked up by this check cell
    def grad_entropy(x):
        raise NotImplementedError  # your code here
    v = run(grad_entropy)
    assert v.kind == "stale-answer" and "`grad_entropy` (the answer to gradients/entropy)" in \
        v.message


def test_stale_answer_in_another_chapter_and_for_a_value_exercise():
    def hess_logreg(w, X, y):
        return X.T @ X
    v = run(hess_logreg, ex="hessians/quadratic-form")
    assert v.kind == "stale-answer" and "linear_models/logreg-hessian" in v.message
    ex = EXERCISES["gradients/quick-consolidate-2"]

    def grad_at_y_1():
        return ex.reference()
    v = run(grad_at_y_1, ex=ex.id)
    assert v.kind == "stale-answer" and "`grad_at_y_2`" in v.message


def test_own_name_helpers_and_lambdas_are_graded_normally():
    def grad_quadratic_form(x, A):
        return (A + A.T) @ x

    def my_helper(x, A):
        return 2 * A @ x
    assert run(grad_quadratic_form).passed
    assert run(lambda x, A: (A + A.T) @ x).passed
    v = run(my_helper)
    assert v.status == "wrong" and v.kind == "symmetric-only"
    assert run(np.sin, ex="jacobians/neg-log").status == "wrong"     # a ufunc: graded, wrong


def test_registering_a_missing_or_taken_answer_name_fails():
    from mlcalc.grading import Case, Exercise, _register

    def make(answer):
        return Exercise("tests/x", "t", "value", (), lambda rng: [Case(())],
                        lambda: 1.0, answer=answer)
    with pytest.raises(ValueError, match="not a Python name"):
        _register(make(""))
    with pytest.raises(ValueError, match="already the answer to gradients/quadratic-form"):
        _register(make("grad_quadratic_form"))
    assert "tests/x" not in EXERCISES


def test_html_table_cells_are_left_aligned():
    # JupyterLab's output style right-aligns th and td; the verdict says left, cell by cell
    from html.parser import HTMLParser

    class Cells(HTMLParser):
        def __init__(self):
            super().__init__()
            self.styles = []

        def handle_starttag(self, tag, attrs):
            if tag in ("th", "td"):
                self.styles.append((tag, dict(attrs).get("style") or ""))

    v = run(lambda x, A: 2 * A @ x)
    assert len(v.details) >= 3
    parser = Cells()
    parser.feed(v._repr_html_())
    assert [t for t, _ in parser.styles].count("td") == len(v.details)
    assert [t for t, _ in parser.styles].count("th") == len(v.details)
    bad = [(t, st) for t, st in parser.styles
           if "text-align:left" not in st.replace(" ", "")]
    assert not bad, bad


def test_not_callable():
    v = run(np.zeros(3))
    assert v.status == "error" and v.kind == "not-callable"


# ------------------------------------------------------------------------------------------------
# hostile answers: each gets a verdict within the limit + 1 s, and we live on
# ------------------------------------------------------------------------------------------------

needs_fork = pytest.mark.skipif(not _fork_available(), reason="needs fork (Linux)")


def test_sys_exit():
    def leave(x, A):
        sys.exit(3)
    v = run(leave)
    assert v.status == "error" and "SystemExit" in v.message and "sys.exit(3)" in v.message


def test_keyboard_interrupt_from_learner_code():
    def ki(x, A):
        raise KeyboardInterrupt
    v = run(ki)
    assert v.status == "error" and "KeyboardInterrupt" in v.message


@needs_fork
@pytest.mark.timeout(30)
def test_infinite_python_loop():
    def loop(x, A):
        while True:
            pass
    v = run(loop)
    assert v.status == "timeout" and v.kind == "timeout" and "input 1 of" in repr(v)


@needs_fork
@pytest.mark.timeout(30)
def test_bare_except_cannot_defeat_the_limit():
    def stubborn(x, A):
        while True:
            try:
                time.sleep(10)
            except BaseException:  # noqa: BLE001
                pass
    assert run(stubborn).status == "timeout"


@needs_fork
@pytest.mark.timeout(30)
def test_huge_numpy_computation_is_stopped():
    def heavy(x, A):
        B = np.ones((3000, 3000))
        for _ in range(1000):
            B = B @ B / 3000
        return B
    v = run(heavy)
    assert v.status == "timeout"


@needs_fork
def test_memory_hog_gets_a_verdict():
    def hog(x, A):
        return np.ones((60_000, 60_000))          # 28.8 GB
    v = run(hog)
    assert v.status == "error" and v.kind == "memory"


@needs_fork
def test_child_that_kills_itself():
    def die(x, A):
        os._exit(7)
    v = run(die)
    assert v.status == "error" and v.kind == "crashed" and "7" in v.message


def test_prints_a_megabyte_is_captured_and_truncated():
    def chatty(x, A):
        print("y" * 1_000_000)
        return (A + A.T) @ x
    v = run(chatty)
    assert v.passed
    assert 0 < len(v.output) < 5000 and "more characters not shown" in v.output


def test_warnings_do_not_fail_a_correct_answer():
    def noisy(x, A):
        np.log(np.zeros(1))                     # RuntimeWarning: divide by zero
        return (A + A.T) @ x
    v = run(noisy)
    assert v.passed and any("RuntimeWarning" in n for n in v.notes)


def test_mutating_the_input_is_reported():
    def mutate(x, A):
        x *= 2
        return (A + A.T) @ x / 2
    v = run(mutate)
    assert v.status == "wrong" and v.kind == "modifies-input"


def test_inputs_cannot_be_made_writeable():
    def sneaky(x, A):
        x.flags.writeable = True
        return (A + A.T) @ x
    v = run(sneaky)
    assert v.status == "error" and "ValueError" in v.message


def test_returns_a_list_is_graded_after_conversion():
    v = run(lambda x, A: list((A + A.T) @ x))
    assert v.passed and v.kind == "correct-converted" and any("list" in n for n in v.notes)
    v = run(lambda x, A: list(2 * A @ x))
    assert v.status == "wrong" and any("list" in n for n in v.notes)


def test_returns_something_ungradable():
    v = run(lambda x, A: "(A + A^T) x")
    assert v.status == "wrong" and v.kind == "wrong-type" and "str" in v.message


def test_wrong_shape_column():
    v = run(lambda x, A: ((A + A.T) @ x)[:, None])
    assert v.kind == "wrong-shape-reshape" and "(3, 1)" in v.message and "(3,)" in v.message


def test_wrong_shape_transposed():
    def jac(x, A):
        return np.array(A.T)
    v = run(jac, ex="jacobians/linear-map")
    assert v.status == "wrong" and v.kind == "wrong-shape-transposed"
    assert "transpose" in v.message


def test_wrong_shape_diagonal_only():
    v = run(lambda x: -1 / x, ex="jacobians/neg-log")
    assert v.kind == "wrong-shape-diagonal" and "np.diag" in v.message


def test_nan():
    v = run(lambda x, A: np.full(x.shape, np.nan))
    assert v.status == "wrong" and v.kind == "nan"


# ------------------------------------------------------------------------------------------------
# diagnoses of wrong values
# ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("factor,word", [(2, "2 times"), (0.5, "1/2 of"), (-1, "-1 times")])
def test_scaled(factor, word):
    v = run(lambda x, A: factor * (A + A.T) @ x)
    assert v.kind == "scaled" and word in v.message


def test_one_over_n():
    ex = EXERCISES["linear_models/regression-objective"]
    v = run(lambda w, X, y: X.T @ (X @ w - y) / len(y), ex=ex.id)
    assert v.kind == "scaled" and "1/n" in v.message


def test_transposed():
    def t(v):
        return np.array([[np.cos(v[1]), np.sin(v[1])], [-v[0] * np.sin(v[1]),
                                                           v[0] * np.cos(v[1])]])
    v = run(t, ex="jacobians/polar")
    assert v.kind == "transposed"


def test_symmetric_part_only():
    ex = EXERCISES["jacobians/polar"]

    def half(v):
        J = ex.reference(v)
        return (J + J.T) / 2
    assert run(half, ex=ex.id).kind == "symmetric-part"


def test_one_term_missing_named():
    v = run(lambda x, y, A: A.T @ y, ex="gradients/problems-bilinear-minus-linear")
    assert v.kind == "missing-term" and "-y" in v.message


def test_right_only_for_symmetric_A():
    # not one of the exercise's hints: 2 A^T x is also right only for symmetric A
    v = run(lambda x, A: 2 * A.T @ x)
    assert v.status == "wrong"
    assert v.kind == "symmetric-only" and "symmetric" in v.message


def test_known_wrong_answer_hint():
    v = run(lambda x, A: 2 * A @ x)
    assert v.status == "wrong"
    assert v.kind == "symmetric-only" and "2 A x" in v.message


def test_right_at_some_points_only():
    def partly(x, A):
        g = (A + A.T) @ x
        return g if len(x) == 3 else g + 1
    v = run(partly)
    assert v.kind == "some-points" and "1 of 4" in v.message


def test_wrong_at_a_few_entries():
    def entry(x, A):
        g = (A + A.T) @ x
        g = g.copy()
        g[0] += 1.0
        return g
    v = run(entry)
    assert v.kind == "some-entries" and "entries 0" in v.message


def test_no_simple_pattern():
    v = run(lambda x, A: np.sin(x) + A[0])
    assert v.status == "wrong" and v.kind == "wrong"


def test_value_exercise_accepts_an_array():
    ex = EXERCISES["gradients/quick-consolidate-2"]
    assert run(ex.reference(), ex=ex.id).passed
    assert run(ex.reference, ex=ex.id).passed


def test_thread_fallback_grades_and_says_so():
    v = check(QF, good, sandbox="thread")
    assert v.passed and any("cannot fork" in n for n in v.notes)
    v = check(QF, lambda x, A: 2 * A @ x, sandbox="thread")
    assert v.kind == "symmetric-only"


@pytest.mark.timeout(30)
def test_thread_fallback_time_limit():
    def slow(x, A):
        time.sleep(1.5)
        return (A + A.T) @ x
    t0 = time.monotonic()
    v = check(QF, slow, timeout=0.5, sandbox="thread")
    assert v.status == "timeout" and time.monotonic() - t0 < 1.5


def test_check_never_raises_on_grader_failure(monkeypatch):
    import mlcalc.grading.diagnosis as g  # where check() looks up the runners

    def broken(*a, **k):
        raise RuntimeError("boom")
    monkeypatch.setattr(g, "_run_forked", broken)
    monkeypatch.setattr(g, "_run_threaded", broken)
    v = check(QF, good)
    assert v.status == "error" and v.kind == "grader-error"


def test_latency_is_low():
    check(QF, good)
    t0 = time.monotonic()
    for _ in range(5):
        check(QF, good)
    assert (time.monotonic() - t0) / 5 < 1.0


def test_code_in_a_message_is_shown_as_code_in_html():
    v = Verdict("x/y", "not attempted", "Run its cell (the one with `def grad_f`) first.")
    html = v._repr_html_()
    assert "<code>def grad_f</code>" in html and "`" not in html
