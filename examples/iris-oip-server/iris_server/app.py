"""The HTTP endpoints: health, server and model metadata, readiness, infer (with and without a version)."""

from __future__ import annotations

import json
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from . import model
from .tensors import MODEL, BadRequest, read_request

VERSION = "1"
METADATA = {
    "name": MODEL,
    "versions": [VERSION],
    "platform": "sklearn_sklearn",
    "inputs": [{"name": "features", "datatype": "FP32", "shape": [-1, 4]}],
    "outputs": [
        {"name": "label", "datatype": "INT64", "shape": [-1]},
        {"name": "probabilities", "datatype": "FP32", "shape": [-1, 3]},
    ],
}


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


def _version_known(request: Request) -> bool:
    return bool(request.path_params.get("model_version", VERSION) == VERSION)


async def live(request: Request) -> Response:
    return JSONResponse({"live": True})


async def ready(request: Request) -> Response:
    return JSONResponse({"ready": True})


async def server_metadata(request: Request) -> Response:
    return JSONResponse({"name": f"{MODEL}-server", "version": "1.0.0", "extensions": []})


async def model_metadata(request: Request) -> Response:
    if not _version_known(request):
        return _error(404, f"model {MODEL} has no version {request.path_params['model_version']!r}")
    return JSONResponse(METADATA)


async def model_ready(request: Request) -> Response:
    if not _version_known(request):
        return _error(404, f"model {MODEL} has no version {request.path_params['model_version']!r}")
    return JSONResponse({"name": MODEL, "ready": True})


def create_app(*, strict: bool = True) -> Starlette:
    """The server; ``strict=False`` skips the input checks (a faulty variant the tests use)."""

    async def infer(request: Request) -> Response:
        if not _version_known(request):
            return _error(404, f"model {MODEL} has no version {request.path_params['model_version']!r}")
        content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if content_type != "application/json":
            return _error(400, "send the request as application/json")
        try:
            body = json.loads(await request.body())
        except (ValueError, UnicodeDecodeError):
            return _error(400, "the request is not JSON")
        try:
            rows = read_request(body) if strict else _lenient(body)
        except BadRequest as exc:
            return _error(400, str(exc))
        labels, probabilities = model.predict(rows)
        answer: dict[str, Any] = {"model_name": MODEL, "model_version": VERSION}
        if isinstance(body, dict) and isinstance(body.get("id"), str):
            answer["id"] = body["id"]
        answer["outputs"] = [
            {"name": "label", "shape": [len(rows)], "datatype": "INT64", "data": labels},
            {
                "name": "probabilities",
                "shape": [len(rows), 3],
                "datatype": "FP32",
                "data": [p for row in probabilities for p in row],
            },
        ]
        return JSONResponse(answer)

    base = f"/v2/models/{MODEL}"
    versioned = base + "/versions/{model_version}"
    routes = [
        Route("/v2/health/live", live),
        Route("/v2/health/ready", ready),
        Route("/v2", server_metadata),
        Route(base, model_metadata),
        Route(versioned, model_metadata),
        Route(base + "/ready", model_ready),
        Route(versioned + "/ready", model_ready),
        Route(base + "/infer", infer, methods=["POST"]),
        Route(versioned + "/infer", infer, methods=["POST"]),
    ]
    return Starlette(routes=routes)


def _lenient(body: Any) -> list[list[float]]:
    """Whatever numbers the first input carries, four to a row (what a server without checks does)."""
    try:
        data = body["inputs"][0]["data"]
        flat = [v for item in data for v in (item if isinstance(item, list) else [item])]
        numbers = [float(v) for v in flat if isinstance(v, int | float) and not isinstance(v, bool)]
    except (KeyError, IndexError, TypeError):
        raise BadRequest("no input data") from None
    rows = [numbers[i : i + 4] for i in range(0, len(numbers) - 3, 4)]
    if not rows:
        raise BadRequest("no complete row")
    return rows
