"""Rules over one pair of schemas at the same place of a payload.

Members a direction leaves out (``readOnly`` in requests, ``writeOnly`` in responses) are neither
required nor promised there, so requiring, un-requiring or removing them changes nothing on the wire.

Each function states a change in neutral words; the catalogue gives it a direction and a verdict
(the same change narrows a request but widens a response). Findings carry a message and, where it
helps, the JSON pointer of the old schema (for what was removed) or the property involved.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .._schema import ALL_TYPES, View, canonical_value
from ..pairing import SchemaPair
from ..report import Finding


def _old_pointer(pair: SchemaPair) -> str:
    return pair.old.uri.partition("#")[2]


def _member(pair: SchemaPair, name: str) -> str:
    return f"{pair.pointer}/properties/{name}"


def _removed(message: str, pair: SchemaPair, name: str) -> Finding:
    return Finding(message, _old_pointer(pair) + f"/properties/{name}", member=name, in_old=True)


def _types(view: View) -> frozenset[str]:
    types = ALL_TYPES if view.types is None else view.types
    return types | {"integer"} if "number" in types else types


def _show(value: Any) -> str:
    return canonical_value(value)


def disjoint(a: View, b: View) -> bool:
    """Whether no instance can match both schemas (by type, by enum, or by a required constant member)."""
    if not (_types(a) & _types(b)):
        return True
    if a.enum is not None and b.enum is not None:
        return not ({canonical_value(v) for v in a.enum} & {canonical_value(v) for v in b.enum})
    return False


# -- objects ------------------------------------------------------------------------------------
def property_added(pair: SchemaPair) -> Iterator[Finding]:
    """An optional property was added."""
    for name in sorted(pair.new.properties.keys() - pair.old.properties.keys() - pair.new.required):
        yield Finding(f"optional property {name!r} added", _member(pair, name), member=name)


def required_property_added(pair: SchemaPair) -> Iterator[Finding]:
    """A property was added as required (a ``default`` does not make omitting it valid)."""
    for name in sorted(pair.new.required - pair.old.properties.keys() - pair.old.required - pair.omitted("new")):
        yield Finding(f"required property {name!r} added", _member(pair, name), member=name)


def property_added_to_open_object(pair: SchemaPair) -> Iterator[Finding]:
    """A property was added to an object that admits undeclared members."""
    if not pair.new.closed and not pair.old.closed:
        for name in sorted(pair.new.properties.keys() - pair.old.properties.keys()):
            yield Finding(f"property {name!r} added to an open object", _member(pair, name), member=name)


def property_added_to_closed_object(pair: SchemaPair) -> Iterator[Finding]:
    """A property was added to an object that admitted no undeclared members (strict clients reject it)."""
    if pair.old.closed:
        for name in sorted(pair.new.properties.keys() - pair.old.properties.keys()):
            yield Finding(f"property {name!r} added to a closed object", _member(pair, name), member=name)


def property_removed(pair: SchemaPair) -> Iterator[Finding]:
    """A property was removed (its value is no longer promised)."""
    for name in sorted(pair.old.properties.keys() - pair.new.properties.keys() - pair.omitted("old")):
        yield _removed(f"property {name!r} removed", pair, name)


def property_removed_from_closed_object(pair: SchemaPair) -> Iterator[Finding]:
    """A property was removed from an object that rejects undeclared members."""
    if pair.new.closed:
        for name in sorted(pair.old.properties.keys() - pair.new.properties.keys() - pair.omitted("old")):
            yield _removed(f"property {name!r} removed from a closed object (sending it now fails)", pair, name)


def property_removed_from_open_object(pair: SchemaPair) -> Iterator[Finding]:
    """A property was removed from an object that still admits undeclared members."""
    if not pair.new.closed:
        for name in sorted(pair.old.properties.keys() - pair.new.properties.keys() - pair.omitted("old")):
            yield _removed(f"property {name!r} removed from an open object", pair, name)


def property_became_required(pair: SchemaPair) -> Iterator[Finding]:
    """An existing property became required."""
    for name in sorted((pair.new.required - pair.old.required - pair.omitted("new")) & pair.old.properties.keys()):
        yield Finding(f"property {name!r} became required", member=name)


def property_became_optional(pair: SchemaPair) -> Iterator[Finding]:
    """A required property became optional."""
    for name in sorted((pair.old.required - pair.new.required - pair.omitted("old")) & pair.new.properties.keys()):
        yield Finding(f"property {name!r} became optional", member=name)


def object_closed(pair: SchemaPair) -> Iterator[Finding]:
    """An open object was closed (``additionalProperties``/``unevaluatedProperties: false`` added)."""
    if pair.new.closed and not pair.old.closed:
        yield Finding("object closed: undeclared members are now rejected")


def object_opened(pair: SchemaPair) -> Iterator[Finding]:
    """A closed object was opened: undeclared members may now appear."""
    if pair.old.closed and not pair.new.closed:
        yield Finding("object opened: undeclared members are now allowed")


# -- types and values ---------------------------------------------------------------------------
def _type_text(view: View) -> str:
    return "any type" if view.types is None else "/".join(sorted(view.types)) or "no type"


def type_narrowed(pair: SchemaPair) -> Iterator[Finding]:
    """The allowed types became fewer (e.g. number to integer, null no longer allowed)."""
    old, new = _types(pair.old), _types(pair.new)
    if new < old:
        yield Finding(f"type narrowed from {_type_text(pair.old)} to {_type_text(pair.new)}")


def type_widened(pair: SchemaPair) -> Iterator[Finding]:
    """The allowed types became more (e.g. integer to number, null now allowed)."""
    old, new = _types(pair.old), _types(pair.new)
    if old < new:
        yield Finding(f"type widened from {_type_text(pair.old)} to {_type_text(pair.new)}")


def type_changed(pair: SchemaPair) -> Iterator[Finding]:
    """The type changed to one that neither contains nor is contained in the old (e.g. string to integer)."""
    old, new = _types(pair.old), _types(pair.new)
    if not (old <= new or new <= old):
        yield Finding(f"type changed from {_type_text(pair.old)} to {_type_text(pair.new)}")


def _enum_sets(pair: SchemaPair) -> tuple[dict[str, Any], dict[str, Any]] | None:
    if pair.old.enum is None or pair.new.enum is None:
        return None
    return ({canonical_value(v): v for v in pair.old.enum}, {canonical_value(v): v for v in pair.new.enum})


def enum_value_added(pair: SchemaPair) -> Iterator[Finding]:
    """A value was added to an ``enum`` (or a ``const`` changed)."""
    sets = _enum_sets(pair)
    for key in sorted(sets[1].keys() - sets[0].keys()) if sets else []:
        yield Finding(f"enum value {key} added")


def enum_value_removed(pair: SchemaPair) -> Iterator[Finding]:
    """A value was removed from an ``enum`` (or a ``const`` changed)."""
    sets = _enum_sets(pair)
    for key in sorted(sets[0].keys() - sets[1].keys()) if sets else []:
        yield Finding(f"enum value {key} removed")


def enum_added(pair: SchemaPair) -> Iterator[Finding]:
    """An ``enum`` or ``const`` now restricts a schema that had none."""
    if pair.old.enum is None and pair.new.enum is not None:
        yield Finding(f"values restricted to {_show(list(pair.new.enum))}")


def enum_removed(pair: SchemaPair) -> Iterator[Finding]:
    """An ``enum`` or ``const`` restriction was lifted."""
    if pair.old.enum is not None and pair.new.enum is None:
        yield Finding(f"values no longer restricted to {_show(list(pair.old.enum))}")


def default_changed(pair: SchemaPair) -> Iterator[Finding]:
    """The ``default`` changed (clients that omit the value now get other behaviour)."""
    if (
        pair.old.has_default
        and pair.new.has_default
        and canonical_value(pair.old.default) != canonical_value(pair.new.default)
    ):
        yield Finding(f"default changed from {_show(pair.old.default)} to {_show(pair.new.default)}")


def schema_deprecated(pair: SchemaPair) -> Iterator[Finding]:
    """A schema was marked ``deprecated`` (an annotation: information only)."""
    if pair.new.deprecated and not pair.old.deprecated:
        yield Finding("marked deprecated")
