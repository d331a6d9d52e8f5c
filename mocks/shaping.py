"""Generated answers that keep the operation's promises about its request.

A generated 2xx body is valid against its schema but knows nothing of the request. The shaper then
makes it keep every ``x-relations`` entry (one item per batch item in request order with the keys
copied, echoed values, never more than ``n`` items, one model version, the forced or the sticky
variant) and every ``x-sum``/``x-sorted`` site (rescaled, sorted). Named examples are not shaped:
lint already holds them to the relations.
"""

from __future__ import annotations

import copy
import hashlib
import json
from typing import Any

import orjson

from validator.compiled import CompiledContract
from validator.contract import Operation
from validator.pointers import write_pointer
from validator.problems import Problem
from validator.relations import MISSING, Location, Relation, Side, check, read
from validator.relations.catalogue import requested_limit
from validator.relations.exchange import relations_for
from validator.relations.schema_keywords import summed_slots
from validator.relations.schema_paths import enum_at
from validator.wire import is_field_value

from .generate import GenerationError, Generator, field_text

_HARVEST_ROUNDS = 64  # generated bodies tried for items to fill a batch with
REQUEST_ID_HEADER = "x-request-id"


class Shaper:
    """Shapes the generated 2xx bodies of one operation; ``active`` is False when there is nothing to keep."""

    def __init__(self, op: Operation, compiled: CompiledContract, generator: Generator) -> None:
        self.op = op
        self.compiled = compiled
        self.generator = generator
        self.relations: tuple[Relation, ...] = relations_for(compiled, op)
        self._stable: dict[str, Any] = {}
        self._items: dict[tuple[str, str], list[Any]] = {}
        uris = [m.schema_uri for s in op.success_statuses() for m in op.responses[s].content.values() if m.schema_uri]
        self.active = bool(self.relations) or any(compiled.has_extensions(u) for u in uris)

    def example_headers(
        self, body: Any, headers: tuple[tuple[str, str], ...], request: Side
    ) -> tuple[tuple[str, str], ...] | None:
        """A matched named 2xx example's headers with this request's header echoes; None when the example
        breaks a relation for this request (only a contract lint rejects gets there; a shaped answer serves)."""
        echoed = self._header_echoes(request)
        names = {name for name, _ in echoed}
        answered = tuple(h for h in headers if h[0] not in names) + tuple(echoed)
        if check(self.relations, request, Side.of(body, dict(answered))):
            return None
        # The app echoes X-Request-ID itself.
        return tuple(h for h in answered if h[0] != REQUEST_ID_HEADER) if echoed else headers

    def shape(self, schema_uri: str, value: Any, request: Side, seed: int) -> tuple[Any, list[tuple[str, str]]]:
        """The body made to keep every promise, and response headers to add (echoes)."""
        body = copy.deepcopy(value)
        for rel in self.relations:
            if rel.kind == "batch":
                body = self._batch(schema_uri, rel, body, request, seed)
        for rel in self.relations:
            if rel.kind == "at-most":
                body = _at_most(rel, body, request)
        body = self._outputs(schema_uri, body)
        for rel in self.relations:
            if rel.kind == "echo":
                sent = read(request, rel.request) if rel.request is not None else MISSING
                if sent is not MISSING and rel.response.source != "header":
                    body = write_pointer(body, rel.response.name, sent)
            elif rel.kind == "stable":
                body = write_pointer(body, rel.response.name, self._stable_value(schema_uri, rel, body))
            elif rel.kind == "variant":
                body = self._variant(schema_uri, rel, body, request)
        return body, self._header_echoes(request)

    def _header_echoes(self, request: Side) -> list[tuple[str, str]]:
        """(lower-case name, value) of each response header an ``echo`` relation fills from this request.

        GenerationError (the mock's 501) when the value cannot go in a header: a query, path or body
        value may hold control characters or characters past ASCII. A request header's own value is
        sent back as the same bytes it came as.
        """
        out: list[tuple[str, str]] = []
        for rel in self.relations:
            if rel.kind == "echo" and rel.request is not None and rel.response.source == "header":
                sent = read(request, rel.request)
                if sent is MISSING:
                    continue
                text = field_text(sent)
                if not is_field_value(text, obs_text=rel.request.source == "header"):
                    message = (
                        f"response header {rel.response.name!r} echoes {rel.request}, whose value {text[:40]!r} "
                        "an HTTP header cannot carry (control characters, characters past ASCII, or "
                        "whitespace at either end)"
                    )
                    raise GenerationError(
                        message, [Problem(rel.request.pointer, message, "x-relations/echo", None, rel.request.source)]
                    )
                out.append((rel.response.name.lower(), text))
        return out

    # -- kinds ------------------------------------------------------------------------------------
    def _batch(self, schema_uri: str, rel: Relation, body: Any, request: Side, seed: int) -> Any:
        assert rel.request is not None
        asked = read(request, rel.request)
        if not isinstance(asked, list) or not isinstance(body, dict):
            return body
        pool = self._harvest(schema_uri, rel.response.name, seed)
        if not pool and asked:
            return body
        answered = []
        for item in asked:
            # The row depends on the item only: the same client gets the same answer in any batch order.
            made = copy.deepcopy(pool[_bucket(item, len(pool))])
            if rel.key is not None:
                key = read(Side(body=item), Location("body", rel.key.request))
                if key is not MISSING:
                    made = write_pointer(made, rel.key.response, key)
            answered.append(made)
        return write_pointer(body, rel.response.name, answered)

    def _harvest(self, schema_uri: str, pointer: str, seed: int) -> list[Any]:
        """Items for a response array, from generated bodies (the schema's own item values)."""
        found = self._items.get((schema_uri, pointer))
        if found is not None:
            return found
        items: list[Any] = []
        for round_ in range(_HARVEST_ROUNDS):
            try:
                generated = self.generator.generate(schema_uri, seed + round_)
            except GenerationError:
                break
            array = read(Side(body=generated), Location("body", pointer))
            if isinstance(array, list):
                items.extend(array)
            if len(items) >= 8:
                break
        self._items[(schema_uri, pointer)] = items
        return items

    def _stable_value(self, schema_uri: str, rel: Relation, body: Any) -> Any:
        """One value for the whole life of the mock: a 2xx example's, else the first generated one."""
        key = f"{schema_uri}|{rel.response}"
        if key not in self._stable:
            chosen = MISSING
            for status in self.op.success_statuses():
                for mt in self.op.responses[status].content.values():
                    for example in mt.examples.values():
                        chosen = read(Side(body=example.value), rel.response)
                        if chosen is not MISSING:
                            break
                    if chosen is not MISSING:
                        break
                if chosen is not MISSING:
                    break
            self._stable[key] = chosen if chosen is not MISSING else read(Side(body=body), rel.response)
        return self._stable[key]

    def _variant(self, schema_uri: str, rel: Relation, body: Any, request: Side) -> Any:
        forced = read(request, rel.forced_by) if rel.forced_by is not None else MISSING
        if forced not in (MISSING, ""):
            return write_pointer(body, rel.response.name, forced)
        sticky = read(request, rel.sticky_by) if rel.sticky_by is not None else MISSING
        if sticky is MISSING:
            return body
        options = enum_at(self.compiled, schema_uri, rel.response.name)
        if not options:
            return body
        digest = hashlib.blake2b(str(sticky).encode(), digest_size=8).digest()
        return write_pointer(body, rel.response.name, options[int.from_bytes(digest, "big") % len(options)])

    def _outputs(self, schema_uri: str, body: Any) -> Any:
        """``x-sum`` sites rescaled to add up, then ``x-sorted`` sites sorted (ties keep their order)."""
        found = self.compiled.locate(schema_uri, body)
        for item in found:
            if item.keyword == "x-sum":
                _normalise(item.model, item.value)
        for item in found:
            if item.keyword == "x-sorted":
                _sort(item.model, item.value)
        return body


