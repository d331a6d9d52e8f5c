"""What every command shares: with ``--format json`` even Click's usage errors are one JSON document."""

from __future__ import annotations

import json

import pytest

from tests.support.cli import Cli


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["lint", "--format", "json", "--bogus"], "No such option: --bogus"),
        (["lint", "--format=json", "--bogus"], "No such option: --bogus"),
        (["validate", "recommendation-api@1.0.0", "--format", "json"], "Missing option '--operation'"),
        (["diff", "a", "b", "c", "--format", "json"], "unexpected extra argument"),
        (["check", "--format", "json", "--against"], "requires an argument"),
        (["test", "recommendation-api@1.0.0", "--format", "json"], "Missing option '--base-url'"),
    ],
)
def test_usage_errors_found_by_click_print_one_json_document_and_exit_2(
    cli: Cli, args: list[str], message: str
) -> None:
    result = cli(*args)
    assert result.exit_code == 2
    doc = json.loads(result.stdout)
    assert doc["ok"] is False
    assert message in doc["error"]["message"]
    assert "--help" in doc["error"]["hint"]
    assert doc["problems"] == [doc["error"]]


def test_usage_errors_without_json_stay_text_on_stderr(cli: Cli) -> None:
    result = cli("lint", "--bogus")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "No such option: --bogus" in result.stderr


def test_json_output_of_a_normal_run_keeps_its_exit_status(cli: Cli) -> None:
    result = cli("lint", "nosuch", "--format", "json")
    assert result.exit_code == 2
    assert json.loads(result.stdout)["error"]["available"]
