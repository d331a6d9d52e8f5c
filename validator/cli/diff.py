"""`contracts diff OLD NEW` (and `contracts diff --list-rules`)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

import typer

from ..compat import RULES, diff
from ..errors import UsageError
from ..loader import load
from ..report.as_diff_text import render_diff, render_rules, rule_rows
from ..report.as_markdown import diff_markdown
from ..report.display import from_cwd
from ..upgrade import notes_of
from . import app
from ._common import CONTRACTS_DIR_OPTION, Format, emit_json, guarded, root_of, say_notes, stdout, with_notes


class DiffFormat(StrEnum):
    """Output formats of ``contracts diff``: the common two and a Markdown changelog."""

    text = "text"
    json = "json"
    markdown = "markdown"


class FailOn(StrEnum):
    """What makes ``contracts diff`` exit 1."""

    breaking = "breaking"
    warning = "warning"


@app.command("diff")
def diff_command(
    old: str | None = typer.Argument(None, help="the old version, e.g. recommendation-api@1.1.0"),
    new: str | None = typer.Argument(None, help="the new version, e.g. recommendation-api@2.0.0"),
    list_rules: bool = typer.Option(False, "--list-rules", help="print the catalogue of rules and exit"),
    diff_format: DiffFormat = typer.Option(
        DiffFormat.text, "--format", help="text (default), json (one JSON document) or markdown (a changelog)"
    ),
    fail_on: FailOn = typer.Option(
        FailOn.breaking, "--fail-on", help="exit 1 on breaking changes (default), or on warnings too"
    ),
    contracts_dir: Path | None = CONTRACTS_DIR_OPTION,
) -> None:
    """List the changes between two versions, each marked breaking or not (exit 1 when any breaks)."""
    fmt = Format.json if diff_format is DiffFormat.json else Format.text

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
        old_contract, new_contract = load(old, root), load(new, root)
        report = diff(old_contract, new_contract)
        notes = notes_of(old_contract) + notes_of(new_contract)
        if diff_format is DiffFormat.json:
            emit_json(with_notes(report.to_dict(from_cwd()), notes))
            return 1 if report.fails(fail_on.value) else 0
        say_notes(notes)
        if diff_format is DiffFormat.markdown:
            typer.echo(diff_markdown(report, display=from_cwd()), nl=False)
        else:
            render_diff(stdout(), report, display=from_cwd())
        return 1 if report.fails(fail_on.value) else 0

    guarded(fmt, run, bounded=True)


def _print_rules(fmt: Format) -> None:
    if fmt is Format.json:
        emit_json({"rules": rule_rows(RULES)})
    else:
        render_rules(stdout(), RULES)
