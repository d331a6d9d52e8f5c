"""Rules over the parameters of one operation (path, query, header, cookie)."""

from __future__ import annotations

from collections.abc import Iterator

from ...contract import Parameter
from ..pairing import OperationPair
from ..report import Finding


def _moved(pair: OperationPair) -> set[str]:
    """Names of parameters that only changed location (reported once, as a location change)."""
    removed = {p.name.lower() for p in pair.parameters.removed}
    return {p.name.lower() for p in pair.parameters.added if p.name.lower() in removed}


def _describe(p: Parameter) -> str:
    return f"{p.location} parameter {p.name!r}"


def parameter_required_added(pair: OperationPair) -> Iterator[Finding]:
    """A required parameter was added (old clients do not send it)."""
    moved = _moved(pair)
    for p in pair.parameters.added:
        if p.required and p.name.lower() not in moved:
            yield Finding(f"required {_describe(p)} added", p.uri.partition("#")[2])


def parameter_optional_added(pair: OperationPair) -> Iterator[Finding]:
    """An optional parameter was added."""
    moved = _moved(pair)
    for p in pair.parameters.added:
        if not p.required and p.name.lower() not in moved:
            yield Finding(f"optional {_describe(p)} added", p.uri.partition("#")[2])


def parameter_removed(pair: OperationPair) -> Iterator[Finding]:
    """A parameter was removed (the parameter list is closed: sending it may now fail)."""
    moved = _moved(pair)
    for p in pair.parameters.removed:
        if p.name.lower() not in moved and p.location != "path":
            yield Finding(f"{_describe(p)} removed", p.uri.partition("#")[2], in_old=True)


def parameter_became_required(pair: OperationPair) -> Iterator[Finding]:
    """An optional parameter became required."""
    for old, new in pair.parameters.pairs:
        if new.required and not old.required:
            yield Finding(f"{_describe(new)} became required", new.uri.partition("#")[2])


def parameter_became_optional(pair: OperationPair) -> Iterator[Finding]:
    """A required parameter became optional."""
    for old, new in pair.parameters.pairs:
        if old.required and not new.required:
            yield Finding(f"{_describe(new)} became optional", new.uri.partition("#")[2])


def parameter_location_changed(pair: OperationPair) -> Iterator[Finding]:
    """A parameter moved to another location (e.g. from query to header)."""
    moved = _moved(pair)
    before = {p.name.lower(): p for p in pair.parameters.removed}
    for p in pair.parameters.added:
        if p.name.lower() in moved:
            old = before[p.name.lower()]
            yield Finding(f"parameter {p.name!r} moved from {old.location} to {p.location}", p.uri.partition("#")[2])


def parameter_style_changed(pair: OperationPair) -> Iterator[Finding]:
    """A parameter's serialisation (``style`` or ``explode``) changed."""
    for old, new in pair.parameters.pairs:
        if (old.style, old.explode) != (new.style, new.explode):
            yield Finding(
                f"{_describe(new)} serialisation changed from style={old.style} explode="
                f"{str(old.explode).lower()} to style={new.style} explode={str(new.explode).lower()}",
                new.uri.partition("#")[2],
            )
