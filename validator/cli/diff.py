"""`contracts diff OLD NEW` (and `contracts diff --list-rules`)."""

from __future__ import annotations

from pathlib import Path

import typer

from ..compat import RULES, diff
from ..errors import UsageError
from ..loader import load
from ..report.as_diff_text import render_diff, render_rules, rule_rows
from . import app
from ._common import CONTRACTS_DIR_OPTION, FORMAT_OPTION, Format, emit_json, guarded, root_of, stdout


@app.command("diff")
def diff_command(
    old: str | None = typer.Argument(None, help="the old version, e.g. recommendation-api@1.1.0"),
    new: str | None = typer.Argument(None, help="the new version, e.g. recommendation-api@2.0.0"),
    list_rules: bool = typer.Option(False, "--list-rules", help="print the catalogue of rules and exit"),
    fmt: Format = FORMAT_OPTION,
    contracts_dir: Path | None = CONTRACTS_DIR_OPTION,
) -> None:
    """List the changes between two versions, each marked breaking or not (exit 1 when any breaks)."""

    def run() -> int:
        if list_rules:
            _print_rules(fmt)
            return 0
        if old is None or new is None:
            raise UsageError(
                "give two versions: contracts diff OLD NEW",
                hint="e.g. contracts diff recommendation-api@1.1.0 recommendation-api@2.0.0",
            )
        root = root_of(contracts_dir)
        report = diff(load(old, root), load(new, root))
        if fmt is Format.json:
            emit_json(report.to_dict())
        else:
            render_diff(stdout(), report)
        return 1 if report.breaking else 0

    guarded(fmt, run)


def _print_rules(fmt: Format) -> None:
    if fmt is Format.json:
        emit_json({"rules": rule_rows(RULES)})
    else:
        render_rules(stdout(), RULES)
