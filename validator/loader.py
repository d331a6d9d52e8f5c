"""Loading a contract version: safe reading, the single ``retrieve`` for ``$ref``, building the model.

:func:`retrieve` is the whole "references stay inside" policy: it reads only files inside the
version folder and refuses remote and absolute references, so nothing is ever fetched.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

import referencing
import referencing.exceptions
from referencing.jsonschema import DRAFT202012

from . import refs as _refs
from ._build import build_operations
from ._yaml import parse_text
from .contract import Contract
from .errors import EscapingReferenceError, LoadError, RemoteReferenceError
from .pointers import escape_token

MAX_FILES = 500

# Values that are data, not schema or OpenAPI structure: a "$ref" inside them is not a reference.
_DATA_KEYS = frozenset({"example", "default", "const", "enum"})
_NAME_MAPS = frozenset({"properties", "patternProperties", "$defs", "definitions", "dependentSchemas", "schemas"})


def load(ref: str | _refs.VersionRef, root: Path | None = None, *, collect: list[LoadError] | None = None) -> Contract:
    """Resolve a contract reference and load that version (see :func:`load_document` for ``collect``)."""
    vref = ref if isinstance(ref, _refs.VersionRef) else _refs.resolve(ref, root)
    path = vref.document
    if not path.is_file():
        raise LoadError("file not found", file=str(path))
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise LoadError(f"not UTF-8 text ({exc.reason} at byte {exc.start})", file=str(path)) from None
    return load_document(
        text, folder=vref.folder, name=vref.name, version=vref.version, filename=path.name, collect=collect
    )


def load_document(
    text_or_data: str | Mapping[str, Any],
    *,
    folder: Path | None = None,
    name: str = "candidate",
    version: str = "0.0.0",
    filename: str = _refs.OPENAPI_FILE,
    collect: list[LoadError] | None = None,
) -> Contract:
    """Load an OpenAPI document given as text or data; refs may reach files under ``folder`` only.

    With ``collect``, every bad reference is appended to it before the first one is raised.
    """
    root = (folder or Path("/__candidate__")).resolve() if folder else Path("/__candidate__")
    base_uri = (root / filename).as_uri()
    if isinstance(text_or_data, str):
        parsed = parse_text(text_or_data, base_uri)
        data, lines = parsed.data, parsed.lines
    else:
        data, lines = dict(text_or_data), {}
    if not isinstance(data, dict):
        raise LoadError(
            "an OpenAPI document must be a mapping",
            file=base_uri,
            hint="start the file with `openapi: 3.1.0`",
        )
    loader = _Loader(root, folder is not None)
    loader.add(base_uri, data, lines)
    loader.crawl(collect)
    if collect:
        raise collect[0]
    registry = loader.registry()
    operations = build_operations(base_uri, data, registry, loader.lines)
    return Contract(
        name=name,
        version=version,
        folder=str(root),
        base_uri=base_uri,
        document=data,
        resources=dict(loader.resources),
        lines=dict(loader.lines),
        operations=tuple(operations),
    )


class _Loader:
    def __init__(self, folder: Path, may_read: bool) -> None:
        self.folder = folder
        self.may_read = may_read
        self.resources: dict[str, Any] = {}
        self.lines: dict[str, dict[str, int]] = {}
        self._pending: list[str] = []

    def add(self, uri: str, data: Any, lines: dict[str, int]) -> None:
        self.resources[uri] = data
        self.lines[uri] = lines
        self._pending.append(uri)

    def crawl(self, collect: list[LoadError] | None = None) -> None:
        """Follow every ``$ref`` of every loaded file, retrieving targets; check each fragment resolves.

        The first bad reference raises, unless ``collect`` is given: then every one is appended to it.
        """
        checks: list[tuple[str, str, str]] = []
        while self._pending:
            uri = self._pending.pop()
            for pointer, ref in iter_refs(self.resources[uri]):
                try:
                    target = self.check_ref(ref, uri, pointer)
                    file_uri, _fragment = urldefrag(target)
                    if file_uri not in self.resources:
                        if len(self.resources) >= MAX_FILES:
                            raise LoadError(f"more than {MAX_FILES} files referenced", file=uri)
                        parsed_data, parsed_lines = self.retrieve(file_uri, uri, pointer)
                        self.add(file_uri, parsed_data, parsed_lines)
                except LoadError as exc:
                    if collect is None:
                        raise
                    collect.append(exc)
                    continue
                checks.append((uri, pointer, target))
        registry = self.registry()
        for uri, pointer, target in checks:
            try:
                registry.resolver(uri).lookup(target)
            except referencing.exceptions.Unresolvable:
                unresolved = self.error(
                    LoadError,
                    uri,
                    pointer,
                    f"$ref {self.shown(target)!r} does not resolve",
                    "check the JSON pointer after '#' (escape '/' as '~1' and '~' as '~0')",
                )
                if collect is None:
                    raise unresolved from None
                collect.append(unresolved)

    def shown(self, target: str) -> str:
        """A target URI as messages name it: relative to the version folder (``schemas/a.json#/x``)."""
        base, _, fragment = target.partition("#")
        path = Path(unquote(urlsplit(base).path))
        try:
            relative = path.relative_to(self.folder).as_posix()
        except ValueError:
            relative = str(path)
        return f"{relative}#{fragment}" if fragment else relative

    def line(self, uri: str, pointer: str) -> int | None:
        return self.lines.get(uri, {}).get(pointer)

    def check_ref(self, ref: str, uri: str, pointer: str) -> str:
        """Apply the policy to one reference; return its absolute target URI."""
        scheme = urlsplit(ref).scheme
        if (scheme and scheme != "file") or ref.startswith("//"):
            raise self.error(
                RemoteReferenceError,
                uri,
                pointer,
                f"remote $ref {ref!r} is refused (contracts never fetch over the network)",
                "copy the schema into this version folder (e.g. schemas/) and reference it relatively",
            )
        if scheme == "file" or ref.startswith("/") or (len(ref) > 1 and ref[1] == ":"):
            raise self.error(
                RemoteReferenceError,
                uri,
                pointer,
                f"absolute $ref {ref!r} is refused",
                "use a path relative to the referencing file, inside the version folder",
            )
        target = urljoin(uri, ref)
        file_uri = urldefrag(target)[0]
        path = Path(unquote(urlsplit(file_uri).path))
        if not _inside(path, self.folder):
            raise self.error(
                EscapingReferenceError,
                uri,
                pointer,
                f"$ref {ref!r} leaves the contract's version folder",
                "a version is self-contained: copy what it needs under its own folder",
            )
        return target

    def error(self, kind: type[LoadError], uri: str, pointer: str, message: str, hint: str) -> LoadError:
        """A load error located at ``pointer`` of the file ``uri``."""
        return kind(message, file=uri, pointer=pointer, line=self.line(uri, pointer), hint=hint)

    def retrieve(self, file_uri: str, from_uri: str, pointer: str) -> tuple[Any, dict[str, int]]:
        """The one function that reads a referenced file (already checked to be inside the folder)."""
        path = Path(unquote(urlsplit(file_uri).path))
        if not self.may_read:
            # A document given without a folder (a candidate sent to the service) has no files beside it.
            relative = path.relative_to(self.folder).as_posix()
            raise self.error(
                LoadError,
                from_uri,
                pointer,
                f"$ref to file {relative!r}: this document was given alone, without its folder",
                "bundle it: move the referenced schemas under components/schemas and use "
                "'#/components/schemas/...' references",
            )
        if not path.is_file():
            raise self.error(
                LoadError,
                from_uri,
                pointer,
                f"$ref target {self.shown(file_uri)!r} does not exist",
                "check the relative path from the referencing file",
            )
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise LoadError("not UTF-8 text", file=file_uri) from None
        parsed = parse_text(text, file_uri)
        return parsed.data, parsed.lines

    def registry(self) -> referencing.Registry[Any]:
        def refuse(uri: str) -> referencing.Resource[Any]:
            # Everything reachable was crawled already; anything else is outside the contract.
            raise referencing.exceptions.NoSuchResource(ref=uri)  # type: ignore[call-arg]

        resources = [(uri, DRAFT202012.create_resource(data)) for uri, data in self.resources.items()]
        return referencing.Registry(retrieve=refuse).with_resources(resources)  # type: ignore[call-arg]


def _inside(path: Path, folder: Path) -> bool:
    try:
        Path(os.path.realpath(path)).relative_to(os.path.realpath(folder))
    except ValueError:
        return False
    return True


def iter_refs(data: Any, pointer: str = "") -> Iterator[tuple[str, str]]:
    """Every ``$ref`` string in a document, with the pointer of the object holding it."""
    stack: list[tuple[Any, str, bool]] = [(data, pointer, False)]
    while stack:
        node, ptr, names = stack.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and not names:
                yield ptr, ref
            for key, value in node.items():
                child = f"{ptr}/{escape_token(key)}"
                if names:  # keys of this map are names (properties, $defs, ...), never keywords
                    stack.append((value, child, False))
                elif key in _DATA_KEYS:
                    continue
                elif key == "examples":
                    if isinstance(value, dict):  # OpenAPI Example objects: skip their literal values
                        stack.extend(
                            ({k: v for k, v in ex.items() if k != "value"}, f"{child}/{escape_token(n)}", False)
                            for n, ex in value.items()
                            if isinstance(ex, dict)
                        )
                else:
                    stack.append((value, child, key in _NAME_MAPS))
        elif isinstance(node, list):
            stack.extend((v, f"{ptr}/{i}", False) for i, v in enumerate(node))
