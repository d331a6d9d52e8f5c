"""An operation's ``security``: which schemes it needs and where each one's credential travels.

OpenAPI: ``security`` is a list of alternatives, each naming schemes that must all be present; an
empty requirement (``{}``) makes credentials optional. One reading serves the mock (a request without
credentials gets 401, ``mocks/security.py``; its CORS headers), the contract tests (a valid request is
sent once without them, check ``auth_enforced``) and redaction (API-key names are never shown).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from .contract import Contract, Operation

# The ``type`` of a security scheme, and where an API key travels (its ``in``).
SchemeKind = Literal["http", "apiKey", "oauth2", "openIdConnect", "mutualTLS"]
SCHEME_KINDS: tuple[SchemeKind, ...] = ("http", "apiKey", "oauth2", "openIdConnect", "mutualTLS")
KeyLocation = Literal["header", "query", "cookie"]
KEY_LOCATIONS: tuple[KeyLocation, ...] = ("header", "query", "cookie")


@dataclass(frozen=True, slots=True)
class Scheme:
    """One security scheme: its kind and, for an API key, where the key travels."""

    # None where the document writes a value OpenAPI does not define (lint reports it): such a
    # scheme, like mutualTLS, is not seen in the HTTP request.
    name: str
    kind: SchemeKind | None
    http_scheme: str = ""  # bearer, basic, ... (kind http)
    location: KeyLocation | None = None  # kind apiKey
    key: str = ""  # the header, query or cookie name (kind apiKey)

    @property
    def visible(self) -> bool:
        """Whether the credential travels in the HTTP request (mutualTLS and unknown kinds do not)."""
        if self.kind == "apiKey":
            return self.location is not None and bool(self.key)
        return self.kind in ("http", "oauth2", "openIdConnect")

    @property
    def carrier(self) -> tuple[str, str]:
        """Where the credential travels: (``header``|``query``|``cookie``, its name); for a visible scheme."""
        return (self.location or "", self.key) if self.kind == "apiKey" else ("header", "Authorization")

    def present(self, headers: Mapping[str, str], query: Mapping[str, str], cookies: Mapping[str, str]) -> bool:
        """Whether the request (lower-case header names) carries this scheme's credential."""
        if self.kind == "apiKey":
            source = {"header": headers, "query": query, "cookie": cookies}.get(self.location or "", {})
            return bool(source.get(self.key.lower() if self.location == "header" else self.key, "").strip())
        if self.kind in ("http", "oauth2", "openIdConnect"):
            scheme, _, credential = headers.get("authorization", "").strip().partition(" ")
            wanted = self.http_scheme if self.kind == "http" else "bearer"
            return scheme.lower() == wanted and bool(credential.strip())
        return True  # mutualTLS: below HTTP

    def describe(self) -> str:
        """How a person names this credential in a message."""
        if self.kind == "apiKey":
            return f"{self.name} (API key in {self.location or 'an unknown place'} {self.key!r})"
        if self.kind == "http":
            return f"{self.name} (Authorization: {self.http_scheme.capitalize()} ...)"
        return f"{self.name} (Authorization: Bearer ...)"


def schemes(contract: Contract) -> dict[str, Scheme]:
    """``components.securitySchemes`` of the contract, by name (only the schemes written inline)."""
    return schemes_in(contract.document)


def schemes_in(document: Mapping[str, Any] | None) -> dict[str, Scheme]:
    """``components.securitySchemes`` of an OpenAPI document, by name (only the schemes written inline)."""
    components = document.get("components") if isinstance(document, Mapping) else None
    raw = components.get("securitySchemes") if isinstance(components, Mapping) else None
    out: dict[str, Scheme] = {}
    for name, spec in (raw if isinstance(raw, Mapping) else {}).items():
        if isinstance(spec, Mapping):
            out[name] = _scheme(name, spec)
    return out


def alternatives(contract: Contract, op: Operation) -> list[list[Scheme]]:
    """``op``'s requirement alternatives as schemes; empty when it needs no credential at all.

    An empty alternative (``{}``) makes credentials optional, so nothing is needed; a scheme name
    the document does not define is left out (lint reports it).
    """
    known = schemes(contract)
    out = [[known[name] for name in requirement if name in known] for requirement in op.security]
    return out if out and all(out) else []


def cookies(header: str) -> dict[str, str]:
    """The name/value pairs of a ``Cookie`` header."""
    out: dict[str, str] = {}
    for part in header.split(";"):
        key, sep, value = part.strip().partition("=")
        if sep:
            out[key] = value
    return out


def _scheme(name: str, spec: Mapping[str, Any]) -> Scheme:
    return Scheme(
        name,
        next((kind for kind in SCHEME_KINDS if kind == spec.get("type")), None),
        http_scheme=str(spec.get("scheme", "bearer")).lower(),
        location=next((where for where in KEY_LOCATIONS if where == spec.get("in")), None),
        key=str(spec.get("name", "")),
    )
