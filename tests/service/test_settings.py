"""Settings: CONTRACTS_* variables, flags over variables, secrets never shown."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest

from tests.support.cli import Cli
from tests.support.paths import CONTRACTS
from tests.support.servers import contracts_cmd, free_port, serve
from validator.service.settings import Settings


def test_environment_variables_configure_the_service(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONTRACTS_API_TOKENS", " one, two ,,")
    monkeypatch.setenv("CONTRACTS_DATABASE_URL", "postgresql://u:secret@h/db")
    monkeypatch.setenv("CONTRACTS_DIR", "/srv/contracts")
    monkeypatch.setenv("CONTRACTS_READ_REQUIRES_TOKEN", "1")
    settings = Settings()
    assert settings.token_values() == (b"one", b"two")
    assert settings.contracts_dir == Path("/srv/contracts")
    assert settings.read_requires_token is True
    shown = settings.public_dict()
    assert shown["api_tokens"] == 2
    assert "secret" not in str(shown) and "one" not in str(shown["api_tokens"])


@pytest.mark.parametrize(("cpus", "workers"), [(1, 1), (2, 1), (4, 3), (64, 8)])
def test_analysis_workers_leave_one_cpu_to_the_event_loop(
    monkeypatch: pytest.MonkeyPatch, cpus: int, workers: int
) -> None:
    monkeypatch.delenv("CONTRACTS_ANALYSIS_WORKERS", raising=False)
    monkeypatch.setattr("os.sched_getaffinity", lambda _pid: set(range(cpus)))
    assert Settings().analysis_workers == workers
    monkeypatch.setenv("CONTRACTS_ANALYSIS_WORKERS", "5")
    assert Settings().analysis_workers == 5


def test_bad_values_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONTRACTS_PORT", "99999")
    with pytest.raises(ValueError, match="port"):
        Settings()


def test_serve_refuses_a_bad_database_url_before_starting(cli: Cli) -> None:
    result = cli("serve", "--database-url", "nonsense", "--port", "0")
    assert result.exit_code == 2
    assert "not a database URL" in result.stderr


def test_serve_refuses_a_missing_contracts_folder(cli: Cli, tmp_path: Path) -> None:
    result = cli("serve", "--contracts-dir", str(tmp_path / "none"), "--database-url", "sqlite://")
    assert result.exit_code == 2
    assert "does not exist" in result.stderr


def test_serve_refuses_a_bad_setting_from_the_environment(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONTRACTS_WORKERS", "many")
    result = cli("serve")
    assert result.exit_code == 2
    assert "setting workers" in result.stderr


def test_serve_refuses_a_busy_port_before_starting(cli: Cli, tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = cli("serve", "--port", str(port), "--database-url", f"sqlite:///{tmp_path / 'c.db'}")
    assert result.exit_code == 2  # was uvicorn's exit 3 after a log line
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr
    assert "another --port" in result.stderr


def test_serve_logs_the_host_and_port_it_runs_on(tmp_path: Path) -> None:
    port = free_port()
    log = tmp_path / "log"
    with serve(
        contracts_cmd(
            "serve",
            "--port",
            str(port),
            "--database-url",
            f"sqlite:///{tmp_path / 'c.db'}",
            "--contracts-dir",
            str(CONTRACTS),
        ),
        port=port,
        ready_path="/healthz",
        output=log,
    ):
        pass
    starting = [json.loads(line) for line in log.read_text().splitlines() if '"starting"' in line]
    assert [s["settings"]["port"] for s in starting] == [port]  # was the default 8080
    assert starting[0]["settings"]["host"] == "127.0.0.1"
