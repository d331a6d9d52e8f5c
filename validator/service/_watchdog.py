"""A client-side deadline on PostgreSQL connections, for a server that stopped answering altogether.

``statement_timeout`` and ``lock_timeout`` are the server's own: a frozen server (a paused process, a
host that stopped scheduling it) never fires them, its socket stays open, and the driver waits on it
for ever, in the pool's pre-ping or in a statement. Here each statement and each check-out ping is
armed with a deadline; one thread shuts down the socket of a connection that outlives it. The driver
then fails as on a lost connection, which the service answers 503 with ``Retry-After``, and the pool
replaces the connection.
"""

from __future__ import annotations

import logging
import socket
import threading
import time
import weakref
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DisconnectionError

log = logging.getLogger("contracts.service")


class Watchdog:
    """Deadlines of the connections of one engine, and the thread enforcing them."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._armed: dict[int, tuple[float, int, weakref.ref[Any]]] = {}  # id(conn) -> deadline, fd, conn
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._closed = False
        self._thread: threading.Thread | None = None

    def watch(self, engine: Engine) -> None:
        """Arm every statement of ``engine``, and ping each connection it checks out (armed too)."""
        event.listen(engine, "before_cursor_execute", self._before_execute)
        event.listen(engine, "after_cursor_execute", self._after_execute)
        event.listen(engine, "handle_error", self._on_error)
        event.listen(engine, "checkout", self._ping)

    def close(self) -> None:
        """Stop the thread."""
        self._closed = True
        self._wake.set()

    def arm(self, dbapi_connection: Any) -> None:
        """Give the connection ``seconds`` from now."""
        try:
            fd = dbapi_connection.fileno()
        except Exception:  # already broken: nothing to watch
            return
        with self._lock:
            self._armed[id(dbapi_connection)] = (time.monotonic() + self.seconds, fd, weakref.ref(dbapi_connection))
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="db-watchdog", daemon=True)
                self._thread.start()

    def disarm(self, dbapi_connection: Any) -> None:
        """The connection answered (or failed): no deadline."""
        with self._lock:
            self._armed.pop(id(dbapi_connection), None)

    def _run(self) -> None:
        period = min(0.5, self.seconds / 4)
        while not self._closed:
            self._wake.wait(period)
            now = time.monotonic()
            with self._lock:  # cut under the lock: a disarmed connection is never cut
                for key, (deadline, fd, ref) in list(self._armed.items()):
                    if now >= deadline:
                        del self._armed[key]
                        _cut(ref(), fd)

    # -- SQLAlchemy events ----------------------------------------------------------------------
    def _before_execute(self, conn: Any, *_: Any) -> None:
        if conn.get_execution_options().get("watchdog", True):  # migrations opt out: they may wait longer
            self.arm(conn.connection.dbapi_connection)

    def _after_execute(self, conn: Any, *_: Any) -> None:
        self.disarm(conn.connection.dbapi_connection)

    def _on_error(self, context: Any) -> None:
        connection = context.connection
        if connection is not None and not connection.closed and connection.connection.dbapi_connection is not None:
            self.disarm(connection.connection.dbapi_connection)

    def _ping(self, dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
        """What ``pool_pre_ping`` does, with a deadline: a dead or frozen connection is replaced."""
        self.arm(dbapi_connection)
        try:
            with dbapi_connection.cursor() as cursor:
                cursor.execute("SELECT 1")
            dbapi_connection.rollback()
        except Exception as exc:
            raise DisconnectionError(f"connection check failed: {exc}") from exc
        finally:
            self.disarm(dbapi_connection)


def _cut(dbapi_connection: Any, fd: int) -> None:
    """Shut the connection's socket down (the blocked driver call returns an error), if it is still that one."""
    if dbapi_connection is None or dbapi_connection.closed:
        return
    try:
        if dbapi_connection.fileno() != fd:
            return
        sock = socket.socket(fileno=fd)
    except Exception:
        return
    try:
        sock.shutdown(socket.SHUT_RDWR)
        log.warning("database did not answer in time: connection cut")
    except OSError:
        pass
    finally:
        sock.detach()  # the driver owns the descriptor; it closes it
