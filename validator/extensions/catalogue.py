"""The table of extension keywords every command honours (append a row to add one)."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from ..tensor import checks as _tensor
from ._types import ExchangeCheck, SchemaKeyword

SCHEMA_KEYWORDS: Mapping[str, SchemaKeyword] = MappingProxyType(
    {
        "x-tensor": SchemaKeyword("x-tensor", _tensor.parse, _tensor.check, _tensor.check_together),
    }
)

EXCHANGE_CHECKS: tuple[ExchangeCheck, ...] = (ExchangeCheck("x-tensor", _tensor.check_exchange),)
