"""Batch grading (``python -m mlcalc.grade``): real notebooks, broken ones, and ones that cheat.

The submissions are built with nbformat from the book's own gradients notebooks. One run of the
command line grades most of them together (``graded``); every run has a time limit of its own, so
an infinite loop in a submission cannot hang the tests.
"""

from __future__ import annotations

import copy
import csv
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

from mlcalc import EXERCISES, check
from mlcalc.grading.batch import grade_submission

ROOT = Path(__file__).resolve().parent.parent
SOLUTION = ROOT / "exercises" / "solutions" / "gradients.ipynb"
LEARNER = ROOT / "exercises" / "gradients.ipynb"
IDS = [i for i in EXERCISES if i.startswith("gradients/")]   # the chapter graded
N = len(IDS)
LIMITS = ["--timeout", "2", "--cell-timeout", "2", "--submission-timeout", "60"]

WRONG_QF = '''def grad_quadratic_form(x, A):
    """Gradient of f(x) = x^T A x."""
    ### BEGIN SOLUTION
    return 2 * A @ x
    ### END SOLUTION
'''

FAKE_CHECK = '''import mlcalc
import mlcalc.grading
import mlcalc.grading.diagnosis
from IPython.display import HTML, display

def check(exercise_id, answer):
    print("\\u2713 Correct [" + exercise_id + "]: Your answer matches the reference.")
    display(HTML("<div class='mlcalc-verdict'><strong>\\u2713 Correct</strong></div>"))

mlcalc.check = mlcalc.grading.check = check
mlcalc.grading.diagnosis._Grader.grade = lambda self: mlcalc.grading.Verdict(
    self.ex.id, "correct", "Your answer matches the reference at all test inputs.", "correct")
mlcalc.grading.diagnosis._close = lambda *a, **k: True

def _fake_run_cases(fn, cases, emit):        # report the reference's values as the answer's
    ex = next(e for e in mlcalc.grading.EXERCISES.values() if e.answer == fn.__name__)
    for i, ref in enumerate(ex.expected()):
        emit(("start", i))
        emit(("result", i, ("array", "ndarray", ref, True), False))
    emit(("finished",))

mlcalc.grading.sandbox._run_cases = _fake_run_cases
'''


def _read(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


def _cell(nb, needle: str) -> int:
    return next(i for i, c in enumerate(nb.cells) if needle in c.source)


def _write(nb, path: Path) -> Path:
    nbformat.write(nb, path)
    return path


def _grade(*paths, out: Path, timeout: float = 90, extra=()) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "mlcalc.grade", *map(str, paths), "--out", str(out), *LIMITS,
           *extra]
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=timeout)


