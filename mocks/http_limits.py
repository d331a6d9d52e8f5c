"""What a client may send our HTTP servers, and how slowly: one set of limits for `mock`, `serve` and `proxy`.

Past a limit the client gets the status HTTP names for it: 431 (head too large or too many fields),
408 (head or body not received in time), 503 with ``Retry-After`` (too many connections). Requests
pipelined past ``max_pipelined`` are not refused: they wait unread, so memory stays bounded.
"""

from __future__ import annotations

import resource
from dataclasses import dataclass, field, fields, replace
from typing import Any

from validator.errors import UsageError

# Set in a request's scope["state"] when the server gave up waiting for its body (the client got 408): the app
# sees http.disconnect and can account the request as timed out rather than failed.
READ_TIMED_OUT = "contracts.read_timed_out"

# File descriptors kept back from the connection cap for the process's own files, sockets and database.
_RESERVED_FDS = 64


def default_max_connections() -> int:
    """1000, or fewer when the process may not open that many files (each connection is one)."""
    soft, _hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY:
        return 1000
    return max(16, min(1000, soft - _RESERVED_FDS))


@dataclass(frozen=True, slots=True)
class HttpLimits:
    """Per server process; the defaults let every well-behaved client through and stop slow or bulky ones."""

    max_header_bytes: int = 32 * 1024  # request line and header fields together (nginx allows 4 x 8 KiB)
    max_headers: int = 100  # header fields (Apache's LimitRequestFields)
    header_timeout: float = 10.0  # seconds from a connection's start, or a request's first byte, to its last header
    body_timeout: float = 30.0  # seconds from the head to the end of the body, while the server reads it
    max_connections: int = field(default_factory=default_max_connections)  # open at once, per process
    max_pipelined: int = 8  # requests read ahead of the one being answered

    @classmethod
    def given(cls, **values: Any) -> HttpLimits:
        """The limits with those given (not None) replacing the defaults."""
        return replace(cls(), **{name: value for name, value in values.items() if value is not None})

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if not value > 0:
                flag = "--" + f.name.replace("_", "-")
                raise UsageError(f"{flag} must be positive, not {value}", hint=f"the default is {_default(f.name)}")


def _default(name: str) -> object:
    return getattr(HttpLimits(), name)
