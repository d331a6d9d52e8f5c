"""Findings carry file URIs; each reporter chooses how to show them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.support.cli import Cli
from tests.support.paths import CONTRACTS, ROOT
from validator.compiled import CompiledContract
from validator.errors import LoadError
from validator.loader import load
from validator.problems import Problem
from validator.report.display import for_contracts, from_cwd, relative_to

BAD = {"customer_id": "X1", "n": 3}


def _problems() -> list[Problem]:
    contract = load("recommendation-api@1.0.0", CONTRACTS)
    op = contract.operation("getRecommendations")
    return CompiledContract(contract).validate_body(op, "request", BAD)


def test_findings_hold_file_uris_whatever_the_working_directory(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    first = _problems()
    monkeypatch.chdir(CONTRACTS)
    again = _problems()
    assert first[0].schema_path == again[0].schema_path
    assert (first[0].schema_path or "").startswith((CONTRACTS / "recommendation-api" / "1.0.0").as_uri())


def test_the_cli_shows_paths_relative_to_the_directory_it_runs_in(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    payload = json.dumps(BAD)
    args = ("validate", "recommendation-api@1.0.0", "-o", "getRecommendations", "--request", "--format", "json", "-")
    monkeypatch.chdir(ROOT)
    from_root = json.loads(cli(*args, input=payload).stdout)["problems"][0]["schema_path"]
    monkeypatch.chdir(CONTRACTS)  # a chdir after the first run: the cached keyword locations must not go stale
    from_contracts = json.loads(cli(*args, input=payload).stdout)["problems"][0]["schema_path"]
    assert from_root.startswith("contracts/recommendation-api/1.0.0/schemas/")
    assert from_contracts == from_root.removeprefix("contracts/")


def test_the_service_display_is_relative_to_the_contracts_folder_parent(tmp_path: Path) -> None:
    show = for_contracts(tmp_path / "contracts")
    inside = (tmp_path / "contracts" / "a" / "1.0.0" / "openapi.yaml").as_uri()
    assert show(inside) == "contracts/a/1.0.0/openapi.yaml"
    assert show(str(tmp_path / "contracts.lock")) == "contracts.lock"  # plain absolute paths too
    assert show("relative/path") == "relative/path"


def test_the_cli_display_leaves_plain_paths_as_given(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    show = from_cwd()
    assert show((tmp_path / "x y.json").as_uri()) == "x y.json"  # percent-encoding undone
    assert show(str(tmp_path / "x.json")) == str(tmp_path / "x.json")
    assert relative_to(tmp_path)("file:///elsewhere/x.json") == "/elsewhere/x.json"


def test_a_load_error_names_its_file_by_the_display_given(tmp_path: Path) -> None:
    error = LoadError("not valid YAML", file=(tmp_path / "c" / "openapi.yaml").as_uri(), line=3)
    assert error.describe(relative_to(tmp_path)) == "c/openapi.yaml:3: not valid YAML"
    assert error.message == f"{tmp_path}/c/openapi.yaml:3: not valid YAML"  # no working directory involved
    assert error.to_dict(relative_to(tmp_path))["file"] == "c/openapi.yaml"
