"""The three-way merge of one notebook, cell by cell id, between the book as it was at the
last sync (base), the learner's copy (ours) and the book now (theirs); the rules are in
:mod:`mlcalc.workspace`'s docstring."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from .notebook_files import Cell, Notebook

__all__ = ["MergeStats", "merge_notebook"]


# --------------------------------------------------------------------------------------------
# The three-way merge of one notebook


def _source(cell: Cell) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else str(src)


def _content(cell: Cell | None) -> tuple[str, str] | None:
    return None if cell is None else (cell.get("cell_type", ""), _source(cell))


def _first_line(cell: Cell) -> str:
    for line in _source(cell).splitlines():
        if line.strip():
            return line.strip()[:60]
    return "(empty)"


def _merge_dict(base: dict | None, ours: dict | None, theirs: dict | None) -> dict:
    """Three-way merge of top-level keys: a key the learner changed keeps the learner's value (or
    stays removed); any other key takes the book's."""
    base, ours, theirs = base or {}, ours or {}, theirs or {}
    missing = object()
    out = {}
    for key in [*theirs, *(k for k in ours if k not in theirs)]:
        b, o, t = base.get(key, missing), ours.get(key, missing), theirs.get(key, missing)
        value = t if o == b else o
        if value is not missing:
            out[key] = copy.deepcopy(value)
    return out


@dataclass
class MergeStats:
    """What a merge did to one notebook."""

    new_cells: int = 0  # book cells inserted
    updated_cells: int = 0  # unchanged learner cells that took the book's new version
    removed_cells: int = 0  # cells the book removed and the learner had not changed
    kept_edits: int = 0  # cells the learner changed, kept (conflicts included)
    conflicts: list[str] = field(default_factory=list)  # "cell <id> (<first line>)"
    kept_removed: list[str] = field(default_factory=list)  # book removed, learner changed: kept
    deleted_changed: list[str] = field(default_factory=list)  # learner deleted, book changed


def _keys(cells: list[Cell], tag: str) -> list[Any]:
    """A key per cell: its id, or a stand-in for a missing or repeated id: ``(tag, position)``,
    the same tag for the two book versions, so such a book cell is never inserted twice, and
    another for the learner's copy, whose such cells are then the learner's own."""
    seen: set = set()
    keys: list[Any] = []
    for i, cell in enumerate(cells):
        cid = cell.get("id")
        if not isinstance(cid, str) or not cid or cid in seen:
            keys.append((tag, i))
        else:
            seen.add(cid)
            keys.append(cid)
    return keys


def merge_notebook(
    base: Notebook | None, ours: Notebook, theirs: Notebook
) -> tuple[Notebook, MergeStats]:
    """Merge the learner's notebook ``ours`` with the book's ``theirs`` by cell id, ``base`` being
    the book's version ``ours`` was made from (``None`` when unknown: every cell the two share with
    different content is then kept as the learner's and reported as a conflict).

    Returns the merged notebook (a new object) and what was done.
    """
    stats = MergeStats()
    base_cells = base.get("cells", []) if base else []
    b = dict(zip(_keys(base_cells, "book"), base_cells, strict=True))
    ours_keys = _keys(ours["cells"], "ours")
    o = dict(zip(ours_keys, ours["cells"], strict=True))
    theirs_keys = _keys(theirs["cells"], "book")
    t = dict(zip(theirs_keys, theirs["cells"], strict=True))

    def merged_cell(key) -> Cell:
        oc, tc, bc = o[key], t[key], b.get(key)
        meta = _merge_dict(bc.get("metadata") if bc else None, oc.get("metadata"),
                           tc.get("metadata"))
        if _content(oc) == _content(tc):
            cell = copy.deepcopy(oc)
            if bc is not None and meta != (oc.get("metadata") or {}) and \
                    _content(oc) == _content(bc):
                stats.updated_cells += 1
        elif bc is not None and _content(oc) == _content(bc):
            # The learner did not change it: the book's new version, outputs of old code dropped.
            cell = copy.deepcopy(tc)
            stats.updated_cells += 1
        else:
            cell = copy.deepcopy(oc)
            stats.kept_edits += 1
            if bc is None or _content(tc) != _content(bc):
                stats.conflicts.append(f"cell {key} ({_first_line(oc)})")
        cell["metadata"] = meta
        return cell

    # Cells of the learner's copy that survive, in the learner's order.
    kept: dict[Any, Cell] = {}
    for key in ours_keys:
        oc = o[key]
        if key in t:
            kept[key] = merged_cell(key)
        elif key in b:  # the book removed it
            if _content(oc) == _content(b[key]):
                stats.removed_cells += 1
            else:
                kept[key] = copy.deepcopy(oc)
                stats.kept_edits += 1
                stats.kept_removed.append(f"cell {key} ({_first_line(oc)})")
        else:  # the learner's own cell
            kept[key] = copy.deepcopy(oc)
    new = [k for k in theirs_keys if k not in b and k not in o]
    for key in theirs_keys:
        if key in b and key not in o and _content(t[key]) != _content(b[key]):
            stats.deleted_changed.append(f"cell {key} ({_first_line(t[key])})")
    stats.new_cells = len(new)

    shared = [k for k in ours_keys if k in b and k in t]
    base_order = {k: i for i, k in enumerate(b)}
    reordered = shared != sorted(shared, key=base_order.__getitem__)
    book_key = set(theirs_keys)

    if not reordered:
        # The book's order; the learner's own cells follow their predecessor in the learner's copy.
        order = [k for k in theirs_keys if k in kept or k in new]
        own_after: dict[Any, list] = {}
        previous = None
        for key in ours_keys:
            if key not in kept:
                continue
            if key in book_key:
                previous = key
            else:
                own_after.setdefault(previous, []).append(key)
        # A run of own cells at the very top stays at the top; others follow their book cell.
        result_keys = list(own_after.get(None, []))
        for key in order:
            result_keys.append(key)
            result_keys.extend(own_after.get(key, []))
    else:
        # The learner's order; each new book cell after its nearest predecessor in the book that
        # is present, past the learner's own cells that follow that predecessor.
        result_keys = list(kept)
        for key in new:
            i = theirs_keys.index(key)
            anchor = next((k for k in reversed(theirs_keys[:i]) if k in result_keys), None)
            pos = 0 if anchor is None else result_keys.index(anchor) + 1
            if anchor is not None:
                while pos < len(result_keys) and result_keys[pos] not in book_key:
                    pos += 1
            result_keys.insert(pos, key)

    cells = [kept[k] if k in kept else copy.deepcopy(t[k]) for k in result_keys]
    merged = {k: copy.deepcopy(v) for k, v in ours.items() if k not in ("cells", "metadata")}
    merged["metadata"] = _merge_dict(base.get("metadata") if base else None,
                                     ours.get("metadata"), theirs.get("metadata"))
    merged["nbformat"] = max(ours.get("nbformat", 4), theirs.get("nbformat", 4))
    merged["nbformat_minor"] = max(ours.get("nbformat_minor", 0),
                                   theirs.get("nbformat_minor", 0))
    merged["cells"] = cells
    return merged, stats
