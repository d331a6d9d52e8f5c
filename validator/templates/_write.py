"""Writing a new contract version to disk (refusing to overwrite one)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .. import refs, versions
from ..errors import UsageError


def write_contract(root: Path, name: str, version: str, document: dict[str, Any]) -> Path:
    """Write ``root/NAME/VERSION/openapi.yaml``; UsageError when the name or version is bad or it exists."""
    refs.check_name(name)
    if not versions.is_version(version):
        raise UsageError(f"{version!r} is not a semantic version", hint="e.g. --version 0.1.0")
    folder = root / name / version
    target = folder / refs.OPENAPI_FILE
    if folder.exists():
        raise UsageError(f"{folder} already exists", hint="choose another --version, or remove that folder")
    folder.mkdir(parents=True)
    text = yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=120)
    target.write_text(text, encoding="utf-8")
    return target
