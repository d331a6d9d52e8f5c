"""A contract whose error schema cannot hold the violations: a conforming body, violations in a header."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import httpx
import yaml

from mocks.rejections import VIOLATIONS_HEADER
from tests.conftest import CONTRACTS


def _closed_error_contract(tmp_path: Path) -> Path:
    root = tmp_path / "contracts"
    shutil.copytree(CONTRACTS / "recommendation-api" / "1.1.0", root / "reco-closed" / "1.0.0")
    path = root / "reco-closed" / "1.0.0" / "openapi.yaml"
    document = yaml.safe_load(path.read_text())
    document["info"]["version"] = "1.0.0"
    document["components"]["responses"]["ValidationProblem"]["content"] = {"application/json": {
        "schema": {"type": "object", "additionalProperties": False, "required": ["code", "message"],
                   "properties": {"code": {"type": "string", "enum": ["INVALID"]},
                                  "message": {"type": "string"}}},
        "examples": {"invalid-n": {"value": {"code": "INVALID", "message": "the request is invalid"}}}}}
    path.write_text(yaml.safe_dump(document))
    return root


def test_violations_travel_in_a_header_when_the_error_schema_is_closed(mock_of: Any, tmp_path: Path) -> None:
    mock = mock_of("reco-closed@1.0.0", contracts_dir=_closed_error_contract(tmp_path))
    op = mock.contract.operation("getRecommendations")
    response = httpx.post(mock.base + "/v1/recommendations", json={"customer_id": "X", "context": {}, "n": 0})
    assert response.status_code == 422
    assert response.json() == {"code": "INVALID", "message": "the request is invalid"}
    assert not mock.conforms(op, response)
    violations = json.loads(response.headers[VIOLATIONS_HEADER])
    assert {v["pointer"] for v in violations} >= {"/customer_id", "/context", "/n"}
