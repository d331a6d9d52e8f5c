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

from . import _kinds, complexity, limits, upgrade
from . import refs as _refs
from ._build import build_operations
from ._yaml import parse_member, parse_text
from .contract import Contract
from .errors import EscapingReferenceError, LoadError, RemoteReferenceError
from .pointers import escape_token, unescape_token

# How many files one contract version may reference; CONTRACTS_MAX_FILES overrides it. Large public
# descriptions split into thousands of files (one per schema), so the default is generous; it still
# bounds what a contract can make the loader read.
MAX_FILES = 5000
MAX_FILES_VARIABLE = "CONTRACTS_MAX_FILES"

# Values that are data, not schema or OpenAPI structure: a "$ref" inside them is not a reference.
_DATA_KEYS = frozenset({"example", "default", "const", "enum"})
# Maps whose keys are names chosen by the author, never keywords: `responses: {default: ...}` is the
# default response (not a schema's data `default`), a property may be called `example`.
_NAME_MAPS = frozenset(
    {
        *("properties", "patternProperties", "$defs", "definitions", "dependentSchemas", "schemas"),
        *("paths", "webhooks", "pathItems", "responses", "content", "headers", "parameters", "requestBodies"),
        *("callbacks", "links", "securitySchemes", "encoding"),
    }
)


def load(ref: str | _refs.VersionRef, root: Path | None = None, *, collect: list[LoadError] | None = None) -> Contract:
    """Resolve a contract reference and load that version (see :func:`load_document` for ``collect``)."""
    vref = ref if isinstance(ref, _refs.VersionRef) else _refs.resolve(ref, root)
    text = _document_text(vref.document)
    return load_document(
        text, folder=vref.folder, name=vref.name, version=vref.version, filename=vref.document.name, collect=collect
    )


def read_info(vref: _refs.VersionRef) -> Mapping[str, Any]:
    """A version's ``info`` read alone: no references followed, no schema read (listing many versions)."""
    path = vref.document
    found = parse_member(_document_text(path), str(path), "info")
    return found if isinstance(found, Mapping) else {}


def _document_text(path: Path) -> str:
    if not path.is_file():
        raise LoadError("file not found", file=str(path))
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise LoadError(f"not UTF-8 text ({exc.reason} at byte {exc.start})", file=str(path)) from None


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
    loader = _Loader(root, folder is not None, max_files())
    loader.add(base_uri, data, lines)
    refs = loader.crawl(collect)
    if collect:
        raise collect[0]
    kinds = object_kinds(base_uri, refs)
    conversion = None
    if upgrade.is_30(data):
        converted = upgrade.convert(base_uri, loader.resources, loader.lines, kinds, refs)
        loader.resources, loader.lines, conversion = converted
        data = loader.resources[base_uri]
    registry = loader.registry()
    operations, events = build_operations(base_uri, data, registry, loader.lines)
    contract = Contract(
        name=name,
        version=version,
        folder=str(root),
        base_uri=base_uri,
        document=data,
        resources=dict(loader.resources),
        lines=dict(loader.lines),
        operations=tuple(operations),
        kinds=kinds,
        events=tuple(events),
        conversion=conversion,
    )
    # Before anything evaluates a schema: an in-place $ref cycle or an expansion bomb stops here.
    complexity.check_contract(contract, limits.current().expansion)
    return contract


def max_files() -> int:
    """The file cap: ``CONTRACTS_MAX_FILES`` when set to a positive integer, else :data:`MAX_FILES`."""
    raw = os.environ.get(MAX_FILES_VARIABLE, "").strip()
    if raw.isdigit() and int(raw) > 0:
        return int(raw)
    return MAX_FILES


def object_kinds(base_uri: str, refs: list[tuple[str, str, str]]) -> dict[str, str]:
    """The kind of OpenAPI object (``schema``, ``parameter``, ...) each reference target holds.

    A target's kind is the kind expected where a reference to it stands, worked out from the
    nearest enclosing place whose kind is known (the document's root, or another target).
    """
    known: dict[str, dict[str, str]] = {base_uri: {"": _kinds.DOCUMENT}}
    pending = list(refs)
    while pending:
        unresolved = []
        for uri, pointer, target in pending:
            kind = _kind_of_place(known.get(uri, {}), pointer)
            if kind is None:
                unresolved.append((uri, pointer, target))
                continue
            file_uri, fragment = urldefrag(target)
            known.setdefault(file_uri, {}).setdefault(unquote(fragment), kind)
        if len(unresolved) == len(pending):
            break  # the rest hang off files that nothing of known kind references
        pending = unresolved
    return {f"{uri}#{fragment}": kind for uri, anchors in known.items() for fragment, kind in anchors.items()}


