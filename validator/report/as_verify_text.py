"""Text summary of a contract-test run: verdict, one block per finding, coverage and latency."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rich.console import Console
from rich.markup import escape

from ..verify.result import RunReport


def render_run(console: Console, report: RunReport) -> None:
    """Print the verdict, each failure with its reproduction, then coverage and latency."""
    for failure in report.failures:
        times = f" (x{failure.occurrences})" if failure.occurrences > 1 else ""
        times += f" [{escape(failure.signature)}]" if failure.signature else ""
        console.print(
            f"[bold red]✗[/] [bold]{escape(failure.operation)}[/] · {failure.check}{times}: {escape(failure.message)}"
        )
        status = failure.response.get("status") if failure.response else None
        console.print(f"    [dim]case: {escape(failure.case)}; response status: {status}[/]")
        console.print(f"    [cyan]reproduce:[/] {escape(failure.curl)}")
    console.print("coverage:")
    for cov in report.coverage:
        missed = ", ".join(cov.statuses_missed) or "none"
        examples = ", ".join(cov.examples_sent) or "none"
        console.print(
            f"  {escape(cov.operation)}: {cov.cases} cases; statuses seen {', '.join(cov.statuses_seen)}"
            f" (never: {missed}); examples sent: {escape(examples)}"
        )
        if cov.findings_not_shown:
            console.print(f"    [yellow]{cov.findings_not_shown} more distinct finding(s) not shown[/]")
        for name, why in cov.examples_missed.items():
            console.print(f"    [yellow]example {escape(name)} not sent:[/] {escape(why)}")
    for lat in report.latency:
        if not lat.samples and not lat.verdicts:
            continue
        mark = "[green]✓[/]" if lat.ok else "[bold red]✗[/]"
        where = "sequential SLO requests" if lat.phase == "slo" else "valid requests"
        console.print(
            f"  {mark} latency {escape(lat.operation)}: p50 {lat.p50_ms} ms, p95 {lat.p95_ms} ms, "
            f"p99 {lat.p99_ms} ms over {lat.samples} {where}"
        )
        for key, v in lat.verdicts.items():
            measured = f"{v['measured_ms']} ms" if v["measured_ms"] is not None else f"needs {v['samples_needed']}"
            console.print(f"      {key} {v['limit_ms']} ms: {measured} -> {v['verdict']}")
    if report.replay is not None:
        _render_replay(console, report.replay)
    for note in report.notes:
        console.print(f"  [yellow]note:[/] {escape(note)}")
    for error in report.errors:
        console.print(
            f"  [yellow]tool error[/] {escape(error.operation)} ({escape(error.case)}): not sent: "
            f"{escape(error.message)} [dim]{escape(error.request)}[/]"
        )
    where = f"{report.contract} at {escape(report.base_url)}"
    verdict = (
        f"[green]✓[/] {where}: compliant"
        if report.ok
        else (f"[bold red]✗[/] {where}: {len(report.failures)} violation(s)")
    )
    unsent = f", {len(report.errors)} not sent (tool errors above)" if report.errors else ""
    console.print(f"{verdict} ({report.cases} cases{unsent} in {report.duration_s:.1f}s, seed {report.seed})")


def _render_replay(console: Console, replay: Mapping[str, Any]) -> None:
    """What a replay sent and skipped; with --compare, how many answers changed and the largest differences."""
    skipped = ", ".join(f"{n} {why}" for why, n in replay["skipped"].items() if n) or "none"
    console.print(
        f"replay of {escape(str(replay['recording']))}: {replay['replayed']} of {replay['recorded']} recorded "
        f"requests sent (skipped: {skipped})"
    )
    if "compared" not in replay:
        return
    mark = "[green]✓[/]" if not replay["changed"] else "[bold red]✗[/]"
    console.print(
        f"  {mark} {replay['changed']} of {replay['compared']} answers changed (tolerance {replay['tolerance']:g})"
    )
    for item in [*replay["largest"], *replay["changes"]]:
        console.print(
            f"    {escape(item['operation'])} line {item['line']} {escape(item['pointer'] or '/')}: "
            f"{escape(item['message'])}"
        )
