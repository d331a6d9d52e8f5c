"""A whole OpenAPI document as text: JSON or YAML (what `contracts bundle` writes)."""

from __future__ import annotations

import json
from typing import Any, Literal

import yaml

DocumentFormat = Literal["json", "yaml"]


def render_document(document: Any, fmt: DocumentFormat) -> str:
    """The document as JSON (indented, key order kept) or YAML (block style, key order kept)."""
    if fmt == "yaml":
        text: str = yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=120)
        return text
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def format_for_file(name: str) -> DocumentFormat:
    """The format a file name asks for: YAML for ``.yaml``/``.yml``, JSON otherwise."""
    return "yaml" if name.lower().endswith((".yaml", ".yml")) else "json"
