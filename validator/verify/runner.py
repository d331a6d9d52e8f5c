"""Running a contract test: plan the cases, send them (concurrently, rate-limited), check, aggregate."""

from __future__ import annotations

import hashlib
import random
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from urllib.parse import urlsplit

import httpx

from ..compiled import CompiledContract
from ..contract import Contract, Operation
from ..errors import UnreachableError, UsageError
from ..payload import dumps
from ..problems import Problem
from ..wire import is_field_value
from . import cases as _cases
from . import relation_checks
from .checks import CHECK_NAMES, FAIL, SLO_KEYS, Exchange, latency_slo, percentile, run_checks, slo_verdicts
from .exchange import WireRequest, WireResponse
from .findings import Group, Occurrence, capped, grouped, key_of
from .idempotency import with_fresh_keys
from .result import CaseError, Failure, Latency, OperationCoverage, RunReport
from .shrink import shrink

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
    slo_samples: int = 50  # sequential valid requests per operation with an x-slo (0: no SLO phase)
    max_findings: int = 10  # distinct findings shown per operation; the rest are counted
    shrink_budget: int = 20  # requests spent making one finding's reproduction smaller (0: no shrinking)


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
    planned = _planned(compiled, operations, options.max_examples, seed, options.headers)
    the_plan = replace(planned, cases=with_fresh_keys(compiled, planned.cases))
    with _client(options) as client:
        exchanges = _send_all(client, the_plan.cases, options, progress)
        timed = _slo_phase(client, operations, exchanges, options)
        report = _aggregate(compiled, operations, the_plan, exchanges, timed, options, seed, client, started)
    return report


def _check_options(options: Options) -> None:
    split = urlsplit(options.base_url)
    if split.scheme not in ("http", "https") or not split.netloc:
        raise UsageError(
            f"--base-url {options.base_url!r} is not an http(s) URL",
            hint="e.g. --base-url http://127.0.0.1:8000",
        )
    for name, value, low in (
        ("--max-examples", options.max_examples, 0),
        ("--workers", options.workers, 1),
        ("--slo-samples", options.slo_samples, 0),
        ("--max-findings", options.max_findings, 1),
        ("--shrink-budget", options.shrink_budget, 0),
    ):
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


@dataclass(frozen=True, slots=True)
class NotSent:
    """Why the tool could not send a case (a URL too long to build, a header it cannot encode, a bug):
    a tool error for that case, never a finding about the API."""

    reason: str


# case, response, and why none came: a transport error (str: the API did not answer) or NotSent
Sent = tuple[_cases.Case, WireResponse | None, str | NotSent | None]


def _client(options: Options) -> httpx.Client:
    limits = httpx.Limits(max_connections=options.workers, max_keepalive_connections=options.workers)
    return httpx.Client(
        timeout=options.timeout,
        limits=limits,
        headers={"User-Agent": _cases.USER_AGENT},
        follow_redirects=False,
    )


def _send_all(
    client: httpx.Client, planned: Sequence[_cases.Case], options: Options, progress: Progress | None
) -> list[Sent]:
    spacing = _Spacing(options.rate_limit)
    total = len(planned)
    done = 0
    lock = threading.Lock()

    def one(case: _cases.Case) -> Sent:
        nonlocal done
        spacing.wait()
        try:
            result = send(client, options.base_url, case.request)
        except Exception as exc:  # one case the tool cannot send must not end the run without a report
            result = None, NotSent(f"{type(exc).__name__}: {exc}")
        with lock:
            done += 1
            if progress is not None:
                progress(done, total)
        return (case, *result)

    if options.workers == 1:
        return [one(c) for c in planned]
    with ThreadPoolExecutor(max_workers=options.workers, thread_name_prefix="contracts-test") as pool:
        return list(pool.map(one, planned))


# -- the SLO phase: latency measured on purpose, one request at a time -------------------------------
WARM_UP = 5  # requests per operation sent before timing starts (connections, caches, lazy imports)
Timed = dict[str, list[tuple[_cases.Case, WireResponse]]]  # operation key -> the timed exchanges


def _slo_phase(client: httpx.Client, operations: Sequence[Operation], sent: Sequence[Sent], options: Options) -> Timed:
    """For each operation with an ``x-slo``: a warm-up, then ``slo_samples`` sequential valid requests.

    The requests are the valid cases that got a 2xx in the main phase, taken in turn; concurrent
    traffic of the main phase would measure the machine's load as much as the API.
    """
    timed: Timed = {}
    if options.slo_samples <= 0:
        return timed
    spacing = _Spacing(options.rate_limit)
    for op in operations:
        if not _slo_of(op):
            continue
        pool = [
            c for c, r, _ in sent if c.operation.key == op.key and c.valid and r is not None and 200 <= r.status < 300
        ]
        samples: list[tuple[_cases.Case, WireResponse]] = []
        timed[op.key] = samples
        if not pool:
            continue
        for i in range(WARM_UP + options.slo_samples):
            case = pool[i % len(pool)]
            spacing.wait()
            response, _ = send(client, options.base_url, case.request)
            if i >= WARM_UP and response is not None:
                samples.append((case, response))
    return timed


