"""Faulty variants each breaking one promise about the request are caught by the right check; the references pass."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from tests.support.paths import CONTRACTS
from tests.verify.variants import RELATION_FAULTY
from validator.compiled import CompiledContract
from validator.loader import load, load_document
from validator.verify.result import RunReport
from validator.verify.runner import Options, run

EXAMPLES = 12


@cache
def _compiled(ref: str) -> CompiledContract:
    return CompiledContract(load(ref, CONTRACTS))


def _run(ref: str, base: str, seed: int = 7) -> RunReport:
    options = Options(
        base_url=base, max_examples=EXAMPLES, seed=seed, workers=4, exclude_checks=frozenset({"latency_slo"})
    )
    return run(_compiled(ref), options)


@pytest.mark.parametrize("name", sorted(RELATION_FAULTY))
def test_faulty_variant_is_caught_by_its_relation_check(variants_url: str, name: str) -> None:
    contract, operation, check, _ = RELATION_FAULTY[name]
    report = _run(contract, f"{variants_url}/{name}")
    assert (operation, check) in report.checks_failed(), [(f.check, f.message) for f in report.failures]
    failure = next(f for f in report.failures if (f.operation, f.check) == (operation, check))
    assert failure.pointer.startswith("/"), failure
    assert failure.curl.startswith("curl ") and f"{variants_url}/{name}/v1/" in failure.curl
    # Nothing else is blamed: the fault breaks one promise only.
    assert {f.check for f in report.failures} == {check}, [(f.check, f.message) for f in report.failures]


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
@pytest.mark.parametrize(
    ("ref", "prefix"), [("recommendation-api@1.2.0", "reference"), ("client-scoring@1.1.0", "scoring-reference")]
)
def test_reference_services_keep_their_promises(variants_url: str, ref: str, prefix: str, seed: int) -> None:
    report = _run(ref, f"{variants_url}/{prefix}", seed)
    assert report.ok, [(f.operation, f.check, f.message) for f in report.failures]
    assert report.observed["model_versions"] == (["reco-2026.02.1"] if prefix == "reference" else ["3.4.0"])


def test_stable_and_variant_report_the_values_seen(variants_url: str) -> None:
    report = _run("recommendation-api@1.2.0", f"{variants_url}/model-version-alternating")
    failure = next(f for f in report.failures if f.check == "relation_stable")
    assert '"reco-2026.02.1"' in failure.message and '"reco-2026.03.1"' in failure.message
    assert sorted(report.observed["model_versions"]) == ["reco-2026.02.1", "reco-2026.03.1"]
    sticky = _run("recommendation-api@1.2.0", f"{variants_url}/sticky-key-flipping")
    flipping = next(f for f in sticky.failures if f.check == "relation_variant")
    assert "got 2 variants in one run" in flipping.message and "control" in flipping.message


def test_batches_of_one_two_and_the_maximum_are_sent(variants_url: str) -> None:
    report = _run("client-scoring@1.1.0", f"{variants_url}/dropped-row")
    sizes = {len(f.request["body"]["clients"]) for f in report.failures if f.check == "relation_batch"}
    assert sizes  # the reproduction is one of the planned batches
    from validator.verify import cases as _cases

    compiled = _compiled("client-scoring@1.1.0")
    plan = _cases.plan(compiled, list(compiled.contract.operations), max_examples=0, seed=1)
    described = [c.description for c in plan.cases if c.source == _cases.RELATION]
    assert "batch of 1 (body:/clients)" in described and "batch of 1000 (body:/clients)" in described
    sizes = {len(json.loads(c.request.body)["clients"]) for c in plan.cases if c.valid and c.request.body}
    assert {1, 2, 1000} <= sizes  # a batch of 2 equal to the named example is sent once, as the example
    assert "batch reversed (body:/clients)" in described


def test_a_dropped_row_is_one_finding_per_batch_not_also_a_reversed_batch_mismatch(variants_url: str) -> None:
    report = _run("client-scoring@1.1.0", f"{variants_url}/dropped-row")
    signatures = sorted(f.signature for f in report.failures)
    assert signatures == ["body /scores x-relations/batch", "body /segment_probabilities x-relations/batch"]
    assert all(f.occurrences > 1 and "request items" in f.message for f in report.failures)


def test_reordering_without_keys_is_caught_by_the_reversed_batch(variants_url: str) -> None:
    # segment_probabilities has no key: only the metamorphic pair can see that rows do not follow the request.
    report = _run("client-scoring@1.1.0", f"{variants_url}/reordered-rows")
    assert any(f.check == "relation_batch" for f in report.failures)


def test_a_service_ignoring_the_default_of_n_is_caught_on_a_request_without_n(variants_url: str) -> None:
    report = _run("recommendation-api@1.2.0", f"{variants_url}/default-n-ignored")
    failure = next(f for f in report.failures if f.check == "relation_at_most")
    assert "n" not in failure.request["body"]
    assert "asks for at most 10 (body:/n omitted, its default)" in failure.message
    from validator.verify import cases as _cases

    compiled = _compiled("recommendation-api@1.2.0")
    plan = _cases.plan(compiled, list(compiled.contract.operations), max_examples=0, seed=1)
    assert "at-most: body:/n omitted (default 10)" in [c.description for c in plan.cases]


def _without_examples(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: _without_examples(v) for k, v in node.items() if k not in ("examples", "example")}
    if isinstance(node, list):
        return [_without_examples(v) for v in node]
    return node


@cache
def _bare(ref: str) -> CompiledContract:
    """The contract with every named example removed: the checks must not lean on hand-written pairs."""
    contract = load(ref, CONTRACTS)
    document = _without_examples(contract.document)
    return CompiledContract(
        load_document(document, folder=Path(contract.folder), name=contract.name, version=contract.version)
    )


@pytest.mark.parametrize("name", sorted(RELATION_FAULTY))
def test_faulty_variant_is_caught_without_any_named_example(variants_url: str, name: str) -> None:
    contract, operation, check, _ = RELATION_FAULTY[name]
    compiled = _bare(contract)
    assert all(not op.interactions for op in compiled.contract.operations)
    options = Options(
        base_url=f"{variants_url}/{name}",
        max_examples=EXAMPLES,
        seed=7,
        workers=4,
        exclude_checks=frozenset({"latency_slo"}),
    )
    report = run(compiled, options)
    failure = next((f for f in report.failures if (f.operation, f.check) == (operation, check)), None)
    assert failure is not None, [(f.check, f.message) for f in report.failures]
    assert failure.pointer.startswith("/"), failure
