"""Snapshots of the outside: the text and JSON output of every command on the example contracts.

Each case is one command line run in-process from the project root (paths in the output are relative to
it), with no colour and a fixed width. Its exit status, stdout and stderr are compared with the snapshot
files under ``tests/__snapshots__/``; after a change of output that is meant, rewrite them with
``pytest tests/test_cli_snapshots.py --snapshot-update`` and read the diff before committing.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, cast

import pytest
from syrupy.assertion import SnapshotAssertion

from tests.support.cli import Result
from tests.support.paths import ROOT
from tests.support.servers import contracts_cmd, serve

BAD = {"customer_id": "X1", "context": {"channel": "fax"}, "n": 0}
GOOD = {"customer_id": "C123456", "n": 3}
BROKEN = "tests/data/snapshots/contracts"  # one contract version with a problem of each kind lint reports
MLMODEL = "tests/data/mlflow/iris-sklearn/MLmodel"
PETS_30 = "tests/data/openapi-versions/pets/1.0.0/openapi.yaml"  # an OpenAPI 3.0 description

# Each case: its id, then the command line; "{input}" reads a payload given on stdin.
CASES: dict[str, tuple[tuple[str, ...], dict[str, object] | None]] = {
    "version": (("--version",), None),
    "lint-text-clean": (("lint",), None),
    "lint-json-clean": (("lint", "--format", "json"), None),
    "lint-text-problems": (("lint", "broken-model", "--contracts-dir", BROKEN), None),
    "lint-json-problems": (("lint", "broken-model", "--contracts-dir", BROKEN, "--format", "json"), None),
    "validate-text-invalid": (("validate", "recommendation-api@1.0.0", "-o", "getRecommendations", "--request"), BAD),
    "validate-json-invalid": (
        ("validate", "recommendation-api@1.0.0", "-o", "getRecommendations", "--request", "--format", "json"),
        BAD,
    ),
    "validate-text-valid": (("validate", "recommendation-api@1.1.0", "-o", "getRecommendations", "--request"), GOOD),
    "validate-json-valid": (
        ("validate", "recommendation-api@1.1.0", "-o", "POST /v1/recommendations", "--request", "--format", "json"),
        GOOD,
    ),
    "diff-text-breaking": (("diff", "recommendation-api@1.1.0", "recommendation-api@2.0.0"), None),
    "diff-json-breaking": (("diff", "recommendation-api@1.1.0", "recommendation-api@2.0.0", "--format", "json"), None),
    "diff-markdown-breaking": (
        ("diff", "recommendation-api@1.1.0", "recommendation-api@2.0.0", "--format", "markdown"),
        None,
    ),
    "diff-text-minor": (("diff", "recommendation-api@1.0.0", "recommendation-api@1.1.0"), None),
    "check-text": (("check",), None),
    "check-json": (("check", "--format", "json"), None),
    "bundle-json": (("bundle", "recommendation-api@1.0.0", "--format", "json"), None),
    "bundle-yaml": (("bundle", "recommendation-api@1.0.0", "--format", "yaml"), None),
    "upgrade-yaml": (("upgrade", PETS_30, "--format", "yaml"), None),
    "usage-error-unknown-contract": (("lint", "no-such-model"), None),
    "usage-error-unknown-operation": (
        ("validate", "recommendation-api@1.1.0", "-o", "nope", "--request", "--format", "json"),
        GOOD,
    ),
}


@pytest.fixture(autouse=True)
def _in_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # paths in the output are relative to the working directory


def _shown(result: Result, replace: dict[str, str] | None = None, *, timings: bool = False) -> dict[str, Any]:
    """What a person sees of one run, with what changes from machine to machine (paths, ports, timings)
    replaced by placeholders; JSON output is shown parsed."""
    replace = {**(replace or {}), str(ROOT): "<root>"}
    try:
        stdout: Any = json.loads(result.stdout)
    except ValueError:
        stdout = result.stdout
    shown = {"exit": result.exit_code, "stdout": stdout, "stderr": result.stderr}
    return cast(dict[str, Any], _clean(shown, replace, timings))


@pytest.mark.parametrize("case", sorted(CASES))
def test_command_output(cli: Callable[..., Result], snapshot: SnapshotAssertion, case: str) -> None:
    args, payload = CASES[case]
    result = cli(*args, input=None if payload is None else json.dumps(payload))
    if "--format" in args and args[args.index("--format") + 1] == "json":
        json.loads(result.stdout)  # one JSON document on stdout, whatever the exit status
    assert _shown(result) == snapshot


def test_lock_output(cli: Callable[..., Result], snapshot: SnapshotAssertion, contracts_copy: Path) -> None:
    text = cli("lock", "--contracts-dir", str(contracts_copy))
    data = cli("lock", "--contracts-dir", str(contracts_copy), "--format", "json")
    assert [_shown(r, {str(contracts_copy.parent): "<copy>"}) for r in (text, data)] == snapshot


@pytest.mark.parametrize("template", ["rest", "oip", "mlflow"])
def test_new_writes_the_template(
    cli: Callable[..., Result], snapshot: SnapshotAssertion, tmp_path: Path, template: str
) -> None:
    result = cli("new", "my-model", "--template", template, "--contracts-dir", str(tmp_path))
    written = (tmp_path / "my-model" / "0.1.0" / "openapi.yaml").read_text()
    assert (_shown(result, {str(tmp_path): "<dir>"}), written) == snapshot


def test_import_mlflow_writes_the_contract(
    cli: Callable[..., Result], snapshot: SnapshotAssertion, tmp_path: Path
) -> None:
    result = cli("import", "mlflow", MLMODEL, "--name", "iris", "--contracts-dir", str(tmp_path))
    written = (tmp_path / "iris" / "0.1.0" / "openapi.yaml").read_text()
    assert (_shown(result, {str(tmp_path): "<dir>"}), written) == snapshot


@pytest.fixture(scope="module")
def mock_base() -> Iterator[str]:
    with serve(contracts_cmd("mock", "recommendation-api@1.1.0", "--port", "{port}"), ready_path="/__mock/health") as b:
        yield b


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_test_against_the_mock(
    cli: Callable[..., Result], snapshot: SnapshotAssertion, mock_base: str, fmt: str
) -> None:
    args = ("test", "recommendation-api@1.1.0", "--base-url", mock_base, "--max-examples", "2", "--seed", "1")
    result = cli(*args, "--workers", "1", "--format", fmt)
    assert result.exit_code == 0, result.stdout
    # Timings and the mock's port change from run to run; what was sent and seen does not.
    assert _shown(result, {mock_base: "<mock>"}, timings=True) == snapshot


def test_python_dash_m_runs_the_same_cli() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "validator", "lint", "recommendation-api@1.0.0"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={"NO_COLOR": "1", "PATH": "/usr/bin:/bin"},
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "1 contract version(s) clean: recommendation-api@1.0.0" in done.stdout


_TIMINGS = ((re.compile(r"\d+(\.\d+)? ms\b"), "<t> ms"), (re.compile(r"in \d+(\.\d+)?s\b"), "in <t>s"))
_TIMED_KEYS = frozenset({"duration_s", "p50_ms", "p95_ms", "p99_ms", "measured_ms"})


def _clean(value: Any, replace: dict[str, str], timings: bool) -> Any:
    if isinstance(value, str):
        for old, new in replace.items():
            value = value.replace(old, new)
        for pattern, repl in _TIMINGS if timings else ():
            value = pattern.sub(repl, value)
        return value
    if isinstance(value, list):
        return [_clean(v, replace, timings) for v in value]
    if isinstance(value, dict):
        return {k: "<t>" if timings and k in _TIMED_KEYS else _clean(v, replace, timings) for k, v in value.items()}
    return value
