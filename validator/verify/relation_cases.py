"""Planned cases for ``x-relations``: what random generation rarely sends but a relation needs.

From one valid seed request of the operation (a 2xx named example, else the first valid generated
request): batches of 1, 2 and the maximum items; the same batch as sent and reversed (a metamorphic
pair); each forced variant; the unforced request several times (sticky keys); an echoed header or
query value; ``n`` at 1, and left out when the schema gives it a default. Each case is still
classified by the validator like every other case.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any
from urllib.parse import urlencode, urlsplit

from ..compiled import CompiledContract
from ..contract import Operation
from ..payload import PayloadError, dumps, parse_json
from ..pointers import split_pointer, write_pointer
from ..relations import MISSING, Location, Relation, Side, read
from ..relations.exchange import relations_for
from ..relations.schema_paths import enum_at, schemas_at
from .exchange import WireRequest

ECHO_VALUE = "contracts-test-echo-1"
AS_SENT = "batch as sent"  # the description prefixes of the metamorphic pair
REVERSED = "batch reversed"
STICKY_REPEATS = 4
_MAX_BATCH = 1000  # the largest batch sent when the contract names no maximum, or a larger one


def relation_requests(
    compiled: CompiledContract, op: Operation, seed: WireRequest | None
) -> Iterator[tuple[str, WireRequest]]:
    """(description, request) for every planned relation case of ``op`` built from ``seed``."""
    declared = relations_for(compiled, op)
    if not declared or seed is None:
        return
    body = _json(seed)
    for rel in declared:
        if rel.kind == "batch" and rel.request is not None and body is not MISSING:
            yield from _batches(compiled, op, rel, seed, body)
        elif rel.kind == "at-most" and rel.request is not None:
            changed = _with(seed, body, rel.request, 1)
            if changed is not None:
                yield f"at-most: {rel.request} = 1", changed
            if rel.default is not MISSING:  # the answer is then bounded by the declared default
                omitted = _dropped(seed, body, rel.request)
                if omitted is not None:
                    yield f"at-most: {rel.request} omitted (default {rel.default})", omitted
        elif rel.kind == "echo" and rel.request is not None and rel.request.source != "body":
            changed = _with(seed, body, rel.request, ECHO_VALUE)
            if changed is not None:
                yield f"echo: {rel.request} sent", changed
        elif rel.kind == "variant":
            yield from _variants(compiled, op, rel, seed, body)


def _batches(
    compiled: CompiledContract, op: Operation, rel: Relation, seed: WireRequest, body: Any
) -> Iterator[tuple[str, WireRequest]]:
    assert rel.request is not None
    items = read_items(body, rel.request)
    if not items:
        return
    uri = _request_uri(op)
    limit = _max_items(compiled, uri, rel.request.name) if uri else None
    biggest = min(limit if limit is not None else _MAX_BATCH, _MAX_BATCH)
    for size in dict.fromkeys((1, 2, biggest)):
        batch = [items[i % len(items)] for i in range(size)]
        changed = _with(seed, body, rel.request, batch)
        if changed is not None:
            yield f"batch of {size} ({rel.request})", changed
    if len(items) >= 2 and rel.order == "preserved":
        # One item more than the seed: a named example's own batch would get the example's answer.
        batch = [*items, items[0]]
        as_sent = _with(seed, body, rel.request, batch)
        mirrored = _with(seed, body, rel.request, list(reversed(batch)))
        if as_sent is not None and mirrored is not None:
            yield f"{AS_SENT} ({rel.request})", _tagged(as_sent, "as-sent")
            yield f"{REVERSED} ({rel.request})", _tagged(mirrored, "reversed")


def _variants(
    compiled: CompiledContract, op: Operation, rel: Relation, seed: WireRequest, body: Any
) -> Iterator[tuple[str, WireRequest]]:
    if rel.forced_by is not None:
        for value in _forced_values(compiled, op, rel):
            changed = _with(seed, body, rel.forced_by, value)
            if changed is not None:
                yield f"variant forced: {rel.forced_by} = {value}", changed
    if rel.sticky_by is not None:
        unforced = _without(seed, rel.forced_by) if rel.forced_by is not None else seed
        for round_ in range(STICKY_REPEATS):
            yield f"variant sticky: {rel.sticky_by} (round {round_ + 1})", _tagged(unforced, f"sticky-{round_}")


def read_items(body: Any, location: Location) -> list[Any]:
    """The items of the request array at ``location`` (empty when there are none)."""
    found = read_value(body, location)
    return found if isinstance(found, list) else []


def read_value(body: Any, location: Location) -> Any:
    """A body value of the seed request."""
    return read(Side(body=body), location)


def _forced_values(compiled: CompiledContract, op: Operation, rel: Relation) -> list[Any]:
    assert rel.forced_by is not None
    loc = rel.forced_by
    if loc.source == "body":
        uri = _request_uri(op)
        return enum_at(compiled, uri, loc.name) if uri else []
    for param in op.parameters:
        if param.location == loc.source and param.name.lower() == loc.name.lower() and param.schema_uri:
            return enum_at(compiled, param.schema_uri, "")
    return []


def _max_items(compiled: CompiledContract, uri: str, pointer: str) -> int | None:
    for schema in schemas_at(compiled, uri, pointer) or []:
        if isinstance(schema, dict) and isinstance(schema.get("maxItems"), int):
            return int(schema["maxItems"])
    return None


def _request_uri(op: Operation) -> str | None:
    body = op.request_body
    if body is None:
        return None
    return next((m.schema_uri for m in body.content.values() if m.schema_uri), None)


def _json(request: WireRequest) -> Any:
    if request.body is None:
        return MISSING
    try:
        return parse_json(request.body)
    except PayloadError:
        return MISSING


def _with(seed: WireRequest, body: Any, location: Location, value: Any) -> WireRequest | None:
    """The seed request with one value set (a body member, a header, a query parameter)."""
    if location.source == "body":
        if body is MISSING or not isinstance(body, dict):
            return None
        changed = write_pointer(_copy(body), location.name, value)
        return WireRequest(seed.method, seed.path, seed.headers, dumps(changed))
    text = value if isinstance(value, str) else dumps(value).decode()
    if location.source == "header":
        headers = tuple((k, v) for k, v in seed.headers if k.lower() != location.name.lower())
        return WireRequest(seed.method, seed.path, (*headers, (location.name, text)), seed.body)
    if location.source == "query":
        split = urlsplit(seed.path)
        pairs = [p for p in split.query.split("&") if p and p.partition("=")[0] != location.name]
        query = "&".join([*pairs, urlencode({location.name: text})])
        return WireRequest(seed.method, f"{split.path}?{query}", seed.headers, seed.body)
    return None  # a path value changes which resource is asked for: not a relation case


def _dropped(seed: WireRequest, body: Any, location: Location) -> WireRequest | None:
    """The seed request without one value (a body member, a header, a query parameter)."""
    if location.source == "body":
        tokens = split_pointer(location.name)
        if not isinstance(body, dict) or not tokens:
            return None
        changed = _copy(body)
        holder = changed
        for token in tokens[:-1]:
            holder = holder.get(token) if isinstance(holder, dict) else None
        if not isinstance(holder, dict) or tokens[-1] not in holder:
            return None
        del holder[tokens[-1]]
        return WireRequest(seed.method, seed.path, seed.headers, dumps(changed))
    if location.source == "query":
        split = urlsplit(seed.path)
        pairs = [p for p in split.query.split("&") if p and p.partition("=")[0] != location.name]
        return WireRequest(seed.method, split.path + ("?" + "&".join(pairs) if pairs else ""), seed.headers, seed.body)
    if location.source == "header":
        return _without(seed, location)
    return None


def _without(seed: WireRequest, location: Location | None) -> WireRequest:
    if location is None or location.source != "header":
        return seed
    headers = tuple((k, v) for k, v in seed.headers if k.lower() != location.name.lower())
    return WireRequest(seed.method, seed.path, headers, seed.body)


def _tagged(request: WireRequest, tag: str) -> WireRequest:
    """The same request made distinct for the planner's de-duplication (a harmless extra header)."""
    return WireRequest(request.method, request.path, (*request.headers, ("X-Contracts-Case", tag)), request.body)


def _copy(value: Any) -> Any:
    return parse_json(dumps(value))


def seed_request(cases: Sequence[Any], op: Operation) -> WireRequest | None:  # Sequence[Case]: cases imports us
    """The request relation cases are built from: a valid 2xx example, else the first valid generated one."""
    mine = [c for c in cases if c.operation.key == op.key and c.valid]
    for case in mine:
        if case.interaction is not None and case.interaction.status[:1] == "2":
            return case.request  # type: ignore[no-any-return]
    return mine[0].request if mine else None
