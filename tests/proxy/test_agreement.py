"""On the same traffic, the proxy reports every violation the contract tests catch, and no false alarm."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.conftest import CONTRACTS
from tests.proxy.conftest import running_proxy
from tests.verify.variants import COMPLIANT, FAULTY
from validator.compiled import CompiledContract
from validator.loader import load
from validator.verify.result import RunReport
from validator.verify.runner import Options, run

SEED = 7
COMPILED = CompiledContract(load("recommendation-api@1.1.0", CONTRACTS))


def _through_proxy(upstream: str, exclude: frozenset[str]) -> tuple[RunReport, dict[str, Any]]:
    with running_proxy(upstream) as base:
        report = run(COMPILED, Options(base_url=base, max_examples=30, seed=SEED, workers=4, exclude_checks=exclude))
        seen = httpx.get(f"{base}/__proxy/report").json()
    return report, seen


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
    exclude = frozenset() if check == "latency_slo" else frozenset({"latency_slo"})
    report, seen = _through_proxy(f"{variants_url}/{name}", exclude)
    caught = report.checks_failed()
    # Whether the suite catches each variant is tests/verify/test_variants.py's to prove; here what it caught
    # on this traffic (usually the variant's own check) must be what the proxy reported.
    assert report.cases > 100
    # A request the test client gave up on (its own timeout) never showed the proxy anything wrong.
    caught -= {(f.operation, f.check) for f in report.failures if f.response is not None and "error" in f.response}
    reported = _reported(seen, "response")
    assert caught <= reported, f"missed by the proxy: {caught - reported}"
    assert seen["exchanges"] == report.cases + 1  # and the reachability probe before the run


@pytest.mark.parametrize("name", ["reference", *sorted(COMPLIANT)])
def test_proxy_raises_no_false_alarm_on_a_compliant_upstream(variants_url: str, name: str) -> None:
    report, seen = _through_proxy(f"{variants_url}/{name}", frozenset({"latency_slo"}))
    assert report.ok, report.checks_failed()
    assert _reported(seen, "response") <= {("getRecommendations", "latency_slo"), ("getCurrentModel", "latency_slo")}
    # The suite's deliberately invalid requests are the caller's violations, reported as such.
    assert ("getRecommendations", "request_schema") in _reported(seen, "request")
