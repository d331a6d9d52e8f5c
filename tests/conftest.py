"""Shared fixtures: paths, the example contracts, an in-process CLI runner."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.support.cli import Result, run_cli
from tests.support.paths import CONTRACTS


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., Result]]:
    """Run ``contracts ARGS`` in-process with fixed width and no colour; returns a Result."""
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.setenv("CONTRACTS_DIR", str(CONTRACTS))
    yield run_cli


@pytest.fixture
def contracts_copy(tmp_path: Path) -> Path:
    """A writable copy of the example contracts folder."""
    target = tmp_path / "contracts"
    shutil.copytree(CONTRACTS, target)
    return target


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests that use the PostgreSQL database are marked ``postgres`` (``-m 'not postgres'`` runs without it)."""
    for item in items:
        if "pg_url" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.postgres)
