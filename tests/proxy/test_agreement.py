"""On the same traffic, the proxy reports every violation the contract tests catch, and no false alarm."""

from __future__ import annotations

from dataclasses import replace
from functools import cache
from typing import Any

import httpx
import pytest

from tests.proxy.conftest import running_proxy
from tests.support.paths import CONTRACTS
from tests.verify.variants import COMPLIANT, FAULTY, RELATION_FAULTY
from validator.compiled import CompiledContract
from validator.loader import load
from validator.verify.checks import CHECKS
from validator.verify.result import RunReport
from validator.verify.runner import WARM_UP, Options, run

SEED = 7
_SENDER_ONLY = {c.name for c in CHECKS if c.kind == "example"} | {"auth_enforced"}
REF = "recommendation-api@1.1.0"


def _through_proxy(
    upstream: str, exclude: frozenset[str], ref: str = REF, examples: int = 30, slo_samples: int = 0
) -> tuple[RunReport, dict[str, Any]]:
    with running_proxy(upstream, contract=ref) as base:
        # No shrinking: the proxy sees the planned cases, and the SLO phase when there is one.
        options = Options(base_url=base, max_examples=examples, seed=SEED, workers=4, exclude_checks=exclude)
        report = run(_compiled(ref), replace(options, slo_samples=slo_samples, shrink_budget=0))
        seen = httpx.get(f"{base}/__proxy/report").json()
    return report, seen


@cache
def _compiled(ref: str) -> CompiledContract:
    return CompiledContract(load(ref, CONTRACTS))


def _reported(seen: dict[str, Any], direction: str) -> set[tuple[str, str]]:
    return {
        (op["operation"], v["check"])
        for op in seen["operations"]
        for v in op["violations"]
        if v["direction"] == direction
    }


@pytest.mark.parametrize("name", sorted(FAULTY))
def test_proxy_reports_every_violation_the_contract_tests_catch(variants_url: str, name: str) -> None:
    _, check, _ = FAULTY[name]
    # Round trips through the proxy on a loaded machine may miss the SLO where the upstream alone does not:
    # latency is compared only where the variant is slow by design.
    # Its SLO phase (a warm-up, then 100 sequential requests: what p99 needs) goes through the proxy too.
    timed = check == "latency_slo"
    exclude = frozenset() if timed else frozenset({"latency_slo"})
    report, seen = _through_proxy(f"{variants_url}/{name}", exclude, slo_samples=100 if timed else 0)
    # Only the sender knows which request is a named example and which it stripped of its credentials on
    # purpose: checks judged on that knowledge are the contract tests' alone.
    caught = {(op, c) for op, c in report.checks_failed() if c not in _SENDER_ONLY}
    # Whether the suite catches each variant is tests/verify/test_variants.py's to prove; here what it caught
    # on this traffic (usually the variant's own check) must be what the proxy reported.
    assert report.cases > 100
    # A request the test client gave up on (its own timeout) never showed the proxy anything wrong.
    caught -= {(f.operation, f.check) for f in report.failures if f.response is not None and "error" in f.response}
    reported = _reported(seen, "response")
    assert caught <= reported, f"missed by the proxy: {caught - reported}"
    slo_phase = WARM_UP + 100 if timed else 0  # one operation of recommendation-api 1.1.0 has an x-slo
    assert seen["exchanges"] == report.cases + 1 + slo_phase  # and the reachability probe before the run


@pytest.mark.parametrize("name", ["reference", *sorted(COMPLIANT)])
def test_proxy_raises_no_false_alarm_on_a_compliant_upstream(variants_url: str, name: str) -> None:
    report, seen = _through_proxy(f"{variants_url}/{name}", frozenset({"latency_slo"}))
    assert report.ok, report.checks_failed()
    assert _reported(seen, "response") <= {("getRecommendations", "latency_slo"), ("getCurrentModel", "latency_slo")}
    # The suite's deliberately invalid requests are the caller's violations, reported as such.
    assert ("getRecommendations", "request_schema") in _reported(seen, "request")


@pytest.mark.parametrize("name", sorted(RELATION_FAULTY))
def test_proxy_reports_every_broken_relation_the_contract_tests_catch(variants_url: str, name: str) -> None:
    ref, operation, check, _ = RELATION_FAULTY[name]
    report, seen = _through_proxy(f"{variants_url}/{name}", frozenset({"latency_slo"}), ref, examples=12)
    caught = report.checks_failed()
    assert (operation, check) in caught  # the suite's own verdict on this traffic, the premise of the comparison
    reported = _reported(seen, "response")
    # stable and sticky variant included: the proxy judges them across the exchanges of its run.
    assert caught <= reported, f"missed by the proxy: {caught - reported}"


@pytest.mark.parametrize(
    ("ref", "prefix"), [("recommendation-api@1.2.0", "reference"), ("client-scoring@1.1.0", "scoring-reference")]
)
def test_proxy_sees_a_relation_keeping_upstream_as_the_contract_tests_do(
    variants_url: str, ref: str, prefix: str
) -> None:
    report, seen = _through_proxy(f"{variants_url}/{prefix}", frozenset({"latency_slo"}), ref, examples=12)
    assert report.ok, report.checks_failed()
    assert not {c for _, c in _reported(seen, "response")} - {"latency_slo"}, seen["operations"]
    assert seen["observed"]["model_versions"] == report.observed["model_versions"]
