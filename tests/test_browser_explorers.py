"""Browser test of the explorers' static HTML (no kernel): sliders swap the precomputed frames.

A page holding the ``text/html`` of every ready-made explorer (few, tiny frames) plus a generic
explorer shown twice is written to tmp_path and opened from file:// in headless Debian
chromium, driven by Playwright. For every control: setting its value and dispatching ``input``,
and the keyboard (ArrowRight / ArrowLeft on a range, choosing an option in a select), change the
image and the printed value. The page must make no request beyond file:// and data: and log no
error. Skipped, with the reason, where chromium or Playwright is missing.
"""

from __future__ import annotations

import os

import numpy as np
import pytest

pytestmark = pytest.mark.browser

# Chromium comes from the session-wide `browser` fixture of conftest.py (one Playwright per
# process: a second sync_playwright() in the same worker fails).

SMALL = dict(dpi=16)

READY = {
    "tangent_explorer": dict(x0=[-1.0, 0.0, 1.0]),
    "directional_derivative_explorer": dict(angle=[0, 90, 180]),
    "linear_approximation_explorer": dict(x0=[0.0, 1.0], y0=[-0.5, 0.5]),
    "quadratic_form_explorer": dict(a11=[1.0, -1.0], a12=[0.0, 1.0], a22=[1.0]),
    "gradient_descent_explorer": dict(lr=[0.04, 0.12, 0.24], steps=[2, 10]),
    "activation_explorer": dict(func=["sigmoid", "relu", "tanh"], x0=[-1.0, 1.0]),
    "softmax_temperature_explorer": dict(T=[0.5, 1, 3]),
    "logistic_regression_explorer": dict(iteration=[0, 2, 10]),
    "map_mle_explorer": dict(tau=[0.1, 1, 10], n=[2, 20]),
}


def _plot_generic(fig, a, shape):
    ax = fig.subplots()
    x = np.linspace(-2, 2, 41)
    ax.plot(x, {"sin": np.sin, "tanh": np.tanh, "cube": lambda t: t**3 / 8}[shape](a * x))
    ax.set_ylim(-1.1, 1.1)


@pytest.fixture(scope="module")
def page_url(tmp_path_factory):
    from mlcalc import explore, explorers

    parts = []
    for name, specs in READY.items():
        ex = getattr(explorers, name)(**specs, **SMALL)
        parts.append(f'<section data-name="{name}">{ex._repr_mimebundle_()["text/html"]}</section>')
    generic = explore(_plot_generic, a=(0.5, 2.0, 0.5), shape=["sin", "tanh", "cube"], **SMALL)
    for i in range(2):  # the same explorer twice on one page: ids must not clash
        parts.append(f'<section data-name="generic-{i}">'
                     f'{generic._repr_mimebundle_()["text/html"]}</section>')
    html = ("<!doctype html><html lang='en'><head><meta charset='utf-8'><title>explorers</title>"
            "</head><body>" + "".join(parts) + "</body></html>")
    path = tmp_path_factory.mktemp("explorers") / "explorers.html"
    path.write_text(html, encoding="utf-8")
    return path.as_uri()


@pytest.fixture(scope="module")
def page(browser, page_url):
    pg = browser.new_page(viewport={"width": 900, "height": 900})
    requests, errors = [], []
    pg.on("request", lambda r: requests.append(r.url))
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    pg.goto(page_url)
    pg.wait_for_load_state("load")
    pg.requests, pg.errors = requests, errors
    yield pg
    pg.close()


def _state(section):
    img = section.locator("img.mlx-img")
    return {
        "src": img.get_attribute("src"),
        "alt": img.get_attribute("alt"),
        "outputs": section.locator("output").all_inner_texts(),
    }


SECTIONS = list(READY) + ["generic-0", "generic-1"]


@pytest.mark.parametrize("name", SECTIONS)
def test_setting_value_and_dispatching_input_swaps_the_frame(page, name):
    section = page.locator(f'section[data-name="{name}"]')
    controls = section.locator("[data-mlx-param]")
    assert controls.count() >= 1
    assert section.locator("img.mlx-img").evaluate("im => im.complete && im.naturalWidth > 0")
    for j in range(controls.count()):
        control = controls.nth(j)
        cid = control.get_attribute("id")
        label = section.locator(f'label[for="{cid}"]')
        assert label.count() == 1 and label.inner_text().strip()
        n = (int(control.get_attribute("max")) + 1 if control.get_attribute("type") == "range"
             else control.locator("option").count())
        if n < 2:
            continue
        before = _state(section)
        target = 1 if control.evaluate("c => c.value") == "0" else 0
        control.evaluate(
            "(c, v) => { c.value = String(v); c.dispatchEvent(new Event('input')); }", target)
        after = _state(section)
        assert after["src"] != before["src"], f"{name}: image did not change for control {j}"
        assert after["alt"] != before["alt"]
        if control.get_attribute("type") == "range":
            out = section.locator(f'output[for="{cid}"]').inner_text()
            assert out in after["alt"] and after["outputs"] != before["outputs"]
            assert control.get_attribute("aria-valuetext") == out
        assert section.locator("img.mlx-img").evaluate(
            "im => new Promise(r => im.complete ? r(im.naturalWidth) : im.onload = "
            "() => r(im.naturalWidth))") > 0


