"""The front desk's whole flow in a real browser, on a moving clock in Paris: scan a member in, time passes,
the pending list shows what is due, Stop prices the stay on a sale, the sale explains the price, cash is paid
with change, and the receipt PDF, rendered to a picture, says it all. Screenshots kept in artifacts/."""

from datetime import timedelta
from decimal import Decimal

import time_machine

from tests.browser import ARTIFACTS, MARKS, log_in, shot
from tests.catalog.conftest import CAR_PARK
from tests.conftest import PASSWORD, paris
from tests.sales.pages import pdf_image, pdf_text
from timetill.accounts.services import create_user
from timetill.catalog.services import ProductSpec, create_product, set_site_time_product
from timetill.customers.codes import make_ean13
from timetill.customers.services import create_customer
from timetill.sales.models import Sale
from timetill.sites.models import Site
from timetill.timelines.actors import Actor
from timetill.timelines.models import TimeLine

pytestmark = MARKS


def _front_desk() -> str:
    """A Paris car park priced by PRODUCT.md's rate tariff; a member's card; a cashier. Returns the code."""
    site = Site.objects.create(
        name="Parking Bellecour", slug="bellecour", time_zone="Europe/Paris", capacity=120
    )
    tariff = create_product(
        spec=ProductSpec(
            kind="time",
            internal_name="Car park (visitors)",
            short_name="Parking",
            vat_rate=Decimal("20"),
            tariff=CAR_PARK,
        ),
        actor=Actor.operator(),
    )
    set_site_time_product(site=site, group=None, product=tariff, actor=Actor.operator())
    code = make_ean13("200000000001")
    create_customer(name="Alice Martin", codes=[(code, "ean13")])
    create_user(username="desk", password=PASSWORD, role="cashier")
    return code


def test_scan_in_time_passes_stop_pay_cash_and_read_the_receipt(live_server, browser):
    code = _front_desk()
    page = browser.new_page(viewport={"width": 1024, "height": 768})
    # The server's clock (this process's) starts on a Monday morning in Paris and moves on by itself.
    with time_machine.travel(paris(2026, 3, 2, 10, 0), tick=True) as clock:
        log_in(page, live_server.url, "desk")
        page.keyboard.type(code)
        page.keyboard.press("Enter")
        pending = page.locator("section[aria-labelledby=pending-title]")
        row = pending.locator("article.line", has_text="Alice Martin")
        row.wait_for()
        assert "since 10:00" in row.inner_text()

        clock.shift(timedelta(hours=1, minutes=20))
        page.reload()
        # 1 h 20: the first hour whole (2.50), then two started quarters at 0.60.
        assert "€3.70" in row.locator(".line-due").inner_text()
        shot(page, "flow-1-due.png")

        row.get_by_role("button", name="Stop").click()
        flash = page.locator("#flash")
        flash.get_by_role("link", name="Pay").wait_for()
        sale = Sale.objects.get()
        assert f"Alice Martin checked out. €3.70 on sale {sale.pk}." in flash.inner_text()
        shot(page, "flow-2-stopped.png")

        flash.get_by_role("link", name="Pay").click()
        page.wait_for_url(f"{live_server.url}/till/sales/{sale.pk}/")
        explanation = page.locator(".sale-line", has_text="Parking").inner_text()
        assert "First hour 10:00–11:00: 1 × 1 h at €2.50 / 1 h = €2.50" in explanation
        assert "11:00–11:20: 2 × 15 min at €0.60 / 15 min = €1.20" in explanation
        assert "3.70" in page.locator(".pay-due").inner_text()

        page.get_by_label("Cash tendered").fill("5")
        page.locator("#pay-preview .preview-change").wait_for()
        assert "1.30" in page.locator("#pay-preview").inner_text()
        page.get_by_role("button", name="Confirm payment").click()
        page.locator(".receipt-number").wait_for()
        assert page.locator(".receipt-number").inner_text() == "000001"
        assert "Give €1.30 change." in page.locator("#flash").inner_text()
        shot(page, "flow-3-paid.png")

        response = page.request.get(f"{live_server.url}/till/sales/{sale.pk}/receipt.pdf")
        assert response.status == 200 and response.headers["content-type"] == "application/pdf"
        image = pdf_image(response.body(), scale=4)
        image.save(ARTIFACTS / "flow-4-receipt.png")
        width, height = image.size
        assert height > width  # an 80 mm roll
        assert 0.01 < sum(image.histogram()[:128]) / (width * height) < 0.5  # printed, not blank
        text = pdf_text(response.body())
        for expected in (
            "Receipt 000001",
            "02/03/2026 11:20",
            "Alice Martin",
            "First hour 10:00–11:00",
            "€3.70",
            "Cash tendered",
            "Change given",
            "1.30",
        ):
            assert expected in text, expected

        # Back at the desk: the stay is paid, and one click hides every paid stay.
        page.goto(f"{live_server.url}/timestamp/")
        stopped = page.locator("section[aria-labelledby=stopped-title]")
        assert "paid" in stopped.locator("article.line", has_text="Alice Martin").inner_text()
        stopped.get_by_role("button", name="Hide paid (1)").click()
        stopped.locator("article.line", has_text="Alice Martin").wait_for(state="detached")
        shot(page, "flow-5-hidden.png")
    assert TimeLine.objects.get().hidden
    assert Sale.objects.get().state == Sale.State.CLOSED
