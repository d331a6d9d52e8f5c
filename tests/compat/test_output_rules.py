"""x-sum and x-sorted changes whose witness needs values aimed at both declarations (other member, other order)."""

from __future__ import annotations

from typing import Any

from validator.compat import diff
from validator.compiled import CompiledContract
from validator.loader import load_document

from .build_fixtures import NUM, S, doc, obj, ranking

ROWS: dict[str, Any] = {"type": "array", "items": obj({"label": S, "p": NUM, "q": NUM}, ["label", "p", "q"])}


def _response_witness(old: dict[str, Any], new: dict[str, Any], rule: str) -> Any:
    before, after = load_document(old), load_document(new)
    report = diff(before, after)
    change = next(c for c in report.changes if c.id == rule)
    assert change.breaking and change.witness is not None, change
    payload = change.witness.payload
    op_old, op_new = before.operations[0], after.operations[0]
    assert CompiledContract(after).validate_body(op_new, "response", payload, status=200) == []
    refused = CompiledContract(before).validate_body(op_old, "response", payload, status=200)
    assert refused and refused[0].keyword in ("x-sum", "x-sorted"), refused
    return payload


def test_a_sum_moved_to_another_member_is_witnessed_by_rows_adding_up_only_there() -> None:
    old = doc(resp={**ROWS, "x-sum": {"equals": 1, "of": "/p"}})
    new = doc(resp={**ROWS, "x-sum": {"equals": 1, "of": "/q"}})
    rows = _response_witness(old, new, "response-sum-changed")
    assert abs(sum(r["q"] for r in rows) - 1) <= 1e-6 and abs(sum(r["p"] for r in rows) - 1) > 1e-6


def test_a_ranking_sorted_by_another_member_is_witnessed_by_items_ordered_only_by_it() -> None:
    old = doc(resp=ranking({"order": "desc", "by": "/score"}))
    ranked = ranking(None)
    ranked["items"]["properties"]["rank"] = {"type": "integer"}
    new = doc(resp={**ranked, "x-sorted": {"order": "asc", "by": "/rank"}})
    items = _response_witness(old, new, "response-sorted-changed")
    assert [i["rank"] for i in items] == sorted(i["rank"] for i in items)
    assert [i["score"] for i in items] != sorted((i["score"] for i in items), reverse=True)


def test_the_same_declaration_written_twice_is_no_change() -> None:
    declared = doc(resp={**ROWS, "x-sum": {"equals": 1, "of": "/p", "tolerance": 1e-6}})
    assert diff(load_document(declared), load_document(declared)).changes == ()
