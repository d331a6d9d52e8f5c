"""Record traffic through the proxy, replay it against another deployment: checks, and changed answers."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.proxy.conftest import CONTRACT, running_proxy
from tests.support.paths import CONTRACTS
from tests.support.servers import contracts_cmd
from validator.compiled import CompiledContract
from validator.loader import load
from validator.verify.runner import Options, run

COMPILED = CompiledContract(load(CONTRACT, CONTRACTS))
# Values that differ on every call by design: left out of the comparison.
VOLATILE = ("--ignore", "/request_id", "--ignore", "/generated_at")


@pytest.fixture(scope="module")
def recording(variants_url: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The contract tests' traffic to the reference service, recorded by the proxy (which is then stopped)."""
    path = tmp_path_factory.mktemp("recording") / "traffic.ndjson"
    with running_proxy(f"{variants_url}/reference", "--record", str(path)) as base:
        run(COMPILED, Options(base_url=base, max_examples=5, seed=3, workers=2))
    return path


def _replay(base_url: str, recording: Path, *extra: str) -> tuple[int, dict[str, Any]]:
    argv = contracts_cmd("test", CONTRACT, "--base-url", base_url, "--replay", str(recording), "--format", "json")
    done = subprocess.run([*argv, *extra], capture_output=True, text=True, timeout=300)
    return done.returncode, json.loads(done.stdout)


def test_replay_against_the_same_model_finds_no_change(variants_url: str, recording: Path) -> None:
    lines = recording.read_text().splitlines()
    code, report = _replay(f"{variants_url}/reference", recording, "--compare", *VOLATILE)
    assert report["replay"]["recorded"] == len(lines) > 50
    assert report["replay"]["compared"] > 50
    assert report["replay"]["changed"] == 0, report["replay"]
    assert code == 0, report["failures"]


def test_replay_against_a_changed_model_reports_the_changed_answers(variants_url: str, recording: Path) -> None:
    code, report = _replay(f"{variants_url}/scores-with-long-decimals", recording, "--compare", *VOLATILE)
    assert code == 1
    summary = report["replay"]
    assert 0 < summary["changed"] <= summary["compared"]
    largest = summary["largest"][0]
    assert largest["pointer"].startswith("/recommendations/") and largest["pointer"].endswith("/score")
    assert largest["difference"] > 0
    differences = [d["difference"] for d in summary["largest"]]
    assert differences == sorted(differences, reverse=True)
    # The new model still honours the contract: the only findings are the changed answers.
    assert {f["check"] for f in report["failures"]} == {"replay_match"}
    failure = report["failures"][0]
    assert failure["occurrences"] == summary["changed"] and "recorded" in failure["response"]


def test_replay_without_compare_checks_answers_against_the_contract(variants_url: str, recording: Path) -> None:
    code, report = _replay(f"{variants_url}/score-out-of-range", recording)
    assert code == 1
    assert "compared" not in report["replay"]
    assert ("getRecommendations", "response_schema") in {(f["operation"], f["check"]) for f in report["failures"]}


def test_tolerance_absorbs_small_numeric_changes(variants_url: str, recording: Path) -> None:
    _, exact = _replay(f"{variants_url}/scores-with-long-decimals", recording, "--compare", *VOLATILE)
    _, loose = _replay(
        f"{variants_url}/scores-with-long-decimals", recording, "--compare", "--tolerance", "1", *VOLATILE
    )
    assert loose["replay"]["changed"] < exact["replay"]["changed"]
    assert loose["replay"]["largest"] == []


def test_recording_leaves_credentials_and_redacted_headers_out(variants_url: str, tmp_path: Path) -> None:
    path = tmp_path / "traffic.ndjson"
    example = COMPILED.contract.operation("getRecommendations").interactions["returning-customer"].request
    secret = {"Authorization": "Bearer s3cret", "X-Api-Key": "k3y", "Cookie": "session=abc", "X-Trace": "t-1"}
    with running_proxy(f"{variants_url}/reference", "--record", str(path), "--redact", "X-Api-Key") as base:
        assert httpx.post(f"{base}/v1/recommendations", json=example, headers=secret).status_code == 200
        sample = httpx.get(f"{base}/__proxy/report").text
    text = path.read_text()
    assert "s3cret" not in text and "k3y" not in text and "session=abc" not in text
    (line,) = [json.loads(x) for x in text.splitlines()]
    assert dict(line["request"]["headers"])["x-trace"] == "t-1"
    assert json.loads(line["request"]["body"]) == example
    assert line["response"]["status"] == 200 and json.loads(line["response"]["body"])["recommendations"]
    assert "s3cret" not in sample


def test_truncated_bodies_are_not_replayed(variants_url: str, tmp_path: Path) -> None:
    path = tmp_path / "traffic.ndjson"
    example = COMPILED.contract.operation("getRecommendations").interactions["returning-customer"].request
    with running_proxy(f"{variants_url}/reference", "--record", str(path), "--record-body-bytes", "16") as base:
        httpx.post(f"{base}/v1/recommendations", json=example)
        httpx.get(f"{base}/v1/models/current")
    code, report = _replay(f"{variants_url}/reference", path)
    assert report["replay"]["skipped"]["truncated"] == 1 and report["replay"]["replayed"] == 1
    assert code == 0


def test_a_file_that_is_not_a_recording_is_a_usage_error(variants_url: str, tmp_path: Path) -> None:
    path = tmp_path / "bad.ndjson"
    path.write_text('{"request": {"method": "GET", "path": "/v1/models/current"}}\nnot json\n')
    code, report = _replay(f"{variants_url}/reference", path)
    assert code == 2 and "line 2" in report["error"]["message"]
