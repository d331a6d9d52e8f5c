"""What `contracts serve` says and does at start-up: a warning when no write token is set, and the
PostgreSQL database of its URL created when the server lacks it (the README's command works as written)."""

from __future__ import annotations

import secrets
from contextlib import AbstractContextManager
from pathlib import Path

import httpx
import psycopg

from tests.support.paths import CONTRACTS
from tests.support.servers import contracts_cmd, serve

from .conftest import PG_ADMIN


def _serve(url: str, log: Path, tokens: str) -> AbstractContextManager[str]:
    argv = contracts_cmd("serve", "--port", "{port}", "--database-url", url, "--contracts-dir", str(CONTRACTS))
    return serve(argv, ready_path="/healthz", env={"CONTRACTS_API_TOKENS": tokens}, output=log)


def test_no_write_token_is_warned_about_at_start_up(tmp_path: Path) -> None:
    log = tmp_path / "serve.log"
    with _serve(f"sqlite:///{tmp_path / 'c.db'}", log, "") as base:
        assert httpx.get(base + "/healthz").status_code == 200
    assert "no write token set" in log.read_text()
    assert "CONTRACTS_API_TOKENS" in log.read_text()


def test_a_token_silences_the_warning(tmp_path: Path) -> None:
    log = tmp_path / "serve.log"
    with _serve(f"sqlite:///{tmp_path / 'c.db'}", log, "t" * 32) as base:
        assert httpx.get(base + "/healthz").status_code == 200
    assert "no write token set" not in log.read_text()


def test_a_missing_postgresql_database_is_created(tmp_path: Path) -> None:
    name = f"contracts_readme_{secrets.token_hex(5)}"
    url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    log = tmp_path / "serve.log"
    try:
        with _serve(url, log, "t" * 32) as base:
            ready = httpx.get(base + "/readyz")
            assert ready.status_code == 200, ready.text + log.read_text()
            with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
                assert conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone() == (1,)
        assert "created the database the URL names" in log.read_text()
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
