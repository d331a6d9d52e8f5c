"""`contracts new`: every template writes a contract that lints clean at once; refusals exit 2."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from validator.compiled import CompiledContract
from validator.loader import load


@pytest.mark.parametrize("template", ["rest", "oip", "mlflow"])
def test_template_lints_clean(cli: Any, tmp_path: Path, template: str) -> None:
    result = cli("new", "demo-model", "--template", template, "--contracts-dir", str(tmp_path))
    assert result.exit_code == 0, result.stdout
    assert (tmp_path / "demo-model" / "0.1.0" / "openapi.yaml").is_file()
    linted = cli("lint", "demo-model@0.1.0", "--contracts-dir", str(tmp_path), "--format", "json")
    assert json.loads(linted.stdout)["problems"] == []
    assert linted.exit_code == 0


def test_oip_template_has_every_oip_endpoint(cli: Any, tmp_path: Path) -> None:
    cli("new", "demo", "--template", "oip", "--version", "1.0.0", "--contracts-dir", str(tmp_path))
    contract = load(str(tmp_path / "demo" / "1.0.0"))
    keys = {op.key for op in contract.operations}
    assert keys == {
        "GET /v2/health/live",
        "GET /v2/health/ready",
        "GET /v2",
        "GET /v2/models/demo",
        "GET /v2/models/demo/versions/{model_version}",
        "GET /v2/models/demo/ready",
        "GET /v2/models/demo/versions/{model_version}/ready",
        "POST /v2/models/demo/infer",
        "POST /v2/models/demo/versions/{model_version}/infer",
    }
    infer = contract.operation("infer")
    error = infer.responses["400"].content["application/json"].examples["shape-and-data-disagree"].value
    assert set(error) == {"error"}
    # The metadata example lists the declared tensors, named dims as -1.
    metadata = contract.operation("modelMetadata").responses["200"].content["application/json"].examples
    assert next(iter(metadata.values())).value["inputs"] == [{"name": "input-0", "datatype": "FP32", "shape": [-1, 4]}]


def test_oip_template_negative_example_is_an_inconsistent_tensor(cli: Any, tmp_path: Path) -> None:
    cli("new", "demo", "--template", "oip", "--contracts-dir", str(tmp_path))
    compiled = CompiledContract(load(str(tmp_path / "demo" / "0.1.0")))
    infer = compiled.contract.operation("infer")
    bad = infer.interactions["shape-and-data-disagree"].request
    problems = compiled.validate_body(infer, "request", bad)
    assert [(p.pointer, p.keyword) for p in problems] == [("/inputs/0/data", "x-tensor")]


@pytest.mark.parametrize(
    ("args", "message"),
    [(["Bad_Name"], "is not a contract name"), (["demo", "--version", "1.x"], "is not a semantic version")],
)
def test_bad_name_or_version_is_a_usage_error(cli: Any, tmp_path: Path, args: list[str], message: str) -> None:
    result = cli("new", *args, "--contracts-dir", str(tmp_path))
    assert result.exit_code == 2
    assert message in result.stderr


def test_an_existing_version_is_not_overwritten(cli: Any, tmp_path: Path) -> None:
    assert cli("new", "demo", "--contracts-dir", str(tmp_path)).exit_code == 0
    target = tmp_path / "demo" / "0.1.0" / "openapi.yaml"
    target.write_text("kept")
    result = cli("new", "demo", "--template", "oip", "--contracts-dir", str(tmp_path))
    assert result.exit_code == 2
    assert "already exists" in result.stderr
    assert target.read_text() == "kept"
