"""E-invoices in a real browser, on the demo: the office downloads an invoice's Factur-X and FatturaPA from
its page, and a parent their own from their phone; the pages fit a phone, a tablet and a desktop."""

import pytest
import time_machine
from django.core.management import call_command

from tests.browser import MARKS, shot
from tests.invoicing import triggers
from timetill.einvoice.facturx import xml_of_pdf
from timetill.invoicing.models import Invoice

from ..test_demo import DEMO_NOW

pytestmark = MARKS
SIZES = {"phone": (390, 844), "tablet": (820, 1180), "desktop": (1280, 900)}


def _log_in(page, base_url: str, username: str, password: str, then: str) -> None:
    page.goto(f"{base_url}/login/?next={then}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base_url}{then}")


# The e-invoice buttons that pass the screen's right edge.
WIDER = """[...document.querySelectorAll('[data-testid=einvoices] *')]
  .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1).map(e => e.textContent.trim())"""


def _fits(page) -> None:
    """No sideways scrolling, and every e-invoice button inside the screen."""
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    assert page.evaluate(WIDER) == []


@pytest.fixture
def demo(live_server):
    with time_machine.travel(DEMO_NOW, tick=False):
        call_command("demo")
    yield live_server
    triggers.lift()  # the flush that ends the test deletes issued documents


def test_the_office_and_a_parent_download_their_e_invoices(demo, browser):
    live_server = demo
    invoice = Invoice.objects.filter(state="issued", credit_notes__isnull=False).first()
    for name, (width, height) in SIZES.items():
        page = browser.new_page(viewport={"width": width, "height": height}, accept_downloads=True)
        _log_in(page, live_server.url, "office", "office-password", f"/invoicing/invoices/{invoice.pk}/")
        buttons = page.locator("[data-testid=einvoices] a")
        assert buttons.count() == 4  # the invoice and its credit note, each in both formats
        shot(page, f"einvoice-invoice-{name}.png")
        _fits(page)
        if name == "desktop":
            with page.expect_download() as download:
                page.click("text=Factur-X (PDF)")
            assert download.value.suggested_filename == f"{invoice.number}.pdf"
            assert invoice.number.encode() in xml_of_pdf(open(download.value.path(), "rb").read())
            with page.expect_download() as download:
                page.click("text=FatturaPA (XML)")
            assert download.value.suggested_filename.startswith("IT00743110157_")
        page.close()

    mine = Invoice.objects.filter(state="issued", payer__user__username="parent").first()
    page = browser.new_page(viewport={"width": 390, "height": 844}, accept_downloads=True)
    _log_in(page, live_server.url, "parent", "parent-password", f"/invoicing/mine/{mine.pk}/")
    shot(page, "einvoice-mine-phone.png")
    _fits(page)
    with page.expect_download() as download:
        page.click("text=FatturaPA (XML)")
    assert download.value.suggested_filename.endswith(".xml")
    page.close()
