"""The till in a real browser: a stay priced by a ladder plus a coffee, cash with change, the receipt number;
then the receipt page and its PDF, rendered to a picture and read back. Screenshots kept in artifacts/."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.browser import ARTIFACTS, MARKS, log_in, shot
from tests.conftest import PASSWORD
from tests.sales.pages import pdf_text
from timetill.accounts.services import create_user
from timetill.catalog.services import ProductSpec, VariantSpec, create_product, set_site_time_product
from timetill.customers.services import create_customer
from timetill.sales.models import Sale
from timetill.sales.stays import link_time_line, stop_and_price
from timetill.sites.models import Site
from timetill.timelines.actors import Actor
from timetill.timelines.services.scan import check_in

pytestmark = MARKS

D = Decimal


def _till_scene() -> Sale:
    """A billiard table (a price ladder) that prices stays, a coffee, a book; Chloé played 1 h 10."""
    site = Site.objects.create(
        name="Billiard Bellecour", slug="billiard", time_zone="Europe/Paris", capacity=12
    )
    cashier = create_user(username="desk", password=PASSWORD, role="cashier")
    actor = Actor.for_user(cashier)
    operator = Actor.operator()
    billiard = create_product(
        spec=ProductSpec(
            kind="ladder",
            internal_name="Billiard table (per step)",
            short_name="Billiard",
            vat_rate=D("20"),
            variants=(VariantSpec("1 hour", 60, D("6.00")), VariantSpec("2 hours", 120, D("11.00"))),
        ),
        actor=operator,
    )
    set_site_time_product(site=site, group=None, product=billiard, actor=operator)
    for name, short, price, vat in (
        ("Coffee (bar)", "Coffee", "2.50", "10"),
        ("Book shop", "Book", "12.00", "5.5"),
    ):
        create_product(
            spec=ProductSpec(
                kind="simple", internal_name=name, short_name=short, price=D(price), vat_rate=D(vat)
            ),
            actor=operator,
        )
    now = timezone.now()
    stay = check_in(
        site=site, customer=create_customer(name="Chloé Durand"), actor=actor, at=now - timedelta(minutes=70)
    )
    _, line = stop_and_price(time_line_id=stay.pk, actor=actor, at=now)
    waiting = check_in(
        site=site, customer=create_customer(name="Hugo Roux"), actor=actor, at=now - timedelta(minutes=25)
    )
    link_time_line(time_line_id=waiting.pk, actor=actor, at=now)
    return line.sale


def test_pay_a_sale_with_change_and_print_its_receipt(live_server, browser):
    sale = _till_scene()
    page = browser.new_page(viewport={"width": 1024, "height": 768})
    log_in(page, live_server.url, "desk", "/till/")
    page.locator("header .nav a", has_text="Till").wait_for()
    assert page.locator("header .nav a[aria-current=page]").inner_text() == "Till"
    open_list = page.locator("section[aria-labelledby=open-title]")
    assert "Chloé Durand" in open_list.inner_text()
    assert "running since" in open_list.inner_text()  # Hugo's sale: his stay still runs
    shot(page, "till-list.png")

    open_list.locator("article.sale-row", has_text="Chloé Durand").get_by_role("link", name="Open").click()
    page.wait_for_url(f"{live_server.url}/till/sales/{sale.pk}/")
    assert "2 hours" in page.locator(".sale-line").first.inner_text()  # 1 h 10: the 2-hour step
    assert "Stay " in page.locator(".explain").first.inner_text()

    page.locator(".quick-item", has_text="Coffee").click()
    page.locator(".sale-line", has_text="Coffee").wait_for()
    assert "Added 1 × Coffee." in page.locator("#flash").inner_text()
    assert "13.50" in page.locator(".pay-due").inner_text()
    coffee = page.locator(".sale-line", has_text="Coffee")
    coffee.locator("summary", has_text="Discount").click()
    coffee.get_by_role("textbox", name="Discount").fill("0.50")
    shot(page, "sale-discount.png")
    coffee.get_by_role("button", name="Apply").click()
    page.locator(".sale-line", has_text="discount −€0.50").wait_for()
    assert "13.00" in page.locator(".pay-due").inner_text()
    shot(page, "sale-open.png")
    page.set_viewport_size({"width": 768, "height": 1024})
    shot(page, "sale-open-portrait.png")
    page.set_viewport_size({"width": 390, "height": 844})
    shot(page, "sale-open-phone.png")
    page.set_viewport_size({"width": 1024, "height": 768})

    # Too little: a red message, nothing changes.
    page.get_by_label("Cash tendered").fill("10")
    page.get_by_role("button", name="Confirm payment").click()
    page.locator("#flash .flash-error").wait_for()
    assert "€3.00 is still missing" in page.locator("#flash").inner_text()
    page.wait_for_timeout(300)
    shot(page, "sale-underpaid.png")

    page.get_by_label("Cash tendered").fill("20")
    page.locator("#pay-preview .preview-change").wait_for()
    assert "7.00" in page.locator("#pay-preview").inner_text()
    shot(page, "sale-change-preview.png")
    page.get_by_role("button", name="Confirm payment").click()
    page.locator(".receipt-number").wait_for()
    assert page.locator(".receipt-number").inner_text() == "000001"
    assert "Give €7.00 change." in page.locator("#flash").inner_text()
    page.wait_for_timeout(300)
    shot(page, "sale-closed.png")

    page.set_viewport_size({"width": 390, "height": 844})
    shot(page, "sale-closed-phone.png")
    page.set_viewport_size({"width": 1024, "height": 768})

    page.get_by_role("link", name="Receipt to print").click()
    page.locator(".receipt-paper").wait_for()
    assert "Receipt 000001" in page.locator(".receipt-paper").inner_text()
    shot(page, "receipt-page.png")
    page.emulate_media(media="print")
    shot(page, "receipt-print.png")
    assert not page.locator(".topbar").is_visible()
    page.emulate_media(media="screen")

    response = page.request.get(f"{live_server.url}/till/sales/{sale.pk}/receipt.pdf")
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    _check_pdf(response.body())

    # Take the coffee back: the refund sale opens, the money goes back in cash, it gets the next number.
    page.get_by_role("link", name="← Back to the sale").click()
    page.get_by_role("checkbox", name="Coffee").check()
    page.get_by_role("button", name="Refund the ticked lines").click()
    page.locator("h1", has_text="Refund of receipt 000001").wait_for()
    assert "2.00" in page.locator(".pay-due").inner_text()  # the coffee, less its discount
    shot(page, "refund-open.png")
    page.locator(".pay-quick").get_by_role("button", name="Cash").click()
    page.locator(".receipt-number").wait_for()
    assert page.locator(".receipt-number").inner_text() == "000002"
    page.get_by_role("link", name="← Till").click()
    closed = page.locator("section[aria-labelledby=closed-title]")
    assert "№ 000002" in closed.inner_text() and "refund" in closed.inner_text()
    shot(page, "till-list-after.png")

    # Hugo's stay still runs: stop it from his sale, its step joins the sale.
    page.locator("article.sale-row", has_text="Hugo Roux").get_by_role("link", name="Open").click()
    page.locator(".stays-list", has_text="still running").wait_for()
    shot(page, "sale-running-stay.png")
    page.get_by_role("button", name="Stop now").click()
    page.locator(".sale-line", has_text="Billiard").wait_for()
    assert "Hugo Roux checked out: €6.00 added." in page.locator("#flash").inner_text()  # 25 min: 1 hour
    assert "6.00" in page.locator(".pay-due").inner_text()
    page.get_by_role("link", name="← Till").click()

    page.get_by_role("button", name="New sale").click()
    page.locator("h1", has_text="Sale").wait_for()
    assert "No line yet" in page.locator(".sale-main").inner_text()
    shot(page, "sale-empty.png")
    page.set_viewport_size({"width": 390, "height": 844})
    page.get_by_role("link", name="← Till").click()
    page.locator("h1", has_text="Till").wait_for()
    shot(page, "till-list-phone.png")


def _check_pdf(data: bytes) -> None:
    pdfium = pytest.importorskip("pypdfium2")
    document = pdfium.PdfDocument(data)
    try:
        image = document[0].render(scale=4).to_pil().convert("L")
    finally:
        document.close()
    ARTIFACTS.mkdir(exist_ok=True)
    image.save(ARTIFACTS / "receipt-pdf.png")
    width, height = image.size
    assert height > width  # a till roll, 80 mm wide
    assert 300 < width < 1400
    darkest, lightest = image.getextrema()
    assert (darkest, lightest) == (0, 255)  # black print on white paper
    inked = sum(image.histogram()[:128])
    assert 0.01 < inked / (width * height) < 0.5  # text, not a blank or black page
    text = pdf_text(data)
    for expected in (
        "Receipt 000001",
        "Chloé Durand",
        "Billiard",
        "Coffee",
        "€13.00",
        "Change given",
        "7.00",
    ):
        assert expected in text
