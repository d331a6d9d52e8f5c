"""The mock over real HTTP: named examples round-trip, bad requests get their status and pointers."""

from __future__ import annotations

from typing import Any

import httpx
import orjson
import pytest

from tests.mocks.conftest import EXAMPLE_REFS, Mock
from validator.contract import Operation

RECO = "recommendation-api@1.1.0"
VALID = {"customer_id": "C0000042", "context": {"channel": "web"}, "n": 5}


def _url(op: Operation, params: dict[str, Any]) -> str:
    path = op.path
    for name, value in params.items():
        path = path.replace("{" + name + "}", str(value))
    return path


def _send(
    mock: Mock, op: Operation, body: Any = None, params: dict[str, Any] | None = None, **kwargs: Any
) -> httpx.Response:
    params = params or {}
    path_names = {p.name for p in op.parameters if p.location == "path"}
    query = {k: v for k, v in params.items() if k not in path_names}
    content = orjson.dumps(body) if body is not None else None
    headers = (
        {"content-type": "application/json", **kwargs.pop("headers", {})} if content else kwargs.pop("headers", {})
    )
    return mock.client.request(
        op.method, _url(op, params), params=query, content=content, headers=headers, timeout=10, **kwargs
    )


@pytest.mark.parametrize("ref", EXAMPLE_REFS)
def test_every_named_example_round_trips(mock_of: Any, ref: str) -> None:
    mock = mock_of(ref)
    checked = 0
    for op in mock.contract.operations:
        for name, interaction in op.interactions.items():
            response = _send(mock, op, interaction.request, dict(interaction.parameters))
            assert response.status_code == int(interaction.status), (ref, name, response.text)
            assert not mock.conforms(op, response), (ref, name, mock.conforms(op, response))
            if interaction.status.startswith("2"):
                assert orjson.loads(response.content) == interaction.response, (ref, name)
            else:  # a negative example: the body lists the real violations of this request
                errors = orjson.loads(response.content)["errors"]
                expected = {e["pointer"] for e in interaction.response.get("errors", [])}
                assert expected <= {e["pointer"] for e in errors}, (ref, name, errors)
            checked += 1
    assert checked >= 2


@pytest.mark.parametrize("ref", EXAMPLE_REFS)
def test_prefer_picks_every_documented_status_and_example(mock_of: Any, ref: str) -> None:
    mock = mock_of(ref)
    for op in mock.contract.operations:
        valid = next((i for i in op.interactions.values() if i.status.startswith("2")), None)
        body = valid.request if valid else None
        params = dict(valid.parameters) if valid else {}
        for status in op.responses:
            response = _send(mock, op, body, params, headers={"prefer": f"code={status}"})
            assert response.status_code == int(status)
            assert not mock.conforms(op, response), (ref, op.label, status, mock.conforms(op, response))
        for name in op.interactions:
            response = _send(mock, op, body, params, headers={"prefer": f"example={name}"})
            assert orjson.loads(response.content) == op.interactions[name].response


def test_a_valid_body_matching_no_example_gets_the_first_2xx_example(mock_of: Any) -> None:
    mock = mock_of(RECO)
    op = mock.contract.operation("getRecommendations")
    response = _send(mock, op, VALID)
    assert response.status_code == 200
    assert orjson.loads(response.content) == op.interactions["returning-customer"].response
    assert response.headers["x-request-id"]


def test_named_example_match_ignores_key_order(mock_of: Any) -> None:
    mock = mock_of(RECO)
    op = mock.contract.operation("getRecommendations")
    request = op.interactions["cold-start"].request
    reordered = dict(reversed(list(request.items())))
    response = _send(mock, op, reordered)
    assert orjson.loads(response.content) == op.interactions["cold-start"].response


def test_request_id_is_echoed(mock_of: Any) -> None:
    mock = mock_of(RECO)
    op = mock.contract.operation("getRecommendations")
    response = _send(mock, op, VALID, headers={"x-request-id": "req-42"})
    assert response.headers["x-request-id"] == "req-42"


def test_invalid_body_lists_every_violation_by_pointer(mock_of: Any) -> None:
    mock = mock_of(RECO)
    op = mock.contract.operation("getRecommendations")
    bad = {"customer_id": "X1", "context": {"channel": "fax", "locale": "english"}, "n": 0, "extra": True}
    response = _send(mock, op, bad)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    body = orjson.loads(response.content)
    pointers = {e["pointer"] for e in body["errors"]}
    assert {"/customer_id", "/context/channel", "/context/locale", "/n"} <= pointers
    assert all(e["location"] == "body" and e["message"] and e["keyword"] for e in body["errors"])
    assert body["status"] == 422
    assert not mock.conforms(op, response)


def test_path_and_query_violations_are_reported_with_their_location(mock_of: Any) -> None:
    mock = mock_of("client-scoring@1.0.0")
    op = mock.contract.operation("scoreClients")
    body = op.interactions["small-batch"].request
    response = _send(mock, op, body, {"campaign_id": "Bad_Campaign", "threshold": "2"})
    assert response.status_code == 422
    errors = orjson.loads(response.content)["errors"]
    located = {(e["location"], e["pointer"]) for e in errors}
    assert located == {("path", "/campaign_id"), ("query", "/threshold")}
    assert not mock.conforms(op, response)


