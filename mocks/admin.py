"""The mock's own endpoints under ``/__mock/``: health, the contract as served, interactive docs.

The docs page is Swagger UI 5 (it renders OpenAPI 3.1), served from files vendored into this package
(``_docs_assets/``, from the npm package pinned in ``vendor/docs-ui/``): the machine may be offline, so
no CDN. Every URL on the page is relative, so it works under a mount.
"""

from __future__ import annotations

import html
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import orjson

from validator.contract import Contract
from validator.payload import dumps

PREFIX = "/__mock/"
_ASSETS = {
    "swagger-ui.css": "text/css; charset=utf-8",
    "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
    "favicon-32x32.png": "image/png",
}

_PAGE = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>{title} {version} (mock)</title>
  <link rel="stylesheet" href="docs-assets/swagger-ui.css">
  <link rel="icon" type="image/png" href="docs-assets/favicon-32x32.png">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="docs-assets/swagger-ui-bundle.js"></script>
  <script>
    window.ui = SwaggerUIBundle({{url: "openapi.json", dom_id: "#swagger-ui", deepLinking: true}});
  </script>
</body>
</html>
"""


class Admin:
    """Answers ``/__mock/...`` requests: a (status, content type, body) triple, or None when unknown."""

    def __init__(self, contract: Contract) -> None:
        self.contract = contract
        self._health = orjson.dumps(
            {
                "status": "ok",
                "contract": contract.name,
                "version": contract.version,
                "operations": len(contract.operations),
            }
        )
        page = _PAGE.format(title=html.escape(contract.title), version=html.escape(contract.version))
        self._page = page.encode()
        self._files = _resource_files(contract)
        self._openapi: dict[str, bytes] = {}  # by root path
        self._assets: dict[str, bytes] = {}

    def answer(self, sub: str, root_path: str) -> tuple[int, str, bytes] | None:
        """The answer for ``/__mock/<sub>``."""
        if sub == "health":
            return 200, "application/json", self._health
        if sub == "openapi.json":
            return 200, "application/json", self.openapi(root_path)
        if sub == "docs":
            return 200, "text/html; charset=utf-8", self._page
        if sub.startswith("docs-assets/") and sub[12:] in _ASSETS:
            name = sub[12:]
            body = self._asset(name)
            return (200, _ASSETS[name], body) if body is not None else None
        if sub in self._files:
            return 200, "application/json", self._files[sub]
        return None

    def openapi(self, root_path: str) -> bytes:
        """The contract as served: its document with ``servers`` pointing at this mock."""
        found = self._openapi.get(root_path)
        if found is None:
            document: dict[str, Any] = dict(self.contract.document)
            document["servers"] = [{"url": root_path or "/", "description": "contracts mock"}]
            found = self._openapi[root_path] = dumps(document)
        return found

    def _asset(self, name: str) -> bytes | None:
        if name not in self._assets:
            folder = swagger_ui_folder()
            if folder is None:
                return None
            self._assets[name] = (folder / name).read_bytes()
        return self._assets[name]


def swagger_ui_folder() -> Traversable | None:
    """The folder of the vendored Swagger UI distribution files (None in a broken install)."""
    folder = resources.files("mocks") / "_docs_assets"
    return folder if (folder / "swagger-ui-bundle.js").is_file() else None


def swagger_ui_version() -> str | None:
    """The vendored Swagger UI's version, as written by ``scripts/vendor-docs-ui.sh``."""
    folder = swagger_ui_folder()
    return None if folder is None else (folder / "VERSION").read_text().strip()


def _resource_files(contract: Contract) -> dict[str, bytes]:
    """Every file the document references, by its path relative to the version folder (for ``$ref``)."""
    folder = Path(contract.folder)
    out: dict[str, bytes] = {}
    for uri, data in contract.resources.items():
        if uri == contract.base_uri or not uri.startswith("file:"):
            continue
        try:
            relative = Path(unquote(urlsplit(uri).path)).relative_to(folder).as_posix()
        except ValueError:
            continue
        out[relative] = dumps(data)
    return out
