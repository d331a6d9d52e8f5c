"""The docs page of the mock and of the hosted mocks, as people see it: Chromium renders the OpenAPI 3.1
contract with Swagger UI and lists every operation; screenshots land in tests/artifacts/docs/."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.support.browser import chromium, save_screenshot
from tests.support.paths import CONTRACTS
from tests.support.servers import contracts_cmd, serve
from validator.loader import load


@pytest.fixture(scope="module")
def browser() -> Any:
    with chromium() as driver:
        yield driver


def _operations_shown(driver: Any, url: str) -> list[tuple[str, str]]:
    """(METHOD, path) of every operation block Swagger UI rendered on the page at ``url``."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get(url)
    WebDriverWait(driver, 60).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, ".opblock") or d.find_elements(By.CSS_SELECTOR, ".errors-wrapper")
    )
    assert "Unable to render this definition" not in driver.page_source
    blocks = driver.find_elements(By.CSS_SELECTOR, ".opblock")
    shown = []
    for block in blocks:
        method = block.find_element(By.CSS_SELECTOR, ".opblock-summary-method").text.strip()
        path = block.find_element(By.CSS_SELECTOR, ".opblock-summary-path").get_attribute("data-path")
        shown.append((method, path or ""))
    return shown


def _expected(ref: str) -> list[tuple[str, str]]:
    contract = load(ref, CONTRACTS)
    return sorted((op.method.upper(), op.path) for op in contract.operations)


@pytest.mark.parametrize("ref", ["recommendation-api@2.0.0", "client-scoring@1.0.0"])
def test_mock_docs_page_shows_every_operation(browser: Any, ref: str) -> None:
    argv = contracts_cmd("mock", ref, "--port", "{port}", "--contracts-dir", str(CONTRACTS))
    with serve(argv, ready_path="/__mock/health") as base:
        shown = _operations_shown(browser, base + "/__mock/docs")
        assert sorted(shown) == _expected(ref)
        assert "3.1" in browser.page_source  # Swagger UI's version badge: OAS 3.1
        shot = save_screenshot(browser, f"docs/mock-{ref.replace('@', '-')}.png")
    assert shot.stat().st_size > 10_000


def test_hosted_mock_docs_page_shows_every_operation(browser: Any, tmp_path: Path) -> None:
    database = f"sqlite:///{tmp_path / 'contracts.db'}"
    argv = contracts_cmd("serve", "--port", "{port}", "--database-url", database, "--contracts-dir", str(CONTRACTS))
    with serve(argv, ready_path="/healthz", env={"CONTRACTS_API_TOKENS": "t" * 32}) as base:
        shown = _operations_shown(browser, base + "/mocks/recommendation-api/1.1.0/__mock/docs")
        assert sorted(shown) == _expected("recommendation-api@1.1.0")
        save_screenshot(browser, "docs/hosted-mock-recommendation-api-1.1.0.png")
