"""What every command shares: options, the contracts folder, rendering errors, exit codes."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from enum import StrEnum
from itertools import pairwise
from pathlib import Path
from typing import Any, TypeVar

import typer
from rich.console import Console

# Typer vendors Click and does not re-export its exception base; usage errors are instances of it.
from typer._click.exceptions import ClickException
from typer._click.exceptions import UsageError as ClickUsageError
from typer.core import TyperGroup

from ..errors import ContractsError, UsageError
from ..problems import Note
from ..report.as_json import error_document
from ..report.display import from_cwd

T = TypeVar("T")


class Format(StrEnum):
    """Output formats of reporting commands."""

    text = "text"
    json = "json"


REF_ARGUMENT = typer.Argument(..., help="contract reference, e.g. recommendation-api@1.1.0")
FORMAT_OPTION = typer.Option(Format.text, "--format", help="text (default) or json: one JSON document on stdout")
CONTRACTS_DIR_OPTION = typer.Option(
    None,
    "--contracts-dir",
    envvar="CONTRACTS_DIR",
    help="contracts folder (default ./contracts)",
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


def with_notes(document: dict[str, Any], notes: list[Note]) -> dict[str, Any]:
    """A command's JSON document with what it says once under ``notes`` (the key is absent when there is none)."""
    return {**document, "notes": [n.to_dict(from_cwd()) for n in notes]} if notes else document


def say_notes(notes: list[Note]) -> None:
    """Print each note once on stderr (text output keeps stdout for the report or the document)."""
    console = stderr()
    for note in notes:
        console.print(note.text(from_cwd()), markup=False, highlight=False)


def write_document(text: str, output: Path | None) -> None:
    """Write a document to ``output``, or to stdout when none; an unwritable path is a usage error."""
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    if not output.parent.is_dir():
        raise UsageError(f"cannot write {output}: folder {output.parent} does not exist", hint="create it first")
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot write {output}: {exc.strerror}", hint="choose another -o path") from None


def root_of(contracts_dir: Path | None) -> Path:
    """The contracts folder to use."""
    from ..refs import contracts_dir as default_dir

    return default_dir(contracts_dir)


def guarded(fmt: Format, call: Callable[[], int], *, bounded: bool = False) -> None:
    """Run a command body; render a ContractsError as a clear message; exit with the right status.

    ``bounded``: the body analyses documents and runs under the limits in force (see ``_limits``).
    """
    try:
        if bounded:
            from ._limits import analysis

            with analysis(fmt):
                code = call()
        else:
            code = call()
    except ContractsError as exc:
        render_error(fmt, exc)
        raise typer.Exit(exc.exit_code) from None
    except (typer.Exit, typer.Abort, ClickException, KeyboardInterrupt, SystemExit):
        raise
    except Exception as exc:  # a bug of the tool: exit 2, never 1 (which says the contract or API has problems)
        failed = ContractsError(
            f"internal error: {type(exc).__name__}: {exc}",
            hint="this is a bug in contracts, not a finding: please report it with the command that caused it",
        )
        render_error(fmt, failed)
        raise typer.Exit(2) from None
    raise typer.Exit(code)


def render_error(fmt: Format, exc: ContractsError) -> None:
    """Show an error that stops a command: one JSON document on stdout, or a message and hint on stderr."""
    if fmt is Format.json:
        emit_json(error_document(exc, from_cwd()))
        return
    console = stderr()
    console.print(f"[bold red]error:[/] {exc.describe(from_cwd())}", markup=True, highlight=False)
    if exc.hint:
        console.print(f"  hint: {exc.hint}", markup=False)


def wants_json(argv: list[str]) -> bool:
    """Whether the command line asks for ``--format json`` (read before Click has parsed it)."""
    options = argv[: argv.index("--")] if "--" in argv else argv
    return "--format=json" in options or any(a == "--format" and b == "json" for a, b in pairwise(options))


class JsonErrorsGroup(TyperGroup):
    """The command group; with ``--format json`` even Click's own usage errors print one JSON document."""

    def main(  # type: ignore[override]
        self,
        args: list[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        """Run the CLI; a usage error Click finds before our code runs still honours ``--format json``."""
        argv = list(sys.argv[1:] if args is None else args)
        if not (standalone_mode and wants_json(argv)):
            return super().main(argv, prog_name, complete_var, standalone_mode, **extra)
        try:
            code = super().main(argv, prog_name, complete_var, False, **extra)
        except ClickException as exc:
            command = exc.ctx.command_path if isinstance(exc, ClickUsageError) and exc.ctx else "contracts"
            render_error(Format.json, UsageError(exc.format_message(), hint=f"see `{command} --help`"))
            sys.exit(exc.exit_code)
        except typer.Abort:
            sys.exit(1)
        # Without standalone mode Click returns the exit status instead of exiting.
        sys.exit(code if isinstance(code, int) else 0)
