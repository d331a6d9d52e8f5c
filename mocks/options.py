"""How a mock behaves beyond the contract: body limit, latency, injected errors, leniency, CORS origins."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TextIO

from validator.errors import UsageError

DEFAULT_MAX_BODY_BYTES = 1024 * 1024


@dataclass(frozen=True, slots=True)
class Latency:
    """Simulated latency: a fixed or ``MIN-MAX`` range in milliseconds, or each operation's ``x-slo``."""

    low_ms: float = 0.0
    high_ms: float = 0.0
    from_slo: bool = False


@dataclass(frozen=True, slots=True)
class MockOptions:
    """Everything ``contracts mock`` can be told besides the contract."""

    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    latency: Latency | None = None
    error_rate: float = 0.0
    lenient: bool = False  # violations (and missing credentials) are logged, not answered with 4xx/401
    cors_origins: tuple[str, ...] = ()  # origins that may call the mock from a browser; "*" for any
    log_stream: TextIO | None = None  # where request log lines go; None: stderr
    log_json: bool | None = None  # None: JSON unless the stream is a terminal


_RANGE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(?:-\s*(\d+(?:\.\d+)?))?\s*(?:ms)?\s*$")


def parse_latency(text: str | None) -> Latency | None:
    """``--latency``: ``MS``, ``MIN-MAX`` or ``slo``; ``None``/``0`` means no simulated latency."""
    if text is None or not text.strip():
        return None
    if text.strip().lower() == "slo":
        return Latency(from_slo=True)
    found = _RANGE.match(text)
    if found is None:
        raise UsageError(
            f"--latency {text!r} is not understood",
            hint="give milliseconds (150), a range (50-200) or 'slo' (each operation's x-slo)",
        )
    low = float(found.group(1))
    high = float(found.group(2)) if found.group(2) is not None else low
    if high < low:
        raise UsageError(f"--latency {text!r}: the maximum is below the minimum", hint="write MIN-MAX, e.g. 50-200")
    return None if high == 0 else Latency(low, high)


def check_error_rate(rate: float) -> float:
    """``--error-rate``: a probability between 0 and 1."""
    if not 0.0 <= rate <= 1.0:
        raise UsageError(f"--error-rate {rate} is outside 0..1", hint="e.g. --error-rate 0.05 for 5% of requests")
    return rate


def check_max_body(size: int) -> int:
    """``--max-body-bytes``: a positive size."""
    if size < 1:
        raise UsageError(f"--max-body-bytes {size} must be positive", hint="the default is 1048576 (1 MiB)")
    return size
