"""`contracts lint` over x-relations, x-sum and x-sorted: declarations, locations, paired examples."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from tests.support.paths import CONTRACTS


def _lint(cli: Any, root: Path, ref: str) -> list[dict[str, Any]]:
    result = cli("lint", ref, "--contracts-dir", str(root), "--format", "json")
    problems: list[dict[str, Any]] = json.loads(result.stdout)["problems"]
    assert result.exit_code == (1 if problems else 0)
    return problems


def _edit(root: Path, ref: str, change: Any) -> None:
    name, version = ref.split("@")
    path = root / name / version / "openapi.yaml"
    doc = yaml.safe_load(path.read_text())
    change(doc)
    path.write_text(yaml.safe_dump(doc, sort_keys=False))


def test_the_shipped_contracts_with_relations_are_clean(cli: Any) -> None:
    assert _lint(cli, CONTRACTS, "client-scoring@1.1.0") == []
    assert _lint(cli, CONTRACTS, "recommendation-api@1.2.0") == []


def test_locations_of_the_wrong_kind_are_found(cli: Any, contracts_copy: Path) -> None:
    def change(doc: Any) -> None:
        op = doc["paths"]["/v1/recommendations"]["post"]
        op["x-relations"] = [
            {"kind": "at-most", "request": "body:/customer_id", "response": "body:/recommendations"},
            {"kind": "batch", "request": "body:/candidate_products", "response": "body:/model_version"},
            {"kind": "echo", "request": "header:X-Nope", "response": "header:X-Request-ID"},
            {"kind": "stable", "response": "body:/no_such_member"},
            {"kind": "echo", "request": "query:q", "response": "header:X-Undocumented"},
            {"kind": "wobbly", "response": "body:/variant"},
        ]

    _edit(contracts_copy, "recommendation-api@1.2.0", change)
    problems = _lint(cli, contracts_copy, "recommendation-api@1.2.0")
    messages = {(p["keyword"], p["message"].split(": ", 1)[1]) for p in problems}
    texts = " | ".join(p["message"] for p in problems)
    assert ("x-relations", "kind 'wobbly' is not one of batch, echo, at-most, stable, variant") in messages, texts
    assert "body:/customer_id: the request schema makes it string, a integer or number is needed" in texts
    assert "body:/model_version: the response schema makes it string, a array is needed" in texts
    assert "header:X-Nope: no header parameter 'X-Nope' is declared" in texts
    assert "body:/no_such_member: the response schema has no member there" in texts
    assert "header:X-Undocumented: no 2xx response of getRecommendations documents the header" in texts
    assert all(p["file"].endswith("1.2.0/openapi.yaml") and p["line"] for p in problems)


def test_a_paired_example_breaking_a_relation_is_found(cli: Any, contracts_copy: Path) -> None:
    def change(doc: Any) -> None:
        op = doc["paths"]["/v1/campaigns/{campaign_id}/scores"]["post"]
        example = op["responses"]["200"]["content"]["application/json"]["examples"]["small-batch"]["value"]
        example["scores"].reverse()

    _edit(contracts_copy, "client-scoring@1.1.0", change)
    (problem,) = _lint(cli, contracts_copy, "client-scoring@1.1.0")
    assert problem["keyword"] == "x-relations/batch"
    assert problem["message"].startswith("scoreClients example 'small-batch': /scores/0/client_id")
    assert problem["pointer"].endswith("/examples/small-batch/value/scores/0/client_id")


def test_examples_breaking_x_sum_or_x_sorted_or_stable_are_found(cli: Any, contracts_copy: Path) -> None:
    def change(doc: Any) -> None:
        op = doc["paths"]["/v1/recommendations"]["post"]
        examples = op["responses"]["200"]["content"]["application/json"]["examples"]
        examples["returning-customer"]["value"]["recommendations"].reverse()
        examples["cold-start"]["value"]["model_version"] = "reco-2026.03.1"

    _edit(contracts_copy, "recommendation-api@1.2.0", change)
    keywords = sorted(p["keyword"] for p in _lint(cli, contracts_copy, "recommendation-api@1.2.0"))
    assert keywords == ["x-relations/stable", "x-sorted"]


def test_malformed_x_sum_and_x_sorted_are_found(cli: Any, contracts_copy: Path) -> None:
    def change(doc: Any) -> None:
        recs = doc["components"]["schemas"]["RecommendationResponse"]["properties"]["recommendations"]
        recs["x-sorted"] = {"order": "sideways"}
        doc["components"]["schemas"]["ModelInfo"]["properties"]["variants"]["x-sum"] = {"tolerance": 1}

    _edit(contracts_copy, "recommendation-api@1.2.0", change)
    messages = " | ".join(p["message"] for p in _lint(cli, contracts_copy, "recommendation-api@1.2.0"))
    assert "sideways" in messages and "equals" in messages


def test_a_paired_example_is_judged_with_the_parameter_values_its_request_is_filled_in_with(
    cli: Any, contracts_copy: Path
) -> None:
    # No path example is named small-batch any more: its request (as tested, as the mock matches it) takes
    # the schema's default, which the campaign id echo then binds the example to.
    def change(doc: Any) -> None:
        campaign = doc["components"]["parameters"]["CampaignId"]
        del campaign["examples"]["small-batch"]
        campaign["schema"]["default"] = "autumn-push"

    _edit(contracts_copy, "client-scoring@1.1.0", change)
    (problem,) = _lint(cli, contracts_copy, "client-scoring@1.1.0")
    assert problem["keyword"] == "x-relations/echo"
    assert '"autumn-push"' in problem["message"] and "path:campaign_id" in problem["message"]
    assert problem["pointer"].endswith("/examples/small-batch/value/campaign_id")
