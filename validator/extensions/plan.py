"""Where in a payload each extension keyword applies, worked out once per schema location.

A schema's plan follows ``$ref``, ``allOf``, ``properties``, ``prefixItems`` and ``items`` statically, so
locating the tensors of a request costs a walk over the few members on the way to them, not an
evaluation of the whole payload (the engine's annotation output costs some 30 times a validity check).
A keyword reached only through a conditional applicator (``oneOf``, ``if``, ``additionalProperties``, ...)
makes the plan fall back to that annotation output, which knows which branches applied.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import unquote, urljoin

from .._resolving import ref_target
from ..pointers import escape_token
from ..vocabulary import IN_PLACE, SUBSCHEMA_LISTS, SUBSCHEMA_MAPS, UNEVALUATED
from ._types import DeclarationError, Located, SchemaKeyword

# Applicators whose subschemas apply to a payload only conditionally, or to members not known statically.
_CONDITIONAL = (
    *(key for key in IN_PLACE if key != "allOf"),
    "contains",
    "additionalProperties",
    "patternProperties",
    "propertyNames",
    *UNEVALUATED,
)


class _Node:
    """What applies at one payload position: declarations here, and the plans of its members and items."""

    __slots__ = ("also", "found", "items", "prefix", "properties")

    def __init__(self) -> None:
        self.found: list[tuple[str, Any, str]] = []  # (keyword, model, schema location)
        self.also: list[_Node] = []  # nodes applying at the same position ($ref, allOf)
        self.properties: dict[str, list[_Node]] = {}
        self.prefix: list[list[_Node]] = []
        self.items: list[_Node] = []


class Plan:
    """How to find every value of a payload that a registered keyword applies to."""

    def __init__(self, root: _Node | None, evaluate: Callable[[Any], Any] | None, keywords: frozenset[str]) -> None:
        self.keywords = keywords  # the registered keywords reachable from the schema
        self._root = root
        self._evaluate = evaluate  # set when the static walk cannot tell (conditional applicators)
        self._parsed: dict[tuple[str, str], Any] = {}
        # Most plans are a few fixed steps to each declaration (/inputs/0): followed directly, not walked.
        self._paths = _paths(root) if root is not None else None

    def locate(self, payload: Any, keywords: Mapping[str, SchemaKeyword]) -> list[Located]:
        """Every (declaration, value, pointer) of the payload, in document order."""
        out: list[Located] = []
        if self._evaluate is not None:
            self._from_annotations(payload, keywords, out)
        elif self._paths is not None:
            for steps, found in self._paths:
                _follow(payload, steps, 0, "", found, out)
        elif self._root is not None:
            _walk(self._root, payload, "", out, 0, set())
        return out

    def _from_annotations(self, payload: Any, keywords: Mapping[str, SchemaKeyword], out: list[Located]) -> None:
        assert self._evaluate is not None
        for entry in self._evaluate(payload).annotations():
            values = entry.get("annotations")
            if not isinstance(values, dict):
                continue
            for keyword, declaration in values.items():
                spec = keywords.get(keyword)
                if spec is None:
                    continue
                where = entry.get("absoluteKeywordLocation") or entry.get("schemaLocation") or ""
                key = (keyword, json.dumps(declaration, sort_keys=True, default=str))
                if key not in self._parsed:
                    try:
                        self._parsed[key] = spec.parse(declaration, None)
                    except DeclarationError:
                        self._parsed[key] = None
                model = self._parsed[key]
                if model is None:
                    continue
                pointer = entry.get("instanceLocation") or ""
                out.append(Located(keyword, model, _at(payload, pointer), pointer, where))


def _at(payload: Any, pointer: str) -> Any:
    from ..pointers import resolve_pointer

    try:
        return resolve_pointer(payload, pointer)
    except LookupError:
        return None


def _walk(node: _Node, value: Any, pointer: str, out: list[Located], depth: int, here: set[int]) -> None:
    if depth > 512:  # a recursive schema meets a payload whose depth the parser already bounds
        return
    here.add(id(node))
    for keyword, model, where in node.found:
        out.append(Located(keyword, model, value, pointer, where))
    for other in node.also:
        if id(other) not in here:  # a $ref cycle at one position is walked once
            _walk(other, value, pointer, out, depth + 1, here)
    if node.properties and type(value) is dict:
        for name, subs in node.properties.items():
            if name in value:
                child = value[name]
                sub_pointer = pointer + "/" + escape_token(name)
                for sub in subs:
                    _walk(sub, child, sub_pointer, out, depth + 1, set())
    if (node.items or node.prefix) and type(value) is list:
        for i, child in enumerate(value):
            subs = node.prefix[i] if i < len(node.prefix) else node.items
            for sub in subs:
                _walk(sub, child, f"{pointer}/{i}", out, depth + 1, set())


# ("member", name, "/name" escaped) | ("index", i, "/i") | ("rest", first index the items schema covers, "")
Step = tuple[str, Any, str]
_MAX_PATHS = 64


def _paths(root: _Node) -> list[tuple[tuple[Step, ...], list[tuple[str, Any, str]]]] | None:
    """Each declaration with the fixed steps leading to it; None for a recursive plan (walked instead)."""
    out: list[tuple[tuple[Step, ...], list[tuple[str, Any, str]]]] = []

    def visit(node: _Node, steps: tuple[Step, ...], on_path: frozenset[int]) -> bool:
        if id(node) in on_path or len(out) > _MAX_PATHS:
            return False
        here = on_path | {id(node)}
        if node.found:
            out.append((steps, node.found))
        ok = all(visit(other, steps, here) for other in node.also)
        for name, subs in node.properties.items():
            member = ("member", name, "/" + escape_token(name))
            ok = ok and all(visit(sub, (*steps, member), here) for sub in subs)
        for i, subs in enumerate(node.prefix):
            ok = ok and all(visit(sub, (*steps, ("index", i, f"/{i}")), here) for sub in subs)
        return ok and all(visit(sub, (*steps, ("rest", len(node.prefix), "")), here) for sub in node.items)

    return out if visit(root, (), frozenset()) and len(out) <= _MAX_PATHS else None


def _follow(
    value: Any, steps: tuple[Step, ...], at: int, pointer: str, found: list[tuple[str, Any, str]], out: list[Located]
) -> None:
    while at < len(steps):
        kind, key, token = steps[at]
        if kind == "member":
            if type(value) is not dict or key not in value:
                return
            value = value[key]
            pointer += token
        elif kind == "index":
            if type(value) is not list or key >= len(value):
                return
            value = value[key]
            pointer += token
        else:
            if type(value) is not list:
                return
            for i in range(key, len(value)):
                _follow(value[i], steps, at + 1, f"{pointer}/{i}", found, out)
            return
        at += 1
    for keyword, model, where in found:
        out.append(Located(keyword, model, value, pointer, where))


def build(
    schema: Any,
    resolver: Any,
    location: str,
    keywords: Mapping[str, SchemaKeyword],
    evaluate: Callable[[Any], Any],
) -> Plan | None:
    """The plan of the schema at ``location``; None when no registered keyword is reachable from it."""
    builder = _Builder(keywords)
    root = builder.node(schema, resolver, location)
    if not builder.any_found:
        return None
    if builder.conditional:
        return Plan(None, evaluate, frozenset(builder.seen))
    builder.prune()
    return Plan(root, None, frozenset(builder.seen))


class _Builder:
    def __init__(self, keywords: Mapping[str, SchemaKeyword]) -> None:
        self.keywords = keywords
        self.any_found = False
        self.conditional = False
        self.seen: set[str] = set()
        self._memo: dict[int, _Node] = {}

    def node(self, schema: Any, resolver: Any, location: str) -> _Node:
        found = self._memo.get(id(schema))
        if found is not None:
            return found
        node = self._memo[id(schema)] = _Node()
        if not isinstance(schema, dict):
            return node
        for keyword, spec in self.keywords.items():
            if keyword in schema:
                self.any_found = True
                self.seen.add(keyword)
                # An unusable declaration is lint's to report; payloads are not checked against it.
                with contextlib.suppress(DeclarationError):
                    node.found.append((keyword, spec.parse(schema[keyword], schema), location))
        resolved = ref_target(schema, resolver)
        if resolved is not None:
            target = _ref_location(resolved.resolver.base_uri, location, schema["$ref"])
            node.also.append(self.node(resolved.contents, resolved.resolver, target))
        for i, sub in enumerate(schema.get("allOf") or ()):
            node.also.append(self.node(sub, resolver, f"{location}/allOf/{i}"))
        properties = schema.get("properties")
        if isinstance(properties, dict):
            for name, sub in properties.items():
                node.properties.setdefault(name, []).append(
                    self.node(sub, resolver, f"{location}/properties/{escape_token(name)}")
                )
        for i, sub in enumerate(schema.get("prefixItems") or ()):
            node.prefix.append([self.node(sub, resolver, f"{location}/prefixItems/{i}")])
        if "items" in schema:
            node.items.append(self.node(schema["items"], resolver, f"{location}/items"))
        for key in _CONDITIONAL:
            if key in schema and self._mentions(schema[key], resolver, set()):
                self.conditional = self.any_found = True
        return node

    def prune(self) -> None:
        """Drop every branch that leads to no declaration, so the walk never enters unrelated data."""
        nodes = list(self._memo.values())
        live = {id(n) for n in nodes if n.found}
        changed = True
        while changed:  # a fixed point: cycles through $ref settle
            changed = False
            for n in nodes:
                if id(n) in live:
                    continue
                children = [*n.also, *n.items, *(s for subs in n.prefix for s in subs)]
                children.extend(s for subs in n.properties.values() for s in subs)
                if any(id(c) in live for c in children):
                    live.add(id(n))
                    changed = True
        for n in nodes:
            n.also = [c for c in n.also if id(c) in live]
            n.items = [c for c in n.items if id(c) in live]
            n.prefix = [[c for c in subs if id(c) in live] for subs in n.prefix]
            if not any(n.prefix) and not n.items:
                n.prefix = []
            n.properties = {k: kept for k, v in n.properties.items() if (kept := [c for c in v if id(c) in live])}

    def _mentions(self, schema: Any, resolver: Any, seen: set[int]) -> bool:
        """Whether a registered keyword is reachable from ``schema`` (any applicator, through ``$ref``)."""
        if id(schema) in seen:
            return False
        seen.add(id(schema))
        if isinstance(schema, list):
            return any(self._mentions(s, resolver, seen) for s in schema)
        if not isinstance(schema, dict):
            return False
        found = [k for k in self.keywords if k in schema]
        if found:
            self.seen.update(found)
            return True
        resolved = ref_target(schema, resolver)
        if resolved is not None and self._mentions(resolved.contents, resolved.resolver, seen):
            return True
        for key, sub in schema.items():
            if key in SUBSCHEMA_MAPS and isinstance(sub, dict):
                if any(self._mentions(s, resolver, seen) for s in sub.values()):
                    return True
            elif (key in SUBSCHEMA_LISTS or key in _CONDITIONAL or key == "items") and self._mentions(
                sub, resolver, seen
            ):
                return True
        return False


def _ref_location(base_uri: str, location: str, ref: str) -> str:
    target, _, fragment = ref.partition("#")
    base = urljoin(location.partition("#")[0], target) if target else base_uri
    return f"{base}#{unquote(fragment)}"
