"""Whether tensor elements lie in their datatype's domain: exact integer ranges, finite floats in range."""

from __future__ import annotations

import functools
import math
import struct
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
_NUMBER_TYPES = frozenset({int, float})  # for the element-wise path


def first_outside(datatype: str, leaves: Sequence[Any]) -> tuple[int, str] | None:
    """The index of the first element outside the datatype's domain and why; None when all are inside."""
    if not leaves:
        return None
    if _all_inside(datatype, leaves):  # the common case, checked in compiled code
        return None
    for i, value in enumerate(leaves):
        reason = outside(datatype, value)
        if reason is not None:
            return i, reason
    return None


# JSON types first (a compiled validator: bools are not numbers, 3.0 is not rejected yet), then the
# datatype's range by packing into its C type, which refuses what does not fit (floats rounding to the
# type's max fit, as they would on the server); struct's integer formats also refuse floats.
_JSON_TYPES = {"BOOL": "boolean", "BYTES": "string", **dict.fromkeys(INT_RANGES, "integer")}
_PACKED = {
    "INT8": "b",
    "INT16": "h",
    "INT32": "i",
    "INT64": "q",
    "UINT8": "B",
    "UINT16": "H",
    "UINT32": "I",
    "UINT64": "Q",
    "FP16": "e",
    "FP32": "f",
    "FP64": "d",
}


@functools.cache
def _types_validator(json_type: str) -> Any:
    import jsonschema_rs

    return jsonschema_rs.Draft202012Validator({"type": "array", "items": {"type": json_type}})


def _all_inside(datatype: str, leaves: Sequence[Any]) -> bool:
    try:
        if not _types_validator(_JSON_TYPES.get(datatype, "number")).is_valid(leaves):
            return False
        code = _PACKED.get(datatype)
        if code is None:
            return True
        struct.pack(f"={len(leaves)}{code}", *leaves)
        # Packing lets NaN and infinity through (only a lenient JSON reader makes them); a sum carries them.
        return code in "bhiqBHIQ" or math.isfinite(sum(leaves))
    except (struct.error, OverflowError, ValueError, TypeError):
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
    if isinstance(value, int) and abs(value) > FLOAT_MAX["FP64"]:
        return f"{_show(value)} is outside {datatype}'s range ±{FLOAT_MAX[datatype]:g}"
    if not -_OVERFLOW[datatype] < value < _OVERFLOW[datatype]:
        return f"{_show(value)} is outside {datatype}'s range ±{FLOAT_MAX[datatype]:g}"
    return None


def _show(value: Any) -> str:
    text = repr(value) if not isinstance(value, bool) else ("true" if value else "false")
    return text if len(text) <= 40 else text[:37] + "..."
