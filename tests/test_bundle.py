"""Bundling: one self-contained document that validates exactly as the contract on disk."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.support.paths import CONTRACTS
from validator.bundle import bundle
from validator.compiled import CompiledContract
from validator.loader import iter_refs, load, load_document
from validator.refs import resolve

VERSIONS = [f"{p.parent.name}@{p.name}" for p in sorted(CONTRACTS.glob("*/*")) if (p / "openapi.yaml").is_file()]


@pytest.mark.parametrize("ref", VERSIONS)
def test_every_ref_is_local_after_bundling(ref: str) -> None:
    document = bundle(load(resolve(ref, CONTRACTS)))
    assert all(r.startswith("#") for _, r in iter_refs(document)), [r for _, r in iter_refs(document)]
    load_document(document)  # no folder: a leftover file reference would fail here


def test_bundled_document_validates_like_the_original() -> None:
    original = load(resolve("recommendation-api@1.1.0", CONTRACTS))
    bundled = load_document(bundle(original))
    a, b = CompiledContract(original), CompiledContract(bundled)
    for payload in (
        {"customer_id": "C0001234", "context": {"channel": "web"}},
        {"customer_id": "X", "context": {"channel": "fax"}, "n": 0, "zz": 1},
    ):
        left = a.validate_body(original.operation("getRecommendations"), "request", payload)
        right = b.validate_body(bundled.operation("getRecommendations"), "request", payload)
        assert [(p.pointer, p.keyword) for p in left] == [(p.pointer, p.keyword) for p in right]


def test_refs_inside_and_between_files_are_rewritten(tmp_path: Path) -> None:
    folder = tmp_path / "demo" / "1.0.0"
    (folder / "schemas").mkdir(parents=True)
    (folder / "schemas" / "a.schema.json").write_text(
        json.dumps(
            {
                "$id": "ignored",
                "type": "object",
                "properties": {"b": {"$ref": "b.schema.json#/$defs/B"}, "self": {"$ref": "#/$defs/S"}},
                "$defs": {"S": {"type": "string"}},
            }
        )
    )
    (folder / "schemas" / "b.schema.json").write_text(json.dumps({"$defs": {"B": {"type": "integer"}}}))
    (folder / "openapi.yaml").write_text(
        "openapi: 3.1.0\ninfo: {title: d, version: 1.0.0}\npaths:\n  /x:\n    post:\n      requestBody:\n"
        "        content:\n          application/json:\n            schema: {$ref: 'schemas/a.schema.json'}\n"
        "      responses:\n        '204': {description: ok}\n"
        "components:\n  schemas:\n    a: {type: string}\n"
    )
    document = bundle(load(resolve(str(folder), tmp_path)))
    schemas = document["components"]["schemas"]
    assert set(schemas) == {"a", "a-2", "b"}  # a clash with an existing name gets a suffix
    assert schemas["a-2"]["properties"]["b"] == {"$ref": "#/components/schemas/b/$defs/B"}
    assert schemas["a-2"]["properties"]["self"] == {"$ref": "#/components/schemas/a-2/$defs/S"}
    assert "$id" not in schemas["a-2"]
    contract = load_document(document)
    compiled = CompiledContract(contract)
    op = contract.operation("POST /x")
    assert compiled.validate_body(op, "request", {"b": 1, "self": "s"}) == []
    assert [p.pointer for p in compiled.validate_body(op, "request", {"b": "x", "self": 1})] == ["/b", "/self"]
