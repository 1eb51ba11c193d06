"""The reference tables: the registry rendered as MyST markdown, chapter by chapter, with the
wrong forms in circulation."""

from __future__ import annotations

from collections.abc import Mapping

from ._records import CHAPTERS
from ._registry import _registered, identities_for
from ._verify import verify_all


def _cell(text: str) -> str:
    return text.replace("|", r"\|").replace("\n", " ")


def _math_chunks(latex: str) -> str:
    """``$...$`` math for a table cell, split before top-level `` = `` and at top-level ``,\\ ``
    and ``\\quad`` (outside braces, brackets and environments: ``\\mathbb{1}[i = j]`` stays
    whole), so a long statement can wrap."""
    parts, depth, env, start, i = [], 0, 0, 0, 0
    in_definitions = False  # after the first ",\ " only split between definitions
    while i < len(latex):
        if latex.startswith(r"\begin{", i):
            env += 1
        elif latex.startswith(r"\end{", i):
            env -= 1
        ch = latex[i]
        if ch == "\\" and i + 1 < len(latex) and latex[i + 1] in "{}":
            i += 2
            continue
        if ch in "{[":
            depth += 1
        elif ch in "}]":
            depth -= 1
        elif depth == 0 and env == 0:
            if latex.startswith(" = ", i) and not in_definitions:  # break before "="
                parts.append(latex[start:i])
                start = i + 1
            for sep in (r",\ ", r"\quad"):
                if latex.startswith(sep, i):
                    parts.append(latex[start:i] + ("," if sep.startswith(",") else ""))
                    start = i + len(sep)
                    i = start - 1
                    in_definitions = True
                    break
        i += 1
    parts.append(latex[start:])
    return " ".join(f"${_cell(p.strip())}$" for p in parts if p.strip())


def chapter_link(label: str) -> str:
    """A markdown link to the chapter with ``label`` (e.g. ``"ch-chain-rule"``), relative to
    ``chapters/``: ``[The chain rule](chain_rule.ipynb)``."""
    stem = CHAPTER_FILES.get(label, label.removeprefix("ch-").replace("-", "_"))
    return f"[{CHAPTERS[label]}]({stem}.ipynb)"


#: Chapter notebooks whose file name is not their label's (``ch-<name>`` -> ``<name>.ipynb``).
CHAPTER_FILES: dict[str, str] = {"ch-checking": "checking_derivatives"}


def render_markdown(
    chapter: str | None = None,
    results: Mapping[str, str] | None = None,
    seed: int = 0,
    n_draws: int = 3,
    *,
    headings: bool = True,
    identities: bool = True,
    mistakes: bool = True,
) -> str:
    """Render the reference tables (MyST markdown with ``$...$`` math), grouped by chapter.

    Each row states an identity, its shapes and conditions, links to the chapter that derives it
    (a relative link to the chapter's notebook, which works in the HTML book and in JupyterLab
    alike; the tables are shown on a page in ``chapters/``) and is marked verified only if it
    passed verification in ``results`` (from :func:`verify_all`; run now if None). A last table
    lists the wrong forms in circulation, each marked as proven wrong only if it was refuted.

    Args:
        chapter: a chapter label to render only that chapter, or None for all.
        results: output of :func:`verify_all` covering the selection; None runs it now.
        seed: seed for :func:`verify_all` when ``results`` is None.
        n_draws: draws per identity for :func:`verify_all` when ``results`` is None.
        headings: include a summary line and a ``###`` heading per chapter and for the wrong
            forms (False: for a page that supplies its own headings).
        identities: include the tables of identities.
        mistakes: include the table of wrong forms.

    Returns:
        The markdown text.
    """
    idents = _registered() if chapter is None else identities_for(chapter)
    if results is None:
        results = verify_all(chapter=chapter, seed=seed, n_draws=n_draws)
    lines: list[str] = []
    if headings:
        n_ok = sum(results.get(i.id, "").startswith("verified") for i in idents)
        n_wrong = sum(i.common_mistake is not None for i in idents)
        n_refuted = sum("mistake refuted" in results.get(i.id, "") for i in idents)
        lines += [
            f"**{len(idents)} identities, {n_ok} verified; {n_wrong} wrong forms, "
            f"{n_refuted} proven wrong.**",
            "",
        ]
    labels = [chapter] if chapter is not None else list(CHAPTERS)
    for label in labels if identities else []:
        group = [i for i in idents if i.chapter == label]
        if not group:
            continue
        if headings:
            lines += [f"### {CHAPTERS[label]}", ""]
        lines += [
            f"Derived in {chapter_link(label)}.",
            "",
            "| Identity | Shapes, conditions, source and check |",
            "| --- | --- |",
        ]
        for ident in group:
            status = results.get(ident.id, "")
            mark = "✓ verified" if status.startswith("verified") else "not verified"
            name = ident.name + (f", {ident.reference}" if ident.reference else "")
            # one $...$ per group of inputs, so a narrow page can wrap between them
            where = [
                f"${_cell(part.strip())}$" for part in ident.shapes.split(r",\ ") if part.strip()
            ]
            where += [_cell(c.text) for c in ident.conditions]
            lines.append(
                f"| {_math_chunks(ident.latex)} | {'; '.join(where) or 'any shapes'}. "
                f"*{_cell(name)}*, {chapter_link(label)}: {mark} |"
            )
        lines.append("")
    wrong = [i for i in idents if i.common_mistake is not None]
    if wrong and mistakes:
        if headings:
            lines += ["### Wrong forms in circulation", ""]
        lines += [
            "Each wrong form below disagrees with autograd on random inputs (a different shape, "
            "or values off by more than $10^{-3}$ relative).",
            "",
            "| Wrong form | Correct identity, why the wrong form is wrong, check |",
            "| --- | --- |",
        ]
        for ident in wrong:
            cm = ident.common_mistake
            status = results.get(ident.id, "")
            mark = "✗ proven wrong" if "mistake refuted" in status else "not checked"
            lines.append(
                f"| {_math_chunks(cm.latex)} | {_math_chunks(ident.latex)} "
                f"({chapter_link(ident.chapter)}). Wrong: {_cell(cm.why)}. {mark} |"
            )
        lines.append("")
    return "\n".join(lines)


#: Alias of :func:`render_markdown` under the name re-exported by ``mlcalc``.
render_reference_tables = render_markdown
