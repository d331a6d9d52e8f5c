"""Compatibility and diff over HTTP: the same findings as `contracts diff`."""

from __future__ import annotations

import copy
import json
from typing import Any

from tests.support.cli import Cli

from .conftest import Service

BASE = "/api/v1/contracts/recommendation-api"


def _document(service: Service, version: str) -> dict[str, Any]:
    with service.client() as c:
        return c.get(f"{BASE}/versions/{version}").json()  # type: ignore[no-any-return]


def test_diff_matches_contracts_diff(service: Service, cli: Cli) -> None:
    with service.client() as c:
        minor = c.get(f"{BASE}/diff", params={"from": "1.0.0", "to": "1.1.0"})
        major = c.get(f"{BASE}/diff", params={"from": "1.1.0", "to": "2.0.0"})
    from_cli = cli("diff", "recommendation-api@1.1.0", "recommendation-api@2.0.0", "--format", "json")
    assert minor.status_code == 200 and minor.json()["breaking"] is False
    assert major.json()["breaking"] is True and major.json()["required_bump"] == "major"
    assert major.json() == json.loads(from_cli.stdout)


def test_a_candidate_equal_to_a_version_is_compatible_with_it(service: Service) -> None:
    candidate = _document(service, "1.1.0")
    with service.client() as c:
        same = c.post(f"{BASE}/compatibility", json={"document": candidate, "against": "1.1.0"})
    assert same.status_code == 200, same.text
    assert same.json()["compatible"] is True and same.json()["against"] == ["recommendation-api@1.1.0"]


def test_a_breaking_candidate_is_checked_against_every_version_of_its_major(service: Service) -> None:
    candidate = copy.deepcopy(_document(service, "1.1.0"))
    candidate["info"]["version"] = "1.3.0"
    request = candidate["components"]["schemas"]["recommendation-request"]
    request["required"] = [*request["required"], "n"]  # a newly required request property breaks clients
    with service.client() as c:
        result = c.post(f"{BASE}/compatibility", json={"document": candidate, "against": "major"}).json()
        default = c.post(f"{BASE}/compatibility", json={"document": candidate}).json()
        latest = c.post(f"{BASE}/compatibility", json={"document": candidate, "against": "latest"}).json()
    assert result["compatible"] is False and result["breaking"] is True
    assert result["against"] == ["recommendation-api@1.0.0", "recommendation-api@1.1.0", "recommendation-api@1.2.0"]
    assert any(change["breaking"] for change in result["changes"])
    # By default a 1.x candidate is judged by the newest release of its own major, not by 2.0.0.
    assert default["against"] == ["recommendation-api@1.2.0"] and default["compatible"] is False
    assert latest["against"] == ["recommendation-api@2.0.0"]


def test_a_candidate_opening_a_new_major_has_nothing_to_stay_compatible_with(service: Service) -> None:
    candidate = copy.deepcopy(_document(service, "2.0.0"))
    candidate["info"]["version"] = "3.0.0"
    with service.client() as c:
        result = c.post(f"{BASE}/compatibility", json={"document": candidate}).json()
    assert result["against"] == [] and result["compatible"] is True


def test_invalid_candidates_are_findings_with_pointers_into_the_document(service: Service) -> None:
    old_openapi = {"openapi": "2.0.0", "info": {"title": "x", "version": "1.0.0"}, "paths": {}}
    remote = {
        "openapi": "3.1.0",
        "info": {"title": "x", "version": "1.0.0"},
        "paths": {"/x": {"$ref": "https://example.com/evil.yaml"}},
    }
    with service.client() as c:
        wrong_version = c.post(f"{BASE}/compatibility", json={"document": old_openapi})
        refused = c.post(f"{BASE}/compatibility", json={"document": remote})
        bad_against = c.post(f"{BASE}/compatibility", json={"document": old_openapi, "against": "oldest"})
        unknown_against = c.post(
            f"{BASE}/compatibility", json={"document": _document(service, "1.1.0"), "against": "7.0.0"}
        )
        unknown_version = c.get(f"{BASE}/diff", params={"from": "1.0.0", "to": "9.0.0"})
    assert wrong_version.status_code == 200
    assert wrong_version.json()["valid"] is False and wrong_version.json()["compatible"] is False
    # A document that cannot be loaded is never reported as free of breaking changes.
    assert wrong_version.json()["breaking"] is True and refused.json()["breaking"] is True
    assert wrong_version.json()["problems"][0]["pointer"] == "/document/openapi"
    assert refused.status_code == 200
    assert "remote $ref" in refused.json()["problems"][0]["message"]
    assert bad_against.status_code == 422 and bad_against.json()["errors"][0]["pointer"] == "/against"
    assert unknown_against.status_code == 404
    assert unknown_version.status_code == 404 and unknown_version.json()["available"] == [
        "1.0.0",
        "1.1.0",
        "1.2.0",
        "2.0.0",
    ]


def test_a_candidate_with_a_file_ref_is_told_to_bundle_it_without_internal_paths(service: Service) -> None:
    candidate = {
        "openapi": "3.1.0",
        "info": {"title": "x", "version": "3.0.0"},
        "paths": {
            "/x": {
                "get": {
                    "responses": {
                        "200": {
                            "description": "d",
                            "content": {"application/json": {"schema": {"$ref": "schemas/problem.schema.json"}}},
                        }
                    }
                }
            }
        },
    }
    with service.client() as c:
        result = c.post(f"{BASE}/compatibility", json={"document": candidate})
    assert result.status_code == 200
    [problem] = result.json()["problems"]
    assert problem["pointer"] == "/document/paths/~1x/get/responses/200/content/application~1json/schema"
    assert problem["message"] == (
        "$ref to file 'schemas/problem.schema.json': this document was given alone, without its folder"
    )
    assert "components/schemas" in problem["hint"]
    assert "__candidate__" not in result.text  # was "$ref target '/__candidate__/schemas/...' does not exist"


def test_an_openapi_30_candidate_is_read_through_the_conversion_and_says_so(service: Service) -> None:
    nullable = {"type": "object", "properties": {"note": {"type": "string", "nullable": True}}}
    content = {"application/json": {"schema": nullable}}
    operation = {"requestBody": {"content": content}, "responses": {"200": {"description": "ok", "content": content}}}
    candidate: dict[str, Any] = {
        "openapi": "3.0.3",
        "info": {"title": "r", "version": "9.0.0"},
        "paths": {"/r": {"post": operation}},
    }
    with service.client() as c:
        result = c.post(f"{BASE}/compatibility", json={"document": candidate}).json()
    assert result["valid"] is True and result["compatible"] is True, result.get("problems")
    [note] = result["notes"]
    assert note["kind"] == "converted" and "OpenAPI 3.0.3" in note["message"] and "file" not in note
    candidate["paths"]["/r"]["post"]["requestBody"]["content"]["application/json"]["schema"] = {"minLength": -1}
    with service.client() as c:
        invalid = c.post(f"{BASE}/compatibility", json={"document": candidate}).json()
    assert invalid["valid"] is False
    # named once each (request and response share the media type object), by the OAS 3.0 schema
    assert sorted(p["pointer"] for p in invalid["problems"]) == [
        "/document/paths/~1r/post/requestBody/content/application~1json/schema/minLength",
        "/document/paths/~1r/post/responses/200/content/application~1json/schema/minLength",
    ]
