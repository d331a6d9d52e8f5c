"""x-relations judged across a proxy run: a model version that changes, a sticky variant that flips; counted
and shown as ``observed``, never a replaced answer; the state bounded."""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

import httpx

from proxy.runlevel import OTHER, RunJudge
from tests.proxy.conftest import json_upstream, running_proxy
from tests.support.paths import CONTRACTS
from validator.compiled import CompiledContract, RequestData
from validator.loader import load
from validator.verify.exchange import WireResponse

REF = "recommendation-api@1.2.0"
COMPILED = CompiledContract(load(REF, CONTRACTS))
OPERATION = COMPILED.contract.operation("getRecommendations")
REQUEST = OPERATION.interactions["returning-customer"].request
ANSWER = OPERATION.interactions["returning-customer"].response


def test_a_changing_model_version_is_counted_never_replaced_and_observed(proxy_log: Path) -> None:
    calls = itertools.count(1)

    def alternating_model(path: str, body: bytes) -> tuple[int, Any, dict[str, str]]:
        """Every other answer comes from another model version (a half-finished rollout)."""
        version = "reco-2026.03.1" if next(calls) % 2 == 0 else ANSWER["model_version"]
        return 200, {**ANSWER, "model_version": version}, {"x-request-id": "r-1"}

    with (
        json_upstream(alternating_model) as (upstream, _),
        running_proxy(upstream, "--mode", "enforce", contract=REF, log=proxy_log) as base,
    ):
        answers = [
            httpx.post(f"{base}/v1/recommendations", json=REQUEST, headers={"x-request-id": "r-1"}) for _ in range(6)
        ]
        report = httpx.get(f"{base}/__proxy/report").json()
    assert [a.status_code for a in answers] == [200] * 6  # which of two versions is wrong is not the proxy's call
    (op,) = report["operations"]
    (stable,) = [v for v in op["violations"] if v["check"] == "relation_stable"]
    assert stable["count"] == 3 and stable["pointer"] == "/model_version"
    assert '"reco-2026.03.1" here, "reco-2026.02.1" in the first answer' in stable["message"]
    assert report["observed"]["model_versions"] == ["reco-2026.02.1", "reco-2026.03.1"]
    lines = [json.loads(x) for x in proxy_log.read_text().splitlines() if x.startswith('{"time"')]
    assert [any(v["check"] == "relation_stable" for v in x["violations"]) for x in lines] == [False, True] * 3


def _answer(variant: str = "control", model_version: str = ANSWER["model_version"]) -> WireResponse:
    body = {**ANSWER, "variant": variant, "model_version": model_version}
    return WireResponse(200, {"content-type": "application/json"}, json.dumps(body).encode(), 1.0)


def _request(customer: str, forced: str | None = None) -> RequestData:
    headers = {"content-type": "application/json", **({"x-variant": forced} if forced else {})}
    return RequestData({}, [], headers, "application/json", {**REQUEST, "customer_id": customer})


def test_a_sticky_variant_that_flips_for_one_key_is_found_and_a_forced_one_is_not() -> None:
    judge = RunJudge(COMPILED)
    assert judge.judge(OPERATION, _request("C0000001"), _answer("control")) == []
    assert judge.judge(OPERATION, _request("C0000002"), _answer("treatment")) == []
    assert judge.judge(OPERATION, _request("C0000001", forced="treatment"), _answer("treatment")) == []
    (flipped,) = judge.judge(OPERATION, _request("C0000001"), _answer("treatment"))
    assert flipped.check == "relation_variant" and flipped.problem.pointer == "/variant"
    assert '"C0000001" got "treatment" here and "control" earlier' in flipped.problem.message
    assert judge.observed()["variants"] == ["control", "treatment"]


def test_the_run_state_is_bounded() -> None:
    judge = RunJudge(COMPILED, max_keys=2, max_values=3)
    for customer in ("C0000001", "C0000002", "C0000003"):  # C0000001 is forgotten: only the 2 latest keys kept
        judge.judge(OPERATION, _request(customer), _answer("control"))
    assert judge.judge(OPERATION, _request("C0000001"), _answer("treatment")) == []
    assert judge.judge(OPERATION, _request("C0000003"), _answer("treatment")) != []
    versions = RunJudge(COMPILED, max_values=3)
    for version in range(10):
        versions.judge(OPERATION, _request("C0000009"), _answer(model_version=f"v{version}"))
    counts = versions.observed()["counts"]["getRecommendations stable:body:/model_version"]
    assert counts == {'"v0"': 1, '"v1"': 1, '"v2"': 1, OTHER: 7}  # three values kept (as JSON), the rest together
