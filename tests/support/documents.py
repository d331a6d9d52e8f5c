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
