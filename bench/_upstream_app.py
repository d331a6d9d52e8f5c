"""The upstream of the proxy benchmark: a bare ASGI endpoint answering a valid recommendation, constant.

Fast on purpose, so that what is measured through a proxy is the proxy's own cost (the reference service
spends milliseconds scoring the catalogue per request, which would hide any proxy behind it).
"""

from __future__ import annotations

import orjson

from ._asgi import Receive, Scope, Send

_BODY = orjson.dumps(
    {
        "request_id": "6f1c2f0e-3a8e-4b7a-9d0e-2b9f3c1d4e5f",
        "model_version": "reco-2026.02.1",
        "variant": "control",
        "experiment_id": "exp-ranking-2026-02",
        "generated_at": "2026-02-28T10:15:00.120Z",
        "recommendations": [
            {"product_id": "P00042", "score": 0.91, "rank": 1},
            {"product_id": "P00007", "score": 0.73, "rank": 2},
            {"product_id": "P00311", "score": 0.55, "rank": 3},
            {"product_id": "P00017", "score": 0.41, "rank": 4},
            {"product_id": "P00002", "score": 0.38, "rank": 5},
        ],
    }
)
_MODEL = b'{"model_version":"reco-2026.02.1","trained_at":"2026-02-27T23:00:00Z","variants":["control","treatment"]}'


def _headers(body: bytes) -> list[tuple[bytes, bytes]]:
    return [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        (b"x-request-id", b"6f1c2f0e-3a8e-4b7a-9d0e-2b9f3c1d4e5f"),
    ]


_RECOMMENDATIONS, _CURRENT = _headers(_BODY), _headers(_MODEL)


async def app(scope: Scope, receive: Receive, send: Send) -> None:
    """Answer POST with the recommendations, anything else with the model description."""
    if scope["type"] != "http":
        return
    more = True
    while more:
        message = await receive()
        more = bool(message.get("more_body", False))
    post = scope["method"] == "POST"
    await send({"type": "http.response.start", "status": 200, "headers": _RECOMMENDATIONS if post else _CURRENT})
    await send({"type": "http.response.body", "body": _BODY if post else _MODEL})
