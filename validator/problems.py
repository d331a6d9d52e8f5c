"""Findings about a payload or a contract: returned values, never raised."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

if TYPE_CHECKING:
    from .contract import Contract

# Where in an exchange or a contract a problem stands.
Location = Literal[
    "body",
    "query",
    "path",
    "header",
    "cookie",
    "status",
    "media-type",
    "document",
    "layout",
    "latency",
    "for-request",
    "security",
]

# How a reporter shows the file URIs findings carry (relative to the working directory, to the
# contracts folder, ...). The core never decides: findings hold ``file:`` URIs or the paths it was given.
Display = Callable[[str], str]


def as_given(uri: str) -> str:
    """The display that shows a URI as the finding holds it."""
    return uri


def show_location(location: str, display: Display) -> str:
    """A ``uri#fragment`` location with its file part displayed and its fragment kept."""
    base, sep, fragment = location.partition("#")
    return display(base) + sep + fragment


class Problem(NamedTuple):
    """One thing wrong, located by a JSON pointer (into the payload or the document)."""

    # A named tuple rather than a frozen dataclass: just as immutable, and built in a third of the
    # time, which counts where a mock reports every violation of every request it rejects.

    pointer: str
    message: str
    keyword: str | None = None
    schema_path: str | None = None  # the keyword's absolute location, ``file:...#/pointer``
    location: Location | None = None
    file: str | None = None
    line: int | None = None
    hint: str | None = None

    def to_dict(self, display: Display = as_given) -> dict[str, Any]:
        """The problem as its INTERFACE.md JSON shape (absent fields omitted), files shown by ``display``."""
        out: dict[str, Any] = {}
        if self.file is not None:
            out["file"] = display(self.file)
        if self.line is not None:
            out["line"] = self.line
        out["pointer"] = self.pointer
        out["message"] = self.message
        if self.location is not None:
            out["location"] = self.location
        if self.keyword is not None:
            out["keyword"] = self.keyword
        if self.schema_path is not None:
            out["schema_path"] = show_location(self.schema_path, display)
        if self.hint is not None:
            out["hint"] = self.hint
        return out

    def where(self, display: Display = as_given) -> str:
        """A short human location: ``file:line pointer`` or the payload location."""
        parts = []
        if self.file:
            parts.append(display(self.file) + (f":{self.line}" if self.line is not None else ""))
        if self.location and self.location != "document":
            parts.append(self.location)
        parts.append(self.pointer or "/")
        return " ".join(parts)


def document_problem(
    contract: Contract, uri: str, message: str, hint: str | None = None, keyword: str | None = None
) -> Problem:
    """A problem in the contract's document at ``uri`` (``file:…#/pointer``), with its source line."""
    base, _, pointer = uri.partition("#")
    return Problem(
        pointer, message, keyword=keyword, location="document", file=base, line=contract.line_of(uri), hint=hint
    )


# What a note is about: plain information, a 3.0 description read through validator.upgrade, an
# OpenAPI 3.2 description (what of 3.2 no command checks).
NoteKind = Literal["info", "converted", "openapi-3.2"]


class Note(NamedTuple):
    """What a command says once beside its findings, never a problem: e.g. "read OpenAPI 3.0.3 as 3.1"."""

    message: str
    file: str | None = None
    kind: NoteKind = "info"
    hint: str | None = None

    def to_dict(self, display: Display = as_given) -> dict[str, Any]:
        """The note as JSON (absent fields omitted), its file shown by ``display``."""
        out: dict[str, Any] = {"kind": self.kind, "message": self.message}
        if self.file is not None:
            out["file"] = display(self.file)
        if self.hint is not None:
            out["hint"] = self.hint
        return out

    def text(self, display: Display = as_given) -> str:
        """One line for text output: ``note: file: message (hint)``."""
        where = f"{display(self.file)}: " if self.file else ""
        return f"note: {where}{self.message}" + (f"; {self.hint}" if self.hint else "")
