"""A diff as a Markdown changelog, fit for a pull request comment or release notes."""

from __future__ import annotations

import json
from typing import Any

from ..compat import Change, DiffReport
from ..problems import Display, as_given

MAX_WITNESS = 400  # characters of a witness shown inline; longer ones are cut (the JSON report has them whole)


def diff_markdown(report: DiffReport, *, display: Display = as_given) -> str:
    """The changelog: a verdict, then breaking changes, other changes and notes, each grouped by operation;
    files shown by ``display``."""
    breaking = report.breaking_changes()
    lines = [f"## {report.old} → {report.new}", ""]
    if report.breaking:
        lines.append(
            f"**Breaking**: {len(breaking)} of {len(report.changes)} changes break clients; "
            f"required bump: **{report.required_bump}**."
        )
    else:
        lines.append(f"**Compatible**: {len(report.changes)} changes; required bump: **{report.required_bump}**.")
    sections = (
        ("Breaking changes", [c for c in report.changes if c.breaking]),
        ("Changes", [c for c in report.changes if not c.breaking and c.bump == "minor"]),
        ("Notes", [c for c in report.changes if not c.breaking and c.bump != "minor"]),
    )
    for title, changes in sections:
        if not changes:
            continue
        lines += ["", f"### {title}", ""]
        for operation, group in _grouped(changes).items():
            lines.append(f"- **{_text(operation or 'contract')}**")
            for change in group:
                lines += [f"  - {_line(change, display)}", *_witness(change)]
    return "\n".join(lines) + "\n"


def _grouped(changes: list[Change]) -> dict[str, list[Change]]:
    out: dict[str, list[Change]] = {}
    for change in changes:
        out.setdefault(change.operation or "", []).append(change)
    return out


def _line(change: Change, display: Display) -> str:
    shown = display(change.file) if change.file else ""
    where = f"{shown}:{change.line}" if shown and change.line else shown
    location = f" — `{_code(where)}` `{_code(change.pointer or '/')}`" if where else ""
    return f"{_text(change.message)} (`{change.id}`){location}"


def _witness(change: Change) -> list[str]:
    if change.witness is None:
        return ["    - not breaking: no payload shows a break (policy 16)"] if change.unproven else []
    w = change.witness
    shown = json.dumps(w.payload, ensure_ascii=False, sort_keys=True)
    if len(shown) > MAX_WITNESS:
        shown = shown[:MAX_WITNESS] + " …"
    if w.kind == "exchange":
        return [f"    - exchange: `{_code(shown)}`"]
    return [
        f"    - witness ({_text(w.where)}; valid under {w.valid_under}, invalid under {w.invalid_under}: "
        f"{_text(w.problem)}): `{_code(shown)}`"
    ]


def _text(value: Any) -> str:
    """Text safe in Markdown prose: characters that would start markup are escaped."""
    out = str(value)
    for ch in "\\`*_[]<>|":
        out = out.replace(ch, "\\" + ch)
    return out


def _code(value: str) -> str:
    return value.replace("`", "'")
