"""Tests of mlcalc.widgets (explore / Explorer) and mlcalc.explorers (the ready-made explorers).

Fast: explorers here use tiny frames (dpi 16) and few frames. The page
weight of the full-size ready-made explorers is measured by benchmarks/widgets/.
"""

from __future__ import annotations

import base64
import io
import json
import re
from html.parser import HTMLParser

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from PIL import Image  # noqa: E402

from mlcalc import explorers as E  # noqa: E402
from mlcalc.explorers import _common as EH  # noqa: E402
from mlcalc.explorers import activations as EA  # noqa: E402
from mlcalc.explorers import calculus as EC  # noqa: E402
from mlcalc.explorers import curvature as EQ  # noqa: E402
from mlcalc.explorers import models as EM  # noqa: E402
from mlcalc.widgets import Explorer, explore  # noqa: E402

SMALL = dict(dpi=16)  # 102 x 57 px frames: fast, same layout as the default 640 x 360
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def plot_line(fig, slope, offset=0.0):
    ax = fig.subplots()
    x = np.linspace(-1, 1, 5)
    ax.plot(x, slope * x + offset)
    ax.set_ylim(-3, 3)


def plot_named(fig, a, func):
    ax = fig.subplots()
    x = np.linspace(-2, 2, 21)
    ax.plot(x, {"sin": np.sin, "tanh": np.tanh, "cube": lambda t: t**3}[func](a * x))
    ax.set_ylim(-1.1, 1.1)


class _Tags(HTMLParser):
    """Collects start tags with attributes, and the text inside <output> / <label>."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.text: dict[int, str] = {}
        self._open: int | None = None

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag in ("output", "label"):
            self._open = len(self.tags) - 1

    def handle_endtag(self, tag):
        if tag in ("output", "label"):
            self._open = None

    def handle_data(self, data):
        if self._open is not None:
            self.text[self._open] = self.text.get(self._open, "") + data

    def find(self, tag, **attrs):
        return [
            (i, a) for i, (t, a) in enumerate(self.tags)
            if t == tag and all(a.get(k) == v for k, v in attrs.items())
        ]


def parse(html: str) -> _Tags:
    p = _Tags()
    p.feed(html)
    return p


def embedded_data(html: str) -> dict:
    m = re.search(r'<script type="application/json" class="mlx-data">(.*?)</script>', html, re.S)
    assert m, "no embedded frame data"
    return json.loads(m.group(1))


# ------------------------------------------------------------------ display bundle


def test_bundle_has_widget_view_and_html_fallback():
    ex = explore(plot_line, slope=(-1.0, 1.0, 1.0), **SMALL)
    bundle = ex._repr_mimebundle_()
    assert WIDGET_VIEW in bundle and "text/html" in bundle and "text/plain" in bundle
    assert bundle[WIDGET_VIEW]["model_id"] == ex.widget().model_id
    assert '<input type="range"' in bundle["text/html"]
    png = base64.b64decode(bundle["image/png"])
    assert png == ex.frame()  # the default frame, for non-HTML builders (PDF)


def test_static_mode_emits_no_widget(monkeypatch):
    monkeypatch.setenv("MLCALC_EXPLORERS", "static")
    ex = explore(plot_line, slope=(-1.0, 1.0, 1.0), **SMALL)
    bundle = ex._repr_mimebundle_()
    assert WIDGET_VIEW not in bundle
    assert ex._widget is None  # no widget (hence no widget state in the built page)
    assert "text/html" in bundle


def test_sphinx_hook_sets_static_mode(monkeypatch):
    from mlcalc import widgets

    monkeypatch.delenv("MLCALC_EXPLORERS", raising=False)
    meta = widgets.setup(app=None)
    import os

    assert os.environ["MLCALC_EXPLORERS"] == "static"
    assert meta["parallel_read_safe"]


def test_split_modules_keep_the_widgets_names():
    """widgets.py was split (parameter specs, static HTML): every name stays importable from
    mlcalc.widgets, the Sphinx hook included, and the moved names are the same objects."""
    import importlib

    from mlcalc import widget_html, widget_params, widgets

    assert widgets.setup is importlib.import_module("mlcalc.widgets").setup
    for mod in (widget_params, widget_html):
        for name in dir(mod):
            if name.startswith("_") and not name.startswith("__") or name == "render_html":
                obj = getattr(mod, name)
                if getattr(obj, "__module__", mod.__name__) == mod.__name__ and not (
                        isinstance(obj, type(importlib))):
                    assert getattr(widgets, name) is obj, name
    ex = explore(plot_named, a=(0.5, 1.5, 0.5), func=["sin", "tanh"], title="T", **SMALL)
    body = widget_html.render_html("u", ex._params, ex._frames, ex._index, alt=ex.alt,
                                   title=ex.title, frame_size=ex.frame_size)
    assert body == ex.html_body("u")


# ------------------------------------------------------------------ static HTML


def test_html_has_labelled_control_per_parameter_and_alt():
    ex = explore(plot_named, a=(0.5, 1.5, 0.5), func=["sin", "tanh"], title="Two",
                 alt="A curve whose frequency changes.", labels={"a": "frequency a"}, **SMALL)
    html = ex.html()
    p = parse(html)
    ranges = p.find("input", type="range")
    selects = p.find("select")
    assert len(ranges) == 1 and len(selects) == 1
    controls = [a for _, a in ranges + selects]
    for a in controls:
        labels = p.find("label", **{"for": a["id"]})
        assert len(labels) == 1, f"control {a['id']} has no <label for=...>"
    (i_lab, _), = p.find("label", **{"for": ranges[0][1]["id"]})
    assert p.text[i_lab] == "frequency a"
    r = ranges[0][1]
    assert (r["min"], r["max"], r["step"], r["value"]) == ("0", "2", "1", "1")
    assert r["aria-valuetext"] == "1.0"
    (i_out, _), = p.find("output", **{"for": r["id"]})
    assert p.text[i_out] == "1.0"  # the value printed beside the slider
    (_, img), = p.find("img")
    assert img["alt"].startswith("A curve whose frequency changes.")
    assert "frequency a = 1.0" in img["alt"] and "func = sin" in img["alt"]
    assert img["src"].startswith("data:image/png;base64,")
    assert (img["width"], img["height"]) == ("102", "57")
    ids = [a["id"] for _, a in p.tags if "id" in a]
    assert len(ids) == len(set(ids))
    # self-contained: no external resources, no network
    assert not re.search(r"""(src|href)=["'](https?:)?//""", html)
    assert "http://" not in html and "https://" not in html
    assert len(p.find("script")) == 2


