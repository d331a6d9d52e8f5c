"""Forwarding to the upstream API over a pool of kept-alive HTTP/1.1 connections; the headers a reverse proxy sets.

The client is small on purpose: asyncio connections with httptools (llhttp, the parser uvicorn serves
with) reading the answers. The general-purpose clients cost most of what the proxy adds: measured per
forwarded request on the benchmark machine, httpx ~770 us of CPU, aiosonic ~140, aiohttp ~80, this
~20 (``bench/README.md``). A proxy needs little of what they offer and must not do most of it: no
cookies kept, no redirects followed, no body decoded, no header added but ``Host``, ``X-Forwarded-*``
and the framing; the caller's path and query are sent as they came, byte for byte.

Every transport failure becomes an :class:`UpstreamFailure` carrying the status the caller gets: 504
when the upstream is too slow (``timeout``: the longest silence while waiting for it), 502 when it
cannot be reached, closes early or answers something that is not HTTP.
"""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import AsyncGenerator, AsyncIterator, Iterable
from typing import cast
from urllib.parse import urlsplit

import httptools

from .options import ProxyOptions

# RFC 9110 section 7.6.1: meant for one connection, never forwarded.
HOP_BY_HOP = frozenset(
    {
        b"connection",
        b"keep-alive",
        b"proxy-authenticate",
        b"proxy-authorization",
        b"proxy-connection",
        b"te",
        b"trailer",
        b"trailers",
        b"transfer-encoding",
        b"upgrade",
    }
)
# Expect: the proxy has read the body already; a 100 Continue from upstream would only be skipped.
_DROPPED_OUT = HOP_BY_HOP | {b"host", b"content-length", b"x-forwarded-host", b"x-forwarded-proto", b"expect"}
_DROPPED_BACK = HOP_BY_HOP | {b"content-length"}
_IDEMPOTENT = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS", "TRACE"})
_NO_BODY_EXPECTED = frozenset({"GET", "HEAD", "DELETE", "OPTIONS", "TRACE"})
_HIGH_WATER = 256 * 1024  # unread bytes of a streamed answer before the upstream is paused
_IDLE_SECONDS = 15.0  # a pooled connection unused this long is closed rather than reused
RawHeaders = list[tuple[bytes, bytes]]


