"""Running a contract test: plan the cases, send them (concurrently, rate-limited), check, aggregate."""

from __future__ import annotations

import hashlib
import random
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import httpx

from ..compiled import CompiledContract
from ..contract import Contract, Operation
from ..errors import UnreachableError, UsageError
from ..payload import dumps
from ..problems import Problem
from . import cases as _cases
from . import relation_checks
from .checks import CHECK_NAMES, Exchange, latency_slo, percentile, run_checks
from .exchange import WireRequest, WireResponse
from .result import Failure, Latency, OperationCoverage, RunReport

Progress = Callable[[int, int], None]


@dataclass(frozen=True, slots=True)
class Options:
    """How to run: where the API is, how many generated cases, how hard to push it."""

    base_url: str
    max_examples: int = 20
    seed: int | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    timeout: float = 10.0
    workers: int = 4
    rate_limit: float | None = None  # requests per second, all workers together
    operations: Sequence[str] = ()
    exclude_checks: frozenset[str] = frozenset()  # check names whose findings are not reported


def parse_headers(values: Sequence[str]) -> dict[str, str]:
    """``K:V`` strings as a mapping; a value without a colon is a usage error."""
    out: dict[str, str] = {}
    for value in values:
        key, sep, rest = value.partition(":")
        if not sep or not key.strip():
            raise UsageError(f"--header {value!r} is not K:V", hint="e.g. --header 'Authorization: Bearer TOKEN'")
        out[key.strip()] = rest.strip()
    return out


def run(contract: Contract | CompiledContract, options: Options, *, progress: Progress | None = None) -> RunReport:
    """Contract-test the API at ``options.base_url``; UnreachableError (exit 3) when it does not answer."""
    compiled = contract if isinstance(contract, CompiledContract) else CompiledContract(contract)
    model = compiled.contract
    _check_options(options)
    chosen = [model.operation(ref) for ref in options.operations] or list(model.operations)
    operations = list({op.key: op for op in chosen}.values())
    probe(options.base_url, options.timeout, dict(options.headers))
    seed = options.seed if options.seed is not None else random.SystemRandom().randrange(2**31)
    started = time.perf_counter()
    the_plan = _planned(compiled, operations, options.max_examples, seed, options.headers)
    exchanges = _send_all(the_plan.cases, options, progress)
    report = _aggregate(compiled, operations, the_plan, exchanges, options, seed, time.perf_counter() - started)
    return report


def _check_options(options: Options) -> None:
    split = urlsplit(options.base_url)
    if split.scheme not in ("http", "https") or not split.netloc:
        raise UsageError(
            f"--base-url {options.base_url!r} is not an http(s) URL",
            hint="e.g. --base-url http://127.0.0.1:8000",
        )
    for name, value, low in (("--max-examples", options.max_examples, 0), ("--workers", options.workers, 1)):
        if value < low:
            raise UsageError(f"{name} must be at least {low}, got {value}")
    if options.timeout <= 0:
        raise UsageError(f"--timeout must be positive, got {options.timeout}")
    if options.rate_limit is not None and options.rate_limit <= 0:
        raise UsageError(f"--rate-limit must be positive, got {options.rate_limit}")
    unknown = sorted(options.exclude_checks - set(CHECK_NAMES))
    if unknown:
        raise UsageError(
            f"--exclude-check: unknown check {', '.join(unknown)}", hint=f"checks: {', '.join(CHECK_NAMES)}"
        )


def probe(base_url: str, timeout: float, headers: Mapping[str, str]) -> None:
    """Raise UnreachableError unless something answers HTTP at ``base_url`` (any status will do)."""
    try:
        httpx.get(base_url, timeout=min(timeout, 5.0), headers=dict(headers))
    except httpx.HTTPError as exc:
        raise UnreachableError(
            f"the API at {base_url} cannot be reached: {type(exc).__name__}: {exc or 'no answer'}",
            hint="start the API, or check --base-url (scheme, host and port)",
        ) from None


# -- planning, cached: the same contract, seed and sizes give the same cases ------------------------
_PLAN_CACHE: dict[tuple[object, ...], _cases.Plan] = {}
_PLAN_LOCK = threading.Lock()
_PLAN_CACHE_SIZE = 16


