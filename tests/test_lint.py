"""`contracts lint`: each check caught on a broken copy of an example contract, with file, line, pointer, hint."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.support.cli import Cli
from tests.support.paths import CONTRACTS
from validator.lint import lint_paths


def _edit(root: Path, relative: str, old: str, new: str) -> None:
    path = root / relative
    text = path.read_text()
    assert old in text, f"{old!r} not in {relative}"
    path.write_text(text.replace(old, new, 1))


RECO = "recommendation-api/1.1.0/openapi.yaml"


def _problems(root: Path, ref: str = "recommendation-api@1.1.0") -> list[dict[str, object]]:
    return [p.to_dict() for p in lint_paths([ref], root).problems]


def test_example_contracts_are_clean() -> None:
    report = lint_paths([], CONTRACTS)
    assert report.ok, [p.to_dict() for p in report.problems]
    assert len(report.checked) == len(list(CONTRACTS.glob("*/*/openapi.yaml")))


def test_not_openapi_3(contracts_copy: Path) -> None:
    _edit(contracts_copy, RECO, "openapi: 3.1.0", "openapi: 2.0.0")
    [problem] = _problems(contracts_copy)
    assert problem["pointer"] == "/openapi" and problem["line"] == 1
    assert "is not OpenAPI 3.0, 3.1 or 3.2" in str(problem["message"])


def test_invalid_openapi_structure(contracts_copy: Path) -> None:
    _edit(
        contracts_copy,
        RECO,
        "      operationId: getRecommendations\n",
        "      operationId: getRecommendations\n      responses-typo: 3\n",
    )
    problems = _problems(contracts_copy)
    assert any(
        "not valid OpenAPI 3.1" in str(p["message"]) and str(p["pointer"]).startswith("/paths/~1v1~1recommendations")
        for p in problems
    ), problems


def test_info_version_must_match_folder(contracts_copy: Path) -> None:
    _edit(contracts_copy, RECO, "version: 1.1.0", "version: 1.2.0")
    [problem] = _problems(contracts_copy)
    assert problem["pointer"] == "/info/version"
    assert problem["line"] == 4
    assert "set info.version to '1.1.0'" in str(problem["hint"])


def test_operation_ids_unique(contracts_copy: Path) -> None:
    _edit(contracts_copy, RECO, "operationId: getCurrentModel", "operationId: getRecommendations")
    [problem] = _problems(contracts_copy)
    assert (
        problem["message"]
        == "operationId 'getRecommendations' is used by POST /v1/recommendations and GET /v1/models/current"
    )


def test_remote_ref_is_a_problem_not_a_fetch(contracts_copy: Path) -> None:
    _edit(
        contracts_copy,
        RECO,
        "$ref: schemas/recommendation-request.schema.json",
        "$ref: https://example.com/request.json",
    )
    [problem] = _problems(contracts_copy)
    assert problem["file"] == str(contracts_copy / RECO) or str(problem["file"]).endswith(RECO)
    assert problem["line"] == 24
    assert "remote $ref" in str(problem["message"]) and problem["hint"]


def test_all_bad_refs_reported_at_once(contracts_copy: Path) -> None:
    _edit(contracts_copy, RECO, "$ref: schemas/recommendation-request.schema.json", "$ref: ../../escape.json")
    _edit(contracts_copy, RECO, '$ref: "#/components/schemas/ModelInfo"', '$ref: "#/components/schemas/Nope"')
    messages = [str(p["message"]) for p in _problems(contracts_copy)]
    assert any("leaves the contract's version folder" in m for m in messages)
    assert any("does not resolve" in m for m in messages)


def test_invalid_json_schema(contracts_copy: Path) -> None:
    _edit(
        contracts_copy,
        "recommendation-api/1.1.0/schemas/recommendation-request.schema.json",
        '"minItems": 1,',
        '"minItems": "one",',
    )
    problems = _problems(contracts_copy)
    assert any(
        "not valid JSON Schema 2020-12" in str(p["message"])
        and str(p["file"]).endswith("recommendation-request.schema.json")
        for p in problems
    ), problems


def test_bad_regex_is_reported(contracts_copy: Path) -> None:
    _edit(contracts_copy, RECO, 'pattern: "^P[0-9]{5}$"', 'pattern: "^P[0-9{5}$"')
    problems = _problems(contracts_copy)
    assert problems
    assert all(str(p["pointer"]).endswith("/pattern") and 'is not a "regex"' in str(p["message"]) for p in problems)


def test_invalid_response_example_names_line_and_payload_pointer(contracts_copy: Path) -> None:
    _edit(
        contracts_copy, RECO, "{product_id: P00042, score: 0.91, rank: 1}", "{product_id: P00042, score: 1.91, rank: 1}"
    )
    [problem] = _problems(contracts_copy)
    assert str(problem["pointer"]).endswith("/examples/returning-customer/value/recommendations/0/score")
    assert "response 200 example 'returning-customer' is invalid at /recommendations/0/score" in str(problem["message"])
    assert problem["line"] == 64


def test_valid_request_example_required_unless_paired_with_4xx(contracts_copy: Path) -> None:
    _edit(contracts_copy, RECO, "customer_id: C9999999", "customer_id: 42")
    [problem] = _problems(contracts_copy)
    assert "request example 'cold-start'" in str(problem["message"])
    # The deliberately invalid 'invalid-n' request (paired with a 422) is not reported.
    assert "invalid-n" not in json.dumps(_problems(contracts_copy))


def test_parameter_example_checked(contracts_copy: Path) -> None:
    _edit(contracts_copy, "client-scoring/1.0.0/openapi.yaml", "small-batch: {value: 0}", "small-batch: {value: 7}")
    [problem] = _problems(contracts_copy, "client-scoring@1.0.0")
    assert "parameter 'threshold' example 'small-batch'" in str(problem["message"])


def test_path_variables_need_parameters(contracts_copy: Path) -> None:
    _edit(
        contracts_copy,
        "client-scoring/1.0.0/openapi.yaml",
        "/v1/campaigns/{campaign_id}/model:",
        "/v1/campaigns/{campaign}/model:",
    )
    messages = [str(p["message"]) for p in _problems(contracts_copy, "client-scoring@1.0.0")]
    assert any("path variable {campaign} has no path parameter" in m for m in messages), messages


def test_unparseable_yaml(contracts_copy: Path) -> None:
    _edit(contracts_copy, RECO, "paths:\n", "paths: [\n")
    [problem] = _problems(contracts_copy)
    assert "not valid YAML" in str(problem["message"]) and isinstance(problem["line"], int)


def test_cli_lint_exit_statuses_and_json(cli: Cli, contracts_copy: Path) -> None:
    clean = cli("lint", "--contracts-dir", str(contracts_copy))
    assert clean.exit_code == 0 and "clean" in clean.stdout
    _edit(contracts_copy, RECO, "version: 1.1.0", "version: 9.9.9")
    dirty = cli("lint", "--contracts-dir", str(contracts_copy), "--format", "json")
    assert dirty.exit_code == 1
    doc = json.loads(dirty.stdout)
    assert doc["ok"] is False and doc["problems"][0]["pointer"] == "/info/version"
    text = cli("lint", "recommendation-api@1.1.0", "--contracts-dir", str(contracts_copy))
    assert re.search(r"openapi\.yaml:4 /info/version: info\.version is '9\.9\.9'", text.stdout), text.stdout
    unknown = cli("lint", "nope", "--contracts-dir", str(contracts_copy))
    assert unknown.exit_code == 2


@pytest.mark.parametrize("ref", ["recommendation-api@1.0.0", "client-scoring@1.0.0"])
def test_lint_by_reference(ref: str) -> None:
    assert lint_paths([ref], CONTRACTS).ok


def test_folders_the_layout_would_skip_are_problems_not_silence(contracts_copy: Path) -> None:
    (contracts_copy / "Scoring_API" / "1.0.0").mkdir(parents=True)
    (contracts_copy / "recommendation-api" / "1.2").mkdir()
    (contracts_copy / "recommendation-api" / "3.0.0").mkdir()
    (contracts_copy / ".git" / "objects").mkdir(parents=True)  # hidden folders are not part of the layout
    report = lint_paths([], contracts_copy)
    found = {(Path(p.file or "").relative_to(contracts_copy).as_posix(), p.message) for p in report.problems}
    assert found == {
        ("Scoring_API", "folder 'Scoring_API' is not a contract name, so it is not checked"),
        ("recommendation-api/1.2", "folder '1.2' is not a semantic version, so it is not checked"),
        # used to stop the whole run with "unknown version 'recommendation-api@3.0.0'; available: ..., 3.0.0"
        ("recommendation-api/3.0.0", "version folder has no openapi.yaml"),
    }
    assert all(p.hint for p in report.problems)
    assert "recommendation-api@2.0.0" in report.checked


def test_check_fails_on_a_folder_it_would_otherwise_skip(cli: Cli, contracts_copy: Path) -> None:
    (contracts_copy / "recommendation-api" / "1.2").mkdir()
    result = cli("check", "--contracts-dir", str(contracts_copy), "--format", "json")
    assert result.exit_code == 1
    assert any("is not a semantic version" in p["message"] for p in json.loads(result.stdout)["problems"])
