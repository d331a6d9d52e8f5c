"""Whether tensor elements lie in their datatype's domain: exact integer ranges, finite floats in range."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

INT_RANGES: dict[str, tuple[int, int]] = {
    "INT8": (-(2**7), 2**7 - 1),
    "INT16": (-(2**15), 2**15 - 1),
    "INT32": (-(2**31), 2**31 - 1),
    "INT64": (-(2**63), 2**63 - 1),
    "UINT8": (0, 2**8 - 1),
    "UINT16": (0, 2**16 - 1),
    "UINT32": (0, 2**32 - 1),
    "UINT64": (0, 2**64 - 1),
}
# The largest finite value of each float type, and the magnitude from which rounding to it gives infinity
# (max + half an ulp): 3.4028235e38 is written for FP32's max and must stay in range.
FLOAT_MAX: dict[str, float] = {"FP16": 65504.0, "FP32": 3.4028234663852886e38, "FP64": 1.7976931348623157e308}
_OVERFLOW: dict[str, float] = {"FP16": 65520.0, "FP32": 3.4028235677973366e38, "FP64": math.inf}
_NUMBER_TYPES = frozenset({int, float})


def first_outside(datatype: str, leaves: Sequence[Any]) -> tuple[int, str] | None:
    """The index of the first element outside the datatype's domain and why; None when all are inside."""
    if not leaves:
        return None
    if _all_inside(datatype, leaves):  # the common case, checked at C speed
        return None
    for i, value in enumerate(leaves):
        reason = outside(datatype, value)
        if reason is not None:
            return i, reason
    return None


def _all_inside(datatype: str, leaves: Sequence[Any]) -> bool:
    kinds = set(map(type, leaves))
    if datatype == "BOOL":
        return kinds == {bool}
    if datatype == "BYTES":
        return kinds == {str}
    if datatype in INT_RANGES:
        low, high = INT_RANGES[datatype]
        return kinds == {int} and low <= min(leaves) and max(leaves) <= high
    if not kinds <= _NUMBER_TYPES:
        return False
    limit = _OVERFLOW[datatype]
    try:
        if not -limit < min(leaves) or not max(leaves) < limit:
            return False
        # min and max can step over a NaN (it compares false both ways); a sum carries it to the end.
        return float not in kinds or math.isfinite(sum(leaves))
    except OverflowError:  # an integer beyond any float beside floats
        return False


def outside(datatype: str, value: Any) -> str | None:
    """Why one element is outside the datatype's domain; None when it is inside."""
    if datatype == "BOOL":
        return None if type(value) is bool else f"{_show(value)} is not a boolean"
    if datatype == "BYTES":
        return None if type(value) is str else f"{_show(value)} is not a string"
    if datatype in INT_RANGES:
        if type(value) is not int:
            return f"{_show(value)} is not an integer"
        low, high = INT_RANGES[datatype]
        if not low <= value <= high:
            return f"{value} is outside {datatype}'s range {low}..{high}"
        return None
    if type(value) not in _NUMBER_TYPES:
        return f"{_show(value)} is not a number"
    if isinstance(value, float) and not math.isfinite(value):
        return f"{value} is not a finite number"
    if not -_OVERFLOW[datatype] < value < _OVERFLOW[datatype]:
        return f"{_show(value)} is outside {datatype}'s range ±{FLOAT_MAX[datatype]:g}"
    return None


def _show(value: Any) -> str:
    text = repr(value) if not isinstance(value, bool) else ("true" if value else "false")
    return text if len(text) <= 40 else text[:37] + "..."
