"""Schemas as member tables: references followed inside the contract, recursion bounded, allOf merged."""

from __future__ import annotations

from pathlib import Path

from validator.contract import Contract
from validator.loader import load_document
from validator.service.ui.schema_view import view

DOCUMENT = {
    "openapi": "3.1.0",
    "info": {"title": "t", "version": "1.0.0"},
    "paths": {},
    "components": {
        "schemas": {
            "Node": {
                "type": "object",
                "required": ["id"],
                "additionalProperties": False,
                "properties": {
                    "id": {"type": "string", "minLength": 1, "description": "the id"},
                    "children": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}},
                    "kind": {"enum": ["a", "b"]},
                    "scores": {"type": "object", "x-sum": {"equals": 1}, "additionalProperties": {"type": "number"}},
                },
            },
            "Both": {"allOf": [{"$ref": "#/components/schemas/Node"}, {"properties": {"extra": {"type": "integer"}}}]},
        }
    },
}


def _contract() -> Contract:
    return load_document(DOCUMENT, name="t", version="1.0.0")


def test_members_with_types_requirement_constraints_and_descriptions() -> None:
    contract = _contract()
    shown = view(contract, {"$ref": "#/components/schemas/Node"}, contract.base_uri)
    rows = {m.name: m for m in shown.members}
    assert rows["id"].required and rows["id"].type == "string"
    assert rows["id"].constraints == ["at least 1 characters"] and rows["id"].description == "the id"
    assert rows["kind"].type == 'one of "a", "b"'
    assert rows["scores"].keywords == ["the values of the members add up to 1"]
    assert rows["(any other)"].type == "not allowed"


def test_a_recursive_schema_renders_finitely() -> None:
    contract = _contract()
    shown = view(contract, {"$ref": "#/components/schemas/Node"}, contract.base_uri)
    children = next(m for m in shown.members if m.name == "children")
    assert children.type == "array of (the enclosing Node, recursively)"
    assert children.children == []


def test_all_of_parts_are_merged_into_one_table() -> None:
    contract = _contract()
    shown = view(contract, {"$ref": "#/components/schemas/Both"}, contract.base_uri)
    names = [m.name for m in shown.members]
    assert "id" in names and "extra" in names
    assert next(m for m in shown.members if m.name == "id").required


def test_schema_files_beside_the_document_are_followed() -> None:
    from tests.support.paths import CONTRACTS
    from validator.loader import load
    from validator.refs import resolve

    contract = load(resolve("recommendation-api@2.0.0", Path(CONTRACTS)))
    op = contract.operation("getRecommendations")
    body = op.request_body.content["application/json"]  # type: ignore[union-attr]
    shown = view(contract, {"$ref": body.schema_uri}, contract.base_uri)
    rows = {m.name: m for m in shown.members}
    assert rows["customer_id"].required and "context" in rows and rows["context"].children
