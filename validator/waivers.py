"""Accepted breaking changes: ``[[tool.contracts.waivers]]`` in ``pyproject.toml``, read by the gate."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from .errors import LoadError


@dataclass
class Waiver:
    """An accepted breaking change: contract, version pair, rule id, and why."""

    contract: str
    old: str
    new: str
    rule: str
    reason: str
    used: bool = False


def read_waivers(pyproject: Path) -> list[Waiver]:
    """Waivers from ``[[tool.contracts.waivers]]``; each needs contract, old, new, rule and a reason."""
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
            for k in ("contract", "old", "new", "rule", "reason")
            if not isinstance(entry, dict) or not str(entry.get(k, "")).strip()
        ]
        if missing:
            raise LoadError(
                f"waiver #{i} lacks {', '.join(missing)}",
                file=str(pyproject),
                pointer=f"/tool/contracts/waivers/{i - 1}",
                hint="every waiver names contract, old, new, rule and gives a reason",
            )
        fields = ("contract", "old", "new", "rule", "reason")
        contract, old, new, rule, reason = (str(entry[k]).strip() for k in fields)
        out.append(Waiver(contract, old, new, rule, reason))
    return out


def matching(waivers: list[Waiver], contract: str, old: str, new: str, rule: str) -> Waiver | None:
    """The waiver accepting that rule's breaking change between those versions, if any."""
    return next((w for w in waivers if (w.contract, w.old, w.new, w.rule) == (contract, old, new, rule)), None)
