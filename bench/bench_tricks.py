"""The hot-path tricks against their plain versions, each timed alone (timeit, min of repeats, ns per call).

A trick stays in the code only where its comment gives the figure this prints: the pointer-token cache
(validator/pointers.py), the digit-run search of parse_json (validator/payload.py), the private request-id
generator (mocks/request_id.py), the rejection's errors serialised once (mocks/rejections.py). The rows
marked "removed" are tricks that did not pay, kept here so that nobody adds them back unmeasured.
"""

from __future__ import annotations

import re
import timeit
import uuid
from collections.abc import Callable
from typing import Any

import orjson

from mocks import request_id
from mocks.rejections import error_entries
from validator import payload, pointers
from validator.problems import Problem

REPEAT = 25


def _ns(call: Callable[[], Any], number: int) -> float:
    return min(timeit.repeat(call, number=number, repeat=REPEAT)) / number * 1e9


def _row(what: str, trick: float, plain: float) -> None:
    print(f"  {what:62} {trick:10.0f} ns {plain:10.0f} ns {plain - trick:+10.0f} ns")


def _pointers() -> None:
    doc = {"recommendations": [{"product_id": "P1", "score": 0.5}] * 5, "customer_id": "C1", "context": {"x": 1}}

    def split_each_time(pointer: str) -> Any:
        node: Any = doc
        for token in pointers.split_pointer(pointer):
            node = node[int(token)] if isinstance(node, list) else node[token]
        return node

    long = "/recommendations/3/score"
    _row(
        "pointer tokens: cached split vs split",
        _ns(lambda: pointers._tokens(long), 200_000),
        _ns(lambda: pointers.split_pointer(long), 200_000),
    )
    _row(
        "resolve a 3-token pointer",
        _ns(lambda: pointers.resolve_pointer(doc, long), 100_000),
        _ns(lambda: split_each_time(long), 100_000),
    )


def _digit_runs() -> None:
    marks, run = payload._AS_MARKS, payload._LONG_RUN
    regex = re.compile(rb"[0-9]{19}")
    digits = b"0123456789"
    payloads = {
        "112-byte request": orjson.dumps(
            {"customer_id": "C0001234", "context": {"channel": "web", "timestamp": "2026-02-28T10:15:00Z"}, "n": 3}
        ),
        "1.7 KB batch of 64 rows": orjson.dumps({"data": [[0.123456, 1.5, 2.25, 3.125]] * 64, "shape": [64, 4]}),
        "48 KB of 2000 rows": orjson.dumps({"rows": [{"id": f"r{i}", "v": i * 0.5} for i in range(2000)]}),
        "digit-poor request": orjson.dumps({"customer_id": "alpha", "context": {"channel": "web"}, "n": 3}),
    }
    for name, raw in payloads.items():
        number = 100_000 if len(raw) < 2000 else 5_000
        search = _ns(lambda raw=raw: run in raw.translate(marks), number)  # type: ignore[misc]
        _row(f"19-digit run, translate vs regex: {name}", search, _ns(lambda raw=raw: regex.search(raw), number))  # type: ignore[misc]
        counted = _ns(
            lambda raw=raw: len(raw) - len(raw.translate(None, digits)) >= 19 and run in raw.translate(marks),  # type: ignore[misc]
            number,
        )
        _row(f"  removed: count digits first: {name}", counted, search)


def _request_ids() -> None:
    _row(
        "request id: private generator vs uuid4()",
        _ns(request_id._new_request_id, 200_000),
        _ns(lambda: str(uuid.uuid4()), 200_000),
    )


def _fragments() -> None:
    problems = [
        Problem(f"/items/{i}/score", "-1 is less than the minimum of 0", "minimum", location="body") for i in range(5)
    ]

    def body() -> dict[str, Any]:
        return {"type": "about:blank", "title": "Unprocessable", "status": 422, "errors": error_entries(problems)}

    def once() -> None:
        out = body()
        errors = orjson.dumps(out["errors"])
        out["errors"] = orjson.Fragment(errors)
        orjson.dumps(out)
        orjson.dumps({"method": "POST", "path": "/x", "violations": orjson.Fragment(errors)})

    def twice() -> None:
        orjson.dumps(body())
        orjson.dumps({"method": "POST", "path": "/x", "violations": error_entries(problems)})

    _row("rejection of 5 violations and its log line", _ns(once, 50_000), _ns(twice, 50_000))


def _single_chunk() -> None:
    chunks = [b'{"customer_id":"C0001234","n":3}' * 4]
    _row(
        "  removed: one-chunk body returned without join",
        _ns(lambda: chunks[0] if len(chunks) == 1 else b"".join(chunks), 200_000),
        _ns(lambda: b"".join(chunks), 200_000),
    )


def main() -> None:
    """Print each trick's time, its plain version's, and what the trick saves per call."""
    print(f"  {'':62} {'trick':>13} {'plain':>13} {'saved':>13}   (min of {REPEAT} repeats)")
    _pointers()
    _digit_runs()
    _request_ids()
    _fragments()
    _single_chunk()
