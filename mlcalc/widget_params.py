"""The parameters of an explorer: how ``explore(plot_fn, name=spec)`` reads each ``spec``.

A spec is a numeric range, ``(lo, hi)``, ``(lo, hi, step)`` or ``(lo, hi, step, default)``, or
an explicit list of values (strings: a drop-down menu; numbers: a slider over exactly those
values). :func:`_parse_param` turns it into a :class:`_Param`: the grid of values, the text
printed beside the slider for each, and the index of the value shown first. Used by
:mod:`mlcalc.widgets` (the explorer) and :mod:`mlcalc.widget_html` (its static HTML); the
names are re-exported from :mod:`mlcalc.widgets`.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

#: Largest number of decimals used to print a parameter value.
_MAX_DECIMALS = 6


def _is_number(x: Any) -> bool:
    return isinstance(x, numbers.Real) and not isinstance(x, bool)


def _decimals(x: float) -> int:
    """Number of decimals needed to print ``x`` exactly (capped at ``_MAX_DECIMALS``)."""
    s = f"{abs(float(x)):.{_MAX_DECIMALS}f}".rstrip("0")
    return len(s.split(".")[1]) if "." in s else 0


def _fmt_general(v: Any) -> str:
    if isinstance(v, str):
        return v
    if isinstance(v, numbers.Integral):
        return str(int(v))
    s = f"{float(v):.6g}"
    return "0" if s == "-0" else s


@dataclass(frozen=True)
class _Param:
    """One explorer parameter: its name, label, grid of values and how to show it."""

    name: str
    label: str
    kind: str  # "float" | "int" (ranges), "numbers" | "names" (explicit lists)
    values: tuple
    texts: tuple  # the values as printed beside the slider
    default: int  # index into values
    step: float | None = None  # ranges only
    decimals: int = 0

    def nearest(self, value: Any) -> int:
        """Index of the grid value nearest to ``value`` (exact match for names)."""
        if self.kind == "names":
            return self.values.index(value)
        arr = np.asarray(self.values, dtype=float)
        return int(np.argmin(np.abs(arr - float(value))))


def _range_param(name: str, label: str, spec: tuple, default: Any) -> _Param:
    if len(spec) == 4:
        lo, hi, step, spec_default = spec
        if default is None:
            default = spec_default
    elif len(spec) == 3:
        lo, hi, step = spec
    else:  # (lo, hi)
        lo, hi = spec
        both_int = all(isinstance(v, numbers.Integral) for v in (lo, hi))
        step = 1 if both_int else (hi - lo) / 20
    for what, v in (("lo", lo), ("hi", hi), ("step", step)):
        if not math.isfinite(float(v)):
            raise ValueError(f"parameter {name!r}: {what} must be a finite number, got {v!r}")
    if not lo < hi:
        raise ValueError(
            f"parameter {name!r}: expected (lo, hi, step) with lo < hi, got lo={lo!r}, hi={hi!r}"
        )
    if not step > 0:
        raise ValueError(
            f"parameter {name!r}: expected (lo, hi, step) with step > 0, got step={step!r}"
        )
    is_int = all(isinstance(v, numbers.Integral) for v in (lo, hi, step))
    n = int(math.floor((hi - lo) / step + 1e-9)) + 1
    if is_int:
        values = tuple(int(lo + i * step) for i in range(n))
        texts = tuple(str(v) for v in values)
        dec = 0
    else:
        dec = max(1, _decimals(lo), _decimals(step))
        values = tuple(round(float(lo) + i * float(step), dec) + 0.0 for i in range(n))
        texts = tuple(f"{v:.{dec}f}" for v in values)
    kind = "int" if is_int else "float"
    p = _Param(name, label, kind, values, texts, (n - 1) // 2, float(step), dec)
    if default is not None:
        if not _is_number(default) or not (lo - 1e-9 * step <= default <= hi + 1e-9 * step):
            raise ValueError(
                f"parameter {name!r}: default {default!r} is outside the range [{lo}, {hi}]"
            )
        p = _Param(name, label, kind, values, texts, p.nearest(default), float(step), dec)
    return p


def _list_param(name: str, label: str, spec: Sequence, default: Any) -> _Param:
    items = list(spec)
    if len(items) == 0:
        raise ValueError(f"parameter {name!r}: the list of values is empty")
    if all(isinstance(v, str) for v in items):
        kind = "names"
    elif all(_is_number(v) for v in items):
        kind = "numbers"
        if not all(math.isfinite(float(v)) for v in items):
            raise ValueError(f"parameter {name!r}: values must be finite numbers, got {items!r}")
    else:
        raise TypeError(
            f"parameter {name!r}: a list of values must hold only strings or only numbers, "
            f"got {items!r}"
        )
    if len(set(items)) != len(items):
        raise ValueError(f"parameter {name!r}: the values {items!r} contain duplicates")
    texts = tuple(_fmt_general(v) for v in items)
    p = _Param(name, label, kind, tuple(items), texts, 0)
    if default is not None:
        if default not in items:
            raise ValueError(f"parameter {name!r}: default {default!r} is not one of {items!r}")
        p = _Param(name, label, kind, tuple(items), texts, items.index(default))
    return p


def _parse_param(name: str, spec: Any, label: str | None, default: Any) -> _Param:
    label = name if label is None else str(label)
    if isinstance(spec, tuple) and spec and all(_is_number(v) for v in spec):
        if len(spec) not in (2, 3, 4):
            raise ValueError(
                f"parameter {name!r}: a tuple of numbers must be (lo, hi), (lo, hi, step) or "
                f"(lo, hi, step, default), got {spec!r}; use a list for explicit values"
            )
        return _range_param(name, label, spec, default)
    if isinstance(spec, (list, tuple)):
        return _list_param(name, label, spec, default)
    raise TypeError(
        f"parameter {name!r}: expected (lo, hi, step), (lo, hi, step, default) or a list of "
        f"values (strings or numbers), got {type(spec).__name__} {spec!r}"
    )
