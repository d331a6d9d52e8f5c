"""Constructs public API descriptions write, answered by the mock as their authors meant (over real HTTP)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.support.cli import Cli
from tests.support.documents import contract_folder, json_response, operation
from tests.test_read_write_only import users

PET = {
    "type": "object",
    "required": ["name"],
    "properties": {"name": {"type": "string"}, "tag": {"type": "string"}},
}
PET_WITH_ID = {"allOf": [{"$ref": "#/components/schemas/NewPet"}, {"$ref": "#/components/schemas/PetId"}]}
PET_ID = {"type": "object", "required": ["id"], "properties": {"id": {"type": "integer", "format": "int64"}}}
ERROR = {"type": "object", "properties": {"message": {"type": "string"}}}


def _pets(tmp_path: Path) -> Path:
    """A petstore-expanded shape: Pet is an allOf of two `$ref`'d objects, the later part with `required`."""
    return contract_folder(
        tmp_path,
        {
            "paths": {
                "/pets/{id}": {
                    "get": operation(
                        {"200": json_response({"$ref": "#/components/schemas/Pet"})},
                        operationId="findPetById",
                        parameters=[{"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}],
                    )
                }
            },
            "components": {"schemas": {"Pet": PET_WITH_ID, "NewPet": PET, "PetId": PET_ID}},
        },
        name="pets",
    )


def test_a_response_that_is_an_allof_of_referenced_objects_gets_every_part(served_mock_of: Any, tmp_path: Path) -> None:
    mock = served_mock_of("pets@1.0.0", contracts_dir=_pets(tmp_path))
    response = mock.client.get("/pets/7")
    assert response.status_code == 200, response.text
    assert {"id", "name"} <= set(response.json())
    assert not mock.conforms(mock.contract.operation("findPetById"), response)


def test_a_response_the_mock_cannot_generate_names_no_server_path(served_mock_of: Any, tmp_path: Path) -> None:
    impossible = {"type": "string", "minLength": 5, "maxLength": 2}
    root = contract_folder(tmp_path, {"paths": {"/x": {"get": operation({"200": json_response(impossible)})}}})
    mock = served_mock_of("t@1.0.0", contracts_dir=root)
    response = mock.client.get("/x")
    assert response.status_code == 501
    assert str(tmp_path) not in response.text and "file://" not in response.text
    assert "openapi.yaml#/paths/~1x/get/responses/200/content/application~1json/schema" in response.json()["detail"]


def _rejecting(tmp_path: Path, errors: dict[str, Any]) -> Path:
    """POST /things taking ``{n: integer}``, documenting ``errors`` beside its 201."""
    responses = {"201": json_response(ERROR), **{s: json_response(ERROR, s) for s in errors}}
    for status, example in errors.items():
        if example is not None:
            responses[status]["content"]["application/json"]["example"] = example
    request = {"schema": {"type": "object", "required": ["n"], "properties": {"n": {"type": "integer"}}}}
    return contract_folder(
        tmp_path, {"paths": {"/things": {"post": operation(responses, request, operationId="make")}}}, name="things"
    )


@pytest.mark.parametrize(
    ("errors", "expected"),
    [
        ({"401": None, "429": {"message": "slow down", "retry_after": 30}, "422": None}, 422),
        ({"401": None, "400": None, "404": None}, 400),
        ({"401": None, "403": None, "4XX": None}, 400),
        ({"429": {"message": "slow down", "retry_after": 30}, "default": None}, 400),
        ({"401": None, "403": None, "404": None, "429": None}, 400),
    ],
    ids=["422", "400", "4XX", "default", "none-documented"],
)
def test_a_schema_violation_gets_the_validation_status_never_auth_or_rate_limit(
    served_mock_of: Any, tmp_path: Path, errors: dict[str, Any], expected: int
) -> None:
    mock = served_mock_of("things@1.0.0", contracts_dir=_rejecting(tmp_path / "-".join(errors), errors))
    response = mock.client.post("/things", json={"n": "seven"})
    assert response.status_code == expected, response.text
    assert "retry_after" not in response.text
    assert [e["pointer"] for e in response.json()["errors"]] == ["/n"]


def test_hop_by_hop_and_framing_headers_of_the_contract_are_never_sent(served_mock_of: Any, tmp_path: Path) -> None:
    documented = {
        name: {"schema": {"type": "string", "example": value}}
        for name, value in {
            "Transfer-Encoding": "vector",
            "Content-Length": "12",
            "Connection": "keep-alive",
            "Keep-Alive": "timeout=5",
            "Upgrade": "h2c",
            "Trailer": "Expires",
            "X-Rate-Limit": "100",
        }.items()
    }
    ok = {**json_response({"type": "object"}, example={"a": 1}), "headers": documented}
    root = contract_folder(tmp_path, {"paths": {"/x": {"get": operation({"200": ok})}}})
    mock = served_mock_of("t@1.0.0", contracts_dir=root)
    response = mock.client.get("/x")
    assert response.status_code == 200
    assert response.json() == {"a": 1}
    assert response.headers["content-length"] == str(len(response.content))
    for name in ("transfer-encoding", "connection", "keep-alive", "upgrade", "trailer"):
        assert name not in response.headers, name
    assert response.headers["x-rate-limit"] == "100"


def test_the_mock_takes_a_create_without_its_read_only_id_and_answers_without_the_write_only_password(
    served_mock_of: Any, tmp_path: Path
) -> None:
    mock = served_mock_of("users@1.0.0", contracts_dir=users(tmp_path))
    created = mock.client.post("/users", json={"name": "Ada", "password": "s3cret-pw"})
    assert created.status_code == 201, created.text
    assert "password" not in created.json() and isinstance(created.json()["id"], int)
    assert not mock.conforms(mock.contract.operation("createUser"), created)
    fetched = mock.client.get("/users/7")
    assert fetched.status_code == 200 and "password" not in fetched.json()


def test_event_streams_carry_one_json_event_and_text_carries_the_string_as_written(
    served_mock_of: Any, tmp_path: Path
) -> None:
    token = {"type": "object", "required": ["text"], "properties": {"text": {"type": "string"}}}
    stream = {"description": "tokens", "content": {"text/event-stream": {"schema": token}}}
    plain = {"description": "text", "content": {"text/plain": {"schema": {"type": "string"}, "example": "ok: ready"}}}
    paths = {"/stream": {"post": operation({"200": stream})}, "/health": {"get": operation({"200": plain})}}
    mock = served_mock_of("t@1.0.0", contracts_dir=contract_folder(tmp_path, {"paths": paths}))
    streamed = mock.client.post("/stream")
    assert streamed.headers["content-type"] == "text/event-stream"
    assert streamed.text.startswith("data: {") and streamed.text.endswith("}\n\n")
    assert "text" in json.loads(streamed.text.removeprefix("data: "))
    assert mock.client.get("/health").text == "ok: ready"


def _bookings(tmp_path: Path) -> Path:
    """A public booking API's delete shape: singular examples on the path parameter and on 400/401, no body."""
    problem = {"type": "object", "properties": {"title": {"type": "string"}, "status": {"type": "integer"}}}
    responses = {
        "204": {"description": "deleted"},
        "400": json_response(problem, "bad", example={"title": "Bad Request", "status": 400}),
        "401": json_response(problem, "no credentials", example={"title": "Unauthorized", "status": 401}),
    }
    booking_id = {"name": "bookingId", "in": "path", "required": True, "schema": {"type": "string", "format": "uuid"}}
    booking_id["example"] = "1725ff48-ab45-4bb5-9d02-88745177dedb"
    lookup = {
        "200": json_response(problem, "found", examples={"found": {"value": {"title": "ok", "status": 200}}}),
        "404": json_response(problem, "gone", examples={"gone": {"value": {"title": "Not Found", "status": 404}}}),
    }
    named_id = {
        **booking_id,
        "examples": {
            "found": {"value": booking_id["example"]},
            "gone": {"value": "00000000-0000-4000-8000-000000000000"},
        },
    }
    paths = {
        "/bookings/{bookingId}": {
            "delete": operation(responses, operationId="delete-booking", parameters=[booking_id])
        },
        "/lookups/{bookingId}": {"get": operation(lookup, operationId="get-lookup", parameters=[named_id])},
    }
    return contract_folder(tmp_path, {"paths": paths}, name="bookings")


def test_a_singular_example_is_a_default_and_named_examples_pair_by_name(
    served_mock_of: Any, cli: Cli, tmp_path: Path
) -> None:
    mock = served_mock_of("bookings@1.0.0", contracts_dir=_bookings(tmp_path))
    assert mock.client.delete("/bookings/1725ff48-ab45-4bb5-9d02-88745177dedb").status_code == 204
    assert mock.client.get("/lookups/1725ff48-ab45-4bb5-9d02-88745177dedb").status_code == 200
    gone = mock.client.get("/lookups/00000000-0000-4000-8000-000000000000")
    assert gone.status_code == 404 and gone.json()["title"] == "Not Found"
    contracts_dir = str(tmp_path)
    result = cli(
        "test", "bookings@1.0.0", "--base-url", mock.base, "--contracts-dir", contracts_dir, "--format", "json"
    )
    report = json.loads(result.stdout)
    assert result.exit_code == 0, [(f["operation"], f["check"], f["message"]) for f in report["failures"]]
    sent = {c["operation"]: sorted(c["examples_sent"]) for c in report["coverage"]}
    assert sent == {"delete-booking": [], "get-lookup": ["found", "gone"]}, sent
