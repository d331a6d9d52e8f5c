"""Forwarding as a reverse proxy does it: headers, streaming past the checked size, the caller's bytes intact."""

from __future__ import annotations

import json
import socket
from pathlib import Path
from typing import Any

import httpx

from tests.proxy.conftest import json_upstream, running_proxy

BIG = {"recommendations": [{"product_id": f"P{i:05d}", "score": 0.5, "rank": i + 1} for i in range(20000)]}


def _echo(path: str, body: bytes) -> tuple[int, Any, dict[str, str]]:
    return 200, {"path": path, "length": len(body)}, {"keep-alive": "timeout=5", "x-upstream": "yes"}


def _big(path: str, body: bytes) -> tuple[int, Any, dict[str, str]]:
    return 200, BIG, {}


def test_hop_by_hop_headers_are_dropped_and_forwarding_headers_set() -> None:
    with json_upstream(_echo) as (upstream, seen), running_proxy(upstream) as base:
        answer = httpx.post(
            f"{base}/v1/recommendations?debug=1&x=%2F",
            content=b"{}",
            headers={
                "content-type": "application/json",
                "connection": "keep-alive, x-hop",
                "x-hop": "only for this connection",
                "keep-alive": "timeout=5",
                "te": "trailers",
                "x-forwarded-for": "10.0.0.1",
                "x-request-id": "abc-123",
            },
        )
    assert answer.status_code == 200
    assert answer.headers["x-upstream"] == "yes" and "keep-alive" not in answer.headers
    (got,) = seen
    headers = dict(got.headers)
    assert got.path == "/v1/recommendations?debug=1&x=%2F"  # the caller's bytes, not re-quoted
    assert not {"x-hop", "keep-alive", "te"} & set(headers)
    assert headers["host"] == upstream.removeprefix("http://")
    assert headers["x-forwarded-for"] == "10.0.0.1, 127.0.0.1"
    assert headers["x-forwarded-host"] == base.removeprefix("http://")
    assert headers["x-forwarded-proto"] == "http"
    assert headers["x-request-id"] == "abc-123" and headers["content-length"] == "2"


def _raw_exchange(base: str, head: bytes) -> bytes:
    """Send ``head`` (a request with no body or a small one) to the proxy as written; the answer's bytes."""
    host, port = base.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as caller:
        caller.sendall(head)
        answer = b""
        while chunk := caller.recv(65536):
            answer += chunk
    return answer


def test_the_callers_path_goes_upstream_byte_for_byte_after_the_upstreams_prefix() -> None:
    # Sent on a raw socket: an HTTP client would resolve the dot segments before the proxy saw them.
    target = b"/v1//x/../recommendations/.?q=%20+x&e=&x=%2f"
    with json_upstream(_echo) as (upstream, seen), running_proxy(upstream + "/pre") as base:
        answer = _raw_exchange(
            base, b"POST " + target + b" HTTP/1.1\r\nhost: x\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{}"
        )
        star = _raw_exchange(base, b"OPTIONS * HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 200 ")
    assert [r.path for r in seen] == ["/pre" + target.decode()]  # not normalised, not re-quoted
    # The server-wide OPTIONS * names no path to forward to: a clear answer, not a proxy failure.
    assert star.startswith(b"HTTP/1.1 501 ") and b"forwards requests for a path only" in star


def test_bodies_past_the_checked_size_stream_through_whole(tmp_path: Path) -> None:
    log = tmp_path / "proxy.log"
    large_request = json.dumps({"customer_id": "C0001234", "context": {"channel": "web"}, "pad": "x" * 5000})
    with (
        json_upstream(_big) as (upstream, seen),
        running_proxy(upstream, "--max-body-bytes", "4096", log=log) as base,
    ):
        answer = httpx.post(
            f"{base}/v1/recommendations", content=large_request, headers={"content-type": "application/json"}
        )
        report = httpx.get(f"{base}/__proxy/report").json()
    assert answer.status_code == 200 and answer.json() == BIG  # every byte of a body past the bound
    assert seen[0].body == large_request.encode()
    lines = [json.loads(x) for x in log.read_text().splitlines() if x.startswith("{")]
    (exchange,) = [x for x in lines if x.get("method") == "POST"]
    assert exchange["action"] == "streamed"
    assert [v["check"] for v in exchange["violations"]] == ["request_too_large"]
    assert report["operations"][0]["violations"][0]["check"] == "request_too_large"
