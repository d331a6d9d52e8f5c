"""A contract whose error schema cannot hold the violations: a conforming body, violations in a header."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from mocks.rejections import VIOLATIONS_HEADER
from tests.mocks.conftest import variant_of_reco


def _close_the_error_schema(document: dict[str, Any]) -> None:
    document["components"]["responses"]["ValidationProblem"]["content"] = {
        "application/json": {
            "schema": {
                "type": "object",
                "additionalProperties": False,
                "required": ["code", "message"],
                "properties": {"code": {"type": "string", "enum": ["INVALID"]}, "message": {"type": "string"}},
            },
            "examples": {"invalid-n": {"value": {"code": "INVALID", "message": "the request is invalid"}}},
        }
    }


def test_violations_travel_in_a_header_when_the_error_schema_is_closed(mock_of: Any, tmp_path: Path) -> None:
    mock = mock_of("reco-closed@1.0.0", contracts_dir=variant_of_reco(tmp_path, "reco-closed", _close_the_error_schema))
    op = mock.contract.operation("getRecommendations")
    response = mock.client.post("/v1/recommendations", json={"customer_id": "X", "context": {}, "n": 0})
    assert response.status_code == 422
    assert response.json() == {"code": "INVALID", "message": "the request is invalid"}
    assert not mock.conforms(op, response)
    violations = json.loads(response.headers[VIOLATIONS_HEADER])
    assert {v["pointer"] for v in violations} >= {"/customer_id", "/context", "/n"}
