"""x-tensor payload checks: name, datatype, rank, extents, element count, domain, named dims."""

from __future__ import annotations

import math
from typing import Any

import pytest

from validator.compiled import CompiledContract


def _x(shape: Any, data: Any, datatype: str = "FP32", name: str = "x") -> dict[str, Any]:
    return {"name": name, "shape": shape, "datatype": datatype, "data": data}


def _mask(n: int) -> dict[str, Any]:
    return {"name": "mask", "shape": [n], "datatype": "BOOL", "data": [True] * n}


def _problems(oip: CompiledContract, *inputs: dict[str, Any]) -> list[tuple[str, str, str | None]]:
    op = oip.contract.operation("infer")
    return [(p.pointer, p.message, p.keyword) for p in oip.validate_body(op, "request", {"inputs": list(inputs)})]


def test_a_consistent_request_is_valid_flat_and_nested(oip: CompiledContract) -> None:
    assert _problems(oip, _x([2, 4], [0.5] * 8), _mask(2)) == []
    assert _problems(oip, _x([2, 4], [[0.5] * 4, [1, 2, 3, 4]]), _mask(2)) == []


def test_element_count_names_both_numbers(oip: CompiledContract) -> None:
    found = _problems(oip, _x([2, 4], [0.5] * 7), _mask(2))
    assert found == [("/inputs/0/data", "data holds 7 elements but shape [2, 4] needs 8", "x-tensor")]


def test_fractional_dim_is_not_a_dim(oip: CompiledContract) -> None:
    found = _problems(oip, _x([2, 4.0], [0.5] * 8), _mask(2))
    assert ("/inputs/0/shape/1", "dim 4.0 is not an integer", "x-tensor") in found


def test_wrong_rank_and_fixed_extent(oip: CompiledContract) -> None:
    assert _problems(oip, _x([8], [0.5] * 8), _mask(8)) == [
        ("/inputs/0/shape", "shape [8] has rank 1, declared rank 2 [batch, 4]", "x-tensor")
    ]
    assert _problems(oip, _x([2, 3], [0.5] * 6), _mask(2)) == [
        ("/inputs/0/shape/1", "dim 1 is 3, declared 4 in [batch, 4]", "x-tensor")
    ]


def test_ragged_rows_are_named(oip: CompiledContract) -> None:
    found = _problems(oip, _x([2, 4], [[0.5] * 4, [0.5] * 3]), _mask(2))
    assert found == [("/inputs/0/data/1", "3 items at dim 1, but shape [2, 4] needs 4", "x-tensor")]


def test_name_and_datatype_label(oip: CompiledContract) -> None:
    found = _problems(oip, _x([1, 4], [0.5] * 4, datatype="FP64", name="z"), _mask(1))
    assert ("/inputs/0/name", "tensor name is 'z', declared 'x'", "x-tensor") in found
    assert ("/inputs/0/datatype", "datatype is 'FP64', declared 'FP32' for 'x'", "x-tensor") in found


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (3.5e38, "element 3.5e+38 is outside FP32's range ±3.40282e+38 (FP32 tensor 'x')"),
        ("1", "element '1' is not a number (FP32 tensor 'x')"),
        (True, "element true is not a number (FP32 tensor 'x')"),
        # Not JSON, but a Python caller or a lenient reader can hand them over; packing alone lets them through.
        (math.inf, "element inf is not a finite number (FP32 tensor 'x')"),
        (-math.inf, "element -inf is not a finite number (FP32 tensor 'x')"),
        (math.nan, "element nan is not a finite number (FP32 tensor 'x')"),
    ],
)
def test_fp32_elements_out_of_domain(oip: CompiledContract, value: Any, message: str) -> None:
    found = _problems(oip, _x([1, 4], [[0.5, 0.5, value, 0.5]]), _mask(1))
    assert found == [("/inputs/0/data/0/2", message, "x-tensor")]


def test_fp32_max_as_written_is_in_range(oip: CompiledContract) -> None:
    assert _problems(oip, _x([1, 4], [3.4028235e38, -3.4028235e38, 0, 1]), _mask(1)) == []


def test_fp32_elements_each_in_range_are_valid_whatever_their_norm(oip: CompiledContract) -> None:
    # Their Euclidean norm (the quick bound) passes FP32's max: each element is still in range.
    assert _problems(oip, _x([1, 4], [3e38, -3e38, 3e38, 10**30]), _mask(1)) == []


def test_an_integer_beyond_fp32_is_out_of_range(oip: CompiledContract) -> None:
    found = _problems(oip, _x([1, 4], [0.5, 4 * 10**38, 0.5, 0.5]), _mask(1))
    message = f"element {4 * 10**38} is outside FP32's range ±3.40282e+38 (FP32 tensor 'x')"
    assert found == [("/inputs/0/data/1", message, "x-tensor")]


def test_bool_elements(oip: CompiledContract) -> None:
    found = _problems(oip, _x([1, 4], [0.5] * 4), {"name": "mask", "shape": [1], "datatype": "BOOL", "data": [1]})
    assert found == [("/inputs/1/data/0", "element 1 is not a boolean (BOOL tensor 'mask')", "x-tensor")]


def test_named_dim_agrees_across_tensors_of_one_payload(oip: CompiledContract) -> None:
    found = _problems(oip, _x([2, 4], [0.5] * 8), _mask(3))
    assert found == [("/inputs/1/shape/0", "dim 'batch' is 3 here but 2 at /inputs/0/shape/0", "x-tensor")]
