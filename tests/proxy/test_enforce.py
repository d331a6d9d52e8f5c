"""Enforce mode: an invalid request never reaches the upstream and gets the mock's own answer; an answer that
breaks the contract becomes a 502 naming its violations, the original kept in the log."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx

from tests.proxy.conftest import CONTRACT, json_upstream, running_proxy
from tests.support.documents import contract_folder, json_response, operation
from tests.support.paths import CONTRACTS
from tests.support.servers import contracts_cmd, serve
from validator.compiled import CompiledContract
from validator.loader import load
from validator.verify.cases import request_data
from validator.verify.exchange import WireRequest
from validator.verify.runner import Options, run
from validator.wire import is_field_value

COMPILED = CompiledContract(load(CONTRACT, CONTRACTS))
RECOMMENDATIONS = COMPILED.contract.operation("getRecommendations")
ANSWER = RECOMMENDATIONS.interactions["returning-customer"].response


def _example(path: str, body: bytes) -> tuple[int, Any, dict[str, str]]:
    return 200, ANSWER, {"x-request-id": "witness-1"}


def test_enforce_never_forwards_an_invalid_request() -> None:
    with json_upstream(_example) as (upstream, seen), running_proxy(upstream, "--mode", "enforce") as base:
        report = run(
            COMPILED,
            Options(base_url=base, max_examples=30, seed=7, workers=4, operations=["getRecommendations"]),
        )
        summary = httpx.get(f"{base}/__proxy/report").json()
    assert report.cases > 100
    assert not any(f.check == "invalid_request_accepted" for f in report.failures)
    assert seen, "valid requests reach the upstream"
    for path, body, _ in seen:
        request = WireRequest("POST", path, (("content-type", "application/json"),), body)
        data, unreadable = request_data(RECOMMENDATIONS, request)
        assert unreadable is None and not COMPILED.validate_request(RECOMMENDATIONS, data), request
    rejected = [v for op in summary["operations"] for v in op["violations"] if v["direction"] == "request"]
    assert rejected and sum(v["count"] for v in rejected) >= report.cases - len(seen)


def test_enforce_answers_an_invalid_request_exactly_as_the_mock_does() -> None:
    invalid = RECOMMENDATIONS.interactions["invalid-n"].request
    bodies = [
        json.dumps(invalid).encode(),
        b'{"customer_id": "C0001234", "context": {"channel": "web"}, "n": ',  # malformed JSON
        b'{"customer_id": 7}',
    ]
    mock_argv = contracts_cmd("mock", CONTRACT, "--port", "{port}")
    with (
        json_upstream(_example) as (upstream, seen),
        running_proxy(upstream, "--mode", "enforce") as base,
        serve(mock_argv, ready_path="/__mock/health") as mock,
    ):
        for body in bodies:
            for content_type in ("application/json", "text/plain"):
                headers = {"content-type": content_type}
                ours = httpx.post(f"{base}/v1/recommendations", content=body, headers=headers)
                theirs = httpx.post(f"{mock}/v1/recommendations", content=body, headers=headers)
                assert ours.status_code == theirs.status_code and ours.status_code in (400, 415, 422)
                assert ours.headers["content-type"] == theirs.headers["content-type"]
                assert ours.json() == theirs.json()
        undocumented = httpx.delete(f"{base}/v1/recommendations")
        assert undocumented.status_code == 405 and undocumented.headers["allow"] == "POST"
    assert seen == []


def test_enforce_turns_an_invalid_answer_into_a_502_and_logs_the_original(variants_url: str, proxy_log: Path) -> None:
    example = RECOMMENDATIONS.interactions["returning-customer"].request
    with running_proxy(f"{variants_url}/score-out-of-range", "--mode", "enforce", log=proxy_log) as base:
        answer = httpx.post(f"{base}/v1/recommendations", json=example)
    assert answer.status_code == 502
    assert answer.headers["content-type"] == "application/problem+json"
    problem = answer.json()
    assert problem["status"] == 502 and "breaks the contract" in problem["detail"]
    assert [e["pointer"] for e in problem["errors"]] == ["/recommendations/0/score"]
    lines = [json.loads(x) for x in proxy_log.read_text().splitlines() if x.startswith("{")]
    replaced = next(x for x in lines if x.get("action") == "replaced")
    assert replaced["status"] == 502 and replaced["upstream_status"] == 200
    original = json.loads(replaced["original"]["body"])
    assert original["recommendations"][0]["score"] > 1
    assert replaced["violations"][0]["check"] == "response_schema"


def test_report_mode_forwards_an_invalid_request_and_records_the_violation(variants_url: str) -> None:
    invalid = RECOMMENDATIONS.interactions["invalid-n"].request
    with running_proxy(f"{variants_url}/reference") as base:
        answer = httpx.post(f"{base}/v1/recommendations", json=invalid)
        outside = httpx.get(f"{base}/v1/not-in-the-contract")
        summary = httpx.get(f"{base}/__proxy/report").json()
        metrics = httpx.get(f"{base}/__proxy/metrics").text
    assert answer.status_code == 422
    assert answer.json()["type"] == "https://contracts.example/problems/invalid-request"  # the upstream's own
    assert outside.status_code == 404  # forwarded: the upstream's answer
    op = next(o for o in summary["operations"] if o["operation"] == "getRecommendations")
    found = {v["check"]: v for v in op["violations"]}
    assert found["request_schema"]["direction"] == "request" and found["request_schema"]["count"] == 2
    assert found["request_schema"]["curl"].startswith("curl ")
    assert summary["undocumented"] == [{"method": "GET", "path": "/v1/not-in-the-contract", "count": 1}]
    labels = 'check="request_schema",direction="request",operation="getRecommendations"'
    assert f"contracts_proxy_violations_total{{{labels}}} 2.0" in metrics
    assert 'contracts_proxy_upstream_seconds_bucket{le="0.5",operation="getRecommendations"}' in metrics


def test_enforce_answers_a_missing_credential_with_header_values_http_can_carry(tmp_path: Path) -> None:
    # The documented 401 has required headers: one whose schema also admits control characters (the proxy
    # drew them and the server dropped the connection), one admitting no value HTTP can carry (a 501 then).
    def secured(hint: dict[str, Any]) -> dict[str, Any]:
        denied = {"description": "no credentials", "headers": {"X-Hint": {"required": True, "schema": hint}}}
        return operation({"200": json_response({"type": "object"}), "401": denied}, security=[{"key": []}])

    document = {
        "paths": {
            "/drawn": {"get": secured({"type": "string", "pattern": "^[\\x00-\\x7f]{20,30}$"})},
            "/impossible": {"get": secured({"type": "string", "pattern": "^[\\x00-\\x1f]{3}$"})},
        },
        "components": {"securitySchemes": {"key": {"type": "http", "scheme": "bearer"}}},
    }
    root = contract_folder(tmp_path, document, name="secured")
    proxy = running_proxy("http://127.0.0.1:9", "--mode", "enforce", "--contracts-dir", str(root), contract="secured")
    with proxy as base:
        drawn = httpx.get(f"{base}/drawn")
        impossible = httpx.get(f"{base}/impossible")
    assert drawn.status_code == 401
    hint = next(v for k, v in drawn.headers.raw if k.lower() == b"x-hint")
    assert hint.isascii() and is_field_value(hint.decode()) and 20 <= len(hint) <= 30
    assert impossible.status_code == 501
    assert "response header 'X-Hint'" in impossible.json()["detail"]
