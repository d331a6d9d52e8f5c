"""A second reading of the issue's ceiling: a FastAPI endpoint that reads the body and returns a constant.

The issue's words ("a bare ASGI endpoint returning a constant body") name a raw ASGI callable
(``bench/_ceiling.py``), but its calibration figures (Prism at about 0.18x and 0.12x, a validating
FastAPI endpoint at 0.84x and 0.66x) do not come out against that one here. ``bench_mock`` measures both
and reports, every run, against which of them the figures reproduce.
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


@app.post("/v2/models/{model}/infer")
async def constant_infer(request: Request) -> Response:
    """The same constant answer at the Open Inference Protocol's infer path (``bench_tensor``)."""
    await request.body()
    return Response(_BODY, media_type="application/json")
