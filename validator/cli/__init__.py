"""The ``contracts`` command line: parse, call one library function, render, exit.

Exit statuses follow INTERFACE.md: 0 clean, 1 findings, 2 usage error (unknown contract or
operation included), 3 API unreachable.
"""

from __future__ import annotations

import sys

import typer

from ..errors import UsageError
from . import _limits
from ._common import Format, JsonErrorsGroup, render_error, wants_json

app = typer.Typer(
    name="contracts",
    cls=JsonErrorsGroup,
    help="Versioned interface contracts for prediction APIs: lint, validate, mock, test, diff, check, serve.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _print_version(value: bool) -> None:
    if value:
        from .._version import version

        typer.echo(f"contracts {version()}")
        raise typer.Exit(0)


@app.callback()
def _root(
    show_version: bool = typer.Option(
        False, "--version", is_eager=True, callback=_print_version, help="print the version and exit"
    ),
    max_seconds: float | None = _limits.SECONDS_OPTION,
    max_memory_mb: int | None = _limits.MEMORY_OPTION,
    max_expansion: int | None = _limits.EXPANSION_OPTION,
    max_regex_steps: int | None = _limits.REGEX_STEPS_OPTION,
) -> None:
    """Versioned interface contracts for prediction APIs: lint, validate, mock, test, diff, check, serve."""
    try:
        _limits.configure(max_seconds, max_memory_mb, max_expansion, max_regex_steps)
    except UsageError as exc:
        render_error(Format.json if wants_json(sys.argv[1:]) else Format.text, exc)
        raise typer.Exit(2) from None


# Each module registers its commands on ``app``.
from . import (  # noqa: E402,F401
    bundle,
    check,
    diff,
    import_,
    lint,
    lock,
    mock,
    new,
    proxy,
    serve,
    test,
    upgrade,
    validate,
)


def main(argv: list[str] | None = None) -> None:
    """Entry point of the console script and of ``python -m validator``."""
    try:
        app(args=argv, prog_name="contracts")
    except KeyboardInterrupt:
        sys.exit(130)
