"""A database outage: 503 with Retry-After (never 500) while it lasts, and recovery by itself after.

The outage is real: a private PostgreSQL cluster (initdb under a temporary folder, its own port) is
stopped and started under the running service, so the machine's shared cluster is never touched.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from tests.support.paths import CONTRACTS
from tests.support.servers import free_port

from .conftest import TOKEN, start

PG_BIN = Path("/usr/lib/postgresql/15/bin")


class Cluster:
    """A throwaway PostgreSQL cluster run as the ``postgres`` user."""

    def __init__(self, folder: Path, port: int) -> None:
        self.folder, self.port = folder, port
        self.data = folder / "data"

    def _run(self, *argv: str) -> None:
        as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        subprocess.run([*as_postgres, *argv], check=True, capture_output=True, timeout=60)

    def init(self) -> None:
        self._run(str(PG_BIN / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres", "--no-sync")

    def start(self) -> None:
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={self.folder}"
        self._run(
            str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-o", options, "-w", "-l", str(self.folder / "log"), "start"
        )

    def stop(self) -> None:
        self._run(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")

    def running(self) -> bool:
        return (self.data / "postmaster.pid").exists()


@pytest.fixture
def cluster() -> Iterator[Cluster]:
    if not (PG_BIN / "initdb").is_file():
        pytest.fail(f"{PG_BIN}/initdb is needed for the outage test (PostgreSQL 15 server binaries)")
    folder = Path(tempfile.mkdtemp(prefix="contracts-pg-"))
    shutil.chown(folder, "postgres") if os.geteuid() == 0 else None
    db = Cluster(folder, free_port())
    try:
        db.init()
        db.start()
        yield db
    finally:
        if db.running():
            db.stop()
        shutil.rmtree(folder, ignore_errors=True)


def test_outage_gives_503_with_retry_after_and_the_service_recovers(cluster: Cluster) -> None:
    url = f"postgresql+psycopg://postgres@127.0.0.1:{cluster.port}/postgres"
    record = {
        "provider": "outage",
        "provider_version": "1",
        "contract": "recommendation-api",
        "contract_version": "1.0.0",
        "ok": True,
    }
    with (
        start(CONTRACTS, url) as base,
        httpx.Client(base_url=base, timeout=30, headers={"Authorization": f"Bearer {TOKEN}"}) as c,
    ):
        assert c.post("/api/v1/verifications", json=record).status_code == 201
        cluster.stop()
        during = [
            c.get("/api/v1/verifications"),
            c.post("/api/v1/verifications", json=record),
            c.get(
                "/api/v1/can-i-deploy",
                params={"provider": "outage", "version": "1", "contract": "recommendation-api@1.0.0"},
            ),
            c.get("/readyz"),
        ]
        # What does not need the database keeps working.
        catalogue = c.get("/api/v1/contracts")
        health = c.get("/healthz")
        cluster.start()
        deadline = time.monotonic() + 30
        while (after := c.get("/api/v1/verifications", params={"provider": "outage"})).status_code != 200:
            assert after.status_code == 503, after.text
            assert time.monotonic() < deadline, "the service did not recover within 30 s"
            time.sleep(0.5)
        ready = c.get("/readyz")
        posted = c.post("/api/v1/verifications", json=record)
    for response in during:
        assert response.status_code == 503, response.text
        assert int(response.headers["retry-after"]) > 0
        assert response.headers["content-type"] == "application/problem+json"
    assert catalogue.status_code == health.status_code == 200
    assert len(after.json()["verifications"]) == 1  # the record stored before the outage survived
    assert ready.status_code == 200
    assert posted.status_code == 201


def test_a_service_started_while_the_database_is_down_migrates_once_it_is_up(cluster: Cluster) -> None:
    url = f"postgresql+psycopg://postgres@127.0.0.1:{cluster.port}/postgres"
    cluster.stop()
    with start(CONTRACTS, url) as base, httpx.Client(base_url=base, timeout=30) as c:
        ready_before = c.get("/readyz")
        listed_before = c.get("/api/v1/verifications")
        cluster.start()
        deadline = time.monotonic() + 30
        while c.get("/readyz").status_code != 200:
            assert time.monotonic() < deadline, "the service did not become ready within 30 s"
            time.sleep(0.5)
        listed = c.get("/api/v1/verifications")
    assert ready_before.status_code == listed_before.status_code == 503
    assert ready_before.headers["retry-after"]
    assert listed.status_code == 200 and listed.json()["verifications"] == []


def _cluster_pids(cluster: Cluster) -> list[int]:
    """The postmaster and every process it started."""
    postmaster = int((cluster.data / "postmaster.pid").read_text().split()[0])
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == postmaster:  # the parent pid
            children.append(int(stat.parent.name))
    return [postmaster, *children]


def test_a_frozen_server_gives_503_within_the_timeouts_and_the_service_recovers(cluster: Cluster) -> None:
    """SIGSTOP: the server answers nothing and fires none of its own timeouts; sockets stay open."""
    url = f"postgresql+psycopg://postgres@127.0.0.1:{cluster.port}/postgres"
    record = {
        "provider": "frozen",
        "provider_version": "1",
        "contract": "recommendation-api",
        "contract_version": "1.0.0",
        "ok": True,
    }
    env = {"CONTRACTS_DB_STATEMENT_TIMEOUT": "1", "CONTRACTS_DB_CONNECT_TIMEOUT": "2"}
    with (
        start(CONTRACTS, url, extra_env=env) as base,
        httpx.Client(base_url=base, timeout=60, headers={"Authorization": f"Bearer {TOKEN}"}) as c,
    ):
        assert c.post("/api/v1/verifications", json=record).status_code == 201  # a pooled connection exists
        frozen = _cluster_pids(cluster)
        for pid in frozen:
            os.kill(pid, signal.SIGSTOP)
        try:
            during = []
            calls: tuple[Callable[[], httpx.Response], ...] = (
                lambda: c.get("/api/v1/verifications"),
                lambda: c.post("/api/v1/verifications", json=record),
                lambda: c.get("/readyz"),
            )
            for call in calls:
                started = time.monotonic()
                during.append((call(), time.monotonic() - started))
            health = c.get("/healthz")
        finally:
            for pid in frozen:
                os.kill(pid, signal.SIGCONT)
        deadline = time.monotonic() + 30
        while (after := c.get("/api/v1/verifications", params={"provider": "frozen"})).status_code != 200:
            assert time.monotonic() < deadline, "the service did not recover within 30 s"
            time.sleep(0.5)
    for response, took in during:
        assert response.status_code == 503, response.text
        assert int(response.headers["retry-after"]) > 0
        # the watchdog (1.5 x 1 s + 1 s), then one connection attempt (2 s), and a loaded machine's delay
        assert took < 15, took
    assert health.status_code == 200
    assert len(after.json()["verifications"]) == 1
