"""`contracts check [--against GITREF]`."""

from __future__ import annotations

import os
from pathlib import Path

import typer

from ..gate import run_check
from ..report.as_gate_text import render_gate
from ..report.as_github import workflow_commands
from ..report.display import from_cwd
from . import app
from ._common import CONTRACTS_DIR_OPTION, FORMAT_OPTION, Format, emit_json, guarded, root_of, say_notes, stdout


@app.command()
def check(
    against: str | None = typer.Option(
        None,
        "--against",
        metavar="GITREF",
        help="also require released versions to be unchanged since GITREF",
    ),
    fmt: Format = FORMAT_OPTION,
    contracts_dir: Path | None = CONTRACTS_DIR_OPTION,
) -> None:
    """The CI gate: lint, compatibility within each major (transitive), semver, released versions intact."""

    def run() -> int:
        report = run_check(root_of(contracts_dir), against=against)
        display = from_cwd()
        if fmt is Format.json:
            emit_json(report.to_dict(display))
        else:
            say_notes(report.notes)
            render_gate(stdout(), report, display)
        if os.environ.get("GITHUB_ACTIONS") == "true":
            for line in workflow_commands(report, display):
                typer.echo(line)
        return 0 if report.ok else 1

    guarded(fmt, run, bounded=True)
