"""What routes share: the app's state, checked path parameters, the raw body.

All are ``async``: they do no I/O, and a sync dependency would cost a thread hop per request.
"""

from __future__ import annotations

from fastapi import Request

from ...compiled import is_json_content_type, media_base
from ..analysis import AnalysisPool
from ..catalogue import Snapshot
from ..db import Database
from ..observability import Metrics
from ..problem_details import ServiceError
from ._patterns import is_name, is_semver


async def snapshot(request: Request) -> Snapshot:
    """The catalogue snapshot this request uses from start to end."""
    return request.app.state.catalogue.current  # type: ignore[no-any-return]


async def database(request: Request) -> Database:
    """The app's database."""
    return request.app.state.db  # type: ignore[no-any-return]


async def metrics(request: Request) -> Metrics:
    """The app's metrics."""
    return request.app.state.metrics  # type: ignore[no-any-return]


async def analysis(request: Request) -> AnalysisPool:
    """The app's pool of analysis workers."""
    return request.app.state.analysis  # type: ignore[no-any-return]


async def raw_body(request: Request) -> bytes:
    """The JSON request body (bounded by the size limit middleware); another declared media type is 415."""
    declared = request.headers.get("content-type")
    if declared is not None:
        base = media_base(declared)
        if not is_json_content_type(declared):
            raise ServiceError(
                415,
                "Unsupported media type",
                f"send JSON, not {base or '(empty)'!r}",
                errors=[{"pointer": "", "message": "Content-Type must be application/json", "location": "header"}],
            )
    return await request.body()


async def checked_name(name: str) -> str:
    """A contract name from the path: exactly kebab-case (so never a path) or 422."""
    if not is_name(name):
        raise _bad_path(
            "name", f"{name!r} is not a contract name", "contract names are kebab-case, e.g. recommendation-api"
        )
    return name


async def checked_version(version: str) -> str:
    """A version from the path: exactly a semantic version or 422."""
    if len(version) > 100 or not is_semver(version):
        raise _bad_path("version", f"{version!r} is not a semantic version", "e.g. 1.2.0 or 2.0.0-rc.1")
    return version


def _bad_path(param: str, message: str, hint: str) -> ServiceError:
    return ServiceError(
        422,
        "Invalid path parameter",
        message,
        errors=[{"pointer": f"/{param}", "message": message, "location": "path", "hint": hint}],
    )
