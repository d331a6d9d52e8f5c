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

from mocks.security import cookie_values
from validator.contract import Contract
from validator.redaction import (
    REDACTED,
    api_key_names,
    credential_headers,
    hide_query_values,
    query_values,
    scrub,
    secret_values,
)
from validator.verify.exchange import WireRequest, WireResponse

from .checking import Finding


class Secrets:
    """Where one contract's credentials travel; scrubs them from what the proxy writes."""

    def __init__(self, contract: Contract, redact: Iterable[str] = ()) -> None:
        names = api_key_names(contract.document)
        extra = frozenset(n.lower() for n in redact)
        # Lower case; the usual API-key names too, as the contract tests' reports hide them.
        self.headers: frozenset[str] = credential_headers(contract.document, extra)
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
        found += query_values(target, self.query, fold_case=True)
        return list(secret_values(found))

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
        return hide_query_values(target, self.query, fold_case=True)

    def findings(self, findings: Sequence[Finding], values: Sequence[str]) -> list[Finding]:
        """The findings with every credential value their messages quote replaced."""
        return [
            f._replace(problem=f.problem._replace(message=scrub(f.problem.message, values)))
            if any(v in f.problem.message for v in values)
            else f
            for f in findings
        ]