def test_default_alt_text_names_what_changes():
    ex = explore(plot_line, slope=(-1.0, 1.0, 1.0), offset=[0.0, 1.0], title="Lines", **SMALL)
    assert ex.alt == "Interactive 'Lines': it is redrawn as slope and offset change."
    (_, img), = parse(ex.html()).find("img")
    assert img["alt"].endswith("Shown for slope = 0.0, offset = 0.")


def test_embedded_frames_match_rendered_frames():
    ex = explore(plot_named, a=(0.5, 1.5, 0.5), func=["sin", "tanh"], **SMALL)
    data = embedded_data(ex.html())
    assert data["n"] == [3, 2]
    assert data["v"] == [["0.5", "1.0", "1.5"], ["sin", "tanh"]]
    (_, img), = parse(ex.html()).find("img")
    frames = [f if f is not None else img["src"].split(",", 1)[1] for f in data["f"]]
    for ia in range(3):
        for jf in range(2):
            k = ia * 2 + jf
            assert base64.b64decode(frames[data["i"][k]]) == ex.frame((ia, jf))
    assert data["f"][data["i"][data["d"]]] is None  # the default frame is stored once (in <img>)


def test_identical_frames_stored_once():
    def plot_ignores_b(fig, a, b):
        fig.subplots().plot([0, 1], [0, a])

    ex = explore(plot_ignores_b, a=[1.0, 2.0], b=(0, 2, 1), **SMALL)
    assert ex.n_frames == 6 and ex.n_unique_frames == 2
    data = embedded_data(ex.html())
    assert data["i"] == [0] * 3 + [1] * 3


