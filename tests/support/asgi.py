"""A synchronous httpx client on an ASGI app in-process, through httpx's own ASGI transport.

``httpx.ASGITransport`` is asynchronous; the tests are not. One event loop in a helper thread (an
anyio blocking portal) runs every request, so an app keeps its loop-bound state between requests,
as under a server. No socket, no process: a request costs microseconds instead of a round trip.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import Any

import anyio.from_thread
import httpx


class InProcess(httpx.BaseTransport):
    """An httpx transport that hands each request to an ASGI app on a loop of its own."""

    def __init__(self, app: Any) -> None:
        self._inner = httpx.ASGITransport(app=app)
        self._portal_cm: AbstractContextManager[anyio.from_thread.BlockingPortal] = (
            anyio.from_thread.start_blocking_portal()
        )
        self._portal = self._portal_cm.__enter__()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        """Run the request through the app; the whole body is read before it is handed back."""

        async def call() -> httpx.Response:
            response = await self._inner.handle_async_request(request)
            content = await response.aread()
            # As a stream, not as content: the client then reads and closes it, which times the exchange.
            return httpx.Response(
                response.status_code,
                headers=response.headers,
                stream=httpx.ByteStream(content),
                extensions=response.extensions,
            )

        return self._portal.call(call)

    def close(self) -> None:
        """Stop the loop."""
        self._portal_cm.__exit__(None, None, None)


def client(app: Any, base_url: str = "http://mock.test") -> httpx.Client:
    """A client whose requests go to ``app`` in-process."""
    return httpx.Client(transport=InProcess(app), base_url=base_url, timeout=10)
