"""Contract references: ``NAME@VERSION | NAME@MAJOR[.MINOR] | NAME | path`` to a version folder."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from . import versions
from .errors import NotFoundError, UsageError

OPENAPI_FILE = "openapi.yaml"
NAME_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_REF_FORMS = "use NAME, NAME@VERSION, NAME@MAJOR, NAME@MAJOR.MINOR or a path to a version folder"


@dataclass(frozen=True, slots=True)
class VersionRef:
    """A resolved reference: the contract name, its version and the folder holding it."""

    name: str
    version: str
    folder: Path
    document: Path  # the OpenAPI file, normally folder/openapi.yaml

    def __str__(self) -> str:
        return f"{self.name}@{self.version}"


def contracts_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The contracts folder: the explicit one, else ``$CONTRACTS_DIR``, else ``./contracts``."""
    return Path(explicit or os.environ.get("CONTRACTS_DIR") or "contracts")


def list_contracts(root: Path) -> list[str]:
    """Names of the contracts under ``root`` (folders with a kebab-case name)."""
    if not root.is_dir():
        return []
    return sorted(p.name for p in root.iterdir() if p.is_dir() and NAME_RE.match(p.name))


def list_versions(root: Path, name: str) -> list[str]:
    """Versions of contract ``name``, oldest first (folders named by a semantic version)."""
    folder = root / name
    if not folder.is_dir():
        return []
    return versions.ordered(p.name for p in folder.iterdir() if p.is_dir())


def check_name(name: str) -> str:
    """Refuse a contract name that is not kebab-case (and so could not traverse the filesystem)."""
    if not NAME_RE.match(name):
        raise UsageError(
            f"{name!r} is not a contract name", hint="contract names are kebab-case, e.g. recommendation-api"
        )
    return name


def resolve(ref: str, root: Path | None = None) -> VersionRef:
    """Resolve a reference to one version folder; raise NotFoundError listing what exists."""
    root = root if root is not None else contracts_dir()
    if not ref.strip():
        # Path("") is the working directory; an empty argument is a mistake, not a request for it.
        raise UsageError("empty contract reference", hint=_REF_FORMS)
    as_path = Path(ref)
    if ("/" in ref or ref.endswith((".yaml", ".yml", ".json")) or ref in (".", "..")) and as_path.exists():
        return _from_path(as_path)
    name, at, spec = ref.partition("@")
    if not NAME_RE.match(name):
        if as_path.exists():
            return _from_path(as_path)
        raise UsageError(f"{ref!r} is neither a contract reference nor an existing path", hint=_REF_FORMS)
    if at and not spec:
        raise UsageError(f"{ref!r} has nothing after '@'", hint=f"e.g. {name}@1, {name}@1.1 or {name}@1.1.0")
    available = list_contracts(root)
    if name not in available:
        raise NotFoundError("contract", name, available, hint=f"contracts are looked up in {root}/")
    known = list_versions(root, name)
    if spec and versions.is_version(spec):
        if spec not in known:
            raise NotFoundError("version", f"{name}@{spec}", known)
        version = spec
    else:
        match = versions.newest_match(known, spec or None)
        if match is None:
            what = f"{name}@{spec}" if spec else f"{name} (released)"
            raise NotFoundError("version", what, known)
        version = match
    folder = root / name / version
    if not (folder / OPENAPI_FILE).is_file():
        raise NotFoundError("version", f"{name}@{version}", known, hint=f"{folder}/{OPENAPI_FILE} is missing")
    return VersionRef(name, version, folder, folder / OPENAPI_FILE)


def _from_path(path: Path) -> VersionRef:
    path = path.resolve()
    if path.is_file():
        folder = path.parent
        if path.name != OPENAPI_FILE:
            # Any OpenAPI file name is accepted; the folder still names the version.
            return VersionRef(folder.parent.name, folder.name, folder, path)
    else:
        folder = path
        if not (folder / OPENAPI_FILE).is_file():
            raise UsageError(
                f"{folder} holds no {OPENAPI_FILE}", hint="point at a version folder such as contracts/NAME/1.0.0"
            )
    return VersionRef(folder.parent.name, folder.name, folder, folder / OPENAPI_FILE)
