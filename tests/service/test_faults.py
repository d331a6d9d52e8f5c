"""A stalled database gives 503 with Retry-After within the statement timeout, not a hang; the health
check answers meanwhile, and the service serves again once the stall ends.

The stalls are real: another connection holds a lock on the table (PostgreSQL: ``LOCK TABLE``, also
while that session sleeps in ``pg_sleep``; SQLite: an exclusive transaction), on the run's databases.
"""

from __future__ import annotations

import sqlite3
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import psycopg
import pytest

from tests.support.paths import CONTRACTS

from .conftest import BACKENDS, TOKEN, Service, database_url, start

STATEMENT_TIMEOUT = 1.0
SLACK = 4.0  # a loaded machine's delay on top of the timeout
pytestmark = pytest.mark.slow  # real servers and real locks


@pytest.fixture(scope="module", params=BACKENDS)
def tight(request: pytest.FixtureRequest, pg_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    """A service whose statements may wait one second."""
    folder = tmp_path_factory.mktemp(f"faults-{request.param}")
    url = database_url(request.param, pg_url, folder)
    env = {"CONTRACTS_DB_STATEMENT_TIMEOUT": str(STATEMENT_TIMEOUT)}
    with start(CONTRACTS, url, extra_env=env) as base:
        yield Service(base, CONTRACTS, url)


def _record(provider: str) -> dict[str, object]:
    return {
        "provider": provider,
        "provider_version": "1",
        "contract": "recommendation-api",
        "contract_version": "1.0.0",
        "ok": True,
    }


def _hold_lock(service: Service, released: threading.Event, locked: threading.Event, sleep: bool) -> None:
    """Hold a lock on the verifications table until ``released`` (PostgreSQL, or SQLite's whole file)."""
    if service.database_url.startswith("sqlite"):
        conn = sqlite3.connect(service.database_url.removeprefix("sqlite:///"), isolation_level=None)
        try:
            conn.execute("BEGIN EXCLUSIVE")
            locked.set()
            released.wait(60)
            conn.execute("ROLLBACK")
        finally:
            conn.close()
        return
    with psycopg.connect(service.database_url.replace("+psycopg", "")) as pg:
        pg.execute("LOCK TABLE verifications IN ACCESS EXCLUSIVE MODE")
        locked.set()
        if sleep:  # the session holding the lock is itself stuck, as a runaway query would be
            pg.execute("SELECT pg_sleep(3)")
        released.wait(60)
        pg.rollback()


def _timed(call: Callable[[], httpx.Response]) -> tuple[httpx.Response, float]:
    start_at = time.monotonic()
    response = call()
    return response, time.monotonic() - start_at


def test_a_locked_table_gives_503_with_retry_after_within_the_timeout(tight: Service) -> None:
    sqlite = tight.database_url.startswith("sqlite")
    provider = f"fault-{uuid.uuid4().hex[:8]}"
    released, locked = threading.Event(), threading.Event()
    # PostgreSQL: the session holding the lock is itself stuck in pg_sleep, as a runaway query would be.
    holder = threading.Thread(target=_hold_lock, args=(tight, released, locked, not sqlite))
    with tight.client(TOKEN) as client:
        assert client.post("/api/v1/verifications", json=_record(provider)).status_code == 201
        holder.start()
        try:
            assert locked.wait(10)
            calls = [lambda: client.post("/api/v1/verifications", json=_record(provider))]
            if not sqlite:  # SQLite's readers go on past a writer (WAL): only writes stall there
                calls.append(lambda: client.get("/api/v1/verifications", params={"provider": provider}))
            with ThreadPoolExecutor(8) as pool:  # several at once: pooled connections must not pile up
                answers = list(pool.map(_timed, calls * 4))
            health, health_took = _timed(lambda: client.get("/healthz"))
        finally:
            released.set()
            holder.join(30)
        after = client.get("/api/v1/verifications", params={"provider": provider})
    for response, took in answers:
        assert response.status_code == 503, response.text
        assert int(response.headers["retry-after"]) > 0
        assert response.headers["content-type"] == "application/problem+json"
        assert took < STATEMENT_TIMEOUT + SLACK
    assert health.status_code == 200 and health_took < 2
    assert after.status_code == 200
    assert len(after.json()["verifications"]) == 1  # nothing was stored during the stall


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_statement_timeout_reaches_the_database(backend: str, pg_url: str, tmp_path: Path) -> None:
    from validator.service.db import Database

    db = Database(database_url(backend, pg_url, tmp_path), statement_timeout=2.5)
    db.migrate()
    with db.engine.connect() as conn:
        if backend == "sqlite":
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 2500
        else:
            assert conn.exec_driver_sql("SHOW statement_timeout").scalar() == "2500ms"
            assert conn.exec_driver_sql("SHOW lock_timeout").scalar() == "2500ms"
    db.dispose()


def test_publishing_through_a_stall_retries_with_one_key_and_stores_the_record_once(tight: Service) -> None:
    from validator.cli._publish import publish

    provider = f"publish-{uuid.uuid4().hex[:8]}"
    released, locked = threading.Event(), threading.Event()
    holder = threading.Thread(target=_hold_lock, args=(tight, released, locked, False))
    holder.start()
    assert locked.wait(10)
    threading.Timer(STATEMENT_TIMEOUT + 1, released.set).start()  # the stall ends while publish waits
    try:
        stored = publish(
            tight.url,
            TOKEN,
            provider=provider,
            provider_version="1",
            contract="recommendation-api",
            contract_version="1.0.0",
            report={"ok": True, "cases": 1, "failures": []},
        )
    finally:
        released.set()
        holder.join(30)
    with tight.client(TOKEN) as client:
        listed = client.get("/api/v1/verifications", params={"provider": provider}).json()["verifications"]
    assert [r["id"] for r in listed] == [stored["id"]]
