"""Each schema of a contract version compiled once; payload validation with pointer-level problems."""

from __future__ import annotations

import functools
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from types import MappingProxyType
from typing import Any, NamedTuple, TypeVar
from urllib.parse import quote

import jsonschema_rs

from . import _directions, _params, patterns
from ._evaluation import (
    ENUM_LISTED,
    Keyword,
    allowed_text,
    describe,
    enum_message,
    is_plain,
    keyword_at,
    not_allowed,
    problems_from_evaluation,
)
from .contract import Contract, Direction, MediaType, Operation
from .errors import ContractsError, LoadError, NotFoundError
from .extensions import Located
from .extensions import plan as _plan
from .extensions.catalogue import SCHEMA_KEYWORDS
from .payload import REPORT_DEPTH, too_deep_at
from .pointers import to_pointer
from .problems import Location, Problem
from .upgrade import Conversion
from .wire import is_transport_header

MAX_EXTRAS = 4  # validators kept for locations outside the operations' schemas not prepared together
_NO_BODY: Any = object()
_EMPTY: Mapping[str, str] = MappingProxyType({})


def new_validator(schema: Any, registry: jsonschema_rs.Registry | None = None) -> Any:
    """A compiled draft 2020-12 validator that asserts formats and never fetches anything."""
    return jsonschema_rs.Draft202012Validator(
        schema,
        validate_formats=True,
        registry=registry,
        offline=True,
        ignore_unknown_formats=True,
        pattern_options=patterns.options(),
    )


class SchemaValidator:
    """One standalone JSON Schema 2020-12, compiled once (formats asserted, nothing fetched)."""

    def __init__(self, schema: Any, resources: Iterable[tuple[str, Any]] = ()) -> None:
        listed = list(resources)
        registry = jsonschema_rs.Registry(listed, draft=jsonschema_rs.Draft202012) if listed else None
        try:
            self._validator = new_validator(schema, registry)
        except jsonschema_rs.ValidationError as exc:
            raise LoadError(
                f"not a valid JSON Schema: {exc.message}",
                pointer=to_pointer(exc.instance_path),
                hint="fix the schema so that it is valid JSON Schema 2020-12",
            ) from None
        except Exception as exc:
            raise LoadError(f"schema cannot be compiled: {_first_line(exc)}") from None

    def is_valid(self, instance: Any) -> bool:
        """Whether the instance is valid (no error objects are built)."""
        return bool(self._validator.is_valid(instance))

    def validate(self, instance: Any, *, location: Location | None = None) -> list[Problem]:
        """Every problem of the instance, each with its JSON pointer."""
        if self._validator.is_valid(instance):
            return []
        try:
            return errors_to_problems(self._validator.iter_errors(instance), location=location)
        except ValueError as exc:
            return [too_deep(instance, location, "", exc)]


def too_deep(instance: Any, location: Location | None, base: str, exc: ValueError) -> Problem:
    """An invalid payload nested deeper than the engine reports on: one problem saying where, not a crash."""
    if "Recursion limit" not in str(exc):  # the engine's only ValueError on a payload; anything else is a bug
        raise exc
    pointer = base + to_pointer(too_deep_at(instance, REPORT_DEPTH) or ())
    return Problem(
        pointer,
        f"the payload does not match its schema and nests deeper than {REPORT_DEPTH} levels here; "
        f"where it does not match is reported only for payloads up to {REPORT_DEPTH} levels deep",
        "depth",
        location=location,
        hint="flatten the payload",
    )


