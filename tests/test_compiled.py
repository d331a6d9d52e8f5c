"""The validation core: every request and response location, all problems, pointers, keywords."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.paths import CONTRACTS
from validator.compiled import (
    CompiledContract,
    RequestData,
    SchemaValidator,
    compiled_of,
    compiling_once,
    new_validator,
    pick_media_type,
)
from validator.contract import Contract, MediaType
from validator.errors import LoadError
from validator.loader import load, load_document

GOOD_CLIENT = {"client_id": "3f2b8c1e-6a4d-4e1f-9b7a-0c5d2e8f1a3b", "recency_days": 1, "frequency": 2, "monetary": 3.5}


@pytest.fixture(scope="module")
def scoring() -> CompiledContract:
    return CompiledContract(load("client-scoring@1.0.0", CONTRACTS))


@pytest.fixture(scope="module")
def reco() -> CompiledContract:
    return CompiledContract(load("recommendation-api@1.1.0", CONTRACTS))


def _found(problems: list[Any]) -> set[tuple[str | None, str, str | None]]:
    return {(p.location, p.pointer, p.keyword) for p in problems}


def test_valid_request_has_no_problems(scoring: CompiledContract) -> None:
    op = scoring.contract.operation("scoreClients")
    request = RequestData(
        path_params={"campaign_id": "spring-sale"},
        query=[("threshold", "0.5")],
        content_type="application/json; charset=utf-8",
        body={"clients": [GOOD_CLIENT]},
    )
    assert scoring.validate_request(op, request) == []


def test_path_query_and_body_problems_all_reported(scoring: CompiledContract) -> None:
    op = scoring.contract.operation("scoreClients")
    bad_client = {**GOOD_CLIENT, "client_id": "nope", "recency_days": -1, "birth_date": "2023-02-29"}
    request = RequestData(
        path_params={"campaign_id": "Bad Id"},
        query=[("threshold", "2")],
        content_type="application/json",
        body={"clients": [bad_client], "extra": 1},
    )
    assert _found(scoring.validate_request(op, request)) == {
        ("path", "/campaign_id", "pattern"),
        ("query", "/threshold", "maximum"),
        ("body", "/clients/0/client_id", "format"),
        ("body", "/clients/0/recency_days", "minimum"),
        ("body", "/clients/0/birth_date", "format"),
        ("body", "/extra", "additionalProperties"),
    }


def test_query_values_are_typed_before_validation(scoring: CompiledContract) -> None:
    op = scoring.contract.operation("scoreClients")
    base: dict[str, Any] = {
        "path_params": {"campaign_id": "c"},
        "content_type": "application/json",
        "body": {"clients": [GOOD_CLIENT]},
    }
    wrong_type = scoring.validate_request(op, RequestData(query=[("threshold", "high")], **base))
    assert _found(wrong_type) == {("query", "/threshold", "type")}
    assert scoring.validate_request(op, RequestData(query=[("threshold", "1")], **base)) == []


def test_missing_required_body_and_wrong_media_type(scoring: CompiledContract) -> None:
    op = scoring.contract.operation("scoreClients")
    missing = scoring.validate_request(op, RequestData(path_params={"campaign_id": "c"}))
    assert _found(missing) == {("body", "", "required")}
    wrong = scoring.validate_request(
        op, RequestData(path_params={"campaign_id": "c"}, content_type="text/csv", body="a,b")
    )
    assert _found(wrong) == {("media-type", "", "content")}
    assert "accepted: application/json" in wrong[0].message


def test_missing_required_path_parameter(scoring: CompiledContract) -> None:
    op = scoring.contract.operation("getCampaignModel")
    assert _found(scoring.validate_request(op, RequestData())) == {("path", "/campaign_id", "required")}


def test_response_status_must_be_documented(reco: CompiledContract) -> None:
    op = reco.contract.operation("getRecommendations")
    [problem] = reco.validate_response(op, 418, {}, "application/json", {})
    assert problem.location == "status" and "200, 422, 503" in problem.message


def test_response_required_header_and_body(reco: CompiledContract) -> None:
    op = reco.contract.operation("getRecommendations")
    body = op.interactions["returning-customer"].response
    assert reco.validate_response(op, 200, {"x-request-id": "abc"}, "application/json", body) == []
    missing = reco.validate_response(op, 200, {}, "application/json", body)
    assert _found(missing) == {("header", "/X-Request-ID", "required")}
    item = {"product_id": "P00001", "score": 2, "rank": 1, "x": 1}
    bad_body = {**body, "variant": "other", "recommendations": [item]}
    assert _found(reco.validate_response(op, 200, {"x-request-id": "a"}, "application/json", bad_body)) == {
        ("body", "/variant", "enum"),
        ("body", "/recommendations/0/score", "maximum"),
        ("body", "/recommendations/0/x", "additionalProperties"),
    }


def test_response_header_schema_and_media_type(reco: CompiledContract) -> None:
    op = reco.contract.operation("getRecommendations")
    problems = reco.validate_response(op, 503, {"retry-after": "soon"}, "text/html", "<html>")
    assert _found(problems) == {("header", "/Retry-After", "type"), ("media-type", "", "content")}


def test_body_problems_carry_schema_location(reco: CompiledContract) -> None:
    op = reco.contract.operation("getRecommendations")
    [problem] = reco.validate_body(op, "request", {"customer_id": "C0000001", "context": {"channel": "web"}, "n": 99})
    assert problem.pointer == "/n" and problem.keyword == "maximum"
    assert problem.schema_path is not None
    assert problem.schema_path.endswith("recommendation-request.schema.json#/properties/n/maximum")
    assert problem.message == "99 is greater than the maximum of 50"


def test_enum_message_lists_every_allowed_value(reco: CompiledContract) -> None:
    op = reco.contract.operation("getRecommendations")
    [problem] = reco.validate_body(op, "request", {"customer_id": "C0000001", "context": {"channel": "fax"}})
    assert problem.message == '"fax" is not one of "web", "app", "email", "store"'


@pytest.mark.parametrize(
    ("fmt", "bad"),
    [
        ("date", "2023-02-29"),
        ("date-time", "2026-13-01T00:00:00Z"),
        ("time", "25:00:00Z"),
        ("email", "no-at"),
        ("uuid", "1234"),
        ("uri", "not a uri"),
        ("ipv4", "256.1.1.1"),
        ("ipv6", "12345::"),
    ],
)
def test_formats_are_asserted(fmt: str, bad: str) -> None:
    validator = SchemaValidator({"format": fmt})
    [problem] = validator.validate(bad)
    assert problem.keyword == "format"


def test_remote_ref_in_standalone_schema_is_not_fetched() -> None:
    with pytest.raises(LoadError, match="Retrieval is disabled"):
        SchemaValidator({"$ref": "https://json-schema.org/not-there.json"})


def test_each_member_of_a_closed_object_that_is_not_allowed_gets_its_own_pointer() -> None:
    validator = SchemaValidator(
        {"properties": {"a": {}}, "additionalProperties": False, "$defs": {"u": {"unevaluatedProperties": False}}}
    )
    problems = validator.validate({"a": 1, "x": 2, "y/z": 3})
    assert [(p.pointer, p.keyword) for p in problems] == [
        ("/x", "additionalProperties"),
        ("/y~1z", "additionalProperties"),
    ]
    assert problems[0].message == "property 'x' is not allowed (additionalProperties is false here)"
    unevaluated = SchemaValidator({"allOf": [{"properties": {"a": {}}}], "unevaluatedProperties": False})
    [problem] = unevaluated.validate({"a": 1, "b": 2})
    assert (problem.pointer, problem.keyword) == ("/b", "unevaluatedProperties")


def test_enum_message_with_integers_beyond_64_bits_does_not_crash() -> None:
    [problem] = SchemaValidator({"enum": [123456789012345678901234, "é"]}).validate("x")
    assert problem.message == '"x" is not one of 123456789012345678901234, "é"'


@pytest.mark.parametrize(
    ("given", "picked"),
    [
        ("application/json", "application/json"),
        ("Application/JSON; charset=utf-8", "application/json"),
        ("text/plain; charset=utf-8", "text/plain; charset=utf-8"),  # exactly a documented key, parameters and all
        ("text/plain", "text/plain; charset=utf-8"),  # parameters are ignored on both sides
        ("text/csv", "text/*"),
        ("image/png", None),
    ],
)
def test_media_type_is_picked_exactly_then_by_base_then_by_wildcard(given: str, picked: str | None) -> None:
    content = {
        name: MediaType(name, None, None) for name in ("application/json", "text/plain; charset=utf-8", "text/*")
    }
    found = pick_media_type(content, given)
    assert (found.media_type if found is not None else None) == picked


def _body_schema(contract: Contract, index: int) -> str:
    """The schema URI of operation ``index``'s JSON request body."""
    body = contract.operations[index].request_body
    uri = body.content["application/json"].schema_uri if body is not None else None
    assert uri is not None
    return uri


