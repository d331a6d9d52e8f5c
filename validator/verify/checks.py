"""The checks of a contract test: one function per check, named after what it detects.

Each check sees one exchange (a classified request and the response it got) and returns problems,
each with a JSON pointer; the runner adds the operation, the check name and the reproduction.
``CHECKS`` is the catalogue: one table answers "what does ``contracts test`` check?".
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from ..bodies import events, is_event_stream
from ..compiled import CompiledContract, is_json_content_type
from ..payload import PayloadError, parse_json
from ..pointers import to_pointer
from ..problems import Problem
from ..rejection import VALIDATION_STATUSES, documents_validation_status
from .cases import AUTH, EXAMPLE, METHOD, Case
from .exchange import WireResponse
from .relation_checks import check_name, relation_findings

# Statuses that mean "your input is wrong": answering a valid request with one of them is a rejection.
INPUT_REJECTIONS = frozenset({400, 415, 422})


@dataclass
class Exchange:
    """One case and the response it got; response problems are computed once and shared."""

    case: Case
    response: WireResponse
    compiled: CompiledContract
    _problems: list[Problem] | None = field(default=None, repr=False)
    _relations: list[Problem] | None = field(default=None, repr=False)

    @property
    def documented(self) -> bool:
        """Whether the operation documents the status that came back."""
        return self.case.operation.response_for(self.response.status) is not None

    def response_problems(self) -> list[Problem]:
        """Status, media type, headers and body of the response against the contract."""
        if self._problems is None:
            self._problems = _response_problems(self)
        return self._problems

    def relation_problems(self) -> list[Problem]:
        """The ``x-relations`` problems of a valid request and its 2xx response (computed once)."""
        if self._relations is None:
            self._relations = relation_findings(self.compiled, self.case, self.response)
        return self._relations


def _response_problems(ex: Exchange) -> list[Problem]:
    op, resp = ex.case.operation, ex.response
    documented = op.response_for(resp.status)
    if documented is None or not documented.content:
        return ex.compiled.validate_response(op, resp.status, resp.headers, resp.content_type)
    if resp.body and is_event_stream(resp.content_type):
        # The schema is each event's: every event is checked, each distinct problem said once.
        found: dict[tuple[str, str], Problem] = {}
        for value in events(resp.body.decode("utf-8", errors="replace")) or [None]:
            for p in ex.compiled.validate_response(op, resp.status, resp.headers, resp.content_type, value):
                found.setdefault((p.pointer, p.message), p)
        return list(found.values())
    if not resp.body:
        body: Any = None
    elif is_json_content_type(resp.content_type or ""):
        try:
            body = parse_json(resp.body)
        except PayloadError as exc:
            problems = ex.compiled.validate_response(op, resp.status, resp.headers, resp.content_type)
            return [*problems, exc.problem]
    else:
        body = resp.body.decode("utf-8", errors="replace")
    return ex.compiled.validate_response(op, resp.status, resp.headers, resp.content_type, body)


# -- one function per check ------------------------------------------------------------------------
def server_error(ex: Exchange) -> list[Problem]:
    """The API answered with a 5xx: it crashed or gave up on a request it should have handled."""
    if ex.response.status >= 500:
        return [
            Problem(
                "",
                f"server error {ex.response.status} for a {_kind(ex.case)} request",
                location="status",
                keyword="status",
            )
        ]
    return []


def status_documented(ex: Exchange) -> list[Problem]:
    """The status code is not documented for the operation.

    An invalid request may get an undocumented 4xx only when the operation documents no status for
    rejected input (422, 400, ``4XX``: :mod:`validator.rejection`, the rule the mock answers by; a
    documented 401, 403, 404 or 429 means something else), or when a server answers it before the
    operation sees the request (see :func:`answered_before_the_operation`).
    """
    problems = [p for p in ex.response_problems() if p.location == "status"]
    if not problems or not 400 <= ex.response.status < 500 or ex.case.valid:
        return problems
    if answered_before_the_operation(ex) or not documents_validation_status(ex.case.operation):
        return []
    return [
        p._replace(
            message=f"{p.message}; the operation documents {', '.join(_validation_statuses(ex.case))} for "
            "requests it rejects",
            hint="answer with a documented client-error status, or document this one",
        )
        for p in problems
    ]


# Statuses a server (or a proxy in front of it) sends for oversize requests before any route runs.
_OVERSIZE = frozenset({413, 414, 431})


def answered_before_the_operation(ex: Exchange) -> bool:
    """Whether the status is one a server may send before the operation sees the request.

    404/405 for a path or method outside the contract, 413/414/431 for oversize, 415 for an
    undocumented media type, 401/403 on an operation that declares security.
    """
    status, case = ex.response.status, ex.case
    if status in _OVERSIZE:
        return True
    if status in (401, 403):
        return bool(case.operation.security)
    locations = {p.location for p in case.problems}
    if status == 415:
        return "media-type" in locations
    if status in (404, 405):
        return case.source == METHOD or "path" in locations
    return False


def _validation_statuses(case: Case) -> list[str]:
    return [s for s in case.operation.responses if s in (*VALIDATION_STATUSES, "4XX", "4xx")]


def response_media_type(ex: Exchange) -> list[Problem]:
    """The response Content-Type is not one documented for its status."""
    return [p for p in ex.response_problems() if p.location == "media-type"]


def response_headers(ex: Exchange) -> list[Problem]:
    """A required response header is missing, or a header breaks its schema."""
    return [p for p in ex.response_problems() if p.location == "header"]


def response_schema(ex: Exchange) -> list[Problem]:
    """The response body breaks the schema documented for its status and media type."""
    return [p for p in ex.response_problems() if p.location == "body" and check_name(p.keyword) is None]


# -- what a prediction promises about its request (x-relations) and its numbers (x-sum, x-sorted) ------
def relation_batch(ex: Exchange) -> list[Problem]:
    """A batch answer has not one item per request item, in order, each carrying its item's key."""
    return [p for p in ex.relation_problems() if p.keyword == "x-relations/batch"]