def errors_to_problems(errors: Iterable[Any], *, location: Location | None, base: str = "") -> list[Problem]:
    """Turn engine errors into problems: payload pointer, keyword, schema location, message."""
    out: list[Problem] = []
    for err in errors:
        if isinstance(err.kind, patterns.STEPS_EXCEEDED):
            # Whether the value matches is unknown, not "no": the answer is the limit, never a verdict.
            raise patterns.too_many_steps(None, base + _pointer_of(tuple(err.instance_path)))
        where = err.absolute_keyword_location
        keyword: str | None
        schema_path: str | None
        if where:
            keyword, schema_path = keyword_at(where)
        else:
            keyword, schema_path = (str(err.schema_path[-1]) if err.schema_path else None), None
        pointer = base + _pointer_of(tuple(err.instance_path))
        if keyword in _CLOSED_KEYWORDS:
            unexpected = getattr(err.kind, "unexpected", None)
            if isinstance(unexpected, list) and unexpected:
                out.extend(not_allowed(pointer, unexpected, keyword, schema_path, location))
                continue
        message = err.message
        if keyword == "enum":
            # The engine abbreviates long lists ("or 2 other candidates"); a partner needs every allowed value.
            options = getattr(err.kind, "options", None)
            if isinstance(options, list) and len(options) <= ENUM_LISTED:
                message = enum_message(err.instance, allowed_text(options))
        out.append(Problem(pointer, message, keyword, schema_path, location))
    return out


_CLOSED_KEYWORDS = frozenset({"additionalProperties", "unevaluatedProperties"})


@functools.lru_cache(maxsize=4096)
def _pointer_of(parts: tuple[str | int, ...]) -> str:
    return to_pointer(parts)


class RequestData(NamedTuple):
    """The parts of an HTTP request that a contract constrains (header names in lower case)."""

    path_params: Mapping[str, str] = _EMPTY
    query: Iterable[tuple[str, str]] = ()
    headers: Mapping[str, str] = _EMPTY
    content_type: str | None = None
    body: Any = _NO_BODY


