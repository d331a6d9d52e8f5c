"""The cost of tensor checking (x-tensor): validation in-process, and the mock under load.

1. Validations per second of a ``[64, 11]`` FP32 inference request through ``contracts validate``'s API
   (``parse_json`` then ``CompiledContract.validate_body``), against the same request and contract with
   the ``x-tensor`` declarations removed. Target: at most 1.5x slower.
   Measured twice in interleaved rounds: in wall time (the issue's reading) and in CPU time
   (``time.process_time``), which the other processes of a loaded machine do not inflate.
2. The mock's requests per second on a batch-64 OIP infer request (validated, answered with output
   tensors rebuilt to batch 64), against the raw ASGI ceiling of the mock benchmark
   (``bench/_ceiling.py``) receiving the same body, in interleaved rounds. Target: the mock benchmark's
   floor for a valid request (0.7x the ceiling). Measured beside them: the same ceiling that also parses
   the body with orjson (``_ceiling.parsing_app``), which bounds what any server reading this 5.3 KB body
   can reach against the raw ceiling; and the mock benchmark's second reading of its ceiling, a FastAPI
   endpoint answering a constant (``bench/_endpoint_ceiling.py``), the one under which issue 3's own
   calibration figures reproduce and against which that issue's targets were accepted.
"""

from __future__ import annotations

import functools
import os
import random
import re
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import orjson

from validator.compiled import CompiledContract
from validator.loader import load
from validator.payload import parse_json
from validator.templates._write import write_contract
from validator.templates.oip import oip_contract
from validator.tensor.model import TensorSpec

from ._timing import interleaved
from .bench_mock import VENV_BIN, _cpu_seconds, _ensure_wrk, _server, _uvicorn

BATCH, FEATURES = 64, 11
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "5"))
MAX_SLOWDOWN = 1.5
MOCK_FLOOR = 0.7
INFER = "/v2/models/tabular/infer"


def _document() -> dict[str, Any]:
    inputs = [TensorSpec("features", "FP32", ("batch", FEATURES), (None, None))]
    outputs = [TensorSpec("score", "FP32", ("batch", 1), (None, None))]
    rows = [[round(random.Random(i).uniform(-3, 3), 4) for i in range(FEATURES)]]
    return oip_contract("tabular", "1.0.0", inputs, outputs, examples=[("one", [rows[0]], [[0.5]])])


def _without_tensors(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: _without_tensors(v) for k, v in node.items() if k != "x-tensor"}
    if isinstance(node, list):
        return [_without_tensors(v) for v in node]
    return node


def request_body() -> bytes:
    """A valid batch-64 request: 704 FP32 values, flat."""
    rng = random.Random(16)
    data = [round(rng.uniform(-3, 3), 4) for _ in range(BATCH * FEATURES)]
    return orjson.dumps(
        {"inputs": [{"name": "features", "shape": [BATCH, FEATURES], "datatype": "FP32", "data": data}]}
    )


def _validate(compiled: CompiledContract, raw: bytes) -> object:
    # As `contracts validate` does once it has found the operation: read the payload, validate the body.
    return compiled.validate_body(_infer(compiled), "request", parse_json(raw))


@functools.cache
def _infer(compiled: CompiledContract) -> Any:
    return compiled.contract.operation("infer")


def main() -> None:
    """Print both figures and whether the targets are met."""
    body = request_body()
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        document = _document()
        with_tensor = write_contract(root, "tabular", "1.0.0", document).parent
        plain = write_contract(
            root, "tabular", "1.0.1", {**_without_tensors(document), "info": document["info"]}
        ).parent
        (plain / "openapi.yaml").write_text(
            (plain / "openapi.yaml").read_text().replace("version: 1.0.0", "version: 1.0.1", 1)
        )
        tensor_c, plain_c = CompiledContract(load(str(with_tensor))), CompiledContract(load(str(plain)))
        assert _validate(tensor_c, body) == [] and _validate(plain_c, body) == []
        short = orjson.loads(body)
        short["inputs"][0]["data"].pop()
        broken = orjson.dumps(short)
        assert _validate(tensor_c, broken) and not _validate(plain_c, broken)  # the check does run
        contenders: dict[str, Callable[[], object]] = {
            "with x-tensor": functools.partial(_validate, tensor_c, body),
            "without x-tensor": functools.partial(_validate, plain_c, body),
        }
        print(f"request: [{BATCH}, {FEATURES}] FP32, {len(body)} bytes")
        slowdowns = {}
        for clock_name, clock in (("wall", time.perf_counter), ("CPU", time.process_time)):
            rates = interleaved(contenders, rounds=ROUNDS, clock=clock)
            slowdowns[clock_name] = slowdown = rates["without x-tensor"] / rates["with x-tensor"]
            figures = ", ".join(f"{name} {value:,.0f}/s ({1e6 / value:.1f} us)" for name, value in rates.items())
            print(f"  validate API, {clock_name} time: {figures}; x-tensor slowdown {slowdown:.2f}x")
        _in_process(with_tensor, body)
        _mock(with_tensor, body)
        for clock_name, slowdown in slowdowns.items():
            verdict = "met" if slowdown <= MAX_SLOWDOWN else "MISSED"
            print(f"  [{verdict}] validate with x-tensor <= {MAX_SLOWDOWN}x slower ({clock_name}: {slowdown:.2f}x)")


