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


def anchored(pattern: str) -> str:
    """The pattern anchored at both ends, as JSON Schema and pydantic take it."""
    return f"^{pattern}$"


def is_semver(text: str) -> bool:
    """Whether ``text`` is exactly a semantic version (no trailing newline, ASCII digits only)."""
    return re.fullmatch(SEMVER, text) is not None


def is_name(text: str) -> bool:
    """Whether ``text`` is exactly a kebab-case contract name."""
    return re.fullmatch(NAME, text) is not None
