"""`contracts mock`: usage errors are clear (exit 2); the server logs one JSON line per request."""

from __future__ import annotations

import socket
import subprocess
import time
from typing import Any

import httpx
import orjson
import pytest

from tests.support.servers import contracts_cmd, free_port, stop


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--latency", "soon"], "--latency 'soon' is not understood"),
        (["--latency", "200-100"], "maximum is below the minimum"),
        (["--error-rate", "1.5"], "outside 0..1"),
        (["--max-body-bytes", "0"], "must be positive"),
        # A port outside 0..65535 used to wrap around silently (70000 listened on 4464).
        (["--port", "70000"], "Input should be less than or equal to 65535"),
        (["--port", "-1"], "Input should be greater than or equal to 0"),
    ],
)
def test_bad_options_are_usage_errors(cli: Any, args: list[str], message: str) -> None:
    result = cli("mock", "recommendation-api", *args)
    assert result.exit_code == 2
    assert message in result.stderr


def test_unknown_contract_is_a_usage_error(cli: Any) -> None:
    result = cli("mock", "no-such-api")
    assert result.exit_code == 2 and "no-such-api" in result.stderr


def test_busy_port_is_a_usage_error(cli: Any) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = cli("mock", "recommendation-api", "--port", str(port))
    assert result.exit_code == 2 and f"cannot listen on 127.0.0.1:{port}" in result.stderr


def test_one_json_log_line_per_request(tmp_path: Any) -> None:
    port = free_port()
    with (tmp_path / "log").open("wb") as log:
        proc = subprocess.Popen(
            contracts_cmd("mock", "recommendation-api@1.1.0", "--port", str(port)),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(200):
            try:
                httpx.get(base + "/__mock/health")
                break
            except httpx.TransportError:
                time.sleep(0.05)
        httpx.post(
            base + "/v1/recommendations",
            json={"customer_id": "X", "context": {"channel": "web"}},
            headers={"x-request-id": "trace-1"},
        )
    finally:
        stop(proc)
    lines = [orjson.loads(line) for line in (tmp_path / "log").read_bytes().splitlines() if line.strip()]
    record = next(line for line in lines if line.get("request_id") == "trace-1")
    assert record["method"] == "POST" and record["path"] == "/v1/recommendations" and record["status"] == 422
    assert record["violations"][0]["pointer"] == "/customer_id" and record["duration_ms"] >= 0