class UpstreamFailure(Exception):
    """The upstream gave no usable answer; ``status`` is 502 or 504, ``reason`` says why."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


class _Connection(asyncio.Protocol):
    """One kept-alive connection to the upstream, carrying one exchange at a time."""

    def __init__(self, loop: asyncio.AbstractEventLoop, timeout: float) -> None:
        self.loop = loop
        self.timeout = timeout
        self.transport: asyncio.Transport | None = None
        self.parser = httptools.HttpResponseParser(self)
        self.closed = False
        self.reused = False
        self.idle_since = 0.0
        self.write_paused = False
        self._waiter: asyncio.Future[None] | None = None
        self._timer: asyncio.TimerHandle | None = None
        self._last_data = 0.0
        self.begin(False)

    def begin(self, head_only: bool) -> None:
        """Get ready for the next exchange (``head_only``: the answer to a HEAD, which has no body)."""
        self.head_only = head_only
        self.status = 0
        self.headers: RawHeaders = []
        self.headed = False
        self.complete = False
        self.chunks: list[bytes] = []
        self.buffered = 0
        self.received = False
        self.streaming = False
        self.interim = False
        self.keep_alive = False
        self.error: UpstreamFailure | None = None

    # -- asyncio.Protocol ---------------------------------------------------------------------------
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.Transport, transport)  # uvloop's transports are not its subclasses

    def data_received(self, data: bytes) -> None:
        self.received = True
        self._last_data = self.loop.time()
        if self.error is not None or self.complete:
            # Bytes nobody asked for (after the answer, or after a failure): the connection is done with.
            self.closed = True
            if self.transport is not None:
                self.transport.abort()
            return
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserUpgrade:
            self._fail(502, "the upstream switched protocols, which the proxy does not forward")
        except httptools.HttpParserError as exc:
            self._fail(502, f"the upstream broke the HTTP exchange (not an HTTP answer: {exc})")
        self._wake()

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        if not self.complete and self.error is None:
            if self.headed and self._ends_at_close():
                self.complete = True
            elif self.headed:
                self._fail(502, "the upstream broke the HTTP exchange (it closed the connection mid-body)")
            else:
                self._fail(502, "the upstream broke the HTTP exchange (it closed the connection without answering)")
        self.write_paused = False
        self._wake()

    def pause_writing(self) -> None:
        self.write_paused = True

    def resume_writing(self) -> None:
        self.write_paused = False
        self._wake()

    # -- httptools callbacks ------------------------------------------------------------------------
    def on_header(self, name: bytes, value: bytes) -> None:
        self.headers.append((name, value))

    def on_headers_complete(self) -> None:
        status = self.parser.get_status_code()
        if status < 200:  # an interim answer (100 Continue, 103 Early Hints): the real one follows
            self.interim = True
            self.headers = []
            return
        self.status = status
        self.headed = True
        if self.head_only:
            self.complete = True

    def on_body(self, body: bytes) -> None:
        self.chunks.append(body)
        self.buffered += len(body)
        if self.streaming and self.buffered > _HIGH_WATER and self.transport is not None:
            self.transport.pause_reading()

    def on_message_complete(self) -> None:
        if self.interim:
            self.interim = False
            return
        self.keep_alive = self.parser.should_keep_alive()  # only known here: llhttp resets it for the next message
        self.complete = True

    # -- the exchange -------------------------------------------------------------------------------
    def start(self, head_only: bool) -> None:
        """Begin an exchange: its state, and the clock for the upstream's silence."""
        self.begin(head_only)
        self._last_data = self.loop.time()
        self._timer = self.loop.call_later(self.timeout, self._on_timer)

    def finish(self) -> None:
        """The exchange is over (answered, failed or abandoned): stop its clock."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    async def wait(self) -> None:
        """Until something happens (data, the end, a failure, room to write); UpstreamFailure on failure."""
        if self.error is None:
            self._waiter = self.loop.create_future()
            try:
                await self._waiter
            finally:
                self._waiter = None
        if self.error is not None:
            raise self.error

    def take(self) -> bytes:
        """The body bytes received and not yet taken."""
        chunks, self.chunks = self.chunks, []
        paused = self.buffered > _HIGH_WATER
        self.buffered = 0
        self._last_data = self.loop.time()  # the caller took it: the silence that counts starts now
        if paused and self.transport is not None and not self.closed:
            self.transport.resume_reading()
        return chunks[0] if len(chunks) == 1 else b"".join(chunks)

    @property
    def reusable(self) -> bool:
        """Whether the connection can carry another exchange."""
        return (
            self.complete
            and not self.closed
            and not self.head_only  # the parser still waits for the body a HEAD answer never has
            and self.error is None
            and self.keep_alive
        )

    def close(self) -> None:
        """Drop the connection."""
        self.finish()
        self.closed = True
        if self.transport is not None:
            self.transport.abort()

    def _ends_at_close(self) -> bool:
        """Whether the answer's body is delimited by the end of the connection (no length, not chunked)."""
        names = {name.lower() for name, _ in self.headers}
        return b"content-length" not in names and b"transfer-encoding" not in names

    def _fail(self, status: int, reason: str) -> None:
        if self.error is None:
            self.error = UpstreamFailure(status, reason)

    def _wake(self) -> None:
        waiter = self._waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    def _on_timer(self) -> None:
        self._timer = None
        silent = self.loop.time() - self._last_data
        if silent < self.timeout or self.buffered > _HIGH_WATER:
            # Data came meanwhile, or the proxy itself paused the upstream (a slow caller): wait on.
            self._timer = self.loop.call_later(max(self.timeout - silent, 0.05), self._on_timer)
            return
        self._fail(504, f"the upstream did not answer in time (nothing for {self.timeout:g} s)")
        self._wake()
        if self.transport is not None:
            self.transport.abort()