def _slo_of(op: Operation) -> dict[str, object]:
    slo = op.extensions.get("x-slo")
    return {k: v for k, v in slo.items() if k in SLO_KEYS} if isinstance(slo, Mapping) else {}


# The client refusing to build or write a request: the tool's limit, not the API's answer.
_NOT_SENDABLE = (httpx.InvalidURL, httpx.LocalProtocolError, httpx.UnsupportedProtocol, UnicodeError)


def send(client: httpx.Client, base_url: str, request: WireRequest) -> tuple[WireResponse | None, str | NotSent | None]:
    """Send one request; the response, or why none came (:class:`NotSent` when it could not be sent)."""
    for name, value in request.headers:
        # httpx lets some control characters through (\x01, \x7f): servers then drop the header or refuse
        # the request, which would read as the API's fault.
        if not is_field_value(value, obs_text=True):
            return None, NotSent(
                f"header {name!r}: {value[:60]!r} holds characters HTTP cannot carry "
                "(control characters, or whitespace at either end)"
            )
    started = time.perf_counter()
    try:
        # As bytes: a generated value outside ASCII goes out as its UTF-8 (httpx would refuse the str).
        sent = [(name.encode("utf-8"), value.encode("utf-8")) for name, value in request.headers]
        answer = client.request(request.method, request.url(base_url), headers=sent, content=request.body)
    except _NOT_SENDABLE as exc:
        return None, NotSent(f"{type(exc).__name__}: {exc}")
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
    timed: Timed,
    options: Options,
    seed: int,
    client: httpx.Client,
    started: float,
) -> RunReport:
    occurrences: list[Occurrence] = []
    errors: list[CaseError] = []
    for case, response, error in sent:
        if isinstance(error, NotSent):
            errors.append(CaseError(case.operation.label, case.description, error.reason, _shown_url(case, options)))
            continue
        if response is None:
            problem = Problem("", f"no response: {error}", location="status")
            occurrences.append(Occurrence(case, "server_error", problem, None, error))
            continue
        for check, problem in run_checks(Exchange(case, response, compiled)):
            occurrences.append(Occurrence(case, check, problem, response))

    answered = [(c, r) for c, r, _ in sent if r is not None]
    for op in operations:  # stable values, sticky variants, the reversed batch: judged over the whole run
        mine = [(c, r) for c, r in answered if c.operation.key == op.key]
        for verdict in relation_checks.judge(compiled, op, mine):
            occurrences.append(Occurrence(verdict.case, verdict.check, verdict.problem, verdict.response))

    latencies = []
    for op in operations:
        slo = dict(op.extensions.get("x-slo") or {}) if isinstance(op.extensions.get("x-slo"), Mapping) else {}
        if op.key in timed:
            pairs = timed[op.key]
            phase = "slo"
        else:
            pairs = [(c, r) for c, r, _ in sent if c.operation.key == op.key and c.valid and r is not None]
            phase = "main"
        values = [r.elapsed_ms for _, r in pairs]
        verdicts = slo_verdicts(slo, values) if phase == "slo" else {}
        if phase == "slo":
            for problem in latency_slo(slo, values):
                slowest_case, slowest = max(pairs, key=lambda pair: pair[1].elapsed_ms)
                occurrences.append(Occurrence(slowest_case, "latency_slo", problem, slowest))
        latencies.append(
            Latency(
                operation=op.label,
                samples=len(values),
                p50_ms=_rounded(values, 50),
                p95_ms=_rounded(values, 95),
                p99_ms=_rounded(values, 99),
                slo=slo,
                ok=all(v["verdict"] != FAIL for v in verdicts.values()),
                verdicts=verdicts,
                phase=phase,
            )
        )

    kept = [o for o in occurrences if o.check not in options.exclude_checks]
    groups, hidden = capped(grouped(kept), CHECK_NAMES, options.max_findings)
    shrinker = _Shrinker(compiled, client, options)
    failures = [shrinker.failure(group) for group in groups]
    order = {op.label: i for i, op in enumerate(operations)}
    rank = {name: i for i, name in enumerate(CHECK_NAMES)}
    failures.sort(key=lambda f: (order.get(f.operation, 0), rank.get(f.check, len(rank))))
    notes = list(the_plan.notes)
    notes.extend(
        f"{op}: {count} more distinct finding(s) not shown (--max-findings {options.max_findings})"
        for op, count in hidden.items()
    )
    return RunReport(
        contract=f"{compiled.contract.name}@{compiled.contract.version}",
        base_url=options.base_url,
        seed=seed,
        max_examples=options.max_examples,
        cases=len(sent),
        duration_s=time.perf_counter() - started,
        failures=tuple(failures),
        coverage=tuple(_coverage(op, sent, the_plan, hidden.get(op.label, 0)) for op in operations),
        latency=tuple(latencies),
        notes=tuple(notes),
        observed=relation_checks.seen(compiled, operations, answered),
        errors=tuple(errors),
    )


