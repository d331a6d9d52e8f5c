"""Which response the mock sends for a valid request: Prefer header, named example, first 2xx, generated.

Everything that does not depend on the request is worked out once per operation (serialised
example bodies, response headers), so a request costs a dictionary look-up and one equality test.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from http import HTTPStatus
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

import orjson

from validator.bodies import encode
from validator.compiled import CompiledContract, RequestData, pick_media_type
from validator.contract import Operation, Response
from validator.interactions import ParameterMatch, parameter_match
from validator.problems import Problem
from validator.relations import Side
from validator.relations.exchange import request_side
from validator.wire import is_transport_header

from .generate import GenerationError, Generator
from .shaping import REQUEST_ID_HEADER, Shaper

if TYPE_CHECKING:
    from .tensors import TensorAnswers


# Why the mock answered what it did (the request log's ``source``); chaos and mock are the app's own.
ReplySource = Literal[
    "prefer-code",
    "prefer-example",
    "prefer-dynamic",
    "prefer-unsatisfiable",
    "example",
    "first-2xx",
    "generated",
    "chaos",
    "mock",
    "rejection",
    "security",
    "tensor",
    "proxy",
]


class Reply(NamedTuple):
    """A response ready to send: status, media type, body bytes, extra headers, where it came from."""

    status: int
    media_type: str | None
    body: bytes
    headers: tuple[tuple[str, str], ...] = ()
    source: ReplySource = "example"
    request_id_schema: str | None = None  # schema of a documented X-Request-ID header, echoed per request
    errors_json: bytes | None = None  # a rejection's violations as serialised in its body, reused by the log


@dataclass(frozen=True, slots=True)
class Preference:
    """What a ``Prefer`` header asks for (Prism's convention): a status code, an example name, and/or
    ``dynamic=true`` (a body generated from the schema instead of an example)."""

    code: str | None = None
    example: str | None = None
    dynamic: bool = False

    @staticmethod
    def parse(header: str | None) -> Preference | None:
        """Read ``Prefer: code=503, example=cold-start, dynamic=true``; None when nothing applies."""
        if not header:
            return None
        found: dict[str, str] = {}
        for part in header.replace(";", ",").split(","):
            key, sep, value = part.strip().partition("=")
            if sep and key.strip().lower() in ("code", "example", "dynamic"):
                found[key.strip().lower()] = value.strip().strip('"')
        if not found:
            return None
        return Preference(found.get("code"), found.get("example"), found.get("dynamic", "").lower() == "true")


def json_equal(left: Any, right: Any) -> bool:
    """Equality as JSON: key order ignored, 1 == 1.0, but true is not 1."""
    kind = type(left)
    if kind is dict:
        if type(right) is not dict or len(left) != len(right):
            return False
        return all(key in right and json_equal(value, right[key]) for key, value in left.items())
    if kind is list:
        if type(right) is not list or len(left) != len(right):
            return False
        return all(json_equal(a, b) for a, b in zip(left, right, strict=True))
    if kind is bool or type(right) is bool:
        return left is right
    if kind is int or kind is float:
        return type(right) in (int, float) and left == right
    return kind is type(right) and left == right


def request_seed(method: str, path: str, query: bytes, body: bytes) -> int:
    """A seed from a hash of the request, so the same request gets the same generated answer."""
    parts = (method.encode(), path.encode(), query, body)
    digest = hashlib.blake2b(b"\0".join(parts), digest_size=8).digest()
    return int.from_bytes(digest, "big")


class Responder:
    """Picks and builds the reply to a valid request for one operation."""

    def __init__(self, op: Operation, compiled: CompiledContract, generator: Generator) -> None:
        self.op = op
        self.compiled = compiled
        self.generator = generator
        self._examples: dict[str, Reply] = {}  # by example name, across all statuses
        # named interaction -> its reply: (has a request body, the body, its parameters, the reply, the
        # response example's value)
        self._pairs: list[tuple[bool, Any, ParameterMatch, Reply, Any]] = []
        self._first_success: Reply | None = None
        self._by_status: dict[str, Reply] = {}  # first example of each documented status
        self.shaper = Shaper(op, compiled, generator)
        self._tensors: TensorAnswers | None = None  # TensorAnswers when request and first 2xx response declare x-tensor
        self._build()

    def _build(self) -> None:
        for status, response in self.op.responses.items():
            code = _status_code(status)
            unsendable: Reply | None = None
            try:
                headers, id_schema = self.headers_for(response, 0)
            except (
                GenerationError
            ) as exc:  # a required header no value of which can be sent: every example of it says so
                headers, id_schema, unsendable = (), None, cannot_generate(self.op, exc)
            for media, mt in response.content.items():
                for name, example in mt.examples.items():
                    reply = unsendable or Reply(
                        code, media, encode(media, example.value), headers, "example", id_schema
                    )
                    self._examples.setdefault(name, reply)
                    self._by_status.setdefault(status, reply)
        for name, interaction in self.op.interactions.items():
            with_body = interaction.request_media_type is not None
            match = parameter_match(self.op, interaction, self.compiled.resolved_at)
            if name in self._examples and (with_body or match.named):
                reply = self._examples[name]
                self._pairs.append((with_body, interaction.request, match, reply, interaction.response))
        for status in self.op.success_statuses():
            if status in self._by_status:
                self._first_success = _with_source(self._by_status[status], "first-2xx")
                self._tensors = _tensor_answers(self.compiled, self.op, status, self._first_success)
                break
        else:
            # No success example: a generated body is the template, its tensors refitted per request
            # (generated only where the request declares tensors: a large description has hundreds
            # of operations without examples, and generating each at start-up took seconds).
            statuses = self.op.success_statuses()
            if statuses and _wants_tensors(self.compiled, self.op):
                try:
                    template = self.generated(statuses[0], 0, None)
                except GenerationError:
                    template = None
                if template is not None:
                    self._tensors = _tensor_answers(self.compiled, self.op, statuses[0], template)

    # -- selection --------------------------------------------------------------------------
    def reply(
        self,
        body: Any,
        has_body: bool,
        prefer: Preference | None,
        seed_of: Callable[[], int],
        accept: str | None,
        request: RequestData | None = None,
    ) -> Reply:
        """The reply in the issue's order: Prefer, named interaction match, first 2xx example, generated.

        A request is interaction ``X`` when its body is request example ``X`` and its parameters are
        exactly those :mod:`validator.interactions` assembles for ``X``; it gets response ``X``, with
        the request's header echoes (an example states no headers), unless that answer would break a
        relation for it (a contract lint rejects). A ``Prefer`` the contract cannot honour is the
        caller's to see: a 400 problem listing what is documented, never a silent fallback to the first
        example. Tensors are refitted to the request's named dims; an operation with promises about its
        request (``x-relations``, ``x-sum``, ``x-sorted``) answers a request no named example matches
        with a generated body shaped to keep them.
        """
        if prefer is not None:
            unmet = self.unsatisfiable(prefer)
            if unmet is not None:
                return unmet
            if prefer.dynamic:
                status = self.documented_status(prefer.code) if prefer.code else None
                statuses = self.op.success_statuses() or list(self.op.responses)
                chosen_status = status or (statuses[0] if statuses else "200")
                code = int(prefer.code) if prefer.code else None
                # A generated 2xx answer still keeps the promises about this request (rows, n, echoes).
                reply = self.generated(chosen_status, seed_of(), accept, code=code, request=request)
                return _with_source(reply, "prefer-dynamic")
            chosen = self.preferred(prefer, seed_of(), accept, request)
            if chosen is not None:
                return chosen
        query: dict[str, str] | None = None
        side: Side | None = None
        for with_body, value, match, reply, answer in self._pairs:
            if with_body:
                # Python's == is JSON equality except that it takes true for 1, so a cheap != rules out
                # nearly every example and json_equal settles the rest.
                if not has_body or value != body or not json_equal(value, body):
                    continue
            elif has_body:
                continue
            if request is not None and not match.empty:
                if query is None:
                    query = {}
                    for key, text in request.query:
                        query.setdefault(key, text)
                if not match.matches(request.path_params, query, request.headers):
                    continue
            if request is not None and self.shaper.relations and 200 <= reply.status < 300:
                # Reading the request as the relations do costs a few µs: only a matched example of an
                # operation with relations pays it.
                side = side or _side(request)
                headers = self.shaper.example_headers(answer, reply.headers, side)
                if headers is None:
                    continue
                if headers is not reply.headers:
                    return reply._replace(headers=headers)
            return reply
        if self._tensors is not None and has_body:
            fitted = self._tensors.reply(body)
            if fitted is not None:
                return fitted
        if self.shaper.active and self.op.success_statuses():
            return self.generated(self.op.success_statuses()[0], seed_of(), accept, request=request)
        if self._first_success is not None:
            return self._first_success
        statuses = self.op.success_statuses() or list(self.op.responses)
        return self.generated(statuses[0] if statuses else "200", seed_of(), accept)

    def preferred(
        self, prefer: Preference, seed: int, accept: str | None, request: RequestData | None = None
    ) -> Reply | None:
        """The reply a ``Prefer`` header names, or None when it names nothing documented."""
        if prefer.example is not None and prefer.example in self._examples:
            found = self._examples[prefer.example]
            if prefer.code is None or prefer.code == str(found.status):
                return _with_source(found, "prefer-example")
        if prefer.code is not None:
            status = self.documented_status(prefer.code)
            if status is not None:
                if status in self._by_status and str(self._by_status[status].status) == prefer.code:
                    return _with_source(self._by_status[status], "prefer-code")
                reply = self.generated(status, seed, accept, code=int(prefer.code), request=request)
                return _with_source(reply, "prefer-code")
        return None

    def unsatisfiable(self, prefer: Preference) -> Reply | None:
        """A 400 problem when ``prefer`` names a status or example the operation does not document."""
        reasons: list[str] = []
        if prefer.code is not None and self.documented_status(prefer.code) is None:
            reasons.append(f"code={prefer.code} is not a documented status")
        if prefer.example is not None and not prefer.dynamic:
            found = self._examples.get(prefer.example)
            if found is None:
                reasons.append(f"example={prefer.example} is not a documented example")
            elif prefer.code is not None and prefer.code != str(found.status) and not reasons:
                reasons.append(f"example={prefer.example} is documented under {found.status}, not {prefer.code}")
        if not reasons:
            return None
        statuses = list(self.op.responses)
        examples = {name: reply.status for name, reply in self._examples.items()}
        listing = ", ".join(f"{name} ({status})" for name, status in examples.items()) or "none"
        detail = (
            f"Prefer cannot be honoured for {self.op.label}: {'; '.join(reasons)}. "
            f"Documented statuses: {', '.join(statuses)}; examples: {listing}"
        )
        body = {
            "type": "about:blank",
            "title": "Bad Request",
            "status": 400,
            "detail": detail,
            "errors": [
                {"pointer": "", "message": r, "location": "header:Prefer", "keyword": "prefer"} for r in reasons
            ],
            "statuses": statuses,
            "examples": examples,
        }
        return Reply(400, "application/problem+json", _dumps(body), (), "prefer-unsatisfiable")

    def documented_status(self, code: str) -> str | None:
        """The documented response key (``503``, ``5XX``, ``default``) for a numeric status, if any."""
        if not (code.isdigit() and len(code) == 3 and 100 <= int(code) <= 599):
            return None
        response = self.op.response_for(code)
        return response.status if response is not None else None

    def generated(
        self,
        status: str,
        seed: int,
        accept: str | None,
        *,
        code: int | None = None,
        request: RequestData | None = None,
    ) -> Reply:
        """A reply for a documented status whose body is generated from its schema (2xx bodies shaped)."""
        response = self.op.responses.get(status)
        number = code if code is not None else _status_code(status)
        if response is None:
            return Reply(number, None, b"", (), "generated")
        headers, id_schema = self.headers_for(response, seed)
        media = _negotiate(response, accept)
        if media is None:
            return Reply(number, None, b"", headers, "generated", id_schema)
        mt = response.content[media]
        if mt.schema_uri is None:
            return Reply(number, media, b"{}", headers, "generated", id_schema)
        value = self.generator.generate(mt.schema_uri, seed)
        value = _realistic_problem(self.compiled, mt.schema_uri, value, number)
        if self.shaper.active and 200 <= number < 300:
            side = _side(request)
            value, echoed = self.shaper.shape(mt.schema_uri, value, side, seed)
            echoed = [h for h in echoed if h[0] != REQUEST_ID_HEADER]  # the app echoes X-Request-ID itself
            if echoed:
                names = {name for name, _ in echoed}
                headers = tuple(h for h in headers if h[0] not in names) + tuple(echoed)
        return Reply(number, media, encode(media, value), headers, "generated", id_schema)

    def headers_for(self, response: Response, seed: int) -> tuple[tuple[tuple[str, str], ...], str | None]:
        """Values for the response's documented headers; the schema of X-Request-ID when documented."""
        out: list[tuple[str, str]] = []
        id_schema: str | None = None
        for header in response.headers.values():
            lowered = header.name.lower()
            if is_transport_header(lowered):
                continue  # the server frames the message itself: a copied Transfer-Encoding is invalid HTTP
            if lowered == REQUEST_ID_HEADER:
                id_schema = header.schema_uri or ""
                continue
            if header.schema_uri is None:
                out.append((lowered, "mock"))
                continue
            try:
                out.append((lowered, self.generator.field_value(header.schema_uri, seed)))
            except GenerationError as exc:
                if not header.required:
                    continue  # an answer without an optional header is still the contract's
                where = f"response header {header.name!r} of {self.op.label} ({response.status})"
                raise GenerationError(
                    f"{where}: {exc}",
                    [Problem(header.schema_uri.partition("#")[2], f"{where}: {exc}", "header", None, "document")],
                ) from None
        return tuple(out), id_schema


def cannot_generate(op: Operation, exc: GenerationError) -> Reply:
    """The 501 problem for an answer the mock cannot make: no value of a body's or a required header's
    schema could be generated (and, for a header, sent)."""
    from .rejections import mock_problem  # it builds on Reply, defined here

    return mock_problem(501, f"no response could be generated for {op.label}: {exc}", exc.problems)


def _wants_tensors(compiled: CompiledContract, op: Operation) -> bool:
    from .tensors import TensorAnswers

    return TensorAnswers.wanted(compiled, op)


def _side(request: RequestData | None) -> Side:
    """The request as the relations read it (an empty request when the caller gave none)."""
    if request is None:
        return Side()
    return request_side(request)


def _tensor_answers(compiled: CompiledContract, op: Operation, status: str, reply: Reply) -> TensorAnswers | None:
    from .tensors import TensorAnswers  # it builds on Reply, defined here

    return TensorAnswers.build(compiled, op, status, reply)


def _negotiate(response: Response, accept: str | None) -> str | None:
    if not response.content:
        return None
    if accept:
        for option in accept.split(","):
            mt = pick_media_type(response.content, option)  # it ignores the option's parameters itself
            if mt is not None and option.strip() not in ("*/*", ""):
                return mt.media_type
    return next(iter(response.content))


def _realistic_problem(compiled: CompiledContract, schema_uri: str, value: Any, status: int) -> Any:
    """A generated problem-details body says its real status and title when its schema allows."""
    if not isinstance(value, dict) or "status" not in value:
        return value
    patched = {**value, "status": status}
    if "title" in value:
        patched["title"] = _phrase(status)
    if "type" in value:
        patched["type"] = "about:blank"
    if "detail" in value:
        patched["detail"] = f"a {status} response generated by the mock from the contract's schema"
    if isinstance(value.get("errors"), list):
        patched["errors"] = []
    return patched if compiled.validator(schema_uri).is_valid(patched) else value


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def _status_code(status: str) -> int:
    if status.isdigit():
        return int(status)
    if status[:1].isdigit():  # 2XX, 5XX: the range's first common code
        return {"2": 200, "3": 300, "4": 400, "5": 500}.get(status[0], 500)
    return 500  # default


def _with_source(reply: Reply, source: ReplySource) -> Reply:
    return reply._replace(source=source)


def _dumps(value: Any) -> bytes:
    return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS)
