"""Rules over the bounds of one pair of schemas: numbers, strings (length, pattern, format), arrays."""

from __future__ import annotations

from collections.abc import Iterator

from .._schema import Bound, higher_than, lower_than
from ..pairing import SchemaPair
from ..report import Finding


def _bound(b: Bound | None) -> str:
    if b is None:
        return "none"
    return f"{b.value:g}" + (" (exclusive)" if b.exclusive else "")


def _count(value: int | None) -> str:
    return "none" if value is None else str(value)


def _raised(old: int | None, new: int | None) -> bool:
    return (old or 0) < (new or 0)


def _lowered_max(old: int | None, new: int | None) -> bool:
    return new is not None and (old is None or new < old)


# -- numbers ------------------------------------------------------------------------------------
def minimum_raised(pair: SchemaPair) -> Iterator[Finding]:
    """The lower bound of a number rose (or appeared)."""
    if lower_than(pair.old.lower, pair.new.lower):
        yield Finding(f"minimum raised from {_bound(pair.old.lower)} to {_bound(pair.new.lower)}")


def minimum_lowered(pair: SchemaPair) -> Iterator[Finding]:
    """The lower bound of a number fell (or was removed)."""
    if lower_than(pair.new.lower, pair.old.lower):
        yield Finding(f"minimum lowered from {_bound(pair.old.lower)} to {_bound(pair.new.lower)}")


def maximum_lowered(pair: SchemaPair) -> Iterator[Finding]:
    """The upper bound of a number fell (or appeared)."""
    if higher_than(pair.old.upper, pair.new.upper):
        yield Finding(f"maximum lowered from {_bound(pair.old.upper)} to {_bound(pair.new.upper)}")


def maximum_raised(pair: SchemaPair) -> Iterator[Finding]:
    """The upper bound of a number rose (or was removed)."""
    if higher_than(pair.new.upper, pair.old.upper):
        yield Finding(f"maximum raised from {_bound(pair.old.upper)} to {_bound(pair.new.upper)}")


def multiple_of_narrowed(pair: SchemaPair) -> Iterator[Finding]:
    """``multipleOf`` appeared or became a value that not every old multiple satisfies."""
    old, new = pair.old.multiple_of, pair.new.multiple_of
    if new is not None and (old is None or (old / new) % 1 != 0):
        yield Finding(f"multipleOf changed from {old and f'{old:g}'} to {new:g}")


def multiple_of_widened(pair: SchemaPair) -> Iterator[Finding]:
    """``multipleOf`` was removed or became a divisor of the old value."""
    old, new = pair.old.multiple_of, pair.new.multiple_of
    if old is not None and (new is None or (new != old and (old / new) % 1 == 0)):
        yield Finding(f"multipleOf relaxed from {old:g} to {new and f'{new:g}'}")


# -- strings ------------------------------------------------------------------------------------
def min_length_raised(pair: SchemaPair) -> Iterator[Finding]:
    """``minLength`` rose."""
    if _raised(pair.old.min_length, pair.new.min_length):
        yield Finding(f"minLength raised from {_count(pair.old.min_length)} to {pair.new.min_length}")


def min_length_lowered(pair: SchemaPair) -> Iterator[Finding]:
    """``minLength`` fell."""
    if _raised(pair.new.min_length, pair.old.min_length):
        yield Finding(f"minLength lowered from {pair.old.min_length} to {_count(pair.new.min_length)}")


def max_length_lowered(pair: SchemaPair) -> Iterator[Finding]:
    """``maxLength`` fell (or appeared)."""
    if _lowered_max(pair.old.max_length, pair.new.max_length):
        yield Finding(f"maxLength lowered from {_count(pair.old.max_length)} to {pair.new.max_length}")


def max_length_raised(pair: SchemaPair) -> Iterator[Finding]:
    """``maxLength`` rose (or was removed)."""
    if _lowered_max(pair.new.max_length, pair.old.max_length):
        yield Finding(f"maxLength raised from {pair.old.max_length} to {_count(pair.new.max_length)}")


def pattern_added(pair: SchemaPair) -> Iterator[Finding]:
    """A ``pattern`` now constrains a string that had none."""
    if pair.old.pattern is None and pair.new.pattern is not None:
        yield Finding(f"pattern {pair.new.pattern!r} added")


def pattern_removed(pair: SchemaPair) -> Iterator[Finding]:
    """The ``pattern`` of a string was removed."""
    if pair.old.pattern is not None and pair.new.pattern is None:
        yield Finding(f"pattern {pair.old.pattern!r} removed")


