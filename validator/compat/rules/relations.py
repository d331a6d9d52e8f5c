"""Rules over ``x-relations``: a relation removed or weakened is breaking (clients relied on it), one added is not.

Relations are paired by kind and response location. Each breaking finding carries a witness exchange
(a request and a 2xx response) that keeps the old relation broken and the new one satisfied, checked
with both versions' relation checkers.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

from ...contract import Operation
from ...pointers import write_pointer
from ...relations import MISSING, Relation, Side, check, read, relations_of
from ..pairing import OperationPair
from ..report import Finding, Witness


def _paired(op: Operation) -> dict[tuple[str, str], Relation]:
    return {(r.kind, str(r.response)): r for r in relations_of(op)[0]}


def relation_removed(pair: OperationPair) -> Iterator[Finding]:
    """A promise about the request is gone (batch alignment, an echo, a bound, a stable value, a variant)."""
    old, new = _paired(pair.old), _paired(pair.new)
    for key, rel in old.items():
        if key not in new:
            yield Finding(
                f"relation {rel.describe()} removed", rel.pointer, in_old=True, witness=_witness(pair, rel, None)
            )


def relation_weakened(pair: OperationPair) -> Iterator[Finding]:
    """A relation still stands but promises less (order no longer preserved, key, forced-by or sticky-by dropped)."""
    old, new = _paired(pair.old), _paired(pair.new)
    for key, before in old.items():
        after = new.get(key)
        if after is None:
            continue
        lost = _lost(before, after)
        if lost:
            yield Finding(
                f"relation {after.describe()} weakened: {', '.join(lost)}",
                after.pointer,
                witness=_witness(pair, before, after),
            )


def relation_added(pair: OperationPair) -> Iterator[Finding]:
    """A new promise about the request (responses only get more predictable)."""
    old, new = _paired(pair.old), _paired(pair.new)
    for key, rel in new.items():
        if key not in old:
            yield Finding(f"relation {rel.describe()} added", rel.pointer)


def _lost(before: Relation, after: Relation) -> list[str]:
    lost = []
    if before.request is not None and str(before.request) != str(after.request):
        lost.append(f"request location {before.request} became {after.request}")
    if before.order == "preserved" and after.order == "any":
        lost.append("order preserved became any")
    if before.key is not None and after.key is None:
        lost.append("key dropped")
    if before.forced_by is not None and after.forced_by is None:
        lost.append(f"forced-by {before.forced_by} dropped")
    if before.sticky_by is not None and after.sticky_by is None:
        lost.append(f"sticky-by {before.sticky_by} dropped")
    return lost


# -- witness exchanges -------------------------------------------------------------------------------
def _witness(pair: OperationPair, before: Relation, after: Relation | None) -> Witness | None:
    """An exchange the old relation rejects and the new version accepts, or None when none is found."""
    seed = _seed(pair.old)
    for request, response in _candidates(before, seed):
        req, resp = Side(body=request), Side(body=response)
        broken = check([before], req, resp)
        if not broken or (after is not None and check([after], req, resp)):
            continue
        old, new = pair.contract.old.version, pair.contract.new.version
        payload = {
            "request": request,
            "response": response,
            "old": f"{old} refuses this answer: {broken[0].message}",
            "new": f"{new} accepts it",
        }
        where = f"exchange of {pair.label} (request body, 2xx response body)"
        return Witness(payload, where, new, old, broken[0].message, kind="exchange")
    return None


def _pair(request: Any, at: str, asked: Any, response: Any, there: str, answered: Any) -> tuple[Any, Any]:
    return write_pointer(copy.deepcopy(request), at, asked), write_pointer(copy.deepcopy(response), there, answered)


def _seed(op: Operation) -> tuple[Any, Any]:
    for interaction in op.interactions.values():
        if interaction.status[:1] == "2" and isinstance(interaction.request, dict):
            return copy.deepcopy(interaction.request), copy.deepcopy(interaction.response)
    return {}, {}


def _candidates(rel: Relation, seed: tuple[Any, Any]) -> Iterator[tuple[Any, Any]]:
    request, response = seed
    request = request if isinstance(request, dict) else {}
    response = response if isinstance(response, dict) else {}
    if rel.request is not None and rel.request.source == "body":
        asked = read(Side(body=request), rel.request)
        if rel.kind == "batch":
            items = asked if isinstance(asked, list) and len(asked) >= 2 else [{}, {}]
            answered = read(Side(body=response), rel.response)
            answered = answered if isinstance(answered, list) and len(answered) >= 2 else [{}, {}]
            if rel.key is not None:  # the same keys answered in the other order
                items = [
                    write_pointer(copy.deepcopy(item), rel.key.request, f"k{i}") for i, item in enumerate(items[:2])
                ]
                answered = [
                    write_pointer(copy.deepcopy(a), rel.key.response, f"k{1 - i}") for i, a in enumerate(answered[:2])
                ]
                yield _pair(request, rel.request.name, items, response, rel.response.name, answered)
            yield _pair(request, rel.request.name, items, response, rel.response.name, answered[:1])
        elif rel.kind == "at-most":
            answered = read(Side(body=response), rel.response)
            answered = answered if isinstance(answered, list) and answered else [{}]
            yield (
                write_pointer(copy.deepcopy(request), rel.request.name, 1),
                write_pointer(copy.deepcopy(response), rel.response.name, answered * 2),
            )
        elif rel.kind == "echo" and rel.response.source == "body":
            sent = asked if asked is not MISSING else "sent-value"
            yield (
                write_pointer(copy.deepcopy(request), rel.request.name, sent),
                write_pointer(copy.deepcopy(response), rel.response.name, f"not-{sent}"),
            )
    if rel.kind == "variant" and rel.forced_by is not None and rel.forced_by.source == "body":
        yield (
            write_pointer(copy.deepcopy(request), rel.forced_by.name, "b"),
            write_pointer(copy.deepcopy(response), rel.response.name, "a"),
        )
