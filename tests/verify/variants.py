"""Deliberately faulty (and oddly compliant) variants of the reference recommendation service.

Each variant wraps the reference app in a small ASGI layer that changes one realistic thing. All of
them are served by one process, each under its own path prefix (``/<name>``), so one server start
covers every variant. Run: ``python -m tests.verify.variants PORT``.
"""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "examples" / "recommendation-service"))
sys.path.insert(0, str(ROOT / "examples" / "client-scoring-service"))

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
ASGI = Callable[[Scope, Callable[[], Awaitable[Message]], Callable[[Message], Awaitable[None]]], Awaitable[None]]


@dataclass
class Exchange:
    """What a variant may look at and change."""

    method: str
    path: str
    request: Any  # the request JSON, or None
    status: int = 0
    headers: dict[str, str] | None = None
    body: bytes = b""
    query: str = ""  # the query string; a before hook may change it
    request_headers: dict[str, str] | None = None  # lower-case names

    def param(self, name: str) -> str | None:
        """A query parameter's first value."""
        from urllib.parse import parse_qs

        values = parse_qs(self.query).get(name)
        return values[0] if values else None

    def json(self) -> Any:
        """The response body as JSON (None when it is not JSON)."""
        try:
            return json.loads(self.body)
        except ValueError:
            return None

    def set_json(self, value: Any) -> None:
        """Replace the response body with JSON."""
        self.body = json.dumps(value).encode()


Before = Callable[[Exchange], Awaitable[Exchange | None]]  # return an exchange to answer without the app
After = Callable[[Exchange], None]