def test_html_is_deterministic():
    def make():
        return explore(plot_named, a=(0.5, 1.0, 0.5), func=["sin", "tanh"], title="t", **SMALL)

    a, b = make(), make()
    assert a is not b and a.html() == b.html()
    assert re.search(r'id="mlx-[0-9a-f]{12}"', a.html())
    # the ids depend on the content
    c = explore(plot_named, a=(0.5, 1.0, 0.5), func=["sin", "cube"], title="t", **SMALL)
    assert re.search(r'id="(mlx-[0-9a-f]{12})"', c.html()).group(1) != re.search(
        r'id="(mlx-[0-9a-f]{12})"', a.html()).group(1)


def test_same_explorer_twice_on_a_page_gets_unique_ids():
    ex = explore(plot_line, slope=(-1.0, 1.0, 1.0), **SMALL)
    first = ex._repr_mimebundle_()["text/html"]
    second = ex._repr_mimebundle_()["text/html"]
    p = parse(first + second)
    ids = [a["id"] for _, a in p.tags if "id" in a]
    assert len(ids) == len(set(ids))
    for _, a in p.find("input", type="range"):
        assert len(p.find("label", **{"for": a["id"]})) == 1


def test_png_frames_have_no_timestamp_or_software_chunk():
    ex = explore(plot_line, slope=(-1.0, 1.0, 1.0), **SMALL)
    png = ex.frame()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert b"tEXt" not in png and b"tIME" not in png and b"iTXt" not in png


# ------------------------------------------------------------------ parameter grids


def test_float_range_grid_is_exact_and_includes_hi():
    ex = explore(plot_line, slope=(-2.0, 2.0, 0.1), precompute=False, **SMALL)
    v = ex.values_of("slope")
    assert len(v) == 41 and v[0] == -2.0 and v[-1] == 2.0
    assert v[23] == 0.3 and v[20] == 0.0 and str(v[20]) == "0.0"  # no 0.30000000000000004, no -0
    assert ex.default_values == {"slope": 0.0}


def test_int_range_gives_ints_and_hi_off_grid_is_excluded():
    ex = explore(plot_line, slope=(0, 9, 2), precompute=False, **SMALL)
    assert ex.values_of("slope") == (0, 2, 4, 6, 8)
    assert all(type(v) is int for v in ex.values_of("slope"))


def test_other_spec_forms():
    ex = explore(plot_line, slope=(-1.0, 1.0), offset=[0.5, 2, 10], precompute=False, **SMALL)
    assert len(ex.values_of("slope")) == 21
    assert ex.values_of("offset") == (0.5, 2, 10)
    ex = explore(plot_line, slope=(-1.0, 1.0, 0.5, 0.5), precompute=False, **SMALL)
    assert ex.default_values == {"slope": 0.5}
    ex = explore(plot_line, slope=[1.0, 2.0], defaults={"slope": 2.0}, precompute=False, **SMALL)
    assert ex.default_values == {"slope": 2.0}


@pytest.mark.parametrize(
    "spec, exc, words",
    [
        ((1.0, 1.0, 0.1), ValueError, ["'slope'", "lo < hi"]),
        ((2.0, 1.0, 0.1), ValueError, ["'slope'", "lo < hi"]),
        ((0.0, 1.0, 0.0), ValueError, ["'slope'", "step > 0"]),
        ((0.0, 1.0, -0.1), ValueError, ["'slope'", "step > 0"]),
        ((0.0, float("nan"), 0.1), ValueError, ["'slope'", "finite"]),
        ((0.0, 1.0, 0.1, 5.0), ValueError, ["'slope'", "outside"]),
        ((0.0, 1.0, 0.1, 0.2, 0.3), ValueError, ["'slope'", "(lo, hi, step)"]),
        ([], ValueError, ["'slope'", "empty"]),
        ([1.0, 1.0], ValueError, ["'slope'", "duplicates"]),
        ([1.0, "a"], TypeError, ["'slope'", "only strings or only numbers"]),
        ("sigmoid", TypeError, ["'slope'", "(lo, hi, step)"]),
        (3.0, TypeError, ["'slope'"]),
    ],
)
def test_bad_specs_raise_with_the_parameter_name(spec, exc, words):
    with pytest.raises(exc) as info:
        explore(plot_line, slope=spec, precompute=False)
    for w in words:
        assert w in str(info.value)


