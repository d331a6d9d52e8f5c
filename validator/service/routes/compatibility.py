"""Compatibility of a candidate document and diffs between versions (built on ``validator.compat``)."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from ..security import require_read_token

router = APIRouter(prefix="/api/v1", dependencies=[Depends(require_read_token)])
