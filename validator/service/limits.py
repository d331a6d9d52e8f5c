"""ASGI middleware refusing request bodies above the configured size with 413, before they are read."""

from __future__ import annotations

import orjson
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .problem_details import PROBLEM_JSON, ServiceError


class BodySizeLimit:
    """Refuse a declared ``Content-Length`` over the limit at once, and a streamed body once it passes it."""

    def __init__(self, app: ASGIApp, max_bytes: int, streamed_exempt: str = "/mocks/") -> None:
        self.app = app
        self.max_bytes = max_bytes
        # Hosted mocks count streamed bytes themselves (and answer 413 as `contracts mock` does).
        self.streamed_exempt = streamed_exempt

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_bytes):
            await self._refuse(send)
            return
        if str(scope.get("path", "")).startswith(self.streamed_exempt):
            await self.app(scope, receive, send)
            return
        seen = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise BodyTooLarge(self.max_bytes)
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except BodyTooLarge:
            if not started:
                await self._refuse(send)

    async def _refuse(self, send: Send) -> None:
        body = orjson.dumps(
            {
                "type": "about:blank",
                "title": "Request body too large",
                "status": 413,
                "detail": f"request bodies are limited to {self.max_bytes} bytes",
                "errors": [],
            }
        )
        headers = [(b"content-type", PROBLEM_JSON.encode()), (b"content-length", str(len(body)).encode())]
        await send({"type": "http.response.start", "status": 413, "headers": headers})
        await send({"type": "http.response.body", "body": body})


class BodyTooLarge(ServiceError):
    """A streamed body passed the limit (answered 413 by the app's ServiceError handler)."""

    def __init__(self, max_bytes: int) -> None:
        super().__init__(413, "Request body too large", f"request bodies are limited to {max_bytes} bytes")