def _shared_document(bad_pattern: bool = False) -> dict[str, Any]:
    """Three operations whose bodies reach one shared component schema (and, optionally, one bad one)."""
    item = {
        "type": "object",
        "properties": {"id": {"type": "integer"}, "tags": {"type": "array", "items": {"type": "string"}}},
        "required": ["id"],
    }
    paths: dict[str, Any] = {}
    for n in range(3):
        schema: dict[str, Any] = {"type": "array", "items": {"$ref": "#/components/schemas/Item"}}
        paths[f"/items{n}"] = {
            "post": {
                "requestBody": {"content": {"application/json": {"schema": schema}}},
                "responses": {"200": {"description": "ok"}},
            }
        }
    if bad_pattern:
        bad = {"type": "string", "pattern": "(unclosed"}
        paths["/bad"] = {
            "post": {
                "requestBody": {"content": {"application/json": {"schema": bad}}},
                "responses": {"200": {"description": "ok"}},
            }
        }
    return {
        "openapi": "3.1.0",
        "info": {"title": "shared", "version": "1.0.0"},
        "paths": paths,
        "components": {"schemas": {"Item": item}},
    }


def test_a_location_judges_payloads_as_its_own_validator_would() -> None:
    contract = load_document(_shared_document())
    compiled = CompiledContract(contract)
    uri = _body_schema(contract, 1)
    alone = new_validator({"$ref": uri.replace("{", "%7B").replace("}", "%7D")}, compiled._registry)
    shared = compiled.validator(uri)
    bad = [{"id": "x", "tags": [1]}, {"tags": []}]
    assert shared.is_valid([{"id": 1}]) and not shared.is_valid(bad)
    errors = [(list(e.instance_path), e.absolute_keyword_location, e.message) for e in shared.iter_errors(bad)]
    assert errors == [(list(e.instance_path), e.absolute_keyword_location, e.message) for e in alone.iter_errors(bad)]
    assert ["0", "id"] in [[str(p) for p in path] for path, _, _ in errors]  # relative to the payload
    assert shared.evaluate(bad).errors() == alone.evaluate(bad).errors()
    assert shared.evaluate([{"id": 1}]).annotations() == alone.evaluate([{"id": 1}]).annotations()
    assert [p.pointer for p in compiled.check(uri, bad, location="body")] == ["/0/id", "/0/tags/0", "/1"]


