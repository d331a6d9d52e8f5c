"""Operations: Prometheus metrics (one registry per app), structured JSON logs, request accounting.

With several worker processes (``contracts serve --workers N``) the metrics live in files the workers
share (prometheus_client's multiprocess mode, :func:`share_metrics`), so the ``/metrics`` of whichever
worker answers counts every worker's requests.
"""

from __future__ import annotations

import json
import logging
import os
import time
from datetime import UTC, datetime
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest, multiprocess, values
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mocks.http_limits import READ_TIMED_OUT

MULTIPROCESS_DIR = "PROMETHEUS_MULTIPROC_DIR"  # prometheus_client's own variable
CLIENT_CLOSED = 499  # the status recorded (never sent) for a request whose client left before its answer
_RESERVED = set(logging.LogRecord("", 0, "", 0, "", (), None).__dict__) | {"message", "asctime"}


def share_metrics(folder: str) -> None:
    """Have this process, and every worker started from it, keep its metrics in files under ``folder``."""
    os.environ[MULTIPROCESS_DIR] = folder
    # prometheus_client picks where values live when it is imported, before the variable was set here.
    values.ValueClass = values.get_value_class()  # type: ignore[no-untyped-call]


class Metrics:
    """The service's metrics, on a registry of its own (several apps may live in one process)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.requests = Counter(
            "contracts_http_requests",
            "HTTP requests by route, method and status",
            ["route", "method", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "contracts_http_request_duration_seconds",
            "HTTP request duration by route",
            ["route"],
            registry=self.registry,
        )
        self.validations = Counter(
            "contracts_validations",
            "Validation outcomes by contract and operation",
            ["contract", "operation", "outcome"],
            registry=self.registry,
        )
        self.mock_requests = Counter(
            "contracts_mock_requests",
            "Hosted mock traffic by contract and status",
            ["contract", "status"],
            registry=self.registry,
        )

    def exposition(self) -> bytes:
        """The Prometheus text of this app, or of every worker when they share their metrics."""
        if MULTIPROCESS_DIR in os.environ:
            every_worker = CollectorRegistry()
            multiprocess.MultiProcessCollector(every_worker)  # type: ignore[no-untyped-call]
            return generate_latest(every_worker)
        return generate_latest(self.registry)


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message and any ``extra`` fields."""

    def format(self, record: logging.LogRecord) -> str:
        """Render a record as JSON."""
        out: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "pid": record.process,  # which worker, when there are several
            "message": record.getMessage(),
        }
        out.update({k: v for k, v in record.__dict__.items() if k not in _RESERVED and not k.startswith("_")})
        if record.exc_info:
            out["exception"] = self.formatException(record.exc_info)
        return json.dumps(out, default=str)


def log_config(level: str) -> dict[str, Any]:
    """A logging configuration (for uvicorn too) writing JSON lines to stderr."""
    handler = {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": JsonFormatter}},
        "handlers": {"default": handler},
        "loggers": {
            "contracts": {"handlers": ["default"], "level": level.upper(), "propagate": False},
            "uvicorn": {"handlers": ["default"], "level": level.upper(), "propagate": False},
            # The service logs each request itself (without headers, so never a token).
            "uvicorn.access": {"handlers": [], "level": "WARNING", "propagate": False},
        },
    }


class StatusRecorder:
    """Wraps an exchange's ``receive`` and ``send``: the status answered, or why there was none.

    A client that left before its answer (or whose body did not arrive in time: the server answered it
    408 itself) is not a server error: it counts as 499 (nginx's "client closed request") or 408.
    """

    def __init__(self, scope: Scope, receive: Receive, send: Send) -> None:
        self._scope = scope
        self._receive = receive
        self._send = send
        self._sent: int | None = None
        self._client_left = False

    async def receive(self) -> Message:
        """Pass a message on, noting a disconnect."""
        message = await self._receive()
        if message["type"] == "http.disconnect":
            self._client_left = True
        return message

    async def send(self, message: Message) -> None:
        """Pass a message on, noting the status."""
        if message["type"] == "http.response.start":
            self._sent = int(message["status"])
        await self._send(message)

    @property
    def status(self) -> int:
        """The status sent; 408 or 499 when the client left first; 500 when nothing was sent for no reason."""
        if self._client_left and (self._sent is None or self._sent == CLIENT_CLOSED):
            return 408 if self._scope.get("state", {}).get(READ_TIMED_OUT) else CLIENT_CLOSED
        return 500 if self._sent is None else self._sent


class AccessLog:
    """ASGI middleware: count and time every request by route template, and log it as JSON."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics
        self.log = logging.getLogger("contracts.access")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        recorder = StatusRecorder(scope, receive, send)
        try:
            await self.app(scope, recorder.receive, recorder.send)
        finally:
            status = recorder.status
            elapsed = time.perf_counter() - start
            route = _route_of(scope)
            self.metrics.requests.labels(route, scope["method"], str(status)).inc()
            self.metrics.latency.labels(route).observe(elapsed)
            self.log.info(
                "request",
                extra={
                    "method": scope["method"],
                    "path": scope["path"],
                    "route": route,
                    "status": status,
                    "duration_ms": round(elapsed * 1000, 2),
                },
            )


def _route_of(scope: Scope) -> str:
    """The matched route template (bounded label values), never the raw path."""
    route = scope.get("route")
    path = getattr(route, "path", None)
    if isinstance(path, str):
        return path
    if str(scope.get("path", "")).startswith("/mocks/"):
        return "/mocks/{name}/{version}/{path}"
    return "unmatched"
