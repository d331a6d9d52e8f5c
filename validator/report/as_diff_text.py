"""Text of a comparison: the changelog of `contracts diff`, one change, the catalogue of rules."""

from __future__ import annotations

import json
from collections.abc import Sequence

from rich.console import Console
from rich.markup import escape

from ..compat import Change, DiffReport, Rule
from ..compat.report import NO_WITNESS, UNPROVEN
from ..problems import Display, as_given


def render_diff(console: Console, report: DiffReport, *, indent: str = "", display: Display = as_given) -> None:
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
            render_change(console, change, indent=indent + "    ", display=display)


def render_change(console: Console, change: Change, *, indent: str = "    ", display: Display = as_given) -> None:
    """One change: mark, rule id, message, where, and its witness (or that none was found)."""
    mark = "[red]✗[/]" if change.breaking else "[green]·[/]"
    console.print(f"{indent}{mark} {escape(change.message)} [dim]\\[{change.id}][/]")
    file = display(change.file) if change.file else ""
    where = f"{file}:{change.line}" if file and change.line else file
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
        console.print(f"{indent}    witness: {escape(change.witness_note or NO_WITNESS)}")


def rule_rows(rules: Sequence[Rule]) -> list[dict[str, object]]:
    """The catalogue as JSON rows (``contracts diff --list-rules --format json``)."""
    return [
        {"id": r.id, "direction": r.direction, "breaking": r.breaking, "bump": r.bump, "summary": r.summary}
        for r in rules
    ]


def render_rules(console: Console, rules: Sequence[Rule]) -> None:
    """The catalogue, one rule a line, then the count."""
    for row in rule_rows(rules):
        verdict = "breaking" if row["breaking"] else "ok"
        console.print(f"{row['id']:<46} {row['direction']:<9} {verdict:<8} {escape(str(row['summary']))}")
    console.print(f"{len(rules)} rules")
