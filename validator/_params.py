"""Turning parameter strings (path, query, header) into JSON values by their schema's types."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

# OpenAPI: these header parameters are described elsewhere (content, security) and are ignored.
IGNORED_HEADERS = frozenset({"accept", "content-type", "authorization"})

_DELIMITERS = {"form": ",", "simple": ",", "spaceDelimited": " ", "pipeDelimited": "|"}


def types_of(schema: Any, resolve: Callable[[Any], Any], depth: int = 0) -> set[str]:
    """The JSON types a schema admits, looking through ``$ref``, ``anyOf``, ``oneOf`` and ``allOf``."""
    schema = resolve(schema)
    if not isinstance(schema, dict) or depth > 8:
        return set()
    found: set[str] = set()
    declared = schema.get("type")
    if isinstance(declared, str):
        found.add(declared)
    elif isinstance(declared, list):
        found.update(t for t in declared if isinstance(t, str))
    for key in ("anyOf", "oneOf", "allOf"):
        for sub in schema.get(key) or []:
            found |= types_of(sub, resolve, depth + 1)
    values = list(schema.get("enum") or [])
    if "const" in schema:
        values.append(schema["const"])
    found.update(_json_type(v) for v in values)
    return found


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if value is None:
        return "null"
    return "string" if isinstance(value, str) else "object"


def scalar(text: str, types: set[str]) -> Any:
    """Coerce one string to the first admitted type it parses as; otherwise keep the string."""
    if "integer" in types or "number" in types:
        try:
            return int(text)
        except ValueError:
            pass
        if "number" in types:
            try:
                number = float(text)
                if number == number and number not in (float("inf"), float("-inf")):
                    return number
            except ValueError:
                pass
    if "boolean" in types and text in ("true", "false"):
        return text == "true"
    if "null" in types and text in ("", "null"):
        return None
    return text


def coerce(raw: list[str], schema: Any, style: str, explode: bool, resolve: Callable[[Any], Any]) -> Any:
    """A parameter's JSON value from its raw strings (repeated keys or a delimited list for arrays)."""
    types = types_of(schema, resolve)
    if "array" in types:
        items_schema = resolve(schema).get("items", {}) if isinstance(resolve(schema), dict) else {}
        item_types = types_of(items_schema, resolve)
        if explode and len(raw) >= 1 and style == "form":
            parts = raw
        else:
            parts = [p for r in raw for p in r.split(_DELIMITERS.get(style, ","))] if raw != [""] else []
        return [scalar(p, item_types) for p in parts]
    # A repeated scalar parameter stays a list, so that the schema reports the type mismatch.
    return scalar(raw[0], types) if len(raw) == 1 else raw
