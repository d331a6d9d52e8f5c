"""`contracts serve [--host H] [--port P] [--database-url URL] [--workers N]`."""

from __future__ import annotations

from pathlib import Path

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
        from ..service.launch import run as run_service

        run_service(host=host, port=port, workers=workers, database_url=database_url, contracts_dir=contracts_dir)
        return 0

    guarded(Format.text, run)
