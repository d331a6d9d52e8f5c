"""Snapshots of the outside: text and JSON output of `lint` and `validate` on fixture payloads."""

from __future__ import annotations

import json

import pytest

from tests.support.paths import ROOT

BAD = {"customer_id": "X1", "context": {"channel": "fax"}, "n": 0}

VALIDATE_TEXT = """\
✗ invalid getRecommendations request (3 problems)
  body /customer_id: "X1" does not match "^C[0-9]{6,10}$"
    schema: contracts/recommendation-api/1.0.0/schemas/recommendation-request.schema.json#/properties/customer_id/pattern
  body /context/channel: "fax" is not one of "web", "app", "email", "store"
    schema: contracts/recommendation-api/1.0.0/schemas/recommendation-request.schema.json#/$defs/Context/properties/channel/enum
  body /n: 0 is less than the minimum of 1
    schema: contracts/recommendation-api/1.0.0/schemas/recommendation-request.schema.json#/properties/n/minimum
"""

VALIDATE_JSON = {
    "ok": False,
    "contract": "recommendation-api@1.0.0",
    "operation": "getRecommendations",
    "problems": [
        {
            "pointer": "/customer_id",
            "message": '"X1" does not match "^C[0-9]{6,10}$"',
            "location": "body",
            "keyword": "pattern",
            "schema_path": "contracts/recommendation-api/1.0.0/schemas/recommendation-request.schema.json"
            "#/properties/customer_id/pattern",
        },
        {
            "pointer": "/context/channel",
            "message": '"fax" is not one of "web", "app", "email", "store"',
            "location": "body",
            "keyword": "enum",
            "schema_path": "contracts/recommendation-api/1.0.0/schemas/recommendation-request.schema.json"
            "#/$defs/Context/properties/channel/enum",
        },
        {
            "pointer": "/n",
            "message": "0 is less than the minimum of 1",
            "location": "body",
            "keyword": "minimum",
            "schema_path": "contracts/recommendation-api/1.0.0/schemas/recommendation-request.schema.json"
            "#/properties/n/minimum",
        },
    ],
}


@pytest.fixture(autouse=True)
def _in_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # paths in output are relative to the working directory


def test_validate_text_snapshot(cli) -> None:
    result = cli("validate", "recommendation-api@1.0.0", "-o", "getRecommendations", "--request", input=json.dumps(BAD))
    assert result.exit_code == 1
    assert result.stdout == VALIDATE_TEXT


def test_validate_json_snapshot(cli) -> None:
    result = cli(
        "validate",
        "recommendation-api@1.0.0",
        "-o",
        "getRecommendations",
        "--request",
        "--format",
        "json",
        input=json.dumps(BAD),
    )
    assert json.loads(result.stdout) == VALIDATE_JSON


def test_lint_json_snapshot_on_clean_contracts(cli) -> None:
    result = cli("lint", "--format", "json")
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    assert doc["ok"] is True and doc["problems"] == []
    assert "recommendation-api@2.0.0" in doc["checked"]


def test_python_dash_m_runs_the_same_cli() -> None:
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "validator", "lint", "recommendation-api@1.0.0"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={"NO_COLOR": "1", "PATH": "/usr/bin:/bin"},
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "1 contract version(s) clean: recommendation-api@1.0.0" in done.stdout
