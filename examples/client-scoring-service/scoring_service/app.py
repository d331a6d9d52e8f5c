"""The HTTP surface of client-scoring 1.1.0 (FastAPI).

Requests are checked against the contract itself with the `contracts` library (contract-first: the
service cannot drift from what it publishes); errors are problem+json listing every violation.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import parse_qsl

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response

from validator.compiled import CompiledContract, RequestData
from validator.contract import Operation
from validator.loader import load
from validator.payload import PayloadError, parse_json

from .model import FEATURES, MODEL_VERSION, score_batch

CONTRACTS = Path(__file__).resolve().parents[3] / "contracts"
PROBLEM = "application/problem+json"


def problem(errors: list[dict[str, str]], status: int = 422) -> JSONResponse:
    """An RFC 9457 problem listing every violation."""
    body = {
        "type": "https://contracts.example/problems/invalid-request",
        "title": "Request does not match the contract",
        "status": status,
        "errors": errors,
    }
    return JSONResponse(body, status_code=status, media_type=PROBLEM)


def create_app(ref: str = "client-scoring@1.1.0", contracts: Path = CONTRACTS) -> FastAPI:
    """The service checking its requests against contract ``ref``."""
    app = FastAPI(title="Client scoring service (reference)", openapi_url=None, docs_url=None, redoc_url=None)
    compiled = CompiledContract(load(ref, contracts))
    score_op = compiled.contract.operation("scoreClients")
    model_op = compiled.contract.operation("getCampaignModel")

    def violations(
        op: Operation, request: Request, op_path: dict[str, str], body: object, has_body: bool
    ) -> list[dict[str, str]]:
        query = parse_qsl(request.url.query, keep_blank_values=True)
        headers = {k.lower(): v for k, v in request.headers.items()}
        data = (
            RequestData(op_path, query, headers, headers.get("content-type"), body)
            if has_body
            else RequestData(op_path, query, headers)
        )
        return [
            {"pointer": p.pointer, "message": p.message, "location": p.location or "body"}
            for p in compiled.validate_request(op, data)
        ]

    @app.post("/v1/campaigns/{campaign_id}/scores")
    async def scores(campaign_id: str, request: Request) -> Response:
        raw = await request.body()
        try:
            body = parse_json(raw) if raw else None
        except PayloadError as exc:
            return problem([{"pointer": "", "message": exc.problem.message, "location": "body"}])
        errors = violations(score_op, request, {"campaign_id": campaign_id}, body, raw != b"")
        if errors:
            media = any(e["location"] == "media-type" for e in errors)
            return problem(errors, 415 if media else 422)
        if not isinstance(body, dict):  # unreachable: the contract requires an object
            return problem([{"pointer": "", "message": "the body is not an object", "location": "body"}])
        rows, segments = score_batch(body["clients"])
        answer = {
            "campaign_id": campaign_id,
            "model_version": MODEL_VERSION,
            "scored_at": datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
            "scores": rows,
            "segment_probabilities": segments,
        }
        return JSONResponse(answer)

    @app.get("/v1/campaigns/{campaign_id}/model")
    async def model(campaign_id: str, request: Request) -> Response:
        errors = violations(model_op, request, {"campaign_id": campaign_id}, None, False)
        if errors:
            return problem(errors)
        return JSONResponse(
            {"campaign_id": campaign_id, "model_version": MODEL_VERSION, "auc": 0.78, "features": FEATURES}
        )

    return app
