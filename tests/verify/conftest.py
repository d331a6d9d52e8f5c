"""Servers for the contract-test suite: the reference service and every variant of it, over real HTTP."""

from __future__ import annotations

import sys
from collections.abc import Iterator

import pytest

from tests.support.paths import ROOT
from tests.support.servers import serve


@pytest.fixture(scope="session")
def reference_url() -> Iterator[str]:
    """The reference recommendation service, started with the README's command."""
    argv = [sys.executable, str(ROOT / "examples" / "recommendation-service" / "serve.py"), "--port", "{port}"]
    with serve(argv, ready_path="/v1/models/current") as base:
        yield base


@pytest.fixture(scope="session")
def variants_url() -> Iterator[str]:
    """One server hosting the reference at /reference and each variant at /<name>."""
    with serve(
        [sys.executable, "-m", "tests.verify.variants", "{port}"], ready_path="/reference/v1/models/current"
    ) as base:
        yield base
