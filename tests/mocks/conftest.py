"""Mocks for tests: in-process (httpx's ASGI transport) for behaviour, real servers where sockets matter."""

from __future__ import annotations

import io
import shutil
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from mocks import create_app
from mocks.options import DEFAULT_MAX_BODY_BYTES, MockOptions, check_error_rate, check_max_body, parse_latency
from tests.support import asgi
from tests.support.paths import CONTRACTS
from tests.support.servers import contracts_cmd, serve
from validator.compiled import CompiledContract
from validator.contract import Contract, Operation
from validator.loader import load
from validator.payload import parse_json

EXAMPLE_REFS = [
    "recommendation-api@1.0.0",
    "recommendation-api@1.1.0",
    "recommendation-api@2.0.0",
    "client-scoring@1.0.0",
]


@dataclass
class Mock:
    """A mock: its base URL, a client on it, and the contract it serves, compiled."""

    base: str
    contract: Contract
    compiled: CompiledContract
    client: httpx.Client

    def conforms(self, op: Operation, response: Any) -> list[str]:
        """Why ``response`` (httpx or schemathesis) breaks the contract; empty when it conforms."""
        headers = {k.lower(): v[0] if isinstance(v, list) else v for k, v in response.headers.items()}
        body = parse_json(response.content) if response.content else None
        kwargs = {"body": body} if response.content else {}
        problems = self.compiled.validate_response(
            op, response.status_code, headers, headers.get("content-type"), **kwargs
        )
        return [f"{p.location} {p.pointer}: {p.message}" for p in problems]


Build = Callable[[ExitStack, str, Path, tuple[str, ...]], Mock]


def _once(build: Build) -> Iterator[Callable[..., Mock]]:
    """``get(ref, *options, contracts_dir=...)``: the mock ``build`` makes, made once per arguments."""
    made: dict[tuple[str, ...], Mock] = {}
    with ExitStack() as stack:

        def get(ref: str, *options: str, contracts_dir: Path = CONTRACTS) -> Mock:
            key = (ref, str(contracts_dir), *options)
            if key not in made:
                made[key] = build(stack, ref, contracts_dir, options)
            return made[key]

        yield get


def _in_process(stack: ExitStack, ref: str, contracts_dir: Path, options: tuple[str, ...]) -> Mock:
    contract = load(ref, contracts_dir)
    http = stack.enter_context(asgi.client(create_app(contract, _options(options))))
    return Mock(str(http.base_url).rstrip("/"), contract, CompiledContract(contract), http)


def _served(stack: ExitStack, ref: str, contracts_dir: Path, options: tuple[str, ...]) -> Mock:
    argv = contracts_cmd("mock", ref, "--port", "{port}", "--contracts-dir", str(contracts_dir), *options)
    base = stack.enter_context(serve(argv, ready_path="/__mock/health"))
    contract = load(ref, contracts_dir)
    http = stack.enter_context(httpx.Client(base_url=base, timeout=10))
    return Mock(base, contract, CompiledContract(contract), http)


@pytest.fixture(scope="session")
def mock_of() -> Iterator[Callable[..., Mock]]:
    """The mock of a contract reference in-process (built once), with optional `contracts mock` options."""
    yield from _once(_in_process)


@pytest.fixture(scope="session")
def served_mock_of() -> Iterator[Callable[..., Mock]]:
    """A real mock server of a contract reference (started once), for tools that need a socket."""
    yield from _once(_served)


def _options(flags: tuple[str, ...]) -> MockOptions:
    """`contracts mock` options as the CLI reads them (the few the tests use)."""
    given = dict(zip(flags[::2], flags[1::2], strict=False)) if "--lenient" not in flags else {}
    return MockOptions(
        max_body_bytes=check_max_body(int(given.get("--max-body-bytes", DEFAULT_MAX_BODY_BYTES))),
        latency=parse_latency(given.get("--latency")),
        error_rate=check_error_rate(float(given.get("--error-rate", 0.0))),
        lenient="--lenient" in flags,
        log_stream=io.StringIO(),
    )


def variant_of_reco(tmp_path: Path, name: str, edit: Callable[[dict[str, Any]], None]) -> Path:
    """A contracts folder holding ``name@1.0.0``: recommendation-api 1.1.0 with ``edit`` applied to its document."""
    root = tmp_path / "contracts"
    shutil.copytree(CONTRACTS / "recommendation-api" / "1.1.0", root / name / "1.0.0")
    path = root / name / "1.0.0" / "openapi.yaml"
    document = yaml.safe_load(path.read_text())
    document["info"]["version"] = "1.0.0"
    edit(document)
    path.write_text(yaml.safe_dump(document))
    return root
