"""GitHub Actions workflow commands for the gate: one ``::error`` per problem, one ``::warning`` per warning."""

from __future__ import annotations

from ..gate import GateReport


def workflow_commands(report: GateReport) -> list[str]:
    """The workflow command lines GitHub shows as annotations on the files they name."""
    lines = []
    for level, findings in (("error", report.problems), ("warning", report.warnings)):
        for f in findings:
            props = [f"file={_escape_property(f.file)}"] if f.file else []
            if f.line is not None:
                props.append(f"line={f.line}")
            props.append(f"title={_escape_property('contracts ' + (f.rule or f.kind))}")
            message = f.message
            if f.change is not None and f.change.witness is not None:
                message += f"; witness: {f.change.witness.payload!r}"
            lines.append(f"::{level} {','.join(props)}::{_escape_data(message)}")
    return lines


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")
