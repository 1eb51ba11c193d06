"""Every exercise: the reference passes, known and generic wrong answers get the right diagnosis,
the notebooks agree with the registry, learner notebooks are in sync with the solutions, and
the notebooks behave: as shipped every check says "not attempted", with the solutions every
check passes.

The notebooks' code cells are executed here in-process (fast: no kernel start); nbval runs the
same notebooks in real kernels (``pytest --nbval-lax exercises/``).
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import numpy as np
import pytest

from mlcalc import EXERCISES, Verdict, assign, check

ROOT = Path(__file__).resolve().parent.parent
EX_DIR = ROOT / "exercises"
SOLUTIONS = sorted((EX_DIR / "solutions").glob("*.ipynb"))
LEARNERS = sorted(EX_DIR.glob("*.ipynb"))
CHAPTERS = ["derivatives", "gradients", "jacobians", "chain_rule", "hessians",
            "matrix_derivatives", "activations", "losses", "linear_models", "likelihood",
            "backprop", "checking_derivatives"]
IDS = sorted(EXERCISES)


def _cells(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def _src(cell) -> str:
    return "".join(cell["source"])


def _check_ids(path: Path) -> list[str]:
    return [m for c in _cells(path) if c["cell_type"] == "code"
            for m in re.findall(r'check\("([^"]+)"', _src(c))]


def _has_marker(cell) -> bool:
    return any(line.strip() == "### BEGIN SOLUTION" for line in _src(cell).splitlines())


def run_cell(source: str, ns: dict, name: str = "<cell>"):
    """Execute one code cell in ``ns`` like a kernel; return the value of its last expression."""
    tree = ast.parse(source, filename=name)
    last = tree.body[-1] if tree.body and isinstance(tree.body[-1], ast.Expr) else None
    body = tree.body[:-1] if last is not None else tree.body
    exec(compile(ast.Module(body, []), name, "exec"), ns)  # noqa: S102
    if last is not None:
        return eval(compile(ast.Expression(last.value), name, "eval"), ns)  # noqa: S307
    return None


def run_notebook(path: Path, ns: dict | None = None) -> list[Verdict]:
    """Execute the code cells in one namespace; collect the verdict of every check cell."""
    ns = {"__name__": "__main__"} if ns is None else ns
    verdicts = []
    for i, cell in enumerate(_cells(path)):
        if cell["cell_type"] != "code":
            continue
        value = run_cell(_src(cell), ns, f"<{path.name} cell {i}>")
        if isinstance(value, Verdict):
            verdicts.append(value)
    return verdicts


# ------------------------------------------------------------------------------------------------
# notebooks
# ------------------------------------------------------------------------------------------------

def test_every_chapter_has_an_exercise_notebook_with_at_least_six_exercises():
    for name in CHAPTERS:
        path = EX_DIR / "solutions" / f"{name}.ipynb"
        assert path.exists(), f"missing {path.relative_to(ROOT)}"
        assert len(_check_ids(path)) >= 6, f"{name}: fewer than 6 exercises"


def test_notebook_ids_and_registry_agree():
    in_notebooks: list[str] = []
    for path in SOLUTIONS:
        ids = _check_ids(path)
        assert all(i.startswith(path.stem + "/") for i in ids), f"{path.name}: foreign ids"
        in_notebooks += ids
    assert len(in_notebooks) == len(set(in_notebooks)), "an exercise is checked twice"
    assert set(in_notebooks) == set(EXERCISES), (
        f"only in notebooks: {sorted(set(in_notebooks) - set(EXERCISES))}; "
        f"only in EXERCISES: {sorted(set(EXERCISES) - set(in_notebooks))}")


# ------------------------------------------------------------------------------------------------
# answer names: one per exercise, unique across the book, used by the stub and the check cell
# ------------------------------------------------------------------------------------------------

def test_every_exercise_has_a_unique_answer_name():
    names = [EXERCISES[i].answer for i in IDS]
    assert all(n.isidentifier() for n in names), [i for i in IDS if not
                                                  EXERCISES[i].answer.isidentifier()]
    dupes = sorted({n for n in names if names.count(n) > 1})
    assert not dupes, f"answer names used by several exercises: {dupes}"
    # not even told apart by case only (grad_x and grad_X read as the same name)
    folded = [n.lower() for n in names]
    assert len(set(folded)) == len(folded), sorted({n for n in names
                                                    if folded.count(n.lower()) > 1})


def _defs(cell) -> dict[str, list[str]]:
    """The functions a code cell defines at top level: name -> argument names."""
    tree = ast.parse(_src(cell))
    return {n.name: [a.arg for a in n.args.args] for n in tree.body
            if isinstance(n, ast.FunctionDef)}


NOTEBOOKS = SOLUTIONS + LEARNERS
NOTEBOOK_IDS = [f"solutions/{p.stem}" for p in SOLUTIONS] + [p.stem for p in LEARNERS]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=NOTEBOOK_IDS)
def test_stub_and_check_cell_use_the_registered_answer_name(path):
    cells = _cells(path)
    markdown = "\n".join(_src(c) for c in cells if c["cell_type"] == "markdown")
    defined: dict[str, int] = {}
    last_def: dict[str, list[str]] = {}
    problems = []
    for cell in cells:
        if cell["cell_type"] != "code":
            continue
        defs = _defs(cell)
        for name in defs:
            defined[name] = defined.get(name, 0) + 1
        for ex_id, name in re.findall(r'check\("([^"]+)",\s*(\w+)\s*\)', _src(cell)):
            ex = EXERCISES[ex_id]
            if name != ex.answer:
                problems.append(f"{ex_id}: the check cell passes {name}, not {ex.answer}")
            if ex.answer not in last_def:
                problems.append(f"{ex_id}: no `def {ex.answer}` in the code cell before its check")
            elif last_def[ex.answer] != list(ex.args):
                problems.append(f"{ex_id}: def {ex.answer}({', '.join(last_def[ex.answer])}), "
                                f"but the exercise's arguments are ({', '.join(ex.args)})")
            if f"`{ex.answer}({', '.join(ex.args)})`" not in markdown:
                problems.append(f"{ex_id}: the task text does not name "
                                f"`{ex.answer}({', '.join(ex.args)})`")
        if defs:
            last_def = defs
    answers = {EXERCISES[i].answer for i in _check_ids(path)}
    twice = sorted(n for n in answers if defined.get(n, 0) != 1)
    assert not twice, f"answers defined more than once (or not at all): {twice}"
    assert not problems, "\n".join(problems)


def test_no_notebook_defines_another_notebooks_answer():
    owner = {EXERCISES[i].answer: i for i in IDS}
    for path in NOTEBOOKS:
        stem = path.stem
        for cell in _cells(path):
            if cell["cell_type"] == "code":
                for name in _defs(cell):
                    if name in owner:
                        assert owner[name].startswith(stem + "/"), (path.name, name, owner[name])


def test_learner_notebooks_in_sync_with_solutions(capsys):
    # the same as `python -m mlcalc.assign --check`, in-process
    assert assign.main(["--check", "--root", str(ROOT)]) == 0, capsys.readouterr().out


@pytest.mark.parametrize("path", SOLUTIONS, ids=[p.stem for p in SOLUTIONS])
def test_solution_notebook_layout(path):
    cells = _cells(path)
    first = _src(cells[0]).splitlines()
    assert first[0] == f"(sol-{path.stem})=" and first[1].startswith("# Solutions: ")
    assert _src(cells[1]).startswith("import numpy as np")
    text = "\n".join(_src(c) for c in cells)
    n = len(_check_ids(path))
    # Hints in levels, in order: a nudge, the method, then (optionally) the key identity.
    assert text.count(":::{dropdown} Hint 1: a nudge") == n
    assert text.count(":::{dropdown} Hint 2: the method") == n
    assert text.count(":::{dropdown} Hint") == n * 2 + text.count(
        ":::{dropdown} Hint 3: the key identity")
    for c in cells:
        levels = re.findall(r":::\{dropdown\} Hint (\d)", _src(c))
        assert levels == sorted(levels), f"hint levels out of order: {levels}"
    assert sum("solution" in c.get("metadata", {}).get("tags", []) for c in cells) == n
    assert sum(_has_marker(c) for c in cells if c["cell_type"] == "code") == n


@pytest.mark.parametrize("path", LEARNERS, ids=[p.stem for p in LEARNERS])
def test_learner_notebook_as_shipped_says_not_attempted(path):
    first = _src(_cells(path)[0]).splitlines()
    assert first[0] == f"(ex-{path.stem})=" and first[1].startswith("# Exercises: ")
    cells = _cells(path)
    assert not any(_has_marker(c) for c in cells), "a solution was shipped to learners"
    assert not any(":::{dropdown} Worked solution" in _src(c) for c in cells)
    verdicts = run_notebook(path)
    assert len(verdicts) == len(_check_ids(path))
    bad = [(v.exercise_id, v.status) for v in verdicts if v.status != "not attempted"]
    assert not bad, bad


@pytest.mark.parametrize("path", SOLUTIONS, ids=[p.stem for p in SOLUTIONS])
def test_solution_notebook_passes_every_check(path):
    verdicts = run_notebook(path)
    assert len(verdicts) == len(_check_ids(path))
    bad = [repr(v) for v in verdicts if not v.passed or v.kind != "correct"]
    assert not bad, "\n".join(bad)


@pytest.mark.parametrize("path", LEARNERS, ids=[p.stem for p in LEARNERS])
def test_after_run_all_each_check_cell_grades_its_own_answer(path):
    """The issue: after "Run all", a learner answers one exercise and runs only its check cell.

    Every answer has its own name, so the check grades that answer (not whichever stub was
    defined last), and a re-run check of an untouched stub names its own `def`.
    """
    ns: dict = {"__name__": "__main__"}
    run_notebook(path, ns)                                   # Run all: every stub defined
    solution_cells = {c["id"].removeprefix("sol-"): c
                      for c in _cells(EX_DIR / "solutions" / path.name)}
    code = [c for c in _cells(path) if c["cell_type"] == "code"]
    n = 0
    for stub, check_cell in zip(code[:-1], code[1:], strict=True):
        m = re.search(r'check\("([^"]+)"', _src(check_cell))
        if not m:
            continue
        ex = EXERCISES[m.group(1)]
        v = run_cell(_src(check_cell), ns)                   # the check alone, stub unchanged
        assert v.status == "not attempted", repr(v)
        assert f"`def {ex.answer}`" in v.message, repr(v)
        answer = solution_cells[stub["id"]]                  # the learner answers it ...
        run_cell(_src(answer), ns)
        v = run_cell(_src(check_cell), ns)                   # ... and runs only its check
        assert v.exercise_id == ex.id and v.passed and v.kind == "correct", repr(v)
        n += 1
    assert n == len(_check_ids(path))


# ------------------------------------------------------------------------------------------------
# the registry: reference, hints, generic wrong answers
# ------------------------------------------------------------------------------------------------

def _as_answer(ex, fn):
    """A learner-style answer computing fn(*args); a constant for argument-less exercises."""
    if ex.args:
        return fn
    return fn()


@pytest.mark.parametrize("ex_id", IDS)
def test_reference_passes(ex_id):
    ex = EXERCISES[ex_id]
    v = check(ex_id, _as_answer(ex, ex.reference), sandbox="none")
    assert v.passed and v.kind == "correct", repr(v)


@pytest.mark.parametrize("ex_id", IDS)
def test_cases_are_sound(ex_id):
    ex = EXERCISES[ex_id]
    refs = ex.expected()
    assert refs and all(np.all(np.isfinite(r)) for r in refs)
    assert ex.kind in ("value", "derivative", "gradient", "jacobian", "hessian", "estimate")
    for c in ex.cases():
        assert len(c.args) == len(ex.args)
    if ex.terms is not None:
        for c, r in zip(ex.cases(), refs, strict=True):
            total = sum(np.asarray(t, dtype=float) for t in ex.terms(*c.args).values())
            np.testing.assert_allclose(total, r, rtol=1e-10, atol=1e-12)


HINTS = [(ex_id, k) for ex_id in IDS for k in range(len(EXERCISES[ex_id].hints))]


@pytest.mark.parametrize("ex_id,k", HINTS, ids=[f"{i}#{k}" for i, k in HINTS])
def test_known_wrong_answer_gets_its_diagnosis(ex_id, k):
    ex = EXERCISES[ex_id]
    hint = ex.hints[k]
    v = check(ex_id, _as_answer(ex, hint.wrong), sandbox="none")
    assert v.status == "wrong", repr(v)
    assert v.kind == hint.kind and v.message == hint.message, repr(v)


def _shapes_wrong_answers(ex):
    """Generic slips in a "shapes" answer (a tuple of shapes)."""
    ref = ex.reference
    out = [("one shape fewer", lambda *a: tuple(ref(*a))[:-1], {"shapes-count"}),
           ("a scalar as an int", lambda *a: (0,) + tuple(ref(*a))[1:], {"shapes-format"})]
    first = [tuple(s) for s in ref(*ex.cases()[0].args)]
    for k, shape in enumerate(first):
        if len(shape) == 2 and all(tuple(ref(*c.args))[k][0] != tuple(ref(*c.args))[k][1]
                                   for c in ex.cases()):
            def transpose(*a, k=k):
                shapes = [tuple(s) for s in ref(*a)]
                shapes[k] = shapes[k][::-1]
                return tuple(shapes)
            out.append((f"shape {k + 1} transposed", transpose, {"shape-transposed"}))
            break
    return out


def _generic_wrong_answers(ex):
    """(name, function, accepted kinds) for generic mistakes that apply to this exercise."""
    if ex.task == "shapes":
        return _shapes_wrong_answers(ex)
    ref = ex.reference
    out = [
        ("times 2", lambda *a: 2 * np.asarray(ref(*a)), {"scaled"}),
        ("times 1/2", lambda *a: 0.5 * np.asarray(ref(*a)), {"scaled"}),
        ("sign", lambda *a: -np.asarray(ref(*a)), {"scaled"}),
        ("NaN", lambda *a: np.asarray(ref(*a)) * np.nan, {"nan"}),
    ]
    r0 = ex.expected()[0]
    if r0.ndim >= 1:
        out.append(("list", lambda *a: np.asarray(ref(*a)).tolist(), {"correct-converted"}))
    if r0.ndim >= 1:
        out.append(("extra axis", lambda *a: np.asarray(ref(*a))[..., None],
                    {"wrong-shape-reshape"}))
    if all(r.ndim == 2 and r.shape[0] == r.shape[1] and not np.allclose(r, r.T)
           for r in ex.expected()):
        out.append(("transposed", lambda *a: np.asarray(ref(*a)).T, {"transposed"}))
        out.append(("symmetric part", lambda *a: (np.asarray(ref(*a)) + np.asarray(ref(*a)).T)
                    / 2, {"symmetric-part"}))
    if all(r.ndim == 2 and r.shape[0] != r.shape[1] for r in ex.expected()):
        out.append(("transposed shape", lambda *a: np.asarray(ref(*a)).T,
                    {"wrong-shape-transposed"}))
    if ex.terms is not None:
        names = list(ex.terms(*ex.cases()[0].args))
        for name in names:
            def drop(*a, name=name):
                return np.asarray(ref(*a)) - np.asarray(ex.terms(*a)[name])
            out.append((f"missing {name}", drop, {"missing-term"}))
    return out


GENERIC = [(ex_id, name) for ex_id in IDS for name, _, _ in
           _generic_wrong_answers(EXERCISES[ex_id])]


@pytest.mark.parametrize("ex_id,name", GENERIC, ids=[f"{i}:{n}" for i, n in GENERIC])
def test_generic_wrong_answer_gets_its_diagnosis(ex_id, name):
    ex = EXERCISES[ex_id]
    fn, kinds = next((f, k) for n, f, k in _generic_wrong_answers(ex) if n == name)
    v = check(ex_id, _as_answer(ex, fn), sandbox="none")
    hint_kinds = {h.kind for h in ex.hints}
    if name == "list":
        assert v.passed and v.kind == "correct-converted", repr(v)  # graded after conversion
        return
    assert v.status == "wrong", repr(v)                          # never a false pass
    # a hint that describes the same mistake in the exercise's own words is also right
    assert v.kind in kinds | hint_kinds, repr(v)


def test_every_exercise_declares_its_task():
    from mlcalc.grading import TASKS

    for ex in EXERCISES.values():
        assert ex.task in TASKS, f"{ex.id}: task {ex.task!r}"


def test_an_unknown_task_is_refused():
    from mlcalc.grading.spec import Exercise, _register

    bad = Exercise("x/unknown-task", "t", "value", (), lambda rng: [], lambda: 0.0,
                   answer="unknown_task_answer", task="essay")
    with pytest.raises(ValueError, match="task 'essay'"):
        _register(bad)


def test_every_kind_of_exercise_is_well_represented():
    """The course floor: at least 12 exercises of every task, at least 170 in all."""
    from collections import Counter

    from mlcalc.grading import TASKS

    counts = Counter(ex.task for ex in EXERCISES.values())
    assert len(EXERCISES) >= 170, f"only {len(EXERCISES)} exercises"
    for task in TASKS:
        assert counts[task] >= 12, f"only {counts[task]} exercises of task {task!r}"


def _headings(path: Path) -> list[str]:
    return [m.group(1) for c in _cells(path) if c["cell_type"] == "markdown"
            for m in re.finditer(r"^## \d+\. (.+?)\s*$", _src(c), re.M)]


@pytest.mark.parametrize("name", CHAPTERS)
def test_chapter_exercises_section_lists_the_notebook_in_order(name):
    """A chapter promises exactly the exercises its notebook holds: same items, same order."""
    chapter = json.loads((ROOT / "chapters" / f"{name}.ipynb").read_text(encoding="utf-8"))
    text = "\n".join(_src(c) for c in chapter["cells"] if c["cell_type"] == "markdown")
    section = text[text.index("## Exercises"):]
    nxt = re.search(r"^#{1,2} ", section[3:], re.M)
    section = section[:nxt.start() + 3] if nxt else section
    listed = re.findall(r"^\d+\. (.+?)\s*$", section, re.M)
    assert listed == _headings(EX_DIR / f"{name}.ipynb"), (
        f"chapters/{name}.ipynb's Exercises section is out of step with exercises/{name}.ipynb")
    assert f"(../exercises/{name}.ipynb)" in section


@pytest.mark.parametrize("path", LEARNERS, ids=[p.stem for p in LEARNERS])
def test_exercise_headings_are_numbered_in_order(path):
    numbers = [int(m.group(1)) for c in _cells(path) if c["cell_type"] == "markdown"
               for m in re.finditer(r"^## (\d+)\. ", _src(c), re.M)]
    assert numbers == list(range(1, len(numbers) + 1)), numbers
    assert len(numbers) == len(_check_ids(path)), "one numbered heading per check cell"


def test_no_reference_to_lists_the_learner_never_saw():
    pattern = re.compile(r"of the seventeen|functions of machine learning algorithms|"
                         r"quickly consolidate|the notes' example", re.I)
    for folder in ("chapters", "exercises", "exercises/solutions"):
        for path in sorted((ROOT / folder).glob("*.ipynb")):
            for i, c in enumerate(_cells(path)):
                found = pattern.search(_src(c))
                assert not found, f"{path.relative_to(ROOT)} cell {i}: {found.group(0)!r}"
