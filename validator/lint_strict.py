"""Strict lint checks: typos and leftovers that silently weaken a contract.

A JSON Schema validator ignores keywords it does not know, so ``requried`` or ``minItem`` make a
constraint vanish without a word; OpenAPI 3.0's ``nullable`` means nothing in 3.1; ``example``
beside ``examples`` leaves one of them unread; and our own ``x-`` keywords are only honoured when
they are written as INTERFACE.md says. Each check is one function returning problems.
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Iterator, Mapping
from typing import Any

import jsonschema_rs

from .compiled import computed_once
from .contract import Contract
from .pointers import escape_token
from .problems import Problem, document_problem
from .tensor.model import DATATYPES
from .vocabulary import (
    CONTENT,
    CORE,
    FORMAT,
    IN_PLACE,
    META_DATA,
    OPENAPI,
    SUBSCHEMA,
    SUBSCHEMA_LISTS,
    SUBSCHEMA_MAPS,
    TO_CHILDREN,
    UNEVALUATED,
    VALIDATION,
)

# The keywords of JSON Schema 2020-12 (every vocabulary) and those OpenAPI 3.1 adds to a Schema Object.
SCHEMA_KEYWORDS = frozenset(
    (*CORE, "definitions", *IN_PLACE, *TO_CHILDREN, *UNEVALUATED, *VALIDATION, *FORMAT, *CONTENT, *META_DATA, *OPENAPI)
)
# Schema keywords of OpenAPI 3.0 that 3.1 dropped, with what to write instead.
OPENAPI_30 = {
    "nullable": "OpenAPI 3.0's `nullable` means nothing in 3.1: add 'null' to `type` (type: [string, 'null'])",
    "x-nullable": "write type: [..., 'null'] instead",
}

_LOCATION = r"^(body:(/.*)?|header:[^\s:]+|query:[^\s:]+|path:[^\s:]+)$"
_POINTER = r"^(/.*)?$"
_DIM = {"oneOf": [{"type": "integer", "minimum": -1}, {"type": "string", "pattern": "^[A-Za-z_][A-Za-z0-9_-]*$"}]}
_RELATION_KINDS = {
    "batch": ["request", "response"],
    "echo": ["request", "response"],
    "at-most": ["request", "response"],
    "stable": ["response"],
    "variant": ["response"],
}
# The syntax of every extension keyword of ours, as INTERFACE.md gives it.
EXTENSION_SCHEMAS: dict[str, dict[str, Any]] = {
    "x-slo": {
        "type": "object",
        "properties": {
            "latency_p95_ms": {"type": "number", "exclusiveMinimum": 0},
            "latency_p99_ms": {"type": "number", "exclusiveMinimum": 0},
        },
        "minProperties": 1,
        "additionalProperties": False,
    },
    "x-match": {
        "oneOf": [
            {"const": "exact"},
            {
                "type": "object",
                "properties": {
                    "tolerance": {"type": "number", "minimum": 0},
                    "ignore": {"type": "array", "items": {"type": "string", "pattern": _POINTER}},
                },
                "additionalProperties": False,
            },
        ]
    },
    "x-tensor": {
        "type": "object",
        "required": ["name", "datatype", "shape"],
        "properties": {
            "name": {"type": "string", "minLength": 1},
            "datatype": {"enum": list(DATATYPES)},
            "shape": {"type": "array", "items": _DIM},
        },
        "additionalProperties": False,
    },
    "x-sum": {
        "type": "object",
        "required": ["equals", "tolerance"],
        "properties": {
            "equals": {"type": "number"},
            "tolerance": {"type": "number", "minimum": 0},
            "of": {"type": "string", "pattern": _POINTER},
        },
        "additionalProperties": False,
    },
    "x-sorted": {
        "type": "object",
        "required": ["order"],
        "properties": {"order": {"enum": ["asc", "desc"]}, "by": {"type": "string", "pattern": _POINTER}},
        "additionalProperties": False,
    },
    "x-relations": {
        "type": "array",
        "items": {
            "type": "object",
            "required": ["kind"],
            "properties": {
                "kind": {"enum": list(_RELATION_KINDS)},
                "request": {"type": "string", "pattern": _LOCATION},
                "response": {"type": "string", "pattern": _LOCATION},
                "key": {
                    "oneOf": [
                        {"type": "string", "pattern": _POINTER},
                        {
                            "type": "object",
                            "required": ["request", "response"],
                            "properties": {
                                "request": {"type": "string", "pattern": _POINTER},
                                "response": {"type": "string", "pattern": _POINTER},
                            },
                            "additionalProperties": False,
                        },
                    ]
                },
                "order": {"enum": ["preserved", "any"]},
                "forced-by": {"type": "string", "pattern": _LOCATION},
                "sticky-by": {"type": "string", "pattern": _LOCATION},
            },
            "additionalProperties": False,
            "allOf": [
                {"if": {"properties": {"kind": {"const": kind}}}, "then": {"required": needs}}
                for kind, needs in _RELATION_KINDS.items()
            ],
        },
    },
    "x-sunset": {
        "anyOf": [{"type": "string", "format": "date"}, {"type": "string", "format": "date-time"}],
    },
}
ON_OPERATION = ("x-slo", "x-relations", "x-sunset")
ON_SCHEMA = ("x-tensor", "x-sum", "x-sorted")
ON_EXAMPLE = ("x-match",)


def walk_schemas(uri: str, schema: Any, seen: set[str] | None = None) -> Iterator[tuple[str, Mapping[str, Any]]]:
    """Every schema object at and below ``uri`` (keyword positions only, not property names or values)."""
    seen = set() if seen is None else seen
    stack = [(uri, schema)]
    while stack:
        here, node = stack.pop()
        if not isinstance(node, Mapping) or here in seen:
            continue
        seen.add(here)
        yield here, node
        for key in SUBSCHEMA_MAPS:
            if isinstance(node.get(key), Mapping):
                stack += [(f"{here}/{key}/{escape_token(k)}", v) for k, v in node[key].items()]
        for key in SUBSCHEMA:
            if key in node:
                stack.append((f"{here}/{key}", node[key]))
        for key in SUBSCHEMA_LISTS:
            if isinstance(node.get(key), list):
                stack += [(f"{here}/{key}/{i}", v) for i, v in enumerate(node[key])]


def _all_schemas(contract: Contract) -> list[tuple[str, Mapping[str, Any]]]:
    # Four strict checks walk the schemas: within a lint, once (0.1 s a walk on a Stripe-sized description).
    return computed_once(contract, "schemas", _walk_all)


def _walk_all(contract: Contract) -> list[tuple[str, Mapping[str, Any]]]:
    from .lint import schema_roots

    seen: set[str] = set()
    return [
        pair
        for uri, schema in schema_roots(contract)
        for pair in walk_schemas(uri if "#" in uri else uri + "#", schema, seen)
    ]


def schema_keywords_are_known(contract: Contract) -> Iterator[Problem]:
    """Every keyword of every schema is one JSON Schema 2020-12 or OpenAPI 3.1 knows (typos weaken a contract)."""
    for uri, schema in _all_schemas(contract):
        for key in schema:
            if key in SCHEMA_KEYWORDS or key.startswith("x-") or key in OPENAPI_30:
                continue
            close = difflib.get_close_matches(key, SCHEMA_KEYWORDS, n=1, cutoff=0.6)
            yield document_problem(
                contract,
                f"{uri}/{escape_token(key)}",
                f"unknown schema keyword {key!r}: validators ignore it, so it constrains nothing",
                f"did you mean {close[0]!r}?" if close else "remove it, or prefix it with x- if it is an extension",
                key,
            )


def no_openapi_30_keywords(contract: Contract) -> Iterator[Problem]:
    """No OpenAPI 3.0 schema keyword (``nullable``) or 3.0-style boolean exclusive bound in a 3.1 document."""
    for uri, schema in _all_schemas(contract):
        for key, hint in OPENAPI_30.items():
            if key in schema:
                yield document_problem(
                    contract, f"{uri}/{key}", f"{key!r} is an OpenAPI 3.0 keyword, not 3.1", hint, key
                )
        for key in ("exclusiveMinimum", "exclusiveMaximum"):
            if isinstance(schema.get(key), bool):
                yield document_problem(
                    contract,
                    f"{uri}/{key}",
                    f"`{key}: {str(schema[key]).lower()}` is OpenAPI 3.0's boolean form",
                    f"in 3.1 {key} is the bound itself: {key}: <number> (and drop the matching minimum/maximum)",
                    key,
                )


def example_not_beside_examples(contract: Contract) -> Iterator[Problem]:
    """No object has both ``example`` and ``examples`` (one of them would go unread)."""
    for uri, node in _document_objects(contract):
        if "example" in node and "examples" in node:
            yield document_problem(
                contract,
                f"{uri}/example",
                "`example` beside `examples`: tools read one and ignore the other",
                "move the example into `examples` and remove `example`",
                "example",
            )


def extension_keywords_are_well_formed(contract: Contract) -> Iterator[Problem]:
    """Our ``x-`` keywords (x-slo, x-match, x-tensor, x-relations, x-sum, x-sorted, x-sunset) follow INTERFACE.md."""
    places: list[tuple[str, Any, tuple[str, ...]]] = []
    for op in (*contract.operations, *contract.events):
        raw = _at_pointer(contract.document, op.pointer)
        if isinstance(raw, Mapping):
            places.append((contract.base_uri + "#" + op.pointer, raw, ON_OPERATION))
    places += [(uri, schema, ON_SCHEMA) for uri, schema in _all_schemas(contract)]
    places += [(uri, node, ON_EXAMPLE) for uri, node in _examples(contract)]
    for uri, node, keywords in places:
        for keyword in keywords:
            if keyword in node:
                for err in _extension_validator(keyword).iter_errors(node[keyword]):
                    where = "".join("/" + escape_token(str(p)) for p in err.instance_path)
                    yield document_problem(
                        contract,
                        f"{uri}/{keyword}{where}",
                        f"{keyword} is not well formed: {err.message}",
                        f"see INTERFACE.md for the syntax of {keyword}",
                        keyword,
                    )


@functools.cache
def _extension_validator(keyword: str) -> Any:
    return jsonschema_rs.Draft202012Validator(EXTENSION_SCHEMAS[keyword], validate_formats=True)


def _at_pointer(document: Any, pointer: str) -> Any:
    from .pointers import resolve_pointer

    try:
        return resolve_pointer(document, pointer)
    except LookupError:
        return None


def _document_objects(contract: Contract) -> Iterator[tuple[str, Mapping[str, Any]]]:
    """Schemas, media types and parameters: the objects that may carry example(s)."""
    yield from _all_schemas(contract)
    for op in (*contract.operations, *contract.events):
        raw = _at_pointer(contract.document, op.pointer)
        if not isinstance(raw, Mapping):
            continue
        base = contract.base_uri + "#" + op.pointer
        for i, param in enumerate(raw.get("parameters") or []):
            if isinstance(param, Mapping):
                yield f"{base}/parameters/{i}", param
        yield from _media_objects(base, raw)


def _media_objects(base: str, operation: Mapping[str, Any]) -> Iterator[tuple[str, Mapping[str, Any]]]:
    body = operation.get("requestBody")
    holders: list[tuple[str, Any]] = [(f"{base}/requestBody", body)]
    responses = operation.get("responses")
    if isinstance(responses, Mapping):
        holders += [(f"{base}/responses/{escape_token(str(s))}", r) for s, r in responses.items()]
    for where, holder in holders:
        content = holder.get("content") if isinstance(holder, Mapping) else None
        if isinstance(content, Mapping):
            for media, obj in content.items():
                if isinstance(obj, Mapping):
                    yield f"{where}/content/{escape_token(media)}", obj


def _examples(contract: Contract) -> Iterator[tuple[str, Mapping[str, Any]]]:
    """Every named Example Object of the operations' media types."""
    for op in (*contract.operations, *contract.events):
        raw = _at_pointer(contract.document, op.pointer)
        if not isinstance(raw, Mapping):
            continue
        for uri, media in _media_objects(contract.base_uri + "#" + op.pointer, raw):
            examples = media.get("examples")
            if isinstance(examples, Mapping):
                for name, example in examples.items():
                    if isinstance(example, Mapping):
                        yield f"{uri}/examples/{escape_token(name)}", example


STRICT_CHECKS = (
    schema_keywords_are_known,
    no_openapi_30_keywords,
    example_not_beside_examples,
    extension_keywords_are_well_formed,
)