class CompiledContract:
    """A contract version with every payload schema compiled once; thread-safe validation."""

    def __init__(self, contract: Contract, *, eager: bool = True) -> None:
        """Compile every operation's schemas now (``eager``), or each on first use (lint, which
        reports every schema that does not compile rather than stopping at the first)."""
        self.contract = contract
        try:
            self._registry = jsonschema_rs.Registry(list(contract.resources.items()), draft=jsonschema_rs.Draft202012)
        except Exception as exc:  # the engine rejects a resource: surface it as a load error
            raise LoadError(f"schemas cannot be registered: {exc}", file=contract.base_uri) from None
        # readOnly/writeOnly: each operation schema validates against the files as its direction sees them.
        self._directions = self.directions_of(contract)
        # One pass over the description: readOnly/writeOnly for the directed views, and the
        # extension keywords (rare: when none is written anywhere, no schema has a plan).
        self._marked, self._declared = _directions.scan(contract.resources.values(), SCHEMA_KEYWORDS)
        self._directed: dict[Direction, Any] = {}
        self._validators: dict[str, Any] = {}
        self._plainness: dict[str, bool] = {}
        self._keywords: dict[str, Keyword] = {}
        self._plans: dict[str, _plan.Plan | None] = {}
        self.memo: dict[Any, Any] = {}  # what exchange checks work out once per contract (by their own keys)
        self._lock = threading.Lock()
        uris = self.schema_uris()
        self._routes: dict[str, tuple[Any, str]] = {}  # location -> (the validator holding it, its route)
        self._broken: list[str] = []  # locations that do not compile, in document order
        self._extras: OrderedDict[str, Any] = OrderedDict()  # validators of other locations (_compile_extra)
        self._compile_by_registry(uris)
        self._broken.sort(key=uris.index)
        if eager:
            self.complete()

    def complete(self) -> None:
        """Raise the LoadError naming the first operation schema that does not compile, and work out
        every operation schema's extension plan (what ``eager`` construction does)."""
        if self._broken:
            self._compile_alone(self._broken[0])  # raises the LoadError naming it
        for uri in self.schema_uris():
            self._plan_of(uri)

    def prepare(self, uris: Iterable[str]) -> None:
        """Compile locations outside the operations' schemas together, ahead of their use.

        The diff's witness search asks for the place of every change it proves. Compiled one by
        one, each place's validator compiled again everything the place reaches, which in a
        description whose schemas reference each other is the whole document: changes x document
        (GitHub-shaped 10 MB: 146 places, 40 ms each). Together they cost one document's worth.
        A location that does not compile is left to :meth:`validator`, which names it.
        """
        wanted = [uri for uri in dict.fromkeys(uris) if uri not in self._routes]
        if wanted:
            self._compile_by_registry(wanted)

    def _compile_by_registry(self, uris: list[str]) -> None:
        by_registry: dict[int, tuple[Any, list[str]]] = {}  # a direction may see the files differently
        for uri in uris:
            registry = self._registry_for(uri)
            by_registry.setdefault(id(registry), (registry, []))[1].append(uri)
        for registry, group in by_registry.values():
            self._compile_together(group, registry)

    def _compile_together(self, uris: list[str], registry: Any) -> None:
        """Validators each holding many schema locations, each location reachable under its own property.

        The engine compiles each ``$ref`` target once per validator: one validator per location
        compiled a shared schema again for every location reaching it (Stripe's description: 1,900
        locations, 24 s), where one validator for all of them takes a tenth of a second. When some
        location does not compile, the set is halved until each bad one stands alone.
        """
        if not uris:
            return
        routes = {f"s{i}": {"$ref": _uri_ref(uri)} for i, uri in enumerate(uris)}
        try:
            engine = new_validator({"properties": routes}, registry)
        except Exception:
            if len(uris) == 1:
                self._broken.append(uris[0])
                return
            half = len(uris) // 2
            self._compile_together(uris[:half], registry)
            self._compile_together(uris[half:], registry)
            return
        self._routes.update((uri, (engine, f"s{i}")) for i, uri in enumerate(uris))

    def schema_uris(self) -> list[str]:
        """Every schema location used by an operation of this contract."""
        return self.schema_uris_of(self.contract)

    @staticmethod
    def schema_uris_of(contract: Contract) -> list[str]:
        """Every schema location used by an operation of ``contract`` (its webhooks' and callbacks' too)."""
        return contract.schema_uris()

    @staticmethod
    def directions_of(contract: Contract) -> dict[str, Direction]:
        """The direction of every operation schema location: parameters and request bodies are
        requests, response bodies and headers responses."""
        out: dict[str, Direction] = {}
        for op in (*contract.operations, *contract.events):
            for p in op.parameters:
                if p.schema_uri:
                    out[p.schema_uri] = "request"
            if op.request_body:
                out.update((m.schema_uri, "request") for m in op.request_body.content.values() if m.schema_uri)
            for resp in op.responses.values():
                out.update((m.schema_uri, "response") for m in resp.content.values() if m.schema_uri)
                out.update((h.schema_uri, "response") for h in resp.headers.values() if h.schema_uri)
        return out

    def omits(self, schema_uri: str) -> str | None:
        """The keyword whose members a payload at this location may leave out: ``readOnly`` in a
        request, ``writeOnly`` in a response (None for a location that is neither)."""
        direction = self._directions.get(schema_uri)
        return None if direction is None else _directions.OMITTED_BY[direction]

    def _registry_for(self, schema_uri: str) -> Any:
        """The registry a schema location compiles against: its direction's view of the files."""
        direction = self._directions.get(schema_uri)
        if direction is None:
            return self._registry
        if direction not in self._directed:
            copies = _directions.directed(self.contract.resources, direction, self._marked)
            self._directed[direction] = (
                self._registry
                if copies is None
                else jsonschema_rs.Registry(list(copies.items()), draft=jsonschema_rs.Draft202012)
            )
        return self._directed[direction]

    def validator(self, schema_uri: str) -> Any:
        """The compiled validator of a schema location (compiled on first use, then cached)."""
        found = self._validators.get(schema_uri)
        if found is not None:
            return found
        route = self._routes.get(schema_uri)
        if route is not None:
            found = self._validators[schema_uri] = _Routed(*route)
            return found
        return self._compile_extra(schema_uri)

    def _compile_extra(self, schema_uri: str) -> Any:
        """A location outside the operations' schemas that was not :meth:`prepare`-d.

        Each gets a validator of its own, and the most recent :data:`MAX_EXTRAS` are kept: every one
        holds a compiled copy of everything its location reaches, so keeping them all grew memory as
        locations x document (GitHub-shaped description, 10 MB: past 2 GB, and the engine aborted).
        """
        with self._lock:
            found = self._extras.get(schema_uri)
            if found is not None:
                self._extras.move_to_end(schema_uri)
                return found
        found = self._compile_alone(schema_uri)
        with self._lock:
            self._extras[schema_uri] = found
            while len(self._extras) > MAX_EXTRAS:
                self._extras.popitem(last=False)
        return found

    def _compile_alone(self, schema_uri: str) -> Any:
        """A validator of its own for one location; LoadError naming it when it does not compile."""
        try:
            return new_validator({"$ref": _uri_ref(schema_uri)}, self._registry_for(schema_uri))
        except Exception as exc:  # invalid schema, unresolvable ref, bad regex, ...
            base, _, pointer = schema_uri.partition("#")
            raise LoadError(
                f"schema cannot be compiled: {_first_line(exc)}",
                file=base,
                pointer=pointer,
                line=self.contract.line_of(schema_uri),
                hint="fix the schema so that it is valid JSON Schema 2020-12",
            ) from None

    def check(self, schema_uri: str, instance: Any, *, location: Location | None, base: str = "") -> list[Problem]:
        """Validate one instance against one schema location (JSON Schema, then extension keywords); all problems."""
        plan = self._plans.get(schema_uri, _UNPLANNED)
        if plan is _UNPLANNED:
            plan = self._plan_of(schema_uri)
        if plan is None:
            return self._schema_problems(schema_uri, instance, location, base)
        problems = self._schema_problems(schema_uri, instance, location, base)
        problems.extend(extension_problems(plan.locate(instance, SCHEMA_KEYWORDS), location, base))
        return problems

    def locate(self, schema_uri: str, instance: Any) -> list[Located]:
        """Every value of ``instance`` that an extension keyword of the schema applies to."""
        plan = self._plan_of(schema_uri)
        return [] if plan is None else plan.locate(instance, SCHEMA_KEYWORDS)

    def extension_problems(self, schema_uri: str, instance: Any) -> list[Problem]:
        """The problems extension keywords alone find in ``instance`` (no JSON Schema validation)."""
        plan = self._plan_of(schema_uri)
        return [] if plan is None else extension_problems(plan.locate(instance, SCHEMA_KEYWORDS), None)

    def declares(self, schema_uri: str, keyword: str) -> bool:
        """Whether an extension keyword is reachable from the schema at ``schema_uri``."""
        plan = self._plan_of(schema_uri)
        return plan is not None and keyword in plan.keywords

    def _plan_of(self, schema_uri: str) -> _plan.Plan | None:
        """Where extension keywords apply under a schema location (worked out once, then cached)."""
        if schema_uri in self._plans:
            return self._plans[schema_uri]
        if not self._declared:
            self._plans[schema_uri] = None
            return None
        try:
            resolved = self._lookup(_uri_ref(schema_uri))
            found = _plan.build(
                resolved.contents,
                resolved.resolver,
                schema_uri,
                SCHEMA_KEYWORDS,
                self.validator(schema_uri).evaluate,
            )
        except LoadError:
            raise
        except Exception:
            found = None
        self._plans[schema_uri] = found
        return found

    def _schema_problems(self, schema_uri: str, instance: Any, location: Location | None, base: str) -> list[Problem]:
        validator = self.validator(schema_uri)
        if validator.is_valid(instance):  # the fast path: no error objects built
            return []
        found: list[Problem] | None = None
        try:
            if self._plain(schema_uri):
                found = problems_from_evaluation(
                    validator.evaluate(instance).errors(), instance, self._keyword, location=location, base=base
                )
            if found is None:
                found = errors_to_problems(validator.iter_errors(instance), location=location, base=base)
        except ValueError as exc:
            return [too_deep(instance, location, base, exc)]
        if self.contract.conversion is not None:  # a 3.0 description: name the keyword where it was written
            found = [_as_written(self.contract.conversion, p) if p.schema_path else p for p in found]
        return found

    def has_extensions(self, schema_uri: str) -> bool:
        """Whether any extension keyword (``x-tensor``, ``x-sum``, ...) applies under a schema location."""
        return self._plan_of(schema_uri) is not None

    def _plain(self, schema_uri: str) -> bool:
        """Whether the schema's violations can be read from the cheaper evaluation output."""
        plain = self._plainness.get(schema_uri)
        if plain is None:
            try:
                resolved = self._lookup(_uri_ref(schema_uri))
                plain = is_plain(resolved.contents, resolved.resolver)
            except Exception:
                plain = False
            self._plainness[schema_uri] = plain
        return plain

    def _keyword(self, location: str) -> Keyword:
        """What reporting needs about a failing keyword location (cached: a contract has few)."""
        found = self._keywords.get(location)
        if found is None:
            found = self._keywords[location] = describe(location, self._contents)
        return found

    def resolved(self, uri: str) -> tuple[Any, Any] | None:
        """The schema at a location and the resolver its ``$ref`` are looked up with; None when it does not resolve."""
        try:
            found = self._lookup(_uri_ref(uri))
        except Exception:
            return None
        return found.contents, found.resolver

    def schema_at(self, uri: str) -> Any:
        """The schema at an absolute location of this contract; None when it does not resolve."""
        return self._contents(_uri_ref(uri))

    def resolved_at(self, uri: str) -> Any:
        """The schema at ``uri`` with a bare ``$ref`` chain followed (what a parameter's values must fit)."""
        return self._resolve(self.schema_at(uri))

    def _contents(self, uri: str) -> Any:
        """The schema (or keyword value) at an absolute location; None when it does not resolve."""
        try:
            return self._lookup(uri).contents
        except Exception:
            return None

    def _lookup(self, ref: str) -> Any:
        """Resolve a reference against the contract's base, in the contract's registry."""
        return self._registry.resolver(self.contract.base_uri).lookup(ref)

    # -- bodies -------------------------------------------------------------------------------
    def validate_body(
        self,
        op: Operation,
        direction: Direction,
        payload: Any,
        *,
        status: int | str | None = None,
        media_type: str | None = None,
    ) -> list[Problem]:
        """Validate a body payload of a request or of a response with ``status``."""
        if direction == "request":
            if op.request_body is None:
                return [Problem("", f"{op.label} takes no request body", location="body", keyword="requestBody")]
            content = op.request_body.content
        else:
            response = op.response_for(status if status is not None else "")
            if response is None:
                raise NotFoundError("status", f"{status} of {op.label}", list(op.responses))
            if not response.content:
                return (
                    []
                    if payload is None
                    else [Problem("", f"response {response.status} of {op.label} has no body", location="body")]
                )
            content = response.content
        mt = pick_media_type(content, media_type)
        if mt is None:
            return [
                Problem(
                    "",
                    f"media type {media_type!r} is not documented; documented: {', '.join(content)}",
                    location="media-type",
                    keyword="content",
                )
            ]
        if mt.schema_uri is None:
            return []
        return self.check(mt.schema_uri, payload, location="body")

    # -- whole requests and responses ---------------------------------------------------------
    def validate_request(self, op: Operation, request: RequestData) -> list[Problem]:
        """Validate path, query and header parameters and the body of one request."""
        problems: list[Problem] = []
        query: dict[str, list[str]] = {}
        for key, value in request.query:
            query.setdefault(key, []).append(value)
        for param in op.parameters:
            if param.location == "path":
                raw = [request.path_params[param.name]] if param.name in request.path_params else []
            elif param.location == "query":
                raw = query.get(param.name, [])
            elif param.location == "header":
                if param.name.lower() in _params.IGNORED_HEADERS:
                    continue
                header = request.headers.get(param.name.lower())
                raw = [] if header is None else [header]
            else:
                continue  # cookies are not checked
            problems.extend(
                self._check_param(
                    param.location,
                    param.name,
                    param.required,
                    param.schema_uri,
                    param.schema,
                    param.style,
                    param.explode,
                    raw,
                )
            )
        body = op.request_body
        if body is not None:
            if request.body is _NO_BODY:
                if body.required:
                    problems.append(
                        Problem(
                            "",
                            "request body is required",
                            location="body",
                            keyword="required",
                            hint=f"send one of: {', '.join(body.content)}",
                        )
                    )
            else:
                mt = pick_media_type(body.content, request.content_type)
                if mt is None:
                    problems.append(
                        Problem(
                            "",
                            f"media type {request.content_type or '(none)'!r} is not accepted; "
                            f"accepted: {', '.join(body.content)}",
                            location="media-type",
                            keyword="content",
                            hint=f"set Content-Type to {next(iter(body.content), 'application/json')}",
                        )
                    )
                elif mt.schema_uri is not None:
                    problems.extend(self.check(mt.schema_uri, request.body, location="body"))
        return problems

    def header_problems(self, name: str, schema_uri: str, value: str) -> list[Problem]:
        """Problems of one header value against the schema at ``schema_uri``, read as headers are (simple style)."""
        return self._check_param("header", name, True, schema_uri, self.schema_at(schema_uri), "simple", False, [value])

    def _check_param(
        self,
        location: Location,
        name: str,
        required: bool,
        schema_uri: str | None,
        schema: Any,
        style: str,
        explode: bool,
        raw: list[str],
    ) -> list[Problem]:
        pointer = to_pointer([name])
        if not raw:
            if required:
                return [
                    Problem(
                        pointer,
                        f"required {location} parameter {name!r} is missing",
                        location=location,
                        keyword="required",
                    )
                ]
            return []
        if schema_uri is None:
            return []
        value = _params.coerce(raw, self._resolve(schema), style, explode, self._resolve)
        return self.check(schema_uri, value, location=location, base=pointer)

    def _resolve(self, schema: Any) -> Any:
        """Follow a local ``$ref`` to find the types a parameter value should be coerced to."""
        for _ in range(16):
            if isinstance(schema, dict) and isinstance(schema.get("$ref"), str) and len(schema) == 1:
                ref = schema["$ref"]
                try:
                    schema = self._lookup(ref).contents
                except Exception:
                    return schema
            else:
                break
        return schema

    def validate_response(
        self,
        op: Operation,
        status: int,
        headers: Mapping[str, str],
        content_type: str | None,
        body: Any = _NO_BODY,
    ) -> list[Problem]:
        """Validate a response: status documented, media type, required headers, body."""
        response = op.response_for(status)
        if response is None and not op.responses:
            return []  # OpenAPI 3.1 and 3.2 let an operation document no response: nothing is promised
        if response is None:
            return [
                Problem(
                    "",
                    f"status {status} is not documented for {op.label}; documented: {', '.join(op.responses)}",
                    location="status",
                    keyword="responses",
                )
            ]
        problems: list[Problem] = []
        for header in response.headers.values():
            if is_transport_header(header.name):
                continue  # set by the HTTP layer for this message, not by the API
            raw = headers.get(header.name.lower())
            problems.extend(
                self._check_param(
                    "header",
                    header.name,
                    header.required,
                    header.schema_uri,
                    header.schema,
                    "simple",
                    False,
                    [] if raw is None else [raw],
                )
            )
        if response.content and body is not _NO_BODY:
            mt = pick_media_type(response.content, content_type, exact=True)
            if mt is None:
                problems.append(
                    Problem(
                        "",
                        f"media type {content_type or '(none)'!r} is not documented for "
                        f"status {status}; documented: {', '.join(response.content)}",
                        location="media-type",
                        keyword="content",
                    )
                )
            elif mt.schema_uri is not None:
                problems.extend(self.check(mt.schema_uri, body, location="body"))
        return problems


