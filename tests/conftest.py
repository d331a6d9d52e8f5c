"""Shared fixtures: paths, the example contracts, an in-process CLI runner."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from validator.cli import app

ROOT = Path(__file__).resolve().parents[1]
CONTRACTS = ROOT / "contracts"


@dataclass
class Result:
    """What one CLI run gave."""

    exit_code: int
    stdout: str
    stderr: str


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    """Run ``contracts ARGS`` in-process with fixed width and no colour; returns a Result."""
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.setenv("CONTRACTS_DIR", str(CONTRACTS))
    runner = CliRunner()

    def run(*args: str, input: str | bytes | None = None) -> Result:
        result = runner.invoke(app, list(args), input=input, catch_exceptions=False)
        return Result(result.exit_code, result.stdout, result.stderr)

    yield run


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
