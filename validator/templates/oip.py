"""An Open Inference Protocol (KServe v2 REST) contract built from tensor declarations.

Health, server metadata, model metadata and readiness, and infer (with and without
``/versions/{model_version}``), with OIP's ``{"error": ...}`` body. The model metadata is derived from
the same declarations as the ``x-tensor`` keywords of the infer schemas, so the two cannot drift.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import Any

from ..tensor.model import FREE, TensorSpec

DEFAULT_MAX_BATCH = 64
_JSON = "application/json"


def oip_contract(
    model: str,
    version: str,
    inputs: Sequence[TensorSpec],
    outputs: Sequence[TensorSpec],
    *,
    model_version: str = "1",
    platform: str = "custom",
    title: str | None = None,
    examples: Sequence[tuple[str, list[Any], list[Any]]] = (),
) -> dict[str, Any]:
    """The OpenAPI 3.1 document of an OIP model server serving ``model``.

    ``examples`` are (name, input data per input tensor, output data per output tensor), flat, row-major.
    """
    schemas: dict[str, Any] = {
        "Error": {
            "type": "object",
            "description": "Open Inference Protocol error body",
            "required": ["error"],
            "properties": {"error": {"type": "string"}},
        },
        "ServerMetadata": {
            "type": "object",
            "required": ["name", "version", "extensions"],
            "properties": {
                "name": {"type": "string"},
                "version": {"type": "string"},
                "extensions": {"type": "array", "items": {"type": "string"}},
            },
        },
        "TensorMetadata": {
            "type": "object",
            "required": ["name", "datatype", "shape"],
            "properties": {
                "name": {"type": "string"},
                "datatype": {"type": "string"},
                "shape": {"type": "array", "items": {"type": "integer", "minimum": -1}},
            },
        },
        "ModelMetadata": {
            "type": "object",
            "required": ["name", "platform", "inputs", "outputs"],
            "properties": {
                "name": {"const": model},
                "versions": {"type": "array", "items": {"type": "string"}},
                "platform": {"type": "string"},
                "inputs": {"type": "array", "items": {"$ref": "#/components/schemas/TensorMetadata"}},
                "outputs": {"type": "array", "items": {"$ref": "#/components/schemas/TensorMetadata"}},
            },
        },
        "ModelReady": {
            "type": "object",
            "required": ["name", "ready"],
            "properties": {"name": {"type": "string"}, "ready": {"type": "boolean"}},
        },
    }
    input_refs = [_tensor_component(schemas, "Input", spec) for spec in inputs]
    output_refs = [_tensor_component(schemas, "Output", spec) for spec in outputs]
    schemas["InferenceRequest"] = {
        "type": "object",
        "required": ["inputs"],
        "properties": {
            "id": {"type": "string"},
            "parameters": {"type": "object"},
            "inputs": _tensor_list(input_refs, "the input tensors, in this order"),
            "outputs": {
                "type": "array",
                "description": "the outputs wanted (all when absent)",
                "items": {
                    "type": "object",
                    "required": ["name"],
                    "properties": {"name": {"enum": [s.name for s in outputs]}, "parameters": {"type": "object"}},
                },
            },
        },
    }
    schemas["InferenceResponse"] = {
        "type": "object",
        "required": ["model_name", "outputs"],
        "properties": {
            "model_name": {"const": model},
            "model_version": {"type": "string"},
            "id": {"type": "string"},
            "parameters": {"type": "object"},
            "outputs": _tensor_list(output_refs, "the output tensors, in this order"),
        },
    }
    metadata = {
        "name": model,
        "versions": [model_version],
        "platform": platform,
        "inputs": [metadata_of(s) for s in inputs],
        "outputs": [metadata_of(s) for s in outputs],
    }
    base = f"/v2/models/{model}"
    versioned = base + "/versions/{model_version}"
    version_param = {
        "name": "model_version",
        "in": "path",
        "required": True,
        "schema": {"type": "string", "enum": [model_version]},
    }
    infer_examples = _infer_examples(model, model_version, inputs, outputs, examples)
    paths = {
        "/v2/health/live": {"get": _probe("serverLive", "The server is live", {"live": True}, "live")},
        "/v2/health/ready": {"get": _probe("serverReady", "The server is ready", {"ready": True}, "ready")},
        "/v2": {"get": _get("serverMetadata", "Server metadata", "ServerMetadata", _server_example(model))},
        base: {"get": _get("modelMetadata", "Model metadata", "ModelMetadata", metadata)},
        versioned: {
            "parameters": [version_param],
            "get": _get("modelVersionMetadata", "Metadata of one model version", "ModelMetadata", metadata, 404),
        },
        base + "/ready": {"get": _get("modelReady", "Model readiness", "ModelReady", {"name": model, "ready": True})},
        versioned + "/ready": {
            "parameters": [version_param],
            "get": _get(
                "modelVersionReady", "Readiness of one model version", "ModelReady", {"name": model, "ready": True}, 404
            ),
        },
        base + "/infer": {"post": _infer("infer", "Run inference", infer_examples)},
        versioned + "/infer": {
            "parameters": [version_param],
            "post": _infer("inferVersion", "Run inference on one model version", infer_examples, 404),
        },
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": title or f"{model} (Open Inference Protocol)",
            "version": version,
            "description": (
                f"Open Inference Protocol (KServe v2 REST) contract of the model {model}. The tensors of infer are "
                "declared with x-tensor; the model metadata lists the same tensors (named dims as -1)."
            ),
        },
        "paths": paths,
        "components": {"schemas": schemas},
    }


def metadata_of(spec: TensorSpec) -> dict[str, Any]:
    """The OIP metadata entry of a declared tensor: named and free dims are -1."""
    return {
        "name": spec.name,
        "datatype": spec.datatype,
        "shape": [d if isinstance(d, int) else FREE for d in spec.shape],
    }


def component_name(kind: str, spec: TensorSpec) -> str:
    """The components/schemas name of a tensor (OpenAPI allows only ``[A-Za-z0-9._-]``)."""
    return kind + "-" + re.sub(r"[^A-Za-z0-9._-]", "_", spec.name or "tensor")


def tensor_schema(spec: TensorSpec, max_batch: int | None = DEFAULT_MAX_BATCH) -> dict[str, Any]:
    """The JSON Schema of one OIP tensor object, carrying its ``x-tensor`` declaration."""
    dims: list[Any] = []
    for i, dim in enumerate(spec.shape):
        if isinstance(dim, str):
            bound = spec.maxima[i] if spec.maxima[i] is not None else max_batch
            dims.append({"type": "integer", "minimum": 1, **({"maximum": bound} if bound is not None else {})})
        elif dim == FREE:
            dims.append({"type": "integer", "minimum": 0})
        else:
            dims.append({"const": dim})
    return {
        "type": "object",
        "required": ["name", "shape", "datatype", "data"],
        "properties": {
            "name": {"const": spec.name} if spec.name else {"type": "string"},
            "shape": {"type": "array", "prefixItems": dims, "minItems": spec.rank, "maxItems": spec.rank},
            "datatype": {"const": spec.datatype},
            "data": {"type": "array", "description": "flat (row-major) or nested, one level per dim"},
            "parameters": {"type": "object"},
        },
        "x-tensor": {"name": spec.name, "datatype": spec.datatype, "shape": list(spec.shape)}
        if spec.name
        else {"datatype": spec.datatype, "shape": list(spec.shape)},
    }


def _tensor_component(schemas: dict[str, Any], kind: str, spec: TensorSpec) -> dict[str, str]:
    name = component_name(kind, spec)
    schemas[name] = tensor_schema(spec)
    return {"$ref": f"#/components/schemas/{name}"}


def _tensor_list(refs: list[dict[str, str]], description: str) -> dict[str, Any]:
    return {
        "type": "array",
        "description": description,
        "prefixItems": refs,
        "minItems": len(refs),
        "maxItems": len(refs),
    }


def _error_response(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {_JSON: {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


def _probe(operation_id: str, summary: str, example: dict[str, Any], member: str) -> dict[str, Any]:
    schema = {"type": "object", "properties": {member: {"type": "boolean"}}}
    return {
        "operationId": operation_id,
        "summary": summary,
        "responses": {"200": {"description": summary, "content": {_JSON: {"schema": schema, "example": example}}}},
    }


def _get(operation_id: str, summary: str, schema: str, example: Any, *missing: int) -> dict[str, Any]:
    responses: dict[str, Any] = {
        "200": {
            "description": summary,
            "content": {_JSON: {"schema": {"$ref": f"#/components/schemas/{schema}"}, "example": example}},
        }
    }
    for status in missing:
        responses[str(status)] = _error_response("No such model version")
    return {"operationId": operation_id, "summary": summary, "responses": responses}


def _infer(operation_id: str, summary: str, examples: dict[str, Any], *missing: int) -> dict[str, Any]:
    request_examples = {name: {"value": pair[0]} for name, pair in examples.items()}
    ok = {name: {"value": pair[1]} for name, pair in examples.items() if pair[1] is not None}
    bad = {name: {"value": pair[2]} for name, pair in examples.items() if pair[2] is not None}
    responses: dict[str, Any] = {
        "200": {
            "description": "The output tensors; every named dim takes the request's value",
            "content": {_JSON: {"schema": {"$ref": "#/components/schemas/InferenceResponse"}, "examples": ok}},
        },
        "400": {
            "description": "The request breaks the tensor contract (name, datatype, shape, data)",
            "content": {_JSON: {"schema": {"$ref": "#/components/schemas/Error"}, "examples": bad}},
        },
    }
    for status in missing:
        responses[str(status)] = _error_response("No such model version")
    return {
        "operationId": operation_id,
        "summary": summary,
        "requestBody": {
            "required": True,
            "content": {
                _JSON: {"schema": {"$ref": "#/components/schemas/InferenceRequest"}, "examples": request_examples}
            },
        },
        "responses": responses,
    }


def _server_example(model: str) -> dict[str, Any]:
    return {"name": f"{model}-server", "version": "1.0.0", "extensions": []}


def _infer_examples(
    model: str,
    model_version: str,
    inputs: Sequence[TensorSpec],
    outputs: Sequence[TensorSpec],
    examples: Sequence[tuple[str, list[Any], list[Any]]],
) -> dict[str, tuple[Any, Any, Any]]:
    """Named request/response pairs; the first request made inconsistent is the negative example."""
    out: dict[str, tuple[Any, Any, Any]] = {}
    for name, input_data, output_data in examples:
        batch = _batch_of(inputs, input_data)
        request = {"inputs": [_tensor(s, batch, d) for s, d in zip(inputs, input_data, strict=True)]}
        response = {
            "model_name": model,
            "model_version": model_version,
            "outputs": [_tensor(s, batch, d) for s, d in zip(outputs, output_data, strict=True)],
        }
        out[name] = (request, response, None)
    if out:
        first = next(iter(out.values()))[0]
        broken = {"inputs": [dict(t) for t in first["inputs"]]}
        broken["inputs"][0]["data"] = broken["inputs"][0]["data"][:-1]
        count = len(broken["inputs"][0]["data"])
        needed = math.prod(broken["inputs"][0]["shape"])
        out["shape-and-data-disagree"] = (
            broken,
            None,
            {"error": f"input {inputs[0].name!r}: data holds {count} elements but shape needs {needed}"},
        )
    return out


def _batch_of(inputs: Sequence[TensorSpec], data: list[Any]) -> dict[str, int]:
    """The value of each named dim, from the flat data lengths of the inputs."""
    dims: dict[str, int] = {}
    for spec, values in zip(inputs, data, strict=True):
        fixed = math.prod(d for d in spec.shape if isinstance(d, int) and d != FREE)
        named = [d for d in spec.shape if isinstance(d, str)]
        if len(named) == 1 and fixed:
            dims.setdefault(named[0], len(values) // fixed)
    return dims


def _tensor(spec: TensorSpec, dims: dict[str, int], data: list[Any]) -> dict[str, Any]:
    shape = [dims.get(d, 1) if isinstance(d, str) else (d if d != FREE else 1) for d in spec.shape]
    return {"name": spec.name, "shape": shape, "datatype": spec.datatype, "data": data}
