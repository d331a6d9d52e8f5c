"""`pytest --contract REF --contract-base-url URL`: one test per operation and check, findings in the failures."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

from tests.support.paths import CONTRACTS, ROOT
from validator.verify.checks import CHECK_NAMES


def _pytest(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CONTRACTS_DIR": str(CONTRACTS), "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", *args],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_plugin_collects_one_test_per_operation_and_check(tmp_path: Path, variants_url: str) -> None:
    done = _pytest(
        tmp_path,
        "--contract",
        "recommendation-api@1.1.0",
        "--contract-base-url",
        f"{variants_url}/missing-field-for-store",
        "--contract-seed",
        "7",
        "--contract-max-examples",
        "20",
    )
    assert done.returncode == 1, done.stdout
    total = 2 * len(CHECK_NAMES)
    assert f"1 failed, {total - 1} passed" in done.stdout
    assert "FAILED ::getRecommendations::response_schema" in done.stdout
    assert "reproduce: curl" in done.stdout and '"variant" is a required property' in done.stdout


def test_plugin_passes_a_compliant_api(tmp_path: Path, reference_url: str) -> None:
    done = _pytest(
        tmp_path,
        "--contract",
        "recommendation-api@1.1.0",
        "--contract-base-url",
        reference_url,
        "--contract-seed",
        "7",
        "--contract-max-examples",
        "10",
        "--contract-slo-samples",  # no SLO phase: a timed verdict would depend on this machine's load
        "0",
    )
    assert done.returncode == 0, done.stdout
    assert f"{2 * len(CHECK_NAMES)} passed" in done.stdout


def test_plugin_is_inert_without_contract(tmp_path: Path) -> None:
    (tmp_path / "test_x.py").write_text("def test_x():\n    assert True\n")
    done = _pytest(tmp_path)
    assert done.returncode == 0 and "1 passed" in done.stdout


def test_plugin_reports_a_bad_reference_as_usage_error(tmp_path: Path) -> None:
    done = _pytest(tmp_path, "--contract", "nope@1.0.0", "--contract-base-url", "http://127.0.0.1:9")
    assert done.returncode == 4
    assert "unknown contract 'nope'" in done.stderr


def _readme_pytest_line() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    line = next(ln for ln in readme.splitlines() if ln.startswith("pytest --contract-only "))
    return shlex.split(line)[1:]


def test_readme_line_collects_only_the_contract_tests_beside_pytest_base_url(
    tmp_path: Path, reference_url: str
) -> None:
    # Another repository: its own tests, and pytest-base-url (loaded from the environment) owning --base-url.
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_own.py").write_text("def test_own(base_url):\n    assert base_url\n")
    args = _readme_pytest_line()
    args[args.index("--contract-base-url") + 1] = reference_url
    args[args.index("--contracts-dir") + 1] = str(CONTRACTS)
    done = _pytest(tmp_path, *args, "--base-url", "http://127.0.0.1:9", "--co")
    assert done.returncode == 0, done.stdout + done.stderr
    collected = [ln for ln in done.stdout.splitlines() if "::" in ln]
    assert len(collected) == 2 * len(CHECK_NAMES), done.stdout
    assert all(not ln.startswith("tests/") for ln in collected)
    assert "::getRecommendations::auth_enforced" in done.stdout
    # Without --contract-only the repository's own test is collected too.
    mixed = _pytest(tmp_path, *[a for a in args if a != "--contract-only"], "--base-url", "http://127.0.0.1:9", "--co")
    assert "test_own.py::test_own" in mixed.stdout, mixed.stdout
    # Both plugins are live in one process: pytest-base-url's fixture serves the repository's own test.
    own = _pytest(tmp_path, "--base-url", "http://127.0.0.1:9", "--contract-max-examples", "3", "tests")
    assert own.returncode == 0 and "1 passed" in own.stdout, own.stdout + own.stderr
