"""Credentials in an exchange, kept out of everything the proxy writes or serves about it.

The caller's credentials go to the upstream and nowhere else: not the log, the report, the metrics or
the recording. They are the ``Authorization`` family of headers and cookies, the usual API-key header
names, the header, query and cookie names of the contract's ``apiKey`` security schemes, and the names
given with ``--redact`` (the contract tests' reports hide the same, ``validator.verify.redact``).
Headers are dropped; a query value is replaced by ``[redacted]``; and a credential's value is replaced
wherever a violation message quotes it (a schema message can repeat the value it refuses) or an answer
repeats it (an API echoing the caller's token).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from urllib.parse import unquote_plus

from mocks.security import cookie_values
from validator.contract import Contract
from validator.verify.exchange import WireRequest, WireResponse
from validator.verify.recording import ALWAYS_REDACTED
from validator.verify.redact import API_KEY_NAMES, api_key_names

from .checking import Finding

REDACTED = "[redacted]"
_QUERY_REDACTED = "%5Bredacted%5D"  # [redacted], as it is written in a query string
_SHORTEST = 4  # a shorter value is not scrubbed from messages: it would mangle them and guards nothing


class Secrets:
    """Where one contract's credentials travel; scrubs them from what the proxy writes."""

    def __init__(self, contract: Contract, redact: Iterable[str] = ()) -> None:
        names = api_key_names(contract.document)
        extra = frozenset(n.lower() for n in redact)
        # Lower case; the usual API-key names too, as the contract tests' reports hide them.
        self.headers: frozenset[str] = ALWAYS_REDACTED | API_KEY_NAMES | names["header"] | extra
        self.query: frozenset[str] = frozenset(n.lower() for n in names["query"]) | extra  # compared in lower case
        self.cookies: frozenset[str] = names["cookie"]

    def values(self, headers: Mapping[str, str], target: str) -> list[str]:
        """The credential values one request carries (headers in lower case), longest first."""
        found: list[str] = []
        for name in self.headers:
            value = headers.get(name)
            if value is None:
                continue
            found.append(value)
            if name == "cookie":
                found.extend(cookie_values(value))
            else:
                found.append(value.partition(" ")[2])  # "Bearer <token>": the token alone, as a message may quote it
        if self.query and "?" in target:
            for part in target.partition("?")[2].split("&"):
                name, _, value = part.partition("=")
                if unquote_plus(name).lower() in self.query:
                    found.extend((value, unquote_plus(value)))
        return sorted({v.strip() for v in found if len(v.strip()) >= _SHORTEST}, key=len, reverse=True)

    def request(self, request: WireRequest) -> WireRequest:
        """The request as it may be written: credential headers dropped, credential query values replaced."""
        headers = tuple((k, v) for k, v in request.headers if k.lower() not in self.headers)
        return WireRequest(request.method, self.target(request.path), headers, request.body)

    def response(self, response: WireResponse | None, values: Sequence[str]) -> WireResponse | None:
        """An answer with every credential value its body or headers repeat replaced (an API echoing a token)."""
        if response is None or not values:
            return response
        body = response.body
        for value in values:
            body = body.replace(value.encode("utf-8", "replace"), REDACTED.encode())
        headers = {k: scrub(v, values) for k, v in response.headers.items()}
        return WireResponse(response.status, headers, body, response.elapsed_ms)

    def target(self, target: str) -> str:
        """A path and query with the values of credential query parameters replaced."""
        if not self.query or "?" not in target:
            return target
        path, _, query = target.partition("?")
        parts = []
        for part in query.split("&"):
            name, sep, _ = part.partition("=")
            parts.append(f"{name}={_QUERY_REDACTED}" if sep and unquote_plus(name).lower() in self.query else part)
        return f"{path}?{'&'.join(parts)}"

    def findings(self, findings: Sequence[Finding], values: Sequence[str]) -> list[Finding]:
        """The findings with every credential value their messages quote replaced."""
        return [
            f._replace(problem=f.problem._replace(message=scrub(f.problem.message, values)))
            if any(v in f.problem.message for v in values)
            else f
            for f in findings
        ]


def scrub(text: str, values: Sequence[str]) -> str:
    """``text`` with each of ``values`` replaced by ``[redacted]``."""
    for value in values:
        text = text.replace(value, REDACTED)
    return text
