"""Rules over ``x-sum`` and ``x-sorted`` on one pair of schemas (what a prediction's numbers promise).

Like every schema rule, a rule only proposes a change; it is breaking only with a witness payload
that both versions' validators, extension keywords included, judge differently (policy decision 16):
in a response, a payload NEW may send and OLD refuses (rows that no longer add up, items out of
order); in a request, one OLD accepts and NEW refuses.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ...relations.schema_keywords import declared, tolerance_of
from ..pairing import SchemaPair
from ..report import Finding


def _pair(pair: SchemaPair, keyword: str) -> tuple[Mapping[str, Any] | None, Mapping[str, Any] | None]:
    return declared(pair.old.node.raw, keyword), declared(pair.new.node.raw, keyword)


def _sum_text(spec: Mapping[str, Any]) -> str:
    of = f" of {spec['of']}" if spec.get("of") is not None else ""
    return f"x-sum{of} = {spec['equals']} (±{tolerance_of(spec):g})"


def _sorted_text(spec: Mapping[str, Any]) -> str:
    by = f" by {spec['by']}" if spec.get("by") is not None else ""
    return f"x-sorted {spec.get('order', 'asc')}{by}"


# -- x-sum ----------------------------------------------------------------------------------------
def sum_added(pair: SchemaPair) -> Iterator[Finding]:
    """An ``x-sum`` appeared: numbers must now add up to a total."""
    old, new = _pair(pair, "x-sum")
    if old is None and new is not None:
        yield Finding(f"{_sum_text(new)} declared")


def sum_removed(pair: SchemaPair) -> Iterator[Finding]:
    """An ``x-sum`` is gone: the numbers may add up to anything."""
    old, new = _pair(pair, "x-sum")
    if old is not None and new is None:
        yield Finding(f"{_sum_text(old)} no longer declared")


def sum_changed(pair: SchemaPair) -> Iterator[Finding]:
    """The total of an ``x-sum`` or the member it adds up changed: rows adding up to the old total are refused."""
    old, new = _pair(pair, "x-sum")
    if old is not None and new is not None and (old["equals"] != new["equals"] or old.get("of") != new.get("of")):
        yield Finding(f"{_sum_text(old)} became {_sum_text(new)}")


def sum_tolerance_raised(pair: SchemaPair) -> Iterator[Finding]:
    """An ``x-sum`` tolerates a larger error: totals further from the declared one pass."""
    old, new = _pair(pair, "x-sum")
    if old is not None and new is not None and tolerance_of(new) > tolerance_of(old):
        yield Finding(f"x-sum tolerance raised from {tolerance_of(old):g} to {tolerance_of(new):g}")


def sum_tolerance_lowered(pair: SchemaPair) -> Iterator[Finding]:
    """An ``x-sum`` tolerates a smaller error: totals the old tolerance let pass are refused."""
    old, new = _pair(pair, "x-sum")
    if old is not None and new is not None and tolerance_of(new) < tolerance_of(old):
        yield Finding(f"x-sum tolerance lowered from {tolerance_of(old):g} to {tolerance_of(new):g}")


# -- x-sorted -------------------------------------------------------------------------------------
def sorted_added(pair: SchemaPair) -> Iterator[Finding]:
    """An ``x-sorted`` appeared: items must now come in order."""
    old, new = _pair(pair, "x-sorted")
    if old is None and new is not None:
        yield Finding(f"{_sorted_text(new)} declared")


def sorted_removed(pair: SchemaPair) -> Iterator[Finding]:
    """An ``x-sorted`` is gone: items may come in any order."""
    old, new = _pair(pair, "x-sorted")
    if old is not None and new is None:
        yield Finding(f"{_sorted_text(old)} no longer declared")


def sorted_changed(pair: SchemaPair) -> Iterator[Finding]:
    """The order of an ``x-sorted`` (asc, desc) or the member it sorts by changed."""
    old, new = _pair(pair, "x-sorted")
    if old is None or new is None:
        return
    if old.get("order", "asc") != new.get("order", "asc") or old.get("by") != new.get("by"):
        yield Finding(f"{_sorted_text(old)} became {_sorted_text(new)}")