def test_too_many_frames_names_parameter_and_limit():
    with pytest.raises(ValueError, match=r"'slope' has 201 values.*max_frames=64"):
        explore(plot_line, slope=(-1.0, 1.0, 0.01), precompute=False)
    with pytest.raises(ValueError, match=r"'slope' \(11 values\) x 'offset' \(11 values\) make "
                                         r"121 frames.*max_frames=64"):
        explore(plot_line, slope=(-1.0, 1.0, 0.2), offset=(0.0, 1.0, 0.1), precompute=False)
    ex = explore(plot_line, slope=(-1.0, 1.0, 0.2), offset=(0.0, 1.0, 0.1), max_frames=121,
                 precompute=False)
    assert ex.n_frames == 121


def test_other_bad_arguments():
    with pytest.raises(TypeError, match="plot_fn"):
        explore("not callable", slope=(0.0, 1.0, 0.5))
    with pytest.raises(TypeError, match="at least one parameter"):
        explore(plot_line)
    with pytest.raises(TypeError, match=r"plot_fn\(fig, slope, nope=...\)"):
        explore(plot_line, slope=(0.0, 1.0, 0.5), nope=[1, 2])
    with pytest.raises(ValueError, match="reserved"):
        explore(lambda *a, **k: None, fig=(1, 3, 1))
    with pytest.raises(ValueError, match="labels"):
        explore(plot_line, slope=(0.0, 1.0, 0.5), labels={"x": "y"})
    with pytest.raises(ValueError, match="dpi"):
        explore(plot_line, slope=(0.0, 1.0, 0.5), dpi=0)
    with pytest.raises(ValueError, match="figsize"):
        explore(plot_line, slope=(0.0, 1.0, 0.5), figsize=(0, 1))


# ------------------------------------------------------------------ budget


def test_frame_count_and_size_budget():
    ex = explore(plot_named, a=(0.5, 1.5, 0.5), func=["sin", "tanh"], **SMALL)
    assert ex.n_frames == 6 and ex.frame_size == (102, 57)
    for key in [(0, 0), (2, 1)]:
        im = Image.open(io.BytesIO(ex.frame(key)))
        assert im.size == (102, 57) and im.mode == "P"  # palette PNG (quantised)
    assert ex.frame_bytes == sum(len(ex.frame((i, j))) for i in range(3) for j in range(2))
    assert ex.html_bytes == len(ex.html().encode())
    # the HTML is the frames in base64 (4/3) plus a small constant part
    assert ex.html_bytes < 4 / 3 * ex.frame_bytes + 6000


def test_default_size_is_640_by_360():
    ex = explore(plot_line, slope=(-1.0, 1.0, 1.0), precompute=False)
    assert ex.frame_size == (640, 360)
    assert Image.open(io.BytesIO(ex.frame())).size == (640, 360)


def test_byte_budget_raises():
    with pytest.raises(ValueError, match=r"over the budget max_bytes=1,000"):
        explore(plot_line, slope=(-1.0, 1.0, 1.0), max_bytes=1000, **SMALL)


# ------------------------------------------------------------------ live widget


def test_live_widget_redraws_without_leaking_figures():
    plt.close("all")
    plt.figure()  # one figure the user has open
    n_open = len(plt.get_fignums())
    ex = explore(plot_named, a=(0.5, 1.5, 0.5), func=["sin", "tanh"], **SMALL)
    import ipywidgets as W

    c = ex.controls
    assert isinstance(c["a"], W.FloatSlider) and isinstance(c["func"], W.Dropdown)
    assert c["a"].continuous_update is True  # frames are precomputed: dragging is smooth
    seen = {ex.image.value}
    for a in (0.5, 1.5, 1.0):
        for func in ("tanh", "sin"):
            ex.set(a=a, func=func)
            key = (ex.values_of("a").index(a), ex.values_of("func").index(func))
            assert ex.image.value == ex.frame(key)
            assert ex.live_alt.endswith(f"Shown for a = {a:.1f}, func = {func}.")
            assert ex.live_alt.startswith(ex.alt)
            seen.add(ex.image.value)
            assert len(plt.get_fignums()) == n_open
    assert len(seen) == 6
    # moving the widget itself (as the browser does) redraws too
    c["a"].value = 0.5
    c["func"].value = 1
    assert ex.image.value == ex.frame((0, 1))
    assert len(plt.get_fignums()) == n_open
    plt.close("all")


