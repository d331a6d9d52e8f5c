"""The loaded contract as immutable values: operations, parameters, bodies, responses, interactions.

Every schema is held as the URI of its location (``file:///…/openapi.yaml#/paths/…/schema``), which
is what :mod:`validator.compiled` compiles; ``$ref`` chains of OpenAPI objects are already followed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import unquote, urlsplit

if TYPE_CHECKING:
    from .upgrade import Conversion

# Which side of an exchange: what the client sends, or what the API answers.
Direction = Literal["request", "response"]
# Where a parameter travels (OpenAPI ``in``; 3.2's ``querystring`` is read but not modelled).
ParameterLocation = Literal["path", "query", "header", "cookie"]
PARAMETER_LOCATIONS: tuple[ParameterLocation, ...] = ("path", "query", "header", "cookie")
# The member of an Example Object holding its value: ``value``, or OpenAPI 3.2's ``dataValue``.
ExampleKey = Literal["value", "dataValue"]

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def frozen(mapping: Mapping[str, Any] | None = None) -> Mapping[str, Any]:
    """A read-only view of a mapping."""
    return MappingProxyType(dict(mapping or {}))


@dataclass(frozen=True, slots=True)
class Example:
    """A named example value (``examples.NAME.value`` or a single ``example``)."""

    name: str
    value: Any
    uri: str  # where it stands: ``file:…#/pointer``
    extensions: Mapping[str, Any] = field(default_factory=frozen)
    value_key: ExampleKey = "value"


@dataclass(frozen=True, slots=True)
class MediaType:
    """One media type of a request body, response or parameter ``content``."""

    media_type: str
    schema_uri: str | None
    schema: Any  # the schema as written (may be a {"$ref": …})
    examples: Mapping[str, Example] = field(default_factory=frozen)


@dataclass(frozen=True, slots=True)
class Parameter:
    """A path, query, header or cookie parameter."""

    name: str
    location: ParameterLocation
    required: bool
    schema_uri: str | None
    schema: Any
    style: str
    explode: bool
    uri: str  # where it stands: ``file:…#/pointer``
    deprecated: bool = False
    examples: Mapping[str, Any] = field(default_factory=frozen)  # named examples: name -> value
    example: tuple[Any, ...] = ()  # the singular ``example``, when written (a default, never a name)

    @property
    def key(self) -> tuple[str, str]:
        """Identity within an operation: location plus name (header names are case-insensitive)."""
        return (self.location, self.name.lower() if self.location == "header" else self.name)


@dataclass(frozen=True, slots=True)
class RequestBody:
    """An operation's request body: whether required, and its content per media type."""

    required: bool
    content: Mapping[str, MediaType]
    uri: str  # where it stands: ``file:…#/pointer``


@dataclass(frozen=True, slots=True)
class Header:
    """A response header."""

    name: str
    required: bool
    schema_uri: str | None
    schema: Any


@dataclass(frozen=True, slots=True)
class Response:
    """A documented response: status (``200``, ``4XX``, ``default``), headers, content."""

    status: str
    description: str
    headers: Mapping[str, Header]
    content: Mapping[str, MediaType]
    uri: str  # where it stands: ``file:…#/pointer``


@dataclass(frozen=True, slots=True)
class Interaction:
    """A named example pair: request example X and response example X, under ``status``."""

    name: str
    request: Any  # the request body example, or None when the operation takes no body
    request_media_type: str | None
    status: str
    response: Any
    response_media_type: str | None
    match: Any = None  # x-match of the response example: None (schema only), "exact", {"tolerance": t}
    parameters: Mapping[str, Any] = field(default_factory=frozen)  # parameter examples named X


