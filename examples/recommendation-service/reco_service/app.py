"""The HTTP surface of recommendation-api 1.2.0 (FastAPI): strict request checks, errors as problem+json.

It also serves 1.1.0 (1.2.0 only adds optional request headers and states promises 1.1.0 kept). Two more
operations serve the QA contract (tests/verify/contracts/recommendation-qa): models by id and version
(path and query parameters), and feedback events behind a bearer token.
"""

from __future__ import annotations

import json
import os
import re
import uuid
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError, field_validator
from rfc3339_validator import validate_rfc3339  # type: ignore[import-untyped]

from .recommender import EXPERIMENT_ID, MODEL_VERSION, VARIANTS, Recommender, synthetic_log, train, variant_of

ProductId = Annotated[str, StringConstraints(pattern=r"^P[0-9]{5}$")]
PROBLEM = "application/problem+json"


class Context(BaseModel):
    """Where and when the customer is shopping (an open object: unknown members are allowed)."""

    model_config = ConfigDict(strict=True, extra="allow")
    channel: Literal["web", "app", "email", "store"]
    locale: Annotated[str, StringConstraints(pattern=r"^[a-z]{2}-[A-Z]{2}$")] | None = None
    timestamp: str | None = None
    basket: Annotated[list[ProductId], Field(max_length=100)] | None = None

    @field_validator("locale", "timestamp", "basket", mode="before")
    @classmethod
    def _present_means_not_null(cls, value: Any) -> Any:
        if value is None:  # optional members may be left out, but null is not a value the contract allows
            raise ValueError("must not be null")
        return value

    @field_validator("timestamp")
    @classmethod
    def _rfc3339(cls, value: str | None) -> str | None:
        if value is not None and not validate_rfc3339(value):
            raise ValueError(f"{value!r} is not an RFC 3339 date-time")
        return value


class RecommendationRequest(BaseModel):
    """The request body (a closed object)."""

    model_config = ConfigDict(strict=True, extra="forbid")
    customer_id: Annotated[str, StringConstraints(pattern=r"^C[0-9]{6,10}$")]
    context: Context
    candidate_products: Annotated[list[ProductId], Field(min_length=1, max_length=200)] | None = None
    exclude_purchased: bool = True
    n: Annotated[int, Field(ge=1, le=50)] = 10

    @field_validator("candidate_products", "exclude_purchased", "n", mode="before")
    @classmethod
    def _present_means_not_null(cls, value: Any) -> Any:
        if value is None:
            raise ValueError("must not be null")
        return value

    @field_validator("n", mode="before")
    @classmethod
    def _integral(cls, value: Any) -> Any:
        # JSON Schema counts 15.0 as an integer; strict parsing alone would refuse it.
        if isinstance(value, float) and value.is_integer():
            return int(value)
        return value

    @field_validator("candidate_products")
    @classmethod
    def _unique(cls, value: list[str] | None) -> list[str] | None:
        if value is not None and len(set(value)) != len(value):
            raise ValueError("items must be unique")
        return value


def problem(
    errors: list[dict[str, str]], status: int = 422, title: str = "Request does not match the contract"
) -> JSONResponse:
    """An RFC 9457 problem listing every violation."""
    body = {
        "type": "https://contracts.example/problems/invalid-request" if status == 422 else "about:blank",
        "title": title,
        "status": status,
        "errors": errors,
    }
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse(body, status_code=status, media_type=PROBLEM, headers=headers)


# Released versions of each model, oldest first; the last is what "latest" means.
MODELS = {"gbm": {"2.0.0": "archived", "2.1.0": "production"}, "logit": {"1.0.0": "archived"}}
_MODEL_ID = re.compile(r"^[a-z][a-z0-9_]{1,31}$")
_VERSION = re.compile(r"^[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}$")


class Feedback(BaseModel):
    """What a customer did with a recommended product (a closed object)."""

    model_config = ConfigDict(strict=True, extra="forbid")
    customer_id: Annotated[str, StringConstraints(pattern=r"^C[0-9]{6,10}$")]
    product_id: ProductId
    event: Literal["click", "purchase", "dismiss"]


def _pointer(loc: tuple[int | str, ...]) -> str:
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in loc)