def test_one_schema_that_does_not_compile_is_named_and_the_others_still_validate() -> None:
    contract = load_document(_shared_document(bad_pattern=True))
    with pytest.raises(LoadError, match="cannot be compiled") as info:
        CompiledContract(contract)
    assert info.value.pointer == "/paths/~1bad/post/requestBody/content/application~1json/schema"
    lazy = CompiledContract(contract, eager=False)
    good = _body_schema(contract, 0)
    assert not lazy.validator(good).is_valid([{"id": "x"}])
    with pytest.raises(LoadError, match="cannot be compiled"):
        lazy.validator(_body_schema(contract, 3))


def test_locations_prepared_together_judge_as_their_own_validators_and_a_broken_one_is_still_named() -> None:
    document = _shared_document()
    document["components"]["schemas"]["Broken"] = {"type": "string", "pattern": "(unclosed"}
    contract = load_document(document)
    compiled = CompiledContract(contract)
    base = contract.base_uri
    places = [f"{base}#/components/schemas/Item", f"{base}#/components/schemas/Item/properties/tags"]
    broken = f"{base}#/components/schemas/Broken"
    compiled.prepare([*places, broken])  # does not raise: the broken one is left to validator()
    for uri, good, bad in ((places[0], {"id": 1}, {"tags": []}), (places[1], ["a"], [1])):
        alone = new_validator({"$ref": uri}, compiled._registry)
        together = compiled.validator(uri)
        assert together.is_valid(good) and alone.is_valid(good)
        assert not together.is_valid(bad) and not alone.is_valid(bad)
        assert [e.message for e in together.iter_errors(bad)] == [e.message for e in alone.iter_errors(bad)]
    with pytest.raises(LoadError, match="cannot be compiled") as info:
        compiled.validator(broken)
    assert info.value.pointer == "/components/schemas/Broken"


def test_compiled_once_per_contract_within_a_lint_and_eager_still_names_a_broken_schema() -> None:
    contract = load_document(_shared_document(bad_pattern=True))
    with compiling_once():
        lazy = compiled_of(contract, eager=False)
        assert compiled_of(contract, eager=False) is lazy
        with pytest.raises(LoadError, match="cannot be compiled") as info:
            compiled_of(contract)  # eager: the shared one, completed, refuses as construction would
        assert info.value.pointer == "/paths/~1bad/post/requestBody/content/application~1json/schema"
    good = load_document(_shared_document())
    assert compiled_of(good) is not compiled_of(good)  # outside the block nothing is kept
