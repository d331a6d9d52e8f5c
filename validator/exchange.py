"""Checks of a whole exchange (a request and its response together): the one table of them.

JSON Schema sees one payload at a time; a prediction also promises things about its answer *given*
its request (``x-relations``; named tensor dims). ``check_exchange`` runs every row of
``EXCHANGE_CHECKS`` and is what ``validate --for-request``, the service's ``for_request``, lint's
paired examples, the mock and the contract tests call. To add a check, add a row.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any, NamedTuple

from . import relations as _relations
from .compiled import _NO_BODY, CompiledContract, RequestData
from .contract import Operation
from .problems import Problem

_EMPTY: Mapping[str, str] = MappingProxyType({})
NO_BODY: Any = _NO_BODY


class ResponseData(NamedTuple):
    """The parts of an HTTP response an exchange check reads (header names in lower case)."""

    status: int
    headers: Mapping[str, str] = _EMPTY
    body: Any = _NO_BODY


ExchangeCheck = Callable[[CompiledContract, Operation, RequestData, ResponseData], list[Problem]]


def sides(request: RequestData, response: ResponseData) -> tuple[_relations.Side, _relations.Side]:
    """The request and the response as the relations read them (an absent body is MISSING)."""
    req = _relations.Side.of(
        _relations.MISSING if request.body is _NO_BODY else request.body,
        request.headers,
        request.query,
        request.path_params,
    )
    resp = _relations.Side.of(_relations.MISSING if response.body is _NO_BODY else response.body, response.headers)
    return req, resp


def relations_for(compiled: CompiledContract, op: Operation) -> tuple[_relations.Relation, ...]:
    """The readable ``x-relations`` of an operation, parsed once per compiled contract."""
    key = ("x-relations", op.key)
    found = compiled.memo.get(key)
    if found is None:
        found = compiled.memo[key] = _relations.relations_of(op)[0]
    return found


def relation_problems(
    compiled: CompiledContract, op: Operation, request: RequestData, response: ResponseData
) -> list[Problem]:
    """Every ``x-relations`` promise of the operation over one request and its 2xx response."""
    if not 200 <= response.status < 300:
        return []
    declared = relations_for(compiled, op)
    if not declared:
        return []
    req, resp = sides(request, response)
    return _relations.check(declared, req, resp)


EXCHANGE_CHECKS: tuple[tuple[str, ExchangeCheck], ...] = (("x-relations", relation_problems),)


def check_exchange(
    compiled: CompiledContract, op: Operation, request: RequestData, response: ResponseData
) -> list[Problem]:
    """Every exchange-level problem of one request and its response (each check's own rules on status)."""
    out: list[Problem] = []
    for _, check in EXCHANGE_CHECKS:
        out.extend(check(compiled, op, request, response))
    return out


def for_request(
    compiled: CompiledContract, op: Operation, status: int | str | None, response: Any, request: Any
) -> list[Problem]:
    """The exchange problems of a response body against the request body it answers (``--for-request``)."""
    code = _status_number(status)
    if code is None:
        return []
    return check_exchange(compiled, op, RequestData(body=request), ResponseData(code, body=response))


def _status_number(status: int | str | None) -> int | None:
    """A concrete status for a documented one: ``200`` as is, ``2XX`` as 200; None for ``default``."""
    text = str(status) if status is not None else ""
    if text.isdigit():
        return int(text)
    if len(text) == 3 and text[0].isdigit() and text[1:].upper() == "XX":
        return int(text[0]) * 100
    return None
