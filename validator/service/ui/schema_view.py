"""A payload schema as a table of members for people: name, type, required, constraints, description.

References are followed through the contract's loaded resources (never the filesystem, never the
network); a reference seen again on the way down is shown by name instead of expanded, and depth
is bounded, so a recursive schema renders as a finite table.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urldefrag, urljoin

from ...contract import Contract
from ...pointers import resolve_pointer
from . import keywords

MAX_DEPTH = 8

_CONSTRAINTS = (
    ("minLength", "at least {} characters"),
    ("maxLength", "at most {} characters"),
    ("minimum", "≥ {}"),
    ("exclusiveMinimum", "> {}"),
    ("maximum", "≤ {}"),
    ("exclusiveMaximum", "< {}"),
    ("multipleOf", "a multiple of {}"),
    ("minItems", "at least {} items"),
    ("maxItems", "at most {} items"),
    ("minProperties", "at least {} members"),
    ("maxProperties", "at most {} members"),
    ("pattern", "matches {}"),
)


@dataclass
class Member:
    """One row of a schema table, with the rows of its nested object (if any)."""

    name: str
    type: str
    required: bool
    constraints: list[str] = field(default_factory=list)
    description: str = ""
    keywords: list[str] = field(default_factory=list)
    children: list[Member] = field(default_factory=list)


@dataclass
class SchemaView:
    """A schema's top level (its own type and ML keywords) and its members."""

    type: str
    constraints: list[str]
    description: str
    keywords: list[str]
    members: list[Member]


def view(contract: Contract, schema: Any, base_uri: str) -> SchemaView:
    """The table of a schema that stands in the document at ``base_uri``."""
    node, uri, seen = _deref(contract, schema, base_uri, frozenset())
    node = node if isinstance(node, Mapping) else {}
    members = _members(contract, node, uri, seen, 0)
    return SchemaView(
        _type(contract, node, uri, seen),
        _constraints(node),
        str(node.get("description", "")),
        _keywords(contract, node, uri, frozenset()),
        members,
    )


def _deref(contract: Contract, schema: Any, base: str, seen: frozenset[str]) -> tuple[Any, str, frozenset[str]]:
    """Follow ``$ref`` chains inside the loaded resources; stop at one already on the path."""
    for _ in range(32):
        if not isinstance(schema, Mapping) or not isinstance(schema.get("$ref"), str):
            return schema, base, seen
        target = urljoin(base, schema["$ref"])
        if target in seen:
            return {"$recursive": target}, base, seen
        seen = seen | {target}
        document_uri, fragment = urldefrag(target)
        document = contract.resources.get(document_uri)
        if document is None:
            return {"$unresolved": schema["$ref"]}, base, seen
        try:
            found = resolve_pointer(document, fragment)
        except LookupError:
            return {"$unresolved": schema["$ref"]}, base, seen
        # Sibling keywords beside $ref (2020-12) still apply; show them over the target's.
        extra = {k: v for k, v in schema.items() if k != "$ref"}
        schema = {**found, **extra} if isinstance(found, Mapping) and extra else found
        base = document_uri
    return schema, base, seen


def _members(contract: Contract, node: Mapping[str, Any], uri: str, seen: frozenset[str], depth: int) -> list[Member]:
    if depth >= MAX_DEPTH:
        return []
    node = _merged(contract, node, uri, seen)
    if node.get("type") == "array" or ("items" in node and "properties" not in node):
        items, item_uri, item_seen = _deref(contract, node.get("items"), uri, seen)
        if isinstance(items, Mapping):
            return _members(contract, items, item_uri, item_seen, depth)
        return []
    properties = node.get("properties")
    if not isinstance(properties, Mapping):
        return _options(contract, node, uri, seen, depth)
    required = set(node.get("required") or [])
    out = []
    for name, raw in properties.items():
        child, child_uri, child_seen = _deref(contract, raw, uri, seen)
        child = child if isinstance(child, Mapping) else {}
        out.append(
            Member(
                str(name),
                _type(contract, child, child_uri, child_seen),
                name in required,
                _constraints(child),
                str(child.get("description", "")),
                _keywords(contract, child, child_uri, child_seen),
                _members(contract, child, child_uri, child_seen, depth + 1),
            )
        )
    if node.get("additionalProperties") is False or node.get("unevaluatedProperties") is False:
        out.append(Member("(any other)", "not allowed", False))
    return out


