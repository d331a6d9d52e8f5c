"""Rules over composition: ``anyOf``/``oneOf`` branches, ``allOf`` parts, ``not``, ``discriminator``."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from .._schema import Node, Schemas, View
from ..pairing import SchemaPair
from ..report import Finding
from .schemas import disjoint


def _overlaps(schemas: Schemas, one: Node, others: Sequence[Node]) -> bool:
    """Whether a branch may match an instance that another branch also matches."""
    view = schemas.view(one)
    return any(not _distinct(schemas, view, schemas.view(o)) for o in others if o.uri != one.uri)


def _distinct(schemas: Schemas, a: View, b: View) -> bool:
    if disjoint(a, b):
        return True
    shared = a.required & b.required & a.properties.keys() & b.properties.keys()
    return any(disjoint(schemas.view(a.properties[n]), schemas.view(b.properties[n])) for n in shared)


def _where(node: Node) -> str:
    return node.uri.partition("#")[2]


def _all_distinct(schemas: Schemas, nodes: Sequence[Node]) -> bool:
    return not any(_overlaps(schemas, n, nodes) for n in nodes)


# -- branches added -----------------------------------------------------------------------------
def one_of_branch_added_disjoint(pair: SchemaPair) -> Iterator[Finding]:
    """A ``oneOf`` branch was added that no value of the other branches can match."""
    new_schemas = pair.schemas[1]
    if pair.old.one_of:
        for node in pair.branches("one_of").added:
            if not _overlaps(new_schemas, node, pair.new.one_of):
                yield Finding(f"oneOf branch {_where(node)} added, disjoint from the others", _where(node))


def one_of_branch_added_overlapping(pair: SchemaPair) -> Iterator[Finding]:
    """A ``oneOf`` branch was added that overlaps another (values matching both now fail)."""
    new_schemas = pair.schemas[1]
    if pair.old.one_of:
        for node in pair.branches("one_of").added:
            if _overlaps(new_schemas, node, pair.new.one_of):
                yield Finding(f"oneOf branch {_where(node)} added and overlaps another branch", _where(node))


def one_of_branch_added(pair: SchemaPair) -> Iterator[Finding]:
    """A ``oneOf`` branch was added."""
    if pair.old.one_of:
        for node in pair.branches("one_of").added:
            yield Finding(f"oneOf branch {_where(node)} added", _where(node))


def any_of_branch_added(pair: SchemaPair) -> Iterator[Finding]:
    """An ``anyOf`` branch was added."""
    if pair.old.any_of:
        for node in pair.branches("any_of").added:
            yield Finding(f"anyOf branch {_where(node)} added", _where(node))


def union_added(pair: SchemaPair) -> Iterator[Finding]:
    """An ``anyOf``/``oneOf`` now constrains a schema that had none."""
    for keyword, name in (("any_of", "anyOf"), ("one_of", "oneOf")):
        if getattr(pair.new, keyword) and not (pair.old.any_of or pair.old.one_of):
            yield Finding(f"{name} added")


def union_removed(pair: SchemaPair) -> Iterator[Finding]:
    """An ``anyOf``/``oneOf`` constraint was removed."""
    for keyword, name in (("any_of", "anyOf"), ("one_of", "oneOf")):
        if getattr(pair.old, keyword) and not (pair.new.any_of or pair.new.one_of):
            yield Finding(f"{name} removed", pair.old.uri.partition("#")[2], in_old=True)


# -- branches removed ---------------------------------------------------------------------------
def one_of_overlapping_branch_changed(pair: SchemaPair) -> Iterator[Finding]:
    """A branch of a ``oneOf`` whose branches overlap changed: values may move in or out of the overlap.

    ``oneOf`` is not monotone: widening a branch can make values match two branches (and fail),
    narrowing one can take values out of an overlap (and let them pass). Only disjoint branches
    can be compared by direction.
    """
    old_s, new_s = pair.schemas
    disjoint = _all_distinct(old_s, pair.old.one_of) and _all_distinct(new_s, pair.new.one_of)
    if pair.old.one_of and not disjoint:
        for old, new in pair.branches("one_of").pairs:
            if old_s.fingerprint(old) != new_s.fingerprint(new):
                where = _where(new)
                yield Finding(f"branch {where} of a oneOf with overlapping branches changed", where)


def one_of_branch_removed(pair: SchemaPair) -> Iterator[Finding]:
    """A ``oneOf`` branch was removed."""
    if pair.new.one_of:
        for node in pair.branches("one_of").removed:
            yield Finding(f"oneOf branch {_where(node)} removed", _where(node), in_old=True)


def one_of_branch_removed_disjoint(pair: SchemaPair) -> Iterator[Finding]:
    """A ``oneOf`` branch that no value of the other branches could match was removed."""
    if pair.new.one_of:
        for node in pair.branches("one_of").removed:
            if not _overlaps(pair.schemas[0], node, pair.old.one_of):
                yield Finding(f"oneOf branch {_where(node)} removed", _where(node), in_old=True)


def one_of_branch_removed_overlapping(pair: SchemaPair) -> Iterator[Finding]:
    """A ``oneOf`` branch that overlapped another was removed: values matching both now pass."""
    if pair.new.one_of:
        for node in pair.branches("one_of").removed:
            if _overlaps(pair.schemas[0], node, pair.old.one_of):
                yield Finding(
                    f"oneOf branch {_where(node)} removed; values it shared with another branch, "
                    "invalid before, are now valid",
                    _where(node),
                    in_old=True,
                )


def any_of_branch_removed(pair: SchemaPair) -> Iterator[Finding]:
    """An ``anyOf`` branch was removed."""
    if pair.new.any_of:
        for node in pair.branches("any_of").removed:
            yield Finding(f"anyOf branch {_where(node)} removed", _where(node), in_old=True)


# -- anyOf and oneOf swapped --------------------------------------------------------------------
def _swapped(pair: SchemaPair, old: str, new: str) -> bool:
    return (
        bool(getattr(pair.old, old))
        and not getattr(pair.old, new)
        and bool(getattr(pair.new, new))
        and not getattr(pair.new, old)
    )


def _swap_changes(pair: SchemaPair) -> tuple[list[Node], list[Node]] | None:
    """Branches added and removed (by content) when ``anyOf`` and ``oneOf`` were swapped."""
    if not (_swapped(pair, "any_of", "one_of") or _swapped(pair, "one_of", "any_of")):
        return None
    old_s, new_s = pair.schemas
    old_nodes, new_nodes = (*pair.old.any_of, *pair.old.one_of), (*pair.new.any_of, *pair.new.one_of)
    before = {old_s.fingerprint(n) for n in old_nodes}
    after = {new_s.fingerprint(n) for n in new_nodes}
    return (
        [n for n in new_nodes if new_s.fingerprint(n) not in before],
        [n for n in old_nodes if old_s.fingerprint(n) not in after],
    )


def union_swapped_with_added_branch(pair: SchemaPair) -> Iterator[Finding]:
    """``anyOf`` and ``oneOf`` were swapped and a branch was added."""
    found = _swap_changes(pair)
    for node in found[0] if found else []:
        yield Finding(f"anyOf/oneOf swapped and branch {_where(node)} added", _where(node))


def union_swapped_with_removed_branch(pair: SchemaPair) -> Iterator[Finding]:
    """``anyOf`` and ``oneOf`` were swapped and a branch was removed."""
    found = _swap_changes(pair)
    for node in found[1] if found else []:
        yield Finding(f"anyOf/oneOf swapped and branch {_where(node)} removed", _where(node), in_old=True)


def any_of_became_one_of(pair: SchemaPair) -> Iterator[Finding]:
    """``anyOf`` was turned into ``oneOf`` (values matching several branches now fail)."""
    if _swapped(pair, "any_of", "one_of"):
        yield Finding("anyOf became oneOf")


def any_of_became_one_of_overlapping(pair: SchemaPair) -> Iterator[Finding]:
    """``anyOf`` was turned into ``oneOf`` whose branches overlap."""
    if _swapped(pair, "any_of", "one_of") and not _all_distinct(pair.schemas[1], pair.new.one_of):
        yield Finding("anyOf became oneOf with overlapping branches: values matching two branches now fail")


def any_of_became_one_of_disjoint(pair: SchemaPair) -> Iterator[Finding]:
    """``anyOf`` was turned into ``oneOf`` whose branches are disjoint (no value matches two)."""
    if _swapped(pair, "any_of", "one_of") and _all_distinct(pair.schemas[1], pair.new.one_of):
        yield Finding("anyOf became oneOf with disjoint branches")


def one_of_became_any_of(pair: SchemaPair) -> Iterator[Finding]:
    """``oneOf`` was turned into ``anyOf``."""
    if _swapped(pair, "one_of", "any_of"):
        yield Finding("oneOf became anyOf")


def one_of_became_any_of_overlapping(pair: SchemaPair) -> Iterator[Finding]:
    """``oneOf`` was turned into ``anyOf`` whose branches overlap (values matching several now pass)."""
    old_s, new_s = pair.schemas
    if _swapped(pair, "one_of", "any_of") and not (
        _all_distinct(old_s, pair.old.one_of) and _all_distinct(new_s, pair.new.any_of)
    ):
        yield Finding("oneOf became anyOf with overlapping branches: values matching several now pass")


# -- allOf, not, discriminator ------------------------------------------------------------------
def all_of_part_added(pair: SchemaPair) -> Iterator[Finding]:
    """An ``allOf`` part was added (every instance must now satisfy it too)."""
    for node in pair.branches("all_of").added:
        if pair.schemas[1].fingerprint(node) != "{}":
            yield Finding(f"allOf part {_where(node)} added", _where(node))


def all_of_part_removed(pair: SchemaPair) -> Iterator[Finding]:
    """An ``allOf`` part that constrained instances was removed."""
    for node in pair.branches("all_of").removed:
        if pair.schemas[0].fingerprint(node) != "{}":
            yield Finding(f"allOf part {_where(node)} removed", _where(node), in_old=True)


def not_added(pair: SchemaPair) -> Iterator[Finding]:
    """A ``not`` now excludes values."""
    if pair.old.not_ is None and pair.new.not_ is not None:
        yield Finding("not added: matching values are now rejected")


def not_removed(pair: SchemaPair) -> Iterator[Finding]:
    """A ``not`` exclusion was removed."""
    if pair.old.not_ is not None and pair.new.not_ is None:
        yield Finding("not removed: excluded values are now allowed")


def _discriminators(pair: SchemaPair) -> tuple[dict[str, object], dict[str, object]] | None:
    if pair.old.discriminator is None or pair.new.discriminator is None:
        return None
    return dict(pair.old.discriminator), dict(pair.new.discriminator)


def discriminator_property_changed(pair: SchemaPair) -> Iterator[Finding]:
    """The discriminator's ``propertyName`` changed (dispatch on the old member fails)."""
    found = _discriminators(pair)
    if found and found[0].get("propertyName") != found[1].get("propertyName"):
        yield Finding(
            f"discriminator property changed from {found[0].get('propertyName')!r} to {found[1].get('propertyName')!r}"
        )


def _mapping(d: dict[str, object]) -> set[str]:
    mapping = d.get("mapping")
    return set(mapping) if isinstance(mapping, dict) else set()


def discriminator_mapping_removed(pair: SchemaPair) -> Iterator[Finding]:
    """A discriminator mapping value was removed."""
    found = _discriminators(pair)
    for value in sorted(_mapping(found[0]) - _mapping(found[1])) if found else []:
        yield Finding(f"discriminator value {value!r} removed")


def discriminator_mapping_added(pair: SchemaPair) -> Iterator[Finding]:
    """A discriminator mapping value was added."""
    found = _discriminators(pair)
    for value in sorted(_mapping(found[1]) - _mapping(found[0])) if found else []:
        yield Finding(f"discriminator value {value!r} added")
