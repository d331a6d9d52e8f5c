"""uvicorn's httptools protocol with the limits it lacks (see :mod:`mocks.http_limits`).

uvicorn 0.54 bounds none of these. A request head may be of any size and field count (httptools joins
a long field piece by piece, in time quadratic in its length). A client may send its head or body as
slowly as it likes: the only timer is keep-alive, armed after a response. Connections are unbounded
(``limit_concurrency`` answers a bare text 503 without ``Retry-After``). And requests pipelined behind
the one being answered queue without end: each read is parsed whole, and every ``receive`` of the app
resumes reading, so a client that never reads its answers grows the queue until memory runs out.

Here bytes are fed to the parser in pieces, so the head is counted as it arrives (431 past its size or
field count) and parsing stops once ``max_pipelined`` requests wait: the rest stays unparsed and the
socket unread until the queue drains. A head must be complete within ``header_timeout`` and a body
within ``body_timeout`` while the server is reading (408, or a silent close for a connection that never
sent a byte). Deadlines are two floats per connection checked by one sweeper per server, so a request
costs no timer. Past ``max_connections`` the answer is 503 with ``Retry-After``. And, as HTTP/1.1 says, a
request without exactly one ``Host`` is 400 (uvicorn passes it on).
"""

from __future__ import annotations

import asyncio
import weakref
from http import HTTPStatus
from typing import Any

import httptools
import orjson
import uvicorn
from uvicorn.protocols.http.flow_control import FlowControl
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
from uvicorn.server import ServerState

from .http_limits import READ_TIMED_OUT, HttpLimits

PIECE = 4096  # bytes parsed at once: how far a head may overrun its limit, how many requests a queue overruns by
LINGER_SECONDS = 2.0  # after a refusal, what the client still sends is read and dropped this long (or this much)
LINGER_BYTES = 1024 * 1024

# What a connection waits for from its client, if anything.
_HEAD, _BODY, _NOTHING = 1, 2, 0


class LimitedConfig(uvicorn.Config):
    """uvicorn's settings with our protocol and its limits (pickled whole into each worker process)."""

    def __init__(self, app: Any, limits: HttpLimits, **kwargs: Any) -> None:
        super().__init__(app, http=LimitedHttpProtocol, ws="none", **kwargs)
        self.http_limits = limits