_UNPLANNED: Any = object()
_T = TypeVar("_T")
_SHARED: ContextVar[dict[tuple[str, int], tuple[Contract, Any]] | None] = ContextVar("compiled_once", default=None)


@contextmanager
def compiling_once() -> Iterator[None]:
    """Within the block, :func:`compiled_of` compiles each contract once however many checks ask, and
    :func:`computed_once` builds each named value of a contract once.

    Lint's checks each compiled the contract again (five times on a Stripe-sized description, a
    third of its lint).
    """
    token = _SHARED.set({})
    try:
        yield
    finally:
        _SHARED.reset(token)


def computed_once(contract: Contract, what: str, build: Callable[[Contract], _T]) -> _T:
    """``build(contract)``, the same value for every call naming ``what`` inside :func:`compiling_once`."""
    memo = _SHARED.get()
    if memo is None:
        return build(contract)
    found = memo.get((what, id(contract)))
    if found is None:
        found = memo[(what, id(contract))] = (contract, build(contract))  # held: its id is not reused meanwhile
    value: _T = found[1]
    return value


def compiled_of(contract: Contract, *, eager: bool = True) -> CompiledContract:
    """``CompiledContract(contract, eager=eager)``, the same one for every call inside :func:`compiling_once`."""
    if _SHARED.get() is None:
        return CompiledContract(contract, eager=eager)
    compiled = computed_once(contract, "compiled", _compiled_or_error)
    if isinstance(compiled, ContractsError):
        raise compiled
    if eager:
        compiled.complete()
    return compiled


