"""Large public descriptions reproduced by shape: many resources, each split over files of its own.

The shape is that of the large descriptions issue 21 met (DigitalOcean's 2,850 files, Stripe's and
OpenAI's hundreds of operations), written here from scratch: path items, parameters, responses,
headers and schemas each in their own file under a Redocly-style split layout; bearer security on
every operation; shared 401/404/429/500 and ``default`` errors (no 422 or 400: the rejection rule's
``default`` case); rate-limit headers beside documented ``Transfer-Encoding``; a resource that is an
``allOf`` of two referenced objects whose later part has ``required``; read-only ids; singular
examples next to named ones; webhooks. ``write(folder, resources=N)`` writes about 8N + 14 files.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

NAME = "cloud-api"
VERSION = "2.0.0"
BEARER = "Authorization: Bearer corpus-token"


def _dump(path: Path, value: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(value, sort_keys=False))


def _errors(up: str) -> dict[str, Any]:
    return {
        "401": {"$ref": f"{up}responses/unauthorized.yml"},
        "404": {"$ref": f"{up}responses/not_found.yml"},
        "429": {"$ref": f"{up}responses/too_many_requests.yml"},
        "500": {"$ref": f"{up}responses/server_error.yml"},
        "default": {"$ref": f"{up}responses/unexpected_error.yml"},
    }


def _resource(root: Path, name: str, index: int) -> dict[str, Any]:
    """Write one resource's files; return its two path items (as references)."""
    up = "../../"
    model = {
        "allOf": [
            {"$ref": f"{name}_fields.yml"},
            {
                "type": "object",
                "required": ["id", "created_at"],
                "properties": {
                    "id": {"type": "integer", "minimum": 1, "readOnly": True, "example": 3164444},
                    "created_at": {"type": "string", "format": "date-time", "readOnly": True},
                },
            },
        ]
    }
    fields = {
        "type": "object",
        "required": ["name"],
        "properties": {
            "name": {"type": "string", "pattern": "^[a-z][a-z0-9-]{0,62}$", "example": f"{name}-01"},
            "size": {"type": "string", "enum": ["s-1vcpu-1gb", "s-2vcpu-2gb", "c-4"]},
            "tags": {"type": "array", "items": {"type": "string", "maxLength": 255}, "maxItems": 10},
            "size_gigabytes": {"type": "integer", "minimum": 1, "maximum": 16 * 1024 * (index % 3 + 1)},
        },
    }
    _dump(root / "models" / f"{name}.yml", model)
    _dump(root / "models" / f"{name}_fields.yml", fields)
    _dump(
        root / "parameters" / f"{name}_id.yml",
        {"name": f"{name}_id", "in": "path", "required": True, "schema": {"type": "integer", "minimum": 1}},
    )
    one = {"$ref": f"{up}models/{name}.yml"}
    answer = {"type": "object", "required": [name], "properties": {name: {"$ref": f"../models/{name}.yml"}}}
    sample = {"id": 3164444, "created_at": "2026-01-01T00:00:00Z", "name": f"{name}-01", "size": "s-1vcpu-1gb"}
    _dump(
        root / "responses" / f"{name}.yml",
        {
            "description": f"The {name}.",
            "headers": {
                "ratelimit-limit": {"$ref": "../headers/ratelimit-limit.yml"},
                "ratelimit-remaining": {"$ref": "../headers/ratelimit-remaining.yml"},
                "Transfer-Encoding": {"schema": {"type": "string"}, "example": "chunked"},
            },
            "content": {
                "application/json": {
                    "schema": answer,
                    "example": {name: sample},
                }
            },
        },
    )
    listing = {
        "type": "object",
        "required": [f"{name}s", "meta"],
        "properties": {f"{name}s": {"type": "array", "items": one}, "meta": {"$ref": f"{up}models/meta.yml"}},
    }
    security = [{"bearer_auth": [f"{name}:read"]}]
    collection = {
        "get": {
            "operationId": f"{name}s_list",
            "security": security,
            "parameters": [{"$ref": f"{up}parameters/per_page.yml"}, {"$ref": f"{up}parameters/page.yml"}],
            "responses": {
                "200": {"description": "ok", "content": {"application/json": {"schema": listing}}},
                **_errors(up),
            },
        },
        "post": {
            "operationId": f"{name}s_create",
            "security": [{"bearer_auth": [f"{name}:create"]}],
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {
                        "schema": one,
                        "examples": {"minimal": {"value": {"name": f"{name}-01"}}},
                    }
                },
            },
            "responses": {"201": {"$ref": f"{up}responses/{name}.yml"}, **_errors(up)},
        },
    }
    item = {
        "parameters": [{"$ref": f"{up}parameters/{name}_id.yml"}],
        "get": {
            "operationId": f"{name}s_get",
            "security": security,
            "responses": {"200": {"$ref": f"{up}responses/{name}.yml"}, **_errors(up)},
        },
        "delete": {
            "operationId": f"{name}s_delete",
            "security": [{"bearer_auth": [f"{name}:delete"]}],
            "responses": {"204": {"description": "deleted"}, **_errors(up)},
        },
    }
    _dump(root / "resources" / name / "collection.yml", collection)
    _dump(root / "resources" / name / "item.yml", item)
    return {
        f"/v2/{name}s": {"$ref": f"resources/{name}/collection.yml"},
        f"/v2/{name}s/{{{name}_id}}": {"$ref": f"resources/{name}/item.yml"},
    }


