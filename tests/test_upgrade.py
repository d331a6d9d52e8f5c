"""Reading OpenAPI 3.0 as the 3.1 model: one test per conversion rule, the pointer map, the files reached."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from openapi_schema_validator import OAS30Validator

from validator.compiled import new_validator
from validator.loader import load
from validator.upgrade import TARGET, Conversion, convert, upgraded_document

BASE = "file:///c/openapi.yaml"


def _converted(schema: Any, **components: Any) -> tuple[Any, Conversion]:
    """The conversion of ``schema`` standing at /components/schemas/S of a 3.0 document."""
    document = {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1.0.0"},
        "paths": {},
        "components": {"schemas": {"S": schema, **components}},
    }
    out, _lines, conversion = convert(BASE, {BASE: document}, {BASE: {}})
    return out[BASE]["components"]["schemas"]["S"], conversion


def _accepts(schema: Any, instance: Any) -> bool:
    return bool(new_validator(schema).is_valid(instance))


# -- nullable ---------------------------------------------------------------------------------------
def test_nullable_beside_type_becomes_a_type_list() -> None:
    schema, conversion = _converted({"type": "string", "nullable": True, "maxLength": 3})
    assert schema == {"type": ["string", "null"], "maxLength": 3}
    assert conversion.counts["nullable"] == 1


def test_nullable_beside_an_enum_adds_null_to_the_enum() -> None:
    schema, _ = _converted({"type": "string", "enum": ["cat", "dog"], "nullable": True})
    assert schema == {"type": ["string", "null"], "enum": ["cat", "dog", None]}


def test_nullable_beside_a_ref_wraps_the_ref_in_an_anyof_with_null() -> None:
    schema, conversion = _converted({"$ref": "#/components/schemas/O", "nullable": True, "description": "d"})
    assert schema == {"description": "d", "anyOf": [{"$ref": "#/components/schemas/O"}, {"type": "null"}]}
    assert conversion.original_pointer(BASE, "/components/schemas/S/anyOf/0/$ref") == "/components/schemas/S/$ref"
    assert conversion.original_pointer(BASE, "/components/schemas/S/anyOf/1") == "/components/schemas/S/nullable"


def test_nullable_beside_allof_wraps_the_allof_and_keeps_the_pointer_map() -> None:
    part = {"type": "object", "required": ["a"]}
    schema, conversion = _converted({"allOf": [part], "nullable": True, "properties": {"a": {"type": "integer"}}})
    assert schema == {"properties": {"a": {"type": "integer"}}, "anyOf": [{"allOf": [part]}, {"type": "null"}]}
    assert _accepts(schema, None) and _accepts(schema, {"a": 1}) and not _accepts(schema, {})
    moved = "/components/schemas/S/anyOf/0/allOf/0/required"
    assert conversion.original_pointer(BASE, moved) == "/components/schemas/S/allOf/0/required"
    assert (
        conversion.converted_pointer(BASE, "/components/schemas/S/allOf/0") == "/components/schemas/S/anyOf/0/allOf/0"
    )


def test_nullable_beside_a_lone_anyof_adds_a_null_branch_in_place() -> None:
    schema, conversion = _converted({"anyOf": [{"type": "string"}, {"type": "integer"}], "nullable": True})
    assert schema == {"anyOf": [{"type": "string"}, {"type": "integer"}, {"type": "null"}]}
    assert not conversion.moved
    assert conversion.original_pointer(BASE, "/components/schemas/S/anyOf/0") == "/components/schemas/S/anyOf/0"


def test_nullable_beside_oneof_and_type_admits_null_once() -> None:
    branches = [{"type": "object", "required": ["a"]}, {"type": "object", "required": ["b"]}]
    schema, _ = _converted({"type": "object", "oneOf": branches, "nullable": True})
    assert schema["type"] == ["object", "null"]
    assert _accepts(schema, None) and _accepts(schema, {"a": 1}) and not _accepts(schema, {"a": 1, "b": 2})


def test_x_nullable_is_read_as_nullable() -> None:
    schema, _ = _converted({"type": "integer", "x-nullable": True})
    assert schema == {"type": ["integer", "null"]}


def test_nullable_false_says_nothing_and_goes() -> None:
    schema, _ = _converted({"type": "integer", "nullable": False})
    assert schema == {"type": "integer"}


def test_untyped_nullable_schema_already_admits_null() -> None:
    schema, _ = _converted({"properties": {"a": {"type": "string"}}, "nullable": True})
    assert schema == {"properties": {"a": {"type": "string"}}}


# -- the other rules --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("written", "read"),
    [
        ({"minimum": 0, "exclusiveMinimum": True}, {"exclusiveMinimum": 0}),
        ({"maximum": 9, "exclusiveMaximum": True}, {"exclusiveMaximum": 9}),
        ({"minimum": 0, "exclusiveMinimum": False}, {"minimum": 0}),
        ({"exclusiveMaximum": True}, {}),
    ],
)
def test_boolean_exclusive_bounds_become_the_bound(written: dict[str, Any], read: dict[str, Any]) -> None:
    schema, _ = _converted({"type": "number", **written})
    assert schema == {"type": "number", **read}


def test_a_schema_example_becomes_examples_and_points_back() -> None:
    schema, conversion = _converted({"type": "string", "example": "Rex"})
    assert schema == {"type": "string", "examples": ["Rex"]}
    assert conversion.original_pointer(BASE, "/components/schemas/S/examples/0") == "/components/schemas/S/example"


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ({"type": "file"}, {"type": "string", "contentMediaType": "application/octet-stream"}),
        ({"type": "string", "format": "binary"}, {"type": "string", "contentMediaType": "application/octet-stream"}),
        ({"type": "string", "format": "byte"}, {"type": "string", "contentEncoding": "base64"}),
        ({"type": "string", "format": "date"}, {"type": "string", "format": "date"}),
    ],
)
def test_file_and_binary_formats_become_content_keywords(written: dict[str, Any], read: dict[str, Any]) -> None:
    schema, _ = _converted(written)
    assert schema == read


def test_constraints_beside_a_ref_are_dropped_as_30_ignored_them() -> None:
    schema, conversion = _converted({"$ref": "#/components/schemas/O", "maxLength": 2, "readOnly": True})
    assert schema == {"$ref": "#/components/schemas/O", "readOnly": True}
    assert conversion.counts["ref-siblings"] == 1


def test_the_version_becomes_31_and_nothing_else_of_the_document_changes() -> None:
    document = {"openapi": "3.0.2", "info": {"title": "t", "version": "1"}, "paths": {"/a": {"get": {}}}}
    before = copy.deepcopy(document)
    out, _lines, conversion = convert(BASE, {BASE: document}, {BASE: {}})
    assert out[BASE] == {**before, "openapi": TARGET} and conversion.source == "3.0.2"
    assert document == before  # the description as written is kept intact
    assert out[BASE]["paths"] is document["paths"]  # what does not change is shared, not copied


def test_every_schema_position_is_converted() -> None:
    nullable = {"type": "string", "nullable": True}
    media = {"schema": nullable, "example": None}
    document = {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/a": {
                "parameters": [{"name": "q", "in": "query", "schema": nullable}],
                "post": {
                    "requestBody": {"content": {"application/json": media}},
                    "responses": {"200": {"description": "ok", "headers": {"X": {"schema": nullable}}}},
                    "callbacks": {"c": {"{$url}": {"post": {"responses": {"200": {"content": {"a/b": media}}}}}}},
                },
            }
        },
    }
    out, _lines, conversion = convert(BASE, {BASE: document}, {BASE: {}})
    assert conversion.counts["nullable"] == 4
    assert "nullable" not in str(out[BASE])


def test_a_reference_into_a_moved_subtree_is_retargeted() -> None:
    wrapped = {"allOf": [{"type": "object"}], "nullable": True}
    schema, _ = _converted({"$ref": "#/components/schemas/W/allOf/0"}, W=wrapped)
    assert schema == {"$ref": "#/components/schemas/W/anyOf/0/allOf/0"}


# -- what 3.0 means, checked against a 3.0 validator --------------------------------------------------
# Where OpenAPI 3.0.3 is unambiguous (nullable beside a type, boolean bounds, formats), the converted
# schema accepts exactly what openapi-schema-validator's OAS 3.0 validator accepts.
SAME_MEANING = [
    {"type": "string", "nullable": True, "minLength": 2},
    {"type": "integer", "minimum": 1, "exclusiveMinimum": True, "maximum": 5, "exclusiveMaximum": True},
    {"type": "number", "minimum": 1, "exclusiveMinimum": False},
    {"type": "array", "items": {"type": "integer", "nullable": True}, "nullable": True},
    {"type": "object", "properties": {"a": {"type": "boolean", "nullable": True}}, "required": ["a"]},
    {"type": "string", "example": "x", "pattern": "^x"},
]
INSTANCES = [None, "", "x", "xy", 0, 1, 2, 5, 1.5, True, [], [None], [1, None], {}, {"a": None}, {"a": True}]


@pytest.mark.parametrize("schema", SAME_MEANING)
def test_converted_schemas_accept_what_the_30_validator_accepts(schema: dict[str, Any]) -> None:
    converted, _ = _converted(schema)
    oas30 = OAS30Validator(schema)
    for instance in INSTANCES:
        assert _accepts(converted, instance) == oas30.is_valid(instance), (schema, instance)


# -- through the loader: files, lines, what the contract says -----------------------------------------
def _folder(root: Path, document: dict[str, Any], files: dict[str, Any] | None = None) -> Path:
    folder = root / "pets" / "1.0.0"
    folder.mkdir(parents=True)
    (folder / "openapi.yaml").write_text(yaml.safe_dump(document, sort_keys=False))
    for name, data in (files or {}).items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(json.dumps(data) if name.endswith(".json") else yaml.safe_dump(data))
    return folder


def _doc(**extra: Any) -> dict[str, Any]:
    return {"openapi": "3.0.3", "info": {"title": "Pets", "version": "1.0.0"}, **extra}


def test_schemas_in_referenced_files_are_converted_and_json_schema_files_left_alone(tmp_path: Path) -> None:
    get = {
        "parameters": [{"$ref": "params.yaml#/limit"}],
        "responses": {
            "200": {
                "description": "ok",
                "content": {"application/json": {"schema": {"$ref": "pet.yaml"}}},
            },
            "201": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "plain.json"}}}},
        },
    }
    files = {
        "params.yaml": {"limit": {"name": "limit", "in": "query", "schema": {"type": "integer", "nullable": True}}},
        "pet.yaml": {"type": "object", "properties": {"tag": {"type": "string", "x-nullable": True}}},
        "plain.json": {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$ref": "#/$defs/a",
            "$defs": {"a": {}},
        },
    }
    _folder(tmp_path, _doc(paths={"/pets": {"get": get}}), files)
    contract = load("pets@1.0.0", tmp_path)
    by_name = {uri.rsplit("/", 1)[-1]: data for uri, data in contract.resources.items()}
    assert by_name["params.yaml"]["limit"]["schema"] == {"type": ["integer", "null"]}
    assert by_name["pet.yaml"]["properties"]["tag"] == {"type": ["string", "null"]}
    assert by_name["plain.json"] == files["plain.json"]
    [op] = contract.operations
    assert op.parameters[0].schema == {"type": ["integer", "null"]}


def test_lines_of_moved_places_are_the_lines_as_written(tmp_path: Path) -> None:
    folder = tmp_path / "pets" / "1.0.0"
    folder.mkdir(parents=True)
    (folder / "openapi.yaml").write_text(
        "openapi: 3.0.3\n"
        "info: {title: Pets, version: 1.0.0}\n"
        "paths: {}\n"
        "components:\n"
        "  schemas:\n"
        "    Pet:\n"
        "      nullable: true\n"  # line 7
        "      allOf:\n"  # line 8
        "        - {type: object}\n"  # line 9
    )
    contract = load("pets@1.0.0", tmp_path)
    uri = contract.base_uri + "#/components/schemas/Pet"
    assert contract.line_of(uri + "/anyOf/0/allOf/0") == 9
    assert contract.line_of(uri + "/anyOf/1") == 7
    assert contract.source_uri(uri + "/anyOf/0/allOf/0") == uri + "/allOf/0"


def test_the_upgraded_document_is_one_31_document(tmp_path: Path) -> None:
    schema = {"$ref": "pet.yaml"}
    paths = {"/p": {"get": {"responses": {"200": {"description": "ok", "content": {"a/json": {"schema": schema}}}}}}}
    _folder(tmp_path, _doc(paths=paths), {"pet.yaml": {"type": "string", "nullable": True}})
    document = upgraded_document(load("pets@1.0.0", tmp_path))
    assert document["openapi"] == TARGET
    assert document["components"]["schemas"]["pet"] == {"type": ["string", "null"]}


def test_a_reference_into_a_moved_subtree_is_retargeted_through_the_loader() -> None:
    from validator.loader import load_document

    schemas = {"W": {"allOf": [{"type": "object"}], "nullable": True}, "S": {"$ref": "#/components/schemas/W/allOf/0"}}
    document = {"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {}}
    contract = load_document({**document, "components": {"schemas": schemas}})
    assert contract.document["components"]["schemas"]["S"] == {"$ref": "#/components/schemas/W/anyOf/0/allOf/0"}
