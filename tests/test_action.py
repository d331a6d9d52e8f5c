"""action.yml and the pre-commit hooks, run as another repository would: a sample git repository with a
released contract, then a compatible and a breaking change on top."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.support.paths import CONTRACTS, ROOT

SCRIPT = ROOT / "scripts" / "contracts-action.sh"
CONTRACT = "recommendation-api"


def _git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=True, timeout=60)
    return done.stdout.strip()


def _add_version(repo: Path, source: str, version: str) -> None:
    """Copy an example version into the sample repository under another version number."""
    target = repo / "contracts" / CONTRACT / version
    shutil.copytree(CONTRACTS / CONTRACT / source, target)
    document = target / "openapi.yaml"
    text = document.read_text()
    document.write_text(re.sub(r"(?m)^(  version: ).*$", rf"\g<1>{version}", text, count=1))


@pytest.fixture
def sample(tmp_path: Path) -> tuple[Path, str]:
    """A git repository whose first commit releases recommendation-api 1.0.0; returns it and that commit."""
    repo = tmp_path / "partner-repo"
    repo.mkdir()
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "config", "user.email", "ci@example.invalid")
    _git(repo, "config", "user.name", "CI")
    _add_version(repo, "1.0.0", "1.0.0")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "release 1.0.0")
    return repo, _git(repo, "rev-parse", "HEAD")


def _commit(repo: Path, message: str) -> None:
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", message)


def _env(**extra: str) -> dict[str, str]:
    environ = {k: v for k, v in os.environ.items() if k not in ("CONTRACTS_DIR", "GITHUB_STEP_SUMMARY")}
    environ["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{environ.get('PATH', '')}"
    return {**environ, "NO_COLOR": "1", **extra}


def _action(repo: Path, base: str) -> tuple[subprocess.CompletedProcess[str], str]:
    summary = repo.parent / "summary.md"
    summary.write_text("")
    env = _env(CONTRACTS_BASE_REF=base, GITHUB_STEP_SUMMARY=str(summary), GITHUB_ACTIONS="true")
    run = subprocess.run(["bash", str(SCRIPT)], cwd=repo, env=env, capture_output=True, text=True, timeout=300)
    return run, summary.read_text()


def test_action_passes_a_compatible_change_and_writes_its_changelog(sample: tuple[Path, str]) -> None:
    repo, base = sample
    _add_version(repo, "1.1.0", "1.1.0")
    _commit(repo, "1.1.0: optional candidate products")
    run, summary = _action(repo, base)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "::error" not in run.stdout
    assert "## ✅ contracts check passed" in summary
    assert f"### {CONTRACT} 1.0.0 → 1.1.0" in summary
    assert f"Compared with `{base}`." in summary


def test_action_fails_a_breaking_minor_with_annotations_and_changelog(sample: tuple[Path, str]) -> None:
    repo, base = sample
    _add_version(repo, "2.0.0", "1.1.0")  # 2.0.0's breaking changes published as a minor
    _commit(repo, "1.1.0 (really breaking)")
    run, summary = _action(repo, base)
    assert run.returncode == 1, run.stdout + run.stderr
    annotations = [line for line in run.stdout.splitlines() if line.startswith("::error ")]
    assert annotations, run.stdout
    assert any(f"file=contracts/{CONTRACT}/1.1.0/openapi.yaml" in line for line in annotations), annotations
    assert "## ❌ contracts check failed (exit 1)" in summary
    assert f"### {CONTRACT} 1.0.0 → 1.1.0" in summary
    assert "breaking" in summary.lower()


def test_action_fails_an_edited_released_version(sample: tuple[Path, str]) -> None:
    repo, base = sample
    document = repo / "contracts" / CONTRACT / "1.0.0" / "openapi.yaml"
    document.write_text(document.read_text().replace("description:", "description: edited.", 1))
    _commit(repo, "edit the released 1.0.0")
    run, summary = _action(repo, base)
    assert run.returncode == 1, run.stdout + run.stderr
    assert "::error " in run.stdout
    assert "No new contract version." in summary


def test_action_without_a_usable_base_warns_and_still_gates(sample: tuple[Path, str]) -> None:
    repo, _ = sample
    run, summary = _action(repo, "0" * 40)  # a push that opened the branch
    assert run.returncode == 0, run.stdout + run.stderr
    assert "::warning title=contracts::base 0000" in run.stdout
    assert "## ✅ contracts check passed" in summary


def test_action_yml_is_a_composite_that_installs_itself_and_runs_the_script() -> None:
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    assert action["runs"]["using"] == "composite"
    runs = " ".join(step.get("run", "") for step in action["runs"]["steps"])
    assert 'pip install --disable-pip-version-check --quiet \\\n  -c "$RUNNER_TEMP/contracts-constraints.txt"' in runs
    assert '"${{ github.action_path }}/scripts/contracts-action.sh"' in runs
    assert set(action["inputs"]) == {"base-ref", "contracts-dir", "python-version"}


def _hooks() -> list[dict[str, Any]]:
    hooks: list[dict[str, Any]] = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    return hooks


@pytest.mark.parametrize("hook", [h["id"] for h in _hooks()])
def test_pre_commit_hook_passes_compatible_and_fails_breaking(sample: tuple[Path, str], hook: str) -> None:
    spec = next(h for h in _hooks() if h["id"] == hook)
    assert spec["language"] == "python" and spec["pass_filenames"] is False
    changed = f"contracts/{CONTRACT}/1.1.0/openapi.yaml"
    assert re.search(spec["files"], changed), "the hook would not run on a contract change"
    repo, _ = sample
    argv = shlex.split(spec["entry"])
    _add_version(repo, "1.1.0", "1.1.0")
    good = subprocess.run(argv, cwd=repo, env=_env(), capture_output=True, text=True, timeout=300)
    assert good.returncode == 0, good.stdout + good.stderr
    shutil.rmtree(repo / "contracts" / CONTRACT / "1.1.0")
    if hook == "contracts-lint":  # lint judges each version alone: break one, not the history
        _add_version(repo, "1.1.0", "1.2.0")  # info.version is fixed below to disagree with its folder
        document = repo / "contracts" / CONTRACT / "1.2.0" / "openapi.yaml"
        document.write_text(document.read_text().replace("version: 1.2.0", "version: 1.3.0", 1))
    else:
        _add_version(repo, "2.0.0", "1.1.0")
    bad = subprocess.run(argv, cwd=repo, env=_env(), capture_output=True, text=True, timeout=300)
    assert bad.returncode == 1, bad.stdout + bad.stderr
