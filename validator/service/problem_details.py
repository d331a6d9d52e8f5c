"""Errors as RFC 9457 problem details: one mapping from what went wrong to an HTTP status.

NotFoundError (unknown contract, version, operation, status)  404, with ``available``
UsageError, LoadError, malformed body or parameters             422, with ``errors`` pointers
missing or wrong bearer token                                   401
DatabaseUnavailable                                             503, with ``Retry-After``
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

import orjson
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import ClientDisconnect
from starlette.responses import Response
from starlette.routing import Match

from mocks.http_limits import READ_TIMED_OUT

from ..errors import ContractsError, LoadError, NotFoundError, TooComplexError
from ..payload import PayloadError, parse_json
from ..pointers import to_pointer
from ..problems import Display, as_given
from ..report.display import for_contracts
from .db import DatabaseRefused, DatabaseUnavailable
from .observability import CLIENT_CLOSED
from .routes._patterns import explain_mismatch

PROBLEM_JSON = "application/problem+json"
M = TypeVar("M", bound=BaseModel)
log = logging.getLogger("contracts.service")


class ServiceError(Exception):
    """A request the service refuses, with the problem details to answer."""

    def __init__(
        self,
        status: int,
        title: str,
        detail: str = "",
        *,
        errors: Sequence[Mapping[str, Any]] = (),
        headers: Mapping[str, str] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(detail or title)
        self.status = status
        self.title = title
        self.detail = detail
        self.errors = list(errors)
        self.headers = dict(headers or {})
        self.extra = extra


def problem(
    status: int,
    title: str,
    detail: str = "",
    *,
    errors: Sequence[Mapping[str, Any]] = (),
    headers: Mapping[str, str] | None = None,
    **extra: Any,
) -> Response:
    """A problem-details response."""
    body: dict[str, Any] = {"type": "about:blank", "title": title, "status": status}
    if detail:
        body["detail"] = detail
    body["errors"] = [dict(e) for e in errors]
    body.update(extra)
    return Response(orjson.dumps(body), status_code=status, media_type=PROBLEM_JSON, headers=dict(headers or {}))


def parse_model(raw: bytes, model: type[M]) -> M:
    """Parse a JSON request body into ``model``; malformed JSON or fields give 422 with pointers."""
    try:
        data = parse_json(raw)
    except PayloadError as exc:
        raise ServiceError(
            422, "Request body is not acceptable JSON", exc.problem.message, errors=[exc.problem.to_dict()]
        ) from None
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ServiceError(
            422,
            "Request body does not match the API",
            f"{exc.error_count()} problem(s)",
            errors=pydantic_errors(exc.errors(), skip=0),
        ) from None


def integral(value: Any) -> Any:
    """JSON Schema counts 3.0 as an integer; so does the service (strict models refuse floats)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def pydantic_errors(errors: Sequence[Any], *, skip: int) -> list[dict[str, Any]]:
    """Pydantic errors as ``{pointer, message, location}`` (``skip`` drops FastAPI's leading loc parts)."""
    out = []
    for err in errors:
        loc = list(err.get("loc", ()))
        location = str(loc[0]) if skip and loc else "body"
        found: dict[str, Any] = {
            "pointer": to_pointer(loc[skip:]),
            "message": str(err.get("msg", "invalid")),
            "location": location,
        }
        if err.get("type") == "string_pattern_mismatch":
            explained = explain_mismatch(str(err.get("ctx", {}).get("pattern")), err.get("input"))
            if explained:
                found["message"], found["hint"] = explained
        out.append(found)
    return out


def contracts_error(exc: ContractsError, display: Display = as_given) -> Response:
    """A tool error as problem details: unknown things 404, everything else the caller's 422."""
    if isinstance(exc, NotFoundError):
        return problem(404, f"Unknown {exc.what}", exc.message, errors=[exc.to_dict()], available=exc.available)
    title = "Contract document cannot be loaded" if isinstance(exc, LoadError) else "Invalid request"
    if isinstance(exc, TooComplexError):
        title = "Too complex"
    return problem(422, title, exc.describe(display), errors=[exc.to_dict(display)])


_METHODS = ("DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT")


def allowed_methods(app: FastAPI, scope: Mapping[str, Any]) -> list[str]:
    """Every method some route answers on the request's path, found by asking each route (``matches``)."""
    return [
        method
        for method in _METHODS
        if any(route.matches({**scope, "method": method})[0] == Match.FULL for route in app.router.routes)
    ]


def install(app: FastAPI, retry_after: int) -> None:
    """Register the handlers that turn every failure into problem details."""

    async def on_service_error(_request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ServiceError)
        return problem(exc.status, exc.title, exc.detail, errors=exc.errors, headers=exc.headers, **exc.extra)

    async def on_contracts_error(_request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ContractsError)
        return contracts_error(exc, for_contracts(_request.app.state.catalogue.root))

    async def on_database_down(_request: Request, exc: Exception) -> Response:
        log.warning("database unavailable: %s", exc)
        return problem(
            503,
            "Database unavailable",
            "the service's database cannot be reached; retry later",
            headers={"Retry-After": str(retry_after)},
        )

    async def on_refused(_request: Request, exc: Exception) -> Response:
        return problem(
            422,
            "Value refused by the database",
            str(exc),
            errors=[{"pointer": "", "message": str(exc), "hint": "remove NUL characters"}],
        )

    async def on_client_left(request: Request, _exc: Exception) -> Response:
        # The client closed the connection mid-body (or was too slow and got 408 from the server): no
        # error, no traceback; the response goes nowhere, its status is what the access log counts.
        timed_out = request.scope.get("state", {}).get(READ_TIMED_OUT)
        return Response(status_code=408 if timed_out else CLIENT_CLOSED)

    async def on_validation(_request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        return problem(422, "Request does not match the API", errors=pydantic_errors(exc.errors(), skip=1))

    async def on_http(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        titles = {404: "Not found", 405: "Method not allowed"}
        headers = dict(exc.headers or {})
        if exc.status_code == 405:
            # Starlette names the methods of the first route on the path only; every route counts.
            headers["Allow"] = ", ".join(allowed_methods(app, request.scope))
        return problem(
            exc.status_code,
            titles.get(exc.status_code, "Request refused"),
            str(exc.detail or ""),
            headers=headers,
        )

    app.add_exception_handler(ServiceError, on_service_error)
    app.add_exception_handler(ContractsError, on_contracts_error)
    app.add_exception_handler(DatabaseUnavailable, on_database_down)
    app.add_exception_handler(DatabaseRefused, on_refused)
    app.add_exception_handler(ClientDisconnect, on_client_left)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(StarletteHTTPException, on_http)
