"""Generated responses: valid (checked by a second, independent engine), deterministic, realistic."""

from __future__ import annotations

import re
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mocks.generate import GenerationError, Generator
from tests.mocks.conftest import EXAMPLE_REFS
from tests.support.documents import SENDABLE_HEADERS, UNSENDABLE_HEADERS
from tests.support.paths import CONTRACTS
from validator.compiled import CompiledContract
from validator.loader import load, load_document
from validator.wire import is_field_value

NODE = {
    "type": "object",
    "required": ["name"],
    "additionalProperties": False,
    "properties": {
        "name": {"type": "string", "minLength": 1},
        "children": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}},
    },
}
PATTERNS = ["^[A-Z]{3}-[0-9]{4}$", "^P[0-9]{5}$", "^[a-z]+(-[a-z]+)*$", r"\d{2,4}", "^(foo|bar)_[0-9]+$"]
FORMATS = ["date-time", "date", "time", "email", "uuid", "uri", "ipv4", "ipv6", "hostname", "duration"]
UUID4 = r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-1000, 1000), st.text(max_size=5))


@st.composite
def _bounded(draw: st.DrawFn, kind: str) -> dict[str, Any]:
    low = draw(st.integers(-50, 50))
    high = low + draw(st.integers(0, 100))
    schema: dict[str, Any] = {"type": kind}
    if draw(st.booleans()):
        schema["minimum"] = low
    if draw(st.booleans()):
        schema["maximum"] = high
    if kind == "number" and draw(st.booleans()) and high - low >= 2:
        schema.pop("minimum", None)
        schema["exclusiveMinimum"] = low
    if kind == "integer" and draw(st.booleans()):
        schema["multipleOf"] = draw(st.sampled_from([2, 5]))
        schema["maximum"] = high + 10
    return schema


@st.composite
def _string(draw: st.DrawFn) -> dict[str, Any]:
    choice = draw(st.sampled_from(["plain", "pattern", "format"]))
    if choice == "pattern":
        return {"type": "string", "pattern": draw(st.sampled_from(PATTERNS))}
    if choice == "format":
        return {"type": "string", "format": draw(st.sampled_from(FORMATS))}
    low = draw(st.integers(0, 10))
    return {"type": "string", "minLength": low, "maxLength": low + draw(st.integers(0, 10))}


LEAVES = st.one_of(
    _string(),
    _bounded("integer"),
    _bounded("number"),
    st.just({"type": "boolean"}),
    st.just({"type": "null"}),
    st.lists(SCALARS, min_size=1, max_size=4, unique_by=repr).map(lambda values: {"enum": values}),
    SCALARS.map(lambda value: {"const": value}),
    st.just({"$ref": "#/components/schemas/Node"}),
    st.just({"type": ["string", "null"], "maxLength": 3}),
)


def _extend(children: st.SearchStrategy[dict[str, Any]]) -> st.SearchStrategy[dict[str, Any]]:
    names = st.sampled_from(["id", "score", "items", "meta", "label", "when"])

    @st.composite
    def objects(draw: st.DrawFn) -> dict[str, Any]:
        props = draw(st.dictionaries(names, children, max_size=4))
        required = draw(st.lists(st.sampled_from(sorted(props)), unique=True)) if props else []
        schema: dict[str, Any] = {"type": "object", "properties": props, "required": required}
        if draw(st.booleans()):
            schema["additionalProperties"] = False
        return schema

    @st.composite
    def arrays(draw: st.DrawFn) -> dict[str, Any]:
        low = draw(st.integers(0, 2))
        high = low + draw(st.integers(0, 3))
        return {"type": "array", "items": draw(children), "minItems": low, "maxItems": high}

    one_of_disjoint = st.tuples(_string(), _bounded("integer"), st.just({"type": "boolean"})).map(
        lambda branches: {"oneOf": list(branches)}
    )
    return st.one_of(
        objects(),
        arrays(),
        one_of_disjoint,
        st.lists(children, min_size=1, max_size=3).map(lambda parts: {"anyOf": parts}),
        st.tuples(children, st.just({"description": "annotated"})).map(lambda parts: {"allOf": list(parts)}),
    )


