"""A small OIP contract written per test: one infer operation with x-tensor declarations."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from validator.compiled import CompiledContract
from validator.loader import load


def tensor_schema(name: str, datatype: str, shape: list[Any], *, max_batch: int | None = None) -> dict[str, Any]:
    """The JSON Schema of one OIP tensor object carrying its x-tensor declaration."""
    dim: dict[str, Any] = {"type": "integer", "minimum": 0}
    if max_batch is not None:
        dim["maximum"] = max_batch
    return {
        "type": "object",
        "required": ["name", "shape", "datatype", "data"],
        "properties": {
            "name": {"type": "string"},
            "shape": {"type": "array", "items": dim},
            "datatype": {"type": "string"},
            "data": {"type": "array"},
            "parameters": {"type": "object"},
        },
        "x-tensor": {"name": name, "datatype": datatype, "shape": shape},
    }


def oip_document(inputs: list[dict[str, Any]], outputs: list[dict[str, Any]]) -> dict[str, Any]:
    """An OpenAPI 3.1 document with ``POST /v2/models/m/infer`` taking ``inputs`` and answering ``outputs``."""
    return {
        "openapi": "3.1.0",
        "info": {"title": "m", "version": "1.0.0"},
        "paths": {
            "/v2/models/m/infer": {
                "post": {
                    "operationId": "infer",
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "required": ["inputs"],
                                    "properties": {
                                        "id": {"type": "string"},
                                        "inputs": {"type": "array", "prefixItems": inputs},
                                    },
                                }
                            }
                        },
                    },
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "object",
                                        "required": ["outputs"],
                                        "properties": {
                                            "model_name": {"type": "string"},
                                            "outputs": {"type": "array", "prefixItems": outputs},
                                        },
                                    }
                                }
                            },
                        }
                    },
                }
            }
        },
    }


def write_contract(root: Path, document: dict[str, Any], name: str = "m", version: str = "1.0.0") -> Path:
    """Write ``document`` as ``root/name/version/openapi.yaml``; returns the version folder."""
    folder = root / name / version
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "openapi.yaml").write_text(yaml.safe_dump(document, sort_keys=False))
    return folder


@pytest.fixture
def oip(tmp_path: Path) -> CompiledContract:
    """Input ``x`` FP32 [batch, 4] and ``mask`` BOOL [batch]; output ``y`` FP32 [batch, 3] (batch at most 64)."""
    doc = oip_document(
        [
            tensor_schema("x", "FP32", ["batch", 4], max_batch=64),
            tensor_schema("mask", "BOOL", ["batch"], max_batch=64),
        ],
        [tensor_schema("y", "FP32", ["batch", 3], max_batch=64)],
    )
    return CompiledContract(load(str(write_contract(tmp_path, doc))))