def relation_echo(ex: Exchange) -> list[Problem]:
    """A value the request sent is not echoed in the response."""
    return [p for p in ex.relation_problems() if p.keyword == "x-relations/echo"]


def relation_at_most(ex: Exchange) -> list[Problem]:
    """The response array has more items than the request's number asks for (top-k above n)."""
    return [p for p in ex.relation_problems() if p.keyword == "x-relations/at-most"]


def relation_variant(ex: Exchange) -> list[Problem]:
    """A request forcing an A/B variant got another one (sticky keys are judged over the run)."""
    return [p for p in ex.relation_problems() if p.keyword == "x-relations/variant"]


def relation_stable(ex: Exchange) -> list[Problem]:
    """A value declared stable (the model version) differs between responses of one run (judged over the run)."""
    return []


def x_sum(ex: Exchange) -> list[Problem]:
    """Numbers declared to add up (``x-sum``: probabilities) do not."""
    return [p for p in ex.response_problems() if p.keyword == "x-sum"]


def x_sorted(ex: Exchange) -> list[Problem]:
    """Items declared sorted (``x-sorted``: a ranking) are out of order."""
    return [p for p in ex.response_problems() if p.keyword == "x-sorted"]


def valid_request_rejected(ex: Exchange) -> list[Problem]:
    """A request that follows the contract got an input rejection (400/415/422) or an undocumented 4xx."""
    status = ex.response.status
    if not ex.case.valid or not 400 <= status < 500:
        return []
    if status in INPUT_REJECTIONS or not ex.documented:
        return [
            Problem(
                "",
                f"a request that follows the contract was rejected with {status}",
                location="status",
                keyword="status",
                hint="the API validates more strictly than the contract says",
            )
        ]
    return []


def invalid_request_accepted(ex: Exchange) -> list[Problem]:
    """A request that breaks the contract got a 2xx instead of a 4xx."""
    if ex.case.valid or ex.case.source in (METHOD, AUTH) or not 200 <= ex.response.status < 300:
        return []
    first = ex.case.problems[0]
    return [
        Problem(
            first.pointer,
            f"a request that breaks the contract was accepted with {ex.response.status}: "
            f"{first.where()}: {first.message}",
            location=first.location,
            keyword=first.keyword,
        )
    ]


def undocumented_method_accepted(ex: Exchange) -> list[Problem]:
    """A method the contract does not list for the path was answered with a 2xx."""
    if ex.case.source == METHOD and 200 <= ex.response.status < 300:
        return [
            Problem(
                "",
                f"{ex.case.request.method} {ex.case.operation.path} is not in the contract but was "
                f"answered with {ex.response.status}",
                location="status",
                keyword="method",
            )
        ]
    return []


def auth_enforced(ex: Exchange) -> list[Problem]:
    """A request without the credentials the operation's ``security`` requires got neither 401 nor 403."""
    if ex.case.source != AUTH or ex.response.status in (401, 403):
        return []
    return [
        Problem(
            "",
            f"a request without credentials was answered with {ex.response.status}; "
            "the operation declares security, so 401 or 403 was expected",
            location="status",
            keyword="security",
            hint="check credentials before anything else in the operation",
        )
    ]


