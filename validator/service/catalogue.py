"""The contracts the service hosts: a snapshot of the contracts folder, swapped whole on reload.

Requests take the current snapshot once and keep it, so a reload never disturbs a request in
flight; loaded and compiled versions are cached per snapshot. The worker processes of one service
share a generation file: a reload in one replaces it, and every other worker rescans before it
answers its next request (one ``stat`` per request), so a reload reaches every worker.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from .. import refs as _refs
from .. import versions as _versions
from ..compiled import CompiledContract
from ..contract import Contract
from ..errors import NotFoundError, UsageError
from ..loader import load, read_info

T = TypeVar("T")


def check_version(version: str) -> str:
    """Refuse a version that is not semver (and so could not name another folder)."""
    if not _versions.is_version(version):
        raise UsageError(f"{version!r} is not a semantic version", hint="e.g. 1.2.0 or 2.0.0-rc.1")
    return version


@dataclass
class Snapshot:
    """The contract names and versions found under the contracts folder at one moment."""

    root: Path
    versions: dict[str, list[str]]
    _cache: dict[tuple[str, str, str], Any] = field(default_factory=dict)
    _lock: threading.RLock = field(default_factory=threading.RLock)
    _latest: dict[str, str] = field(default_factory=dict)

    def names(self) -> list[str]:
        """Contract names, sorted."""
        return sorted(self.versions)

    def versions_of(self, name: str) -> list[str]:
        """Versions of a contract, oldest first; NotFoundError (listing contracts) when unknown."""
        _refs.check_name(name)
        if name not in self.versions:
            raise NotFoundError("contract", name, self.names())
        return self.versions[name]

    def latest(self, name: str) -> str:
        """The newest released version, else the newest pre-release."""
        found = self._latest.get(name)
        if found is None:  # a snapshot never changes: worked out once per contract
            known = self.versions_of(name)
            found = self._latest[name] = _versions.newest_match(known, None) or known[-1]
        return found

    def ref(self, name: str, version: str) -> _refs.VersionRef:
        """The folder of one version; 404-style errors list what exists."""
        check_version(version)
        known = self.versions_of(name)
        if version not in known:
            raise NotFoundError("version", f"{name}@{version}", known)
        folder = self.root / name / version
        return _refs.VersionRef(name, version, folder, folder / _refs.OPENAPI_FILE)

    def resolve(self, ref: str) -> _refs.VersionRef:
        """A ``NAME[@VERSION|@MAJOR[.MINOR]]`` reference (never a filesystem path) to one version."""
        name, _, spec = ref.partition("@")
        known = self.versions_of(name)
        if spec and _versions.is_version(spec):
            return self.ref(name, spec)
        version = _versions.newest_match(known, spec or None)
        if version is None:
            raise NotFoundError("version", ref, known)
        return self.ref(name, version)

    def contract(self, name: str, version: str) -> Contract:
        """The loaded contract version (cached)."""
        vref = self.ref(name, version)
        return self._cached(("contract", name, version), lambda: load(vref))

    def info(self, name: str, version: str) -> Mapping[str, Any]:
        """A version's ``info``: the loaded contract's when loaded already, else read alone from its document."""
        loaded = self._cache.get(("contract", name, version))
        if loaded is not None:
            found = loaded.document.get("info")
            return found if isinstance(found, Mapping) else {}
        vref = self.ref(name, version)
        return self._cached(("info", name, version), lambda: read_info(vref))

    def compiled(self, name: str, version: str) -> CompiledContract:
        """The compiled contract version (cached)."""
        contract = self.contract(name, version)
        return self._cached(("compiled", name, version), lambda: CompiledContract(contract))

    def cached(self, kind: str, name: str, version: str, build: Callable[[], T]) -> T:
        """Any per-version value built once per snapshot (bundles, mock apps)."""
        self.ref(name, version)
        return self._cached((kind, name, version), build)

    def whole(self, kind: str, build: Callable[[], T]) -> T:
        """A value built once per snapshot from all of it (the catalogue page's cards)."""
        return self._cached((kind, "", ""), build)

    def _cached(self, key: tuple[str, str, str], build: Callable[[], T]) -> T:
        found = self._cache.get(key)
        if found is not None:
            return found  # type: ignore[no-any-return]
        with self._lock:
            if key not in self._cache:
                self._cache[key] = build()
            return self._cache[key]  # type: ignore[no-any-return]


def scan(root: Path) -> Snapshot:
    """Read the names and versions under ``root`` (only version folders holding an openapi.yaml)."""
    found: dict[str, list[str]] = {}
    for name in _refs.list_contracts(root):
        versions = [v for v in _refs.list_versions(root, name) if (root / name / v / _refs.OPENAPI_FILE).is_file()]
        if versions:
            found[name] = versions
    return Snapshot(root, found)


class Catalogue:
    """The current snapshot of the contracts folder; :meth:`reload` swaps in a fresh one atomically.

    ``shared`` is the generation file of the workers serving together (None: this process alone).
    """

    def __init__(self, root: Path, shared: Path | None = None) -> None:
        self.root = root
        self._shared = shared
        self._lock = threading.Lock()
        self._seen = self._generation()
        self._snapshot = scan(root)

    @property
    def current(self) -> Snapshot:
        """The snapshot a request should use from start to end (rescanned if another worker reloaded)."""
        if self._shared is not None and self._generation() != self._seen:
            with self._lock:
                generation = self._generation()
                if generation != self._seen:
                    self._snapshot = scan(self.root)
                    self._seen = generation
        return self._snapshot

    def reload(self) -> Snapshot:
        """Rescan the folder (and have the other workers do so); requests already running keep theirs."""
        fresh = scan(self.root)
        self._snapshot = fresh  # one reference assignment: atomic for readers
        if self._shared is not None:
            with self._lock:
                staged = self._shared.with_name(f"{self._shared.name}.{os.getpid()}")
                staged.write_text(str(os.getpid()))
                staged.replace(self._shared)  # a new file each time: its inode tells the others
                self._seen = self._generation()
        return fresh

    def _generation(self) -> tuple[int, int] | None:
        if self._shared is None:
            return None
        try:
            found = self._shared.stat()
        except FileNotFoundError:
            return None
        return found.st_ino, found.st_mtime_ns
