"""Start-up of `contracts serve --workers N`: time until /readyz answers 200, against one worker, same run.

Workers are forked from a launcher that imported the app once (validator/service/launch.py); spawned,
each imported everything again and uvicorn's 5 s health check killed the slow ones ("died"), so N
workers took 19-25 s to be ready against 3-8 s for one. Interleaved rounds on SQLite, medians; the
log is searched for workers that died.
"""

from __future__ import annotations

import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
COUNTS = (1, 2, 4)


def main() -> None:
    """Print the median seconds to readiness (first worker) and until every worker started, and deaths."""
    ready: dict[int, list[float]] = {n: [] for n in COUNTS}
    started: dict[int, list[float]] = {n: [] for n in COUNTS}
    died: dict[int, int] = dict.fromkeys(COUNTS, 0)
    with tempfile.TemporaryDirectory() as scratch:
        for round_no in range(ROUNDS):
            for count in COUNTS:
                first, every, deaths = _start(count, Path(scratch) / f"{round_no}-{count}")
                ready[count].append(first)
                started[count].append(every)
                died[count] += deaths
    one = statistics.median(ready[1])
    print(
        f"contracts serve --workers N: seconds until /readyz is 200, and until every worker has started "
        f"({ROUNDS} interleaved rounds, medians; {os.cpu_count()} CPUs)"
    )
    for count in COUNTS:
        first, every = statistics.median(ready[count]), statistics.median(started[count])
        print(
            f"workers {count}: ready {first:5.1f} s (x{first / one:4.2f} of one worker)   "
            f"all started {every:5.1f} s   workers died: {died[count]}"
        )


def _start(workers: int, folder: Path) -> tuple[float, float, int]:
    folder.mkdir(parents=True)
    port = _free_port()
    log = folder / "serve.log"
    argv = [
        str(Path(sys.executable).parent / "contracts"),
        "serve",
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--database-url",
        f"sqlite:///{folder / 'c.db'}",
        "--contracts-dir",
        str(ROOT / "contracts"),
    ]
    started = time.monotonic()
    with log.open("wb") as out:
        proc = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            while True:
                try:
                    if httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=1).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if time.monotonic() - started > 120:
                    raise RuntimeError(f"not ready in 120 s: {log.read_text()[-2000:]}")
                time.sleep(0.05)
            took = time.monotonic() - started
            while log.read_text().count("Application startup complete") < workers:
                if time.monotonic() - started > 120:
                    raise RuntimeError(f"not every worker started in 120 s: {log.read_text()[-2000:]}")
                time.sleep(0.05)
            every = time.monotonic() - started
        finally:
            os.kill(proc.pid, signal.SIGTERM)
            proc.wait(30)
    return took, every, log.read_text().count("died")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
