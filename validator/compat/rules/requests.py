"""Rules over the request body of one operation: presence, required, media types."""

from __future__ import annotations

from collections.abc import Iterator

from ..pairing import OperationPair
from ..report import Finding


def _fragment(uri: str) -> str:
    return uri.partition("#")[2]


def request_body_added_required(pair: OperationPair) -> Iterator[Finding]:
    """A required request body was added to an operation that took none."""
    body = pair.new.request_body
    if pair.old.request_body is None and body is not None and body.required:
        yield Finding("required request body added", _fragment(body.uri))


def request_body_added_optional(pair: OperationPair) -> Iterator[Finding]:
    """An optional request body was added to an operation that took none."""
    body = pair.new.request_body
    if pair.old.request_body is None and body is not None and not body.required:
        yield Finding("optional request body added", _fragment(body.uri))


def request_body_removed(pair: OperationPair) -> Iterator[Finding]:
    """The request body was removed (clients that send one are refused)."""
    body = pair.old.request_body
    if body is not None and pair.new.request_body is None:
        yield Finding("request body removed", _fragment(body.uri), in_old=True)


def request_body_became_required(pair: OperationPair) -> Iterator[Finding]:
    """An optional request body became required."""
    old, new = pair.old.request_body, pair.new.request_body
    if old is not None and new is not None and new.required and not old.required:
        yield Finding("request body became required", _fragment(new.uri))


def request_body_became_optional(pair: OperationPair) -> Iterator[Finding]:
    """A required request body became optional."""
    old, new = pair.old.request_body, pair.new.request_body
    if old is not None and new is not None and old.required and not new.required:
        yield Finding("request body became optional", _fragment(new.uri))


def request_media_type_removed(pair: OperationPair) -> Iterator[Finding]:
    """A request media type is no longer accepted."""
    if pair.new.request_body is not None:
        for media in pair.request_media.removed:
            yield Finding(
                f"request media type {media.media_type!r} no longer accepted",
                _fragment(media.schema_uri or ""),
                in_old=True,
            )


def request_media_type_added(pair: OperationPair) -> Iterator[Finding]:
    """A request media type is now accepted."""
    if pair.old.request_body is not None:
        for media in pair.request_media.added:
            yield Finding(f"request media type {media.media_type!r} now accepted", _fragment(media.schema_uri or ""))
