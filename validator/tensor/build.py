"""Consistent tensors: shape from the declaration and the named dims' values, data of exactly that size.

Used by the mock (answers whose named dims take the request's values) and by contract tests (requests
drawn dim first). Element values come from a sample tensor when there is one (an example, so they lie
in the domain the contract shows), else the datatype's zero.
"""

from __future__ import annotations

import copy
import itertools
import math
from collections.abc import Mapping, Sequence
from typing import Any

from ..extensions import Located
from ..pointers import write_pointer
from .model import FREE, TensorSpec

ZERO: dict[str, Any] = {"BOOL": False, "BYTES": "", "FP16": 0.0, "FP32": 0.0, "FP64": 0.0}


def shape_for(spec: TensorSpec, dims: Mapping[str, int], like: Sequence[Any] | None = None) -> list[int]:
    """The extents: named dims from ``dims`` (else the sample's, else 1), fixed as declared, free as sampled."""
    out: list[int] = []
    for i, dim in enumerate(spec.shape):
        sampled = like[i] if like is not None and i < len(like) and type(like[i]) is int and like[i] >= 0 else None
        if isinstance(dim, str):
            out.append(dims.get(dim, sampled if sampled is not None else 1))
        elif dim == FREE:
            out.append(sampled if sampled is not None else 1)
        else:
            out.append(dim)
    return out


def leaves_of(data: Any) -> list[Any]:
    """Every non-list element of (possibly nested) data, in row-major order."""
    if type(data) is not list:
        return []
    if list not in set(map(type, data)):
        return data
    out: list[Any] = []
    for item in data:
        out.extend(leaves_of(item) if type(item) is list else [item])
    return out


def nest(flat: list[Any], shape: Sequence[int]) -> list[Any]:
    """Flat row-major data as nested lists, one level per dim."""
    if len(shape) <= 1:
        return list(flat)
    step = math.prod(shape[1:])
    return [nest(flat[i * step : (i + 1) * step], shape[1:]) for i in range(shape[0])]


def build_tensor(
    spec: TensorSpec, dims: Mapping[str, int], like: Mapping[str, Any] | None = None, *, nested: bool | None = None
) -> dict[str, Any]:
    """A tensor object consistent with its declaration; other members (parameters) kept from ``like``."""
    sample = dict(like) if like is not None else {}
    shape = shape_for(spec, dims, sample.get("shape") if type(sample.get("shape")) is list else None)
    count = math.prod(shape)
    pool = [v for v in leaves_of(sample.get("data")) if _usable(spec.datatype, v)] or [ZERO.get(spec.datatype, 0)]
    flat = list(itertools.islice(itertools.cycle(pool), count))
    if nested is None:
        data = sample.get("data")
        nested = type(data) is list and list in set(map(type, data))
    sample.update(
        {
            "name": spec.name if spec.name is not None else sample.get("name", "tensor"),
            "shape": shape,
            "datatype": spec.datatype,
            "data": nest(flat, shape) if nested and len(shape) > 1 else flat,
        }
    )
    return sample


def _usable(datatype: str, value: Any) -> bool:
    from .domain import outside

    return outside(datatype, value) is None


def with_tensors(body: Any, located: Sequence[Located], dims: Mapping[str, int], *, nested: bool | None = None) -> Any:
    """A copy of ``body`` with every located tensor rebuilt consistent with ``dims``."""
    out = copy.deepcopy(body)
    for item in located:
        spec: TensorSpec = item.model
        like = item.value if type(item.value) is dict else None
        out = write_pointer(out, item.pointer, build_tensor(spec, dims, like, nested=nested))
    return out


def dims_of(located: Sequence[Located]) -> dict[str, int]:
    """The value each named dim takes in these tensors (the first one seen)."""
    found: dict[str, int] = {}
    for item in located:
        spec: TensorSpec = item.model
        shape = item.value.get("shape") if type(item.value) is dict else None
        if type(shape) is not list or len(shape) != spec.rank:
            continue
        for i, name in spec.named_dims():
            if type(shape[i]) is int and shape[i] >= 0:
                found.setdefault(name, shape[i])
    return found
