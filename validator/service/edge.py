"""The service's edge, before any route: rules that hold for every path, hosted mocks and the UI included.

- When reads need a token (``CONTRACTS_READ_REQUIRES_TOKEN``), every path but the health checks needs
  one: the routes' own checks left ``/mocks/**``, ``/ui/**`` and ``/metrics`` open.
- A body in a content coding the service does not decode (``Content-Encoding: gzip``...) is 415 with
  ``Accept-Encoding: identity``, not read as JSON.
- A redirect's ``Location`` never names the host the request claimed (``Host`` is the client's to
  choose): an absolute one on that host is sent as a path. Starlette's trailing-slash redirect builds
  it from the request's ``Host``.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .problem_details import problem
from .security import authorization_error
from .settings import Settings

OPEN_PATHS = frozenset({"/healthz", "/readyz"})  # liveness and readiness stay open for orchestrators
IDENTITY = frozenset({b"", b"identity"})


class Edge:
    """ASGI middleware applying the rules above."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.tokens = settings.token_values()
        self.reads_closed = settings.read_requires_token

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        if self.reads_closed and scope["path"] not in OPEN_PATHS:
            refused = authorization_error(headers.get(b"authorization", b""), self.tokens)
            if refused is not None:
                answer = problem(
                    refused.status, refused.title, refused.detail, errors=refused.errors, headers=refused.headers
                )
                await answer(scope, receive, send)
                return
        coding = headers.get(b"content-encoding", b"").strip().lower()
        if coding not in IDENTITY:
            shown = coding.decode("latin-1")
            message = f"Content-Encoding {shown!r} is not accepted: send the body as it is (identity)"
            await problem(
                415,
                "Unsupported media type",
                message,
                errors=[{"pointer": "", "message": message, "location": "header"}],
                headers={"Accept-Encoding": "identity"},
            )(scope, receive, send)
            return

        async def relative_redirects(message: Message) -> None:
            if message["type"] == "http.response.start" and 300 <= message["status"] < 400:
                message["headers"] = [
                    (name, _relative(value) if name.lower() == b"location" else value)
                    for name, value in message.get("headers", [])
                ]
            await send(message)

        await self.app(scope, receive, relative_redirects)


def _relative(location: bytes) -> bytes:
    """``location`` as a path with its query: the service only ever redirects to itself."""
    parts = urlsplit(location.decode("latin-1"))
    if not parts.netloc:
        return location
    path = parts.path or "/"
    return (path + (f"?{parts.query}" if parts.query else "")).encode("latin-1")