class Answer:
    """The upstream's response: status, headers to pass back, the body read so far and the rest, if any."""

    __slots__ = ("_connection", "_forwarder", "body", "complete", "declared_length", "headers", "status")

    def __init__(
        self,
        forwarder: Forwarder,
        connection: _Connection | None,
        status: int,
        headers: RawHeaders,
        body: bytes,
        declared_length: bytes | None,
    ) -> None:
        self._forwarder = forwarder
        self._connection = connection  # None once given back to the pool
        self.status = status
        self.headers = headers  # hop-by-hop and Content-Length removed, names in lower case
        self.body = body
        self.complete = connection is None  # False: the body is longer than the bound; ``rest`` streams it
        self.declared_length = declared_length  # the upstream's Content-Length, passed on when streaming

    async def rest(self) -> AsyncGenerator[bytes, None]:
        """The body beyond what was read (nothing when complete); gives the connection back at the end."""
        connection = self._connection
        if connection is None:
            return
        try:
            while True:
                if connection.chunks:
                    yield connection.take()
                elif connection.complete:
                    break
                else:
                    await connection.wait()
        finally:
            self._connection = None
            self._forwarder.release(connection)

    def close(self) -> None:
        """Drop the rest of the answer (one the proxy replaced); nothing to do once it is all read."""
        if self._connection is not None:
            self._connection.close()
            self._forwarder.release(self._connection)
            self._connection = None


