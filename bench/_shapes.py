"""Generated API descriptions of the shape and size of the largest public ones, and a second version of each.

Tests and benchmarks run without network and the public files are too large to vendor, so these
build descriptions that reproduce what makes them costly, measured on the real files:

- **Stripe-shaped** (``openapi/spec3.json`` of github:stripe/openapi, 2.7 MB as published, 350-374
  operations, ~300 component schemas): every resource has a list, create, retrieve, update and
  delete operation; form-encoded request bodies with large inline schemas (nested ``anyOf`` objects,
  ``additionalProperties: false``, ``encoding``); list responses wrapping an array of a resource;
  expandable fields (``anyOf: [string, $ref]``) that make the references between resources cyclic
  (a resource's schema reaches 40 others on average, up to 220); long enums, ``maxLength`` everywhere,
  nullable members, ``x-`` vendor keys; no examples.
- **GitHub-shaped** (``api.github.com.json`` of github:github/rest-api-description, about 10 MB,
  ~1,000 operations, ~900 component schemas): shared parameters and responses, schemas that
  reference each other (``allOf`` compositions, ``oneOf``, arrays of references), formats, nullable
  types, enums, and a large example on every response (most of the bytes).

``scale`` multiplies the number of operations and schemas (1.0 is the public size).
"""

from __future__ import annotations

import copy
from typing import Any

STRIPE_RESOURCES = 75  # 5 operations each: 375 operations; 4 component schemas each: 300 schemas
GITHUB_OPERATIONS = 1000
GITHUB_SCHEMAS = 900

_PROSE = (
    "Amount intended to be collected by this object. A positive integer representing how much to charge in "
    "the smallest currency unit (e.g., 100 cents to charge $1.00). "
)


