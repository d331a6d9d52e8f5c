"""Forwarding to the upstream API over httpx's pooled transport: headers a reverse proxy sets, bounded reads.

The transport is used without httpx's client layer: a proxy must not keep cookies between callers,
follow redirects or decode bodies; it passes bytes. Every transport failure becomes an
:class:`UpstreamFailure` carrying the status the caller gets: 504 when the upstream is too slow,
502 when it cannot be reached or answers something that is not HTTP.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx

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
    headers: RawHeaders  # hop-by-hop and Content-Length removed
    body: bytes
    complete: bool  # False: the body is longer than the bound; ``rest`` streams the remainder
    response: httpx.Response
    declared_length: bytes | None  # the upstream's Content-Length, passed on when streaming
    stream: AsyncIterator[bytes]  # the raw body iterator, where reading stopped

    async def rest(self) -> AsyncIterator[bytes]:
        """The body beyond what was read (nothing when complete); closes the upstream response."""
        try:
            if not self.complete:
                async for chunk in self.stream:
                    yield chunk
        except httpx.HTTPError as exc:
            raise failure_of(exc) from None
        finally:
            await self.response.aclose()


class Forwarder:
    """Sends requests to the upstream base URL over a pool of kept-alive connections."""

    def __init__(self, options: ProxyOptions) -> None:
        split = urlsplit(options.upstream)
        self.base = options.upstream
        self._prefix = split.path.rstrip("/")
        self._host = split.netloc.encode("latin-1")
        self._origin = f"{split.scheme}://{split.netloc}"
        self._timeouts = {
            "connect": options.connect_timeout,
            "read": options.timeout,
            "write": options.timeout,
            "pool": options.timeout,
        }
        self._limit = options.max_body_bytes
        self._transport = httpx.AsyncHTTPTransport(
            limits=httpx.Limits(
                max_connections=options.max_connections,
                max_keepalive_connections=options.max_connections,
                keepalive_expiry=30.0,
            ),
            retries=0,
        )

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

        A streamed body keeps the client's Content-Length (``length``) when it sent one; httpx sets it for bytes.
        """
        if length is not None and not isinstance(body, bytes):
            headers.append((b"content-length", length.encode("latin-1")))
        request = httpx.Request(
            method,
            self._origin + self._prefix + target,
            headers=headers,
            content=body or None,
            extensions={"timeout": self._timeouts},
        )
        try:
            response = await self._transport.handle_async_request(request)
        except httpx.HTTPError as exc:
            raise failure_of(exc) from None
        try:
            chunks: list[bytes] = []
            size = 0
            complete = True
            stream = response.aiter_raw()
            async for chunk in stream:
                chunks.append(chunk)
                size += len(chunk)
                if size > self._limit:
                    complete = False
                    break
        except httpx.HTTPError as exc:
            await response.aclose()
            raise failure_of(exc) from None
        except BaseException:
            await response.aclose()
            raise
        if complete:
            await response.aclose()
        raw = response.headers.raw
        named = _connection_tokens(raw)
        kept = [(k.lower(), v) for k, v in raw if k.lower() not in _DROPPED_BACK and k.lower() not in named]
        declared = next((v for k, v in raw if k.lower() == b"content-length"), None)
        return Answer(response.status_code, kept, b"".join(chunks), complete, response, declared, stream)

    async def aclose(self) -> None:
        """Close every pooled connection."""
        await self._transport.aclose()


def failure_of(exc: httpx.HTTPError) -> UpstreamFailure:
    """The 502 or 504 a transport error stands for, with a reason naming it."""
    detail = str(exc) or type(exc).__name__
    if isinstance(exc, httpx.TimeoutException):
        return UpstreamFailure(504, f"the upstream did not answer in time ({type(exc).__name__}: {detail})")
    if isinstance(exc, httpx.ConnectError):
        return UpstreamFailure(502, f"the upstream cannot be reached ({detail})")
    if isinstance(exc, httpx.RemoteProtocolError):
        return UpstreamFailure(502, f"the upstream broke the HTTP exchange ({detail})")
    return UpstreamFailure(502, f"the upstream failed ({type(exc).__name__}: {detail})")


def _connection_tokens(headers: Iterable[tuple[bytes, bytes]]) -> frozenset[bytes]:
    """Header names listed in ``Connection``: hop-by-hop for this one connection."""
    found = [v for k, v in headers if k.lower() == b"connection"]
    if not found:
        return frozenset()
    return frozenset(t.strip().lower() for v in found for t in v.split(b",") if t.strip())
