"""``readOnly`` and ``writeOnly`` by direction: validate, the mock, contract tests and diff agree.

A create request leaves out the server-assigned ``id`` (readOnly, yet listed under ``required``), and a
response leaves out the ``password`` (writeOnly, also required): both are what their authors meant.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.support.cli import Cli
from tests.support.documents import contract_folder, json_response, operation
from tests.support.servers import contracts_cmd, serve

USER: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["id", "name", "password"],
    "properties": {
        "id": {"$ref": "#/components/schemas/Id"},
        "name": {"type": "string", "minLength": 1},
        "password": {"type": "string", "minLength": 8, "writeOnly": True},
    },
}
ID = {"type": "integer", "minimum": 1, "readOnly": True}


def users(root: Path, user: dict[str, Any] = USER, receipt: dict[str, Any] | None = None) -> Path:
    """POST /users and GET /users/{id} on ``user``; GET answers ``receipt`` instead when given."""
    schemas = {"User": user, "Id": ID, **({"Receipt": receipt} if receipt else {})}
    ref = {"$ref": "#/components/schemas/User"}
    answer = {"$ref": "#/components/schemas/Receipt"} if receipt else ref
    paths = {
        "/users": {
            "post": operation(
                {"201": json_response(ref, "created"), "422": json_response({"type": "object"}, "invalid")},
                {"schema": ref},
                operationId="createUser",
            )
        },
        "/users/{id}": {
            "get": operation(
                {"200": json_response(answer)},
                operationId="getUser",
                parameters=[{"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}],
            )
        },
    }
    return contract_folder(root, {"paths": paths, "components": {"schemas": schemas}}, name="users")


def test_validate_lets_a_request_leave_out_read_only_and_a_response_write_only_members(
    cli: Cli, tmp_path: Path
) -> None:
    root = users(tmp_path)
    ref = "users@1.0.0"
    common = ("--contracts-dir", str(root), "--operation", "createUser", "--format", "json")
    request = cli("validate", ref, *common, "--request", input=json.dumps({"name": "Ada", "password": "s3cret-pw"}))
    assert request.exit_code == 0, request.stdout
    response = cli("validate", ref, *common, "--response", "201", input=json.dumps({"id": 7, "name": "Ada"}))
    assert response.exit_code == 0, response.stdout
    # Still required in the other direction: a response without its id, a request without a password.
    no_id = cli("validate", ref, *common, "--response", "201", input=json.dumps({"name": "Ada"}))
    assert [p["pointer"] for p in json.loads(no_id.stdout)["problems"]] == [""]
    no_password = cli("validate", ref, *common, "--request", input=json.dumps({"name": "Ada"}))
    assert no_password.exit_code == 1


def test_contract_tests_against_the_mock_are_clean(cli: Cli, tmp_path: Path) -> None:
    root = users(tmp_path)
    argv = contracts_cmd("mock", "users@1.0.0", "--port", "{port}", "--contracts-dir", str(root))
    with serve(argv, ready_path="/__mock/health") as base:
        args = ("--base-url", base, "--contracts-dir", str(root), "--max-examples", "10", "--format", "json")
        result = cli("test", "users@1.0.0", *args)
    report = json.loads(result.stdout)
    assert result.exit_code == 0, [(f["operation"], f["check"], f["message"]) for f in report["failures"]]


def test_requiring_a_read_only_member_or_dropping_a_write_only_one_is_not_breaking(cli: Cli, tmp_path: Path) -> None:
    token = {"type": "string", "writeOnly": True}
    receipt = {"type": "object", "properties": {"ok": {"type": "boolean"}, "token": token}}
    before = users(tmp_path / "before", {**USER, "required": ["name", "password"]}, receipt)
    after = users(tmp_path / "after", USER, {"type": "object", "properties": {"ok": {"type": "boolean"}}})
    result = cli("diff", str(before / "users/1.0.0"), str(after / "users/1.0.0"), "--format", "json")
    report = json.loads(result.stdout)
    assert result.exit_code == 0 and report["breaking"] is False, [c for c in report["changes"] if c["breaking"]]
    # The same edits on members without the keywords do break: the rule is the direction's, not a blanket pass.
    plain = {**USER, "properties": {**USER["properties"], "id": {"type": "integer"}}}
    plain_receipt = {"type": "object", "properties": {"ok": {"type": "boolean"}, "token": {"type": "string"}}}
    before = users(tmp_path / "plain-before", {**plain, "required": ["name", "password"]}, plain_receipt)
    after = users(tmp_path / "plain-after", plain, {"type": "object", "properties": {"ok": {"type": "boolean"}}})
    result = cli("diff", str(before / "users/1.0.0"), str(after / "users/1.0.0"), "--format", "json")
    breaking = {c["id"] for c in json.loads(result.stdout)["changes"] if c["breaking"]}
    assert {"request-property-became-required", "response-property-removed"} <= breaking, breaking


def test_one_scan_finds_the_omission_marks_on_schemas_and_extension_keywords_anywhere() -> None:
    from validator._directions import scan

    schema = {
        "type": "object",
        "properties": {"id": {"type": "integer", "readOnly": True}},
        # A readOnly inside an example value marks no schema; a keyword inside one still counts.
        "examples": [{"writeOnly": True, "x-sum": 1}],
        "default": {"readOnly": False},
    }
    assert scan([schema], ("x-sum", "x-tensor")) == (frozenset({"readOnly"}), frozenset({"x-sum"}))
    assert scan([{"enum": [{"writeOnly": True}]}], ()) == (frozenset(), frozenset())
    assert scan([[{"items": {"writeOnly": True}}]], ()) == (frozenset({"writeOnly"}), frozenset())
