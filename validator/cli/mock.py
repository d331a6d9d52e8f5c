"""`contracts mock REF [--host] [--port] [--max-body-bytes] [--latency] [--error-rate] [--lenient]`."""

from __future__ import annotations

from pathlib import Path

import typer

from . import app
from ._common import CONTRACTS_DIR_OPTION, Format, guarded, root_of


@app.command()
def mock(
    ref: str = typer.Argument(..., help="contract reference, e.g. recommendation-api@1.1.0"),
    host: str = typer.Option("127.0.0.1", "--host", help="interface to listen on"),
    port: int = typer.Option(8000, "--port", min=0, max=65535, help="TCP port (0 picks a free one)"),
    max_body_bytes: int = typer.Option(1024 * 1024, "--max-body-bytes", help="larger request bodies get 413"),
    latency: str | None = typer.Option(
        None,
        "--latency",
        metavar="MS|MIN-MAX|slo",
        help="simulated latency; 'slo' follows each operation's x-slo budget",
    ),
    error_rate: float = typer.Option(
        0.0, "--error-rate", metavar="R", help="share of requests answered with a documented 5xx (or 503)"
    ),
    lenient: bool = typer.Option(False, "--lenient", help="log request violations instead of rejecting them"),
    contracts_dir: Path | None = CONTRACTS_DIR_OPTION,
) -> None:
    """Serve a mock of a contract version at the same paths as the real API (runs until stopped)."""

    def run() -> int:
        # Imported here: the mock (uvicorn and friends) is not loaded by the other commands.
        import mocks
        from mocks.options import check_error_rate, check_max_body

        from ..loader import load

        options = mocks.MockOptions(
            max_body_bytes=check_max_body(max_body_bytes),
            latency=mocks.parse_latency(latency),
            error_rate=check_error_rate(error_rate),
            lenient=lenient,
        )
        contract = load(ref, root_of(contracts_dir))
        mocks.run(contract, host, port, options)
        return 0

    guarded(Format.text, run)
