"""The mock's generated answers keep every promise about the request, over real HTTP (batches of 1, 2, 5, max)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.support.documents import contract_folder, top_k_document
from tests.support.paths import CONTRACTS
from tests.support.servers import contracts_cmd, serve
from validator.compiled import CompiledContract, RequestData
from validator.contract import Operation
from validator.extensions import Exchange, exchange_problems
from validator.loader import load

SCORING = "client-scoring@1.1.0"
RECO = "recommendation-api@1.2.0"


@pytest.fixture(scope="module")
def mocks() -> Iterator[dict[str, str]]:
    """A real mock of each contract version with relations."""
    with (
        serve(contracts_cmd("mock", SCORING, "--port", "{port}", "--contracts-dir", str(CONTRACTS))) as scoring,
        serve(contracts_cmd("mock", RECO, "--port", "{port}", "--contracts-dir", str(CONTRACTS))) as reco,
    ):
        yield {SCORING: scoring, RECO: reco}


def _problems(ref: str, op_id: str, response: httpx.Response, request: RequestData) -> list[str]:
    compiled = CompiledContract(load(ref, CONTRACTS))
    op: Operation = compiled.contract.operation(op_id)
    headers = {k.lower(): v for k, v in response.headers.items()}
    body = response.json()
    found = compiled.validate_response(op, response.status_code, headers, headers.get("content-type"), body)
    found += exchange_problems(compiled, Exchange(op, request, response.status_code, headers, body))
    return [f"{p.keyword} {p.pointer}: {p.message}" for p in found]


def _clients(count: int) -> list[dict[str, Any]]:
    return [
        {"client_id": str(uuid.UUID(int=i + 1)), "recency_days": i % 400, "frequency": i % 9, "monetary": float(i)}
        for i in range(count)
    ]


@pytest.mark.parametrize("size", [1, 2, 5, 1000])
def test_a_batch_answer_has_one_row_per_client_in_order_with_its_id(mocks: dict[str, str], size: int) -> None:
    body = {"clients": _clients(size)}
    path = "/v1/campaigns/autumn-push/scores"
    response = httpx.post(mocks[SCORING] + path, json=body, timeout=60)
    assert response.status_code == 200
    answer = response.json()
    assert [s["client_id"] for s in answer["scores"]] == [c["client_id"] for c in body["clients"]]
    assert len(answer["segment_probabilities"]) == size
    assert answer["campaign_id"] == "autumn-push"  # echoed from the path
    request = RequestData({"campaign_id": "autumn-push"}, [], {}, "application/json", body)
    assert _problems(SCORING, "scoreClients", response, request) == []
    assert all(abs(sum(row.values()) - 1) <= 1e-6 for row in answer["segment_probabilities"])


def test_a_client_with_an_integer_beyond_64_bits_gets_its_row(mocks: dict[str, str]) -> None:
    # JSON integers have no bound and the schema sets none: the mock's per-client row must not choke on one.
    clients = _clients(2)
    clients[1]["frequency"] = 2**70
    response = httpx.post(mocks[SCORING] + "/v1/campaigns/c/scores", json={"clients": clients}, timeout=60)
    assert response.status_code == 200
    assert [s["client_id"] for s in response.json()["scores"]] == [c["client_id"] for c in clients]


def test_a_dynamic_answer_asked_for_with_prefer_keeps_the_batch(mocks: dict[str, str]) -> None:
    body = {"clients": _clients(3)}
    headers = {"Prefer": "dynamic=true"}
    response = httpx.post(mocks[SCORING] + "/v1/campaigns/c/scores", json=body, headers=headers, timeout=60)
    assert response.status_code == 200
    assert [s["client_id"] for s in response.json()["scores"]] == [c["client_id"] for c in body["clients"]]


def test_the_model_version_is_the_same_in_every_answer(mocks: dict[str, str]) -> None:
    versions = {
        httpx.post(mocks[SCORING] + "/v1/campaigns/c/scores", json={"clients": _clients(n)}).json()["model_version"]
        for n in (1, 2, 3, 4)
    }
    assert versions == {"3.4.0"}  # the named example's, for the life of the mock


@pytest.mark.parametrize("n", [1, 2, 5, 50])
def test_recommendations_never_exceed_n_and_are_sorted(mocks: dict[str, str], n: int) -> None:
    body = {"customer_id": f"C{1000000 + n}", "context": {"channel": "app"}, "n": n}
    response = httpx.post(mocks[RECO] + "/v1/recommendations", json=body, headers={"X-Request-ID": f"req-{n}"})
    assert response.status_code == 200
    answer = response.json()
    assert len(answer["recommendations"]) <= n
    scores = [r["score"] for r in answer["recommendations"]]
    assert scores == sorted(scores, reverse=True)
    assert response.headers["x-request-id"] == f"req-{n}"
    request = RequestData({}, [], {"x-request-id": f"req-{n}"}, "application/json", body)
    assert _problems(RECO, "getRecommendations", response, request) == []


def test_a_forced_variant_is_served_and_an_unforced_one_is_sticky_per_customer(mocks: dict[str, str]) -> None:
    url = mocks[RECO] + "/v1/recommendations"
    for forced in ("control", "treatment"):
        body = {"customer_id": "C7654321", "context": {"channel": "web"}, "n": 3}
        assert httpx.post(url, json=body, headers={"X-Variant": forced}).json()["variant"] == forced
    seen: dict[str, set[str]] = {}
    for customer in ("C1111111", "C2222222", "C3333333", "C4444444"):
        for n in (1, 2, 3):  # different requests, same customer
            body = {"customer_id": customer, "context": {"channel": "web"}, "n": n}
            seen.setdefault(customer, set()).add(httpx.post(url, json=body).json()["variant"])
    assert all(len(variants) == 1 for variants in seen.values()), seen
    assert set().union(*seen.values()) == {"control", "treatment"}  # the hash spreads customers over both


def test_a_named_example_is_answered_only_when_the_request_matches_it(mocks: dict[str, str]) -> None:
    example = {
        "customer_id": "C9999999",
        "context": {"channel": "app"},
        "candidate_products": ["P00001", "P00002", "P00003"],
        "n": 2,
    }
    matched = httpx.post(mocks[RECO] + "/v1/recommendations", json=example).json()
    assert matched["recommendations"][0]["product_id"] == "P00002"  # the cold-start example's answer
    other = httpx.post(mocks[RECO] + "/v1/recommendations", json={**example, "n": 1}).json()
    assert len(other["recommendations"]) <= 1


def test_an_omitted_number_bounds_the_answer_by_its_schema_default(tmp_path: Path) -> None:
    contract_folder(tmp_path, top_k_document(default=1), name="top")
    with serve(contracts_cmd("mock", "top@1.0.0", "--port", "{port}", "--contracts-dir", str(tmp_path))) as base:
        sized = {len(httpx.get(f"{base}/top/u{i}?k=5").json()["items"]) for i in range(30)}
        omitted = {len(httpx.get(f"{base}/top/u{i}").json()["items"]) for i in range(30)}
    assert max(sized) > 1  # the generator does answer with longer lists when k allows them
    assert omitted <= {0, 1}  # without k, its default (1) bounds every answer
