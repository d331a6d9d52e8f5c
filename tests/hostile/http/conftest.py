"""Hostile HTTP clients against real servers: `contracts mock` and `contracts serve`, with tight limits.

Each server runs with short timeouts (a slow client is refused within a second or two, so the tests stay
quick) and a small connection cap and pipeline; everything else is as shipped. The fixture contract
``deep-api`` has one operation whose ``meta`` member takes any JSON value.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support.servers import Served, contracts_cmd, serve

DATA = Path(__file__).parent / "data"
TOKEN = "hostile-token-" + "x" * 24
HEADER_TIMEOUT = 1.0
BODY_TIMEOUT = 1.5
MAX_CONNECTIONS = 40
MAX_PIPELINED = 4


@dataclass(frozen=True)
class Server:
    """A server under attack: where it is, where its operation and health check are, where it logs."""

    kind: str  # "mock" or "service"
    base: Served
    echo: str  # path of deep-api's echo operation on this server
    health: str
    log: Path

    @property
    def port(self) -> int:
        """The TCP port."""
        return int(self.base.rsplit(":", 1)[1])


@pytest.fixture(scope="session")
def hostile_mock(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """`contracts mock deep-api` with tight HTTP limits."""
    log = tmp_path_factory.mktemp("hostile-mock") / "mock.log"
    argv = contracts_cmd(
        "mock",
        "deep-api@1.0.0",
        "--contracts-dir",
        str(DATA),
        "--port",
        "{port}",
        "--header-timeout",
        str(HEADER_TIMEOUT),
        "--body-timeout",
        str(BODY_TIMEOUT),
        "--max-connections",
        str(MAX_CONNECTIONS),
        "--max-pipelined",
        str(MAX_PIPELINED),
    )
    with serve(argv, ready_path="/__mock/health", output=log) as base:
        yield Server("mock", base, "/echo", "/__mock/health", log)


@pytest.fixture(scope="session")
def hostile_service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """`contracts serve` (SQLite) over the fixture contracts, with the same tight HTTP limits."""
    folder = tmp_path_factory.mktemp("hostile-service")
    log = folder / "serve.log"
    env = {
        "CONTRACTS_API_TOKENS": TOKEN,
        "CONTRACTS_HTTP_HEADER_TIMEOUT": str(HEADER_TIMEOUT),
        "CONTRACTS_HTTP_BODY_TIMEOUT": str(BODY_TIMEOUT),
        "CONTRACTS_HTTP_MAX_CONNECTIONS": str(MAX_CONNECTIONS),
        "CONTRACTS_HTTP_MAX_PIPELINED": str(MAX_PIPELINED),
    }
    argv = contracts_cmd(
        "serve", "--port", "{port}", "--database-url", f"sqlite:///{folder / 'c.db'}", "--contracts-dir", str(DATA)
    )
    with serve(argv, ready_path="/healthz", env=env, output=log) as base:
        yield Server("service", base, "/mocks/deep-api/1.0.0/echo", "/healthz", log)


@pytest.fixture(params=["mock", "service"])
def server(request: pytest.FixtureRequest) -> Server:
    """Each server in turn."""
    return request.getfixturevalue(f"hostile_{request.param}")  # type: ignore[no-any-return]
