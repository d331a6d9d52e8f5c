"""Answers to requests that break the contract: every violation, by pointer, in the contract's own 4xx.

The violations go in RFC 9457 problem details with an ``errors`` list when the operation's documented
error schema admits that body (or no schema is declared). Otherwise the body is one the declared
schema accepts, and the violations travel in the ``X-Mock-Violations`` header instead.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from http import HTTPStatus
from typing import Any

import orjson

from validator.compiled import CompiledContract
from validator.contract import Operation
from validator.problems import Problem

from .generate import GenerationError, Generator
from .interactions import Reply

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


def problem_body(status: int, detail: str, problems: Sequence[Problem],
                 template: Any = None) -> dict[str, Any]:
    """Problem details for ``status`` listing ``problems``; type and title follow the contract's example."""
    body: dict[str, Any] = {"type": _DEFAULT_TYPE, "title": _phrase(status)}
    if isinstance(template, dict):
        for key in ("type", "title"):
            if isinstance(template.get(key), str):
                body[key] = template[key]
    body.update({"status": status, "detail": detail, "errors": [violation(p) for p in problems]})
    return body


def mock_problem(status: int, detail: str, problems: Sequence[Problem] = (),
                 headers: tuple[tuple[str, str], ...] = ()) -> Reply:
    """A problem reply for what the contract does not describe (unknown path, wrong method)."""
    return Reply(status, PROBLEM_JSON, orjson.dumps(problem_body(status, detail, problems)), headers, "mock")


class Rejecter:
    """Builds the reply to an invalid request of one operation."""

    def __init__(self, op: Operation, compiled: CompiledContract, generator: Generator) -> None:
        self.op = op
        self.compiled = compiled
        self.generator = generator
        self.status = _rejection_status(op, ("422", "400"))
        self.malformed_status = _rejection_status(op, ("400", "422"))

    def reject(self, problems: Sequence[Problem], *, status: int | None = None,
               seed_of: Callable[[], int] = lambda: 0) -> Reply:
        """The documented 4xx (or ``status``) with every violation of this request."""
        code = status or (self.malformed_status if _malformed(problems) else self.status)
        detail = f"{len(problems)} violation(s) of the contract in this request"
        response = self.op.response_for(code)
        media = next(iter(response.content), None) if response is not None else None
        mt = response.content[media] if response is not None and media is not None else None
        if response is None or mt is None or mt.schema_uri is None:
            # Undocumented status or no declared body: the problem details are the whole truth.
            return Reply(code, PROBLEM_JSON if media is None else media,
                         orjson.dumps(problem_body(code, detail, problems)), (), "rejection")
        template = next(iter(mt.examples.values())).value if mt.examples else None
        body = problem_body(code, detail, problems, template)
        if self.compiled.validator(mt.schema_uri).is_valid(body):
            return Reply(code, media, orjson.dumps(body), (), "rejection")
        return Reply(code, media, self._conforming_body(mt.schema_uri, template, seed_of()),
                     ((VIOLATIONS_HEADER, violations_header(problems)),), "rejection")

    def _conforming_body(self, schema_uri: str, template: Any, seed: int) -> bytes:
        if template is not None and self.compiled.validator(schema_uri).is_valid(template):
            return orjson.dumps(template)
        try:
            return orjson.dumps(self.generator.generate(schema_uri, seed))
        except GenerationError:
            return b""


def violations_header(problems: Sequence[Problem]) -> str:
    """The violations as compact ASCII JSON for a header, cut to a safe size."""
    entries = [violation(p) for p in problems]
    text = json.dumps(entries, ensure_ascii=True, separators=(",", ":"))
    while len(text) > _MAX_HEADER_CHARS and len(entries) > 1:
        entries = entries[: len(entries) // 2]
        text = json.dumps(entries, ensure_ascii=True, separators=(",", ":"))
    return text[:_MAX_HEADER_CHARS]


def _rejection_status(op: Operation, preference: tuple[str, ...]) -> int:
    """422 or 400 when documented; else the operation's first documented 4xx (for a bad path
    parameter that is usually its 404); else the preferred code, answered under ``4XX``/``default``."""
    for status in preference:
        if status in op.responses:
            return int(status)
    for status in op.responses:
        if status[:1] == "4" and status.isdigit():
            return int(status)
    return int(preference[0])


def _malformed(problems: Sequence[Problem]) -> bool:
    return any(p.keyword == "json" for p in problems)


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"
