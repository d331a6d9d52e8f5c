"""The values the extension hooks exchange: declarations, located payload values, exchanges."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from ..problems import Problem

if TYPE_CHECKING:
    from ..compiled import CompiledContract, RequestData
    from ..contract import Operation


class DeclarationError(ValueError):
    """A keyword's declaration that cannot be used; ``pointer`` is relative to the keyword's value."""

    def __init__(self, message: str, pointer: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.pointer = pointer


class Located(NamedTuple):
    """One payload value a keyword applies to: the parsed declaration, the value, its JSON pointer."""

    keyword: str
    model: Any
    value: Any
    pointer: str
    schema_uri: str  # the schema carrying the keyword (its absolute location)


class SchemaKeyword(NamedTuple):
    """A keyword on a schema: parse its declaration once, check each payload value it applies to."""

    keyword: str
    parse: Callable[[Any, Any], Any]  # (declaration, the schema carrying it) -> model; DeclarationError
    check: Callable[[Located], list[Problem]]
    check_together: Callable[[Sequence[Located]], list[Problem]] | None = None


class Exchange(NamedTuple):
    """One request and the response that answered it, as checks across the two see them."""

    operation: Operation
    request: RequestData
    status: int | str
    response_headers: Mapping[str, str]
    response_body: Any
    response_media_type: str | None = None


class ExchangeCheck(NamedTuple):
    """A check over a request and its response (``keyword`` names it in problems and docs)."""

    keyword: str
    check: Callable[[CompiledContract, Exchange], list[Problem]]
