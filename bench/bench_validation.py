"""Validations per second of the example recommendation request: the project's validator vs naive jsonschema.

Both are built once. The project's figure is its whole validation call, problems with pointers
included; the baseline is ``jsonschema.Draft202012Validator`` with a format checker, collecting all
errors. Targets (issue 2): at least 100x on a valid ~2 KB request, 50x on an invalid one (5 errors).
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

import jsonschema
import referencing
from referencing.jsonschema import DRAFT202012

from validator.compiled import CompiledContract
from validator.loader import load

from ._timing import interleaved

ROOT = Path(__file__).resolve().parents[1]
TARGETS = {"valid": 100.0, "invalid": 50.0}


def payloads() -> dict[str, Any]:
    """A valid ~2 KB request and one with exactly five violations."""
    valid = {
        "customer_id": "C0001234",
        "context": {
            "channel": "web",
            "locale": "en-GB",
            "timestamp": "2026-02-28T10:15:00Z",
            "basket": [f"P{i:05d}" for i in range(1, 21)],
        },
        "candidate_products": [f"P{i:05d}" for i in range(100, 280)],
        "n": 10,
    }
    invalid = json.loads(json.dumps(valid))
    invalid["customer_id"] = "X1"  # pattern
    invalid["context"]["channel"] = "fax"  # enum
    invalid["context"]["timestamp"] = "2026-02-30T10:00Z"  # format
    invalid["n"] = 0  # minimum
    invalid["candidate_products"][7] = "nope"  # pattern in an array item
    return {"valid": valid, "invalid": invalid}


def _all_errors(validator: Any, payload: Any) -> list[Any]:
    return list(validator.iter_errors(payload))


def main() -> None:
    """Print validations per second and the ratios."""
    contract = load("recommendation-api@1.0.0", ROOT / "contracts")
    compiled = CompiledContract(contract)
    op = contract.operation("getRecommendations")
    assert op.request_body is not None
    schema_uri = op.request_body.content["application/json"].schema_uri
    assert schema_uri is not None
    registry: referencing.Registry[Any] = referencing.Registry().with_resources(
        (uri, DRAFT202012.create_resource(data)) for uri, data in contract.resources.items()
    )
    naive = jsonschema.Draft202012Validator(
        {"$ref": schema_uri}, registry=registry, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    cases = payloads()
    print(f"request size: {len(json.dumps(cases['valid']))} bytes")
    for name, payload in cases.items():
        ours = compiled.validate_body(op, "request", payload)
        theirs = list(naive.iter_errors(payload))
        print(f"{name}: project reports {len(ours)} problems, jsonschema {len(theirs)} errors")
        rates = interleaved(
            {
                "project": functools.partial(compiled.validate_body, op, "request", payload),
                "jsonschema": functools.partial(_all_errors, naive, payload),
            }
        )
        ratio = rates["project"] / rates["jsonschema"]
        verdict = "meets" if ratio >= TARGETS[name] else "MISSES"
        print(f"  project    {rates['project']:>12,.0f} validations/s")
        print(f"  jsonschema {rates['jsonschema']:>12,.0f} validations/s")
        print(f"  ratio      {ratio:>12.1f}x   (target >= {TARGETS[name]:.0f}x: {verdict})")
