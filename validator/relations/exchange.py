"""``x-relations`` as an exchange check (a row of ``validator.extensions.catalogue.EXCHANGE_CHECKS``).

Relations are parsed once per compiled contract; every command that sees a request and its 2xx
response (``validate --for-request``, the service's ``for_request``, lint's paired examples, the mock,
contract tests) reaches them through ``validator.extensions.exchange_problems``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ..problems import Problem
from .catalogue import check
from .locations import MISSING, Side
from .model import Relation, relations_of
from .schema_paths import default_at

if TYPE_CHECKING:
    from ..compiled import CompiledContract, RequestData
    from ..contract import Operation
    from ..extensions import Exchange


def relations_for(compiled: CompiledContract, op: Operation) -> tuple[Relation, ...]:
    """The readable ``x-relations`` of an operation, parsed once per compiled contract."""
    key = ("x-relations", op.key)
    found: tuple[Relation, ...] | None = compiled.memo.get(key)
    if found is None:
        found = compiled.memo[key] = tuple(_with_default(compiled, op, r) for r in relations_of(op)[0])
    return found


def _with_default(compiled: CompiledContract, op: Operation, rel: Relation) -> Relation:
    """An at-most relation with the schema ``default`` of its request number (what an omitted ``n`` means)."""
    if rel.kind != "at-most" or rel.request is None:
        return rel
    loc = rel.request
    if loc.source == "body":
        uris = [m.schema_uri for m in op.request_body.content.values() if m.schema_uri] if op.request_body else []
        pointer = loc.name
    else:
        uris = [p.schema_uri for p in op.parameters if p.schema_uri and loc.names(p)]
        pointer = ""
    for uri in uris:
        value = default_at(compiled, uri, pointer)
        if value is not MISSING:
            return dataclasses.replace(rel, default=value)
    return rel


def request_side(request: RequestData) -> Side:
    """The request as the relations read it (an absent body is MISSING)."""
    from ..compiled import _NO_BODY

    body = MISSING if request.body is _NO_BODY else request.body
    return Side.of(body, request.headers, request.query, request.path_params)


def response_side(headers: Mapping[str, str], body: Any) -> Side:
    """A response as the relations read it."""
    from ..compiled import _NO_BODY

    return Side.of(MISSING if body is _NO_BODY else body, headers)


def sides(request: RequestData, headers: Mapping[str, str], body: Any) -> tuple[Side, Side]:
    """Both sides of one exchange."""
    return request_side(request), response_side(headers, body)


def status_number(status: int | str) -> int | None:
    """A concrete status for a documented one: ``200`` as is, ``2XX`` as 200; None for ``default``."""
    text = str(status)
    if text.isdigit():
        return int(text)
    if len(text) == 3 and text[0].isdigit() and text[1:].upper() == "XX":
        return int(text[0]) * 100
    return None


def check_relations(compiled: CompiledContract, exchange: Exchange) -> list[Problem]:
    """Every ``x-relations`` promise of the operation over one request and its 2xx response."""
    code = status_number(exchange.status)
    if code is None or not 200 <= code < 300:
        return []
    declared = relations_for(compiled, exchange.operation)
    if not declared:
        return []
    req, resp = sides(exchange.request, exchange.response_headers, exchange.response_body)
    return check(declared, req, resp)
