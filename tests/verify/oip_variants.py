"""Faulty variants of the reference OIP server (examples/iris-oip-server), each under its own prefix.

Each one breaks one tensor promise of the iris-classifier contract that JSON Schema alone cannot see.
Run: ``python -m tests.verify.oip_variants PORT``.
"""

from __future__ import annotations

import sys
from typing import Any

from tests.support.paths import ROOT
from tests.verify.variants import ASGI, Exchange, tamper

sys.path.insert(0, str(ROOT / "examples" / "iris-oip-server"))


def _outputs(ex: Exchange) -> dict[str, Any] | None:
    body = ex.json()
    return body if ex.status == 200 and isinstance(body, dict) and "outputs" in body else None


def data_length_mismatch(ex: Exchange) -> None:
    """The probabilities tensor loses its last element: its data no longer fills its shape."""
    body = _outputs(ex)
    if body:
        body["outputs"][1]["data"] = body["outputs"][1]["data"][:-1]
        ex.set_json(body)


def batch_differs(ex: Exchange) -> None:
    """An off-by-one in batching: a batch of n answers n-1 rows (consistent tensors, wrong batch)."""
    body = _outputs(ex)
    if body and body["outputs"][0]["shape"][0] > 1:
        label, probabilities = body["outputs"]
        label["shape"] = [label["shape"][0] - 1]
        label["data"] = label["data"][:-1]
        probabilities["shape"] = [probabilities["shape"][0] - 1, 3]
        probabilities["data"] = probabilities["data"][:-3]
        ex.set_json(body)


def fp32_out_of_range(ex: Exchange) -> None:
    """A float64 overflow leaks out: a probability beyond what FP32 can hold."""
    body = _outputs(ex)
    if body:
        body["outputs"][1]["data"][0] = 1e39
        ex.set_json(body)


def metadata_wrong_datatype(ex: Exchange) -> None:
    """The model metadata says FP64 for an input the model takes as FP32."""
    body = ex.json()
    if ex.status == 200 and isinstance(body, dict) and "platform" in body:
        body["inputs"][0]["datatype"] = "FP64"
        ex.set_json(body)


# name -> (what is wrong, the operation and check that must catch it)
FAULTY: dict[str, tuple[str, str, str]] = {
    "accepts-inconsistent-input": ("no input checks", "infer", "invalid_request_accepted"),
    "data-length-mismatch": ("response data shorter than its shape", "infer", "response_schema"),
    "batch-differs": ("output batch differs from input batch", "infer", "tensor_dims_agree"),
    "fp32-out-of-range": ("an FP32 element out of range", "infer", "response_schema"),
    "metadata-wrong-datatype": (
        "metadata disagrees with the declared tensors",
        "modelMetadata",
        "model_metadata_matches",
    ),
}
_AFTER = {
    "data-length-mismatch": data_length_mismatch,
    "batch-differs": batch_differs,
    "fp32-out-of-range": fp32_out_of_range,
    "metadata-wrong-datatype": metadata_wrong_datatype,
}


def build() -> ASGI:
    """One app: the reference at /reference, each variant at /<name>."""
    from iris_server import create_app
    from starlette.applications import Starlette
    from starlette.routing import Mount

    routes = [
        Mount("/reference", app=create_app()),
        Mount("/accepts-inconsistent-input", app=create_app(strict=False)),
    ]
    routes.extend(Mount(f"/{name}", app=tamper(create_app(), after=after)) for name, after in _AFTER.items())
    app: ASGI = Starlette(routes=routes)
    return app


if __name__ == "__main__":
    import uvicorn

    uvicorn.run(build(), host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")
