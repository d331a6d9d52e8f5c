"""Round trip: `contracts test` against `contracts mock` of every example contract must pass."""

from __future__ import annotations

import json

import pytest

from tests.support.paths import CONTRACTS
from tests.support.servers import contracts_cmd, serve
from validator.refs import list_contracts, list_versions

VERSIONS = [f"{name}@{version}" for name in list_contracts(CONTRACTS) for version in list_versions(CONTRACTS, name)]


@pytest.mark.parametrize("ref", VERSIONS)
def test_contract_test_passes_against_the_mock(cli, ref: str) -> None:
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
