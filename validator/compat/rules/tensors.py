"""Rules over the ``x-tensor`` declarations of one pair of schemas (OIP tensor objects)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ...extensions import DeclarationError
from ...tensor.model import FREE, TensorSpec, parse_declaration
from ..pairing import SchemaPair
from ..report import Finding


def _spec(raw: Any) -> TensorSpec | None:
    if not isinstance(raw, dict) or "x-tensor" not in raw:
        return None
    try:
        return parse_declaration(raw["x-tensor"], raw)
    except DeclarationError:
        return None  # lint reports an unusable declaration


def _pair(pair: SchemaPair) -> tuple[TensorSpec | None, TensorSpec | None]:
    return _spec(pair.old.node.raw), _spec(pair.new.node.raw)


def _variable(dim: int | str) -> bool:
    return isinstance(dim, str) or dim == FREE


def tensor_added(pair: SchemaPair) -> Iterator[Finding]:
    """An ``x-tensor`` declaration appeared: payloads must now be consistent tensors of it."""
    old, new = _pair(pair)
    if old is None and new is not None:
        yield Finding(f"x-tensor {new.name or ''} {new.datatype} {new.label()} declared".replace("  ", " "))


def tensor_removed(pair: SchemaPair) -> Iterator[Finding]:
    """An ``x-tensor`` declaration is gone: any tensor, consistent or not, now passes."""
    old, new = _pair(pair)
    if old is not None and new is None:
        yield Finding(f"x-tensor {old.name or ''} {old.datatype} {old.label()} no longer declared".replace("  ", " "))


def tensor_renamed(pair: SchemaPair) -> Iterator[Finding]:
    """The declared tensor name changed: payloads with the old name are refused."""
    old, new = _pair(pair)
    if old is not None and new is not None and old.name != new.name:
        yield Finding(f"tensor renamed from {old.name!r} to {new.name!r}")


def tensor_datatype_changed(pair: SchemaPair) -> Iterator[Finding]:
    """The declared datatype changed: tensors labelled with the old one are refused."""
    old, new = _pair(pair)
    if old is not None and new is not None and old.datatype != new.datatype:
        yield Finding(f"tensor {old.name!r} datatype changed from {old.datatype} to {new.datatype}")


def tensor_dim_changed(pair: SchemaPair) -> Iterator[Finding]:
    """The rank changed, or a fixed extent became another fixed extent."""
    old, new = _pair(pair)
    if old is None or new is None:
        return
    if old.rank != new.rank:
        yield Finding(f"tensor {old.name!r} shape changed from {old.label()} to {new.label()} (rank)")
        return
    for i, (a, b) in enumerate(zip(old.shape, new.shape, strict=True)):
        if not _variable(a) and not _variable(b) and a != b:
            yield Finding(f"tensor {old.name!r} dim {i} changed from {a} to {b}")


def tensor_dim_fixed(pair: SchemaPair) -> Iterator[Finding]:
    """A variable dim (named or -1) became a fixed extent."""
    old, new = _pair(pair)
    if old is None or new is None or old.rank != new.rank:
        return
    for i, (a, b) in enumerate(zip(old.shape, new.shape, strict=True)):
        if _variable(a) and not _variable(b):
            yield Finding(f"tensor {old.name!r} dim {i} fixed: {a} became {b}")


def tensor_dim_freed(pair: SchemaPair) -> Iterator[Finding]:
    """A fixed extent became a variable dim (named or -1)."""
    old, new = _pair(pair)
    if old is None or new is None or old.rank != new.rank:
        return
    for i, (a, b) in enumerate(zip(old.shape, new.shape, strict=True)):
        if not _variable(a) and _variable(b):
            yield Finding(f"tensor {old.name!r} dim {i} freed: {a} became {b}")
