"""Which kind of OpenAPI object stands at a place of a document: the grammar of OpenAPI 3.1.

A ``$ref`` is an OpenAPI Reference Object or a JSON Schema reference depending on where it stands;
its target is an object of the kind expected there. Knowing it, the loader can tell a Parameter
file from a Schema file (only the second is meta-validated as JSON Schema), however the description
is split across files.
"""

from __future__ import annotations

from collections.abc import Sequence

SCHEMA = "schema"
DOCUMENT = "document"
PATH_ITEM = "pathItem"
UNKNOWN = "unknown"  # data, or a file whose role no reference tells

_METHODS = frozenset({"get", "put", "post", "delete", "options", "head", "patch", "trace", "query"})
# Maps whose every member is an object of one kind (the key is a name, never a keyword).
_MAP_OF = {
    "paths": PATH_ITEM,
    "pathItems": PATH_ITEM,
    "callbacks": "callback",
    "responses": "response",
    "content": "mediaType",
    "headers": "header",
    "examples": "example",
    "links": "link",
    "encodings": "encoding",
    "schemas": SCHEMA,
    "parameterMap": "parameter",
    "requestBodies": "requestBody",
    "securitySchemes": "securityScheme",
    "operations": "operation",  # OpenAPI 3.2's additionalOperations
}
# (kind, member) -> kind of the member (a kind ending in "s" + Map is a map: see _MAP_OF).
_MEMBERS: dict[str, dict[str, str]] = {
    DOCUMENT: {"paths": "~paths", "webhooks": "~pathItems", "components": "components"},
    "components": {
        "schemas": "~schemas",
        "responses": "~responses",
        "parameters": "~parameterMap",
        "examples": "~examples",
        "requestBodies": "~requestBodies",
        "headers": "~headers",
        "securitySchemes": "~securitySchemes",
        "links": "~links",
        "callbacks": "~callbacks",
        "pathItems": "~pathItems",
        "mediaTypes": "~content",  # OpenAPI 3.2
    },
    PATH_ITEM: {"parameters": "[parameter", "additionalOperations": "~operations"},
    "operation": {
        "parameters": "[parameter",
        "requestBody": "requestBody",
        "responses": "~responses",
        "callbacks": "~callbacks",
    },
    "callback": {},  # every member is a path item: see kind_at
    "parameter": {"schema": SCHEMA, "content": "~content", "examples": "~examples"},
    "header": {"schema": SCHEMA, "content": "~content", "examples": "~examples"},
    "requestBody": {"content": "~content"},
    "response": {"headers": "~headers", "content": "~content", "links": "~links"},
    "mediaType": {"schema": SCHEMA, "examples": "~examples", "encoding": "~encodings"},
    "encoding": {"headers": "~headers"},
}


def kind_at(kind: str, tokens: Sequence[str]) -> str:
    """The kind of object at ``tokens`` (JSON pointer tokens) below an object of ``kind``."""
    for token in tokens:
        if kind == SCHEMA:
            return SCHEMA  # below a schema, every reference is a schema reference
        if kind.startswith("~"):
            kind = _MAP_OF.get(kind[1:], UNKNOWN)
            continue
        if kind.startswith("["):
            kind = kind[1:]  # a list of that kind: the token is an index
            continue
        if kind == PATH_ITEM and token in _METHODS:
            kind = "operation"
            continue
        if kind == "callback":
            kind = PATH_ITEM
            continue
        kind = _MEMBERS.get(kind, {}).get(token, UNKNOWN)
        if kind == UNKNOWN:
            return UNKNOWN
    if kind.startswith(("~", "[")):
        return "map" if kind.startswith("~") else "list"
    return kind