def _shared(root: Path) -> None:
    error = {
        "type": "object",
        "required": ["id", "message"],
        "properties": {"id": {"type": "string"}, "message": {"type": "string"}, "request_id": {"type": "string"}},
    }
    _dump(root / "models" / "error.yml", error)
    _dump(
        root / "models" / "meta.yml",
        {"type": "object", "required": ["total"], "properties": {"total": {"type": "integer", "minimum": 0}}},
    )
    for header in ("ratelimit-limit", "ratelimit-remaining"):
        _dump(root / "headers" / f"{header}.yml", {"schema": {"type": "integer", "minimum": 0}, "example": 5000})
    bodies = {
        "unauthorized": ("Unauthorized", {"id": "unauthorized", "message": "Unable to authenticate you."}),
        "not_found": ("Not found", {"id": "not_found", "message": "The resource was not found."}),
        "too_many_requests": (
            "Rate limited",
            {"id": "too_many_requests", "message": "API rate limit exceeded.", "retry_after": 30},
        ),
        "server_error": ("Server error", {"id": "server_error", "message": "Unexpected server-side error"}),
        "unexpected_error": ("Unexpected error", {"id": "example_error", "message": "some error message"}),
    }
    for name, (description, example) in bodies.items():
        content = {"application/json": {"schema": {"$ref": "../models/error.yml"}, "example": example}}
        _dump(root / "responses" / f"{name}.yml", {"description": description, "content": content})
    for name, schema in {
        "per_page": {"type": "integer", "minimum": 1, "maximum": 200, "default": 20},
        "page": {"type": "integer", "minimum": 1, "default": 1},
    }.items():
        _dump(root / "parameters" / f"{name}.yml", {"name": name, "in": "query", "required": False, "schema": schema})


def write(folder: Path, resources: int = 8) -> Path:
    """Write the description under ``folder/cloud-api/2.0.0``; returns that version folder."""
    root = folder / NAME / VERSION
    _shared(root)
    paths: dict[str, Any] = {}
    for index in range(resources):
        paths.update(_resource(root, f"res{index:04d}", index))
    event = {
        "post": {
            "operationId": "resource_event",
            "requestBody": {"content": {"application/json": {"schema": {"$ref": "models/res0000.yml"}}}},
            "responses": {"204": {"description": "received"}},
        }
    }
    document = {
        "openapi": "3.1.0",
        "info": {"title": "Cloud API (shape of a large public description)", "version": VERSION},
        "security": [{"bearer_auth": []}],
        "paths": paths,
        "webhooks": {"resourceCreated": event},
        "components": {"securitySchemes": {"bearer_auth": {"type": "http", "scheme": "bearer"}}},
    }
    _dump(root / "openapi.yaml", document)
    return root
