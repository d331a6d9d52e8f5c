"""Problems from the engine's evaluation output, for schemas where it reports what ``iter_errors`` does.

``iter_errors`` builds a full error object per violation (messages, paths, the instance, its kind),
which is most of the cost of answering an invalid request. ``evaluate`` reports the same violations
as plain entries for two to three times less, but only where no applicator makes the two reports
differ: ``oneOf``/``anyOf`` list each branch's failures, ``unevaluated*`` add per-member entries,
``type`` lists word their message differently. :func:`is_plain` finds the schemas free of those,
following ``$ref``; every other schema keeps ``iter_errors``. One difference is kept on purpose: for an
``additionalProperties: false`` without ``properties`` beside it, ``iter_errors`` reports only the first
member, as "False schema does not allow ..." at the object; here every member is named. And a member
named by the empty string keeps its token in the pointer here (``/a//x``), where ``iter_errors`` drops it.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterator
from typing import Any, NamedTuple
from urllib.parse import unquote

import orjson

from ._resolving import ref_target
from .payload import dumps
from .pointers import escape_token, resolve_pointer
from .problems import Location, Problem
from .vocabulary import IN_PLACE, UNEVALUATED

# The engine version whose evaluation output this module was checked against: tests/test_evaluation.py
# holds both paths equal over the conformance suite and every example contract. The output format is
# the engine's, not a standard, so a new pin must pass those tests before this constant moves
# (tests/test_evaluation.py::test_the_engine_pinned_is_the_one_verified fails until it does).
VERIFIED_JSONSCHEMA_RS = "0.60.3"

# Keywords whose evaluation output differs from iter_errors, or that could make it differ.
_UNEVEN = frozenset(
    {
        *IN_PLACE,
        *UNEVALUATED,
        "dependentRequired",
        "prefixItems",
        "contains",
        "minContains",
        "maxContains",
        "propertyNames",
        "patternProperties",
        "$dynamicRef",
        "$recursiveRef",
        "$dynamicAnchor",
        "$recursiveAnchor",
    }
)
ENUM_LISTED = 20  # longer enums keep the engine's abbreviated message, as iter_errors problems do

Lookup = Callable[[str], Any]


def is_plain(schema: Any, resolver: Any) -> bool:
    """Whether ``schema`` (with everything it references) uses only keywords reported alike by both APIs."""
    seen: set[int] = set()
    # (subschema, resolver of its resource, whether it was reached through $ref)
    pending: list[tuple[Any, Any, bool]] = [(schema, resolver, True)]
    while pending:
        node, scope, by_ref = pending.pop()
        if node is True:
            continue
        if not isinstance(node, dict):
            return False  # a false schema: its message differs
        if id(node) in seen:
            continue
        seen.add(id(node))
        if _UNEVEN.intersection(node) or isinstance(node.get("type"), list):
            return False
        if "$id" in node and not by_ref:
            return False  # an embedded resource: its references would resolve against a base not followed here
        if _fuses_required(node):
            return False
        if isinstance(node.get("$ref"), str):
            resolved = ref_target(node, scope)
            if resolved is None:
                return False
            pending.append((resolved.contents, resolved.resolver, True))
        properties = node.get("properties")
        if isinstance(properties, dict):
            pending.extend((sub, scope, False) for sub in properties.values())
        if "items" in node:
            pending.append((node["items"], scope, False))
        if node.get("additionalProperties", False) is not False:  # false itself is reported per member
            pending.append((node["additionalProperties"], scope, False))
    return True


def _fuses_required(node: dict[str, Any]) -> bool:
    # jsonschema-rs (VERIFIED_JSONSCHEMA_RS) compiles a closed object with one required name into a single
    # check whose evaluation output files the missing name under additionalProperties, not required.
    required = node.get("required")
    return (
        "properties" in node
        and node.get("additionalProperties") is False
        and isinstance(required, list)
        and len(required) == 1
    )


class Keyword(NamedTuple):
    """What reporting needs about one failing keyword location, worked out once per contract."""

    keyword: str
    schema_path: str  # ``file-uri#pointer``: reporters choose how to show the file
    allowed: str | None = None  # enum: every allowed value as text (None: too many, keep the engine's)
    declared: frozenset[str] | None = None  # additionalProperties false: the declared property names


def describe(location: str, lookup: Lookup) -> Keyword:
    """The :class:`Keyword` at an absolute keyword location (``lookup`` resolves locations)."""
    keyword, schema_path = keyword_at(location)
    if keyword == "enum":
        options = lookup(location)
        if isinstance(options, list) and len(options) <= ENUM_LISTED:
            return Keyword(keyword, schema_path, allowed=allowed_text(options))
    elif keyword == "additionalProperties":
        parent = lookup(location.rpartition("/")[0])
        properties = parent.get("properties") if isinstance(parent, dict) else None
        return Keyword(keyword, schema_path, declared=frozenset(properties if isinstance(properties, dict) else ()))
    return Keyword(keyword, schema_path)


def problems_from_evaluation(
    errors: list[dict[str, Any]],
    instance: Any,
    keyword_of: Callable[[str], Keyword],
    *,
    location: Location | None,
    base: str = "",
) -> list[Problem] | None:
    """The problems ``iter_errors`` would give, from ``evaluate(...).errors()``; None if it cannot tell."""
    try:
        return _problems(errors, instance, keyword_of, location, base)
    except LookupError:  # a location the payload does not have (a tuple given for an array): ask iter_errors
        return None


def _problems(
    errors: list[dict[str, Any]],
    instance: Any,
    keyword_of: Callable[[str], Keyword],
    location: Location | None,
    base: str,
) -> list[Problem] | None:
    out: list[Problem] = []
    for entry in errors:
        keyword_location = entry["absoluteKeywordLocation"]
        if keyword_location is None:
            return None
        keyword, schema_path, allowed, declared = keyword_of(keyword_location)
        at = entry["instanceLocation"]
        if declared is not None:
            member = resolve_pointer(instance, at)
            unexpected = [name for name in member if name not in declared] if isinstance(member, dict) else []
            if unexpected:
                out.extend(not_allowed(base + at, unexpected, keyword, schema_path, location))
                continue
        message = entry["error"] if allowed is None else enum_message(resolve_pointer(instance, at), allowed)
        out.append(Problem(base + at, message, keyword, schema_path, location))
    return out


def not_allowed(
    pointer: str, names: list[str], keyword: str, schema_path: str | None, location: Location | None
) -> Iterator[Problem]:
    """One problem per member a closed object does not allow, each pointing at that member."""
    # The member, not the object: that is what the sender must drop.
    for name in names:
        yield Problem(
            f"{pointer}/{escape_token(name)}",
            f"property {name!r} is not allowed ({keyword} is false here)",
            keyword,
            schema_path,
            location,
        )


def enum_message(value: Any, allowed: str) -> str:
    """``"fax" is not one of "web", "app", "email"``: every allowed value, not the engine's abbreviation."""
    return f"{_instance_text(value)} is not one of {allowed}"


def allowed_text(options: list[Any]) -> str:
    """An enum's values as the message lists them: ``"web", "app", "email"``."""
    return _allowed(dumps(options))


def _instance_text(value: Any) -> str:
    # Keys sorted, as the engine writes instances in its own messages.
    try:
        return orjson.dumps(value, option=orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS).decode()
    except TypeError:  # an integer beyond 64 bits
        return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


# Cached by the enum's JSON text: 0.6 µs instead of 2.6-3.5 µs per enum violation (timeit, 5 values),
# paid on every rejected request whose payload misses an enum.
@functools.lru_cache(maxsize=1024)
def _allowed(options_json: bytes) -> str:
    return ", ".join(dumps(o).decode() for o in json.loads(options_json))


# Cached: a contract has few keyword locations. The result depends on the location alone (the file
# stays a URI; reporters choose how to show it), so a later chdir cannot make a cached entry stale.
@functools.lru_cache(maxsize=4096)
def keyword_at(location: str) -> tuple[str, str]:
    """The keyword at an absolute keyword location, and that location as ``file-uri#pointer``."""
    base, _, fragment = location.partition("#")
    fragment = unquote(fragment)
    return fragment.rpartition("/")[2], f"{base}#{fragment}"
