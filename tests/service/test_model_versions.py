"""`contracts test --publish` records the model versions and variants a run observed; can-i-deploy can require one."""

from __future__ import annotations

import json
import subprocess
import sys

import httpx

from tests.support.paths import CONTRACTS, ROOT
from tests.support.servers import contracts_cmd, serve

from .conftest import TOKEN, Service


def test_published_run_names_the_model_version_and_can_i_deploy_requires_it(service: Service) -> None:
    build = "reco-build-" + service.database_url.split(":", 1)[0]
    reference = [sys.executable, str(ROOT / "examples" / "recommendation-service" / "serve.py"), "--port", "{port}"]
    with serve(reference, ready_path="/v1/models/current") as base:
        argv = contracts_cmd(
            "test", "recommendation-api@1.2.0", "--base-url", base, "--contracts-dir", str(CONTRACTS),
            "--seed", "3", "--max-examples", "8", "--exclude-check", "latency_slo", "--format", "json",
            "--publish", service.url, "--provider", "reco", "--provider-version", build,
        )  # fmt: skip
        done = subprocess.run(
            argv,
            capture_output=True,
            text=True,
            timeout=300,
            env={"CONTRACTS_API_TOKEN": TOKEN, "PATH": "/usr/bin:/bin"},
        )
    report = json.loads(done.stdout)
    assert done.returncode == 0, json.dumps(report["failures"], indent=1)[:3000]
    assert report["observed"]["model_versions"] == ["reco-2026.02.1"]
    assert sorted(report["observed"]["variants"]) == ["control", "treatment"]
    ask = {"provider": "reco", "version": build, "contract": "recommendation-api@1.2.0"}
    with httpx.Client(base_url=service.url) as c:
        stored = c.get("/api/v1/verifications", params={"provider": "reco", "provider_version": build}).json()
        served = c.get("/api/v1/can-i-deploy", params={**ask, "model_version": "reco-2026.02.1"}).json()
        other = c.get("/api/v1/can-i-deploy", params={**ask, "model_version": "reco-2026.03.1"}).json()
        plain = c.get("/api/v1/can-i-deploy", params=ask).json()
    record = stored["verifications"][0]
    assert record["report"]["observed"]["model_versions"] == ["reco-2026.02.1"]
    assert served["ok"] is True and "serving model version reco-2026.02.1" in served["reason"]
    assert served["model_version"] == "reco-2026.02.1"
    assert other["ok"] is False and "not only reco-2026.03.1" in other["reason"]
    assert plain["ok"] is True
