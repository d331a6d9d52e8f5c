"""The proxy's upstream connections (aiohttp's pool): kept alive and reused, every framing HTTP/1.1 allows
read right (chunked, delimited by the close, after an interim answer, a HEAD's bodiless answer), and a
request whose kept-alive connection the upstream dropped unanswered sent again once if idempotent only."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from tests.proxy.conftest import running_proxy

# (connection number, request number on that connection, request line) -> the bytes to answer, or None to
# close the connection without answering.
Script = Callable[[int, int, str], bytes | None]
MODEL = {"model_version": "reco-2026.02.1", "trained_at": "2026-02-27T23:00:00Z", "variants": ["control"]}
MODEL_BYTES = json.dumps(MODEL).encode()


def _answer(body: bytes = MODEL_BYTES, *, extra: bytes = b"") -> bytes:
    head = b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: %d\r\n" % len(body)
    return head + extra + b"\r\n" + body


@contextmanager
def _scripted_upstream(script: Script) -> Iterator[tuple[str, list[str], list[bytes]]]:
    """A keep-alive HTTP/1.1 upstream answering as ``script`` says; yields its URL, each connection's request
    lines and every request body."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    listener.settimeout(0.1)
    stop = threading.Event()
    seen: list[str] = []  # one entry per connection: the request lines it carried
    bodies: list[bytes] = []  # every request body, in order

    def serve(conn: socket.socket, number: int) -> None:
        with conn:
            conn.settimeout(10)
            buffer = b""
            count = 0
            while not stop.is_set():
                while b"\r\n\r\n" not in buffer:
                    try:
                        data = conn.recv(65536)
                    except OSError:
                        return
                    if not data:
                        return
                    buffer += data
                head, _, buffer = buffer.partition(b"\r\n\r\n")
                lines = head.decode("latin-1").split("\r\n")
                if "transfer-encoding: chunked" in (x.lower() for x in lines):
                    try:
                        body, buffer = _read_chunked(conn, buffer)
                    except (ConnectionError, OSError):
                        return
                else:
                    length = next((int(x.split(":")[1]) for x in lines if x.lower().startswith("content-length:")), 0)
                    while len(buffer) < length:
                        buffer += conn.recv(65536)
                    body, buffer = buffer[:length], buffer[length:]
                seen[number] += f"{lines[0]}\n"
                bodies.append(body)
                reply = script(number, count, lines[0])
                count += 1
                if reply is None:
                    return
                conn.sendall(reply)
                if b"connection: close" in reply.lower():
                    return

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            seen.append("")
            threading.Thread(target=serve, args=(conn, len(seen) - 1), daemon=True).start()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}", seen, bodies
    finally:
        stop.set()
        thread.join(timeout=5)
        listener.close()


def test_sequential_requests_share_one_kept_alive_connection() -> None:
    with _scripted_upstream(lambda c, n, line: _answer()) as (upstream, seen, _), running_proxy(upstream) as base:
        answers = [httpx.get(f"{base}/v1/models/current") for _ in range(5)]
    assert [a.status_code for a in answers] == [200] * 5
    assert len(seen) == 1 and seen[0].count("GET /v1/models/current") == 5


@pytest.mark.parametrize(
    "framing",
    ["chunked", "close-delimited", "after 103 Early Hints", "after 100 Continue"],
)
def test_every_framing_of_an_answer_is_read_whole_and_checked(framing: str) -> None:
    body = MODEL_BYTES
    replies = {
        "chunked": b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n"
        + b"".join(b"%x\r\n%b\r\n" % (len(body[i : i + 7]), body[i : i + 7]) for i in range(0, len(body), 7))
        + b"0\r\n\r\n",
        "close-delimited": b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nconnection: close\r\n\r\n" + body,
        "after 103 Early Hints": b"HTTP/1.1 103 Early Hints\r\nlink: </style.css>\r\n\r\n" + _answer(),
        "after 100 Continue": b"HTTP/1.1 100 Continue\r\n\r\n" + _answer(),
    }
    with _scripted_upstream(lambda c, n, line: replies[framing]) as (upstream, _, _), running_proxy(upstream) as base:
        answer = httpx.get(f"{base}/v1/models/current")
        again = httpx.get(f"{base}/v1/models/current")
        report = httpx.get(f"{base}/__proxy/report").json()
    assert answer.status_code == again.status_code == 200
    assert answer.json() == MODEL and answer.headers["content-length"] == str(len(body))
    assert "link" not in answer.headers  # the interim answer's headers are not the answer's
    assert report["exchanges"] == 2 and report["violations"] == 0, report


