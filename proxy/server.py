"""Running the proxy with uvicorn, on the same socket binding and server settings as the mock."""

from __future__ import annotations

import asyncio
import gc
import sys
import time

import uvicorn

from mocks.server import bind, listening_url, server_config
from validator.contract import Contract

from .app import create_app
from .options import ProxyOptions


def run(contract: Contract, host: str, port: int, options: ProxyOptions) -> None:
    """Serve the proxy of ``contract`` in front of ``options.upstream`` until stopped (SIGINT or SIGTERM)."""
    started = time.perf_counter()
    app = create_app(contract, options)
    sock = bind(host, port)
    app.journal.note(
        f"{options.mode} proxy of {contract.name}@{contract.version} on {listening_url(host, sock)} -> "
        f"{options.upstream} ({len(contract.operations)} operations; /__proxy/report, /__proxy/metrics; "
        f"ready in {(time.perf_counter() - started) * 1000:.0f} ms)"
    )
    # The upstream's own Date and Server headers pass through; the proxy adds none of its own.
    # The peer address is the caller's, not one its X-Forwarded-For claims: the proxy appends to that header.
    server = uvicorn.Server(server_config(app, lifespan="on", date_header=False, proxy_headers=False))
    gc.collect()
    gc.freeze()  # the contract and compiled schemas live forever: keep them out of every collection
    try:
        server.run(sockets=[sock])
    finally:
        if app.journal.recording is not None or app.journal.log._pending:
            try:
                asyncio.run(app.aclose())
            except RuntimeError:
                app.journal.close()
        sock.close()
    sys.stderr.flush()
