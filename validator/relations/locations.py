"""Locations of an exchange (``body:/ptr``, ``header:Name``, ``query:name``, ``path:name``) and the one resolver.

A location names a value of a request or of a response. ``read`` is the only place that turns a
location into a value, so lint, validate, the mock and the contract tests all read values alike.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Literal

from ..pointers import resolve_pointer, split_pointer

if TYPE_CHECKING:
    from ..contract import Parameter

Source = Literal["body", "header", "query", "path"]
SOURCES: tuple[Source, ...] = ("body", "header", "query", "path")


class _Missing:
    """The value a side of an exchange does not have (distinct from a JSON null)."""

    _instance: _Missing | None = None

    def __new__(cls) -> _Missing:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "MISSING"

    def __bool__(self) -> bool:
        return False


MISSING: Any = _Missing()
_EMPTY: Mapping[str, str] = MappingProxyType({})


class LocationError(ValueError):
    """A location string that does not parse (the message says how to write one)."""


@dataclass(frozen=True, slots=True)
class Location:
    """One named value of a request or a response: where it is read from and its name or pointer."""

    source: Source
    name: str  # a JSON pointer for the body, a parameter or header name otherwise

    @staticmethod
    def parse(text: Any) -> Location:
        """Read ``body:/ptr``, ``header:Name``, ``query:name`` or ``path:name``; LocationError otherwise."""
        if not isinstance(text, str):
            raise LocationError(f"a location is a string such as body:/items, got {text!r}")
        source, sep, name = text.partition(":")
        if not sep or source not in SOURCES:
            raise LocationError(
                f"{text!r} is not a location; write body:/pointer, header:Name, query:name or path:name"
            )
        if source == "body":
            if name and not name.startswith("/"):
                raise LocationError(f"{text!r}: a body location is a JSON pointer starting with '/' (or empty)")
        elif not name:
            raise LocationError(f"{text!r}: a {source} location needs a name")
        return Location(source, name)

    @property
    def pointer(self) -> str:
        """The JSON pointer a problem about this value carries (the parameter name for non-body values)."""
        return self.name if self.source == "body" else "/" + self.name

    def names(self, parameter: Parameter) -> bool:
        """Whether ``parameter`` is the value this location reads (header names are case-insensitive)."""
        if parameter.location != self.source:
            return False
        return parameter.name.lower() == self.name.lower() if self.source == "header" else parameter.name == self.name

    def __str__(self) -> str:
        return f"{self.source}:{self.name}"


@dataclass(frozen=True, slots=True)
class Side:
    """One side of an exchange as the relations see it (header names in lower case)."""

    body: Any = MISSING
    headers: Mapping[str, str] = field(default_factory=lambda: _EMPTY)
    query: Mapping[str, str] = field(default_factory=lambda: _EMPTY)
    path: Mapping[str, str] = field(default_factory=lambda: _EMPTY)

    @staticmethod
    def of(
        body: Any = MISSING,
        headers: Mapping[str, str] | None = None,
        query: Iterable[tuple[str, str]] = (),
        path: Mapping[str, str] | None = None,
    ) -> Side:
        """A side from raw parts: header names lowered, the first value of each query name kept."""
        first: dict[str, str] = {}
        for key, value in query:
            first.setdefault(key, value)
        lowered = {k.lower(): v for k, v in (headers or {}).items()}
        return Side(body, lowered, first, dict(path or {}))


def read(side: Side, location: Location) -> Any:
    """The value at ``location`` on one side of an exchange, or MISSING."""
    if location.source == "body":
        return at(side.body, location.name)
    if location.source == "header":
        return side.headers.get(location.name.lower(), MISSING)
    if location.source == "query":
        return side.query.get(location.name, MISSING)
    return side.path.get(location.name, MISSING)


def at(value: Any, pointer: str) -> Any:
    """The value at a JSON pointer inside ``value`` (also a relative pointer inside one item), or MISSING."""
    if value is MISSING:
        return MISSING
    try:
        return resolve_pointer(value, pointer)
    except LookupError:
        return MISSING


def tokens(pointer: str) -> list[str]:
    """The unescaped tokens of a pointer (for messages and for writing values into a body)."""
    return split_pointer(pointer)
