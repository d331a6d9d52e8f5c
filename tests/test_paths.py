"""Path templates: variables, matching a concrete path, and what the contract tests read back from one."""

from __future__ import annotations

from validator import paths
from validator.compiled import CompiledContract
from validator.loader import load_document
from validator.verify.cases import request_data
from validator.verify.exchange import WireRequest


def test_a_variable_may_share_its_segment_with_literal_text() -> None:
    assert paths.variables("/files/{name}.{ext}") == ("name", "ext")
    assert paths.path_params("/files/{name}.{ext}", "/files/report.csv") == {"name": "report", "ext": "csv"}
    assert paths.path_params("/items/{id}", "/items/a%2Fb") == {"id": "a/b"}


def test_a_path_of_another_shape_does_not_match() -> None:
    assert paths.path_params("/items/{id}", "/items/1/extra") is None
    assert paths.path_params("/items/{id}", "/items/") is None
    assert paths.path_params("/files/{name}.json", "/files/report.csv") is None


def test_a_percent_encoded_literal_part_still_matches() -> None:
    assert paths.path_params("/my files/{id}", "/my%20files/7") == {"id": "7"}


def test_contract_tests_read_a_partial_segment_variable_back_from_the_request() -> None:
    contract = load_document(
        {
            "openapi": "3.1.0",
            "info": {"title": "t", "version": "1.0.0"},
            "paths": {
                "/files/{name}.json": {
                    "get": {
                        "operationId": "getFile",
                        "parameters": [
                            {
                                "name": "name",
                                "in": "path",
                                "required": True,
                                "schema": {"type": "string", "minLength": 2},
                            }
                        ],
                        "responses": {"200": {"description": "ok"}},
                    }
                }
            },
        }
    )
    op = contract.operation("getFile")
    compiled = CompiledContract(contract)
    good, _ = request_data(op, WireRequest("GET", "/files/report.json"))
    bad, _ = request_data(op, WireRequest("GET", "/files/r.json"))
    assert good.path_params == {"name": "report"}
    assert compiled.validate_request(op, good) == []
    assert [(p.pointer, p.keyword) for p in compiled.validate_request(op, bad)] == [("/name", "minLength")]


def test_templates_differing_only_in_variable_names_have_one_shape() -> None:
    assert paths.shape("/items/{id}/files/{name}.json") == paths.shape("/items/{item}/files/{f}.json")
    assert paths.shape("/items/{id}") == "/items/{}"
