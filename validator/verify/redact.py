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

from ..redaction import (
    ALWAYS_REDACTED,
    API_KEY_NAMES,
    REDACTED,
    api_key_names,
    credential_headers,
    hide_query_values,
    scrub,
    secret_values,
    without_password,
)
from .result import Failure, RunReport


@dataclass(frozen=True, slots=True)
class Redaction:
    """Which header names and which secret values a report must not show."""

    names: frozenset[str] = ALWAYS_REDACTED | API_KEY_NAMES  # lower case
    values: tuple[str, ...] = ()  # longest first, so that a value containing another goes whole
    query: frozenset[str] = frozenset()  # query parameters carrying an API key (their values are hidden)

    @classmethod
    def of(
        cls, document: Mapping[str, Any] | None, passed: Mapping[str, str] | None = None, shown: Iterable[str] = ()
    ) -> Redaction:
        """The redaction of a run: the usual names, the contract's API-key headers, the ``--header``s."""
        passed = passed or {}
        visible = {name.lower() for name in shown}
        names = credential_headers(document, passed)
        secrets: list[str] = []
        for name, value in passed.items():
            if name.lower() not in visible:
                secrets += [value, *value.split()]  # the token of "Bearer <token>" alone
        return cls(frozenset(names - visible), secret_values(secrets), api_key_names(document)["query"])

    def headers(self, headers: Mapping[str, Any]) -> dict[str, Any]:
        """The headers with hidden values replaced (names kept, so the report still says they were sent)."""
        return {k: REDACTED if k.lower() in self.names else self.text(v) for k, v in headers.items()}

    def text(self, value: Any) -> Any:
        """A value with every secret replaced, at any depth (strings, lists, objects)."""
        if isinstance(value, str):
            return scrub(value, self.values)
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
        return hide_query_values(without_password(url), self.query)

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
