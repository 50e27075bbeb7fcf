"""The language switch of the login page in a real browser (under the CSP), and the French Timestamp page on
a phone: translated, nothing wider than the screen. Screenshots in artifacts/."""

import pytest

from tests.browser import MARKS, log_in, shot

pytestmark = MARKS
PHONE = {"width": 390, "height": 844}


def _no_sideways_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


@pytest.mark.parametrize("language", ["fr", "it"])
def test_a_visitor_switches_the_login_page_to_french_or_italian(browser, live_server, db, language):
    page = browser.new_page(viewport=PHONE, locale="en-GB")
    page.goto(f"{live_server.url}/login/")
    assert page.locator("button[type=submit]").inner_text() == "Log in"
    with page.expect_navigation():
        page.select_option("select[name=language]", language)
    button = {"fr": "Se connecter", "it": "Accedi"}[language]
    assert page.locator("button[type=submit]").inner_text() == button
    assert page.locator("html").get_attribute("lang") == language
    _no_sideways_scroll(page)
    shot(page, f"i18n-login-{language}.png")


def test_the_timestamp_page_in_french_on_a_phone(browser, live_server, cashier, site):
    page = browser.new_page(viewport=PHONE, locale="fr-FR")
    log_in(page, live_server.url, cashier.username)
    assert page.locator(".scan-label").inner_text().startswith("Scannez une carte")
    assert "Présents" in page.locator("#pending-title").inner_text()
    _no_sideways_scroll(page)
    shot(page, "i18n-timestamp-fr-phone.png")