def _keywords(contract: Contract, node: Mapping[str, Any], uri: str, seen: frozenset[str]) -> list[str]:
    """The ML keywords of a schema and, for an array, of its items ("each item: ..."), nested arrays too."""
    out = keywords.schema_keywords(node)
    prefix = ""
    for _ in range(4):  # tensor data nests one array level per dim
        if "items" not in node:
            break
        items, uri, seen = _deref(contract, node["items"], uri, seen)
        if not isinstance(items, Mapping):
            break
        prefix += "each item: "
        out += [prefix + k for k in keywords.schema_keywords(items)]
        node = items
    return out


def _options(contract: Contract, node: Mapping[str, Any], uri: str, seen: frozenset[str], depth: int) -> list[Member]:
    """The shapes of a ``oneOf``/``anyOf``, one row each."""
    for key in ("oneOf", "anyOf"):
        options = node.get(key)
        if isinstance(options, list):
            out = []
            for i, raw in enumerate(options, 1):
                option, option_uri, option_seen = _deref(contract, raw, uri, seen)
                option = option if isinstance(option, Mapping) else {}
                out.append(
                    Member(
                        f"option {i}",
                        _type(contract, option, option_uri, option_seen),
                        False,
                        _constraints(option),
                        str(option.get("description", option.get("title", ""))),
                        keywords.schema_keywords(option),
                        _members(contract, option, option_uri, option_seen, depth + 1),
                    )
                )
            return out
    return []


def _merged(contract: Contract, node: Mapping[str, Any], uri: str, seen: frozenset[str]) -> Mapping[str, Any]:
    """``allOf`` parts folded into one object view (members and required names added up)."""
    parts = node.get("allOf")
    if not isinstance(parts, list):
        return node
    merged: dict[str, Any] = {k: v for k, v in node.items() if k != "allOf"}
    properties = dict(merged.get("properties") or {})
    required = list(merged.get("required") or [])
    for raw in parts:
        part, _, _ = _deref(contract, raw, uri, seen)
        if isinstance(part, Mapping):
            properties.update(part.get("properties") or {})
            required += list(part.get("required") or [])
            for key in ("type", "items"):
                if key in part and key not in merged:
                    merged[key] = part[key]
    if properties:
        merged["properties"] = properties
    if required:
        merged["required"] = required
    return merged


def _type(contract: Contract, node: Mapping[str, Any], uri: str, seen: frozenset[str] = frozenset()) -> str:
    if "$recursive" in node:
        return f"(the enclosing {_ref_name(node['$recursive'])}, recursively)"
    if "$unresolved" in node:
        return f"(unresolved {node['$unresolved']})"
    if "const" in node:
        return f"exactly {keywords.as_written(node['const'])}"
    if isinstance(node.get("enum"), list):
        return "one of " + ", ".join(keywords.as_written(v) for v in node["enum"])
    declared = node.get("type")
    names = declared if isinstance(declared, list) else [declared] if isinstance(declared, str) else []
    if "array" in names or ("items" in node and not names):
        items, item_uri, item_seen = _deref(contract, node.get("items"), uri, seen)
        inner = _type(contract, items, item_uri, item_seen) if isinstance(items, Mapping) else "anything"
        names = [f"array of {inner}" if n == "array" else n for n in names] or [f"array of {inner}"]
    if "format" in node:
        names = [f"{n} ({node['format']})" if n == "string" else n for n in names]
    if not names:
        if "properties" in node or "allOf" in node:
            return "object"
        if "oneOf" in node or "anyOf" in node:
            return "one of the shapes below"
        return "anything"
    return " or ".join(str(n) for n in names)


def _constraints(node: Mapping[str, Any]) -> list[str]:
    out = [
        text.format(keywords.as_written(node[key]) if key == "pattern" else node[key])
        for key, text in _CONSTRAINTS
        if key in node
    ]
    if node.get("uniqueItems") is True:
        out.append("no duplicates")
    if "default" in node:
        out.append(f"default {keywords.as_written(node['default'])}")
    if node.get("deprecated") is True:
        out.append("deprecated")
    return out


def _ref_name(uri: str) -> str:
    return uri.rsplit("/", 1)[-1]
