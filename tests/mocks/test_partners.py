"""The mock as partners meet it from a browser or a client: CORS from the contract, security enforced,
``Prefer`` that cannot be honoured said plainly, ``Prefer: dynamic=true``, and ``--watch``."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from tests.mocks.conftest import variant_of_reco
from tests.support.servers import contracts_cmd, serve
from validator.compiled import CompiledContract
from validator.loader import load

NAME = "reco-secured"
REQUEST = {"customer_id": "C0001234", "context": {"channel": "web"}, "n": 3}
BEARER = {"authorization": "Bearer anything-goes"}


def _secure(document: dict[str, Any]) -> None:
    document["components"]["securitySchemes"] = {
        "bearer": {"type": "http", "scheme": "bearer"},
        "key": {"type": "apiKey", "in": "header", "name": "X-API-Key"},
    }
    document["security"] = [{"bearer": []}]
    document["paths"]["/v1/models/current"]["get"]["security"] = [{"key": []}, {}]  # optional credential
    document["paths"]["/v1/recommendations"]["post"]["parameters"] = [
        {"name": "X-Tenant", "in": "header", "required": False, "schema": {"type": "string"}}
    ]


@pytest.fixture(scope="module")
def secured(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return variant_of_reco(tmp_path_factory.mktemp("secured"), NAME, _secure)


def _mock(root: Path, *options: str) -> Any:
    argv = contracts_cmd("mock", f"{NAME}@1.0.0", "--port", "{port}", "--contracts-dir", str(root), *options)
    return serve(argv, ready_path="/__mock/health")


@pytest.fixture(scope="module")
def strict(secured: Path) -> Iterator[str]:
    with _mock(secured) as base:
        yield base


# -- security ---------------------------------------------------------------------------------------
def test_missing_credential_gets_401_with_a_challenge(strict: str) -> None:
    answer = httpx.post(strict + "/v1/recommendations", json=REQUEST)
    assert answer.status_code == 401
    assert answer.headers["www-authenticate"] == f'Bearer realm="{NAME}"'
    body = answer.json()
    assert body["status"] == 401 and "credentials required: bearer" in body["detail"]
    assert body["errors"][0]["location"] == "security"


def test_any_present_credential_is_accepted(strict: str) -> None:
    answer = httpx.post(strict + "/v1/recommendations", json=REQUEST, headers=BEARER)
    assert answer.status_code == 200, answer.text
    wrong_scheme = httpx.post(strict + "/v1/recommendations", json=REQUEST, headers={"authorization": "Basic eDp5"})
    assert wrong_scheme.status_code == 401


def test_credentials_are_checked_before_the_body(strict: str) -> None:
    assert httpx.post(strict + "/v1/recommendations", json={"n": 0}).status_code == 401


def test_optional_alternative_admits_anonymous_calls(strict: str) -> None:
    assert httpx.get(strict + "/v1/models/current").status_code == 200
    assert httpx.get(strict + "/v1/models/current", headers={"x-api-key": "k"}).status_code == 200


def test_lenient_answers_without_credentials(secured: Path) -> None:
    with _mock(secured, "--lenient") as base:
        assert httpx.post(base + "/v1/recommendations", json=REQUEST).status_code == 200


# -- CORS -------------------------------------------------------------------------------------------
def _preflight(base: str, path: str, method: str, origin: str, headers: str = "") -> httpx.Response:
    asked = {"origin": origin, "access-control-request-method": method}
    if headers:
        asked["access-control-request-headers"] = headers
    return httpx.options(base + path, headers=asked)


def test_preflight_lists_the_paths_methods_and_documented_headers(strict: str) -> None:
    answer = _preflight(
        strict,
        "/v1/recommendations",
        "POST",
        "http://localhost:3000",
        "content-type, authorization, x-tenant, x-unknown",
    )
    assert answer.status_code == 204
    assert answer.headers["access-control-allow-origin"] == "http://localhost:3000"
    assert answer.headers["access-control-allow-methods"] == "POST"
    assert answer.headers["access-control-allow-headers"] == "content-type, authorization, x-tenant"


def test_preflight_for_an_undocumented_method_is_refused(strict: str) -> None:
    answer = _preflight(strict, "/v1/recommendations", "DELETE", "http://localhost:3000")
    assert answer.status_code == 403
    assert "allowed: POST" in answer.json()["detail"]


def test_actual_answers_carry_the_cors_headers(strict: str) -> None:
    answer = httpx.post(
        strict + "/v1/recommendations", json=REQUEST, headers={**BEARER, "origin": "http://localhost:3000"}
    )
    assert answer.status_code == 200
    assert answer.headers["access-control-allow-origin"] == "http://localhost:3000"
    assert "x-request-id" in answer.headers["access-control-expose-headers"]
    unauthorised = httpx.post(strict + "/v1/recommendations", json=REQUEST, headers={"origin": "http://localhost:3000"})
    assert unauthorised.headers["access-control-allow-origin"] == "http://localhost:3000"  # the 401 is readable


def test_cors_origin_restricts_who_may_call(secured: Path) -> None:
    with _mock(secured, "--cors-origin", "https://partner.example") as base:
        allowed = _preflight(base, "/v1/models/current", "GET", "https://partner.example")
        assert allowed.status_code == 204
        refused = _preflight(base, "/v1/models/current", "GET", "http://evil.example")
        assert refused.status_code == 403
        assert "allowed origins: https://partner.example" in refused.json()["detail"]
        plain = httpx.get(base + "/v1/models/current", headers={"origin": "http://evil.example"})
        assert "access-control-allow-origin" not in plain.headers


# -- Prefer -----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("prefer", "reason"),
    [
        ("code=404", "code=404 is not a documented status"),
        ("example=nope", "example=nope is not a documented example"),
        ("code=422, example=returning-customer", "example=returning-customer is documented under 200, not 422"),
    ],
)
def test_unsatisfiable_prefer_lists_what_is_documented(strict: str, prefer: str, reason: str) -> None:
    answer = httpx.post(strict + "/v1/recommendations", json=REQUEST, headers={**BEARER, "prefer": prefer})
    assert answer.status_code == 400
    body = answer.json()
    assert reason in body["detail"]
    assert body["errors"][0]["location"] == "header:Prefer"
    assert body["statuses"] == ["200", "422", "503"]
    assert body["examples"]["returning-customer"] == 200
    assert "returning-customer (200)" in body["detail"]


def test_prefer_dynamic_answers_from_the_schema(strict: str, secured: Path) -> None:
    contract = load(f"{NAME}@1.0.0", secured)
    op = contract.operation("getRecommendations")
    compiled = CompiledContract(contract)
    example = httpx.post(strict + "/v1/recommendations", json=REQUEST, headers=BEARER).json()
    bodies = []
    for n in range(3):
        request = {**REQUEST, "customer_id": f"C000000{n}"}
        answer = httpx.post(strict + "/v1/recommendations", json=request, headers={**BEARER, "prefer": "dynamic=true"})
        assert answer.status_code == 200
        body = answer.json()
        assert compiled.validate_body(op, "response", body, status=200) == []
        bodies.append(body)
    assert example not in bodies  # not the example
    again = httpx.post(
        strict + "/v1/recommendations",
        json={**REQUEST, "customer_id": "C0000000"},
        headers={**BEARER, "prefer": "dynamic=true"},
    )
    assert again.json() == bodies[0]  # the same request, the same generated answer


# -- --watch ----------------------------------------------------------------------------------------
def _wait_for(check: Any, timeout: float = 30.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.2)
    return False


def test_watch_reloads_a_good_version_and_keeps_it_over_a_broken_one(tmp_path: Path) -> None:
    root = variant_of_reco(tmp_path, NAME, lambda d: None)
    document = root / NAME / "1.0.0" / "openapi.yaml"
    log = tmp_path / "mock.log"
    argv = contracts_cmd("mock", f"{NAME}@1.0.0", "--port", "{port}", "--contracts-dir", str(root), "--watch")
    with serve(argv, ready_path="/__mock/health", output=log) as base:

        def summary() -> str:
            spec = httpx.get(base + "/__mock/openapi.json").json()
            return str(spec["paths"]["/v1/models/current"]["get"]["summary"])

        edited = yaml.safe_load(document.read_text())
        edited["paths"]["/v1/models/current"]["get"]["summary"] = "Edited while the mock runs"
        document.write_text(yaml.safe_dump(edited))
        assert _wait_for(lambda: summary() == "Edited while the mock runs"), log.read_text()

        edited["info"]["version"] = "7.0.0"  # no longer lints: info.version differs from its folder
        edited["paths"]["/v1/models/current"]["get"]["summary"] = "Broken"
        document.write_text(yaml.safe_dump(edited))
        assert _wait_for(lambda: "kept" in log.read_text()), log.read_text()
        assert summary() == "Edited while the mock runs"
        assert httpx.get(base + "/v1/models/current").status_code == 200
    text = log.read_text()
    assert "--watch: reloaded reco-secured@1.0.0" in text
    assert "--watch: kept reco-secured@1.0.0 as it was: the new version does not lint" in text
