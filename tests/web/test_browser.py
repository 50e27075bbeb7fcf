"""The Timestamp page in a real browser: log in, scan a code with Enter, stop the line; screenshots kept."""

import os
import shutil
from datetime import datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from tests.conftest import PASSWORD
from timetill.accounts.services import create_user
from timetill.catalog.services import ProductSpec, create_product, set_site_time_product
from timetill.customers.codes import make_ean13
from timetill.customers.models import CustomerGroup
from timetill.customers.services import create_customer
from timetill.demo import COWORKING
from timetill.sales.services import PaymentSpec, close_sale
from timetill.sales.stays import stop_and_price
from timetill.sites.models import Site
from timetill.timelines.actors import Actor
from timetill.timelines.models import Via
from timetill.timelines.services import lines as line_service
from timetill.timelines.services.scan import check_in

# Playwright's sync API runs an event loop in this thread; the test's own ORM calls are still synchronous.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"
README_SHOT = Path(__file__).resolve().parents[2] / "docs" / "screenshots" / "timestamp.png"
PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's Chromium is not installed (make test installs it)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]
        )
        yield chromium
        chromium.close()


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)


def log_in(page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base_url}/timestamp/")


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


def _next_weekday_morning() -> datetime:
    """A Tuesday 10:40 in Paris after today: a steady scene, later than the browser's clock (cookies)."""
    day = timezone.now().astimezone(PARIS).date() + timedelta(days=1)
    while day.weekday() != 1:
        day += timedelta(days=1)
    return datetime.combine(day, time(10, 40), tzinfo=PARIS)


def _desk_scene(now: datetime) -> None:
    site = Site.objects.create(
        name="Coworking Bellecour", slug="cowork", time_zone="Europe/Paris", capacity=40, max_stay_minutes=600
    )
    members, visitors = (
        CustomerGroup.objects.create(name="Members"),
        CustomerGroup.objects.create(name="Visitors"),
    )
    manager = create_user(username="demo", password=PASSWORD, role="manager")
    actor = Actor.for_user(manager, via=Via.SCAN)
    coworking = create_product(
        spec=ProductSpec(
            internal_name="Coworking by the hour",
            short_name="Coworking",
            kind="time",
            vat_rate=Decimal(20),
            tariff=COWORKING,
        ),
        actor=actor,
    )
    set_site_time_product(site=site, group=None, product=coworking, actor=actor)
    people = [
        ("Chloé Durand", visitors, timedelta(days=1, hours=2, minutes=5)),
        ("Alice Martin", members, timedelta(hours=2, minutes=25)),
        ("Bruno Lefèvre", members, timedelta(hours=1, minutes=10)),
        ("Farid Benali", members, timedelta(minutes=35)),
        ("Emma Petit", visitors, timedelta(minutes=12)),
    ]
    lines = {}
    for index, (name, group, ago) in enumerate(people, start=1):
        customer = create_customer(
            name=name, group=group, codes=[(make_ean13(f"2000000001{index:02d}"), "ean13")]
        )
        lines[name] = check_in(site=site, customer=customer, actor=actor, at=now - ago)
    line_service.set_note(line_id=lines["Bruno Lefèvre"].pk, note="locker 12", actor=actor, at=now)
    for index, (name, start, length) in enumerate(
        [
            ("David Moreau", timedelta(hours=2, minutes=40), timedelta(hours=1, minutes=55)),
            ("Hugo Roux", timedelta(hours=2, minutes=5), timedelta(minutes=50)),
        ],
        start=1,
    ):
        customer = create_customer(
            name=name, group=members, codes=[(make_ean13(f"2000000002{index:02d}"), "ean13")]
        )
        line = check_in(site=site, customer=customer, actor=actor, at=now - start)
        with time_machine.travel(now - start + length, tick=False):
            _, sale_line = stop_and_price(time_line_id=line.pk, actor=actor, at=timezone.now())
        if name == "David Moreau":  # paid: the stopped list offers to hide it
            payment = PaymentSpec("card", sale_line.gross)
            close_sale(sale_id=sale_line.sale_id, payments=[payment], actor=actor, at=now)


def test_a_screenshot_of_the_timestamp_page(live_server, browser):
    """Artifacts always; the README's picture too when TIMETILL_UPDATE_SCREENSHOTS=1."""
    with time_machine.travel(_next_weekday_morning(), tick=True):
        _desk_scene(timezone.now())
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
