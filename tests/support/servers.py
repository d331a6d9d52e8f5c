"""Real servers for tests: a subprocess on 127.0.0.1 and a free port, stopped by its PID."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx

from tests.support.paths import ROOT

VENV_BIN = Path(sys.executable).parent


class Served(str):
    """The base URL of a served process (a ``str``), with the process's ``pid`` (to read its memory)."""

    pid: int

    def __new__(cls, base: str, pid: int) -> Served:
        served = super().__new__(cls, base)
        served.pid = pid
        return served


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serve(
    argv: Sequence[str],
    *,
    port: int | None = None,
    ready_path: str = "/",
    env: dict[str, str] | None = None,
    timeout: float = 30.0,
    cwd: Path | None = None,
    output: Path | None = None,
) -> Iterator[Served]:
    """Run ``argv`` (``{port}`` substituted) until it answers HTTP on ``ready_path``; yield its base URL (and pid).

    The process's stdout and stderr go to ``output`` when given (to inspect its logs), else a temporary file.
    """
    port = port or free_port()
    args = [a.replace("{port}", str(port)) for a in argv]
    log = output.open("w+b") if output is not None else tempfile.TemporaryFile()  # noqa: SIM115 -- closed in the finally below, after the server stops
    proc = subprocess.Popen(
        args,
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=cwd or ROOT,
        start_new_session=True,
        env={**os.environ, "NO_COLOR": "1", **(env or {})},
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                log.seek(0)
                raise RuntimeError(f"{args} exited with {proc.returncode}:\n{log.read().decode(errors='replace')}")
            try:
                httpx.get(base + ready_path, timeout=1.0)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{args} did not answer on {base} within {timeout}s") from None
                time.sleep(0.05)
        yield Served(base, proc.pid)
    finally:
        stop(proc)
        log.close()


def stop(proc: subprocess.Popen[bytes]) -> None:
    """Stop a server by its PID: SIGTERM, then SIGKILL after 10 seconds."""
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()


def contracts_cmd(*args: str) -> list[str]:
    """The argv of the project's own ``contracts`` command."""
    return [str(VENV_BIN / "contracts"), *args]


@contextmanager
def in_thread(handler: type[BaseHTTPRequestHandler]) -> Iterator[str]:
    """A small stdlib HTTP server answering with ``handler`` on 127.0.0.1, in a thread; yields its base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
