"""Whether tensor elements lie in their datatype's domain: exact integer ranges, finite floats in range."""

from __future__ import annotations

import functools
import math
import struct
from collections.abc import Callable, Sequence
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
    if all_inside(datatype, leaves):  # the common case, checked in compiled code
        return None
    for i, value in enumerate(leaves):
        reason = outside(datatype, value)
        if reason is not None:
            return i, reason
    return None


# JSON types first (a compiled validator: bools are not numbers, NaN and infinities are not JSON numbers
# either, 3.0 is not rejected yet), then the datatype's range. Integers and FP16 are packed into their C
# type, which refuses what does not fit (integer formats also refuse floats). FP32 and FP64 are bounded by
# their Euclidean norm, a little cheaper than packing: it is at least every element's magnitude, so a norm
# below the type's max puts every element in range, and a norm at or past it (elements near 1e38, or near
# 1e308) only sends them to the element-wise path, which decides exactly. FP16's max (65504) is within
# reach of real data's norm, so FP16 is packed.
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
}
_NORM_BOUND = {"FP32": FLOAT_MAX["FP32"], "FP64": FLOAT_MAX["FP64"]}


@functools.cache
def _types_check(datatype: str) -> Callable[[Any], bool]:
    import jsonschema_rs

    json_type = _JSON_TYPES.get(datatype, "number")
    return jsonschema_rs.Draft202012Validator({"type": "array", "items": {"type": json_type}}).is_valid


@functools.lru_cache(maxsize=256)
def _packer(code: str, count: int) -> Callable[..., bytes]:
    # A compiled Struct per element count: struct.pack(format, ...) looks the format up on every call.
    return struct.Struct(f"={count}{code}").pack


def all_inside(datatype: str, leaves: Sequence[Any]) -> bool:
    """Whether every element lies in the datatype's domain (two passes in C; no element-wise Python)."""
    try:
        if not _types_check(datatype)(leaves):
            return False
        bound = _NORM_BOUND.get(datatype)
        if bound is not None:
            return math.hypot(*leaves) < bound
        code = _PACKED.get(datatype)
        if code is not None:
            _packer(code, len(leaves))(*leaves)
        return True
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
