"""``x-sum`` and ``x-sorted``: what a prediction's numbers promise beyond their types.

Each check sees the keyword's value, the instance at the schema's site and that instance's pointer,
and returns problems pointing at the offending array, object or item. A value of another type is
left to JSON Schema (its ``type`` keyword reports it).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from ..extensions._types import DeclarationError, Located
from ..pointers import split_pointer
from ..problems import Problem
from .locations import MISSING, at

DEFAULT_TOLERANCE = 1e-6


def sum_holds(spec: Any, instance: Any, pointer: str) -> list[Problem]:
    """The numbers of an array (or each item's ``of`` member, or an object's values) add up to ``equals``."""
    if not isinstance(spec, Mapping) or not _is_number(spec.get("equals")):
        return []
    member = spec.get("of")
    if isinstance(instance, list):
        values: Any = (at(item, member) for item in instance) if isinstance(member, str) else instance
    elif isinstance(instance, Mapping) and member is None:
        values = instance.values()
    else:
        return []
    numbers = [v for v in values if _is_number(v)]
    if not numbers:
        return []
    tolerance = tolerance_of(spec)
    total = math.fsum(numbers)
    expected = float(spec["equals"])
    if abs(total - expected) <= tolerance:
        return []
    what = f"the {member} members" if isinstance(member, str) else "the values"
    return [
        Problem(
            pointer,
            f"{pointer or '/'}: {what} of {len(numbers)} items add up to {_num(total)}, "
            f"x-sum declares {_num(expected)} (±{tolerance:g})",
            keyword="x-sum",
            location="body",
        )
    ]


def sorted_holds(spec: Any, instance: Any, pointer: str) -> list[Problem]:
    """The items of an array are in ``order`` (asc or desc) of themselves or of their member ``by``; ties allowed."""
    if not isinstance(spec, Mapping) or not isinstance(instance, list):
        return []
    order = spec.get("order", "asc")
    member = spec.get("by")
    descending = order == "desc"
    previous: Any = MISSING
    for index, item in enumerate(instance):
        value = at(item, member) if isinstance(member, str) else item
        if not _comparable(value):
            continue
        if previous is not MISSING and type(_kind(previous)) is type(_kind(value)):
            wrong = value > previous if descending else value < previous
            if wrong:
                where = f"{pointer}/{index}{member if isinstance(member, str) else ''}"
                return [
                    Problem(
                        where,
                        f"{where}: {value!r} comes after {previous!r} (item {index - 1}), "
                        f"x-sorted declares {order} order" + (f" by {member}" if isinstance(member, str) else ""),
                        keyword="x-sorted",
                        location="body",
                    )
                ]
        previous = value
    return []


def tolerance_of(spec: Mapping[str, Any]) -> float:
    """The error an ``x-sum`` allows (its ``tolerance``, else 1e-6)."""
    value: Any = spec.get("tolerance")
    return float(value) if _is_number(value) else DEFAULT_TOLERANCE


def summed_slots(spec: Mapping[str, Any], node: Any) -> list[tuple[Any, Any]]:
    """Where the numbers an ``x-sum`` adds up stand in ``node``: (container, key) pairs, for code that sets them."""
    member = spec.get("of")
    slots: list[tuple[Any, Any]] = []
    if isinstance(node, list):
        for index, item in enumerate(node):
            if isinstance(member, str):
                tokens = split_pointer(member)
                holder = item
                for token in tokens[:-1]:
                    holder = holder.get(token) if isinstance(holder, dict) else None
                if isinstance(holder, dict) and tokens and _is_number(holder.get(tokens[-1])):
                    slots.append((holder, tokens[-1]))
            elif _is_number(item):
                slots.append((node, index))
    elif isinstance(node, dict) and member is None:
        slots = [(node, key) for key, value in node.items() if _is_number(value)]
    return slots


def declared(schema: Any, keyword: str) -> Mapping[str, Any] | None:
    """The usable ``x-sum``/``x-sorted`` declaration of a schema (None when absent or malformed: lint says so)."""
    if not isinstance(schema, Mapping) or keyword not in schema:
        return None
    try:
        return (parse_sum if keyword == "x-sum" else parse_sorted)(schema[keyword], schema)
    except DeclarationError:
        return None


def _is_number(value: Any) -> bool:
    kind = type(value)
    if kind is float:
        return math.isfinite(value)
    return kind is int or (isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value))


def _comparable(value: Any) -> bool:
    return _is_number(value) or isinstance(value, str)


def _kind(value: Any) -> Any:
    return 0.0 if _is_number(value) else ""


def _num(value: float) -> str:
    return f"{value:.10g}"


# -- the rows of the extension catalogue -----------------------------------------------------------
def parse_sum(declaration: Any, schema: Any) -> Mapping[str, Any]:
    """An ``x-sum`` declaration: ``{equals: N, tolerance?: t >= 0, of?: /pointer}``; DeclarationError otherwise."""
    if not isinstance(declaration, Mapping):
        raise DeclarationError("x-sum is an object, e.g. {equals: 1}")
    unknown = sorted(set(declaration) - {"equals", "tolerance", "of"})
    if unknown:
        raise DeclarationError(f"unknown member {', '.join(unknown)}; allowed: equals, of, tolerance")
    if not _is_number(declaration.get("equals")):
        raise DeclarationError("needs a number `equals`", "/equals")
    tolerance = declaration.get("tolerance", 0)
    if not _is_number(tolerance) or tolerance < 0:
        raise DeclarationError("`tolerance` is a number of at least 0", "/tolerance")
    _relative(declaration.get("of"), "/of")
    return declaration


def parse_sorted(declaration: Any, schema: Any) -> Mapping[str, Any]:
    """An ``x-sorted`` declaration: ``{order: asc|desc, by?: /pointer}``; DeclarationError otherwise."""
    if not isinstance(declaration, Mapping):
        raise DeclarationError("x-sorted is an object, e.g. {order: desc}")
    unknown = sorted(set(declaration) - {"order", "by"})
    if unknown:
        raise DeclarationError(f"unknown member {', '.join(unknown)}; allowed: by, order")
    if declaration.get("order", "asc") not in ("asc", "desc"):
        raise DeclarationError(f"order {declaration.get('order')!r} is not asc or desc", "/order")
    _relative(declaration.get("by"), "/by")
    return declaration


def _relative(member: Any, where: str) -> None:
    if member is not None and not (isinstance(member, str) and member.startswith("/")):
        raise DeclarationError(f"{member!r} is not a relative JSON pointer such as /score", where)


def check_sum(found: Located) -> list[Problem]:
    """``x-sum`` at one located value."""
    return sum_holds(found.model, found.value, found.pointer)


def check_sorted(found: Located) -> list[Problem]:
    """``x-sorted`` at one located value."""
    return sorted_holds(found.model, found.value, found.pointer)
