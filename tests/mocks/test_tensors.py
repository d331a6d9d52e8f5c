"""The mock of an OIP contract: inconsistent tensors rejected naming the pointer, answers fit the batch."""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.tensor.conftest import oip_document, tensor_schema, write_contract

from .conftest import Mock

INFER = "/v2/models/iris-classifier/infer"


def _request(batch: int, *, nested: bool = False) -> dict[str, Any]:
    rows = [[5.1, 3.5, 1.4, 0.2]] * batch
    data: list[Any] = rows if nested else [v for row in rows for v in row]
    return {"inputs": [{"name": "features", "shape": [batch, 4], "datatype": "FP32", "data": data}]}


@pytest.fixture(scope="module")
def iris(served_mock_of: Callable[..., Mock]) -> Mock:
    return served_mock_of("iris-classifier@1.0.0")  # over real HTTP


@pytest.mark.parametrize("batch", [1, 2, 5, 64])
@pytest.mark.parametrize("nested", [False, True])
def test_answers_take_the_request_batch(iris: Mock, batch: int, nested: bool) -> None:
    response = httpx.post(iris.base + INFER, json=_request(batch, nested=nested))
    assert response.status_code == 200
    outputs = {t["name"]: t for t in response.json()["outputs"]}
    assert outputs["label"]["shape"] == [batch]
    assert outputs["probabilities"]["shape"] == [batch, 3]
    for tensor in outputs.values():
        assert len(tensor["data"]) == math.prod(tensor["shape"])  # flat, as the contract's example
    op = iris.contract.operation("infer")
    assert iris.conforms(op, response) == []


def test_the_named_example_is_answered_with_its_pair(iris: Mock) -> None:
    example = iris.contract.operation("infer").interactions["two-flowers"]
    response = httpx.post(iris.base + INFER, json=example.request)
    assert response.json() == example.response


@pytest.mark.parametrize(
    ("edit", "pointer"),
    [
        (lambda t: t.update(data=t["data"][:-1]), "/inputs/0/data"),
        (lambda t: t.update(shape=[2, 4.0]), "/inputs/0/shape/1"),
        (lambda t: t.update(datatype="FP64"), "/inputs/0/datatype"),
        (lambda t: t["data"].__setitem__(3, 1e39), "/inputs/0/data/3"),
    ],
)
def test_inconsistent_tensors_are_rejected_naming_the_pointer(iris: Mock, edit: Any, pointer: str) -> None:
    body = _request(2)
    edit(body["inputs"][0])
    response = httpx.post(iris.base + INFER, json=body)
    assert 400 <= response.status_code < 500
    assert pointer in response.text


def test_generated_answers_without_examples_fit_the_batch(served_mock_of: Callable[..., Mock], tmp_path: Path) -> None:
    # No examples at all: the answer is generated from the schema, then its tensors are refitted.
    doc = oip_document(
        [tensor_schema("x", "FP32", ["batch", 4])], [tensor_schema("y", "INT64", ["batch", 3], max_batch=64)]
    )
    write_contract(tmp_path, doc, name="bare-oip")
    mock = served_mock_of("bare-oip@1.0.0", contracts_dir=tmp_path)
    for batch in (1, 5):
        body = {"inputs": [{"name": "x", "shape": [batch, 4], "datatype": "FP32", "data": [0.5] * (4 * batch)}]}
        response = httpx.post(mock.base + "/v2/models/m/infer", json=body)
        assert response.status_code == 200
        y = response.json()["outputs"][0]  # the declared one (the schema allows more items after it)
        assert y["shape"] == [batch, 3] and len(y["data"]) == 3 * batch
        assert mock.conforms(mock.contract.operation("infer"), response) == []
