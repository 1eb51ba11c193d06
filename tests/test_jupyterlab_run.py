"""Chapters and an exercise run in a real JupyterLab, driven as a learner drives it.

JupyterLab serves a temporary learner workspace (``mlcalc.workspace.sync``, as ``make lab``)
in headless Chromium, the way JupyterLab's own Galata tests drive it:

* two chapters with explorers run top to bottom with no error output; moving a slider changes
  the figure; saved, with the kernel gone, and reopened, they show no widget error, are not
  marked modified, and the explorer's static view responds to its slider with no kernel; run
  again, the live widget is back and its slider redraws the figure;
* an exercise notebook: hints folded until clicked; Run all (every check "not attempted"); a
  check run after editing, but before re-running, its answer cell says to run that cell; then
  a wrong answer gets the grader's expected diagnosis.

Screenshots land in ``_build/screenshots/jupyterlab-*.png``: look at them.
Skipped locally where Chromium or Playwright is missing (a failure under CI, which installs
both). The server and the tab are the ``lab`` and ``lab_page`` fixtures of ``conftest.py``; no
request may leave 127.0.0.1.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from jupyterlab_driver import Notebook

from mlcalc import EXERCISES, check

pytestmark = pytest.mark.jupyterlab

ROOT = Path(__file__).resolve().parent.parent
SHOTS = ROOT / "_build" / "screenshots"
# A chapter with two explorers, chosen because it runs in seconds. (Every explorer's static view
# is tested in the HTML book, tests/test_browser.py, and its frames in test_explorer_frames.py;
# this test is about JupyterLab: live, saved, reopened without a kernel, live again.)
EXPLORER_CHAPTERS = ["chapters/gradients.ipynb"]
EXERCISE = "exercises/gradients.ipynb"
EXERCISE_ID = "gradients/quadratic-form"


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"jupyterlab-{name}.png"))


def _first_explorer(nb: Notebook) -> int:
    return nb.js("""() => window.jupyterapp.shell.currentWidget.content.widgets.findIndex(
        c => !!c.node.querySelector('.jp-OutputArea .widget-slider img, .jp-OutputArea'
                                    + ' .jupyter-widgets img'))""")


def _explorer_state(nb: Notebook, index: int) -> dict:
    return nb.js("""(i) => { const c = window.jupyterapp.shell.currentWidget.content.widgets[i];
        const img = c.node.querySelector('.jp-OutputArea .jupyter-widgets img');
        const sliders = c.node.querySelectorAll('.jp-OutputArea .widget-slider');
        return {src: img ? img.src : null, sliders: sliders.length,
                text: c.node.querySelector('.jp-OutputArea').innerText.slice(0, 300)}; }""",
                     index)


def _move_slider(page, nb: Notebook, index: int) -> None:
    handle = page.locator(".jp-Notebook-cell").nth(index).locator(".noUi-handle").first
    handle.scroll_into_view_if_needed()
    handle.focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")


@pytest.mark.parametrize("path", EXPLORER_CHAPTERS)
def test_chapter_runs_explorers_respond_and_survive_reopening(lab_page, lab, path):
    name = Path(path).stem
    seen = len(lab_page.page_errors)
    nb = Notebook(lab_page, lab, path)
    assert not nb.dirty, f"{path} is marked modified as soon as it opens (kernel started)"
    nb.run_all()
    assert not nb.error_outputs(), f"error output after Run all: {nb.error_outputs()[:3]}"
    k = _first_explorer(nb)
    assert k >= 0, f"{path} shows no live explorer after Run all"
    nb.scroll_to(k)
    before = _explorer_state(nb, k)
    assert before["src"] and before["sliders"] >= 1, before
    _move_slider(lab_page, nb, k)
    lab_page.wait_for_function(
        """([i, src]) => { const img = window.jupyterapp.shell.currentWidget.content.widgets[i]
             .node.querySelector('.jp-OutputArea .jupyter-widgets img');
           return img && img.src !== src; }""", arg=[k, before["src"]], timeout=20_000)
    _shot(lab_page, f"{name}-live")

    # The learner saves and leaves; the next day the kernel is gone and the file is reopened.
    nb.save()
    lab.shutdown_kernels()
    again = Notebook(lab_page, lab, path)
    assert not again.widget_errors(), (
        f"'Error displaying widget' in cells {again.widget_errors()} of the reopened {path}")
    assert not again.dirty, f"the reopened {path} is marked modified as soon as it opens"
    # It was saved with the explorer's static view, which works with no kernel: moving its
    # slider swaps the precomputed frame, as in the HTML book.
    again.scroll_to(k)
    static = lab_page.locator(".jp-Notebook-cell").nth(k).locator(".mlx-explorer")
    assert static.count() == 1, f"the reopened explorer shows no static view: {path} cell {k}"
    img = static.locator("img.mlx-img")
    src = img.get_attribute("src")
    # Drag the slider one step (set the range's value and fire `input`, as a drag does).
    static.locator("input[type=range]").first.evaluate(
        """c => { c.value = String(Number(c.value) + 1 <= Number(c.max) ? Number(c.value) + 1
                                   : Number(c.value) - 1);
                 c.dispatchEvent(new Event('input', {bubbles: true})); }""")
    assert img.get_attribute("src") != src, "the reopened static explorer does not respond"
    _shot(lab_page, f"{name}-reopened")

    # Run again: the explorer is live again.
    again.run_all()
    assert not again.error_outputs()
    assert not again.widget_errors()
    again.scroll_to(k)
    live = _explorer_state(again, k)
    _move_slider(lab_page, again, k)
    lab_page.wait_for_function(
        """([i, src]) => { const img = window.jupyterapp.shell.currentWidget.content.widgets[i]
             .node.querySelector('.jp-OutputArea .jupyter-widgets img');
           return img && img.src !== src; }""", arg=[k, live["src"]], timeout=20_000)
    again.save()
    lab.shutdown_kernels()
    assert not lab_page.page_errors[seen:], lab_page.page_errors[seen:][:3]


def test_exercise_grades_a_wrong_answer_and_a_stale_one(lab_page, lab):
    ex = EXERCISES[EXERCISE_ID]
    seen = len(lab_page.page_errors)
    nb = Notebook(lab_page, lab, EXERCISE)
    assert not nb.dirty, f"{EXERCISE} is marked modified as soon as it opens (kernel started)"
    # Hints are folded until clicked.
    hints = lab_page.locator(".jp-Notebook details")
    assert hints.count() >= 5 and all(
        not hints.nth(i).evaluate("d => d.open") for i in range(hints.count()))
    hints.first.locator("summary").click()
    assert hints.first.evaluate("d => d.open")
    hints.first.locator("summary").click()

    nb.run_all()
    assert not nb.error_outputs(), nb.error_outputs()[:3]
    check_cell = nb.index_of(f'check("{EXERCISE_ID}"')
    answer_cell = nb.index_of(f"def {ex.answer}(")
    assert answer_cell < check_cell
    assert "Not attempted" in nb.output_text(check_cell)

    # The learner writes a wrong answer (right only for a symmetric A), then runs the check
    # without running the answer cell: the check says to run that cell first.
    wrong = f"def {ex.answer}(x, A):\n    return 2 * A @ x\n"
    nb.set_source(answer_cell, wrong)
    nb.run_cell(check_cell)
    stale = nb.output_text(check_cell)
    assert "Not attempted" in stale and f"def {ex.answer}" in stale, stale

    # Now the answer cell, then the check: the verdict is the grader's diagnosis of 2Ax.
    nb.run_cell(answer_cell)
    nb.run_cell(check_cell)
    shown = nb.output_text(check_cell)
    expected = check(EXERCISE_ID, lambda x, A: 2 * A @ x, sandbox="none")
    assert expected.status == "wrong"
    assert "Not yet right" in shown and expected.message in shown.replace("\n", " "), shown
    nb.scroll_to(check_cell - 1)
    _shot(lab_page, "exercise-verdict")
    nb.save()
    lab.shutdown_kernels()
    assert not lab_page.page_errors[seen:], lab_page.page_errors[seen:][:3]