def test_live_widget_renders_on_demand_without_precompute():
    ex = explore(plot_line, slope=(-1.0, 1.0, 0.5), precompute=False, **SMALL)
    ex.set(slope=1.0)
    assert ex.image.value == ex.frame((4,))
    assert ex.controls["slope"].value == 1.0


def test_typed_value_snaps_to_grid():
    ex = explore(plot_line, slope=(-1.0, 1.0, 0.5), **SMALL)
    ex.controls["slope"].value = 0.62
    assert ex.controls["slope"].value == 0.5
    assert ex.image.value == ex.frame((3,))


def test_int_and_number_list_controls():
    import ipywidgets as W

    ex = explore(plot_line, slope=(0, 2, 1), offset=[0.1, 1, 10], **SMALL)
    assert isinstance(ex.controls["slope"], W.IntSlider)
    assert isinstance(ex.controls["offset"], W.SelectionSlider)
    ex.set(offset=10)
    assert ex.image.value == ex.frame((1, 2))


def test_plot_fn_using_pyplot_is_refused_and_cleaned_up():
    plt.close("all")

    def bad(fig, a):
        plt.plot([0, 1], [0, a])

    with pytest.raises(RuntimeError, match="pyplot figure"):
        explore(bad, a=(0.0, 1.0, 0.5), **SMALL)
    assert plt.get_fignums() == []


def test_layout_is_frozen_across_frames():
    def plot_wide_ticks(fig, scale):
        ax = fig.subplots()
        ax.plot([0, 1], [0, scale])

    ex = explore(plot_wide_ticks, scale=[1.0, 100000.0], figsize=(3, 2), dpi=50)
    boxes = []
    for key in [(0,), (1,)]:
        ex.frame(key, cache=False)
        boxes.append(ex._fig.axes[0].get_position().bounds)
    assert boxes[0] == boxes[1]


# ------------------------------------------------------------------ ready-made explorers


READY = {
    "tangent_explorer": dict(x0=[-1.0, 1.0]),
    "directional_derivative_explorer": dict(points=[(0.8, 0.6)], angle=[0, 90]),
    "linear_approximation_explorer": dict(x0=[0.0, 1.0], y0=[0.5]),
    "quadratic_form_explorer": dict(a11=[1.0], a12=[0.0, 2.0], a22=[1.0]),
    "gradient_descent_explorer": dict(lr=[0.1, 0.24], steps=[5]),
    "activation_explorer": dict(func=["sigmoid", "relu"], x0=[0.0]),
    "softmax_temperature_explorer": dict(T=[0.5, 2.0]),
    "logistic_regression_explorer": dict(iteration=[0, 5], method=["Newton"]),
    "map_mle_explorer": dict(tau=[0.1, 10.0], n=[5]),
}


def test_every_ready_made_explorer_is_tested():
    assert set(READY) == set(E.__all__)


@pytest.mark.parametrize("name", sorted(READY))
def test_ready_made_explorer_renders(name):
    plt.close("all")
    ex = getattr(E, name)(**READY[name], **SMALL)
    assert isinstance(ex, Explorer)
    assert ex.n_unique_frames == ex.n_frames == 2  # the slider changes the picture
    p = parse(ex.html())
    assert len(p.find("input", type="range")) + len(p.find("select")) == len(ex.params)
    (_, img), = p.find("img")
    assert len(img["alt"]) > 80
    assert plt.get_fignums() == []


@pytest.mark.parametrize("name", sorted(READY))
def test_ready_made_explorer_default_budget(name):
    ex = getattr(E, name)(precompute=False)
    assert ex.n_frames <= 64
    assert ex.frame_size == (640, 360)


def test_linear_approximation_radius_slider():
    ex = E.linear_approximation_explorer(x0=[0.0], y0=[0.0], radius=[0.75, 0.25],
                                         precompute=False)
    assert ex.params == ("x0", "y0", "radius")


