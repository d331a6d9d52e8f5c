"""Replaying recorded traffic against another deployment (``contracts test --replay FILE [--compare]``).

Each recorded request is sent again and its answer goes through every contract-test check; with
``compare`` the answer is also held against the recorded one (numbers within a tolerance, the
pointers of the contract's ``x-match`` ignore lists and ``--ignore`` left out), and the run says
how many answers changed and where the largest differences are.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Final
from urllib.parse import urlsplit

from .. import paths
from ..compiled import CompiledContract
from ..contract import Contract, Operation
from ..payload import PayloadError, parse_json
from ..pointers import resolve_pointer
from . import cases as _cases
from . import runner as _runner
from .checks import compare
from .exchange import WireRequest, WireResponse
from .recording import UPSTREAM, Recorded, read_recording
from .result import Failure, RunReport

REPLAY: Final = "replay"
REPLAY_CHECK = "replay_match"
_LISTED = 10  # differences listed in the summary


@dataclass(frozen=True, slots=True)
class ReplayOptions:
    """What to replay and how to compare."""

    recording: Path
    compare: bool = False
    tolerance: float = 0.0
    ignore: frozenset[str] = field(default_factory=frozenset)  # pointers left out of the comparison


@dataclass(frozen=True, slots=True)
class Difference:
    """One place where a replayed answer differs from the recorded one."""

    operation: str
    line: int
    pointer: str
    message: str
    delta: float | None = None  # the absolute difference of two numbers


def replay(
    contract: Contract | CompiledContract,
    options: _runner.Options,
    replaying: ReplayOptions,
    *,
    progress: _runner.Progress | None = None,
) -> RunReport:
    """Send every replayable recorded request to ``options.base_url``; check, and with compare, diff."""
    compiled = contract if isinstance(contract, CompiledContract) else CompiledContract(contract)
    recorded = read_recording(replaying.recording)
    _runner.check_options(options)
    _runner.probe(options.base_url, options.timeout, dict(options.headers))
    started = time.perf_counter()
    planned, skipped = _plan(compiled, recorded, options.headers)
    sent = _runner.send_all([c for c, _ in planned], options, progress)
    operations = list(compiled.contract.operations)
    plan = _cases.Plan(tuple(c for c, _ in planned))
    report = _runner.aggregate(compiled, operations, plan, sent, options, 0, time.perf_counter() - started)
    summary: dict[str, Any] = {
        "recording": str(replaying.recording),
        "recorded": len(recorded),
        "replayed": len(planned),
        "skipped": skipped,
    }
    if not replaying.compare:
        return replace(report, replay=summary)
    failures: dict[str, Failure] = {}
    differences: list[Difference] = []
    compared = changed = 0
    for (case, response, _), (_, old) in zip(sent, planned, strict=True):
        if response is None or old.response is None or old.answered_by != UPSTREAM or old.response_truncated:
            continue
        compared += 1
        ignored = replaying.ignore | _ignored_by_contract(case.operation, old.response.status)
        found = answer_differences(case.operation.label, old.line, old.response, response, replaying, ignored)
        if not found:
            continue
        changed += 1
        differences.extend(found)
        first = max(found, key=_weight)
        label = case.operation.label
        if label in failures:
            failures[label] = replace(failures[label], occurrences=failures[label].occurrences + 1)
        else:
            failures[label] = Failure(
                operation=label,
                check=REPLAY_CHECK,
                message=f"recorded exchange (line {old.line}) answered differently: {first.pointer or '/'}: "
                f"{first.message}",
                request=case.request.to_dict(options.base_url),
                response={**response.to_dict(), "recorded": old.response.to_dict()},
                curl=case.request.curl(options.base_url),
                pointer=first.pointer,
                case=case.description,
            )
    numeric = sorted((d for d in differences if d.delta is not None), key=lambda d: -(d.delta or 0.0))
    other = [d for d in differences if d.delta is None]
    summary.update(
        {
            "compared": compared,
            "changed": changed,
            "unchanged": compared - changed,
            "tolerance": replaying.tolerance,
            "largest": [_shown(d) for d in numeric[:_LISTED]],
            "changes": [_shown(d) for d in other[:_LISTED]],
        }
    )
    kept = [f for f in failures.values() if REPLAY_CHECK not in options.exclude_checks]
    return replace(report, failures=(*report.failures, *kept), replay=summary)


def answer_differences(
    operation: str,
    line: int,
    old: WireResponse,
    new: WireResponse,
    replaying: ReplayOptions,
    ignored: frozenset[str],
) -> list[Difference]:
    """Where ``new`` differs from the recorded ``old``: status first, then the body."""
    if old.status != new.status:
        return [Difference(operation, line, "", f"status {old.status}, now {new.status}")]
    try:
        before, after = parse_json(old.body), parse_json(new.body)
    except PayloadError:
        if old.body == new.body:
            return []
        return [Difference(operation, line, "", f"body changed ({len(old.body)} bytes, now {len(new.body)})")]
    out = []
    for pointer, message in compare(before, after, replaying.tolerance, ignored):
        out.append(Difference(operation, line, pointer, message, _delta(before, after, pointer)))
    return out


def _plan(
    compiled: CompiledContract, recorded: Sequence[Recorded], headers: Mapping[str, str]
) -> tuple[list[tuple[_cases.Case, Recorded]], dict[str, int]]:
    """The cases to send, each with the recorded exchange it replays, and what could not be replayed."""
    out: list[tuple[_cases.Case, Recorded]] = []
    skipped = {"truncated": 0, "undocumented": 0}
    for item in recorded:
        if item.request_truncated:
            skipped["truncated"] += 1  # a cut body is not the request that was sent
            continue
        request = _with_headers(item.request, headers)
        op, documented = _route(compiled.contract, request)
        if op is None:
            skipped["undocumented"] += 1
            continue
        description = f"recorded exchange (line {item.line})"
        source: _cases.CaseSource = REPLAY if documented else _cases.METHOD
        out.append((_cases.classified(compiled, op, source, description, request, None), item))
    return out, skipped


def _route(contract: Contract, request: WireRequest) -> tuple[Operation | None, bool]:
    """The operation a request is for (and True), or one of its path's operations (False) for another method."""
    path = urlsplit(request.path).path
    on_path = [op for op in contract.operations if paths.path_params(op.path, path) is not None]
    literal = [op for op in on_path if not paths.variables(op.path)]
    for op in literal or on_path:
        if op.method == request.method:
            return op, True
    return (on_path[0], False) if on_path else (None, False)


