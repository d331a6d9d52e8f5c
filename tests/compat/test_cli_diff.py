"""`contracts diff`: the example versions, the JSON shape of INTERFACE.md, text by operation, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

from tests.support.cli import Cli

from .build_fixtures import doc

FIXTURES = Path(__file__).parent / "fixtures"


def test_2_0_0_against_1_1_0_is_breaking_with_witnesses(cli: Cli) -> None:
    result = cli("diff", "recommendation-api@1.1.0", "recommendation-api@2.0.0", "--format", "json")
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert set(doc) >= {"old", "new", "breaking", "required_bump", "changes"}
    assert (doc["old"], doc["new"], doc["breaking"], doc["required_bump"]) == (
        "recommendation-api@1.1.0",
        "recommendation-api@2.0.0",
        True,
        "major",
    )
    breaking = {c["id"]: c for c in doc["changes"] if c["breaking"]}
    assert set(breaking) == {
        "request-property-removed-from-closed-object",
        "request-property-became-required",
        "response-enum-value-added",
    }
    assert all("witness" in c and c["operation"] == "getRecommendations" for c in breaking.values())
    assert breaking["request-property-removed-from-closed-object"]["witness"]["n"] is not None
    assert "candidate_products" not in breaking["request-property-became-required"]["witness"]
    assert breaking["response-enum-value-added"]["witness"]["variant"] == "treatment-b"
    assert [c["breaking"] for c in doc["changes"]] == sorted((c["breaking"] for c in doc["changes"]), reverse=True)


def test_1_1_0_against_1_0_0_is_compatible_and_asks_for_a_minor_bump(cli: Cli) -> None:
    result = cli("diff", "recommendation-api@1.0.0", "recommendation-api@1.1.0", "--format", "json")
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    assert doc["breaking"] is False and doc["required_bump"] == "minor"
    assert {c["id"] for c in doc["changes"]} == {
        "operation-added",
        "request-property-added",
        "response-property-added-to-open-object",
    }


def test_same_version_has_no_changes(cli: Cli) -> None:
    doc = json.loads(cli("diff", "recommendation-api@1.1.0", "recommendation-api@1.1.0", "--format", "json").stdout)
    assert doc["changes"] == [] and doc["required_bump"] == "none"


def test_text_groups_by_operation_breaking_first_and_prints_witnesses(cli: Cli) -> None:
    result = cli("diff", "recommendation-api@1.1.0", "recommendation-api@2.0.0")
    lines = result.stdout.splitlines()
    assert "✗ breaking (3 of 4 changes), required bump: major" in lines[0]
    assert lines[1].strip() == "getRecommendations"
    marks = [line.strip()[0] for line in lines if line.strip().startswith(("✗", "·"))]
    assert marks == ["✗", "✗", "✗", "·"]
    assert result.stdout.count("witness (") == 3


def test_a_behaviour_change_carries_the_exchange_that_shows_it(cli: Cli) -> None:
    folder = FIXTURES / "request-default-changed"
    result = cli("diff", str(folder / "before"), str(folder / "after"))
    assert result.exit_code == 1
    assert "exchange: " in result.stdout
    found = json.loads(cli("diff", str(folder / "before"), str(folder / "after"), "--format", "json").stdout)
    assert found["changes"][0]["witness_kind"] == "exchange"
    assert "default changed" in found["changes"][0]["witness"]["new"]


def test_a_proposed_break_no_payload_proves_is_reported_as_not_breaking(cli: Cli, tmp_path: Path) -> None:
    before, after = tmp_path / "before", tmp_path / "after"
    nullable = {"type": ["string", "null"]}
    as_any_of = {"anyOf": [{"type": "string"}, {"type": "null"}]}
    for folder, schema in ((before, nullable), (after, as_any_of)):
        folder.mkdir()
        (folder / "openapi.yaml").write_text(json.dumps(doc(req=schema, resp=schema)))
    result = cli("diff", str(before), str(after), "--format", "json")
    report = json.loads(result.stdout)
    assert result.exit_code == 0 and report["breaking"] is False
    unproven = [c for c in report["changes"] if "witness_note" in c]
    assert unproven and all(c["severity"] == "warning" for c in unproven)
    assert cli("diff", str(before), str(after), "--fail-on", "warning").exit_code == 1


def test_markdown_changelog_lists_breaking_changes_with_witnesses(cli: Cli) -> None:
    result = cli("diff", "recommendation-api@1.1.0", "recommendation-api@2.0.0", "--format", "markdown")
    assert result.exit_code == 1
    text = result.stdout
    assert text.startswith("## recommendation-api@1.1.0 → recommendation-api@2.0.0\n")
    assert "**Breaking**: 3 of 4 changes" in text
    assert text.index("### Breaking changes") < text.index("### Changes")
    assert text.count("    - witness (") == 3
    assert "(`request-property-added`)" in text


def test_fail_on_warning_fails_on_a_compatible_removal(cli: Cli) -> None:
    folder = FIXTURES / "error-status-removed"
    assert cli("diff", str(folder / "before"), str(folder / "after")).exit_code == 0
    assert cli("diff", str(folder / "before"), str(folder / "after"), "--fail-on", "warning").exit_code == 1
    folder = FIXTURES / "operation-added"
    assert cli("diff", str(folder / "before"), str(folder / "after"), "--fail-on", "warning").exit_code == 0


def test_list_rules_prints_the_catalogue(cli: Cli) -> None:
    doc = json.loads(cli("diff", "--list-rules", "--format", "json").stdout)
    ids = [r["id"] for r in doc["rules"]]
    assert len(ids) >= 60 and "response-enum-value-added" in ids
    assert next(r for r in doc["rules"] if r["id"] == "request-enum-value-added")["breaking"] is False


def test_usage_errors_exit_2(cli: Cli) -> None:
    assert cli("diff", "recommendation-api@1.1.0").exit_code == 2
    result = cli("diff", "recommendation-api@1.1.0", "recommendation-api@9.9.9", "--format", "json")
    assert result.exit_code == 2
    assert "available: 1.0.0, 1.1.0, 1.2.0, 2.0.0" in json.loads(result.stdout)["error"]["message"]