def tamper(app: ASGI, *, before: Before | None = None, after: After | None = None) -> ASGI:
    """An ASGI app that lets ``before`` see (or replace) the request and ``after`` edit the response."""

    async def wrapped(
        scope: Scope, receive: Callable[[], Awaitable[Message]], send: Callable[[Message], Awaitable[None]]
    ) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        chunks = []
        while True:
            message = await receive()
            chunks.append(message.get("body", b""))
            if not message.get("more_body"):
                break
        raw = b"".join(chunks)
        try:
            request_json = json.loads(raw) if raw else None
        except ValueError:
            request_json = None
        query = scope.get("query_string", b"").decode("latin-1")
        request_headers = {k.decode().lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        ex = Exchange(scope["method"], scope["path"], request_json, query=query, request_headers=request_headers)
        if before is not None:
            early = await before(ex)
            if early is not None:
                await _answer(send, early)
                return
        if ex.query != query:
            scope = {**scope, "query_string": ex.query.encode("latin-1")}
        if isinstance(ex.request, dict) and ex.request is not request_json:
            raw = json.dumps(ex.request).encode()
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if replayed:
                return {"type": "http.disconnect"}
            replayed = True
            return {"type": "http.request", "body": raw, "more_body": False}

        out: list[Message] = []

        async def capture(message: Message) -> None:
            out.append(message)

        await app(scope, replay, capture)
        start = next(m for m in out if m["type"] == "http.response.start")
        ex.status = start["status"]
        ex.headers = {k.decode().lower(): v.decode() for k, v in start.get("headers", [])}
        ex.body = b"".join(m.get("body", b"") for m in out if m["type"] == "http.response.body")
        if after is not None:
            after(ex)
        await _answer(send, ex)

    return wrapped


async def _answer(send: Callable[[Message], Awaitable[None]], ex: Exchange) -> None:
    headers = {k: v for k, v in (ex.headers or {}).items() if k != "content-length"}
    headers["content-length"] = str(len(ex.body))
    await send(
        {
            "type": "http.response.start",
            "status": ex.status,
            "headers": [(k.encode(), v.encode()) for k, v in headers.items()],
        }
    )
    await send({"type": "http.response.body", "body": ex.body})


def _recs(ex: Exchange) -> dict[str, Any] | None:
    body = ex.json()
    return body if ex.status == 200 and isinstance(body, dict) and "recommendations" in body else None


def _req(ex: Exchange) -> dict[str, Any]:
    return ex.request if isinstance(ex.request, dict) else {}


# -- the faulty variants: name -> (what is wrong, the check that must catch it, wrapper) ---------------
def score_out_of_range(ex: Exchange) -> None:
    """A calibration bug: the top score is boosted past 1."""
    body = _recs(ex)
    if body and body["recommendations"]:
        body["recommendations"][0]["score"] = round(body["recommendations"][0]["score"] * 1.6 + 0.5, 4)
        ex.set_json(body)


def missing_field_for_store(ex: Exchange) -> None:
    """The in-store channel has no A/B test, and the variant member is dropped for it."""
    body = _recs(ex)
    if body and _req(ex).get("context", {}).get("channel") == "store":
        del body["variant"]
        ex.set_json(body)


async def unknown_product_404(ex: Exchange) -> Exchange | None:
    """An unknown candidate product answers 404, a status the contract does not document."""
    candidates = _req(ex).get("candidate_products")
    if (
        ex.method == "POST"
        and isinstance(candidates, list)
        and any(isinstance(p, str) and p > "P00400" for p in candidates)
    ):
        return Exchange(
            ex.method,
            ex.path,
            ex.request,
            404,
            {"content-type": "application/problem+json"},
            json.dumps({"type": "about:blank", "title": "unknown product", "status": 404, "errors": []}).encode(),
        )
    return None


def errors_as_plain_json(ex: Exchange) -> None:
    """Validation errors are sent as application/json instead of application/problem+json."""
    if ex.status == 422 and ex.headers is not None:
        ex.headers["content-type"] = "application/json"


async def accepts_large_n(ex: Exchange) -> Exchange | None:
    """n above the documented maximum is silently clamped instead of rejected."""
    body = _req(ex)
    n = body.get("n")
    if isinstance(n, int) and not isinstance(n, bool) and n > 50:
        body["n"] = 50
        ex.request = dict(body)
    return None


async def crash_at_batch_bound(ex: Exchange) -> Exchange | None:
    """An off-by-one buffer: exactly 200 candidates (the documented maximum) crashes."""
    candidates = _req(ex).get("candidate_products")
    if isinstance(candidates, list) and len(candidates) == 200:
        return Exchange(ex.method, ex.path, ex.request, 500, {"content-type": "text/plain"}, b"Internal Server Error")
    return None


def extra_field_in_closed_item(ex: Exchange) -> None:
    """A debug member leaks into recommendation items, which the contract closes."""
    body = _recs(ex)
    if body:
        for item in body["recommendations"]:
            item["explanation"] = "co-purchased"
        ex.set_json(body)


def naive_timestamp(ex: Exchange) -> None:
    """generated_at is written without 'T' and without a time zone."""
    body = _recs(ex)
    if body:
        body["generated_at"] = body["generated_at"].replace("T", " ").rstrip("Z")[:19]
        ex.set_json(body)


def drops_request_id_header(ex: Exchange) -> None:
    """A proxy strips the required X-Request-ID header."""
    if ex.headers is not None:
        ex.headers.pop("x-request-id", None)


async def rejects_other_locales(ex: Exchange) -> Exchange | None:
    """Only en-GB is accepted, though the contract allows any xx-XX locale."""
    locale = _req(ex).get("context", {}).get("locale") if isinstance(_req(ex).get("context"), dict) else None
    if isinstance(locale, str) and locale != "en-GB":
        return Exchange(
            ex.method,
            ex.path,
            ex.request,
            422,
            {"content-type": "application/problem+json"},
            json.dumps(
                {
                    "type": "about:blank",
                    "title": "unsupported locale",
                    "status": 422,
                    "errors": [{"pointer": "/context/locale", "message": "unsupported"}],
                }
            ).encode(),
        )
    return None


async def crashes_on_leap_day(ex: Exchange) -> Exchange | None:
    """Date arithmetic that breaks on 29 February."""
    context = _req(ex).get("context")
    stamp = context.get("timestamp") if isinstance(context, dict) else None
    if isinstance(stamp, str) and stamp[4:10] == "-02-29":
        return Exchange(ex.method, ex.path, ex.request, 500, {"content-type": "text/plain"}, b"day out of range")
    return None


def bad_model_version(ex: Exchange) -> None:
    """The model endpoint reports a version without the documented 'reco-' prefix."""
    body = ex.json()
    if ex.path.endswith("/v1/models/current") and isinstance(body, dict):
        body["model_version"] = "2026.02.1"
        ex.set_json(body)


async def delete_accepted(ex: Exchange) -> Exchange | None:
    """A leftover admin route answers DELETE on the recommendations path."""
    if ex.method == "DELETE":
        return Exchange(ex.method, ex.path, ex.request, 200, {"content-type": "application/json"}, b"{}")
    return None


async def slow_without_exclusion(ex: Exchange) -> Exchange | None:
    """A slow path: turning off purchase exclusion triggers a full catalogue scan."""
    if _req(ex).get("exclude_purchased") is False:
        await asyncio.sleep(0.4)
    return None


# -- faulty variants for the QA promises: parameters, status discipline, security, distinct bugs, JSON --
def _problem(status: int, title: str) -> bytes:
    return json.dumps({"type": "about:blank", "title": title, "status": status, "errors": []}).encode()


def _route(ex: Exchange) -> str:
    """The path under the variant's mount prefix (``/v1/...``)."""
    at = ex.path.find("/v1/")
    return ex.path[at:] if at >= 0 else ex.path


def _is_model(ex: Exchange) -> bool:
    route = _route(ex)
    return route.startswith("/v1/models/") and route != "/v1/models/current"


def error_400_for_422(ex: Exchange) -> None:
    """Invalid recommendation requests get 400, though the contract documents 422 for them."""
    if _route(ex) == "/v1/recommendations" and ex.status == 422:
        ex.status = 400
        body = ex.json()
        if isinstance(body, dict):
            body["status"] = 400
            ex.set_json(body)


def bad_model_id_400(ex: Exchange) -> None:
    """A malformed model id (or version) gets 400, though the contract documents 422 and 404."""
    if _is_model(ex) and ex.status == 422:
        ex.status = 400


async def feedback_ignores_missing_token(ex: Exchange) -> Exchange | None:
    """Feedback is recorded without a bearer token: the security requirement is not enforced."""
    if _route(ex) == "/v1/feedback" and not (ex.request_headers or {}).get("authorization"):
        body = json.dumps({"accepted": True, "event_id": "6f1c2f0e-3a8e-4b7a-9d0e-2b9f3c1d4e5f"}).encode()
        return Exchange(ex.method, ex.path, ex.request, 202, {"content-type": "application/json"}, body)
    return None


async def feedback_accepts_unknown_event(ex: Exchange) -> Exchange | None:
    """An event name outside the enum is quietly recorded as a click."""
    body = _req(ex)
    if _route(ex) == "/v1/feedback" and "event" in body and body["event"] not in ("click", "purchase", "dismiss"):
        body["event"] = "click"
        ex.request = dict(body)
    return None


def two_bugs_in_one_operation(ex: Exchange) -> None:
    """The calibration bug and the missing variant for the store channel, both in getRecommendations."""
    score_out_of_range(ex)
    missing_field_for_store(ex)


def nan_score(ex: Exchange) -> None:
    """A division by zero for email traffic writes the top score as a bare NaN (Python's json does)."""
    body = _recs(ex)
    if body and body["recommendations"] and _req(ex).get("context", {}).get("channel") == "email":
        body["recommendations"][0]["score"] = float("nan")
        ex.body = json.dumps(body).encode()


def trailing_comma_in_model(ex: Exchange) -> None:
    """A hand-built JSON template leaves a comma after the last variant."""
    body = ex.json()
    if _route(ex) == "/v1/models/current" and isinstance(body, dict):
        variants = ", ".join(json.dumps(v) for v in body["variants"])
        text = f'{{"model_version": {json.dumps(body["model_version"])}, "trained_at": "{body["trained_at"]}", '
        ex.body = (text + f'"variants": [{variants},]}}').encode()


def infinity_accuracy(ex: Exchange) -> None:
    """An unevaluated model reports its accuracy as Infinity, which JSON cannot carry."""
    body = ex.json()
    if _is_model(ex) and ex.status == 200 and isinstance(body, dict):
        body["accuracy"] = float("inf")
        ex.body = json.dumps(body).encode()


async def ignores_model_version(ex: Exchange) -> Exchange | None:
    """The version query parameter is dropped on the way in: every version answers as the latest."""
    if _is_model(ex) and ex.query:
        ex.query = "&".join(p for p in ex.query.split("&") if not p.startswith("version="))
    return None


async def requires_optional_version(ex: Exchange) -> Exchange | None:
    """The optional version parameter is required in practice: leaving it out is a 422."""
    if _is_model(ex) and ex.param("version") is None:
        body = json.dumps(
            {
                "type": "about:blank",
                "title": "version is required",
                "status": 422,
                "errors": [{"pointer": "/version", "message": "required", "location": "query"}],
            }
        ).encode()
        return Exchange(ex.method, ex.path, ex.request, 422, {"content-type": "application/problem+json"}, body)
    return None


async def crash_on_two_digit_version(ex: Exchange) -> Exchange | None:
    """Version parsing assumes single digits: 2.10.0 (any part of ten or more) crashes."""
    version = ex.param("version") if _is_model(ex) else None
    if version is not None and any(len(part) > 1 for part in version.split(".")):
        return Exchange(ex.method, ex.path, ex.request, 500, {"content-type": "text/plain"}, b"IndexError")
    return None


async def feedback_403_without_token(ex: Exchange) -> Exchange | None:
    """Odd but compliant: a missing token gets 403 rather than 401 (both mean "not allowed")."""
    if _route(ex) == "/v1/feedback" and not (ex.request_headers or {}).get("authorization"):
        return Exchange(
            ex.method,
            ex.path,
            ex.request,
            403,
            {"content-type": "application/problem+json"},
            _problem(403, "forbidden"),
        )
    return None


# -- odd but compliant ------------------------------------------------------------------------------
def quirky_but_compliant(ex: Exchange) -> None:
    """Open objects used to the full: extra members, no optional experiment_id, charset parameters."""
    body = _recs(ex)
    if body:
        body.pop("experiment_id", None)
        body["debug"] = {"cache": "miss", "shard": 3}
        body["recommendations"] = body["recommendations"][:1]
        ex.set_json(body)
    if ex.headers is not None and ex.status == 200:
        ex.headers["content-type"] = "application/json; charset=utf-8"
    if ex.status == 422:
        problem = ex.json()
        if isinstance(problem, dict):
            problem["detail"] = "see errors"
            problem["trace_id"] = "abc123"
            ex.set_json(problem)


def scores_with_long_decimals(ex: Exchange) -> None:
    """Unrounded scores, exactly 0 and exactly 1, are all inside [0, 1]."""
    body = _recs(ex)
    if body and body["recommendations"]:
        items = body["recommendations"]
        items[0]["score"] = 1
        for item in items[1:]:
            item["score"] = item["score"] / 3
        items[-1]["score"] = 0 if len(items) > 1 else items[-1]["score"]
        ex.set_json(body)


FAULTY: dict[str, tuple[str, str, Any]] = {
    # name: (operation, check that must catch it, before or after hook)
    "score-out-of-range": ("getRecommendations", "response_schema", score_out_of_range),
    "missing-field-for-store": ("getRecommendations", "response_schema", missing_field_for_store),
    "unknown-product-404": ("getRecommendations", "status_documented", unknown_product_404),
    "errors-as-plain-json": ("getRecommendations", "response_media_type", errors_as_plain_json),
    "accepts-large-n": ("getRecommendations", "invalid_request_accepted", accepts_large_n),
    "crash-at-batch-bound": ("getRecommendations", "server_error", crash_at_batch_bound),
    "extra-field-in-closed-item": ("getRecommendations", "response_schema", extra_field_in_closed_item),
    "naive-timestamp": ("getRecommendations", "response_schema", naive_timestamp),
    "drops-request-id-header": ("getRecommendations", "response_headers", drops_request_id_header),
    "rejects-other-locales": ("getRecommendations", "valid_request_rejected", rejects_other_locales),
    "crashes-on-leap-day": ("getRecommendations", "server_error", crashes_on_leap_day),
    "bad-model-version": ("getCurrentModel", "response_schema", bad_model_version),
    "delete-accepted": ("getRecommendations", "undocumented_method_accepted", delete_accepted),
    "slow-without-exclusion": ("getRecommendations", "latency_slo", slow_without_exclusion),
    "error-400-for-422": ("getRecommendations", "status_documented", error_400_for_422),
    "bad-model-id-400": ("getModel", "status_documented", bad_model_id_400),
    "feedback-ignores-missing-token": ("submitFeedback", "auth_enforced", feedback_ignores_missing_token),
    "feedback-accepts-unknown-event": ("submitFeedback", "invalid_request_accepted", feedback_accepts_unknown_event),
    "two-bugs-in-one-operation": ("getRecommendations", "response_schema", two_bugs_in_one_operation),
    "nan-score": ("getRecommendations", "response_schema", nan_score),
    "trailing-comma-in-model": ("getCurrentModel", "response_schema", trailing_comma_in_model),
    "infinity-accuracy": ("getModel", "response_schema", infinity_accuracy),
    "ignores-model-version": ("getModel", "example_status", ignores_model_version),
    "requires-optional-version": ("getModel", "valid_request_rejected", requires_optional_version),
    "crash-on-two-digit-version": ("getModel", "server_error", crash_on_two_digit_version),
}
COMPLIANT: dict[str, Any] = {
    "quirky-but-compliant": quirky_but_compliant,
    "scores-with-long-decimals": scores_with_long_decimals,
    "feedback-403-without-token": feedback_403_without_token,
}


# -- faulty variants breaking one promise about the request (x-relations, x-sum, x-sorted) ----------------
def _counter() -> Callable[[], int]:
    count = 0

    def tick() -> int:
        nonlocal count
        count += 1
        return count

    return tick


def echo_missing(ex: Exchange) -> None:
    """A gateway replaces the caller's X-Request-ID with its own."""
    if ex.status == 200 and ex.headers is not None and "x-request-id" in ex.headers:
        ex.headers["x-request-id"] = "gw-" + ex.headers["x-request-id"][::-1][:40]


_versions = _counter()


def model_version_alternating(ex: Exchange) -> None:
    """A rolling deploy left two model versions behind the load balancer."""
    body = _recs(ex)
    if body and _versions() % 2 == 0:
        body["model_version"] = "reco-2026.03.1"
        ex.set_json(body)


def forced_variant_ignored(ex: Exchange) -> None:
    """The X-Variant header is dropped by a proxy: the customer's own variant serves."""
    from reco_service.recommender import variant_of

    body = _recs(ex)
    if body and isinstance(_req(ex).get("customer_id"), str):
        body["variant"] = variant_of(_req(ex)["customer_id"])
        ex.set_json(body)


_flips = _counter()


def sticky_key_flipping(ex: Exchange) -> None:
    """Variants assigned per request at random instead of per customer (forced ones still honoured)."""
    body = _recs(ex)
    if body and "x-variant" not in (ex.request_headers or {}):
        body["variant"] = ("control", "treatment")[_flips() % 2]
        ex.set_json(body)


def more_than_n(ex: Exchange) -> None:
    """An off-by-one in top-k: one item more than n."""
    body = _recs(ex)
    if body:
        items = body["recommendations"]
        items.append({"product_id": "P00399", "score": 0.0, "rank": len(items) + 1})
        ex.set_json(body)


def default_n_ignored(ex: Exchange) -> None:
    """A request without n gets 11 items: the service's own default is not the contract's 10."""
    body = _recs(ex)
    if body and "n" not in _req(ex) and len(body["recommendations"]) == 10:
        items = body["recommendations"]
        items.append({"product_id": "P00399", "score": 0.0, "rank": len(items) + 1})
        ex.set_json(body)


def unsorted_items(ex: Exchange) -> None:
    """The ranking is returned in candidate order, not by score."""
    body = _recs(ex)
    if body and len(body["recommendations"]) >= 2:
        items = body["recommendations"]
        if items[0]["score"] != items[-1]["score"]:
            items.reverse()
            ex.set_json(body)


def _batch(ex: Exchange) -> dict[str, Any] | None:
    body = ex.json()
    return body if ex.status == 200 and isinstance(body, dict) and "scores" in body else None


def dropped_row(ex: Exchange) -> None:
    """The last client of a batch is lost (a chunking bug)."""
    body = _batch(ex)
    if body and len(body["scores"]) >= 2:
        body["scores"].pop()
        body["segment_probabilities"].pop()
        ex.set_json(body)


def reordered_rows(ex: Exchange) -> None:
    """Scores come back sorted by propensity instead of in request order."""
    body = _batch(ex)
    if body and len(body["scores"]) >= 2:
        order = sorted(range(len(body["scores"])), key=lambda i: -body["scores"][i]["propensity"])
        if order != list(range(len(order))):
            body["scores"] = [body["scores"][i] for i in order]
            ex.set_json(body)


def swapped_keys(ex: Exchange) -> None:
    """Rows in order, but the first two client ids swapped (a join on the wrong column)."""
    body = _batch(ex)
    if body and len(body["scores"]) >= 2:
        first, second = body["scores"][0], body["scores"][1]
        if first["client_id"] != second["client_id"]:
            first["client_id"], second["client_id"] = second["client_id"], first["client_id"]
            ex.set_json(body)


def probabilities_short(ex: Exchange) -> None:
    """A segment dropped from the softmax: each probability row adds up to 0.9."""
    body = _batch(ex)
    if body and body.get("segment_probabilities"):
        for row in body["segment_probabilities"]:
            total = sum(row.values())
            for key in row:
                row[key] = row[key] * 0.9 / total
        ex.set_json(body)


# name: (contract, operation, check that must catch it, hook); each served at /<name>
RELATION_FAULTY: dict[str, tuple[str, str, str, Any]] = {
    "echo-missing": ("recommendation-api@1.2.0", "getRecommendations", "relation_echo", echo_missing),
    "model-version-alternating": (
        "recommendation-api@1.2.0",
        "getRecommendations",
        "relation_stable",
        model_version_alternating,
    ),
    "forced-variant-ignored": (
        "recommendation-api@1.2.0",
        "getRecommendations",
        "relation_variant",
        forced_variant_ignored,
    ),
    "sticky-key-flipping": ("recommendation-api@1.2.0", "getRecommendations", "relation_variant", sticky_key_flipping),
    "more-than-n": ("recommendation-api@1.2.0", "getRecommendations", "relation_at_most", more_than_n),
    "default-n-ignored": ("recommendation-api@1.2.0", "getRecommendations", "relation_at_most", default_n_ignored),
    "unsorted-items": ("recommendation-api@1.2.0", "getRecommendations", "x_sorted", unsorted_items),
    "dropped-row": ("client-scoring@1.1.0", "scoreClients", "relation_batch", dropped_row),
    "reordered-rows": ("client-scoring@1.1.0", "scoreClients", "relation_batch", reordered_rows),
    "swapped-keys": ("client-scoring@1.1.0", "scoreClients", "relation_batch", swapped_keys),
    "probabilities-short": ("client-scoring@1.1.0", "scoreClients", "x_sum", probabilities_short),
}


def build() -> Any:
    """One Starlette app serving the reference at ``/reference`` and every variant at ``/<name>``."""
    from reco_service import create_app, synthetic_log, train
    from scoring_service import create_app as create_scoring_app
    from starlette.applications import Starlette
    from starlette.routing import Mount

    model = train(synthetic_log())
    routes = [Mount("/reference", app=create_app(model))]
    hooks = {name: hook for name, (_, _, hook) in FAULTY.items()} | COMPLIANT
    for name, hook in hooks.items():
        base = create_app(model)
        wrapped = tamper(base, before=hook) if asyncio.iscoroutinefunction(hook) else tamper(base, after=hook)
        routes.append(Mount(f"/{name}", app=wrapped))
    routes.append(Mount("/scoring-reference", app=create_scoring_app()))
    for name, (contract, _, _, hook) in RELATION_FAULTY.items():
        base = create_app(model) if contract.startswith("recommendation-api") else create_scoring_app()
        routes.append(Mount(f"/{name}", app=tamper(base, after=hook)))
    # A path Mount's pattern cannot match (a newline in a path parameter) still gets the documented 404 body.
    return Starlette(routes=routes, exception_handlers={404: _not_found})


async def _not_found(request: Any, exc: Exception) -> Any:
    from starlette.responses import JSONResponse

    body = {"type": "about:blank", "title": "Not Found", "status": 404, "errors": []}
    return JSONResponse(body, status_code=404, media_type="application/problem+json")


if __name__ == "__main__":
    import uvicorn

    uvicorn.run(build(), host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")
