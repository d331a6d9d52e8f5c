"""An ``MLmodel`` file's signature (``signature.inputs``, ``outputs``, ``params``) as typed values.

The format is MLflow's (``mlflow/models/signature.py``, ``mlflow/types/schema.py``): each of ``inputs``
and ``outputs`` is a JSON text listing column specs ``{"type", "name"?, "required"?}`` (types boolean,
integer, long, float, double, string, binary, datetime, and array/object/map/any) or tensor specs
``{"type": "tensor", "tensor-spec": {"dtype", "shape"}, "name"?}``; ``params`` lists
``{"name", "type", "default", "shape"}``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, NamedTuple

import yaml

from ..errors import ContractsError, UsageError


class NoSignatureError(ContractsError):
    """The model was logged without a signature: there is nothing to write a contract from (exit 1)."""

    exit_code = 1


class ColumnSpec(NamedTuple):
    """One column of a column-based schema (``type`` as MLflow writes it; nested types kept as written)."""

    name: str | None
    type: Any  # "double", ... or a dict for array/object/map
    required: bool = True


class TensorSpec(NamedTuple):
    """One tensor of a tensor-based schema: numpy dtype and shape (-1 for a variable dim)."""

    name: str | None
    dtype: str
    shape: tuple[int, ...]


class ParamSpec(NamedTuple):
    """One inference parameter: name, type, default, and whether it is a list (shape ``[-1]``)."""

    name: str
    type: str
    default: Any
    is_list: bool = False


class Schema(NamedTuple):
    """The columns or the tensors of a model's inputs or outputs."""

    columns: tuple[ColumnSpec, ...] = ()
    tensors: tuple[TensorSpec, ...] = ()

    @property
    def is_tensor(self) -> bool:
        """Whether this is a tensor-based schema."""
        return bool(self.tensors)


class Signature(NamedTuple):
    """A model signature: inputs, outputs (optional), params (optional)."""

    inputs: Schema
    outputs: Schema | None = None
    params: tuple[ParamSpec, ...] = ()


def read_mlmodel(path: Path) -> Signature:
    """The signature of an ``MLmodel`` file (or of the model folder holding one)."""
    if path.is_dir():
        path = path / "MLmodel"
    if not path.is_file():
        raise UsageError(f"{path} not found", hint="give the MLmodel file of a logged model, or its folder")
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path} is not a YAML MLmodel file: {str(exc).splitlines()[0]}") from None
    if not isinstance(document, dict) or "flavors" not in document:
        raise UsageError(f"{path} is not an MLmodel file (it has no flavors)")
    signature = document.get("signature")
    if not isinstance(signature, dict) or not signature.get("inputs"):
        raise NoSignatureError(
            f"{path} has no signature, so the model's inputs are unknown",
            hint="log the model with one: mlflow.<flavor>.log_model(model, ..., "
            "signature=mlflow.models.infer_signature(X, model.predict(X))), or pass input_example=X",
        )
    outputs = signature.get("outputs")
    return Signature(
        _schema(signature["inputs"], path, "inputs"),
        _schema(outputs, path, "outputs") if outputs else None,
        _params(signature.get("params"), path),
    )


def _json_list(text: Any, path: Path, key: str) -> list[Any]:
    value = json.loads(text) if isinstance(text, str) else text
    if not isinstance(value, list):
        raise UsageError(f"{path}: signature.{key} is not a list of specs")
    return value


def _schema(text: Any, path: Path, key: str) -> Schema:
    try:
        specs = _json_list(text, path, key)
    except json.JSONDecodeError as exc:
        raise UsageError(f"{path}: signature.{key} is not JSON: {exc.msg}") from None
    columns: list[ColumnSpec] = []
    tensors: list[TensorSpec] = []
    for i, spec in enumerate(specs):
        if not isinstance(spec, dict) or "type" not in spec:
            raise UsageError(f"{path}: signature.{key}[{i}] has no type")
        if spec["type"] == "tensor":
            tensor = spec.get("tensor-spec") or {}
            shape = tensor.get("shape") or []
            if not isinstance(shape, list) or not all(type(d) is int for d in shape):
                raise UsageError(f"{path}: signature.{key}[{i}] has a tensor shape that is not a list of integers")
            tensors.append(TensorSpec(spec.get("name"), str(tensor.get("dtype", "float64")), tuple(shape)))
        else:
            kind = spec["type"]
            nested = {k: v for k, v in spec.items() if k not in ("name", "required")}
            columns.append(
                ColumnSpec(spec.get("name"), kind if len(nested) == 1 else nested, bool(spec.get("required", True)))
            )
    if columns and tensors:
        raise UsageError(f"{path}: signature.{key} mixes columns and tensors")
    return Schema(tuple(columns), tuple(tensors))


def _params(text: Any, path: Path) -> tuple[ParamSpec, ...]:
    if not text:
        return ()
    try:
        specs = _json_list(text, path, "params")
    except json.JSONDecodeError as exc:
        raise UsageError(f"{path}: signature.params is not JSON: {exc.msg}") from None
    out: list[ParamSpec] = []
    for i, spec in enumerate(specs):
        if not isinstance(spec, dict) or not isinstance(spec.get("name"), str):
            raise UsageError(f"{path}: signature.params[{i}] has no name")
        out.append(
            ParamSpec(spec["name"], str(spec.get("type", "string")), spec.get("default"), spec.get("shape") is not None)
        )
    return tuple(out)
