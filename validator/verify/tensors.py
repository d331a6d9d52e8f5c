"""Contract tests for tensor APIs (``x-tensor``): cases drawn dim first, and checks across the exchange.

Cases start from the operation's first success example and rebuild its tensors: valid ones at batch 1,
2 and the declared maximum, flat and nested; negative ones that JSON Schema cannot tell from valid
(element count off by one, wrong rank, ragged rows, wrong datatype label, an element outside the
datatype's domain, a fractional dim). Each is classified by our validator like every other case.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Iterator, Mapping
from typing import Any

from ..compiled import CompiledContract, RequestData, body_schema_uri, is_json_content_type
from ..contract import Direction, Operation
from ..extensions import Exchange as _Pair
from ..extensions import Located, exchange_problems
from ..payload import PayloadError, dumps, parse_json
from ..pointers import write_pointer
from ..problems import Problem
from ..tensor.build import build_tensor, with_tensors
from ..tensor.domain import INT_RANGES
from ..tensor.model import DATATYPES, TensorSpec
from .exchange import WireRequest

KEYWORD = "x-tensor"
DEFAULT_MAX = 8  # the batch drawn when a named dim declares no maximum


def tensor_cases(
    compiled: CompiledContract, op: Operation, base: WireRequest | None
) -> Iterator[tuple[str, WireRequest]]:
    """(description, request) for each tensor case of ``op``, built on the example request ``base``."""
    if base is None or base.body is None:
        return
    uri = body_schema_uri(op, "request", None, _content_type(base))
    if uri is None or not compiled.declares(uri, KEYWORD):
        return
    try:
        body = parse_json(base.body)
    except PayloadError:
        return
    located = [i for i in compiled.locate(uri, body) if i.keyword == KEYWORD]
    if not located:
        return
    names = _dim_names(located)
    for batch in sorted({1, 2, _maximum(located, names)}):
        dims = dict.fromkeys(names, batch)
        for nested in (False, True):
            form = "nested" if nested else "flat"
            yield (
                f"tensors at {_dims_text(dims)} ({form})",
                _with_body(base, with_tensors(body, located, dims, nested=nested)),
            )
    dims = dict.fromkeys(names, 2)
    first = located[0]
    spec: TensorSpec = first.model
    for description, broken in _negatives(
        spec, build_tensor(spec, dims, first.value if type(first.value) is dict else None)
    ):
        doc = with_tensors(body, located, dims)
        yield description, _with_body(base, write_pointer(doc, first.pointer, broken))


def _negatives(spec: TensorSpec, tensor: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    flat = list(tensor["data"]) if type(tensor["data"]) is list else []
    shape = list(tensor["shape"])
    if flat:
        yield "tensor data one element short of its shape", {**tensor, "data": flat[:-1]}
    yield "tensor data one element beyond its shape", {**tensor, "data": [*flat, flat[0] if flat else 0]}
    yield "tensor of the wrong rank", {**tensor, "shape": [*shape, 1]}
    if len(shape) >= 2 and shape[0] >= 2 and shape[-1] >= 1:
        step = math.prod(shape[1:])
        rows = [flat[i * step : (i + 1) * step] for i in range(shape[0])]
        if len(shape) == 2:
            rows[-1] = rows[-1][:-1]
            yield "tensor with ragged rows", {**tensor, "data": rows}
    other = next(d for d in DATATYPES if d != spec.datatype and d != "BYTES")
    yield "tensor with the wrong datatype label", {**tensor, "datatype": other}
    if flat:
        bad = copy.copy(flat)
        bad[-1] = _outside(spec.datatype)
        yield f"tensor element outside {spec.datatype}", {**tensor, "data": bad}
    if shape:
        yield "tensor with a fractional dim", {**tensor, "shape": [float(shape[0]), *shape[1:]]}


def _outside(datatype: str) -> Any:
    if datatype in INT_RANGES:
        return INT_RANGES[datatype][1] + 1
    return {"BOOL": 2, "BYTES": 1, "FP16": 1e5, "FP32": 1e39}.get(datatype, "1.0")


def _dim_names(located: list[Located]) -> list[str]:
    names: list[str] = []
    for item in located:
        names.extend(n for _, n in item.model.named_dims() if n not in names)
    return names


def _maximum(located: list[Located], names: list[str]) -> int:
    """The largest batch every named dim allows (the smallest declared maximum), else DEFAULT_MAX."""
    bounds = [
        m for item in located for (i, _), m in zip(item.model.named_dims(), _named_maxima(item.model), strict=True) if m
    ]
    return min(bounds) if bounds else DEFAULT_MAX


def _named_maxima(spec: TensorSpec) -> list[int | None]:
    return [spec.maxima[i] for i, _ in spec.named_dims()]


def _dims_text(dims: Mapping[str, int]) -> str:
    return ", ".join(f"{k}={v}" for k, v in dims.items())


def _content_type(request: WireRequest) -> str | None:
    return next((v for k, v in request.headers if k.lower() == "content-type"), None)


def _with_body(base: WireRequest, body: Any) -> WireRequest:
    return WireRequest(base.method, base.path, base.headers, dumps(body))


# -- checks ---------------------------------------------------------------------------------------
def dims_across(
    compiled: CompiledContract,
    op: Operation,
    request_body: bytes | None,
    status: int,
    content_type: str | None,
    response_body: bytes,
) -> list[Problem]:
    """Named dims of the response's tensors against the request's (batch in = batch out)."""
    if not request_body or not response_body or not is_json_content_type(content_type or ""):
        return []
    response_uri = body_schema_uri(op, "response", status, content_type)
    if response_uri is None or not compiled.declares(response_uri, KEYWORD):
        return []  # no tensor in the answer: nothing to compare (and no body to parse, on every exchange)
    try:
        request = parse_json(request_body)
        response = parse_json(response_body)
    except PayloadError:
        return []
    pair = _Pair(op, RequestData(body=request), status, {}, response, content_type)
    return [p for p in exchange_problems(compiled, pair) if p.keyword == KEYWORD]


def metadata_problems(
    compiled: CompiledContract, op: Operation, status: int, body: bytes, content_type: str | None
) -> list[Problem]:
    """An OIP model metadata answer lists the tensors the infer operation declares (names, datatypes, shapes)."""
    if op.method != "GET" or status != 200 or not body or not is_json_content_type(content_type or ""):
        return []
    infer = next((o for o in compiled.contract.operations if o.method == "POST" and o.path == op.path + "/infer"), None)
    if infer is None:
        return []
    try:
        metadata = parse_json(body)
    except PayloadError:
        return []
    if type(metadata) is not dict:
        return []
    out: list[Problem] = []
    sides: tuple[tuple[str, Direction], ...] = (("inputs", "request"), ("outputs", "response"))
    for member, direction in sides:
        declared = _declared(compiled, infer, direction)
        listed = metadata.get(member)
        if not declared or type(listed) is not list:
            continue
        by_name = {t.get("name"): (i, t) for i, t in enumerate(listed) if type(t) is dict}
        for spec in declared:
            if spec.name not in by_name:
                out.append(
                    Problem(
                        f"/{member}",
                        f"metadata lists no {member[:-1]} {spec.name!r}; {infer.label} declares it",
                        KEYWORD,
                        location="body",
                    )
                )
                continue
            i, entry = by_name[spec.name]
            out.extend(_entry_problems(f"/{member}/{i}", spec, entry))
        names = {s.name for s in declared}
        for name, (i, _) in by_name.items():
            if name not in names:
                out.append(
                    Problem(
                        f"/{member}/{i}/name",
                        f"metadata lists {member[:-1]} {name!r}, which {infer.label} does not declare",
                        KEYWORD,
                        location="body",
                    )
                )
    return out


def _entry_problems(at: str, spec: TensorSpec, entry: Mapping[str, Any]) -> list[Problem]:
    out: list[Problem] = []
    if entry.get("datatype") != spec.datatype:
        out.append(
            Problem(
                f"{at}/datatype",
                f"metadata says {entry.get('datatype')!r}, declared {spec.datatype!r}",
                KEYWORD,
                location="body",
            )
        )
    shape = entry.get("shape")
    if type(shape) is not list or len(shape) != spec.rank:
        out.append(
            Problem(f"{at}/shape", f"metadata shape {shape!r}, declared {spec.label()}", KEYWORD, location="body")
        )
        return out
    for k, (listed, declared) in enumerate(zip(shape, spec.shape, strict=True)):
        if type(declared) is int and declared >= 0 and listed != declared:
            out.append(
                Problem(
                    f"{at}/shape/{k}", f"metadata dim {k} is {listed!r}, declared {declared}", KEYWORD, location="body"
                )
            )
    return out


def _declared(compiled: CompiledContract, infer: Operation, direction: Direction) -> list[TensorSpec]:
    """The tensors the infer operation's first success example shows, as declared."""
    interaction = next((i for i in infer.interactions.values() if i.status[:1] == "2"), None)
    if interaction is None:
        return []
    status = interaction.status
    uri = body_schema_uri(infer, direction, status, None)
    value = interaction.request if direction == "request" else interaction.response
    if uri is None:
        return []
    return [i.model for i in compiled.locate(uri, value) if i.keyword == KEYWORD]
