"""Servers for the proxy tests: the reference service and its variants upstream, the proxy in front."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.support.servers import contracts_cmd, serve
from tests.verify.conftest import reference_url, variants_url

__all__ = ["reference_url", "variants_url"]

CONTRACT = "recommendation-api@1.1.0"


@contextmanager
def running_proxy(upstream: str, *args: str, log: Path | None = None) -> Iterator[str]:
    """``contracts proxy`` in front of ``upstream`` until the block ends; yields its base URL."""
    argv = contracts_cmd("proxy", CONTRACT, "--upstream", upstream, "--port", "{port}", *args)
    with serve(argv, ready_path="/__proxy/health", output=log) as base:
        yield base


@pytest.fixture
def proxy_log(tmp_path: Path) -> Path:
    """Where a proxy started by a test writes its log lines."""
    return tmp_path / "proxy.log"
