"""Liveness, readiness (database reachable) and Prometheus metrics."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from prometheus_client import CONTENT_TYPE_LATEST
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from ..problem_details import problem

router = APIRouter()


@router.get("/healthz")
async def healthz() -> dict[str, Any]:
    """The process is up."""
    return {"status": "ok"}


@router.get("/readyz", response_model=None)
async def readyz(request: Request) -> dict[str, Any] | Response:
    """Ready when the database answers (and migrations are applied); 503 with Retry-After otherwise."""
    db = request.app.state.db
    ready = await run_in_threadpool(_ready, db)
    if not ready:
        return problem(
            503,
            "Not ready",
            "the database cannot be reached",
            headers={"Retry-After": str(request.app.state.settings.retry_after_seconds)},
        )
    contracts = len(request.app.state.catalogue.current.names())
    return {"status": "ready", "database": "ok", "contracts": contracts}


def _ready(db: Any) -> bool:
    from ..db import DatabaseUnavailable

    try:
        db.ensure_migrated()
    except DatabaseUnavailable:
        return False
    return bool(db.ping())


@router.get("/metrics")
async def metrics(request: Request) -> Response:
    """Prometheus text exposition of the service's metrics (every worker's, when there are several)."""
    return Response(request.app.state.metrics.exposition(), media_type=CONTENT_TYPE_LATEST)
