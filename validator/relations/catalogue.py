"""The relation catalogue: one small named checker per kind of ``x-relations``, and the one table.

An exchange checker sees one relation, the request and the 2xx response, and returns problems with
the pointer of the response value and a message naming both sides. A run checker sees every 2xx
exchange of one operation in a test run (``stable``, the sticky half of ``variant``) and says which
exchange reproduces the finding and which values were seen.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from ..payload import dumps
from ..problems import Problem
from .locations import MISSING, Location, Side, at, read
from .model import Relation

ExchangeCheck = Callable[[Relation, Side, Side], list[Problem]]


@dataclass(frozen=True, slots=True)
class RunFinding:
    """A run-level problem, the index of an exchange that shows it, and the values seen."""

    problem: Problem
    index: int
    seen: tuple[Any, ...]


RunCheck = Callable[[Relation, Sequence[tuple[Side, Side]]], list[RunFinding]]


# -- exchange checkers --------------------------------------------------------------------------
def batch_items_align(rel: Relation, request: Side, response: Side) -> list[Problem]:
    """The response array has one item per request item, in request order (or matched by key)."""
    assert rel.request is not None
    asked = read(request, rel.request)
    if not isinstance(asked, list):
        return []  # no batch in the request: the schema says whether that is allowed
    answered = read(response, rel.response)
    ptr = rel.response.pointer
    if not isinstance(answered, list):
        return []  # an optional array left out, or one of another type: the schema's to judge
    if len(asked) != len(answered):
        return [
            rel.problem(
                f"{ptr or '/'}: {len(asked)} request items ({rel.request}), {len(answered)} response items", ptr
            )
        ]
    key = rel.key
    if key is None:
        return []
    if rel.order == "preserved":
        for index, (sent, got) in enumerate(zip(asked, answered, strict=True)):
            want = at(sent, key.request)
            if want is MISSING:
                continue
            have = at(got, key.response)
            if not _same(want, have):
                where = f"{ptr}/{index}{key.response}"
                return [
                    rel.problem(
                        f"{where}: response item {index} carries {_text(have)}, request item {index} "
                        f"({rel.request}/{index}{key.request}) is {_text(want)}",
                        where,
                    )
                ]
        return []
    wanted = Counter(_token(at(item, key.request)) for item in asked)
    got_keys = Counter(_token(at(item, key.response)) for item in answered)
    missing, extra = wanted - got_keys, got_keys - wanted
    if not missing and not extra:
        return []
    parts = []
    if missing:
        parts.append("request keys without an answer: " + ", ".join(sorted(missing)))
    if extra:
        parts.append("response keys not in the request: " + ", ".join(sorted(extra)))
    return [rel.problem(f"{ptr or '/'}: items matched by {key.response}: " + "; ".join(parts), ptr)]


def echo_carries_request_value(rel: Relation, request: Side, response: Side) -> list[Problem]:
    """Whenever the request has the value, the response carries the same value."""
    assert rel.request is not None
    sent = read(request, rel.request)
    if sent is MISSING:
        return []
    got = read(response, rel.response)
    ptr = rel.response.pointer
    if got is MISSING:
        return [rel.problem(f"{rel.response}: missing, the request sent {_text(sent)} in {rel.request}", ptr)]
    if _same(sent, got, loose=_textual(rel.request) or _textual(rel.response)):
        return []
    return [rel.problem(f"{rel.response}: {_text(got)}, the request sent {_text(sent)} in {rel.request}", ptr)]


def at_most_request_number(rel: Relation, request: Side, response: Side) -> list[Problem]:
    """The response array has at most as many items as the request's number (top-k never exceeds n)."""
    assert rel.request is not None
    limit, source = requested_limit(rel, request)
    if limit is None:
        return []
    got = read(response, rel.response)
    if not isinstance(got, list) or len(got) <= limit:
        return []
    ptr = rel.response.pointer
    return [
        rel.problem(f"{ptr or '/'}: {len(got)} response items, the request asks for at most {limit} ({source})", ptr)
    ]


def requested_limit(rel: Relation, request: Side) -> tuple[int | None, str]:
    """The number an at-most relation bounds the answer by, and where it comes from: the request's value,
    else the schema ``default`` it omits (the server applies it); None when there is neither."""
    assert rel.request is not None
    sent = read(request, rel.request)
    if sent is MISSING and rel.default is not MISSING:
        return _integer(rel.default), f"{rel.request} omitted, its default"
    return _integer(sent), str(rel.request)


def variant_forced_is_served(rel: Relation, request: Side, response: Side) -> list[Problem]:
    """A request forcing a variant gets that variant."""
    if rel.forced_by is None:
        return []
    forced = read(request, rel.forced_by)
    if forced is MISSING or forced == "":
        return []
    got = read(response, rel.response)
    if _same(forced, got, loose=True):
        return []
    return [rel.problem(f"{rel.response}: {_text(got)}, the request forces {_text(forced)} ({rel.forced_by})")]


