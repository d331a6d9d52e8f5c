"""`contracts diff OLD NEW` (and `contracts diff --list-rules`)."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path

import typer
from rich.console import Console
from rich.markup import escape

from ..compat import RULES, Change, DiffReport, diff
from ..compat.report import NO_WITNESS, UNPROVEN
from ..errors import UsageError
from ..loader import load
from ..report.as_markdown import diff_markdown
from . import app
from ._common import CONTRACTS_DIR_OPTION, Format, emit_json, guarded, root_of, stdout


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
        report = diff(load(old, root), load(new, root))
        if diff_format is DiffFormat.json:
            emit_json(report.to_dict())
        elif diff_format is DiffFormat.markdown:
            typer.echo(diff_markdown(report), nl=False)
        else:
            render_diff(stdout(), report)
        return 1 if report.fails(fail_on.value) else 0

    guarded(fmt, run)


def _print_rules(fmt: Format) -> None:
    rows = [
        {"id": r.id, "direction": r.direction, "breaking": r.breaking, "bump": r.bump, "summary": r.summary}
        for r in RULES
    ]
    if fmt is Format.json:
        emit_json({"rules": rows})
        return
    console = stdout()
    for row in rows:
        verdict = "breaking" if row["breaking"] else "ok"
        console.print(f"{row['id']:<46} {row['direction']:<9} {verdict:<8} {escape(str(row['summary']))}")
    console.print(f"{len(rows)} rules")


def render_diff(console: Console, report: DiffReport, *, indent: str = "") -> None:
    """The changelog: a verdict line, then changes grouped by operation, breaking first."""
    count = len(report.breaking_changes())
    verdict = (
        f"[bold red]✗ breaking[/] ({count} of {len(report.changes)} changes)"
        if report.breaking
        else f"[green]✓ compatible[/] ({len(report.changes)} changes)"
    )
    console.print(
        f"{indent}{escape(report.old)} → {escape(report.new)}: {verdict}, "
        f"required bump: [bold]{report.required_bump}[/]"
    )
    for operation, changes in report.by_operation().items():
        console.print(f"{indent}  [bold]{escape(operation or '(contract)')}[/]")
        for change in changes:
            render_change(console, change, indent=indent + "    ")


def render_change(console: Console, change: Change, *, indent: str = "    ") -> None:
    """One change: mark, rule id, message, where, and its witness (or that none was found)."""
    mark = "[red]✗[/]" if change.breaking else "[green]·[/]"
    console.print(f"{indent}{mark} {escape(change.message)} [dim]\\[{change.id}][/]")
    where = f"{change.file}:{change.line}" if change.file and change.line else change.file or ""
    console.print(f"{indent}    [dim]at {escape(where)} {escape(change.pointer or '/')}[/]")
    if change.witness is not None and change.witness.kind == "exchange":
        console.print(f"{indent}    exchange: {escape(json.dumps(change.witness.payload, ensure_ascii=False))}")
    elif change.witness is not None:
        w = change.witness
        console.print(
            f"{indent}    witness ({escape(w.where)}; valid under {escape(w.valid_under)}, "
            f"invalid under {escape(w.invalid_under)}: {escape(w.problem)}):"
        )
        console.print(f"{indent}      {escape(json.dumps(w.payload, ensure_ascii=False))}")
    elif change.unproven:
        console.print(f"{indent}    not breaking: {UNPROVEN}")
    elif change.breaking and change.schema_change:
        console.print(f"{indent}    witness: {NO_WITNESS}")
