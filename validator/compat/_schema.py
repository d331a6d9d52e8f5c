"""Schemas seen through their ``$ref``s and normalised, so that equivalent rewrites compare equal.

A :class:`View` is what the rules read: the keywords that constrain instances, with annotations
dropped and the policy's equivalent rewrites applied (``type: [integer, number]`` is ``number``,
``const`` is a one-value ``enum``, ``minLength: 0`` says nothing, a one-element ``allOf`` is its
element, on integers ``exclusiveMinimum: 0`` is ``minimum: 1``). Every sub-schema keeps the URI of
its location, which is what the compiled validators and the witness search use.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote, urljoin

from ..contract import Contract
from ..pointers import escape_token, resolve_pointer
from ..vocabulary import DEFINITIONS, META_DATA

ALL_TYPES = frozenset({"object", "array", "string", "number", "integer", "boolean", "null"})
MAX_REF_HOPS = 32

# Keywords that describe but never constrain: changing them is not a change (the policy's list).
ANNOTATIONS = frozenset(
    {
        *META_DATA,
        *DEFINITIONS,
        "$schema",
        "$id",
        "$anchor",
        "$dynamicAnchor",
        "$comment",
        "example",
        "xml",
        "externalDocs",
        "discriminator",
        "contentMediaType",
        "contentEncoding",
    }
)


@dataclass(frozen=True, slots=True)
class Node:
    """A schema at a location: the absolute URI (``file#pointer``) and the value written there."""

    uri: str
    raw: Any


@dataclass(frozen=True, slots=True)
class Bound:
    """A numeric bound: its value and whether it is exclusive."""

    value: float
    exclusive: bool = False


@dataclass(slots=True)
class View:
    """The constraining content of one schema after resolution and normalisation."""

    node: Node
    never: bool = False  # the schema ``false``
    types: frozenset[str] | None = None  # None: any type
    enum: tuple[Any, ...] | None = None
    lower: Bound | None = None
    upper: Bound | None = None
    multiple_of: float | None = None
    min_length: int | None = None
    max_length: int | None = None
    pattern: str | None = None
    format: str | None = None
    min_items: int | None = None
    max_items: int | None = None
    unique_items: bool = False
    items: Node | None = None
    prefix_items: tuple[Node, ...] = ()
    contains: Node | None = None
    properties: dict[str, Node] = field(default_factory=dict)
    required: frozenset[str] = frozenset()
    additional: Node | None = None  # additionalProperties (or unevaluatedProperties) as a schema
    closed: bool = False  # additionalProperties or unevaluatedProperties is false
    any_of: tuple[Node, ...] = ()
    one_of: tuple[Node, ...] = ()
    all_of: tuple[Node, ...] = ()
    not_: Node | None = None
    default: Any = None
    has_default: bool = False
    deprecated: bool = False
    discriminator: Mapping[str, Any] | None = None
    min_properties: int | None = None
    max_properties: int | None = None
    property_names: Node | None = None
    pattern_properties: dict[str, Node] = field(default_factory=dict)
    dependent_required: dict[str, frozenset[str]] = field(default_factory=dict)
    dependent_schemas: dict[str, Node] = field(default_factory=dict)
    if_: Node | None = None
    then: Node | None = None
    else_: Node | None = None
    min_contains: int | None = None  # None: 1 when ``contains`` is present
    max_contains: int | None = None
    unevaluated_items: Node | None = None
    read_only: bool = False
    write_only: bool = False
    content: tuple[str | None, str | None] = (None, None)  # contentMediaType, contentEncoding

    @property
    def uri(self) -> str:
        """The location of the schema."""
        return self.node.uri

    def admits(self, json_type: str) -> bool:
        """Whether instances of ``json_type`` may pass the ``type`` keyword."""
        if self.types is None:
            return True
        return json_type in self.types or (json_type == "integer" and "number" in self.types)


class Schemas:
    """Resolution and normalised views of the schemas of one contract version, memoised by URI."""

    def __init__(self, contract: Contract) -> None:
        self.contract = contract
        self._views: dict[str, View] = {}
        self._prints: dict[str, str] = {}

    def node(self, uri: str) -> Node:
        """The value at an absolute location (``file#/json/pointer``)."""
        base, _, fragment = uri.partition("#")
        try:
            data = resolve_pointer(self.contract.resources.get(base), unquote(fragment))
        except LookupError:
            return Node(uri, True)  # an unresolvable location constrains nothing
        return Node(uri, True if data is None else data)

    def deref(self, node: Node) -> Node:
        """Follow a chain of ``$ref``-only schemas (annotations beside a ``$ref`` are ignored)."""
        for _ in range(MAX_REF_HOPS):
            raw = node.raw
            if not (isinstance(raw, Mapping) and isinstance(raw.get("$ref"), str)):
                return node
            if any(k not in ANNOTATIONS and k != "$ref" for k in raw):
                return node  # siblings constrain too: the view reads both
            target = urljoin(node.uri, raw["$ref"])
            node = self.node(target if "#" in target else target + "#")
        return node

    def child(self, node: Node, *tokens: str | int) -> Node:
        """The sub-schema at ``tokens`` below a node."""
        uri = node.uri + "".join("/" + escape_token(t) for t in tokens)
        raw: Any = node.raw
        for t in tokens:
            raw = raw[t] if isinstance(raw, Mapping) else raw[int(t)]
        return Node(uri, raw)

    def view(self, node: Node) -> View:
        """The normalised view of a schema (memoised by the resolved location)."""
        node = self.deref(node)
        found = self._views.get(node.uri)
        if found is None:
            found = self._views[node.uri] = self._build(node, 0)
        return found

    def _build(self, node: Node, depth: int) -> View:
        raw = node.raw
        view = View(node)
        if raw is False:
            view.never = True
            return view
        if not isinstance(raw, Mapping):
            return view
        if isinstance(raw.get("$ref"), str) and depth < MAX_REF_HOPS:
            target = urljoin(node.uri, raw["$ref"])
            base = self._build(self.deref(self.node(target if "#" in target else target + "#")), depth + 1)
            view = base if not base.never else view
        all_of = raw.get("allOf")
        if isinstance(all_of, list) and len(all_of) == 1 and depth < MAX_REF_HOPS:
            view = self._build(self.deref(self.child(node, "allOf", 0)), depth + 1)
        elif isinstance(all_of, list):
            view.all_of = tuple(self.child(node, "allOf", i) for i in range(len(all_of)))
        view.node = node
        _read_keywords(self, node, raw, view)
        return view

    def fingerprint(self, node: Node, depth: int = 0) -> str:
        """A canonical text of a schema's constraints with references inlined (a few levels deep)."""
        node = self.deref(node)
        if depth == 0 and node.uri in self._prints:
            return self._prints[node.uri]
        text = json.dumps(self._canonical(node.raw, node.uri, depth), sort_keys=True, default=str)
        if depth == 0:
            self._prints[node.uri] = text
        return text

    def _canonical(self, raw: Any, uri: str, depth: int) -> Any:
        if depth > 6:
            return "..."
        if isinstance(raw, Mapping):
            if isinstance(raw.get("$ref"), str):
                target = urljoin(uri, raw["$ref"])
                target = target if "#" in target else target + "#"
                inner = self._canonical(self.node(target).raw, target, depth + 1)
                rest = {k: v for k, v in raw.items() if k != "$ref" and k not in ANNOTATIONS}
                return inner if not rest else {"allOf": [inner, self._canonical(rest, uri, depth)]}
            out: dict[str, Any] = {}
            for key, value in raw.items():
                if key in ANNOTATIONS or key.startswith("x-"):
                    continue
                child = f"{uri}/{escape_token(key)}"
                if key in ("properties", "patternProperties", "dependentSchemas") and isinstance(value, Mapping):
                    out[key] = {
                        k: self._canonical(v, f"{child}/{escape_token(k)}", depth + 1) for k, v in value.items()
                    }
                elif key in ("enum", "const", "required"):
                    out[key] = (
                        sorted(value, key=canonical_value) if key != "const" and isinstance(value, list) else value
                    )
                else:
                    out[key] = self._canonical(value, child, depth + 1)
            return out
        if isinstance(raw, list):
            return [self._canonical(v, f"{uri}/{i}", depth + 1) for i, v in enumerate(raw)]
        return raw


def canonical_value(value: Any) -> str:
    """A text that equals for equal JSON values (``true`` and ``1`` differ, ``1`` and ``1.0`` do not)."""
    return json.dumps(_normal_number(value), sort_keys=True, default=str)


def _normal_number(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, list):
        return [_normal_number(v) for v in value]
    if isinstance(value, dict):
        return {k: _normal_number(v) for k, v in value.items()}
    return value


def _read_keywords(schemas: Schemas, node: Node, raw: Mapping[str, Any], view: View) -> None:
    """Fill a view from the keywords written at ``node`` (they narrow what a ``$ref`` gave)."""
    declared = raw.get("type")
    if isinstance(declared, str):
        declared = [declared]
    if isinstance(declared, list):
        types = frozenset(t for t in declared if t in ALL_TYPES)
        if "number" in types:
            types -= {"integer"}  # [integer, number] is number
        view.types = types if view.types is None else frozenset(view.types & types)
    if "enum" in raw and isinstance(raw["enum"], list):
        view.enum = tuple(raw["enum"])
    if "const" in raw:
        view.enum = (raw["const"],)
    integer_only = view.types == frozenset({"integer"})
    lower = _bound(raw, "minimum", "exclusiveMinimum", integer_only, up=True)
    upper = _bound(raw, "maximum", "exclusiveMaximum", integer_only, up=False)
    view.lower = lower or view.lower
    view.upper = upper or view.upper
    if isinstance(raw.get("multipleOf"), int | float) and not isinstance(raw.get("multipleOf"), bool):
        view.multiple_of = float(raw["multipleOf"])
    view.min_length = _positive(raw, "minLength", view.min_length)
    view.max_length = _count(raw, "maxLength", view.max_length)
    view.min_items = _positive(raw, "minItems", view.min_items)
    view.max_items = _count(raw, "maxItems", view.max_items)
    if isinstance(raw.get("pattern"), str):
        view.pattern = raw["pattern"]
    if isinstance(raw.get("format"), str):
        view.format = raw["format"]
    if raw.get("uniqueItems") is True:
        view.unique_items = True
    for key in ("items", "contains", "not"):
        if key in raw and not (key == "items" and isinstance(raw[key], list)):
            setattr(view, "not_" if key == "not" else key, schemas.child(node, key))
    if isinstance(raw.get("prefixItems"), list):
        view.prefix_items = tuple(schemas.child(node, "prefixItems", i) for i in range(len(raw["prefixItems"])))
    if isinstance(raw.get("properties"), Mapping):
        view.properties = {
            **view.properties,
            **{name: schemas.child(node, "properties", name) for name in raw["properties"]},
        }
    if isinstance(raw.get("required"), list):
        view.required = view.required | frozenset(r for r in raw["required"] if isinstance(r, str))
    for key in ("additionalProperties", "unevaluatedProperties"):
        if raw.get(key) is False:
            view.closed = True
        elif isinstance(raw.get(key), Mapping) and raw[key]:
            view.additional = schemas.child(node, key)
    for key, attr in (("anyOf", "any_of"), ("oneOf", "one_of")):
        if isinstance(raw.get(key), list):
            setattr(view, attr, tuple(schemas.child(node, key, i) for i in range(len(raw[key]))))
    if "default" in raw:
        view.default, view.has_default = raw["default"], True
    view.deprecated = raw.get("deprecated") is True or view.deprecated
    _read_2020_keywords(schemas, node, raw, view)
    if isinstance(raw.get("discriminator"), Mapping):
        view.discriminator = raw["discriminator"]


def _read_2020_keywords(schemas: Schemas, node: Node, raw: Mapping[str, Any], view: View) -> None:
    """The object, conditional and array keywords of 2020-12 beyond the classic ones."""
    view.min_properties = _positive(raw, "minProperties", view.min_properties)
    view.max_properties = _count(raw, "maxProperties", view.max_properties)
    view.min_contains = _count(raw, "minContains", view.min_contains)
    view.max_contains = _count(raw, "maxContains", view.max_contains)
    for key, attr in (("propertyNames", "property_names"), ("if", "if_"), ("then", "then"), ("else", "else_")):
        if key in raw and raw[key] is not True and raw[key] != {}:
            setattr(view, attr, schemas.child(node, key))
    if "unevaluatedItems" in raw and raw["unevaluatedItems"] is not True and raw["unevaluatedItems"] != {}:
        view.unevaluated_items = schemas.child(node, "unevaluatedItems")
    if isinstance(raw.get("patternProperties"), Mapping):
        view.pattern_properties = {
            **view.pattern_properties,
            **{p: schemas.child(node, "patternProperties", p) for p in raw["patternProperties"]},
        }
    if isinstance(raw.get("dependentRequired"), Mapping):
        view.dependent_required = {
            **view.dependent_required,
            **{
                k: frozenset(v for v in names if isinstance(v, str))
                for k, names in raw["dependentRequired"].items()
                if isinstance(names, list) and names
            },
        }
    if isinstance(raw.get("dependentSchemas"), Mapping):
        view.dependent_schemas = {
            **view.dependent_schemas,
            **{k: schemas.child(node, "dependentSchemas", k) for k in raw["dependentSchemas"]},
        }
    view.read_only = raw.get("readOnly") is True or view.read_only
    view.write_only = raw.get("writeOnly") is True or view.write_only
    media, encoding = raw.get("contentMediaType"), raw.get("contentEncoding")
    if isinstance(media, str) or isinstance(encoding, str):
        view.content = (media if isinstance(media, str) else None, encoding if isinstance(encoding, str) else None)


def _positive(raw: Mapping[str, Any], key: str, inherited: int | None) -> int | None:
    value = raw.get(key)
    if isinstance(value, int) and not isinstance(value, bool):
        return value if value > 0 else None  # minLength: 0 says nothing
    return inherited


def _count(raw: Mapping[str, Any], key: str, inherited: int | None) -> int | None:
    value = raw.get(key)
    return value if isinstance(value, int) and not isinstance(value, bool) else inherited


def _bound(raw: Mapping[str, Any], inclusive: str, exclusive: str, integers: bool, *, up: bool) -> Bound | None:
    """The tighter of the inclusive and exclusive bound; on integers an exclusive bound becomes inclusive."""
    found: list[Bound] = []
    for key, excl in ((inclusive, False), (exclusive, True)):
        value = raw.get(key)
        if isinstance(value, int | float) and not isinstance(value, bool):
            found.append(Bound(float(value), excl))
    if not found:
        return None
    tight = (
        max(found, key=lambda b: (b.value, b.exclusive)) if up else min(found, key=lambda b: (b.value, not b.exclusive))
    )
    if integers:
        if up:
            value = math.floor(tight.value) + 1 if tight.exclusive else math.ceil(tight.value)
        else:
            value = math.ceil(tight.value) - 1 if tight.exclusive else math.floor(tight.value)
        return Bound(float(value))
    return tight


def lower_than(a: Bound | None, b: Bound | None) -> bool:
    """Whether lower bound ``a`` admits something that lower bound ``b`` does not."""
    if a is None:
        return b is not None
    if b is None:
        return False
    return a.value < b.value or (a.value == b.value and b.exclusive and not a.exclusive)


def higher_than(a: Bound | None, b: Bound | None) -> bool:
    """Whether upper bound ``a`` admits something that upper bound ``b`` does not."""
    if a is None:
        return b is not None
    if b is None:
        return False
    return a.value > b.value or (a.value == b.value and b.exclusive and not a.exclusive)
