"""Tokens on writes, reads closable, body size limit, no path traversal through names or versions."""

from __future__ import annotations

import json
from pathlib import Path

import httpx

from validator.service.security import token_ok

from .conftest import TOKEN, Service, start


def test_token_comparison_accepts_only_a_listed_token() -> None:
    tokens = (b"alpha", b"bravo")
    assert token_ok(b"bravo", tokens)
    assert not token_ok(b"brav", tokens)
    assert not token_ok(b"", tokens)
    assert not token_ok(b"alpha", ())


def test_writes_need_a_valid_bearer_token(service: Service) -> None:
    record = {
        "provider": "p",
        "provider_version": "1",
        "contract": "recommendation-api",
        "contract_version": "1.0.0",
        "ok": True,
    }
    with service.client() as anonymous, service.client("wrong") as wrong, service.client(TOKEN) as good:
        missing = anonymous.post("/api/v1/verifications", json=record)
        bad = wrong.post("/api/v1/verifications", json=record)
        basic = anonymous.post("/api/v1/verifications", json=record, headers={"Authorization": f"Basic {TOKEN}"})
        accepted = good.post("/api/v1/verifications", json=record)
    assert missing.status_code == bad.status_code == basic.status_code == 401
    assert missing.headers["www-authenticate"].startswith("Bearer")
    assert accepted.status_code == 201


def test_logs_are_json_lines_without_tokens(tmp_path: Path) -> None:
    from tests.support.paths import CONTRACTS

    log = tmp_path / "log.txt"
    with start(CONTRACTS, f"sqlite:///{tmp_path / 'db.sqlite'}", output=log) as base:
        ok = httpx.post(base + "/api/v1/admin/reload", headers={"Authorization": f"Bearer {TOKEN}"})
        refused = httpx.post(base + "/api/v1/admin/reload", headers={"Authorization": "Bearer not-the-token-123"})
        metrics = httpx.get(base + "/metrics").text
    assert (ok.status_code, refused.status_code) == (200, 401)
    lines = [json.loads(line) for line in log.read_text().splitlines() if line.strip()]
    requests = [line for line in lines if line["message"] == "request"]
    assert {(r["route"], r["status"]) for r in requests} >= {
        ("/api/v1/admin/reload", 200),
        ("/api/v1/admin/reload", 401),
    }
    starting = next(line for line in lines if line["message"] == "starting")
    assert starting["settings"]["api_tokens"] == 2  # counted, never shown
    for text in (log.read_text(), metrics):
        assert TOKEN not in text and "not-the-token-123" not in text


def test_reads_can_be_closed_by_a_setting(tmp_path: Path) -> None:
    from tests.support.paths import CONTRACTS

    with start(
        CONTRACTS, f"sqlite:///{tmp_path / 'db.sqlite'}", extra_env={"CONTRACTS_READ_REQUIRES_TOKEN": "true"}
    ) as base:
        closed = httpx.get(base + "/api/v1/contracts")
        opened = httpx.get(base + "/api/v1/contracts", headers={"Authorization": f"Bearer {TOKEN}"})
        health = httpx.get(base + "/healthz")
    assert closed.status_code == 401
    assert opened.status_code == 200
    assert health.status_code == 200  # probes stay open


def test_bodies_over_the_limit_are_refused_with_413(tmp_path: Path) -> None:
    from tests.support.paths import CONTRACTS

    with start(
        CONTRACTS, f"sqlite:///{tmp_path / 'db.sqlite'}", extra_env={"CONTRACTS_MAX_BODY_BYTES": "2048"}
    ) as base:
        url = base + "/api/v1/contracts/recommendation-api/versions/1.0.0/validate"
        declared = httpx.post(url, content=b"x" * 4096)
        streamed = httpx.post(url, content=iter([b"[" + b"1," * 1500, b"1]"]))  # chunked: no Content-Length
        small = httpx.post(url, json={"operation": "getRecommendations", "direction": "request", "payload": {}})
    assert declared.status_code == 413
    assert streamed.status_code == 413
    assert declared.json()["detail"] == "request bodies are limited to 2048 bytes"
    assert small.status_code == 200


def test_names_and_versions_cannot_traverse_the_filesystem(service: Service) -> None:
    with service.client() as c:
        dots = c.get("/api/v1/contracts/..%2F..%2Fetc/versions/1.0.0")
        bad_name = c.get("/api/v1/contracts/..%2e/versions/1.0.0")
        bad_version = c.get("/api/v1/contracts/recommendation-api/versions/..1.0.0")
        encoded = c.get("/api/v1/contracts/recommendation-api/versions/1.0.0%2F..%2F..%2F2.0.0")
        ref = c.get(
            "/api/v1/can-i-deploy", params={"provider": "p", "version": "1", "contract": "../recommendation-api"}
        )
        mock = c.get("/mocks/..%2F..%2Fetc/1.0.0/passwd")
    for response in (dots, bad_name, bad_version, encoded, ref, mock):
        assert response.status_code in (404, 422), response.text
        assert response.headers["content-type"] == "application/problem+json"
        assert "root:" not in response.text
    assert bad_name.status_code == 422
    assert bad_name.json()["errors"][0]["pointer"] == "/name"
    assert bad_version.status_code == 422
    assert bad_version.json()["errors"][0]["pointer"] == "/version"
    assert encoded.status_code == 404  # a decoded "/" makes it another (unknown) route, never a folder
    assert mock.status_code == 422