def _kind_of_place(anchors: dict[str, str], pointer: str) -> str | None:
    """The kind at ``pointer`` of a file, from its deepest anchor (a place of known kind) above it."""
    # The pointer itself, then each shorter prefix at a token boundary: the first anchor met is the
    # deepest (scanning every anchor per reference was references x anchors: 6.7 million comparisons
    # on a GitHub-shaped description).
    best = pointer
    while best not in anchors:
        if not best:
            return None
        best = best[: best.rfind("/")] if "/" in best else ""
    rest = pointer[len(best) :]
    tokens = [unescape_token(t) for t in rest.split("/")[1:]] if rest else []
    return _kinds.kind_at(anchors[best], tokens)


class _Loader:
    def __init__(self, folder: Path, may_read: bool, max_files: int = MAX_FILES) -> None:
        self.folder = folder
        self.may_read = may_read
        self.max_files = max_files
        self.over_cap = False  # the cap was reached: reported once, later files are not read
        self.resources: dict[str, Any] = {}
        self.lines: dict[str, Mapping[str, int]] = {}
        self._pending: list[str] = []
        self._inside: dict[str, bool] = {}  # file URI -> whether it lies inside the version folder

    def add(self, uri: str, data: Any, lines: Mapping[str, int]) -> None:
        self.resources[uri] = data
        self.lines[uri] = lines
        self._pending.append(uri)

    def crawl(self, collect: list[LoadError] | None = None) -> list[tuple[str, str, str]]:
        """Follow every ``$ref`` of every loaded file, retrieving targets; check each fragment resolves.

        The first bad reference raises, unless ``collect`` is given: then every one is appended to it.
        Returns every reference as (file URI, pointer, absolute target URI).
        """
        checks: list[tuple[str, str, str]] = []
        while self._pending:
            uri = self._pending.pop()
            for pointer, ref in iter_refs(self.resources[uri]):
                try:
                    target = self.check_ref(ref, uri, pointer)
                    file_uri, _fragment = urldefrag(target)
                    if file_uri not in self.resources:
                        if len(self.resources) >= self.max_files:
                            if self.over_cap:
                                continue  # reported once, at the first reference past the cap
                            self.over_cap = True
                            raise self.error(
                                LoadError,
                                uri,
                                pointer,
                                f"this contract references more than {self.max_files} files; "
                                f"{self.shown(file_uri)!r} and the files after it were not read",
                                f"raise the cap with the environment variable {MAX_FILES_VARIABLE}=N "
                                "(or bundle the description into fewer files)",
                            )
                        parsed_data, parsed_lines = self.retrieve(file_uri, uri, pointer)
                        self.add(file_uri, parsed_data, parsed_lines)
                except LoadError as exc:
                    if collect is None:
                        raise
                    collect.append(exc)
                    continue
                checks.append((uri, pointer, target))
        registry = self.registry()
        resolves: set[str] = set()  # targets already looked up: a shared schema is referenced hundreds of times
        for uri, pointer, target in checks:
            if target in resolves:
                continue
            if urldefrag(target)[0] not in self.resources:
                continue  # past the file cap: already reported
            try:
                registry.resolver(uri).lookup(target)
                resolves.add(target)
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
        return checks

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
        inside = self._inside.get(file_uri)
        if inside is None:  # one realpath per file, not per reference
            inside = self._inside[file_uri] = _inside(Path(unquote(urlsplit(file_uri).path)), self.folder)
        if not inside:
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

    def retrieve(self, file_uri: str, from_uri: str, pointer: str) -> tuple[Any, Mapping[str, int]]:
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
                elif key in _DATA_KEYS or key.startswith("x-"):
                    continue  # data, or an extension: free-form, so a "$ref" in it is not a reference (Bump's x-topics)
                elif key == "examples":
                    if isinstance(value, dict):  # OpenAPI Example objects: skip their literal values
                        stack.extend(
                            (
                                {k: v for k, v in ex.items() if k not in ("value", "dataValue")},
                                f"{child}/{escape_token(n)}",
                                False,
                            )
                            for n, ex in value.items()
                            if isinstance(ex, dict)
                        )
                else:
                    stack.append((value, child, key in _NAME_MAPS))
        elif isinstance(node, list):
            stack.extend((v, f"{ptr}/{i}", False) for i, v in enumerate(node))
