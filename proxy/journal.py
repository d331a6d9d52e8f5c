"""One JSON log line per exchange, and the ``--record`` file: both written in batches, both flushed at shutdown."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

import orjson

from mocks.requestlog import RequestLog
from validator.errors import UsageError
from validator.verify.exchange import WireRequest, WireResponse
from validator.verify.recording import kept_headers, record_line

from .checking import Finding
from .options import ProxyOptions

_ORIGINAL_BODY = 4096  # characters of a replaced upstream body kept in the log line


def now() -> str:
    """The current time, UTC, milliseconds (as every line carries it)."""
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class Journal:
    """Writes exchange lines to the log stream and, with ``--record``, exchanges to the recording."""

    def __init__(self, options: ProxyOptions, redact: frozenset[str] | None = None) -> None:
        self.log = RequestLog(options.log_stream, as_json=True)
        self.redact = options.redact if redact is None else redact  # lower-case header names never written
        self.body_limit = options.record_body_bytes
        self._file: IO[str] | None = None
        self.recording: RequestLog | None = None
        if options.record is not None:
            try:
                self._file = options.record.open("a", encoding="utf-8")
            except OSError as exc:
                raise UsageError(
                    f"cannot write --record {str(options.record)!r}: {exc.strerror}",
                    hint="give a file path in an existing, writable folder",
                ) from None
            self.recording = RequestLog(self._file, as_json=True)

    def exchange(
        self,
        *,
        time: str,
        method: str,
        path: str,
        operation: str | None,
        status: int,
        action: str,
        findings: Sequence[Finding],
        upstream: WireResponse | None,
        upstream_ms: float | None,
        proxy_ms: float,
        request_id: str | None,
        error: str | None = None,
        replaced: bool = False,
        unchecked: str | None = None,
    ) -> None:
        """Log one exchange: what was done, every violation, the times; a replaced answer is kept in full."""
        line: dict[str, Any] = {
            "time": time,
            "method": method,
            "path": path,
            "operation": operation,
            "status": status,
            "upstream_status": upstream.status if upstream is not None else None,
            "action": action,
            "violations": [
                {"direction": f.direction, "check": f.check, "pointer": f.problem.pointer, "message": f.problem.message}
                for f in findings
            ],
            "upstream_ms": round(upstream_ms, 3) if upstream_ms is not None else None,
            "proxy_ms": round(proxy_ms, 3),
            "request_id": request_id,
        }
        if error is not None:
            line["error"] = error
        if unchecked is not None:
            line["unchecked"] = unchecked  # why the answer was passed on without being checked
        if replaced and upstream is not None:
            text = upstream.body.decode("utf-8", errors="backslashreplace")
            line["original"] = {
                "status": upstream.status,
                "headers": dict(kept_headers(upstream.headers.items(), self.redact)),
                "body": text if len(text) <= _ORIGINAL_BODY else text[:_ORIGINAL_BODY] + "…",
            }
        self.log.append(orjson.dumps(line).decode())

    def record(
        self,
        *,
        time: str,
        operation: str | None,
        answered_by: str,
        request: WireRequest,
        response: WireResponse | None,
        error: str | None = None,
    ) -> None:
        """Append the exchange to the recording, when one is kept."""
        if self.recording is None:
            return
        line = record_line(
            time=time,
            operation=operation,
            answered_by=answered_by,
            method=request.method,
            path=request.path,
            request_headers=request.headers,
            request_body=request.body or b"",
            response=response,
            redact=self.redact,
            body_limit=self.body_limit,
            error=error,
        )
        self.recording.append(line.decode())

    def note(self, message: str) -> None:
        """A line that is not about one exchange (start-up, warnings)."""
        self.log.append(orjson.dumps({"event": "proxy", "time": now(), "message": message}).decode())
        self.log.flush()

    def flush(self) -> None:
        """Write everything gathered (called at shutdown: nothing is lost)."""
        self.log.flush()
        if self.recording is not None:
            self.recording.flush()

    def close(self) -> None:
        """Flush, then close the recording file."""
        self.flush()
        if self._file is not None:
            self._file.close()
            self._file = None


def record_path(path: Path | None) -> Path | None:
    """``--record``: refuse a folder or a missing parent before the proxy starts."""
    if path is None:
        return None
    if path.is_dir() or not path.parent.is_dir():
        raise UsageError(
            f"cannot write --record {str(path)!r}: "
            + ("it is a folder" if path.is_dir() else f"folder {str(path.parent)!r} does not exist"),
            hint="give a file path in an existing folder, e.g. --record traffic.ndjson",
        )
    return path
