"""Schemathesis fuzzes the running service from its own contract: no input gives a 5xx."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
import yaml
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode

from tests.support.fuzzing import FuzzCase, Operation, operations_of
from tests.support.paths import CONTRACTS
from tests.support.servers import contracts_cmd, serve

from .conftest import TOKEN, database_url

pytestmark = pytest.mark.slow  # property-based: hundreds of generated cases

SERVICE_CONTRACT = CONTRACTS / "contracts-service" / "1.1.0" / "openapi.yaml"
SCHEMA = schemathesis.openapi.from_dict(yaml.safe_load(SERVICE_CONTRACT.read_text()))
OPERATIONS = operations_of(SCHEMA)


def _has_input(operation: Operation) -> bool:
    """Negative generation needs something to break: a body or a path or query parameter."""
    locations = {getattr(p.location, "value", p.location) for p in operation.iter_parameters()}
    return bool(operation.body) or bool(locations & {"path", "query"})


CASES = [pytest.param(op, schemathesis.GenerationMode.POSITIVE, id=f"{op.label}-positive") for op in OPERATIONS]
CASES += [
    pytest.param(op, schemathesis.GenerationMode.NEGATIVE, id=f"{op.label}-negative")
    for op in OPERATIONS
    if _has_input(op)
]


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def fuzzed(request: pytest.FixtureRequest, pg_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder: Path = tmp_path_factory.mktemp(f"fuzz-{request.param}")
    argv = contracts_cmd(
        "serve",
        "--port",
        "{port}",
        "--database-url",
        database_url(request.param, pg_url, folder),
        "--contracts-dir",
        str(CONTRACTS),
    )
    with serve(argv, ready_path="/healthz", env={"CONTRACTS_API_TOKENS": TOKEN}) as base:
        yield base


@pytest.mark.parametrize(("operation", "mode"), CASES)
def test_no_generated_request_gets_a_server_error(fuzzed: str, operation: Operation, mode: GenerationMode) -> None:
    server_errors: list[str] = []

    @settings(
        max_examples=15,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case: FuzzCase) -> None:
        response = case.call(base_url=fuzzed, headers={"Authorization": f"Bearer {TOKEN}"}, timeout=30)
        if response.status_code >= 500:
            server_errors.append(f"{response.status_code} for {case.as_curl_command()}: {response.text[:300]}")

    run()
    assert server_errors == []
