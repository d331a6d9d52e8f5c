"""What every command shares: options, the contracts folder, rendering errors, exit codes."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Any, TypeVar

import typer
from rich.console import Console

from ..errors import ContractsError

T = TypeVar("T")


class Format(StrEnum):
    """Output formats of reporting commands."""

    text = "text"
    json = "json"


FORMAT_OPTION = typer.Option(Format.text, "--format", help="text (default) or json: one JSON document on stdout")
CONTRACTS_DIR_OPTION = typer.Option(
    None, "--contracts-dir", envvar="CONTRACTS_DIR", help="contracts folder (default ./contracts)",
    show_default=False,
)


def stdout() -> Console:
    """A console on stdout: rich on a terminal, plain text otherwise (and with NO_COLOR)."""
    return Console(file=sys.stdout, highlight=False, soft_wrap=True)


def stderr() -> Console:
    """A console on stderr."""
    return Console(file=sys.stderr, highlight=False, soft_wrap=True)


def emit_json(document: Any) -> None:
    """Print one JSON document on stdout."""
    sys.stdout.write(json.dumps(document, indent=2, ensure_ascii=False, default=str) + "\n")
    sys.stdout.flush()


def root_of(contracts_dir: Path | None) -> Path:
    """The contracts folder to use."""
    from ..refs import contracts_dir as default_dir

    return default_dir(contracts_dir)


def guarded(fmt: Format, call: Callable[[], int]) -> None:
    """Run a command body; render a ContractsError as a clear message; exit with the right status."""
    try:
        code = call()
    except ContractsError as exc:
        if fmt is Format.json:
            emit_json({"ok": False, "error": exc.to_dict(), "problems": [exc.to_dict()]})
        else:
            console = stderr()
            console.print(f"[bold red]error:[/] {exc.message}", markup=True, highlight=False)
            if exc.hint:
                console.print(f"  hint: {exc.hint}", markup=False)
        raise typer.Exit(exc.exit_code) from None
    raise typer.Exit(code)
