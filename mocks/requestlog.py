"""One log line per request: JSON on a non-terminal, a short text line on a terminal."""

from __future__ import annotations

import asyncio
import contextlib
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, TextIO

import orjson

from validator.problems import Problem

from .rejections import error_entries

if TYPE_CHECKING:
    from .interactions import ReplySource

FLUSH_SECONDS = 0.05
_MAX_PENDING = 512


class RequestLog:
    """Writes one line per request: method, path, status, violations, duration, request id.

    Lines are gathered and written at most every 50 ms (a write per request would cost the mock a
    tenth of its throughput under load).
    """

    def __init__(self, stream: TextIO | None = None, as_json: bool | None = None) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.as_json = (not _is_terminal(self.stream)) if as_json is None else as_json
        self._pending: list[str] = []
        self._scheduled = False

    def write(
        self,
        method: str,
        path: str,
        status: int,
        violations: Sequence[Problem],
        duration_ms: float,
        request_id: str,
        source: ReplySource,
        violations_json: bytes | None = None,
    ) -> None:
        """Log one request (``violations_json``: the violations already serialised as error entries)."""
        if self.as_json:
            line = orjson.dumps(
                {
                    "method": method,
                    "path": path,
                    "status": status,
                    "duration_ms": round(duration_ms, 3),
                    "request_id": request_id,
                    "response": source,
                    "violations": (
                        error_entries(violations) if violations_json is None else orjson.Fragment(violations_json)
                    ),
                }
            ).decode()
        else:
            line = f"{method} {path} -> {status} ({source}, {duration_ms:.1f} ms, id {request_id})"
            for p in violations:
                line += f"\n    {p.location or 'request'} {p.pointer or '/'}: {p.message}"
        self.append(line)

    def append(self, line: str) -> None:
        """Gather one ready-made line (written within 50 ms, or at once without an event loop)."""
        pending = self._pending
        pending.append(line)
        if len(pending) >= _MAX_PENDING:
            self.flush()
        elif not self._scheduled:
            try:
                asyncio.get_running_loop().call_later(FLUSH_SECONDS, self.flush)
                self._scheduled = True
            except RuntimeError:  # no event loop (a direct call): write now
                self.flush()

    def flush(self) -> None:
        """Write the gathered lines."""
        self._scheduled = False
        if not self._pending:
            return
        text = "\n".join(self._pending) + "\n"
        self._pending.clear()
        with contextlib.suppress(OSError, ValueError):  # a broken log stream must not break the mock
            self.stream.write(text)
            self.stream.flush()

    def note(self, message: str) -> None:
        """A line that is not about one request (start-up, warnings)."""
        line = orjson.dumps({"event": "mock", "message": message}).decode() if self.as_json else message
        self.flush()
        with contextlib.suppress(OSError, ValueError):
            self.stream.write(line + "\n")
            self.stream.flush()


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
