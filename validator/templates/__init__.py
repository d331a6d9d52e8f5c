"""Starting contracts for ``contracts new NAME --template rest|oip|mlflow``: each passes lint as written."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any

from ..mlflow.contract import mlflow_contract
from ..mlflow.signature import ColumnSpec, Schema, Signature
from ..tensor.model import TensorSpec
from .oip import oip_contract
from .rest import rest_contract


def _oip(name: str, version: str) -> dict[str, Any]:
    inputs = [TensorSpec("input-0", "FP32", ("batch", 4), (None, None))]
    outputs = [TensorSpec("output-0", "FP32", ("batch", 1), (None, None))]
    examples = [
        ("one-row", [[5.1, 3.5, 1.4, 0.2]], [[0.97]]),
        ("two-rows", [[5.1, 3.5, 1.4, 0.2, 6.7, 3.0, 5.2, 2.3]], [[0.97, 0.02]]),
    ]
    return oip_contract(name, version, inputs, outputs, examples=examples)


def _mlflow(name: str, version: str) -> dict[str, Any]:
    columns = tuple(ColumnSpec(f"feature_{i}", "double") for i in range(1, 5))
    signature = Signature(Schema(columns), Schema((ColumnSpec(None, "double"),)))
    return mlflow_contract(name, version, signature)


TEMPLATES: Mapping[str, Callable[[str, str], dict[str, Any]]] = MappingProxyType(
    {"rest": rest_contract, "oip": _oip, "mlflow": _mlflow}
)

__all__ = ["TEMPLATES", "mlflow_contract", "oip_contract", "rest_contract"]
