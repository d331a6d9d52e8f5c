"""What routes share: the app's state, checked path parameters, the raw body."""

from __future__ import annotations

from fastapi import Request

from ...errors import UsageError
from ...refs import check_name
from ..catalogue import Snapshot, check_version
from ..db import Database
from ..observability import Metrics
from ..problem_details import ServiceError


def snapshot(request: Request) -> Snapshot:
    """The catalogue snapshot this request uses from start to end."""
    return request.app.state.catalogue.current  # type: ignore[no-any-return]


def database(request: Request) -> Database:
    """The app's database."""
    return request.app.state.db  # type: ignore[no-any-return]


def metrics(request: Request) -> Metrics:
    """The app's metrics."""
    return request.app.state.metrics  # type: ignore[no-any-return]


async def raw_body(request: Request) -> bytes:
    """The request body (the size limit middleware has bounded it)."""
    return await request.body()


def checked_name(name: str) -> str:
    """A contract name from the path: kebab-case or 422."""
    try:
        return check_name(name)
    except UsageError as exc:
        raise _bad_path("name", exc) from None


def checked_version(version: str) -> str:
    """A version from the path: semver or 422."""
    try:
        return check_version(version)
    except UsageError as exc:
        raise _bad_path("version", exc) from None


def _bad_path(param: str, exc: UsageError) -> ServiceError:
    return ServiceError(422, "Invalid path parameter", exc.message,
                        errors=[{"pointer": f"/{param}", "message": exc.message, "location": "path",
                                 "hint": exc.hint or ""}])
