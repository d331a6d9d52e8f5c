"""`contracts.lock`: the sha256 of every released version, written by `contracts lock`, read by the gate."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from . import refs as _refs
from . import versions as _versions
from .errors import LoadError, UsageError

LOCK_NAME = "contracts.lock"
LOCK_HEADER = "sha256 of every released contract version; written by `contracts lock`, checked by `contracts check`"


def version_digest(folder: Path) -> dict[str, Any]:
    """sha256 of every file of a version folder, and of the whole (paths and bytes)."""
    files = {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }
    whole = hashlib.sha256("".join(f"{k}\0{v}\n" for k, v in files.items()).encode()).hexdigest()
    return {"sha256": whole, "files": files}


def released_versions(root: Path) -> list[tuple[str, str]]:
    """Every released (contract, version) under ``root``."""
    return [
        (name, v)
        for name in _refs.list_contracts(root)
        for v in _refs.list_versions(root, name)
        if _versions.is_released(_versions.parse(v))
    ]


# How a released version's content differs from its lock entry.
DriftKind = Literal["changed", "added", "deleted", "version deleted"]


@dataclass(frozen=True, slots=True)
class Drift:
    """A released version whose content no longer matches the lock: which file, and how."""

    version: str  # name@version
    file: str  # the file (or the folder, when the version is gone)
    what: DriftKind

    @property
    def message(self) -> str:
        """One sentence for people."""
        if self.what == "version deleted":
            return f"released version {self.version} was deleted or renamed"
        return f"released version {self.version}: {Path(self.file).name} {self.what} since it was locked"


def drift(root: Path, locked: dict[str, Any]) -> list[Drift]:
    """Every difference between the released versions on disk and the digests of a lock file."""
    on_disk = {f"{n}@{v}" for n, v in released_versions(root)}
    out = []
    for key, entry in sorted(locked.items()):
        name, _, version = key.partition("@")
        folder = root / name / version
        if key not in on_disk:
            out.append(Drift(key, str(folder), "version deleted"))
            continue
        now = version_digest(folder)
        if now["sha256"] == entry.get("sha256"):
            continue
        before: dict[str, str] = entry.get("files", {})
        changed = sorted(f for f in before.keys() | now["files"].keys() if before.get(f) != now["files"].get(f))
        for relative in changed or ["."]:
            what: DriftKind = (
                "added" if relative not in before else "deleted" if relative not in now["files"] else "changed"
            )
            out.append(Drift(key, str(folder / relative), what))
    return out


def lock_contracts(root: Path, lock_path: Path) -> tuple[dict[str, Any] | None, list[Drift]]:
    """`contracts lock`: pin the released versions, refusing to re-pin one whose content changed.

    Returns the written content, or None and the drift that stopped it: a released version is
    immutable, so an edited one must become a new version, not a new digest.
    """
    if lock_path.is_file():
        found = drift(root, read_lock(lock_path))
        if found:
            return None, found
    return write_lock(root, lock_path), []


def write_lock(root: Path, lock_path: Path) -> dict[str, Any]:
    """Write ``contracts.lock`` with the digests of every released version; return its content."""
    data = {
        "about": LOCK_HEADER,
        "versions": {f"{n}@{v}": version_digest(root / n / v) for n, v in released_versions(root)},
    }
    try:
        lock_path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    except OSError as exc:
        raise UsageError(
            f"cannot write {lock_path}: {exc.strerror or exc}",
            hint=f"{LOCK_NAME} must be a writable file beside the contracts folder",
        ) from None
    return data


def read_lock(lock_path: Path) -> dict[str, Any]:
    """The lock file's ``versions`` map; a clear error when it is not a lock file."""
    try:
        data = json.loads(lock_path.read_text(encoding="utf-8"))
        versions = data["versions"]
        if not isinstance(versions, dict) or not all(_is_lock_entry(e) for e in versions.values()):
            raise TypeError
    except (OSError, ValueError, KeyError, TypeError):
        raise LoadError(
            "not a contracts lock file", file=str(lock_path), hint="regenerate it with `contracts lock`"
        ) from None
    return versions


def _is_lock_entry(entry: Any) -> bool:
    """One version's record as ``write_lock`` writes it: a digest and a map of file digests."""
    return (
        isinstance(entry, dict)
        and isinstance(entry.get("sha256"), str)
        and isinstance(entry.get("files"), dict)
        and all(isinstance(k, str) and isinstance(v, str) for k, v in entry["files"].items())
    )
