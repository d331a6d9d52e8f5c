"""The extension keywords on live traffic: x-tensor on each payload and named dims across request and response."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx

from tests.proxy.conftest import json_upstream, running_proxy
from tests.tensor.conftest import oip_document, tensor_schema, write_contract


def _request(batch: int, datatype: str = "FP32") -> dict[str, Any]:
    return {"inputs": [{"name": "x", "shape": [batch, 4], "datatype": datatype, "data": [0.5] * (4 * batch)}]}


def _truncating_model(path: str, body: bytes) -> tuple[int, Any, dict[str, str]]:
    """A model server that answers at most 3 rows, whatever the batch it was sent."""
    batch = min(json.loads(body)["inputs"][0]["shape"][0], 3)
    return 200, {"outputs": [{"name": "y", "shape": [batch, 3], "datatype": "FP32", "data": [0.1] * (3 * batch)}]}, {}


def _contract(tmp_path: Path) -> str:
    doc = oip_document([tensor_schema("x", "FP32", ["batch", 4])], [tensor_schema("y", "FP32", ["batch", 3])])
    return str(write_contract(tmp_path / "contracts", doc))


def test_report_mode_finds_a_batch_that_does_not_come_back_whole(tmp_path: Path) -> None:
    contract = _contract(tmp_path)
    with json_upstream(_truncating_model) as (upstream, _), running_proxy(upstream, contract=contract) as base:
        assert httpx.post(f"{base}/v2/models/m/infer", json=_request(2)).status_code == 200
        assert httpx.post(f"{base}/v2/models/m/infer", json=_request(5)).status_code == 200
        assert httpx.post(f"{base}/v2/models/m/infer", json=_request(2, "INT8")).status_code == 200
        report = httpx.get(f"{base}/__proxy/report").json()
    (infer,) = report["operations"]
    found = {(v["direction"], v["check"]): v for v in infer["violations"]}
    batch = found[("response", "tensor_dims_agree")]  # the contract tests' own name for this check
    assert batch["count"] == 1 and batch["pointer"] == "/outputs/0/shape/0"
    assert "3 here in the response but 5 at request" in batch["message"]
    assert found[("request", "request_schema")]["pointer"] == "/inputs/0/datatype"


def test_enforce_mode_replaces_an_answer_whose_batch_does_not_match(tmp_path: Path) -> None:
    contract = _contract(tmp_path)
    with (
        json_upstream(_truncating_model) as (upstream, seen),
        running_proxy(upstream, "--mode", "enforce", contract=contract) as base,
    ):
        good = httpx.post(f"{base}/v2/models/m/infer", json=_request(3))
        bad = httpx.post(f"{base}/v2/models/m/infer", json=_request(5))
        refused = httpx.post(f"{base}/v2/models/m/infer", json=_request(2, "INT8"))
    assert good.status_code == 200 and good.json()["outputs"][0]["shape"] == [3, 3]
    assert bad.status_code == 502
    assert [(e["pointer"], e["keyword"]) for e in bad.json()["errors"]] == [("/outputs/0/shape/0", "x-tensor")]
    assert refused.status_code in (400, 422)
    assert any(e["keyword"] == "x-tensor" for e in refused.json()["errors"])
    assert len(seen) == 2  # the invalid request never reached the model
