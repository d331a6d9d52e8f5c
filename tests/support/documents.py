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
