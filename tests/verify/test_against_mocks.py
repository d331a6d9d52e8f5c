"""Round trip: `contracts test` against `contracts mock` of every example contract must pass.

The mock is built under its own issue. Until it is merged, ``contracts mock`` is not a command of
this branch and these tests are skipped with that reason (visible with ``-ra``), never silently.
"""

from __future__ import annotations

import json

import pytest

from tests.conftest import CONTRACTS
from tests.support.servers import contracts_cmd, serve
from validator.cli import app
from validator.refs import list_contracts, list_versions

VERSIONS = [f"{name}@{version}" for name in list_contracts(CONTRACTS) for version in list_versions(CONTRACTS, name)]
MOCK_MERGED = any(
    command.name == "mock" or getattr(command.callback, "__name__", "") == "mock" for command in app.registered_commands
)


@pytest.mark.skipif(not MOCK_MERGED, reason="`contracts mock` is not merged into this branch yet (mock issue)")
@pytest.mark.parametrize("ref", VERSIONS)
def test_contract_test_passes_against_the_mock(cli, ref: str) -> None:
    argv = contracts_cmd("mock", ref, "--host", "127.0.0.1", "--port", "{port}", "--contracts-dir", str(CONTRACTS))
    with serve(argv) as base:
        result = cli("test", ref, "--base-url", base, "--max-examples", "15", "--seed", "5", "--format", "json")
    doc = json.loads(result.stdout)
    assert result.exit_code == 0, [(f["operation"], f["check"], f["message"], f["curl"]) for f in doc["failures"]]
    assert doc["ok"] is True and doc["cases"] > 0
