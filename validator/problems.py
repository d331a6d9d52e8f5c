"""Findings about a payload or a contract: returned values, never raised."""

from __future__ import annotations

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
