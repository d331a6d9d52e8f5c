"""`contracts validate`: exit statuses, every problem reported with its pointer, bad input handled."""

from __future__ import annotations

import json
from pathlib import Path

from tests.support.cli import Cli

VALID = {
    "customer_id": "C0001234",
    "context": {"channel": "web", "locale": "en-GB", "timestamp": "2026-02-28T10:15:00Z"},
    "n": 3,
}


def test_valid_request_exits_0(cli: Cli, tmp_path: Path) -> None:
    payload = tmp_path / "p.json"
    payload.write_text(json.dumps(VALID))
    result = cli("validate", "recommendation-api@1.0.0", "--operation", "getRecommendations", "--request", str(payload))
    assert result.exit_code == 0, result.stdout
    assert "valid getRecommendations request" in result.stdout


def test_invalid_request_reports_every_violation_with_pointers(cli: Cli) -> None:
    bad = {"customer_id": "X1", "context": {"channel": "fax", "timestamp": "2026-02-30T10:00:00Z"}, "n": 0, "zzz": 1}
    result = cli(
        "validate",
        "recommendation-api@1.0.0",
        "-o",
        "POST /v1/recommendations",
        "--request",
        "--format",
        "json",
        input=json.dumps(bad),
    )
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert doc["ok"] is False
    found = {(p["pointer"], p["keyword"]) for p in doc["problems"]}
    assert found == {
        ("/customer_id", "pattern"),
        ("/context/channel", "enum"),
        ("/context/timestamp", "format"),
        ("/n", "minimum"),
        ("/zzz", "additionalProperties"),
    }
    assert all(p["schema_path"].startswith("contracts/recommendation-api/1.0.0/") for p in doc["problems"])


def test_response_validation_uses_the_status(cli: Cli) -> None:
    body = {"type": "about:blank", "title": "bad", "status": 422, "errors": [{"pointer": "/n", "message": "x"}]}
    ok = cli(
        "validate",
        "recommendation-api@1.0.0",
        "-o",
        "getRecommendations",
        "--response",
        "422",
        "--media-type",
        "application/problem+json",
        input=json.dumps(body),
    )
    assert ok.exit_code == 0, ok.stdout
    wrong = cli(
        "validate", "recommendation-api@1.0.0", "-o", "getRecommendations", "--response", "200", input=json.dumps(body)
    )
    assert wrong.exit_code == 1


def test_unknown_operation_exits_2_and_lists_operations(cli: Cli) -> None:
    result = cli("validate", "recommendation-api@1.1.0", "-o", "nope", "--request", input="{}")
    assert result.exit_code == 2
    assert "getRecommendations (POST /v1/recommendations)" in result.stderr
    assert "getCurrentModel (GET /v1/models/current)" in result.stderr


def test_unknown_contract_and_version_exit_2_listing_what_exists(cli: Cli) -> None:
    contract = cli("validate", "nope", "-o", "x", "--request", input="{}")
    assert contract.exit_code == 2
    assert "client-scoring, contracts-service, iris-classifier, recommendation-api" in contract.stderr
    version = cli("validate", "recommendation-api@9.9.9", "-o", "x", "--request", "--format", "json", input="{}")
    assert version.exit_code == 2
    assert json.loads(version.stdout)["error"]["available"] == ["1.0.0", "1.1.0", "1.2.0", "2.0.0"]


def test_undocumented_status_exits_2(cli: Cli) -> None:
    result = cli("validate", "recommendation-api@1.0.0", "-o", "getRecommendations", "--response", "418", input="{}")
    assert result.exit_code == 2
    assert "200, 422, 503" in result.stderr


def test_malformed_json_is_an_invalid_payload_not_a_traceback(cli: Cli) -> None:
    result = cli(
        "validate",
        "recommendation-api",
        "-o",
        "getRecommendations",
        "--request",
        "--format",
        "json",
        input='{"customer_id": ',
    )
    assert result.exit_code == 1
    problem = json.loads(result.stdout)["problems"][0]
    assert problem["message"].startswith("not valid JSON")
    assert "line 1" in problem["message"]


def test_deeply_nested_payload_is_refused_with_a_message(cli: Cli) -> None:
    result = cli(
        "validate",
        "recommendation-api",
        "-o",
        "getRecommendations",
        "--request",
        "--format",
        "json",
        input="[" * 5000 + "]" * 5000,
    )
    assert result.exit_code == 1
    assert "deeper than" in json.loads(result.stdout)["problems"][0]["message"]


def test_request_and_response_together_is_a_usage_error(cli: Cli) -> None:
    result = cli(
        "validate", "recommendation-api", "-o", "getRecommendations", "--request", "--response", "200", input="{}"
    )
    assert result.exit_code == 2
    assert "exactly one of --request or --response" in result.stderr


def test_missing_payload_file_is_a_usage_error(cli: Cli) -> None:
    result = cli("validate", "recommendation-api", "-o", "getRecommendations", "--request", "/nonexistent.json")
    assert result.exit_code == 2
    assert "not found" in result.stderr


def test_a_folder_as_payload_file_is_a_usage_error_that_says_so(cli: Cli, tmp_path: Path) -> None:
    result = cli("validate", "recommendation-api", "-o", "getRecommendations", "--request", str(tmp_path))
    assert result.exit_code == 2
    assert "is a folder" in result.stderr


def test_integers_beyond_64_bits_are_read_exactly(cli: Cli) -> None:
    payload = '{"customer_id": "C0001234", "context": {"channel": "web"}, "n": 123456789012345678901}'
    result = cli(
        "validate",
        "recommendation-api@1.0.0",
        "-o",
        "getRecommendations",
        "--request",
        "--format",
        "json",
        input=payload,
    )
    assert result.exit_code == 1
    [problem] = json.loads(result.stdout)["problems"]
    assert problem["message"] == "123456789012345678901 is greater than the maximum of 50"


def test_response_status_that_is_not_a_status_is_a_usage_error(cli: Cli) -> None:
    result = cli("validate", "recommendation-api", "-o", "getRecommendations", "--response", "abc", input="{}")
    assert result.exit_code == 2
    assert "--response 'abc' is not an HTTP status" in result.stderr
