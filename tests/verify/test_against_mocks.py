"""Round trip: `contracts test` against `contracts mock` of every example contract must pass."""

from __future__ import annotations

import json

import httpx
import pytest

from tests.support.cli import Cli
from tests.support.paths import CONTRACTS, QA_CONTRACTS
from tests.support.servers import contracts_cmd, serve
from validator.refs import list_contracts, list_versions

VERSIONS = [f"{name}@{version}" for name in list_contracts(CONTRACTS) for version in list_versions(CONTRACTS, name)]


@pytest.mark.parametrize("ref", VERSIONS)
def test_contract_test_passes_against_the_mock(cli: Cli, ref: str) -> None:
    argv = contracts_cmd("mock", ref, "--host", "127.0.0.1", "--port", "{port}", "--contracts-dir", str(CONTRACTS))
    with serve(argv) as base:
        # The mock promises no latency (it simulates none unless told to), and a loaded CI machine
        # must not turn timing into a verdict here: the SLO check has its own deterministic test.
        result = cli(
            "test",
            ref,
            "--base-url",
            base,
            "--max-examples",
            "15",
            "--seed",
            "5",
            "--format",
            "json",
            "--exclude-check",
            "latency_slo",
        )
    doc = json.loads(result.stdout)
    assert result.exit_code == 0, [(f["operation"], f["check"], f["message"], f["curl"]) for f in doc["failures"]]
    assert doc["ok"] is True and doc["cases"] > 0


def test_the_mock_answers_interactions_by_their_parameters_and_asks_for_credentials(cli: Cli) -> None:
    # recommendation-qa: getModel's interactions differ only in parameters (unknown_version is a 404),
    # submitFeedback declares bearer security, so a request without a token must get 401.
    argv = contracts_cmd("mock", "recommendation-qa@1.0.0", "--port", "{port}", "--contracts-dir", str(QA_CONTRACTS))
    with serve(argv) as base:
        assert httpx.get(base + "/v1/models/logit?version=9.9.9").status_code == 404
        assert httpx.get(base + "/v1/models/gbm").json()["model_id"] == "gbm"
        assert httpx.get(base + "/v1/models/logit?version=1.0.0").json()["version"] == "1.0.0"
        # gbm with logit's version is no interaction: the first 2xx example answers, not the 404.
        assert httpx.get(base + "/v1/models/gbm?version=9.9.9").status_code == 200
        click = {"customer_id": "C0001234", "product_id": "P00042", "event": "click"}
        assert httpx.post(base + "/v1/feedback", json=click).status_code == 401
        token = {"Authorization": "Bearer t"}
        assert httpx.post(base + "/v1/feedback", json=click, headers=token).status_code == 202
        result = cli(
            "test",
            "recommendation-qa@1.0.0",
            "--base-url",
            base,
            "--contracts-dir",
            str(QA_CONTRACTS),
            "--header",
            "Authorization: Bearer t",
            "--max-examples",
            "10",
            "--seed",
            "3",
            "--format",
            "json",
            "--exclude-check",
            "latency_slo",
        )
    doc = json.loads(result.stdout)
    assert result.exit_code == 0, [(f["operation"], f["check"], f["message"], f["curl"]) for f in doc["failures"]]
