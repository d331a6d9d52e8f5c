"""The ceiling of the mock benchmark: a bare ASGI endpoint that drains the body and returns a constant."""

from __future__ import annotations

import orjson

from ._asgi import Receive, Scope, Send

_BODY = b'{"ok":true}'
_HEADERS = [(b"content-type", b"application/json"), (b"content-length", str(len(_BODY)).encode())]
# The loops and sends are written out, not shared with bench/_upstream_app.py: a ceiling is the least a
# server does, and two helper coroutines add 0.3-0.75 µs per request to it (timeit, min of 25 x 20000).


async def app(scope: Scope, receive: Receive, send: Send) -> None:
    """Answer every HTTP request with the same small JSON body."""
    if scope["type"] != "http":
        return
    more = True
    while more:
        message = await receive()
        more = bool(message.get("more_body", False))
    await send({"type": "http.response.start", "status": 200, "headers": _HEADERS})
    await send({"type": "http.response.body", "body": _BODY})


async def parsing_app(scope: Scope, receive: Receive, send: Send) -> None:
    """The same, but it reads the JSON body into Python values first (what any server using the body must do)."""
    if scope["type"] != "http":
        return
    chunks: list[bytes] = []
    more = True
    while more:
        message = await receive()
        chunks.append(message.get("body", b""))
        more = bool(message.get("more_body", False))
    orjson.loads(b"".join(chunks))
    await send({"type": "http.response.start", "status": 200, "headers": _HEADERS})
    await send({"type": "http.response.body", "body": _BODY})
