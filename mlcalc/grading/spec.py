"""The definitions: what an exercise is, the registry ``EXERCISES``, and the shared input helpers.

An :class:`Exercise` says what kind of answer it expects, the name of the learner's function
(unique across the book: ``grad_quadratic_form``), how its test inputs are made (a list of
:class:`Case`, from a generator seeded with ``zlib.crc32`` of the id, so the inputs are the same in
every run), the reference solution, and :class:`Hint` s for known wrong answers.

The exercises themselves are registered chapter by chapter in :mod:`mlcalc.grading.catalogue`
with :func:`_ex`, which builds an :class:`Exercise` and adds it to ``EXERCISES``. The input
helpers below (a non-symmetric or symmetric matrix, scalar points, ``x`` with a general and a
symmetric ``A``, labels) are shared by several chapters; a helper used by one chapter only stays
in that chapter's module.

This module imports nothing from the rest of the package.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

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
        task: what the learner does (one of :data:`TASKS`): ``"implement"`` (derive, then
            implement: the default), ``"shapes"``, ``"spot-error"``, ``"tensor"``,
            ``"own-check"``, ``"by-hand"`` or ``"project-step"``.
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
    task: str = "implement"
    _prepared: Any = field(default=None, repr=False, compare=False)

    def cases(self) -> list[Case]:
        """The test inputs (deterministic: seeded from the exercise id)."""
        return self._prepare()[0]

    def expected(self) -> list[np.ndarray]:
        """The reference answers at :meth:`cases`, as float64 arrays."""
        return self._prepare()[1]

    def as_array(self, value) -> np.ndarray:
        """An answer (the reference's or a hint's) as the float64 array it is graded as: a
        ``"shapes"`` exercise's tuple of shapes goes through :func:`shapes_array`."""
        if self.task == "shapes":
            return shapes_array(value)
        return np.asarray(value, dtype=np.float64)

    def _prepare(self):
        if self._prepared is None:
            rng = np.random.default_rng(zlib.crc32(self.id.encode()))
            cases = list(self.make_cases(rng))
            refs = [self.as_array(self.reference(*c.args)) for c in cases]
            self._prepared = (cases, refs)
        return self._prepared


#: Largest number of axes a shape may have in a ``"shapes"`` answer.
MAX_AXES = 4


class ShapesAnswerError(ValueError):
    """A ``"shapes"`` answer that is not a tuple of shapes (the message says what is wrong)."""


def shapes_array(value) -> np.ndarray:
    """A tuple of shapes, ``((m, n), (n,), ())``, as an array: one row per shape, its sizes
    padded with -1 to :data:`MAX_AXES` columns (so shapes of different lengths compare).

    Raises:
        ShapesAnswerError: when ``value`` is not a tuple or list of shapes, or a shape is not a
            tuple of non-negative ints (``(n)`` is the int ``n``: a 1-axis shape is ``(n,)``).
    """
    if isinstance(value, np.ndarray) or not isinstance(value, (tuple, list)):
        raise ShapesAnswerError(
            f"return a tuple of shapes, such as ((m, n), (n,)), not a {type(value).__name__}")
    rows = []
    for k, shape in enumerate(value, 1):
        if not isinstance(shape, (tuple, list)):
            raise ShapesAnswerError(
                f"shape {k} is {shape!r}, not a tuple: a vector of length n has shape (n,) "
                "(with the comma), a scalar has shape ()")
        if len(shape) > MAX_AXES:
            raise ShapesAnswerError(f"shape {k} has {len(shape)} axes; at most {MAX_AXES} here")
        for size in shape:
            if isinstance(size, bool) or not isinstance(size, (int, np.integer)) or size < 0:
                raise ShapesAnswerError(
                    f"shape {k} is {tuple(shape)!r}: its sizes must be non-negative ints")
        rows.append([float(v) for v in shape] + [-1.0] * (MAX_AXES - len(shape)))
    return np.array(rows, dtype=np.float64).reshape(len(rows), MAX_AXES)


def graded_callable(ex: Exercise, fn):
    """The function the sandbox runs for ``ex``: ``fn`` itself, or for a ``"shapes"`` exercise
    ``fn`` followed by :func:`shapes_array` (in the sandbox, so a malformed answer is caught
    there like any error of the learner's code)."""
    if ex.task != "shapes":
        return fn

    def shapes_answer(*args):
        return shapes_array(fn(*args))

    return shapes_answer


def shape_of_row(row) -> tuple[int, ...]:
    """The shape that one row of :func:`shapes_array` encodes."""
    return tuple(int(v) for v in row if v >= 0)


# ================================================================================================
# registration
# ================================================================================================
# The answer's name is unique across the book (an operator prefix, d_, grad_, jac_, hess_, and
# what is differentiated: "grad_quadratic_form"): after "Run all" every answer is defined in the
# same kernel, and a check cell that receives another exercise's answer says so instead of
# grading it.

EXERCISES: dict[str, Exercise] = {}

#: The kinds of task an exercise sets (``Exercise.task``).
TASKS: tuple[str, ...] = ("implement", "shapes", "spot-error", "tensor", "own-check", "by-hand",
                          "project-step")


def _register(ex: Exercise) -> Exercise:
    if ex.id in EXERCISES:
        raise ValueError(f"duplicate exercise id {ex.id!r}")
    if ex.task not in TASKS:
        raise ValueError(f"{ex.id}: task {ex.task!r} is not one of {TASKS}")
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


def _ex(id, answer, title, kind, args, cases, reference, *, hints=(), terms=None,
        n_samples=None, rtol=1e-6, task="implement"):
    """Register an exercise (the catalogue's shorthand); a hint is ``(kind, wrong, message)``."""
    return _register(Exercise(id, title, kind, tuple(args), cases, reference,
                              tuple(Hint(*h) for h in hints), terms, n_samples, rtol, answer,
                              task))


# ================================================================================================
# input helpers shared by several chapters (a chapter's own helpers stay in its catalogue module)
# ================================================================================================

def _nonsym(rng, d):
    A = rng.normal(size=(d, d))
    return A + np.triu(np.ones((d, d)))  # visibly non-symmetric


def _sym(rng, d):
    B = rng.normal(size=(d, d))
    return (B + B.T) / 2


def _points(*pts):
    return lambda rng: [Case((p,), f"x = {p:g}") for p in pts]


def _xA_cases(rng, sizes=(3, 4, 2, 5), sym_at=(2,)):
    out = []
    for k, d in enumerate(sizes):
        if k in sym_at:
            out.append(Case((rng.normal(size=d), _sym(rng, d)), f"d = {d}, symmetric A",
                            frozenset({"symmetric"})))
        else:
            out.append(Case((rng.normal(size=d), _nonsym(rng, d)), f"d = {d}, non-symmetric A"))
    return out


def _nonzero_vec(rng, d):
    v = rng.normal(size=d)
    return np.where(np.abs(v) < 0.1, 0.5, v)


def _labels01(rng, n):
    y = (rng.uniform(size=n) < 0.5).astype(float)
    y[0], y[1] = 0.0, 1.0
    return y


def _pm1(rng, n):
    y = np.where(rng.uniform(size=n) < 0.5, -1.0, 1.0)
    y[0], y[1] = -1.0, 1.0
    return y
