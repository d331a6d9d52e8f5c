"""`contracts check` and `contracts lock`: the examples pass; edits, breaks and bad waivers do not."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.support.cli import Cli, Result
from tests.support.paths import CONTRACTS


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project folder with a copy of the example contracts."""
    shutil.copytree(CONTRACTS, tmp_path / "contracts")
    # The tests below release their own recommendation-api 1.2.0 (the shipped one states relations).
    shutil.rmtree(tmp_path / "contracts" / "recommendation-api" / "1.2.0")
    return tmp_path


def _release(project: Path, source: str, version: str, edit: Callable[[str], str] | None = None) -> Path:
    """Copy recommendation-api@source to a new version folder, set info.version, apply ``edit``."""
    folder = project / "contracts" / "recommendation-api" / version
    shutil.copytree(project / "contracts" / "recommendation-api" / source, folder)
    spec = folder / "openapi.yaml"
    text = spec.read_text().replace(f"version: {source}", f"version: {version}", 1)
    spec.write_text(edit(text) if edit else text)
    return folder


def _check(cli: Cli, project: Path, *args: str) -> Result:
    return cli("check", "--contracts-dir", str(project / "contracts"), "--format", "json", *args)


def test_example_contracts_pass_the_gate(cli: Cli) -> None:
    result = cli("check")
    assert result.exit_code == 0, result.stdout
    assert "contracts check passed" in result.stdout
    doc = json.loads(cli("check", "--format", "json").stdout)
    assert doc["ok"] is True and doc["problems"] == []
    # 2.0.0 is a new major: only the 1.x versions are compared, and each asks for a minor bump.
    assert sorted(doc["compared"]) == [
        "client-scoring@1.0.0 -> 1.1.0: minor",
        "contracts-service@1.0.0 -> 1.1.0: minor",
        "recommendation-api@1.0.0 -> 1.1.0: minor",
        "recommendation-api@1.0.0 -> 1.2.0: minor",
        "recommendation-api@1.1.0 -> 1.2.0: minor",
    ]


def test_editing_a_released_version_fails_against_the_lock(cli: Cli, project: Path) -> None:
    assert cli("lock", "--contracts-dir", str(project / "contracts")).exit_code == 0
    assert _check(cli, project).exit_code == 0
    spec = project / "contracts" / "recommendation-api" / "1.0.0" / "openapi.yaml"
    spec.write_text(spec.read_text().replace("Rank products for a customer", "Rank products"))
    result = _check(cli, project)
    assert result.exit_code == 1
    problems = json.loads(result.stdout)["problems"]
    assert [(p["kind"], p["file"].endswith("1.0.0/openapi.yaml")) for p in problems] == [("immutable", True)]
    assert "recommendation-api@1.0.0" in problems[0]["message"]


def test_editing_a_released_version_fails_against_a_git_revision_but_a_prerelease_may_change(
    cli: Cli, project: Path
) -> None:
    _release(project, "2.0.0", "2.1.0-rc.1")
    for args in (
        ["init", "-q"],
        ["add", "-A"],
        ["-c", "user.email=t@t", "-c", "user.name=t", "commit", "-qm", "v"],
    ):
        subprocess.run(["git", *args], cwd=project, check=True)
    rc = project / "contracts" / "recommendation-api" / "2.1.0-rc.1" / "openapi.yaml"
    rc.write_text(rc.read_text().replace("Rank products for a customer", "Rank products"))
    assert _check(cli, project, "--against", "HEAD").exit_code == 0
    schema = project / "contracts" / "recommendation-api" / "1.1.0" / "schemas" / "problem.schema.json"
    schema.write_text(
        schema.read_text().replace('"detail": {"type": "string"}', '"detail": {"type": "string", "title": "d"}')
    )
    result = _check(cli, project, "--against", "HEAD")
    assert result.exit_code == 1
    messages = [p["message"] for p in json.loads(result.stdout)["problems"]]
    assert messages == [
        "released version recommendation-api@1.1.0: schemas/problem.schema.json changed since HEAD; "
        "released versions are immutable, publish a new version instead"
    ]
    assert _check(cli, project, "--against", "no-such-ref").exit_code == 2


def test_breaking_change_inside_a_major_fails_against_every_earlier_version(cli: Cli, project: Path) -> None:
    source = project / "contracts" / "recommendation-api" / "2.0.0"
    shutil.copytree(source, project / "contracts" / "recommendation-api" / "1.2.0")
    spec = project / "contracts" / "recommendation-api" / "1.2.0" / "openapi.yaml"
    spec.write_text(spec.read_text().replace("version: 2.0.0", "version: 1.2.0", 1))
    result = _check(cli, project)
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    pairs = [(p["old"], p["new"], p["rule"]) for p in doc["problems"]]
    # 1.2.0 is compared with both earlier versions, but each change is reported once, against the
    # nearest version it breaks.
    assert "recommendation-api@1.0.0 -> 1.2.0: major" in doc["compared"]
    assert ("1.1.0", "1.2.0", "response-enum-value-added") in pairs
    assert ("1.0.0", "1.2.0", "response-enum-value-added") not in pairs
    assert ("1.1.0", "1.2.0", "request-property-removed-from-closed-object") in pairs
    assert len(pairs) == len({(p["rule"], p["pointer"], p["message"]) for p in doc["problems"]})
    enum = next(p for p in doc["problems"] if p["rule"] == "response-enum-value-added")
    assert enum["change"]["witness"]["variant"] == "treatment-b"
    text = cli("check", "--contracts-dir", str(project / "contracts")).stdout
    assert "recommendation-api 1.2.0 vs 1.1.0" in text and "witness" in text


