"""``POST .../validate``: one payload against an operation's request or response, as `contracts validate`."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from ...compiled import RequestData
from ...contract import Direction
from ...extensions import Exchange, exchange_problems
from ...problems import Problem
from ...report.as_json import validate_document
from ...report.display import for_contracts
from ..catalogue import Snapshot
from ..observability import Metrics
from ..problem_details import ServiceError, integral, parse_model
from ..security import require_read_token
from ._deps import checked_name, checked_version, metrics, raw_body, snapshot

_ABSENT: Any = object()
router = APIRouter(prefix="/api/v1", dependencies=[Depends(require_read_token)])


class ValidateRequest(BaseModel):
    """The body of a validate call."""

    model_config = ConfigDict(extra="forbid", strict=True)

    operation: str = Field(min_length=1, max_length=1000)
    direction: Direction
    status: Annotated[int, BeforeValidator(integral), Field(ge=100, le=599)] | None = None
    media_type: str | None = Field(None, min_length=1, max_length=200)
    payload: Any = Field(...)  # required (INTERFACE.md): a missing payload is not a null one
    for_request: Any = Field(default=_ABSENT)  # the request body a response answers (x-relations, tensor dims)


@router.post("/contracts/{name}/versions/{version}/validate")
async def validate(
    snap: Annotated[Snapshot, Depends(snapshot)],
    name: Annotated[str, Depends(checked_name)],
    version: Annotated[str, Depends(checked_version)],
    body: Annotated[bytes, Depends(raw_body)],
    meter: Annotated[Metrics, Depends(metrics)],
) -> dict[str, Any]:
    """The same report as ``contracts validate --format json``: ``{ok, contract, operation, problems}``.

    Runs on the event loop: validation is compiled and CPU-bound, and a thread hop costs more than it.
    """
    req = parse_model(body, ValidateRequest)
    compiled = snap.compiled(name, version)
    op = compiled.contract.operation(req.operation)
    if req.direction == "response" and req.status is None:
        raise ServiceError(
            422,
            "Request does not match the API",
            "a response needs its status",
            errors=[{"pointer": "/status", "message": "required when direction is response", "location": "body"}],
        )
    if req.direction == "request" and req.for_request is not _ABSENT:
        raise ServiceError(
            422,
            "Request does not match the API",
            "for_request goes with a response payload",
            errors=[{"pointer": "/for_request", "message": "only with direction response", "location": "body"}],
        )
    problems: list[Problem] = compiled.validate_body(
        op, req.direction, req.payload, status=req.status, media_type=req.media_type
    )
    if req.for_request is not _ABSENT:
        exchange = Exchange(op, RequestData(body=req.for_request), req.status or 200, {}, req.payload, req.media_type)
        problems.extend(exchange_problems(compiled, exchange))
    meter.validations.labels(name, op.label, "valid" if not problems else "invalid").inc()
    return validate_document(f"{name}@{version}", op.label, problems, for_contracts(snap.root))
