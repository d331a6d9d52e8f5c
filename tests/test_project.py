"""The project's own checks: CI runs the same verbs as a developer, the licence is the one declared."""

from __future__ import annotations

import shlex
import tomllib

import yaml

from tests.support.paths import ROOT


def test_ci_runs_the_static_checks_and_the_tests() -> None:
    commands = [line.strip() for line in (ROOT / ".ci" / "run").read_text().splitlines()]
    assert commands.index("make lint") < commands.index("make test")


def test_the_pre_commit_hooks_run_the_tools_make_lint_runs() -> None:
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())
    entries = [shlex.split(hook["entry"]) for repo in config["repos"] for hook in repo["hooks"]]
    makefile = (ROOT / "Makefile").read_text()
    lint_recipe = makefile.split("\nlint:", 1)[1].split("\n\n", 1)[0]
    for tool in (["ruff", "check"], ["ruff", "format", "--check"], ["mypy"]):
        assert f"$(VENV)/bin/{' '.join(tool)}" in lint_recipe
        assert [".venv/bin/" + tool[0], *tool[1:]] in entries
    assert all((ROOT / entry[0]).parts[-3:-1] == (".venv", "bin") for entry in entries)


def test_the_licence_file_is_the_licence_pyproject_names() -> None:
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["license"]
    assert declared == "MIT"
    assert (ROOT / "LICENSE").read_text().startswith("MIT License")


def test_pytest_configuration_is_strict() -> None:
    options = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["pytest"]["ini_options"]
    assert {"--strict-markers", "--strict-config"} <= set(options["addopts"].split())
    assert {m.split(":")[0] for m in options["markers"]} >= {"slow", "postgres"}
