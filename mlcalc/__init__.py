"""mlcalc: the helper package of the verified textbook on matrix calculus for machine learning.

Chapters and exercises import public names from here (``from mlcalc import check_grad``).
Importing has no side effects: no plot styles, no global random state.
"""

__version__ = "0.1.0"

__all__: list[str] = []

# --- re-exports ---
