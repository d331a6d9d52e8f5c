"""Input patterns shared by the routes and the service's own contract (contracts/contracts-service).

The contract test checks both directions (a valid request is never refused, an invalid one never
accepted), so the service checks exactly what its contract declares.
"""

from __future__ import annotations

import re

NAME = r"[a-z0-9]+(?:-[a-z0-9]+)*"
_NUM = r"(?:0|[1-9][0-9]*)"
_PRE = r"(?:0|[1-9][0-9]*|[0-9]*[a-zA-Z-][0-9a-zA-Z-]*)"
SEMVER = rf"{_NUM}\.{_NUM}\.{_NUM}(?:-{_PRE}(?:\.{_PRE})*)?(?:\+[0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*)?"
CONTRACT_REF = rf"{NAME}(?:@(?:{SEMVER}|[0-9]+(?:\.[0-9]+)?))?"
TEXT = r"[^\x00-\x1f]+"  # a label: no control characters (PostgreSQL text cannot hold NUL)
AGAINST = rf"(?:latest|major|{SEMVER})"


def anchored(pattern: str) -> str:
    """The pattern anchored at both ends, as JSON Schema and pydantic take it."""
    return f"^{pattern}$"


# What a value that misses each pattern is, and how to fix it: the 422 says this, not the regex.
_MISMATCH = {
    anchored(NAME): ("is not a contract name", "contract names are kebab-case, e.g. recommendation-api"),
    anchored(SEMVER): ("is not a semantic version", "e.g. 1.2.0 or 2.0.0-rc.1"),
    anchored(CONTRACT_REF): (
        "is not a contract reference",
        "use NAME, NAME@MAJOR, NAME@MAJOR.MINOR or NAME@VERSION, e.g. recommendation-api@1.1.0",
    ),
    anchored(TEXT): ("contains control characters", "remove control characters such as newlines and NUL"),
    anchored(AGAINST): ("is not latest, major or a version", "e.g. latest, major or 1.2.0"),
}


def explain_mismatch(pattern: str, value: object) -> tuple[str, str] | None:
    """A message and a hint for ``value`` failing one of these patterns; None for another pattern."""
    found = _MISMATCH.get(pattern)
    return (f"{value!r} {found[0]}", found[1]) if found else None


def is_semver(text: str) -> bool:
    """Whether ``text`` is exactly a semantic version (no trailing newline, ASCII digits only)."""
    return re.fullmatch(SEMVER, text) is not None


def is_name(text: str) -> bool:
    """Whether ``text`` is exactly a kebab-case contract name."""
    return re.fullmatch(NAME, text) is not None
