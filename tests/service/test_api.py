"""Every endpoint over real HTTP, on SQLite and on PostgreSQL (the ``service`` fixture runs both)."""

from __future__ import annotations

import json
import uuid

import yaml

from tests.support.cli import Cli
from validator.loader import load_document
from validator.problems import Problem

from .conftest import TOKEN, Service

VALID = {"customer_id": "C0001234", "context": {"channel": "web"}, "n": 3}


def _record(provider: str, build: str, version: str, ok: bool = True, **more: object) -> dict[str, object]:
    return {
        "provider": provider,
        "provider_version": build,
        "contract": "recommendation-api",
        "contract_version": version,
        "ok": ok,
        **more,
    }


def test_lists_contracts_with_versions_and_latest(service: Service) -> None:
    with service.client() as c:
        body = c.get("/api/v1/contracts").json()
        one = c.get("/api/v1/contracts/recommendation-api").json()
    assert {"name": "recommendation-api", "versions": ["1.0.0", "1.1.0", "1.2.0", "2.0.0"], "latest": "2.0.0"} in body[
        "contracts"
    ]
    assert one["versions"] == ["1.0.0", "1.1.0", "1.2.0", "2.0.0"]


def test_version_is_one_self_contained_document_in_json_and_yaml(service: Service) -> None:
    with service.client() as c:
        as_json = c.get("/api/v1/contracts/recommendation-api/versions/1.1.0")
        as_yaml = c.get("/api/v1/contracts/recommendation-api/versions/1.1.0", headers={"Accept": "application/yaml"})
    assert as_json.headers["content-type"] == "application/json"
    assert as_yaml.headers["content-type"].startswith("application/yaml")
    document = as_json.json()
    assert yaml.safe_load(as_yaml.text) == document
    refs = json.dumps(document)
    assert "schemas/recommendation-request.schema.json" not in refs
    assert "recommendation-request" in document["components"]["schemas"]
    # Loaded with no folder at all (so no file can be read), it still resolves and validates.
    contract = load_document(document)
    assert contract.operation("getRecommendations").request_body is not None


def test_lists_operations(service: Service) -> None:
    with service.client() as c:
        body = c.get("/api/v1/contracts/recommendation-api/versions/1.1.0/operations").json()
    ops = {o["operation_id"]: o for o in body["operations"]}
    assert set(ops) == {"getRecommendations", "getCurrentModel"}
    assert ops["getRecommendations"]["method"] == "POST"
    assert ops["getRecommendations"]["responses"] == ["200", "422", "503"]
    assert "cold-start" in ops["getRecommendations"]["interactions"]


def test_validate_gives_the_report_of_contracts_validate(service: Service, cli: Cli) -> None:
    bad = {"customer_id": "X1", "context": {"channel": "fax"}, "n": 0}
    with service.client() as c:
        good = c.post(
            "/api/v1/contracts/recommendation-api/versions/1.0.0/validate",
            json={"operation": "getRecommendations", "direction": "request", "payload": VALID},
        )
        invalid = c.post(
            "/api/v1/contracts/recommendation-api/versions/1.0.0/validate",
            json={"operation": "POST /v1/recommendations", "direction": "request", "payload": bad},
        )
    assert good.status_code == 200 and good.json()["ok"] is True
    from_cli = cli(
        "validate",
        "recommendation-api@1.0.0",
        "-o",
        "POST /v1/recommendations",
        "--request",
        "--format",
        "json",
        input=json.dumps(bad),
    )
    assert invalid.status_code == 200
    assert invalid.json() == json.loads(from_cli.stdout)
    assert {p["pointer"] for p in invalid.json()["problems"]} == {"/customer_id", "/context/channel", "/n"}


def test_validate_a_response_by_status(service: Service) -> None:
    problem = {"type": "about:blank", "title": "bad", "status": 422, "errors": [{"pointer": "/n", "message": "x"}]}
    with service.client() as c:
        ok = c.post(
            "/api/v1/contracts/recommendation-api/versions/1.0.0/validate",
            json={
                "operation": "getRecommendations",
                "direction": "response",
                "status": 422,
                "media_type": "application/problem+json",
                "payload": problem,
            },
        )
        unknown_status = c.post(
            "/api/v1/contracts/recommendation-api/versions/1.0.0/validate",
            json={"operation": "getRecommendations", "direction": "response", "status": 418, "payload": {}},
        )
        no_status = c.post(
            "/api/v1/contracts/recommendation-api/versions/1.0.0/validate",
            json={"operation": "getRecommendations", "direction": "response", "payload": {}},
        )
        no_payload = c.post(
            "/api/v1/contracts/recommendation-api/versions/1.0.0/validate",
            json={"operation": "getRecommendations", "direction": "request"},
        )
    assert ok.json()["ok"] is True
    assert unknown_status.status_code == 404
    assert unknown_status.json()["available"] == ["200", "422", "503"]
    assert no_status.status_code == 422
    assert no_status.json()["errors"][0]["pointer"] == "/status"
    assert no_payload.status_code == 422  # a missing payload is not a null one
    assert [e["pointer"] for e in no_payload.json()["errors"]] == ["/payload"]


