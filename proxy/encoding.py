"""Compressed bodies (``Content-Encoding``) decoded for checking, never for passing on, and bounded.

The proxy passes every body on exactly as it came; only a copy is decoded, because the contract
describes the decoded payload. Decoding stops once the output passes the bound, so a few kilobytes
that inflate to gigabytes (a decompression bomb) cost no more than the bound in memory and time.
"""

from __future__ import annotations

import zlib
from typing import Literal

import brotli

_IDENTITY = frozenset({"", "identity"})
_STEP = 65536  # compressed bytes fed to a decoder at a time


Why = Literal["unknown", "broken", "too-large"]


class EncodingError(Exception):
    """The body cannot be checked: an ``unknown`` coding, ``broken`` (not what its Content-Encoding says),
    or ``too-large`` once decoded."""

    def __init__(self, reason: str, why: Why) -> None:
        super().__init__(reason)
        self.reason = reason
        self.why = why


def is_encoded(content_encoding: str | None) -> bool:
    """Whether a Content-Encoding value names any coding besides identity."""
    return content_encoding is not None and content_encoding.strip().lower() not in _IDENTITY


def decode(body: bytes, content_encoding: str, limit: int) -> bytes:
    """``body`` with every coding of ``content_encoding`` undone (the last applied first), at most ``limit`` bytes.

    :class:`EncodingError` when a coding is unknown, the body is corrupt or cut short, or the
    decoded body is larger than ``limit``.
    """
    codings = [c.strip().lower() for c in content_encoding.split(",")]
    for coding in reversed(codings):
        if coding in _IDENTITY:
            continue
        if coding in ("gzip", "x-gzip"):
            body = _zlib(body, 16 + zlib.MAX_WBITS, coding, limit)
        elif coding == "deflate":
            # RFC 9110 deflate is zlib-wrapped; some servers send the raw stream: accept both.
            try:
                body = _zlib(body, zlib.MAX_WBITS, coding, limit)
            except EncodingError as exc:
                if exc.why != "broken":
                    raise
                body = _zlib(body, -zlib.MAX_WBITS, coding, limit)
        elif coding == "br":
            body = _brotli(body, limit)
        else:
            known = "gzip, deflate, br"
            raise EncodingError(f"Content-Encoding {coding!r} is not one the proxy decodes ({known})", "unknown")
    return body


def _too_large(coding: str, limit: int) -> EncodingError:
    return EncodingError(f"the body is larger than {limit} bytes once {coding} is decoded", "too-large")


def _zlib(body: bytes, wbits: int, coding: str, limit: int) -> bytes:
    out: list[bytes] = []
    size = 0
    rest = body
    while True:  # gzip allows several members one after another
        decoder = zlib.decompressobj(wbits)
        try:
            chunk = decoder.decompress(rest, limit + 1 - size)
        except zlib.error as exc:
            raise EncodingError(f"the body is not valid {coding} ({exc})", "broken") from None
        size += len(chunk)
        out.append(chunk)
        if size > limit or decoder.unconsumed_tail:
            raise _too_large(coding, limit)
        if not decoder.eof:
            raise EncodingError(f"the {coding} body is cut short", "broken")
        rest = decoder.unused_data
        if not rest or wbits != 16 + zlib.MAX_WBITS:
            if rest:
                raise EncodingError(f"the {coding} body has {len(rest)} bytes after its end", "broken")
            return b"".join(out)


def _brotli(body: bytes, limit: int) -> bytes:
    decoder = brotli.Decompressor()
    out: list[bytes] = []
    size = 0
    view = memoryview(body)
    position = 0
    try:
        while True:
            if decoder.can_accept_more_data() and position < len(view):
                step = view[position : position + _STEP]
                position += len(step)
            else:
                step = memoryview(b"")
            chunk = decoder.process(step, output_buffer_limit=limit + 1 - size)
            size += len(chunk)
            out.append(chunk)
            if size > limit:
                raise _too_large("br", limit)
            if decoder.is_finished():
                break
            if not chunk and position >= len(view) and decoder.can_accept_more_data():
                raise EncodingError("the br body is cut short", "broken")
    except brotli.error as exc:
        raise EncodingError(f"the body is not valid br ({exc})", "broken") from None
    if position < len(view):
        raise EncodingError(f"the br body has {len(view) - position} bytes after its end", "broken")
    return b"".join(out)
