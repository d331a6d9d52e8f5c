"""Servers for the proxy tests: the reference service and its variants upstream, the proxy in front."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, NamedTuple

import pytest

from tests.support.servers import contracts_cmd, serve
from tests.verify.conftest import reference_url, variants_url

__all__ = ["reference_url", "variants_url"]

CONTRACT = "recommendation-api@1.1.0"


@contextmanager
def running_proxy(upstream: str, *args: str, log: Path | None = None, contract: str = CONTRACT) -> Iterator[str]:
    """``contracts proxy`` in front of ``upstream`` until the block ends; yields its base URL."""
    argv = contracts_cmd("proxy", contract, "--upstream", upstream, "--port", "{port}", *args)
    with serve(argv, ready_path="/__proxy/health", output=log) as base:
        yield base


@pytest.fixture
def proxy_log(tmp_path: Path) -> Path:
    """Where a proxy started by a test writes its log lines."""
    return tmp_path / "proxy.log"


Answer = Callable[[str, bytes], tuple[int, Any, dict[str, str]]]  # (path, body) -> status, JSON (or bytes), headers


class Received(NamedTuple):
    """A request as the upstream received it (header names in lower case)."""

    path: str
    body: bytes
    headers: list[tuple[str, str]]


@contextmanager
def json_upstream(answer: Answer) -> Iterator[tuple[str, list[Received]]]:
    """A small HTTP upstream on 127.0.0.1 answering POSTs with ``answer``; yields its URL and what it received."""
    seen: list[Received] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("content-length") or 0)
            body = self.rfile.read(length) if length else b""
            seen.append(Received(self.path, body, [(k.lower(), v) for k, v in self.headers.items()]))
            status, value, headers = answer(self.path, body)
            payload = value if isinstance(value, bytes) else json.dumps(value).encode()  # bytes: sent as they are
            self.send_response(status)
            self.send_header("content-type", "application/json")
            for key, text in headers.items():
                self.send_header(key, text)
            self.send_header("content-length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", seen
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
