"""Notebook files as plain JSON: read, parse, render as Jupyter writes them, write atomically,
and clean (outputs, execution counts, widget state and UI metadata stripped).

Used by :mod:`mlcalc.workspace` (the learner's copy and the save hook), whose names re-export
these; :mod:`mlcalc.notebook_merge` merges two versions of a notebook."""

from __future__ import annotations

import copy
import json
import os
import tempfile
from pathlib import Path
from typing import Any

# The workspace's folder of base copies (what the book shipped when a notebook was copied): the
# third version of the three-way merge. Defined here, not in mlcalc.workspace, so that
# mlcalc.grading.progress can skip that folder without importing the workspace module (which
# `python -m mlcalc.workspace` runs as __main__: importing it first makes runpy warn).
BASE_NAME = ".base"

__all__ = [
    "BASE_NAME",
    "Cell",
    "Notebook",
    "UnreadableNotebook",
    "clean_notebook",
    "parse_notebook",
    "read_notebook",
    "render_notebook",
    "write_atomic",
]

# What nbstripout strips by default, plus the kernel's additions to language_info.
_NOTEBOOK_METADATA_STRIPPED = ("widgets", "signature")
_CELL_METADATA_STRIPPED = ("collapsed", "scrolled", "execution", "ExecuteTime",
                           "heading_collapsed", "hidden")


Notebook = dict[str, Any]
Cell = dict[str, Any]


# --------------------------------------------------------------------------------------------
# Reading and writing notebooks


class UnreadableNotebook(Exception):
    """A file that is not a JSON notebook with a list of cells."""


def read_notebook(path: Path) -> Notebook:
    """The notebook at ``path`` as plain JSON data.

    Raises:
        UnreadableNotebook: if it is not valid JSON or not a notebook (no list of cells).
    """
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise UnreadableNotebook(f"cannot read it ({e})") from e
    return parse_notebook(text)


def parse_notebook(text: str) -> Notebook:
    """The notebook in the JSON ``text`` (see :func:`read_notebook`)."""
    try:
        nb = json.loads(text)
    except json.JSONDecodeError as e:
        raise UnreadableNotebook(f"not valid JSON ({e})") from e
    if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list) or not all(
        isinstance(c, dict) and "cell_type" in c for c in nb["cells"]
    ):
        raise UnreadableNotebook("not a notebook (no list of cells)")
    if not isinstance(nb.get("metadata", {}), dict):
        raise UnreadableNotebook("not a notebook (its metadata is not an object)")
    return nb


def render_notebook(nb: Notebook) -> str:
    """The JSON text Jupyter writes for ``nb`` (indent 1, sorted keys, trailing newline)."""
    return json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file in the same folder and a rename, so
    ``path`` always holds either the old or the new content, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        mode = path.stat().st_mode & 0o777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def clean_notebook(nb: Notebook) -> Notebook:
    """A copy of ``nb`` as the book commits it: no outputs, no execution counts, no saved widget
    state or signature, no UI/timing cell metadata, ``language_info`` reduced to its name."""
    out = copy.deepcopy(nb)
    meta = out.get("metadata")
    if isinstance(meta, dict):
        for key in _NOTEBOOK_METADATA_STRIPPED:
            meta.pop(key, None)
        info = meta.get("language_info")
        if isinstance(info, dict) and "name" in info:
            meta["language_info"] = {"name": info["name"]}
    for cell in out.get("cells", []):
        if not isinstance(cell, dict):
            continue
        if cell.get("cell_type") == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
        cmeta = cell.get("metadata")
        if isinstance(cmeta, dict):
            for key in _CELL_METADATA_STRIPPED:
                cmeta.pop(key, None)
    return out
