"""Real mock servers on 127.0.0.1 (one per contract version, shared by the session) and a self-check."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import CONTRACTS
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
    """A running mock: its base URL and the contract it serves, compiled."""

    base: str
    contract: Contract
    compiled: CompiledContract

    def conforms(self, op: Operation, response: Any) -> list[str]:
        """Why ``response`` (httpx or schemathesis) breaks the contract; empty when it conforms."""
        headers = {k.lower(): v[0] if isinstance(v, list) else v for k, v in response.headers.items()}
        body = parse_json(response.content) if response.content else None
        kwargs = {"body": body} if response.content else {}
        problems = self.compiled.validate_response(
            op, response.status_code, headers, headers.get("content-type"), **kwargs
        )
        return [f"{p.location} {p.pointer}: {p.message}" for p in problems]


@pytest.fixture(scope="session")
def mock_of() -> Iterator[Callable[..., Mock]]:
    """Start (once) and return the mock of a contract reference, with optional extra CLI options."""
    started: dict[tuple[str, ...], Mock] = {}
    with ExitStack() as stack:

        def get(ref: str, *options: str, contracts_dir: Path = CONTRACTS) -> Mock:
            key = (ref, str(contracts_dir), *options)
            if key not in started:
                argv = contracts_cmd("mock", ref, "--port", "{port}", "--contracts-dir", str(contracts_dir), *options)
                base = stack.enter_context(serve(argv, ready_path="/__mock/health"))
                contract = load(ref, contracts_dir)
                started[key] = Mock(base, contract, CompiledContract(contract))
            return started[key]

        yield get


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
