"""Witness candidates for ``x-sum`` and ``x-sorted`` changes: values the source side keeps, the target breaks.

Sample values rarely add up to a total just outside a tolerance or come in a chosen order, so the
witness search is given values aimed at the target's declaration: numbers adding up to a total the
source accepts (its own total, or near it within its tolerance) and the target refuses; two items
in the order the target refuses and, when the source sorts by another member, the order it wants.
The search then confirms each with both versions' validators, extension keywords included.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from ..pointers import write_pointer
from ..relations.locations import MISSING
from ..relations.schema_keywords import declared, summed_slots, tolerance_of


def output_candidates(src: Any, tgt: Any, bases: Sequence[Any]) -> list[Any]:
    """Values for a change of ``x-sum``/``x-sorted`` between the source and target schemas (raw), built from
    ``bases`` (sample values of the source schema); empty when the target declares neither."""
    out: list[Any] = []
    total = declared(tgt, "x-sum")
    if total is not None:
        out.extend(_sums(declared(src, "x-sum"), total, bases))
    order = declared(tgt, "x-sorted")
    if order is not None:
        out.extend(_orders(declared(src, "x-sorted"), order, bases))
    return out


# -- x-sum ----------------------------------------------------------------------------------------
def _totals(src: Mapping[str, Any] | None, tgt: Mapping[str, Any]) -> list[float]:
    """Totals the source accepts and the target refuses."""
    equals, tolerance = float(tgt["equals"]), tolerance_of(tgt)
    if src is not None and src.get("of") == tgt.get("of"):
        middle, slack = float(src["equals"]), tolerance_of(src)
        options = [middle, middle + slack * 0.5, middle - slack * 0.5]
    else:  # the source does not add these numbers up: any total will do
        options = [equals + tolerance * 2 + 0.1, equals * 0.9, equals - tolerance * 2 - 0.1, 0.0]
    return [t for t in options if abs(t - equals) > tolerance]


def _sums(src: Mapping[str, Any] | None, tgt: Mapping[str, Any], bases: Sequence[Any]) -> Iterator[Any]:
    member = tgt.get("of")
    # The source adds up another member: keep its total while the target's is off.
    keep = src if src is not None and src.get("of") != member else None
    for total in _totals(src, tgt):
        for base in bases:
            scaled = _rescaled(base, member, total)
            if scaled is not None and keep is not None:
                scaled = _rescaled(scaled, keep.get("of"), float(keep["equals"]))
            if scaled is not None:
                yield scaled
        if member is None:
            yield [total]
            yield [total / 2, total / 2]


def _rescaled(base: Any, member: Any, total: float) -> Any:
    """``base`` with the numbers the declaration adds up set to add up to ``total`` (None when it has none)."""
    value = copy.deepcopy(base)
    slots = summed_slots({"of": member}, value)
    if not slots:
        return None
    for container, key in slots:
        container[key] = total / len(slots)
    return value


# -- x-sorted -------------------------------------------------------------------------------------
_PAIRS: tuple[tuple[Any, Any], ...] = ((0.25, 0.75), (1, 2), ("a", "b"))


def _orders(src: Mapping[str, Any] | None, tgt: Mapping[str, Any], bases: Sequence[Any]) -> Iterator[Any]:
    """Two items the target finds out of order, in the order the source wants when it sorts another member."""
    items = [item for base in bases if isinstance(base, list) for item in base[:1]] or [MISSING]
    by, other = tgt.get("by"), src.get("by") if src is not None else None
    for item in items[:3]:
        for low, high in _PAIRS:
            wrong = (high, low) if tgt.get("order", "asc") == "asc" else (low, high)
            made = [_with(item, by, wrong[0]), _with(item, by, wrong[1])]
            if src is None or other == by:
                yield made
                continue
            for low2, high2 in _PAIRS:  # the two members may take values of different types
                right = (low2, high2) if src.get("order", "asc") == "asc" else (high2, low2)
                yield [_with(made[0], other, right[0]), _with(made[1], other, right[1])]


def _with(item: Any, member: Any, value: Any) -> Any:
    """``item`` with its sort value set: the item itself, or its member ``member`` (a relative pointer)."""
    if not isinstance(member, str):
        return value
    return write_pointer(copy.deepcopy(item) if isinstance(item, dict) else {}, member, value)
