"""Dogfood: `contracts test` of the service's own contract against the running service passes, and
`--publish` records the run so that can-i-deploy says yes for that build."""

from __future__ import annotations

import json
import subprocess

import httpx
import pytest

from tests.support.cli import Cli
from tests.support.paths import CONTRACTS
from tests.support.servers import contracts_cmd

from .conftest import TOKEN, Service

# The current version, and the released 1.0.0 that older clients were built against: the service keeps both.
VERSIONS = ["contracts-service@1.1.0", "contracts-service@1.0.0"]


@pytest.mark.parametrize("ref", VERSIONS)
def test_the_service_passes_its_own_contract_and_publishes_the_run(service: Service, ref: str) -> None:
    build = "dogfood-" + service.database_url.split(":", 1)[0]
    argv = contracts_cmd(
        "test",
        ref,
        "--base-url",
        service.url,
        "--contracts-dir",
        str(CONTRACTS),
        "--header",
        f"Authorization: Bearer {TOKEN}",
        "--seed",
        "7",
        "--max-examples",
        "12",
        "--format",
        "json",
        "--publish",
        service.url,
        "--provider",
        "contracts-service",
        "--provider-version",
        build,
    )
    done = subprocess.run(
        # 600 s: a guard against a hang, not a speed target (a loaded 2-core machine takes 4 minutes here).
        argv,
        capture_output=True,
        text=True,
        timeout=600,
        env={"CONTRACTS_API_TOKEN": TOKEN, "PATH": "/usr/bin:/bin"},
    )
    report = json.loads(done.stdout)
    assert done.returncode == 0, json.dumps(report["failures"], indent=1)[:4000]
    assert report["ok"] is True and report["cases"] > 100
    answer = httpx.get(
        service.url + "/api/v1/can-i-deploy",
        params={"provider": "contracts-service", "version": build, "contract": ref},
    ).json()
    assert answer["ok"] is True, answer["reason"]
    assert answer["verifications"][0]["report"]["cases"] == report["cases"]


def test_publish_needs_provider_and_version(cli: Cli) -> None:
    result = cli(
        "test", "recommendation-api@1.1.0", "--base-url", "http://127.0.0.1:9", "--publish", "http://127.0.0.1:9"
    )
    assert result.exit_code == 2
    assert "--provider NAME and --provider-version" in result.stderr


def test_publish_with_a_wrong_token_is_an_error_after_the_report(service: Service) -> None:
    argv = contracts_cmd(
        "test",
        "contracts-service@1.1.0",
        "--base-url",
        service.url,
        "--contracts-dir",
        str(CONTRACTS),
        "-o",
        "getHealth",
        "--max-examples",
        "2",
        "--publish",
        service.url,
        "--provider",
        "p",
        "--provider-version",
        "1",
        "--publish-token",
        "wrong",
    )
    done = subprocess.run(argv, capture_output=True, text=True, timeout=120, env={"PATH": "/usr/bin:/bin"})
    assert done.returncode == 2
    assert "refused the verification record (401)" in done.stderr
