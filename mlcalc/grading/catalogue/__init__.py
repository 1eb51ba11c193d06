"""The catalogue of exercises: one module per chapter, registered in the book's order.

Each module ``catalogue/<chapter>.py`` registers its chapter's exercises with
:func:`mlcalc.grading.spec._ex` and holds the input helpers only that chapter uses. Each exercise
says: the name of the learner's function, the kind of answer, the argument names, how to make
inputs (seeded from the id), the reference answer, known wrong answers with their explanations,
and optionally the terms of the answer (for "one term missing") and the sample count (for a stray
1/n). The notebooks in ``exercises/`` hold the task text, hints and worked solutions;
``tests/test_exercises.py`` keeps the two in sync.

Importing this package imports the chapters in the order of ``CHAPTERS`` (the book's order), so
``EXERCISES`` lists the exercises chapter by chapter. A new chapter's module is added to
``CHAPTERS``; a new exercise goes into its chapter's module.
"""

import importlib

CHAPTERS = (
    "derivatives",
    "gradients",
    "jacobians",
    "chain_rule",
    "hessians",
    "matrix_derivatives",
    "activations",
    "losses",
    "linear_models",
    "likelihood",
    "backprop",
    "checking_derivatives",
)

for _chapter in CHAPTERS:
    importlib.import_module(f"{__name__}.{_chapter}")
del _chapter
