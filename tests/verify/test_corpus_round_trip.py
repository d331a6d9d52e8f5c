"""Round trip on the corpus: `contracts mock` of each public description starts, answers its examples, and
`contracts test` against it finds nothing (over real HTTP)."""

from __future__ import annotations

import json

import pytest

from tests.support.cli import Cli
from tests.support.corpus import CORPUS, Description
from tests.support.servers import contracts_cmd, serve

# TGI's description is mocked although lint finds true problems in it (a 3.1 bound in a 3.0 document, a
# 404 example without its required member): the mock and the tests still serve it as written.
MOCKED_ANYWAY = {"tgi"}
MOCKED = [d for d in CORPUS if d.valid or d.folder in MOCKED_ANYWAY]


@pytest.mark.parametrize("description", MOCKED, ids=lambda d: d.folder)
def test_the_mock_of_a_public_description_passes_its_contract_test(cli: Cli, description: Description) -> None:
    ref = str(description.path)
    with serve(contracts_cmd("mock", ref, "--port", "{port}"), ready_path="/__mock/health") as base:
        result = cli(
            "test", ref, "--base-url", base, "--max-examples", "3", "--seed", "1", "--format", "json",
            "--exclude-check", "latency_slo",
            *(arg for header in description.headers for arg in ("--header", header)),
        )  # fmt: skip
    doc = json.loads(result.stdout)
    failures = [(f["operation"], f["check"], f["message"][:200]) for f in doc["failures"]]
    assert result.exit_code == 0 and not failures, failures
    assert doc["cases"] > 0 and len(doc["notes"]) == (0 if description.openapi.startswith("3.1") else 1)
    missed = {c["operation"]: c["examples_missed"] for c in doc["coverage"] if c["examples_missed"]}
    assert not missed  # every named example was sent and answered as documented
