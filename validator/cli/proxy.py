"""`contracts proxy REF --upstream URL [--host] [--port] [--mode report|enforce] [--record FILE] [--redact H]`."""

from __future__ import annotations

from pathlib import Path

import typer

from . import app
from ._common import CONTRACTS_DIR_OPTION, Format, guarded, root_of, say_notes


@app.command()
def proxy(
    ref: str = typer.Argument(..., help="contract reference, e.g. recommendation-api@1.1.0"),
    upstream: str = typer.Option(..., "--upstream", help="base URL of the API behind the proxy"),
    host: str = typer.Option("127.0.0.1", "--host", help="interface to listen on"),
    port: int = typer.Option(8080, "--port", min=0, max=65535, help="TCP port (0 picks a free one)"),
    mode: str = typer.Option(
        "report", "--mode", help="report: forward everything, record violations; enforce: block them"
    ),
    record: Path | None = typer.Option(None, "--record", help="append every exchange to this NDJSON file"),
    redact: list[str] = typer.Option(
        [],
        "--redact",
        metavar="NAME",
        help="header or query parameter kept out of the log, report and recording (repeatable; credentials always)",
    ),
    record_body_bytes: int = typer.Option(65536, "--record-body-bytes", help="bytes of each body kept in the record"),
    timeout: float = typer.Option(30.0, "--timeout", help="seconds to wait for the upstream's answer (then 504)"),
    connect_timeout: float = typer.Option(5.0, "--connect-timeout", help="seconds to connect upstream (then 504)"),
    max_body_bytes: int = typer.Option(
        1024 * 1024, "--max-body-bytes", help="bodies up to this size are checked; larger ones pass unchecked"
    ),
    contracts_dir: Path | None = CONTRACTS_DIR_OPTION,
) -> None:
    """Check live traffic against a contract between callers and an upstream API (runs until stopped)."""

    def run() -> int:
        from ._extras import require_extra

        require_extra("proxy", "proxy")
        # Imported here: the proxy (aiohttp, prometheus_client, brotli) is not loaded by the other commands.
        import proxy as proxy_package
        from proxy.journal import record_path
        from proxy.options import check_mode, check_positive, check_upstream

        from ..loader import load
        from ..upgrade import notes_of

        options = proxy_package.ProxyOptions(
            upstream=check_upstream(upstream),
            mode=check_mode(mode),
            timeout=check_positive("--timeout", timeout),
            connect_timeout=check_positive("--connect-timeout", connect_timeout),
            max_body_bytes=int(check_positive("--max-body-bytes", max_body_bytes)),
            record=record_path(record),
            record_body_bytes=int(check_positive("--record-body-bytes", record_body_bytes)),
            redact=frozenset(h.strip().lower() for h in redact if h.strip()),
        )
        contract = load(ref, root_of(contracts_dir))
        say_notes(notes_of(contract))
        proxy_package.run(contract, host, port, options)
        return 0

    guarded(Format.text, run)
