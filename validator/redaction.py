"""Credentials kept out of what the tool writes: which names carry them, and how their values are hidden.

One reading serves the contract tests' reports (:mod:`validator.verify.redact`), the proxy's log,
report, metrics and recording (``proxy/secrets.py``) and the recordings (:mod:`validator.verify.recording`):
the ``Authorization`` family of headers and cookies, the usual API-key header names, the header,
query and cookie names of the contract's ``apiKey`` security schemes. A header is hidden by name; a
credential's value is replaced wherever a text repeats it (an API echoing its token, a schema message
quoting the value it refuses); a credential query parameter keeps its name and loses its value.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any
from urllib.parse import quote, unquote_plus, urlsplit, urlunsplit

from .security import KeyLocation, schemes_in

REDACTED = "[redacted]"
# Headers that carry credentials: never written, whatever else is asked.
ALWAYS_REDACTED = frozenset({"authorization", "proxy-authorization", "cookie", "set-cookie"})
# API-key header names in common use; a contract's own apiKey schemes are added to these.
API_KEY_NAMES = frozenset({"x-api-key", "api-key", "apikey", "x-auth-token", "x-access-token"})
MIN_SECRET = 4  # shorter values are hidden by name only (hiding "1" everywhere would wreck a text)


def api_key_names(document: Mapping[str, Any] | None) -> dict[KeyLocation, frozenset[str]]:
    """The names carrying an API key, by where they go: ``header`` (lower case), ``query``, ``cookie``."""
    found: dict[KeyLocation, set[str]] = {"header": set(), "query": set(), "cookie": set()}
    for scheme in schemes_in(document).values():
        if scheme.kind == "apiKey" and scheme.location is not None and scheme.key:
            found[scheme.location].add(scheme.key.lower() if scheme.location == "header" else scheme.key)
    return {where: frozenset(names) for where, names in found.items()}


def credential_headers(document: Mapping[str, Any] | None, also: Iterable[str] = ()) -> frozenset[str]:
    """The header names (lower case) hidden for a contract: the usual ones, its API keys, and ``also``."""
    return ALWAYS_REDACTED | API_KEY_NAMES | api_key_names(document)["header"] | {n.lower() for n in also}


def secret_values(values: Iterable[str]) -> tuple[str, ...]:
    """The values worth hiding in texts (long enough), longest first so that one containing another goes whole."""
    kept = {value.strip() for value in values}
    return tuple(sorted((value for value in kept if len(value) >= MIN_SECRET), key=len, reverse=True))


def scrub(text: str, secrets: Sequence[str]) -> str:
    """``text`` with each of ``secrets`` replaced by ``[redacted]``."""
    for secret in secrets:
        if secret in text:
            text = text.replace(secret, REDACTED)
    return text


def hide_query_values(target: str, names: frozenset[str], *, fold_case: bool = False) -> str:
    """A URL or request target with the values of the ``names`` query parameters replaced.

    ``fold_case`` compares names in lower case (``names`` then are lower case).
    """
    if not names or "?" not in target:
        return target
    base, _, rest = target.partition("?")
    query, hash_, fragment = rest.partition("#")
    parts = []
    for part in query.split("&"):
        name, sep, _value = part.partition("=")
        decoded = unquote_plus(name)
        hidden = sep and (decoded.lower() if fold_case else decoded) in names
        parts.append(f"{name}={quote(REDACTED)}" if hidden else part)
    return f"{base}?{'&'.join(parts)}{hash_}{fragment}"


def query_values(target: str, names: frozenset[str], *, fold_case: bool = False) -> list[str]:
    """The values of the ``names`` query parameters in a URL or request target, as written and decoded."""
    if not names or "?" not in target:
        return []
    found: list[str] = []
    for part in target.partition("?")[2].partition("#")[0].split("&"):
        name, _, value = part.partition("=")
        decoded = unquote_plus(name)
        if (decoded.lower() if fold_case else decoded) in names:
            found.extend((value, unquote_plus(value)))
    return found


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
