"""What the proxy has seen so far: exchanges and violations by operation, check and direction, with samples.

``Tally`` feeds ``/__proxy/report`` (JSON) and ``/__proxy/metrics`` (Prometheus text, through
prometheus_client on a registry of the proxy's own). Memory is bounded: one sample per operation and
check, a fixed number of latency samples per operation, a fixed number of distinct undocumented routes.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest

from validator.contract import Contract, Operation
from validator.problems import Problem
from validator.verify.checks import latency_slo, percentile
from validator.verify.exchange import WireRequest, WireResponse
from validator.verify.recording import kept_headers

from .checking import Finding
from .options import Mode

UNDOCUMENTED = "(undocumented)"
_MAX_UNDOCUMENTED = 1000
_BUCKETS = (0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)


@dataclass(slots=True)
class _Seen:
    """One (operation, direction, check): how often, and the first exchange that showed it."""

    count: int
    message: str
    pointer: str
    sample: dict[str, Any]
    curl: str


class Tally:
    """Counts, samples and latency of the exchanges the proxy has passed."""

    def __init__(
        self,
        contract: Contract,
        upstream: str,
        mode: Mode,
        latency_samples: int = 10_000,
        redact: frozenset[str] = frozenset(),
    ) -> None:
        self.contract = contract
        self.redact = redact
        self.upstream = upstream
        self.mode = mode
        self.exchanges: dict[str, int] = {}
        self.statuses: dict[tuple[str, int], int] = {}
        self.seen: dict[tuple[str, str, str], _Seen] = {}
        self.undocumented: dict[tuple[str, str], int] = {}
        self.upstream_failures: dict[int, int] = {}
        self._latency: dict[str, deque[float]] = {op.label: deque(maxlen=latency_samples) for op in contract.operations}
        self._slo = {op.label: _slo_of(op) for op in contract.operations}
        self.metrics = _Metrics()

    def add(
        self,
        operation: str | None,
        request: WireRequest,
        response: WireResponse | None,
        status: int,
        findings: Sequence[Finding],
        *,
        valid: bool,
        upstream_ms: float | None,
        proxy_ms: float,
    ) -> None:
        """Count one exchange and its findings (``response``: the upstream's answer, when it gave one)."""
        label = operation or UNDOCUMENTED
        metrics = self.metrics
        self.exchanges[label] = self.exchanges.get(label, 0) + 1
        key = (label, status)
        self.statuses[key] = self.statuses.get(key, 0) + 1
        metrics.child(metrics.exchanges, label, str(status)).inc()
        for finding in findings:
            seen_key = (label, finding.direction, finding.check)
            seen = self.seen.get(seen_key)
            if seen is None:
                self.seen[seen_key] = self._first(finding.problem, request, response)
            else:
                seen.count += 1
            metrics.child(metrics.violations, label, finding.check, finding.direction).inc()
        if upstream_ms is not None:
            metrics.child(metrics.upstream, label).observe(upstream_ms / 1000)
            if valid and operation is not None and response is not None and response.status < 500:
                self._latency[operation].append(upstream_ms)
        metrics.child(metrics.overhead, label).observe(proxy_ms / 1000)

    def add_undocumented(self, method: str, path: str) -> None:
        """Count a request to a path (or with a method) the contract does not describe."""
        key = (method, path)
        if key in self.undocumented or len(self.undocumented) < _MAX_UNDOCUMENTED:
            self.undocumented[key] = self.undocumented.get(key, 0) + 1
        else:
            other = (method, "(other paths)")
            self.undocumented[other] = self.undocumented.get(other, 0) + 1
        self.metrics.undocumented.inc()

    def add_upstream_failure(self, status: int) -> None:
        """Count an upstream that gave no usable answer (502) or none in time (504)."""
        self.upstream_failures[status] = self.upstream_failures.get(status, 0) + 1
        self.metrics.failures.labels(str(status)).inc()

    def _first(self, problem: Problem, request: WireRequest, response: WireResponse | None) -> _Seen:
        message = f"{problem.where()}: {problem.message}" if problem.pointer else problem.message
        # A report is served over HTTP: credentials are left out of it as out of a recording.
        request = WireRequest(
            request.method, request.path, tuple(kept_headers(request.headers, self.redact)), request.body
        )
        if response is not None:
            kept = dict(kept_headers(response.headers.items(), self.redact))
            response = WireResponse(response.status, kept, response.body, response.elapsed_ms)
        sample = {
            "request": request.to_dict(self.upstream),
            "response": response.to_dict() if response is not None else None,
        }
        return _Seen(1, message, problem.pointer, sample, request.curl(self.upstream))

    def latency_findings(self) -> list[tuple[str, Problem]]:
        """Missed ``x-slo`` percentiles over the upstream times of valid requests: (operation, problem)."""
        out: list[tuple[str, Problem]] = []
        for label, samples in self._latency.items():
            out.extend((label, p) for p in latency_slo(self._slo[label], list(samples)))
        return out

    def report(self) -> dict[str, Any]:
        """``/__proxy/report``: totals, then violations by operation and check, each with a sample and curl."""
        by_operation: dict[str, list[dict[str, Any]]] = {}
        for (label, direction, check), seen in self.seen.items():
            by_operation.setdefault(label, []).append(
                {
                    "check": check,
                    "direction": direction,
                    "count": seen.count,
                    "message": seen.message,
                    "pointer": seen.pointer,
                    "sample": seen.sample,
                    "curl": seen.curl,
                }
            )
        for label, problem in self.latency_findings():
            by_operation.setdefault(label, []).append(
                {"check": "latency_slo", "direction": "response", "count": 1, "message": problem.message, "pointer": ""}
            )
        operations: list[dict[str, Any]] = []
        for label in [*self.exchanges, *(k for k in by_operation if k not in self.exchanges)]:
            found = sorted(by_operation.get(label, []), key=lambda v: (v["direction"], v["check"]))
            statuses = {str(s): n for (name, s), n in sorted(self.statuses.items()) if name == label}
            operations.append(
                {
                    "operation": label,
                    "exchanges": self.exchanges.get(label, 0),
                    "statuses": statuses,
                    "violations": found,
                    "latency": self._latency_summary(label),
                }
            )
        total = sum(v["count"] for op in operations for v in op["violations"])
        return {
            "contract": f"{self.contract.name}@{self.contract.version}",
            "upstream": self.upstream,
            "mode": self.mode,
            "exchanges": sum(self.exchanges.values()),
            "violations": total,
            "ok": total == 0,
            "operations": operations,
            "undocumented": [{"method": m, "path": p, "count": n} for (m, p), n in sorted(self.undocumented.items())],
            "upstream_failures": {str(k): v for k, v in sorted(self.upstream_failures.items())},
        }

    def _latency_summary(self, label: str) -> dict[str, Any] | None:
        samples = self._latency.get(label)
        if not samples:
            return None
        values = list(samples)
        return {
            "samples": len(values),
            "p50_ms": round(percentile(values, 50), 2),
            "p95_ms": round(percentile(values, 95), 2),
            "p99_ms": round(percentile(values, 99), 2),
            "slo": self._slo[label],
        }

    def prometheus(self) -> bytes:
        """``/__proxy/metrics`` in the Prometheus text format."""
        return bytes(generate_latest(self.metrics.registry))


class _Metrics:
    def __init__(self) -> None:
        # labels() takes a lock and builds a key on every call: the children are kept here instead.
        self._children: dict[tuple[Any, ...], Any] = {}
        self.registry = CollectorRegistry(auto_describe=True)
        self.exchanges = Counter(
            "contracts_proxy_exchanges",
            "Exchanges by operation and status",
            ["operation", "status"],
            registry=self.registry,
        )
        self.violations = Counter(
            "contracts_proxy_violations",
            "Contract violations by operation, check and direction",
            ["operation", "check", "direction"],
            registry=self.registry,
        )
        self.undocumented = Counter(
            "contracts_proxy_undocumented", "Requests to paths or methods outside the contract", registry=self.registry
        )
        self.failures = Counter(
            "contracts_proxy_upstream_failures",
            "Upstream gave no usable answer (502) or none in time (504)",
            ["status"],
            registry=self.registry,
        )
        self.upstream = Histogram(
            "contracts_proxy_upstream_seconds",
            "Upstream time by operation",
            ["operation"],
            buckets=_BUCKETS,
            registry=self.registry,
        )
        self.overhead = Histogram(
            "contracts_proxy_overhead_seconds",
            "Time spent in the proxy itself by operation",
            ["operation"],
            buckets=_BUCKETS,
            registry=self.registry,
        )

    def child(self, metric: Counter | Histogram, *labels: str) -> Any:
        """The labelled child of ``metric`` (made once per label set; operations, statuses, checks are few)."""
        key = (id(metric), *labels)
        found = self._children.get(key)
        if found is None:
            found = self._children[key] = metric.labels(*labels)
        return found


def _slo_of(op: Operation) -> Mapping[str, Any]:
    slo = op.extensions.get("x-slo")
    return dict(slo) if isinstance(slo, Mapping) else {}
