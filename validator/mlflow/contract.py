"""The contract of an MLflow scoring server (``mlflow models serve``) for one model signature.

``POST /invocations`` accepts every JSON input format of MLflow's scoring server
(``mlflow/pyfunc/scoring_server``): ``dataframe_split`` (columns + rows), ``dataframe_records`` (one
object per row), ``instances`` and ``inputs`` (rows, columnar dict, or nested tensors), each beside an
optional ``params`` object; and ``text/csv``. It answers ``{"predictions": ...}``. ``/ping`` and
``/health`` answer 200 when the model is loaded, ``/version`` the MLflow version.
"""

from __future__ import annotations

from typing import Any

from .signature import ColumnSpec, ParamSpec, Schema, Signature, TensorSpec

_JSON = "application/json"
_INT32 = {"type": "integer", "minimum": -(2**31), "maximum": 2**31 - 1}
_INT64 = {"type": "integer", "minimum": -(2**63), "maximum": 2**63 - 1}
_COLUMN_TYPES: dict[str, dict[str, Any]] = {
    "boolean": {"type": "boolean"},
    "integer": _INT32,
    "long": _INT64,
    "float": {"type": "number"},
    "double": {"type": "number"},
    "string": {"type": "string"},
    "binary": {"type": "string", "description": "base64"},
    "datetime": {"type": "string", "description": "ISO 8601 date or date-time"},
    "any": {},
}
_DTYPES: dict[str, dict[str, Any]] = {
    "bool": {"type": "boolean"},
    **{
        f"int{n}": {"type": "integer", "minimum": -(2 ** (n - 1)), "maximum": 2 ** (n - 1) - 1} for n in (8, 16, 32, 64)
    },
    **{f"uint{n}": {"type": "integer", "minimum": 0, "maximum": 2**n - 1} for n in (8, 16, 32, 64)},
    **{f"float{n}": {"type": "number"} for n in (16, 32, 64)},
    "str": {"type": "string"},
    "object": {"type": "string"},
}


def mlflow_contract(name: str, version: str, signature: Signature, *, title: str | None = None) -> dict[str, Any]:
    """The OpenAPI 3.1 document of an MLflow scoring server serving a model with ``signature``."""
    schemas: dict[str, Any] = {
        "Params": _params_schema(signature.params),
        "Error": {
            "type": "object",
            "required": ["error_code", "message"],
            "properties": {"error_code": {"type": "string"}, "message": {"type": "string"}},
        },
    }
    formats = _input_formats(signature.inputs, schemas)
    schemas["InvocationsRequest"] = {
        "description": "exactly one input format, with optional params",
        "oneOf": [
            {
                "type": "object",
                "required": [key],
                "properties": {
                    key: {"$ref": f"#/components/schemas/{ref}"},
                    "params": {"$ref": "#/components/schemas/Params"},
                },
                "additionalProperties": False,
            }
            for key, ref in formats
        ],
    }
    schemas["Predictions"] = {
        "type": "object",
        "required": ["predictions"],
        "properties": {"predictions": _predictions_schema(signature.outputs)},
    }
    example_request, example_response = _examples(signature)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": title or f"{name} (MLflow scoring server)",
            "version": version,
            "description": (
                "The REST API of `mlflow models serve` for this model: /invocations accepts dataframe_split, "
                "dataframe_records, instances or inputs (JSON, with optional params) and CSV."
            ),
        },
        "paths": {
            "/ping": {"get": _probe("ping", "Health check: 200 once the model is loaded")},
            "/health": {"get": _probe("health", "Health check (same as /ping)")},
            "/version": {"get": _probe("version", "The MLflow version serving the model (its text)")},
            "/invocations": {
                "post": {
                    "operationId": "invocations",
                    "summary": "Score inputs",
                    "requestBody": {
                        "required": True,
                        "content": {
                            _JSON: {
                                "schema": {"$ref": "#/components/schemas/InvocationsRequest"},
                                "examples": {"one-row": {"value": example_request}},
                            },
                            "text/csv": {"schema": {"type": "string", "description": "a CSV table with a header row"}},
                        },
                    },
                    "responses": {
                        "200": {
                            "description": "The model's predictions, one per input row",
                            "content": {
                                _JSON: {
                                    "schema": {"$ref": "#/components/schemas/Predictions"},
                                    "examples": {"one-row": {"value": example_response}},
                                }
                            },
                        },
                        "400": {
                            "description": "The input does not match the model signature",
                            "content": {_JSON: {"schema": {"$ref": "#/components/schemas/Error"}}},
                        },
                    },
                }
            },
        },
        "components": {"schemas": schemas},
    }


