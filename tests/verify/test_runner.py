"""Sending one request: what the generator planned goes on the wire as it is."""

from __future__ import annotations

from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler

import httpx
import pytest

from tests.support.servers import in_thread
from validator.verify.exchange import WireRequest
from validator.verify.runner import send


class _EchoHeader(BaseHTTPRequestHandler):
    """Answers with the raw bytes of the request's X-Probe header."""

    def do_GET(self) -> None:
        raw = (self.headers.get("X-Probe") or "").encode("latin-1")  # the stdlib decodes header bytes as latin-1
        self.send_response(200)
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    def log_message(self, *_args: object) -> None:
        """Quiet."""


@pytest.fixture
def echo_url() -> Iterator[str]:
    with in_thread(_EchoHeader) as url:
        yield url


def test_a_header_value_outside_ascii_is_sent_as_utf8_not_a_crash(echo_url: str) -> None:
    # The boundary phase draws such values for a header whose pattern allows only printable ASCII
    # (an Idempotency-Key); the run used to end in a UnicodeEncodeError traceback.
    value = "\u00d7\u00f8\x9b"  # what the boundary phase drew against the pattern ^[\x21-\x7e]+$
    with httpx.Client() as client:
        response, error = send(client, echo_url, WireRequest("GET", "/", (("X-Probe", value),)))
    assert error is None and response is not None
    assert response.status == 200 and response.body == value.encode()
