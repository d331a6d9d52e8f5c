"""The installed wheel, used from a folder outside this repository, as a new user would."""

from __future__ import annotations

import os
import shutil
import subprocess
import tomllib
import zipfile
from pathlib import Path

import httpx

from tests.distribution.conftest import Installed
from tests.support.paths import CONTRACTS, ROOT
from tests.support.servers import serve


def _outside(tmp_path: Path) -> Path:
    """A user's project folder, far from this repository, holding one contract."""
    project = tmp_path / "partner-project"
    shutil.copytree(CONTRACTS / "recommendation-api" / "1.1.0", project / "contracts" / "recommendation-api" / "1.1.0")
    return project


def _env() -> dict[str, str]:
    # Nothing of this repository leaks in: no CONTRACTS_DIR, no PYTHONPATH, the project's venv off PATH.
    drop = {"CONTRACTS_DIR", "PYTHONPATH", "VIRTUAL_ENV"}
    return {k: v for k, v in os.environ.items() if k not in drop} | {"NO_COLOR": "1"}


def _contracts(installed: Installed, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [installed.contracts, *args], cwd=cwd, env=_env(), capture_output=True, text=True, timeout=120, check=False
    )


def test_version_is_the_projects(installed: Installed, tmp_path: Path) -> None:
    expected = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    run = _contracts(installed, "--version", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == f"contracts {expected}"


def test_lint_outside_the_repository(installed: Installed, tmp_path: Path) -> None:
    project = _outside(tmp_path)
    run = _contracts(installed, "lint", "--format", "json", cwd=project)
    assert run.returncode == 0, run.stdout + run.stderr
    assert '"ok": true' in run.stdout
    broken = project / "contracts" / "recommendation-api" / "1.1.0" / "openapi.yaml"
    broken.write_text(broken.read_text().replace("version: 1.1.0", "version: 9.9.9", 1))
    assert _contracts(installed, "lint", cwd=project).returncode == 1


def test_mock_outside_the_repository_serves_the_contract_and_its_docs(installed: Installed, tmp_path: Path) -> None:
    project = _outside(tmp_path)
    argv = [installed.contracts, "mock", "recommendation-api@1.1.0", "--port", "{port}"]
    with serve(argv, cwd=project, env=_env(), ready_path="/__mock/health") as base:
        health = httpx.get(base + "/__mock/health").json()
        assert health["contract"] == "recommendation-api"
        assert health["version"] == "1.1.0"
        answer = httpx.post(
            base + "/v1/recommendations", json={"customer_id": "C0001234", "context": {"channel": "web"}}
        )
        assert answer.status_code == 200, answer.text
        # The docs page's assets travel inside the wheel.
        script = httpx.get(base + "/__mock/docs-assets/swagger-ui-bundle.js")
        assert script.status_code == 200
        assert len(script.content) > 500_000


def test_service_and_tests_without_their_extras_say_how_to_install_them(installed: Installed, tmp_path: Path) -> None:
    serve_run = _contracts(installed, "serve", cwd=tmp_path)
    assert serve_run.returncode == 2
    assert "pip install 'prediction-contracts[service]'" in serve_run.stderr
    assert "Traceback" not in serve_run.stderr
    test_run = _contracts(installed, "test", "recommendation-api", "--base-url", "http://127.0.0.1:9", cwd=tmp_path)
    assert test_run.returncode == 2
    assert "pip install 'prediction-contracts[test]'" in test_run.stderr


def test_core_install_leaves_out_the_service_and_the_test_runner(installed: Installed) -> None:
    probe = (
        "import importlib.util as u; print([m for m in ('fastapi', 'sqlalchemy', 'schemathesis') if u.find_spec(m)])"
    )
    run = subprocess.run([installed.python, "-c", probe], capture_output=True, text=True, timeout=60, check=True)
    assert run.stdout.strip() == "[]"


def test_wheel_declares_the_command_the_pytest_plugin_and_the_extras(installed: Installed) -> None:
    with zipfile.ZipFile(installed.wheel) as wheel:
        names = wheel.namelist()
        entry_points = wheel.read(next(n for n in names if n.endswith(".dist-info/entry_points.txt"))).decode()
        metadata = wheel.read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode()
    assert "contracts = validator.cli:main" in entry_points
    assert "[pytest11]\ncontracts = validator.verify.pytest_plugin" in entry_points
    for extra in ("test", "service", "all"):
        assert f"Provides-Extra: {extra}" in metadata
    assert "mocks/_docs_assets/swagger-ui-bundle.js" in names


def test_new_then_lint_and_mock_outside_the_repository(installed: Installed, tmp_path: Path) -> None:
    project = tmp_path / "model-team"
    project.mkdir()
    created = _contracts(installed, "new", "churn-model", "--template", "rest", cwd=project)
    assert created.returncode == 0, created.stdout + created.stderr
    assert (project / "contracts" / "churn-model" / "0.1.0" / "openapi.yaml").is_file()
    linted = _contracts(installed, "lint", cwd=project)
    assert linted.returncode == 0, linted.stdout + linted.stderr
    argv = [installed.contracts, "mock", "churn-model@0.1.0", "--port", "{port}"]
    with serve(argv, cwd=project, env=_env(), ready_path="/__mock/health") as base:
        assert httpx.get(base + "/__mock/health").json()["contract"] == "churn-model"