def test_ready_made_explorers_reject_bad_arguments():
    with pytest.raises(ValueError, match="func"):
        E.activation_explorer(func=["sigmoid", "swish"], precompute=False)
    with pytest.raises(ValueError, match="logits"):
        E.softmax_temperature_explorer(logits=[1.0], precompute=False)
    with pytest.raises(ValueError, match="T"):
        E.softmax_temperature_explorer(T=[0.0, 1.0], precompute=False)
    with pytest.raises(ValueError, match="method"):
        E.logistic_regression_explorer(method=["Adam"], precompute=False)
    with pytest.raises(ValueError, match="w0"):
        E.gradient_descent_explorer(w0=(1.0, 2.0, 3.0), precompute=False)
    with pytest.raises(ValueError, match="n"):
        E.map_mle_explorer(n=[0, 5], precompute=False)
    with pytest.raises(ValueError, match="radius"):
        E.linear_approximation_explorer(radius=-1.0, precompute=False)


# ------------------------------------------------------------------ the numbers they show


def _num_grad(f, w, h=1e-6):
    w = np.asarray(w, dtype=float)
    g = np.zeros_like(w)
    for i in range(w.size):
        e = np.zeros_like(w)
        e[i] = h
        g[i] = (f(w + e) - f(w - e)) / (2 * h)
    return g


def test_default_gradients_and_jacobians_match_finite_differences():
    rng = np.random.default_rng(8)
    for _ in range(5):
        w = rng.normal(size=2)
        g = _num_grad(lambda v: EC._bowl(v[0], v[1]), w)
        np.testing.assert_allclose(EC._bowl_grad(*w), g, rtol=1e-6, atol=1e-8)
        J = np.stack([_num_grad(lambda v, i=i: EC._warp(v[0], v[1])[i], w) for i in range(2)])
        np.testing.assert_allclose(EC._warp_jac(*w), J, rtol=1e-6, atol=1e-8)
        x = rng.normal(size=3)
        np.testing.assert_allclose(EC._cubic_prime(x), EH._central_diff(EC._cubic, x), rtol=1e-6)
    # the generic fallbacks are what they claim
    np.testing.assert_allclose(EH._numerical_gradient(lambda v: v @ v, np.array([1.0, -2.0])),
                               [2.0, -4.0], rtol=1e-8)
    np.testing.assert_allclose(
        EH._numerical_jacobian(lambda v: np.array([v[0] * v[1], v[0]]), np.array([2.0, 3.0])),
        [[3.0, 2.0], [1.0, 0.0]], rtol=1e-8, atol=1e-10)


def test_directional_derivative_is_maximal_along_the_gradient():
    w = np.array([0.8, 0.6])
    g = EC._bowl_grad(*w)
    thetas = np.deg2rad(np.arange(0, 360, 0.5))
    U = np.stack([np.cos(thetas), np.sin(thetas)], axis=1)
    h = 1e-6
    d = np.array([(EC._bowl(*(w + h * u)) - EC._bowl(*(w - h * u))) / (2 * h) for u in U])
    np.testing.assert_allclose(d, U @ g, rtol=1e-6, atol=1e-8)
    best = U[np.argmax(d)]
    assert np.degrees(np.arccos(np.clip(best @ g / np.linalg.norm(g), -1, 1))) < 0.5
    assert abs(d.max() - np.linalg.norm(g)) < 1e-4


@pytest.mark.parametrize(
    "lam, verdict",
    [
        ([0.5, 2.5], "minimum"),
        ([-2.0, -0.1], "maximum"),
        ([-1.0, 3.0], "saddle"),
        ([0.0, 1.0], "semidefinite"),
        ([0.0, 0.0], "semidefinite"),
    ],
)
def test_quadratic_verdict(lam, verdict):
    assert EQ._quadratic_verdict(np.array(lam)).startswith(verdict)


def test_quadratic_verdict_disagrees_with_the_diagonal_rule():
    A = np.array([[0.5, 1.0], [1.0, 0.5]])  # positive diagonal, yet indefinite
    assert EQ._quadratic_verdict(np.linalg.eigvalsh(A)).startswith("saddle")


def test_gradient_descent_threshold_is_two_over_largest_eigenvalue():
    lam_max = np.linalg.eigvalsh(EQ._GD_H).max()
    assert np.isclose(lam_max, 10.0)
    w0 = np.array([-1.6, 0.6])

    def grad(w):
        return EQ._GD_H @ w

    ok = EQ._gd_path(grad, w0, 0.9 * 2 / lam_max, 200)
    bad = EQ._gd_path(grad, w0, 1.1 * 2 / lam_max, 200)
    assert np.linalg.norm(ok[-1]) < 1e-3 * np.linalg.norm(w0)
    assert np.linalg.norm(bad[-1]) > 1e3 * np.linalg.norm(w0)
    np.testing.assert_allclose(ok[1], w0 - 0.18 * EQ._GD_H @ w0)