def example_status(ex: Exchange) -> list[Problem]:
    """A named example request did not get the status its paired response example is declared under."""
    interaction = ex.case.interaction
    if ex.case.source != EXAMPLE or interaction is None:
        return []
    got = ex.case.operation.response_for(ex.response.status)
    if got is not None and got.status == interaction.status:
        return []
    return [
        Problem(
            "",
            f"example {interaction.name!r} expects status {interaction.status}, got {ex.response.status}",
            location="status",
            keyword="status",
        )
    ]


def example_match(ex: Exchange) -> list[Problem]:
    """A business scenario (``x-match`` on a response example) does not hold against the live API."""
    interaction = ex.case.interaction
    if ex.case.source != EXAMPLE or interaction is None or interaction.match is None:
        return []
    rule = interaction.match
    if not ex.response.body:
        return [Problem("", f"scenario {interaction.name!r}: the response has no body", location="body")]
    try:
        actual = parse_json(ex.response.body)
    except PayloadError as exc:
        return [exc.problem]
    tolerance = 0.0
    ignored: frozenset[str] = frozenset()
    if isinstance(rule, Mapping):
        tolerance = float(rule.get("tolerance", 0.0))
        ignored = frozenset(str(p) for p in rule.get("ignore", []))
    return [
        Problem(pointer, f"scenario {interaction.name!r}: {message}", location="body", keyword="x-match")
        for pointer, message in compare(interaction.response, actual, tolerance, ignored)
    ]


def compare(
    expected: Any,
    actual: Any,
    tolerance: float,
    ignored: frozenset[str] = frozenset(),
    path: tuple[str | int, ...] = (),
) -> list[tuple[str, str]]:
    """Differences between two JSON values: numbers within ``tolerance``, everything else equal."""
    pointer = to_pointer(path)
    if pointer in ignored:
        return []
    if _is_number(expected) and _is_number(actual):
        if math.isclose(expected, actual, rel_tol=0.0, abs_tol=tolerance) or expected == actual:
            return []
        return [(pointer, f"expected {expected} (±{tolerance}), got {actual}")]
    if isinstance(expected, dict) and isinstance(actual, dict):
        out: list[tuple[str, str]] = []
        for key in expected.keys() | actual.keys():
            sub = (*path, key)
            if to_pointer(sub) in ignored:
                continue
            if key not in actual:
                out.append((to_pointer(sub), "expected member is missing"))
            elif key not in expected:
                out.append((to_pointer(sub), f"unexpected member {actual[key]!r}"))
            else:
                out.extend(compare(expected[key], actual[key], tolerance, ignored, sub))
        return sorted(out)
    if isinstance(expected, list) and isinstance(actual, list):
        if len(expected) != len(actual):
            return [(pointer, f"expected {len(expected)} items, got {len(actual)}")]
        return [
            d
            for i, (e, a) in enumerate(zip(expected, actual, strict=True))
            for d in compare(e, a, tolerance, ignored, (*path, i))
        ]
    if expected == actual and type(expected) is type(actual):
        return []
    return [(pointer, f"expected {expected!r}, got {actual!r}")]


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _kind(case: Case) -> str:
    return "valid" if case.valid else "credential-free" if case.source == AUTH else "invalid"


# -- the run-level check ---------------------------------------------------------------------------
SLO_KEYS = {"latency_p50_ms": 50, "latency_p95_ms": 95, "latency_p99_ms": 99}
PASS, FAIL, INSUFFICIENT = "pass", "fail", "insufficient samples"


def samples_needed(pct: float) -> int:
    """Fewest samples for which the nearest-rank ``pct`` percentile is not simply the slowest sample."""
    return max(1, math.ceil(100 / (100 - pct))) if pct < 100 else 1


def slo_verdicts(slo: Mapping[str, Any], latencies_ms: Sequence[float]) -> dict[str, dict[str, Any]]:
    """Each declared percentile: its limit, the measured value, the samples it needs, and the verdict.

    Too few samples for a percentile is "insufficient samples": neither a pass nor a fail.
    """
    out: dict[str, dict[str, Any]] = {}
    for key, pct in SLO_KEYS.items():
        limit = slo.get(key)
        if not isinstance(limit, int | float) or isinstance(limit, bool):
            continue
        needed = samples_needed(pct)
        if len(latencies_ms) < needed:
            out[key] = {"limit_ms": limit, "measured_ms": None, "samples_needed": needed, "verdict": INSUFFICIENT}
            continue
        measured = percentile(latencies_ms, pct)
        verdict = FAIL if measured > float(limit) else PASS
        out[key] = {"limit_ms": limit, "measured_ms": round(measured, 2), "samples_needed": needed, "verdict": verdict}
    return out


