"""Webhooks and callbacks, the requests an API sends: linted like operations, diffed in the other direction."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from tests.support.cli import Cli
from tests.support.documents import contract_folder, json_response, operation
from validator.lint import lint_paths


def _event(status: dict[str, Any], example: Any = None) -> dict[str, Any]:
    body = {"type": "object", "required": ["status"], "properties": {"status": status}}
    media: dict[str, Any] = {"schema": body}
    if example is not None:
        media["examples"] = {"sample": {"value": example}}
    return {"post": operation({"200": {"description": "received"}}, media, operationId=None)}


def _described(root: Path, webhook: dict[str, Any], callback: dict[str, Any]) -> Path:
    subscribe = operation(
        {"201": json_response({"type": "object"})},
        {"schema": {"type": "object", "properties": {"url": {"type": "string"}}}},
        operationId="subscribe",
        callbacks={"onEvent": {"{$request.body#/url}": callback}},
    )
    for event in (webhook, callback):
        event["post"].pop("operationId")
    return contract_folder(
        root, {"paths": {"/subscriptions": {"post": subscribe}}, "webhooks": {"orderShipped": webhook}}
    )


def test_lint_checks_the_schemas_and_examples_of_webhooks_and_callbacks(tmp_path: Path) -> None:
    bad_schema = {"type": "string", "enum": "shipped"}  # enum must be an array
    root = _described(tmp_path, _event(bad_schema), _event({"type": "string"}, example={"status": 3}))
    problems = [p.to_dict() for p in lint_paths(["t@1.0.0"], root).problems]
    pointers = {p["pointer"] for p in problems}
    assert "/webhooks/orderShipped/post/requestBody/content/application~1json/schema/properties/status/enum" in pointers
    callback = "/paths/~1subscriptions/post/callbacks/onEvent/{$request.body#~1url}/post/requestBody"
    assert f"{callback}/content/application~1json/examples/sample/value/status" in pointers, problems


def test_diff_judges_what_the_api_sends_as_output(cli: Cli, tmp_path: Path) -> None:
    two = {"type": "string", "enum": ["shipped", "delayed"]}
    three = {"type": "string", "enum": ["shipped", "delayed", "lost"]}
    before = _described(tmp_path / "before", _event(two), _event(two))
    after = _described(tmp_path / "after", _event(three), _event(three))
    result = cli("diff", str(before / "t/1.0.0"), str(after / "t/1.0.0"), "--format", "json")
    report = json.loads(result.stdout)
    assert result.exit_code == 1, report
    # A new enum value in a request the API sends reaches consumers that do not know it: output widened.
    widened = [c for c in report["changes"] if c["id"] == "response-enum-value-added"]
    assert {c["operation"] for c in widened} == {
        "POST webhooks/orderShipped",
        "POST callbacks/POST /subscriptions/onEvent/{$request.body#/url}",
    }
    assert all(c["witness"] == {"status": "lost"} for c in widened), widened


def test_diff_reports_a_removed_webhook_as_breaking(cli: Cli, tmp_path: Path) -> None:
    before = _described(tmp_path / "before", _event({"type": "string"}), _event({"type": "string"}))
    after = tmp_path / "after"
    document = yaml.safe_load((before / "t/1.0.0/openapi.yaml").read_text())
    del document["webhooks"]
    contract_folder(after, {k: v for k, v in document.items() if k not in ("openapi", "info")})
    result = cli("diff", str(before / "t/1.0.0"), str(after / "t/1.0.0"), "--format", "json")
    changes = json.loads(result.stdout)["changes"]
    assert result.exit_code == 1
    assert [(c["id"], c["breaking"]) for c in changes] == [("webhook-removed", True)]
