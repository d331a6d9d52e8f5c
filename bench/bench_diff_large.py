"""`contracts diff` time and peak memory on a description of the GitHub REST API's shape and size.

The GitHub REST description (github/rest-api-description, OpenAPI 3.1, about 10 MB of JSON) cannot be
fetched here (only package registries are reachable), so a script builds one of the same shape: about
900 operations over 600 paths, 800 component schemas that reference each other (nested objects,
arrays of references, ``allOf`` compositions, enums, formats, nullable types), shared parameters and
responses, and ``$ref``-heavy bodies. Version 2 makes a few dozen edits, compatible and breaking. The
figures: seconds and peak traced memory (tracemalloc) for the diff, at 1/4, 1/2 and the full size,
each as a ratio to the smallest (growth should stay linear in the size).
"""

from __future__ import annotations

import copy
import gc
import json
import time
import tracemalloc
from typing import Any

from validator.compat import diff
from validator.loader import load_document

FULL_OPERATIONS = 1000
FULL_SCHEMAS = 900


def _schema(i: int, schemas: int) -> dict[str, Any]:
    """One component schema: ~25 members of mixed kinds, with references to a few later schemas."""
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


def _example(o: int) -> dict[str, Any]:
    return {
        "id": o,
        "node_id": "MDQ6VXNlcjE=",
        "url": f"https://api.github.com/area/{o}",
        "items": [
            {"login": f"user{k}", "id": k, "avatar_url": f"https://avatars.githubusercontent.com/u/{k}?v=4"}
            for k in range(75)
        ],
    }


def described(operations: int, schemas: int) -> dict[str, Any]:
    """The whole description: paths with parameters, bodies and responses referencing the schemas."""
    paths: dict[str, Any] = {}
    for o in range(operations):
        path = f"/repos/{{owner}}/{{repo}}/area{o // 3}/{{item_id}}" if o % 3 else f"/orgs/{{org}}/area{o // 3}"
        method = ("get", "post", "patch")[o % 3]
        target = {"$ref": f"#/components/schemas/s{o % schemas}"}
        op: dict[str, Any] = {
            "summary": f"Operation {o}",
            "description": "Lists or changes resources. " * 10,
            "operationId": f"area/op-{o}",
            "parameters": [
                {"$ref": "#/components/parameters/per-page"},
                {"$ref": "#/components/parameters/page"},
                *[
                    {"name": n, "in": "path", "required": True, "schema": {"type": "string"}}
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
                            "examples": {"default": {"value": _example(o)}},
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
            "schemas": {f"s{i}": _schema(i, schemas) for i in range(schemas)},
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


def second_version(document: dict[str, Any]) -> dict[str, Any]:
    """A few dozen edits: new optional members, narrowed bounds, a new enum value, a removed operation."""
    out = copy.deepcopy(document)
    out["info"]["version"] = "2.0.0"
    for i, schema in enumerate(out["components"]["schemas"].values()):
        body = schema["allOf"][1] if "allOf" in schema else schema
        if i % 20 == 0:
            body["properties"][f"added_{i}"] = {"type": "string"}
        if i % 37 == 0:
            body["properties"]["name"]["maxLength"] = 100
        if i % 53 == 0:
            body["properties"]["state"]["enum"].append("merged")
    first = next(iter(out["paths"]))
    out["paths"].pop(first)
    return out


def _measure(operations: int, schemas: int) -> tuple[float, int, int, int]:
    base = described(operations, schemas)
    size = len(json.dumps(base))
    old = load_document(base, name="github-shaped", version="1.0.0")
    new = load_document(second_version(base), name="github-shaped", version="2.0.0")
    gc.collect()
    tracemalloc.start()
    start = time.perf_counter()
    report = diff(old, new)
    seconds = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return seconds, peak, size, len(report.changes)


def main() -> None:
    """Print time and peak memory at three sizes, as ratios to the smallest."""
    print("size(MB)  operations  schemas   seconds  ratio   peak MB  ratio  size ratio  changes")
    first: tuple[float, int, int] | None = None
    for part in (4, 2, 1):
        seconds, peak, size, changes = _measure(FULL_OPERATIONS // part, FULL_SCHEMAS // part)
        first = first or (seconds, peak, size)
        print(
            f"{size / 1e6:8.1f} {FULL_OPERATIONS // part:11} {FULL_SCHEMAS // part:8} {seconds:9.2f} "
            f"{seconds / first[0]:5.2f}x {peak / 1e6:9.1f} {peak / first[1]:5.2f}x {size / first[2]:9.2f}x {changes:8}"
        )


if __name__ == "__main__":
    main()
