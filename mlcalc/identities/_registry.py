"""The registry itself: the list the entries are added to (in book order), and lookup by id
and by chapter."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from ._inputs import _Spec
from ._records import CHAPTERS, CommonMistake, Condition, Identity

# Every entry, in the order of registration: the chapter modules of ``entries`` add theirs in
# book order (``mlcalc.identities`` imports them once, then freezes this list as IDENTITIES).
_REGISTRY: list[Identity] = []
_BY_ID: dict[str, Identity] = {}


def _add(
    id: str,
    name: str,
    kind: str,
    chapter: str,
    latex: str,
    f: Callable,
    d: Callable,
    inputs: Mapping[str, str] | Callable,
    wrt: str,
    *,
    shapes: str | None = None,
    conditions: Iterable[Condition] = (),
    mistake: CommonMistake | None = None,
    reference: str = "",
    post: Callable | None = None,
    fixed_shapes: bool = False,
) -> None:
    if isinstance(inputs, Mapping):
        make = _Spec(inputs, post)
        auto_shapes = make.shapes(wrt, kind)
        conds = make.conditions(wrt, kind) + list(conditions)
    else:
        make = inputs
        auto_shapes = ""
        conds = list(conditions)
    ident = Identity(
        id=id,
        name=name,
        latex=latex,
        kind=kind,
        f=f,
        derivative=d,
        make_inputs=make,
        wrt=wrt,
        chapter=chapter,
        shapes=auto_shapes if shapes is None else shapes,
        conditions=tuple(conds),
        common_mistake=mistake,
        reference=reference,
        fixed_shapes=fixed_shapes,
    )
    if ident.id in _BY_ID:
        raise RuntimeError(f"duplicate identity id {ident.id!r}")
    _REGISTRY.append(ident)
    _BY_ID[ident.id] = ident


def _M(latex: str, d: Callable, why: str) -> CommonMistake:
    return CommonMistake(latex=latex, derivative=d, why=why)


def _cond(text: str, holds: Callable[[Mapping[str, Any]], bool]) -> Condition:
    return Condition(text, holds)


def _registered() -> tuple[Identity, ...]:
    """Every identity registered so far, in registration order."""
    return tuple(_REGISTRY)


def get_identity(id: str) -> Identity:
    """Return the identity with this id.

    Raises:
        TypeError: if ``id`` is not a string.
        ValueError: if no identity has this id (the message suggests close ids).
    """
    if not isinstance(id, str):
        raise TypeError(f"id must be a string, got {type(id).__name__}")
    try:
        return _BY_ID[id]
    except KeyError:
        close = difflib.get_close_matches(id, list(_BY_ID), n=3)
        hint = f"; did you mean {', '.join(map(repr, close))}?" if close else ""
        raise ValueError(f"no identity with id {id!r}{hint}") from None


def identities_for(chapter: str) -> tuple[Identity, ...]:
    """Return the identities derived in a chapter (by label, e.g. ``"ch-gradients"``), in order.

    Raises:
        ValueError: if ``chapter`` is not a chapter label of :data:`CHAPTERS`.
    """
    if chapter not in CHAPTERS:
        raise ValueError(f"chapter must be one of {tuple(CHAPTERS)}, got {chapter!r}")
    return tuple(i for i in _REGISTRY if i.chapter == chapter)
