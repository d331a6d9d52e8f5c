"""The contract's ``security`` enforced as a real API would: a missing credential gets 401.

Any present credential is accepted (the mock cannot know real tokens). An operation is satisfied when
one of its requirement alternatives has every scheme's credential present; an empty alternative
(``{}``) makes the credential optional. ``mutualTLS`` cannot be seen from HTTP and counts as present.
"""

from __future__ import annotations

from collections.abc import Mapping

from validator import security
from validator.contract import Contract, Operation
from validator.problems import Problem


def _challenge(scheme: security.Scheme, realm: str) -> str:
    """The scheme's ``WWW-Authenticate`` challenge."""
    if scheme.kind == "apiKey":
        return f'ApiKey realm="{realm}", in="{scheme.location or ""}", name="{scheme.key}"'
    name = scheme.http_scheme.capitalize() if scheme.kind == "http" else "Bearer"
    return f'{name} realm="{realm}"'


Denied = tuple[Problem, tuple[tuple[str, str], ...]]  # why a request is refused, and its WWW-Authenticate challenges


class Guard:
    """Checks one operation's credentials; None when satisfied, else the problem and the challenges."""

    def __init__(self, contract: Contract, op: Operation) -> None:
        self._alternatives = security.alternatives(contract, op)
        self._realm = contract.name

    @property
    def needed(self) -> bool:
        """Whether the operation requires any credential at all."""
        return bool(self._alternatives)

    def check(self, headers: Mapping[str, str], query: Mapping[str, str]) -> Denied | None:
        """None when one alternative is satisfied; else the problem and ``WWW-Authenticate`` headers."""
        if not self.needed:
            return None
        cookies = security.cookies(headers.get("cookie", ""))
        if any(all(s.present(headers, query, cookies) for s in alt) for alt in self._alternatives):
            return None
        options = " or ".join(" and ".join(s.describe() for s in alt) for alt in self._alternatives)
        problem = Problem("", f"credentials required: {options}", location="security", keyword="security")
        challenges = {_challenge(s, self._realm): None for alt in self._alternatives for s in alt}
        return problem, tuple(("www-authenticate", c) for c in challenges)


def cookie_values(header: str) -> list[str]:
    """The values of a ``Cookie`` header's cookies."""
    return list(security.cookies(header).values())
