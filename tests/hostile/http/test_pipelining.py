"""Pipelined requests are answered in order, and a client that never reads its answers cannot grow the
server's memory: past the pipeline limit the server stops reading (it grew by 1.1 GB before)."""

from __future__ import annotations

import socket
import time
from pathlib import Path

import pytest

from ._raw import connection, healthy, read_until_closed, request, statuses
from .conftest import Server

pytestmark = pytest.mark.slow  # real servers, slow clients: seconds per case

BODY = b'{"name":"a"}'


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError(f"no VmRSS for process {pid}")


def test_pipelined_requests_are_all_answered_in_order(server: Server) -> None:
    count = 200  # far past the pipeline limit: the server reads on as it answers
    batch = b"".join(request("POST", server.echo, BODY, {"X-N": str(i)}) for i in range(count))
    batch += request("POST", server.echo, BODY, {"Connection": "close"})
    with connection(server) as sock:
        sock.sendall(batch)
        answer, _ = read_until_closed(sock, 30)
    assert statuses(answer) == [200] * (count + 1)


def test_a_client_that_never_reads_its_answers_does_not_grow_the_server(server: Server) -> None:
    one = request("POST", server.echo, BODY)
    chunk = memoryview(one * 1000)
    before = _rss_mb(server.base.pid)
    sent = 0
    with connection(server) as sock:
        sock.setblocking(False)
        pending = chunk
        deadline = time.monotonic() + 6
        while time.monotonic() < deadline:  # as fast as the server takes them, never reading an answer
            try:
                n = sock.send(pending)
            except BlockingIOError:
                time.sleep(0.01)
                continue
            sent += n
            pending = pending[n:] or chunk
        grown = _rss_mb(server.base.pid) - before
        assert healthy(server)
    # Before the limit, 10 s of this grew the mock by 390 MB (about 2 KB per request read ahead).
    assert grown < 40, f"grew {grown:.0f} MB after {sent // len(one)} pipelined requests"
    assert healthy(server)


def test_a_request_refused_in_a_pipeline_is_answered_after_those_before_it(server: Server) -> None:
    good = request("POST", server.echo, BODY)
    too_many_fields = request("POST", server.echo, BODY, {f"X-{i}": "1" for i in range(200)})
    with connection(server) as sock:
        sock.sendall(good * 6 + too_many_fields + good)
        answer, _ = read_until_closed(sock, 10)
    assert statuses(answer) == [200] * 6 + [431]  # nothing after the refusal is read


def test_the_connection_is_usable_after_a_burst(server: Server) -> None:
    with connection(server) as sock:
        sock.sendall(request("POST", server.echo, BODY) * 10)
        time.sleep(0.5)
        sock.sendall(request("GET", server.health, headers={"Connection": "close"}))
        sock.shutdown(socket.SHUT_WR)
        answer, _ = read_until_closed(sock, 10)
    assert statuses(answer) == [200] * 11
