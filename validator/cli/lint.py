"""`contracts lint [REF...]`."""

from __future__ import annotations

from pathlib import Path

import typer

from ..lint import lint_paths
from ..report.as_text import render_problems
from ..report.display import from_cwd
from . import app
from ._common import CONTRACTS_DIR_OPTION, FORMAT_OPTION, Format, emit_json, guarded, root_of, say_notes, stdout


@app.command()
def lint(
    refs: list[str] = typer.Argument(None, help="contract references or paths; default: every version"),
    fmt: Format = FORMAT_OPTION,
    contracts_dir: Path | None = CONTRACTS_DIR_OPTION,
) -> None:
    """Check contracts: OpenAPI 3.1, JSON Schema, refs inside, examples valid, info.version = folder."""

    def run() -> int:
        report = lint_paths(list(refs or []), root_of(contracts_dir))
        if fmt is Format.json:
            emit_json(report.to_dict(from_cwd()))
        else:
            say_notes(report.notes)
            render_problems(
                stdout(),
                report.problems,
                ok_message=f"{len(report.checked)} contract version(s) clean: " + ", ".join(report.checked),
                bad_message="lint found problems",
                display=from_cwd(),
            )
        return 0 if report.ok else 1

    guarded(fmt, run, bounded=True)
