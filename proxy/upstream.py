"""Forwarding to the upstream API over a pool of kept-alive connections; the headers a reverse proxy sets.

aiohttp's client does the forwarding: measured on this project's benchmark machine it spends about a
third of the CPU time per forwarded request that httpx's pooled transport does (its HTTP parser is in
C; httpx parses with the pure-Python h11), and that time is most of what a proxy adds. It is used as a
proxy needs: no cookies kept between callers, no redirects followed, no body decoded, no header added.
Every transport failure becomes an :class:`UpstreamFailure` carrying the status the caller gets: 504
when the upstream is too slow, 502 when it cannot be reached or answers something that is not HTTP.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

import aiohttp
from multidict import CIMultiDict
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
_DROPPED_OUT = HOP_BY_HOP | {b"host", b"content-length", b"x-forwarded-host", b"x-forwarded-proto"}
_DROPPED_BACK = HOP_BY_HOP | {b"content-length"}
_READ = 65536
RawHeaders = list[tuple[bytes, bytes]]


class UpstreamFailure(Exception):
    """The upstream gave no usable answer; ``status`` is 502 or 504, ``reason`` says why."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


@dataclass(slots=True)
class Answer:
    """The upstream's response: status, headers to pass back, the body read so far and the rest, if any."""

    status: int
    headers: RawHeaders  # hop-by-hop and Content-Length removed, names in lower case
    body: bytes
    complete: bool  # False: the body is longer than the bound; ``rest`` streams the remainder
    response: aiohttp.ClientResponse
    declared_length: bytes | None  # the upstream's Content-Length, passed on when streaming

    async def rest(self) -> AsyncIterator[bytes]:
        """The body beyond what was read (nothing when complete); releases the upstream connection."""
        try:
            if not self.complete:
                while chunk := await self.response.content.read(_READ):
                    yield chunk
        except (TimeoutError, aiohttp.ClientError) as exc:
            raise failure_of(exc) from None
        finally:
            self.response.release()

    def close(self) -> None:
        """Give the connection back without reading further (an answer the proxy replaced)."""
        self.response.close()


class Forwarder:
    """Sends requests to the upstream base URL over a pool of kept-alive connections."""

    def __init__(self, options: ProxyOptions) -> None:
        split = urlsplit(options.upstream)
        self.base = options.upstream
        self._prefix = split.path.rstrip("/")
        self._host = split.netloc.encode("latin-1")
        self._origin = f"{split.scheme}://{split.netloc}"
        self._timeout = aiohttp.ClientTimeout(
            total=None, sock_connect=options.connect_timeout, sock_read=options.timeout
        )
        self._max_connections = options.max_connections
        self._limit = options.max_body_bytes
        self._session: aiohttp.ClientSession | None = None

    def _client(self) -> aiohttp.ClientSession:
        # Made on first use, inside the server's event loop (a session belongs to the loop it was made in).
        if self._session is None:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._max_connections, keepalive_timeout=30.0),
                cookie_jar=aiohttp.DummyCookieJar(),
                auto_decompress=False,
                skip_auto_headers=("User-Agent", "Accept", "Accept-Encoding", "Content-Type"),
                timeout=self._timeout,
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

        A streamed body keeps the client's Content-Length (``length``) when it sent one.
        """
        if length is not None and not isinstance(body, bytes):
            headers.append((b"content-length", length.encode("latin-1")))
        outbound = CIMultiDict((k.decode("latin-1"), v.decode("latin-1")) for k, v in headers)
        url = URL(self._origin + self._prefix + target, encoded=True)  # the caller's bytes, not re-quoted
        try:
            response = await self._client().request(
                method,
                url,
                headers=outbound,
                data=body if body else None,
                allow_redirects=False,
                compress=None,
            )
        except (TimeoutError, aiohttp.ClientError) as exc:
            raise failure_of(exc) from None
        try:
            chunks: list[bytes] = []
            size = 0
            complete = True
            while chunk := await response.content.read(_READ):
                chunks.append(chunk)
                size += len(chunk)
                if size > self._limit:
                    complete = False
                    break
        except (TimeoutError, aiohttp.ClientError) as exc:
            response.close()
            raise failure_of(exc) from None
        except BaseException:
            response.close()
            raise
        if complete:
            response.release()
        raw = response.raw_headers
        named = _connection_tokens(raw)
        kept = [(k.lower(), v) for k, v in raw if k.lower() not in _DROPPED_BACK and k.lower() not in named]
        declared = next((v for k, v in raw if k.lower() == b"content-length"), None)
        return Answer(response.status, kept, b"".join(chunks), complete, response, declared)

    async def aclose(self) -> None:
        """Close every pooled connection."""
        if self._session is not None:
            await self._session.close()
            self._session = None


def failure_of(exc: BaseException) -> UpstreamFailure:
    """The 502 or 504 a transport error stands for, with a reason naming it."""
    detail = str(exc) or type(exc).__name__
    if isinstance(exc, TimeoutError):  # aiohttp's own timeouts derive from it
        return UpstreamFailure(504, f"the upstream did not answer in time ({type(exc).__name__}: {detail})")
    if isinstance(exc, aiohttp.ClientConnectorError):
        return UpstreamFailure(502, f"the upstream cannot be reached ({detail})")
    if isinstance(exc, aiohttp.ClientResponseError | aiohttp.ClientPayloadError | aiohttp.ServerDisconnectedError):
        return UpstreamFailure(502, f"the upstream broke the HTTP exchange ({type(exc).__name__}: {detail})")
    return UpstreamFailure(502, f"the upstream failed ({type(exc).__name__}: {detail})")


def _connection_tokens(headers: Iterable[tuple[bytes, bytes]]) -> frozenset[bytes]:
    """Header names listed in ``Connection``: hop-by-hop for this one connection."""
    found = [v for k, v in headers if k.lower() == b"connection"]
    if not found:
        return frozenset()
    return frozenset(t.strip().lower() for v in found for t in v.split(b",") if t.strip())
