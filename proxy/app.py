"""The validating proxy as a plain ASGI application: read, judge, forward (or answer), judge, pass back, count.

``report`` forwards everything and records each violation; ``enforce`` answers an invalid request
itself, exactly as the mock does (same rejection builder), and replaces an answer that breaks the
contract with a 502 problem naming its violations (the original goes to the log). Requests outside
the contract are forwarded and counted as undocumented. Every exchange, including one whose upstream
failed, ends with one log line (and one recording line with ``--record``).
"""

from __future__ import annotations

import time
import traceback
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping, Sequence
from contextlib import aclosing
from typing import Any

import orjson

from mocks.generate import GenerationError, Generator
from mocks.inbound import (
    Disconnected,
    TooLarge,
    headers_of,
    read_body,
    request_data,
    request_violations,
    with_unreadable,
)
from mocks.interactions import Reply, Responder, cannot_generate
from mocks.rejections import Rejecter, mock_problem, unauthorized
from mocks.routing import Router
from mocks.security import Denied, Guard
from validator import wire
from validator.compiled import CompiledContract, RequestData
from validator.contract import Contract, Operation
from validator.errors import TooComplexError
from validator.problems import Problem
from validator.verify.cases import Case
from validator.verify.exchange import WireRequest, WireResponse
from validator.verify.recording import PROXY, UPSTREAM
from validator.wire import first_unsendable

from .checking import (
    Finding,
    OperationChecks,
    decoded_response,
    invalid_response,
    method_case,
    request_findings,
    response_findings,
    upstream_failure,
)
from .encoding import EncodingError, decode, is_encoded
from .journal import Journal, now
from .options import ProxyOptions
from .runlevel import RunJudge
from .secrets import Secrets
from .tally import Tally
from .upstream import Answer, Forwarder, UpstreamFailure

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

PREFIX = "/__proxy/"
CLIENT_GONE = 499  # logged for a caller that left mid-request (as nginx logs it); nothing is sent


class _Operation:
    """What the proxy needs per operation, built once."""

    __slots__ = ("checks", "guard", "op", "rejecter", "responder")

    def __init__(self, op: Operation, compiled: CompiledContract, generator: Generator) -> None:
        self.op = op
        self.checks = OperationChecks(op)
        self.guard = Guard(compiled.contract, op)
        self.rejecter = Rejecter(op, compiled, generator)
        self.responder = Responder(op, compiled, generator)  # only for the contract's own 401


