"""Business scenarios end to end: an `x-match` response example checked against the live reference model."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from tests.support.cli import Cli
from tests.support.paths import CONTRACTS

OPERATION = "/paths/~1v1~1recommendations/post"


def _scenario_contract(root: Path, expected: dict[str, Any], match: Any) -> Path:
    """A copy of recommendation-api 1.1.0 whose 'returning-customer' response example is ``expected``."""
    folder = root / "recommendation-api" / "1.1.0"
    shutil.rmtree(root, ignore_errors=True)
    shutil.copytree(CONTRACTS / "recommendation-api" / "1.1.0", folder)
    document = yaml.safe_load((folder / "openapi.yaml").read_text())
    examples = document["paths"]["/v1/recommendations"]["post"]["responses"]["200"]["content"]["application/json"][
        "examples"
    ]
    examples["returning-customer"] = {"value": expected, "x-match": match}
    (folder / "openapi.yaml").write_text(json.dumps(document))  # JSON is YAML
    return root


@pytest.fixture(scope="module")
def live_answer(reference_url: str) -> dict[str, Any]:
    document = yaml.safe_load((CONTRACTS / "recommendation-api" / "1.1.0" / "openapi.yaml").read_text())
    request = document["paths"]["/v1/recommendations"]["post"]["requestBody"]["content"]["application/json"][
        "examples"
    ]["returning-customer"]["value"]
    answer = httpx.post(f"{reference_url}/v1/recommendations", json=request)
    assert answer.status_code == 200
    body: dict[str, Any] = answer.json()
    assert len(body["recommendations"]) == 3
    return body


def _run(cli: Cli, root: Path, base: str) -> dict[str, Any]:
    result = cli(
        "test",
        "recommendation-api@1.1.0",
        "--contracts-dir",
        str(root),
        "--base-url",
        base,
        "--operation",
        "getRecommendations",
        "--max-examples",
        "0",
        "--seed",
        "1",
        "--format",
        "json",
        "--exclude-check",
        "latency_slo",
    )
    doc: dict[str, Any] = json.loads(result.stdout)
    assert result.exit_code == (0 if doc["ok"] else 1)
    return doc


VOLATILE = ["/request_id", "/generated_at", "/experiment_id"]


def test_scenario_within_tolerance_passes(
    cli: Cli, tmp_path: Path, reference_url: str, live_answer: dict[str, Any]
) -> None:
    expected = json.loads(json.dumps(live_answer))
    expected["recommendations"][0]["score"] = round(expected["recommendations"][0]["score"] + 0.005, 6)
    root = _scenario_contract(tmp_path / "c", expected, {"tolerance": 0.01, "ignore": VOLATILE})
    doc = _run(cli, root, reference_url)
    assert doc["ok"] is True, doc["failures"]


def test_scenario_outside_tolerance_fails_with_the_pointer(
    cli: Cli, tmp_path: Path, reference_url: str, live_answer: dict[str, Any]
) -> None:
    expected = json.loads(json.dumps(live_answer))
    expected["recommendations"][0]["score"] = round(max(0.0, expected["recommendations"][0]["score"] - 0.05), 6)
    root = _scenario_contract(tmp_path / "c", expected, {"tolerance": 0.01, "ignore": VOLATILE})
    doc = _run(cli, root, reference_url)
    [failure] = [f for f in doc["failures"] if f["check"] == "example_match"]
    assert "/recommendations/0/score" in failure["message"] and "±0.01" in failure["message"]


def test_other_product_fails_even_within_tolerance(
    cli: Cli, tmp_path: Path, reference_url: str, live_answer: dict[str, Any]
) -> None:
    expected = json.loads(json.dumps(live_answer))
    expected["recommendations"][1]["product_id"] = "P99999"
    root = _scenario_contract(tmp_path / "c", expected, {"tolerance": 0.01, "ignore": VOLATILE})
    doc = _run(cli, root, reference_url)
    [failure] = [f for f in doc["failures"] if f["check"] == "example_match"]
    assert "/recommendations/1/product_id" in failure["message"]


def test_exact_scenario_admits_no_difference(
    cli: Cli, tmp_path: Path, reference_url: str, live_answer: dict[str, Any]
) -> None:
    # generated_at and request_id change on every call, so an exact scenario on this operation cannot hold.
    root = _scenario_contract(tmp_path / "c", json.loads(json.dumps(live_answer)), "exact")
    doc = _run(cli, root, reference_url)
    assert any(f["check"] == "example_match" for f in doc["failures"])
