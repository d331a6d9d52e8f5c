"""A small REST prediction API: a batch of feature rows in, one score per row out, plus health."""

from __future__ import annotations

from typing import Any


def rest_contract(name: str, version: str) -> dict[str, Any]:
    """The OpenAPI 3.1 document of a plain JSON prediction API named ``name``."""
    row = {
        "type": "object",
        "additionalProperties": False,
        "required": ["id", "features"],
        "properties": {
            "id": {"type": "string", "minLength": 1, "maxLength": 64},
            "features": {"type": "array", "minItems": 1, "maxItems": 256, "items": {"type": "number"}},
        },
    }
    score = {
        "type": "object",
        "required": ["id", "score"],
        "properties": {"id": {"type": "string"}, "score": {"type": "number", "minimum": 0, "maximum": 1}},
    }
    problem = {
        "type": "object",
        "required": ["title", "status"],
        "properties": {
            "type": {"type": "string"},
            "title": {"type": "string"},
            "status": {"type": "integer"},
            "detail": {"type": "string"},
        },
    }
    request = {"instances": [{"id": "row-1", "features": [0.1, 2.5, 3.0]}, {"id": "row-2", "features": [1, 0, 0.5]}]}
    response = {
        "model_version": "0.1.0",
        "predictions": [{"id": "row-1", "score": 0.82}, {"id": "row-2", "score": 0.13}],
    }
    invalid = {"instances": [{"id": "row-1"}]}
    rejected = {"title": "invalid request", "status": 422, "detail": "/instances/0: 'features' is required"}
    return {
        "openapi": "3.1.0",
        "info": {
            "title": f"{name} prediction API",
            "version": version,
            "description": "A prediction API: POST a batch of feature rows, get one score per row, in order.",
        },
        "paths": {
            "/healthz": {
                "get": {
                    "operationId": "health",
                    "summary": "Liveness",
                    "responses": {
                        "200": {
                            "description": "The service is up",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "object",
                                        "required": ["status"],
                                        "properties": {"status": {"const": "ok"}},
                                    },
                                    "example": {"status": "ok"},
                                }
                            },
                        }
                    },
                }
            },
            "/v1/predict": {
                "post": {
                    "operationId": "predict",
                    "summary": "Score a batch of rows",
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/PredictRequest"},
                                "examples": {"two-rows": {"value": request}, "missing-features": {"value": invalid}},
                            }
                        },
                    },
                    "responses": {
                        "200": {
                            "description": "One prediction per row, in request order",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/PredictResponse"},
                                    "examples": {"two-rows": {"value": response}},
                                }
                            },
                        },
                        "422": {
                            "description": "The request breaks the contract",
                            "content": {
                                "application/problem+json": {
                                    "schema": {"$ref": "#/components/schemas/Problem"},
                                    "examples": {"missing-features": {"value": rejected}},
                                }
                            },
                        },
                    },
                }
            },
        },
        "components": {
            "schemas": {
                "PredictRequest": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["instances"],
                    "properties": {"instances": {"type": "array", "minItems": 1, "maxItems": 1000, "items": row}},
                },
                "PredictResponse": {
                    "type": "object",
                    "required": ["model_version", "predictions"],
                    "properties": {
                        "model_version": {"type": "string"},
                        "predictions": {"type": "array", "items": score},
                    },
                },
                "Problem": problem,
            }
        },
    }
