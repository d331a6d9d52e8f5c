"""Semantic versions of contracts: parsing, ordering, released vs pre-release, newest match."""

from __future__ import annotations

from collections.abc import Iterable

import semver

from .errors import UsageError

Version = semver.Version


def parse(text: str) -> Version:
    """Parse a full semantic version (``1.2.0``, ``2.0.0-rc.1``); raise UsageError otherwise."""
    try:
        return Version.parse(text)
    except (ValueError, TypeError) as exc:
        raise UsageError(
            f"{text!r} is not a semantic version", hint="use MAJOR.MINOR.PATCH, e.g. 1.2.0 or 2.0.0-rc.1"
        ) from exc


def is_version(text: str) -> bool:
    """Whether ``text`` is a full semantic version."""
    return Version.is_valid(text)


def is_released(version: Version) -> bool:
    """A version without a pre-release tag is released, hence immutable."""
    return version.prerelease is None


def ordered(texts: Iterable[str]) -> list[str]:
    """Sort version strings in semver order, oldest first; non-versions are dropped."""
    return [str(v) for v in sorted(Version.parse(t) for t in texts if is_version(t))]


def newest_match(texts: Iterable[str], spec: str | None) -> str | None:
    """Newest version matching ``spec``: None = newest released; ``1`` / ``1.2`` = newest in that line.

    A partial spec prefers released versions and falls back to pre-releases when none is released.
    """
    versions = [Version.parse(t) for t in texts if is_version(t)]
    if spec is None:
        released = [v for v in versions if is_released(v)]
        return str(max(released)) if released else None
    parts = spec.split(".")
    if not (1 <= len(parts) <= 2) or not all(p.isdigit() for p in parts):
        raise UsageError(f"{spec!r} is not a version, MAJOR or MAJOR.MINOR", hint="e.g. 1, 1.1 or 1.1.0")
    nums = [int(p) for p in parts]
    matching = [v for v in versions if [v.major, v.minor][: len(nums)] == nums]
    released = [v for v in matching if is_released(v)]
    pool = released or matching
    return str(max(pool)) if pool else None
