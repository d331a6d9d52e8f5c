"""Hostile documents laid out as contract folders: ``hostile@1.0.0`` (harmless) and ``hostile@1.1.0`` (the case)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from tests.hostile.build_fixtures import CASES, CONTRACTS, DOCUMENTS

HOSTED = CONTRACTS / "hostile" / "1.0.0" / "openapi.yaml"


def document(case: str) -> dict[str, Any]:
    """The committed hostile document of one case."""
    loaded: dict[str, Any] = json.loads((DOCUMENTS / f"{case}.json").read_text())
    return loaded


def contracts_with(case: str, folder: Path) -> Path:
    """A contracts folder holding the hosted version 1.0.0 and the hostile document as 1.1.0."""
    root = folder / "contracts"
    for version, source in (("1.0.0", HOSTED), ("1.1.0", DOCUMENTS / f"{case}.json")):
        (root / "hostile" / version).mkdir(parents=True)
        shutil.copyfile(source, root / "hostile" / version / "openapi.yaml")
    return root


__all__ = ["CASES", "contracts_with", "document"]
