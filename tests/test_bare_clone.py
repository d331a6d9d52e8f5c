"""A clone with no ``../shared`` beside it: the conformance suite is skipped with a how-to, unless CI=true."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.support.paths import ROOT

# Every test that reads the suite: the suite's own cases and the evaluation paths compared over it.
READERS = (
    "tests/test_conformance.py",
    "tests/test_evaluation.py::test_plain_schemas_of_the_conformance_suite_get_the_same_problems_from_both_paths",
)


def _run_conformance(tmp_path: Path, tests: tuple[str, ...] = READERS, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if k not in ("CI", "JSON_SCHEMA_TEST_SUITE")}
    environ.update({"JSON_SCHEMA_TEST_SUITE": str(tmp_path / "absent"), **env})
    return subprocess.run(
        [sys.executable, "-m", "pytest", *tests, "-q", "-rs", "-p", "no:cacheprovider"],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_missing_suite_is_skipped_with_how_to_get_it(tmp_path: Path) -> None:
    run = _run_conformance(tmp_path)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "2 skipped" in run.stdout
    assert run.stdout.count("git clone https://github.com/json-schema-org/JSON-Schema-Test-Suite") == 2
    assert "git clone https://github.com/json-schema-org/JSON-Schema-Test-Suite" in run.stdout
    assert "JSON_SCHEMA_TEST_SUITE=<that folder>" in run.stdout


def test_missing_suite_fails_on_ci(tmp_path: Path) -> None:
    run = _run_conformance(tmp_path, CI="true")
    assert run.returncode != 0
    assert "CI=true: the JSON Schema Test Suite is not at" in run.stdout
    # The collection error above stops the run; the evaluation test, run on its own, fails as well.
    alone = _run_conformance(tmp_path, READERS[1:], CI="true")
    assert alone.returncode != 0 and "CI=true: the JSON Schema Test Suite is not at" in alone.stdout


def test_suite_named_by_the_variable_is_run(tmp_path: Path) -> None:
    suite = tmp_path / "suite"
    (suite / "tests" / "draft2020-12" / "optional" / "format").mkdir(parents=True)
    (suite / "tests" / "draft2020-12" / "const.json").write_text(
        '[{"description": "c", "schema": {"const": 1}, "tests": ['
        '{"description": "one", "data": 1, "valid": true}, {"description": "two", "data": 2, "valid": false}]}]'
    )
    for name in ("date", "date-time", "time", "email", "uuid", "uri", "ipv4", "ipv6"):
        (suite / "tests" / "draft2020-12" / "optional" / "format" / f"{name}.json").write_text("[]")
    run = _run_conformance(tmp_path, ("tests/test_conformance.py",), JSON_SCHEMA_TEST_SUITE=str(suite), CI="true")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "2 passed" in run.stdout
