"""One self-contained OpenAPI document from a loaded contract, for the generation engine.

Every file the loader read is embedded under ``components/schemas`` and every ``$ref`` is rewritten
to a local pointer, so Schemathesis never resolves (and so never fetches) anything itself.
"""

from __future__ import annotations

import copy
from typing import Any
from urllib.parse import urldefrag, urljoin

from ..contract import Contract
from ..loader import iter_refs
from ..problems import escape_token, split_pointer

_PREFIX = "x-contracts-file-"


def bundle(contract: Contract) -> dict[str, Any]:
    """The contract's document with every referenced file inlined and every ``$ref`` made local."""
    others = [uri for uri in contract.resources if uri != contract.base_uri]
    homes = {contract.base_uri: ""}
    homes.update(
        {uri: f"/components/schemas/{escape_token(_PREFIX + str(i))}" for i, uri in enumerate(others)}
    )
    document: dict[str, Any] = _rewrite(contract.base_uri, contract.document, homes)
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    for i, uri in enumerate(others):
        embedded = _rewrite(uri, contract.resources[uri], homes)
        if isinstance(embedded, dict):
            # Identifiers would re-base the rewritten references; the file's location is its identity here.
            embedded.pop("$id", None)
            embedded.pop("$schema", None)
        schemas[_PREFIX + str(i)] = embedded
    return document


def _rewrite(uri: str, data: Any, homes: dict[str, str]) -> Any:
    out = copy.deepcopy(data if not hasattr(data, "items") else dict(data))
    for pointer, ref in list(iter_refs(out)):
        holder = out
        for token in split_pointer(pointer):
            holder = holder[int(token)] if isinstance(holder, list) else holder[token]
        file_uri, fragment = urldefrag(urljoin(uri, ref))
        home = homes.get(file_uri)
        if home is not None:  # the loader already refused anything outside the contract
            holder["$ref"] = "#" + home + fragment
    return out
