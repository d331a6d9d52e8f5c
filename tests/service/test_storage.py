"""Storage on SQLite and PostgreSQL: migrations at start-up, records round-trip, refused values."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from validator.errors import UsageError
from validator.service.db import Database, DatabaseRefused, DatabaseUnavailable, normalise_url
from validator.service.store import Filter, NewVerification, add, find, for_build, get

from .conftest import BACKENDS, database_url


@pytest.fixture(params=BACKENDS)
def db(request: pytest.FixtureRequest, pg_url: str, tmp_path: Path) -> Iterator[Database]:
    database = Database(database_url(request.param, pg_url, tmp_path))
    database.migrate()
    yield database
    database.dispose()


def test_migrations_create_the_table_and_are_idempotent(db: Database) -> None:
    db.migrate()  # a second start-up finds the schema current
    tables = inspect(db.engine).get_table_names()
    assert {"verifications", "alembic_version"} <= set(tables)
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == "0002"


def test_sqlite_runs_in_wal_mode(tmp_path: Path) -> None:
    database = Database(f"sqlite:///{tmp_path / 'nested' / 'c.db'}")
    database.migrate()
    with database.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
    assert (tmp_path / "nested" / "c.db").is_file()
    database.dispose()


def test_records_round_trip_and_filter(db: Database) -> None:
    provider = f"p-{uuid.uuid4().hex[:8]}"
    first = add(
        db,
        NewVerification(
            provider, "sha1", "recommendation-api", "1.0.0", True, 10, 0, {"ok": True, "nested": {"a": [1, 2]}}
        ),
    )
    second = add(db, NewVerification(provider, "sha2", "recommendation-api", "1.1.0", False, 10, 3))
    assert get(db, first["id"]) == first
    assert first["report"] == {"ok": True, "nested": {"a": [1, 2]}}
    assert [r["id"] for r in find(db, Filter(provider=provider))] == [second["id"], first["id"]]
    assert [r["id"] for r in find(db, Filter(provider=provider, ok=False))] == [second["id"]]
    assert [r["id"] for r in find(db, Filter(provider=provider, before=second["id"]))] == [first["id"]]
    assert [r["id"] for r in for_build(db, provider, "sha1", "recommendation-api")] == [first["id"]]
    assert get(db, 10**12) is None


def test_a_report_quoting_a_nul_character_is_kept(db: Database) -> None:
    new = NewVerification("p", "v", "recommendation-api", "1.0.0", True, report={"text": "a\u0000b"})
    assert add(db, new)["report"] == {"text": "a\u0000b"}


def test_a_nul_in_a_label_is_refused_by_postgresql_not_a_crash(db: Database) -> None:
    new = NewVerification("p\u0000", "v", "recommendation-api", "1.0.0", True)
    if db.is_sqlite:
        assert add(db, new)["provider"] == "p\u0000"
    else:
        with pytest.raises(DatabaseRefused):
            add(db, new)


def test_an_unreachable_database_is_unavailable_not_a_crash() -> None:
    database = Database("postgresql+psycopg://postgres@127.0.0.1:1/nothing", connect_timeout=1)
    with pytest.raises(DatabaseUnavailable):
        database.migrate()
    assert database.ping() is False
    with pytest.raises(DatabaseUnavailable):
        find(database, Filter())


def test_database_urls_are_normalised_or_refused() -> None:
    assert normalise_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    with pytest.raises(UsageError, match="not a database URL"):
        normalise_url("not a url")
    with pytest.raises(UsageError, match="not supported"):
        normalise_url("mysql://u@h/db")