def _header_errors(request: Request) -> list[dict[str, str]]:
    """X-Variant names a variant; X-Request-ID has 1 to 128 characters (1.2.0's request headers)."""
    errors = []
    forced = request.headers.get("x-variant")
    if forced is not None and forced not in VARIANTS:
        errors.append(
            {"pointer": "/X-Variant", "message": f"{forced!r} is not one of {list(VARIANTS)}", "location": "header"}
        )
    given = request.headers.get("x-request-id")
    if given is not None and not 1 <= len(given) <= 128:
        errors.append({"pointer": "/X-Request-ID", "message": "must have 1 to 128 characters", "location": "header"})
    return errors


def create_app(model: Recommender | None = None) -> FastAPI:
    """The service; the model is trained from the synthetic log unless one is given."""
    app = FastAPI(
        title="Recommendation service (reference)",
        version="1.2.0",
        openapi_url=None,
        docs_url=None,
        redoc_url=None,
    )
    recommender = model or train(synthetic_log())
    # Bearer tokens accepted by the feedback endpoint (comma-separated in RECO_TOKENS; "qa-token" by default).
    tokens = {t.strip() for t in os.environ.get("RECO_TOKENS", "qa-token").split(",") if t.strip()}

    @app.post("/v1/recommendations")
    async def recommendations(request: Request) -> Response:
        media = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
        if media != "application/json":
            return problem(
                [
                    {
                        "pointer": "",
                        "message": f"media type {media or '(none)'!r} is not accepted; send application/json",
                        "location": "media-type",
                    }
                ]
            )
        header_errors = _header_errors(request)
        if header_errors:
            return problem(header_errors)
        raw = await request.body()
        try:
            payload = json.loads(raw)
        except (ValueError, RecursionError) as exc:
            return problem([{"pointer": "", "message": f"not valid JSON: {exc}", "location": "body"}])
        try:
            body = RecommendationRequest.model_validate(payload)
        except ValidationError as exc:
            return problem(
                [{"pointer": _pointer(err["loc"]), "message": err["msg"], "location": "body"} for err in exc.errors()]
            )
        ranked = recommender.recommend(
            body.customer_id,
            body.context.basket or [],
            body.candidate_products,
            body.n,
            body.exclude_purchased,
        )
        request_id = str(uuid.uuid4())
        echoed = request.headers.get("x-request-id", "")
        answer = {
            "request_id": request_id,
            "model_version": MODEL_VERSION,
            "variant": request.headers.get("x-variant") or variant_of(body.customer_id),
            "experiment_id": EXPERIMENT_ID,
            "generated_at": datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "recommendations": [{"product_id": p, "score": s, "rank": i} for i, (p, s) in enumerate(ranked, 1)],
        }
        header = echoed if 1 <= len(echoed) <= 128 else request_id
        return JSONResponse(answer, headers={"X-Request-ID": header})

    @app.get("/v1/models/current")
    async def current_model() -> Response:
        trained = recommender.trained_at.isoformat(timespec="seconds").replace("+00:00", "Z")
        return JSONResponse({"model_version": MODEL_VERSION, "trained_at": trained, "variants": list(VARIANTS)})

    @app.get("/v1/models/{model_id}")
    async def model_by_id(model_id: str, request: Request) -> Response:
        version = request.query_params.get("version")
        errors = []
        if not _MODEL_ID.fullmatch(model_id):
            errors.append({"pointer": "/model_id", "message": "not a model id", "location": "path"})
        if version is not None and not _VERSION.fullmatch(version):
            errors.append({"pointer": "/version", "message": "not a version (N.N.N)", "location": "query"})
        if errors:
            return problem(errors)
        versions = MODELS.get(model_id)
        if versions is None or (version is not None and version not in versions):
            return problem([], 404, "unknown model version" if versions else "unknown model")
        chosen = version or list(versions)[-1]
        return JSONResponse({"model_id": model_id, "version": chosen, "stage": versions[chosen]})

    @app.post("/v1/feedback")
    async def feedback(request: Request) -> Response:
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or token.strip() not in tokens:
            return problem([], 401, "a valid bearer token is required")
        media = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
        if media != "application/json":
            return problem([{"pointer": "", "message": "send application/json", "location": "media-type"}])
        try:
            payload = json.loads(await request.body())
        except (ValueError, RecursionError) as exc:
            return problem([{"pointer": "", "message": f"not valid JSON: {exc}", "location": "body"}])
        try:
            Feedback.model_validate(payload)
        except ValidationError as exc:
            return problem(
                [{"pointer": _pointer(err["loc"]), "message": err["msg"], "location": "body"} for err in exc.errors()]
            )
        return JSONResponse({"accepted": True, "event_id": str(uuid.uuid4())}, status_code=202)

    return app
