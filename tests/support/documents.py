"""Small contract folders written from Python values, for tests that need a document of their own."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml


def contract_folder(
    root: Path, document: dict[str, Any], files: dict[str, Any] | None = None, name: str = "t", version: str = "1.0.0"
) -> Path:
    """Write ``root/name/version/openapi.yaml`` and ``files`` beside it (JSON for ``.json``); returns ``root``."""
    folder = root / name / version
    folder.mkdir(parents=True, exist_ok=True)
    document = {"openapi": "3.1.0", "info": {"title": name, "version": version}, **document}
    (folder / "openapi.yaml").write_text(yaml.safe_dump(document, sort_keys=False))
    for relative, value in (files or {}).items():
        target = folder / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps(value, indent=2) if relative.endswith(".json") else yaml.safe_dump(value, sort_keys=False)
        target.write_text(text)
    return root


def operation(responses: dict[str, Any], request: dict[str, Any] | None = None, **extra: Any) -> dict[str, Any]:
    """An operation object with JSON content: ``request`` is a request body's media type object."""
    op: dict[str, Any] = {**extra, "responses": responses}
    if request is not None:
        op["requestBody"] = {"required": True, "content": {"application/json": request}}
    return op


def json_response(schema: Any, description: str = "ok", **media: Any) -> dict[str, Any]:
    """A response object with one ``application/json`` media type."""
    return {"description": description, "content": {"application/json": {"schema": schema, **media}}}


def secured_score(schemes: dict[str, dict[str, Any]], parameters: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """``POST /v1/score`` ({x: integer >= 0} -> {y: number}; 401 and 422 documented) behind any one of ``schemes``."""
    request = {"schema": {"type": "object", "required": ["x"], "properties": {"x": {"type": "integer", "minimum": 0}}}}
    answer = {"type": "object", "required": ["y"], "properties": {"y": {"type": "number"}}}
    responses = {
        "200": json_response(answer),
        "401": {"description": "no credential"},
        "422": {"description": "invalid"},
    }
    score = operation(responses, request, operationId="score")
    if parameters:
        score["parameters"] = parameters
    return {
        "components": {"securitySchemes": schemes},
        "security": [{name: []} for name in schemes],
        "paths": {"/v1/score": {"post": score}},
    }


def top_k_document(default: int | None = None) -> dict[str, Any]:
    """``GET /top/{user}?k=``, answering at most ``k`` items (x-relations at-most); ``k`` defaults to ``default``."""
    k: dict[str, Any] = {"type": "integer", "minimum": 1}
    if default is not None:
        k["default"] = default
    items = {"type": "array", "maxItems": 5, "items": {"type": "integer"}}
    top = operation(
        {"200": json_response({"type": "object", "required": ["items"], "properties": {"items": items}})},
        operationId="top",
        parameters=[
            {"name": "user", "in": "path", "required": True, "schema": {"type": "string"}},
            {"name": "k", "in": "query", "schema": k},
        ],
    )
    top["x-relations"] = [{"kind": "at-most", "request": "query:k", "response": "body:/items"}]
    return {"openapi": "3.1.0", "info": {"title": "top", "version": "1.0.0"}, "paths": {"/top/{user}": {"get": top}}}


def header_document(headers: dict[str, dict[str, Any]], *, required: bool = True) -> dict[str, Any]:
    """``GET /{name}`` for each entry: a 200 whose one header ``X-Value`` has that schema (required or not).

    Each operation also takes an optional integer ``n``, so that requests differing only in it get
    other generated answers.
    """
    paths = {}
    for name, schema in headers.items():
        ok = json_response({"type": "object"})
        ok["headers"] = {"X-Value": {"required": required, "schema": schema}}
        n = {"name": "n", "in": "query", "schema": {"type": "integer"}}
        paths[f"/{name}"] = {"get": operation({"200": ok}, operationId=name, parameters=[n])}
    return {"paths": paths}


# Header schemas admitting values HTTP can carry, most of them also values it cannot (control characters,
# characters past ASCII, whitespace at either end): a generator drawing from the whole class sends those.
SENDABLE_HEADERS: dict[str, dict[str, Any]] = {
    "plain": {"type": "string"},
    "ascii": {"type": "string", "pattern": "^[\\x00-\\x7f]{20,30}$"},
    "dot": {"type": "string", "pattern": "^.{5,20}$"},
    "space-or-not": {"type": "string", "pattern": "^[\\s\\S]{5,20}$"},
    "latin-1": {"type": "string", "pattern": "^[\\x00-\\xff]{5,20}$"},
    "no-comma": {"type": "string", "pattern": "^[^,]{5,20}$"},
    "words": {"type": "string", "pattern": "^\\S+\\s\\S+$"},
    "date-time": {"type": "string", "format": "date-time"},
    "date": {"type": "string", "format": "date"},
    "uuid": {"type": "string", "format": "uuid"},
    "email": {"type": "string", "format": "email"},
    "idn-email": {"type": "string", "format": "idn-email"},
    "uri": {"type": "string", "format": "uri"},
    "hostname": {"type": "string", "format": "idn-hostname"},
    "ipv6": {"type": "string", "format": "ipv6"},
    "integer": {"type": "integer", "minimum": -5},
}
# Header schemas no value of which HTTP can carry as it is.
UNSENDABLE_HEADERS: dict[str, dict[str, Any]] = {
    "control": {"type": "string", "pattern": "^[\\x00-\\x1f]{3}$"},
    "cjk": {"type": "string", "pattern": "^[\\u4e00-\\u9fff]{2}$"},
    "padded": {"type": "string", "pattern": "^ [a-z]+ $"},
    "bell": {"enum": ["ding\u0007"]},
}
