""" "Can I deploy?": may a provider build go live against a contract version, given its records."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .. import versions


@dataclass(frozen=True, slots=True)
class Decision:
    """The answer, why, and the records it rests on (newest first)."""

    ok: bool
    reason: str
    verifications: Sequence[dict[str, Any]]

    def to_dict(self) -> dict[str, Any]:
        """The INTERFACE.md shape ``{ok, reason, verifications}``."""
        return {"ok": self.ok, "reason": self.reason, "verifications": list(self.verifications)}


def decide(
    provider: str,
    build: str,
    contract: str,
    version: str,
    records: Sequence[dict[str, Any]],
    model_version: str | None = None,
) -> Decision:
    """Yes only when the newest record of this build against exactly ``contract@version`` passed.

    ``records`` are this build's records against ``contract`` (any version), newest first. With
    ``model_version``, that run must also have observed the build serving that model version.
    """
    who = f"{provider} {build}"
    exact = [r for r in records if r["contract_version"] == version]
    if exact:
        newest = exact[0]
        if newest["ok"] and model_version is not None:
            served = model_versions(newest)
            if served != [model_version]:
                seen = ", ".join(served) if served else "none (the contract declares no stable model version)"
                return Decision(
                    False,
                    f"{who} passed {contract}@{version} (verification {newest['id']}) but the run observed "
                    f"model version(s) {seen}, not only {model_version}; test the build serving {model_version} "
                    "and publish it",
                    exact,
                )
            return Decision(
                True,
                f"{who} passed {contract}@{version} serving model version {model_version} "
                f"(verification {newest['id']} at {newest['created_at']})",
                exact,
            )
        if newest["ok"]:
            return Decision(
                True,
                f"{who} passed {contract}@{version} (verification {newest['id']} at {newest['created_at']})",
                exact,
            )
        return Decision(
            False,
            f"the newest verification of {who} against {contract}@{version} failed "
            f"(verification {newest['id']}, {newest['failures'] or 'some'} failure(s)); "
            "fix the build and publish a passing run",
            exact,
        )
    passed_older = sorted(
        {r["contract_version"] for r in records if r["ok"] and versions.is_version(r["contract_version"])},
        key=versions.parse,
    )
    if passed_older:
        return Decision(
            False,
            f"{who} was verified only against {contract}@{', '.join(passed_older)}, "
            f"not against {contract}@{version}; run `contracts test {contract}@{version}` "
            "and publish it",
            list(records),
        )
    if records:
        return Decision(
            False,
            f"{who} has only failing verifications against {contract}, none against {contract}@{version}",
            list(records),
        )
    return Decision(
        False,
        f"no verification of {who} against {contract}@{version} is recorded; run "
        f"`contracts test {contract}@{version} --publish ...`",
        [],
    )


def model_versions(record: dict[str, Any]) -> list[str]:
    """The model versions a published run observed (``report.observed.model_versions``)."""
    report = record.get("report")
    observed = report.get("observed") if isinstance(report, dict) else None
    found = observed.get("model_versions") if isinstance(observed, dict) else None
    return [str(v) for v in found] if isinstance(found, list) else []
