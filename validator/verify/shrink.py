"""Shrinking a failing request to the smallest one that still fails the same way (as Schemathesis does).

Greedy, like Hypothesis's shrinker at our scale: try smaller variants of the request (a body
member dropped, an array halved or cut to one item, a query parameter dropped), keep the first
that still reproduces the same finding, and start over from it, until nothing smaller fails or
the attempt budget is spent. Whether a variant reproduces is the caller's question: it sends
the request and runs the checks.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from ..payload import PayloadError, dumps, parse_json
from .exchange import WireRequest
from .findings import request_size

Reproduces = Callable[[WireRequest], bool]


def shrink(request: WireRequest, reproduces: Reproduces, budget: int) -> tuple[WireRequest, int]:
    """The smallest reproducing request found within ``budget`` attempts, and how many steps shrank it."""
    current, steps, attempts = request, 0, 0
    improved = True
    while improved and attempts < budget:
        improved = False
        size = request_size(current)
        for candidate in smaller(current):
            if request_size(candidate) >= size:
                continue
            attempts += 1
            if reproduces(candidate):
                current, steps, improved = candidate, steps + 1, True
                break
            if attempts >= budget:
                break
    return current, steps


def smaller(request: WireRequest) -> Iterator[WireRequest]:
    """Variants of ``request`` that are one step smaller, biggest cuts first."""
    if request.body is not None:
        try:
            body = parse_json(request.body)
        except PayloadError:
            body = None
        else:
            for variant in _smaller_values(body):
                yield WireRequest(request.method, request.path, request.headers, dumps(variant))
    path, sep, query = request.path.partition("?")
    if sep:
        pairs = query.split("&")
        for i in range(len(pairs)):
            rest = pairs[:i] + pairs[i + 1 :]
            yield WireRequest(
                request.method, path + ("?" + "&".join(rest) if rest else ""), request.headers, request.body
            )


def _smaller_values(value: Any, depth: int = 0) -> Iterator[Any]:
    """One-step-smaller versions of a JSON value: outer cuts before inner ones."""
    if depth > 32:
        return
    if isinstance(value, dict):
        keys = sorted(value, key=lambda k: -len(dumps(value[k])))  # the biggest member first
        for key in keys:
            yield {k: v for k, v in value.items() if k != key}
        for key in keys:
            for inner in _smaller_values(value[key], depth + 1):
                yield {**value, key: inner}
    elif isinstance(value, list):
        if len(value) > 1:
            yield value[:1]
            yield value[: len(value) // 2]
            yield value[len(value) // 2 :]
            for i in range(min(len(value), 8)):
                yield value[:i] + value[i + 1 :]
        for i, item in enumerate(value[:8]):
            for inner in _smaller_values(item, depth + 1):
                yield [*value[:i], inner, *value[i + 1 :]]
    elif isinstance(value, str) and len(value) > 1:
        yield value[: len(value) // 2]
