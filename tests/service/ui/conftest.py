"""UI fixtures: a `contracts serve` process on the example contracts plus a fixture model contract,
verifications published to it, and Debian's headless Chromium driven by Selenium.

Screenshots go to ``tests/artifacts/ui/`` (gitignored); the path is printed at the end of the run.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.service.conftest import TOKEN, start
from tests.support.browser import chromium
from tests.support.paths import CONTRACTS, ROOT

ARTIFACTS = ROOT / "tests" / "artifacts" / "ui"
# What the pages are checked against: one passing and one failing run of one provider build.
PROVIDER, BUILD = "reco-service", "build-42"
FAILURE = {
    "operation": "getRecommendations",
    "check": "status_code_conformance",
    "message": "status 500 is not documented for POST /v1/recommendations",
    "request": {"customer_id": "C0001234", "context": {"channel": "web"}, "candidate_products": ["P00001"]},
    "response": {"status": 500, "body": {"error": "boom"}},
    "curl": "curl -X POST http://127.0.0.1:9000/v1/recommendations -H 'Content-Type: application/json' -d '{}'",
}


@dataclass
class UiService:
    """The running service, the ids of the published verifications, and where screenshots go."""

    url: str
    passed_id: int
    failed_id: int


def contracts_with_fixture(folder: Path) -> Path:
    """The example contracts plus ``tests/data/ui`` (a tensor model with every ML keyword, and a pre-release)."""
    target = folder / "contracts"
    shutil.copytree(CONTRACTS, target)
    for contract in (ROOT / "tests" / "data" / "ui").iterdir():
        shutil.copytree(contract, target / contract.name)
    return target


def publish(url: str, **record: object) -> int:
    """POST one verification record; its id."""
    response = httpx.post(
        url + "/api/v1/verifications", json=record, headers={"Authorization": f"Bearer {TOKEN}"}, timeout=30
    )
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


@pytest.fixture(scope="session")
def ui_service() -> Iterator[UiService]:
    """One service (SQLite) with a green and a red verification of ``reco-service build-42``."""
    with tempfile.TemporaryDirectory(prefix="contracts-ui-") as tmp:
        folder = Path(tmp)
        contracts = contracts_with_fixture(folder)
        with start(contracts, f"sqlite:///{folder / 'ui.db'}", output=folder / "serve.log") as url:
            common = {"provider": PROVIDER, "provider_version": BUILD, "contract": "recommendation-api"}
            passed = publish(url, **common, contract_version="1.1.0", ok=True, report={"ok": True, "cases": 40})
            failed = publish(
                url,
                **common,
                contract_version="2.0.0",
                ok=False,
                report={"ok": False, "cases": 40, "failures": [FAILURE]},
            )
            yield UiService(url, passed, failed)


@pytest.fixture(scope="session")
def artifacts() -> Iterator[Path]:
    """The screenshot folder (each run overwrites its files; never emptied, as xdist workers share it)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    yield ARTIFACTS
    print(f"\nUI screenshots: {ARTIFACTS}")


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium, headless, through the system chromedriver (never a downloaded browser)."""
    with chromium() as driver:
        yield driver
