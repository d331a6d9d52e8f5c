"""`contracts import mlflow`: MLmodel signatures (hand-written in MLflow's format) to /invocations contracts."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from validator.compiled import CompiledContract
from validator.loader import load

DATA = Path(__file__).parents[1] / "data" / "mlflow"


def _imported(cli: Any, tmp_path: Path, model: str) -> CompiledContract:
    result = cli("import", "mlflow", str(DATA / model / "MLmodel"), "--name", model, "--contracts-dir", str(tmp_path))
    assert result.exit_code == 0, result.stdout + result.stderr
    linted = cli("lint", f"{model}@0.1.0", "--contracts-dir", str(tmp_path), "--format", "json")
    assert json.loads(linted.stdout)["problems"] == []
    return CompiledContract(load(str(tmp_path / model / "0.1.0")))


def _problems(compiled: CompiledContract, body: Any) -> list[str]:
    op = compiled.contract.operation("invocations")
    return [p.pointer for p in compiled.validate_body(op, "request", body)]


IRIS_COLUMNS = ["sepal length (cm)", "sepal width (cm)", "petal length (cm)", "petal width (cm)"]


@pytest.mark.parametrize(
    "body",
    [
        {"dataframe_split": {"columns": IRIS_COLUMNS, "data": [[5.1, 3.5, 1.4, 0.2], [6.7, 3.0, 5.2, None]]}},
        {"dataframe_records": [dict(zip(IRIS_COLUMNS, [5.1, 3.5, 1.4, 0.2], strict=True))]},
        {"dataframe_records": [dict(zip(IRIS_COLUMNS[:3], [5.1, 3.5, 1.4], strict=True))]},  # optional column left out
        {"instances": [dict(zip(IRIS_COLUMNS, [5.1, 3.5, 1.4, 0.2], strict=True))]},
        {"inputs": {c: [1.0] for c in IRIS_COLUMNS}},
    ],
)
def test_every_scoring_server_format_is_accepted(cli: Any, tmp_path: Path, body: Any) -> None:
    assert _problems(_imported(cli, tmp_path, "iris-sklearn"), body) == []


@pytest.mark.parametrize(
    "body",
    [
        {"dataframe_records": [{"sepal length (cm)": "wide"}]},  # wrong type, required columns missing
        {"dataframe_split": {"columns": ["colour"], "data": [[1.0]]}},  # a column the model does not have
        {"dataframe_split": {"data": [[1.0]]}, "inputs": {}},  # two formats at once
        {"records": []},  # not a format MLflow reads
    ],
)
def test_payloads_off_the_signature_are_invalid(cli: Any, tmp_path: Path, body: Any) -> None:
    assert _problems(_imported(cli, tmp_path, "iris-sklearn"), body) != []


def test_health_version_and_predictions(cli: Any, tmp_path: Path) -> None:
    compiled = _imported(cli, tmp_path, "iris-sklearn")
    keys = {op.key for op in compiled.contract.operations}
    assert keys == {"GET /ping", "GET /health", "GET /version", "POST /invocations"}
    op = compiled.contract.operation("invocations")
    assert compiled.validate_body(op, "response", {"predictions": [0, 2]}, status=200) == []
    assert compiled.validate_body(op, "response", {"predictions": [0.5]}, status=200) != []  # long output


def test_tensor_signature_fixes_the_inner_dims(cli: Any, tmp_path: Path) -> None:
    compiled = _imported(cli, tmp_path, "tensor-model")
    image = [[0.0] * 28 for _ in range(28)]
    assert _problems(compiled, {"inputs": [image, image]}) == []
    assert _problems(compiled, {"instances": [image]}) == []
    assert _problems(compiled, {"inputs": [[[0.0] * 27 for _ in range(28)]]}) != []


def test_params_are_typed_and_closed(cli: Any, tmp_path: Path) -> None:
    compiled = _imported(cli, tmp_path, "with-params")
    body: dict[str, Any] = {"dataframe_records": [{"prompt": "hi", "tags": ["a"]}], "params": {"temperature": 0.2}}
    assert _problems(compiled, body) == []
    assert _problems(compiled, {**body, "params": {"temperature": "hot"}}) != []
    assert _problems(compiled, {**body, "params": {"top_k": 3}}) != []
    assert _problems(compiled, {**body, "params": {"stop": ["\n", "###"]}}) == []


def test_a_model_without_signature_exits_1_saying_how_to_log_one(cli: Any, tmp_path: Path) -> None:
    mlmodel = str(DATA / "no-signature" / "MLmodel")
    result = cli("import", "mlflow", mlmodel, "--name", "plain", "--contracts-dir", str(tmp_path))
    assert result.exit_code == 1
    assert "has no signature" in result.stderr
    assert "infer_signature" in result.stderr
    assert not (tmp_path / "plain").exists()


def test_a_missing_file_is_a_usage_error(cli: Any, tmp_path: Path) -> None:
    result = cli("import", "mlflow", str(tmp_path / "nope"), "--name", "x", "--contracts-dir", str(tmp_path))
    assert result.exit_code == 2
