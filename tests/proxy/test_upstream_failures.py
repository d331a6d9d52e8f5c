"""An upstream that is down, slow, closes mid-body or answers garbage: a clean 502/504, every exchange logged."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, ExitStack, contextmanager
from pathlib import Path

import httpx
import pytest

from tests.proxy.conftest import running_proxy
from tests.support.servers import free_port

Behaviour = Callable[[socket.socket], None]


def _garbage(conn: socket.socket) -> None:
    conn.sendall(b"this is not HTTP at all\r\n\r\n")


def _mid_body(conn: socket.socket) -> None:
    conn.sendall(b'HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 500\r\n\r\n{"model_version":')


def _switches_protocols(conn: socket.socket) -> None:
    conn.sendall(b"HTTP/1.1 101 Switching Protocols\r\nconnection: upgrade\r\nupgrade: websocket\r\n\r\n")


def _slow(conn: socket.socket) -> None:
    time.sleep(3)


def _slow_body(conn: socket.socket) -> None:
    conn.sendall(b'HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{"model')
    time.sleep(3)


@contextmanager
def _raw_upstream(behaviour: Behaviour) -> Iterator[str]:
    """A TCP server on 127.0.0.1 that reads a request head, then does ``behaviour`` and closes."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    listener.settimeout(0.1)
    done = threading.Event()

    def handle(conn: socket.socket) -> None:
        with conn:
            conn.settimeout(5)
            data = b""
            try:
                while b"\r\n\r\n" not in data:
                    chunk = conn.recv(65536)
                    if not chunk:
                        return
                    data += chunk
                behaviour(conn)
            except OSError:
                return

    def accept() -> None:
        while not done.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            threading.Thread(target=handle, args=(conn,), daemon=True).start()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        done.set()
        thread.join(timeout=5)
        listener.close()


@contextmanager
def _down() -> Iterator[str]:
    yield f"http://127.0.0.1:{free_port()}"  # nothing listens there


CASES: dict[str, tuple[Callable[[], AbstractContextManager[str]], int, str]] = {
    "down": (_down, 502, "cannot be reached"),
    "garbage": (lambda: _raw_upstream(_garbage), 502, "broke the HTTP exchange"),
    "closes-mid-body": (lambda: _raw_upstream(_mid_body), 502, "broke the HTTP exchange"),
    "switches-protocols": (lambda: _raw_upstream(_switches_protocols), 502, "switched protocols"),
    "slow": (lambda: _raw_upstream(_slow), 504, "did not answer in time"),
    "slow-body": (lambda: _raw_upstream(_slow_body), 504, "did not answer in time"),
}
REQUESTS = 4


@pytest.mark.parametrize("kind", sorted(CASES))
def test_a_failing_upstream_is_a_clean_gateway_error_and_nothing_is_lost(kind: str, tmp_path: Path) -> None:
    make, status, reason = CASES[kind]
    log, record = tmp_path / "proxy.log", tmp_path / "record.ndjson"
    body = {"customer_id": "C0001234", "context": {"channel": "web"}, "n": 3}
    with ExitStack() as stack:
        upstream = stack.enter_context(make())
        base = stack.enter_context(running_proxy(upstream, "--timeout", "1", "--record", str(record), log=log))
        for _ in range(REQUESTS):
            answer = httpx.post(f"{base}/v1/recommendations", json=body, timeout=10)
            assert answer.status_code == status
            assert answer.headers["content-type"] == "application/problem+json"
            problem = answer.json()
            assert problem["status"] == status and reason in problem["detail"]
        report = httpx.get(f"{base}/__proxy/report").json()
        assert report["upstream_failures"] == {str(status): REQUESTS}
    # After the proxy stopped: one log line and one recording line per exchange, none lost.
    lines = [json.loads(x) for x in log.read_text().splitlines() if x.startswith("{")]
    exchanges = [x for x in lines if x.get("action") == "upstream-error"]
    assert len(exchanges) == REQUESTS
    assert all(x["status"] == status and reason in x["error"] and x["upstream_ms"] is not None for x in exchanges)
    recorded = [json.loads(x) for x in record.read_text().splitlines()]
    assert len(recorded) == REQUESTS
    assert all(r["answered_by"] == "proxy" and r["response"] is None and reason in r["error"] for r in recorded)
    assert all(json.loads(r["request"]["body"]) == body for r in recorded)
