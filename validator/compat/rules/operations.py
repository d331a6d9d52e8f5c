"""Rules over the set of operations: removed, moved, added, renamed, secured, deprecated."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ...contract import Operation
from ..pairing import ContractPair, path_shape
from ..report import Finding


def _moved(pair: ContractPair) -> dict[str, tuple[Operation, Operation]]:
    """Removed operations whose operationId now names an operation at another method or path."""
    added = {op.operation_id: op for op in pair.operations.added if op.operation_id}
    return {op.key: (op, added[op.operation_id]) for op in pair.operations.removed if op.operation_id in added}


def _shapes(ops: tuple[Operation, ...]) -> set[str]:
    return {path_shape(op.path) for op in ops}


def operation_removed(pair: ContractPair) -> Iterator[Finding]:
    """An operation was removed together with its path."""
    moved, shapes = _moved(pair), _shapes(pair.new.operations)
    for op in pair.operations.removed:
        if op.key not in moved and path_shape(op.path) not in shapes:
            yield Finding(f"operation {op.label} ({op.key}) removed", op.pointer, in_old=True)


def operation_method_removed(pair: ContractPair) -> Iterator[Finding]:
    """A method was removed from a path that still exists."""
    moved, shapes = _moved(pair), _shapes(pair.new.operations)
    for op in pair.operations.removed:
        if op.key not in moved and path_shape(op.path) in shapes:
            yield Finding(f"method {op.method} removed from {op.path}", op.pointer, in_old=True)


def operation_path_changed(pair: ContractPair) -> Iterator[Finding]:
    """An operation moved to another path or method (same operationId): calls to the old one fail."""
    for old, new in _moved(pair).values():
        yield Finding(f"operation {old.operation_id} moved from {old.key} to {new.key}", new.pointer)


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
