"""Strict lint: typos and leftovers that weaken a contract are problems, with the closest keyword as hint."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from validator.lint import lint_version
from validator.lint_strict import EXTENSION_SCHEMAS, _extension_validator
from validator.loader import load_document
from validator.problems import Problem

from .compat.build_fixtures import doc


def _problems(document: dict[str, Any]) -> list[Problem]:
    from validator.lint import CHECKS

    contract = load_document(document, version="1.0.0")
    return [p for check in CHECKS for p in check(contract)]


def _with_schema(schema: dict[str, Any], **op: Any) -> dict[str, Any]:
    return doc(req=schema, **op)


@pytest.mark.parametrize(
    ("typo", "hint"),
    [
        ("requried", "required"),
        ("minItem", "minItems"),
        ("maxLenght", "maxLength"),
        ("additionalProperty", "additionalProperties"),
    ],
)
def test_unknown_schema_keyword_is_a_problem_with_the_closest_known_one(typo: str, hint: str) -> None:
    schema = {"type": "object", "properties": {"a": {"type": "array", typo: 1}}}
    [problem] = _problems(_with_schema(schema))
    assert problem.keyword == typo
    assert problem.pointer.endswith(f"/properties/a/{typo}")
    assert problem.hint == f"did you mean {hint!r}?"


def test_property_names_and_extension_keywords_are_not_keywords() -> None:
    schema = {"type": "object", "properties": {"requried": {"type": "string"}}, "x-internal": True}
    assert _problems(_with_schema(schema)) == []


def test_openapi_30_nullable_and_boolean_exclusive_bounds_are_problems() -> None:
    schema = {
        "type": "object",
        "properties": {
            "a": {"type": "string", "nullable": True},
            "n": {"type": "integer", "minimum": 0, "exclusiveMinimum": True},
        },
    }
    problems = _problems(_with_schema(schema))
    kinds = sorted(p.keyword or "" for p in problems if p.keyword in ("nullable", "exclusiveMinimum"))
    assert "nullable" in kinds and "exclusiveMinimum" in kinds
    assert any("null" in (p.hint or "") for p in problems if p.keyword == "nullable")


def test_example_beside_examples_is_a_problem_in_schemas_and_media_types() -> None:
    document = _with_schema({"type": "object", "example": {}, "examples": [{}]})
    media = document["paths"]["/items"]["post"]["responses"]["200"]["content"]["application/json"]
    media.update(example={}, examples={"one": {"value": {}}})
    problems = [p for p in _problems(document) if p.keyword == "example"]
    assert len(problems) == 2


def test_a_misspelled_x_slo_member_is_a_problem() -> None:
    problems = _problems(doc(**{"x-slo": {"latency_p95_ms": 100, "latncy_p99_ms": 200}}))
    assert [p.keyword for p in problems] == ["x-slo"]
    assert "latncy_p99_ms" in problems[0].message


GOOD: dict[str, list[Any]] = {
    "x-slo": [{"latency_p95_ms": 100, "latency_p99_ms": 250}, {"latency_p95_ms": 1.5}],
    "x-match": ["exact", {"tolerance": 0.01, "ignore": ["/generated_at", "/items/0/id"]}, {}],
    "x-tensor": [
        {"name": "input-0", "datatype": "FP32", "shape": ["batch", 4]},
        {"name": "x", "datatype": "BYTES", "shape": [-1]},
    ],
    "x-sum": [{"equals": 1, "tolerance": 1e-6}, {"equals": 1, "tolerance": 1e-6, "of": "/probability"}],
    "x-sorted": [{"order": "asc"}, {"order": "desc", "by": "/score"}],
    "x-relations": [
        [
            {
                "kind": "batch",
                "request": "body:/clients",
                "response": "body:/scores",
                "key": "/client_id",
                "order": "preserved",
            },
            {
                "kind": "batch",
                "request": "body:/a",
                "response": "body:/b",
                "key": {"request": "/id", "response": "/ref"},
                "order": "any",
            },
            {"kind": "echo", "request": "header:X-Request-ID", "response": "header:X-Request-ID"},
            {"kind": "at-most", "request": "body:/n", "response": "body:/recommendations"},
            {"kind": "stable", "response": "body:/model_version"},
            {
                "kind": "variant",
                "response": "body:/variant",
                "forced-by": "header:X-Variant",
                "sticky-by": "body:/customer_id",
            },
        ]
    ],
    "x-sunset": ["2026-06-30", "2026-06-30T00:00:00Z"],
}
BAD: dict[str, list[Any]] = {
    "x-slo": [{"latency_p95": 100}, {"latency_p95_ms": -1}, "fast"],
    "x-match": ["close", {"tolerance": -1}, {"ignore": "/a"}],
    "x-tensor": [
        {"name": "x", "datatype": "FP33", "shape": [4]},
        {"name": "x", "datatype": "FP32", "shape": [4.5]},
        {"name": "x", "datatype": "FP32"},
    ],
    "x-sum": [{"equals": 1}, {"equals": "1", "tolerance": 0}, {"equals": 1, "tolerance": 0, "off": "/p"}],
    "x-sorted": [{"order": "up"}, {"by": "/score"}],
    "x-relations": [
        [{"kind": "batch", "request": "body:/a"}],
        [{"kind": "mirror", "response": "body:/a"}],
        [{"kind": "echo", "request": "cookie:a", "response": "header:A"}],
    ],
    "x-sunset": ["soon", "30/06/2026"],
}


@pytest.mark.parametrize("keyword", sorted(EXTENSION_SCHEMAS))
def test_extension_meta_schema_accepts_the_interface_syntax_and_refuses_the_rest(keyword: str) -> None:
    validator = _extension_validator(keyword)
    for value in GOOD[keyword]:
        assert validator.is_valid(value), (keyword, value)
    for value in BAD[keyword]:
        assert not validator.is_valid(value), (keyword, value)


def test_extension_keywords_are_checked_where_they_stand() -> None:
    schema = {"type": "array", "items": {"type": "number"}, "x-sum": {"equals": 1}}
    document = _with_schema(schema, **{"x-sunset": "soon"})
    media = document["paths"]["/items"]["post"]["responses"]["200"]["content"]["application/json"]
    media["examples"] = {"one": {"value": {}, "x-match": "close"}}
    keywords = sorted(p.keyword or "" for p in _problems(document))
    assert keywords == ["x-match", "x-sum", "x-sunset"]


def test_example_contracts_stay_clean_under_strict_lint(contracts_copy: Any) -> None:
    from validator.refs import resolve

    for folder in sorted(contracts_copy.glob("*/*/openapi.yaml")):
        name, version = folder.parent.parent.name, folder.parent.name
        assert lint_version(resolve(f"{name}@{version}", contracts_copy)) == [], name
    assert copy.deepcopy(GOOD) == GOOD
