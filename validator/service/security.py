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


def authorization_error(header: bytes, tokens: tuple[bytes, ...]) -> ServiceError | None:
    """Why an ``Authorization`` header value does not carry one of ``tokens`` (a 401), or None when it does."""
    scheme, _, presented = header.partition(b" ")
    if scheme.lower() != b"bearer" or not presented.strip():
        return _unauthorized("this endpoint needs an `Authorization: Bearer <token>` header")
    if not token_ok(presented.strip(), tokens):
        return _unauthorized("the bearer token is not valid")
    return None


async def require_token(request: Request) -> None:
    """Refuse the request with 401 unless it carries a valid ``Authorization: Bearer`` token."""
    settings: Settings = request.app.state.settings
    refused = authorization_error(request.headers.get("authorization", "").encode("latin-1"), settings.token_values())
    if refused is not None:
        raise refused


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