@pytest.mark.parametrize(
    ("content", "pointer", "reason"),
    [
        (b'{"customer_id": ', "/customer_id", "not valid JSON"),  # where the value is missing
        (b"[" * 2000 + b"]" * 2000, "", "deeper"),
        (b'{"n": 1e400}', "", "infinity"),
        (b'{"customer_id": "\xff\xfe"}', "", "UTF-8"),
        (
            b'{"customer_id": "C0000042", "context": {"channel": "web"}, "n": 123456789012345678901234567890}',
            "/n",
            "greater than the maximum",
        ),
    ],
)
def test_unreadable_bodies_and_huge_numbers_get_a_4xx_with_the_reason(
    mock_of: Any,
    content: bytes,
    pointer: str,
    reason: str,
) -> None:
    mock = mock_of(RECO)
    response = mock.client.post("/v1/recommendations", content=content, headers={"content-type": "application/json"})
    assert response.status_code == 422
    errors = orjson.loads(response.content)["errors"]
    assert len(errors) == 1 and errors[0]["pointer"] == pointer and reason in errors[0]["message"]


def test_unsupported_media_type_gets_415(mock_of: Any) -> None:
    mock = mock_of(RECO)
    response = mock.client.post(
        "/v1/recommendations",
        content=b"customer_id=C0000042",
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 415
    errors = orjson.loads(response.content)["errors"]
    assert errors[0]["location"] == "media-type" and "application/json" in errors[0]["message"]


def test_missing_body_is_reported(mock_of: Any) -> None:
    mock = mock_of(RECO)
    response = mock.client.post("/v1/recommendations")
    assert response.status_code == 422
    assert orjson.loads(response.content)["errors"][0]["message"] == "request body is required"


def test_unknown_path_gets_404_naming_the_paths(mock_of: Any) -> None:
    mock = mock_of(RECO)
    response = mock.client.get("/v2/nothing")
    assert response.status_code == 404
    assert "/v1/recommendations" in orjson.loads(response.content)["detail"]


def test_other_method_gets_405_with_allow(mock_of: Any) -> None:
    mock = mock_of(RECO)
    response = mock.client.delete("/v1/recommendations")
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"


def test_body_over_the_limit_gets_413(mock_of: Any) -> None:
    mock = mock_of(RECO, "--max-body-bytes", "100")
    padded = {**VALID, "customer_id": "C" + "0" * 200}
    response = mock.client.post(
        "/v1/recommendations", content=orjson.dumps(padded), headers={"content-type": "application/json"}
    )
    assert response.status_code == 413
    assert "larger than 100 bytes" in orjson.loads(response.content)["errors"][0]["message"]
    small = mock.client.post("/v1/recommendations", json=VALID)
    assert small.status_code == 200


def test_generated_answers_are_deterministic_and_valid(mock_of: Any) -> None:
    mock = mock_of("client-scoring@1.0.0")
    op = mock.contract.operation("getCampaignModel")
    first = _send(mock, op, None, {"campaign_id": "spring-sale"}, headers={"prefer": "code=404"})
    again = _send(mock, op, None, {"campaign_id": "spring-sale"}, headers={"prefer": "code=404"})
    other = _send(mock, op, None, {"campaign_id": "autumn-sale"}, headers={"prefer": "code=404"})
    assert first.status_code == 404 and first.content == again.content
    assert not mock.conforms(op, first) and not mock.conforms(op, other)


def test_lenient_mode_answers_invalid_requests(mock_of: Any) -> None:
    mock = mock_of(RECO, "--lenient")
    response = mock.client.post("/v1/recommendations", json={"customer_id": "X"})
    assert response.status_code == 200


def test_error_rate_one_answers_the_documented_503(mock_of: Any) -> None:
    mock = mock_of(RECO, "--error-rate", "1")
    op = mock.contract.operation("getRecommendations")
    response = _send(mock, op, VALID)
    assert response.status_code == 503
    assert not mock.conforms(op, response)


def test_latency_is_simulated(mock_of: Any) -> None:
    mock = mock_of(RECO, "--latency", "150")
    response = mock.client.get("/v1/models/current")
    assert response.status_code == 200
    assert response.elapsed.total_seconds() >= 0.15


def test_admin_endpoints(mock_of: Any) -> None:
    mock = mock_of(RECO)
    health = mock.client.get("/__mock/health").json()
    assert health == {"status": "ok", "contract": "recommendation-api", "version": "1.1.0", "operations": 2}
    document = mock.client.get("/__mock/openapi.json").json()
    assert document["info"]["version"] == "1.1.0" and document["servers"] == [
        {"url": "/", "description": "contracts mock"}
    ]
    body = document["paths"]["/v1/recommendations"]["post"]["requestBody"]
    ref = body["content"]["application/json"]["schema"]
    referenced = mock.client.get(f"/__mock/{ref['$ref']}")
    assert referenced.status_code == 200 and referenced.json()["title"] == "Recommendation request"
    page = mock.client.get("/__mock/docs")
    assert page.status_code == 200 and "SwaggerUIBundle" in page.text and "http" not in page.text.split("<body>")[1]
    script = mock.client.get("/__mock/docs-assets/swagger-ui-bundle.js")
    assert script.status_code == 200 and len(script.content) > 100_000
    assert mock.client.get("/__mock/nothing").status_code == 404
