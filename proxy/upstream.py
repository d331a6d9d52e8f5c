"""Forwarding to the upstream API with aiohttp's client (a pool of kept-alive connections); the headers a
reverse proxy sets.

aiohttp does the HTTP: framing both ways (lengths, chunked, close-delimited answers, interim 1xx answers,
HEAD), the kept-alive pool and its timeouts, and the one retry RFC 9112 section 9.3.1 allows: an idempotent
request (GET, HEAD, OPTIONS, TRACE, PUT, DELETE) whose connection dropped without an answer is sent once
more; a POST or PATCH never is, nor a streamed body (aiohttp marks it consumed before writing it). It is
used as a proxy needs: no cookies kept, no redirects followed, no body decoded, no header added but
``Host``, ``X-Forwarded-*`` and the framing; the caller's path and query are sent as they came. Chosen by
measurement among maintained clients (``python -m bench proxy_clients``, bench/README.md).

Every transport failure becomes an :class:`UpstreamFailure` carrying the status the caller gets: 504
when the upstream is too slow (``timeout``: the longest silence while waiting for it), 502 when it
cannot be reached, closes early or answers something that is not HTTP.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, AsyncIterator, Iterable
from urllib.parse import urlsplit

import aiohttp
from yarl import URL

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
_IDLE_SECONDS = 15.0  # a pooled connection unused this long is closed rather than reused
# aiohttp adds these unless told not to; a proxy passes on the caller's own or none.
_NOT_ADDED = ("User-Agent", "Accept", "Accept-Encoding", "Content-Type")
RawHeaders = list[tuple[bytes, bytes]]


class UpstreamFailure(Exception):
    """The upstream gave no usable answer; ``status`` is 502 or 504 (501: not forwardable), ``reason`` says why."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


class Answer:
    """The upstream's response: status, headers to pass back, the body read so far and the rest, if any."""

    __slots__ = ("_forwarder", "_response", "body", "complete", "declared_length", "headers", "status")

    def __init__(
        self,
        forwarder: Forwarder,
        response: aiohttp.ClientResponse | None,
        headers: RawHeaders,
        body: bytes,
        declared_length: bytes | None,
        status: int,
    ) -> None:
        self._forwarder = forwarder
        self._response = response  # None once the body is all read and the connection back in the pool
        self.status = status
        self.headers = headers  # hop-by-hop and Content-Length removed, names in lower case
        self.body = body
        self.complete = response is None  # False: the body is longer than the bound; ``rest`` streams it
        self.declared_length = declared_length  # the upstream's Content-Length, passed on when streaming

    async def rest(self) -> AsyncGenerator[bytes, None]:
        """The body beyond what was read (nothing when complete); gives the connection back at the end."""
        response = self._response
        if response is None:
            return
        finished = False
        try:
            while chunk := await response.content.readany():
                yield chunk
            finished = True
        except (TimeoutError, aiohttp.ClientError) as exc:
            raise self._forwarder.failure(exc, headed=True) from None
        finally:
            self._response = None
            if finished:
                response.release()  # read to the end: the connection can carry another exchange
            else:
                response.close()  # abandoned mid-body (the caller left, or the upstream broke off)

    def close(self) -> None:
        """Drop the rest of the answer (one the proxy replaced); nothing to do once it is all read."""
        if self._response is not None:
            self._response.close()
            self._response = None


