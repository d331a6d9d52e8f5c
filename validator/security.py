"""Where an operation's credentials travel, read from its ``security`` requirements and the schemes.

OpenAPI: ``security`` is a list of alternatives, each naming schemes that must all be present; an
empty requirement (``{}``) makes credentials optional. Contract tests use this to send a request
without credentials; the mock uses it to answer such a request with 401.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

from .contract import Contract, Operation


class Credential(NamedTuple):
    """One place a credential goes: ``header``, ``query`` or ``cookie``, and its name there."""

    location: str
    name: str


def schemes(contract: Contract) -> Mapping[str, Any]:
    """``components.securitySchemes`` of the document (only the schemes written inline)."""
    components = contract.document.get("components")
    found = components.get("securitySchemes") if isinstance(components, Mapping) else None
    return found if isinstance(found, Mapping) else {}


def credential_of(scheme: Any) -> Credential | None:
    """Where one security scheme's credential travels (http, oauth2, openIdConnect: Authorization)."""
    if not isinstance(scheme, Mapping):
        return None
    kind = scheme.get("type")
    if kind == "apiKey" and isinstance(scheme.get("name"), str) and scheme.get("in") in ("header", "query", "cookie"):
        return Credential(str(scheme["in"]), str(scheme["name"]))
    if kind in ("http", "oauth2", "openIdConnect"):
        return Credential("header", "Authorization")
    return None  # mutualTLS and unknown kinds travel outside the request


def requirements(contract: Contract, op: Operation) -> list[list[Credential]] | None:
    """The alternatives of ``op``'s security as credential lists; None when it needs none (or one is ``{}``)."""
    if not op.security:
        return None
    known = schemes(contract)
    out: list[list[Credential]] = []
    for requirement in op.security:
        if not requirement:
            return None  # an empty alternative: anonymous requests are allowed
        creds = [credential_of(known.get(name)) for name in requirement]
        if any(c is None for c in creds):
            continue  # a scheme we cannot see on the request (mutualTLS): never judged
        out.append([c for c in creds if c is not None])
    return out or None


def satisfied(
    alternatives: list[list[Credential]], headers: Mapping[str, str], query: Mapping[str, Any], cookies: str
) -> bool:
    """Whether a request (lower-case header names) carries every credential of at least one alternative."""
    cookie_names = {part.split("=", 1)[0].strip() for part in cookies.split(";") if "=" in part}

    def present(c: Credential) -> bool:
        if c.location == "header":
            return bool(headers.get(c.name.lower(), "").strip())
        if c.location == "query":
            return c.name in query
        return c.name in cookie_names

    return any(all(present(c) for c in alternative) for alternative in alternatives)
