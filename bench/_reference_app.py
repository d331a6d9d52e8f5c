"""The issue's reference point: a FastAPI endpoint validating the request body with a compiled engine.

It answers ``POST /v1/recommendations`` with a constant 200 for a valid body and a 422 listing every
violation (pointer and message) for an invalid one, as a hand-written FastAPI service would.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
from fastapi import FastAPI, Request
from fastapi.responses import Response

from validator.compiled import CompiledContract
from validator.loader import load
from validator.pointers import to_pointer

_CONTRACT = load(str(Path(__file__).resolve().parents[1] / "contracts" / "recommendation-api" / "1.1.0"))
_BODY = _CONTRACT.operation("POST /v1/recommendations").request_body
assert _BODY is not None and _BODY.content["application/json"].schema_uri is not None
_VALIDATOR: Any = CompiledContract(_CONTRACT).validator(_BODY.content["application/json"].schema_uri)
_OK = b'{"recommendations":[],"model_version":"reference"}'

app = FastAPI()


@app.post("/v1/recommendations")
async def recommendations(request: Request) -> Response:
    """Validate the body; 200 when valid, else 422 with every violation."""
    body = orjson.loads(await request.body())
    if _VALIDATOR.is_valid(body):
        return Response(_OK, media_type="application/json")
    errors = [{"pointer": to_pointer(e.instance_path), "message": e.message} for e in _VALIDATOR.iter_errors(body)]
    problem = {"title": "Unprocessable Content", "status": 422, "errors": errors}
    return Response(orjson.dumps(problem), status_code=422, media_type="application/problem+json")


@app.get("/__mock/health")
async def health() -> dict[str, bool]:
    """Readiness, at the path the benchmark polls."""
    return {"ok": True}
