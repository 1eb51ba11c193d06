"""Batch grading for instructors: ``python -m mlcalc.grade SUBMISSION.ipynb ... --out grades.csv``.

Grades learners' exercise notebooks with the same verdicts as their check cells, each in its own
process with time and memory limits, never trusting the notebooks' outputs; writes a CSV (one row
per submission, one column per exercise) and a Markdown report. The work is done by
:mod:`mlcalc.grading.batch`; see the README, "Grading a class (instructors)".
"""

import sys

from mlcalc.grading.batch import main

if __name__ == "__main__":
    sys.exit(main())
