""" "Can I deploy?" decisions over records: every way of saying no says why."""

from __future__ import annotations

from typing import Any

from validator.service.deploy import decide


def _r(id: int, version: str, ok: bool, failures: int | None = None) -> dict[str, Any]:
    return {"id": id, "contract_version": version, "ok": ok, "failures": failures, "created_at": "t"}


def test_no_record_says_no() -> None:
    decision = decide("reco", "b1", "recommendation-api", "1.1.0", [])
    assert not decision.ok and "no verification of reco b1" in decision.reason


def test_newest_exact_record_decides() -> None:
    passed_then_failed = [_r(2, "1.1.0", False, 3), _r(1, "1.1.0", True)]
    no = decide("reco", "b1", "recommendation-api", "1.1.0", passed_then_failed)
    assert not no.ok and "failed" in no.reason and "3 failure(s)" in no.reason
    yes = decide("reco", "b1", "recommendation-api", "1.1.0", [_r(3, "1.1.0", True), *passed_then_failed])
    assert yes.ok and "verification 3" in yes.reason
    assert [r["id"] for r in yes.verifications] == [3, 2, 1]


def test_passing_only_an_older_version_says_no() -> None:
    decision = decide("reco", "b1", "recommendation-api", "1.1.0", [_r(1, "1.0.0", True)])
    assert not decision.ok
    assert "only against recommendation-api@1.0.0" in decision.reason
    assert decision.to_dict()["verifications"] == [_r(1, "1.0.0", True)]


def test_only_failures_on_other_versions_say_no() -> None:
    decision = decide("reco", "b1", "recommendation-api", "1.1.0", [_r(1, "1.0.0", False)])
    assert not decision.ok and "only failing" in decision.reason


def _served(id: int, *model_versions: str) -> dict[str, Any]:
    return {**_r(id, "1.2.0", True), "report": {"observed": {"model_versions": list(model_versions)}}}


def test_a_required_model_version_must_be_the_one_the_run_observed() -> None:
    yes = decide("reco", "b1", "recommendation-api", "1.2.0", [_served(1, "m1")], "m1")
    assert yes.ok and "serving model version m1" in yes.reason
    other = decide("reco", "b1", "recommendation-api", "1.2.0", [_served(1, "m1")], "m2")
    assert not other.ok and "observed model version(s) m1, not only m2" in other.reason
    mixed = decide("reco", "b1", "recommendation-api", "1.2.0", [_served(1, "m1", "m2")], "m1")
    assert not mixed.ok and "m1, m2" in mixed.reason
    unknown = decide("reco", "b1", "recommendation-api", "1.2.0", [_r(1, "1.2.0", True)], "m1")
    assert not unknown.ok and "none (the contract declares no stable model version)" in unknown.reason
