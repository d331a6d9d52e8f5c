"""Reading an inbound request as the contract sees it: headers, a bounded body, the body as JSON, violations.

Shared by the mock and the validating proxy, so both read and judge a request the same way.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, MutableMapping
from typing import Any
from urllib.parse import parse_qsl

from validator.compiled import CompiledContract, RequestData, pick_media_type
from validator.contract import Operation
from validator.payload import PayloadError, parse_json
from validator.problems import Problem

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]


class TooLarge(Exception):
    """The request body is larger than the limit; ``chunks`` holds what was read before that was known."""

    def __init__(self, chunks: list[bytes] | None = None, *, more: bool = True) -> None:
        super().__init__("request body too large")
        self.chunks = chunks or []
        self.more = more  # whether the client has more of the body to send


class Disconnected(Exception):
    """The client went away before its request was read."""


def headers_of(scope: Scope) -> dict[str, str]:
    """The request headers, names in lower case; repeated headers joined with ``, ``."""
    out: dict[str, str] = {}
    for name, value in scope["headers"]:
        key = name.decode("latin-1").lower()
        text = value.decode("latin-1")
        out[key] = f"{out[key]}, {text}" if key in out else text
    return out


async def read_body(receive: Receive, headers: Mapping[str, str], limit: int) -> bytes:
    """The whole request body; :class:`TooLarge` past ``limit`` bytes, :class:`Disconnected` if the client left."""
    declared = headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise TooLarge()
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise Disconnected
        chunk: bytes = message.get("body", b"")
        more = bool(message.get("more_body", False))
        if chunk:
            size += len(chunk)
            chunks.append(chunk)
            if size > limit:
                raise TooLarge(chunks, more=more)
        if not more:
            break
    return b"".join(chunks)  # one chunk: the same bytes object, not a copy


def parse_body(
    op: Operation, json_media: Mapping[str, bool], raw: bytes, content_type: str | None
) -> tuple[Any, bool, list[Problem]]:
    """The request body as a JSON value (or text), whether there is one, and why it could not be read.

    ``json_media`` tells, per documented request media type, whether it takes JSON (worked out once).
    """
    if op.request_body is None or not raw:
        return None, False, []
    mt = pick_media_type(op.request_body.content, content_type)
    if mt is None:
        return None, True, []  # present but of an undocumented type: validate_request reports it (415)
    if json_media.get(mt.media_type, False):
        try:
            return parse_json(raw), True, []
        except PayloadError as exc:
            return None, False, [exc.problem]
    try:
        return raw.decode("utf-8"), True, []
    except UnicodeDecodeError as exc:
        return (
            None,
            False,
            [
                Problem(
                    "",
                    f"body is not valid UTF-8 ({exc.reason} at byte {exc.start})",
                    location="body",
                    keyword="encoding",
                )
            ],
        )


def request_data(
    op: Operation,
    json_media: Mapping[str, bool],
    path_params: Mapping[str, str],
    query: bytes,
    headers: Mapping[str, str],
    raw: bytes,
) -> tuple[RequestData, Any, bool, list[Problem]]:
    """The request as the contract sees it, its body as read, whether it has one, and why the body is unreadable."""
    content_type = headers.get("content-type")
    body, has_body, unreadable = parse_body(op, json_media, raw, content_type)
    pairs = parse_qsl(query.decode("latin-1"), keep_blank_values=True) if query else []
    data = (
        RequestData(path_params, pairs, headers, content_type, body)
        if has_body
        else RequestData(path_params, pairs, headers, content_type)
    )
    return data, body, has_body, unreadable


def with_unreadable(violations: list[Problem], unreadable: list[Problem]) -> list[Problem]:
    """The violations, with why the body could not be read in place of "body is required"."""
    if not unreadable:
        return violations
    kept = [p for p in violations if not (p.location == "body" and p.keyword == "required")]
    kept.extend(unreadable)
    return kept


def request_violations(
    compiled: CompiledContract,
    op: Operation,
    json_media: Mapping[str, bool],
    path_params: Mapping[str, str],
    query: bytes,
    headers: Mapping[str, str],
    raw: bytes,
) -> tuple[list[Problem], Any, bool, RequestData]:
    """Every violation of one request of ``op``, its body as read, whether it has one, and the request as checked."""
    data, body, has_body, unreadable = request_data(op, json_media, path_params, query, headers, raw)
    return with_unreadable(compiled.validate_request(op, data), unreadable), body, has_body, data
