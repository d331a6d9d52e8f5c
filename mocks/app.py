"""The mock as a plain ASGI application built from a loaded contract, served at the contract's own paths.

Plain ASGI rather than a framework: the hot path (route, read, parse, validate, answer) is a handful
of dictionary look-ups and one compiled-schema check. The app honours ``root_path``, so it can be
mounted under a prefix (the contract service mounts it at ``/mocks/{name}/{version}``).
"""

from __future__ import annotations

import asyncio
import os
import random
import time
import traceback
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import parse_qsl

import orjson

from validator import security
from validator.compiled import CompiledContract, RequestData, is_json_media_type, pick_media_type
from validator.contract import Contract, Operation
from validator.payload import PayloadError, parse_json
from validator.problems import Problem

from .admin import PREFIX, Admin
from .generate import GenerationError, Generator
from .interactions import REQUEST_ID_HEADER, Preference, Reply, Responder, request_seed
from .options import MockOptions
from .rejections import Rejecter, mock_problem
from .requestlog import RequestLog
from .routing import Router

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

_MAX_REQUEST_ID = 128


class _TooLarge(Exception):
    pass


class _Disconnected(Exception):
    pass


class _Operation:
    """What the mock needs per operation, built once."""

    __slots__ = ("credentials", "json_body", "op", "rejecter", "responder", "slo")

    def __init__(self, op: Operation, compiled: CompiledContract, generator: Generator) -> None:
        self.op = op
        self.responder = Responder(op, compiled, generator)
        self.rejecter = Rejecter(op, compiled, generator)
        self.slo = _slo_budget(op)
        self.credentials = security.requirements(compiled.contract, op)  # None: no credentials needed
        self.json_body = {m: is_json_media_type(m) for m in (op.request_body.content if op.request_body else {})}


def _credentials_text(alternatives: list[list[security.Credential]]) -> str:
    return " or ".join(" and ".join(f"{c.location} {c.name}" for c in alt) for alt in alternatives)


