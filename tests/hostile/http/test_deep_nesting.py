"""Payloads nested as deep as the JSON parser allows (and deeper) get an answer with the reason, never a 5xx.

The engine reports where a payload breaks its schema only down to 255 levels; below that an invalid
payload is one problem naming the depth and where it is passed (it was a 500 from 255 to 1022 levels).
A valid deep payload is accepted; past 1024 levels the parser refuses it.
"""

from __future__ import annotations

import httpx
import pytest

from validator.payload import MAX_DEPTH, REPORT_DEPTH

from ._raw import healthy
from .conftest import TOKEN, Server

pytestmark = pytest.mark.slow  # real servers, slow clients: seconds per case

DEPTHS = [2, REPORT_DEPTH - 1, REPORT_DEPTH, REPORT_DEPTH + 1, 300, 1000, MAX_DEPTH - 2, MAX_DEPTH - 1, MAX_DEPTH, 1100]


def _arrays(levels: int) -> str:
    return "[" * levels + "1" + "]" * levels  # a number at the bottom: never a list of strings


def _objects(levels: int) -> str:
    return '{"a":' * (levels - 1) + "{}" + "}" * (levels - 1)


def _bodies(levels: int) -> dict[str, tuple[str, bool]]:
    """Request bodies whose whole document nests ``levels`` deep: (JSON, whether the contract accepts it)."""
    inner = levels - 1  # the top-level object is the first level
    return {
        "top-level array": (_arrays(levels), False),
        "name (a string)": ('{"name":' + _arrays(inner) + "}", False),
        "tags (strings)": ('{"name":"a","tags":' + _arrays(inner) + "}", False),
        "meta (anything)": ('{"name":"a","meta":' + _objects(inner) + "}", True),
    }


def _parses(levels: int) -> bool:
    return levels <= MAX_DEPTH


@pytest.mark.parametrize("levels", DEPTHS)
def test_the_mock_answers_every_depth_with_a_4xx_naming_the_reason_or_accepts_it(server: Server, levels: int) -> None:
    for where, (body, accepted) in _bodies(levels).items():
        response = httpx.post(
            server.base + server.echo, content=body, headers={"content-type": "application/json"}, timeout=30
        )
        assert response.status_code < 500, (where, response.text[:300])
        if accepted and _parses(levels):
            assert response.status_code == 200, (where, response.text[:300])
            continue
        assert 400 <= response.status_code < 500, (where, response.text[:300])
        errors = response.json()["errors"]  # the reason, with a pointer
        assert errors and all(e["message"] for e in errors), (where, response.text[:300])
        if levels > 300:  # only the depth can be told this far down (where it breaks the schema cannot)
            assert any("deeper than" in e["message"] for e in errors), (where, response.text[:300])
    assert healthy(server)


@pytest.mark.parametrize("levels", DEPTHS)
def test_validate_reports_a_deep_payload_as_a_problem_with_its_depth(hostile_service: Server, levels: int) -> None:
    url = hostile_service.base + "/api/v1/contracts/deep-api/versions/1.0.0/validate"
    for where, (payload, accepted) in _bodies(levels - 1).items():  # the envelope adds one level
        body = '{"operation":"echo","direction":"request","payload":' + payload + "}"
        response = httpx.post(url, content=body, headers={"content-type": "application/json"}, timeout=30)
        assert response.status_code < 500, (where, response.text[:300])
        if not _parses(levels):  # the envelope itself cannot be read
            assert response.status_code == 422, (where, response.text[:300])
            assert f"deeper than {MAX_DEPTH}" in response.text
            continue
        assert response.status_code == 200, (where, response.text[:300])
        report = response.json()
        assert report["ok"] is accepted, (where, report)
        if not accepted:
            assert report["problems"] and all(p["message"] for p in report["problems"]), (where, report)
        if not accepted and levels - 1 > 300:
            assert [p["keyword"] for p in report["problems"]] == ["depth"], (where, report["problems"])
            assert f"deeper than {REPORT_DEPTH} levels" in report["problems"][0]["message"]
    assert healthy(hostile_service)


@pytest.mark.parametrize("levels", [REPORT_DEPTH - 2, REPORT_DEPTH + 1, 1000, MAX_DEPTH])
def test_a_verification_report_nested_too_deep_is_refused_with_422(hostile_service: Server, levels: int) -> None:
    report = _objects(levels - 2)  # the record's object and the report's own are the first two levels
    body = (
        '{"provider":"p","provider_version":"1","contract":"deep-api","contract_version":"1.0.0","ok":true,'
        '"report":' + report + "}"
    )
    response = httpx.post(
        hostile_service.base + "/api/v1/verifications",
        content=body,
        headers={"content-type": "application/json", "authorization": f"Bearer {TOKEN}"},
        timeout=30,
    )
    if levels - 1 <= REPORT_DEPTH:
        assert response.status_code == 201, response.text[:300]
        record = httpx.get(hostile_service.base + response.headers["location"], timeout=30)
        assert record.status_code == 200
    else:
        assert response.status_code == 422, response.text[:300]
        assert f"deeper than {REPORT_DEPTH} levels" in response.json()["errors"][0]["message"]
    assert healthy(hostile_service)