def test_a_waiver_with_a_reason_accepts_one_breaking_change(cli: Cli, project: Path) -> None:
    _release(
        project,
        "1.1.0",
        "1.2.0",
        lambda t: t.replace(
            "enum: [control, treatment]\n          description",
            "enum: [control, treatment, holdout]\n          description",
        ),
    )
    assert _check(cli, project).exit_code == 1
    # One waiver names the change once: the version that introduces it and the rule.
    (project / "pyproject.toml").write_text(
        '[[tool.contracts.waivers]]\ncontract = "recommendation-api"\nnew = "1.2.0"\n'
        'rule = "response-enum-value-added"\nreason = "every partner confirmed they accept holdout"\n'
    )
    result = _check(cli, project)
    assert result.exit_code == 0, result.stdout
    assert len(json.loads(result.stdout)["waived"]) == 1
    # A later release that keeps the change needs no waiver of its own.
    _release(project, "1.2.0", "1.3.0")
    assert _check(cli, project).exit_code == 0


def test_a_waiver_without_a_reason_is_a_usage_error(cli: Cli, project: Path) -> None:
    (project / "pyproject.toml").write_text(
        '[[tool.contracts.waivers]]\ncontract = "recommendation-api"\n'
        'old = "1.0.0"\nnew = "1.1.0"\nrule = "operation-removed"\n'
    )
    result = _check(cli, project)
    assert result.exit_code == 2
    assert "waiver #1 lacks reason" in result.stdout


def test_a_patch_release_that_adds_a_field_is_a_semver_warning(cli: Cli, project: Path) -> None:
    _release(
        project,
        "1.1.0",
        "1.1.1",
        lambda t: t.replace(
            "        experiment_id:", "        served_by:\n          type: string\n        experiment_id:"
        ),
    )
    result = _check(cli, project)
    assert result.exit_code == 0
    warnings = json.loads(result.stdout)["warnings"]
    semver = [w for w in warnings if w["kind"] == "semver"]
    assert len(semver) == 1 and "should be 1.2.0" in semver[0]["message"]


