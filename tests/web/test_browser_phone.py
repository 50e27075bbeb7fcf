"""The Timestamp page on a phone (390 px wide): the line panel, its times block and the user menu fit."""

import pytest
import time_machine
from django.utils import timezone

from tests.browser import ARTIFACTS, MARKS, log_in, shot
from tests.web.scenes import desk_scene, next_weekday_morning

pytestmark = MARKS

PHONE = {"width": 390, "height": 844}
PAGE_WIDTH = "document.documentElement.scrollWidth"


def _right_edge(page, selector: str) -> float:
    return page.evaluate(f"document.querySelector({selector!r}).getBoundingClientRect().right")


def test_the_line_panel_and_the_user_menu_fit_a_phone(live_server, browser):
    with time_machine.travel(next_weekday_morning(), tick=True):
        desk_scene(timezone.now())
        page = browser.new_page(viewport=PHONE)
        log_in(page, live_server.url, "demo")
        page.locator("article.line", has_text="Alice Martin").get_by_role("button", name="Details").click()
        page.locator("#line-panel h2", has_text="Alice Martin").wait_for()
        page.locator("#line-panel summary", has_text="Correct the times").click()
        start = page.locator("#line-panel input[name=start]")
        start.wait_for()
        page.wait_for_timeout(300)  # let the message finish fading in
        assert page.evaluate(PAGE_WIDTH) <= PHONE["width"]
        # Start and end stand one under the other, each as wide as the panel.
        end = page.locator("#line-panel input[name=end]")
        assert end.bounding_box()["y"] > start.bounding_box()["y"] + start.bounding_box()["height"]
        assert _right_edge(page, "#line-panel input[name=start]") <= _right_edge(page, "#line-panel")
        shot(page, "timestamp-phone-edit-times.png")
        page.locator("#line-panel").screenshot(path=str(ARTIFACTS / "timestamp-phone-panel.png"))

        page.evaluate("window.scrollTo(0, 0)")
        page.locator(".user-menu summary").click()
        page.locator(".user-menu .menu").wait_for()
        assert page.evaluate(PAGE_WIDTH) <= PHONE["width"]
        assert 0 <= page.evaluate("document.querySelector('.user-menu .menu').getBoundingClientRect().left")
        assert _right_edge(page, ".user-menu .menu") <= PHONE["width"]
        page.screenshot(path=str(ARTIFACTS / "timestamp-phone-menu.png"))  # the screen, as a person sees it


@pytest.mark.parametrize("viewport", [PHONE, {"width": 1024, "height": 768}], ids=["phone", "tablet"])
def test_the_pay_button_of_a_check_out_leads_to_its_sale(live_server, browser, viewport):
    with time_machine.travel(next_weekday_morning(), tick=True):
        desk_scene(timezone.now())
        page = browser.new_page(viewport=viewport)
        log_in(page, live_server.url, "demo")
        page.locator("article.line", has_text="Farid Benali").get_by_role("button", name="Stop").click()
        flash = page.locator("#flash .flash-ok", has_text="Farid Benali checked out.")
        flash.wait_for()
        pay = flash.get_by_role("link", name="Pay")
        assert pay.is_visible()
        assert page.evaluate(PAGE_WIDTH) <= viewport["width"]
        page.evaluate("window.scrollTo(0, 0)")  # the message sits under the scan field
        page.wait_for_timeout(300)  # let the message finish fading in
        page.screenshot(path=str(ARTIFACTS / f"timestamp-pay-{viewport['width']}.png"))
        sale_url = pay.get_attribute("href")
        # Hugo's stay (stopped earlier, not paid) has its own Pay link in the stopped list.
        stopped = page.locator("section[aria-labelledby=stopped-title]")
        assert (
            stopped.locator("article.line", has_text="Hugo Roux").get_by_role("link", name="Pay").is_visible()
        )
        assert (
            stopped.locator("article.line", has_text="David Moreau").get_by_role("link", name="Pay").count()
            == 0
        )
        pay.click()
        page.wait_for_url(f"{live_server.url}{sale_url}")
        assert "Farid Benali" in page.content() or "Coworking" in page.content()
