"""Hosted mocks at /mocks/{name}/{version}/...: the same answers as `contracts mock` of that version."""

from __future__ import annotations

import httpx

from tests.support.paths import CONTRACTS
from tests.support.servers import contracts_cmd, serve

from .conftest import Service

COLD_START = {
    "customer_id": "C9999999",
    "context": {"channel": "app"},
    "candidate_products": ["P00001", "P00002", "P00003"],
    "n": 2,
}
INVALID = {"customer_id": "X", "context": {"channel": "fax"}, "n": 0}


def _comparable(response: httpx.Response) -> tuple[int, str, object]:
    body = response.json()
    if isinstance(body, dict):
        body.pop("request_id", None)  # a fresh id per request
    return response.status_code, response.headers["content-type"], body


def test_hosted_mock_answers_like_contracts_mock(service: Service) -> None:
    with (
        serve(
            contracts_cmd("mock", "recommendation-api@1.1.0", "--port", "{port}", "--contracts-dir", str(CONTRACTS)),
            ready_path="/__mock/health",
        ) as standalone,
        service.client() as hosted,
    ):
        for method, path, body in (
            ("POST", "/v1/recommendations", COLD_START),
            ("POST", "/v1/recommendations", INVALID),
            ("GET", "/v1/models/current", None),
            ("GET", "/v1/nothing", None),
        ):
            alone = httpx.request(method, standalone + path, json=body)
            here = hosted.request(method, "/mocks/recommendation-api/1.1.0" + path, json=body)
            assert _comparable(here) == _comparable(alone), (method, path)
    assert here.status_code == 404


def test_every_version_is_hosted_and_its_own(service: Service) -> None:
    with service.client() as c:
        old = c.post("/mocks/recommendation-api/1.0.0/v1/recommendations", json=COLD_START)
        new = c.post("/mocks/recommendation-api/2.0.0/v1/recommendations", json=COLD_START)
        scoring = c.get("/mocks/client-scoring/1.0.0/__mock/openapi.json")
    assert old.status_code == 200 and "experiment_id" not in old.json()
    assert new.status_code != old.status_code or new.json() != old.json()  # 2.0.0 broke the request shape
    assert scoring.json()["servers"][0]["url"] == "/mocks/client-scoring/1.0.0"


def test_unknown_mocks_are_404_listing_what_exists(service: Service) -> None:
    with service.client() as c:
        version = c.get("/mocks/recommendation-api/9.9.9/v1/models/current")
        contract = c.get("/mocks/nope/1.0.0/x")
        bare = c.get("/mocks/recommendation-api")
    assert version.status_code == 404 and version.json()["available"] == ["1.0.0", "1.1.0", "1.2.0", "2.0.0"]
    assert contract.status_code == 404 and "recommendation-api" in contract.json()["available"]
    assert bare.status_code == 404 and bare.headers["content-type"] == "application/problem+json"
    assert bare.json()["title"] == "Unknown mock" and "/mocks/{name}/{version}/" in bare.json()["detail"]


def test_mock_traffic_is_counted(service: Service) -> None:
    with service.client() as c:
        c.get("/mocks/client-scoring/1.0.0/__mock/health")
        metrics = c.get("/metrics").text
    assert 'contracts_mock_requests_total{contract="client-scoring",status="200"}' in metrics
