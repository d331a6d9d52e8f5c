"""The witness search degrades per schema: one schema that does not compile costs only its own witnesses."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.support.cli import Cli
from tests.support.documents import contract_folder, json_response, operation


def _version(root: Path, code_pattern: str, n_maximum: int) -> Path:
    def posting(schema: dict[str, Any]) -> dict[str, Any]:
        return operation({"200": json_response({"type": "object"})}, {"schema": schema})

    codes = {"type": "object", "properties": {"code": {"type": "string", "pattern": code_pattern}}}
    counts = {"type": "object", "properties": {"n": {"type": "integer", "maximum": n_maximum}}}
    return contract_folder(root, {"paths": {"/codes": {"post": posting(codes)}, "/counts": {"post": posting(counts)}}})


def test_a_schema_that_does_not_compile_leaves_the_other_witnesses_and_says_why(cli: Cli, tmp_path: Path) -> None:
    before = _version(tmp_path / "before", "^[a-z]+$", 100)
    after = _version(tmp_path / "after", "^([a-z]+$", 10)  # an unbalanced group: the regex does not compile
    result = cli("diff", str(before / "t/1.0.0"), str(after / "t/1.0.0"), "--format", "json")
    report = json.loads(result.stdout)
    assert result.exit_code == 1, result.stdout
    counts = [c for c in report["changes"] if c["operation"] == "POST /counts" and c["breaking"]]
    assert counts and all("witness" in c for c in counts), counts
    assert counts[0]["witness"] == {"n": 11} or counts[0]["witness"]["n"] > 10
    codes = [c for c in report["changes"] if c["operation"] == "POST /codes" and c["breaking"]]
    assert codes, report["changes"]
    for change in codes:
        note = change["witness_note"]
        assert note.startswith("no witness searched: the new version's schema at openapi.yaml#/paths/~1codes"), note
        assert "compile" in note and str(tmp_path) not in note
