"""The result of a contract-test run: returned values that serialise to JSON with ``to_dict()``.

The JSON shape is INTERFACE.md's ``test`` shape (``ok``, ``cases``, ``failures``) plus ``coverage``
and ``latency``; a publishing step (the contract service) only has to post ``to_dict()``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Failure:
    """One distinct violation (operation, check and what failed), with its smallest reproduction."""

    operation: str
    check: str
    message: str
    request: Mapping[str, Any]
    response: Mapping[str, Any] | None
    curl: str
    pointer: str = ""
    case: str = ""  # which case found it: example 'x', boundary description, generated (mode)
    occurrences: int = 1
    signature: str = ""  # what failed: status, or location, pointer (indices as *) and keyword
    shrink_steps: int = 0  # how many times the reproduction was made smaller and still failed

    def to_dict(self) -> dict[str, Any]:
        """The failure as INTERFACE.md's JSON entry (plus pointer, case, occurrences)."""
        return {
            "operation": self.operation,
            "check": self.check,
            "message": self.message,
            "request": dict(self.request),
            "response": dict(self.response) if self.response is not None else None,
            "curl": self.curl,
            "pointer": self.pointer,
            "case": self.case,
            "occurrences": self.occurrences,
            "signature": self.signature,
            "shrink_steps": self.shrink_steps,
        }


@dataclass(frozen=True, slots=True)
class OperationCoverage:
    """What a run exercised of one operation, and what it never reached."""

    operation: str
    cases: int
    statuses_seen: tuple[str, ...]
    statuses_missed: tuple[str, ...]
    examples_sent: tuple[str, ...]
    examples_missed: Mapping[str, str] = field(default_factory=dict)  # example name -> why
    findings_not_shown: int = 0  # distinct findings past the per-operation cap

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "operation": self.operation,
            "cases": self.cases,
            "statuses_seen": list(self.statuses_seen),
            "statuses_missed": list(self.statuses_missed),
            "examples_sent": list(self.examples_sent),
            "examples_missed": dict(self.examples_missed),
            "findings_not_shown": self.findings_not_shown,
        }


@dataclass(frozen=True, slots=True)
class Latency:
    """Round-trip latency of valid requests of one operation, against its declared ``x-slo``.

    With an ``x-slo`` the samples come from the sequential SLO phase (``phase == "slo"``) and each
    declared percentile has a verdict; otherwise they are the main phase's valid requests, for reading only.
    """

    operation: str
    samples: int
    p50_ms: float | None
    p95_ms: float | None
    p99_ms: float | None
    slo: Mapping[str, Any] = field(default_factory=dict)
    ok: bool = True
    verdicts: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)  # x-slo key -> verdict entry
    phase: str = "main"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "operation": self.operation,
            "phase": self.phase,
            "samples": self.samples,
            "p50_ms": self.p50_ms,
            "p95_ms": self.p95_ms,
            "p99_ms": self.p99_ms,
            "slo": dict(self.slo),
            "ok": self.ok,
            "verdicts": {k: dict(v) for k, v in self.verdicts.items()},
        }


@dataclass(frozen=True, slots=True)
class CaseError:
    """A case the tool could not send (Schemathesis's Error beside its Failure): says nothing about the API."""

    operation: str
    case: str
    message: str
    request: str  # method and URL, cut when long

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {"operation": self.operation, "case": self.case, "message": self.message, "request": self.request}


@dataclass(frozen=True, slots=True)
class RunReport:
    """Everything a contract-test run found about one API against one contract version."""

    contract: str  # name@version
    base_url: str
    seed: int
    max_examples: int
    cases: int
    duration_s: float
    failures: tuple[Failure, ...]
    coverage: tuple[OperationCoverage, ...]
    latency: tuple[Latency, ...]
    notes: tuple[str, ...] = ()
    # What x-relations saw: model_versions (stable values), variants, and the values at each location.
    observed: Mapping[str, Any] = field(default_factory=dict)
    replay: Mapping[str, Any] | None = None  # what a ``--replay`` run sent, skipped and (with compare) found
    errors: tuple[CaseError, ...] = ()  # cases the tool could not send: reported, never failures

    @property
    def ok(self) -> bool:
        """True when the API complies: no failure at all."""
        return not self.failures

    def checks_failed(self) -> set[tuple[str, str]]:
        """(operation, check) of every failure."""
        return {(f.operation, f.check) for f in self.failures}

    def to_dict(self) -> dict[str, Any]:
        """The report as one JSON document (INTERFACE.md ``test`` shape plus coverage and latency)."""
        return {
            "ok": self.ok,
            "cases": self.cases,
            "failures": [f.to_dict() for f in self.failures],
            "contract": self.contract,
            "base_url": self.base_url,
            "seed": self.seed,
            "max_examples": self.max_examples,
            "duration_s": round(self.duration_s, 3),
            "coverage": [c.to_dict() for c in self.coverage],
            "latency": [lat.to_dict() for lat in self.latency],
            "notes": list(self.notes),
            "errors": [e.to_dict() for e in self.errors],
            "observed": dict(self.observed),
            **({"replay": dict(self.replay)} if self.replay is not None else {}),
        }
