"""Every command the README shows, run as written (ports moved to free ones), in a copy of the project.

Servers (`make mock`, `contracts mock`, `contracts serve`, `contracts proxy`, the example service) are
started in the background until they answer, and the commands after them run against them. Three commands
are not run here, each for a stated reason checked below: `make test` (it is the command running this
test), the `pip install` lines (installing from the registry is not done in tests: the distribution test
installs the same wheel into a clean virtual environment, offline) and the pytest line meant for another
repository's checkout (the plugin's tests run it from one).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import psycopg
import pytest

from tests.support.paths import ROOT
from tests.support.servers import free_port, serve

README = ROOT / "README.md"
PORTS = ("8000", "8001", "8002", "8080")
SERVERS = re.compile(r"^(make mock|(\S+=\S+ )*contracts (mock|serve|proxy)|python examples/\S+/serve\.py)\b")
NOT_RUN = {
    "make test": "it is the command running this test",
    "python3 -m pip install": "tests/distribution installs the built wheel into a clean venv, offline",
    "pytest --contract-only": "tests/verify/test_pytest_plugin.py runs it from another repository",
}
EXPECTED_EXIT = re.compile(r"#\s*exit (\d)")
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"


def readme_commands(text: str) -> list[str]:
    """The command lines of the README's ``sh`` blocks, continuation lines joined."""
    out: list[str] = []
    for block in re.findall(r"```sh\n(.*?)```", text, flags=re.DOTALL):
        joined = block.replace("\\\n", " ")
        out.extend(line.strip() for line in joined.splitlines() if line.strip())
    return out


def _database_exists(name: str) -> bool:
    with psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=5) as conn:
        return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone() is not None


@pytest.fixture
def project(tmp_path: Path) -> Iterator[Path]:
    """A git repository holding a copy of the contracts, the example service and pyproject.toml."""
    target = tmp_path / "project"
    target.mkdir()
    for name in ("contracts", "examples"):
        shutil.copytree(ROOT / name, target / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("contracts.lock", "pyproject.toml"):
        shutil.copy(ROOT / name, target / name)
    for args in (["init", "-q", "-b", "main"], ["add", "."]):
        subprocess.run(["git", *args], cwd=target, check=True, timeout=60)
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-q", "-m", "x"],
        cwd=target,
        check=True,
        timeout=60,
    )
    yield target


def test_readme_is_short_and_names_every_user() -> None:
    text = README.read_text()
    assert 100 <= len(text.splitlines()) <= 150
    for section in ("Partner teams", "Model owners", "QA", "Release managers", "Platform teams"):
        assert f"## {section}" in text
    for link in re.findall(r"\]\(((?:docs|bench)/[^)]+)\)", text):
        assert (ROOT / link).is_file(), link


def test_every_readme_command_runs(project: Path) -> None:
    commands = readme_commands(README.read_text())
    assert len(commands) > 15
    ports = {port: str(free_port()) for port in PORTS}
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("CONTRACTS_DIR", "CONTRACTS_API_TOKENS")},
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "NO_COLOR": "1",
    }
    created_db = not _database_exists("contracts")
    skipped = []
    try:
        with ExitStack() as servers:
            for command in commands:
                line = command
                for port, free in ports.items():
                    line = line.replace(f":{port}", f":{free}").replace(f"--port {port}", f"--port {free}")
                if any(command.startswith(prefix) for prefix in NOT_RUN):
                    skipped.append(command)
                    continue
                if command.startswith("make mock"):
                    argv = ["make", "--no-print-directory", "mock", f"MOCK_PORT={ports['8000']}"]
                    servers.enter_context(serve(argv, port=int(ports["8000"]), cwd=ROOT, env=env, timeout=120))
                    continue
                if SERVERS.match(command):
                    found = re.search(r"--port (\d+)", line)
                    assert found, f"a server command without --port: {command}"
                    argv = ["bash", "-c", f"exec env {line.split('#')[0]}"]  # env: the same PID, stopped by it
                    servers.enter_context(serve(argv, port=int(found.group(1)), cwd=project, env=env, timeout=120))
                    continue
                expected = EXPECTED_EXIT.search(command)
                run = subprocess.run(
                    ["bash", "-c", line], cwd=project, env=env, capture_output=True, text=True, timeout=600
                )
                want = int(expected.group(1)) if expected else 0
                assert run.returncode == want, (
                    f"{command}\nexit {run.returncode}\n{run.stdout[-2000:]}\n{run.stderr[-2000:]}"
                )
                assert "Traceback" not in run.stderr, command
                if line.startswith("curl") and "-w '%{http_code}" in line:
                    assert run.stdout.strip() == "200", command
    finally:
        if created_db:
            with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
                conn.execute('DROP DATABASE IF EXISTS "contracts" WITH (FORCE)')
    assert {next(p for p in NOT_RUN if c.startswith(p)) for c in skipped} == set(NOT_RUN)
    assert (project / "report.xml").is_file()  # the QA command's JUnit report
