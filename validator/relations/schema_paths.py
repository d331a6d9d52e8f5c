"""The schemas a JSON Schema applies at an instance pointer (``/scores/0/client_id``), found by walking it.

Lint uses it to check that a location names a value of the right kind; the mock to find the variants
a response may name. The walk follows ``$ref`` and every ``allOf``/``anyOf``/``oneOf`` branch.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .._resolving import ref_target
from ..pointers import split_pointer

if TYPE_CHECKING:  # compiled.py reaches this module through the extension catalogue
    from ..compiled import CompiledContract

_MAX_DEPTH = 32
OPEN: dict[str, Any] = {}  # what an open object allows for a member it does not declare


def schemas_at(compiled: CompiledContract, uri: str, pointer: str) -> list[Any] | None:
    """The schemas that apply at ``pointer`` of an instance of the schema at ``uri``; None when none can."""
    resolved = compiled.resolved(uri)
    if resolved is None:
        return [OPEN]
    found: list[Any] = []
    _walk(resolved[0], resolved[1], split_pointer(pointer), 0, found)
    return found or None


def _walk(schema: Any, resolver: Any, tokens: list[str], depth: int, found: list[Any]) -> None:
    if depth > _MAX_DEPTH or not isinstance(schema, dict):
        found.append(OPEN)
        return
    if isinstance(schema.get("$ref"), str) and resolver is not None:
        target = ref_target(schema, resolver)
        if target is None:
            found.append(OPEN)
            return
        _walk(target.contents, target.resolver, tokens, depth + 1, found)
        return
    combined = False
    for key in ("allOf", "anyOf", "oneOf"):
        if isinstance(schema.get(key), list):
            combined = True
            for branch in schema[key]:
                _walk(branch, resolver, tokens, depth + 1, found)
    if combined:
        return
    if not tokens:
        found.append(schema)
        return
    head, rest = tokens[0], tokens[1:]
    properties = schema.get("properties")
    if isinstance(properties, dict) and head in properties:
        _walk(properties[head], resolver, rest, depth + 1, found)
        return
    if head.isdigit():
        prefix = schema.get("prefixItems")
        if isinstance(prefix, list) and int(head) < len(prefix):
            _walk(prefix[int(head)], resolver, rest, depth + 1, found)
            return
        if isinstance(schema.get("items"), dict):
            _walk(schema["items"], resolver, rest, depth + 1, found)
            return
    extra = schema.get("additionalProperties")
    if isinstance(extra, dict):
        _walk(extra, resolver, rest, depth + 1, found)
    elif extra is not False and schema.get("unevaluatedProperties") is not False and not isinstance(properties, dict):
        found.append(OPEN)


def types_of(schema: Any) -> set[str] | None:
    """The JSON types a schema names (None when it names none: anything goes)."""
    if not isinstance(schema, dict):
        return None
    declared = schema.get("type")
    if isinstance(declared, str):
        return {declared}
    if isinstance(declared, list):
        return {str(t) for t in declared}
    if "items" in schema or "prefixItems" in schema:
        return {"array"}
    if "properties" in schema:
        return {"object"}
    return None


def enum_at(compiled: CompiledContract, uri: str, pointer: str) -> list[Any]:
    """The values an ``enum`` (or ``const``) allows at ``pointer``; empty when the schema lists none."""
    for schema in schemas_at(compiled, uri, pointer) or []:
        if isinstance(schema, dict):
            if isinstance(schema.get("enum"), list) and schema["enum"]:
                return list(schema["enum"])
            if "const" in schema:
                return [schema["const"]]
    return []


def default_at(compiled: CompiledContract, uri: str, pointer: str) -> Any:
    """The ``default`` a schema declares at ``pointer`` (MISSING when none does)."""
    from .locations import MISSING

    for schema in schemas_at(compiled, uri, pointer) or []:
        if isinstance(schema, dict) and "default" in schema:
            return schema["default"]
    return MISSING
