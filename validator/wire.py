"""Headers that belong to one connection or to the message's framing, not to what an API promises.

RFC 9110 §7.6.1 makes Connection, Keep-Alive, Proxy-*, TE, Trailer, Transfer-Encoding and Upgrade
hop-by-hop; Content-Length and Content-Encoding describe the bytes actually sent. A contract may
document them (``Transfer-Encoding: vector`` is a real description's), but only the HTTP layer
can set them truthfully: the mock never copies them and a response is never judged by them.
"""

from __future__ import annotations

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
