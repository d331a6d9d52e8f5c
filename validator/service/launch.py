"""Starting the service: effective settings from flags and environment, then uvicorn."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from ..errors import UsageError
from .db import normalise_url
from .observability import log_config, share_metrics
from .settings import Settings


def run(
    *,
    host: str | None = None,
    port: int | None = None,
    workers: int | None = None,
    database_url: str | None = None,
    contracts_dir: Path | None = None,
) -> None:
    """Serve until stopped; bad settings, a missing folder or a busy port are a UsageError before any start."""
    import uvicorn
    from uvicorn.config import STARTUP_FAILURE
    from uvicorn.supervisors import Multiprocess

    from mocks.server import bind, server_config

    settings = settings_from(
        host=host, port=port, workers=workers, database_url=database_url, contracts_dir=contracts_dir
    )
    # A busy port or an unknown host is a usage error here, not a log line and uvicorn's exit 3.
    sock = bind(settings.host, settings.port)
    # The app (and each worker) reads its settings from the environment: hand over the effective
    # ones, so what it logs at start-up is what runs.
    os.environ.update(
        {
            "CONTRACTS_DATABASE_URL": settings.database_url,
            "CONTRACTS_DIR": str(settings.contracts_dir.resolve()),
            "CONTRACTS_HOST": settings.host,
            "CONTRACTS_PORT": str(settings.port),
            "CONTRACTS_WORKERS": str(settings.workers),
        }
    )
    # Idle keep-alive connections live 75 s, longer than clients and proxies keep theirs, so a
    # client never reuses a connection the server has just closed.
    config = server_config(
        "validator.service.app:create_app",
        settings.http_limits(),
        factory=True,
        host=settings.host,
        port=settings.port,
        workers=settings.workers,
        log_config=log_config(settings.log_level),
        log_level=None,
        lifespan="on",
        timeout_graceful_shutdown=10,
        timeout_keep_alive=75,
    )
    server = uvicorn.Server(config)
    runtime: Path | None = None
    try:
        if settings.workers > 1:
            runtime = _shared_by_workers()
            _preload_for_fork()
            Multiprocess(config, sockets=[sock]).run()
        else:
            server.run(sockets=[sock])
    except KeyboardInterrupt:
        pass
    finally:
        sock.close()
        if runtime is not None:
            shutil.rmtree(runtime, ignore_errors=True)
    if settings.workers == 1 and not server.started:
        raise SystemExit(STARTUP_FAILURE)


def _shared_by_workers() -> Path:
    """A fresh folder the workers share for this run: their metrics files and the catalogue's generation."""
    runtime = Path(tempfile.mkdtemp(prefix="contracts-serve-"))
    (runtime / "metrics").mkdir()
    share_metrics(str(runtime / "metrics"))
    os.environ["CONTRACTS_RUNTIME_DIR"] = str(runtime)
    return runtime


def settings_from(**flags: Any) -> Settings:
    """The effective settings: flags (those given) over the CONTRACTS_* variables, checked."""
    from pydantic import ValidationError

    # Workers are separate processes that build the app from the environment, so the effective
    # settings are handed to them there (see run).
    if flags.get("contracts_dir") is not None:
        flags["contracts_dir"] = flags["contracts_dir"].resolve()
    try:
        settings = Settings(**{k: v for k, v in flags.items() if v is not None})
    except ValidationError as exc:
        first = exc.errors()[0]
        raise UsageError(
            f"setting {'.'.join(map(str, first['loc']))}: {first['msg']}",
            hint="check the CONTRACTS_* environment variables and the flags",
        ) from None
    normalise_url(settings.database_url)  # a bad URL is a usage error before anything starts
    if not settings.contracts_dir.is_dir():
        raise UsageError(
            f"contracts folder {settings.contracts_dir} does not exist",
            hint="run from the repository root, or pass --contracts-dir",
        )
    return settings


def _preload_for_fork() -> None:
    """Import the app once here and fork the workers from this process, instead of uvicorn's spawn.

    A spawned worker imports the CLI, uvicorn and the whole app again (about 1.5 s of CPU each, several
    times that on a loaded machine, N times over), and its supervisor kills it when its first health
    check is not answered within 5 s: workers "died" at start, with no reason given, and came back
    to die again. Forked workers share the imported modules and are serving in a fraction of that.
    Nothing that must not cross a fork exists yet here: no thread, no event loop, no database connection.
    """
    import multiprocessing

    import uvicorn._subprocess

    import validator.service.app  # noqa: F401 -- imported for the workers to inherit

    uvicorn._subprocess.spawn = multiprocessing.get_context("fork")  # type: ignore[assignment]
