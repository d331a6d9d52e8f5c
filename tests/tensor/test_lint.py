"""lint and x-tensor: declarations well formed, every example consistent, paired examples agree on named dims."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from validator.lint import lint_paths

from .conftest import oip_document, tensor_schema, write_contract


def _lint(tmp_path: Path, doc: dict[str, Any]) -> list[tuple[str, str | None, str]]:
    folder = write_contract(tmp_path, doc)
    return [(p.pointer, p.keyword, p.message) for p in lint_paths([str(folder)], tmp_path).problems]


def _infer(doc: dict[str, Any]) -> dict[str, Any]:
    infer: dict[str, Any] = doc["paths"]["/v2/models/m/infer"]["post"]
    return infer


@pytest.mark.parametrize(
    ("declaration", "tail", "message"),
    [
        ({"name": "x", "datatype": "FP33", "shape": [1]}, "/x-tensor/datatype", "FP33"),
        ({"name": "x", "datatype": "FP32", "shape": [4.0]}, "/x-tensor/shape/0", "4.0 is not an integer >= 0"),
        ({"name": "x", "datatype": "FP32", "shape": [1], "dims": 2}, "/x-tensor", "dims"),
        ({"name": "x", "datatype": "FP32"}, "/x-tensor", "shape"),
    ],
)
def test_malformed_declarations(tmp_path: Path, declaration: dict[str, Any], tail: str, message: str) -> None:
    # Reported once each: by the keyword's meta-schema, or (a dim written 4.0) by the x-tensor check.
    tensor = tensor_schema("x", "FP32", [1])
    tensor["x-tensor"] = declaration
    found = _lint(tmp_path, oip_document([tensor], [tensor_schema("y", "FP32", [1])]))
    assert len(found) == 1, found
    pointer, keyword, text = found[0]
    assert pointer.endswith("/prefixItems/0" + tail) and keyword == "x-tensor" and message in text, found


def test_an_example_whose_shape_and_data_disagree(tmp_path: Path) -> None:
    doc = oip_document([tensor_schema("x", "FP32", [-1])], [tensor_schema("y", "FP32", [1])])
    example = {"inputs": [{"name": "x", "shape": [3], "datatype": "FP32", "data": [1.0]}]}
    _infer(doc)["requestBody"]["content"]["application/json"]["examples"] = {"one": {"value": example}}
    found = _lint(tmp_path, doc)
    assert [(p, k) for p, k, _ in found] == [
        (
            "/paths/~1v2~1models~1m~1infer/post/requestBody/content/application~1json/examples/one/value/inputs/0/data",
            "x-tensor",
        )
    ]
    assert "data holds 1 elements but shape [3] needs 3" in found[0][2]


def _paired(batch_out: int) -> dict[str, Any]:
    doc = oip_document([tensor_schema("x", "FP32", ["batch", 2])], [tensor_schema("y", "INT64", ["batch"])])
    request = {"inputs": [{"name": "x", "shape": [2, 2], "datatype": "FP32", "data": [1, 2, 3, 4]}]}
    response = {"outputs": [{"name": "y", "shape": [batch_out], "datatype": "INT64", "data": [0] * batch_out}]}
    infer = _infer(doc)
    infer["requestBody"]["content"]["application/json"]["examples"] = {"pair": {"value": request}}
    infer["responses"]["200"]["content"]["application/json"]["examples"] = {"pair": {"value": response}}
    return doc


def test_paired_examples_agree_on_named_dims(tmp_path: Path) -> None:
    assert _lint(tmp_path / "a", _paired(2)) == []
    found = _lint(tmp_path / "b", _paired(3))
    assert len(found) == 1
    pointer, keyword, message = found[0]
    example = "/paths/~1v2~1models~1m~1infer/post/responses/200/content/application~1json/examples/pair"
    assert pointer == example + "/value/outputs/0/shape/0"
    assert keyword == "x-tensor"
    assert "dim 'batch' is 3 here in the response but 2 at request /inputs/0/shape/0" in message


def test_shipped_iris_contract_is_clean() -> None:
    from tests.support.paths import CONTRACTS

    assert lint_paths(["iris-classifier@1.0.0"], CONTRACTS).problems == []
