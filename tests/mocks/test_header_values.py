"""Every response header the mock sends is an HTTP field value as it is (RFC 9110: visible ASCII, spaces
and tabs only between characters); a required header whose schema admits no such value is a 501 problem
naming the header and its schema, never a traceback or a dropped connection. Over real HTTP."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.mocks.conftest import Mock
from tests.support.documents import (
    SENDABLE_HEADERS,
    UNSENDABLE_HEADERS,
    contract_folder,
    header_document,
    json_response,
    operation,
)
from validator.wire import is_field_value


@pytest.fixture(scope="module")
def headers_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A contracts folder: ``required@1.0.0`` (each header required) and ``optional@1.0.0`` (none required)."""
    root = tmp_path_factory.mktemp("headers")
    every = {**SENDABLE_HEADERS, **UNSENDABLE_HEADERS}
    contract_folder(root, header_document(every), name="required")
    contract_folder(root, header_document(UNSENDABLE_HEADERS, required=False), name="optional")
    return root


def _raw_value(response: httpx.Response, name: bytes) -> bytes | None:
    return next((v for k, v in response.headers.raw if k.lower() == name), None)


@pytest.mark.parametrize("name", sorted(SENDABLE_HEADERS))
def test_every_generated_header_value_goes_on_the_wire_as_a_valid_field_value(
    served_mock_of: Callable[..., Mock], headers_root: Path, name: str
) -> None:
    mock = served_mock_of("required@1.0.0", contracts_dir=headers_root)
    op = mock.contract.operation(name)
    values = set()
    for n in range(12):  # another request, another generated value
        response = mock.client.get(f"/{name}", params={"n": n})
        assert response.status_code == 200, response.text
        raw = _raw_value(response, b"x-value")
        assert raw is not None and raw.isascii() and is_field_value(raw.decode()), raw
        assert mock.conforms(op, response) == []
        values.add(raw)
    assert len(values) > 1 or name == "plain"


@pytest.mark.parametrize("name", sorted(UNSENDABLE_HEADERS))
def test_a_required_header_no_value_of_which_can_be_sent_is_a_501_naming_it_and_its_schema(
    served_mock_of: Callable[..., Mock], headers_root: Path, name: str
) -> None:
    mock = served_mock_of("required@1.0.0", contracts_dir=headers_root)
    response = mock.client.get(f"/{name}")
    assert response.status_code == 501
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    pointer = f"/paths/~1{name}/get/responses/200/headers/X-Value/schema"
    assert "response header 'X-Value'" in problem["detail"]
    assert f"openapi.yaml#{pointer}" in problem["detail"]
    assert [e["pointer"] for e in problem["errors"]] == [pointer]
    assert mock.client.get("/plain").status_code == 200  # the mock goes on serving


def test_an_optional_header_no_value_of_which_can_be_sent_is_left_out(
    served_mock_of: Callable[..., Mock], headers_root: Path
) -> None:
    mock = served_mock_of("optional@1.0.0", contracts_dir=headers_root)
    answers = {name: mock.client.get(f"/{name}") for name in UNSENDABLE_HEADERS}
    assert {name: (r.status_code, "x-value" in r.headers) for name, r in answers.items()} == {
        name: (200, False) for name in UNSENDABLE_HEADERS
    }
    assert all(mock.conforms(mock.contract.operation(name), r) == [] for name, r in answers.items())


def test_a_named_example_whose_required_header_cannot_be_sent_is_a_501_too(
    served_mock_of: Callable[..., Mock], tmp_path: Path
) -> None:
    document = header_document({"control": UNSENDABLE_HEADERS["control"]})
    document["paths"]["/control"]["get"]["responses"]["200"]["content"]["application/json"]["examples"] = {
        "one": {"value": {"a": 1}}
    }
    mock = served_mock_of("example@1.0.0", contracts_dir=contract_folder(tmp_path, document, name="example"))
    response = mock.client.get("/control")
    assert response.status_code == 501
    assert "response header 'X-Value'" in response.json()["detail"]


def _echo_document() -> dict[str, Any]:
    ok = json_response({"type": "object"})
    ok["headers"] = {"X-Echo": {"schema": {"type": "string"}}, "X-Back": {"schema": {"type": "string"}}}
    echo = operation(
        {"200": ok},
        operationId="echo",
        parameters=[
            {"name": "x", "in": "query", "schema": {"type": "string"}},
            {"name": "X-In", "in": "header", "schema": {"type": "string"}},
        ],
    )
    echo["x-relations"] = [
        {"kind": "echo", "request": "query:x", "response": "header:X-Echo"},
        {"kind": "echo", "request": "header:X-In", "response": "header:X-Back"},
    ]
    return {"paths": {"/echo": {"get": echo}}}


def test_a_query_value_echoed_into_a_header_is_sent_when_http_can_carry_it_else_a_501(
    served_mock_of: Callable[..., Mock], tmp_path: Path
) -> None:
    mock = served_mock_of("echo@1.0.0", contracts_dir=contract_folder(tmp_path, _echo_document(), name="echo"))
    assert mock.client.get("/echo?x=fine%20value").headers["x-echo"] == "fine value"
    for sent in ("%01bell", "line%0Abreak", "caf%C3%A9", "%20padded"):
        response = mock.client.get(f"/echo?x={sent}")
        assert response.status_code == 501, sent
        assert "response header 'X-Echo' echoes query:x" in response.json()["detail"]


def test_a_request_header_echoed_into_a_header_goes_back_as_the_bytes_it_came_as(
    served_mock_of: Callable[..., Mock], tmp_path: Path
) -> None:
    mock = served_mock_of("echo@1.0.0", contracts_dir=contract_folder(tmp_path, _echo_document(), name="echo"))
    response = mock.client.get("/echo", headers=[(b"X-In", b"caf\xe9 au lait")])
    assert response.status_code == 200
    assert _raw_value(response, b"x-back") == b"caf\xe9 au lait"


def test_a_value_no_generator_made_that_http_cannot_carry_is_a_501_not_a_dropped_connection(
    served_mock_of: Callable[..., Mock], tmp_path: Path
) -> None:
    # The API key's name goes into the 401's WWW-Authenticate challenge; a line break in it made uvicorn
    # refuse the whole answer.
    document = header_document({"plain": SENDABLE_HEADERS["plain"]})
    document["components"] = {"securitySchemes": {"key": {"type": "apiKey", "in": "header", "name": "X-Key\nTwo"}}}
    document["security"] = [{"key": []}]
    mock = served_mock_of("keyed@1.0.0", contracts_dir=contract_folder(tmp_path, document, name="keyed"))
    response = mock.client.get("/plain")  # a dropped connection raises here
    assert response.status_code == 501
    assert "'www-authenticate'" in response.json()["detail"]