class _Refusal(Exception):
    """Raised in a parser callback to stop parsing and answer ``status``."""

    def __init__(self, status: int, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail


class _Flow(FlowControl):
    """Flow control that keeps reading paused while the pipeline is full or read bytes wait unparsed."""

    def __init__(self, transport: asyncio.Transport, protocol: LimitedHttpProtocol) -> None:
        super().__init__(transport)
        self._protocol = protocol

    def resume_reading(self) -> None:
        """Resume, unless the client is ahead of the server by the whole pipeline."""
        if not self.read_paused:  # the usual case, checked first: this runs twice per request
            return
        protocol = self._protocol
        if not (protocol._held or protocol._refused or len(protocol.pipeline) >= protocol.max_pipelined):
            super().resume_reading()


class LimitedHttpProtocol(HttpToolsProtocol):
    """One HTTP/1.1 connection, bounded in head size, field count, read time and pipelined requests."""

    def __init__(
        self,
        config: uvicorn.Config,
        server_state: ServerState,
        app_state: dict[str, Any],
        _loop: asyncio.AbstractEventLoop | None = None,
    ) -> None:
        super().__init__(config, server_state, app_state, _loop)
        limits = getattr(config, "http_limits", None)
        self.limits: HttpLimits = limits if isinstance(limits, HttpLimits) else HttpLimits()
        # Read on every request: plain attributes are cheaper than going through the limits each time.
        self.max_pipelined = self.limits.max_pipelined
        self._max_head = self.limits.max_header_bytes
        self._max_fields = self.limits.max_headers
        self._header_timeout = self.limits.header_timeout
        self._body_timeout = self.limits.body_timeout
        self._held = bytearray()  # read, not yet parsed: the pipeline is full
        self._waiting = _NOTHING
        self.deadline = 0.0  # loop time by which the awaited part must be in (0: nothing awaited)
        self._head_read = 0  # bytes of the head being read, counted by whole pieces while it is incomplete
        self._refusal: bytes | None = None  # an answer waiting for the answers queued before it
        self._refused = False
        self._dropped = 0  # bytes read and dropped after a refusal

    # -- connection --------------------------------------------------------------------------------
    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        """Count the connection against the cap, and give its first head ``header_timeout``."""
        super().connection_made(transport)
        self.flow = _Flow(transport, self)
        if len(self.connections) > self.limits.max_connections:
            self.app = _too_many_connections
        self._expect(_HEAD)
        _watch(self)

    def data_received(self, data: bytes) -> None:
        """Parse what arrived, in pieces, unless the pipeline is full (then keep it and stop reading)."""
        self._unset_keepalive_if_required()
        if self._refused:
            self._dropped += len(data)
            if self._dropped > LINGER_BYTES:
                self.transport.close()
            return
        if self._held:
            self._held += data
            self.flow.pause_reading()
            return
        if len(data) <= PIECE and len(self.pipeline) < self.max_pipelined:
            self._parse(data)  # the usual case: one request in one read
            return
        self._feed(data)

    def _feed(self, data: bytes) -> None:
        view = memoryview(data)
        for start in range(0, len(data), PIECE):
            if len(self.pipeline) >= self.max_pipelined:
                self._held += view[start:]
                self.flow.pause_reading()
                return
            if not self._parse(view[start : start + PIECE]):
                return

    def _parse(self, piece: bytes | memoryview) -> bool:
        """Feed one piece; False when the connection is being refused or closed."""
        if self._waiting == _NOTHING:  # bytes of a new request: its head is now awaited
            self._expect(_HEAD)
        try:
            self.parser.feed_data(piece)
        except httptools.HttpParserCallbackError as exc:
            cause = exc.__context__
            if isinstance(cause, _Refusal):
                self._refuse(cause.status, cause.detail)
            else:
                self.logger.warning("Invalid HTTP request received.")
                self.send_400_response("Invalid HTTP request received.")
            return False
        except httptools.HttpParserUpgrade:
            self._unsupported_upgrade_warning()
            return False
        except httptools.HttpParserError:
            self.logger.warning("Invalid HTTP request received.")
            self.send_400_response("Invalid HTTP request received.")
            return False
        if self._waiting == _HEAD:
            self._head_read += len(piece)
            if self._head_read > self._max_head:
                self._refuse(431, self._head_limits())
                return False
        return not self.transport.is_closing()

    # -- parser callbacks --------------------------------------------------------------------------
    def on_message_begin(self) -> None:
        """A new request (also one pipelined behind another in the same read): its head is awaited."""
        super().on_message_begin()
        if self._waiting != _HEAD:
            self._waiting = _HEAD
            self.deadline = self.loop.time() + self._header_timeout

    def on_headers_complete(self) -> None:
        """The head is in: its fields are counted, its body is awaited (uvicorn starts the app)."""
        if len(self.headers) > self._max_fields:  # counted once here: a callback per field costs every request
            raise _Refusal(431, self._head_limits())
        # RFC 9112 3.2: an HTTP/1.1 request has exactly one Host (HTTP/1.0 may have none).
        hosts = [name for name, _ in self.headers].count(b"host")
        if hosts != 1 and (hosts > 1 or self.parser.get_http_version() == "1.1"):
            raise _Refusal(400, "an HTTP/1.1 request needs exactly one Host header")
        self._head_read = 0
        self._waiting = _BODY
        self.deadline = self.loop.time() + self._body_timeout
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        """The whole request is in: nothing is awaited from the client until its next request."""
        super().on_message_complete()
        self._waiting = _NOTHING
        self.deadline = 0.0

    def on_response_complete(self) -> None:
        """After each answer: a refusal waiting for it goes out, and held bytes are parsed once there is room."""
        super().on_response_complete()
        if self.transport.is_closing():
            return
        if self._refusal is not None:
            if self._answered_all():
                self._last_answer(self._refusal)
            return
        if self._held and len(self.pipeline) < self.max_pipelined:
            held = bytes(self._held)
            self._held.clear()
            self._unset_keepalive_if_required()
            self._feed(held)
            self.flow.resume_reading()  # unless still holding (see _Flow)

    # -- limits ------------------------------------------------------------------------------------
    def _head_limits(self) -> str:
        return (
            f"the request line and header fields are limited to {self.limits.max_header_bytes} bytes "
            f"and {self.limits.max_headers} fields"
        )

    def _expect(self, what: int) -> None:
        self._waiting = what
        self.deadline = self.loop.time() + (self._header_timeout if what == _HEAD else self._body_timeout)

    def _answered_all(self) -> bool:
        return not self.pipeline and (self.cycle is None or self.cycle.response_complete)

    def _refuse(self, status: int, detail: str) -> None:
        """Stop reading and answer ``status`` with ``Connection: close``, after the answers queued before it."""
        self._refused = True
        self._waiting = _NOTHING
        self.deadline = 0.0
        self._held.clear()
        self.flow.pause_reading()
        self.logger.info("refused a request: %s %s", status, detail)
        answer = _problem_bytes(status, detail)
        if self._answered_all():
            self._last_answer(answer)
        else:
            self._refusal = answer

    def _last_answer(self, answer: bytes) -> None:
        """Write ``answer`` and end the connection, reading (and dropping) what the client still sends a moment.

        Closing a socket with unread bytes resets the connection, and the client could lose the answer.
        """
        self.transport.write(answer)
        if self.transport.can_write_eof():
            self.transport.write_eof()
        self.transport.resume_reading()
        self.loop.call_later(LINGER_SECONDS, self.transport.close)

    def expire(self, now: float) -> None:
        """The deadline passed: 408 (or a silent close when the client never began a request)."""
        if self.flow.read_paused:  # the server stopped reading, so the wait is its own: give the client time
            self._expect(self._waiting)
            return
        if self._waiting == _HEAD:
            if self.cycle is None and self._head_read == 0 and not self._held:
                self._waiting = _NOTHING
                self.transport.close()  # connected and never sent a byte: nothing to answer
            else:
                self._refuse(408, f"the request head did not arrive within {self.limits.header_timeout:g} s")
            return
        cycle = self.cycle
        self._waiting = _NOTHING
        if cycle is not None and not cycle.response_started and not self.pipeline:
            # The app is waiting for the body: it gets http.disconnect; the client gets 408.
            cycle.scope["state"][READ_TIMED_OUT] = True
            cycle.disconnected = True
            cycle.message_event.set()
            self.logger.info("refused a request: 408 body not received in time")
            self._refused = True
            self._last_answer(_problem_bytes(408, self._body_late()))
            return
        self._refused = True
        self.transport.close()

    def _body_late(self) -> str:
        return f"the request body did not arrive within {self.limits.body_timeout:g} s"


# One sweeper per server: it expires connections whose deadline passed (a timer per request would cost more).
_SWEEPERS: weakref.WeakKeyDictionary[ServerState, asyncio.TimerHandle] = weakref.WeakKeyDictionary()


def _watch(protocol: LimitedHttpProtocol) -> None:
    """Make sure the server of ``protocol`` has a sweeper."""
    state = protocol.server_state
    if state not in _SWEEPERS:
        limits = protocol.limits
        period = min(1.0, max(0.05, min(limits.header_timeout, limits.body_timeout) / 4))
        _SWEEPERS[state] = protocol.loop.call_later(period, _sweep, protocol.loop, state, period)


def _sweep(loop: asyncio.AbstractEventLoop, state: ServerState, period: float) -> None:
    now = loop.time()
    watched = False
    for connection in list(state.connections):
        if isinstance(connection, LimitedHttpProtocol):
            watched = True
            if connection.deadline and now > connection.deadline:
                connection.expire(now)
    if watched:
        _SWEEPERS[state] = loop.call_later(period, _sweep, loop, state, period)
    else:
        _SWEEPERS.pop(state, None)


_TITLES = {
    400: "Bad request",
    408: "Request timeout",
    431: "Request header fields too large",
    503: "Too many connections",
}


def _problem(status: int, detail: str) -> bytes:
    return orjson.dumps(
        {"type": "about:blank", "title": _TITLES[status], "status": status, "detail": detail, "errors": []}
    )


def _problem_bytes(status: int, detail: str) -> bytes:
    """A whole HTTP/1.1 answer with problem details, closing the connection."""
    body = _problem(status, detail)
    head = (
        f"HTTP/1.1 {status} {HTTPStatus(status).phrase}\r\n"
        "content-type: application/problem+json\r\n"
        f"content-length: {len(body)}\r\n"
        "connection: close\r\n\r\n"
    )
    return head.encode("ascii") + body


_BUSY = _problem(503, "the server has as many connections open as it accepts; retry shortly")


async def _too_many_connections(_scope: Any, _receive: Any, send: Any) -> None:
    """The app of a connection over the cap: 503 with Retry-After, and the connection is closed."""
    headers = [
        (b"content-type", b"application/problem+json"),
        (b"content-length", str(len(_BUSY)).encode()),
        (b"retry-after", b"1"),
        (b"connection", b"close"),
    ]
    await send({"type": "http.response.start", "status": 503, "headers": headers})
    await send({"type": "http.response.body", "body": _BUSY})
