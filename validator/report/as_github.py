"""GitHub Actions workflow commands for the gate: one ``::error`` per problem, one ``::warning`` per warning."""

from __future__ import annotations

from ..gate import GateReport
from ..problems import Display, as_given

# GitHub shows at most 10 annotations of a kind per step and drops the rest silently.
MAX_ANNOTATIONS = 10


def workflow_commands(report: GateReport, display: Display = as_given, limit: int = MAX_ANNOTATIONS) -> list[str]:
    """The workflow command lines GitHub shows as annotations on the files they name (shown by ``display``).

    Problems come first; beyond ``limit`` annotations the rest are summarised in the last one (the
    job log, which the text report goes to, has them all).
    """
    found = [("error", f) for f in report.problems] + [("warning", f) for f in report.warnings]
    shown = found if len(found) <= limit else found[: limit - 1]
    lines = []
    for level, f in shown:
        props = [f"file={_escape_property(display(f.file))}"] if f.file else []
        if f.line is not None:
            props.append(f"line={f.line}")
        props.append(f"title={_escape_property('contracts ' + (f.rule or f.kind))}")
        message = f.message
        if f.change is not None and f.change.witness is not None:
            message += f"; witness: {f.change.witness.payload!r}"
        lines.append(f"::{level} {','.join(props)}::{_escape_data(message)}")
    rest = found[len(shown) :]
    if rest:
        errors = sum(1 for level, _ in rest if level == "error")
        text = (
            f"{errors} more problem(s) and {len(rest) - errors} more warning(s) are not annotated "
            f"(GitHub shows {limit} per step): see the `contracts check` output in the job log"
        )
        lines.append(f"::{'error' if errors else 'warning'} title=contracts check::{_escape_data(text)}")
    return lines


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")
