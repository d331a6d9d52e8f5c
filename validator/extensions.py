"""Extension keywords checked beside JSON Schema: the one table of schema-level ``x-`` keywords.

A schema-level keyword (``x-sum``, ``x-sorted``, ...) is found once per compiled schema location:
the walk below follows ``$ref``, ``allOf``/``anyOf``/``oneOf``, ``properties``, ``items``,
``prefixItems`` and ``additionalProperties`` and records each *site* (an instance path with wildcards,
the keyword, its value). Validation then only expands those paths over the instance. A schema without
any site costs one dictionary look-up. To add a keyword, add a row to ``SCHEMA_KEYWORDS``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any, NamedTuple

from .problems import Problem, escape_token
from .relations.schema_keywords import sorted_holds, sum_holds

SchemaCheck = Callable[[Any, Any, str], list[Problem]]  # (keyword value, instance at the site, pointer)

SCHEMA_KEYWORDS: Mapping[str, SchemaCheck] = {
    "x-sum": sum_holds,
    "x-sorted": sorted_holds,
}

EACH = None  # a path token standing for every item of an array or every value of an object
_MAX_DEPTH = 24


class Site(NamedTuple):
    """Where an extension keyword applies: an instance path (``EACH`` = every item), the keyword, its value."""

    path: tuple[str | int | None, ...]
    keyword: str
    value: Any


def find_sites(contents: Any, resolver: Any, keywords: Mapping[str, SchemaCheck] = SCHEMA_KEYWORDS) -> tuple[Site, ...]:
    """Every site of an extension keyword in a schema (``resolver`` looks up ``$ref`` as the engine does)."""
    found: list[Site] = []
    _walk(contents, resolver, (), found, keywords, frozenset(), 0)
    unique: dict[tuple[Any, ...], Site] = {}
    for site in found:  # two branches reaching one schema record its site once
        unique.setdefault((site.path, site.keyword, id(site.value)), site)
    return tuple(unique.values())


def _walk(
    schema: Any,
    resolver: Any,
    path: tuple[str | int | None, ...],
    found: list[Site],
    keywords: Mapping[str, SchemaCheck],
    entered: frozenset[int],
    depth: int,
) -> None:
    if not isinstance(schema, dict) or depth > _MAX_DEPTH:
        return
    for keyword in keywords:
        if keyword in schema:
            found.append(Site(path, keyword, schema[keyword]))
    ref = schema.get("$ref")
    if isinstance(ref, str) and resolver is not None:
        try:
            target = resolver.lookup(ref)
        except Exception:  # an unresolvable reference is the engine's to report
            target = None
        if target is not None and id(target.contents) not in entered:
            _walk(target.contents, target.resolver, path, found, keywords, entered | {id(target.contents)}, depth + 1)
    for key in ("allOf", "anyOf", "oneOf"):
        branches = schema.get(key)
        if isinstance(branches, list):
            for branch in branches:
                _walk(branch, resolver, path, found, keywords, entered, depth + 1)
    properties = schema.get("properties")
    if isinstance(properties, dict):
        for name, sub in properties.items():
            _walk(sub, resolver, (*path, name), found, keywords, entered, depth + 1)
    prefix = schema.get("prefixItems")
    if isinstance(prefix, list):
        for index, sub in enumerate(prefix):
            _walk(sub, resolver, (*path, index), found, keywords, entered, depth + 1)
    for key in ("items", "additionalProperties"):
        sub = schema.get(key)
        if isinstance(sub, dict):
            _walk(sub, resolver, (*path, EACH), found, keywords, entered, depth + 1)


def check_sites(
    sites: tuple[Site, ...], instance: Any, base: str = "", keywords: Mapping[str, SchemaCheck] = SCHEMA_KEYWORDS
) -> list[Problem]:
    """The problems every site finds in ``instance`` (``base`` prefixes the pointers)."""
    out: list[Problem] = []
    for site in sites:
        check = keywords[site.keyword]
        for pointer, node in expand(instance, site.path, base):
            out.extend(check(site.value, node, pointer))
    return out


def expand(instance: Any, path: tuple[str | int | None, ...], base: str = "") -> Iterator[tuple[str, Any]]:
    """(pointer, value) for every instance location a site's path matches."""
    if not path:
        yield base, instance
        return
    head, rest = path[0], path[1:]
    if head is EACH:
        if isinstance(instance, list):
            for index, item in enumerate(instance):
                yield from expand(item, rest, f"{base}/{index}")
        elif isinstance(instance, dict):
            for key, item in instance.items():
                yield from expand(item, rest, f"{base}/{escape_token(key)}")
    elif isinstance(head, int):
        if isinstance(instance, list) and head < len(instance):
            yield from expand(instance[head], rest, f"{base}/{head}")
    elif isinstance(instance, dict) and head in instance:
        yield from expand(instance[head], rest, f"{base}/{escape_token(head)}")
