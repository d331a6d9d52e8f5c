"""Named dims across request and response: the exchange hook, and `validate --for-request`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from validator.compiled import CompiledContract, RequestData
from validator.extensions import Exchange, exchange_problems

from .conftest import oip_document, tensor_schema, write_contract


def _request(batch: int) -> dict[str, Any]:
    return {
        "inputs": [
            {"name": "x", "shape": [batch, 4], "datatype": "FP32", "data": [0.0] * (4 * batch)},
            {"name": "mask", "shape": [batch], "datatype": "BOOL", "data": [True] * batch},
        ]
    }


def _response(batch: int) -> dict[str, Any]:
    return {"outputs": [{"name": "y", "shape": [batch, 3], "datatype": "FP32", "data": [0.5] * (3 * batch)}]}


def test_batch_in_equals_batch_out(oip: CompiledContract) -> None:
    op = oip.contract.operation("infer")
    assert exchange_problems(oip, Exchange(op, RequestData(body=_request(5)), 200, {}, _response(5))) == []
    found = exchange_problems(oip, Exchange(op, RequestData(body=_request(5)), 200, {}, _response(3)))
    assert [(p.pointer, p.message, p.keyword) for p in found] == [
        (
            "/outputs/0/shape/0",
            "dim 'batch' is 3 here in the response but 5 at request /inputs/0/shape/0",
            "x-tensor",
        )
    ]


def test_validate_for_request(cli: Any, tmp_path: Path) -> None:
    doc = oip_document([tensor_schema("x", "FP32", ["batch", 4])], [tensor_schema("y", "FP32", ["batch", 3])])
    folder = write_contract(tmp_path, doc)
    req, good, bad = tmp_path / "req.json", tmp_path / "good.json", tmp_path / "bad.json"
    req.write_text(json.dumps({"inputs": _request(2)["inputs"][:1]}))
    good.write_text(json.dumps(_response(2)))
    bad.write_text(json.dumps(_response(1)))
    base = ["validate", str(folder), "--operation", "infer", "--response", "200"]
    assert cli(*base, str(good), "--for-request", str(req)).exit_code == 0
    assert cli(*base, str(bad)).exit_code == 0  # alone, a batch of one is a valid response
    result = cli(*base, str(bad), "--for-request", str(req), "--format", "json")
    assert result.exit_code == 1
    problems = json.loads(result.stdout)["problems"]
    assert [(p["pointer"], p["keyword"]) for p in problems] == [("/outputs/0/shape/0", "x-tensor")]
    assert "1 here in the response but 2 at request" in problems[0]["message"]


def test_for_request_needs_a_response(cli: Any, tmp_path: Path) -> None:
    folder = write_contract(tmp_path, oip_document([], []))
    result = cli("validate", str(folder), "--operation", "infer", "--request", "-", "--for-request", "x.json")
    assert result.exit_code == 2
