"""The cheaper evaluation-output path reports exactly what ``iter_errors`` reports, wherever it is used."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import jsonschema_rs
import pytest

from tests.support.paths import CONTRACTS
from validator._evaluation import VERIFIED_JSONSCHEMA_RS, describe, is_plain, problems_from_evaluation
from validator.compiled import CompiledContract, errors_to_problems, new_validator
from validator.loader import load
from validator.problems import Problem

from .test_conformance import ASSERTED_FORMATS, REMOTE_RESOURCES, TESTS, require_suite

BASE = "file:///conformance/schema.json"


def _invalid_cases() -> Iterator[tuple[str, Any, Any]]:
    formats = [TESTS / "optional" / "format" / f"{name}.json" for name in ASSERTED_FORMATS]
    for path in sorted(TESTS.glob("*.json")) + formats:
        for group in json.loads(path.read_text()):
            if not isinstance(group["schema"], dict):
                continue
            for test in group["tests"]:
                if not test["valid"]:
                    yield f"{path.name}::{group['description']}::{test['description']}", group["schema"], test["data"]


def _both_paths(schema: dict[str, Any], instance: Any) -> tuple[bool, list[Problem] | None, list[Problem]]:
    registry = jsonschema_rs.Registry([(BASE, schema), *REMOTE_RESOURCES], draft=jsonschema_rs.Draft202012)
    validator = new_validator({"$ref": BASE}, registry)
    resolved = registry.resolver(BASE).lookup(BASE)
    plain = is_plain(resolved.contents, resolved.resolver)

    def lookup(uri: str) -> Any:
        return registry.resolver(BASE).lookup(uri).contents

    fast = problems_from_evaluation(
        validator.evaluate(instance).errors(), instance, lambda location: describe(location, lookup), location="body"
    )
    slow = errors_to_problems(validator.iter_errors(instance), location="body")
    return plain, fast, slow


def test_plain_schemas_of_the_conformance_suite_get_the_same_problems_from_both_paths() -> None:
    require_suite()
    compared = 0
    for name, schema, instance in _invalid_cases():
        try:
            plain, fast, slow = _both_paths(schema, instance)
        except (ValueError, jsonschema_rs.ReferencingError):
            continue  # schemas the engine refuses to compile on their own (covered by test_conformance)
        if plain:
            assert fast is not None, name
            assert sorted(fast) == sorted(slow), name
            compared += 1
    assert compared >= 250  # the gate must keep admitting the ordinary keywords


@pytest.mark.parametrize(
    "schema",
    [
        {"oneOf": [{"type": "string"}, {"type": "integer"}]},
        {"properties": {"a": {"anyOf": [{"type": "string"}]}}},
        {"type": ["string", "integer"]},
        {"unevaluatedProperties": False},
        {"properties": {"a": {"$ref": "#/$defs/x"}}, "$defs": {"x": {"not": {"type": "string"}}}},
        {"properties": {"a": False}},
        {"items": False},
        {"properties": {"a": {}}, "required": ["b"], "additionalProperties": False},
        {
            "items": {"$ref": "#/$defs/closed"},
            "$defs": {
                "closed": {"type": "object", "properties": {}, "required": ["id"], "additionalProperties": False}
            },
        },
        {
            "properties": {
                "a": {"$id": "http://example.com/inner.json", "$ref": "#/$defs/x", "$defs": {"x": {"type": "string"}}}
            }
        },
    ],
)
def test_schemas_whose_reports_differ_are_not_plain(schema: dict[str, Any]) -> None:
    registry = jsonschema_rs.Registry([(BASE, schema)], draft=jsonschema_rs.Draft202012)
    resolved = registry.resolver(BASE).lookup(BASE)
    assert not is_plain(resolved.contents, resolved.resolver)


def test_a_contract_body_with_five_violations_gets_the_same_problems_from_both_paths() -> None:
    contract = load(str(CONTRACTS / "recommendation-api" / "1.1.0"))
    compiled = CompiledContract(contract)
    body = contract.operation("POST /v1/recommendations").request_body
    assert body is not None
    uri = body.content["application/json"].schema_uri
    assert uri is not None
    instance = {"customer_id": "X1", "context": {"channel": "fax", "locale": "english"}, "n": 0, "extra": True}
    fast = compiled.check(uri, instance, location="body")
    slow = errors_to_problems(compiled.validator(uri).iter_errors(instance), location="body")
    assert len(fast) == 5
    assert sorted(fast) == sorted(slow)
    assert {p.pointer for p in fast} == {"/customer_id", "/context/channel", "/context/locale", "/n", "/extra"}


def test_a_bare_additional_properties_false_names_every_member_not_allowed() -> None:
    # iter_errors reports only the first member here, as "False schema does not allow <value>" at the
    # object; the evaluation path names each member, as it does when properties are declared.
    plain, fast, _slow = _both_paths({"additionalProperties": False}, {"zeta": 1, "alpha": 2})
    assert plain and fast is not None
    assert [(p.pointer, p.message) for p in fast] == [
        ("/zeta", "property 'zeta' is not allowed (additionalProperties is false here)"),
        ("/alpha", "property 'alpha' is not allowed (additionalProperties is false here)"),
    ]


@pytest.mark.parametrize("instance", [{"a": 1}, {"z": 1}])
def test_a_closed_object_with_one_required_name_keeps_iter_errors_and_reports_the_missing_name(instance: Any) -> None:
    # The engine's evaluation output files this missing name under additionalProperties.
    plain, _fast, slow = _both_paths(
        {"properties": {"a": {}}, "required": ["b"], "additionalProperties": False}, instance
    )
    assert not plain
    assert ("", "required") in {(p.pointer, p.keyword) for p in slow}


def test_a_payload_location_that_does_not_resolve_falls_back_instead_of_raising() -> None:
    _plain, fast, slow = _both_paths({"items": {"enum": [1]}}, (5,))
    assert fast is None
    assert [p.pointer for p in slow] == ["/0"]


def _mutations(value: Any) -> Iterator[Any]:
    """Payloads near a valid one: each member dropped, retyped, emptied, and one member added, at every depth."""
    if isinstance(value, dict):
        yield {**value, "unexpected member": True}
        for key, member in value.items():
            yield {k: v for k, v in value.items() if k != key}
            replacements: tuple[Any, ...] = (None, 12345678901234567890, "x", [], {}, -1, 1.5)
            for replacement in replacements:
                yield {**value, key: replacement}
            for changed in _mutations(member):
                yield {**value, key: changed}
    elif isinstance(value, list) and value:
        yield [*value, value[0]]
        for changed in _mutations(value[0]):
            yield [changed, *value[1:]]


@pytest.mark.parametrize(
    "ref",
    [
        "recommendation-api/1.0.0",
        "recommendation-api/1.1.0",
        "recommendation-api/2.0.0",
        "client-scoring/1.0.0",
        "contracts-service/1.0.0",
        "contracts-service/1.1.0",
    ],
)
def test_payloads_near_every_example_get_the_same_problems_from_both_paths(ref: str) -> None:
    contract = load(str(CONTRACTS / ref))
    compiled = CompiledContract(contract)
    compared = through_evaluation = 0
    for op in contract.operations:
        media = [
            *(op.request_body.content.values() if op.request_body else ()),
            *(mt for response in op.responses.values() for mt in response.content.values()),
        ]
        for mt in media:
            if mt.schema_uri is None:
                continue
            for example in mt.examples.values():
                for payload in _mutations(example.value):
                    fast = compiled.check(mt.schema_uri, payload, location="body")
                    slow = errors_to_problems(compiled.validator(mt.schema_uri).iter_errors(payload), location="body")
                    assert sorted(fast) == sorted(slow), (op.label, payload)
                    compared += bool(slow)
                    through_evaluation += bool(slow) and compiled._plain(mt.schema_uri)
    assert compared > 0
    assert through_evaluation > 100  # every example contract has plain schemas: the cheaper path is exercised


def test_the_engine_pinned_is_the_one_verified() -> None:
    """The evaluation path depends on jsonschema-rs's output format: a new pin needs this file's tests re-run."""
    from importlib.metadata import version

    installed = version("jsonschema-rs")
    assert installed == VERIFIED_JSONSCHEMA_RS, (
        f"jsonschema-rs {installed} is installed but the evaluation path was verified against "
        f"{VERIFIED_JSONSCHEMA_RS}: run tests/test_evaluation.py, then update VERIFIED_JSONSCHEMA_RS"
    )
