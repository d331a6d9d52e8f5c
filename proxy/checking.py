"""Judging one exchange against the contract: the request as the mock judges it, the response as the contract
tests do (the same checks, by the same names), so the proxy and ``contracts test`` agree on the same traffic.

A finding is ``(direction, check, problem)``: direction ``request`` (the caller broke the contract) or
``response`` (the API did).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final, NamedTuple

from mocks.interactions import json_equal
from validator.compiled import CompiledContract, RequestData, is_json_content_type, is_json_media_type
from validator.contract import Direction, Interaction, Operation
from validator.extensions import Exchange as ExtensionExchange
from validator.extensions.catalogue import EXCHANGE_CHECKS
from validator.payload import PayloadError, parse_json
from validator.problems import Problem
from validator.verify.cases import EXAMPLE, METHOD, Case
from validator.verify.checks import CHECKS, Exchange, run_checks
from validator.verify.exchange import WireRequest, WireResponse

from .encoding import EncodingError, decode

REQUEST: Final = "request"
RESPONSE: Final = "response"
OBSERVED: Final = "observed"  # source of a case the proxy saw (neither an example nor a method probe)
# The checks whose failure means the answer itself breaks the contract, so enforce replaces it (502): every
# per-exchange check about the answer (conformance, x-tensor dims, relations, x-sum, ...) except a 5xx,
# which is passed on. Acceptance and example checks judge the API's behaviour, not the answer's shape.
ENCODING_CHECK = "response_encoding"  # the proxy's own: a body that is not what its Content-Encoding says
CONFORMANCE_CHECKS = frozenset(
    {
        ENCODING_CHECK,
        *(
            c.name
            for c in CHECKS
            if c.function is not None and c.kind not in ("acceptance", "example") and c.name != "server_error"
        ),
    }
)
_REQUEST_CHECK = {"body": "request_schema", "media-type": "request_media_type", "security": "request_security"}


class Finding(NamedTuple):
    """One violation seen on the wire."""

    direction: Direction
    check: str
    problem: Problem


def request_check(problem: Problem) -> str:
    """The check name a request violation is counted under: request_schema, request_media_type, ..."""
    if problem.keyword == "maxBodyBytes":
        return "request_too_large"
    return _REQUEST_CHECK.get(problem.location or "", "request_parameters")


def request_findings(problems: Sequence[Problem]) -> list[Finding]:
    """The request's violations as findings."""
    return [Finding(REQUEST, request_check(p), p) for p in problems]


class OperationChecks:
    """What judging needs per operation, worked out once: media types taking JSON, named example requests."""

    __slots__ = ("examples", "json_media", "op")

    def __init__(self, op: Operation) -> None:
        self.op = op
        self.json_media = {m: is_json_media_type(m) for m in (op.request_body.content if op.request_body else {})}
        self.examples: tuple[tuple[Any, Interaction], ...] = tuple(
            (i.request, i) for i in op.interactions.values() if i.request_media_type is not None
        )

    def case(self, request: WireRequest, problems: Sequence[Problem], body: Any, has_body: bool) -> Case:
        """The request as a contract-test case: a named example when its body is one, else an observed one."""
        if has_body and not problems:
            for value, interaction in self.examples:
                if value == body and json_equal(value, body):
                    return Case(self.op, EXAMPLE, f"example {interaction.name!r}", request, (), interaction)
        return Case(self.op, OBSERVED, "observed", request, tuple(problems))


def method_case(op: Operation, request: WireRequest) -> Case:
    """A request with a method the contract does not list for its path (``op`` is one that it does list)."""
    return Case(op, METHOD, f"undocumented method {request.method}", request)


# The extension keywords whose exchange checks the contract tests run under a name of their own
# (x-tensor: tensor_dims_agree; x-relations: relation_*): run_checks reports them. Any other registered
# exchange check is run here too, so a keyword added to the table counts on live traffic at once.
_COVERED_BY_CHECKS = frozenset({"x-tensor", "x-relations"})
_UNCOVERED = tuple(e for e in EXCHANGE_CHECKS if e.keyword not in _COVERED_BY_CHECKS)


def response_findings(
    compiled: CompiledContract, case: Case, response: WireResponse, request: RequestData | None = None
) -> list[Finding]:
    """Every contract-test check over the exchange, by the contract tests' own names; then any extension
    keyword's exchange check the contract tests do not run themselves, on a 2xx answer."""
    exchange = Exchange(case, response, compiled)
    found = [Finding(RESPONSE, check, p) for check, p in run_checks(exchange)]
    if not _UNCOVERED or request is None or not case.valid or not 200 <= response.status < 300:
        return found
    if not response.body:
        return found
    if not is_json_content_type(response.content_type or ""):
        return found
    try:
        body = parse_json(response.body)
    except PayloadError:
        return found  # already reported by the response checks
    pair = ExtensionExchange(case.operation, request, response.status, response.headers, body, response.content_type)
    known = {(f.problem.pointer, f.problem.message) for f in found}
    for entry in _UNCOVERED:
        for problem in entry.check(compiled, pair):
            if (problem.pointer, problem.message) not in known:
                found.append(Finding(RESPONSE, problem.keyword or "exchange", problem))
    return found


def decoded_response(response: WireResponse, limit: int) -> tuple[WireResponse, str | None, Finding | None]:
    """A compressed answer as the contract describes it: the decoded copy (Content-Encoding dropped) when it
    decodes within ``limit`` bytes; else the answer as it came, why it is not checked, and, when it is not
    what its Content-Encoding says, that finding."""
    encoding = response.headers.get("content-encoding", "")
    try:
        body = decode(response.body, encoding, limit)
    except EncodingError as exc:
        if exc.why != "broken":
            return response, exc.reason, None
        problem = Problem("", exc.reason, location="body", keyword="content-encoding")
        return response, exc.reason, Finding(RESPONSE, ENCODING_CHECK, problem)
    headers = {k: v for k, v in response.headers.items() if k != "content-encoding"}
    return WireResponse(response.status, headers, body, response.elapsed_ms), None, None


def upstream_failure(status: int, reason: str) -> Finding:
    """An upstream that gave no usable answer, as the ``server_error`` the caller sees (the proxy's 502/504)."""
    problem = Problem("", f"no answer from the API ({status}): {reason}", keyword="status", location="status")
    return Finding(RESPONSE, "server_error", problem)


def invalid_response(findings: Sequence[Finding]) -> list[Problem]:
    """The problems that make the upstream's answer break the contract (what enforce turns into a 502)."""
    return [
        f.problem
        for f in findings
        if f.direction == RESPONSE and (f.check in CONFORMANCE_CHECKS or f.check.startswith("x-"))
    ]
