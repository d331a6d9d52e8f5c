"""Credentials kept out of every report: request and response headers, ``curl`` lines, messages, bodies.

A contract-test report is printed, written as JUnit, posted to the contract service and read by
anyone there, so the credentials of the API under test must not be in it. Hidden by name:
``Authorization``, ``Proxy-Authorization``, ``Cookie``, ``Set-Cookie``, the API-key headers of the
contract's security schemes (and the usual API-key names), and every header given with ``--header``.
Hidden by value: what those ``--header``s carry, wherever it appears (an API echoing its token back
in a body or an error message). ``--show-header NAME`` shows one again.
"""

from __future__ import annotations

import dataclasses
import shlex
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, unquote_plus, urlsplit, urlunsplit

from ..security import schemes_in
from .recording import ALWAYS_REDACTED
from .result import Failure, RunReport

REDACTED = "[redacted]"
ALWAYS = ALWAYS_REDACTED  # what `contracts proxy` never records either
# API-key header names in common use; a contract's own apiKey schemes are added to these.
API_KEY_NAMES = frozenset({"x-api-key", "api-key", "apikey", "x-auth-token", "x-access-token"})
MIN_SECRET = 4  # shorter values are hidden by header name only (hiding "1" everywhere would wreck a report)


@dataclass(frozen=True, slots=True)
class Redaction:
    """Which header names and which secret values a report must not show."""

    names: frozenset[str] = ALWAYS | API_KEY_NAMES  # lower case
    values: tuple[str, ...] = ()  # longest first, so that a value containing another goes whole
    query: frozenset[str] = frozenset()  # query parameters carrying an API key (their values are hidden)

    @classmethod
    def of(
        cls, document: Mapping[str, Any] | None, passed: Mapping[str, str] | None = None, shown: Iterable[str] = ()
    ) -> Redaction:
        """The redaction of a run: the usual names, the contract's API-key headers, the ``--header``s."""
        passed = passed or {}
        visible = {name.lower() for name in shown}
        keys = api_key_names(document)
        names = ALWAYS | API_KEY_NAMES | keys["header"] | {name.lower() for name in passed}
        secrets: set[str] = set()
        for name, value in passed.items():
            if name.lower() in visible:
                continue
            secrets.add(value)
            secrets.update(value.split())  # the token of "Bearer <token>" alone
        kept = sorted((s for s in secrets if len(s) >= MIN_SECRET), key=len, reverse=True)
        return cls(frozenset(names - visible), tuple(kept), keys["query"])

    def headers(self, headers: Mapping[str, Any]) -> dict[str, Any]:
        """The headers with hidden values replaced (names kept, so the report still says they were sent)."""
        return {k: REDACTED if k.lower() in self.names else self.text(v) for k, v in headers.items()}

    def text(self, value: Any) -> Any:
        """A value with every secret replaced, at any depth (strings, lists, objects)."""
        if isinstance(value, str):
            for secret in self.values:
                if secret in value:
                    value = value.replace(secret, REDACTED)
            return value
        if isinstance(value, Mapping):
            return {self.text(k): self.text(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [self.text(v) for v in value]
        return value

    def exchange(self, message: Mapping[str, Any] | None) -> dict[str, Any] | None:
        """A request or response of a report (its headers, url, body and any recorded answer)."""
        if message is None:
            return None
        out: dict[str, Any] = {}
        for key, value in message.items():
            if key == "headers" and isinstance(value, Mapping):
                out[key] = self.headers(value)
            elif key == "url" and isinstance(value, str):
                out[key] = self.text(self.url(value))
            elif key == "recorded" and isinstance(value, Mapping):
                out[key] = self.exchange(value)
            else:
                out[key] = self.text(value)
        return out

    def url(self, url: str) -> str:
        """A URL without its password and with the values of API-key query parameters hidden."""
        url = without_password(url)
        if not self.query or "?" not in url:
            return url
        base, _, rest = url.partition("?")
        query, hash_, fragment = rest.partition("#")
        parts = []
        for part in query.split("&"):
            name, sep, _value = part.partition("=")
            parts.append(f"{name}={quote(REDACTED)}" if sep and unquote_plus(name) in self.query else part)
        return f"{base}?{'&'.join(parts)}{hash_}{fragment}"

    def curl(self, line: str) -> str:
        """A ``curl`` line with hidden headers' values replaced and secrets removed."""
        try:
            parts = shlex.split(line)
        except ValueError:  # not a line shlex wrote: hide what can be hidden
            return str(self.text(line))
        out: list[str] = []
        for i, part in enumerate(parts):
            if i > 0 and parts[i - 1] in ("-H", "--header"):
                name, sep, _value = part.partition(":")
                if sep and name.strip().lower() in self.names:
                    part = f"{name}: {REDACTED}"
            elif part.startswith(("http://", "https://")):
                part = self.url(part)
            out.append(str(self.text(part)))
        return shlex.join(out)

    def failure(self, failure: Failure) -> Failure:
        """One failure with nothing secret left in it."""
        return dataclasses.replace(
            failure,
            message=str(self.text(failure.message)),
            request=self.exchange(failure.request) or {},
            response=self.exchange(failure.response),
            curl=self.curl(failure.curl),
            case=str(self.text(failure.case)),
        )

    def report(self, report: RunReport) -> RunReport:
        """The whole report redacted: what is printed, written as JUnit and published."""
        return dataclasses.replace(
            report,
            base_url=without_password(report.base_url),
            failures=tuple(self.failure(f) for f in report.failures),
            notes=tuple(str(self.text(n)) for n in report.notes),
            replay=self.text(report.replay) if report.replay is not None else None,
        )

    def report_dict(self, report: Mapping[str, Any]) -> dict[str, Any]:
        """A report as posted to the service (``RunReport.to_dict`` shape), redacted by name."""
        out = dict(report)
        failures = out.get("failures")
        if isinstance(failures, list):
            out["failures"] = [self._failure_dict(f) if isinstance(f, Mapping) else f for f in failures]
        if isinstance(out.get("base_url"), str):
            out["base_url"] = without_password(out["base_url"])
        return out

    def _failure_dict(self, failure: Mapping[str, Any]) -> dict[str, Any]:
        out = dict(failure)
        for key in ("request", "response"):
            if isinstance(out.get(key), Mapping):
                out[key] = self.exchange(out[key])
        if isinstance(out.get("curl"), str):
            out["curl"] = self.curl(out["curl"])
        return out


def api_key_names(document: Mapping[str, Any] | None) -> dict[str, frozenset[str]]:
    """The names carrying an API key, by where they go: ``header`` (lower case), ``query``, ``cookie``."""
    found: dict[str, set[str]] = {"header": set(), "query": set(), "cookie": set()}
    for scheme in schemes_in(document).values():
        if scheme.kind == "apiKey" and scheme.visible:
            where, name = scheme.carrier
            found[where].add(name.lower() if where == "header" else name)
    return {where: frozenset(names) for where, names in found.items()}


def without_password(url: str) -> str:
    """A URL with the password of its user information hidden."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    if parts.password is None:
        return url
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit(parts._replace(netloc=f"{parts.username}:{REDACTED}@{host}"))
