"""Plain and rich text rendering of problems."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console
from rich.markup import escape

from ..problems import Display, Problem, as_given, show_location


def render_problems(
    console: Console,
    problems: Sequence[Problem],
    *,
    ok_message: str,
    bad_message: str,
    display: Display = as_given,
) -> None:
    """Print a verdict line then one block per problem: where, what, how to fix."""
    if not problems:
        console.print(f"[green]✓[/] {escape(ok_message)}")
        return
    console.print(f"[bold red]✗[/] {escape(bad_message)} ({len(problems)} problem{'s' if len(problems) != 1 else ''})")
    for problem in problems:
        console.print(f"  [bold]{escape(problem.where(display))}[/]: {escape(problem.message)}")
        if problem.keyword and problem.schema_path:
            console.print(f"    [dim]schema: {escape(show_location(problem.schema_path, display))}[/]")
        if problem.hint:
            console.print(f"    [cyan]hint:[/] {escape(problem.hint)}")
