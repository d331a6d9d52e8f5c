"""What the version page shows of an operation, read from the loaded contract."""

from __future__ import annotations

from validator.loader import load_document
from validator.service.ui.views import operations

DOCUMENT = {
    "openapi": "3.1.0",
    "info": {"title": "t", "version": "1.0.0"},
    "paths": {
        "/items/{id}": {
            "parameters": [{"$ref": "#/components/parameters/Id"}],
            "get": {
                "parameters": [{"name": "n", "in": "query", "description": "how many", "schema": {"type": "integer"}}],
                "responses": {"200": {"description": "ok"}},
            },
        }
    },
    "components": {
        "parameters": {
            "Id": {"name": "id", "in": "path", "required": True, "description": "the item", "schema": {}},
        }
    },
}


def test_parameter_rows_carry_their_descriptions_also_through_a_ref() -> None:
    (op,) = operations(load_document(DOCUMENT, name="t", version="1.0.0"))
    assert {row[0]: (row[1], row[2], row[4]) for row in op.parameters} == {
        "id": ("path", True, "the item"),
        "n": ("query", False, "how many"),
    }
