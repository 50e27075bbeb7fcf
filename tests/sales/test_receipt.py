"""The receipt: its data (local times, VAT per rate, change) and its PDF, rendered and read back."""

from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone
from PIL import ImageOps

from tests.conftest import paris
from tests.sales.pages import pdf_image, pdf_text
from timetill.sales.receipt import receipt_of
from timetill.sales.receipt_pdf import receipt_pdf
from timetill.sales.services import LineSpec, PaymentSpec, add_line, close_sale
from timetill.sales.stays import stop_and_price
from timetill.timelines.services.scan import check_in

D = Decimal


@pytest.fixture
def paid_receipt(site, time_product, site_time_product, make_product, make_customer, cashier_actor, system):
    site_time_product(site, time_product)
    with time_machine.travel(paris(2026, 3, 2, 10, 0), tick=False):
        line = check_in(
            site=site, customer=make_customer("Zoé Martin"), actor=cashier_actor, at=timezone.now()
        )
    with time_machine.travel(paris(2026, 3, 2, 15, 0), tick=False):
        _, sale_line = stop_and_price(time_line_id=line.pk, actor=cashier_actor, at=timezone.now())
    coffee = make_product(internal_name="Coffee", short_name="Café crème", price=D("1.80"), vat_rate=D("10"))
    add_line(sale_id=sale_line.sale_id, spec=LineSpec(coffee.pk, D(2)), actor=system)
    sale = close_sale(
        sale_id=sale_line.sale_id,
        payments=[PaymentSpec("card", D("10.00")), PaymentSpec("cash", D("20.00"))],
        actor=cashier_actor,
        at=paris(2026, 3, 2, 15, 1),
    )
    return receipt_of(sale)


def test_receipt_data(paid_receipt):
    r = paid_receipt
    assert (r.title, r.business, r.customer) == ("Receipt 000001", "Front desk", "Zoé Martin")
    assert r.closed_at.strftime("%d/%m/%Y %H:%M %Z") == "02/03/2026 15:01 CET"
    assert [(v.rate, v.net, v.vat, v.gross) for v in r.vat_lines] == [
        (D("20.00"), D("10.08"), D("2.02"), D("12.10")),
        (D("10.00"), D("3.27"), D("0.33"), D("3.60")),
    ]
    assert (r.gross, r.paid, r.change) == (D("15.70"), D("15.70"), D("14.30"))
    assert r.lines[0].details == (
        "Stay 02/03/2026 10:00 – 15:00",
        "First hour 10:00–11:00: 1 × 1 h at €2.50 / 1 h = €2.50",
        "Time 11:00–15:00: 16 × 15 min at €0.60 / 15 min = €9.60",
    )


def test_receipt_pdf_renders_with_the_euro_sign(paid_receipt):
    data = receipt_pdf(paid_receipt)
    image = pdf_image(data)
    width, height = image.size
    assert height > width  # an 80 mm roll
    assert 0.01 < sum(image.histogram()[:128]) / (width * height) < 0.5  # printed text, not a blank page
    text = pdf_text(data)
    for expected in (
        "Receipt 000001",
        "02/03/2026 15:01 (Europe/Paris)",
        "Zoé Martin",
        "Café crème",
        "First hour 10:00–11:00",
        "TOTAL",
        "€15.70",
        "20 %",
        "10.08",
        "2.02",
        "Cash tendered",
        "Change given",
        "14.30",
    ):
        assert expected in text, expected


def test_receipt_pdf_says_the_total_once_and_ends_where_its_text_ends(paid_receipt):
    data = receipt_pdf(paid_receipt)
    text = pdf_text(data)
    total = next(row for row in text.splitlines() if row.startswith("TOTAL"))
    assert total.replace("\r", "") == "TOTAL€15.70" or total.split() == ["TOTAL", "€15.70"]
    assert "EUR" not in text  # one way to write the currency: its sign
    image = pdf_image(data).convert("L")
    width, height = image.size
    # The last printed row is near the page's end: no empty third of a roll.
    printed = ImageOps.invert(image).point(lambda v: 255 if v > 127 else 0).getbbox()
    assert height - printed[3] < 0.12 * height
