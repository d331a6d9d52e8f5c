"""A case the tool cannot send is a tool error for that case: the run goes on and reports (over real HTTP)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.support.cli import Cli
from tests.support.documents import contract_folder, json_response, operation
from tests.support.servers import contracts_cmd, serve


def test_a_url_too_long_to_build_is_a_tool_error_and_the_run_goes_on(cli: Cli, tmp_path: Path) -> None:
    # A real description's bound: the boundary case of maxLength 152133 is a URL over httpx's 64 KiB.
    search = {"name": "q", "in": "query", "required": True, "schema": {"type": "string", "maxLength": 152133}}
    ok = json_response({"type": "object"}, example={"ok": True})
    paths = {
        "/search": {"get": operation({"200": ok}, operationId="search", parameters=[search])},
        "/health": {"get": operation({"200": ok}, operationId="health")},
    }
    root = contract_folder(tmp_path, {"paths": paths}, name="long")
    argv = contracts_cmd("mock", "long@1.0.0", "--port", "{port}", "--contracts-dir", str(root))
    with serve(argv, ready_path="/__mock/health") as base:
        common = ("--base-url", base, "--contracts-dir", str(root), "--max-examples", "5", "--seed", "3")
        result = cli("test", "long@1.0.0", *common, "--format", "json")
        text = cli("test", "long@1.0.0", *common)
    report = json.loads(result.stdout)
    assert result.exit_code == 0, report["failures"]  # the API did nothing wrong; the tool could not send
    assert report["failures"] == [] and report["cases"] > len(report["errors"]) > 0
    assert {e["operation"] for e in report["errors"]} == {"search"}
    assert all("URL too long" in e["message"] and len(e["request"]) < 300 for e in report["errors"])
    assert {c["operation"]: c["cases"] > 0 for c in report["coverage"]} == {"search": True, "health": True}
    assert text.exit_code == 0 and "tool error search" in text.stdout and "not sent" in text.stdout


def test_an_example_header_http_cannot_carry_is_a_tool_error_not_a_finding_about_the_api(
    cli: Cli, tmp_path: Path
) -> None:
    # httpx sends a \x01 in a header value; the server then drops the header and rightly refuses the
    # request as missing it, which read as three violations of a compliant API.
    ok = json_response({"type": "object"}, examples={"bell": {"value": {"a": 1}}})
    tone = {"name": "X-Tone", "in": "header", "required": True, "schema": {"type": "string"}}
    tone["examples"] = {"bell": {"value": "ding\u0001dong"}}
    ring = operation({"200": ok}, operationId="ring", parameters=[tone])
    root = contract_folder(tmp_path, {"paths": {"/ring": {"get": ring}}}, name="bell")
    argv = contracts_cmd("mock", "bell@1.0.0", "--port", "{port}", "--contracts-dir", str(root))
    with serve(argv, ready_path="/__mock/health") as base:
        common = ("--base-url", base, "--contracts-dir", str(root), "--max-examples", "5", "--seed", "3")
        result = cli("test", "bell@1.0.0", *common, "--format", "json")
    report = json.loads(result.stdout)
    assert result.exit_code == 0, report["failures"]
    assert report["failures"] == []
    (error,) = report["errors"]
    assert error["case"] == "example 'bell'"
    assert "header 'X-Tone'" in error["message"] and "cannot carry" in error["message"]
