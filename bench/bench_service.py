"""The contract service under load: validate-endpoint throughput against the hosted mock, and
can-i-deploy latency with 100,000 stored verification records on SQLite and on PostgreSQL.

Throughput: one ``contracts serve`` process (1 worker) on 127.0.0.1, loaded by ``wrk`` (2 threads,
16 keep-alive connections; an httpx client when wrk is not installed) for a fixed time per endpoint,
endpoints interleaved; the baseline is the hosted mock of the
same operation in the same run (or ``/healthz`` while the mock package is not installed). Latency:
100,000 records bulk-loaded, then sequential can-i-deploy requests for random builds, with
``/healthz`` measured alongside as the floor. Client and server share this machine's cores.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
RECORDS = 100_000
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
REQUEST = {"customer_id": "C0001234", "context": {"channel": "web", "locale": "en-GB"}, "n": 3}


@contextmanager
def _service(database_url: str, contracts_dir: Path | None = None) -> Iterator[str]:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    argv = [
        str(Path(sys.executable).parent / "contracts"),
        "serve",
        "--port",
        str(port),
        "--database-url",
        database_url,
        "--contracts-dir",
        str(contracts_dir or ROOT / "contracts"),
    ]
    env = {**os.environ, "CONTRACTS_LOG_LEVEL": "warning"}
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                if httpx.get(base + "/readyz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            time.sleep(0.05)
        else:
            raise RuntimeError("the service did not become ready")
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=15)


async def _hammer(base: str, method: str, path: str, body: Any, seconds: float, clients: int = 32) -> float:
    """Requests per second with ``clients`` concurrent keep-alive connections for ``seconds``."""
    done = 0
    stop = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as client:

        async def worker() -> None:
            nonlocal done
            while time.perf_counter() < stop:
                response = await client.request(method, path, json=body)
                if response.status_code >= 500:
                    raise RuntimeError(f"{path} answered {response.status_code}")
                done += 1

        start = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(clients)))
        return done / (time.perf_counter() - start)


def _rate(base: str, method: str, path: str, body: Any, seconds: float, folder: str) -> float:
    """Requests per second from wrk when installed (a C load generator leaves the CPU to the server)."""
    wrk = shutil.which("wrk")
    if wrk is None:
        return asyncio.run(_hammer(base, method, path, body, seconds, clients=4))
    script = Path(folder) / "request.lua"
    lines = [f'wrk.method = "{method}"']
    if body is not None:
        lines += ['wrk.headers["Content-Type"] = "application/json"', f"wrk.body = {json.dumps(json.dumps(body))}"]
    script.write_text("\n".join(lines) + "\n")
    out = subprocess.run(
        [wrk, "-t2", "-c16", f"-d{seconds:g}s", "-s", str(script), base + path],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    if "Non-2xx" in out:
        raise RuntimeError(f"{path} gave non-2xx answers under load:\n{out}")
    return float(out.split("Requests/sec:")[1].split()[0])


def _mock_available() -> bool:
    try:
        import mocks

        return hasattr(mocks, "create_app")
    except ImportError:
        return False


def throughput() -> None:
    """Validate-endpoint requests per second against the hosted mock of the same operation."""
    validate: tuple[str, str, Any] = (
        "POST",
        "/api/v1/contracts/recommendation-api/versions/1.1.0/validate",
        {"operation": "getRecommendations", "direction": "request", "payload": REQUEST},
    )
    baseline: tuple[str, str, Any]
    if _mock_available():
        baseline_name = "hosted mock POST /mocks/recommendation-api/1.1.0/v1/recommendations"
        baseline = ("POST", "/mocks/recommendation-api/1.1.0/v1/recommendations", REQUEST)
    else:
        baseline_name = "GET /healthz (the mock package is not installed yet)"
        baseline = ("GET", "/healthz", None)
    tool = "wrk -t2 -c16" if shutil.which("wrk") else "httpx, 4 clients"
    with tempfile.TemporaryDirectory() as folder, _service(f"sqlite:///{folder}/bench.db") as base:
        # warm-up: compile, caches, connections
        _rate(base, validate[0], validate[1], validate[2], seconds=1.0, folder=folder)
        _rate(base, baseline[0], baseline[1], baseline[2], seconds=1.0, folder=folder)
        rates: dict[str, list[float]] = {"validate": [], "baseline": []}
        for _ in range(3):  # interleaved rounds: drift on a shared machine hits both alike
            rates["validate"].append(_rate(base, validate[0], validate[1], validate[2], seconds=2.0, folder=folder))
            rates["baseline"].append(_rate(base, baseline[0], baseline[1], baseline[2], seconds=2.0, folder=folder))
    v, b = statistics.median(rates["validate"]), statistics.median(rates["baseline"])
    print(f"validate endpoint            {v:9.0f} req/s (median of 3 x 2 s, {tool})")
    print(f"baseline: {baseline_name}")
    print(f"                             {b:9.0f} req/s")
    print(f"ratio validate / baseline    {v / b:9.2f}")


def _load_records(database_url: str) -> list[tuple[str, str]]:
    """Bulk-insert RECORDS verification records; return the (provider, build) pairs used."""
    from sqlalchemy import insert

    from validator.service.db import Database
    from validator.service.models import Verification

    db = Database(database_url)
    db.migrate()
    rng = random.Random(7)
    builds = [(f"provider-{p:03d}", f"build-{b:04d}") for p in range(200) for b in range(100)]
    now = datetime.now(UTC)
    rows = []
    for i in range(RECORDS):
        provider, build = builds[i % len(builds)]
        rows.append(
            {
                "provider": provider,
                "provider_version": build,
                "contract": "recommendation-api",
                "contract_version": rng.choice(["1.0.0", "1.1.0", "2.0.0"]),
                "ok": rng.random() < 0.8,
                "cases": 40,
                "failures": 0,
                "report": {"ok": True, "cases": 40, "failures": []},
                "created_at": now,
            }
        )
    with db.engine.begin() as conn:
        for start in range(0, len(rows), 10_000):
            conn.execute(insert(Verification), rows[start : start + 10_000])
    db.dispose()
    return builds


def _latencies(base: str, builds: list[tuple[str, str]], n: int = 300) -> tuple[list[float], list[float]]:
    rng = random.Random(11)
    deploy, floor = [], []
    with httpx.Client(base_url=base, timeout=30) as client:
        for _ in range(20):
            client.get("/healthz")
        for _ in range(n):
            provider, build = rng.choice(builds)
            start = time.perf_counter()
            response = client.get(
                "/api/v1/can-i-deploy",
                params={"provider": provider, "version": build, "contract": "recommendation-api@1.1.0"},
            )
            deploy.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200 and response.json()["verifications"] is not None
            start = time.perf_counter()
            client.get("/healthz")
            floor.append((time.perf_counter() - start) * 1000)
    return deploy, floor


def _report(label: str, deploy: list[float], floor: list[float]) -> None:
    q = statistics.quantiles(deploy, n=100)
    f = statistics.quantiles(floor, n=100)
    print(
        f"can-i-deploy on {label:10s} p50 {q[49]:6.2f} ms  p95 {q[94]:6.2f} ms   "
        f"(/healthz p50 {f[49]:5.2f} ms; ratio p50 {q[49] / f[49]:4.1f}x)"
    )


def deploy_latency() -> None:
    """can-i-deploy latency with RECORDS stored, on SQLite and on PostgreSQL."""
    import psycopg

    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/bench.db"
        started = time.perf_counter()
        builds = _load_records(url)
        print(f"loaded {RECORDS} records into SQLite in {time.perf_counter() - started:.1f} s")
        with _service(url) as base:
            _report("SQLite", *_latencies(base, builds))
    name = f"contracts_bench_{secrets.token_hex(4)}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
        started = time.perf_counter()
        builds = _load_records(url)
        print(f"loaded {RECORDS} records into PostgreSQL in {time.perf_counter() - started:.1f} s")
        with psycopg.connect(url.replace("+psycopg", ""), autocommit=True) as conn:
            conn.execute("ANALYZE verifications")
        with _service(url) as base:
            _report("PostgreSQL", *_latencies(base, builds))
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main() -> None:
    """Print validate-endpoint throughput vs the mock, and can-i-deploy latency on both databases."""
    throughput()
    deploy_latency()
