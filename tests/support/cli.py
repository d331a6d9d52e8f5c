"""Running ``contracts`` in-process, as a user would, with fixed width and no colour."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from typer.testing import CliRunner

from validator.cli import app


@dataclass
class Result:
    """What one CLI run gave."""

    exit_code: int
    stdout: str
    stderr: str


def run_cli(*args: str, input: str | bytes | None = None) -> Result:
    """Run ``contracts ARGS`` in-process (the caller sets NO_COLOR, COLUMNS, CONTRACTS_DIR)."""
    result = CliRunner().invoke(app, list(args), input=input, catch_exceptions=False)
    return Result(result.exit_code, result.stdout, result.stderr)


class Cli(Protocol):
    """The ``cli`` fixture: ``cli("lint", "--format", "json")`` runs the command and returns its Result."""

    def __call__(self, *args: str, input: str | bytes | None = None) -> Result: ...