class Forwarder:
    """Sends requests to the upstream base URL over a pool of kept-alive connections."""

    def __init__(self, options: ProxyOptions) -> None:
        split = urlsplit(options.upstream)
        self.base = options.upstream
        self._prefix = split.path.rstrip("/").encode("latin-1")
        self._host = split.netloc.encode("latin-1")
        self._address = (split.hostname or "", split.port or (443 if split.scheme == "https" else 80))
        self._tls = ssl.create_default_context() if split.scheme == "https" else None
        self._connect_timeout = options.connect_timeout
        self._timeout = options.timeout
        self._limit = options.max_body_bytes
        self._slots = asyncio.Semaphore(options.max_connections)
        self._idle: list[_Connection] = []
        self._open: set[_Connection] = set()

    def outbound_headers(self, raw: Iterable[tuple[bytes, bytes]], client: str | None, scheme: str) -> RawHeaders:
        """The request headers to send upstream: hop-by-hop removed, Host and X-Forwarded-* set."""
        listed = list(raw)
        named = _connection_tokens(listed)
        out: RawHeaders = []
        host = b""
        forwarded_for = b""
        for name, value in listed:
            key = name.lower()
            if key == b"host":
                host = value
            elif key == b"x-forwarded-for":
                forwarded_for = value if not forwarded_for else forwarded_for + b", " + value
                continue
            if key in _DROPPED_OUT or key in named:
                continue
            out.append((key, value))
        out.append((b"host", self._host))
        if client:
            hop = client.encode("latin-1")
            out.append((b"x-forwarded-for", forwarded_for + b", " + hop if forwarded_for else hop))
        elif forwarded_for:
            out.append((b"x-forwarded-for", forwarded_for))
        if host:
            out.append((b"x-forwarded-host", host))
        out.append((b"x-forwarded-proto", scheme.encode("latin-1")))
        return out

    async def send(
        self,
        method: str,
        target: str,
        headers: RawHeaders,
        body: bytes | AsyncIterator[bytes],
        length: str | None = None,
    ) -> Answer:
        """Forward one request (``target``: raw path and query) and read the answer up to the body bound.

        A streamed body keeps the client's Content-Length (``length``) when it sent one, else goes chunked.
        """
        head = self._head(method, target, headers, body, length)
        await self._slots.acquire()
        connection: _Connection | None = None
        try:
            connection = await self._connection()
            try:
                await self._exchange(connection, method, head, body)
            except UpstreamFailure as exc:
                # A kept-alive connection the upstream closed as it was reused: nothing was answered, so an
                # idempotent request is sent again once, on a new connection (as aiohttp and Go do).
                stale = exc.status == 502 and connection.reused and not connection.received
                if not (stale and method in _IDEMPOTENT and isinstance(body, bytes)):
                    raise
                self._drop(connection)
                connection = await self._connection(fresh=True)
                await self._exchange(connection, method, head, body)
            while not connection.complete and connection.buffered <= self._limit:
                await connection.wait()
        except BaseException:
            if connection is not None:
                self._drop(connection)
            self._slots.release()
            raise
        raw = connection.headers
        named = _connection_tokens(raw)
        kept = [(k.lower(), v) for k, v in raw if k.lower() not in _DROPPED_BACK and k.lower() not in named]
        declared = next((v for k, v in raw if k.lower() == b"content-length"), None)
        received = connection.take()
        if connection.complete:
            self.release(connection)
            return Answer(self, None, connection.status, kept, received, declared)
        connection.streaming = True
        return Answer(self, connection, connection.status, kept, received, declared)

    async def _exchange(
        self, connection: _Connection, method: str, head: bytes, body: bytes | AsyncIterator[bytes]
    ) -> None:
        """Write the request and wait for the answer's head."""
        connection.start(method == "HEAD")
        transport = connection.transport
        if transport is None or connection.closed:
            raise UpstreamFailure(502, "the upstream broke the HTTP exchange (the connection is closed)")
        if isinstance(body, bytes):
            transport.write(head + body if body else head)
        else:
            transport.write(head)
            chunked = b"transfer-encoding: chunked\r\n" in head
            async for chunk in body:
                if not chunk:
                    continue
                transport.write(b"%x\r\n%b\r\n" % (len(chunk), chunk) if chunked else chunk)
                while connection.write_paused and connection.error is None and not connection.closed:
                    await connection.wait()
                if connection.error is not None:
                    raise connection.error
            if chunked:
                transport.write(b"0\r\n\r\n")
        while not connection.headed:
            await connection.wait()

    def _head(
        self, method: str, target: str, headers: RawHeaders, body: bytes | AsyncIterator[bytes], length: str | None
    ) -> bytes:
        parts = [method.encode("latin-1"), b" ", self._prefix, target.encode("latin-1"), b" HTTP/1.1\r\n"]
        for name, value in headers:
            parts += (name, b": ", value, b"\r\n")
        if not isinstance(body, bytes):
            if length:
                parts.append(b"content-length: %b\r\n" % length.encode("latin-1"))
            else:
                parts.append(b"transfer-encoding: chunked\r\n")
        elif body or method not in _NO_BODY_EXPECTED:
            parts.append(b"content-length: %d\r\n" % len(body))
        parts.append(b"\r\n")
        return b"".join(parts)

    async def _connection(self, *, fresh: bool = False) -> _Connection:
        """A pooled connection (the most recently used), or a new one."""
        loop = asyncio.get_running_loop()
        while self._idle and not fresh:
            connection = self._idle.pop()
            if not connection.closed and loop.time() - connection.idle_since < _IDLE_SECONDS:
                return connection
            self._drop(connection)
        connection = _Connection(loop, self._timeout)
        host, port = self._address
        try:
            async with asyncio.timeout(self._connect_timeout):
                await loop.create_connection(
                    lambda: connection, host, port, ssl=self._tls, server_hostname=host if self._tls else None
                )
        except TimeoutError:
            raise UpstreamFailure(
                504, f"the upstream did not answer in time (no connection within {self._connect_timeout:g} s)"
            ) from None
        except OSError as exc:
            raise UpstreamFailure(502, f"the upstream cannot be reached ({exc.strerror or exc})") from None
        self._open.add(connection)
        return connection

    def release(self, connection: _Connection) -> None:
        """An exchange is over: the connection goes back to the pool if it can carry another, else is closed."""
        connection.finish()
        if connection.reusable:
            connection.reused = True
            connection.idle_since = connection.loop.time()
            self._idle.append(connection)
        else:
            connection.close()
            self._open.discard(connection)
        self._slots.release()

    def _drop(self, connection: _Connection) -> None:
        connection.close()
        self._open.discard(connection)

    async def aclose(self) -> None:
        """Close every connection."""
        for connection in list(self._open):
            connection.close()
        self._open.clear()
        self._idle.clear()


def _connection_tokens(headers: Iterable[tuple[bytes, bytes]]) -> frozenset[bytes]:
    """Header names listed in ``Connection``: hop-by-hop for this one connection."""
    found = [v for k, v in headers if k.lower() == b"connection"]
    if not found:
        return frozenset()
    return frozenset(t.strip().lower() for v in found for t in v.split(b",") if t.strip())
