"""JSON pointers (RFC 6901): building, splitting and resolving them."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any


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


def write_pointer(document: Any, pointer: str, value: Any) -> Any:
    """``document`` with ``value`` written at a JSON pointer, in place (object members created on the way;
    a path through a missing array item writes nothing); ``value`` itself for the empty pointer."""
    parts = split_pointer(pointer)
    if not parts:
        return value
    node = document
    for token in parts[:-1]:
        if isinstance(node, dict):
            node = node.setdefault(token, {})
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            return document
    last = parts[-1]
    if isinstance(node, dict):
        node[last] = value
    elif isinstance(node, list) and last.isdigit() and int(last) < len(node):
        node[int(last)] = value
    return document


_CACHED_POINTER = 256


# A mock resolves the same few pointers (the members its contract names) in request after request: a
# cached split takes 0.04-0.07 µs against 0.4 µs, resolving a 3-token pointer 0.3-0.5 against 0.6-0.8 µs
# (``python -m bench tricks``).
@functools.lru_cache(maxsize=4096)
def _tokens(pointer: str) -> tuple[str, ...]:
    return tuple(split_pointer(pointer))