class ProxyApp:
    """An ASGI app checking every exchange with an upstream API against a contract."""

    def __init__(self, contract: Contract, options: ProxyOptions) -> None:
        self.contract = contract
        self.options = options
        self.enforce = options.mode == "enforce"
        self.compiled = CompiledContract(contract)
        generator = Generator(self.compiled)
        self.router = Router(contract.operations)
        self._ops = {id(op): _Operation(op, self.compiled, generator) for op in contract.operations}
        self.forwarder = Forwarder(options)
        self.run = RunJudge(self.compiled)
        self.secrets = Secrets(contract, options.redact)
        self.tally = Tally(contract, options.upstream, options.mode, options.latency_samples, self.secrets.headers)
        self.journal = Journal(options, self.secrets.headers)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kind = scope["type"]
        if kind == "http":
            await self._guarded(scope, receive, send)
        elif kind == "lifespan":
            await self._lifespan(receive, send)

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        try:
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
                elif message["type"] == "lifespan.shutdown":
                    await self.aclose()
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        finally:
            self.journal.flush()

    async def aclose(self) -> None:
        """Close the upstream connections and write every gathered log and recording line."""
        await self.forwarder.aclose()
        self.journal.close()

    async def _guarded(self, scope: Scope, receive: Receive, send: Send) -> None:
        """One exchange; a bug in the proxy is a logged 500 problem, not a dropped connection."""
        started = False

        async def tracked(message: Message) -> None:
            nonlocal started
            started = True
            await send(message)

        try:
            await self._http(scope, receive, tracked)
        except TooComplexError as exc:  # a value past the analysis limits (a pattern's steps): not a bug
            self.journal.note(f"{scope['method']} {scope['path']}: {exc.message}")
            if not started:
                await _send_reply(send, mock_problem(422, exc.message, [Problem(exc.pointer, exc.reason)]), None)
        except Exception as exc:
            self.journal.note(f"proxy error on {scope['method']} {scope['path']}: {traceback.format_exc()}")
            if not started:
                await _send_reply(send, mock_problem(500, f"the proxy failed: {type(exc).__name__}: {exc}"), None)

    # -- one exchange ---------------------------------------------------------------------------
    async def _http(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = time.perf_counter()
        path: str = scope["path"]
        method: str = scope["method"]
        if path.startswith(PREFIX):
            await _send_reply(send, self._admin(path[len(PREFIX) :], method), None)
            return
        stamp = now()
        headers = headers_of(scope)
        query: bytes = scope.get("query_string", b"")
        raw_path: bytes = scope.get("raw_path") or path.encode("utf-8")
        target = raw_path.decode("latin-1") + ("?" + query.decode("latin-1") if query else "")
        matched = self.router.match(path)
        route = matched[0] if matched is not None else None
        op = route.methods.get(method) if route is not None else None
        entry = self._ops[id(op)] if op is not None else None

        oversize: TooLarge | None = None
        try:
            raw = await read_body(receive, headers, self.options.max_body_bytes)
        except TooLarge as exc:
            oversize, raw = exc, b"".join(exc.chunks)
        except Disconnected:
            shown = self.secrets.target(target)
            self.journal.note(f"{method} {shown}: the client went away before sending its request")
            return
        request = WireRequest(method, target, _end_to_end(headers), raw or None)
        request_id = headers.get("x-request-id")

        problems: list[Problem] = []
        case: Case | None = None
        data: RequestData | None = None
        denied: Denied | None = None
        if entry is not None and op is not None and matched is not None:
            if oversize is not None:
                limit = self.options.max_body_bytes
                problems = [
                    Problem("", f"request body is larger than {limit} bytes", location="body", keyword="maxBodyBytes")
                ]
            else:
                problems, body, has_body, data = self._judge_request(op, entry, matched[1], query, headers, raw)
                # A missing credential is the caller's violation, but not what makes a case invalid to the
                # contract tests (they send credentials as told): the case is judged on the rest.
                case = entry.checks.case(request, problems, body, has_body)
                denied = entry.guard.check(headers, dict(data.query))
                if denied is not None:
                    problems = [denied[0], *problems]
        else:
            self.tally.add_undocumented(method, route.template if route is not None else path)
            if route is not None:
                case = method_case(next(iter(route.methods.values())), request)
        findings: list[Finding] = request_findings(problems)
        # A method the path does not list is counted under an operation of that path, as the contract tests do.
        label = op.label if op is not None else case.operation.label if case is not None else None
        valid = entry is not None and not problems

        if self.enforce and entry is not None and problems:
            too_large = any(p.keyword == "maxBodyBytes" for p in problems)
            status = 413 if too_large else 415 if any(p.location == "media-type" for p in problems) else None
            if denied is not None:  # as the mock: the 401 comes first, whatever else is wrong
                try:
                    reply = unauthorized(entry.op, entry.responder, denied, headers.get("accept"))
                except GenerationError as exc:  # the documented 401 has a required header it cannot send
                    reply = cannot_generate(entry.op, exc)
            else:
                reply = entry.rejecter.reject(problems, status=status)
            await _send_reply(send, reply, request_id)
            self._finish(
                stamp, started, request, label, reply.status, "rejected", findings, None, None, request_id,
                answered=_as_wire(reply, request_id), valid=False,
            )  # fmt: skip
            return
        if self.enforce and entry is None and route is not None:
            detail = f"{method} is not documented for {route.template}; allowed: {route.allow}"
            reply = mock_problem(405, detail, headers=(("allow", route.allow),))
            await _send_reply(send, reply, request_id)
            self._finish(
                stamp, started, request, None, 405, "rejected", findings, None, None, request_id,
                answered=_as_wire(reply, request_id), valid=False,
            )  # fmt: skip
            return

        outbound = self.forwarder.outbound_headers(scope["headers"], _client_host(scope), scope.get("scheme", "http"))
        content: bytes | AsyncIterator[bytes] = raw
        if oversize is not None and oversize.more:
            content = _chained(oversize.chunks, receive)
        sent_at = time.perf_counter()
        try:
            answer = await self.forwarder.send(method, target, outbound, content, headers.get("content-length"))
        except UpstreamFailure as exc:
            upstream_ms = (time.perf_counter() - sent_at) * 1000
            reply = mock_problem(exc.status, exc.reason)
            await _send_reply(send, reply, request_id)
            self.tally.add_upstream_failure(exc.status)
            if op is not None:  # the API gave no answer: what the contract tests count as a server error
                findings.append(upstream_failure(exc.status, exc.reason))
            self._finish(
                stamp, started, request, label, exc.status, "upstream-error", findings, None, upstream_ms,
                request_id, error=exc.reason, valid=valid,
            )  # fmt: skip
            return
        except Disconnected:  # the caller left mid-body: nobody to answer; the exchange is still logged
            self._finish(
                stamp, started, request, label, CLIENT_GONE, "client-gone", findings, None, None, request_id,
                error="the caller went away before sending its whole request", valid=valid,
            )  # fmt: skip
            return
        upstream_ms = (time.perf_counter() - sent_at) * 1000
        response = WireResponse(answer.status, _header_map(answer.headers), answer.body, upstream_ms)
        request_id = request_id or response.headers.get("x-request-id")
        unchecked: str | None = None
        if answer.complete and is_encoded(response.headers.get("content-encoding")):
            # The caller gets the bytes as sent; the checks, the log and the recording the decoded copy.
            response, unchecked, broken_encoding = decoded_response(response, self.options.max_body_bytes)
            if broken_encoding is not None and case is not None:
                findings.append(broken_encoding)
        over_run: list[Finding] = []
        if case is not None and answer.complete and unchecked is None:
            findings.extend(response_findings(self.compiled, case, response, data))
            if case.valid and data is not None and op is not None:
                over_run = self.run.judge(op, data, response)
        broken = invalid_response(findings) if self.enforce else []
        findings.extend(over_run)  # after the verdict: a run-level finding never replaces an answer
        if broken:
            answer.close()
            reply = mock_problem(
                502,
                f"the upstream's answer ({answer.status}) breaks the contract: {len(broken)} violation(s)",
                broken,
            )
            await _send_reply(send, reply, request_id)
            self._finish(
                stamp, started, request, label, 502, "replaced", findings, response, upstream_ms, request_id,
                replaced=True, valid=valid, unchecked=unchecked,
            )  # fmt: skip
            return
        error = await _pass_back(send, answer, method == "HEAD")
        action = "forwarded" if answer.complete else "streamed"
        self._finish(
            stamp, started, request, label, answer.status, action, findings, response, upstream_ms, request_id,
            error=error, valid=valid, unchecked=unchecked,
        )  # fmt: skip

    def _finish(
        self,
        stamp: str,
        started: float,
        request: WireRequest,
        label: str | None,
        status: int,
        action: str,
        findings: Sequence[Finding],
        upstream: WireResponse | None,
        upstream_ms: float | None,
        request_id: str | None,
        *,
        valid: bool,
        answered: WireResponse | None = None,
        error: str | None = None,
        replaced: bool = False,
        unchecked: str | None = None,
    ) -> None:
        """Count, log and record one exchange (credentials left out of all three)."""
        proxy_ms = (time.perf_counter() - started) * 1000 - (upstream_ms or 0.0)
        # Credential values are looked for only where something is written beyond the log line's basics.
        kept = findings or replaced or self.journal.recording is not None
        values = self.secrets.values(dict(request.headers), request.path) if kept else []
        request = self.secrets.request(request)
        if values:
            findings = self.secrets.findings(findings, values)
            upstream, answered = self.secrets.response(upstream, values), self.secrets.response(answered, values)
        self.tally.add(
            label, request, upstream or answered, status, findings, valid=valid, upstream_ms=upstream_ms,
            proxy_ms=proxy_ms,
        )  # fmt: skip
        self.journal.exchange(
            time=stamp,
            method=request.method,
            path=request.path,
            operation=label,
            status=status,
            action=action,
            findings=findings,
            upstream=upstream,
            upstream_ms=upstream_ms,
            proxy_ms=proxy_ms,
            request_id=request_id,
            error=error,
            replaced=replaced,
            unchecked=unchecked,
        )
        self.journal.record(
            time=stamp,
            operation=label,
            answered_by=UPSTREAM if upstream is not None else PROXY,
            request=request,
            response=upstream or answered,
            error=error,
        )

    def _judge_request(
        self,
        op: Operation,
        entry: _Operation,
        path_params: dict[str, str],
        query: bytes,
        headers: dict[str, str],
        raw: bytes,
    ) -> tuple[list[Problem], Any, bool, RequestData]:
        """The request's violations, judged as the mock judges them, on the decoded copy of a compressed body."""
        json_media = entry.checks.json_media
        encoding = headers.get("content-encoding")
        if not raw or not is_encoded(encoding):
            return request_violations(self.compiled, op, json_media, path_params, query, headers, raw)
        try:
            decoded = decode(raw, encoding or "", self.options.max_body_bytes)
        except EncodingError as exc:
            keyword = "maxBodyBytes" if exc.why == "too-large" else "encoding"
            unreadable = [Problem("", f"request {exc.reason}", location="body", keyword=keyword)]
            data, _, _, _ = request_data(op, json_media, path_params, query, headers, b"")
            return with_unreadable(self.compiled.validate_request(op, data), unreadable), None, False, data
        return request_violations(self.compiled, op, json_media, path_params, query, headers, decoded)

    def _admin(self, sub: str, method: str) -> Reply:
        if method not in ("GET", "HEAD"):
            return mock_problem(405, f"{PREFIX}{sub} answers GET only", headers=(("allow", "GET, HEAD"),))
        if sub == "report":
            report = self.tally.report()
            report["observed"] = self.run.observed()
            return Reply(200, "application/json", orjson.dumps(report, option=orjson.OPT_INDENT_2), (), "proxy")
        if sub == "metrics":
            return Reply(200, "text/plain; version=0.0.4; charset=utf-8", self.tally.prometheus(), (), "proxy")
        if sub == "health":
            return Reply(200, "application/json", b'{"status":"ok"}', (), "proxy")
        return mock_problem(404, f"no proxy endpoint {PREFIX}{sub}; try {PREFIX}report, {PREFIX}metrics")


def create_app(contract: Contract, options: ProxyOptions) -> ProxyApp:
    """The validating proxy of ``contract`` in front of ``options.upstream``, as an ASGI app."""
    return ProxyApp(contract, options)


async def _send_reply(send: Send, reply: Reply, request_id: str | None) -> None:
    if reply.headers and (unsendable := first_unsendable(reply.headers)) is not None:
        # The net under a value the proxy's own answers carry (the server would drop the connection).
        reply = mock_problem(501, f"the proxy made a value of header {unsendable!r} that HTTP cannot carry")
    headers = [(b"content-length", str(len(reply.body)).encode())]
    if reply.media_type is not None:
        headers.append((b"content-type", reply.media_type.encode()))
    if request_id is not None:
        headers.append((b"x-request-id", request_id.encode("latin-1", "replace")))
    headers.extend((k.encode("latin-1"), v.encode("latin-1", "replace")) for k, v in reply.headers)
    await send({"type": "http.response.start", "status": reply.status, "headers": headers})
    await send({"type": "http.response.body", "body": reply.body})


async def _pass_back(send: Send, answer: Answer, head: bool = False) -> str | None:
    """Send the upstream's answer on; a body beyond the bound is streamed. Why it broke off, if it did."""
    headers = list(answer.headers)
    if answer.complete:
        if head:  # the length of the body a GET would get, as the upstream said it
            if answer.declared_length is not None:
                headers.append((b"content-length", answer.declared_length))
        elif answer.status >= 200 and answer.status not in (204, 304):
            headers.append((b"content-length", str(len(answer.body)).encode()))
        await send({"type": "http.response.start", "status": answer.status, "headers": headers})
        await send({"type": "http.response.body", "body": answer.body})
        return None
    if answer.declared_length is not None:
        headers.append((b"content-length", answer.declared_length))
    try:
        await send({"type": "http.response.start", "status": answer.status, "headers": headers})
        await send({"type": "http.response.body", "body": answer.body, "more_body": True})
        async with aclosing(answer.rest()) as rest:
            async for chunk in rest:
                await send({"type": "http.response.body", "body": chunk, "more_body": True})
    except UpstreamFailure as exc:
        # The status is already sent: the connection is closed without completing the body (uvicorn does
        # that when the app returns early), so the client sees a truncated answer, not a made-up one.
        return f"the upstream broke off mid-body: {exc.reason}"
    finally:
        answer.close()  # the caller went away mid-body: the upstream connection is dropped, not leaked
    await send({"type": "http.response.body", "body": b""})
    return None


async def _chained(first: list[bytes], receive: Receive) -> AsyncIterator[bytes]:
    """The part of a request body already read, then the rest as the client sends it."""
    for chunk in first:
        yield chunk
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            # Not the end of the body: the upstream connection must be dropped, never given a short body.
            raise Disconnected
        chunk = message.get("body", b"")
        if chunk:
            yield chunk
        if not message.get("more_body", False):
            return


def _end_to_end(headers: dict[str, str]) -> tuple[tuple[str, str], ...]:
    """The caller's headers that describe its request (not its connection): what samples and records keep."""
    return tuple((k, v) for k, v in headers.items() if k not in _CONNECTION_HEADERS)


_CONNECTION_HEADERS = frozenset({"host", "content-length", *wire.HOP_BY_HOP})


def _header_map(raw: Sequence[tuple[bytes, bytes]]) -> dict[str, str]:
    out: dict[str, str] = {}
    for name, value in raw:
        key, text = name.decode("latin-1"), value.decode("latin-1")
        out[key] = f"{out[key]}, {text}" if key in out else text
    return out


def _as_wire(reply: Reply, request_id: str | None) -> WireResponse:
    headers = {k: v for k, v in reply.headers}
    if reply.media_type is not None:
        headers["content-type"] = reply.media_type
    if request_id is not None:
        headers["x-request-id"] = request_id
    return WireResponse(reply.status, headers, reply.body, 0.0)


def _client_host(scope: Scope) -> str | None:
    client = scope.get("client")
    return str(client[0]) if client else None
