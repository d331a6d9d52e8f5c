"""Request heads too large or with too many fields get 431 at once; heads within the limits pass."""

from __future__ import annotations

import json
import threading
import time

import httpx
import pytest

from mocks.http_limits import HttpLimits

from ._raw import connection, healthy, read_until_closed, request, statuses
from .conftest import Server

pytestmark = pytest.mark.slow  # real servers, slow clients: seconds per case

LIMITS = HttpLimits()  # the servers run with the default head limits
BODY = b'{"name":"a"}'


def test_a_head_larger_than_the_limit_gets_431_with_the_limit_named(server: Server) -> None:
    big = {"X-Big": "a" * (LIMITS.max_header_bytes + 10_000)}
    with connection(server) as sock:
        sock.sendall(request("POST", server.echo, BODY, big))
        answer, _ = read_until_closed(sock, 5)
    assert statuses(answer) == [431]
    problem = json.loads(answer.split(b"\r\n\r\n", 1)[1])
    assert problem["status"] == 431
    assert str(LIMITS.max_header_bytes) in problem["detail"]


def test_a_100_mib_header_is_refused_after_its_first_kilobytes_while_others_are_served(server: Server) -> None:
    sent = 0
    refused_after: list[float] = []

    def flood() -> None:
        nonlocal sent
        chunk = b"a" * 65536
        with connection(server) as sock:
            sock.sendall(b"GET " + server.health.encode() + b" HTTP/1.1\r\nHost: x\r\nX-Big: ")
            start = time.monotonic()
            try:
                while sent < 100 * 1024 * 1024:
                    sock.sendall(chunk)
                    sent += len(chunk)
            except OSError:  # the server answered and stopped reading
                pass
            answer, _ = read_until_closed(sock, 5)
            refused_after.append(time.monotonic() - start)
            assert statuses(answer) == [431]

    attacker = threading.Thread(target=flood)
    attacker.start()
    try:
        assert healthy(server)
    finally:
        attacker.join(30)
    assert not attacker.is_alive()
    assert refused_after, "the flood did not end with an answer"
    assert sent < 16 * 1024 * 1024  # the server stopped reading long before 100 MiB


def test_more_header_fields_than_the_limit_get_431(server: Server) -> None:
    fields = {f"X-Field-{i}": "1" for i in range(LIMITS.max_headers + 1)}
    with connection(server) as sock:
        sock.sendall(request("POST", server.echo, BODY, fields))
        answer, _ = read_until_closed(sock, 5)
    assert statuses(answer) == [431]
    assert b"fields" in answer


def test_heads_within_the_limits_are_answered(server: Server) -> None:
    # Most of the size limit, spread over most of the allowed fields: a generous but honest client.
    fields = {f"X-Field-{i}": "v" * 200 for i in range(LIMITS.max_headers - 10)}
    response = httpx.post(
        server.base + server.echo, content=BODY, headers={"content-type": "application/json", **fields}, timeout=10
    )
    assert response.status_code == 200, response.text
    assert response.json() == {"name": "a"}
