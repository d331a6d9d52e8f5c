"""Telling failures apart: one finding per operation, check and what failed, each with its smallest case.

Two failures are the same bug when they share operation, check and signature: the status (and
keyword) for status checks, the location, pointer (array indices generalised) and keyword for
payload checks, the exception type when no response came. A score of 1.5 and a missing member in
the same operation are then two findings, and the thousand requests that hit one bug are one.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from ..problems import Problem
from .cases import AUTH, Case
from .exchange import WireRequest, WireResponse

Key = tuple[str, str, tuple[str, ...]]  # operation label, check, signature


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One failed check on one exchange."""

    case: Case
    check: str
    problem: Problem
    response: WireResponse | None
    error: str | None = None


def signature(check: str, problem: Problem, response: WireResponse | None, error: str | None = None) -> tuple[str, ...]:
    """What failed, in the terms that separate one bug from another."""
    if response is None:
        return ("no response", (error or "").split(":", 1)[0])
    if problem.location in ("status", None):
        return (str(response.status), problem.keyword or "")
    return (problem.location, general_pointer(problem.pointer), problem.keyword or "")


def general_pointer(pointer: str) -> str:
    """A pointer with every array index replaced by ``*``: item 0 and item 3 breaking alike are one bug."""
    return "/".join("*" if token.isdigit() else token for token in pointer.split("/"))


def key_of(occurrence: Occurrence) -> Key:
    """The finding an occurrence belongs to."""
    o = occurrence
    return (o.case.operation.label, o.check, signature(o.check, o.problem, o.response, o.error))


def request_size(request: WireRequest) -> int:
    """How big a reproduction is: path, headers and body, in characters."""
    return len(request.path) + sum(len(k) + len(v) for k, v in request.headers) + len(request.body or b"")


@dataclass(slots=True)
class Group:
    """Every occurrence of one finding, in the order seen; the smallest one reproduces it."""

    key: Key
    occurrences: list[Occurrence] = field(default_factory=list)

    @property
    def smallest(self) -> Occurrence:
        """The occurrence with the smallest request (the first seen among equals).

        A request sent as the caller set it up comes before one stripped of its credentials for
        auth_enforced: that one reproduces only what happens without credentials.
        """
        return min(self.occurrences, key=lambda o: (o.case.source == AUTH, request_size(o.case.request)))


def grouped(occurrences: Iterable[Occurrence]) -> list[Group]:
    """Occurrences grouped into findings, in the order each finding was first seen."""
    groups: dict[Key, Group] = {}
    for occurrence in occurrences:
        key = key_of(occurrence)
        groups.setdefault(key, Group(key)).occurrences.append(occurrence)
    return list(groups.values())


def capped(groups: Sequence[Group], check_order: Sequence[str], cap: int) -> tuple[list[Group], dict[str, int]]:
    """At most ``cap`` findings per operation (by check order, then first seen); how many more each had."""
    rank = {name: i for i, name in enumerate(check_order)}
    ordered = sorted(enumerate(groups), key=lambda pair: (rank.get(pair[1].key[1], len(rank)), pair[0]))
    kept: list[Group] = []
    shown: dict[str, int] = {}
    hidden: dict[str, int] = {}
    for _, group in ordered:
        operation = group.key[0]
        if shown.get(operation, 0) < cap:
            shown[operation] = shown.get(operation, 0) + 1
            kept.append(group)
        else:
            hidden[operation] = hidden.get(operation, 0) + 1
    return kept, hidden