def test_unknown_contract_version_and_operation_are_404_listing_what_exists(service: Service) -> None:
    with service.client() as c:
        contract = c.get("/api/v1/contracts/nope/versions/1.0.0")
        version = c.get("/api/v1/contracts/recommendation-api/versions/9.9.9")
        operation = c.post(
            "/api/v1/contracts/recommendation-api/versions/1.1.0/validate",
            json={"operation": "nope", "direction": "request", "payload": {}},
        )
    assert contract.status_code == 404
    assert contract.json()["available"] == [
        "client-scoring",
        "contracts-service",
        "iris-classifier",
        "recommendation-api",
    ]
    assert version.json()["available"] == ["1.0.0", "1.1.0", "1.2.0", "2.0.0"]
    assert operation.status_code == 404
    assert operation.headers["content-type"] == "application/problem+json"
    assert "getCurrentModel (GET /v1/models/current)" in operation.json()["available"]


def test_malformed_bodies_are_422_with_pointers(service: Service) -> None:
    url = "/api/v1/contracts/recommendation-api/versions/1.1.0/validate"
    with service.client() as c:
        not_json = c.post(url, content=b'{"operation": ', headers={"Content-Type": "application/json"})
        wrong_field = c.post(url, json={"operation": "getRecommendations", "direction": "sideways"})
        deep = c.post(url, content=b"[" * 5000 + b"]" * 5000)
    assert not_json.status_code == 422
    assert not_json.json()["errors"][0]["message"].startswith("not valid JSON")
    assert wrong_field.status_code == 422
    assert wrong_field.json()["errors"][0]["pointer"] == "/direction"
    assert deep.status_code == 422
    assert "deeper than" in deep.json()["errors"][0]["message"]


def test_values_off_pattern_are_explained_with_a_hint_not_a_regex(service: Service) -> None:
    with service.client(TOKEN) as c:
        diff = c.get("/api/v1/contracts/recommendation-api/diff", params={"from": "1.0", "to": "1.1.0"})
        deploy = c.get("/api/v1/can-i-deploy", params={"provider": "p", "version": "v", "contract": "/etc/passwd"})
        against = c.post(
            "/api/v1/contracts/recommendation-api/compatibility", json={"document": {}, "against": "newest"}
        )
        record = c.post("/api/v1/verifications", json=_record("p", "b", "1.1.0") | {"contract": "../etc"})
    expected = [
        (diff, "/from", "'1.0' is not a semantic version", "1.2.0"),
        (deploy, "/contract", "'/etc/passwd' is not a contract reference", "recommendation-api@1.1.0"),
        (against, "/against", "'newest' is not latest, major or a version", "latest"),
        (record, "/contract", "'../etc' is not a contract name", "kebab-case"),
    ]
    for response, pointer, message, hint in expected:
        assert response.status_code == 422
        [error] = response.json()["errors"]
        assert error["pointer"] == pointer
        assert error["message"] == message
        assert hint in error["hint"]


def test_verification_is_stored_listed_and_fetched(service: Service) -> None:
    provider = f"reco-{uuid.uuid4().hex[:8]}"
    report = {
        "ok": False,
        "cases": 40,
        "failures": [
            {
                "operation": "getRecommendations",
                "check": "status",
                "message": "x",
                "request": {},
                "response": {},
                "curl": "",
            }
        ],
    }
    with service.client(TOKEN) as c:
        created = c.post("/api/v1/verifications", json=_record(provider, "abc123", "1.1.0", ok=False, report=report))
        other = c.post("/api/v1/verifications", json=_record(provider, "def456", "1.1.0"))
        listed = c.get("/api/v1/verifications", params={"provider": provider}).json()["verifications"]
        by_build = c.get("/api/v1/verifications", params={"provider": provider, "provider_version": "abc123"})
        failing = c.get("/api/v1/verifications", params={"provider": provider, "ok": "false"}).json()
        fetched = c.get(created.headers["location"])
    assert created.status_code == 201, created.text
    record = created.json()
    assert record["cases"] == 40 and record["failures"] == 1  # counts taken from the report
    assert record["report"] == report and record["created_at"].endswith("Z")
    assert [r["id"] for r in listed] == [other.json()["id"], record["id"]]  # newest first
    assert [r["provider_version"] for r in by_build.json()["verifications"]] == ["abc123"]
    assert [r["id"] for r in failing["verifications"]] == [record["id"]]
    assert fetched.json() == record