def _planned(
    compiled: CompiledContract,
    operations: Sequence[Operation],
    max_examples: int,
    seed: int,
    headers: Mapping[str, str],
) -> _cases.Plan:
    contract = compiled.contract
    digest = hashlib.sha256(dumps(dict(contract.resources))).hexdigest()
    key = (
        contract.base_uri,
        digest,
        tuple(op.key for op in operations),
        max_examples,
        seed,
        tuple(sorted(headers.items())),
    )
    with _PLAN_LOCK:
        found = _PLAN_CACHE.get(key)
        if found is None:
            found = _cases.plan(compiled, operations, max_examples=max_examples, seed=seed, headers=headers)
            if len(_PLAN_CACHE) >= _PLAN_CACHE_SIZE:
                _PLAN_CACHE.pop(next(iter(_PLAN_CACHE)))
            _PLAN_CACHE[key] = found
    # Cached cases hold operations of the contract object that planned them: same document, same values.
    by_key = {op.key: op for op in operations}
    return _cases.Plan(tuple(_rebind(c, by_key) for c in found.cases), found.skipped_examples, found.notes)


def _rebind(case: _cases.Case, operations: Mapping[str, Operation]) -> _cases.Case:
    op = operations.get(case.operation.key, case.operation)
    interaction = op.interactions.get(case.interaction.name) if case.interaction is not None else None
    return _cases.Case(op, case.source, case.description, case.request, case.problems, interaction)


# -- sending ---------------------------------------------------------------------------------------
class _Spacing:
    """At most ``rate`` requests per second over all workers, evenly spaced (no bursts at window edges)."""

    def __init__(self, rate: float | None) -> None:
        self._interval = 1.0 / rate if rate else 0.0
        self._next = time.monotonic()
        self._lock = threading.Lock()

    def wait(self) -> None:
        if not self._interval:
            return
        with self._lock:
            now = time.monotonic()
            slot = max(now, self._next)
            self._next = slot + self._interval
        if slot > now:
            time.sleep(slot - now)


Sent = tuple[_cases.Case, WireResponse | None, str | None]  # case, response, transport error


def _send_all(planned: Sequence[_cases.Case], options: Options, progress: Progress | None) -> list[Sent]:
    spacing = _Spacing(options.rate_limit)
    total = len(planned)
    done = 0
    lock = threading.Lock()
    limits = httpx.Limits(max_connections=options.workers, max_keepalive_connections=options.workers)
    with httpx.Client(
        timeout=options.timeout,
        limits=limits,
        headers={"User-Agent": _cases.USER_AGENT},
        follow_redirects=False,
    ) as client:

        def one(case: _cases.Case) -> Sent:
            nonlocal done
            spacing.wait()
            result = send(client, options.base_url, case.request)
            with lock:
                done += 1
                if progress is not None:
                    progress(done, total)
            return (case, *result)

        if options.workers == 1:
            return [one(c) for c in planned]
        with ThreadPoolExecutor(max_workers=options.workers, thread_name_prefix="contracts-test") as pool:
            return list(pool.map(one, planned))


def send(client: httpx.Client, base_url: str, request: WireRequest) -> tuple[WireResponse | None, str | None]:
    """Send one request; the response, or why none came."""
    started = time.perf_counter()
    try:
        answer = client.request(
            request.method, request.url(base_url), headers=list(request.headers), content=request.body
        )
    except httpx.HTTPError as exc:
        return None, f"{type(exc).__name__}: {exc or 'no answer'}"
    elapsed = (time.perf_counter() - started) * 1000
    headers = {k.lower(): v for k, v in answer.headers.items()}
    return WireResponse(answer.status_code, headers, answer.content, elapsed), None