def stripe_shaped(scale: float = 1.0) -> dict[str, Any]:
    """A description shaped like Stripe's: resources with five operations each, cyclic expandable references."""
    count = max(4, round(STRIPE_RESOURCES * scale))
    names = [f"resource_{i}" for i in range(count)]
    schemas: dict[str, Any] = {"error": _stripe_error()}
    paths: dict[str, Any] = {}
    for i, name in enumerate(names):
        # Expandable references to other resources: cycles, as in Stripe's, but not everything reaching everything.
        links = [names[(i * 7 + 1) % count], names[(i * 3 + 2) % count]] if i % 3 == 0 else [names[i // 2]]
        schemas[name] = _stripe_resource(name, links)
        schemas[f"{name}_details"] = _stripe_details(name, names[i // 3])
        schemas[f"{name}_settings"] = _stripe_settings(name)
        schemas[f"deleted_{name}"] = {
            "type": "object",
            "title": f"Deleted{name}",
            "properties": {
                "deleted": {"type": "boolean", "enum": [True]},
                "id": {"type": "string", "maxLength": 5000, "description": "Unique identifier for the object."},
                "object": {"type": "string", "enum": [name]},
            },
            "required": ["deleted", "id", "object"],
            "x-resourceId": f"deleted_{name}",
        }
        base = f"/v1/{name}s"
        paths[base] = {"get": _stripe_list(name, base), "post": _stripe_create(name, links)}
        paths[base + "/{id}"] = {
            "get": _stripe_operation(f"Get{name}Id", name, [_stripe_path_id(), _stripe_expand()]),
            "post": {**_stripe_create(name, links), "operationId": f"Post{name}Id", "parameters": [_stripe_path_id()]},
            "delete": _stripe_operation(f"Delete{name}Id", f"deleted_{name}", [_stripe_path_id()]),
        }
    return {
        "openapi": "3.1.0",
        "info": {"title": "Stripe-shaped API", "version": "1.0.0", "description": _PROSE},
        "servers": [{"url": "https://api.example.com"}],
        "security": [{"basicAuth": []}],
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {"basicAuth": {"type": "http", "scheme": "basic"}},
        },
    }


def _stripe_string(description: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {"type": "string", "maxLength": 5000}
    if description:
        out["description"] = description
    return out


def _stripe_resource(name: str, links: list[str]) -> dict[str, Any]:
    props: dict[str, Any] = {
        "id": _stripe_string("Unique identifier for the object."),
        "object": {"type": "string", "enum": [name], "description": "String representing the object's type."},
        "amount": {"type": "integer", "description": _PROSE},
        "currency": {"type": "string", "format": "currency", "description": "Three-letter ISO currency code."},
        "created": {"type": "integer", "format": "unix-time", "description": "Time at which the object was created."},
        "livemode": {"type": "boolean", "description": "Has the value `true` if the object exists in live mode."},
        "metadata": {
            "type": "object",
            "additionalProperties": {"type": "string", "maxLength": 500},
            "description": "Set of key-value pairs that you can attach to an object.",
        },
        "status": {
            "type": "string",
            "enum": ["canceled", "failed", "pending", "processing", "requires_action", "succeeded"],
            "description": "The status of the object.",
        },
        "description": {"type": ["string", "null"], "maxLength": 5000, "description": "An arbitrary string."},
        "statement_descriptor": {"type": ["string", "null"], "maxLength": 5000},
        "details": {"anyOf": [{"$ref": f"#/components/schemas/{name}_details"}, {"type": "null"}]},
        "settings": {"$ref": f"#/components/schemas/{name}_settings"},
        "country": {"type": ["string", "null"], "maxLength": 5000},
        "amount_refunded": {"type": "integer"},
        "paid": {"type": "boolean"},
        "receipt_email": {"type": ["string", "null"], "maxLength": 5000, "format": "email"},
        "tags": {"type": "array", "items": _stripe_string()},
    }
    for k, target in enumerate(links):
        props[f"{target}_ref{k}"] = {
            "anyOf": [_stripe_string(), {"$ref": f"#/components/schemas/{target}"}, {"type": "null"}],
            "description": "ID of the related object, or the object itself when expanded.",
            "x-expansionResources": {"oneOf": [{"$ref": f"#/components/schemas/{target}"}]},
        }
    return {
        "type": "object",
        "title": name,
        "description": _PROSE * 2,
        "properties": props,
        "required": ["id", "object", "amount", "currency", "created", "livemode", "metadata", "status"],
        "x-expandableFields": [f"{t}_ref{k}" for k, t in enumerate(links)],
        "x-resourceId": name,
    }


def _stripe_details(name: str, link: str) -> dict[str, Any]:
    props: dict[str, Any] = {
        f"line{k}": {"type": ["string", "null"], "maxLength": 5000, "description": "Address line."} for k in range(6)
    }
    props["kind"] = {"type": "string", "enum": [f"kind_{k}" for k in range(24)]}
    props["owner"] = {"anyOf": [_stripe_string(), {"$ref": f"#/components/schemas/{link}"}]}
    props["rate"] = {"type": "number", "minimum": 0, "maximum": 100}
    return {"type": "object", "title": f"{name}_details", "properties": props, "required": ["kind"]}


def _stripe_settings(name: str) -> dict[str, Any]:
    props = {
        f"option_{k}": {"type": "string", "enum": ["always", "automatic", "never", "if_required"]} for k in range(6)
    }
    return {"type": "object", "title": f"{name}_settings", "properties": props}


def _stripe_path_id() -> dict[str, Any]:
    return {"in": "path", "name": "id", "required": True, "schema": _stripe_string(), "style": "simple"}


def _stripe_expand() -> dict[str, Any]:
    return {
        "description": "Specifies which fields in the response should be expanded.",
        "explode": True,
        "in": "query",
        "name": "expand",
        "required": False,
        "schema": {"type": "array", "items": _stripe_string()},
        "style": "deepObject",
    }


def _stripe_responses(schema: dict[str, Any]) -> dict[str, Any]:
    return {
        "200": {"description": "Successful response.", "content": {"application/json": {"schema": schema}}},
        "default": {
            "description": "Error response.",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/error"}}},
        },
    }


def _stripe_operation(operation_id: str, returns: str, parameters: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "description": f"<p>{_PROSE}</p>",
        "operationId": operation_id,
        "parameters": parameters,
        "responses": _stripe_responses({"$ref": f"#/components/schemas/{returns}"}),
    }


def _stripe_list(name: str, url: str) -> dict[str, Any]:
    created = {
        "explode": True,
        "in": "query",
        "name": "created",
        "required": False,
        "schema": {
            "anyOf": [
                {
                    "type": "object",
                    "title": "range_query_specs",
                    "properties": {k: {"type": "integer"} for k in ("gt", "gte", "lt", "lte")},
                },
                {"type": "integer"},
            ]
        },
        "style": "deepObject",
    }
    cursors = [
        {
            "description": "A cursor for use in pagination. " * 4,
            "in": "query",
            "name": cursor,
            "required": False,
            "schema": _stripe_string(),
            "style": "form",
        }
        for cursor in ("ending_before", "starting_after")
    ]
    limit = {"in": "query", "name": "limit", "required": False, "schema": {"type": "integer"}, "style": "form"}
    listed = {
        "type": "object",
        "title": f"{name}List",
        "properties": {
            "data": {"type": "array", "items": {"$ref": f"#/components/schemas/{name}"}},
            "has_more": {"type": "boolean", "description": "True if this list has another page of items."},
            "object": {"type": "string", "enum": ["list"]},
            "url": {"type": "string", "maxLength": 5000, "pattern": f"^{url}"},
        },
        "required": ["data", "has_more", "object", "url"],
        "x-expandableFields": ["data"],
    }
    return {
        "description": f"<p>{_PROSE}</p>",
        "operationId": f"Get{name}s",
        "parameters": [created, *cursors, _stripe_expand(), limit],
        "responses": _stripe_responses(listed),
    }


def _stripe_create(name: str, links: list[str]) -> dict[str, Any]:
    nested = {
        "type": "object",
        "title": "address_specs",
        "properties": {f"line{k}": _stripe_string() for k in range(6)},
        "required": ["line0"],
    }
    props: dict[str, Any] = {
        "amount": {"type": "integer", "description": _PROSE},
        "currency": {"type": "string", "format": "currency"},
        "description": _stripe_string("An arbitrary string attached to the object."),
        "expand": {"type": "array", "items": _stripe_string(), "description": "Fields to expand."},
        "metadata": {"anyOf": [{"type": "object", "additionalProperties": {"type": "string"}}, {"enum": [""]}]},
        "address": {"anyOf": [nested, {"enum": [""]}]},
        "mode": {"type": "string", "enum": ["payment", "setup", "subscription"]},
        "capture": {"type": "boolean"},
        "receipt_email": {"type": "string", "format": "email"},
    }
    for k in range(10):
        props[f"option_{k}"] = (
            {"type": "string", "enum": [f"value_{v}" for v in range(8)], "description": _PROSE}
            if k % 3 == 0
            else {
                "type": "object",
                "title": f"option_{k}_params",
                "properties": {"enabled": {"type": "boolean"}, "limit": {"type": "integer", "minimum": 0}},
                "required": ["enabled"],
            }
            if k % 3 == 1
            else _stripe_string(_PROSE)
        )
    for target in links:
        props[target] = _stripe_string(f"The ID of an existing {target}.")
    body = {
        "type": "object",
        "additionalProperties": False,
        "properties": props,
    }
    encoding = {k: {"explode": True, "style": "deepObject"} for k in ("address", "expand", "metadata")}
    return {
        "description": f"<p>{_PROSE}</p>",
        "operationId": f"Post{name}s",
        "requestBody": {
            "content": {"application/x-www-form-urlencoded": {"encoding": encoding, "schema": body}},
            "required": False,
        },
        "responses": _stripe_responses({"$ref": f"#/components/schemas/{name}"}),
    }


def _stripe_error() -> dict[str, Any]:
    return {
        "type": "object",
        "description": "An error response from the API.",
        "properties": {
            "error": {
                "type": "object",
                "properties": {
                    "code": _stripe_string(),
                    "message": _stripe_string(),
                    "type": {
                        "type": "string",
                        "enum": ["api_error", "card_error", "idempotency_error", "invalid_request_error"],
                    },
                },
                "required": ["type"],
            }
        },
        "required": ["error"],
    }


def github_shaped(scale: float = 1.0) -> dict[str, Any]:
    """A description shaped like GitHub's REST API: shared parameters and responses, a large example per response."""
    operations = max(3, round(GITHUB_OPERATIONS * scale))
    count = max(2, round(GITHUB_SCHEMAS * scale))
    paths: dict[str, Any] = {}
    for o in range(operations):
        path = f"/repos/{{owner}}/{{repo}}/area{o // 3}/{{item_id}}" if o % 3 else f"/orgs/{{org}}/area{o // 3}"
        method = ("get", "post", "patch")[o % 3]
        target = {"$ref": f"#/components/schemas/s{o % count}"}
        op: dict[str, Any] = {
            "summary": f"Operation {o}",
            "description": "Lists or changes resources. " * 10,
            "operationId": f"area/op-{o}",
            "parameters": [
                {"$ref": "#/components/parameters/per-page"},
                {"$ref": "#/components/parameters/page"},
                *[
                    {"name": n, "in": "path", "required": True, "schema": {"type": "string"}, "example": f"{n}-1"}
                    for n in ("owner", "repo", "item_id", "org")
                    if "{" + n + "}" in path
                ],
            ],
            "responses": {
                "200": {
                    "description": "Response",
                    "content": {
                        "application/json": {
                            "schema": {"type": "array", "items": target} if method == "get" else target,
                            # The real description carries a large example per response (most of its bytes).
                            "examples": {"default": {"value": _github_example(o, method == "get")}},
                        }
                    },
                },
                "404": {"$ref": "#/components/responses/not_found"},
            },
        }
        if method != "get":
            op["requestBody"] = {"required": True, "content": {"application/json": {"schema": target}}}
        paths.setdefault(path, {})[method] = op
    return {
        "openapi": "3.1.0",
        "info": {"title": "GitHub-shaped REST API", "version": "1.0.0"},
        "paths": paths,
        "components": {
            "schemas": {f"s{i}": _github_schema(i, count) for i in range(count)},
            "parameters": {
                "per-page": {"name": "per_page", "in": "query", "schema": {"type": "integer", "default": 30}},
                "page": {"name": "page", "in": "query", "schema": {"type": "integer", "default": 1}},
            },
            "responses": {
                "not_found": {
                    "description": "Resource not found",
                    "content": {
                        "application/json": {
                            "schema": {"type": "object", "properties": {"message": {"type": "string"}}}
                        }
                    },
                }
            },
        },
    }


def _github_schema(i: int, schemas: int) -> dict[str, Any]:
    """One component schema: ~25 members of mixed kinds, with references to a few other schemas."""
    ref = {"$ref": f"#/components/schemas/s{(i * 7 + 1) % schemas}"}
    props: dict[str, Any] = {
        "id": {"type": "integer", "format": "int64", "description": "Unique identifier of the resource."},
        "node_id": {"type": "string", "examples": ["MDQ6VXNlcjE="]},
        "url": {"type": "string", "format": "uri"},
        "html_url": {"type": "string", "format": "uri"},
        "name": {"type": "string", "maxLength": 255},
        "state": {"type": "string", "enum": ["open", "closed", "all"]},
        "created_at": {"type": "string", "format": "date-time"},
        "updated_at": {"type": ["string", "null"], "format": "date-time"},
        "owner": ref,
        "labels": {"type": "array", "items": {"$ref": f"#/components/schemas/s{(i * 3 + 2) % schemas}"}},
        "count": {"type": "integer", "minimum": 0},
        "private": {"type": "boolean", "default": False},
        "permissions": {
            "type": "object",
            "properties": {k: {"type": "boolean"} for k in ("admin", "maintain", "push", "triage", "pull")},
            "required": ["admin", "pull", "push"],
        },
        "body": {"type": ["string", "null"], "description": "Markdown text. " * 8},
    }
    if i % 9 == 4:
        props["actor"] = {"oneOf": [{"$ref": f"#/components/schemas/s{(i + 2) % schemas}"}, {"type": "null"}]}
    for k in range(11):
        props[f"field_{k}"] = {"type": "string", "pattern": "^[a-z0-9-]+$"} if k % 2 else {"type": "number"}
    schema: dict[str, Any] = {
        "title": f"Resource {i}",
        "description": "A resource of the API. " * 6,
        "type": "object",
        "properties": props,
        "required": ["id", "node_id", "url", "name"],
    }
    if i % 5 == 0:
        return {"allOf": [{"$ref": f"#/components/schemas/s{(i + 1) % schemas}"}, schema]}
    return schema


def _github_example(o: int, many: bool) -> Any:
    """A valid example of the operation's body: the schema's required members, and bulk it leaves open."""
    item = {
        "id": o,
        "node_id": "MDQ6VXNlcjE=",
        "url": f"https://api.github.com/area/{o}",
        "name": f"resource-{o}",
        "state": "open",
        "private": False,
        "contributors": [
            {"login": f"user{k}", "id": k, "avatar_url": f"https://avatars.githubusercontent.com/u/{k}?v=4"}
            for k in range(22)
        ],
    }
    return [item] if many else item


def second_version(document: dict[str, Any]) -> dict[str, Any]:
    """Version 2.0.0: a few dozen edits, compatible and breaking, spread over the schemas and operations.

    New optional members, a narrowed ``maxLength``, a new enum value, a member made required, a
    removed operation and a new one.
    """
    out = copy.deepcopy(document)
    out["info"]["version"] = "2.0.0"
    schemas = out["components"]["schemas"]
    for i, schema in enumerate(schemas.values()):
        body = schema["allOf"][1] if "allOf" in schema else schema
        props = body.get("properties")
        if not isinstance(props, dict):
            continue
        if i % 20 == 0:
            props[f"added_{i}"] = {"type": "string"}
        if i % 37 == 0 and "name" in props:
            props["name"]["maxLength"] = 100
        if i % 53 == 0:
            enum = next((p for p in props.values() if isinstance(p, dict) and len(p.get("enum", ())) > 1), None)
            if enum is not None:
                enum["enum"] = [*enum["enum"], "merged"]
        if i % 61 == 0 and "required" in body:
            extra = next((name for name in props if name not in body["required"]), None)
            if extra is not None:
                body["required"] = [*body["required"], extra]
    paths = out["paths"]
    paths.pop(next(iter(paths)))
    method, added = next(iter(copy.deepcopy(next(iter(paths.values()))).items()))
    added["operationId"] = f"{added.get('operationId', 'op')}-v2"
    added["parameters"] = [p for p in added.get("parameters", []) if p.get("in") != "path"]
    paths["/v2/added"] = {method: added}
    return out
