"""The mock as a plain ASGI application built from a loaded contract, served at the contract's own paths.

Plain ASGI rather than a framework: the hot path (route, read, parse, validate, answer) is a handful
of dictionary look-ups and one compiled-schema check. The app honours ``root_path``, so it can be
mounted under a prefix (the contract service mounts it at ``/mocks/{name}/{version}``).
"""

from __future__ import annotations

import asyncio
import random
import time
import traceback
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from validator.compiled import CompiledContract, is_json_media_type
from validator.contract import Contract, Operation
from validator.errors import TooComplexError
from validator.problems import Problem
from validator.wire import first_unsendable

from .admin import PREFIX, Admin
from .cors import Cors
from .generate import GenerationError, Generator
from .inbound import Disconnected, TooLarge, headers_of, read_body, request_data, with_unreadable
from .interactions import Preference, Reply, Responder, cannot_generate, request_seed
from .options import MockOptions
from .rejections import Rejecter, mock_problem, unauthorized
from .request_id import RequestIds, incoming
from .requestlog import RequestLog
from .routing import Router
from .security import Guard

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]


class _Operation:
    """What the mock needs per operation, built once."""

    __slots__ = ("guard", "json_body", "op", "rejecter", "responder", "slo")

    def __init__(self, op: Operation, compiled: CompiledContract, generator: Generator) -> None:
        self.op = op
        self.guard = Guard(compiled.contract, op)
        self.responder = Responder(op, compiled, generator)
        self.rejecter = Rejecter(op, compiled, generator)
        self.slo = _slo_budget(op)
        self.json_body = {m: is_json_media_type(m) for m in (op.request_body.content if op.request_body else {})}


class MockApp:
    """An ASGI app answering a contract's operations as the contract promises."""

    def __init__(self, contract: Contract, options: MockOptions | None = None) -> None:
        self.contract = contract
        self.options = options or MockOptions()
        self.compiled = CompiledContract(contract)
        self.generator = Generator(self.compiled)
        self.router = Router(contract.operations)
        self.admin = Admin(contract)
        self.cors = Cors(contract, self.options.cors_origins)
        self.log = RequestLog(self.options.log_stream, self.options.log_json)
        self._ops = {id(op): _Operation(op, self.compiled, self.generator) for op in contract.operations}
        self._chaos = random.Random()
        self.request_ids = RequestIds(self.compiled, self.generator)

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
        headers = headers_of(scope)
        given_id = headers.get("x-request-id")
        request_id = incoming(given_id)
        method: str = scope["method"]
        violations: list[Problem] = []
        try:
            if path.startswith(PREFIX):
                reply = self._admin(path[len(PREFIX) :], root_path, method)
            else:
                reply, violations = await self._answer(scope, receive, method, path, headers)
            if reply.request_id_schema:
                request_id = self.request_ids.documented(reply.request_id_schema, request_id, request_id == given_id)
        except Disconnected:
            return
        except TooComplexError as exc:  # a value past the analysis limits (a pattern's steps): the client's 422
            reply = mock_problem(422, exc.message, [Problem(exc.pointer, exc.reason)])
        except Exception as exc:  # a bug in the mock: say so plainly rather than drop the connection
            self.log.note(f"mock error on {method} {path}: {traceback.format_exc()}")
            reply = mock_problem(500, f"the mock failed: {type(exc).__name__}: {exc}")
        origin = headers.get("origin")
        if origin is not None and reply.status != 204 and self.cors.allows(origin):
            reply = reply._replace(headers=reply.headers + self.cors.headers(origin))
        if reply.headers and (unsendable := first_unsendable(reply.headers)) is not None:
            # Every value the mock makes is checked where it is made; this is the net under a value that
            # was not (the server would refuse the whole answer and drop the connection).
            self.log.note(f"mock error on {method} {path}: header {unsendable!r} cannot be sent")
            reply = mock_problem(501, f"the mock made a value of header {unsendable!r} that HTTP cannot carry")
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
        if method == "OPTIONS" and "access-control-request-method" in headers and "origin" in headers:
            requested = headers.get("access-control-request-headers", "")
            return self.cors.preflight(
                route, headers["origin"], headers["access-control-request-method"], requested
            ), []
        op = route.methods.get(method)
        if op is None:
            detail = f"{method} is not documented for {route.template}; allowed: {route.allow}"
            return mock_problem(405, detail, headers=(("allow", route.allow),)), []
        entry = self._ops[id(op)]
        try:
            raw = await read_body(receive, headers, self.options.max_body_bytes)
        except TooLarge:
            limit = self.options.max_body_bytes
            too_large = [
                Problem("", f"request body is larger than {limit} bytes", location="body", keyword="maxBodyBytes")
            ]
            return entry.rejecter.reject(too_large, status=413), too_large
        query: bytes = scope.get("query_string", b"")
        data, body, has_body, unreadable = request_data(op, entry.json_body, path_params, query, headers, raw)
        denied = entry.guard.check(headers, dict(data.query))
        if denied is not None and not self.options.lenient:
            accept = headers.get("accept")
            return self._made(op, lambda: unauthorized(entry.op, entry.responder, denied, accept)), [denied[0]]
        violations = self.compiled.validate_request(op, data)
        if denied is not None:  # lenient: logged with the other violations, answered as if present
            violations.append(denied[0])
        violations = with_unreadable(violations, unreadable)

        def seed() -> int:  # only generated answers need it
            return request_seed(method, path, query, raw)

        if violations and not self.options.lenient:
            status = 415 if any(p.location == "media-type" for p in violations) else None
            return entry.rejecter.reject(violations, status=status, seed_of=seed), violations
        if self.options.latency is not None:
            await self._delay(entry)
        if self.options.error_rate and self._chaos.random() < self.options.error_rate:
            return self._made(op, lambda: self._chaos_error(entry, seed(), headers.get("accept"))), violations
        prefer = Preference.parse(headers.get("prefer"))
        return self._made(
            op, lambda: entry.responder.reply(body, has_body, prefer, seed, headers.get("accept"), data)
        ), violations

    def _made(self, op: Operation, make: Callable[[], Reply]) -> Reply:
        """``make()``, or the 501 problem saying which body or header schema gave no value to send."""
        try:
            return make()
        except GenerationError as exc:
            self.log.note(f"{op.label}: {exc}")
            return cannot_generate(op, exc)

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


def create_app(contract: Contract, options: MockOptions | None = None) -> MockApp:
    """The mock of ``contract`` as an ASGI app; mountable under a prefix (it honours ``root_path``)."""
    return MockApp(contract, options)


async def _send(send: Send, reply: Reply, request_id: str) -> None:
    raw_headers = [(b"content-length", str(len(reply.body)).encode()), (b"x-request-id", request_id.encode())]
    if reply.media_type is not None:
        raw_headers.append((b"content-type", reply.media_type.encode()))
    raw_headers.extend((name.encode("latin-1"), value.encode("latin-1", "replace")) for name, value in reply.headers)
    await send({"type": "http.response.start", "status": reply.status, "headers": raw_headers})
    await send({"type": "http.response.body", "body": reply.body})


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
