"""The table of extension keywords every command honours (append a row to add one)."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from ..relations import exchange as _relations
from ..relations import schema_keywords as _outputs
from ..tensor import checks as _tensor
from ._types import ExchangeCheck, SchemaKeyword

SCHEMA_KEYWORDS: Mapping[str, SchemaKeyword] = MappingProxyType(
    {
        "x-tensor": SchemaKeyword("x-tensor", _tensor.parse, _tensor.check, _tensor.check_together),
        "x-sum": SchemaKeyword("x-sum", _outputs.parse_sum, _outputs.check_sum),
        "x-sorted": SchemaKeyword("x-sorted", _outputs.parse_sorted, _outputs.check_sorted),
    }
)

EXCHANGE_CHECKS: tuple[ExchangeCheck, ...] = (
    ExchangeCheck("x-tensor", _tensor.check_exchange),
    ExchangeCheck("x-relations", _relations.check_relations),
)