def pattern_changed(pair: SchemaPair) -> Iterator[Finding]:
    """The ``pattern`` of a string changed (regular languages are not compared: assumed to differ)."""
    if None not in (pair.old.pattern, pair.new.pattern) and pair.old.pattern != pair.new.pattern:
        yield Finding(f"pattern changed from {pair.old.pattern!r} to {pair.new.pattern!r}")


def format_added(pair: SchemaPair) -> Iterator[Finding]:
    """A ``format`` (asserted) now constrains a string that had none."""
    if pair.old.format is None and pair.new.format is not None:
        yield Finding(f"format {pair.new.format!r} added")


def format_removed(pair: SchemaPair) -> Iterator[Finding]:
    """The ``format`` of a string was removed."""
    if pair.old.format is not None and pair.new.format is None:
        yield Finding(f"format {pair.old.format!r} removed")


def format_changed(pair: SchemaPair) -> Iterator[Finding]:
    """The ``format`` of a string changed."""
    if None not in (pair.old.format, pair.new.format) and pair.old.format != pair.new.format:
        yield Finding(f"format changed from {pair.old.format!r} to {pair.new.format!r}")


# -- arrays -------------------------------------------------------------------------------------
def min_items_raised(pair: SchemaPair) -> Iterator[Finding]:
    """``minItems`` rose."""
    if _raised(pair.old.min_items, pair.new.min_items):
        yield Finding(f"minItems raised from {_count(pair.old.min_items)} to {pair.new.min_items}")


def min_items_lowered(pair: SchemaPair) -> Iterator[Finding]:
    """``minItems`` fell."""
    if _raised(pair.new.min_items, pair.old.min_items):
        yield Finding(f"minItems lowered from {pair.old.min_items} to {_count(pair.new.min_items)}")


def max_items_lowered(pair: SchemaPair) -> Iterator[Finding]:
    """``maxItems`` fell (or appeared)."""
    if _lowered_max(pair.old.max_items, pair.new.max_items):
        yield Finding(f"maxItems lowered from {_count(pair.old.max_items)} to {pair.new.max_items}")


def max_items_raised(pair: SchemaPair) -> Iterator[Finding]:
    """``maxItems`` rose (or was removed)."""
    if _lowered_max(pair.new.max_items, pair.old.max_items):
        yield Finding(f"maxItems raised from {pair.old.max_items} to {_count(pair.new.max_items)}")


def unique_items_added(pair: SchemaPair) -> Iterator[Finding]:
    """``uniqueItems: true`` was added."""
    if pair.new.unique_items and not pair.old.unique_items:
        yield Finding("uniqueItems added: repeated items are now rejected")


def unique_items_removed(pair: SchemaPair) -> Iterator[Finding]:
    """``uniqueItems: true`` was removed."""
    if pair.old.unique_items and not pair.new.unique_items:
        yield Finding("uniqueItems removed: items may now repeat")


def items_schema_added(pair: SchemaPair) -> Iterator[Finding]:
    """``items`` now constrains an array whose items were unconstrained."""
    if pair.old.items is None and pair.new.items is not None:
        yield Finding("items schema added")


def items_schema_removed(pair: SchemaPair) -> Iterator[Finding]:
    """The ``items`` schema of an array was removed."""
    if pair.old.items is not None and pair.new.items is None:
        yield Finding("items schema removed: items are unconstrained")


def prefix_items_added(pair: SchemaPair) -> Iterator[Finding]:
    """``prefixItems`` now constrains more leading positions."""
    if len(pair.new.prefix_items) > len(pair.old.prefix_items):
        yield Finding(f"prefixItems grew from {len(pair.old.prefix_items)} to {len(pair.new.prefix_items)} positions")


def prefix_items_removed(pair: SchemaPair) -> Iterator[Finding]:
    """``prefixItems`` constrains fewer leading positions."""
    if len(pair.new.prefix_items) < len(pair.old.prefix_items):
        yield Finding(f"prefixItems shrank from {len(pair.old.prefix_items)} to {len(pair.new.prefix_items)} positions")


def contains_added(pair: SchemaPair) -> Iterator[Finding]:
    """``contains`` now requires an array to hold a matching item."""
    if pair.old.contains is None and pair.new.contains is not None:
        yield Finding("contains added: the array must now hold a matching item")


def contains_removed(pair: SchemaPair) -> Iterator[Finding]:
    """The ``contains`` requirement of an array was removed."""
    if pair.old.contains is not None and pair.new.contains is None:
        yield Finding("contains removed")