def test_github_actions_gets_error_annotations(cli: Cli, project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _release(project, "1.1.0", "1.2.0", lambda t: t.replace("maxItems: 50", "maxItems: 60"))
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    result = cli("check", "--contracts-dir", str(project / "contracts"))
    assert result.exit_code == 1
    errors = [line for line in result.stdout.splitlines() if line.startswith("::error ")]
    assert errors and all("file=" in e and "title=contracts response-max-items-raised" in e for e in errors)
    assert any("line=" in e for e in errors)


def test_lock_writes_every_released_version_only(cli: Cli, project: Path) -> None:
    _release(project, "2.0.0", "2.1.0-rc.1")
    result = cli("lock", "--contracts-dir", str(project / "contracts"), "--format", "json")
    assert result.exit_code == 0
    locked = json.loads((project / "contracts.lock").read_text())["versions"]
    assert sorted(locked) == [
        "client-scoring@1.0.0",
        "client-scoring@1.1.0",
        "contracts-service@1.0.0",
        "contracts-service@1.1.0",
        "iris-classifier@1.0.0",
        "recommendation-api@1.0.0",
        "recommendation-api@1.1.0",
        "recommendation-api@2.0.0",
    ]


@pytest.mark.parametrize(
    "content",
    [
        {"versions": {"recommendation-api@1.0.0": 5}},
        {"versions": {"recommendation-api@1.0.0": {"files": 3, "sha256": "x"}}},
        {"versions": {"recommendation-api@1.0.0": {"files": {"openapi.yaml": 5}, "sha256": 7}}},
    ],
)
def test_a_lock_file_with_malformed_entries_is_a_clear_error_not_a_traceback(
    cli: Cli, project: Path, content: object
) -> None:
    (project / "contracts.lock").write_text(json.dumps(content))
    result = _check(cli, project)
    assert result.exit_code == 2
    error = json.loads(result.stdout)["error"]
    assert error["message"] == "not a contracts lock file"
    assert error["file"] == str(project / "contracts.lock")
    assert "contracts lock" in error["hint"]


def test_a_lock_path_that_is_a_folder_is_an_error_for_check_and_lock(cli: Cli, project: Path) -> None:
    (project / "contracts.lock").mkdir()
    checked = _check(cli, project)
    assert checked.exit_code == 2
    assert json.loads(checked.stdout)["error"]["message"] == "not a contracts lock file"
    locked = cli("lock", "--contracts-dir", str(project / "contracts"), "--format", "json")
    assert locked.exit_code == 2
    error = json.loads(locked.stdout)["error"]
    assert "cannot write" in error["message"] and "Is a directory" in error["message"]


def test_a_file_given_as_contracts_folder_is_named_as_such(cli: Cli, tmp_path: Path) -> None:
    not_a_folder = tmp_path / "contracts"
    not_a_folder.write_text("")
    result = cli("check", "--contracts-dir", str(not_a_folder), "--format", "json")
    assert result.exit_code == 2
    assert json.loads(result.stdout)["error"]["message"] == f"contracts folder {not_a_folder} is not a folder"


def test_lint_problems_keep_their_fix_hint_in_the_gate(cli: Cli, project: Path) -> None:
    spec = project / "contracts" / "recommendation-api" / "2.0.0" / "openapi.yaml"
    spec.write_text(spec.read_text().replace("openapi: 3.1.0", "openapi: 2.0.0", 1))
    doc = json.loads(_check(cli, project).stdout)
    [lint] = [p for p in doc["problems"] if p["kind"] == "lint"]
    assert lint["hint"] == "set `openapi: 3.1.0` (3.0.x and 3.2.x documents are read too)"
    text = cli("check", "--contracts-dir", str(project / "contracts"))
    assert text.exit_code == 1
    assert "    hint: set `openapi: 3.1.0` (3.0.x and 3.2.x documents are read too)" in text.stdout


def test_lock_refuses_to_re_pin_an_edited_released_version(cli: Cli, project: Path) -> None:
    contracts = str(project / "contracts")
    assert cli("lock", "--contracts-dir", contracts).exit_code == 0
    locked = (project / "contracts.lock").read_text()
    spec = project / "contracts" / "recommendation-api" / "1.0.0" / "openapi.yaml"
    spec.write_text(spec.read_text().replace("Rank products for a customer", "Rank products"))
    result = cli("lock", "--contracts-dir", contracts)
    assert result.exit_code == 1
    assert str(spec) in result.stdout and "not written" in result.stdout
    refused = json.loads(cli("lock", "--contracts-dir", contracts, "--format", "json").stdout)
    assert refused["ok"] is False and [p["file"] for p in refused["problems"]] == [str(spec)]
    assert (project / "contracts.lock").read_text() == locked  # the old pins stand
    assert _check(cli, project).exit_code == 1
    # A new released version is pinned as before once the edit is undone.
    spec.write_text(spec.read_text().replace("Rank products", "Rank products for a customer"))
    _release(project, "1.1.0", "1.2.0")
    assert cli("lock", "--contracts-dir", contracts).exit_code == 0
    assert "recommendation-api@1.2.0" in json.loads((project / "contracts.lock").read_text())["versions"]


def test_a_breaking_prerelease_fails_against_the_release_before_it(cli: Cli, project: Path) -> None:
    _release(project, "1.1.0", "1.2.0-rc.1", lambda t: t.replace("maxItems: 50", "maxItems: 60"))
    result = _check(cli, project)
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert "recommendation-api@1.1.0 -> 1.2.0-rc.1: major (pre-release)" in doc["compared"]
    assert {(p["old"], p["new"], p["rule"]) for p in doc["problems"]} == {
        ("1.1.0", "1.2.0-rc.1", "response-max-items-raised")
    }


def test_a_prerelease_of_a_new_major_may_break_and_its_breaks_are_reported(cli: Cli, project: Path) -> None:
    _release(project, "1.1.0", "3.0.0-rc.1", lambda t: t.replace("maxItems: 50", "maxItems: 60"))
    result = _check(cli, project)
    assert result.exit_code == 0, result.stdout
    warnings = json.loads(result.stdout)["warnings"]
    majors = [(w["old"], w["rule"]) for w in warnings if w["kind"] == "major"]
    assert ("2.0.0", "response-max-items-raised") in majors  # compared with the release before it: 2.0.0
    assert json.loads(result.stdout)["problems"] == []


def test_github_annotations_stay_within_what_github_shows(
    cli: Cli, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def many(text: str) -> str:
        for old, new in (("maxItems: 50", "maxItems: 60"), ("minimum: 1", "minimum: 0")):
            text = text.replace(old, new)
        return text

    for version in ("1.2.0", "1.3.0", "1.4.0"):
        _release(project, "1.1.0", version, many)
    for k in range(12):  # lint problems too: unknown keywords
        _release(project, "1.1.0", f"1.5.{k}", lambda t: t.replace("maxItems: 50", "maxItem: 50"))
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    result = cli("check", "--contracts-dir", str(project / "contracts"))
    annotations = [line for line in result.stdout.splitlines() if line.startswith("::")]
    assert len(annotations) == 10
    assert "more problem(s)" in annotations[-1] and "GitHub shows 10 per step" in annotations[-1]
