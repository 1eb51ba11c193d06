"""Explorers: sliders that work live in Jupyter and still work in the static HTML book.

One call declares an explorer::

    from mlcalc import explore

    def plot_tangent(fig, x0):
        ax = fig.subplots()
        ...                                  # draw with ax.plot(...), never plt.plot(...)

    explore(plot_tangent, x0=(-2.0, 2.0, 0.1))

The returned :class:`Explorer` renders every combination of the parameter values once
(a "frame": a small palette PNG) and then shows itself two ways from one display bundle:

* ``application/vnd.jupyter.widget-view+json``: ipywidgets sliders (``FloatSlider``,
  ``IntSlider``, ``SelectionSlider``, ``Dropdown``) driving an ``ipywidgets.Image``. Jupyter
  (JupyterLab, Notebook 7, VS Code, Colab) picks this one.
* ``text/html``: the same sliders as ``<input type="range">`` (or ``<select>`` for a list of
  names) with the value printed beside each, the frames embedded as base64 PNG and a small
  inline script that swaps them. It needs no kernel, no network and no external script, so it
  works in the static book (whose ``_config.yml`` tells myst-nb to prefer ``text/html``) and
  from ``file://``.

Figures are drawn into one :class:`matplotlib.figure.Figure` per explorer, created without
pyplot, so moving a slider never opens a figure (``plt.get_fignums()`` stays constant).
The HTML is deterministic: the same inputs give byte-identical HTML (no timestamps in the
PNGs, element ids derived from a hash of the content).

Layout: this module holds the :class:`Explorer` (frames, the live view, display), :func:`explore`
and the Sphinx hook :func:`setup` (``mlcalc.widgets`` is the extension named in ``_config.yml``).
How a parameter spec is read is in :mod:`mlcalc.widget_params`; the static HTML and its script
in :mod:`mlcalc.widget_html`. Their names are re-exported here.
"""

from __future__ import annotations

import base64
import hashlib
import html
import inspect
import io
import itertools
import math
import numbers
import os
import re
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

# The parameter specs and the static HTML live in their own modules; their names (private ones
# included, which tests use) stay importable from here.
from .widget_html import (  # noqa: F401
    _ID_USES,
    _SCRIPT,
    _STYLE,
    _json_for_script,
    _screen_reader_only,
    render_html,
)
from .widget_params import (  # noqa: F401
    _MAX_DECIMALS,
    _decimals,
    _fmt_general,
    _is_number,
    _list_param,
    _Param,
    _parse_param,
    _range_param,
)

__all__ = ["Explorer", "explore"]

#: Default limit on the number of frames (combinations of parameter values) of one explorer.
DEFAULT_MAX_FRAMES = 64
#: Default limit on the size of one explorer's HTML (bytes); a page should stay under 3 MB.
DEFAULT_MAX_BYTES = 1_500_000
#: Environment variable: "static" makes explorers display only their static HTML (book builds).
_ENV_MODE = "MLCALC_EXPLORERS"
#: Keyword names of :func:`explore` itself; they cannot be parameter names.
_RESERVED = frozenset(
    {
        "plot_fn",
        "fig",
        "alt",
        "title",
        "labels",
        "defaults",
        "figsize",
        "dpi",
        "layout",
        "max_frames",
        "max_bytes",
        "quantize",
        "continuous_update",
        "precompute",
    }
)


# --------------------------------------------------------------------------------------------
# The explorer
# --------------------------------------------------------------------------------------------