@dataclass(frozen=True, slots=True)
class Operation:
    """One method on one path."""

    method: str  # upper case
    path: str
    operation_id: str | None
    pointer: str
    parameters: tuple[Parameter, ...]
    request_body: RequestBody | None
    responses: Mapping[str, Response]
    interactions: Mapping[str, Interaction]
    security: tuple[Mapping[str, Any], ...] = ()
    extensions: Mapping[str, Any] = field(default_factory=frozen)
    summary: str = ""
    deprecated: bool = False

    @property
    def key(self) -> str:
        """``METHOD /path``: how the operation is named when it has no operationId."""
        return f"{self.method} {self.path}"

    @property
    def label(self) -> str:
        """The operationId when there is one, else ``METHOD /path``."""
        return self.operation_id or self.key

    def response_for(self, status: int | str) -> Response | None:
        """The documented response for a status: exact, then ``NXX`` range, then ``default``."""
        code = str(status)
        if code in self.responses:
            return self.responses[code]
        ranged = f"{code[:1]}XX"
        for candidate in (ranged, ranged.lower()):
            if candidate in self.responses:
                return self.responses[candidate]
        return self.responses.get("default")

    def success_statuses(self) -> list[str]:
        """Documented 2xx statuses (exact or ranged), in document order."""
        return [s for s in self.responses if s[:1] == "2"]


@dataclass(frozen=True, slots=True)
class Contract:
    """One contract version: its documents, operations and where everything came from."""

    name: str
    version: str
    folder: str  # absolute path of the version folder
    base_uri: str  # URI of the OpenAPI document
    document: Mapping[str, Any]  # the OpenAPI document as written (refs unresolved)
    resources: Mapping[str, Any]  # every loaded file: URI -> parsed data
    lines: Mapping[str, Mapping[str, int]]  # URI -> pointer -> source line
    operations: tuple[Operation, ...]
    # What kind of OpenAPI object each reference target holds ("file#pointer" -> "schema", "parameter", ...).
    kinds: Mapping[str, str] = field(default_factory=frozen)
    # Operations the API sends instead of serving: webhooks (path "webhooks/NAME") and callbacks
    # (path "callbacks/OWNER/NAME/EXPRESSION"). Linted and diffed; never mocked or contract-tested.
    events: tuple[Operation, ...] = ()
    # Set when the description was OpenAPI 3.0, read through validator.upgrade: what it did, where things moved.
    conversion: Conversion | None = None

    @property
    def title(self) -> str:
        """``info.title`` of the document."""
        info = self.document.get("info")
        return str(info.get("title", self.name)) if isinstance(info, Mapping) else self.name

    def operation(self, ref: str) -> Operation:
        """Find an operation by operationId or ``METHOD /path``; raise NotFoundError listing them."""
        from .errors import NotFoundError

        for op in self.operations:
            if ref == op.operation_id:
                return op
        method, _, path = ref.strip().partition(" ")
        for op in self.operations:
            if method.upper() == op.method and path.strip() == op.path:
                return op
        raise NotFoundError(
            "operation",
            ref,
            [op.label if op.operation_id is None else f"{op.operation_id} ({op.key})" for op in self.operations],
        )

    def schema_uris(self) -> list[str]:
        """Every schema location used by an operation, webhook or callback (parameters, bodies, headers)."""
        uris: list[str] = []
        for op in (*self.operations, *self.events):
            uris.extend(p.schema_uri for p in op.parameters if p.schema_uri)
            if op.request_body:
                uris.extend(m.schema_uri for m in op.request_body.content.values() if m.schema_uri)
            for resp in op.responses.values():
                uris.extend(m.schema_uri for m in resp.content.values() if m.schema_uri)
                uris.extend(h.schema_uri for h in resp.headers.values() if h.schema_uri)
        return list(dict.fromkeys(uris))

    def source_uri(self, uri: str) -> str:
        """A ``file#pointer`` of the model as a location in the description as written (a conversion moves some)."""
        return uri if self.conversion is None else self.conversion.original_uri(uri)

    def source_pointer(self, file_uri: str, pointer: str) -> str:
        """A pointer of the model into ``file_uri`` as a pointer into that file as written."""
        return pointer if self.conversion is None else self.conversion.original_pointer(file_uri, pointer)

    def line_of(self, uri: str) -> int | None:
        """The source line of a ``file#pointer`` URI, when known."""
        base, _, fragment = uri.partition("#")
        return self.lines.get(base, {}).get(fragment)

    def shown(self, uri: str) -> str:
        """A location as users see it: relative to the version folder (``openapi.yaml#/paths/...``)."""
        base, sep, fragment = uri.partition("#")
        path = unquote(urlsplit(base).path)
        folder = self.folder.rstrip("/") + "/"
        relative = path[len(folder) :] if path.startswith(folder) else path.rsplit("/", 1)[-1]
        return f"{relative}{sep}{fragment}"
