"""A large public description reproduced by shape (tests/support/corpus_generator.py): split over hundreds
of files, past the old fixed cap; lint finds nothing and the round trip is clean (over real HTTP)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.support import corpus_generator
from tests.support.cli import Cli
from tests.support.servers import contracts_cmd, serve
from validator.lint import lint_paths
from validator.loader import MAX_FILES_VARIABLE

pytestmark = pytest.mark.slow  # real servers and whole descriptions


def test_the_round_trip_is_clean_on_a_large_split_description(cli: Cli, tmp_path: Path) -> None:
    folder = corpus_generator.write(tmp_path, resources=8)
    assert not lint_paths([str(folder)], tmp_path).problems
    with serve(contracts_cmd("mock", str(folder), "--port", "{port}"), ready_path="/__mock/health") as base:
        result = cli(
            "test", str(folder), "--base-url", base, "--max-examples", "5", "--seed", "1", "--format", "json",
            "--header", corpus_generator.BEARER, "--exclude-check", "latency_slo",
        )  # fmt: skip
    report = json.loads(result.stdout)
    failures = [(f["operation"], f["check"], f["message"][:200]) for f in report["failures"]]
    assert result.exit_code == 0 and not failures, failures
    assert report["cases"] > 0


def test_a_description_of_more_files_than_the_old_cap_loads_and_a_lower_cap_is_said_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = corpus_generator.write(tmp_path, resources=90)
    assert sum(1 for p in folder.rglob("*.yml")) > 500  # the fixed cap this issue replaced
    assert not lint_paths([str(folder)], tmp_path).problems
    monkeypatch.setenv(MAX_FILES_VARIABLE, "100")
    [problem] = lint_paths([str(folder)], tmp_path).problems
    assert "more than 100 files" in problem.message and problem.line is not None
