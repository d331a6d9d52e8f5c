"""Contract tests of an OIP model server over real HTTP: the reference passes, each faulty variant is caught."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import Any

import pytest

from tests.support.paths import CONTRACTS, ROOT
from tests.support.servers import serve
from tests.verify.oip_variants import FAULTY
from validator.compiled import CompiledContract
from validator.loader import load
from validator.payload import parse_json
from validator.verify import cases
from validator.verify.runner import Options, run

SEED = 7
COMPILED = CompiledContract(load("iris-classifier@1.0.0", CONTRACTS))
_OPTIONS: dict[str, Any] = {
    "max_examples": 20,
    "seed": SEED,
    "workers": 4,
    "exclude_checks": frozenset({"latency_slo"}),
}


@pytest.fixture(scope="module")
def oip_url() -> Iterator[str]:
    with serve(
        [sys.executable, "-m", "tests.verify.oip_variants", "{port}"], ready_path="/reference/v2/health/live"
    ) as base:
        yield base


def test_reference_server_started_as_documented_passes(cli: Any) -> None:
    argv = [sys.executable, str(ROOT / "examples" / "iris-oip-server" / "serve_oip.py"), "--port", "{port}"]
    with serve(argv, ready_path="/v2/health/live") as base:
        result = cli("test", "iris-classifier@1.0.0", "--base-url", base, "--max-examples", "20", "--seed", "7")
    assert result.exit_code == 0, result.stdout


def test_reference_passes_with_tensor_cases(oip_url: str) -> None:
    report = run(COMPILED, Options(base_url=f"{oip_url}/reference", **_OPTIONS))
    assert report.ok, [(f.operation, f.check, f.message) for f in report.failures]


@pytest.mark.parametrize("name", sorted(FAULTY))
def test_faulty_variant_is_caught_by_its_check(oip_url: str, name: str) -> None:
    _, operation, check = FAULTY[name]
    report = run(COMPILED, Options(base_url=f"{oip_url}/{name}", **_OPTIONS))
    assert (operation, check) in report.checks_failed(), [(f.operation, f.check, f.message) for f in report.failures]


def test_tensor_cases_draw_batches_and_break_tensors() -> None:
    planned = cases.plan(COMPILED, [COMPILED.contract.operation("infer")], max_examples=0, seed=SEED)
    tensor = [c for c in planned.cases if c.source == cases.TENSOR]
    batches = set()
    for case in tensor:
        body = parse_json(case.request.body or b"null")
        shape = body["inputs"][0]["shape"]
        if case.valid:
            batches.add(shape[0])
    assert batches == {1, 2, 64}
    invalid = {c.description: [p.keyword for p in c.problems] for c in tensor if not c.valid}
    assert set(invalid) == {
        "tensor data one element short of its shape",
        "tensor data one element beyond its shape",
        "tensor of the wrong rank",
        "tensor with ragged rows",
        "tensor with the wrong datatype label",
        "tensor element outside FP32",
        "tensor with a fractional dim",
    }
    assert all("x-tensor" in keywords for keywords in invalid.values()), invalid
