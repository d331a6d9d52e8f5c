"""Headers on the wire: which belong to the connection or the framing, and which values HTTP can carry.

RFC 9110 §7.6.1 makes Connection, Keep-Alive, Proxy-*, TE, Trailer, Transfer-Encoding and Upgrade
hop-by-hop; Content-Length and Content-Encoding describe the bytes actually sent. A contract may
document them (``Transfer-Encoding: vector`` is a real description's), but only the HTTP layer
can set them truthfully: the mock never copies them and a response is never judged by them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# Meant for one connection, never forwarded (the proxy drops them both ways); "trailers" is the
# spelling of RFC 2616's list, which some software still sends.
HOP_BY_HOP = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-authenticate",
        "proxy-authorization",
        "proxy-connection",
        "te",
        "trailer",
        "trailers",
        "transfer-encoding",
        "upgrade",
    }
)
TRANSPORT_HEADERS = HOP_BY_HOP | {"content-length", "content-encoding", "content-type"}


def is_transport_header(name: str) -> bool:
    """Whether a header is set by the HTTP layer (hop-by-hop or framing), never by a contract."""
    return name.lower() in TRANSPORT_HEADERS


# RFC 9110 §5.5 field-value: visible characters with spaces and tabs between them, none at either end.
# obs-text (bytes past ASCII) is allowed on the wire but carries no agreed meaning: only a sender that
# states its encoding (the contract tests send UTF-8) may use it.
_FIELD_VALUE = re.compile(r"(?:[\x21-\x7e](?:[\x21-\x7e \t]*[\x21-\x7e])?)?")
_FIELD_VALUE_OBS = re.compile(r"(?:[^\x00-\x20\x7f](?:[^\x00-\x08\x0a-\x1f\x7f]*[^\x00-\x20\x7f])?)?")


def is_field_value(value: str, *, obs_text: bool = False) -> bool:
    """Whether ``value`` can go on the wire as an HTTP field value as it is (RFC 9110 §5.5): visible ASCII
    (and, with ``obs_text``, any character past it), spaces and tabs only between them."""
    return (_FIELD_VALUE_OBS if obs_text else _FIELD_VALUE).fullmatch(value) is not None


def first_unsendable(headers: Iterable[tuple[str, str]]) -> str | None:
    """The name of the first header whose value cannot go on the wire as one byte a character (latin-1,
    as servers write header values): not a field value even with obs-text, or a character past U+00FF."""
    for name, value in headers:
        if _FIELD_VALUE_OBS.fullmatch(value) is None or (not value.isascii() and max(value) > "\xff"):
            return name
    return None
