"""Rules over the responses of one operation: statuses, media types, bodies, headers."""

from __future__ import annotations

from collections.abc import Iterator

from ...contract import Response
from ..pairing import OperationPair
from ..report import Finding


def _kind(status: str) -> str:
    head = status[:1]
    if head == "2":
        return "success"
    if head in "45" or status == "default":
        return "error"
    return "other"


def _success(responses: list[Response]) -> set[str]:
    return {r.status.upper() for r in responses if _kind(r.status) == "success"}


def _fragment(uri: str) -> str:
    return uri.partition("#")[2]


def success_status_changed(pair: OperationPair) -> Iterator[Finding]:
    """The success status changed (e.g. 200 became 201): clients expecting the old one fail."""
    old, new = _success(list(pair.old.responses.values())), _success(list(pair.new.responses.values()))
    if old and new and not old & new:
        yield Finding(
            f"success status changed from {', '.join(sorted(old))} to {', '.join(sorted(new))}",
            pair.new.pointer + "/responses",
        )


def success_status_added(pair: OperationPair) -> Iterator[Finding]:
    """A second success status was added beside the old one (e.g. 202 beside 200)."""
    old = _success(list(pair.old.responses.values()))
    for r in pair.responses.added:
        if _kind(r.status) == "success" and old & _success(list(pair.new.responses.values())):
            yield Finding(f"success status {r.status} added beside {', '.join(sorted(old))}", _fragment(r.uri))


def success_status_removed(pair: OperationPair) -> Iterator[Finding]:
    """One of several success statuses was removed (output narrows)."""
    new = _success(list(pair.new.responses.values()))
    for r in pair.responses.removed:
        if _kind(r.status) == "success" and _success(list(pair.old.responses.values())) & new:
            yield Finding(f"success status {r.status} removed", _fragment(r.uri), in_old=True)


def error_status_added(pair: OperationPair) -> Iterator[Finding]:
    """An error status (4xx, 5xx, default) was documented."""
    for r in pair.responses.added:
        if _kind(r.status) == "error":
            yield Finding(f"error status {r.status} added", _fragment(r.uri))


def error_status_removed(pair: OperationPair) -> Iterator[Finding]:
    """An error status (4xx, 5xx, default) is no longer documented."""
    for r in pair.responses.removed:
        if _kind(r.status) == "error":
            yield Finding(f"error status {r.status} removed", _fragment(r.uri), in_old=True)


def non_error_status_added(pair: OperationPair) -> Iterator[Finding]:
    """A 1xx or 3xx status was added: the server may now send a status old clients never saw."""
    for r in pair.responses.added:
        if _kind(r.status) == "other":
            yield Finding(f"status {r.status} added", _fragment(r.uri))


def response_media_type_added(pair: OperationPair) -> Iterator[Finding]:
    """A response may now come in a media type it could not before."""
    for old, new in pair.responses.pairs:
        if old.content:
            for media in pair.response_media(old, new).added:
                yield Finding(f"response {new.status} may now be {media.media_type!r}", _fragment(new.uri))


def response_media_type_removed(pair: OperationPair) -> Iterator[Finding]:
    """A response media type was removed (clients that accept only it are refused)."""
    for old, new in pair.responses.pairs:
        if new.content:
            for media in pair.response_media(old, new).removed:
                yield Finding(
                    f"response {new.status} is no longer offered as {media.media_type!r}",
                    _fragment(old.uri),
                    in_old=True,
                )


def response_body_removed(pair: OperationPair) -> Iterator[Finding]:
    """A response lost its body (clients reading it fail)."""
    for old, new in pair.responses.pairs:
        if old.content and not new.content:
            yield Finding(f"response {new.status} no longer has a body", _fragment(new.uri))


def response_body_added(pair: OperationPair) -> Iterator[Finding]:
    """A response that had no body now has one."""
    for old, new in pair.responses.pairs:
        if new.content and not old.content:
            yield Finding(f"response {new.status} now has a body", _fragment(new.uri))


def _headers(r: Response) -> dict[str, bool]:
    return {name.lower(): h.required for name, h in r.headers.items()}


def response_header_removed(pair: OperationPair) -> Iterator[Finding]:
    """A documented response header was removed (its value is no longer promised)."""
    for old, new in pair.responses.pairs:
        for name in sorted(_headers(old).keys() - _headers(new).keys()):
            yield Finding(f"response {new.status} header {name!r} removed", _fragment(old.uri), in_old=True)


def response_header_became_optional(pair: OperationPair) -> Iterator[Finding]:
    """A required response header became optional."""
    for old, new in pair.responses.pairs:
        before, after = _headers(old), _headers(new)
        for name in sorted(n for n in before.keys() & after.keys() if before[n] and not after[n]):
            yield Finding(f"response {new.status} header {name!r} became optional", _fragment(new.uri))


def response_header_added(pair: OperationPair) -> Iterator[Finding]:
    """A response header was documented."""
    for old, new in pair.responses.pairs:
        for name in sorted(_headers(new).keys() - _headers(old).keys()):
            yield Finding(f"response {new.status} header {name!r} added", _fragment(new.uri))
