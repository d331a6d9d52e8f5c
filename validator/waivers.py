"""Accepted breaking changes: ``[[tool.contracts.waivers]]`` in ``pyproject.toml``, read by the gate."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from .compat import Change
from .errors import LoadError


@dataclass
class Waiver:
    """An accepted breaking change: the contract, the version that introduces it, the rule, and why.

    The gate reports a change once, against the version where it first appears, so one waiver names
    one change once; ``old`` (the version it breaks) and ``pointer`` narrow it further when given.
    """

    contract: str
    old: str | None
    new: str
    rule: str
    reason: str
    used: bool = False
    pointer: str | None = None


def read_waivers(pyproject: Path) -> list[Waiver]:
    """Waivers from ``[[tool.contracts.waivers]]``: contract, new, rule and a reason (old and pointer optional)."""
    if not pyproject.is_file():
        return []
    try:
        data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise LoadError(f"not valid TOML: {exc}", file=str(pyproject)) from None
    raw = data.get("tool", {}).get("contracts", {}).get("waivers", [])
    if not isinstance(raw, list):
        raise LoadError(
            "tool.contracts.waivers must be an array of tables",
            file=str(pyproject),
            hint="use [[tool.contracts.waivers]] with contract, old, new, rule and reason",
        )
    out = []
    for i, entry in enumerate(raw, start=1):
        missing = [
            k
            for k in ("contract", "new", "rule", "reason")
            if not isinstance(entry, dict) or not str(entry.get(k, "")).strip()
        ]
        if missing:
            raise LoadError(
                f"waiver #{i} lacks {', '.join(missing)}",
                file=str(pyproject),
                pointer=f"/tool/contracts/waivers/{i - 1}",
                hint="every waiver names contract, new, rule and gives a reason",
            )
        fields = ("contract", "new", "rule", "reason")
        contract, new, rule, reason = (str(entry[k]).strip() for k in fields)
        old, pointer = (str(entry[k]).strip() if k in entry else None for k in ("old", "pointer"))
        out.append(Waiver(contract, old, new, rule, reason, pointer=pointer))
    return out


def matching(waivers: list[Waiver], contract: str, old: str, new: str, change: Change) -> Waiver | None:
    """The waiver accepting one breaking change introduced by ``new``, if any."""
    return next(
        (
            w
            for w in waivers
            if (w.contract, w.new, w.rule) == (contract, new, change.id)
            and w.old in (None, old)
            and w.pointer in (None, change.pointer)
        ),
        None,
    )