def _rows(csv_path: Path) -> list[dict]:
    with open(csv_path, newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def submissions(tmp_path_factory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("submissions")
    subs = {"solution": _write(_read(SOLUTION), d / "solution.ipynb"),
            "scalars": _write(_read(SOLUTION.with_name("derivatives.ipynb")), d / "scalars.ipynb"),
            "learner": _write(_read(LEARNER), d / "learner.ipynb")}

    nb = _read(SOLUTION)                    # one planted wrong answer, no chapter label
    nb.cells[_cell(nb, "def grad_quadratic_form")].source = WRONG_QF
    nb.cells[0].source = "# My answers"
    subs["wrong"] = _write(nb, d / "wrong.ipynb")

    nb = _read(SOLUTION)                    # a syntax error in one answer cell
    i = _cell(nb, "def grad_linear(")
    nb.cells[i].source = nb.cells[i].source.replace("return np.array(y", "return np.array((y")
    subs["syntax"] = _write(nb, d / "syntax.ipynb")

    nb = _read(SOLUTION)                    # a deleted check cell, a deleted answer cell
    del nb.cells[_cell(nb, 'check("gradients/trace-quadratic"')]
    del nb.cells[_cell(nb, "def grad_entropy")]
    del nb.cells[_cell(nb, 'check("gradients/l2-norm"')]    # ... and a check merged into
    nb.cells[_cell(nb, "def grad_l2_norm")].source += '\ncheck("gradients/l2-norm", grad_l2_norm)'
    subs["deleted"] = _write(nb, d / "deleted.ipynb")

    nb = _read(SOLUTION)                    # infinite loops: in an answer and in a cell
    i = _cell(nb, "def grad_l1_norm")
    nb.cells[i].source = "def grad_l1_norm(x):\n    while True:\n        pass\n"
    nb.cells.insert(i, nbformat.v4.new_code_cell("while True:\n    pass\n"))
    subs["loop"] = _write(nb, d / "loop.ipynb")

    nb = _read(LEARNER)                     # cheats: fake check, patched mlcalc, fake outputs
    nb.cells.insert(_cell(nb, "from mlcalc import check") + 1,
                    nbformat.v4.new_code_cell(FAKE_CHECK))
    i = _cell(nb, "def grad_linear(")
    nb.cells[i].source = "def grad_linear(x, y):\n    return 2 * y\n"
    for c in nb.cells:
        if c.cell_type == "code" and c.source.startswith("check("):
            c.outputs = [nbformat.v4.new_output(
                "display_data", data={"text/html": "<div class='mlcalc-verdict'><strong>"
                                      "\u2713 Correct</strong></div>",
                                      "text/plain": "\u2713 Correct"})]
            c.execution_count = 1
    subs["cheat"] = _write(nb, d / "cheat.ipynb")
    return subs


@pytest.fixture(scope="module")
def graded(submissions, tmp_path_factory):
    out = tmp_path_factory.mktemp("grades") / "grades.csv"
    t0 = time.monotonic()
    r = _grade(*submissions.values(), out=out, extra=["--jobs", "2"])
    elapsed = time.monotonic() - t0
    assert r.returncode == 0, r.stdout + r.stderr
    rows = {Path(row["submission"]).stem: row for row in _rows(out)}
    return {"rows": rows, "csv": out, "report": out.with_suffix(".md").read_text(),
            "stdout": r.stdout, "elapsed": elapsed}


def _section(report: str, name: str) -> str:
    start = report.index(f"{name}.ipynb: ")
    end = report.find("\n## ", start)
    return report[start:end if end > 0 else None]


def test_csv_has_one_row_per_submission_and_one_column_per_exercise(graded, submissions):
    with open(graded["csv"], newline="") as fh:
        table = list(csv.reader(fh))
    derivatives = [i for i in EXERCISES if i.startswith("derivatives/")]
    # two chapters: the union of their exercises, in the book's order
    assert table[0] == ["submission", *derivatives, *IDS, "passed", "total"]
    assert [Path(r[0]).stem for r in table[1:]] == list(submissions)     # the order given
    assert all(len(r) == len(derivatives) + len(IDS) + 3 for r in table)
    scalars = graded["rows"]["scalars"]
    assert [scalars[i] for i in derivatives] == ["correct"] * len(derivatives)   # 0-d answers
    assert all(scalars[i] == "" for i in IDS) and scalars["total"] == str(len(derivatives))
    assert all(row[i] == "" for row in graded["rows"].values() if row is not scalars
               for i in derivatives)
    assert graded["elapsed"] < 40, f"the batch took {graded['elapsed']:.1f} s"


def test_solution_is_all_correct(graded):
    row = graded["rows"]["solution"]
    assert [row[i] for i in IDS] == ["correct"] * len(IDS)
    assert (row["passed"], row["total"]) == (str(N), str(N))


def test_learner_notebook_as_shipped_is_not_attempted(graded):
    row = graded["rows"]["learner"]
    assert {row[i] for i in IDS} == {"not attempted"} and row["passed"] == "0"
    section = _section(graded["report"], "learner")
    assert "If you have written your answer, run its cell" in section


def test_wrong_answer_gets_the_check_cells_verdict(graded):
    row = graded["rows"]["wrong"]
    assert row["gradients/quadratic-form"] == "wrong" and row["passed"] == str(N - 1)

    def grad_quadratic_form(x, A):
        return 2 * A @ x
    expected = check("gradients/quadratic-form", grad_quadratic_form)
    assert expected.status == "wrong"
    section = _section(graded["report"], "wrong")
    box = repr(expected)
    assert box.splitlines()[0] in section        # the same message as the check cell ...
    assert all(line in section for line in box.splitlines()[1:])      # ... and the same rows


def test_verdicts_equal_check_cells_in_process(submissions):
    sub = grade_submission(submissions["wrong"], timeout=2, cell_timeout=2)

    def grad_quadratic_form(x, A):
        return 2 * A @ x
    got, want = sub.verdicts["gradients/quadratic-form"], check("gradients/quadratic-form",
                                                                grad_quadratic_form)
    assert (got.status, got.kind, got.message, got.details, got.notes) == \
        (want.status, want.kind, want.message, want.details, want.notes)
    assert sub.chapter == "gradients"          # found from the check cells: no label


def test_syntax_error_in_one_cell_is_that_exercise_error(graded):
    row = graded["rows"]["syntax"]
    assert row["gradients/linear"] == "error"
    assert all(row[i] == "correct" for i in IDS if i != "gradients/linear")
    section = _section(graded["report"], "syntax")
    assert "syntax error" in section and "`grad_linear` is not defined" in section


def test_deleted_cells_still_have_their_columns(graded):
    row = graded["rows"]["deleted"]
    assert row["gradients/trace-quadratic"] == "correct"        # its check cell was deleted
    assert row["gradients/entropy"] == "missing"                # its answer cell was deleted
    assert row["gradients/l2-norm"] == "correct"                # the answer cell calls check
    assert row["passed"] == str(N - 1) and row["total"] == str(N)


@pytest.mark.timeout(120)
def test_infinite_loops_time_out_and_the_row_is_there(graded):
    row = graded["rows"]["loop"]
    assert row["gradients/l1-norm"] == "timeout"
    assert all(row[i] == "correct" for i in IDS if i != "gradients/l1-norm")
    section = _section(graded["report"], "loop")
    assert "did not finish within 2 s" in section                 # the looping cell
    assert "did not finish within the time limit of 2 s" in section   # the looping answer


def test_cheating_notebook_gets_its_true_grade(graded):
    row = graded["rows"]["cheat"]
    assert row["gradients/linear"] == "wrong"
    assert all(row[i] == "not attempted" for i in IDS if i != "gradients/linear")
    assert row["passed"] == "0"
    section = _section(graded["report"], "cheat")
    assert "Your answer is 2 times the correct one" in section
    assert "review it by hand" in section                # it touched mlcalc.grading


@pytest.mark.timeout(120)
def test_whole_submission_time_limit_keeps_the_row(tmp_path):
    nb = _read(SOLUTION)
    i = _cell(nb, "def grad_l2_norm")
    # a loop that swallows the cell's time limit: only the submission's limit stops it
    nb.cells.insert(i, nbformat.v4.new_code_cell(
        "import time\nwhile True:\n    try:\n        time.sleep(10)\n"
        "    except BaseException:\n        pass\n"))
    path = _write(nb, tmp_path / "stuck.ipynb")
    t0 = time.monotonic()
    sub = grade_submission(path, timeout=2, cell_timeout=1, submission_timeout=4)
    assert time.monotonic() - t0 < 10
    assert [sub.verdicts[i].status for i in IDS] == ["timeout"] * len(IDS)
    assert any("time limit for a whole submission" in n for n in sub.notes)


def test_missing_file_is_a_clear_error(tmp_path):
    r = _grade(tmp_path / "nope.ipynb", out=tmp_path / "g.csv", timeout=60)
    assert r.returncode == 2
    assert r.stderr.strip() == f"error: no such notebook: {tmp_path / 'nope.ipynb'}"
    assert not (tmp_path / "g.csv").exists()


def test_unreadable_notebook_still_has_its_row(tmp_path):
    bad = tmp_path / "gradients.ipynb"
    bad.write_text("{not json")
    good = _write(copy.deepcopy(_read(LEARNER)), tmp_path / "ok.ipynb")
    out = tmp_path / "g.csv"
    r = _grade(bad, good, out=out, timeout=60)
    assert r.returncode == 1, r.stdout + r.stderr
    rows = _rows(out)
    assert [Path(row["submission"]).name for row in rows] == ["gradients.ipynb", "ok.ipynb"]
    assert {rows[0][i] for i in IDS} == {"error"}
    assert "could not be read" in out.with_suffix(".md").read_text()
