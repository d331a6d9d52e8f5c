"""Static bounds at load: in-place $ref cycles are refused, expansion bombs stop at the limit, recursion is fine."""

from __future__ import annotations

from typing import Any

import pytest

from validator.complexity import check_schemas
from validator.errors import RefCycleError, TooComplexError

BASE = "file:///c/openapi.yaml"


def schemas(**named: Any) -> dict[str, Any]:
    return {BASE: {"components": {"schemas": named}}}


def root(name: str) -> str:
    return f"{BASE}#/components/schemas/{name}"


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def test_recursion_below_properties_and_items_is_not_a_cycle() -> None:
    tree = {"type": "object", "properties": {"children": {"type": "array", "items": ref("Tree")}}}
    check_schemas(schemas(Tree=tree), [root("Tree")], limit=100)


@pytest.mark.parametrize(
    "named",
    [
        {"A": ref("B"), "B": ref("A")},
        {"A": {"anyOf": [{"type": "string"}, ref("A")]}},
        {"A": {"allOf": [{"not": ref("B")}]}, "B": {"if": ref("A")}},
        {"A": {"dependentSchemas": {"x": ref("A")}}},
    ],
)
def test_an_in_place_cycle_is_refused_naming_its_path(named: dict[str, Any]) -> None:
    with pytest.raises(RefCycleError) as caught:
        check_schemas(schemas(**named), [root("A")], limit=100)
    assert caught.value.reason.startswith("$ref cycle: #/components/schemas/")
    assert "never ends" in caught.value.reason


def test_a_shared_subschema_counts_once_per_use_and_the_limit_is_exact() -> None:
    # A evaluates B twice, each B evaluates C twice; every {$ref} is a subschema too:
    # C = 1, B = 1 + 2 * (1 + C) = 5, A = 1 + 2 * (1 + B) = 13.
    named = {"A": {"allOf": [ref("B"), ref("B")]}, "B": {"anyOf": [ref("C"), ref("C")]}, "C": {"type": "string"}}
    check_schemas(schemas(**named), [root("A")], limit=13)
    with pytest.raises(TooComplexError) as caught:
        check_schemas(schemas(**named), [root("A")], limit=12)
    assert caught.value.limit == "expansion"
    assert caught.value.pointer == "/components/schemas/A"


def test_a_bomb_below_a_property_is_found_too() -> None:
    named: dict[str, Any] = {f"n{i}": {"oneOf": [ref(f"n{i + 1}"), ref(f"n{i + 1}")]} for i in range(30)}
    named["n30"] = {"type": "integer"}
    named["Outer"] = {"properties": {"deep": ref("n0")}}
    with pytest.raises(TooComplexError, match="more than 1000 subschemas"):
        check_schemas(schemas(**named), [root("Outer")], limit=1000)
