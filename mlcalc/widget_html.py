"""The static HTML of an explorer: range inputs over precomputed frames, and the script.

:func:`render_html` writes one explorer as a ``<div>``: the default frame as an ``<img>``, one
labelled ``<input type="range">`` (or ``<select>`` for a list of names) per parameter with its
value printed beside it, the other frames as base64 PNG in a JSON block, and a small inline
script (:data:`_SCRIPT`, shared by every explorer) that swaps the image, the printed values,
``aria-valuetext`` and the alt text when a control moves. It needs no kernel, no network and
no external script. The output depends only on its inputs (no timestamps, ids from ``uid``).
Used by :class:`mlcalc.widgets.Explorer`; the private names stay importable from
:mod:`mlcalc.widgets`.
"""

from __future__ import annotations

import base64
import html
import json
from collections.abc import Sequence
from typing import Any

from .widget_params import _Param

# The script shared by every explorer: it finds its explorer by id, reads the JSON data and
# swaps the image (and the printed value, aria-valuetext and alt text) on "input"/"change".
_SCRIPT = (
    "(function(id){var r=document.getElementById(id);if(!r)return;"
    "var d=JSON.parse(r.querySelector('script.mlx-data').textContent);"
    "var im=r.querySelector('img.mlx-img'),c=r.querySelectorAll('[data-mlx-param]');"
    "if(d.f[d.i[d.d]]===null)d.f[d.i[d.d]]=im.getAttribute('src').split(',')[1];"
    "function u(){var k=0,s=[];for(var j=0;j<c.length;j++){"
    "var v=parseInt(c[j].value,10);if(!(v>=0&&v<d.n[j]))v=0;k=k*d.n[j]+v;var t=d.v[j][v];"
    "var o=r.querySelector('output[for=\"'+c[j].id+'\"]');if(o)o.textContent=t;"
    "if(c[j].type==='range')c[j].setAttribute('aria-valuetext',t);s.push(d.l[j]+' = '+t);}"
    "var src='data:'+d.m+';base64,'+d.f[d.i[k]];if(im.getAttribute('src')!==src)im.src=src;"
    "im.alt=d.a+' Shown for '+s.join(', ')+'.';}"
    "for(var j=0;j<c.length;j++){c[j].addEventListener('input',u);"
    "c[j].addEventListener('change',u);}u();})"
)

_STYLE = (
    ".mlx-explorer{margin:0.5em 0 1em 0;max-width:100%}"
    ".mlx-explorer .mlx-title{font-weight:600;margin:0 0 .3em 0}"
    ".mlx-explorer img.mlx-img{display:block;max-width:100%;height:auto;background:#fff}"
    ".mlx-explorer .mlx-controls{display:grid;grid-template-columns:max-content minmax(8em,24em)"
    " max-content;gap:.3em .8em;align-items:center;margin-top:.4em}"
    ".mlx-explorer .mlx-controls input[type=range]{width:100%;margin:0}"
    ".mlx-explorer output{font-variant-numeric:tabular-nums;min-width:4ch}"
)

# How many times each content id has been displayed in this process: a second display of the
# same explorer on one page gets a suffix so that element ids stay unique.
_ID_USES: dict[str, int] = {}


def _screen_reader_only(text: str) -> str:
    """HTML that screen readers announce but that takes no space on screen."""
    return (
        '<span style="position:absolute;width:1px;height:1px;'
        'overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap">'
        f"{html.escape(text)}</span>"
    )


def _json_for_script(obj: Any) -> str:
    text = json.dumps(obj, separators=(",", ":"), sort_keys=True, ensure_ascii=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def render_html(
    uid: str,
    params: Sequence[_Param],
    frames: Sequence[bytes],
    index: Sequence[int],
    *,
    alt: str,
    title: str | None,
    frame_size: tuple[int, int],
) -> str:
    """The explorer's HTML with element ids prefixed by ``uid`` (no id: ``uid=''``).

    Args:
        uid: prefix of every element id (the explorer's content id).
        params: the parameters, in slider order.
        frames: the distinct PNG frames.
        index: for every combination of parameter indices (row-major, last parameter fastest),
            the position of its frame in ``frames``.
        alt: the alt text; "Shown for <values>." is appended for the current frame.
        title: shown above the figure (None: no title).
        frame_size: ``(width, height)`` of the frames in pixels.
    """
    k_default = 0
    for p in params:
        k_default = k_default * len(p.values) + p.default
    frames_b64: list[str | None] = [base64.b64encode(f).decode("ascii") for f in frames]
    first = frames_b64[index[k_default]]
    frames_b64[index[k_default]] = None  # the <img> already carries it
    data = {
        "a": alt,
        "d": k_default,
        "f": frames_b64,
        "i": list(index),
        "l": [p.label for p in params],
        "m": "image/png",
        "n": [len(p.values) for p in params],
        "v": [list(p.texts) for p in params],
    }
    shown = ", ".join(f"{p.label} = {p.texts[p.default]}" for p in params)
    w, h = frame_size
    esc = html.escape
    parts = [f'<div class="mlx-explorer" id="{uid}">']
    parts.append(f"<style>{_STYLE}</style>")
    if title:
        parts.append(f'<p class="mlx-title">{esc(title)}</p>')
    parts.append(
        f'<img class="mlx-img" id="{uid}-img" width="{w}" height="{h}" '
        f'alt="{esc(alt + " Shown for " + shown + ".")}" '
        f'src="data:image/png;base64,{first}">'
    )
    parts.append('<div class="mlx-controls">')
    for j, p in enumerate(params):
        cid = f"{uid}-p{j}"
        parts.append(f'<label for="{cid}">{esc(p.label)}</label>')
        if p.kind == "names":
            opts = "".join(
                f'<option value="{i}"{" selected" if i == p.default else ""}>{esc(t)}</option>'
                for i, t in enumerate(p.texts)
            )
            parts.append(
                f'<select id="{cid}" data-mlx-param="{j}" autocomplete="off">{opts}</select>'
                f'<span aria-hidden="true"></span>'
            )
        else:
            parts.append(
                f'<input type="range" id="{cid}" data-mlx-param="{j}" min="0" '
                f'max="{len(p.values) - 1}" step="1" value="{p.default}" autocomplete="off" '
                f'aria-valuetext="{esc(p.texts[p.default])}">'
                f'<output id="{cid}-out" for="{cid}">{esc(p.texts[p.default])}</output>'
            )
    parts.append("</div>")
    parts.append(f'<script type="application/json" class="mlx-data">{_json_for_script(data)}'
                 "</script>")
    parts.append(f"<script>{_SCRIPT}({json.dumps(uid)});</script>")
    parts.append("</div>")
    return "".join(parts)
