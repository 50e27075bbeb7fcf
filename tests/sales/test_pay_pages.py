"""Paying at the till page (the change shown before confirming, split payments, the receipt number), refunds,
and the receipt as a printable page and as a PDF."""

from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from tests.conftest import paris
from tests.sales.pages import pdf_text, post, snapshot
from tests.web.conftest import HX
from timetill.sales.models import Sale
from timetill.sales.receipt import receipt_of
from timetill.sales.services import PaymentSpec, close_sale
from timetill.sales.stays import stop_and_price
from timetill.timelines.services.scan import check_in

D = Decimal
NOON = paris(2026, 3, 2, 12, 0)


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOON, tick=False):
        yield


@pytest.fixture
def desk(login, cashier):
    return login(cashier)


@pytest.fixture
def basket(make_sale, make_product):
    """Two coffees at 20 % and a book at 5.5 %: 15.80 due... before the book's discount, 17.00."""
    coffee = make_product(
        internal_name="Coffee (bar)", short_name="Coffee", price=D("2.50"), vat_rate=D("20")
    )
    book = make_product(internal_name="Book shop", short_name="Book", price=D("12.00"), vat_rate=D("5.5"))
    return make_sale((coffee, 2), (book, 1))


def preview(client, sale, **amounts) -> str:
    return client.get(reverse("sale-pay-preview", args=[sale.pk]), amounts, **HX).content.decode()


def test_the_change_shows_before_confirming(desk, basket):
    assert 'Change to give <strong class="change-amount">€3.00</strong>' in preview(desk, basket, cash="20")
    assert "Exact amount: no change." in preview(desk, basket, card="10", cash="7")
    assert "€7.00 is still missing: €10.00 paid, €17.00 due." in preview(desk, basket, card="10")
    assert "only cash can be more than due" in preview(desk, basket, card="20")
    assert "Cash tendered: Type a number, such as 2 or 12.50." in preview(desk, basket, cash="lots")
    assert "Type what the customer hands over" in preview(desk, basket, cash="")
    assert Sale.objects.get(pk=basket.pk).state == "open"  # a preview changes nothing


def test_pay_cash_with_change_gives_the_receipt_number(desk, basket, cashier):
    response = post(desk, "sale-pay", basket, {"cash": "20"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Receipt 000001 paid. Give €3.00 change." in html
    assert 'class="receipt-number">000001<' in html
    assert "Change to give <strong>€3.00</strong>" in html
    sale = Sale.objects.get(pk=basket.pk)
    assert (sale.state, sale.number, sale.closed_by, sale.closed_at) == ("closed", 1, cashier, NOON)
    assert list(sale.payments.values_list("method", "amount", "tendered", "change")) == [
        ("cash", D("17.000"), D("20.000"), D("3.000"))
    ]
    # Closed: read only, with the receipt's links and a refund form; no more adding or paying.
    page = desk.get(reverse("sale", args=[sale.pk])).content.decode()
    assert reverse("sale-receipt", args=[sale.pk]) in page
    assert reverse("sale-receipt-pdf", args=[sale.pk]) in page
    assert "Refund the ticked lines" in page
    assert "Add to the sale" not in page and "Confirm payment" not in page and "Remove" not in page


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("fr", "Ticket 000001 payé. Rendez 3,00\xa0€ de monnaie."),
        ("it", "Ricevuta 000001: pagamento registrato. Date €\xa03,00 di resto."),
    ],
)
def test_the_till_says_what_it_did_in_the_cashiers_language(desk, basket, cashier, language, said):
    cashier.profile.language = language
    cashier.profile.save()
    html = post(desk, "sale-pay", basket, {"cash": "20"}).content.decode()
    assert said in html


def test_a_split_payment(desk, basket):
    response = post(desk, "sale-pay", basket, {"card": "10.00", "other": "2.00", "cash": "10.00"})
    assert "Give €5.00 change." in response.content.decode()
    assert list(basket.payments.values_list("method", "amount", "change")) == [
        ("card", D("10.000"), None),
        ("other", D("2.000"), None),
        ("cash", D("5.000"), D("5.000")),
    ]