# -- helpers -------------------------------------------------------------------------------------
def _bucket(item: Any, size: int) -> int:
    """A stable index in ``range(size)`` from a hash of a JSON value (key order ignored)."""
    try:
        text = orjson.dumps(item, option=orjson.OPT_SORT_KEYS)
    except TypeError:  # an integer beyond 64 bits, which a valid request may carry: the slower encoder takes it
        text = json.dumps(item, sort_keys=True).encode()
    return int.from_bytes(hashlib.blake2b(text, digest_size=8).digest(), "big") % size


def _at_most(rel: Relation, body: Any, request: Side) -> Any:
    limit, _ = requested_limit(rel, request)
    if limit is None:
        return body
    array = read(Side(body=body), rel.response)
    if isinstance(array, list) and len(array) > limit:
        return write_pointer(body, rel.response.name, array[: max(0, int(limit))])
    return body


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _normalise(spec: Any, node: Any) -> None:
    if not isinstance(spec, dict) or not _number(spec.get("equals")):
        return
    equals = float(spec["equals"])
    slots = summed_slots(spec, node)
    if not slots:
        return
    total = sum(float(c[k]) for c, k in slots)
    if total > 0:
        for container, key in slots:
            container[key] = float(container[key]) * equals / total
    else:
        for container, key in slots:
            container[key] = equals / len(slots)


def _sort(spec: Any, node: Any) -> None:
    if not isinstance(spec, dict) or not isinstance(node, list):
        return
    member = spec.get("by")
    reverse = spec.get("order", "asc") == "desc"

    def key_of(item: Any) -> Any:
        value = read(Side(body=item), Location("body", member)) if isinstance(member, str) else item
        return (0, float(value)) if _number(value) else (1, str(value))

    node.sort(key=key_of, reverse=reverse)
