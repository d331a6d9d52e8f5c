"""`contracts validate --for-request` and the service's ``for_request``: a response judged against its request."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

C1 = "3f2b8c1e-6a4d-4e1f-9b7a-0c5d2e8f1a3b"
C2 = "9a7e6d5c-4b3a-4f2e-8d1c-0b9a8f7e6d5c"
C3 = "00000000-6a4d-4e1f-9b7a-0c5d2e8f1a3b"
REQUEST = {"clients": [{"client_id": c, "recency_days": 1, "frequency": 1, "monetary": 1.0} for c in (C1, C2, C3)]}


def scores(*ids: str) -> dict[str, Any]:
    """A score batch answering ``ids`` in that order."""
    return {
        "campaign_id": "spring-sale-2026",
        "model_version": "3.4.0",
        "scored_at": "2026-03-01T08:00:00Z",
        "scores": [{"client_id": c, "propensity": 0.5, "decile": 5} for c in ids],
    }


def _files(tmp_path: Path, response: Any) -> tuple[str, str]:
    req, resp = tmp_path / "req.json", tmp_path / "resp.json"
    req.write_text(json.dumps(REQUEST))
    resp.write_text(json.dumps(response))
    return str(resp), str(req)


def _validate(cli: Any, tmp_path: Path, response: Any) -> Any:
    resp, req = _files(tmp_path, response)
    return cli(
        "validate", "client-scoring@1.1.0", "-o", "scoreClients", "--response", "200", resp,
        "--for-request", req, "--format", "json",
    )  # fmt: skip


def test_an_aligned_batch_is_valid_for_its_request(cli: Any, tmp_path: Path) -> None:
    result = _validate(cli, tmp_path, scores(C1, C2, C3))
    assert result.exit_code == 0, result.stdout
    assert json.loads(result.stdout)["ok"] is True


def test_a_dropped_row_names_both_sides(cli: Any, tmp_path: Path) -> None:
    result = _validate(cli, tmp_path, scores(C1, C2))
    assert result.exit_code == 1
    (problem,) = json.loads(result.stdout)["problems"]
    assert problem["keyword"] == "x-relations/batch" and problem["pointer"] == "/scores"
    assert problem["message"] == "/scores: 3 request items (body:/clients), 2 response items"


def test_reordered_rows_point_at_the_first_wrong_key(cli: Any, tmp_path: Path) -> None:
    result = _validate(cli, tmp_path, scores(C2, C1, C3))
    (problem,) = json.loads(result.stdout)["problems"]
    assert problem["pointer"] == "/scores/0/client_id"
    assert C1 in problem["message"] and C2 in problem["message"]


def test_a_probability_row_not_adding_up_is_an_x_sum_problem(cli: Any, tmp_path: Path) -> None:
    body = scores(C1, C2, C3)
    body["segment_probabilities"] = [{"loyal": 0.25, "at-risk": 0.25, "new": 0.25, "dormant": 0.25}] * 2 + [
        {"loyal": 0.5, "at-risk": 0.2, "new": 0.1, "dormant": 0.1}
    ]
    # Without --for-request the row sum is still checked: it is a schema-level promise.
    resp, _ = _files(tmp_path, body)
    result = cli(
        "validate", "client-scoring@1.1.0", "-o", "scoreClients", "--response", "200", resp, "--format", "json"
    )
    (problem,) = json.loads(result.stdout)["problems"]
    assert problem["keyword"] == "x-sum" and problem["pointer"] == "/segment_probabilities/2"
    assert "add up to 0.9" in problem["message"]


def test_for_request_needs_a_response(cli: Any, tmp_path: Path) -> None:
    resp, req = _files(tmp_path, scores(C1))
    result = cli("validate", "client-scoring@1.1.0", "-o", "scoreClients", "--request", resp, "--for-request", req)
    assert result.exit_code == 2


def test_a_request_file_that_is_not_json_is_a_problem(cli: Any, tmp_path: Path) -> None:
    resp, req = _files(tmp_path, scores(C1, C2, C3))
    Path(req).write_text("{nope")
    result = cli(
        "validate", "client-scoring@1.1.0", "-o", "scoreClients", "--response", "200", resp,
        "--for-request", req, "--format", "json",
    )  # fmt: skip
    assert result.exit_code == 1
    assert "--for-request" in json.loads(result.stdout)["problems"][0]["message"]