# -- run checkers ---------------------------------------------------------------------------------
def stable_over_run(rel: Relation, exchanges: Sequence[tuple[Side, Side]]) -> list[RunFinding]:
    """The value is the same in every 2xx response of the run (one model version serves it)."""
    values = [read(resp, rel.response) for _, resp in exchanges]
    counts = Counter(_token(v) for v in values if v is not MISSING)
    if len(counts) <= 1:
        return []
    first = next(v for v in values if v is not MISSING)
    index = next(i for i, v in enumerate(values) if v is not MISSING and _token(v) != _token(first))
    seen = tuple(dict.fromkeys(v for v in values if v is not MISSING and _hashable(v)))
    listing = ", ".join(f"{token} ({count} responses)" for token, count in counts.most_common())
    message = f"{rel.response}: {len(counts)} values in one run: {listing}"
    return [RunFinding(rel.problem(message), index, seen)]


def variant_sticky_over_run(rel: Relation, exchanges: Sequence[tuple[Side, Side]]) -> list[RunFinding]:
    """Among requests that force no variant, the same sticky key always gets the same variant."""
    if rel.sticky_by is None:
        return []
    by_key: dict[str, dict[str, int]] = {}
    for index, (req, resp) in enumerate(exchanges):
        if rel.forced_by is not None and read(req, rel.forced_by) not in (MISSING, ""):
            continue
        key, variant = read(req, rel.sticky_by), read(resp, rel.response)
        if key is MISSING or variant is MISSING:
            continue
        got = by_key.setdefault(_token(key), {})
        got.setdefault(_token(variant), index)
        if len(got) > 1:
            seen = tuple(got)
            message = (
                f"{rel.response}: {rel.sticky_by} {_token(key)} got {len(got)} variants in one run: {', '.join(seen)}"
            )
            return [RunFinding(rel.problem(message), index, seen)]
    return []


# -- the table -----------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Kind:
    """One kind of relation: its exchange checker and, when it is judged over a run, its run checker."""

    name: str
    exchange: ExchangeCheck | None
    run: RunCheck | None = None

    @property
    def summary(self) -> str:
        """The first docstring line of the kind's checker."""
        doc = ((self.exchange or self.run).__doc__ if (self.exchange or self.run) else "") or ""
        return doc.strip().splitlines()[0]


KINDS: dict[str, Kind] = {
    "batch": Kind("batch", batch_items_align),
    "echo": Kind("echo", echo_carries_request_value),
    "at-most": Kind("at-most", at_most_request_number),
    "stable": Kind("stable", None, stable_over_run),
    "variant": Kind("variant", variant_forced_is_served, variant_sticky_over_run),
}


def check(relations: Sequence[Relation], request: Side, response: Side) -> list[Problem]:
    """Every exchange-level problem of one request and its 2xx response."""
    out: list[Problem] = []
    for rel in relations:
        checker = KINDS[rel.kind].exchange
        if checker is not None:
            out.extend(checker(rel, request, response))
    return out


def judge_run(relations: Sequence[Relation], exchanges: Sequence[tuple[Side, Side]]) -> list[RunFinding]:
    """Every run-level finding over the 2xx exchanges of one operation."""
    out: list[RunFinding] = []
    for rel in relations:
        checker = KINDS[rel.kind].run
        if checker is not None:
            out.extend(checker(rel, exchanges))
    return out


def observed(relations: Sequence[Relation], exchanges: Sequence[tuple[Side, Side]]) -> dict[str, list[Any]]:
    """The distinct values seen at each ``stable`` and ``variant`` location (what a run verified)."""
    out: dict[str, list[Any]] = {}
    for rel in relations:
        if rel.kind not in ("stable", "variant"):
            continue
        values = out.setdefault(rel.kind + ":" + str(rel.response), [])
        for _, resp in exchanges:
            value = read(resp, rel.response)
            if value is not MISSING and _hashable(value) and value not in values:
                values.append(value)
    return out


# -- comparing values ------------------------------------------------------------------------------
def _same(left: Any, right: Any, *, loose: bool = False) -> bool:
    if right is MISSING:
        return False
    if _token(left) == _token(right):
        return True
    # A header or query value is text: "7" there is the 7 of a body.
    return loose and _plain(left) == _plain(right)


def _plain(value: Any) -> str:
    return value if isinstance(value, str) else _token(value)


def _textual(location: Location) -> bool:
    return location.source != "body"


def _token(value: Any) -> str:
    if value is MISSING:
        return "(missing)"
    try:
        return dumps(value).decode()
    except Exception:
        return repr(value)


def _text(value: Any) -> str:
    return "nothing" if value is MISSING else _token(value)


def _integer(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value)
    return None


def _hashable(value: Any) -> bool:
    return isinstance(value, str | int | float | bool) or value is None
