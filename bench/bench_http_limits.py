"""What the HTTP limits cost on the mock's hot path: our protocol against uvicorn's own.

Both protocols parse the same request bytes handed to ``data_received`` (one request per read, as a
keep-alive client sends them) on a loopback-free transport, and run the same mock app to the end of
its answer; batches of requests, interleaved rounds, CPU time of the thread (the machine is shared:
wall time would count the other processes' turns). The difference per request is what
the limits add (piece-wise feeding, head counting, deadlines): the app and the parser are the same.

Then served: the same mock app under uvicorn with ``--http httptools`` and with our protocol, wrk
(32 connections) in interleaved rounds; requests per second and the server's CPU per request.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from uvicorn.config import Config
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
from uvicorn.server import ServerState

from mocks._protocol import LimitedConfig
from mocks.app import create_app
from mocks.http_limits import HttpLimits
from mocks.options import MockOptions
from validator.loader import load

from .bench_mock import CONTRACT, INVALID, VALID, VENV_BIN, Target, _cpu_seconds, _ensure_wrk, _server, _wrk

BATCH = 200  # requests per timed call
ROUNDS = 15


class _Transport(asyncio.Transport):
    """Counts what the protocol writes; never closes on its own."""

    def __init__(self) -> None:
        super().__init__()
        self.written = 0
        self.closing = False

    def write(self, data: Any) -> None:
        self.written += len(data)

    def is_closing(self) -> bool:
        return self.closing

    def close(self) -> None:
        self.closing = True

    def pause_reading(self) -> None:
        pass

    def resume_reading(self) -> None:
        pass

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return {"sockname": ("127.0.0.1", 8000), "peername": ("127.0.0.1", 50000)}.get(name, default)


def main() -> None:
    """Print µs per request of the mock behind uvicorn's protocol and behind ours, and the difference."""
    with Path(os.devnull).open("w") as log:
        mock = create_app(load(str(CONTRACT)), MockOptions(log_stream=log, log_json=True))
        loop = asyncio.new_event_loop()
        plain = Config(mock, http="httptools", lifespan="off", log_level="warning", access_log=False)
        limited = LimitedConfig(mock, HttpLimits(), lifespan="off", log_level="warning", access_log=False)
        contenders: dict[str, Callable[[], object]] = {}
        for body, kind in ((VALID, "valid"), (INVALID, "invalid")):
            contenders[f"uvicorn {kind}"] = _batch(loop, plain, HttpToolsProtocol, body)
            contenders[f"limited {kind}"] = _batch(loop, limited, None, body)
        for fn in contenders.values():
            fn()
        samples: dict[str, list[float]] = {name: [] for name in contenders}
        for _ in range(ROUNDS):
            for name, fn in contenders.items():
                samples[name].append(_cpu_us(fn))
        loop.close()
    # The fastest round is the cost with the least interference from the other processes of the machine.
    print(f"in-process, CPU µs per request through the HTTP protocol ({ROUNDS} interleaved rounds: fastest, median)")
    for kind in ("valid", "invalid"):
        base, ours = samples[f"uvicorn {kind}"], samples[f"limited {kind}"]
        print(
            f"{kind:<8} uvicorn {min(base):>6.1f} {statistics.median(base):>6.1f} µs   "
            f"limited {min(ours):>6.1f} {statistics.median(ours):>6.1f} µs   "
            f"cost {min(ours) - min(base):>+5.1f} µs ({(min(ours) / min(base) - 1) * 100:+.1f}%) fastest, "
            f"{statistics.median(ours) - statistics.median(base):>+5.1f} µs median"
        )
    _served()


def _served() -> None:
    wrk = _ensure_wrk()
    if wrk is None:
        print("served: SKIPPED (wrk is not installed and could not be)")
        return
    seconds = float(os.environ.get("BENCH_SECONDS", "4"))
    with ExitStack() as stack, tempfile.TemporaryDirectory() as scratch:
        targets = []
        for name, protocol in (("uvicorn", "httptools"), ("limited", "mocks._protocol:LimitedHttpProtocol")):
            argv = [
                str(VENV_BIN / "python"),
                *("-m", "uvicorn", "bench._mock_app:app", "--host", "127.0.0.1", "--port", "{port}"),
                *("--log-level", "warning", "--no-access-log", "--lifespan", "off", "--http", protocol),
            ]
            server = stack.enter_context(_server(argv, "/__mock/health"))
            targets.append(Target(name, server.url, VALID, 200, server.pid))
        for target in targets:
            _wrk(wrk, target, 1.0, Path(scratch))  # warm-up
        for _ in range(ROUNDS // 3):
            for target in targets:
                before = _cpu_seconds(target.pid)
                rps, _p99, count = _wrk(wrk, target, seconds, Path(scratch))
                target.rps.append(rps)
                target.cpu_us.append((_cpu_seconds(target.pid) - before) / max(count, 1) * 1e6)
    print(f"served (wrk -c32, {ROUNDS // 3} interleaved rounds of {seconds:g} s, medians), valid requests:")
    for target in targets:
        print(
            f"{target.name:<8} {statistics.median(target.rps):>8.0f} req/s   "
            f"server CPU {statistics.median(target.cpu_us):>6.1f} µs per request"
        )


def _cpu_us(fn: Callable[[], object], calls: int = 5) -> float:
    """CPU µs per request of ``fn``: the thread's CPU time, which the machine's other processes do not inflate
    by preempting it (wall time on a shared machine does)."""
    start = time.thread_time()
    for _ in range(calls):
        fn()
    return (time.thread_time() - start) * 1e6 / (calls * BATCH)


def _batch(
    loop: asyncio.AbstractEventLoop, config: Config, protocol: type[Any] | None, body: bytes
) -> Callable[[], None]:
    """A call sending BATCH keep-alive requests on one connection and waiting for every answer."""
    if not config.loaded:
        config.load()
    state = ServerState()
    cls: type[Any] = protocol or config.http_protocol_class
    conn = cls(config=config, server_state=state, app_state={}, _loop=loop)
    conn.connection_made(_Transport())
    request = (
        b"POST /v1/recommendations HTTP/1.1\r\nHost: 127.0.0.1:8000\r\nContent-Type: application/json\r\n"
        b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body
    )

    async def run() -> None:
        for _ in range(BATCH):
            done = state.total_requests + 1
            conn.data_received(request)
            while state.total_requests < done:
                await asyncio.sleep(0)

    return lambda: loop.run_until_complete(run())
