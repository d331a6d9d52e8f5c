"""The ``x-tensor`` checks: one tensor against its declaration, and named dims across tensors.

Every problem carries ``keyword: x-tensor``, a pointer into the tensor (``/inputs/0/data``) and a
message naming both numbers (``data holds 3 elements but shape [2, 2] needs 4``).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from ..extensions import Exchange, Located
from ..problems import Problem
from .domain import all_inside, first_outside
from .model import FREE, TensorSpec, parse_declaration

if TYPE_CHECKING:
    from ..compiled import CompiledContract

KEYWORD = "x-tensor"
_MAX_STRUCTURE_PROBLEMS = 3  # per tensor: a ragged batch of 1000 rows needs its first rows named, not all


def parse(declaration: Any, schema: Any) -> TensorSpec:
    """The typed declaration (the hook's ``parse``)."""
    return parse_declaration(declaration, schema)


def _problem(pointer: str, message: str, hint: str | None = None) -> Problem:
    return Problem(pointer, message, KEYWORD, None, None, None, None, hint)


class _Named(NamedTuple):
    """A declaration's named dims, worked out once per declaration."""

    dims: tuple[tuple[int, str], ...]  # (position, name) of every named dim
    repeated: bool  # a dim name used twice in the one tensor ([n, n]): it must agree with itself


@functools.lru_cache(maxsize=4096)
def _named(spec: TensorSpec) -> _Named:
    dims = tuple(spec.named_dims())
    return _Named(dims, len({n for _, n in dims}) < len(dims))


def check(item: Located) -> list[Problem]:
    """Problems of one tensor object: name, datatype, rank, extents, element count, element domain."""
    spec: TensorSpec = item.model
    tensor = item.value
    if type(tensor) is not dict:
        return []  # not an object: the tensor's JSON Schema says so
    if _plainly_valid(spec, tensor):
        return []
    at = item.pointer
    out: list[Problem] = []
    if spec.name is not None and "name" in tensor and tensor["name"] != spec.name:
        out.append(_problem(at + "/name", f"tensor name is {tensor['name']!r}, declared {spec.name!r}"))
    if "datatype" in tensor and tensor["datatype"] != spec.datatype:
        out.append(
            _problem(
                at + "/datatype",
                f"datatype is {tensor['datatype']!r}, declared {spec.datatype!r} for {_who(spec)}",
            )
        )
    extents = _extents(tensor.get("shape"), spec, at, out)
    if extents is None or "data" not in tensor:
        return out
    leaves = _leaves(tensor["data"], extents, at + "/data", out)
    if leaves is not None:
        bad = first_outside(spec.datatype, leaves)
        if bad is not None:
            index, reason = bad
            where = at + "/data" + _index_pointer(index, extents, flat=leaves is tensor["data"])
            out.append(_problem(where, f"element {reason} ({spec.datatype} tensor {_who(spec)})"))
    return out


def _plainly_valid(spec: TensorSpec, tensor: dict[str, Any]) -> bool:
    """The common case decided in a few steps: flat data of the right count, every element inside.

    False means "look closer", never "invalid": the full check then finds and words each problem.
    """
    shape = tensor.get("shape")
    data = tensor.get("data")
    if type(shape) is not list or len(shape) != len(spec.shape) or type(data) is not list or not data:
        return False
    if type(data[0]) is list or tensor.get("datatype", spec.datatype) != spec.datatype:
        return False
    if spec.name is not None and tensor.get("name", spec.name) != spec.name:
        return False
    for dim, declared in zip(shape, spec.shape, strict=True):
        if type(dim) is not int or dim < 0 or (type(declared) is int and declared >= 0 and dim != declared):
            return False
    return len(data) == math.prod(shape) and all_inside(spec.datatype, data)


def _who(spec: TensorSpec) -> str:
    return repr(spec.name) if spec.name else spec.label()


def _extents(shape: Any, spec: TensorSpec, at: str, out: list[Problem]) -> list[int] | None:
    """The payload's extents when every one is a JSON integer >= 0 and the rank is the declared one."""
    if type(shape) is not list:
        return None
    usable = True
    for i, dim in enumerate(shape):
        if type(dim) is not int:
            hint = f"write {int(dim)}" if isinstance(dim, float) and dim.is_integer() else None
            out.append(_problem(f"{at}/shape/{i}", f"dim {_text(dim)} is not an integer", hint))
            usable = False
        elif dim < 0:
            out.append(_problem(f"{at}/shape/{i}", f"dim {dim} is negative"))
            usable = False
    if len(shape) != spec.rank:
        out.append(
            _problem(
                at + "/shape",
                f"shape {_text(shape)} has rank {len(shape)}, declared rank {spec.rank} {spec.label()}",
            )
        )
        return None
    if not usable:
        return None
    for i, (dim, declared) in enumerate(zip(shape, spec.shape, strict=True)):
        if type(declared) is int and declared != FREE and dim != declared:
            out.append(_problem(f"{at}/shape/{i}", f"dim {i} is {dim}, declared {declared} in {spec.label()}"))
    return shape


def _leaves(data: Any, extents: list[int], at: str, out: list[Problem]) -> list[Any] | None:
    """The elements in row-major order when ``data`` is flat or nested to the shape; None after a problem."""
    if type(data) is not list:
        return None
    needed = math.prod(extents)
    # Nested data starts with a list; a list further into flat data is an element outside the domain.
    if not data or type(data[0]) is not list:
        if len(data) != needed:
            out.append(_problem(at, f"data holds {len(data)} elements but shape {_text(extents)} needs {needed}"))
            return None
        return data
    if not extents:
        out.append(_problem(at, f"data nests lists but shape {_text(extents)} is a scalar (one element)"))
        return None
    leaves: list[Any] = []
    found: list[Problem] = []
    _nested(data, extents, 0, at, leaves, found)
    out.extend(found[:_MAX_STRUCTURE_PROBLEMS])
    return None if found else leaves


def _nested(node: Any, extents: list[int], level: int, at: str, leaves: list[Any], found: list[Problem]) -> None:
    if len(found) >= _MAX_STRUCTURE_PROBLEMS:
        return
    if type(node) is not list:
        found.append(
            _problem(
                at, f"expected a list of {extents[level]} at dim {level} of shape {_text(extents)}, found {_text(node)}"
            )
        )
        return
    if len(node) != extents[level]:
        found.append(
            _problem(at, f"{len(node)} items at dim {level}, but shape {_text(extents)} needs {extents[level]}")
        )
        return
    if level == len(extents) - 1:
        for i, value in enumerate(node):
            if type(value) is list:
                found.append(
                    _problem(f"{at}/{i}", f"data nests deeper than shape {_text(extents)} (rank {len(extents)})")
                )
                return
        leaves.extend(node)
        return
    for i, child in enumerate(node):
        _nested(child, extents, level + 1, f"{at}/{i}", leaves, found)


def _index_pointer(index: int, extents: list[int], *, flat: bool) -> str:
    if flat or not extents:
        return f"/{index}"
    parts: list[int] = []
    for extent in reversed(extents):
        index, rest = divmod(index, extent) if extent else (0, 0)
        parts.append(rest)
    return "".join(f"/{p}" for p in reversed(parts))


def _text(value: Any) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_text(v) for v in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    return repr(value) if isinstance(value, str) else str(value)


# -- named dims ----------------------------------------------------------------------------------
Bindings = dict[str, tuple[int, str]]  # dim name -> (extent, pointer where it was first seen)


def bind(items: Sequence[Located], bindings: Bindings, *, side: str = "", only: bool = False) -> list[Problem]:
    """Bind the named dims of the tensors; a problem for each dim that disagrees with its first value."""
    out: list[Problem] = []
    for item in items:
        spec: TensorSpec = item.model
        shape = item.value.get("shape") if type(item.value) is dict else None
        if type(shape) is not list or len(shape) != spec.rank:
            continue
        for i, name in _named(spec).dims:
            extent = shape[i]
            if type(extent) is not int or extent < 0:
                continue
            where = f"{item.pointer}/shape/{i}"
            first = bindings.get(name)
            if first is None:
                if not only:  # ``only``: check against the given bindings, bind nothing new
                    bindings[name] = (extent, where)
            elif first[0] != extent:
                out.append(
                    _problem(
                        where,
                        f"dim {name!r} is {extent} here{side} but {first[0]} at {first[1]}",
                        f"every tensor using {name!r} takes the same extent in one exchange",
                    )
                )
    return out


def check_together(items: Sequence[Located]) -> list[Problem]:
    """Tensors of one payload agree on their named dims."""
    if len(items) == 1 and not _named(items[0].model).repeated:
        return []  # one tensor naming each dim once has nothing to disagree with
    return bind(items, {})


def check_exchange(compiled: CompiledContract, exchange: Exchange) -> list[Problem]:
    """Response tensors take the request's values of named dims (batch 5 in, batch 5 out)."""
    from ..compiled import body_schema_uri

    op = exchange.operation
    request_uri = body_schema_uri(op, "request", None, exchange.request.content_type)
    response_uri = body_schema_uri(op, "response", exchange.status, exchange.response_media_type)
    if request_uri is None or response_uri is None:
        return []
    requested = compiled.locate(request_uri, exchange.request.body)
    answered = compiled.locate(response_uri, exchange.response_body)
    if not requested or not answered:
        return []
    bindings: Bindings = {}
    bind([i for i in requested if i.keyword == KEYWORD], bindings)
    request_side = {name: (extent, "request " + (where or "/")) for name, (extent, where) in bindings.items()}
    # Only dims the request bound: disagreements inside the response alone are its validation's problems.
    found = bind([i for i in answered if i.keyword == KEYWORD], request_side, side=" in the response", only=True)
    return [p._replace(location="body") for p in found]