def test_a_head_answer_has_no_body_and_keeps_the_declared_length() -> None:
    with (
        _scripted_upstream(lambda c, n, line: _head_answer()) as (upstream, seen, _),
        running_proxy(upstream) as base,
    ):
        first = httpx.head(f"{base}/v1/models/current")
        second = httpx.head(f"{base}/v1/models/current")
    assert first.status_code == second.status_code == 200
    assert first.headers["content-length"] == str(len(MODEL_BYTES)) and first.content == b""
    assert seen == ["HEAD /v1/models/current HTTP/1.1\n" * 2]  # the bodiless answer's connection kept, reused


def _read_chunked(conn: socket.socket, buffer: bytes) -> tuple[bytes, bytes]:
    """A chunked body from ``buffer`` and the connection; returns it and what follows it."""
    body = b""

    def more() -> bytes:
        data = conn.recv(65536)
        if not data:
            raise ConnectionError("the body was cut short")
        return data

    while True:
        while b"\r\n" not in buffer:
            buffer += more()
        size_line, _, buffer = buffer.partition(b"\r\n")
        size = int(size_line, 16)
        while len(buffer) < size + 2:
            buffer += more()
        body, buffer = body + buffer[:size], buffer[size + 2 :]
        if size == 0:
            return body, buffer


def _head_answer() -> bytes:
    return b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: %d\r\n\r\n" % len(MODEL_BYTES)


def _drops_second_request(connection: int, number: int, line: str) -> bytes | None:
    """Answers the first request of each connection and drops the connection at the second, unanswered."""
    return _answer() if number == 0 else None


def test_an_idempotent_request_on_a_dropped_kept_alive_connection_is_sent_again_once() -> None:
    with _scripted_upstream(_drops_second_request) as (upstream, seen, _), running_proxy(upstream) as base:
        first = httpx.get(f"{base}/v1/models/current")
        second = httpx.get(f"{base}/v1/models/current")  # on the kept-alive connection, which the upstream drops
    assert first.status_code == second.status_code == 200 and second.json() == MODEL
    assert [s.count("GET") for s in seen] == [2, 1]  # dropped on the first connection, answered on a new one


def test_a_post_on_a_dropped_kept_alive_connection_is_a_502_not_sent_twice() -> None:
    request = {"customer_id": "C0001234", "context": {"channel": "web"}, "n": 3}
    with _scripted_upstream(_drops_second_request) as (upstream, seen, _), running_proxy(upstream) as base:
        assert httpx.post(f"{base}/v1/recommendations", json=request).status_code == 200
        dropped = httpx.post(f"{base}/v1/recommendations", json=request)
    assert dropped.status_code == 502
    assert "closed the connection without answering" in dropped.json()["detail"]
    assert [s.count("POST") for s in seen] == [2]  # the upstream may have acted on it: never sent again


def test_a_request_body_of_unknown_length_past_the_bound_is_sent_on_chunked_whole() -> None:
    pad = b'{"customer_id": "C0001234", "context": {"channel": "web"}, "pad": "' + b"x" * 9000 + b'"}'

    def pieces() -> Iterator[bytes]:  # no Content-Length: the caller sends its body chunked
        for i in range(0, len(pad), 1000):
            yield pad[i : i + 1000]

    with (
        _scripted_upstream(lambda c, n, line: _answer()) as (upstream, _, bodies),
        running_proxy(upstream, "--max-body-bytes", "4096") as base,
    ):
        answer = httpx.post(
            f"{base}/v1/recommendations", content=pieces(), headers={"content-type": "application/json"}
        )
    assert answer.status_code == 200
    assert bodies == [pad]  # every byte, in order, the part read for checking and the rest as it came


def test_a_caller_leaving_mid_body_never_gets_a_short_body_to_the_upstream(proxy_log: Path) -> None:
    with (
        _scripted_upstream(lambda c, n, line: _answer()) as (upstream, seen, bodies),
        running_proxy(upstream, "--max-body-bytes", "4096", log=proxy_log) as base,
    ):
        host, port = base.removeprefix("http://").split(":")
        with socket.create_connection((host, int(port))) as caller:
            head = b"POST /v1/recommendations HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\n"
            caller.sendall(head + b"transfer-encoding: chunked\r\n\r\n")
            for _ in range(6):  # 6000 bytes: past the bound, so the proxy is already streaming it upstream
                caller.sendall(b"3e8\r\n" + b"x" * 1000 + b"\r\n")
            time.sleep(0.5)
        deadline = time.monotonic() + 10
        while "client-gone" not in proxy_log.read_text() and time.monotonic() < deadline:
            time.sleep(0.1)
    assert seen and bodies == []  # the upstream saw the request start, and never a whole (short) body
    lines = [json.loads(x) for x in proxy_log.read_text().splitlines() if x.startswith("{")]
    (gone,) = [x for x in lines if x.get("action") == "client-gone"]
    assert gone["status"] == 499 and "went away" in gone["error"]
