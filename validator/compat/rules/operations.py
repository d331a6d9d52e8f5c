"""Rules over the set of operations: removed, moved, added, renamed, secured, deprecated."""

from __future__ import annotations

import datetime
from collections.abc import Iterator, Mapping
from typing import Any

from ...contract import Operation
from ..pairing import ContractPair, path_shape
from ..report import Finding


def _moved(pair: ContractPair) -> dict[str, tuple[Operation, Operation]]:
    """Removed operations whose operationId now names an operation at another method or path."""
    added = {op.operation_id: op for op in pair.operations.added if op.operation_id}
    return {op.key: (op, added[op.operation_id]) for op in pair.operations.removed if op.operation_id in added}


def sunset_passed(op: Operation, today: datetime.date | None = None) -> bool:
    """Whether an operation is ``deprecated: true`` with an ``x-sunset`` date (or date-time) in the past."""
    sunset = op.extensions.get("x-sunset")
    if not op.deprecated or not isinstance(sunset, str | datetime.date):
        return False
    try:
        when = sunset if isinstance(sunset, datetime.date) else datetime.date.fromisoformat(sunset[:10])
    except ValueError:
        return False
    if isinstance(when, datetime.datetime):
        when = when.date()
    return when < (today or datetime.datetime.now(datetime.UTC).date())


def _shapes(ops: tuple[Operation, ...]) -> set[str]:
    return {path_shape(op.path) for op in ops}


def operation_removed(pair: ContractPair) -> Iterator[Finding]:
    """An operation was removed together with its path."""
    moved, shapes = _moved(pair), _shapes(pair.new.operations)
    for op in pair.operations.removed:
        if op.key not in moved and path_shape(op.path) not in shapes and not sunset_passed(op):
            yield Finding(f"operation {op.label} ({op.key}) removed", op.pointer, in_old=True)


def operation_method_removed(pair: ContractPair) -> Iterator[Finding]:
    """A method was removed from a path that still exists."""
    moved, shapes = _moved(pair), _shapes(pair.new.operations)
    for op in pair.operations.removed:
        if op.key not in moved and path_shape(op.path) in shapes and not sunset_passed(op):
            yield Finding(f"method {op.method} removed from {op.path}", op.pointer, in_old=True)


def operation_path_changed(pair: ContractPair) -> Iterator[Finding]:
    """An operation moved to another path or method (same operationId): calls to the old one fail."""
    for old, new in _moved(pair).values():
        yield Finding(f"operation {old.operation_id} moved from {old.key} to {new.key}", new.pointer)


def operation_removed_after_sunset(pair: ContractPair) -> Iterator[Finding]:
    """A deprecated operation was removed after its ``x-sunset`` date: announced, so reported, not breaking."""
    moved = _moved(pair)
    for op in pair.operations.removed:
        if op.key not in moved and sunset_passed(op):
            sunset = op.extensions.get("x-sunset")
            yield Finding(f"operation {op.label} ({op.key}) removed after its sunset {sunset}", op.pointer, in_old=True)


def operation_added(pair: ContractPair) -> Iterator[Finding]:
    """An operation was added."""
    moved_to = {new.key for _, new in _moved(pair).values()}
    for op in pair.operations.added:
        if op.key not in moved_to:
            yield Finding(f"operation {op.label} ({op.key}) added", op.pointer)


def operation_id_changed(pair: ContractPair) -> Iterator[Finding]:
    """Only the operationId changed (the wire is identical: information)."""
    for old, new in pair.operations.pairs:
        if old.operation_id != new.operation_id:
            yield Finding(
                f"operationId changed from {old.operation_id!r} to {new.operation_id!r} on {new.key}",
                new.pointer,
            )


def path_variable_renamed(pair: ContractPair) -> Iterator[Finding]:
    """Only the name of a path template variable changed (the wire is identical: information)."""
    for old, new in pair.operations.pairs:
        if old.path != new.path:
            yield Finding(f"path template {old.path} renamed to {new.path}", new.pointer)


def _alternatives(requirements: tuple[Mapping[str, Any], ...]) -> list[frozenset[str]]:
    return [frozenset(r) for r in requirements] or [frozenset()]


def security_requirement_added(pair: ContractPair) -> Iterator[Finding]:
    """A client that met the old security requirements no longer meets any new alternative."""
    for old, new in pair.operations.pairs:
        now = _alternatives(new.security)
        for before in _alternatives(old.security):
            if not any(alt <= before for alt in now):
                had = ", ".join(sorted(before)) or "no credentials"
                yield Finding(
                    f"{new.label}: a client with {had} no longer meets the security requirements "
                    f"({', '.join(' + '.join(sorted(a)) or 'none' for a in now)})",
                    new.pointer,
                )
                break


def operation_deprecated(pair: ContractPair) -> Iterator[Finding]:
    """An operation was marked deprecated (information)."""
    for old, new in pair.operations.pairs:
        if new.deprecated and not old.deprecated:
            yield Finding(f"operation {new.label} deprecated", new.pointer)


# -- webhooks and callbacks: requests the API sends ----------------------------------------------
def _removed_events(pair: ContractPair, kind: str) -> Iterator[Finding]:
    for op in (op for op in pair.events.removed if op.path.startswith(f"{kind}s/")):
        yield Finding(f"{kind} {op.label} ({op.key}) removed: the API no longer sends it", op.pointer, in_old=True)


def _added_events(pair: ContractPair, kind: str) -> Iterator[Finding]:
    for op in (op for op in pair.events.added if op.path.startswith(f"{kind}s/")):
        yield Finding(f"{kind} {op.label} ({op.key}) added", op.pointer)


def webhook_removed(pair: ContractPair) -> Iterator[Finding]:
    """A webhook is gone: consumers that handle it no longer receive it."""
    return _removed_events(pair, "webhook")


def webhook_added(pair: ContractPair) -> Iterator[Finding]:
    """A new webhook: consumers subscribe to it if they wish."""
    return _added_events(pair, "webhook")


def callback_removed(pair: ContractPair) -> Iterator[Finding]:
    """A callback is gone: clients that registered for it are no longer called."""
    return _removed_events(pair, "callback")


def callback_added(pair: ContractPair) -> Iterator[Finding]:
    """A new callback of an operation."""
    return _added_events(pair, "callback")