class Explorer:
    """A figure with sliders, live in Jupyter and precomputed in the static HTML.

    Create it with :func:`explore`. Useful attributes for tests and budgets:

    Attributes:
        params: names of the parameters, in slider order.
        n_frames: number of parameter combinations (frames) the static HTML holds.
        n_unique_frames: number of distinct images among them (identical frames are stored once).
        frame_size: ``(width, height)`` of every frame in pixels.
        frame_bytes: total size in bytes of the distinct PNG frames.
        html_bytes: size in bytes (UTF-8) of the ``text/html`` representation.
    """

    def __init__(
        self,
        plot_fn: Callable[..., Any],
        params: Sequence[_Param],
        *,
        alt: str | None,
        title: str | None,
        figsize: tuple[float, float],
        dpi: float,
        layout: str | None,
        max_frames: int,
        max_bytes: int | None,
        quantize: bool,
        continuous_update: bool | None,
        precompute: bool,
    ) -> None:
        self._plot_fn = plot_fn
        self._params = tuple(params)
        self.title = title
        names = [p.label for p in self._params]
        labels = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        if alt is None:
            what = f"'{title}'" if title else "figure"
            verb = "changes" if len(self._params) == 1 else "change"
            alt = f"Interactive {what}: it is redrawn as {labels} {verb}."
        self.alt = str(alt).strip()
        self._figsize = (float(figsize[0]), float(figsize[1]))
        self._dpi = float(dpi)
        self._layout = layout
        self._max_frames = int(max_frames)
        self._max_bytes = max_bytes
        self._quantize = bool(quantize)
        self._continuous_update = continuous_update
        self._fig = None
        self._canvas = None
        self._cache: dict[tuple[int, ...], bytes] = {}
        self._frozen_layout: list | None = None
        self._layout_checked = False
        self._render_seconds: list[float] = []
        self._frames: list[bytes] | None = None
        self._index: list[int] | None = None
        self._html: str | None = None
        self._widget = None
        self._controls: dict[str, Any] = {}
        self._image = None
        self._status = None
        self._alt_html = None
        if precompute:
            self.html()

    # ---------------------------------------------------------------- description

    @property
    def params(self) -> tuple[str, ...]:
        """Names of the parameters, in slider order."""
        return tuple(p.name for p in self._params)

    def values_of(self, name: str) -> tuple:
        """The grid of values the parameter ``name`` takes (what the sliders can reach)."""
        for p in self._params:
            if p.name == name:
                return p.values
        raise KeyError(f"no parameter named {name!r}; parameters are {self.params}")

    @property
    def n_frames(self) -> int:
        """Number of frames (combinations of parameter values)."""
        return math.prod(len(p.values) for p in self._params)

    @property
    def n_unique_frames(self) -> int:
        """Number of distinct images among the frames."""
        self._ensure_frames()
        return len(self._frames)

    @property
    def frame_size(self) -> tuple[int, int]:
        """``(width, height)`` of each frame in pixels."""
        # as matplotlib's Agg canvas sizes its buffer: truncated to whole pixels
        return (int(self._figsize[0] * self._dpi), int(self._figsize[1] * self._dpi))

    @property
    def frame_bytes(self) -> int:
        """Total size in bytes of the distinct PNG frames."""
        self._ensure_frames()
        return sum(len(f) for f in self._frames)

    @property
    def html_bytes(self) -> int:
        """Size in bytes of the ``text/html`` representation."""
        return len(self.html().encode("utf-8"))

    @property
    def default_values(self) -> dict[str, Any]:
        """The parameter values shown first."""
        return {p.name: p.values[p.default] for p in self._params}

    def __repr__(self) -> str:
        name = getattr(self._plot_fn, "__name__", "plot_fn")
        ps = ", ".join(f"{p.name}: {len(p.values)} values" for p in self._params)
        w, h = self.frame_size
        return f"<Explorer {name}({ps}); {self.n_frames} frames of {w}x{h} px>"

    # ---------------------------------------------------------------- rendering

    def _figure(self):
        if self._fig is None:
            from matplotlib.backends.backend_agg import FigureCanvasAgg
            from matplotlib.figure import Figure

            self._fig = Figure(figsize=self._figsize, dpi=self._dpi, layout=self._layout)
            self._canvas = FigureCanvasAgg(self._fig)
        return self._fig

    def _values(self, key: tuple[int, ...]) -> dict[str, Any]:
        return {p.name: p.values[i] for p, i in zip(self._params, key, strict=True)}

    def _plot(self, key: tuple[int, ...], engine: str | None) -> None:
        """Clear the figure and let plot_fn draw the frame ``key`` (no rasterising yet)."""
        fig = self._figure()
        fig.clear()
        fig.set_layout_engine(engine)
        leaked: list[int] = []
        plt = sys.modules.get("matplotlib.pyplot")
        before = set(plt.get_fignums()) if plt is not None else set()
        try:
            self._plot_fn(fig, **self._values(key))
        finally:
            plt = sys.modules.get("matplotlib.pyplot")
            if plt is not None:
                leaked = sorted(set(plt.get_fignums()) - before)
                for num in leaked:
                    plt.close(num)
        if leaked:
            raise RuntimeError(
                "plot_fn opened pyplot figure(s) "
                f"{leaked} (closed now): draw into the `fig` it receives "
                "(ax = fig.subplots(); ax.plot(...)), never with plt.plot/plt.figure/plt.gca"
            )

    def _render(self, key: tuple[int, ...]) -> bytes:
        """Draw the frame for the index tuple ``key`` and return it as PNG bytes."""
        from PIL import Image

        t0 = time.perf_counter()
        frozen = self._frozen_layout
        self._plot(key, self._layout if frozen is None else "none")
        fig = self._fig
        if frozen is not None:
            if len(fig.axes) == len(frozen):
                for ax, box in zip(fig.axes, frozen, strict=True):
                    ax.set_position(box)
            else:  # this frame has other axes than the layout frames: lay it out on its own
                fig.set_layout_engine(self._layout)
        self._canvas.draw()
        rgba = np.asarray(self._canvas.buffer_rgba())
        image = Image.fromarray(np.ascontiguousarray(rgba[..., :3]), "RGB")
        buf = io.BytesIO()
        if self._quantize:
            image = image.quantize(
                colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE
            )
            image.save(buf, format="PNG", optimize=True)
        else:
            image.save(buf, format="PNG", compress_level=6)
        self._render_seconds.append(time.perf_counter() - t0)
        return buf.getvalue()

    def frame(self, key: tuple[int, ...] | None = None, *, cache: bool = True) -> bytes:
        """PNG bytes of one frame.

        Args:
            key: one index per parameter into its grid of values; default: the default values.
            cache: reuse a frame already rendered (False forces a redraw, as benchmarks need).

        Returns:
            The PNG image as bytes.
        """
        if key is None:
            key = tuple(p.default for p in self._params)
        key = tuple(int(k) for k in key)
        if len(key) != len(self._params) or not all(
            0 <= k < len(p.values) for k, p in zip(key, self._params, strict=False)
        ):
            raise ValueError(
                f"key: expected {len(self._params)} indices within "
                f"{[len(p.values) for p in self._params]}, got {key!r}"
            )
        if cache and key in self._cache:
            return self._cache[key]
        self._freeze_layout()
        data = self._render(key)
        self._cache[key] = data
        return data

    def _freeze_layout(self) -> None:
        """Lay out the first, default and last frames once and keep that layout for all frames.

        Running the layout engine on every frame costs more than drawing a simple plot, and it
        makes the axes jump by a few pixels between frames as tick labels change width. The
        frozen box of each axes is the intersection of its boxes in the three layout frames,
        so labels of all three fit.
        """
        if self._layout_checked or self._layout in (None, "none"):
            return
        self._layout_checked = True
        last = tuple(len(p.values) - 1 for p in self._params)
        keys = dict.fromkeys([tuple(p.default for p in self._params), tuple(0 for _ in last), last])
        boxes = []
        for key in keys:  # layout only: no rasterising, no encoding
            self._plot(key, self._layout)
            self._fig.draw_without_rendering()
            boxes.append([ax.get_position(original=True).get_points() for ax in self._fig.axes])
        if len({len(b) for b in boxes}) != 1 or not boxes[0]:
            return  # the number of axes changes with the parameters: lay out every frame
        from matplotlib.transforms import Bbox

        frozen = []
        for pts in zip(*boxes, strict=True):
            lo = np.max([p[0] for p in pts], axis=0)
            hi = np.min([p[1] for p in pts], axis=0)
            frozen.append(Bbox([lo, np.maximum(hi, lo + 1e-3)]))
        self._frozen_layout = frozen

    def _ensure_frames(self) -> None:
        if self._frames is not None:
            return
        self._freeze_layout()
        frames: list[bytes] = []
        position: dict[bytes, int] = {}
        index: list[int] = []
        for key in itertools.product(*(range(len(p.values)) for p in self._params)):
            data = self.frame(key)
            if data not in position:
                position[data] = len(frames)
                frames.append(data)
            index.append(position[data])
        self._frames, self._index = frames, index

    # ---------------------------------------------------------------- static HTML

    def _content_id(self) -> str:
        h = hashlib.sha256()
        h.update(self.html_body("").encode("utf-8"))
        return "mlx-" + h.hexdigest()[:12]

    def html_body(self, uid: str) -> str:
        """The explorer's HTML with element ids prefixed by ``uid`` (no id: ``uid=''``)."""
        self._ensure_frames()
        return render_html(uid, self._params, self._frames, self._index, alt=self.alt,
                           title=self.title, frame_size=self.frame_size)

    def html(self) -> str:
        """The static HTML: range inputs, embedded frames and the script that swaps them.

        Deterministic: the same explorer always gives the same string (ids come from a hash of
        the content). Raises ValueError when it exceeds the byte budget ``max_bytes``.
        """
        if self._html is None:
            uid = self._content_id()
            text = self.html_body(uid)
            size = len(text.encode("utf-8"))
            if self._max_bytes is not None and size > self._max_bytes:
                raise ValueError(
                    f"explorer HTML is {size:,} bytes, over the budget max_bytes="
                    f"{self._max_bytes:,} ({self.n_frames} frames, {self.n_unique_frames} "
                    f"distinct, {self.frame_bytes:,} bytes of PNG): use fewer values per "
                    "parameter (a larger step), a smaller figsize or dpi"
                )
            self._html = text
        return self._html

    def _html_for_display(self) -> str:
        text = self.html()
        uid = self._content_id()
        uses = _ID_USES.get(uid, 0) + 1
        _ID_USES[uid] = uses
        if uses > 1:  # the same explorer again in this process: keep ids unique on the page
            text = text.replace(f'"{uid}', f'"{uid}-{uses}')
        return text

    # ---------------------------------------------------------------- live widget

    def widget(self):
        """The live ipywidgets view (built once): an ``ipywidgets.Image`` above the sliders."""
        if self._widget is not None:
            return self._widget
        import ipywidgets as W

        precomputed = len(self._cache) == self.n_frames
        cu = self._continuous_update
        if cu is None:  # smooth dragging only when a frame costs (almost) nothing
            cu = precomputed or (
                bool(self._render_seconds) and float(np.median(self._render_seconds)) < 0.05
            )
        # One description width for every control of this explorer (from its longest label),
        # so all slider tracks start at the same x and have the same length.
        longest = max((len(p.label) for p in self._params), default=1)
        style = {"description_width": f"{min(max(0.6 * longest + 0.8, 3.0), 16.0):.1f}em"}
        layout = W.Layout(width="min(100%, 36em)")
        controls = {}
        for p in self._params:
            common = dict(description=p.label, style=style, layout=layout,
                          continuous_update=bool(cu))
            if p.kind == "float":
                c = W.FloatSlider(
                    value=p.values[p.default], min=p.values[0], max=p.values[-1],
                    step=p.step, readout_format=f".{p.decimals}f", **common,
                )
            elif p.kind == "int":
                c = W.IntSlider(
                    value=p.values[p.default], min=p.values[0], max=p.values[-1],
                    step=int(p.step), **common,
                )
            elif p.kind == "numbers":
                c = W.SelectionSlider(
                    options=list(zip(p.texts, range(len(p.values)), strict=True)),
                    value=p.default, **common,
                )
            else:
                common.pop("continuous_update")
                c = W.Dropdown(
                    options=list(zip(p.texts, range(len(p.values)), strict=True)),
                    value=p.default, **common,
                )
            controls[p.name] = c
        w, _ = self.frame_size
        image = W.Image(
            value=self.frame(), format="png",
            layout=W.Layout(width=f"{w}px", max_width="100%", height="auto"),
        )
        # ipywidgets' Image has no alt attribute (and its view breaks when given a tooltip in
        # ipywidgets 8.1), so the description sits next to it, visible to screen readers only.
        alt = W.HTML(value=_screen_reader_only(self._alt_for(self._current_key(controls))))
        status = W.HTML(value="")
        children = []
        if self.title:
            children.append(W.HTML(value=f"<b>{html.escape(self.title)}</b>"))
        children += [image, alt, *controls.values(), status]
        box = W.VBox(children)
        self._controls, self._image, self._status = controls, image, status
        self._alt_html = alt
        for c in controls.values():
            c.observe(self._on_change, names="value")
        self._widget = box
        return box

    def _current_key(self, controls: Mapping[str, Any] | None = None) -> tuple[int, ...]:
        controls = self._controls if controls is None else controls
        key = []
        for p in self._params:
            v = controls[p.name].value
            key.append(int(v) if p.kind in ("numbers", "names") else p.nearest(v))
        return tuple(key)

    def _alt_for(self, key: tuple[int, ...]) -> str:
        shown = ", ".join(
            f"{p.label} = {p.texts[i]}" for p, i in zip(self._params, key, strict=True)
        )
        return f"{self.alt} Shown for {shown}."

    def _on_change(self, change: Mapping[str, Any]) -> None:
        key = self._current_key()
        for p, i in zip(self._params, key, strict=True):  # snap a typed-in value to the grid
            c = self._controls[p.name]
            if p.kind in ("float", "int") and c.value != p.values[i]:
                c.value = p.values[i]
                return  # the snap triggers another change
        try:
            data = self.frame(key)
        except Exception as exc:  # shown under the figure: an observer's error is otherwise lost
            self._status.value = f"<pre>{html.escape(type(exc).__name__ + ': ' + str(exc))}</pre>"
            return
        self._status.value = ""
        self._image.value = data
        self._alt_html.value = _screen_reader_only(self._alt_for(key))

    def set(self, **values: Any) -> None:
        """Move the live sliders (as a reader would) and redraw: ``ex.set(x0=1.5)``."""
        self.widget()
        for name, value in values.items():
            if name not in self._controls:
                raise KeyError(f"no parameter named {name!r}; parameters are {self.params}")
            p = self._params[self.params.index(name)]
            c = self._controls[name]
            c.value = p.nearest(value) if p.kind in ("numbers", "names") else value

    @property
    def controls(self) -> dict[str, Any]:
        """The live widgets by parameter name (built on first use)."""
        self.widget()
        return dict(self._controls)

    @property
    def live_alt(self) -> str:
        """The live view's description of the current frame (read by screen readers)."""
        self.widget()
        return html.unescape(re.sub(r"<[^>]+>", "", self._alt_html.value))

    @property
    def image(self):
        """The live ``ipywidgets.Image`` (built on first use)."""
        self.widget()
        return self._image

    # ---------------------------------------------------------------- display

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict[str, Any]:
        """Widget view (live Jupyter) + ``text/html`` (static book) + ``image/png`` (PDF).

        When the environment variable ``MLCALC_EXPLORERS`` is ``static`` (set by the Sphinx
        hook :func:`setup` during a book build) no widget is created, so the built page holds
        no widget state and loads no widget JavaScript.
        """
        data = {
            "text/plain": repr(self),
            "text/html": self._html_for_display(),
            "image/png": base64.b64encode(self.frame()).decode("ascii"),
        }
        if os.environ.get(_ENV_MODE, "").strip().lower() != "static":
            view = self.widget()._repr_mimebundle_()
            key = "application/vnd.jupyter.widget-view+json"
            if key in view:
                data[key] = view[key]
        return data

    def close(self) -> None:
        """Close the live widgets and release the figure."""
        if self._widget is not None:
            for c in self._controls.values():
                c.close()
            self._image.close()
            self._alt_html.close()
            self._status.close()
            self._widget.close()
            self._widget = None
        self._fig = self._canvas = None


