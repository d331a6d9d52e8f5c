"""`contracts serve [--host H] [--port P] [--database-url URL] [--workers N]`."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import typer

from . import app
from ._common import CONTRACTS_DIR_OPTION, Format, guarded


@app.command()
def serve(
    host: str | None = typer.Option(None, "--host", help="interface to listen on (default 127.0.0.1)"),
    port: int | None = typer.Option(None, "--port", min=0, max=65535, help="port (default 8080)"),
    database_url: str | None = typer.Option(
        None,
        "--database-url",
        help="sqlite:///.contracts/contracts.db (default) or postgresql+psycopg://...",
        show_default=False,
    ),
    workers: int | None = typer.Option(None, "--workers", min=1, max=64, help="worker processes (default 1)"),
    contracts_dir: Path | None = CONTRACTS_DIR_OPTION,
) -> None:
    """Run the contract service: catalogue, validation, compatibility, hosted mocks, verification records."""

    def run() -> int:
        from ._extras import require_extra

        require_extra("service", "serve")
        import uvicorn
        from pydantic import ValidationError

        from ..errors import UsageError
        from ..service.db import normalise_url
        from ..service.observability import log_config
        from ..service.settings import Settings

        # Flags override the CONTRACTS_* variables. Workers are separate processes that build the app
        # from the environment, so the effective settings are handed to them there.
        flags: dict[str, Any] = {
            "host": host,
            "port": port,
            "workers": workers,
            "database_url": database_url,
            "contracts_dir": contracts_dir.resolve() if contracts_dir else None,
        }
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
        # A busy port or an unknown host is a usage error here, not a log line and uvicorn's exit 3.
        from mocks.server import bind

        bind(settings.host, settings.port).close()
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
        uvicorn.run(
            "validator.service.app:create_app",
            factory=True,
            host=settings.host,
            port=settings.port,
            workers=settings.workers,
            log_config=log_config(settings.log_level),
            access_log=False,
            timeout_graceful_shutdown=10,
            timeout_keep_alive=75,
        )
        return 0

    guarded(Format.text, run)
