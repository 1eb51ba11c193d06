"""The verdict of a check: what :func:`mlcalc.grading.check` returns and how it shows itself.

A :class:`Verdict` has a status (one of ``STATUSES``), one or two plain sentences, a stable
machine-readable ``kind`` for the diagnosis, and ``(label, text)`` rows with the numbers that
matter (the input where the answer differs, the expected and the received value, by how much). It
shows itself in a notebook as a coloured box (``_repr_html_``, with code spans for the names in
backquotes) and as text (``repr``).

This module imports nothing from the rest of the package.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import escape

STATUSES = ("correct", "wrong", "error", "timeout", "not attempted")

_STYLE = {
    "correct": ("#1a7f37", "#e8f5ec", "\u2713 Correct"),
    "wrong": ("#b42318", "#fdecea", "\u2717 Not yet right"),
    "error": ("#b54708", "#fff4e5", "\u26a0 Error"),
    "timeout": ("#b54708", "#fff4e5", "\u23f1 Too slow"),
    "not attempted": ("#475467", "#f2f4f7", "\u270e Not attempted"),
}


def _code_spans(text: str) -> str:
    """``name`` in an (already escaped) message becomes <code>name</code> in HTML."""
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", text)


@dataclass
class Verdict:
    """The result of :func:`check`.

    Attributes:
        exercise_id: the exercise graded.
        status: ``"correct"``, ``"wrong"``, ``"error"``, ``"timeout"`` or ``"not attempted"``.
        message: one or two plain sentences saying what happened.
        kind: a stable machine-readable key for the diagnosis (``"correct"``, ``"scaled"``,
            ``"transposed"``, ``"wrong-shape"``, ``"stale-answer"``, a hint's kind, ...); tests
            rely on it.
        details: ``(label, text)`` rows with the numbers that matter.
        notes: extra remarks (a converted list, warnings, the fallback sandbox).
        output: what the function printed (truncated).
        elapsed: seconds spent running the learner's function.
    """

    exercise_id: str
    status: str
    message: str
    kind: str = ""
    details: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    output: str = ""
    elapsed: float = 0.0

    @property
    def passed(self) -> bool:
        """True when the answer is correct."""
        return self.status == "correct"

    def __bool__(self) -> bool:
        return self.passed

    def __repr__(self) -> str:
        head = _STYLE.get(self.status, ("", "", self.status))[2]
        lines = [f"{head} [{self.exercise_id}]: {self.message}"]
        lines += [f"  {label}: {text}" for label, text in self.details]
        lines += [f"  note: {n}" for n in self.notes]
        if self.output:
            lines.append("  your function printed:")
            lines += ["    " + ln for ln in self.output.splitlines()[:20]]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        fg, bg, head = _STYLE.get(self.status, ("#475467", "#f2f4f7", self.status))
        # Explicit left alignment: JupyterLab's output style right-aligns th and td.
        rows = "".join(
            f"<tr><th style='text-align:left;padding:2px 8px 2px 0;vertical-align:top;"
            f"white-space:nowrap'>{escape(label)}</th>"
            f"<td style='text-align:left;padding:2px 0;vertical-align:top'>"
            f"<code style='white-space:pre-wrap'>{escape(text)}</code></td></tr>"
            for label, text in self.details
        )
        table = f"<table style='margin-top:6px;border-collapse:collapse'>{rows}</table>" \
            if rows else ""
        notes = "".join(f"<div style='margin-top:4px;font-size:90%'>Note: {escape(n)}</div>"
                        for n in self.notes)
        out = ""
        if self.output:
            out = ("<details style='margin-top:4px'><summary>Your function printed</summary>"
                   f"<pre style='max-height:12em;overflow:auto'>{escape(self.output)}</pre>"
                   "</details>")
        return (
            f"<div class='mlcalc-verdict' style='border-left:5px solid {fg};background:{bg};"
            f"padding:8px 12px;margin:4px 0;font-family:sans-serif'>"
            f"<div><strong style='color:{fg}'>{escape(head)}</strong> "
            f"<span style='color:#475467;font-size:90%'>{escape(self.exercise_id)}</span></div>"
            f"<div style='margin-top:4px'>{_code_spans(escape(self.message))}</div>"
            f"{table}{notes}{out}</div>"
        )