class MockApp:
    """An ASGI app answering a contract's operations as the contract promises."""

    def __init__(self, contract: Contract, options: MockOptions | None = None) -> None:
        self.contract = contract
        self.options = options or MockOptions()
        self.compiled = CompiledContract(contract)
        self.generator = Generator(self.compiled)
        self.router = Router(contract.operations)
        self.admin = Admin(contract)
        self.log = RequestLog(self.options.log_stream, self.options.log_json)
        self._ops = {id(op): _Operation(op, self.compiled, self.generator) for op in contract.operations}
        self._chaos = random.Random()
        self._admits_uuids: dict[str, bool] = {}  # by X-Request-ID schema

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kind = scope["type"]
        if kind == "http":
            await self._http(scope, receive, send)
        elif kind == "lifespan":
            # Lines gathered in the last moments before shutdown are written, not lost.
            try:
                await _lifespan(receive, send, self.log.flush)
            finally:
                self.log.flush()

    async def _http(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = time.perf_counter()
        root_path: str = scope.get("root_path", "")
        path: str = scope["path"]
        if root_path and path.startswith(root_path):
            path = path[len(root_path) :] or "/"
        headers = _headers(scope)
        given_id = headers.get("x-request-id")
        request_id = _request_id(given_id)
        method: str = scope["method"]
        violations: list[Problem] = []
        try:
            if path.startswith(PREFIX):
                reply = self._admin(path[len(PREFIX) :], root_path, method)
            else:
                reply, violations = await self._answer(scope, receive, method, path, headers)
            if reply.request_id_schema:
                request_id = self._documented_request_id(reply.request_id_schema, request_id, request_id == given_id)
        except _Disconnected:
            return
        except Exception as exc:  # a bug in the mock: say so plainly rather than drop the connection
            self.log.note(f"mock error on {method} {path}: {traceback.format_exc()}")
            reply = mock_problem(500, f"the mock failed: {type(exc).__name__}: {exc}")
        await _send(send, reply, request_id)
        elapsed_ms = (time.perf_counter() - started) * 1000
        self.log.write(method, path, reply.status, violations, elapsed_ms, request_id, reply.source, reply.errors_json)

    def _admin(self, sub: str, root_path: str, method: str) -> Reply:
        if method not in ("GET", "HEAD"):
            return mock_problem(405, f"{PREFIX}{sub} answers GET only", headers=(("allow", "GET, HEAD"),))
        if sub == "docs/":
            return Reply(307, None, b"", (("location", f"{root_path}{PREFIX}docs"),), "mock")
        found = self.admin.answer(sub, root_path)
        if found is None:
            return mock_problem(
                404, f"no mock endpoint {PREFIX}{sub}; try {PREFIX}docs, {PREFIX}openapi.json, {PREFIX}health"
            )
        status, media, body = found
        return Reply(status, media, body, (), "mock")

    async def _answer(
        self, scope: Scope, receive: Receive, method: str, path: str, headers: dict[str, str]
    ) -> tuple[Reply, list[Problem]]:
        matched = self.router.match(path)
        if matched is None:
            return mock_problem(
                404,
                f"{path} is not a path of {self.contract.name} {self.contract.version}; "
                f"paths: {', '.join(self.router.paths)}",
            ), []
        route, path_params = matched
        op = route.methods.get(method)
        if op is None:
            detail = f"{method} is not documented for {route.template}; allowed: {route.allow}"
            return mock_problem(405, detail, headers=(("allow", route.allow),)), []
        entry = self._ops[id(op)]
        try:
            raw = await _read_body(receive, headers, self.options.max_body_bytes)
        except _TooLarge:
            limit = self.options.max_body_bytes
            too_large = [
                Problem("", f"request body is larger than {limit} bytes", location="body", keyword="maxBodyBytes")
            ]
            return entry.rejecter.reject(too_large, status=413), too_large
        query: bytes = scope.get("query_string", b"")
        content_type = headers.get("content-type")
        body, has_body, problems = _body(entry, raw, content_type)
        pairs = parse_qsl(query.decode("latin-1"), keep_blank_values=True) if query else []
        data = (
            RequestData(path_params, pairs, headers, content_type, body)
            if has_body
            else RequestData(path_params, pairs, headers, content_type)
        )
        if entry.credentials is not None:
            # Credentials are checked before the request, as a real server's authentication layer does.
            params = dict(pairs)
            if not security.satisfied(entry.credentials, headers, params, headers.get("cookie", "")):
                missing = [
                    Problem(
                        "",
                        f"{op.label} requires credentials ({_credentials_text(entry.credentials)})",
                        location="header",
                        keyword="security",
                    )
                ]
                return entry.rejecter.reject(missing, status=401), missing
        violations = self.compiled.validate_request(op, data)
        if problems:  # the body could not be read: drop "body is required", report why instead
            violations = [p for p in violations if not (p.location == "body" and p.keyword == "required")]
            violations.extend(problems)

        def seed() -> int:  # only generated answers need it
            return request_seed(method, path, query, raw)

        if violations and not self.options.lenient:
            status = 415 if any(p.location == "media-type" for p in violations) else None
            return entry.rejecter.reject(violations, status=status, seed_of=seed), violations
        if self.options.latency is not None:
            await self._delay(entry)
        if self.options.error_rate and self._chaos.random() < self.options.error_rate:
            return self._chaos_error(entry, seed(), headers.get("accept")), violations
        try:
            reply = entry.responder.reply(
                body, has_body, Preference.parse(headers.get("prefer")), seed, headers.get("accept"), data
            )
        except GenerationError as exc:
            self.log.note(f"{op.label}: {exc}")
            reply = mock_problem(501, f"no response could be generated for {op.label}: {exc}")
        return reply, violations

    async def _delay(self, entry: _Operation) -> None:
        latency = self.options.latency
        if latency is None:
            return
        if latency.from_slo:
            if entry.slo is None:
                return
            p95, p99 = entry.slo
            # 95% of answers within the p95 budget, the rest up to the p99 budget.
            ms = self._chaos.uniform(p95 * 0.3, p95) if self._chaos.random() < 0.95 else self._chaos.uniform(p95, p99)
        else:
            ms = self._chaos.uniform(latency.low_ms, latency.high_ms)
        await asyncio.sleep(ms / 1000)

    def _chaos_error(self, entry: _Operation, seed: int, accept: str | None) -> Reply:
        """A documented 5xx (503 first), or a plain 503 when the contract documents none."""
        documented = [s for s in entry.op.responses if s[:1] == "5"]
        for status in sorted(documented, key=lambda s: (s != "503", s)):
            code = "503" if status.upper() == "5XX" else status
            reply = entry.responder.preferred(Preference(code=code), seed, accept)
            if reply is not None:
                return reply._replace(source="chaos")
        return mock_problem(503, "simulated outage (--error-rate)", headers=(("retry-after", "1"),))

    def _documented_request_id(self, schema_uri: str, request_id: str, echoed: bool) -> str:
        """The X-Request-ID to send where the contract documents its schema: one that schema accepts."""
        admits_uuids = self._admits_uuids.get(schema_uri)
        if admits_uuids is None:
            admits_uuids = self._admits_uuids[schema_uri] = admits_every_uuid(self.compiled.schema_at(schema_uri))
        if admits_uuids and not echoed:
            return request_id
        if self._id_fits(schema_uri, request_id):
            return request_id
        fresh = _new_request_id()  # the caller's id breaks the documented schema
        if admits_uuids or self._id_fits(schema_uri, fresh):
            return fresh
        for _ in range(_ID_ATTEMPTS):  # the schema wants another shape of id: one generated from it
            try:
                value = self.generator.generate(schema_uri, _ids.getrandbits(64))
            except GenerationError:
                break
            if isinstance(value, str):
                text = value
            elif isinstance(value, bool | int | float):  # the simple style of a scalar header
                text = orjson.dumps(value).decode()
            else:
                continue
            if _sane_id(text) and self._id_fits(schema_uri, text):
                return text
        return fresh

    def _id_fits(self, schema_uri: str, value: str) -> bool:
        """Whether a request id, read as the contract reads a header, is valid against its schema."""
        return not self.compiled.header_problems(REQUEST_ID_HEADER, schema_uri, value)


def create_app(contract: Contract, options: MockOptions | None = None) -> MockApp:
    """The mock of ``contract`` as an ASGI app; mountable under a prefix (it honours ``root_path``)."""
    return MockApp(contract, options)


def _body(entry: _Operation, raw: bytes, content_type: str | None) -> tuple[Any, bool, list[Problem]]:
    """The request body as a JSON value (or text), whether there is one, and why it could not be read."""
    op = entry.op
    if op.request_body is None or not raw:
        return None, False, []
    mt = pick_media_type(op.request_body.content, content_type)
    if mt is None:
        return None, True, []  # present but of an undocumented type: validate_request reports it (415)
    if entry.json_body.get(mt.media_type, False):
        try:
            return parse_json(raw), True, []
        except PayloadError as exc:
            return None, False, [exc.problem]
    try:
        return raw.decode("utf-8"), True, []
    except UnicodeDecodeError as exc:
        return (
            None,
            False,
            [
                Problem(
                    "",
                    f"body is not valid UTF-8 ({exc.reason} at byte {exc.start})",
                    location="body",
                    keyword="encoding",
                )
            ],
        )


async def _read_body(receive: Receive, headers: dict[str, str], limit: int) -> bytes:
    declared = headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise _TooLarge
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise _Disconnected
        chunk: bytes = message.get("body", b"")
        if chunk:
            size += len(chunk)
            if size > limit:
                raise _TooLarge
            chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


async def _send(send: Send, reply: Reply, request_id: str) -> None:
    raw_headers = [(b"content-length", str(len(reply.body)).encode()), (b"x-request-id", request_id.encode())]
    if reply.media_type is not None:
        raw_headers.append((b"content-type", reply.media_type.encode()))
    raw_headers.extend((name.encode("latin-1"), value.encode("latin-1", "replace")) for name, value in reply.headers)
    await send({"type": "http.response.start", "status": reply.status, "headers": raw_headers})
    await send({"type": "http.response.body", "body": reply.body})


# Keywords that say nothing a UUID could break, or that a UUID meets when the bounds allow 36 characters.
_UUID_NEUTRAL = frozenset(
    {
        "type",
        "minLength",
        "maxLength",
        "format",
        "title",
        "description",
        "examples",
        "example",
        "default",
        "deprecated",
        "readOnly",
        "writeOnly",
        "$comment",
    }
)


def admits_every_uuid(schema: Any) -> bool:
    """Whether ``schema`` accepts every UUID string (decided from its keywords; False when unsure)."""
    if schema is True:
        return True
    if not isinstance(schema, dict) or not _UUID_NEUTRAL.issuperset(schema):
        return False
    kind = schema.get("type", "string")
    if kind != "string" and not (isinstance(kind, list) and "string" in kind):
        return False
    low, high = schema.get("minLength", 0), schema.get("maxLength", 36)
    return (
        isinstance(low, int) and isinstance(high, int) and low <= 36 <= high and schema.get("format", "uuid") == "uuid"
    )


def _headers(scope: Scope) -> dict[str, str]:
    out: dict[str, str] = {}
    for name, value in scope["headers"]:
        key = name.decode("latin-1").lower()
        text = value.decode("latin-1")
        out[key] = f"{out[key]}, {text}" if key in out else text
    return out


def _request_id(given: str | None) -> str:
    """Echo the caller's ``X-Request-ID`` when it is sane; otherwise a fresh UUID."""
    return given if given is not None and _sane_id(given) else _new_request_id()


def _sane_id(value: str) -> bool:
    """Short printable ASCII without surrounding spaces: a value that goes on the wire as it is."""
    return 0 < len(value) <= _MAX_REQUEST_ID and value.isascii() and value.isprintable() and value == value.strip()


def _new_request_id() -> str:
    """A random (version 4) UUID, formatted without the cost of ``uuid.uuid4()``."""
    # An id needs to be unique, not unpredictable: a generator seeded from the OS spares a system call
    # per request.
    h = f"{_ids.getrandbits(128) & _UUID_CLEAR | _UUID_SET:032x}"
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


# Private, so that code seeding the global generator (tests, property-based tools) cannot make ids repeat;
# reseeded in a forked worker, so that workers do not share ids.
_ids = random.Random()
os.register_at_fork(after_in_child=_ids.seed)
_ID_ATTEMPTS = 5
_UUID_CLEAR = ~((0xF << 76) | (0x3 << 62))  # the version nibble and the variant bits
_UUID_SET = (0x4 << 76) | (0x2 << 62)  # version 4, variant RFC 4122


def _slo_budget(op: Operation) -> tuple[float, float] | None:
    """(p95, p99) latency budget in ms from the operation's ``x-slo``, when declared."""
    slo = op.extensions.get("x-slo")
    if not isinstance(slo, dict):
        return None
    numbers = {k: float(v) for k, v in slo.items() if isinstance(v, int | float) and not isinstance(v, bool)}
    p95 = numbers.get("latency_p95_ms") or numbers.get("latency_ms") or max(numbers.values(), default=0.0)
    if not p95:
        return None
    return p95, max(numbers.get("latency_p99_ms", p95 * 1.5), p95)


async def _lifespan(receive: Receive, send: Send, on_shutdown: Callable[[], None]) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            on_shutdown()
            await send({"type": "lifespan.shutdown.complete"})
            return
