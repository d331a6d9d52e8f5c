"""Debian's Chromium, headless, driven through the system chromedriver by Selenium (never a downloaded browser).

``scripts/ensure-chromium.sh`` (run by ``make test``) installs both packages when missing. Screenshots go to
``tests/artifacts/`` (ignored by git) for people to look at after a run.
"""

from __future__ import annotations

import base64
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
# No network but 127.0.0.1: no QUIC, no background updates or sync, no first-run dialogs.
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
)


@contextmanager
def chromium(width: int = 1280, height: int = 900) -> Iterator[Any]:
    """A Selenium Chrome driver on Debian's Chromium with a fresh profile; quit on exit."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        pytest.fail("Debian's chromium and chromium-driver are needed: bash scripts/ensure-chromium.sh installs them")
    with tempfile.TemporaryDirectory(prefix="contracts-chromium-") as profile:
        options = webdriver.ChromeOptions()
        options.binary_location = str(CHROMIUM)
        for flag in (*FLAGS, f"--user-data-dir={profile}", f"--window-size={width},{height}"):
            options.add_argument(flag)
        driver = webdriver.Chrome(options=options, service=Service(executable_path=str(CHROMEDRIVER)))
        driver.set_page_load_timeout(60)
        try:
            yield driver
        finally:
            driver.quit()


def screenshot(driver: Any, path: Path, *, width: int = 1280) -> Path:
    """A full-page PNG at ``path`` (the viewport stretched to the page's height)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    metrics = driver.execute_cdp_cmd("Page.getLayoutMetrics", {})
    height = min(int(metrics["cssContentSize"]["height"]) + 1, 12000)
    clip = {"x": 0, "y": 0, "width": width, "height": height, "scale": 1}
    shot = driver.execute_cdp_cmd(
        "Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True, "clip": clip}
    )
    path.write_bytes(base64.b64decode(shot["data"]))
    assert path.stat().st_size > 1000, f"{path}: an empty screenshot"
    return path


def save_screenshot(driver: Any, name: str, *, width: int = 1280) -> Path:
    """A full-page PNG under ``tests/artifacts/``."""
    return screenshot(driver, ARTIFACTS / name, width=width)


def navigate_by(driver: Any, element: Any, timeout: float = 30) -> None:
    """Click what starts a navigation (a link, a submit button) and return once the new page has loaded.

    A click only starts the navigation: reading the page right after it may read the page being left.
    The old page is marked through its ``window``; the new page's window has no mark. (Waiting for an old
    element to go stale is racy: chromedriver may answer "node does not belong to the document".)
    """
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.support.wait import WebDriverWait

    driver.execute_script("window.__leaving = true;")
    element.click()
    # A script run while the old page unloads may fail ("execution context was destroyed"): ask again.
    WebDriverWait(driver, timeout, ignored_exceptions=(WebDriverException,)).until(
        lambda d: d.execute_script("return window.__leaving !== true && document.readyState === 'complete'")
    )
