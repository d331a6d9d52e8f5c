"""Everything ``contracts proxy`` can be told besides the contract: one place for its settings."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, TextIO
from urllib.parse import urlsplit

from mocks.options import DEFAULT_MAX_BODY_BYTES
from validator.errors import UsageError
from validator.verify.recording import DEFAULT_BODY_BYTES

Mode = Literal["report", "enforce"]
MODES: tuple[Mode, ...] = ("report", "enforce")


@dataclass(frozen=True, slots=True)
class ProxyOptions:
    """How the proxy forwards, checks, logs and records."""

    upstream: str
    mode: Mode = "report"
    connect_timeout: float = 5.0  # seconds to open a connection upstream; past it: 504
    timeout: float = 30.0  # seconds to wait for the upstream's answer (each read); past it: 504
    max_connections: int = 256  # upstream connection pool (kept alive between requests)
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES  # bodies checked in full; larger ones stream unchecked
    record: Path | None = None
    record_body_bytes: int = DEFAULT_BODY_BYTES
    redact: frozenset[str] = field(default_factory=frozenset)  # lower-case header/query names never written
    log_stream: TextIO | None = None  # where exchange lines go; None: stderr
    latency_samples: int = 10_000  # upstream times kept per operation for the x-slo verdict
    samples_per_check: int = 1  # sample exchanges kept per operation and check


def check_upstream(url: str) -> str:
    """``--upstream``: an absolute http(s) URL, without query or fragment; returned without a trailing slash."""
    split = urlsplit(url)
    if split.scheme not in ("http", "https") or not split.netloc or split.query or split.fragment:
        raise UsageError(
            f"--upstream {url!r} is not an http(s) base URL",
            hint="e.g. --upstream http://127.0.0.1:8001 (a path prefix is allowed)",
        )
    if "@" in split.netloc:  # the URL is shown in the log and the report: no credentials in it
        shown = f"{split.scheme}://{split.netloc.rpartition('@')[2]}{split.path}"
        raise UsageError(
            f"--upstream {shown!r} carries credentials (user:password@), which the proxy would show in its report",
            hint="give the URL without them; the callers' own Authorization headers are forwarded",
        )
    return url.rstrip("/")


def check_mode(mode: str) -> Mode:
    """``--mode``: report or enforce."""
    for known in MODES:
        if mode == known:
            return known
    raise UsageError(f"--mode {mode!r} is not known", hint="report (forward and record) or enforce (block)")


def check_positive(name: str, value: float) -> float:
    """A timeout or size that must be above zero."""
    if value <= 0:
        raise UsageError(f"{name} must be positive, got {value:g}")
    return value
