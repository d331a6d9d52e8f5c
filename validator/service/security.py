"""Bearer tokens: writes and admin always need one, reads only when the settings close them."""

from __future__ import annotations

import hmac

from fastapi import Request

from .problem_details import ServiceError
from .settings import Settings


def token_ok(presented: bytes, tokens: tuple[bytes, ...]) -> bool:
    """Whether ``presented`` equals one of ``tokens``, in time independent of where they differ."""
    matched = False
    for token in tokens:  # no early exit: the time taken does not say which token was close
        matched |= hmac.compare_digest(presented, token)
    return matched


async def require_token(request: Request) -> None:
    """Refuse the request with 401 unless it carries a valid ``Authorization: Bearer`` token."""
    settings: Settings = request.app.state.settings
    scheme, _, presented = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not presented.strip():
        raise _unauthorized("this endpoint needs an `Authorization: Bearer <token>` header")
    if not token_ok(presented.strip().encode(), settings.token_values()):
        raise _unauthorized("the bearer token is not valid")


async def require_read_token(request: Request) -> None:
    """Apply :func:`require_token` to reads only when ``read_requires_token`` is set."""
    if request.app.state.settings.read_requires_token:
        await require_token(request)


def _unauthorized(detail: str) -> ServiceError:
    return ServiceError(
        401,
        "Unauthorized",
        detail,
        headers={"WWW-Authenticate": 'Bearer realm="contracts"'},
        errors=[{"pointer": "", "message": detail, "location": "header"}],
    )
