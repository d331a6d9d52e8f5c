"""Storage: the engine (SQLite in WAL mode or PostgreSQL), sessions, migrations at start-up, outages.

An unreachable database is not a bug: every operational failure of the driver becomes
:class:`DatabaseUnavailable`, which the app answers with 503 and ``Retry-After``. The pool
pre-pings connections, so the service recovers by itself once the database is back.

A stalled database is an outage too: connecting is bounded by ``connect_timeout``, and a statement,
a wait for a lock (PostgreSQL's ``statement_timeout`` and ``lock_timeout``, SQLite's busy timeout)
and a wait for a pooled connection by ``statement_timeout``, so a request gets its 503 in seconds
instead of waiting for as long as the stall lasts. A PostgreSQL server that stopped answering at all
fires none of its own timeouts: a watchdog (:mod:`._watchdog`) cuts such connections a little later.
"""

from __future__ import annotations

import fcntl
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, DataError, DBAPIError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import NullPool

from ..errors import UsageError
from ._watchdog import Watchdog

_MIGRATION_LOCK = 0x636F6E74  # "cont": the PostgreSQL advisory lock key serialising start-up migrations


class DatabaseUnavailable(Exception):
    """The database cannot be reached or refused the operation for operational reasons."""


class DatabaseRefused(Exception):
    """The database refused a value (e.g. a NUL character PostgreSQL text cannot hold)."""


def normalise_url(url: str) -> str:
    """Accept ``postgresql://`` and ``postgres://`` as the psycopg 3 driver; refuse what is not a URL."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise UsageError(
            f"{url!r} is not a database URL", hint="e.g. sqlite:///.contracts/c.db or postgresql+psycopg://host/db"
        ) from None
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise UsageError(f"database {parsed.get_backend_name()!r} is not supported", hint="use SQLite or PostgreSQL")
    return parsed.render_as_string(hide_password=False)


class Database:
    """One engine, its session factory and the schema's migration state."""

    def __init__(self, url: str, *, connect_timeout: int = 3, statement_timeout: float = 5.0) -> None:
        self.url = normalise_url(url)
        self.is_sqlite = self.url.startswith("sqlite")
        self.statement_timeout = statement_timeout
        self._watchdog: Watchdog | None = None
        self.engine = self._engine(connect_timeout)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._migrated = False
        self._lock = threading.Lock()

    def _engine(self, connect_timeout: int) -> Engine:
        if self.is_sqlite:
            path = make_url(self.url).database
            if path and path != ":memory:":
                Path(path).parent.mkdir(parents=True, exist_ok=True)
            engine = create_engine(
                self.url, connect_args={"timeout": self.statement_timeout, "check_same_thread": False}
            )
            event.listen(engine, "connect", _sqlite_pragmas(self.statement_timeout))
            return engine
        timeout_ms = max(1, round(self.statement_timeout * 1000))
        engine = create_engine(
            self.url,
            pool_size=10,
            max_overflow=20,
            pool_timeout=self.statement_timeout,
            connect_args={
                "connect_timeout": connect_timeout,
                "options": f"-c statement_timeout={timeout_ms} -c lock_timeout={timeout_ms}",
            },
        )
        # After the server's own timeouts would have fired; it also pings each checked-out connection
        # (instead of pool_pre_ping, whose ping has no deadline).
        self._watchdog = Watchdog(self.statement_timeout * 1.5 + 1)
        self._watchdog.watch(engine)
        return engine

    def migrate(self) -> None:
        """Bring the schema to the newest revision; concurrent processes wait for each other."""
        try:
            if self.is_sqlite:
                self._migrate_sqlite()
            else:
                with self.engine.begin() as conn:
                    # Workers starting together wait here for the first one's migration: longer than a statement.
                    conn.execution_options(watchdog=False)
                    conn.execute(text("SET LOCAL statement_timeout = '60s'"))
                    conn.execute(text("SET LOCAL lock_timeout = '60s'"))
                    conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _MIGRATION_LOCK})
                    _upgrade(conn)
        except DBAPIError as exc:
            raise DatabaseUnavailable(_reason(exc)) from exc
        self._migrated = True

    def create_if_missing(self) -> bool:
        """Create the PostgreSQL database the URL names when the server lacks it; True when created.

        A first ``contracts serve --database-url postgresql+psycopg://.../contracts`` then works as written,
        instead of retrying forever against a database nobody created.
        """
        url = make_url(self.url)
        if self.is_sqlite or not url.database:
            return False
        name = url.database
        admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT", poolclass=NullPool)
        try:
            with admin.connect() as conn:
                if conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).scalar():
                    return False
                quoted = name.replace('"', '""')
                conn.execute(text(f'CREATE DATABASE "{quoted}"'))
                return True
        except DBAPIError as exc:
            if "already exists" in _reason(exc):  # another worker created it a moment ago
                return False
            raise DatabaseUnavailable(_reason(exc)) from exc
        finally:
            admin.dispose()

    def _migrate_sqlite(self) -> None:
        path = make_url(self.url).database
        if not path or path == ":memory:":
            with self.engine.begin() as conn:
                _upgrade(conn)
            return
        # Workers of one service share the file: a file lock serialises their migrations.
        with Path(path + ".migrate-lock").open("w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            with self.engine.begin() as conn:
                _upgrade(conn)

    def ensure_migrated(self) -> None:
        """Migrate now if start-up could not (the database was down then)."""
        if not self._migrated:
            with self._lock:
                if not self._migrated:
                    self.migrate()

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session in one transaction, committed on success; outages raise DatabaseUnavailable."""
        self.ensure_migrated()
        try:
            with self.sessions.begin() as session:
                yield session
        except DBAPIError as exc:
            if exc.connection_invalidated or _operational(exc):
                raise DatabaseUnavailable(_reason(exc)) from exc
            if isinstance(exc, DataError):
                raise DatabaseRefused(_reason(exc)) from exc
            raise
        except SQLAlchemyError as exc:
            if "QueuePool limit" in str(exc) or "timed out" in str(exc):
                raise DatabaseUnavailable("no database connection became free in time") from exc
            raise

    def ping(self) -> bool:
        """Whether the database answers a trivial query now."""
        try:
            with self.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
        except SQLAlchemyError:
            return False
        return True

    def dispose(self) -> None:
        """Close every pooled connection."""
        if self._watchdog is not None:
            self._watchdog.close()
        self.engine.dispose()


def _upgrade(conn: Any) -> None:
    config = Config()
    config.set_main_option("script_location", str(resources.files("validator.service") / "migrations"))
    config.attributes["connection"] = conn
    command.upgrade(config, "head")


def _sqlite_pragmas(timeout: float) -> Callable[[Any, Any], None]:
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        # WAL lets readers proceed while one writer commits; busy_timeout waits out the writer lock.
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA busy_timeout={max(1, round(timeout * 1000))}")
        cursor.close()

    return on_connect


def _operational(exc: DBAPIError) -> bool:
    from sqlalchemy.exc import InterfaceError, OperationalError

    return isinstance(exc, OperationalError | InterfaceError)


def _reason(exc: DBAPIError) -> str:
    original = str(exc.orig).strip().splitlines()[0] if exc.orig is not None else type(exc).__name__
    return original[:300]
