"""The office's invoicing forms in a real browser, on a desktop and on a phone: a family's payers and split
with a wrong share told at its field, a payment above what is due, a credit note, a line added by hand."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine

from tests.browser import MARKS, log_in, shot
from tests.conftest import PASSWORD, paris
from timetill.accounts.services import create_user
from timetill.invoicing.invoices import issue_invoice
from timetill.invoicing.models import ChildShare, Invoice, Payment
from timetill.invoicing.month import parse_month
from timetill.invoicing.run import run_month

from . import triggers
from .conftest import OPERATOR

pytestmark = MARKS

NOW = paris(2026, 11, 20, 10, 0)


@pytest.fixture
def lifted_triggers():
    yield
    triggers.lift()  # the flush after this test deletes an issued invoice (harness only)


@pytest.fixture
def invoices(daycare, make_family, package, make_enrolment, product_week):
    _martin, (lea,) = make_family("Martin")
    durand, (zoe,) = make_family("Durand", children=("Zoé",), payers=2)
    for child in (lea, zoe):
        make_enrolment(child, package, date(2026, 9, 1))
    product_week(lea)
    run_month(site_id=daycare.pk, month=parse_month("2026-11"), actor=OPERATOR, at=paris(2026, 11, 2, 9))
    issued = issue_invoice(
        invoice_id=Invoice.objects.get(family__name="Martin").pk, actor=OPERATOR, at=paris(2026, 11, 3, 10)
    )
    return issued, Invoice.objects.get(family__name="Durand"), durand, zoe


def _fits(page, name: str) -> None:
    shot(page, name)
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{name}: the page scrolls sideways ({width}px)"


@pytest.mark.parametrize("viewport", [(1280, 900), (390, 844)], ids=["desktop", "phone"])
def test_the_office_forms_tell_each_mistake_at_its_field(
    live_server, browser, invoices, viewport, lifted_triggers
):
    issued, draft, durand, zoe = invoices
    create_user(username="office", password=PASSWORD, role="manager")
    size = "phone" if viewport[0] < 600 else "desktop"
    with time_machine.travel(NOW, tick=True):
        page = browser.new_page(viewport={"width": viewport[0], "height": viewport[1]})
        log_in(page, live_server.url, "office", then=f"/invoicing/families/{durand.pk}/edit/")
        page.locator(f"input[name=share_{zoe.pk}_1]").fill("60")
        page.locator(f"input[name=share_{zoe.pk}_2]").fill("30")
        page.get_by_role("button", name="Save the family").click()
        error = page.locator(f"[data-field=share_{zoe.pk}_2]")
        error.wait_for()
        assert error.inner_text() == "Zoé Durand: the shares add up to 90 %, not 100 %."
        _fits(page, f"invoicing-family-form-{size}.png")
        page.locator(f"input[name=share_{zoe.pk}_2]").fill("40")
        page.get_by_role("button", name="Save the family").click()
        page.locator(".flash", has_text="The family Durand is saved.").wait_for()
        assert sorted(ChildShare.objects.values_list("percent", flat=True)) == [Decimal(40), Decimal(60)]

        page.goto(f"{live_server.url}/invoicing/invoices/{issued.pk}/payment/")
        page.get_by_label("Paid by").select_option("card")
        page.get_by_label("Amount", exact=True).fill("500")
        page.get_by_role("button", name="Record the payment").click()
        page.locator("[data-field=amount]", has_text="more than what is due").wait_for()
        _fits(page, f"invoicing-payment-{size}.png")
        page.get_by_label("Amount", exact=True).fill("78")
        page.get_by_role("button", name="Record the payment").click()
        page.locator("[data-testid=invoice-due]", has_text="Due: €400.00").wait_for()
        assert Payment.objects.get().amount == 78

        page.goto(f"{live_server.url}/invoicing/invoices/{issued.pk}/credit-note/")
        page.get_by_label("Chosen lines").check()
        page.locator("[data-testid=credit-line]", has_text="Extra Hours").locator("input").fill("39")
        page.get_by_label("Why").fill("Two days billed twice")
        page.get_by_role("button", name="Issue the credit note").click()
        page.locator(".field-error", has_text="more than what remains of this line (38.00)").wait_for()
        _fits(page, f"invoicing-credit-note-{size}.png")

        page.goto(f"{live_server.url}/invoicing/invoices/{draft.pk}/lines/new/")
        page.get_by_label("Product", exact=True).select_option(
            label="Extra Hours 8-16 (amount typed by hand)"
        )
        page.get_by_role("button", name="Add the line").click()
        page.locator("[data-field=amount]", has_text="Type the amount").wait_for()
        _fits(page, f"invoicing-add-line-{size}.png")
        page.get_by_label("Amount (Daily Time products)").fill("12.50")
        page.get_by_role("button", name="Add the line").click()
        page.locator(".flash", has_text="Line added: Extra Hours, €12.50.").wait_for()
        _fits(page, f"invoicing-draft-{size}.png")
