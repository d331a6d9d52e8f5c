"""A contract with a bearer security scheme: generated cases never send an unsendable header."""

from __future__ import annotations

import json
from pathlib import Path

from tests.support.cli import Cli
from tests.support.documents import contract_folder, secured_score
from tests.support.servers import contracts_cmd, serve

SECURED = secured_score({"bearer": {"type": "http", "scheme": "bearer"}})


def test_bearer_scheme_does_not_read_as_an_api_that_never_answered(cli: Cli, tmp_path: Path) -> None:
    contract_folder(tmp_path, SECURED, name="secured")
    argv = contracts_cmd("mock", "secured", "--port", "{port}", "--contracts-dir", str(tmp_path))
    with serve(argv, ready_path="/__mock/health") as base:
        result = cli(
            "test",
            "secured",
            "--base-url",
            base,
            "--max-examples",
            "10",
            "--seed",
            "1",
            "--contracts-dir",
            str(tmp_path),
            "--format",
            "json",
        )
    doc = json.loads(result.stdout)
    assert result.exit_code == 0, doc["failures"]
    assert doc["ok"] is True and doc["cases"] > 10
