"""Service fixtures: a throwaway PostgreSQL database per run, and real `contracts serve` processes."""

from __future__ import annotations

import json
import secrets
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest

from tests.support.paths import CONTRACTS
from tests.support.servers import contracts_cmd, serve

PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
TOKEN = "test-token-" + "x" * 24
BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    """A fresh PostgreSQL database for this run (``contracts_test_<random>``), dropped at the end."""
    name = f"contracts_test_{secrets.token_hex(6)}"
    try:
        with psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=5) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as exc:
        pytest.fail(f"PostgreSQL at 127.0.0.1:5432 is needed (scripts/ensure-postgres.sh starts it): {exc}")
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def database_url(backend: str, pg_url: str, folder: Path) -> str:
    """A database URL of the backend: a new SQLite file in ``folder``, or the run's PostgreSQL database."""
    return f"sqlite:///{folder / 'contracts.db'}" if backend == "sqlite" else pg_url


@dataclass
class Service:
    """A running `contracts serve` process: its base URL, contracts folder and database URL."""

    url: str
    contracts: Path
    database_url: str

    def client(self, token: str | None = None) -> httpx.Client:
        """An HTTP client on the service (with a bearer token when given)."""
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=30)


def start(
    contracts: Path,
    url: str,
    *,
    extra_env: dict[str, str] | None = None,
    args: tuple[str, ...] = (),
    output: Path | None = None,
) -> AbstractContextManager[str]:
    """The context manager running one service process."""
    env = {"CONTRACTS_API_TOKENS": f"other-token,{TOKEN}", **(extra_env or {})}
    return serve(
        contracts_cmd("serve", "--port", "{port}", "--database-url", url, "--contracts-dir", str(contracts), *args),
        ready_path="/healthz",
        env=env,
        output=output,
    )


@pytest.fixture(scope="session", params=BACKENDS)
def service(request: pytest.FixtureRequest, pg_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    """One service per backend for the run, on a writable copy of the example contracts."""
    folder = tmp_path_factory.mktemp(f"service-{request.param}")
    contracts = folder / "contracts"
    shutil.copytree(CONTRACTS, contracts)
    url = database_url(request.param, pg_url, folder)
    with start(contracts, url) as base:
        yield Service(base, contracts, url)


def published_run(argv: list[str], timeout: float) -> dict[str, Any]:
    """Run ``contracts test ... --publish`` as a user would, the token in its environment; its passing JSON report."""
    done = subprocess.run(
        argv,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={"CONTRACTS_API_TOKEN": TOKEN, "PATH": "/usr/bin:/bin"},
    )
    report: dict[str, Any] = json.loads(done.stdout)
    assert done.returncode == 0, json.dumps(report["failures"], indent=1)[:4000]
    return report
