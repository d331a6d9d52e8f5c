"""Every rule of the catalogue has a before/after fixture that it, and only it, reports."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from validator.compat import BY_ID, RULES, diff
from validator.compat.catalogue import EXCHANGE, SCHEMA
from validator.compiled import CompiledContract
from validator.contract import Contract
from validator.loader import load, load_document

from .build_fixtures import doc

FIXTURES = Path(__file__).parent / "fixtures"
EQUIVALENT = Path(__file__).parent / "equivalent"
SCHEMA_MODULES = {"schemas", "bounds", "composition", "keywords", "tensors", "outputs"}

# A swap of anyOf and oneOf that also adds or removes a branch is two changes: the swap and the branch.
ALSO = {
    "request-union-swapped-with-added-branch": {"request-any-of-became-one-of-disjoint"},
    "request-union-swapped-with-removed-branch": {"request-one-of-became-any-of"},
    "response-union-swapped-with-added-branch": {"response-any-of-became-one-of"},
    # The branch itself changed too (an enum value), reported by its own rule.
    "request-one-of-overlapping-branch-changed": {"request-enum-value-added"},
    "response-one-of-overlapping-branch-changed": {"response-enum-value-removed"},
}


def test_catalogue_ids_equal_fixture_folders() -> None:
    assert {r.id for r in RULES} == {p.name for p in FIXTURES.iterdir() if p.is_dir()}


def test_catalogue_has_at_least_sixty_rules_with_unique_ids() -> None:
    assert len(RULES) >= 60
    assert len({r.id for r in RULES}) == len(RULES)


def test_rule_id_is_its_function_name_prefixed_by_direction_for_schema_rules() -> None:
    for rule in RULES:
        name = rule.check.__name__.replace("_", "-")
        schema_rule = rule.check.__module__.rsplit(".", 1)[1] in SCHEMA_MODULES
        assert rule.id == (f"{rule.direction}-{name}" if schema_rule else name), rule.id
        assert rule.check.__doc__, f"{rule.id} has no docstring"


@pytest.mark.parametrize("rule_id", sorted(BY_ID))
def test_rule_fixture_reports_exactly_that_rule(rule_id: str) -> None:
    rule = BY_ID[rule_id]
    before, after = load(str(FIXTURES / rule_id / "before")), load(str(FIXTURES / rule_id / "after"))
    report = diff(before, after)
    assert {c.id for c in report.changes} == {rule_id} | ALSO.get(rule_id, set())
    assert report.breaking is rule.breaking
    assert report.required_bump == rule.bump
    for change in (c for c in report.changes if c.id == rule_id):
        assert change.pointer is not None and change.message
        if not rule.breaking:
            assert change.witness is None
        elif rule.scope != SCHEMA or rule.proof == EXCHANGE:
            # Operations, parameters, statuses, media types and behaviour: the exchange that shows it.
            assert change.witness is not None and change.witness.kind == "exchange", rule_id
            assert change.to_dict()["witness"]["new"]
        else:
            assert change.witness is not None and change.witness.kind == "payload", f"{rule_id}: no witness"
            _assert_witness_proves(before, after, rule.direction, change.witness.payload)


def _assert_witness_proves(before: Contract, after: Contract, direction: str, payload: Any) -> None:
    """Confirm independently: request valid under OLD and not NEW; response valid under NEW and not OLD."""
    old_c, new_c = CompiledContract(before), CompiledContract(after)
    op_old, op_new = before.operations[0], after.operations[0]
    if direction == "request":
        assert old_c.validate_body(op_old, "request", payload) == []
        assert new_c.validate_body(op_new, "request", payload) != []
    else:
        assert new_c.validate_body(op_new, "response", payload, status=200) == []
        assert old_c.validate_body(op_old, "response", payload, status=200) != []


@pytest.mark.parametrize("case", sorted(p.name for p in EQUIVALENT.iterdir()))
def test_equivalent_rewrite_is_not_a_change(case: str) -> None:
    report = diff(load(str(EQUIVALENT / case / "before")), load(str(EQUIVALENT / case / "after")))
    assert report.changes == ()
    assert report.required_bump == "none"


def test_recursive_schema_change_is_found_once_and_the_walk_terminates() -> None:
    tree: dict[str, Any] = {
        "type": "object",
        "required": ["name"],
        "properties": {
            "name": {"type": "string"},
            "children": {"type": "array", "items": {"$ref": "#/components/schemas/Tree"}},
        },
    }
    narrowed = {**tree, "properties": {**tree["properties"], "name": {"type": "string", "maxLength": 8}}}
    old, new = (doc(req={"$ref": "#/components/schemas/Tree"}) for _ in range(2))
    old["components"] = {"schemas": {"Tree": tree}}
    new["components"] = {"schemas": {"Tree": narrowed}}
    report = diff(load_document(old), load_document(new))
    assert [c.id for c in report.changes] == ["request-max-length-lowered"]
    assert report.changes[0].witness is not None
    assert len(report.changes[0].witness.payload["name"]) > 8


def test_response_property_added_to_open_object_is_not_breaking_but_closed_is() -> None:
    open_old, open_new = (
        doc(resp={"type": "object"}),
        doc(resp={"type": "object", "properties": {"x": {"type": "string"}}}),
    )
    assert not diff(load_document(open_old), load_document(open_new)).breaking
    closed_old = doc(resp={"type": "object", "additionalProperties": False})
    closed_new = doc(resp={"type": "object", "properties": {"x": {"type": "string"}}, "additionalProperties": False})
    assert diff(load_document(closed_old), load_document(closed_new)).breaking
