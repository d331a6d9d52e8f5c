"""Answers to requests that break the contract: every violation, by pointer, in the contract's own 4xx.

The violations go in RFC 9457 problem details with an ``errors`` list when the operation's documented
error schema admits that body (or no schema is declared). Otherwise the body is one the declared
schema accepts, and the violations travel in the ``X-Mock-Violations`` header instead.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

import orjson

from validator.bodies import encode
from validator.compiled import CompiledContract
from validator.contract import Operation
from validator.problems import Problem
from validator.rejection import rejection_status

from .generate import GenerationError, Generator
from .interactions import Preference, Reply, Responder
from .security import Denied

VIOLATIONS_HEADER = "x-mock-violations"
PROBLEM_JSON = "application/problem+json"
_MAX_HEADER_CHARS = 8000
_DEFAULT_TYPE = "about:blank"


def violation(problem: Problem) -> dict[str, Any]:
    """One entry of the ``errors`` list: pointer, message, location, keyword."""
    out: dict[str, Any] = {"pointer": problem.pointer, "message": problem.message}
    if problem.location is not None:
        out["location"] = problem.location
    if problem.keyword is not None:
        out["keyword"] = problem.keyword
    return out


def problem_body(status: int, detail: str, problems: Sequence[Problem], template: Any = None) -> dict[str, Any]:
    """Problem details for ``status`` listing ``problems``; type and title follow the contract's example."""
    kind, title = _type_and_title(status, template)
    return {"type": kind, "title": title, "status": status, "detail": detail, "errors": error_entries(problems)}


def error_entries(problems: Sequence[Problem]) -> list[dict[str, Any]]:
    """The ``errors`` list: one :func:`violation` per problem."""
    return [violation(p) for p in problems]


def mock_problem(
    status: int, detail: str, problems: Sequence[Problem] = (), headers: tuple[tuple[str, str], ...] = ()
) -> Reply:
    """A problem reply for what the contract does not describe (unknown path, wrong method)."""
    return Reply(status, PROBLEM_JSON, orjson.dumps(problem_body(status, detail, problems)), headers, "mock")


@dataclass(frozen=True, slots=True)
class _Shape:
    """How the operation answers a rejection with one status: worked out once per status."""

    media: str
    schema_uri: str | None  # None: undocumented status or no declared body; problem details then
    template: Any  # the documented example, whose type and title the body follows


class Rejecter:
    """Builds the reply to an invalid request of one operation."""

    def __init__(self, op: Operation, compiled: CompiledContract, generator: Generator) -> None:
        self.op = op
        self.compiled = compiled
        self.generator = generator
        self.status = rejection_status(op)
        self.malformed_status = rejection_status(op, malformed=True)
        self._shapes: dict[int, _Shape] = {}

    def reject(
        self, problems: Sequence[Problem], *, status: int | None = None, seed_of: Callable[[], int] = lambda: 0
    ) -> Reply:
        """The documented 4xx (or ``status``) with every violation of this request."""
        code = status or (self.malformed_status if _malformed(problems) else self.status)
        shape = self._shapes.get(code) or self._shape(code)
        body = problem_body(
            code, f"{len(problems)} violation(s) of the contract in this request", problems, shape.template
        )
        if shape.schema_uri is None or self.compiled.validator(shape.schema_uri).is_valid(body):
            # Serialised once: the request log writes the same list (body and log line of 5 violations:
            # 2.0-2.3 µs against 2.6-2.9 µs serialising the entries twice: ``python -m bench tricks``).
            errors_json = orjson.dumps(body["errors"])
            body["errors"] = orjson.Fragment(errors_json)
            return Reply(code, shape.media, orjson.dumps(body), (), "rejection", errors_json=errors_json)
        return Reply(
            code,
            shape.media,
            self._conforming_body(shape.schema_uri, shape.media, _told(shape.template, problems), seed_of()),
            ((VIOLATIONS_HEADER, violations_header(problems)),),
            "rejection",
        )

    def _shape(self, code: int) -> _Shape:
        response = self.op.response_for(code)
        media = next(iter(response.content), None) if response is not None else None
        mt = response.content[media] if response is not None and media is not None else None
        if mt is None or mt.schema_uri is None:
            shape = _Shape(media or PROBLEM_JSON, None, None)
        else:
            template = next(iter(mt.examples.values())).value if mt.examples else None
            shape = _Shape(media or PROBLEM_JSON, mt.schema_uri, template)
        self._shapes[code] = shape
        return shape

    def _conforming_body(self, schema_uri: str, media: str, template: Any, seed: int) -> bytes:
        if template is not None and self.compiled.validator(schema_uri).is_valid(template):
            return encode(media, template)
        try:
            return encode(media, self.generator.generate(schema_uri, seed))
        except GenerationError:
            return b""


_MESSAGE_MEMBERS = ("error",)  # OIP's error body; other documented bodies are sent as written


def _told(template: Any, problems: Sequence[Problem]) -> Any:
    """The documented error example with its message member saying what this request broke.

    Open Inference Protocol servers answer ``{"error": "..."}``: that text is where a client looks.
    """
    if type(template) is not dict:
        return template
    for key in _MESSAGE_MEMBERS:
        if type(template.get(key)) is str:
            summary = "; ".join(f"{p.pointer or '/'}: {p.message}" for p in problems[:10])
            return {**template, key: summary}
    return template


def violations_header(problems: Sequence[Problem]) -> str:
    """The violations as compact ASCII JSON for a header, cut to a safe size."""
    entries = error_entries(problems)
    text = json.dumps(entries, ensure_ascii=True, separators=(",", ":"))
    while len(text) > _MAX_HEADER_CHARS and len(entries) > 1:
        entries = entries[: len(entries) // 2]
        text = json.dumps(entries, ensure_ascii=True, separators=(",", ":"))
    return text[:_MAX_HEADER_CHARS]


def _malformed(problems: Sequence[Problem]) -> bool:
    return any(p.keyword == "json" for p in problems)


def _type_and_title(status: int, template: Any) -> tuple[str, str]:
    kind, title = _DEFAULT_TYPE, _phrase(status)
    if isinstance(template, dict):
        if isinstance(template.get("type"), str):
            kind = template["type"]
        if isinstance(template.get("title"), str):
            title = template["title"]
    return kind, title


@functools.lru_cache(maxsize=128)
def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def unauthorized(op: Operation, responder: Responder, denied: Denied, accept: str | None) -> Reply:
    """401 with ``WWW-Authenticate`` (``denied``: the guard's problem and challenges): the contract's own 401
    when it documents one, else problem details."""
    problem, challenges = denied
    if op.response_for(401) is not None:
        documented = responder.preferred(Preference(code="401"), 0, accept)
        if documented is not None:
            return documented._replace(headers=documented.headers + challenges, source="security")
    return mock_problem(401, problem.message, [problem], headers=challenges)