def test_numbers_follow_each_other(desk, basket, make_sale, make_product):
    post(desk, "sale-pay", basket, {"card": "17.00"})
    tea = make_product(internal_name="Tea", short_name="Tea", price=D("2.00"))
    second = make_sale((tea, 1))
    html = post(desk, "sale-pay", second, {"cash": "2.00"}).content.decode()
    assert "Receipt 000002 paid." in html and "change" not in html.split("flash-ok")[1].split("</div>")[0]
    assert Sale.objects.get(pk=second.pk).number == 2


# Refunds


@pytest.fixture
def paid(basket, cashier_actor):
    return close_sale(
        sale_id=basket.pk, payments=[PaymentSpec("cash", D("20"))], actor=cashier_actor, at=NOON
    )


def test_refund_chosen_lines_opens_the_refund_sale_then_pay_it_back(desk, paid):
    coffee = paid.lines.get(short_name="Coffee")
    response = post(desk, "sale-refund", paid, {f"line-{coffee.pk}": "on", f"quantity-{coffee.pk}": "1"})
    back = Sale.objects.get(refund_of=paid)
    assert response.status_code == 200
    assert response["HX-Redirect"] == reverse("sale", args=[back.pk])
    assert list(back.lines.values_list("short_name", "quantity", "gross")) == [
        ("Coffee", D("-1.000"), D("-2.500"))
    ]

    page = desk.get(response["HX-Redirect"]).content.decode()
    assert "Refund of receipt 000001 opened" in page
    assert "Pay back" in page and "2.50" in page

    html = post(desk, "sale-pay", back, {"cash": "-2.50"}).content.decode()
    assert "Refund 000002 paid." in html
    back.refresh_from_db()
    assert (back.state, back.number, back.gross) == ("closed", 2, D("-2.500"))
    original = desk.get(reverse("sale", args=[paid.pk])).content.decode()
    assert "Refund 000002" in original
    assert "1 left" in original  # one coffee of two is still refundable


