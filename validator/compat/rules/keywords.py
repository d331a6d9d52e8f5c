"""Rules over the 2020-12 keywords beyond the classic ones: object size and names, dependencies,
conditionals, pattern properties, ``contains`` counts, the ``false`` schema, and the annotations
that change behaviour by direction (``readOnly``, ``writeOnly``, ``contentMediaType``).

As everywhere in the catalogue, a rule only proposes a change; a payload-schema change is breaking
only when the witness search finds a payload both validators confirm (policy decision 16).
"""

from __future__ import annotations

from collections.abc import Iterator

from .._schema import View
from ..pairing import SchemaPair
from ..report import Finding


def _count(value: int | None) -> str:
    return "none" if value is None else str(value)


def _prints(pair: SchemaPair, old: object, new: object) -> tuple[str, str]:
    old_s, new_s = pair.schemas
    return old_s.fingerprint(old), new_s.fingerprint(new)  # type: ignore[arg-type]


def _same(pair: SchemaPair, old: object, new: object) -> bool:
    a, b = _prints(pair, old, new)
    return a == b


# -- object size --------------------------------------------------------------------------------
def max_properties_lowered(pair: SchemaPair) -> Iterator[Finding]:
    """``maxProperties`` fell (or appeared): objects with more members are refused."""
    old, new = pair.old.max_properties, pair.new.max_properties
    if new is not None and (old is None or new < old):
        yield Finding(f"maxProperties lowered from {_count(old)} to {new}")


def max_properties_raised(pair: SchemaPair) -> Iterator[Finding]:
    """``maxProperties`` rose (or was removed)."""
    old, new = pair.old.max_properties, pair.new.max_properties
    if old is not None and (new is None or new > old):
        yield Finding(f"maxProperties raised from {old} to {_count(new)}")


def min_properties_raised(pair: SchemaPair) -> Iterator[Finding]:
    """``minProperties`` rose: objects with fewer members are refused."""
    if (pair.old.min_properties or 0) < (pair.new.min_properties or 0):
        yield Finding(f"minProperties raised from {_count(pair.old.min_properties)} to {pair.new.min_properties}")


def min_properties_lowered(pair: SchemaPair) -> Iterator[Finding]:
    """``minProperties`` fell."""
    if (pair.new.min_properties or 0) < (pair.old.min_properties or 0):
        yield Finding(f"minProperties lowered from {pair.old.min_properties} to {_count(pair.new.min_properties)}")


# -- member names and dependencies --------------------------------------------------------------
def property_names_added(pair: SchemaPair) -> Iterator[Finding]:
    """``propertyNames`` now constrains the member names of an object."""
    if pair.old.property_names is None and pair.new.property_names is not None:
        yield Finding("propertyNames added: members with other names are refused")


def property_names_removed(pair: SchemaPair) -> Iterator[Finding]:
    """The ``propertyNames`` constraint was removed."""
    if pair.old.property_names is not None and pair.new.property_names is None:
        yield Finding("propertyNames removed: members may have any name")


def dependent_required_added(pair: SchemaPair) -> Iterator[Finding]:
    """``dependentRequired`` now asks for members whenever another member is present."""
    old, new = pair.old.dependent_required, pair.new.dependent_required
    for key in sorted(new):
        for name in sorted(new[key] - old.get(key, frozenset())):
            yield Finding(f"dependentRequired: {name!r} now required when {key!r} is present", member=key)


def dependent_required_removed(pair: SchemaPair) -> Iterator[Finding]:
    """A ``dependentRequired`` dependency was removed."""
    old, new = pair.old.dependent_required, pair.new.dependent_required
    for key in sorted(old):
        for name in sorted(old[key] - new.get(key, frozenset())):
            yield Finding(f"dependentRequired: {name!r} no longer required when {key!r} is present", member=key)


def dependent_schema_added(pair: SchemaPair) -> Iterator[Finding]:
    """A ``dependentSchemas`` entry now constrains objects that have a member."""
    for key in sorted(pair.new.dependent_schemas.keys() - pair.old.dependent_schemas.keys()):
        yield Finding(f"dependentSchemas entry for {key!r} added", member=key)