def _compiled_or_error(contract: Contract) -> CompiledContract | ContractsError:
    # The error is kept too: every check asking again gets it without compiling again.
    try:
        return CompiledContract(contract, eager=False)
    except ContractsError as exc:
        return exc


class _Routed:
    """One schema location of a contract's single compiled validator: the payload sits under its route.

    Behaves as that location's own validator would: the same verdicts, errors and annotations, with
    the route's step taken off every instance location.
    """

    __slots__ = ("_engine", "_prefix", "_route")

    def __init__(self, engine: Any, route: str) -> None:
        self._engine = engine
        self._route = route
        self._prefix = "/" + route

    def is_valid(self, instance: Any) -> bool:
        """Whether the payload is valid against the location's schema."""
        return bool(self._engine.is_valid({self._route: instance}))

    def iter_errors(self, instance: Any) -> Iterator[Any]:
        """The engine's errors, each with its instance path relative to the payload."""
        for err in self._engine.iter_errors({self._route: instance}):
            yield _RoutedError(err)

    def evaluate(self, instance: Any) -> _RoutedEvaluation:
        """The engine's evaluation output, with instance locations relative to the payload."""
        return _RoutedEvaluation(self._engine.evaluate({self._route: instance}), self._prefix)


class _RoutedError:
    """An engine error seen from the payload: its instance path without the route's step."""

    __slots__ = ("_err", "instance_path")

    def __init__(self, err: Any) -> None:
        self._err = err
        self.instance_path = list(err.instance_path)[1:]

    def __getattr__(self, name: str) -> Any:
        return getattr(self._err, name)