@pytest.mark.parametrize("name", SECTIONS)
def test_keyboard_moves_the_slider(page, name):
    section = page.locator(f'section[data-name="{name}"]')
    ranges = section.locator('input[type="range"]')
    for j in range(ranges.count()):
        r = ranges.nth(j)
        if r.get_attribute("max") == "0":
            continue
        cid = r.get_attribute("id")
        out = section.locator(f'output[for="{cid}"]')
        r.focus()
        page.keyboard.press("Home")
        start_src, start_out = _state(section)["src"], out.inner_text()
        page.keyboard.press("ArrowRight")
        assert r.evaluate("c => c.value") == "1"
        assert _state(section)["src"] != start_src
        assert out.inner_text() != start_out
        page.keyboard.press("ArrowLeft")
        assert _state(section)["src"] == start_src and out.inner_text() == start_out


def test_select_picks_a_named_option(page):
    section = page.locator('section[data-name="activation_explorer"]')
    select = section.locator("select")
    select.select_option(label="sigmoid")
    before = _state(section)
    assert "activation = sigmoid" in before["alt"]
    select.select_option(label="relu")
    after = _state(section)
    assert after["src"] != before["src"] and "activation = relu" in after["alt"]
    select.select_option(label="sigmoid")
    assert _state(section)["src"] == before["src"]


def test_two_copies_are_independent_and_ids_unique(page):
    ids = page.evaluate("() => [...document.querySelectorAll('[id]')].map(e => e.id)")
    assert len(ids) == len(set(ids))
    first = page.locator('section[data-name="generic-0"]')
    second = page.locator('section[data-name="generic-1"]')
    first.locator('input[type="range"]').evaluate(
        "c => { c.value = '3'; c.dispatchEvent(new Event('input')); }")
    assert first.locator("output").first.inner_text() == "2.0"
    assert second.locator("output").first.inner_text() != "2.0"


def test_offline_and_no_errors(page):
    external = [u for u in page.requests if not u.startswith(("file:", "data:"))]
    assert external == [], f"requests left the page: {external}"
    assert page.errors == []


# ------------------------------------------------------------------ the live view's widgets

VENDOR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "_vendor",
                      "widgets")


def test_live_widget_view_renders_in_the_widget_manager(browser, tmp_path):
    """The live view (sliders + Image) renders in @jupyter-widgets' own views, as in JupyterLab.

    The widgets' state is embedded in a page with the vendored HTML manager, which renders it
    with the same ``@jupyter-widgets/controls`` views JupyterLab uses (a trait those views
    cannot handle shows the "Failed to create view" error box instead of the figure).
    """
    embed_js = os.path.join(VENDOR, "embed-amd.js")
    require_js = os.path.join(VENDOR, "require.js")
    if not (os.path.exists(embed_js) and os.path.exists(require_js)):
        pytest.skip("_vendor/widgets/ (vendored @jupyter-widgets/html-manager) not found")
    import json
    from pathlib import Path

    from ipywidgets.embed import embed_data

    from mlcalc import explore

    ex = explore(_plot_generic, a=(0.5, 1.0, 0.5), shape=["sin", "tanh"], title="live", **SMALL)
    data = embed_data(views=[ex.widget()])
    state = json.dumps(data["manager_state"]).replace("</", "<\\/")
    view = json.dumps(data["view_specs"][0])
    page = (
        "<!doctype html><html><head><meta charset='utf-8'>"
        f"<script src='{Path(require_js).as_uri()}'></script>"
        f"<script src='{Path(embed_js).as_uri()}'></script>"
        f"<script type='application/vnd.jupyter.widget-state+json'>{state}</script>"
        "</head><body>"
        f"<script type='application/vnd.jupyter.widget-view+json'>{view}</script>"
        "</body></html>"
    )
    path = tmp_path / "live.html"
    path.write_text(page, encoding="utf-8")
    pg = browser.new_page()
    try:
        pg.goto(path.as_uri())
        pg.wait_for_selector(".widget-vbox", timeout=30000)
        pg.wait_for_function(
            "() => document.querySelectorAll('.widget-slider, .widget-dropdown').length === 2 "
            "|| document.querySelector('.jupyter-widgets-error-widget')", timeout=30000)
        errors = pg.locator(".jupyter-widgets-error-widget")
        assert errors.count() == 0, errors.first.inner_text()
        assert pg.locator(".widget-vbox img").evaluate(
            "im => new Promise(r => im.complete ? r(im.naturalWidth) : "
            "im.onload = () => r(im.naturalWidth))") == ex.frame_size[0]
        assert "Shown for a = 0.5, shape = sin." in pg.locator(".widget-vbox").inner_text()
    finally:
        pg.close()
