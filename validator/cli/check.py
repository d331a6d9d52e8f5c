"""`contracts check [--against GITREF]` and `contracts lock`."""

from __future__ import annotations

import os
from pathlib import Path

import typer
from rich.console import Console
from rich.markup import escape

from ..gate import LOCK_NAME, GateFinding, GateReport, run_check, write_lock
from . import app
from ._common import CONTRACTS_DIR_OPTION, FORMAT_OPTION, Format, emit_json, guarded, root_of, stdout
from .diff import render_change


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
        if fmt is Format.json:
            emit_json(report.to_dict())
        else:
            render_gate(stdout(), report)
        if os.environ.get("GITHUB_ACTIONS") == "true":
            print_annotations(report)
        return 0 if report.ok else 1

    guarded(fmt, run)


@app.command()
def lock(
    fmt: Format = FORMAT_OPTION,
    contracts_dir: Path | None = CONTRACTS_DIR_OPTION,
) -> None:
    """Write contracts.lock: the sha256 of every released version (commit it)."""

    def run() -> int:
        root = root_of(contracts_dir)
        path = root.resolve().parent / LOCK_NAME
        data = write_lock(root, path)
        if fmt is Format.json:
            emit_json({"ok": True, "lock": str(path), "versions": sorted(data["versions"])})
        else:
            stdout().print(f"wrote {escape(str(path))}: {len(data['versions'])} released version(s) locked")
        return 0

    guarded(fmt, run)


def render_gate(console: Console, report: GateReport) -> None:
    """Problems first (with rule and witness for breaking changes), then warnings, then the verdict."""
    for finding in report.problems:
        _render(console, "[bold red]✗[/]", finding)
    for finding in report.waived:
        _render(console, "[yellow]~[/]", finding)
    for finding in report.warnings:
        _render(console, "[yellow]![/]", finding)
    summary = (
        f"{len(report.checked)} version(s) linted, {len(report.compared)} comparison(s), "
        f"{len(report.problems)} problem(s), {len(report.warnings)} warning(s)"
    )
    if report.ok:
        console.print(f"[green]✓[/] contracts check passed: {summary}")
    else:
        console.print(f"[bold red]✗[/] contracts check failed: {summary}")


def _render(console: Console, mark: str, finding: GateFinding) -> None:
    if finding.change is not None:
        console.print(
            f"{mark} {escape(finding.contract or '')} {escape(finding.new or '')} vs "
            f"{escape(finding.old or '')} ({escape(finding.change.operation or 'contract')}):"
        )
        render_change(console, finding.change, indent="    ")
        if finding.kind == "waived":
            console.print(
                f"    [yellow]{escape(finding.message.rpartition('(waived: ')[2].rstrip(')'))}[/]",
                highlight=False,
            )
        return
    where = f"{finding.file}:{finding.line}" if finding.file and finding.line else finding.file or ""
    console.print(f"{mark} [bold]{escape(where)}[/] {escape(finding.pointer)}: {escape(finding.message)}")
    if finding.hint:
        console.print(f"    hint: {escape(finding.hint)}", highlight=False)


def print_annotations(report: GateReport) -> None:
    """GitHub Actions workflow commands: one ``::error`` per problem, one ``::warning`` per warning."""
    for level, findings in (("error", report.problems), ("warning", report.warnings)):
        for f in findings:
            props = [f"file={_escape_property(f.file)}"] if f.file else []
            if f.line is not None:
                props.append(f"line={f.line}")
            props.append(f"title={_escape_property('contracts ' + (f.rule or f.kind))}")
            message = f.message
            if f.change is not None and f.change.witness is not None:
                message += f"; witness: {f.change.witness.payload!r}"
            typer.echo(f"::{level} {','.join(props)}::{_escape_data(message)}")


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")