def test_refund_everything(desk, paid):
    post(desk, "sale-refund", paid, {"everything": "1"})
    back = Sale.objects.get(refund_of=paid)
    assert back.gross == -paid.gross
    assert back.lines.count() == 2


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Choose at least one line to refund."),
        ({"line-LINE": "on", "quantity-LINE": "3"}, "left to refund, not 3"),
        ({"line-LINE": "on", "quantity-LINE": "-1"}, "The quantity must be more than zero"),
        ({"line-LINE": "on", "quantity-LINE": "one"}, "Quantity: Type a number, such as 2 or 12.50."),
    ],
)
def test_a_refused_refund_is_a_message_and_opens_nothing(desk, paid, data, message):
    coffee = paid.lines.get(short_name="Coffee")
    data = {key.replace("LINE", str(coffee.pk)): value for key, value in data.items()}
    before = snapshot()
    response = post(desk, "sale-refund", paid, data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert snapshot() == before


def test_a_refund_cannot_be_refunded(desk, paid, cashier_actor):
    post(desk, "sale-refund", paid, {"everything": "1"})
    back = Sale.objects.get(refund_of=paid)
    close_sale(sale_id=back.pk, payments=[PaymentSpec("card", back.gross)], actor=cashier_actor, at=NOON)
    assert "Refund the ticked lines" not in desk.get(reverse("sale", args=[back.pk])).content.decode()
    before = snapshot()
    response = post(desk, "sale-refund", back, {"everything": "1"})
    assert "A refund cannot itself be refunded." in response.content.decode()
    assert snapshot() == before


# The receipt


def test_the_receipt_page_prints_the_sale(desk, paid):
    response = desk.get(reverse("sale-receipt", args=[paid.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Receipt 000001" in html
    assert "02/03/2026 12:00" in html  # Paris time
    assert "Coffee" in html and "2 × €2.50" in html and "VAT 5.5 %" in html
    assert "<td>20 %</td><td>€4.17</td><td>€0.83</td><td>€5.00</td>" in html
    assert "<span>Cash tendered</span><span>€20.00</span>" in html
    assert "<span>Change given</span><span>€3.00</span>" in html
    assert "@page" not in html  # the print rules live in the stylesheet
    assert "data-print" in html  # the Print button (page-actions.js calls window.print())


def test_the_receipt_of_a_stay_explains_its_price(
    desk, site, time_product, site_time_product, make_customer, cashier_actor
):
    site_time_product(site, time_product)
    stay = check_in(site=site, customer=make_customer("Zoé"), actor=cashier_actor, at=paris(2026, 3, 2, 10))
    _, line = stop_and_price(time_line_id=stay.pk, actor=cashier_actor, at=timezone.now())
    html = desk.get(reverse("sale-receipt", args=[line.sale_id])).content.decode()
    assert "not paid (pro forma)" in html
    assert "First hour 10:00–11:00: 1 × 1 h at €2.50 / 1 h = €2.50" in html


def test_the_receipt_pdf(desk, paid):
    response = desk.get(reverse("sale-receipt-pdf", args=[paid.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="receipt-000001.pdf"'
    assert response.content.startswith(b"%PDF")
    text = pdf_text(response.content)
    assert "Receipt 000001" in text
    assert "€17.00" in text
    assert "Change given" in text


def test_a_free_sale_closes_without_a_payment(desk, make_sale, make_product):
    free_stay = make_product(internal_name="Trial hour", short_name="Trial", price=D("0.00"))
    sale = make_sale((free_stay, 1))
    page = desk.get(reverse("sale", args=[sale.pk])).content.decode()
    assert "Close the sale" in page and "Card 0.00" not in page
    html = post(desk, "sale-pay", sale, {}).content.decode()
    assert "Receipt 000001 paid." in html
    sale.refresh_from_db()
    assert (sale.state, sale.number, sale.payments.count()) == ("closed", 1, 0)


def test_an_empty_sale_offers_no_payment(desk, make_sale):
    page = desk.get(reverse("sale", args=[make_sale().pk])).content.decode()
    assert "Nothing to pay yet" in page and "Confirm payment" not in page


def test_a_whole_sale_through_the_pages(desk, site, make_product):
    """New sale, lines at two VAT rates, a discount, cash with change: the receipt number and the change."""
    coffee = make_product(
        internal_name="Coffee (bar)", short_name="Coffee", price=D("2.50"), vat_rate=D("20")
    )
    book = make_product(internal_name="Book shop", short_name="Book", price=D("12.00"), vat_rate=D("5.5"))
    sale = Sale.objects.get(pk=desk.post(reverse("sale-new"), {"site": site.slug}).url.split("/")[-2])
    post(desk, "sale-add", sale, {"item": f"p{coffee.pk}", "quantity": "2"})
    post(desk, "sale-add", sale, {"item": f"p{book.pk}", "quantity": "1"})
    post(desk, "sale-discount", sale, {"kind": "amount", "value": "2.00"}, line=sale.lines.get(product=book))
    assert "Change to give <strong" in preview(desk, sale, cash="50") and ">€35.00<" in preview(
        desk, sale, cash="50"
    )
    html = post(desk, "sale-pay", sale, {"cash": "50"}).content.decode()
    assert "Receipt 000001 paid. Give €35.00 change." in html
    sale.refresh_from_db()
    assert (sale.state, sale.number, sale.gross) == ("closed", 1, D("15.000"))
    assert [(v.rate, v.gross) for v in receipt_of(sale).vat_lines] == [
        (D("20.00"), D("5.00")),
        (D("5.50"), D("10.00")),
    ]


def test_refunding_a_missing_sale_is_a_message(desk):
    response = desk.post(reverse("sale-refund", args=[999999]), {"everything": "1"}, **HX)
    assert response.status_code == 404
    assert response["HX-Retarget"] == "#flash"
    assert "There is no sale 999999." in response.content.decode()
    assert not Sale.objects.exists()