def _with_headers(request: WireRequest, extra: Mapping[str, str]) -> WireRequest:
    if not extra:
        return request
    overridden = {k.lower() for k in extra}
    headers = tuple((k, v) for k, v in request.headers if k.lower() not in overridden) + tuple(extra.items())
    return WireRequest(request.method, request.path, headers, request.body)


def _ignored_by_contract(op: Operation, status: int) -> frozenset[str]:
    """The ``x-match`` ignore pointers of the operation's examples under this status."""
    response = op.response_for(status)
    found: set[str] = set()
    for interaction in op.interactions.values():
        if response is not None and interaction.status == response.status and isinstance(interaction.match, Mapping):
            found.update(str(p) for p in interaction.match.get("ignore", []))
    return frozenset(found)


def _delta(before: Any, after: Any, pointer: str) -> float | None:
    try:
        old, new = resolve_pointer(before, pointer), resolve_pointer(after, pointer)
    except LookupError:
        return None
    numbers = all(isinstance(v, int | float) and not isinstance(v, bool) for v in (old, new))
    return abs(float(new) - float(old)) if numbers else None


def _weight(difference: Difference) -> float:
    return float("inf") if difference.delta is None else difference.delta


def _shown(difference: Difference) -> dict[str, Any]:
    out: dict[str, Any] = {
        "operation": difference.operation,
        "line": difference.line,
        "pointer": difference.pointer,
        "message": difference.message,
    }
    if difference.delta is not None:
        out["difference"] = round(difference.delta, 12)
    return out
