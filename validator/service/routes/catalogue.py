"""The catalogue: contracts, their versions as bundled OpenAPI documents, their operations."""

from __future__ import annotations

from typing import Annotated, Any

import orjson
import yaml
from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from ...bundle import bundle
from ...contract import Operation
from ..catalogue import Snapshot
from ..security import require_read_token
from ._deps import checked_name, checked_version, snapshot

router = APIRouter(prefix="/api/v1", dependencies=[Depends(require_read_token)])
Snap = Annotated[Snapshot, Depends(snapshot)]
Name = Annotated[str, Depends(checked_name)]
Version = Annotated[str, Depends(checked_version)]


@router.get("/contracts")
async def list_contracts(snap: Snap) -> dict[str, Any]:
    """Every contract with its versions and newest released version."""
    return {"contracts": [_summary(snap, name) for name in snap.names()]}


@router.get("/contracts/{name}")
async def get_contract(snap: Snap, name: Name) -> dict[str, Any]:
    """One contract's versions."""
    return _summary(snap, name)


@router.get("/contracts/{name}/versions/{version}")
async def get_version(request: Request, snap: Snap, name: Name, version: Version) -> Response:
    """The version as one self-contained OpenAPI document: JSON, or YAML when asked for."""
    document = snap.cached("bundle", name, version, lambda: bundle(snap.contract(name, version)))
    accept = request.headers.get("accept", "")
    if "yaml" in accept and "json" not in accept.split("yaml", 1)[0]:
        text = yaml.safe_dump(document, sort_keys=False, allow_unicode=True)
        return Response(text, media_type="application/yaml")
    return Response(orjson.dumps(document), media_type="application/json")


@router.get("/contracts/{name}/versions/{version}/operations")
async def list_operations(snap: Snap, name: Name, version: Version) -> dict[str, Any]:
    """The version's operations with their media types, statuses and named interactions."""
    contract = snap.contract(name, version)
    operations = [_operation(op) for op in contract.operations]
    return {"contract": name, "version": version, "operations": operations}


def _summary(snap: Snapshot, name: str) -> dict[str, Any]:
    return {"name": name, "versions": snap.versions_of(name), "latest": snap.latest(name)}


def _operation(op: Operation) -> dict[str, Any]:
    return {
        "operation_id": op.operation_id,
        "method": op.method,
        "path": op.path,
        "summary": op.summary,
        "deprecated": op.deprecated,
        "request_media_types": list(op.request_body.content) if op.request_body else [],
        "responses": list(op.responses),
        "interactions": sorted(op.interactions),
    }
