"""OpenAPI 3.0 descriptions through every command: said once, findings as written, `contracts upgrade`."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from tests.support.cli import Result
from tests.support.paths import ROOT

VERSIONS = ROOT / "tests" / "data" / "openapi-versions"
CLI = Callable[..., Result]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A writable copy of the OpenAPI-versions contracts (pets 1.0.0 is 3.0.3, 1.1.0 its hand-written 3.1)."""
    shutil.copytree(VERSIONS, tmp_path / "contracts")
    return tmp_path / "contracts"


def test_lint_reads_a_30_description_with_no_false_problem_and_says_so_once(cli: CLI, folder: Path) -> None:
    result = cli("lint", "pets@1.0.0", "--contracts-dir", str(folder), "--format", "json")
    doc = json.loads(result.stdout)
    assert result.exit_code == 0 and doc["problems"] == []
    [note] = doc["notes"]
    assert note["kind"] == "converted" and note["file"].endswith("pets/1.0.0/openapi.yaml")
    assert "OpenAPI 3.0.3" in note["message"] and "nullable x5" in note["message"]
    text = cli("lint", "pets@1.0.0", "--contracts-dir", str(folder))
    assert text.exit_code == 0 and text.stderr.count("note:") == 1 and "OpenAPI 3.0.3" in text.stderr


def test_a_31_description_has_no_note(cli: CLI, folder: Path) -> None:
    doc = json.loads(cli("lint", "pets@1.1.0", "--contracts-dir", str(folder), "--format", "json").stdout)
    assert doc["ok"] and "notes" not in doc


def test_problems_point_into_the_30_document_as_written(cli: CLI, folder: Path) -> None:
    spec = folder / "pets" / "1.0.0" / "openapi.yaml"
    spec.write_text(spec.read_text().replace("owner: {name: Ann}, age: null", "owner: {name: 7}, age: null"))
    doc = json.loads(cli("lint", "pets@1.0.0", "--contracts-dir", str(folder), "--format", "json").stdout)
    [problem] = doc["problems"]
    assert problem["pointer"].endswith("/responses/201/content/application~1json/examples/rex/value/owner")
    lines = spec.read_text().splitlines()
    assert lines[problem["line"] - 1].strip() == "rex: {value: {name: Rex, kind: dog, owner: {name: 7}, age: null}}"
    # the schema is named where the 3.0 document has it, not by the anyOf the 3.1 model wraps it in
    assert problem["schema_path"].endswith("#/components/schemas/Pet/properties/owner")
    assert problem["message"].endswith("(OpenAPI 3.0's `nullable` here reads: null, or the schema beside it)")


def test_a_problem_inside_a_moved_subtree_names_its_place_as_written(cli: CLI, folder: Path) -> None:
    spec = folder / "pets" / "1.0.0" / "openapi.yaml"
    text = spec.read_text().replace('            - $ref: "#/components/schemas/Owner"', "            - {minLength: -1}")
    spec.write_text(text)
    doc = json.loads(cli("lint", "pets@1.0.0", "--contracts-dir", str(folder), "--format", "json").stdout)
    [problem] = doc["problems"]  # named once, by the OAS 3.0 schema (not again as JSON Schema 2020-12)
    assert problem["pointer"] == "/components/schemas/Pet/properties/owner/allOf/0/minLength"
    assert text.splitlines()[problem["line"] - 1].strip() == "- {minLength: -1}"


def test_strict_lint_keeps_flagging_30_keywords_in_a_31_document(cli: CLI, folder: Path) -> None:
    spec = folder / "pets" / "1.1.0" / "openapi.yaml"
    spec.write_text(spec.read_text().replace('tag: {type: [string, "null"]}', "tag: {type: string, nullable: true}"))
    doc = json.loads(cli("lint", "pets@1.1.0", "--contracts-dir", str(folder), "--format", "json").stdout)
    assert [p["keyword"] for p in doc["problems"]] == ["nullable"]


