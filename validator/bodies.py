"""A body's bytes as its media type carries a value: JSON, server-sent events, or plain text.

The schema of a ``text/event-stream`` response describes each event's ``data`` (what streaming
inference servers send: one JSON object per event), so such a body is a sequence of values. A
text media type carries a string as it is, not as a JSON string literal. The mock encodes with
:func:`encode`; contract tests and validation read back with :func:`decode`.
"""

from __future__ import annotations

from typing import Any

from .compiled import is_json_media_type, media_base
from .payload import PayloadError, dumps, parse_json

EVENT_STREAM = "text/event-stream"


def is_event_stream(media_type: str | None) -> bool:
    """Whether a media type is server-sent events."""
    return media_type is not None and media_base(media_type) == EVENT_STREAM


def encode(media_type: str | None, value: Any) -> bytes:
    """The bytes carrying ``value`` in ``media_type``: one SSE event, JSON, or text as written."""
    if is_event_stream(media_type):
        data = value if isinstance(value, str) else dumps(value).decode()
        return b"".join(f"data: {line}\n".encode() for line in data.split("\n")) + b"\n"
    if media_type is not None and not is_json_media_type(media_type) and isinstance(value, str):
        return value.encode()
    return dumps(value)


def events(text: str) -> list[Any]:
    """The ``data`` of each server-sent event (JSON when it parses, else the text), in order."""
    out: list[Any] = []
    lines: list[str] = []
    for line in [*text.replace("\r\n", "\n").split("\n"), ""]:
        if line == "":
            if lines:
                data = "\n".join(lines)
                try:
                    out.append(parse_json(data))
                except PayloadError:
                    out.append(data)
                lines = []
        elif line.startswith("data:"):
            lines.append(line[5:].removeprefix(" "))
    return out