def test_verification_for_unknown_contract_version_is_404(service: Service) -> None:
    with service.client(TOKEN) as c:
        response = c.post("/api/v1/verifications", json=_record("p", "1", "7.0.0"))
        missing = c.get("/api/v1/verifications/999999999")
    assert response.status_code == 404
    assert response.json()["available"] == ["1.0.0", "1.1.0", "1.2.0", "2.0.0"]
    assert missing.status_code == 404


def test_can_i_deploy_says_why(service: Service) -> None:
    provider = f"reco-{uuid.uuid4().hex[:8]}"
    ask = {"provider": provider, "contract": "recommendation-api@1.1.0"}
    with service.client(TOKEN) as c:
        none = c.get("/api/v1/can-i-deploy", params={**ask, "version": "b1"}).json()
        c.post("/api/v1/verifications", json=_record(provider, "b1", "1.0.0"))
        older = c.get("/api/v1/can-i-deploy", params={**ask, "version": "b1"}).json()
        c.post("/api/v1/verifications", json=_record(provider, "b1", "1.1.0", ok=False, failures=2))
        failing = c.get("/api/v1/can-i-deploy", params={**ask, "version": "b1"}).json()
        passed = c.post("/api/v1/verifications", json=_record(provider, "b1", "1.1.0")).json()
        yes = c.get("/api/v1/can-i-deploy", params={**ask, "version": "b1"}).json()
        by_major = c.get("/api/v1/can-i-deploy", params={**ask, "contract": "recommendation-api@1.1", "version": "b1"})
        other_build = c.get("/api/v1/can-i-deploy", params={**ask, "version": "b2"}).json()
    assert none["ok"] is False and "no verification" in none["reason"] and none["verifications"] == []
    assert older["ok"] is False and "only against recommendation-api@1.0.0" in older["reason"]
    assert failing["ok"] is False and "failed" in failing["reason"]
    assert yes["ok"] is True and yes["verifications"][0]["id"] == passed["id"]
    assert by_major.json()["ok"] is True and by_major.json()["contract_version"] == "1.1.0"
    assert other_build["ok"] is False


def test_can_i_deploy_with_unknown_contract_is_404(service: Service) -> None:
    with service.client() as c:
        response = c.get("/api/v1/can-i-deploy", params={"provider": "p", "version": "1", "contract": "nope"})
        missing = c.get("/api/v1/can-i-deploy", params={"provider": "p"})
    assert response.status_code == 404
    assert missing.status_code == 422
    assert {e["pointer"] for e in missing.json()["errors"]} == {"/version", "/contract"}


def test_health_readiness_and_metrics(service: Service) -> None:
    with service.client() as c:
        c.post(
            "/api/v1/contracts/client-scoring/versions/1.0.0/validate",
            json={"operation": "nope", "direction": "request", "payload": {}},
        )
        c.post(
            "/api/v1/contracts/recommendation-api/versions/1.0.0/validate",
            json={"operation": "getRecommendations", "direction": "request", "payload": VALID},
        )
        assert c.get("/healthz").json() == {"status": "ok"}
        ready = c.get("/readyz")
        metrics = c.get("/metrics").text
    assert ready.status_code == 200 and ready.json()["database"] == "ok"
    assert (
        'contracts_validations_total{contract="recommendation-api",operation="getRecommendations",outcome="valid"}'
    ) in metrics
    assert (
        'contracts_http_requests_total{method="POST",route="/api/v1/contracts/{name}/versions/{version}/'
        'validate",status="404"}'
    ) in metrics


def test_reload_picks_up_a_new_version_and_needs_a_token(service: Service) -> None:
    import shutil

    target = service.contracts / "client-scoring" / "1.2.0"
    shutil.copytree(service.contracts / "client-scoring" / "1.1.0", target)
    openapi = target / "openapi.yaml"
    openapi.write_text(openapi.read_text().replace("version: 1.1.0", "version: 1.2.0", 1))
    try:
        with service.client() as anonymous:
            refused = anonymous.post("/api/v1/admin/reload")
            before = anonymous.get("/api/v1/contracts/client-scoring").json()
        with service.client(TOKEN) as admin:
            reloaded = admin.post("/api/v1/admin/reload")
            after = admin.get("/api/v1/contracts/client-scoring").json()
    finally:
        shutil.rmtree(target)
        with service.client(TOKEN) as admin:
            admin.post("/api/v1/admin/reload")
    assert refused.status_code == 401
    assert before["versions"] == ["1.0.0", "1.1.0"]
    assert reloaded.status_code == 200
    assert after["versions"] == ["1.0.0", "1.1.0", "1.2.0"]


def test_unknown_route_is_a_problem_not_a_bare_404(service: Service) -> None:
    with service.client() as c:
        response = c.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"


def test_problem_type_is_not_validated_here() -> None:
    # The Problem type stays importable: the service reports the core's findings unchanged.
    assert Problem("", "x").to_dict() == {"pointer": "", "message": "x"}
