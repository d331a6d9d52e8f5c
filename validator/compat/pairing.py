"""Pair once, compare many times: old and new operations, parameters, bodies, responses and schemas.

Rules only ever see pairs. Operations are matched by method and path shape (the names of path
template variables do not count: the wire is the same), parameters by location and name (path
parameters by their position in the template), media types by name, responses by status, object
properties by name and ``anyOf``/``oneOf``/``allOf`` branches by content first, then by position.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Final, Generic, Literal, TypeVar

from .. import paths
from ..compiled import media_base
from ..contract import Contract, Direction, MediaType, Operation, Parameter, Response
from ._schema import Node, Schemas, View

REQUEST: Final = "request"
RESPONSE: Final = "response"
# Which of the two compared versions.
Version = Literal["old", "new"]

T = TypeVar("T")


def path_shape(path: str) -> str:
    """A path with its template variables blanked: ``/v1/items/{id}`` -> ``/v1/items/{}``."""
    return paths.shape(path.rstrip("/") or "/")


@dataclass(frozen=True, slots=True)
class Matched(Generic[T]):
    """The outcome of pairing two collections: pairs, and what only one side has."""

    pairs: list[tuple[T, T]]
    removed: list[T]
    added: list[T]


def match_by(old: Sequence[T], new: Sequence[T], key: Callable[[T], Hashable]) -> Matched[T]:
    """Pair items with equal keys (``key`` is a function of one item)."""
    keyed = {key(n): n for n in new}
    pairs, removed = [], []
    for o in old:
        k = key(o)
        if k in keyed:
            pairs.append((o, keyed.pop(k)))
        else:
            removed.append(o)
    return Matched(pairs, removed, list(keyed.values()))


@dataclass
class ContractPair:
    """Two versions of a contract with their operations paired."""

    old: Contract
    new: Contract
    old_schemas: Schemas
    new_schemas: Schemas

    @cached_property
    def operations(self) -> Matched[Operation]:
        """Operations paired by method and path shape."""
        return match_by(self.old.operations, self.new.operations, lambda op: (op.method, path_shape(op.path)))

    @cached_property
    def operation_pairs(self) -> list[OperationPair]:
        """Every matched operation as an :class:`OperationPair`."""
        return [OperationPair(self, o, n) for o, n in self.operations.pairs]

    @cached_property
    def events(self) -> Matched[Operation]:
        """Webhooks and callbacks paired by method and name (``webhooks/NAME``, ``callbacks/...``)."""
        return match_by(self.old.events, self.new.events, lambda op: (op.method, op.path))

    @cached_property
    def event_pairs(self) -> list[OperationPair]:
        """Every matched webhook or callback operation as an :class:`OperationPair`."""
        return [OperationPair(self, o, n) for o, n in self.events.pairs]


@dataclass
class OperationPair:
    """One operation in both versions."""

    contract: ContractPair
    old: Operation
    new: Operation

    @property
    def label(self) -> str:
        """How the operation is named in reports (the new version's label)."""
        return self.new.label

    @cached_property
    def parameters(self) -> Matched[Parameter]:
        """Parameters paired by location and name; path parameters by template position."""
        renamed = dict(zip(paths.variables(self.old.path), paths.variables(self.new.path), strict=False))

        def old_key(p: Parameter) -> tuple[str, str]:
            return ("path", renamed.get(p.name, p.name)) if p.location == "path" else p.key

        keyed = {p.key: p for p in self.new.parameters}
        pairs, removed = [], []
        for p in self.old.parameters:
            found = keyed.pop(old_key(p), None)
            if found is None:
                removed.append(p)
            else:
                pairs.append((p, found))
        return Matched(pairs, removed, list(keyed.values()))

    @cached_property
    def request_media(self) -> Matched[MediaType]:
        """Request body media types paired by name."""
        old = list(self.old.request_body.content.values()) if self.old.request_body else []
        new = list(self.new.request_body.content.values()) if self.new.request_body else []
        return match_by(old, new, lambda m: media_base(m.media_type))

    @cached_property
    def responses(self) -> Matched[Response]:
        """Responses paired by status (``2XX`` and ``2xx`` are the same)."""
        return match_by(
            list(self.old.responses.values()), list(self.new.responses.values()), lambda r: r.status.upper()
        )

    def response_media(self, old: Response, new: Response) -> Matched[MediaType]:
        """Media types of one paired response."""
        return match_by(
            list(old.content.values()),
            list(new.content.values()),
            lambda m: media_base(m.media_type),
        )


@dataclass(frozen=True, slots=True)
class Root:
    """A top-level payload schema in both versions: a body, a parameter or a response header."""

    operation: OperationPair
    direction: Direction  # which side must not narrow (request) or widen (response)
    where: str  # "request body", "query parameter 'n'", "response 200 body", ...
    old_uri: str
    new_uri: str
    old_media: MediaType | None = None
    new_media: MediaType | None = None


@dataclass
class SchemaPair:
    """Two schemas at the same place of a payload, seen as normalised views."""

    root: Root
    old: View
    new: View
    direction: Direction  # flips under ``not``
    path: tuple[str | int, ...] = ()
    _branches: dict[str, Matched[Node]] = field(default_factory=dict)

    @property
    def schemas(self) -> tuple[Schemas, Schemas]:
        """The old and new contract's schema resolvers."""
        return self.root.operation.contract.old_schemas, self.root.operation.contract.new_schemas

    @property
    def pointer(self) -> str:
        """The new schema's location as a JSON pointer (the fragment of its URI)."""
        return self.new.uri.partition("#")[2]

    def omitted(self, side: Version) -> frozenset[str]:
        """Members of one side this direction leaves out: ``readOnly`` ones in a request (clients do
        not send them), ``writeOnly`` ones in a response (servers do not send them)."""
        view, schemas = (self.old, self.schemas[0]) if side == "old" else (self.new, self.schemas[1])
        attribute = "read_only" if self.direction == REQUEST else "write_only"
        return frozenset(name for name, node in view.properties.items() if getattr(schemas.view(node), attribute))

    def views(self, old: Node, new: Node) -> tuple[View, View]:
        """Views of two sub-schemas (old side, new side)."""
        old_s, new_s = self.schemas
        return old_s.view(old), new_s.view(new)

    def branches(self, keyword: str) -> Matched[Node]:
        """``any_of``, ``one_of`` or ``all_of`` branches paired by content, then by position."""
        if keyword not in self._branches:
            old_s, new_s = self.schemas
            old_nodes = list(getattr(self.old, keyword))
            new_nodes = list(getattr(self.new, keyword))
            old_prints = {n.uri: old_s.fingerprint(n) for n in old_nodes}
            new_prints = {n.uri: new_s.fingerprint(n) for n in new_nodes}
            pairs: list[tuple[Node, Node]] = []
            rest_new = list(new_nodes)
            rest_old: list[Node] = []
            for o in old_nodes:
                twin = next((n for n in rest_new if new_prints[n.uri] == old_prints[o.uri]), None)
                if twin is None:
                    rest_old.append(o)
                else:
                    pairs.append((o, twin))
                    rest_new.remove(twin)
            # Unmatched branches at the same position are one branch that changed.
            positional = min(len(rest_old), len(rest_new)) if len(old_nodes) == len(new_nodes) else 0
            pairs.extend(zip(rest_old[:positional], rest_new[:positional], strict=True))
            self._branches[keyword] = Matched(pairs, rest_old[positional:], rest_new[positional:])
        return self._branches[keyword]

    def children(self) -> Iterator[SchemaPair]:
        """The paired sub-schemas to compare next (properties, items, branches, ``not`` flipped)."""
        old, new = self.old, self.new
        # In the old version's order, never a set's: the walk is breadth first and memoised, so the
        # order decides the path each shared schema is met along first, and with it the witness (by
        # a set's order, which PYTHONHASHSEED changes per process, a break was witnessed in one run
        # of a diff and judged unproven in the next).
        for name, node in old.properties.items():
            if name in new.properties:
                yield self._sub(node, new.properties[name], name)
        # Position i of an array is prefixItems[i] where there is one, else items (2020-12).
        longest = max(len(old.prefix_items), len(new.prefix_items))
        for i in range(longest):
            o = old.prefix_items[i] if i < len(old.prefix_items) else old.items
            n = new.prefix_items[i] if i < len(new.prefix_items) else new.items
            if o is not None and n is not None:
                yield self._sub(o, n, i)
        if old.items is not None and new.items is not None:
            yield self._sub(old.items, new.items, longest)
        if old.additional is not None and new.additional is not None:
            yield self._sub(old.additional, new.additional, "*")
        if old.contains is not None and new.contains is not None:
            yield self._sub(old.contains, new.contains, 0)
        for attr, step in (("property_names", "!key"), ("unevaluated_items", longest)):
            o_node, n_node = getattr(old, attr), getattr(new, attr)
            if o_node is not None and n_node is not None:
                yield self._sub(o_node, n_node, step)
        for key, node in old.pattern_properties.items():
            if key in new.pattern_properties:
                yield self._sub(node, new.pattern_properties[key], f"~{key}")
        for key, node in old.dependent_schemas.items():
            if key in new.dependent_schemas:
                yield self._sub(node, new.dependent_schemas[key], None)
        if old.if_ is not None and new.if_ is not None:
            old_s, new_s = self.schemas
            if old_s.fingerprint(old.if_) == new_s.fingerprint(new.if_):
                for o_branch, n_branch in ((old.then, new.then), (old.else_, new.else_)):
                    if o_branch is not None and n_branch is not None:
                        yield self._sub(o_branch, n_branch, None)
        if old.not_ is not None and new.not_ is not None:
            flipped: Direction = RESPONSE if self.direction == REQUEST else REQUEST
            yield self._sub(old.not_, new.not_, None, direction=flipped)
        for keyword in ("any_of", "one_of", "all_of"):
            for o, n in self.branches(keyword).pairs:
                yield self._sub(o, n, None)

    def _sub(self, old: Node, new: Node, step: str | int | None, *, direction: Direction | None = None) -> SchemaPair:
        old_view, new_view = self.views(old, new)
        path = self.path if step is None else (*self.path, step)
        return SchemaPair(self.root, old_view, new_view, direction or self.direction, path)
