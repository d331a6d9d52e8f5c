"""Administration: reload the contracts folder without a restart."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import APIRouter, Depends, Request

from ..security import require_token

router = APIRouter(prefix="/api/v1/admin", dependencies=[Depends(require_token)])
log = logging.getLogger("contracts.service")


@router.post("/reload")
def reload(request: Request) -> dict[str, Any]:
    """Rescan the contracts folder; requests in flight finish on the snapshot they started with."""
    fresh = request.app.state.catalogue.reload()
    summary = {name: fresh.versions_of(name) for name in fresh.names()}
    log.info("contracts reloaded", extra={"contracts": summary})
    return {"reloaded": True, "contracts": [{"name": n, "versions": v} for n, v in summary.items()]}
