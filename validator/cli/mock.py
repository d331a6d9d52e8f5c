"""`contracts mock REF [--host] [--port] [--max-body-bytes] [--latency] [--error-rate] [--lenient]
[--cors-origin ORIGIN] [--watch]` and the HTTP limits (`--max-header-bytes`, `--header-timeout`, ...)."""

from __future__ import annotations

from pathlib import Path

import typer

from . import app
from ._common import CONTRACTS_DIR_OPTION, REF_ARGUMENT, Format, guarded, root_of, say_notes


@app.command()
def mock(
    ref: str = REF_ARGUMENT,
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
    lenient: bool = typer.Option(
        False, "--lenient", help="log request violations and missing credentials instead of rejecting them"
    ),
    cors_origins: list[str] = typer.Option(
        [],
        "--cors-origin",
        metavar="ORIGIN",
        help="origin allowed to call the mock from a browser (repeatable; '*' for any; default any on 127.0.0.1)",
    ),
    watch: bool = typer.Option(False, "--watch", help="reload when the contract's files change (if it still lints)"),
    max_header_bytes: int | None = typer.Option(
        None, "--max-header-bytes", help="request line and headers larger than this get 431 (default 32768)"
    ),
    max_headers: int | None = typer.Option(None, "--max-headers", help="more header fields get 431 (default 100)"),
    header_timeout: float | None = typer.Option(
        None, "--header-timeout", metavar="SECONDS", help="a request head slower than this gets 408 (default 10)"
    ),
    body_timeout: float | None = typer.Option(
        None, "--body-timeout", metavar="SECONDS", help="a request body slower than this gets 408 (default 30)"
    ),
    max_connections: int | None = typer.Option(
        None, "--max-connections", help="connections past this get 503 with Retry-After (default 1000)"
    ),
    max_pipelined: int | None = typer.Option(
        None, "--max-pipelined", help="pipelined requests read ahead of the one being answered (default 8)"
    ),
    contracts_dir: Path | None = CONTRACTS_DIR_OPTION,
) -> None:
    """Serve a mock of a contract version at the same paths as the real API (runs until stopped)."""

    def run() -> int:
        # Imported here: the mock (uvicorn and friends) is not loaded by the other commands.
        import mocks
        from mocks.cors import default_origins
        from mocks.http_limits import HttpLimits
        from mocks.options import check_error_rate, check_max_body

        from ..loader import load
        from ..upgrade import notes_of

        options = mocks.MockOptions(
            max_body_bytes=check_max_body(max_body_bytes),
            latency=mocks.parse_latency(latency),
            error_rate=check_error_rate(error_rate),
            lenient=lenient,
            cors_origins=default_origins(host, cors_origins),
        )
        limits = HttpLimits.given(
            max_header_bytes=max_header_bytes,
            max_headers=max_headers,
            header_timeout=header_timeout,
            body_timeout=body_timeout,
            max_connections=max_connections,
            max_pipelined=max_pipelined,
        )
        from ._limits import analysis

        with analysis(Format.text):  # start-up reads the contract: bounded like lint; serving is not
            contract = load(ref, root_of(contracts_dir))
        say_notes(notes_of(contract))
        mocks.run(contract, host, port, options, watch=watch, limits=limits)
        return 0

    guarded(Format.text, run)
