"""OpenAPI 3.2 descriptions: read as they are; QUERY and additionalOperations are operations like the others."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

from tests.support.cli import Result
from tests.support.paths import ROOT
from validator.loader import load

VERSIONS = ROOT / "tests" / "data" / "openapi-versions"
CLI = Callable[..., Result]


def test_query_and_additional_operations_are_operations() -> None:
    contract = load("search@1.0.0", VERSIONS)
    by_id = {op.operation_id: op for op in contract.operations}
    assert (by_id["searchProducts"].method, by_id["purgeCache"].method) == ("QUERY", "PURGE")
    assert by_id["purgeCache"].pointer == "/paths/~1cache/additionalOperations/PURGE"
    # an Example's dataValue is its value; a media type may be a reference to components/mediaTypes
    shoes = by_id["searchProducts"].interactions["shoes"]
    assert shoes.request == {"text": "shoes", "limit": 2} and shoes.response[0]["id"] == "p1"
    # the whole-query-string parameter is read, not checked
    assert by_id["streamProducts"].parameters == ()


def test_lint_checks_32_against_the_32_schema_and_names_what_it_does_not_check(cli: CLI) -> None:
    result = cli("lint", "search@1.0.0", "--contracts-dir", str(VERSIONS), "--format", "json")
    doc = json.loads(result.stdout)
    assert result.exit_code == 0 and doc["problems"] == []
    [note] = doc["notes"]
    assert note["kind"] == "openapi-3.2"
    assert "querystring parameters" in note["message"] and "itemSchema" in note["message"]


def test_an_invalid_32_document_is_a_problem_at_its_place(cli: CLI, tmp_path: Path) -> None:
    shutil.copytree(VERSIONS, tmp_path / "c")
    spec = tmp_path / "c" / "search" / "1.0.0" / "openapi.yaml"
    spec.write_text(spec.read_text().replace("kind: nav}", "kind: 5}"))
    doc = json.loads(cli("lint", "search@1.0.0", "--contracts-dir", str(tmp_path / "c"), "--format", "json").stdout)
    [problem] = doc["problems"]
    assert problem["pointer"] == "/tags/0/kind" and problem["message"].startswith("not valid OpenAPI 3.2")
    assert problem["line"] == 8


def test_upgrade_refuses_a_32_description(cli: CLI) -> None:
    result = cli("upgrade", "search@1.0.0", "--contracts-dir", str(VERSIONS))
    assert result.exit_code == 2 and "newer than 3.1" in result.stderr


def test_removing_a_query_operation_breaks(cli: CLI, tmp_path: Path) -> None:
    shutil.copytree(VERSIONS / "search", tmp_path / "c" / "search")
    new = tmp_path / "c" / "search" / "2.0.0"
    shutil.copytree(tmp_path / "c" / "search" / "1.0.0", new)
    text = (new / "openapi.yaml").read_text().replace("version: 1.0.0", "version: 2.0.0")
    (new / "openapi.yaml").write_text(text.replace("    query:\n", "    post:\n", 1))
    result = cli("diff", "search@1.0.0", "search@2.0.0", "--contracts-dir", str(tmp_path / "c"), "--format", "json")
    doc = json.loads(result.stdout)
    assert result.exit_code == 1
    assert any(c["breaking"] and c["operation"] == "searchProducts" for c in doc["changes"]), doc["changes"]
