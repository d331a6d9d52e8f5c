"""What a person sees in the web catalogue, in a real headless Chromium: each page type, the links
between them, the can-i-deploy form; a screenshot of each page under tests/artifacts/ui/."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from tests.support.browser import navigate_by, screenshot

from .conftest import BUILD, PROVIDER, UiService

Driver = Any


def _texts(driver: Driver, css: str) -> list[str]:
    return [e.text for e in driver.find_elements(By.CSS_SELECTOR, css)]


def _rgb(value: str) -> tuple[int, ...]:
    inside = value[value.index("(") + 1 : value.index(")")]
    return tuple(int(float(p)) for p in inside.split(",")[:3])


def test_catalogue_lists_every_contract_and_search_narrows_it(
    browser: Driver, ui_service: UiService, artifacts: Path
) -> None:
    browser.get(ui_service.url + "/ui/")
    titles = _texts(browser, ".card h2 a")
    assert {"Recommendation API", "Client Scoring API", "Churn Model"} <= set(titles)
    churn = next(c for c in browser.find_elements(By.CSS_SELECTOR, ".card") if "Churn Model" in c.text)
    assert "Retention analytics" in churn.text  # owner from info.contact
    assert "1.1.0-rc.1" in churn.text and "Pre-releases" in churn.text
    reco = next(c for c in browser.find_elements(By.CSS_SELECTOR, ".card") if "Recommendation API" in c.text)
    assert "1 recorded" not in reco.text and "2 recorded" in reco.text  # the two published verifications
    screenshot(browser, artifacts / "catalogue.png")

    box = browser.find_element(By.ID, "q")
    box.send_keys("churn")
    navigate_by(browser, browser.find_element(By.CSS_SELECTOR, "form.search button"))
    assert browser.current_url.endswith("/ui/?q=churn")
    assert _texts(browser, ".card h2 a") == ["Churn Model"]
    screenshot(browser, artifacts / "catalogue-search.png")


def test_version_page_shows_operations_schemas_ml_keywords_scenarios_and_slos(
    browser: Driver, ui_service: UiService, artifacts: Path
) -> None:
    browser.get(ui_service.url + "/ui/")
    navigate_by(browser, browser.find_element(By.LINK_TEXT, "Churn Model"))
    assert browser.current_url.endswith("/ui/contracts/churn-model/1.0.0")
    assert browser.find_element(By.TAG_NAME, "h1").text.startswith("Churn Model")
    rows = _texts(browser, "table.ops tbody tr")
    assert rows == ["POST /v2/models/churn/infer Score a batch of subscribers"]
    page = browser.find_element(By.TAG_NAME, "main").text
    assert "each item: tensor input-0: FP32, batch x 3" in page
    # Nested members are folded away until opened (no JavaScript: <details>).
    member = browser.find_element(By.CSS_SELECTOR, "tr.nested details table")
    assert not member.is_displayed()
    while closed := browser.find_elements(By.CSS_SELECTOR, "tr.nested details:not([open]) > summary"):
        closed[0].click()
    assert member.is_displayed()
    page = browser.find_element(By.TAG_NAME, "main").text
    assert "each item: the items add up to 1 (± 1e-06)" in page  # on the rows of the output tensor's data
    assert "95% of requests answered within 80 ms" in page
    assert "one body /outputs/0/data item per body /inputs/0/data item, in the same order" in page
    scenario = browser.find_element(By.CSS_SELECTOR, "table.scenarios tbody tr")
    assert scenario.find_element(By.TAG_NAME, "th").text.startswith("two-subscribers")
    assert "numbers within ± 0.01; ignoring /model_version" in scenario.text
    assert "inputs[1].data = [12, 1, 0.5], [400, 0, 0]" not in scenario.text  # nested rows are flattened
    assert "outputs[1].datatype = FP32" in scenario.text
    screenshot(browser, artifacts / "version-churn-model.png")

    # The recommendation API's page: the operation list a partner reads first.
    browser.get(ui_service.url + "/ui/contracts/recommendation-api/2.0.0")
    ops = _texts(browser, "table.ops tbody tr")
    assert ops == [
        "POST /v1/recommendations Rank products for a customer",
        "GET /v1/models/current The model version and A/B variants currently serving",
    ]
    members = browser.find_element(By.CSS_SELECTOR, "table.members").text
    assert "customer_id" in members and "yes" in members
    screenshot(browser, artifacts / "version-recommendation-api.png")

    browser.set_window_size(390, 844)  # a phone
    try:
        browser.get(ui_service.url + "/ui/contracts/churn-model/1.0.0")
        scroll = browser.execute_script("return document.documentElement.scrollWidth")
        assert scroll <= 400, f"the page is {scroll}px wide on a 390px phone"
        screenshot(browser, artifacts / "version-churn-model-phone.png", width=390)
    finally:
        browser.set_window_size(1280, 900)


def test_business_scenario_row_on_the_service_contract(browser: Driver, ui_service: UiService, artifacts: Path) -> None:
    browser.get(ui_service.url + "/ui/contracts/contracts-service/1.0.0#scenarios")
    rows = browser.find_elements(By.CSS_SELECTOR, "table.scenarios tbody tr")
    first = rows[0].text
    assert "valid-request" in first and "exactly as written" in first and "ok = true" in first
    screenshot(browser, artifacts / "version-contracts-service.png")


def test_changelog_shows_breaking_changes_first_with_witness_and_bump(
    browser: Driver, ui_service: UiService, artifacts: Path
) -> None:
    browser.get(ui_service.url + "/ui/contracts/recommendation-api/1.1.0")
    Select(browser.find_element(By.ID, "other")).select_by_visible_text("2.0.0")
    navigate_by(browser, browser.find_element(By.CSS_SELECTOR, "form.inline button"))
    Select(browser.find_element(By.ID, "from")).select_by_visible_text("1.1.0")
    navigate_by(browser, browser.find_element(By.CSS_SELECTOR, "form.inline button"))
    assert "from=1.1.0" in browser.current_url and "to=2.0.0" in browser.current_url
    assert "Required version bump: major" in browser.find_element(By.CSS_SELECTOR, ".summary").text
    changes = browser.find_elements(By.CSS_SELECTOR, "ol.changes > li")
    verdicts = [c.get_attribute("class") for c in changes]
    assert verdicts[0] == "change breaking"
    assert verdicts == sorted(verdicts)  # every breaking change before every compatible one
    closed = next(c for c in changes if "property 'n' removed from a closed object" in c.text)
    witness = closed.find_element(By.CSS_SELECTOR, ".witness pre").text
    assert '"n": 1' in witness
    assert "valid under 1.1.0, invalid under 2.0.0" in closed.text
    screenshot(browser, artifacts / "changelog.png")


def test_matrix_cells_are_red_and_green_and_lead_to_the_report(
    browser: Driver, ui_service: UiService, artifacts: Path
) -> None:
    browser.get(ui_service.url + "/ui/")
    navigate_by(browser, browser.find_element(By.LINK_TEXT, "Verifications"))
    Select(browser.find_element(By.ID, "contract-pick")).select_by_value("recommendation-api")
    navigate_by(browser, browser.find_element(By.CSS_SELECTOR, "form.inline button"))
    row = next(r for r in browser.find_elements(By.CSS_SELECTOR, "table.matrix tbody tr") if PROVIDER in r.text)
    green = row.find_element(By.CSS_SELECTOR, "td.cell.pass")
    red = row.find_element(By.CSS_SELECTOR, "td.cell.fail")
    assert green.get_attribute("data-label") == "1.1.0" and "passed" in green.text
    assert red.get_attribute("data-label") == "2.0.0" and "failed" in red.text
    g, r = _rgb(green.value_of_css_property("background-color")), _rgb(red.value_of_css_property("background-color"))
    assert g[1] > g[0] and g[1] > g[2], g  # green
    assert r[0] > r[1] and r[0] > r[2], r  # red
    screenshot(browser, artifacts / "matrix.png")

    navigate_by(browser, red.find_element(By.TAG_NAME, "a"))
    assert browser.current_url.endswith(f"/ui/verifications/{ui_service.failed_id}")
    page = browser.find_element(By.TAG_NAME, "main").text
    assert "Failed: reco-service build-42" in page
    assert (
        "curl -X POST http://127.0.0.1:9000/v1/recommendations"
        in browser.find_element(By.CSS_SELECTOR, "pre.curl").text
    )
    screenshot(browser, artifacts / "verification.png")


def test_can_i_deploy_form_answers_yes_and_no_with_the_reason(
    browser: Driver, ui_service: UiService, artifacts: Path
) -> None:
    def ask(contract: str) -> str:
        browser.get(ui_service.url + "/ui/verifications?contract=recommendation-api")
        for field, value in (("provider", PROVIDER), ("version", BUILD), ("contract", contract)):
            box = browser.find_element(By.ID, field)
            box.clear()
            box.send_keys(value)
        navigate_by(browser, browser.find_element(By.CSS_SELECTOR, "form.deploy button"))
        return str(browser.find_element(By.CSS_SELECTOR, ".answer").text)

    yes = ask("recommendation-api@1.1.0")
    assert yes.startswith("Yes: reco-service build-42 against recommendation-api@1.1.0")
    assert f"verification {ui_service.passed_id}" in yes
    screenshot(browser, artifacts / "can-i-deploy-yes.png")
    no = ask("recommendation-api@2")
    assert no.startswith("No: reco-service build-42 against recommendation-api@2.0.0")
    assert "failed" in no
    screenshot(browser, artifacts / "can-i-deploy-no.png")

    browser.get(ui_service.url + "/ui/can-i-deploy?provider=reco-service&version=build-42&contract=Not+A+Ref")
    assert browser.find_element(By.ID, "contract").get_attribute("aria-invalid") == "true"
    assert "not valid" in browser.find_element(By.ID, "contract-err").text
    screenshot(browser, artifacts / "can-i-deploy-invalid.png")


def test_an_unknown_contract_is_a_page_saying_what_exists(
    browser: Driver, ui_service: UiService, artifacts: Path
) -> None:
    browser.get(ui_service.url + "/ui/contracts/no-such-model/1.0.0")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Unknown contract"
    assert "recommendation-api" in browser.find_element(By.TAG_NAME, "main").text
    screenshot(browser, artifacts / "not-found.png")
