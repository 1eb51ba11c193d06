"""Exercise grading: run a learner's answer safely and say what is wrong with it.

``check(exercise_id, answer)`` grades an answer to one exercise of the book's exercise notebooks
and returns a :class:`Verdict`; it never raises into the notebook. ``EXERCISES`` maps every
exercise id (``"gradients/quadratic-form"``) to its :class:`Exercise` definition: what kind of
answer it is, the name of the learner's function (unique across the book:
``grad_quadratic_form``), how the test inputs are made (seeded, with awkward cases: non-symmetric
``A``, non-square ``X``), the reference solution, and hints for known wrong answers.

The package's parts:

- :mod:`~mlcalc.grading.spec`: the definitions (:class:`Case`, :class:`Hint`, :class:`Exercise`),
  the registry ``EXERCISES``, the registration helper and the input helpers several chapters
  share.
- :mod:`~mlcalc.grading.catalogue`: the exercises, one module per chapter
  (``catalogue/gradients.py``, ...), imported in the book's order.
- :mod:`~mlcalc.grading.sandbox`: running the learner's function in a forked child (or a thread
  where the system cannot fork) with a time limit, read-only inputs, captured and capped output,
  a memory limit, and every exception caught.
- :mod:`~mlcalc.grading.verdict`: the :class:`Verdict` and how it shows itself (HTML and text).
- :mod:`~mlcalc.grading.diagnosis`: :func:`check`, and the diagnosis of a wrong answer (type,
  shape, NaN, values at every input, then why: the exercise's hints, a factor, a transpose, a
  missing term, ...).
- :mod:`~mlcalc.grading.progress`: the learner's record of verdicts (in their workspace,
  ``my-work/.mlcalc-progress.json``) and :func:`progress`, which shows it per chapter.

Imports run one way: ``catalogue`` -> ``spec``; ``diagnosis`` -> ``sandbox``, ``verdict``,
``progress``, ``spec``; ``sandbox``, ``verdict`` and ``spec`` import nothing from the package.
Importing ``mlcalc.grading`` registers every exercise. ``batch`` (``python -m mlcalc.grade``)
grades submitted notebooks with the same diagnosis.
"""

# The private names (``X as X``: re-exported) stay importable from here as before the split; the
# tests use some of them.
from . import catalogue  # noqa: F401 - registers every exercise, in the book's order
from .diagnosis import _check as _check
from .diagnosis import check
from .sandbox import DEFAULT_TIMEOUT as DEFAULT_TIMEOUT
from .sandbox import _fork_available as _fork_available
from .sandbox import _run_forked as _run_forked
from .sandbox import _run_inline as _run_inline
from .sandbox import _run_threaded as _run_threaded
from .spec import EXERCISES, TASKS, Case, Exercise, Hint
from .spec import _answer_owner as _answer_owner
from .spec import _register as _register
from .verdict import STATUSES as STATUSES
from .verdict import Verdict

__all__ = ["EXERCISES", "TASKS", "Exercise", "Hint", "Case", "Verdict", "check"]
