"""The service as users scale it: `serve --workers 2`, and two service processes on one PostgreSQL.

Every worker starts and stays up, /metrics counts the requests of both workers, /admin/reload reaches
both, and a record written through one process reads the same, with the same can-i-deploy answer,
through another. Which worker answers is told by the ``pid`` of each access-log line.
"""

from __future__ import annotations

import json
import re
import shutil
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.support.paths import CONTRACTS

from .conftest import TOKEN, start

pytestmark = pytest.mark.slow  # several real service processes


@dataclass
class Workers:
    """A `contracts serve --workers 2`: its URL, contracts folder and log."""

    url: str
    contracts: Path
    log: Path

    def pids_of(self, path: str) -> set[int]:
        """The workers that logged an answer to ``path`` so far."""
        pids = set()
        for line in self.log.read_text().splitlines():
            if line.startswith("{"):
                entry = json.loads(line)
                if entry.get("message") == "request" and entry.get("path") == path:
                    pids.add(entry["pid"])
        return pids


@pytest.fixture(scope="module")
def workers(pg_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workers]:
    """Two workers on the run's PostgreSQL database, over a copy of the example contracts."""
    folder = tmp_path_factory.mktemp("workers")
    contracts = folder / "contracts"
    shutil.copytree(CONTRACTS, contracts)
    log = folder / "serve.log"
    with start(contracts, pg_url, args=("--workers", "2"), output=log) as base:
        yield Workers(base, contracts, log)


def _until_both_answered(workers: Workers, path: str, call: Callable[[], httpx.Response], most: int = 300) -> int:
    """Call (each on a new connection) until both workers have answered ``path``; how many calls it took."""
    for done in range(1, most + 1):
        assert call().status_code == 200
        if done >= 20 and len(workers.pids_of(path)) == 2:
            return done
    raise AssertionError(f"only workers {workers.pids_of(path)} answered {path} in {most} requests")


def _counted(metrics: str, route: str) -> float:
    """The 200 answers to GET ``route`` the metrics count."""
    labels = f'method="GET",route="{route}",status="200"'
    for line in metrics.splitlines():
        if line.startswith("contracts_http_requests_total{" + labels + "}"):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


def test_both_workers_start_and_none_dies(workers: Workers) -> None:
    deadline = time.monotonic() + 30
    log = workers.log.read_text()
    while log.count("Application startup complete") < 2:
        assert time.monotonic() < deadline, log[-3000:]
        time.sleep(0.2)
        log = workers.log.read_text()
    assert "died" not in log
    assert "Traceback" not in log


def test_metrics_count_the_requests_of_every_worker(workers: Workers) -> None:
    path = "/api/v1/contracts"
    before = _counted(httpx.get(workers.url + "/metrics").text, path)
    calls = _until_both_answered(workers, path, lambda: httpx.get(workers.url + path))
    # Asked several times: each answer comes from one worker or the other, and each counts both.
    for _ in range(5):
        after = _counted(httpx.get(workers.url + "/metrics").text, path)
        assert after - before == calls


def test_a_reload_reaches_every_worker(workers: Workers) -> None:
    new = workers.contracts / "recommendation-api" / "9.9.0"
    shutil.copytree(workers.contracts / "recommendation-api" / "2.0.0", new)
    openapi = new / "openapi.yaml"
    openapi.write_text(re.sub(r"(?m)^  version: 2\.0\.0$", "  version: 9.9.0", openapi.read_text()))
    path = "/api/v1/contracts/recommendation-api/versions/9.9.0"
    reloaded = httpx.post(workers.url + "/api/v1/admin/reload", headers={"Authorization": f"Bearer {TOKEN}"})
    assert reloaded.status_code == 200
    # Every answer, from either worker, knows the new version: not one 404.
    _until_both_answered(workers, path, lambda: httpx.get(workers.url + path, timeout=30))


def _record(provider: str, version: str, ok: bool) -> dict[str, object]:
    return {
        "provider": provider,
        "provider_version": "build-1",
        "contract": "recommendation-api",
        "contract_version": version,
        "ok": ok,
        "report": {"ok": ok, "cases": 3, "failures": [] if ok else [{"check": "status_code"}]},
    }


def test_a_record_written_through_one_process_reads_the_same_through_another(workers: Workers, pg_url: str) -> None:
    provider = f"scale-{uuid.uuid4().hex[:8]}"
    auth = {"Authorization": f"Bearer {TOKEN}"}
    with start(CONTRACTS, pg_url) as single:
        written = [
            httpx.post(single + "/api/v1/verifications", json=_record(provider, version, ok), headers=auth)
            for version, ok in (("1.0.0", True), ("1.1.0", False))
        ]
        assert {w.status_code for w in written} == {201}
        asked = {"provider": provider, "version": "build-1", "contract": "recommendation-api@1.0.0"}
        for contract in ("recommendation-api@1.0.0", "recommendation-api@1.1.0", "recommendation-api@2.0.0"):
            answers = [
                httpx.get(base + "/api/v1/can-i-deploy", params={**asked, "contract": contract}).json()
                for base in (single, workers.url, workers.url, workers.url)
            ]
            assert all(a == answers[0] for a in answers), contract
        for record in written:
            location = record.headers["location"]
            assert httpx.get(workers.url + location).json() == record.json()
        listed = [
            httpx.get(base + "/api/v1/verifications", params={"provider": provider}).json()
            for base in (single, workers.url)
        ]
    assert listed[0] == listed[1]
    assert [r["id"] for r in listed[0]["verifications"]] == [w.json()["id"] for w in reversed(written)]
