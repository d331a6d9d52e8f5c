"""Round trip on an OpenAPI 3.0 description: the mock answers its examples, `contracts test` finds nothing."""

from __future__ import annotations

import json

import httpx

from tests.support.cli import Cli
from tests.support.paths import ROOT
from tests.support.servers import contracts_cmd, serve

VERSIONS = ROOT / "tests" / "data" / "openapi-versions"


def test_the_mock_of_a_30_description_answers_its_examples_and_passes_its_contract_test(cli: Cli) -> None:
    argv = contracts_cmd("mock", "pets@1.0.0", "--port", "{port}", "--contracts-dir", str(VERSIONS))
    with serve(argv, ready_path="/__mock/health") as base:
        pet = httpx.get(f"{base}/pets/1", timeout=10)
        added = httpx.post(f"{base}/pets", json={"name": "Rex", "kind": "dog", "owner": {"name": "Ann"}}, timeout=10)
        # nullable beside a $ref (owner) and beside an enum (kind) admit null in requests too
        nulls = httpx.post(f"{base}/pets", json={"name": "Rex", "kind": None, "owner": None}, timeout=10)
        result = cli(
            "test", "pets@1.0.0", "--base-url", base, "--contracts-dir", str(VERSIONS), "--max-examples", "10",
            "--seed", "3", "--format", "json", "--exclude-check", "latency_slo",
        )  # fmt: skip
    assert pet.status_code == 200 and pet.json() == {
        "name": "Rex", "tag": None, "owner": None, "kind": None, "age": 3, "photo": "aGk=",
    }  # fmt: skip
    assert added.status_code == 201 and added.json()["age"] is None
    assert nulls.status_code == 201
    doc = json.loads(result.stdout)
    assert result.exit_code == 0, [(f["operation"], f["check"], f["message"]) for f in doc["failures"]]
    assert doc["cases"] > 0 and doc["notes"][0]["kind"] == "converted"


def test_the_mock_of_a_32_description_serves_query_and_additional_operations(cli: Cli) -> None:
    argv = contracts_cmd("mock", "search@1.0.0", "--port", "{port}", "--contracts-dir", str(VERSIONS))
    with serve(argv, ready_path="/__mock/health") as base:
        found = httpx.request("QUERY", f"{base}/products", json={"text": "shoes", "limit": 2}, timeout=10)
        refused = httpx.request("QUERY", f"{base}/products", json={"text": ""}, timeout=10)
        purged = httpx.request("PURGE", f"{base}/cache", timeout=10)
        result = cli(
            "test", "search@1.0.0", "--base-url", base, "--contracts-dir", str(VERSIONS), "--max-examples", "5",
            "--seed", "3", "--format", "json", "--exclude-check", "latency_slo",
        )  # fmt: skip
    assert found.status_code == 200 and [p["id"] for p in found.json()] == ["p1", "p2"]
    assert refused.status_code == 422 and refused.json()["errors"][0]["pointer"] == "/text"
    assert purged.status_code == 204
    doc = json.loads(result.stdout)
    assert result.exit_code == 0, [(f["operation"], f["check"], f["message"]) for f in doc["failures"]]
    cases = {c["operation"]: c["cases"] for c in doc["coverage"]}
    assert cases["searchProducts"] > 0 and doc["notes"][0]["kind"] == "openapi-3.2"