def dependent_schema_removed(pair: SchemaPair) -> Iterator[Finding]:
    """A ``dependentSchemas`` entry was removed."""
    for key in sorted(pair.old.dependent_schemas.keys() - pair.new.dependent_schemas.keys()):
        yield Finding(f"dependentSchemas entry for {key!r} removed", member=key)


def pattern_property_added(pair: SchemaPair) -> Iterator[Finding]:
    """A ``patternProperties`` entry now constrains members whose names match it."""
    for pattern in sorted(pair.new.pattern_properties.keys() - pair.old.pattern_properties.keys()):
        yield Finding(f"patternProperties {pattern!r} added")


def pattern_property_removed(pair: SchemaPair) -> Iterator[Finding]:
    """A ``patternProperties`` entry was removed (members matching it are unconstrained, or refused when closed)."""
    for pattern in sorted(pair.old.pattern_properties.keys() - pair.new.pattern_properties.keys()):
        yield Finding(f"patternProperties {pattern!r} removed")


def additional_properties_schema_added(pair: SchemaPair) -> Iterator[Finding]:
    """``additionalProperties``/``unevaluatedProperties`` now gives undeclared members a schema."""
    if pair.old.additional is None and pair.new.additional is not None and not pair.old.closed:
        yield Finding("undeclared members must now match a schema")


def additional_properties_schema_removed(pair: SchemaPair) -> Iterator[Finding]:
    """The schema of undeclared members was removed (they may now hold anything)."""
    if pair.old.additional is not None and pair.new.additional is None and not pair.new.closed:
        yield Finding("undeclared members are no longer constrained")


# -- conditionals -------------------------------------------------------------------------------
def _conditional(view: View) -> bool:
    return view.if_ is not None and (view.then is not None or view.else_ is not None)


def conditional_added(pair: SchemaPair) -> Iterator[Finding]:
    """An ``if``/``then``/``else`` now constrains a schema that had none."""
    if _conditional(pair.new) and not _conditional(pair.old):
        yield Finding("if/then/else added")


def conditional_removed(pair: SchemaPair) -> Iterator[Finding]:
    """An ``if``/``then``/``else`` constraint was removed."""
    if _conditional(pair.old) and not _conditional(pair.new):
        yield Finding("if/then/else removed")


def conditional_changed(pair: SchemaPair) -> Iterator[Finding]:
    """The ``if`` of a conditional changed (not monotone: values may move between ``then`` and ``else``)."""
    old, new = pair.old, pair.new
    if _conditional(old) and _conditional(new) and not _same(pair, old.if_, new.if_):
        yield Finding("the condition (if) of an if/then/else changed")


def conditional_branch_added(pair: SchemaPair) -> Iterator[Finding]:
    """A ``then`` or ``else`` was added under an unchanged ``if``."""
    old, new = pair.old, pair.new
    if _conditional(old) and _conditional(new) and _same(pair, old.if_, new.if_):
        for name, before, after in (("then", old.then, new.then), ("else", old.else_, new.else_)):
            if before is None and after is not None:
                yield Finding(f"{name} added to an if/then/else")


def conditional_branch_removed(pair: SchemaPair) -> Iterator[Finding]:
    """A ``then`` or ``else`` was removed under an unchanged ``if``."""
    old, new = pair.old, pair.new
    if _conditional(old) and _conditional(new) and _same(pair, old.if_, new.if_):
        for name, before, after in (("then", old.then, new.then), ("else", old.else_, new.else_)):
            if before is not None and after is None:
                yield Finding(f"{name} removed from an if/then/else")


# -- arrays -------------------------------------------------------------------------------------
def _min_contains(view: View) -> int:
    return 0 if view.contains is None else 1 if view.min_contains is None else view.min_contains


