"""What a comparison returns: findings from rules, changes with their verdict, the diff report."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from ..problems import Display, as_given

Bump = Literal["none", "patch", "minor", "major"]
BUMPS: tuple[Bump, ...] = ("none", "patch", "minor", "major")
NO_WITNESS = "no witness found"
UNPROVEN = "no payload shows a break: not breaking (policy 16)"


@dataclass(frozen=True, slots=True)
class Finding:
    """What a rule yields: a message and where (``member`` names the property involved, if any).

    ``pointer`` is a JSON pointer into the new version, or into the old one when ``in_old`` (what
    was removed); empty means the place the rule was looking at.
    """

    message: str
    pointer: str = ""
    member: str | None = None
    in_old: bool = False
    witness: Witness | None = None  # an operation rule's own proof (an exchange), when it has one


# What a witness is: one body or value (payload), or a request and the two answers (exchange).
WitnessKind = Literal["payload", "exchange"]


@dataclass(frozen=True, slots=True)
class Witness:
    """A payload that proves a breaking change, confirmed with both versions' validators."""

    payload: Any
    where: str  # e.g. "request body", "response 200 body", "query parameter 'n'"
    valid_under: str  # version it passes
    invalid_under: str  # version it fails
    problem: str  # the first problem the failing version reports
    kind: WitnessKind = "payload"


# Non-breaking changes a reviewer should still look at (something removed, deprecated or renamed, or
# a break a rule proposed that no witness confirmed); the rest is information.
_WARNING_WORDS = ("removed", "deprecated", "renamed", "id-changed", "sunset")


@dataclass(frozen=True, slots=True)
class Change:
    """One reported change: the rule that found it, its verdict, where it is, and any witness."""

    id: str
    breaking: bool
    bump: Bump
    message: str
    pointer: str
    operation: str | None = None
    file: str | None = None
    line: int | None = None
    schema_change: bool = False
    witness: Witness | None = None
    unproven: bool = False  # a rule proposed a break that no witness confirmed: reported, not breaking
    witness_note: str | None = None  # why a breaking schema change has no witness (its schema does not compile)

    @property
    def severity(self) -> str:
        """breaking, warning (removed, deprecated, renamed, or an unproven break) or info."""
        if self.breaking:
            return "breaking"
        if self.unproven or any(word in self.id for word in _WARNING_WORDS):
            return "warning"
        return "info"

    def to_dict(self, display: Display = as_given) -> dict[str, Any]:
        """The change as its INTERFACE.md JSON shape, plus where the witness came from (files by ``display``)."""
        out: dict[str, Any] = {"id": self.id, "breaking": self.breaking, "severity": self.severity}
        if self.operation is not None:
            out["operation"] = self.operation
        out["pointer"] = self.pointer
        out["message"] = self.message
        if self.file is not None:
            out["file"] = display(self.file)
        if self.line is not None:
            out["line"] = self.line
        if self.witness is not None:
            out["witness"] = self.witness.payload
            out["witness_where"] = self.witness.where
            out["witness_kind"] = self.witness.kind
            out["witness_check"] = (
                f"valid under {self.witness.valid_under}, invalid under "
                f"{self.witness.invalid_under}: {self.witness.problem}"
                if self.witness.kind == "payload"
                else self.witness.problem
            )
        elif self.unproven:
            out["witness_note"] = UNPROVEN
        elif self.breaking and self.schema_change:
            out["witness_note"] = self.witness_note or NO_WITNESS
        return out


@dataclass(frozen=True, slots=True)
class DiffReport:
    """Every change between two versions of a contract, breaking first within each operation."""

    old: str
    new: str
    changes: tuple[Change, ...] = field(default_factory=tuple)

    @property
    def breaking(self) -> bool:
        """Whether any change is breaking."""
        return any(c.breaking for c in self.changes)

    @property
    def required_bump(self) -> Bump:
        """The smallest semver bump that describes the changes: major, minor, patch or none."""
        return max((c.bump for c in self.changes), key=BUMPS.index, default="none")

    def fails(self, fail_on: str = "breaking") -> bool:
        """Whether the report fails a gate set to ``fail_on`` (breaking, or warning: breaking or warning)."""
        levels = ("breaking",) if fail_on == "breaking" else ("breaking", "warning")
        return any(c.severity in levels for c in self.changes)

    def breaking_changes(self) -> list[Change]:
        """The breaking changes only."""
        return [c for c in self.changes if c.breaking]

    def by_operation(self) -> dict[str, list[Change]]:
        """Changes grouped by operation label (contract-wide ones under ``""``), breaking first."""
        groups: dict[str, list[Change]] = {}
        for change in self.changes:
            groups.setdefault(change.operation or "", []).append(change)
        for items in groups.values():
            items.sort(key=lambda c: not c.breaking)
        return dict(sorted(groups.items(), key=lambda kv: (not any(c.breaking for c in kv[1]), kv[0])))

    def to_dict(self, display: Display = as_given) -> dict[str, Any]:
        """The INTERFACE.md ``diff`` shape (files shown by ``display``)."""
        return {
            "old": self.old,
            "new": self.new,
            "breaking": self.breaking,
            "required_bump": self.required_bump,
            "changes": [c.to_dict(display) for group in self.by_operation().values() for c in group],
        }
