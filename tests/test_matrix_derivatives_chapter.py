"""The structure the Matrix derivatives chapter promises its readers, kept by tests.

The chapter teaches differentials as its main method: they come before the derivatives of
matrices by matrices, and in that section the one-line differential derivation of A^T G B^T comes
before the 4-index view. Its layout statement says that strict numerator layout writes the
transpose (the Jacobians chapter and the notation appendix say the same). Exercises refer to its
sections by number, so a renumbering that breaks such a reference fails here.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHAPTER = ROOT / "chapters" / "matrix_derivatives.ipynb"
EXERCISES = [ROOT / "exercises" / "matrix_derivatives.ipynb",
             ROOT / "exercises" / "solutions" / "matrix_derivatives.ipynb"]


def _markdown(path: Path) -> str:
    nb = json.loads(path.read_text(encoding="utf-8"))
    return "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")


def _sections(text: str) -> list[tuple[int, str]]:
    return [(int(n), title) for n, title in re.findall(r"^## (\d+)\. (.*)$", text, re.M)]


def test_sections_are_numbered_consecutively():
    numbers = [n for n, _ in _sections(_markdown(CHAPTER))]
    assert numbers == list(range(1, len(numbers) + 1)), numbers


def test_differentials_come_before_matrices_by_matrices():
    titles = {title.lower(): n for n, title in _sections(_markdown(CHAPTER))}
    differential = next(n for t, n in titles.items() if "differential method" in t)
    by_matrices = next(n for t, n in titles.items() if "matrices by matrices" in t)
    assert differential < by_matrices
    text = _markdown(CHAPTER)
    section = text[text.index("Matrices by matrices"):]
    one_line = section.index(r"\operatorname{tr}({G}^\top d{Y})")
    four_index = section.index(r"\frac{\partial Y_{ab}}{\partial X_{ij}}")
    assert one_line < four_index, "the differential derivation should lead, the 4-index sum follow"


def test_section_references_of_the_exercises_still_point_at_the_right_section():
    sections = dict(_sections(_markdown(CHAPTER)))
    for path in EXERCISES:
        for number in re.findall(r"section (\d+) of the chapter", _markdown(path)):
            title = sections.get(int(number), "")
            assert "symmetric" in title.lower(), (
                f"{path.name} refers to section {number} of the chapter for symmetric matrices, "
                f"which is now {title!r}")


def test_layout_statement_says_numerator_layout_is_the_transpose():
    text = _markdown(CHAPTER)
    assert "do not disagree" not in text
    section_1 = text[text.index("## 1."):text.index("## 2.")]
    assert re.search(r"numerator layout\*\*.{0,200}transpose", section_1, re.S)


def test_the_two_kroneckers_are_told_apart():
    text = _markdown(CHAPTER)
    assert re.search(r"Kronecker.{0,300}(unrelated|nothing else)", text, re.S)