class _RoutedEvaluation:
    """Evaluation output entries under the route, with the route's step taken off their instance location."""

    __slots__ = ("_evaluation", "_prefix")

    def __init__(self, evaluation: Any, prefix: str) -> None:
        self._evaluation = evaluation
        self._prefix = prefix

    def errors(self) -> list[dict[str, Any]]:
        """The failing keywords (``evaluate(...).errors()``)."""
        return self._relative(self._evaluation.errors())

    def annotations(self) -> list[dict[str, Any]]:
        """The annotations collected (``evaluate(...).annotations()``)."""
        return self._relative(self._evaluation.annotations())

    def _relative(self, entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
        prefix, size = self._prefix, len(self._prefix)
        out = []
        for entry in entries:
            at = entry.get("instanceLocation") or ""
            if at == prefix or at.startswith(prefix + "/"):  # the dispatch's own `properties` is not the payload's
                out.append({**entry, "instanceLocation": at[size:]})
        return out


def _as_written(conversion: Conversion, problem: Problem) -> Problem:
    """A problem whose schema path is in a converted 3.0 description, located where the keyword was written."""
    where = str(problem.schema_path)
    message = problem.message
    if conversion.made(where):  # the anyOf that reads 3.0's nullable: say so, the document has no anyOf there
        message += " (OpenAPI 3.0's `nullable` here reads: null, or the schema beside it)"
    return problem._replace(schema_path=conversion.original_uri(where), message=message)


def body_schema_uri(
    op: Operation, direction: Direction, status: int | str | None, media_type: str | None
) -> str | None:
    """The schema location of a request body, or of the body of the response with ``status``."""
    if direction == "request":
        content = op.request_body.content if op.request_body else None
    else:
        response = op.response_for(status if status is not None else "")
        content = response.content if response else None
    if not content:
        return None
    mt = pick_media_type(content, media_type)
    return mt.schema_uri if mt else None


def extension_problems(found: list[Located], location: Location | None, base: str = "") -> list[Problem]:
    """The problems extension keywords find at the located values, and across them (one payload)."""
    if not found:
        return []
    problems: list[Problem] = []
    by_keyword: dict[str, list[Located]] = {}
    for item in found:
        problems.extend(SCHEMA_KEYWORDS[item.keyword].check(item))
        by_keyword.setdefault(item.keyword, []).append(item)
    for keyword, items in by_keyword.items():
        together = SCHEMA_KEYWORDS[keyword].check_together
        if together is not None:
            problems.extend(together(items))
    if not problems or (location is None and not base):
        return problems
    return [p._replace(pointer=base + p.pointer, location=location) for p in problems]


def pick_media_type(content: Mapping[str, MediaType], given: str | None, *, exact: bool = False) -> MediaType | None:
    """The documented media type matching ``given`` (parameters ignored; ``*/*`` and ``type/*`` match).

    ``None`` given picks the first JSON-like entry (what a payload without a declared type is taken as).
    """
    if not content:
        return None
    if given is None:
        for name, mt in content.items():
            if is_json_media_type(name):
                return mt
        return None if exact else next(iter(content.values()))
    found = content.get(given)  # the common case: exactly a documented media type
    if found is not None:
        return found
    base = media_base(given)
    for name, mt in content.items():
        if media_base(name) == base:
            return mt
    main = base.split("/", 1)[0]
    for name, mt in content.items():
        lowered = name.lower()
        if lowered == "*/*" or lowered == f"{main}/*":
            return mt
    return None


def media_base(media_type: str) -> str:
    """A media type without its parameters, lower case: ``Application/JSON; charset=utf-8`` -> ``application/json``."""
    return media_type.split(";", 1)[0].strip().lower()


def is_json_content_type(content_type: str) -> bool:
    """Whether a Content-Type on the wire is JSON (``application/json`` or ``*+json``)."""
    base = media_base(content_type)
    return base == "application/json" or base.endswith("+json")


def is_json_media_type(media_type: str) -> bool:
    """Whether a documented media type takes a JSON body (``application/json``, ``*+json``, ``*/*``)."""
    return is_json_content_type(media_type) or media_base(media_type) == "*/*"


def _uri_ref(uri: str) -> str:
    """Percent-encode a location's fragment (``{id}`` in a path template is not a URI character)."""
    base, _, fragment = uri.partition("#")
    return f"{base}#{quote(fragment, safe=_FRAGMENT_SAFE)}"


_FRAGMENT_SAFE = "/~:@!$&'()*+,;=-._?"


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
