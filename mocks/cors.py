"""CORS for partners calling the mock from a browser, answered from the contract.

A preflight (``OPTIONS`` with ``Access-Control-Request-Method``) on a documented path lists that path's
documented methods and the request headers the contract names (its header parameters, the credentials
of its security schemes, and the few every JSON exchange needs). Allowed origins come from
``--cors-origin``; ``*`` admits any (the default when the mock listens on a loopback address).
"""

from __future__ import annotations

from collections.abc import Iterable

from validator import security
from validator.contract import Contract, Operation

from .interactions import Reply
from .rejections import mock_problem
from .routing import Route

ANY_ORIGIN = "*"
_ALWAYS_ALLOWED = ("accept", "content-type", "prefer", "x-request-id")
_MAX_AGE = "600"


class Cors:
    """Preflight answers and the headers added to every answer for an allowed origin."""

    def __init__(self, contract: Contract, origins: Iterable[str]) -> None:
        self.origins = frozenset(o.rstrip("/") for o in origins)
        self._credentials = _credential_headers(contract)
        self._exposed = ", ".join(sorted({"x-request-id", *_response_headers(contract.operations)}))

    @property
    def enabled(self) -> bool:
        """Whether any origin may call the mock from a browser."""
        return bool(self.origins)

    def allows(self, origin: str) -> bool:
        """Whether ``origin`` (the request's ``Origin`` header) may read the mock's answers."""
        return ANY_ORIGIN in self.origins or origin.rstrip("/") in self.origins

    def headers(self, origin: str) -> tuple[tuple[str, str], ...]:
        """Headers for an actual (non-preflight) answer to an allowed origin."""
        return (
            ("access-control-allow-origin", origin),
            ("access-control-expose-headers", self._exposed),
            ("vary", "Origin"),
        )

    def preflight(self, route: Route, origin: str, method: str, requested: str) -> Reply:
        """The answer to a preflight on ``route``: 204 with what the contract allows there, or 403."""
        if not self.allows(origin):
            allowed = ", ".join(sorted(self.origins)) or "none (start the mock with --cors-origin ORIGIN)"
            return mock_problem(403, f"origin {origin} may not call this mock; allowed origins: {allowed}")
        if method.upper() not in route.methods:
            detail = f"{method} is not documented for {route.template}; allowed: {route.allow}"
            return mock_problem(403, detail, headers=(("allow", route.allow), ("vary", "Origin")))
        documented = {*_ALWAYS_ALLOWED, *self._credentials}
        for op in route.methods.values():
            documented.update(p.name.lower() for p in op.parameters if p.location == "header")
        wanted = [h.strip().lower() for h in requested.split(",") if h.strip()]
        headers = (
            ("access-control-allow-origin", origin),
            ("access-control-allow-methods", route.allow),
            ("access-control-allow-headers", ", ".join(h for h in wanted if h in documented)),
            ("access-control-max-age", _MAX_AGE),
            ("vary", "Origin, Access-Control-Request-Method, Access-Control-Request-Headers"),
        )
        return Reply(204, None, b"", headers, "mock")


def default_origins(host: str, given: Iterable[str]) -> tuple[str, ...]:
    """``--cors-origin`` values, or any origin when none is given and the mock listens on loopback only."""
    chosen = tuple(given)
    if chosen:
        return chosen
    return (ANY_ORIGIN,) if host in ("127.0.0.1", "localhost", "::1") else ()


def _credential_headers(contract: Contract) -> set[str]:
    """Header names the contract's security schemes read credentials from."""
    carriers = (s.carrier for s in security.schemes(contract).values() if s.visible)
    return {name.lower() for where, name in carriers if where == "header"}


def _response_headers(operations: Iterable[Operation]) -> set[str]:
    """Every documented response header, so a browser script may read them."""
    return {
        header.name.lower()
        for op in operations
        for response in op.responses.values()
        for header in response.headers.values()
        if header.name.lower() != "content-type"
    }
