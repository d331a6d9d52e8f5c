"""One self-contained OpenAPI document per contract version: external schema files become components.

Each file reached by a relative ``$ref`` is placed under ``components/schemas`` (named after the
file) and every reference to it, or into it, is rewritten to point there. The service answers with
this document; the contract tests hand it to their generation engine, which so never resolves (and
never fetches) a reference itself.
"""

from __future__ import annotations

import copy
import re
from typing import Any
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

from .contract import Contract
from .loader import iter_refs
from .pointers import escape_token, resolve_pointer

_SUFFIXES = (".schema.json", ".schema.yaml", ".schema.yml", ".json", ".yaml", ".yml")


def bundle(contract: Contract, *, strip: tuple[str, ...] = ("$id",)) -> dict[str, Any]:
    """The contract's OpenAPI document with every external file inlined under ``components/schemas``.

    ``strip`` names the top-level keys dropped from each inlined file: an ``$id`` would re-base the
    rewritten references (the file's location is its identity here).
    """
    document = copy.deepcopy(dict(contract.document))
    externals = [uri for uri in contract.resources if uri != contract.base_uri]
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    names = _component_names(externals, set(schemas))
    for uri in externals:
        embedded = copy.deepcopy(contract.resources[uri])
        if isinstance(embedded, dict):
            for key in strip:
                embedded.pop(key, None)
        schemas[names[uri]] = _rewrite(embedded, uri, contract.base_uri, names)
    _rewrite(document, contract.base_uri, contract.base_uri, names)
    return document


def _component_names(uris: list[str], taken: set[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for uri in sorted(uris):
        stem = unquote(urlsplit(uri).path).rsplit("/", 1)[-1]
        for suffix in _SUFFIXES:
            if stem.endswith(suffix):
                stem = stem[: -len(suffix)]
                break
        stem = re.sub(r"[^A-Za-z0-9._-]", "_", stem) or "schema"
        name, n = stem, 2
        while name in taken:
            name, n = f"{stem}-{n}", n + 1
        taken.add(name)
        out[uri] = name
    return out


def _rewrite(data: Any, file_uri: str, base_uri: str, names: dict[str, str]) -> Any:
    """Point every ``$ref`` of ``data`` (a file at ``file_uri``) into the bundled document."""
    for pointer, ref in list(iter_refs(data)):
        target_file, fragment = urldefrag(urljoin(file_uri, ref))
        if target_file == base_uri:
            new = "#" + fragment
        elif target_file in names:
            new = "#/components/schemas/" + escape_token(names[target_file]) + fragment
        else:
            continue  # the loader refused anything else already
        holder = resolve_pointer(data, pointer)
        if isinstance(holder, dict):
            holder["$ref"] = new
    return data