def test_an_invalid_30_document_is_checked_against_the_30_schema(cli: CLI, folder: Path) -> None:
    spec = folder / "pets" / "1.0.0" / "openapi.yaml"
    spec.write_text(spec.read_text().replace("tag: {type: string, nullable: true}", 'tag: {type: [string, "null"]}'))
    doc = json.loads(cli("lint", "pets@1.0.0", "--contracts-dir", str(folder), "--format", "json").stdout)
    structure = [p for p in doc["problems"] if p["message"].startswith("not valid OpenAPI 3.0")]
    assert structure and all(p["pointer"].startswith("/components/schemas/Pet/properties/tag") for p in structure)
    assert all("v3.0" in p["hint"] for p in structure)


def test_upgrade_writes_the_31_form_and_its_twin_diffs_to_no_change(cli: CLI, folder: Path) -> None:
    (folder / "pets" / "1.0.1").mkdir()
    target = folder / "pets" / "1.0.1" / "openapi.yaml"
    result = cli("upgrade", "pets@1.0.0", "--contracts-dir", str(folder), "-o", str(target))
    assert result.exit_code == 0 and "converted OpenAPI 3.0.3 to 3.1.1" in result.stderr
    upgraded = yaml.safe_load(target.read_text())
    assert upgraded["openapi"] == "3.1.1"
    assert upgraded["components"]["schemas"]["Pet"]["properties"]["tag"] == {"type": ["string", "null"]}
    target.write_text(target.read_text().replace("version: 1.0.0", "version: 1.0.1"))
    assert cli("lint", "pets@1.0.1", "--contracts-dir", str(folder)).exit_code == 0
    diff = json.loads(
        cli("diff", "pets@1.0.0", "pets@1.0.1", "--contracts-dir", str(folder), "--format", "json").stdout
    )
    assert diff["changes"] == [] and diff["required_bump"] == "none"
    assert [n["file"].rsplit("/", 3)[-3:] for n in diff["notes"]] == [["pets", "1.0.0", "openapi.yaml"]]


def test_a_30_version_and_its_hand_written_31_version_do_not_differ(cli: CLI) -> None:
    result = cli("diff", "pets@1.0.0", "pets@1.1.0", "--contracts-dir", str(VERSIONS), "--format", "json")
    assert result.exit_code == 0 and json.loads(result.stdout)["changes"] == []


def test_upgrade_to_stdout_keeps_the_source_format_and_json_on_request(cli: CLI) -> None:
    as_yaml = cli("upgrade", "pets@1.0.0", "--contracts-dir", str(VERSIONS))
    assert as_yaml.exit_code == 0 and yaml.safe_load(as_yaml.stdout)["openapi"] == "3.1.1"
    as_json = cli("upgrade", "pets@1.0.0", "--contracts-dir", str(VERSIONS), "--format", "json")
    assert json.loads(as_json.stdout)["openapi"] == "3.1.1"


def test_upgrade_of_a_31_description_writes_it_as_it_is(cli: CLI) -> None:
    result = cli("upgrade", "pets@1.1.0", "--contracts-dir", str(VERSIONS))
    assert result.exit_code == 0 and "already OpenAPI 3.1" in result.stderr
    assert yaml.safe_load(result.stdout) == yaml.safe_load((VERSIONS / "pets" / "1.1.0" / "openapi.yaml").read_text())


def test_upgrade_usage_errors_exit_2(cli: CLI, tmp_path: Path) -> None:
    missing = cli("upgrade", "pets@1.0.0", "--contracts-dir", str(VERSIONS), "-o", str(tmp_path / "no" / "x.yaml"))
    assert missing.exit_code == 2 and "does not exist" in missing.stderr
    unknown = cli("upgrade", "nothing@1.0.0", "--contracts-dir", str(VERSIONS))
    assert unknown.exit_code == 2


def test_validate_and_test_say_they_converted(cli: CLI) -> None:
    args = ("validate", "pets@1.0.0", "--operation", "addPet", "--request", "-", "--contracts-dir", str(VERSIONS))
    valid = cli(*args, "--format", "json", input='{"name": "Rex", "owner": null, "kind": null}')
    doc = json.loads(valid.stdout)
    assert valid.exit_code == 0 and doc["ok"] and doc["notes"][0]["kind"] == "converted"
    invalid = cli(*args, input='{"name": "Rex", "kind": "cow"}')
    assert invalid.exit_code == 1 and invalid.stderr.count("note:") == 1
    assert "#/components/schemas/Pet/properties/kind/enum" in invalid.stdout
