"""Exceptions: raised only when the tool cannot proceed.

A contract that breaks a rule is not an exception: findings are returned values
(:class:`validator.problems.Problem`). Exceptions map onto exit status 2 (usage, not found,
a contract that cannot be loaded) or 3 (an API that cannot be reached).

    ContractsError                 base; ``message`` plus optional ``hint``
    ├── UsageError                 the caller's words are off (exit 2)
    │   └── NotFoundError          unknown contract, version or operation; lists what exists
    ├── LoadError                  a document cannot be read or parsed; names file, line, pointer
    │   ├── RemoteReferenceError   a ``$ref`` to http(s) or an absolute path: never fetched
    │   ├── EscapingReferenceError a ``$ref`` that leaves its version folder
    │   └── RefCycleError          ``$ref``s (through allOf/anyOf/...) that lead back to themselves
    ├── TooComplexError            past a declared limit (time, memory, expansion, regex steps)
    └── UnreachableError           the API under test does not answer (exit 3)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from urllib.parse import unquote, urlsplit


class ContractsError(Exception):
    """Base of every error that stops a command."""

    exit_code = 2

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message if not self.hint else f"{self.message}\n  hint: {self.hint}"

    def describe(self, display: Callable[[str], str] | None = None) -> str:
        """The message, with any file it names shown by ``display``."""
        return self.message

    def to_dict(self, display: Callable[[str], str] | None = None) -> dict[str, object]:
        """The error as a JSON-ready problem (files shown by ``display``, else as held)."""
        out: dict[str, object] = {"pointer": "", "message": self.message}
        if self.hint:
            out["hint"] = self.hint
        return out


class UsageError(ContractsError):
    """Bad arguments or options."""


class NotFoundError(UsageError):
    """A contract, version or operation that does not exist; ``available`` lists what does."""

    def __init__(self, what: str, name: str, available: Sequence[str], *, hint: str | None = None) -> None:
        listing = ", ".join(available) if available else "none"
        super().__init__(f"unknown {what} {name!r}; available: {listing}", hint=hint)
        self.what = what
        self.name = name
        self.available = list(available)

    def to_dict(self, display: Callable[[str], str] | None = None) -> dict[str, object]:
        """The error as a problem, with the names that do exist under ``available``."""
        out = super().to_dict(display)
        out["available"] = self.available
        return out


class LoadError(ContractsError):
    """A contract document that cannot be read, parsed or resolved."""

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        pointer: str = "",
        line: int | None = None,
        hint: str | None = None,
    ) -> None:
        self.reason = message
        self.file = file  # a ``file:`` URI for contract files, else the path as given
        self.pointer = pointer
        self.line = line
        super().__init__(self.describe(), hint=hint)

    def describe(self, display: Callable[[str], str] | None = None) -> str:
        """``file:line at pointer: reason``, the file shown by ``display`` (else as a plain path)."""
        where = (display or _plain_path)(self.file) if self.file else ""
        if self.line is not None:
            where += f":{self.line}"
        if self.pointer:
            where += f" at {self.pointer}" if where else f"at {self.pointer}"
        return f"{where}: {self.reason}" if where else self.reason

    def to_dict(self, display: Callable[[str], str] | None = None) -> dict[str, object]:
        """The error as a problem located in the contract: pointer, message, file and line when known."""
        out: dict[str, object] = {"pointer": self.pointer, "message": self.reason}
        if self.file:
            out["file"] = display(self.file) if display else self.file
        if self.line is not None:
            out["line"] = self.line
        if self.hint:
            out["hint"] = self.hint
        return out


class RemoteReferenceError(LoadError):
    """A ``$ref`` to a remote URL or an absolute path; refused, never fetched."""


class EscapingReferenceError(LoadError):
    """A ``$ref`` whose target lies outside the contract's version folder."""


class RefCycleError(LoadError):
    """A schema that reaches itself without reading deeper into the value: validation would never end."""


class TooComplexError(ContractsError):
    """An analysis went past one of its declared limits (:mod:`validator.limits`); exit 2, HTTP 422.

    Not a :class:`LoadError`: the document may be fine, only too costly under these limits, so it is
    never turned into an ordinary problem and carried on with.
    """

    def __init__(self, message: str, *, limit: str, pointer: str = "", file: str | None = None) -> None:
        self.limit = limit  # seconds, memory_mb, expansion or regex_steps
        self.pointer = pointer
        self.file = file
        variable = "CONTRACTS_MAX_" + limit.upper()
        super().__init__(
            message if not pointer else f"{message} at {pointer}",
            hint=f"simplify the document, or raise the limit ({variable}) if it is trusted",
        )
        self.reason = message

    def describe(self, display: Callable[[str], str] | None = None) -> str:
        """``file at pointer: reason``, the file shown by ``display`` (when one is known)."""
        if not self.file:
            return self.message
        where = (display or _plain_path)(self.file)
        return f"{where} at {self.pointer}: {self.reason}" if self.pointer else f"{where}: {self.reason}"

    def to_dict(self, display: Callable[[str], str] | None = None) -> dict[str, object]:
        """The error as a problem: pointer, message, the limit's name, and the file when known."""
        out: dict[str, object] = {"pointer": self.pointer, "message": self.reason, "limit": self.limit}
        if self.file:
            out["file"] = display(self.file) if display else self.file
        if self.hint:
            out["hint"] = self.hint
        return out


class UnreachableError(ContractsError):
    """The API under test could not be reached."""

    exit_code = 3


def _plain_path(file: str) -> str:
    """A ``file:`` URI as its absolute path (what an error's own message shows, whatever the display)."""
    return unquote(urlsplit(file).path) if file.startswith("file:") else file
