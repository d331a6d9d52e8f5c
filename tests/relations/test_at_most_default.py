"""at-most applies the schema ``default`` of the request number when the request omits it (the server does)."""

from __future__ import annotations

from typing import Any

from tests.support.documents import top_k_document
from tests.support.paths import CONTRACTS
from validator.compiled import CompiledContract, RequestData
from validator.extensions import Exchange, exchange_problems
from validator.loader import load, load_document
from validator.relations.exchange import relations_for

BODY = {"customer_id": "C0001234", "context": {"channel": "web"}}  # no n: the contract's default is 10


def _answer(count: int) -> dict[str, Any]:
    items = [{"product_id": f"P{i:05d}", "score": round(1 - i / 100, 2), "rank": i + 1} for i in range(count)]
    return {
        "request_id": "6f1c2f0e-3a8e-4b7a-9d0e-2b9f3c1d4e5f",
        "model_version": "reco-2026.02.1",
        "variant": "control",
        "generated_at": "2026-02-28T10:15:00Z",
        "recommendations": items,
    }


def _problems(compiled: CompiledContract, op_id: str, request: RequestData, body: Any) -> list[str]:
    op = compiled.contract.operation(op_id)
    return [p.message for p in exchange_problems(compiled, Exchange(op, request, 200, {}, body))]


def test_an_omitted_n_bounds_the_answer_by_its_default() -> None:
    compiled = CompiledContract(load("recommendation-api@1.2.0", CONTRACTS))
    request = RequestData(body=BODY, content_type="application/json")
    assert _problems(compiled, "getRecommendations", request, _answer(10)) == []
    assert _problems(compiled, "getRecommendations", request, _answer(11)) == [
        "/recommendations: 11 response items, the request asks for at most 10 (body:/n omitted, its default)"
    ]
    sent = RequestData(body={**BODY, "n": 12}, content_type="application/json")
    assert _problems(compiled, "getRecommendations", sent, _answer(11)) == []  # a value sent wins


def test_a_query_number_takes_its_parameter_default_and_none_means_no_bound() -> None:
    with_default = CompiledContract(load_document(top_k_document(default=2)))
    (rel,) = relations_for(with_default, with_default.contract.operation("top"))
    assert rel.default == 2
    omitted = RequestData({"user": "u1"})
    assert _problems(with_default, "top", omitted, {"items": [1, 2, 3]}) == [
        "/items: 3 response items, the request asks for at most 2 (query:k omitted, its default)"
    ]
    without = CompiledContract(load_document(top_k_document()))
    assert _problems(without, "top", omitted, {"items": [1, 2, 3]}) == []
