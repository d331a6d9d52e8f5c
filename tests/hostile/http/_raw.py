"""A raw TCP client: what an HTTP library will not do (trickle a head, stop mid-body, pipeline without reading)."""

from __future__ import annotations

import re
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx

from .conftest import Server

_STATUS = re.compile(rb"HTTP/1\.1 (\d{3}) ")  # answers follow each other with no line break


@contextmanager
def connection(server: Server, timeout: float = 10.0) -> Iterator[socket.socket]:
    """A TCP connection to the server, closed at the end."""
    sock = socket.create_connection(("127.0.0.1", server.port), timeout=timeout)
    try:
        yield sock
    finally:
        sock.close()


def request(method: str, path: str, body: bytes = b"", headers: dict[str, str] | None = None) -> bytes:
    """The bytes of one HTTP/1.1 request (Host and, with a body, Content-Length and JSON type included)."""
    lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1"]
    if body:
        lines += ["Content-Type: application/json", f"Content-Length: {len(body)}"]
    lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def read_until_closed(sock: socket.socket, limit: float) -> tuple[bytes, float]:
    """Everything the server sends until it closes the connection (or ``limit`` seconds), and how long it took."""
    sock.settimeout(limit)
    start = time.monotonic()
    out = b""
    try:
        while chunk := sock.recv(65536):
            out += chunk
    except TimeoutError:
        pass
    except ConnectionResetError:
        pass  # the answer may have come before the reset; what was read is returned
    return out, time.monotonic() - start


def statuses(raw: bytes) -> list[int]:
    """The status codes of the responses in ``raw``, in order."""
    return [int(code) for code in _STATUS.findall(raw)]


def healthy(server: Server) -> bool:
    """Whether the server answers its health check within two seconds, on a connection of its own."""
    return httpx.get(server.base + server.health, timeout=2.0).status_code == 200
