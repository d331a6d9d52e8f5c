"""Rules at the service's edge: closed reads cover every path, Host is required, Allow names every method,
redirects never echo the request's Host, and a body in a content coding the service does not read is 415."""

from __future__ import annotations

import gzip
import socket
from collections.abc import Iterator

import httpx
import pytest

from tests.support.paths import CONTRACTS

from .conftest import TOKEN, Service, start


@pytest.fixture(scope="module")
def closed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    """A service whose reads need a token."""
    url = f"sqlite:///{tmp_path_factory.mktemp('closed') / 'c.db'}"
    with start(CONTRACTS, url, extra_env={"CONTRACTS_READ_REQUIRES_TOKEN": "true"}) as base:
        yield Service(base, CONTRACTS, url)


READS = [
    "/api/v1/contracts",
    "/api/v1/verifications",
    "/metrics",
    "/ui/",
    "/ui/contracts/recommendation-api/1.0.0",
    "/mocks/recommendation-api/1.0.0/__mock/health",
]


@pytest.mark.parametrize("path", READS)
def test_closed_reads_need_the_token_on_every_path(closed: Service, path: str) -> None:
    without = httpx.get(closed.url + path, timeout=30)
    wrong = httpx.get(closed.url + path, headers={"Authorization": "Bearer nope"}, timeout=30)
    with_token = httpx.get(closed.url + path, headers={"Authorization": f"Bearer {TOKEN}"}, timeout=30)
    assert without.status_code == wrong.status_code == 401
    assert without.headers["www-authenticate"].startswith("Bearer")
    assert with_token.status_code == 200, with_token.text


def test_closed_reads_leave_the_health_checks_open(closed: Service) -> None:
    assert httpx.get(closed.url + "/healthz").status_code == 200
    assert httpx.get(closed.url + "/readyz").status_code == 200


def test_open_reads_need_no_token(service: Service) -> None:
    for path in READS:
        assert httpx.get(service.url + path, timeout=30).status_code == 200, path


def _raw(service: Service, head: bytes) -> bytes:
    port = int(service.url.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(head)
        out = b""
        while chunk := sock.recv(65536):
            out += chunk
    return out


def test_a_request_without_host_or_with_two_is_400(service: Service) -> None:
    missing = _raw(service, b"GET /healthz HTTP/1.1\r\nConnection: close\r\n\r\n")
    twice = _raw(service, b"GET /healthz HTTP/1.1\r\nHost: a\r\nHost: b\r\nConnection: close\r\n\r\n")
    http10 = _raw(service, b"GET /healthz HTTP/1.0\r\n\r\n")  # HTTP/1.0 has no Host to require
    assert missing.startswith(b"HTTP/1.1 400 ") and b"Host" in missing
    assert twice.startswith(b"HTTP/1.1 400 ")
    assert http10.startswith(b"HTTP/1.1 200 ")


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("PUT", "/api/v1/verifications", "GET, POST"),
        ("DELETE", "/api/v1/contracts", "GET"),
        ("GET", "/api/v1/contracts/recommendation-api/versions/1.0.0/validate", "POST"),
        ("POST", "/healthz", "GET"),
    ],
)
def test_405_names_every_method_of_the_path(service: Service, method: str, path: str, allowed: str) -> None:
    response = httpx.request(method, service.url + path, timeout=30)
    assert response.status_code == 405
    assert response.headers["allow"] == allowed


@pytest.mark.parametrize(("path", "target"), [("/ui", "/ui/"), ("/api/v1/contracts/", "/api/v1/contracts")])
def test_redirects_do_not_take_their_location_from_the_host_header(service: Service, path: str, target: str) -> None:
    response = httpx.get(service.url + path, headers={"Host": "attacker.example"}, timeout=30)
    assert 300 <= response.status_code < 400
    assert response.headers["location"] == target
    assert "attacker" not in response.text


@pytest.mark.parametrize("coding", ["gzip", "br", "deflate, gzip"])
def test_a_compressed_body_is_415_naming_the_coding_the_service_reads(service: Service, coding: str) -> None:
    body = gzip.compress(b'{"operation":"getRecommendations","direction":"request","payload":{}}')
    for path in (
        "/api/v1/contracts/recommendation-api/versions/1.0.0/validate",
        "/mocks/recommendation-api/1.0.0/v1/recommendations",
    ):
        response = httpx.post(
            service.url + path,
            content=body,
            headers={"Content-Type": "application/json", "Content-Encoding": coding},
            timeout=30,
        )
        assert response.status_code == 415, response.text
        assert response.headers["accept-encoding"] == "identity"
        assert coding.split(",")[0] in response.json()["detail"]


def test_an_identity_coding_is_read_as_it_is(service: Service) -> None:
    response = httpx.post(
        service.url + "/api/v1/contracts/recommendation-api/versions/1.0.0/validate",
        json={"operation": "getRecommendations", "direction": "request", "payload": {}},
        headers={"Content-Encoding": "identity"},
        timeout=30,
    )
    assert response.status_code == 200
