"""The endpoint ceiling: a FastAPI endpoint that reads the body and returns a constant, with no validation.

The issue's calibration figures (Prism at about 0.18x and 0.12x, a validating FastAPI endpoint at 0.84x and
0.66x) reproduce against this endpoint on the shipped stack, not against a raw ASGI callable.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import Response

_BODY = b'{"ok":true}'

app = FastAPI()


@app.post("/v1/recommendations")
async def constant(request: Request) -> Response:
    """Drain the body and answer the same small JSON body."""
    await request.body()
    return Response(_BODY, media_type="application/json")
