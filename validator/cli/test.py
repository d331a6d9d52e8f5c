"""`contracts test REF --base-url URL`: exit 0 compliant, 1 violations, 2 usage error, 3 API unreachable."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from ..errors import UsageError
from . import app
from ._common import (
    CONTRACTS_DIR_OPTION,
    FORMAT_OPTION,
    REF_ARGUMENT,
    Format,
    emit_json,
    guarded,
    root_of,
    say_notes,
    stderr,
    stdout,
    with_notes,
)

if TYPE_CHECKING:
    from ..verify.replay import ReplayOptions


@app.command("test")
def contract_test(
    ref: str = REF_ARGUMENT,
    base_url: str = typer.Option(..., "--base-url", help="where the API under test answers"),
    max_examples: int = typer.Option(20, "--max-examples", help="generated cases per operation"),
    seed: int | None = typer.Option(None, "--seed", help="same seed, same cases (default: random, reported)"),
    header: list[str] = typer.Option(
        [], "--header", "-H", help="K:V sent with every request (repeatable); its value never shows in a report"
    ),
    show_header: list[str] = typer.Option(
        [],
        "--show-header",
        metavar="NAME",
        help="show this header's value in reports after all (hidden: Authorization, Cookie, API keys, --header)",
    ),
    timeout: float = typer.Option(10.0, "--timeout", help="seconds to wait for each response"),
    workers: int = typer.Option(4, "--workers", help="concurrent requests"),
    rate_limit: str | None = typer.Option(None, "--rate-limit", metavar="R/s", help="at most R requests per second"),
    operation: list[str] = typer.Option([], "--operation", "-o", help="only these operations (repeatable)"),
    exclude_check: list[str] = typer.Option(
        [], "--exclude-check", metavar="CHECK", help="do not report this check, e.g. latency_slo (repeatable)"
    ),
    slo_samples: int = typer.Option(
        50, "--slo-samples", metavar="N", help="sequential valid requests per operation with an x-slo (0: none)"
    ),
    max_findings: int = typer.Option(
        10, "--max-findings", metavar="N", help="distinct findings shown per operation (the rest are counted)"
    ),
    shrink_budget: int = typer.Option(
        20, "--shrink-budget", metavar="N", help="requests spent shrinking each finding's reproduction (0: none)"
    ),
    junit_xml: Path | None = typer.Option(None, "--junit-xml", help="also write JUnit XML to this file"),
    publish_url: str | None = typer.Option(
        None, "--publish", metavar="URL", help="post the outcome to the contract service at URL"
    ),
    provider: str | None = typer.Option(None, "--provider", help="with --publish: the provider's name"),
    provider_version: str | None = typer.Option(
        None, "--provider-version", help="with --publish: the build under test (version or git sha)"
    ),
    publish_token: str | None = typer.Option(
        None,
        "--publish-token",
        envvar="CONTRACTS_API_TOKEN",
        help="bearer token for --publish (default $CONTRACTS_API_TOKEN)",
        show_default=False,
    ),
    replay_file: Path | None = typer.Option(
        None, "--replay", metavar="FILE", help="send the requests recorded by `contracts proxy --record FILE`"
    ),
    compare: bool = typer.Option(False, "--compare", help="with --replay: also hold each answer to the recorded one"),
    tolerance: float = typer.Option(0.0, "--tolerance", help="with --compare: numbers may differ by this much"),
    ignore: list[str] = typer.Option(
        [], "--ignore", metavar="POINTER", help="with --compare: leave this body pointer out (repeatable)"
    ),
    fmt: Format = FORMAT_OPTION,
    contracts_dir: Path | None = CONTRACTS_DIR_OPTION,
) -> None:
    """Contract-test a live API: named examples, boundary and generated cases, coverage and latency.

    With --replay, the recorded requests are sent instead, and with --compare their answers are diffed."""

    def run() -> int:
        from ._extras import require_extra

        require_extra("test", "test")
        from ..loader import load
        from ..report.as_junit import render_junit
        from ..report.as_verify_text import render_run
        from ..upgrade import notes_of
        from ..verify.redact import Redaction
        from ..verify.runner import Options, parse_headers
        from ..verify.runner import run as run_suite
        from ._publish import check_publish_options, publish

        check_publish_options(publish_url, provider, provider_version)
        if junit_xml is not None:
            _check_writable(junit_xml)
        options = Options(
            base_url=base_url,
            max_examples=max_examples,
            seed=seed,
            headers=parse_headers(header),
            timeout=timeout,
            workers=workers,
            rate_limit=parse_rate(rate_limit),
            operations=operation,
            exclude_checks=frozenset(exclude_check),
            slo_samples=slo_samples,
            max_findings=max_findings,
            shrink_budget=shrink_budget,
        )
        replaying = _replay_options(replay_file, compare, tolerance, ignore)
        contract = load(ref, root_of(contracts_dir))
        notes = notes_of(contract)
        if fmt is not Format.json:
            say_notes(notes)
        progress = _progress_bar() if fmt is Format.text else None
        if replaying is not None:
            from ..verify.replay import replay

            report = replay(contract, options, replaying, progress=progress)
        else:
            report = run_suite(contract, options, progress=progress)
        # Before anything shows or stores it: the text, the JSON, the JUnit file and the published record.
        report = Redaction.of(contract.document, options.headers, show_header).report(report)
        if junit_xml is not None:
            try:
                junit_xml.write_text(render_junit(report), encoding="utf-8")
            except OSError as exc:
                raise UsageError(f"cannot write --junit-xml {str(junit_xml)!r}: {exc.strerror}") from None
        if fmt is Format.json:
            emit_json(with_notes(report.to_dict(), notes))
        else:
            render_run(stdout(), report)
        if publish_url is not None and provider is not None and provider_version is not None:
            stored = publish(
                publish_url,
                publish_token,
                provider=provider,
                provider_version=provider_version,
                contract=contract.name,
                contract_version=contract.version,
                report=report.to_dict(),
            )
            if fmt is not Format.json:
                stdout().print(f"published verification {stored['id']} to {publish_url}", markup=False)
        return 0 if report.ok else 1

    guarded(fmt, run)


def _replay_options(
    replay_file: Path | None, compare: bool, tolerance: float, ignore: list[str]
) -> ReplayOptions | None:
    """The replay settings, or None without --replay; the comparison options need --replay (and --compare)."""
    from ..verify.replay import ReplayOptions

    if replay_file is None:
        if compare or ignore or tolerance:
            raise UsageError(
                "--compare, --tolerance and --ignore need --replay FILE", hint="e.g. --replay traffic.ndjson"
            )
        return None
    if (ignore or tolerance) and not compare:
        raise UsageError("--tolerance and --ignore only apply with --compare", hint="add --compare")
    if tolerance < 0:
        raise UsageError(f"--tolerance must not be negative, got {tolerance:g}")
    bad = [p for p in ignore if p and not p.startswith("/")]
    if bad:
        raise UsageError(f"--ignore {bad[0]!r} is not a JSON pointer", hint="e.g. --ignore /request_id")
    return ReplayOptions(replay_file, compare, tolerance, frozenset(ignore))


def _check_writable(path: Path) -> None:
    """Refuse a --junit-xml path that cannot be written before the run, not after it."""
    reason = (
        "it is a folder"
        if path.is_dir()
        else f"folder {str(path.parent)!r} does not exist"
        if not path.parent.is_dir()
        else None
    )
    if reason:
        raise UsageError(
            f"cannot write --junit-xml {str(path)!r}: {reason}",
            hint="give a file path in an existing folder, e.g. --junit-xml report.xml",
        )


def parse_rate(value: str | None) -> float | None:
    """``R/s``, ``R/m`` or a bare ``R`` (per second) as requests per second."""
    if value is None:
        return None
    number, _, unit = value.strip().partition("/")
    per = {"": 1.0, "s": 1.0, "sec": 1.0, "m": 60.0, "min": 60.0}.get(unit.strip().lower())
    try:
        rate = float(number)
    except ValueError:
        rate = -1.0
    if per is None or rate <= 0:
        raise UsageError(f"--rate-limit {value!r} is not a rate", hint="e.g. --rate-limit 50/s or 600/m")
    return rate / per


def _progress_bar() -> Callable[[int, int], None] | None:
    """A progress callback drawing a bar on stderr when it is a terminal; None otherwise."""
    if not sys.stderr.isatty():
        return None
    from rich.progress import Progress

    bar = Progress(console=stderr(), transient=True)
    task = bar.add_task("contract tests", total=None)
    bar.start()

    def update(done: int, total: int) -> None:
        bar.update(task, completed=done, total=total)
        if done >= total:
            bar.stop()

    return update
