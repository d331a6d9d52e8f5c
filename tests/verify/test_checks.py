"""Checks that need no server: x-match comparison, percentiles, SLOs, the catalogue, the bundle."""

from __future__ import annotations

from tests.support.paths import CONTRACTS
from validator.bundle import bundle
from validator.loader import iter_refs, load
from validator.verify.cases import ENGINE_STRIP
from validator.verify.checks import CHECK_NAMES, CHECKS, compare, latency_slo, percentile


def test_exact_match_reports_every_difference_with_a_pointer() -> None:
    expected = {"variant": "control", "recommendations": [{"product_id": "P00042", "score": 0.91}]}
    actual = {"variant": "treatment", "recommendations": [{"product_id": "P00042", "score": 0.9}], "x": 1}
    assert compare(expected, actual, 0.0) == [
        ("/recommendations/0/score", "expected 0.91 (±0.0), got 0.9"),
        ("/variant", "expected 'control', got 'treatment'"),
        ("/x", "unexpected member 1"),
    ]


def test_tolerance_applies_to_numbers_only_and_ignore_skips_pointers() -> None:
    expected = {"score": 0.8, "id": "a", "when": "t1", "items": [1, 2]}
    assert (
        compare(expected, {"score": 0.805, "id": "a", "when": "t2", "items": [1, 2]}, 0.01, frozenset({"/when"})) == []
    )
    assert compare(expected, {"score": 0.83, "id": "a", "when": "t1", "items": [1]}, 0.01) == [
        ("/items", "expected 2 items, got 1"),
        ("/score", "expected 0.8 (±0.01), got 0.83"),
    ]
    assert compare({"flag": True}, {"flag": 1}, 0.5) == [("/flag", "expected True, got 1")]


def test_percentiles_use_the_nearest_rank() -> None:
    values = [float(v) for v in range(1, 101)]
    assert (percentile(values, 50), percentile(values, 95), percentile(values, 99)) == (50.0, 95.0, 99.0)
    assert percentile([7.0], 99) == 7.0


def test_latency_slo_fails_only_a_missed_declared_percentile() -> None:
    values = [10.0] * 95 + [200.0] * 5
    problems = latency_slo({"latency_p95_ms": 150, "latency_p99_ms": 100}, values)
    assert [p.keyword for p in problems] == ["latency_p99_ms"]
    assert latency_slo({}, values) == [] and latency_slo({"latency_p95_ms": 150}, []) == []


def test_every_check_has_a_summary_and_a_unique_name() -> None:
    assert len(set(CHECK_NAMES)) == len(CHECKS)
    assert set(CHECK_NAMES) == {
        "server_error",
        "status_documented",
        "response_media_type",
        "response_headers",
        "response_schema",
        "valid_request_rejected",
        "invalid_request_accepted",
        "undocumented_method_accepted",
        "auth_enforced",
        "tensor_dims_agree",
        "model_metadata_matches",
        "example_status",
        "example_match",
        "latency_slo",
        "relation_batch",
        "relation_echo",
        "relation_at_most",
        "relation_stable",
        "relation_variant",
        "x_sum",
        "x_sorted",
    }
    assert all(check.summary for check in CHECKS)


def test_bundle_leaves_no_reference_outside_the_document() -> None:
    for ref in ("recommendation-api@1.1.0", "client-scoring@1.0.0"):
        document = bundle(load(ref, CONTRACTS), strip=ENGINE_STRIP)
        refs = [r for _, r in iter_refs(document)]
        assert refs and all(r.startswith("#/") for r in refs), refs
        inlined = [s for s in document["components"]["schemas"].values() if isinstance(s, dict)]
        assert not any(key in s for s in inlined for key in ENGINE_STRIP)
