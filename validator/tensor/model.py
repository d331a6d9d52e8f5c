"""The ``x-tensor`` declaration read into a typed value, once per contract version."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, NamedTuple

from ..extensions import DeclarationError

DATATYPES = (
    "BOOL",
    "UINT8",
    "UINT16",
    "UINT32",
    "UINT64",
    "INT8",
    "INT16",
    "INT32",
    "INT64",
    "FP16",
    "FP32",
    "FP64",
    "BYTES",
)
FREE = -1  # a dim any extent may take
_DIM_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")
_KEYS = frozenset({"name", "datatype", "shape"})

Dim = int | str  # a fixed extent, FREE, or a dim name shared across the exchange


class TensorSpec(NamedTuple):
    """A declared tensor: its name (None: any), datatype, and dims with an optional upper bound each."""

    name: str | None
    datatype: str
    shape: tuple[Dim, ...]
    maxima: tuple[int | None, ...]  # from the shape schema's ``maximum`` at each position

    @property
    def rank(self) -> int:
        """The number of dims."""
        return len(self.shape)

    def label(self) -> str:
        """The shape as written: ``[batch, 4]``."""
        return "[" + ", ".join(str(d) for d in self.shape) + "]"

    def named_dims(self) -> list[tuple[int, str]]:
        """The (position, name) of every named dim."""
        return [(i, d) for i, d in enumerate(self.shape) if isinstance(d, str)]


def parse_declaration(declaration: Any, schema: Any = None) -> TensorSpec:
    """Read an ``x-tensor`` value (and the bounds its schema puts on ``shape``); DeclarationError when unusable."""
    if not isinstance(declaration, Mapping):
        raise DeclarationError("x-tensor must be an object {name, datatype, shape}")
    unknown = sorted(set(declaration) - _KEYS)
    if unknown:
        raise DeclarationError(f"x-tensor has unknown key {unknown[0]!r}; allowed: datatype, name, shape", "")
    name = declaration.get("name")
    if name is not None and (not isinstance(name, str) or not name):
        raise DeclarationError("x-tensor name must be a non-empty string", "/name")
    datatype = declaration.get("datatype")
    if datatype not in DATATYPES:
        raise DeclarationError(
            f"x-tensor datatype {datatype!r} is not an OIP datatype; one of {', '.join(DATATYPES)}", "/datatype"
        )
    shape = declaration.get("shape")
    if not isinstance(shape, list):
        raise DeclarationError("x-tensor shape must be a list of dims (integer, -1 or a dim name)", "/shape")
    dims: list[Dim] = []
    for i, dim in enumerate(shape):
        if (type(dim) is int and dim >= FREE) or (isinstance(dim, str) and _DIM_NAME.match(dim)):
            dims.append(dim)
        else:
            raise DeclarationError(
                f"x-tensor dim {dim!r} is not an integer >= 0, -1 (free) or a dim name such as batch",
                f"/shape/{i}",
            )
    return TensorSpec(name, str(datatype), tuple(dims), _maxima(schema, len(dims)))


def _maxima(schema: Any, rank: int) -> tuple[int | None, ...]:
    """Upper bounds of the dims from the tensor schema's ``properties.shape`` (prefixItems or items)."""
    out: list[int | None] = [None] * rank
    if not isinstance(schema, Mapping):
        return tuple(out)
    properties = schema.get("properties")
    shape = properties.get("shape") if isinstance(properties, Mapping) else None
    if not isinstance(shape, Mapping):
        return tuple(out)
    prefix = shape.get("prefixItems")
    items = shape.get("items")
    for i in range(rank):
        sub = prefix[i] if isinstance(prefix, list) and i < len(prefix) else items
        bound = sub.get("maximum") if isinstance(sub, Mapping) else None
        if type(bound) is int:
            out[i] = bound
    return tuple(out)
