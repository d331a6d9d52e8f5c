"""Reading the input tensor of an inference request, refusing what the contract refuses.

This is the server's own code (it does not use the contracts tool), so the contract tests judge an
independent implementation of the Open Inference Protocol.
"""

from __future__ import annotations

import math
from typing import Any

MODEL = "iris-classifier"
MAX_BATCH = 64
FEATURES = 4
_FP32_OVERFLOW = 3.4028235677973366e38  # beyond this a value rounds to infinity in float32
OUTPUT_NAMES = ("label", "probabilities")


class BadRequest(ValueError):
    """The request breaks the protocol or the model's tensor declaration (answered with 400)."""


def _is_int(value: Any) -> bool:
    return type(value) is int


def read_request(body: Any) -> list[list[float]]:
    """The rows of the ``features`` input; BadRequest saying what is wrong."""
    if not isinstance(body, dict):
        raise BadRequest("the request must be a JSON object")
    if "id" in body and not isinstance(body["id"], str):
        raise BadRequest("id must be a string")
    if "parameters" in body and not isinstance(body["parameters"], dict):
        raise BadRequest("parameters must be an object")
    _check_outputs(body.get("outputs"), "outputs" in body)
    inputs = body.get("inputs")
    if not isinstance(inputs, list) or len(inputs) != 1:
        raise BadRequest("inputs must be a list holding exactly one tensor, 'features'")
    return _read_features(inputs[0])


def _check_outputs(outputs: Any, present: bool) -> None:
    if not present:
        return
    if not isinstance(outputs, list):
        raise BadRequest("outputs must be a list")
    for item in outputs:
        if not isinstance(item, dict) or item.get("name") not in OUTPUT_NAMES:
            raise BadRequest(f"each requested output needs a name among {', '.join(OUTPUT_NAMES)}")
        if "parameters" in item and not isinstance(item["parameters"], dict):
            raise BadRequest("output parameters must be an object")


def _read_features(tensor: Any) -> list[list[float]]:
    if not isinstance(tensor, dict):
        raise BadRequest("an input tensor must be an object")
    for key in ("name", "shape", "datatype", "data"):
        if key not in tensor:
            raise BadRequest(f"input tensor has no {key}")
    if tensor["name"] != "features":
        raise BadRequest(f"unknown input {tensor['name']!r}; the model takes 'features'")
    if tensor["datatype"] != "FP32":
        raise BadRequest(f"input 'features' is FP32, not {tensor['datatype']!r}")
    if "parameters" in tensor and not isinstance(tensor["parameters"], dict):
        raise BadRequest("tensor parameters must be an object")
    shape = tensor["shape"]
    if not isinstance(shape, list) or len(shape) != 2 or not all(_is_int(d) for d in shape):
        raise BadRequest("shape of 'features' must be two integers [batch, 4]")
    batch, width = shape
    if width != FEATURES:
        raise BadRequest(f"'features' has {width} columns; the model takes {FEATURES}")
    if not 1 <= batch <= MAX_BATCH:
        raise BadRequest(f"batch {batch} is outside 1..{MAX_BATCH}")
    data = tensor["data"]
    if not isinstance(data, list):
        raise BadRequest("data must be a list")
    if data and all(isinstance(row, list) for row in data):
        if len(data) != batch or any(len(row) != FEATURES for row in data):
            raise BadRequest(f"nested data must be {batch} rows of {FEATURES}")
        flat = [v for row in data for v in row]
    elif any(isinstance(v, list) for v in data):
        raise BadRequest("data must be flat or nested one level per dim, not mixed")
    else:
        flat = data
    if len(flat) != batch * FEATURES:
        raise BadRequest(f"data holds {len(flat)} elements but shape [{batch}, {FEATURES}] needs {batch * FEATURES}")
    for value in flat:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise BadRequest(f"element {value!r} is not a number")
        if (isinstance(value, float) and not math.isfinite(value)) or abs(value) >= _FP32_OVERFLOW:
            raise BadRequest(f"element {value!r} is not a finite FP32 value")
    return [[float(v) for v in flat[i * FEATURES : (i + 1) * FEATURES]] for i in range(batch)]
