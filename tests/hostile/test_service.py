"""The service under hostile documents: bounded answers (never 5xx) while /healthz keeps answering.

Compatibility requests run in the service's analysis workers; validate and the hosted mocks meet
hostile payloads with the step-bounded regex engine. Every answer is awaited with a client timeout,
so a hang fails the test instead of stalling the run.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.hostile.build_fixtures import BOMBS, CASES, CONTRACTS, CYCLES, DOCUMENTS
from tests.hostile.conftest import document
from tests.service.conftest import start
from tests.support.servers import contracts_cmd, free_port

pytestmark = pytest.mark.slow  # real processes: seconds per case
CLIENT_TIMEOUT = 60.0  # far beyond the service's 20 s analysis limit: only a hang reaches it
COMPAT = "/api/v1/contracts/hostile/compatibility"


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("hostile-service")
    shutil.copytree(CONTRACTS, folder / "contracts")
    # A bomb among the hosted versions too (a pull request merged without the gate).
    (folder / "contracts" / "hostile" / "1.1.0").mkdir()
    shutil.copyfile(DOCUMENTS / "anyof-bomb.json", folder / "contracts" / "hostile" / "1.1.0" / "openapi.yaml")
    with start(folder / "contracts", f"sqlite:///{folder / 'db.sqlite'}") as base:
        yield base


def check_compatibility(base: str, case: str) -> httpx.Response:
    return httpx.post(base + COMPAT, json={"document": document(case), "against": "1.0.0"}, timeout=CLIENT_TIMEOUT)


@pytest.mark.parametrize("case", sorted(CASES))
def test_every_hostile_document_gets_a_bounded_answer(service: str, case: str) -> None:
    answer = check_compatibility(service, case)
    assert answer.status_code in (200, 422), answer.text
    body = answer.json()
    if case in CYCLES:
        assert answer.status_code == 200
        assert body["compatible"] is False and body["valid"] is False
        assert "$ref cycle" in body["problems"][0]["message"]
    elif case in BOMBS | {"required-fan"}:
        assert answer.status_code == 422
        assert body["title"] == "Too complex"
        assert body["errors"][0]["pointer"].startswith("/document/components/schemas/")
    else:  # patterns: judged (the witness search never runs Python's backtracking matcher)
        assert answer.status_code == 200
        assert body["compatible"] is False


def test_healthz_answers_while_ten_hostile_analyses_run(service: str) -> None:
    cases = sorted(BOMBS | CYCLES | {"required-fan", "pattern-lookahead", "pattern-backtracking"})
    statuses: list[int] = []

    def hostile(case: str) -> None:
        statuses.append(check_compatibility(service, case).status_code)

    threads = [threading.Thread(target=hostile, args=(cases[i % len(cases)],)) for i in range(10)]
    for thread in threads:
        thread.start()
    health: list[int] = []
    with httpx.Client(base_url=service, timeout=5.0) as client:
        while any(t.is_alive() for t in threads) or not health:
            health.append(client.get("/healthz").status_code)
    for thread in threads:
        thread.join()
    assert set(health) == {200}
    assert len(statuses) == 10 and all(s in (200, 422) for s in statuses), statuses


def test_validate_answers_a_payload_past_the_regex_step_limit_with_422(service: str) -> None:
    body = {"operation": "steps", "direction": "request", "payload": {"s": "a" * 60}}
    answer = httpx.post(
        service + "/api/v1/contracts/hostile/versions/1.0.0/validate", json=body, timeout=CLIENT_TIMEOUT
    )
    assert answer.status_code == 422
    assert answer.json()["title"] == "Too complex"
    assert "backtracking steps" in answer.json()["detail"]


def test_the_hosted_mock_answers_a_payload_past_the_regex_step_limit_with_422(service: str) -> None:
    answer = httpx.post(service + "/mocks/hostile/1.0.0/steps", json={"s": "a" * 60}, timeout=CLIENT_TIMEOUT)
    assert answer.status_code == 422
    assert "backtracking steps" in answer.text


def unanswered(base: str, case: str) -> None:
    """A request that may be cut by the service stopping."""
    with contextlib.suppress(httpx.TransportError):
        check_compatibility(base, case)


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/mocks/hostile/1.1.0/p"),
        ("GET", "/api/v1/contracts/hostile/versions/1.1.0"),
        ("POST", "/api/v1/contracts/hostile/versions/1.1.0/validate"),
    ],
)
def test_a_hosted_bomb_is_refused_as_too_complex(service: str, method: str, path: str) -> None:
    body = {"operation": "p", "direction": "request", "payload": {"x": 1}}
    answer = httpx.request(method, service + path, json=body if method == "POST" else None, timeout=CLIENT_TIMEOUT)
    assert answer.status_code == 422, answer.text
    assert "too complex" in answer.text


def test_an_analysis_past_the_time_limit_is_422_and_sigterm_still_stops_the_service(tmp_path: Path) -> None:
    shutil.copytree(CONTRACTS, tmp_path / "contracts")
    port = free_port()
    env: dict[str, Any] = {**os.environ, "CONTRACTS_MAX_SECONDS": "0.001", "NO_COLOR": "1"}
    argv = contracts_cmd(
        "serve",
        "--port",
        str(port),
        "--database-url",
        f"sqlite:///{tmp_path / 'db.sqlite'}",
        "--contracts-dir",
        str(tmp_path / "contracts"),
    )
    log = (tmp_path / "serve.log").open("wb")
    proc = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True)
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(600):
            try:
                httpx.get(base + "/healthz", timeout=1.0)
                break
            except httpx.TransportError:
                proc.poll()
                assert proc.returncode is None, (tmp_path / "serve.log").read_text()
                threading.Event().wait(0.05)
        answer = check_compatibility(base, "pattern-lookahead")
        assert answer.status_code == 422
        assert "took longer than 0.001 s" in answer.json()["detail"]
        background = [threading.Thread(target=unanswered, args=(base, c)) for c in sorted(BOMBS)]
        for thread in background:
            thread.start()
        os.kill(proc.pid, signal.SIGTERM)
        # uvicorn shuts down gracefully, then ends by the signal it caught (status -15).
        assert proc.wait(timeout=20) in (0, -signal.SIGTERM)
        for thread in background:
            thread.join()
    finally:
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
        log.close()