def _in_process(folder: Path, body: bytes) -> None:
    """CPU per request of the mock app and of both ceilings called directly (no server, no sockets)."""
    import asyncio

    from mocks.app import create_app
    from mocks.options import MockOptions

    from . import _ceiling
    from .bench_app_cost import BATCH as PER_CALL
    from .bench_app_cost import _batch

    with Path(os.devnull).open("w") as log:
        mock = create_app(load(str(folder)), MockOptions(log_stream=log, log_json=True))
        loop = asyncio.new_event_loop()
        contenders: dict[str, Callable[[], object]] = {
            "ceiling": _batch(loop, _ceiling.app, body, INFER),
            "parsing ceiling": _batch(loop, _ceiling.parsing_app, body, INFER),
            "mock": _batch(loop, mock, body, INFER),
        }
        for fn in contenders.values():  # warm-up
            fn()
        rates = interleaved(contenders, rounds=ROUNDS, seconds=0.5, clock=time.process_time)
        loop.close()
    figures = ", ".join(f"{name} {1e6 / (calls * PER_CALL):.1f} us" for name, calls in rates.items())
    print(f"  in-process, CPU per batch-64 infer request: {figures}")


def _mock(folder: Path, body: bytes) -> None:
    wrk = _ensure_wrk()
    if wrk is None:
        print("SKIPPED mock throughput: wrk is not installed (apt-get install wrk)")
        return
    flags = ["--http", "httptools", "--loop", "uvloop"]
    with ExitStack() as stack, tempfile.TemporaryDirectory() as scratch:
        mock = stack.enter_context(
            _server([str(VENV_BIN / "contracts"), "mock", str(folder), "--port", "{port}"], "/__mock/health")
        )
        servers = {
            "mock": mock,
            "ceiling": stack.enter_context(_server(_uvicorn("bench._ceiling:app", flags), "/")),
            "parsing ceiling": stack.enter_context(_server(_uvicorn("bench._ceiling:parsing_app", flags), "/")),
            "FastAPI ceiling": stack.enter_context(_server(_uvicorn("bench._endpoint_ceiling:app", flags), "/docs")),
        }
        import httpx

        answer = httpx.post(mock.url + INFER, content=body, headers={"content-type": "application/json"})
        assert answer.status_code == 200 and answer.json()["outputs"][0]["shape"] == [BATCH, 1], answer.text
        script = Path(scratch) / "infer.lua"
        script.write_text(
            "wrk.method = 'POST'\nwrk.body = '"
            + body.decode()
            + "'\nwrk.headers['Content-Type'] = 'application/json'\n"
        )
        figures: dict[str, list[float]] = {name: [] for name in servers}
        cpu: dict[str, list[float]] = {name: [] for name in servers}
        for running in servers.values():  # warm-up
            _wrk(wrk, running.url, script, 1.0)
        for _ in range(ROUNDS):
            for name, running in servers.items():
                before = _cpu_seconds(running.pid)
                rps, count = _wrk(wrk, running.url, script, SECONDS)
                cpu[name].append((_cpu_seconds(running.pid) - before) / max(count, 1) * 1e6)
                figures[name].append(rps)

    def ratio(name: str, base: str) -> float:
        return statistics.median([a / b for a, b in zip(figures[name], figures[base], strict=True)])

    for name in servers:
        print(
            f"  {name}, batch-64 infer: {statistics.median(figures[name]):,.0f} req/s, "
            f"{ratio(name, 'ceiling'):.2f}x raw ASGI ceiling, server CPU {statistics.median(cpu[name]):.0f} us/request"
        )
    mock_ratio, bound = ratio("mock", "ceiling"), ratio("parsing ceiling", "ceiling")
    calibrated = ratio("mock", "FastAPI ceiling")
    print(f"  mock against the parsing ceiling: {ratio('mock', 'parsing ceiling'):.2f}x (median of {ROUNDS} rounds)")
    print(
        f"  [{'met' if mock_ratio >= MOCK_FLOOR else 'MISSED'}] mock batch-64 >= {MOCK_FLOOR}x raw ceiling "
        f"({mock_ratio:.2f}x; a server doing nothing but parse this body reaches {bound:.2f}x)"
    )
    print(
        f"  [{'met' if calibrated >= MOCK_FLOOR else 'MISSED'}] mock batch-64 >= {MOCK_FLOOR}x the FastAPI endpoint "
        f"ceiling, the mock benchmark's calibrated reading ({calibrated:.2f}x)"
    )


def _wrk(wrk: str, url: str, script: Path, seconds: float) -> tuple[float, int]:
    argv = [wrk, "-t2", "-c32", f"-d{seconds:g}s", "-s", str(script), url + INFER]
    out = subprocess.run(argv, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    count = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    return rps, count
