"""The service and the gate under hostile documents (tests/hostile/documents/).

1. ``/healthz`` latency of one ``contracts serve`` process (default settings: one analysis worker per
   CPU less one) when idle, and again while 10 clients keep sending hostile compatibility requests (each
   client loops over the documents: pattern, $ref/allOf/anyOf/oneOf bombs, $ref loops, a required-member fan).
   Sequential health checks, p50 and p99, in alternating idle and loaded windows (the machine is
   shared); the target is p99 under hostile load at most 2x the idle p99.
2. For each document, the time ``contracts check`` (the CI gate) takes to refuse it, as version 1.1.0
   of a contract whose 1.0.0 is harmless, and its exit status; and the service's answer time, idle.

Run: ``python -m bench hostile``. Client and server share this machine's cores.
"""

from __future__ import annotations

import json
import multiprocessing
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx

from bench.bench_service import _service
from validator.service.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
HOSTILE = ROOT / "tests" / "hostile"
CLIENTS = 10
HEALTH_SAMPLES = 1000
ROUNDS = 5


def _documents() -> dict[str, Any]:
    return {p.stem: json.loads(p.read_text()) for p in sorted((HOSTILE / "documents").glob("*.json"))}


def _health(base: str, samples: int) -> list[float]:
    out = []
    with httpx.Client(base_url=base, timeout=30) as client:
        for _ in range(20):
            client.get("/healthz")
        for _ in range(samples):
            started = time.perf_counter()
            client.get("/healthz").raise_for_status()
            out.append((time.perf_counter() - started) * 1000)
    return out


def _p(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def _hostile_clients(base: str, bodies: list[bytes], running: Any, stop: Any, counts: Any) -> None:
    """CLIENTS threads sending hostile documents while ``running`` is set, until ``stop`` (a process of its own).

    ``counts``: answered, 5xx, 422, in flight.
    """

    def client(offset: int) -> None:
        with httpx.Client(base_url=base, timeout=120) as http:
            i = offset
            while not stop.is_set():
                if not running.wait(0.1):
                    continue
                with counts.get_lock():
                    counts[3] += 1
                answer = http.post(
                    "/api/v1/contracts/hostile/compatibility",
                    content=bodies[i % len(bodies)],
                    headers={"content-type": "application/json"},
                )
                with counts.get_lock():
                    counts[0] += 1
                    counts[1] += answer.status_code >= 500
                    counts[2] += answer.status_code == 422
                    counts[3] -= 1
                i += 1

    threads = [threading.Thread(target=client, args=(i,)) for i in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def _idle_and_loaded(base: str, documents: dict[str, Any]) -> tuple[list[float], list[float], dict[str, int]]:
    """Health latencies in alternating windows: idle (no hostile request in flight), then under hostile load.

    The load comes from another process (not this one's GIL); alternating windows spread the shared
    machine's own noise over both readings alike.
    """
    bodies = [json.dumps({"document": d, "against": "1.0.0"}).encode() for d in documents.values()]
    context = multiprocessing.get_context("spawn")
    running, stop, counts = context.Event(), context.Event(), context.Array("i", 4)
    load = context.Process(target=_hostile_clients, args=(base, bodies, running, stop, counts))
    load.start()
    idle: list[float] = []
    loaded: list[float] = []
    for _ in range(ROUNDS):
        running.clear()
        while counts[3]:  # the requests in flight finish first
            time.sleep(0.05)
        time.sleep(0.5)
        idle += _health(base, HEALTH_SAMPLES // ROUNDS)
        running.set()
        time.sleep(1.5)  # every client has a request in flight, the workers are busy
        loaded += _health(base, HEALTH_SAMPLES // ROUNDS)
    stop.set()
    running.set()
    load.join(timeout=180)
    return idle, loaded, {"answered": counts[0], "5xx": counts[1], "of which 422": counts[2]}


def _gate_times(documents: dict[str, Any]) -> list[tuple[str, float, int, str]]:
    """Per document: seconds `contracts check` takes, its exit status, and the first line of its reason."""
    out = []
    contracts = str(Path(sys.executable).parent / "contracts")
    for name in documents:
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp) / "contracts"
            for version, source in (
                ("1.0.0", HOSTILE / "contracts" / "hostile" / "1.0.0" / "openapi.yaml"),
                ("1.1.0", HOSTILE / "documents" / f"{name}.json"),
            ):
                (root / "hostile" / version).mkdir(parents=True)
                shutil.copyfile(source, root / "hostile" / version / "openapi.yaml")
            started = time.perf_counter()
            done = subprocess.run(
                [contracts, "check", "--contracts-dir", str(root), "--format", "json"],
                capture_output=True,
                text=True,
                timeout=600,
                check=False,
                cwd=tmp,
            )
            elapsed = time.perf_counter() - started
            try:
                report = json.loads(done.stdout)
                first = (report.get("error") or (report.get("problems") or [{}])[0]).get("message", "")
            except (ValueError, AttributeError):
                first = done.stderr.strip().splitlines()[-1] if done.stderr.strip() else ""
            out.append((name, elapsed, done.returncode, str(first)[:90]))
    return out


def main() -> None:
    """Print the figures."""
    documents = _documents()
    with tempfile.TemporaryDirectory() as tmp:
        shutil.copytree(HOSTILE / "contracts", Path(tmp) / "contracts")
        with _service(f"sqlite:///{tmp}/db.sqlite", Path(tmp) / "contracts") as base:
            answer_times = []
            with httpx.Client(base_url=base, timeout=120) as http:
                for name, doc in documents.items():
                    started = time.perf_counter()
                    answer = http.post("/api/v1/contracts/hostile/compatibility", json={"document": doc})
                    answer_times.append((name, (time.perf_counter() - started) * 1000, answer.status_code))
            idle, loaded, statuses = _idle_and_loaded(base, documents)
    workers = Settings().analysis_workers  # what the service started with: the variable, else its default
    print(
        f"/healthz, sequential requests in {ROUNDS} alternating windows of {HEALTH_SAMPLES // ROUNDS} idle and "
        f"{HEALTH_SAMPLES // ROUNDS} under load; one service process ({workers} analysis workers)"
    )
    print(f"  idle:                         p50 {_p(idle, 50):6.2f} ms   p99 {_p(idle, 99):6.2f} ms")
    print(
        f"  {CLIENTS} hostile clients running:   p50 {_p(loaded, 50):6.2f} ms   p99 {_p(loaded, 99):6.2f} ms"
        f"   (hostile requests: {statuses})"
    )
    ratio = _p(loaded, 99) / _p(idle, 99)
    print(f"  p99 ratio loaded/idle: {ratio:.2f}x (target <= 2x): {'met' if ratio <= 2 else 'NOT met'}")
    print("\nthe service's answer to each hostile document (idle service, first request after start-up)")
    for name, ms, status in answer_times:
        print(f"  {name:24} {status}  {ms:8.1f} ms")
    print("\n`contracts check` refusing each hostile document as version 1.1.0 (process wall time)")
    for name, seconds, code, reason in _gate_times(documents):
        print(f"  {name:24} exit {code}  {seconds:6.2f} s   {reason}")
