"""Findings about a payload or a contract: returned values, never raised."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any, NamedTuple


class Problem(NamedTuple):
    """One thing wrong, located by a JSON pointer (into the payload or the document)."""

    # A named tuple rather than a frozen dataclass: just as immutable, and built in a third of the
    # time, which counts where a mock reports every violation of every request it rejects.

    pointer: str
    message: str
    keyword: str | None = None
    schema_path: str | None = None
    location: str | None = None  # body, query, path, header, status, media-type, document
    file: str | None = None
    line: int | None = None
    hint: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The problem as its INTERFACE.md JSON shape (absent fields omitted)."""
        out: dict[str, Any] = {}
        if self.file is not None:
            out["file"] = self.file
        if self.line is not None:
            out["line"] = self.line
        out["pointer"] = self.pointer
        out["message"] = self.message
        for key in ("location", "keyword", "schema_path", "hint"):
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        return out

    def where(self) -> str:
        """A short human location: ``file:line pointer`` or the payload location."""
        parts = []
        if self.file:
            parts.append(self.file + (f":{self.line}" if self.line is not None else ""))
        if self.location and self.location != "document":
            parts.append(self.location)
        parts.append(self.pointer or "/")
        return " ".join(parts)


def escape_token(token: str | int) -> str:
    """Escape one JSON pointer reference token (RFC 6901)."""
    return str(token).replace("~", "~0").replace("/", "~1")


def unescape_token(token: str) -> str:
    """Undo :func:`escape_token`."""
    return token.replace("~1", "/").replace("~0", "~")


def to_pointer(parts: Any) -> str:
    """Build a JSON pointer from path segments."""
    # On the hot path of every reported error: escape only the rare tokens that need it.
    tokens = [str(p) for p in parts]
    if not tokens:
        return ""
    for i, token in enumerate(tokens):
        if "~" in token or "/" in token:
            tokens[i] = escape_token(token)
    return "/" + "/".join(tokens)


def split_pointer(pointer: str) -> list[str]:
    """Split a JSON pointer (with or without a leading ``#``) into unescaped tokens."""
    pointer = pointer.removeprefix("#")
    if not pointer:
        return []
    return [unescape_token(t) for t in pointer.split("/")[1:]]


def resolve_pointer(document: Any, pointer: str) -> Any:
    """The value at a JSON pointer (with or without a leading ``#``); LookupError when it does not resolve."""
    node = document
    # Long pointers are not cached: they come from payload member names, which a sender chooses.
    for token in _tokens(pointer) if len(pointer) <= _CACHED_POINTER else split_pointer(pointer):
        if (type(node) is dict or isinstance(node, Mapping)) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            raise LookupError(f"{pointer!r} does not resolve at {token!r}")
    return node


_CACHED_POINTER = 256


# A mock resolves the same few pointers (the members its contract names) in request after request.
@functools.lru_cache(maxsize=4096)
def _tokens(pointer: str) -> tuple[str, ...]:
    return tuple(split_pointer(pointer))
