"""Distinct failures, located JSON errors, credentials and the status exemptions, one function at a time."""

from __future__ import annotations

import pytest

from tests.support.paths import CONTRACTS, QA_CONTRACTS
from validator.compiled import CompiledContract
from validator.json_locate import locate
from validator.loader import load
from validator.problems import Problem
from validator.security import Scheme
from validator.verify import cases
from validator.verify.checks import Exchange, samples_needed, slo_verdicts, status_documented
from validator.verify.exchange import WireRequest, WireResponse
from validator.verify.findings import Occurrence, capped, general_pointer, grouped, key_of
from validator.verify.shrink import shrink

QA = CompiledContract(load("recommendation-qa@1.0.0", QA_CONTRACTS))


def _case(op_id: str, path: str, body: bytes | None = None, source: cases.CaseSource = cases.GENERATED) -> cases.Case:
    op = QA.contract.operation(op_id)
    headers = (("Content-Type", "application/json"),) if body is not None else ()
    request = WireRequest(op.method, path, headers, body)
    return cases.reclassified(QA, cases.Case(op, source, "test", request), request)


def test_array_indices_do_not_split_a_finding_but_pointers_and_statuses_do() -> None:
    assert general_pointer("/recommendations/3/score") == "/recommendations/*/score"
    case = _case("getCurrentModel", "/v1/models/current")
    ok = WireResponse(200)
    one = Occurrence(case, "response_schema", Problem("/items/0/score", "m", "maximum", location="body"), ok)
    two = Occurrence(case, "response_schema", Problem("/items/7/score", "m", "maximum", location="body"), ok)
    other = Occurrence(case, "response_schema", Problem("", "m", "required", location="body"), ok)
    crash = Occurrence(case, "server_error", Problem("", "m", "status", location="status"), WireResponse(500))
    slow = Occurrence(case, "server_error", Problem("", "m", location="status"), None, "ReadTimeout: late")
    groups = grouped([one, two, other, crash, slow])
    assert [len(g.occurrences) for g in groups] == [2, 1, 1, 1]
    assert key_of(slow)[2] == ("no response", "ReadTimeout")
    kept, hidden = capped(groups, ["server_error", "response_schema"], 2)
    assert [g.key[1] for g in kept] == ["server_error", "server_error"] and hidden == {"getCurrentModel": 2}


@pytest.mark.parametrize(
    ("text", "pointer", "words"),
    [
        ('{"scores": [0.5, NaN]}', "/scores/1", "NaN"),
        ('{"a": {"b": -Infinity}}', "/a/b", "-Infinity"),
        ('{"a": [1, 2,]}', "/a", "trailing comma"),
        ('{"a": 1,}', "", "trailing comma"),
        ("{'a': 1}", "", "member name"),
        ('{"a": True}', "/a", "'True'"),
    ],
)
def test_non_json_is_located_by_pointer(text: str, pointer: str, words: str) -> None:
    found = locate(text)
    assert found is not None and found[0] == pointer and words in found[1]
    assert locate('{"a": [1, 2.5e3, "x\\n", null, true]}') is None


def test_undocumented_4xx_to_an_invalid_request_fails_unless_a_server_sends_it_first() -> None:
    bad_body = _case("getRecommendations", "/v1/recommendations", b'{"n": 0}')
    bad_path = _case("getModel", "/v1/models/0")
    secured = _case("submitFeedback", "/v1/feedback", b"{}")
    assert not bad_body.valid and not bad_path.valid

    def fails(case: cases.Case, status: int) -> bool:
        return bool(status_documented(Exchange(case, WireResponse(status), QA)))

    assert fails(bad_body, 400) and fails(bad_body, 409) and not fails(bad_body, 422)
    assert not any(fails(bad_body, s) for s in (413, 414, 431))
    assert fails(bad_body, 401)  # getRecommendations declares no security
    assert not fails(secured, 401) and not fails(secured, 403)
    assert not fails(bad_path, 404) and fails(bad_path, 400)
    assert fails(bad_body, 415)  # the media type was right: 415 is no answer to a bad member
    wrong_type = _case("getRecommendations", "/v1/recommendations", b"{}")
    wrong_type = cases.reclassified(
        QA, wrong_type, WireRequest("POST", "/v1/recommendations", (("Content-Type", "text/plain"),), b"x")
    )
    assert not fails(wrong_type, 415)


def test_a_documented_404_alone_asks_no_particular_rejection_status() -> None:
    # getCampaignModel documents 200 and 404 (no such campaign): 404 is a business answer, not the status
    # for rejected input, so an invalid campaign id may get 400, as the mock answers it (validator.rejection).
    scoring = CompiledContract(load("client-scoring@1.0.0", CONTRACTS))
    op = scoring.contract.operation("getCampaignModel")
    request = WireRequest("GET", "/v1/campaigns/0.5/model", (), None)
    case = cases.reclassified(scoring, cases.Case(op, cases.GENERATED, "test", request), request)
    assert not case.valid and set(op.responses) == {"200", "404"}
    assert not status_documented(Exchange(case, WireResponse(400), scoring))


def test_credentials_are_stripped_from_every_place_they_travel() -> None:
    request = WireRequest("GET", "/x?api_key=1&q=2", (("Authorization", "Bearer t"), ("Cookie", "s=1; k=2")), None)
    carriers = [
        Scheme("bearer", "http", http_scheme="bearer").carrier,
        Scheme("key", "apiKey", location="query", key="api_key").carrier,
        Scheme("session", "apiKey", location="cookie", key="s").carrier,
    ]
    bare = cases.without_credentials(request, carriers)
    assert bare.path == "/x?q=2" and bare.headers == (("Cookie", "k=2"),)


def test_percentiles_need_enough_samples() -> None:
    assert (samples_needed(50), samples_needed(95), samples_needed(99)) == (2, 20, 100)
    slo = {"latency_p95_ms": 10, "latency_p99_ms": 10}
    verdicts = slo_verdicts(slo, [1.0] * 19 + [50.0] * 31)
    assert verdicts["latency_p95_ms"]["verdict"] == "fail"
    assert verdicts["latency_p99_ms"]["verdict"] == "insufficient samples"
    assert slo_verdicts(slo, [1.0] * 100)["latency_p99_ms"]["verdict"] == "pass"


def test_shrinking_keeps_the_smallest_request_that_still_fails() -> None:
    big = WireRequest("POST", "/p?a=1&b=2", (), b'{"keep": "x", "drop": [1, 2, 3, 4], "also": {"deep": "yes"}}')

    def reproduces(request: WireRequest) -> bool:
        return b'"keep"' in (request.body or b"") and "a=1" in request.path

    small, steps = shrink(big, reproduces, budget=50)
    assert small.body == b'{"keep":"x"}' and small.path == "/p?a=1" and steps >= 3


def test_a_reproduction_keeps_the_callers_credentials_when_it_can() -> None:
    with_token = WireRequest("POST", "/v1/feedback", (("Authorization", "Bearer a-long-token"),), b"{}")
    op = QA.contract.operation("submitFeedback")
    configured = cases.Case(op, cases.GENERATED, "generated", with_token)
    stripped = cases.Case(op, cases.AUTH, "without credentials", WireRequest("POST", "/v1/feedback", (), b"{}"))
    crash = Problem("", "server error", location="status")
    group = grouped([Occurrence(stripped, "server_error", crash, WireResponse(500))] * 2)[0]
    assert group.smallest.case is stripped  # only the credential-free request showed it
    group.occurrences.append(Occurrence(configured, "server_error", crash, WireResponse(500)))
    assert group.smallest.case is configured  # though larger, it is the request as the caller set it up
