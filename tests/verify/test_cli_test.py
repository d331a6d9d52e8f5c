"""`contracts test`: exit statuses, JSON and JUnit output, options, over real HTTP."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

from tests.support.cli import Cli
from tests.support.servers import free_port


def test_reference_service_is_compliant(cli: Cli, reference_url: str, tmp_path: Path) -> None:
    junit = tmp_path / "report.xml"
    result = cli(
        "test",
        "recommendation-api@1.1.0",
        "--base-url",
        reference_url,
        "--max-examples",
        "25",
        "--seed",
        "3",
        "--junit-xml",
        str(junit),
        "--format",
        "json",
        "--exclude-check",  # latency depends on the machine's load; the SLO verdict has its own test
        "latency_slo",
    )
    assert result.exit_code == 0, result.stdout
    doc = json.loads(result.stdout)
    assert doc["ok"] is True and doc["failures"] == [] and doc["cases"] > 100
    assert {c["operation"] for c in doc["coverage"]} == {"getRecommendations", "getCurrentModel"}
    assert {lat["operation"] for lat in doc["latency"]} == {"getRecommendations", "getCurrentModel"}
    suites = ET.parse(junit).getroot()
    assert suites.get("failures") == "0" and len(suites.findall("testsuite")) == 2


def test_violations_exit_1_with_reproducible_findings(cli: Cli, variants_url: str, tmp_path: Path) -> None:
    junit = tmp_path / "report.xml"
    result = cli(
        "test",
        "recommendation-api@1.1.0",
        "--base-url",
        f"{variants_url}/errors-as-plain-json",
        "--seed",
        "1",
        "--max-examples",
        "10",
        "--junit-xml",
        str(junit),
        "--format",
        "json",
    )
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    failure = next(f for f in doc["failures"] if f["check"] == "response_media_type")
    assert set(failure) >= {"operation", "check", "message", "request", "response", "curl"}
    assert failure["response"]["status"] == 422 and "application/json" in failure["message"]
    failed = [tc for tc in ET.parse(junit).getroot().iter("testcase") if tc.find("failure") is not None]
    assert [tc.get("name") for tc in failed] == ["response_media_type"]


def test_text_output_gives_a_curl_line(cli: Cli, variants_url: str) -> None:
    result = cli(
        "test",
        "recommendation-api@1.1.0",
        "--base-url",
        f"{variants_url}/bad-model-version",
        "--operation",
        "getCurrentModel",
        "--seed",
        "1",
    )
    assert result.exit_code == 1
    assert "getCurrentModel · response_schema" in result.stdout
    assert f"curl -sS -i -X GET {variants_url}/bad-model-version/v1/models/current" in result.stdout
    assert "getRecommendations" not in result.stdout  # --operation filtered the run


def test_same_seed_same_cases(cli: Cli, reference_url: str) -> None:
    runs = [
        json.loads(
            cli(
                "test",
                "recommendation-api@1.1.0",
                "--base-url",
                reference_url,
                "--seed",
                "11",
                "--max-examples",
                "15",
                "--format",
                "json",
            ).stdout
        )
        for _ in range(2)
    ]
    assert runs[0]["cases"] == runs[1]["cases"] and runs[0]["seed"] == runs[1]["seed"] == 11


def test_headers_are_sent_with_every_request(cli: Cli, variants_url: str) -> None:
    result = cli(
        "test",
        "recommendation-api@1.1.0",
        "--base-url",
        f"{variants_url}/score-out-of-range",
        "--header",
        "X-Request-ID: qa-run-1",
        "--show-header",  # a --header's value is hidden in reports unless shown (tests/verify/test_redaction.py)
        "x-request-id",
        "--seed",
        "1",
        "--max-examples",
        "5",
        "--format",
        "json",
    )
    failure = json.loads(result.stdout)["failures"][0]
    assert failure["request"]["headers"]["X-Request-ID"] == "qa-run-1"
    assert "-H 'X-Request-ID: qa-run-1'" in failure["curl"]


def test_unreachable_api_exits_3_at_once(cli: Cli) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    result = cli("test", "recommendation-api@1.1.0", "--base-url", url)
    assert result.exit_code == 3
    assert f"the API at {url} cannot be reached" in result.stderr and "hint:" in result.stderr


def test_usage_errors_exit_2(cli: Cli, reference_url: str) -> None:
    cases = [
        (["--base-url", "127.0.0.1:8000"], "is not an http(s) URL"),
        (["--base-url", reference_url, "--rate-limit", "fast"], "is not a rate"),
        (["--base-url", reference_url, "--header", "no-colon"], "is not K:V"),
        (["--base-url", reference_url, "--operation", "nope"], "unknown operation 'nope'"),
        (["--base-url", reference_url, "--workers", "0"], "--workers must be at least 1"),
    ]
    for args, message in cases:
        result = cli("test", "recommendation-api@1.1.0", *args, "--format", "json")
        assert result.exit_code == 2, args
        assert message in json.loads(result.stdout)["error"]["message"]
    assert cli("test", "no-such-contract", "--base-url", reference_url).exit_code == 2


def test_rate_limit_and_workers_are_accepted(cli: Cli, reference_url: str) -> None:
    result = cli(
        "test",
        "recommendation-api@1.1.0",
        "--base-url",
        reference_url,
        "--operation",
        "getCurrentModel",
        "--rate-limit",
        "200/s",
        "--workers",
        "1",
        "--timeout",
        "5",
        "--max-examples",
        "1",
        "--seed",
        "1",
        "--format",
        "json",
    )
    assert result.exit_code == 0, result.stdout
    assert json.loads(result.stdout)["cases"] >= 2


def test_exclude_check_drops_that_check_and_refuses_unknown_names(cli: Cli, variants_url: str) -> None:
    base = f"{variants_url}/slow-without-exclusion"
    args = (
        "test",
        "recommendation-api@1.1.0",
        "--base-url",
        base,
        "--max-examples",
        "10",
        "--seed",
        "7",
        "--slo-samples",
        "100",
        "--format",
        "json",
    )
    slow = json.loads(cli(*args).stdout)
    assert any(f["check"] == "latency_slo" for f in slow["failures"])
    excluded = cli(*args, "--exclude-check", "latency_slo")
    assert excluded.exit_code == 0, excluded.stdout
    assert json.loads(excluded.stdout)["ok"] is True
    unknown = cli(*args, "--exclude-check", "nope")
    assert unknown.exit_code == 2
    assert "unknown check nope" in json.loads(unknown.stdout)["error"]["message"]


def test_an_unwritable_junit_path_is_refused_before_any_request(cli: Cli, tmp_path: Path) -> None:
    # The API is not running: had the run started, this would exit 3 (unreachable).
    url = f"http://127.0.0.1:{free_port()}"
    for path, reason in [(tmp_path, "it is a folder"), (tmp_path / "no" / "r.xml", "does not exist")]:
        result = cli(
            "test", "recommendation-api@1.1.0", "--base-url", url, "--junit-xml", str(path), "--format", "json"
        )
        assert result.exit_code == 2
        error = json.loads(result.stdout)["error"]
        assert reason in error["message"] and "--junit-xml" in error["hint"]
