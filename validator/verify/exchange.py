"""What goes over the wire: one request, one response, and a ``curl`` that replays the request."""

from __future__ import annotations

import shlex
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..payload import PayloadError, parse_json

BODY_PREVIEW = 4096  # characters of a non-JSON body kept in a report


@dataclass(frozen=True, slots=True)
class WireRequest:
    """A request as sent: method, path with query string (relative to the base URL), headers, body."""

    method: str
    path: str
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes | None = None

    def header(self, name: str) -> str | None:
        """The value of a header (case-insensitive), or None."""
        wanted = name.lower()
        return next((v for k, v in self.headers if k.lower() == wanted), None)

    def url(self, base_url: str) -> str:
        """The absolute URL under ``base_url`` (which may carry a path prefix)."""
        return base_url.rstrip("/") + self.path

    def curl(self, base_url: str) -> str:
        """A one-line shell command that sends exactly this request."""
        parts = ["curl", "-sS", "-i", "-X", self.method]
        for key, value in self.headers:
            parts += ["-H", f"{key}: {value}"]
        if self.body is not None:
            text = self.body.decode("utf-8", errors="backslashreplace")
            parts += ["--data-binary", text]
        parts.append(self.url(base_url))
        return shlex.join(parts)

    def to_dict(self, base_url: str) -> dict[str, Any]:
        """JSON-ready form: method, url, headers, body (parsed when it is JSON)."""
        out: dict[str, Any] = {
            "method": self.method,
            "url": self.url(base_url),
            "headers": dict(self.headers),
        }
        if self.body is not None:
            out["body"] = _readable(self.body)
        return out


@dataclass(frozen=True, slots=True)
class WireResponse:
    """A response as received; header names in lower case; ``elapsed_ms`` is the round trip."""

    status: int
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""
    elapsed_ms: float = 0.0

    @property
    def content_type(self) -> str | None:
        """The Content-Type header, when sent."""
        return self.headers.get("content-type")

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form: status, headers, body (parsed when it is JSON), elapsed_ms."""
        out: dict[str, Any] = {"status": self.status, "headers": dict(self.headers)}
        if self.body:
            out["body"] = _readable(self.body)
        out["elapsed_ms"] = round(self.elapsed_ms, 2)
        return out


def _readable(body: bytes) -> Any:
    try:
        return parse_json(body)
    except PayloadError:
        text = body.decode("utf-8", errors="backslashreplace")
        return text if len(text) <= BODY_PREVIEW else text[:BODY_PREVIEW] + "…"