def explore(
    plot_fn: Callable[..., Any],
    /,
    *,
    alt: str | None = None,
    title: str | None = None,
    labels: Mapping[str, str] | None = None,
    defaults: Mapping[str, Any] | None = None,
    figsize: tuple[float, float] = (6.4, 3.6),
    dpi: float = 100,
    layout: str | None = "constrained",
    max_frames: int = DEFAULT_MAX_FRAMES,
    max_bytes: int | None = DEFAULT_MAX_BYTES,
    quantize: bool = True,
    continuous_update: bool | None = None,
    precompute: bool = True,
    **params: Any,
) -> Explorer:
    """Declare an explorer: a plotting function and its parameters with their ranges.

    Make the call the last expression of a notebook cell to display it: Jupyter shows live
    ipywidgets sliders, the static HTML book shows the same sliders over precomputed frames.

    Args:
        plot_fn: ``plot_fn(fig, **values)`` draws into the given
            :class:`matplotlib.figure.Figure` (use ``fig.subplots()``; never ``plt.*``, which
            would open a pyplot figure: that raises RuntimeError). Called once per frame.
        alt: alt text saying what the figure shows and what changes; the current values are
            appended ("Shown for x0 = 0.5."). Default: built from ``title`` and the labels.
        title: short title shown above the figure.
        labels: display label per parameter name (default: the name), e.g. ``{"lr": "η"}``.
        defaults: first value shown per parameter name (default: the middle of a range, the
            first entry of a list).
        figsize: figure size in inches. With ``dpi`` it sets the frame size in pixels.
        dpi: dots per inch of the frames (default 100: 640 x 360 px frames).
        layout: matplotlib layout engine of the figure ("constrained", "tight" or None).
        max_frames: limit on the number of frames (product of the number of values of every
            parameter); a larger explorer raises ValueError.
        max_bytes: limit on the size of the explorer's HTML in bytes (None: no limit).
        quantize: store frames as 256-colour palette PNGs (about 3x smaller, visually the same).
        continuous_update: sliders redraw while dragging (True) or on release (False). Default:
            True, since all frames are precomputed; False with ``precompute=False`` when a
            frame takes more than 50 ms.
        precompute: render every frame now (default). Errors in ``plot_fn`` and budget
            violations then surface in the calling cell.
        **params: one keyword per parameter of ``plot_fn``:
            ``(lo, hi, step)`` or ``(lo, hi, step, default)`` for a numeric range (ints give an
            integer slider; ``hi`` is included when it falls on the grid), ``(lo, hi)`` for 21
            values (integers: step 1), or a list of values: strings (a drop-down menu, e.g.
            ``func=["sigmoid", "tanh"]``) or numbers (a slider over exactly those values, e.g.
            ``T=[0.1, 0.3, 1, 3, 10]``).

    Returns:
        An :class:`Explorer`. ``n_frames``, ``frame_size``, ``frame_bytes`` and ``html_bytes``
        report its weight; ``set(name=value)`` moves the live sliders.

    Raises:
        TypeError: ``plot_fn`` is not callable, does not accept the parameters, or a spec has
            the wrong type.
        ValueError: a bad range (lo >= hi, step <= 0, non-finite), an empty or duplicated list,
            a default outside its range, too many frames, or HTML over ``max_bytes``.

    Example:
        >>> def plot_line(fig, slope):
        ...     ax = fig.subplots()
        ...     ax.plot([0, 1], [0, slope])
        >>> ex = explore(plot_line, slope=(-1.0, 1.0, 0.5))
        >>> ex.n_frames, ex.values_of("slope")
        (5, (-1.0, -0.5, 0.0, 0.5, 1.0))
    """
    if not callable(plot_fn):
        raise TypeError(f"plot_fn: expected a callable plot_fn(fig, **values), got {plot_fn!r}")
    if not params:
        raise TypeError("explore: give at least one parameter, e.g. x0=(-2.0, 2.0, 0.1)")
    labels = dict(labels or {})
    defaults = dict(defaults or {})
    for what, mapping in (("labels", labels), ("defaults", defaults)):
        unknown = sorted(set(mapping) - set(params))
        if unknown:
            raise ValueError(f"{what}: {unknown} are not parameters (parameters: {list(params)})")
    bad = sorted(set(params) & _RESERVED)
    if bad:
        raise ValueError(f"parameter names {bad} are reserved by explore; rename them")
    if not (isinstance(max_frames, numbers.Integral) and max_frames >= 1):
        raise ValueError(f"max_frames: expected a positive integer, got {max_frames!r}")
    if not (len(figsize) == 2 and all(_is_number(v) and v > 0 for v in figsize)):
        raise ValueError(f"figsize: expected (width, height) in inches > 0, got {figsize!r}")
    if not (_is_number(dpi) and 10 <= dpi <= 400):
        raise ValueError(f"dpi: expected a number in [10, 400], got {dpi!r}")

    parsed = [
        _parse_param(name, spec, labels.get(name), defaults.get(name))
        for name, spec in params.items()
    ]
    for p in parsed:
        if len(p.values) > max_frames:
            raise ValueError(
                f"parameter {p.name!r} has {len(p.values)} values, more than the limit of "
                f"max_frames={max_frames} frames per explorer: use a larger step or fewer values"
            )
    total = math.prod(len(p.values) for p in parsed)
    if total > max_frames:
        counts = " x ".join(f"{p.name!r} ({len(p.values)} values)" for p in parsed)
        raise ValueError(
            f"parameters {counts} make {total} frames, more than the limit of "
            f"max_frames={max_frames}: use fewer values per parameter (e.g. a 7 x 6 grid)"
        )

    try:
        sig = inspect.signature(plot_fn)
    except (TypeError, ValueError):  # builtins without a signature: trust the caller
        sig = None
    if sig is not None:
        try:
            sig.bind(None, **{p.name: p.values[p.default] for p in parsed})
        except TypeError as exc:
            raise TypeError(
                f"plot_fn: cannot be called as plot_fn(fig, {', '.join(params)}=...): {exc}"
            ) from None

    return Explorer(
        plot_fn,
        parsed,
        alt=alt,
        title=title,
        figsize=figsize,
        dpi=dpi,
        layout=layout,
        max_frames=max_frames,
        max_bytes=max_bytes,
        quantize=quantize,
        continuous_update=continuous_update,
        precompute=precompute,
    )


def setup(app: Any) -> dict[str, Any]:
    """Sphinx hook: list ``mlcalc.widgets`` in the book's ``extra_extensions``.

    It sets ``MLCALC_EXPLORERS=static`` in the build process; the kernels that execute the
    notebooks inherit it, so explorers there emit only their static HTML (and a PNG), without
    creating live widgets. The built pages then carry no widget state and no widget JavaScript.
    """
    os.environ[_ENV_MODE] = "static"
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