class Forwarder:
    """Sends requests to the upstream base URL over a pool of kept-alive connections."""

    def __init__(self, options: ProxyOptions) -> None:
        split = urlsplit(options.upstream)
        self.base = options.upstream
        self._origin = f"{split.scheme}://{split.netloc}{split.path.rstrip('/')}"
        self._host = split.netloc.encode("latin-1")
        self._connect_timeout = options.connect_timeout
        self._timeout = options.timeout
        self._max_connections = options.max_connections
        self._limit = options.max_body_bytes
        self._session: aiohttp.ClientSession | None = None

    def _client(self) -> aiohttp.ClientSession:
        # Made on first use, inside the server's event loop (a session belongs to the loop it was made in).
        if self._session is None:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._max_connections, keepalive_timeout=_IDLE_SECONDS),
                cookie_jar=aiohttp.DummyCookieJar(),
                auto_decompress=False,
                skip_auto_headers=_NOT_ADDED,
                timeout=aiohttp.ClientTimeout(total=None, sock_connect=self._connect_timeout, sock_read=self._timeout),
            )
        return self._session

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
        Whatever the streamed body's source raises (the caller went away) is raised here, as it was.
        """
        if not target.startswith("/"):  # asterisk-form (OPTIONS *): the server-wide request has no URL to go to
            raise UpstreamFailure(501, f"the proxy forwards requests for a path only, not {target!r}")
        outbound = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in headers]
        source_failed: list[Exception] = []
        data: bytes | AsyncIterator[bytes] | None = body or None
        if not isinstance(body, bytes):
            if length is not None:
                outbound.append(("content-length", length))
            data = _watched(body, source_failed)
        url = URL(self._origin + target, encoded=True)  # the caller's bytes, not re-quoted or normalised
        try:
            response = await self._client().request(
                method, url, headers=outbound, data=data, allow_redirects=False, compress=None
            )
        except (TimeoutError, aiohttp.ClientError) as exc:
            if source_failed:
                raise source_failed[0] from None
            raise self.failure(exc, headed=False) from None
        try:
            if response.status == 101:  # the Upgrade header is never forwarded; an upstream switching anyway
                raise UpstreamFailure(502, "the upstream switched protocols, which the proxy does not forward")
            chunks: list[bytes] = []
            size = 0
            complete = True
            while chunk := await response.content.readany():
                chunks.append(chunk)
                size += len(chunk)
                if size > self._limit:
                    complete = False
                    break
        except (TimeoutError, aiohttp.ClientError) as exc:
            response.close()
            raise self.failure(exc, headed=True) from None
        except BaseException:
            response.close()
            raise
        if complete:
            response.release()
        kept: RawHeaders = []  # names in lower case, hop-by-hop and Content-Length left out
        declared: bytes | None = None
        listed: list[bytes] = []  # Connection header values: more names that are hop-by-hop
        for name, value in response.raw_headers:
            key = name.lower()
            if key not in _DROPPED_BACK:
                kept.append((key, value))
            elif key == b"content-length":
                declared = value
            elif key == b"connection":
                listed.append(value)
        if listed:
            named = _tokens(listed)
            kept = [(k, v) for k, v in kept if k not in named]
        received = chunks[0] if len(chunks) == 1 else b"".join(chunks)
        return Answer(self, None if complete else response, kept, received, declared, response.status)

    def failure(self, exc: BaseException, *, headed: bool) -> UpstreamFailure:
        """The 502 or 504 a transport error stands for, with a reason naming it (``headed``: after the status line)."""
        detail = str(exc) or type(exc).__name__
        if isinstance(exc, aiohttp.ConnectionTimeoutError):
            return UpstreamFailure(
                504, f"the upstream did not answer in time (no connection within {self._connect_timeout:g} s)"
            )
        if isinstance(exc, TimeoutError):  # aiohttp's read timeout derives from it
            return UpstreamFailure(504, f"the upstream did not answer in time (nothing for {self._timeout:g} s)")
        if isinstance(exc, aiohttp.ClientConnectorError):
            return UpstreamFailure(502, f"the upstream cannot be reached ({exc.os_error.strerror or detail})")
        if isinstance(exc, aiohttp.ClientPayloadError) or (headed and isinstance(exc, aiohttp.ClientConnectionError)):
            return UpstreamFailure(502, f"the upstream broke the HTTP exchange (mid-body: {detail})")
        if isinstance(exc, aiohttp.ServerDisconnectedError | aiohttp.ClientOSError):
            return UpstreamFailure(
                502, "the upstream broke the HTTP exchange (it closed the connection without answering)"
            )
        if isinstance(exc, aiohttp.ClientResponseError):
            return UpstreamFailure(502, f"the upstream broke the HTTP exchange (not an HTTP answer: {detail})")
        return UpstreamFailure(502, f"the upstream failed ({type(exc).__name__}: {detail})")

    async def aclose(self) -> None:
        """Close every pooled connection."""
        if self._session is not None:
            await self._session.close()
            self._session = None


async def _watched(source: AsyncIterator[bytes], failed: list[Exception]) -> AsyncGenerator[bytes, None]:
    """``source`` as it comes; what it raises is kept in ``failed`` (aiohttp wraps it in its own error)."""
    try:
        async for chunk in source:
            yield chunk
    except Exception as exc:
        failed.append(exc)
        raise


def _connection_tokens(headers: Iterable[tuple[bytes, bytes]]) -> frozenset[bytes]:
    """Header names listed in ``Connection``: hop-by-hop for this one connection."""
    return _tokens([v for k, v in headers if k.lower() == b"connection"])


def _tokens(values: list[bytes]) -> frozenset[bytes]:
    """The lower-case names listed in ``Connection`` header values."""
    return frozenset(t.strip().lower() for v in values for t in v.split(b",") if t.strip())
