"""`contracts bundle` and `contracts --version`: what a user sees."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from validator._version import version
from validator.loader import iter_refs, load_document


def test_version_prints_the_installed_version(cli: Any) -> None:
    result = cli("--version")
    assert result.exit_code == 0
    assert result.stdout.strip() == f"contracts {version()}"
    assert version() != "0+unknown"  # the project is installed: the metadata is read


def test_bundle_to_stdout_is_one_json_document_with_internal_refs(cli: Any) -> None:
    result = cli("bundle", "recommendation-api@1.1.0")
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    refs = [ref for _, ref in iter_refs(document)]
    assert refs and all(ref.startswith("#") for ref in refs)
    assert "recommendation-request" in document["components"]["schemas"]
    load_document(document)  # loads without its folder: nothing points outside


def test_bundle_writes_yaml_when_the_file_says_so(cli: Any, tmp_path: Path) -> None:
    target = tmp_path / "bundled.yaml"
    result = cli("bundle", "recommendation-api@1.1.0", "-o", str(target))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    document = yaml.safe_load(target.read_text())
    assert document["info"]["version"] == "1.1.0"
    assert all(ref.startswith("#") for _, ref in iter_refs(document))


def test_bundle_format_overrides_the_suffix(cli: Any, tmp_path: Path) -> None:
    target = tmp_path / "bundled.yaml"
    assert cli("bundle", "recommendation-api@1.1.0", "-o", str(target), "--format", "json").exit_code == 0
    assert json.loads(target.read_text())["openapi"] == "3.1.0"


def test_bundle_of_an_unknown_contract_is_a_usage_error(cli: Any) -> None:
    result = cli("bundle", "no-such-api")
    assert result.exit_code == 2
    assert "unknown contract 'no-such-api'" in result.stderr
    assert result.stdout == ""


def test_bundle_into_a_missing_folder_is_a_usage_error(cli: Any, tmp_path: Path) -> None:
    result = cli("bundle", "recommendation-api@1.1.0", "-o", str(tmp_path / "nowhere" / "x.json"))
    assert result.exit_code == 2
    assert "does not exist" in result.stderr
