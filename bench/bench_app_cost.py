"""The mock app's own cost per request, in-process: no server, no sockets, the ASGI app called directly.

Beside the wrk benchmark (``bench_mock``) this isolates what the mock itself spends on a valid body and
on an invalid one (five violations), against the bare ceiling app called the same way, so a change to
the mock's hot path can be measured without the noise of a loaded server.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Awaitable, Callable, MutableMapping
from pathlib import Path
from typing import Any

from mocks.app import create_app
from mocks.options import MockOptions
from validator.loader import load

from . import _ceiling
from ._timing import interleaved
from .bench_mock import CONTRACT, INVALID, VALID

BATCH = 200  # requests per timed call: the event loop's own overhead is paid once per batch

App = Callable[[MutableMapping[str, Any], Any, Any], Awaitable[None]]


def main() -> None:
    """Print µs per request of the ceiling and the mock (valid, invalid) and the mock's own cost."""
    with Path(os.devnull).open("w") as log:  # as in the wrk benchmark, the log lines go nowhere
        mock = create_app(load(str(CONTRACT)), MockOptions(log_stream=log, log_json=True))
        loop = asyncio.new_event_loop()
        contenders: dict[str, Callable[[], object]] = {
            "ceiling": _batch(loop, _ceiling.app, VALID),
            "mock valid": _batch(loop, mock, VALID),
            "mock invalid": _batch(loop, mock, INVALID),
        }
        for fn in contenders.values():  # warm-up: compiled validators, caches
            fn()
        rates = interleaved(contenders, rounds=7, seconds=0.5)
        loop.close()
    ceiling_us = 1e6 / (rates["ceiling"] * BATCH)
    print("in-process, µs per request (median of 7 interleaved rounds); app cost = minus the ceiling's")
    for name, calls in rates.items():
        us = 1e6 / (calls * BATCH)
        print(f"{name:<14}{us:>8.1f} µs   app cost {us - ceiling_us:>6.1f} µs")


def _batch(
    loop: asyncio.AbstractEventLoop, app: App, body: bytes, path: str = "/v1/recommendations"
) -> Callable[[], None]:
    message = {"type": "http.request", "body": body, "more_body": False}
    headers = [
        (b"host", b"127.0.0.1:8000"),
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
    ]

    async def receive() -> dict[str, Any]:
        return message

    async def send(_: MutableMapping[str, Any]) -> None:
        return None

    async def run() -> None:
        for _ in range(BATCH):
            scope = {
                "type": "http",
                "method": "POST",
                "path": path,
                "root_path": "",
                "query_string": b"",
                "headers": headers,
            }
            await app(scope, receive, send)

    return lambda: loop.run_until_complete(run())
