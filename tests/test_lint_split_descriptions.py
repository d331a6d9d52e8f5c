"""Lint of descriptions as public APIs write them: split across many files, with many schemas to fix."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.support.documents import contract_folder, json_response, operation
from validator.lint import lint_paths
from validator.loader import MAX_FILES_VARIABLE, load


def _problems(root: Path, ref: str = "t@1.0.0") -> list[dict[str, Any]]:
    return [p.to_dict() for p in lint_paths([ref], root).problems]


def _split(tmp_path: Path) -> Path:
    """Parameters, responses, request bodies and schemas each in files of their own, as Redocly's split layout does."""
    get = operation(
        {"200": {"$ref": "responses/Pets.yaml"}},
        parameters=[{"$ref": "parameters/limit.yaml"}, {"$ref": "parameters/common.yaml#/Tenant"}],
        operationId="listPets",
    )
    post = operation({"201": {"$ref": "responses/Pets.yaml"}}, operationId="addPet")
    post["requestBody"] = {"$ref": "request-bodies/NewPet.yaml"}
    files = {
        "parameters/limit.yaml": {
            "name": "limit",
            "in": "query",
            "required": False,
            "schema": {"$ref": "../schemas/Limit.yaml"},
            "examples": {"small": {"value": 3}},
        },
        "parameters/common.yaml": {
            "Tenant": {"name": "X-Tenant", "in": "header", "required": False, "schema": {"type": "string"}}
        },
        "responses/Pets.yaml": {
            "description": "pets",
            "headers": {"X-Total": {"$ref": "../headers/Total.yaml"}},
            "content": {"application/json": {"schema": {"type": "array", "items": {"$ref": "../schemas/Pet.yaml"}}}},
        },
        "headers/Total.yaml": {"required": False, "schema": {"type": "integer"}},
        "request-bodies/NewPet.yaml": {
            "required": True,
            "content": {"application/json": {"schema": {"$ref": "../schemas/Pet.yaml"}}},
        },
        "schemas/Limit.yaml": {"type": "integer", "minimum": 1},
        "schemas/Pet.yaml": {
            "type": "object",
            "required": ["name"],
            "properties": {"name": {"type": "string"}, "owner": {"$ref": "Owner.yaml"}},
        },
        "schemas/Owner.yaml": {"type": "object", "properties": {"email": {"type": "string", "format": "email"}}},
    }
    return contract_folder(tmp_path, {"paths": {"/pets": {"get": get, "post": post}}}, files)


def test_a_split_parameter_or_response_file_is_not_judged_as_a_json_schema(tmp_path: Path) -> None:
    root = _split(tmp_path)
    assert _problems(root) == []
    kinds = load("t@1.0.0", root).kinds
    shown = {uri.rpartition("/1.0.0/")[2]: kind for uri, kind in kinds.items()}
    assert shown["parameters/limit.yaml#"] == "parameter"
    assert shown["parameters/common.yaml#/Tenant"] == "parameter"
    assert shown["responses/Pets.yaml#"] == "response"
    assert shown["headers/Total.yaml#"] == "header"
    assert shown["request-bodies/NewPet.yaml#"] == "requestBody"
    assert shown["schemas/Limit.yaml#"] == shown["schemas/Pet.yaml#"] == shown["schemas/Owner.yaml#"] == "schema"


def test_an_invalid_schema_in_a_split_file_is_still_found(tmp_path: Path) -> None:
    root = _split(tmp_path)
    (root / "t/1.0.0/schemas/Owner.yaml").write_text("type: object\nrequired: email\n")
    [problem] = _problems(root)
    assert problem["file"].endswith("schemas/Owner.yaml") and problem["pointer"] == "/required"
    assert "not valid JSON Schema" in problem["message"]


def _many_files(tmp_path: Path, count: int) -> Path:
    properties = {f"p{i}": {"$ref": f"schemas/S{i}.json"} for i in range(count)}
    files = {f"schemas/S{i}.json": {"type": "string"} for i in range(count)}
    schema = {"type": "object", "properties": properties}
    return contract_folder(tmp_path, {"paths": {"/x": {"get": operation({"200": json_response(schema)})}}}, files)


def test_the_file_cap_is_reported_once_with_a_pointer_and_a_hint(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _many_files(tmp_path, 40)
    monkeypatch.setenv(MAX_FILES_VARIABLE, "10")
    [problem] = _problems(root)
    assert "more than 10 files" in problem["message"]
    assert problem["pointer"].startswith("/paths/~1x/get/responses/200/content/application~1json/schema/properties/p")
    assert problem["line"] is not None and MAX_FILES_VARIABLE in problem["hint"]
    monkeypatch.setenv(MAX_FILES_VARIABLE, "100")
    assert _problems(root) == []


def test_every_invalid_schema_is_reported_in_one_run(tmp_path: Path) -> None:
    bad = {f"Bad{i}": {"type": "object", "required": False} for i in range(8)}
    responses = {"200": json_response({"$ref": "#/components/schemas/Bad0"})}
    root = contract_folder(tmp_path, {"paths": {"/x": {"get": operation(responses)}}, "components": {"schemas": bad}})
    problems = _problems(root)
    assert sorted(p["pointer"] for p in problems) == [f"/components/schemas/Bad{i}/required" for i in range(8)]


def test_schemas_that_do_not_compile_are_all_reported(tmp_path: Path) -> None:
    responses = {
        s: json_response({"type": "string", "pattern": f"([a-z]{i}"}, str(s)) for i, s in enumerate(("200", "404"))
    }
    root = contract_folder(tmp_path, {"paths": {"/x": {"get": operation(responses)}}})
    problems = _problems(root)
    assert {p["pointer"] for p in problems} >= {
        "/paths/~1x/get/responses/200/content/application~1json/schema/pattern",
        "/paths/~1x/get/responses/404/content/application~1json/schema/pattern",
    }, problems


def test_a_ref_inside_an_extension_is_data_and_a_default_response_ref_is_followed(tmp_path: Path) -> None:
    responses = {"200": json_response({"type": "object"}), "default": {"$ref": "responses/Error.yaml"}}
    document = {
        "x-topics": [{"title": "Getting started", "content": {"$ref": "docs/getting-started.md"}}],  # Bump's
        "paths": {"/x": {"get": operation(responses)}},
    }
    error = {"description": "error", "content": {"application/json": {"schema": {"type": "object"}}}}
    root = contract_folder(tmp_path, document, {"responses/Error.yaml": error})
    assert _problems(root) == []
    [op] = load("t@1.0.0", root).operations
    assert op.responses["default"].content["application/json"].schema == {"type": "object"}
