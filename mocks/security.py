"""The contract's ``security`` enforced as a real API would: a missing credential gets 401.

Any present credential is accepted (the mock cannot know real tokens). An operation is satisfied when
one of its requirement alternatives has every scheme's credential present; an empty alternative
(``{}``) makes the credential optional. ``mutualTLS`` cannot be seen from HTTP and counts as present.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from validator.contract import Contract, Operation
from validator.problems import Problem


@dataclass(frozen=True, slots=True)
class _Scheme:
    name: str
    kind: str  # http, apiKey, oauth2, openIdConnect, mutualTLS
    http_scheme: str = ""  # bearer, basic, ... (kind http)
    location: str = ""  # header, query, cookie (kind apiKey)
    key: str = ""  # the header, query or cookie name (kind apiKey)

    def present(self, headers: Mapping[str, str], query: Mapping[str, str], cookies: Mapping[str, str]) -> bool:
        if self.kind == "apiKey":
            source = {"header": headers, "query": query, "cookie": cookies}.get(self.location, {})
            return bool(source.get(self.key.lower() if self.location == "header" else self.key, "").strip())
        if self.kind in ("http", "oauth2", "openIdConnect"):
            scheme, _, credential = headers.get("authorization", "").strip().partition(" ")
            wanted = self.http_scheme if self.kind == "http" else "bearer"
            return scheme.lower() == wanted and bool(credential.strip())
        return True  # mutualTLS: below HTTP

    def challenge(self, realm: str) -> str:
        """This scheme's ``WWW-Authenticate`` challenge."""
        if self.kind == "apiKey":
            return f'ApiKey realm="{realm}", in="{self.location}", name="{self.key}"'
        scheme = self.http_scheme.capitalize() if self.kind == "http" else "Bearer"
        return f'{scheme} realm="{realm}"'

    def describe(self) -> str:
        if self.kind == "apiKey":
            return f"{self.name} (API key in {self.location} {self.key!r})"
        if self.kind == "http":
            return f"{self.name} (Authorization: {self.http_scheme.capitalize()} ...)"
        return f"{self.name} (Authorization: Bearer ...)"


Denied = tuple[Problem, tuple[tuple[str, str], ...]]  # why a request is refused, and its WWW-Authenticate challenges


class Guard:
    """Checks one operation's credentials; None when satisfied, else the problem and the challenges."""

    def __init__(self, contract: Contract, op: Operation) -> None:
        schemes = _schemes(contract.document)
        self._alternatives = [[schemes[name] for name in requirement if name in schemes] for requirement in op.security]
        self._realm = contract.name

    @property
    def needed(self) -> bool:
        """Whether the operation requires any credential at all."""
        return bool(self._alternatives) and all(self._alternatives)

    def check(self, headers: Mapping[str, str], query: Mapping[str, str]) -> Denied | None:
        """None when one alternative is satisfied; else the problem and ``WWW-Authenticate`` headers."""
        if not self.needed:
            return None
        cookies = _cookies(headers.get("cookie", ""))
        if any(all(s.present(headers, query, cookies) for s in alt) for alt in self._alternatives):
            return None
        options = " or ".join(" and ".join(s.describe() for s in alt) for alt in self._alternatives)
        problem = Problem("", f"credentials required: {options}", location="security", keyword="security")
        challenges = {s.challenge(self._realm): None for alt in self._alternatives for s in alt}
        return problem, tuple(("www-authenticate", c) for c in challenges)


def cookie_values(header: str) -> list[str]:
    """The values of a ``Cookie`` header's cookies."""
    return list(_cookies(header).values())


def _schemes(document: Mapping[str, Any]) -> dict[str, _Scheme]:
    components = document.get("components")
    raw = components.get("securitySchemes") if isinstance(components, dict) else None
    out: dict[str, _Scheme] = {}
    for name, spec in (raw or {}).items():
        if not isinstance(spec, dict):
            continue
        kind = str(spec.get("type", ""))
        out[name] = _Scheme(
            name,
            kind,
            http_scheme=str(spec.get("scheme", "bearer")).lower(),
            location=str(spec.get("in", "")),
            key=str(spec.get("name", "")),
        )
    return out


def _cookies(header: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for part in header.split(";"):
        key, sep, value = part.strip().partition("=")
        if sep:
            out[key] = value
    return out