def _probe(operation_id: str, summary: str) -> dict[str, Any]:
    return {"operationId": operation_id, "summary": summary, "responses": {"200": {"description": summary}}}


def column_schema(spec: ColumnSpec | Any) -> dict[str, Any]:
    """The JSON Schema of one column value (nested array/object/map types followed)."""
    kind = spec.type if isinstance(spec, ColumnSpec) else spec
    if isinstance(kind, str):
        return dict(_COLUMN_TYPES.get(kind, {}))
    if isinstance(kind, dict):
        tag = kind.get("type")
        if tag == "array":
            return {"type": "array", "items": column_schema(kind.get("items", "any"))}
        if tag == "object":
            properties = kind.get("properties") or {}
            return {
                "type": "object",
                "properties": {k: column_schema(v) for k, v in properties.items()},
                "required": [k for k, v in properties.items() if not isinstance(v, dict) or v.get("required", True)],
            }
        if tag == "map":
            return {"type": "object", "additionalProperties": column_schema(kind.get("values", "any"))}
        if isinstance(tag, str):
            return column_schema(tag)
    return {}


def _nullable(schema: dict[str, Any], required: bool) -> dict[str, Any]:
    return schema if required else {"anyOf": [schema, {"type": "null"}]}


def _input_formats(inputs: Schema, schemas: dict[str, Any]) -> list[tuple[str, str]]:
    if inputs.is_tensor:
        schemas["TensorInputs"] = _tensor_inputs(inputs.tensors)
        return [("instances", "TensorInputs"), ("inputs", "TensorInputs")]
    columns = inputs.columns
    named = [c for c in columns if c.name]
    record = {
        "type": "object",
        "properties": {c.name: _nullable(column_schema(c), c.required) for c in named if c.name},
        "required": [c.name for c in named if c.required and c.name],
    }
    cell: dict[str, Any] = {"anyOf": [_nullable(column_schema(c), c.required) for c in columns]} if columns else {}
    schemas["Record"] = record
    schemas["DataframeSplit"] = {
        "type": "object",
        "required": ["data"],
        "properties": {
            "columns": {"type": "array", "items": {"enum": [c.name for c in named]}, "uniqueItems": True}
            if named
            else {"type": "array"},
            "index": {"type": "array"},
            "data": {"type": "array", "items": {"type": "array", "items": cell}},
        },
    }
    schemas["DataframeRecords"] = {"type": "array", "items": {"$ref": "#/components/schemas/Record"}}
    schemas["Columnar"] = {
        "type": "object",
        "description": "one list of values per column",
        "properties": {
            c.name: {"type": "array", "items": _nullable(column_schema(c), c.required)} for c in named if c.name
        },
        "required": [c.name for c in named if c.required and c.name],
    }
    schemas["Rows"] = {
        "oneOf": [
            {"$ref": "#/components/schemas/DataframeRecords"},
            {"$ref": "#/components/schemas/Columnar"},
        ]
    }
    return [
        ("dataframe_split", "DataframeSplit"),
        ("dataframe_records", "DataframeRecords"),
        ("instances", "Rows"),
        ("inputs", "Rows"),
    ]


def _nested(spec: TensorSpec) -> dict[str, Any]:
    """Nested arrays, one level per dim; fixed dims fix the length of their level."""
    schema: dict[str, Any] = dict(_DTYPES.get(spec.dtype, {}))
    for dim in reversed(spec.shape):
        level: dict[str, Any] = {"type": "array", "items": schema}
        if dim >= 0:
            level["minItems"] = level["maxItems"] = dim
        schema = level
    return schema


