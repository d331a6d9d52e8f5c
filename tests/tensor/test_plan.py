"""Where x-tensor applies: through $ref and allOf statically, through oneOf by the engine's annotations."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from validator.compiled import CompiledContract
from validator.loader import load
from validator.payload import parse_json

from .conftest import oip_document, tensor_schema, write_contract


def _compiled(tmp_path: Path, inputs_schema: dict[str, Any], schemas: dict[str, Any]) -> CompiledContract:
    doc = oip_document([], [])
    body = doc["paths"]["/v2/models/m/infer"]["post"]["requestBody"]["content"]["application/json"]
    body["schema"]["properties"]["inputs"] = inputs_schema
    doc["components"] = {"schemas": schemas}
    return CompiledContract(load(str(write_contract(tmp_path, doc))))


def _pointers(compiled: CompiledContract, body: Any) -> list[str]:
    op = compiled.contract.operation("infer")
    return [p.pointer for p in compiled.validate_body(op, "request", body) if p.keyword == "x-tensor"]


def test_through_ref_and_all_of(tmp_path: Path) -> None:
    schemas = {"X": {"allOf": [tensor_schema("x", "INT64", [-1])]}}
    compiled = _compiled(tmp_path, {"type": "array", "items": {"$ref": "#/components/schemas/X"}}, schemas)
    body = {"inputs": [{"name": "x", "shape": [2], "datatype": "INT64", "data": [1, 2, 3]}]}
    assert _pointers(compiled, body) == ["/inputs/0/data"]


def test_through_one_of_by_annotations(tmp_path: Path) -> None:
    schemas = {"X": tensor_schema("x", "INT8", [2]), "Y": tensor_schema("y", "UINT8", [1])}
    one_of = {"oneOf": [{"$ref": "#/components/schemas/X"}, {"$ref": "#/components/schemas/Y"}]}
    schemas["X"]["properties"]["name"] = {"const": "x"}
    schemas["Y"]["properties"]["name"] = {"const": "y"}
    compiled = _compiled(tmp_path, {"type": "array", "items": one_of}, schemas)
    body = {
        "inputs": [
            {"name": "x", "shape": [2], "datatype": "INT8", "data": [1, 128]},
            {"name": "y", "shape": [1], "datatype": "UINT8", "data": [-1]},
        ]
    }
    assert _pointers(compiled, body) == ["/inputs/0/data/1", "/inputs/1/data/0"]


def test_int64_and_uint64_bounds_are_exact(tmp_path: Path) -> None:
    schemas = {"X": tensor_schema("x", "INT64", [2]), "U": tensor_schema("u", "UINT64", [2])}
    items = {"prefixItems": [{"$ref": "#/components/schemas/X"}, {"$ref": "#/components/schemas/U"}]}
    compiled = _compiled(tmp_path, {"type": "array", **items}, schemas)
    ok = b'{"inputs": [{"name": "x", "shape": [2], "datatype": "INT64", '
    ok += b'"data": [-9223372036854775808, 9223372036854775807]},'
    ok += b'{"name": "u", "shape": [2], "datatype": "UINT64", "data": [0, 18446744073709551615]}]}'
    assert _pointers(compiled, parse_json(ok)) == []
    bad = ok.replace(b"9223372036854775807]", b"9223372036854775808]").replace(b"551615", b"551616")
    op = compiled.contract.operation("infer")
    found = [p for p in compiled.validate_body(op, "request", parse_json(bad)) if p.keyword == "x-tensor"]
    assert [(p.pointer, p.message) for p in found] == [
        (
            "/inputs/0/data/1",
            "element 9223372036854775808 is outside INT64's range -9223372036854775808..9223372036854775807"
            " (INT64 tensor 'x')",
        ),
        (
            "/inputs/1/data/1",
            "element 18446744073709551616 is outside UINT64's range 0..18446744073709551615 (UINT64 tensor 'u')",
        ),
    ]


def test_a_schema_without_extension_keywords_has_no_plan(tmp_path: Path) -> None:
    compiled = _compiled(tmp_path, {"type": "array"}, {})
    uri = compiled.schema_uris()[0]
    assert compiled.locate(uri, {"inputs": []}) == []


def test_fp16_range_and_non_finite_values(tmp_path: Path) -> None:
    schemas = {"H": tensor_schema("h", "FP16", [3])}
    compiled = _compiled(tmp_path, {"type": "array", "items": {"$ref": "#/components/schemas/H"}}, schemas)
    inside = {"inputs": [{"name": "h", "shape": [3], "datatype": "FP16", "data": [65519.0, -65504, 0.5]}]}
    assert _pointers(compiled, inside) == []
    beyond = {"inputs": [{"name": "h", "shape": [3], "datatype": "FP16", "data": [1.0, 65520.0, 0.5]}]}
    assert _pointers(compiled, beyond) == ["/inputs/0/data/1"]
    # Only a lenient JSON reader (a Python caller's json.loads) makes NaN; it is still no FP16 value.
    nan = json.loads('{"inputs": [{"name": "h", "shape": [3], "datatype": "FP16", "data": [1, NaN, 2]}]}')
    assert _pointers(compiled, nan) == ["/inputs/0/data/1"]
