"""The web catalogue's latency: ``GET /ui/`` with 50 contracts x 10 versions and 10,000 verification
records, on SQLite and on PostgreSQL (target p95 under 100 ms); a version page, the changelog and the
matrix page of one contract beside it.

One ``contracts serve`` process on 127.0.0.1; the first visit of each page is timed (the catalogue reads
each contract's latest ``info``; a version page loads that version; the changelog diffs two), then
sequential requests after a warm-up. Floors measured in the same run, interleaved: ``/healthz`` and the
JSON catalogue ``/api/v1/contracts``.
"""

from __future__ import annotations

import random
import secrets
import shutil
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

from .bench_service import PG_ADMIN, ROOT, _service

CONTRACTS, VERSIONS, RECORDS, SAMPLES = 50, 10, 10_000, 300
TARGET_P95_MS = 100.0


def _contracts(folder: Path) -> list[str]:
    """CONTRACTS copies of the example recommendation contract, VERSIONS versions each (1.0.0 ... 1.9.0)."""
    source = ROOT / "contracts" / "recommendation-api" / "1.1.0"
    text = (source / "openapi.yaml").read_text()
    names = [f"model-{i:02d}-api" for i in range(CONTRACTS)]
    for name in names:
        for minor in range(VERSIONS):
            target = folder / name / f"1.{minor}.0"
            shutil.copytree(source, target)
            (target / "openapi.yaml").write_text(
                text.replace("version: 1.1.0", f"version: 1.{minor}.0", 1).replace(
                    "title: Recommendation API", f"title: Model {name}", 1
                )
            )
    return names


def _load_records(url: str, names: list[str]) -> None:
    from sqlalchemy import insert

    from validator.service.db import Database
    from validator.service.models import Verification

    db = Database(url)
    db.migrate()
    rng = random.Random(5)
    start = datetime.now(UTC) - timedelta(days=30)
    rows = [
        {
            "provider": f"provider-{rng.randrange(40):02d}",
            "provider_version": f"build-{rng.randrange(25):03d}",
            "contract": rng.choice(names),
            "contract_version": f"1.{rng.randrange(VERSIONS)}.0",
            "ok": rng.random() < 0.8,
            "cases": 40,
            "failures": 0,
            "report": {"ok": True, "cases": 40, "failures": []},
            "created_at": start + timedelta(seconds=i * 60),
        }
        for i in range(RECORDS)
    ]
    with db.engine.begin() as conn:
        conn.execute(insert(Verification), rows)
    db.dispose()


def _timed(client: httpx.Client, path: str) -> float:
    started = time.perf_counter()
    response = client.get(path)
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code != 200:
        raise RuntimeError(f"{path} answered {response.status_code}")
    return elapsed


def _measure(label: str, base: str, names: list[str]) -> bool:
    latest = f"1.{VERSIONS - 1}.0"
    paths = {
        "catalogue page /ui/": "/ui/",
        f"version page {names[0]}@{latest}": f"/ui/contracts/{names[0]}/{latest}",
        f"changelog page of {names[0]}": f"/ui/contracts/{names[0]}/changelog",
        f"matrix page of {names[0]}": f"/ui/verifications?contract={names[0]}",
        "JSON catalogue /api/v1/contracts": "/api/v1/contracts",
        "/healthz": "/healthz",
    }
    timings: dict[str, list[float]] = {k: [] for k in paths}
    with httpx.Client(base_url=base, timeout=60) as client:
        first = {key: _timed(client, path) for key, path in paths.items() if "page" in key}
        cold = first["catalogue page /ui/"]
        for _ in range(10):
            for path in paths.values():
                _timed(client, path)
        for _ in range(SAMPLES):  # interleaved: drift on a shared machine hits every path alike
            for key, path in paths.items():
                timings[key].append(_timed(client, path))
    size = len(httpx.get(base + "/ui/", timeout=60).content)
    print(f"{label}: first /ui/ visit {cold:.0f} ms (reads {CONTRACTS} versions' info); page {size / 1024:.0f} KiB")
    print("  first visits: " + ", ".join(f"{key} {ms:.0f} ms" for key, ms in first.items()))
    floor = statistics.median(timings["/healthz"])
    for key, values in timings.items():
        q = statistics.quantiles(values, n=100)
        print(f"  {key:36s} p50 {q[49]:7.2f} ms  p95 {q[94]:7.2f} ms  (p50 {q[49] / floor:5.1f}x /healthz)")
    p95 = statistics.quantiles(timings["catalogue page /ui/"], n=100)[94]
    verdict = p95 < TARGET_P95_MS
    print(f"  catalogue p95 {p95:.1f} ms: {'meets' if verdict else 'MISSES'} the {TARGET_P95_MS:.0f} ms target")
    return verdict


def main() -> None:
    """Catalogue and matrix page latency on SQLite and PostgreSQL."""
    import psycopg

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        names = _contracts(folder / "contracts")
        print(f"{CONTRACTS} contracts x {VERSIONS} versions, {RECORDS} verification records, {SAMPLES} samples each")
        url = f"sqlite:///{folder}/ui.db"
        _load_records(url, names)
        with _service(url, folder / "contracts") as base:
            _measure("SQLite", base, names)
        name = f"contracts_bench_ui_{secrets.token_hex(4)}"
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        try:
            url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
            _load_records(url, names)
            with psycopg.connect(url.replace("+psycopg", ""), autocommit=True) as conn:
                conn.execute("ANALYZE verifications")
            with _service(url, folder / "contracts") as base:
                _measure("PostgreSQL", base, names)
        finally:
            with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
