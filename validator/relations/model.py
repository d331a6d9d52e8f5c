"""``x-relations`` as values: one ``Relation`` per declared promise, parsed once per operation."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from ..contract import Operation
from ..problems import Problem
from .locations import MISSING, Location, LocationError

RelationKind = Literal["batch", "echo", "at-most", "stable", "variant"]
KIND_NAMES: tuple[RelationKind, ...] = ("batch", "echo", "at-most", "stable", "variant")
# How a batch's response items stand to its request items: index by index, or matched by key.
Order = Literal["preserved", "any"]
# Which locations each kind needs (request side, response side) and which it may take.
_NEEDS: Mapping[RelationKind, tuple[str, ...]] = {
    "batch": ("request", "response"),
    "echo": ("request", "response"),
    "at-most": ("request", "response"),
    "stable": ("response",),
    "variant": ("response",),
}
_ALLOWED: Mapping[RelationKind, frozenset[str]] = {
    "batch": frozenset({"kind", "request", "response", "key", "order"}),
    "echo": frozenset({"kind", "request", "response"}),
    "at-most": frozenset({"kind", "request", "response"}),
    "stable": frozenset({"kind", "response"}),
    "variant": frozenset({"kind", "response", "forced-by", "sticky-by"}),
}


@dataclass(frozen=True, slots=True)
class Key:
    """How a batch item is identified: a relative pointer in the request item and in the response item."""

    request: str
    response: str


@dataclass(frozen=True, slots=True)
class Relation:
    """One declared promise between a request and its 2xx response."""

    kind: RelationKind
    response: Location
    request: Location | None = None
    key: Key | None = None
    order: Order = "preserved"  # batch only
    forced_by: Location | None = None
    sticky_by: Location | None = None
    pointer: str = ""  # where it is declared: /paths/~1v1~1scores/post/x-relations/0
    # at-most: the schema ``default`` of the request number, which applies when the request omits it
    # (filled from the compiled contract by ``relations_for``; MISSING when none is declared).
    default: Any = MISSING

    @property
    def keyword(self) -> str:
        """The ``keyword`` of every problem this relation finds: ``x-relations/<kind>``."""
        return f"x-relations/{self.kind}"

    def problem(self, message: str, pointer: str | None = None) -> Problem:
        """A problem this relation finds in an exchange: at ``pointer``, else at its response location."""
        where = self.response.pointer if pointer is None else pointer
        return Problem(where, message, keyword=self.keyword, location=self.response.source)

    def describe(self) -> str:
        """A short human form: ``batch body:/clients -> body:/scores``."""
        if self.request is not None:
            return f"{self.kind} {self.request} -> {self.response}"
        return f"{self.kind} {self.response}"


def relations_of(op: Operation) -> tuple[tuple[Relation, ...], list[Problem]]:
    """The operation's relations, and a problem (pointer into the document) for each that cannot be read."""
    raw = op.extensions.get("x-relations")
    base = op.pointer + "/x-relations"
    if raw is None:
        return (), []
    if not isinstance(raw, list):
        return (), [Problem(base, "x-relations is a list of relations", keyword="x-relations")]
    out: list[Relation] = []
    problems: list[Problem] = []
    for index, entry in enumerate(raw):
        here = f"{base}/{index}"
        try:
            out.append(parse(entry, here))
        except (LocationError, ValueError) as exc:
            kind = entry.get("kind") if isinstance(entry, Mapping) else None
            keyword = f"x-relations/{kind}" if kind in KIND_NAMES else "x-relations"
            problems.append(Problem(here, f"{op.label}: {exc}", keyword=keyword))
    return tuple(out), problems


def parse(entry: Any, pointer: str = "") -> Relation:
    """One relation from its declaration; ValueError (or LocationError) saying what is wrong."""
    if not isinstance(entry, Mapping):
        raise ValueError(f"a relation is an object with a kind, got {entry!r}")
    kind = entry.get("kind")
    if kind not in KIND_NAMES:
        raise ValueError(f"kind {kind!r} is not one of {', '.join(KIND_NAMES)}")
    unknown = sorted(set(entry) - _ALLOWED[kind])
    if unknown:
        raise ValueError(f"{kind}: unknown member {', '.join(unknown)}; allowed: {', '.join(sorted(_ALLOWED[kind]))}")
    for needed in _NEEDS[kind]:
        if needed not in entry:
            raise ValueError(f"{kind} needs a {needed} location")
    request = Location.parse(entry["request"]) if "request" in entry else None
    response = Location.parse(entry["response"])
    if response.source in ("query", "path"):
        raise ValueError(f"{kind}: the response location {response} must be in the body or a header")
    forced = Location.parse(entry["forced-by"]) if "forced-by" in entry else None
    sticky = Location.parse(entry["sticky-by"]) if "sticky-by" in entry else None
    order = entry.get("order", "preserved")
    if order not in ("preserved", "any"):
        raise ValueError(f"batch order {order!r} is not preserved or any")
    key = _key(entry.get("key"))
    if kind == "batch" and (request is None or request.source != "body" or response.source != "body"):
        raise ValueError("batch relates two body arrays (body:/pointer on both sides)")
    if kind == "batch" and order == "any" and key is None:
        raise ValueError("batch with order: any needs a key to match items by")
    return Relation(kind, response, request, key, order, forced, sticky, pointer)


def _key(raw: Any) -> Key | None:
    if raw is None:
        return None
    if isinstance(raw, str) and raw.startswith("/"):
        return Key(raw, raw)
    if isinstance(raw, Mapping) and set(raw) == {"request", "response"}:
        req, resp = raw["request"], raw["response"]
        if isinstance(req, str) and isinstance(resp, str) and req.startswith("/") and resp.startswith("/"):
            return Key(req, resp)
    raise ValueError(f"key {raw!r} is a relative pointer (/client_id) or {{request: /ptr, response: /ptr}}")