def _tensor_inputs(tensors: tuple[TensorSpec, ...]) -> dict[str, Any]:
    if len(tensors) == 1 and not tensors[0].name:
        return _nested(tensors[0])
    return {
        "type": "object",
        "description": "one nested array per named tensor",
        "properties": {t.name or f"tensor-{i}": _nested(t) for i, t in enumerate(tensors)},
        "required": [t.name or f"tensor-{i}" for i, t in enumerate(tensors)],
    }


def _params_schema(params: tuple[ParamSpec, ...]) -> dict[str, Any]:
    properties: dict[str, Any] = {}
    for p in params:
        value = column_schema(p.type)
        properties[p.name] = {"type": "array", "items": value} if p.is_list else value
        if p.default is not None:
            properties[p.name]["default"] = p.default
    return {
        "type": "object",
        "description": "inference parameters of the signature (each optional: its default applies)",
        "properties": properties,
        "additionalProperties": False,
    }


def _predictions_schema(outputs: Schema | None) -> dict[str, Any]:
    if outputs is None:
        return {"description": "the model declares no output schema"}
    if outputs.is_tensor:
        if len(outputs.tensors) == 1:
            return _nested(outputs.tensors[0])
        return {
            "type": "object",
            "properties": {t.name or f"tensor-{i}": _nested(t) for i, t in enumerate(outputs.tensors)},
        }
    columns = outputs.columns
    if len(columns) == 1:
        return {"type": "array", "items": _nullable(column_schema(columns[0]), columns[0].required)}
    return {
        "type": "array",
        "items": {
            "type": "object",
            "properties": {c.name: column_schema(c) for c in columns if c.name},
            "required": [c.name for c in columns if c.name and c.required],
        },
    }


_SAMPLES: dict[str, Any] = {
    "boolean": True,
    "integer": 1,
    "long": 1,
    "float": 0.5,
    "double": 0.5,
    "string": "a",
    "binary": "YQ==",
    "datetime": "2026-01-01T00:00:00",
}


def _sample(kind: Any) -> Any:
    if isinstance(kind, str):
        return _SAMPLES.get(kind, kind[:0] or "a")
    if isinstance(kind, dict):
        tag = kind.get("type")
        if tag == "array":
            return [_sample(kind.get("items", "string"))]
        if tag == "object":
            return {
                k: _sample(v.get("type") if isinstance(v, dict) and "items" not in v else v)
                for k, v in (kind.get("properties") or {}).items()
            }
        if tag == "map":
            return {"key": _sample(kind.get("values", "string"))}
        if isinstance(tag, str):
            return _sample(tag)
    return "a"


def _tensor_sample(spec: TensorSpec) -> Any:
    leaf: Any = (
        False
        if spec.dtype == "bool"
        else ("a" if spec.dtype in ("str", "object") else (0.5 if "float" in spec.dtype else 1))
    )
    for dim in reversed(spec.shape):
        leaf = [leaf] * (dim if dim >= 0 else 1)
    return leaf


def _examples(signature: Signature) -> tuple[Any, Any]:
    """One valid request (dataframe_split, or inputs for tensors) and a response of one prediction."""
    inputs = signature.inputs
    if inputs.is_tensor:
        if len(inputs.tensors) == 1 and not inputs.tensors[0].name:
            request: dict[str, Any] = {"inputs": _tensor_sample(inputs.tensors[0])}
        else:
            request = {"inputs": {t.name or f"tensor-{i}": _tensor_sample(t) for i, t in enumerate(inputs.tensors)}}
    else:
        named = [c for c in inputs.columns if c.name]
        request = {"dataframe_split": {"columns": [c.name for c in named], "data": [[_sample(c.type) for c in named]]}}
    outputs = signature.outputs
    if outputs is None:
        predictions: Any = [0.5]
    elif outputs.is_tensor:
        t = outputs.tensors[0]
        predictions = (
            _tensor_sample(t)
            if len(outputs.tensors) == 1
            else {x.name or f"tensor-{i}": _tensor_sample(x) for i, x in enumerate(outputs.tensors)}
        )
    elif len(outputs.columns) == 1:
        predictions = [_sample(outputs.columns[0].type)]
    else:
        predictions = [{c.name: _sample(c.type) for c in outputs.columns if c.name}]
    return request, {"predictions": predictions}
