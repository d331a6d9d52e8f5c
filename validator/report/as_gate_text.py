"""Text of the CI gate (`contracts check`) and of `contracts lock`."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from rich.console import Console
from rich.markup import escape

from ..gate import GateFinding, GateReport
from ..lock import Drift
from ..problems import Display, as_given
from .as_diff_text import render_change


def render_gate(console: Console, report: GateReport, display: Display = as_given) -> None:
    """Problems first (with rule and witness for breaking changes), then warnings, then the verdict."""
    for finding in report.problems:
        _render(console, "[bold red]✗[/]", finding, display)
    for finding in report.waived:
        _render(console, "[yellow]~[/]", finding, display)
    for finding in report.warnings:
        _render(console, "[yellow]![/]", finding, display)
    summary = (
        f"{len(report.checked)} version(s) linted, {len(report.compared)} comparison(s), "
        f"{len(report.problems)} problem(s), {len(report.warnings)} warning(s)"
    )
    if report.ok:
        console.print(f"[green]✓[/] contracts check passed: {summary}")
    else:
        console.print(f"[bold red]✗[/] contracts check failed: {summary}")


def _render(console: Console, mark: str, finding: GateFinding, display: Display) -> None:
    if finding.change is not None:
        console.print(
            f"{mark} {escape(finding.contract or '')} {escape(finding.new or '')} vs "
            f"{escape(finding.old or '')} ({escape(finding.change.operation or 'contract')}):"
        )
        render_change(console, finding.change, indent="    ", display=display)
        if finding.kind == "waived":
            console.print(
                f"    [yellow]{escape(finding.message.rpartition('(waived: ')[2].rstrip(')'))}[/]",
                highlight=False,
            )
        return
    file = display(finding.file) if finding.file else ""
    where = f"{file}:{finding.line}" if file and finding.line else file
    console.print(f"{mark} [bold]{escape(where)}[/] {escape(finding.pointer)}: {escape(finding.message)}")
    if finding.hint:
        console.print(f"    hint: {escape(finding.hint)}", highlight=False)


def render_lock(console: Console, path: Path, versions: int) -> None:
    """What `contracts lock` wrote."""
    console.print(f"wrote {escape(str(path))}: {versions} released version(s) locked")


def render_lock_refused(console: Console, path: Path, drift: Sequence[Drift]) -> None:
    """Why `contracts lock` refused to re-pin: every released file that changed since it was locked."""
    for found in drift:
        console.print(f"[bold red]✗[/] [bold]{escape(found.file)}[/]: {escape(found.message)}")
    console.print(
        f"[bold red]✗[/] {escape(str(path))} not written: released versions are immutable; restore them "
        "and publish the change as a new version",
        highlight=False,
    )
