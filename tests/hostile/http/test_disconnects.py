"""A client leaving mid-body is not a server error: no 500, no traceback in the log, no 5xx in /metrics."""

from __future__ import annotations

import re
import socket
import struct
import time

import httpx
import pytest

from ._raw import connection, healthy, request
from .conftest import Server

pytestmark = pytest.mark.slow  # real servers, slow clients: seconds per case

BODY = b'{"operation":"echo","direction":"request","payload":{"name":"a","meta":[1,2,3]}}'
VALIDATE = "/api/v1/contracts/deep-api/versions/1.0.0/validate"
SERVER_ERROR = re.compile(r'status="5\d\d"')


def _leave_mid_body(server: Server, path: str) -> None:
    whole = request("POST", path, BODY)
    with connection(server) as sock:
        sock.sendall(whole[: len(whole) - 20])
        time.sleep(0.2)  # the app is reading the body when the client goes


def _metrics_once(server: Server, wanted: str) -> str:
    """/metrics once ``wanted`` shows (the server notices a disconnect a moment after it happens)."""
    deadline = time.monotonic() + 10
    while True:
        text = httpx.get(server.base + "/metrics", timeout=5).text
        if wanted in text or time.monotonic() > deadline:
            return text
        time.sleep(0.2)


def test_leaving_mid_body_on_the_service_is_counted_as_499_not_as_an_error(hostile_service: Server) -> None:
    for path in (VALIDATE, hostile_service.echo):
        _leave_mid_body(hostile_service, path)
    assert healthy(hostile_service)
    text = _metrics_once(hostile_service, 'route="/mocks/{name}/{version}/{path}",status="499"')
    assert re.search(r'route="[^"]*/validate",status="499"\} [1-9]', text), text
    assert re.search(r'contracts_mock_requests_total\{contract="deep-api",status="499"\} [1-9]', text), text
    assert not SERVER_ERROR.search(text), [line for line in text.splitlines() if SERVER_ERROR.search(line)]
    log = hostile_service.log.read_text()
    assert "Traceback" not in log
    assert "Exception in ASGI application" not in log


@pytest.mark.parametrize("closing", ["reset", "close"])
def test_leaving_mid_body_on_the_mock_is_not_an_error(hostile_mock: Server, closing: str) -> None:
    whole = request("POST", hostile_mock.echo, BODY)
    with connection(hostile_mock) as sock:
        sock.sendall(whole[: len(whole) - 20])
        time.sleep(0.2)
        if closing == "reset":  # an abortive close, as a killed client leaves
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    assert healthy(hostile_mock)
    log = hostile_mock.log.read_text()
    assert "mock error" not in log
    assert "Traceback" not in log
    assert " 500 " not in log and '"status":500' not in log
