"""One log line per request: JSON on a non-terminal, a short text line on a terminal."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Sequence
from typing import Any, TextIO

import orjson

from validator.problems import Problem


class RequestLog:
    """Writes one line per request: method, path, status, violations, duration, request id."""

    def __init__(self, stream: TextIO | None = None, as_json: bool | None = None) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.as_json = (not _is_terminal(self.stream)) if as_json is None else as_json

    def write(self, method: str, path: str, status: int, violations: Sequence[Problem], duration_ms: float,
              request_id: str, source: str, **extra: Any) -> None:
        """Log one request."""
        if self.as_json:
            record: dict[str, Any] = {
                "method": method, "path": path, "status": status, "duration_ms": round(duration_ms, 3),
                "request_id": request_id, "response": source,
                "violations": [{"pointer": p.pointer, "location": p.location, "message": p.message}
                               for p in violations],
            }
            record.update(extra)
            line = orjson.dumps(record).decode()
        else:
            line = f"{method} {path} -> {status} ({source}, {duration_ms:.1f} ms, id {request_id})"
            for p in violations:
                line += f"\n    {p.location or 'request'} {p.pointer or '/'}: {p.message}"
            for key, value in extra.items():
                line += f"  {key}={value}"
        with contextlib.suppress(OSError, ValueError):  # a broken log stream must not break the mock
            self.stream.write(line + "\n")

    def note(self, message: str) -> None:
        """A line that is not about one request (start-up, warnings)."""
        line = orjson.dumps({"event": "mock", "message": message}).decode() if self.as_json else message
        with contextlib.suppress(OSError, ValueError):
            self.stream.write(line + "\n")
            self.stream.flush()


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
