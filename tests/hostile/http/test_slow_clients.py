"""Slow clients are not held for ever: silent connections are closed, slow heads and bodies get 408,
and past the connection cap a request gets 503 with Retry-After; the health check answers throughout."""

from __future__ import annotations

import json
import time
from contextlib import ExitStack

import httpx
import pytest

from ._raw import connection, healthy, read_until_closed, request, statuses
from .conftest import BODY_TIMEOUT, HEADER_TIMEOUT, MAX_CONNECTIONS, Server

pytestmark = pytest.mark.slow  # real servers, slow clients: seconds per case

SLACK = 3.0  # the sweeper checks deadlines a few times a second; a loaded machine adds its own delay
BODY = b'{"name":"a","meta":{"k":1}}'


def test_a_connection_that_never_sends_a_byte_is_closed_after_the_header_timeout(server: Server) -> None:
    with connection(server) as sock:
        answer, waited = read_until_closed(sock, HEADER_TIMEOUT + SLACK + 5)
    assert answer == b""  # nothing was asked, so nothing is answered
    assert waited < HEADER_TIMEOUT + SLACK


def test_a_head_sent_byte_by_byte_gets_408(server: Server) -> None:
    head = request("GET", server.health, headers={"X-Slow": "s" * 40})
    with connection(server) as sock:
        start = time.monotonic()
        try:
            for byte in head[:-4]:  # never completes: ends before the blank line
                sock.sendall(bytes([byte]))
                time.sleep(0.1)
        except OSError:
            pass  # the server answered and closed
        answer, _ = read_until_closed(sock, SLACK + 5)
        waited = time.monotonic() - start
    assert statuses(answer) == [408]
    assert waited < HEADER_TIMEOUT + SLACK
    assert json.loads(answer.split(b"\r\n\r\n", 1)[1])["status"] == 408


def test_a_body_that_stops_midway_gets_408_and_the_server_stays_healthy(server: Server) -> None:
    whole = request("POST", server.echo, BODY)
    with connection(server) as sock:
        sock.sendall(whole[: len(whole) - 10])
        assert healthy(server)
        answer, waited = read_until_closed(sock, BODY_TIMEOUT + SLACK + 5)
    assert statuses(answer) == [408]
    assert waited < BODY_TIMEOUT + SLACK
    assert healthy(server)


def test_many_slow_clients_at_once_do_not_stop_the_health_check(server: Server) -> None:
    with ExitStack() as stack:
        socks = [stack.enter_context(connection(server)) for _ in range(MAX_CONNECTIONS // 2)]
        for i, sock in enumerate(socks):
            sock.sendall(request("POST", server.echo, BODY)[: 20 + i])  # heads and bodies cut anywhere
        for _ in range(3):
            assert healthy(server)
        answers = [read_until_closed(sock, BODY_TIMEOUT + SLACK + 5)[0] for sock in socks]
    assert {tuple(statuses(a)) for a in answers} == {(408,)}


def test_past_the_connection_cap_a_request_gets_503_with_retry_after(server: Server) -> None:
    with ExitStack() as stack:
        held = [stack.enter_context(connection(server)) for _ in range(MAX_CONNECTIONS)]
        for sock in held:  # keep them busy with a request, so none is closed as idle meanwhile
            sock.sendall(request("GET", server.health))
        with connection(server) as extra:
            extra.sendall(request("GET", server.health))
            answer, _ = read_until_closed(extra, 5)
        assert statuses(answer) == [503]
        assert b"retry-after: 1" in answer.lower()
    # The held connections are gone: the next client is served again.
    deadline = time.monotonic() + 5
    while httpx.get(server.base + server.health, timeout=2).status_code != 200:
        assert time.monotonic() < deadline
        time.sleep(0.1)
