"""X-Request-ID: echoed when sane, else a fresh UUID; always one the contract's documented header schema accepts."""

from __future__ import annotations

import re
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest

from mocks.request_id import admits_every_uuid
from tests.mocks.conftest import Mock, variant_of_reco

VALID = {"customer_id": "C0000042", "context": {"channel": "web"}, "n": 5}
PATTERN = "^req-[0-9]{4}$"


def _post(mock: Mock, headers: dict[str, str] | None = None) -> httpx.Response:
    return mock.client.post("/v1/recommendations", json=VALID, headers=headers or {})


def test_generated_ids_are_distinct_version_4_uuids(mock_of: Any) -> None:
    mock = mock_of("recommendation-api@1.1.0")
    ids = [_post(mock).headers["x-request-id"] for _ in range(20)]
    assert len(set(ids)) == 20
    for value in ids:
        parsed = uuid.UUID(value)
        assert parsed.version == 4 and parsed.variant == uuid.RFC_4122 and str(parsed) == value


def _pattern_the_request_id(document: dict[str, Any]) -> None:
    header = document["paths"]["/v1/recommendations"]["post"]["responses"]["200"]["headers"]["X-Request-ID"]
    header["schema"] = {"type": "string", "pattern": PATTERN}


def test_ids_fit_a_documented_pattern(mock_of: Any, tmp_path: Path) -> None:
    mock = mock_of("reco-ids@1.0.0", contracts_dir=variant_of_reco(tmp_path, "reco-ids", _pattern_the_request_id))
    op = mock.contract.operation("getRecommendations")
    kept = _post(mock, {"x-request-id": "req-0042"})
    assert kept.headers["x-request-id"] == "req-0042"
    for response in (_post(mock, {"x-request-id": "not-an-id"}), _post(mock)):
        assert re.match(PATTERN, response.headers["x-request-id"]), response.headers["x-request-id"]
        assert not mock.conforms(op, response)


def _number_the_request_id(document: dict[str, Any]) -> None:
    header = document["paths"]["/v1/recommendations"]["post"]["responses"]["200"]["headers"]["X-Request-ID"]
    header["schema"] = {"type": "integer", "minimum": 1, "maximum": 999}


def test_ids_fit_a_documented_integer_schema(mock_of: Any, tmp_path: Path) -> None:
    contracts = variant_of_reco(tmp_path, "reco-int-ids", _number_the_request_id)
    mock = mock_of("reco-int-ids@1.0.0", contracts_dir=contracts)
    op = mock.contract.operation("getRecommendations")
    assert _post(mock, {"x-request-id": "42"}).headers["x-request-id"] == "42"  # read as the integer 42
    for response in (
        _post(mock, {"x-request-id": "abc"}),
        _post(mock, {"x-request-id": "1000"}),
        _post(mock),
    ):
        assert 1 <= int(response.headers["x-request-id"]) <= 999
        assert not mock.conforms(op, response)


@pytest.mark.parametrize(
    ("schema", "admits"),
    [
        (True, True),
        ({}, True),
        ({"type": "string", "minLength": 1, "maxLength": 128}, True),
        ({"type": "string", "format": "uuid", "description": "trace id"}, True),
        ({"type": ["string", "null"]}, True),
        ({"type": "string", "maxLength": 32}, False),
        ({"type": "string", "minLength": 40}, False),
        ({"type": "string", "pattern": "^req-"}, False),
        ({"type": "integer"}, False),
        ({"type": "string", "format": "date"}, False),
        ({"$ref": "#/components/schemas/RequestId"}, False),
        (False, False),
    ],
)
def test_which_schemas_admit_every_uuid(schema: Any, admits: bool) -> None:
    assert admits_every_uuid(schema) is admits
