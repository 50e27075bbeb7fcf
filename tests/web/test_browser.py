"""The Timestamp page in a real browser: log in, scan a code with Enter, stop the line; screenshots kept."""

import os
import shutil
from pathlib import Path

import time_machine
from django.utils import timezone

from tests.browser import ARTIFACTS, MARKS, log_in, shot
from tests.conftest import PASSWORD
from tests.web.scenes import desk_scene, next_weekday_morning
from timetill.accounts.services import create_user
from timetill.customers.codes import make_ean13
from timetill.customers.services import create_customer
from timetill.sites.models import Site

pytestmark = MARKS

README_SHOT = Path(__file__).resolve().parents[2] / "docs" / "screenshots" / "timestamp.png"


def test_scan_a_code_with_enter_then_stop_the_line(live_server, browser):
    Site.objects.create(name="Coworking Bellecour", slug="cowork", time_zone="Europe/Paris", capacity=40)
    code = make_ean13("200000000001")
    create_customer(name="Alice Martin", codes=[(code, "ean13")])
    create_user(username="desk", password=PASSWORD, role="cashier")

    page = browser.new_page(viewport={"width": 1024, "height": 768})
    log_in(page, live_server.url, "desk")
    # The scan field has the focus: a USB reader just types the code and Enter.
    assert page.evaluate("document.activeElement.id") == "scan-code"
    page.keyboard.type(code)
    page.keyboard.press("Enter")

    pending = page.locator("section[aria-labelledby=pending-title]")
    pending.locator("article.line", has_text="Alice Martin").wait_for()
    assert "Alice Martin checked in." in page.locator("#flash").inner_text()
    assert page.input_value("#scan-code") == ""
    assert page.evaluate("document.activeElement.id") == "scan-code"
    shot(page, "timestamp-after-scan.png")

    pending.locator("article.line", has_text="Alice Martin").get_by_role("button", name="Stop").click()
    stopped = page.locator("section[aria-labelledby=stopped-title]")
    stopped.locator("article.line", has_text="Alice Martin").wait_for()
    assert pending.locator("article.line").count() == 0
    assert "Alice Martin checked out." in page.locator("#flash").inner_text()
    # Clicking a button must not leave the reader typing into nowhere.
    assert page.evaluate("document.activeElement.id") == "scan-code"
    shot(page, "timestamp-after-stop.png")

    page.keyboard.type("2000000000010")  # a wrong check digit
    page.keyboard.press("Enter")
    page.locator("#flash .flash-error").wait_for()
    assert "check digit should be" in page.locator("#flash").inner_text()
    page.wait_for_timeout(300)  # let the message finish fading in
    shot(page, "timestamp-error.png")


def test_a_screenshot_of_the_timestamp_page(live_server, browser):
    """Artifacts always; the README's picture too when TIMETILL_UPDATE_SCREENSHOTS=1."""
    with time_machine.travel(next_weekday_morning(), tick=True):
        desk_scene(timezone.now())
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        log_in(page, live_server.url, "demo")
        page.keyboard.type("TICKET-0042")
        page.keyboard.press("Enter")
        page.locator("#flash .flash-ok").wait_for()
        page.locator("article.line", has_text="Alice Martin").get_by_role("button", name="Details").click()
        page.locator("#line-panel h2", has_text="Alice Martin").wait_for()
        page.wait_for_timeout(400)  # let the message finish fading in
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "timestamp-desk.png"))  # the first screen, as a person sees it
        if os.environ.get("TIMETILL_UPDATE_SCREENSHOTS") == "1":
            README_SHOT.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(ARTIFACTS / "timestamp-desk.png", README_SHOT)

        page.locator("#line-panel summary", has_text="Correct the times").click()
        page.locator("#line-panel").screenshot(path=str(ARTIFACTS / "timestamp-edit-times.png"))

        page.set_viewport_size({"width": 768, "height": 1024})
        shot(page, "timestamp-portrait.png")
        page.set_viewport_size({"width": 390, "height": 844})
        shot(page, "timestamp-phone.png")