# -- aggregation -----------------------------------------------------------------------------------
def _aggregate(
    compiled: CompiledContract,
    operations: Sequence[Operation],
    the_plan: _cases.Plan,
    sent: Sequence[Sent],
    options: Options,
    seed: int,
    duration: float,
) -> RunReport:
    found: dict[tuple[str, str], Failure] = {}

    def record(
        case: _cases.Case,
        check: str,
        problem: Problem,
        response: WireResponse | None,
        error: str | None = None,
    ) -> None:
        if check in options.exclude_checks:
            return
        key = (case.operation.label, check)
        if key in found:
            previous = found[key]
            found[key] = _replace_count(previous, previous.occurrences + 1)
            return
        message = f"{problem.where()}: {problem.message}" if problem.pointer else problem.message
        found[key] = Failure(
            operation=case.operation.label,
            check=check,
            message=message,
            request=case.request.to_dict(options.base_url),
            response=response.to_dict() if response is not None else {"error": error},
            curl=case.request.curl(options.base_url),
            pointer=problem.pointer,
            case=case.description,
        )

    for case, response, error in sent:
        if response is None:
            record(case, "server_error", Problem("", f"no response: {error}", location="status"), None, error)
            continue
        for check, problem in run_checks(Exchange(case, response, compiled)):
            record(case, check, problem, response)

    answered = [(c, r) for c, r, _ in sent if r is not None]
    for op in operations:  # stable values, sticky variants, the reversed batch: judged over the whole run
        mine = [(c, r) for c, r in answered if c.operation.key == op.key]
        for verdict in relation_checks.judge(compiled, op, mine):
            record(verdict.case, verdict.check, verdict.problem, verdict.response)

    latencies = []
    for op in operations:
        timed = [(c, r) for c, r, _ in sent if c.operation.key == op.key and c.valid and r is not None]
        values = [r.elapsed_ms for _, r in timed]
        slo = op.extensions.get("x-slo")
        slo = dict(slo) if isinstance(slo, Mapping) else {}
        missed = latency_slo(slo, values)
        for problem in missed:
            slowest_case, slowest = max(timed, key=lambda pair: pair[1].elapsed_ms)
            record(slowest_case, "latency_slo", problem, slowest)
        latencies.append(
            Latency(
                operation=op.label,
                samples=len(values),
                p50_ms=_rounded(values, 50),
                p95_ms=_rounded(values, 95),
                p99_ms=_rounded(values, 99),
                slo=slo,
                ok=not missed,
            )
        )

    order = {op.label: i for i, op in enumerate(operations)}
    failures = sorted(found.values(), key=lambda f: (order.get(f.operation, 0), f.check))
    return RunReport(
        contract=f"{compiled.contract.name}@{compiled.contract.version}",
        base_url=options.base_url,
        seed=seed,
        max_examples=options.max_examples,
        cases=len(sent),
        duration_s=duration,
        failures=tuple(failures),
        coverage=tuple(_coverage(op, sent, the_plan) for op in operations),
        latency=tuple(latencies),
        notes=the_plan.notes,
        observed=relation_checks.seen(compiled, operations, answered),
    )


def _replace_count(failure: Failure, occurrences: int) -> Failure:
    from dataclasses import replace

    return replace(failure, occurrences=occurrences)


def _rounded(values: Sequence[float], pct: float) -> float | None:
    return round(percentile(values, pct), 2) if values else None


def _coverage(op: Operation, sent: Sequence[Sent], the_plan: _cases.Plan) -> OperationCoverage:
    mine = [(c, r) for c, r, _ in sent if c.operation.key == op.key]
    seen: list[str] = []
    for case, response in mine:
        documented = op.response_for(response.status) if response is not None and case.source != _cases.METHOD else None
        if documented is not None and documented.status not in seen:
            seen.append(documented.status)
    sent_examples = [c.interaction.name for c, r in mine if c.interaction is not None and r is not None]
    prefix = f"{op.label}/"
    missed = {k.removeprefix(prefix): v for k, v in the_plan.skipped_examples.items() if k.startswith(prefix)}
    return OperationCoverage(
        operation=op.label,
        cases=len(mine),
        statuses_seen=tuple(s for s in op.responses if s in seen),
        statuses_missed=tuple(s for s in op.responses if s not in seen),
        examples_sent=tuple(sent_examples),
        examples_missed=missed,
    )


# The steps of a run, for runs that plan their cases otherwise (``replay``).
check_options = _check_options
send_all = _send_all
aggregate = _aggregate
