"""Answers whose tensors fit the request: batch 5 in, ``[5, 3]`` out (``x-tensor`` named dims).

Worked out once per operation: the success reply the mock would send anyway (its first 2xx example, or
a generated body) and where its tensors stand. A request then costs locating its own tensors, reading
its named dims, and rebuilding the answer's tensors to those extents with the example's values.
"""

from __future__ import annotations

from typing import Any

import orjson

from validator.compiled import CompiledContract, body_schema_uri
from validator.contract import Operation
from validator.tensor.build import dims_of, with_tensors

from .interactions import Reply

_KEYWORD = "x-tensor"


class TensorAnswers:
    """Rebuilds one operation's success reply so that its tensors take the request's named dims."""

    def __init__(
        self, compiled: CompiledContract, request_uri: str, template: Any, reply: Reply, located: list[Any]
    ) -> None:
        self._compiled = compiled
        self._request_uri = request_uri
        self._template = template
        self._reply = reply
        self._located = located
        self._cache: dict[tuple[tuple[str, int], ...], Reply] = {}

    @staticmethod
    def wanted(compiled: CompiledContract, op: Operation) -> bool:
        """Whether ``op``'s request declares tensors (else no reply is rebuilt per request)."""
        request_uri = body_schema_uri(op, "request", None, None)
        return request_uri is not None and compiled.declares(request_uri, _KEYWORD)

    @staticmethod
    def build(compiled: CompiledContract, op: Operation, status: str, reply: Reply) -> TensorAnswers | None:
        """The answers of ``op`` when its request and its ``status`` response both declare tensors."""
        request_uri = body_schema_uri(op, "request", None, None)
        response_uri = body_schema_uri(op, "response", status, reply.media_type)
        if request_uri is None or response_uri is None or not reply.body:
            return None
        if not TensorAnswers.wanted(compiled, op):
            return None
        template = orjson.loads(reply.body)
        located = [i for i in compiled.locate(response_uri, template) if i.keyword == _KEYWORD]
        if not located:
            return None
        return TensorAnswers(compiled, request_uri, template, reply, located)

    def reply(self, body: Any) -> Reply | None:
        """The success reply rebuilt for this request's named dims (declared extents for the rest)."""
        dims = dims_of([i for i in self._compiled.locate(self._request_uri, body) if i.keyword == _KEYWORD])
        key = tuple(sorted(dims.items()))
        found = self._cache.get(key)
        if found is None:
            value = with_tensors(self._template, self._located, dims)
            found = self._reply._replace(body=orjson.dumps(value), source="tensor")
            if len(self._cache) < 256:  # a client sweeping batch sizes should not grow the mock without bound
                self._cache[key] = found
        return found