SCHEMAS = st.recursive(LEAVES, _extend, max_leaves=10)


def _contract_with(schema: Any) -> CompiledContract:
    document = {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1.0.0"},
        "paths": {},
        "components": {"schemas": {"S": schema, "Node": NODE}},
    }
    return CompiledContract(load_document(document))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None)
@given(schema=SCHEMAS, seed=st.integers(0, 2**32))
def test_generated_values_are_valid_for_generated_schemas(schema: dict[str, Any], seed: int) -> None:
    compiled = _contract_with(schema)
    uri = compiled.contract.base_uri + "#/components/schemas/S"
    generator = Generator(compiled)
    value = generator.generate(uri, seed)
    # A second, independent engine agrees (with formats asserted).
    document = dict(compiled.contract.document)
    independent = jsonschema.Draft202012Validator(
        {**schema, "components": document["components"]}, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    assert not list(independent.iter_errors(value)), (schema, value)
    assert generator.generate(uri, seed) == value


@pytest.mark.parametrize("ref", EXAMPLE_REFS)
def test_every_schema_of_the_example_contracts_generates_valid_values(ref: str) -> None:
    compiled = CompiledContract(load(ref, CONTRACTS))
    generator = Generator(compiled)
    for uri in compiled.schema_uris():
        for seed in range(10):
            assert compiled.validator(uri).is_valid(generator.generate(uri, seed)), uri


def test_generation_is_realistic_where_formats_and_patterns_hint() -> None:
    compiled = CompiledContract(load("recommendation-api@1.1.0", CONTRACTS))
    op = compiled.contract.operation("getRecommendations")
    schema_uri = op.responses["200"].content["application/json"].schema_uri
    assert schema_uri is not None
    values = [Generator(compiled).generate(schema_uri, seed) for seed in range(5)]
    for value in values:
        assert re.fullmatch(UUID4, value["request_id"])
        assert value["generated_at"].startswith("2026-") and value["generated_at"].endswith("Z")
        assert all(
            0 <= r["score"] <= 1 and re.fullmatch(r"P[0-9]{5}", r["product_id"]) for r in value["recommendations"]
        )
    assert len({v["request_id"] for v in values}) == 5  # different seeds, different answers


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None)
@given(schema=st.one_of(SCHEMAS, st.sampled_from([*SENDABLE_HEADERS.values(), *UNSENDABLE_HEADERS.values()])))
def test_a_header_value_is_valid_and_a_field_value_as_it_is_or_none_is_found(schema: dict[str, Any]) -> None:
    compiled = _contract_with(schema)
    uri = compiled.contract.base_uri + "#/components/schemas/S"
    generator = Generator(compiled)
    for seed in range(5):
        try:
            text = generator.field_value(uri, seed)
        except GenerationError as exc:
            assert "that an HTTP header can carry" in str(exc) or "no valid value" in str(exc)
            continue
        assert is_field_value(text), (schema, text)
        assert generator.field_value(uri, seed) == text  # the same request, the same header


@pytest.mark.parametrize("name", sorted(SENDABLE_HEADERS))
def test_a_header_schema_admitting_sendable_values_always_gets_one(name: str) -> None:
    compiled = _contract_with(SENDABLE_HEADERS[name])
    uri = compiled.contract.base_uri + "#/components/schemas/S"
    generator = Generator(compiled)
    for seed in range(100):
        text = generator.field_value(uri, seed)
        assert is_field_value(text), text
        assert compiled.header_problems("X-Value", uri, text) == [], text


@pytest.mark.parametrize("name", sorted(UNSENDABLE_HEADERS))
def test_a_header_schema_admitting_no_sendable_value_says_so_naming_it(name: str) -> None:
    compiled = _contract_with(UNSENDABLE_HEADERS[name])
    uri = compiled.contract.base_uri + "#/components/schemas/S"
    with pytest.raises(GenerationError, match=re.escape("no value of openapi.yaml#/components/schemas/S that an HTTP")):
        Generator(compiled).field_value(uri, 0)