_SHOWN_URL = 200  # characters of a request URL a tool error quotes (the URL may be why it failed)


def _shown_url(case: _cases.Case, options: Options) -> str:
    url = f"{case.request.method} {case.request.url(options.base_url)}"
    return url if len(url) <= _SHOWN_URL else f"{url[:_SHOWN_URL]}... ({len(url)} characters)"


class _Shrinker:
    """Turns a group of occurrences into a Failure whose reproduction is as small as still fails."""

    def __init__(self, compiled: CompiledContract, client: httpx.Client, options: Options) -> None:
        self.compiled = compiled
        self.client = client
        self.options = options

    def failure(self, group: Group) -> Failure:
        """The finding with the smallest reproduction seen, shrunk further when it was generated."""
        chosen = group.smallest
        case, response, steps = chosen.case, chosen.response, 0
        problem = chosen.problem
        if (
            self.options.shrink_budget > 0
            and response is not None
            and case.source in (_cases.BOUNDARY, _cases.GENERATED)
            and self._shown_alone(group, chosen)
        ):
            found: dict[str, Occurrence] = {}

            def reproduces(request: WireRequest) -> bool:
                candidate = _cases.reclassified(self.compiled, case, request)
                if candidate.valid != case.valid:
                    return False  # a valid reproduction stays valid (and an invalid one invalid), as in Schemathesis
                answer, _ = send(self.client, self.options.base_url, request)
                if answer is None:
                    return False
                for check, p in run_checks(Exchange(candidate, answer, self.compiled)):
                    occurrence = Occurrence(candidate, check, p, answer)
                    if key_of(occurrence) == group.key:
                        found["last"] = occurrence
                        return True
                return False

            _, steps = shrink(case.request, reproduces, self.options.shrink_budget)
            if steps and "last" in found:
                case, response, problem = found["last"].case, found["last"].response, found["last"].problem
        message = f"{problem.where()}: {problem.message}" if problem.pointer else problem.message
        return Failure(
            operation=case.operation.label,
            check=chosen.check,
            message=message,
            request=case.request.to_dict(self.options.base_url),
            response=response.to_dict() if response is not None else {"error": chosen.error},
            curl=case.request.curl(self.options.base_url),
            pointer=problem.pointer,
            case=case.description + (f" (shrunk in {steps} step(s))" if steps else ""),
            occurrences=len(group.occurrences),
            signature=" ".join(t for t in group.key[2] if t),
            shrink_steps=steps,
        )

    def _shown_alone(self, group: Group, chosen: Occurrence) -> bool:
        """Whether one exchange shows the finding: not a run-level one (latency, stable values, sticky variants)."""
        if chosen.response is None:
            return False
        exchange = Exchange(chosen.case, chosen.response, self.compiled)
        return any(key_of(Occurrence(chosen.case, c, p, chosen.response)) == group.key for c, p in run_checks(exchange))


def _rounded(values: Sequence[float], pct: float) -> float | None:
    return round(percentile(values, pct), 2) if values else None


def _coverage(op: Operation, sent: Sequence[Sent], the_plan: _cases.Plan, not_shown: int) -> OperationCoverage:
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
        findings_not_shown=not_shown,
    )


# The steps of a run, for runs that plan their cases otherwise (``replay``).
check_options = _check_options


def send_all(planned: Sequence[_cases.Case], options: Options, progress: Progress | None) -> list[Sent]:
    """Send every case as a run's main phase does (workers, rate limit, headers); exchanges in plan order."""
    with _client(options) as client:
        return _send_all(client, planned, options, progress)


def aggregate(
    compiled: CompiledContract,
    operations: Sequence[Operation],
    the_plan: _cases.Plan,
    sent: Sequence[Sent],
    options: Options,
    seed: int,
    duration_s: float,
) -> RunReport:
    """The report of exchanges sent without an SLO phase: findings (shrunk as in a run), coverage, latency."""
    with _client(options) as client:
        return _aggregate(
            compiled, operations, the_plan, sent, {}, options, seed, client, time.perf_counter() - duration_s
        )
