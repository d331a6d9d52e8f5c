"""Lint checks for ``x-relations``: declarations readable, locations of the right kind, examples keeping them.

A location is checked against the schema it names: a batch or at-most response is an array, an
at-most request a number, a batch key a member of the items; a header, query or path location a
declared parameter (or, in a response, a header documented under a 2xx status).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from ..compiled import CompiledContract
from ..contract import Contract, Direction, Operation
from ..extensions.lint import paired_exchanges
from ..problems import Problem
from .catalogue import judge_run
from .exchange import relations_for, sides
from .locations import Location, Side
from .model import Relation, relations_of
from .schema_paths import schemas_at, types_of

UNKNOWN = "unknown"  # a schema the walk cannot see through (a oneOf, an open schema): not a finding


def declarations(contract: Contract) -> Iterator[tuple[Operation, Problem]]:
    """A problem (pointer into the document) for each relation that cannot be read."""
    for op in contract.operations:
        for problem in relations_of(op)[1]:
            yield op, problem


def location_problems(compiled: CompiledContract, op: Operation, rel: Relation) -> Iterator[str]:
    """Messages for each location of ``rel`` that does not name a value of the right kind."""
    want_array = rel.kind in ("batch", "at-most")
    if rel.request is not None:
        kinds = ("array",) if rel.kind == "batch" else ("integer", "number") if rel.kind == "at-most" else ()
        yield from _request_location(compiled, op, rel.request, kinds)
    for extra in (rel.forced_by, rel.sticky_by):
        if extra is not None:
            yield from _request_location(compiled, op, extra, ())
    yield from _response_location(compiled, op, rel.response, ("array",) if want_array else ())
    if rel.kind == "batch" and rel.key is not None and rel.request is not None:
        for side, loc, pointer in (
            ("request", rel.request, rel.key.request),
            ("response", rel.response, rel.key.response),
        ):
            schemas = _request_schemas(compiled, op) if side == "request" else _response_schemas(compiled, op)
            item_pointer = loc.name + "/0" + pointer
            for found in (_kinds_at(compiled, uri, item_pointer) for uri in schemas):
                if found is None:
                    yield f"key {pointer} is not a member of the {side} items at {loc}"


def _request_location(compiled: CompiledContract, op: Operation, loc: Location, kinds: Sequence[str]) -> Iterator[str]:
    if loc.source == "body":
        uris = _request_schemas(compiled, op)
        if not uris:
            yield f"{loc}: {op.label} takes no request body"
        for uri in uris:
            yield from _kind_message(compiled, uri, loc, kinds, "request")
        return
    params = [p for p in op.parameters if loc.names(p)]
    if not params:
        declared = ", ".join(f"{p.location}:{p.name}" for p in op.parameters) or "none"
        yield f"{loc}: no {loc.source} parameter {loc.name!r} is declared (parameters: {declared})"
    elif kinds and params[0].schema_uri is not None:
        found = _kinds_at(compiled, params[0].schema_uri, "")
        if found is not None and found != {UNKNOWN} and not found & set(kinds):
            yield f"{loc}: is {', '.join(sorted(found))}, a {rel_kind_text(kinds)} is needed"


def _response_location(compiled: CompiledContract, op: Operation, loc: Location, kinds: Sequence[str]) -> Iterator[str]:
    successes = [op.responses[s] for s in op.success_statuses()]
    if not successes:
        yield f"{loc}: {op.label} documents no 2xx response"
        return
    if loc.source == "header":
        if not any(loc.name.lower() in (h.lower() for h in r.headers) for r in successes):
            yield f"{loc}: no 2xx response of {op.label} documents the header {loc.name!r}"
        return
    for uri in _response_schemas(compiled, op):
        yield from _kind_message(compiled, uri, loc, kinds, "response")


def _kind_message(
    compiled: CompiledContract, uri: str, loc: Location, kinds: Sequence[str], side: Direction
) -> Iterator[str]:
    found = _kinds_at(compiled, uri, loc.name)
    if found is None:
        yield f"{loc}: the {side} schema has no member there"
    elif kinds and UNKNOWN not in found and not found & set(kinds):
        yield f"{loc}: the {side} schema makes it {', '.join(sorted(found))}, a {rel_kind_text(kinds)} is needed"


def rel_kind_text(kinds: Sequence[str]) -> str:
    """``array`` or ``integer or number``."""
    return " or ".join(kinds)


def _request_schemas(compiled: CompiledContract, op: Operation) -> list[str]:
    body = op.request_body
    return [m.schema_uri for m in body.content.values() if m.schema_uri] if body else []


def _response_schemas(compiled: CompiledContract, op: Operation) -> list[str]:
    return [m.schema_uri for s in op.success_statuses() for m in op.responses[s].content.values() if m.schema_uri]


def _kinds_at(compiled: CompiledContract, uri: str, pointer: str) -> set[str] | None:
    """The JSON types a schema allows at an instance pointer; None when no member is there; {unknown} when unsure."""
    schemas = schemas_at(compiled, uri, pointer)
    if schemas is None:
        return None
    kinds: set[str] = set()
    for schema in schemas:
        found = types_of(schema)
        if found is None:
            return {UNKNOWN}
        kinds |= found
    return kinds


# -- examples -------------------------------------------------------------------------------------
def run_problems(compiled: CompiledContract, op: Operation) -> Iterator[tuple[str, Problem]]:
    """(example name, problem) for run-level relations (stable, sticky variant) broken across the paired examples.

    Each pair on its own is judged by the exchange checks (``validator.extensions.lint.paired_examples_agree``).
    """
    declared = relations_for(compiled, op)
    exchanges = paired_exchanges(op, compiled.resolved_at)
    if declared and len(exchanges) > 1:
        pairs: list[tuple[Side, Side]] = [sides(ex.request, {}, ex.response_body) for _, ex in exchanges]
        for finding in judge_run(declared, pairs):
            yield exchanges[finding.index][0], finding.problem
