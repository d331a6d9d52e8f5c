"""Running a mock with uvicorn on a socket bound here, so a busy port is a clear error, not a traceback."""

from __future__ import annotations

import gc
import socket
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import uvicorn

from validator.contract import Contract
from validator.errors import ContractsError, UsageError

from ._protocol import LimitedConfig
from .app import MockApp, create_app
from .http_limits import HttpLimits
from .options import MockOptions
from .watch import Reloading, start_watching


def bind(host: str, port: int) -> socket.socket:
    """A listening TCP socket on ``host:port``; UsageError (exit 2) when that is impossible."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise UsageError(f"cannot resolve host {host!r}: {exc.strerror}", hint="e.g. --host 127.0.0.1") from None
    family, kind, proto, _, address = infos[0]
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(address)
        sock.listen(2048)
    except OSError as exc:
        sock.close()
        raise UsageError(
            f"cannot listen on {host}:{port}: {exc.strerror}",
            hint="choose another --port, or stop what is using this one",
        ) from None
    sock.set_inheritable(True)
    return sock


def listening_url(host: str, sock: socket.socket) -> str:
    """``http://HOST:PORT`` of a socket ``bind`` opened (an IPv6 host in brackets, the port it got)."""
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{sock.getsockname()[1]}"


def server_config(app: Any, limits: HttpLimits | None = None, **overrides: Any) -> LimitedConfig:
    """The uvicorn settings of our servers (mock, service, proxy): one place, so limits land everywhere at once.

    ``app`` is an ASGI app or an import string (with ``factory=True`` for a factory, as worker processes need).
    """
    settings: dict[str, Any] = {
        "log_level": "warning",
        "access_log": False,
        "server_header": False,
        "lifespan": "off",
        "timeout_graceful_shutdown": 5,
    }
    settings.update(overrides)
    return LimitedConfig(app, limits or HttpLimits(), **settings)


def linted_builder(folder: Path, options: MockOptions | None) -> Callable[[], MockApp]:
    """Builds the mock of the version folder anew; ContractsError when it no longer lints or loads."""

    def build() -> MockApp:
        from validator.lint import lint_paths
        from validator.loader import load

        report = lint_paths([str(folder)], folder.parent.parent)
        if not report.ok:
            first = report.problems[0]
            where = f"{first.file}:{first.line}" if first.file and first.line else first.file or str(folder)
            raise ContractsError(
                f"the new version does not lint ({len(report.problems)} problem(s)); "
                f"first: {where} {first.pointer}: {first.message}"
            )
        return create_app(load(str(folder)), options)

    return build


def run(
    contract: Contract,
    host: str,
    port: int,
    options: MockOptions | None = None,
    *,
    watch: bool = False,
    limits: HttpLimits | None = None,
) -> None:
    """Serve the mock of ``contract`` until stopped (SIGINT or SIGTERM); with ``watch``, reload on change."""
    started = time.perf_counter()
    app = create_app(contract, options)
    served: MockApp | Reloading = app
    stop_watching: Callable[[], None] | None = None
    if watch:
        holder = Reloading(app)
        stop_watching = start_watching(holder, Path(contract.folder), linted_builder(Path(contract.folder), options))
        served = holder
    sock = bind(host, port)
    app.log.note(
        f"mock of {contract.name}@{contract.version} on {listening_url(host, sock)} "
        f"({len(contract.operations)} operations; docs at /__mock/docs; "
        f"{'watching ' + contract.folder + '; ' if watch else ''}"
        f"ready in {(time.perf_counter() - started) * 1000:.0f} ms)"
    )
    server = uvicorn.Server(server_config(served, limits))
    gc.collect()
    gc.freeze()  # the contract and compiled schemas live forever: keep them out of every collection
    try:
        server.run(sockets=[sock])
    finally:
        if stop_watching is not None:
            stop_watching()
        (served.app if isinstance(served, Reloading) else app).log.flush()
        sock.close()
    sys.stderr.flush()
