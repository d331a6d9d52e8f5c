"""Static bounds on a contract's schemas, checked when it is loaded: ``$ref`` cycles and expansion bombs.

A validator evaluates, for one value, every subschema reached *in place* from the schema it applies:
through ``$ref``, ``allOf``/``anyOf``/``oneOf``, ``not``, ``if``/``then``/``else`` and
``dependentSchemas``. Counting those as a tree (a subschema reached twice is evaluated twice) gives
the work per value. A few kilobytes of ``allOf: [{$ref: next}, {$ref: next}]`` nest to 2^40, and an
in-place cycle (``A: {$ref: B}``, ``B: {allOf: [{$ref: A}]}``) never ends. Recursion *below*
``properties``/``items``/... is fine: each step reads a deeper part of the value, which is finite.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any
from urllib.parse import unquote, urljoin

from .contract import Contract
from .errors import RefCycleError, TooComplexError
from .pointers import escape_token, resolve_pointer

# Keywords whose subschemas apply to the same value (a cycle through them is endless).
_IN_PLACE_ONE = ("not", "if", "then", "else")
_IN_PLACE_LIST = ("allOf", "anyOf", "oneOf")
# Keywords whose subschemas apply to parts of the value (recursion through them ends with the data).
_BELOW_ONE = (
    "items",
    "additionalProperties",
    "unevaluatedProperties",
    "propertyNames",
    "contains",
    "unevaluatedItems",
    "contentSchema",
)
_BELOW_MAP = ("properties", "patternProperties", "$defs")
_BELOW_LIST = ("prefixItems",)


_UNSEEN: Any = object()


def _is_map(value: Any) -> bool:
    # The documents are dicts: the ABC's isinstance only for what is not one.
    return isinstance(value, dict) or (value is not None and isinstance(value, Mapping))


def check_contract(contract: Contract, limit: int) -> None:
    """Check every schema an operation uses and every component schema (see :func:`check_schemas`)."""
    roots = contract.schema_uris()
    components = contract.document.get("components")
    schemas = components.get("schemas") if isinstance(components, Mapping) else None
    if isinstance(schemas, Mapping):
        roots.extend(f"{contract.base_uri}#/components/schemas/{escape_token(k)}" for k in schemas)
    check_schemas(contract.resources, roots, limit, contract.lines)


def check_schemas(
    resources: Mapping[str, Any],
    roots: list[str],
    limit: int,
    lines: Mapping[str, Mapping[str, int]] | None = None,
) -> None:
    """Raise RefCycleError on an in-place ``$ref`` cycle, TooComplexError past ``limit`` subschemas in place."""
    _Expansion(resources, limit, lines or {}).run(roots)


class _Expansion:
    def __init__(self, resources: Mapping[str, Any], limit: int, lines: Mapping[str, Mapping[str, int]]) -> None:
        self.resources = resources
        self.limit = limit
        self.lines = lines
        self.size: dict[str, int] = {}  # finished: in-place tree size, capped at limit + 1
        self.seen: set[str] = set()  # every schema location whose children were queued
        # The value at each location met, kept as its parent lists it: resolving every location's
        # pointer from its file's root, three times over, was two thirds of this check's time.
        self.raw: dict[str, Any] = {}
        self.joined: dict[tuple[str, str], str] = {}  # (location, $ref) -> absolute target

    def run(self, roots: list[str]) -> None:
        todo = list(dict.fromkeys(roots))
        while todo:
            uri = todo.pop()
            if uri in self.seen:
                continue
            self.seen.add(uri)
            self.expand(uri)
            # Schemas below this one (properties, items, ...) are roots of their own values.
            for child in self._below(uri):
                if child not in self.seen:
                    todo.append(child)

    def expand(self, root: str) -> int:
        """The in-place tree size of ``root`` (iterative depth-first search with cycle detection)."""
        if root in self.size:
            return self.size[root]
        on_path: dict[str, int] = {}
        stack: list[tuple[str, Iterator[str], int]] = []
        self._enter(root, stack, on_path)
        while stack:
            uri, children, total = stack[-1]
            child = next(children, None)
            if child is None:
                stack.pop()
                del on_path[uri]
                self.size[uri] = total
                if total > self.limit:
                    raise self._too_complex(uri)
                if stack:
                    parent, rest, subtotal = stack[-1]
                    stack[-1] = (parent, rest, min(subtotal + total, self.limit + 1))
                continue
            if child in on_path:
                raise self._cycle([u for u, _, _ in stack[on_path[child] :]] + [child])
            if child in self.size:
                stack[-1] = (uri, children, min(total + self.size[child], self.limit + 1))
                if stack[-1][2] > self.limit:
                    raise self._too_complex(uri)
                continue
            self._enter(child, stack, on_path)
        return self.size[root]

    def _enter(self, uri: str, stack: list[tuple[str, Iterator[str], int]], on_path: dict[str, int]) -> None:
        on_path[uri] = len(stack)
        stack.append((uri, self._in_place(uri), 1))

    def node(self, uri: str) -> Any:
        found = self.raw.get(uri, _UNSEEN)
        if found is _UNSEEN:
            base, _, fragment = uri.partition("#")
            try:
                found = resolve_pointer(self.resources.get(base), unquote(fragment))
            except LookupError:
                found = None  # the loader reports unresolvable references
            self.raw[uri] = found
        return found

    def _child(self, uri: str, value: Any) -> str:
        self.raw.setdefault(uri, value)
        return uri

    def _in_place(self, uri: str) -> Iterator[str]:
        raw = self.node(uri)
        if not _is_map(raw):
            return
        ref = raw.get("$ref")
        if isinstance(ref, str):
            target = self.joined.get((uri, ref))
            if target is None:
                target = self.joined[(uri, ref)] = urljoin(uri, ref)
            fragment = target.partition("#")[2]
            if not fragment or fragment.startswith("/"):  # anchors and $id-based targets: not followed
                yield target if "#" in target else target + "#"
        for key in _IN_PLACE_LIST:
            parts = raw.get(key)
            if isinstance(parts, list):
                yield from (self._child(f"{uri}/{key}/{i}", part) for i, part in enumerate(parts))
        for key in _IN_PLACE_ONE:
            if key in raw:
                yield self._child(f"{uri}/{key}", raw[key])
        named = raw.get("dependentSchemas")
        if _is_map(named):
            yield from (self._child(f"{uri}/dependentSchemas/{escape_token(k)}", v) for k, v in named.items())

    def _below(self, uri: str) -> Iterator[str]:
        raw = self.node(uri)
        if not _is_map(raw):
            return
        for key in _BELOW_ONE:
            part = raw.get(key)
            if _is_map(part):
                yield self._child(f"{uri}/{key}", part)
        for key in _BELOW_MAP:
            named = raw.get(key)
            if _is_map(named):
                yield from (self._child(f"{uri}/{key}/{escape_token(k)}", v) for k, v in named.items())
        for key in _BELOW_LIST:
            parts = raw.get(key)
            if isinstance(parts, list):
                yield from (self._child(f"{uri}/{key}/{i}", part) for i, part in enumerate(parts))
        # What is reached in place may have parts of its own.
        yield from self._in_place(uri)

    def _where(self, uri: str) -> tuple[str, str, int | None]:
        base, _, fragment = uri.partition("#")
        return base, fragment, self.lines.get(base, {}).get(fragment)

    def _too_complex(self, uri: str) -> TooComplexError:
        file, pointer, _line = self._where(uri)
        return TooComplexError(
            f"too complex: the schema expands to more than {self.limit} subschemas through "
            "$ref/allOf/anyOf/oneOf/not/if (each evaluated for every value)",
            limit="expansion",
            pointer=pointer,
            file=file,
        )

    def _cycle(self, path: list[str]) -> RefCycleError:
        file, pointer, line = self._where(path[0])
        shown = " -> ".join("#" + self._where(u)[1] for u in path)
        return RefCycleError(
            f"$ref cycle: {shown} comes back to itself without reading deeper into the value, "
            "so validating any value against it never ends",
            file=file,
            pointer=pointer,
            line=line,
            hint="a schema may refer to itself only below properties, items or another keyword "
            "that moves into the value",
        )
