"""The request log: one line per request, gathered and written in batches, none lost at shutdown."""

from __future__ import annotations

import asyncio
import io
from typing import Any

import orjson
import pytest

from mocks import MockOptions, create_app, requestlog
from tests.support.paths import CONTRACTS
from validator.loader import load

INVALID = b'{"customer_id":"X1","context":{"channel":"fax"},"n":0}'


async def _lifespan_around_one_request(app: Any) -> list[dict[str, Any]]:
    """Start the app's lifespan, send one invalid request, shut down; the messages the app sent."""
    lifespan: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    sent: list[dict[str, Any]] = []

    async def send(message: Any) -> None:
        sent.append(message)

    running = asyncio.ensure_future(app({"type": "lifespan"}, lifespan.get, send))
    await lifespan.put({"type": "lifespan.startup"})
    request = {"type": "http.request", "body": INVALID, "more_body": False}

    async def receive() -> dict[str, Any]:
        return request

    scope = {
        "type": "http",
        "method": "POST",
        "path": "/v1/recommendations",
        "root_path": "",
        "query_string": b"",
        "headers": [(b"content-type", b"application/json"), (b"x-request-id", b"last-words")],
    }
    await app(scope, receive, send)
    await lifespan.put({"type": "lifespan.shutdown"})
    await running
    return sent


def test_lines_gathered_before_shutdown_are_written(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(requestlog, "FLUSH_SECONDS", 3600.0)  # no timed flush: only shutdown writes the line
    stream = io.StringIO()
    app = create_app(load("recommendation-api@1.1.0", CONTRACTS), MockOptions(log_stream=stream, log_json=True))
    sent = asyncio.run(_lifespan_around_one_request(app))
    assert {"type": "lifespan.shutdown.complete"} in sent
    records = [orjson.loads(line) for line in stream.getvalue().splitlines()]
    [record] = [r for r in records if r.get("request_id") == "last-words"]
    body = orjson.loads(next(m["body"] for m in sent if m["type"] == "http.response.body"))
    # The log lists the same violations as the 422 body, entry for entry.
    assert record["status"] == 422 and record["violations"] == body["errors"]
    assert {v["pointer"] for v in record["violations"]} == {"/customer_id", "/context/channel", "/n"}