def test_logistic_gradient_hessian_and_newton():
    X, y = EM._logistic_data(40, 3)
    A = np.c_[X, np.ones(len(y))]
    rng = np.random.default_rng(1)
    w = rng.normal(size=3)
    loss, g, H = EM._logistic_loss_grad_hess(w, A, y)
    f = lambda v: EM._logistic_loss_grad_hess(v, A, y)[0]  # noqa: E731
    np.testing.assert_allclose(g, _num_grad(f, w), rtol=1e-5, atol=1e-8)
    Hn = np.stack([_num_grad(lambda v, i=i: EM._logistic_loss_grad_hess(v, A, y)[1][i], w)
                   for i in range(3)])
    np.testing.assert_allclose(H, Hn, rtol=1e-5, atol=1e-8)
    newton = EM._logistic_path(A, y, "Newton", 8, 0.5)
    gd = EM._logistic_path(A, y, "gradient descent", 8, 0.5)
    g_end = EM._logistic_loss_grad_hess(newton[-1], A, y)[1]
    assert np.linalg.norm(g_end) < 1e-10
    assert f(gd[-1]) > f(newton[-1])


def test_map_estimate_maximises_the_log_posterior():
    rng = np.random.default_rng(2)
    data = rng.normal(2.0, 1.5, 7)
    for tau in (0.1, 1.0, 10.0):
        mu = np.linspace(-3, 5, 400001)
        logpost = (-0.5 * ((data[:, None] - mu) ** 2).sum(0) / 1.5**2
                   - 0.5 * (mu - 0.5) ** 2 / tau**2)
        est = EM._gaussian_map(data.mean(), data.size, 1.5, 0.5, tau)
        assert abs(est - mu[np.argmax(logpost)]) < 1e-4
    assert abs(EM._gaussian_map(1.7, 10, 1.0, 0.0, 1e6) - 1.7) < 1e-9  # wide prior: the MLE
    assert abs(EM._gaussian_map(1.7, 10, 1.0, 0.3, 1e-6) - 0.3) < 1e-9  # narrow: prior mean


def test_softmax_and_its_jacobian():
    z = np.array([2.0, 1.0, 0.2, -1.0])
    for T in (0.1, 1.0, 5.0):
        p = EA._softmax(z / T)
        assert np.isclose(p.sum(), 1.0) and np.all(p > 0)
        J = np.stack([_num_grad(lambda v, i=i, T=T: EA._softmax(v / T)[i], z) for i in range(4)])
        np.testing.assert_allclose(EA._softmax_jacobian(z / T) / T, J, rtol=1e-5, atol=1e-9)
    assert np.all(np.isfinite(EA._softmax(np.array([1000.0, -1000.0]))))


@pytest.mark.parametrize("name", sorted(EA._ACTIVATIONS))
def test_activation_derivatives(name):
    f, df, _ = EA._ACTIVATIONS[name]
    x = np.array([-3.7, -1.2, -0.3, 0.4, 1.1, 2.9])  # away from the kinks at 0
    np.testing.assert_allclose(df(x), EH._central_diff(f, x), rtol=1e-6, atol=1e-9)




def test_all_sliders_of_an_explorer_line_up():
    """One description width for every control (from the longest label): equal slider tracks."""
    from mlcalc import explore

    def plot(fig, a, longer_name):
        fig.subplots().plot([0, a, longer_name])

    ex = explore(plot, a=(0.0, 1.0, 0.5), longer_name=(0.0, 1.0, 0.5),
                 labels={"longer_name": "a much longer label"}, dpi=16, figsize=(2, 1))
    widths = {c.style.description_width for c in ex.controls.values()}
    layouts = {c.layout.width for c in ex.controls.values()}
    assert len(widths) == 1 and len(layouts) == 1, (widths, layouts)
    assert widths.pop() not in ("", "initial")
    ex.close()
