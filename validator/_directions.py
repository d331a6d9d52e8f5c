"""``readOnly`` and ``writeOnly`` by direction: what a request or a response may leave out.

OpenAPI 3.1 (Schema Object, after JSON Schema's annotations): a property marked ``readOnly`` is sent
only in responses, so a request that leaves it out is valid even when the schema lists it under
``required``; ``writeOnly`` likewise for responses. JSON Schema validators treat both as annotations,
so each direction validates against copies of the contract's files where those members are no
longer required. Everything else about the schemas is unchanged.
"""

from __future__ import annotations

import copy
from collections.abc import Collection, Iterable, Mapping
from typing import Any
from urllib.parse import unquote, urldefrag, urljoin

from .contract import Direction
from .pointers import resolve_pointer

# The keyword a direction may leave out: a request omits read-only members, a response write-only ones.
OMITTED_BY: dict[Direction, str] = {"request": "readOnly", "response": "writeOnly"}
_DATA_KEYS = frozenset({"example", "examples", "default", "const", "enum"})
_MAX_HOPS = 16


def directed(
    resources: Mapping[str, Any], direction: Direction, marked: Collection[str] | None = None
) -> dict[str, Any] | None:
    """Copies of ``resources`` where members marked for omission in ``direction`` are not required;
    None when no schema uses the keyword (the resources then serve as they are).

    ``marked``: the keywords :func:`scan` found, when the caller scanned already.
    """
    keyword = OMITTED_BY[direction]
    used = keyword in marked if marked is not None else any(_mentions(data, keyword) for data in resources.values())
    if not used:
        return None
    copies = copy.deepcopy(dict(resources))
    for uri, data in copies.items():
        _strip(data, uri, keyword, copies)
    return copies


def scan(documents: Iterable[Any], keywords: Collection[str]) -> tuple[frozenset[str], frozenset[str]]:
    """One pass over the documents: which omission keywords (``readOnly``, ``writeOnly``) are set
    true on a schema, and which of ``keywords`` appear as a key anywhere (values included).

    A compiled contract asked both, in three passes over the whole description.
    """
    marks: set[str] = set()
    found: set[str] = set()
    stack = list(documents)
    data: list[Any] = []  # example, default, const and enum values: only ``keywords`` are looked for there
    omitted = tuple(OMITTED_BY.values())
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            found.update(k for k in keywords if k in node)
            marks.update(m for m in omitted if node.get(m) is True)
            for key, value in node.items():
                if isinstance(value, (dict, list)):
                    (data if key in _DATA_KEYS else stack).append(value)
        elif isinstance(node, list):
            stack.extend(v for v in node if isinstance(v, (dict, list)))
    while data:
        node = data.pop()
        if isinstance(node, dict):
            found.update(k for k in keywords if k in node)
            data.extend(node.values())
        elif isinstance(node, list):
            data.extend(node)
    return frozenset(marks), frozenset(found)


def _mentions(node: Any, keyword: str) -> bool:
    stack = [node]
    while stack:
        here = stack.pop()
        if isinstance(here, dict):
            if here.get(keyword) is True:
                return True
            stack.extend(v for k, v in here.items() if k not in _DATA_KEYS)
        elif isinstance(here, list):
            stack.extend(here)
    return False


def _strip(root: Any, uri: str, keyword: str, resources: Mapping[str, Any]) -> None:
    """Remove from every ``required`` the members its object (or a sibling ``allOf`` part) marks."""
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
            continue
        if not isinstance(node, dict):
            continue
        marked = _marked_members(node, uri, keyword, resources)
        if marked:
            parts = node.get("allOf")
            for holder in (node, *(parts if isinstance(parts, list) else [])):
                if isinstance(holder, dict) and isinstance(holder.get("required"), list):
                    holder["required"] = [name for name in holder["required"] if name not in marked]
        stack.extend(v for k, v in node.items() if k not in _DATA_KEYS)


def _marked_members(node: dict[str, Any], uri: str, keyword: str, resources: Mapping[str, Any]) -> set[str]:
    """Names of the members that ``node``'s own properties, or its ``allOf`` parts' properties, mark."""
    holders: list[tuple[Any, str]] = [(node, uri)]
    parts = node.get("allOf")
    for part in parts if isinstance(parts, list) else []:
        holders.append(_resolved(part, uri, resources))
    marked: set[str] = set()
    for holder, base in holders:
        props = holder.get("properties") if isinstance(holder, dict) else None
        if isinstance(props, dict):
            marked.update(name for name, sub in props.items() if _flagged(sub, base, keyword, resources, 0))
    return marked


def _flagged(schema: Any, base: str, keyword: str, resources: Mapping[str, Any], hops: int) -> bool:
    if not isinstance(schema, dict) or hops > _MAX_HOPS:
        return False
    if schema.get(keyword) is True:
        return True
    if isinstance(schema.get("$ref"), str):
        target, target_base = _resolved(schema, base, resources)
        if _flagged(target, target_base, keyword, resources, hops + 1):
            return True
    parts = schema.get("allOf")
    if not isinstance(parts, list):
        return False
    return any(_flagged(part, base, keyword, resources, hops + 1) for part in parts)


def _resolved(schema: Any, base: str, resources: Mapping[str, Any]) -> tuple[Any, str]:
    """A ``{"$ref": ...}`` schema's target and its file URI (the schema itself when not a reference)."""
    for _ in range(_MAX_HOPS):
        if not (isinstance(schema, dict) and isinstance(schema.get("$ref"), str)):
            return schema, base
        file_uri, fragment = urldefrag(urljoin(base, schema["$ref"]))
        if file_uri not in resources or (fragment and not fragment.startswith("/")):
            return None, base  # an anchor or a missing file: nothing to read (compiling reports it)
        try:
            schema = resolve_pointer(resources[file_uri], unquote(fragment))
        except LookupError:
            return None, base
        base = file_uri
    return None, base