def latency_slo(slo: Mapping[str, Any], latencies_ms: Sequence[float]) -> list[Problem]:
    """A declared ``x-slo`` latency percentile is missed over the sequential phase of valid requests."""
    return [
        Problem(
            "",
            f"p{SLO_KEYS[key]} latency {v['measured_ms']:.1f} ms exceeds the declared {v['limit_ms']} ms "
            f"over {len(latencies_ms)} sequential valid requests",
            location="latency",
            keyword=key,
        )
        for key, v in slo_verdicts(slo, latencies_ms).items()
        if v["verdict"] == FAIL
    ]


def percentile(values: Sequence[float], pct: float) -> float:
    """Nearest-rank percentile (the value below which ``pct`` percent of the samples lie)."""
    ordered = sorted(values)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1]


def tensor_dims_agree(ex: Exchange) -> list[Problem]:
    """A response tensor's named dim differs from the request's (x-tensor: batch in, batch out)."""
    if not ex.case.valid or not 200 <= ex.response.status < 300:
        return []
    from .tensors import dims_across

    case, resp = ex.case, ex.response
    return dims_across(ex.compiled, case.operation, case.request.body, resp.status, resp.content_type, resp.body)


def model_metadata_matches(ex: Exchange) -> list[Problem]:
    """The model metadata answer does not list the tensors the infer operation declares (x-tensor)."""
    if not ex.case.valid:
        return []
    from .tensors import metadata_problems

    resp = ex.response
    return metadata_problems(ex.compiled, ex.case.operation, resp.status, resp.body, resp.content_type)


# -- the catalogue ----------------------------------------------------------------------------------
# What a check is about: the response alone, the request's acceptance, a documented example, a service
# level, an x-relations promise across request and response, an output keyword (x-sum, x-sorted).
CheckKind = Literal["response", "acceptance", "example", "service-level", "relation", "output"]


@dataclass(frozen=True, slots=True)
class Check:
    """One named check: its function and what it is about."""

    name: str
    kind: CheckKind
    function: Callable[[Exchange], list[Problem]] | None

    @property
    def summary(self) -> str:
        """The first docstring line of the check function."""
        doc = (self.function or latency_slo).__doc__ or ""
        return doc.strip().splitlines()[0]


CHECKS: tuple[Check, ...] = (
    Check("server_error", "response", server_error),
    Check("status_documented", "response", status_documented),
    Check("response_media_type", "response", response_media_type),
    Check("response_headers", "response", response_headers),
    Check("response_schema", "response", response_schema),
    Check("valid_request_rejected", "acceptance", valid_request_rejected),
    Check("invalid_request_accepted", "acceptance", invalid_request_accepted),
    Check("undocumented_method_accepted", "acceptance", undocumented_method_accepted),
    Check("auth_enforced", "acceptance", auth_enforced),
    Check("tensor_dims_agree", "response", tensor_dims_agree),
    Check("model_metadata_matches", "response", model_metadata_matches),
    Check("example_status", "example", example_status),
    Check("example_match", "example", example_match),
    Check("latency_slo", "service-level", None),
    Check("relation_batch", "relation", relation_batch),
    Check("relation_echo", "relation", relation_echo),
    Check("relation_at_most", "relation", relation_at_most),
    Check("relation_stable", "relation", relation_stable),
    Check("relation_variant", "relation", relation_variant),
    Check("x_sum", "output", x_sum),
    Check("x_sorted", "output", x_sorted),
)
CHECK_NAMES = tuple(c.name for c in CHECKS)
# Checks on the response's conformance: moot once the API crashed, and moot for methods not in the contract.
_RESPONSE_CHECKS = frozenset(
    {"status_documented", "response_media_type", "response_headers", "response_schema", "x_sum", "x_sorted"}
)


def run_checks(ex: Exchange) -> list[tuple[str, Problem]]:
    """Every per-exchange check over one exchange: (check name, problem) pairs."""
    out: list[tuple[str, Problem]] = []
    crashed = ex.response.status >= 500
    for check in CHECKS:
        if check.function is None:
            continue
        if check.name in _RESPONSE_CHECKS and (crashed or ex.case.source == METHOD):
            continue
        out.extend((check.name, p) for p in check.function(ex))
    return out
