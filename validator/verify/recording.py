"""Recorded exchanges: one NDJSON line per request and response that passed a proxy.

Written by ``contracts proxy --record FILE``, read back by ``contracts test --replay FILE``. A line is
``{"time", "operation", "answered_by", "request": {method, path, headers, body | body_base64,
truncated?}, "response": {status, headers, body | body_base64, truncated?, elapsed_ms} | null}``.
Bodies are kept up to a bound; a truncated request cannot be replayed and is skipped with a reason.
Credentials never reach the file: ``Authorization`` and its kin are always removed, plus any header
named by ``--redact``.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from ..errors import UsageError
from ..redaction import ALWAYS_REDACTED
from .exchange import WireRequest, WireResponse

DEFAULT_BODY_BYTES = 64 * 1024
UPSTREAM, PROXY = "upstream", "proxy"  # who answered: the API behind the proxy, or the proxy itself


@dataclass(frozen=True, slots=True)
class Recorded:
    """One exchange read back from a recording."""

    line: int
    request: WireRequest
    response: WireResponse | None  # None: the upstream gave no answer
    operation: str | None  # None: a path or method outside the contract
    answered_by: str = UPSTREAM
    request_truncated: bool = False
    response_truncated: bool = False


def kept_headers(headers: Iterable[tuple[str, str]], redact: frozenset[str]) -> list[tuple[str, str]]:
    """The headers that may be written: credentials and the ``redact`` names (lower case) removed."""
    return [(k, v) for k, v in headers if k.lower() not in ALWAYS_REDACTED and k.lower() not in redact]


def _body_fields(body: bytes, limit: int) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if not body:
        return out
    kept = body[:limit]
    if len(body) > limit:
        out["truncated"] = True
    try:
        out["body"] = kept.decode("utf-8")
    except UnicodeDecodeError:
        out["body_base64"] = base64.b64encode(kept).decode("ascii")
    return out


def record_line(
    *,
    time: str,
    operation: str | None,
    answered_by: str,
    method: str,
    path: str,
    request_headers: Iterable[tuple[str, str]],
    request_body: bytes,
    response: WireResponse | None,
    redact: frozenset[str],
    body_limit: int = DEFAULT_BODY_BYTES,
    error: str | None = None,
) -> bytes:
    """One recording line (without the newline), credentials and redacted headers left out."""
    request: dict[str, Any] = {
        "method": method,
        "path": path,
        "headers": kept_headers(request_headers, redact),
        **_body_fields(request_body, body_limit),
    }
    answer: dict[str, Any] | None = None
    if response is not None:
        answer = {
            "status": response.status,
            "headers": kept_headers(response.headers.items(), redact),
            **_body_fields(response.body, body_limit),
            "elapsed_ms": round(response.elapsed_ms, 3),
        }
    line: dict[str, Any] = {
        "time": time,
        "operation": operation,
        "answered_by": answered_by,
        "request": request,
        "response": answer,
    }
    if error is not None:
        line["error"] = error
    return orjson.dumps(line)


def read_recording(path: Path) -> list[Recorded]:
    """Every exchange of a recording; UsageError (exit 2) naming the line when the file is not one."""
    try:
        text = path.read_bytes()
    except OSError as exc:
        raise UsageError(
            f"cannot read --replay {str(path)!r}: {exc.strerror}",
            hint="give a file written by `contracts proxy --record FILE`",
        ) from None
    return list(_parse(path, text.splitlines()))


def _parse(path: Path, lines: list[bytes]) -> Iterator[Recorded]:
    for number, raw in enumerate(lines, 1):
        if not raw.strip():
            continue
        try:
            item = orjson.loads(raw)
            yield _recorded(number, item)
        except (orjson.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
            raise UsageError(
                f"--replay {str(path)!r} line {number} is not a recorded exchange: {exc}",
                hint="give a file written by `contracts proxy --record FILE`",
            ) from None


def _recorded(number: int, item: Mapping[str, Any]) -> Recorded:
    request = item["request"]
    method, target = str(request["method"]), str(request["path"])
    if not target.startswith("/"):
        raise ValueError(f"request path {target!r} does not start with /")
    headers = tuple((str(k), str(v)) for k, v in request.get("headers", []))
    body = _body_of(request)
    response = item.get("response")
    answer = None
    if response is not None:
        answer = WireResponse(
            int(response["status"]),
            {str(k).lower(): str(v) for k, v in response.get("headers", [])},
            _body_of(response) or b"",
            float(response.get("elapsed_ms", 0.0)),
        )
    operation = item.get("operation")
    return Recorded(
        number,
        WireRequest(method, target, headers, body),
        answer,
        str(operation) if operation is not None else None,
        str(item.get("answered_by", UPSTREAM)),
        bool(request.get("truncated", False)),
        bool(response.get("truncated", False)) if response is not None else False,
    )


def _body_of(part: Mapping[str, Any]) -> bytes | None:
    if "body" in part:
        return str(part["body"]).encode("utf-8")
    if "body_base64" in part:
        return base64.b64decode(str(part["body_base64"]), validate=True)
    return None
