"""Compatibility between contract versions: which changes can break a client, with proof.

    diff(old, new) -> DiffReport                 every change, breaking or not, with witnesses
    against_versions(candidate, versions)        a candidate against several versions (transitive)
    versions_of_major(name, major, root)         the released versions a candidate must stay compatible with
    RULES                                        the catalogue (``contracts diff --list-rules``)

The policy (what is breaking) is the product's COMPAT-POLICY; each rule names its decision.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import refs as _refs
from .. import versions as _versions
from ..contract import Contract
from ..loader import load
from ..problems import Display, as_given
from ._engine import compare
from .catalogue import BY_ID, RULES, Rule
from .report import Change, DiffReport, Finding, Witness


def diff(old: Contract, new: Contract, *, witnesses: bool = True) -> DiffReport:
    """Every change from ``old`` to ``new``: rule id, verdict, pointer, message, witness when breaking.

    ``witnesses=False`` skips the search for proof payloads (verdicts only, faster).
    """
    return compare(old, new, witnesses=witnesses)


@dataclass(frozen=True, slots=True)
class Compatibility:
    """A candidate compared with each of several versions; compatible when none breaks."""

    candidate: str
    reports: tuple[DiffReport, ...]

    @property
    def compatible(self) -> bool:
        """Whether no comparison found a breaking change."""
        return not any(r.breaking for r in self.reports)

    def to_dict(self, display: Display = as_given) -> dict[str, Any]:
        """The ``diff`` shape over all comparisons (``old`` lists them), ``compatible``, each report."""
        changes = [dict(c, against=r.old) for r in self.reports for c in r.to_dict(display)["changes"]]
        bumps = [r.required_bump for r in self.reports]
        return {
            "old": ", ".join(r.old for r in self.reports),
            "new": self.candidate,
            "breaking": not self.compatible,
            "compatible": self.compatible,
            "required_bump": max(bumps, key=("none", "patch", "minor", "major").index, default="none"),
            "changes": changes,
            "comparisons": [r.to_dict(display) for r in self.reports],
        }


def against_versions(candidate: Contract, versions: Iterable[Contract]) -> Compatibility:
    """Compare a candidate with every given version (the transitive check of a major line)."""
    reports = tuple(diff(v, candidate) for v in versions)
    return Compatibility(f"{candidate.name}@{candidate.version}", reports)


def versions_of_major(name: str, major: int, root: Path, *, before: str | None = None) -> list[Contract]:
    """The released versions of ``name`` in one major line (those older than ``before`` when given)."""
    out = []
    for text in _refs.list_versions(root, name):
        version = _versions.parse(text)
        if version.major != major or not _versions.is_released(version):
            continue
        if before is not None and version >= _versions.parse(before):
            continue
        out.append(load(f"{name}@{text}", root))
    return out


__all__ = [
    "BY_ID",
    "RULES",
    "Change",
    "Compatibility",
    "DiffReport",
    "Finding",
    "Rule",
    "Witness",
    "against_versions",
    "diff",
    "versions_of_major",
]
