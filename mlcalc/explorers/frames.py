"""Reading what a frame of an explorer shows: the text drawn in it (titles, labels, legends).

A test of an explorer asserts that frame k shows state k: each frame's plot states its slider
values and a number of its state (a title such as ``iteration 5: loss 0.4012``), and the test
compares them with the slider values and with that number computed on its own::

    from mlcalc.explorers.frames import frames

    for values, text in frames(ex):
        assert f"iteration {values['iteration']}:" in text

Works for any :class:`~mlcalc.widgets.Explorer`, the ready-made ones and those a chapter builds
with :func:`~mlcalc.widgets.explore`.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

from ..widgets import Explorer

__all__ = ["frame_text", "frames"]


def _key(explorer: Explorer, values: dict[str, Any]) -> tuple[int, ...]:
    unknown = set(values) - set(explorer.params)
    if unknown:
        raise KeyError(f"no parameter named {sorted(unknown)}; parameters are {explorer.params}")
    return tuple(p.nearest(values[p.name]) if p.name in values else p.default
                 for p in explorer._params)


def frame_text(explorer: Explorer, key: tuple[int, ...] | None = None, **values: Any) -> str:
    """The text drawn in one frame, one item a line, each prefixed by where it is drawn.

    The frame is drawn afresh (not taken from the cache) and its figure read: the figure's
    suptitle and texts (``fig: ...``), then per axes ``i`` its titles (``ax<i>.title: ...``),
    texts and annotations (``ax<i>.text: ...``), axis labels (``ax<i>.xlabel`` / ``ylabel``) and
    legend entries (``ax<i>.legend: ...``), in drawing order. Tick labels are left out.

    Args:
        explorer: the explorer.
        key: one index per parameter into its values; or give the values by name instead
            (``frame_text(ex, iteration=5)``; parameters not given take their default).
        **values: parameter values (the nearest value on each slider's grid is used).

    Returns:
        The text, one line per text item.
    """
    if key is None:
        key = _key(explorer, values)
    elif values:
        raise TypeError("give either key or values, not both")
    explorer.frame(tuple(key), cache=False)
    fig = explorer._fig
    lines = []
    if fig._suptitle is not None and fig._suptitle.get_text():
        lines.append(f"fig: {fig._suptitle.get_text()}")
    lines += [f"fig: {t.get_text()}" for t in fig.texts if t.get_text()]
    for i, ax in enumerate(fig.axes):
        for t in (ax._left_title, ax.title, ax._right_title):
            if t.get_text():
                lines.append(f"ax{i}.title: {t.get_text()}")
        lines += [f"ax{i}.text: {t.get_text()}" for t in ax.texts if t.get_text()]
        for which, label in (("xlabel", ax.get_xlabel()), ("ylabel", ax.get_ylabel())):
            if label:
                lines.append(f"ax{i}.{which}: {label}")
        legend = ax.get_legend()
        if legend is not None:
            lines += [f"ax{i}.legend: {t.get_text()}" for t in legend.get_texts()]
    return "\n".join(lines)


def frames(explorer: Explorer) -> Iterator[tuple[dict[str, Any], str]]:
    """Every frame of ``explorer``: its parameter values and :func:`frame_text`, in slider order."""
    grids = [range(len(p.values)) for p in explorer._params]
    for key in itertools.product(*grids):
        values = {p.name: p.values[i] for p, i in zip(explorer._params, key, strict=True)}
        yield values, frame_text(explorer, key)