def min_contains_raised(pair: SchemaPair) -> Iterator[Finding]:
    """``minContains`` rose: arrays with fewer matching items are refused."""
    both = pair.old.contains is not None and pair.new.contains is not None
    if both and _min_contains(pair.old) < _min_contains(pair.new):
        yield Finding(f"minContains raised from {_min_contains(pair.old)} to {_min_contains(pair.new)}")


def min_contains_lowered(pair: SchemaPair) -> Iterator[Finding]:
    """``minContains`` fell."""
    both = pair.old.contains is not None and pair.new.contains is not None
    if both and _min_contains(pair.new) < _min_contains(pair.old):
        yield Finding(f"minContains lowered from {_min_contains(pair.old)} to {_min_contains(pair.new)}")


def max_contains_lowered(pair: SchemaPair) -> Iterator[Finding]:
    """``maxContains`` fell (or appeared): arrays with more matching items are refused."""
    old, new = pair.old.max_contains, pair.new.max_contains
    if pair.new.contains is not None and new is not None and (old is None or new < old):
        yield Finding(f"maxContains lowered from {_count(old)} to {new}")


def max_contains_raised(pair: SchemaPair) -> Iterator[Finding]:
    """``maxContains`` rose (or was removed)."""
    old, new = pair.old.max_contains, pair.new.max_contains
    if pair.old.contains is not None and old is not None and (new is None or new > old):
        yield Finding(f"maxContains raised from {old} to {_count(new)}")


def unevaluated_items_added(pair: SchemaPair) -> Iterator[Finding]:
    """``unevaluatedItems`` now constrains the items no other keyword evaluated."""
    if pair.old.unevaluated_items is None and pair.new.unevaluated_items is not None:
        yield Finding("unevaluatedItems added")


def unevaluated_items_removed(pair: SchemaPair) -> Iterator[Finding]:
    """The ``unevaluatedItems`` constraint was removed."""
    if pair.old.unevaluated_items is not None and pair.new.unevaluated_items is None:
        yield Finding("unevaluatedItems removed")


# -- the false schema ---------------------------------------------------------------------------
def false_schema_added(pair: SchemaPair) -> Iterator[Finding]:
    """A place that admitted values is now ``false`` (no value is valid there)."""
    if pair.new.never and not pair.old.never:
        yield Finding("schema became false: no value is accepted here")


def false_schema_removed(pair: SchemaPair) -> Iterator[Finding]:
    """A ``false`` schema now admits values."""
    if pair.old.never and not pair.new.never:
        yield Finding("schema is no longer false: values may appear here")


# -- annotations that change behaviour by direction ---------------------------------------------
def read_only_added(pair: SchemaPair) -> Iterator[Finding]:
    """A request member became ``readOnly``: servers ignore or refuse what clients send in it."""
    if pair.new.read_only and not pair.old.read_only:
        yield Finding("became readOnly: a value sent in a request is no longer taken")


def read_only_removed(pair: SchemaPair) -> Iterator[Finding]:
    """A request member is no longer ``readOnly`` (clients may now send it)."""
    if pair.old.read_only and not pair.new.read_only:
        yield Finding("no longer readOnly: clients may send it")


def write_only_added(pair: SchemaPair) -> Iterator[Finding]:
    """A response member became ``writeOnly``: servers no longer send it."""
    if pair.new.write_only and not pair.old.write_only:
        yield Finding("became writeOnly: responses no longer carry it")


def write_only_removed(pair: SchemaPair) -> Iterator[Finding]:
    """A response member is no longer ``writeOnly`` (responses may carry it)."""
    if pair.old.write_only and not pair.new.write_only:
        yield Finding("no longer writeOnly: responses may carry it")


def content_changed(pair: SchemaPair) -> Iterator[Finding]:
    """``contentMediaType``/``contentEncoding`` of a string changed: its content is read another way."""
    if pair.old.content != pair.new.content and pair.old.content != (None, None):
        (om, oe), (nm, ne) = pair.old.content, pair.new.content
        yield Finding(f"string content changed from {om or '-'}/{oe or '-'} to {nm or '-'}/{ne or '-'}")
