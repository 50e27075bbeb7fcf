"""What a cashier types at the till: whole quantities, a question before a huge one, a decimal comma, products
told apart, and an empty sale thrown away."""

from decimal import Decimal

import pytest
import time_machine

from tests.conftest import paris
from tests.sales.pages import post, snapshot
from timetill.sales.models import Sale

D = Decimal
NOON = paris(2026, 3, 2, 12, 0)


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOON, tick=False):
        yield


@pytest.fixture
def coffee(make_product):
    return make_product(internal_name="Coffee (bar)", short_name="Coffee", price=D("2.00"), vat_rate=D("20"))


@pytest.fixture
def desk(login, cashier):
    return login(cashier)


def _flash(html: str) -> str:
    return html.split('<div id="flash"')[1].split("</div>")[1] if '<div id="flash"' in html else html


# 10. Quantities


def test_half_a_coffee_is_refused_in_the_cashiers_words(desk, make_sale, coffee):
    sale = make_sale()
    before = snapshot()
    response = post(desk, "sale-add", sale, {"item": f"p{coffee.pk}", "quantity": "1.5"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Coffee is sold by the unit: type a whole number (1, 2, 3…)." in html
    assert "quantity:" not in html
    assert snapshot() == before


def test_a_decimal_comma_reads_as_at_the_catalogue(desk, make_sale, make_product):
    typed = make_product(internal_name="Repair", short_name="Repair", kind="time", vat_rate=D("20"))
    sale = make_sale()
    response = post(desk, "sale-add", sale, {"item": f"p{typed.pk}", "quantity": "1", "unit_price": "12,50"})
    assert response.status_code == 200, response.content.decode()[:500]
    assert sale.lines.get().unit_price == D("12.50")
    # "1,5" is one and a half where decimals are allowed (a time product is measured, not counted)…
    response = post(desk, "sale-add", sale, {"item": f"p{typed.pk}", "quantity": "1,5", "unit_price": "1"})
    assert response.status_code == 200
    assert sale.lines.order_by("-pk").first().quantity == D("1.5")


def test_a_decimal_comma_is_half_a_unit_for_a_product_sold_by_the_unit(desk, make_sale, coffee):
    sale = make_sale()
    before = snapshot()
    # …and a number, refused as half a unit (not as "not a number") for a coffee, beside the quantity.
    response = post(desk, "sale-add", sale, {"item": f"p{coffee.pk}", "quantity": "1,5"})
    assert response.status_code == 400
    add_form = response.content.decode().split('class="stack add-form"')[1].split("</form>")[0]
    assert (
        'class="field-error" role="alert">Coffee is sold by the unit: type a whole number (1, 2, 3…).'
        in add_form
    )
    assert snapshot() == before


def test_a_product_not_sold_by_the_unit_takes_a_part_of_one(desk, make_sale, make_product):
    desk_hour = make_product(
        internal_name="Desk hour", short_name="Desk hour", price=D("5.00"), sold_by_unit=False
    )
    sale = make_sale()
    response = post(desk, "sale-add", sale, {"item": f"p{desk_hour.pk}", "quantity": "2.5"})
    assert response.status_code == 200
    assert (sale.lines.get().quantity, sale.lines.get().gross) == (D("2.5"), D("12.50"))


def test_a_line_worth_more_than_the_bound_asks_first(desk, make_sale, make_product, settings):
    settings.TIMETILL_CONFIRM_LINE_ABOVE = "500"
    bike = make_product(internal_name="E-bike", short_name="E-bike", price=D("600.00"))
    sale = make_sale()
    asked = post(desk, "sale-add", sale, {"item": f"p{bike.pk}", "quantity": "1"})
    assert asked.status_code == 400
    assert "1 × E-bike is €600.00: is that right?" in asked.content.decode()
    assert not sale.lines.exists()
    confirmed = post(
        desk, "sale-add", sale, {"item": f"p{bike.pk}", "quantity": "1", "confirm_quantity": "1"}
    )
    assert confirmed.status_code == 200 and sale.lines.get().gross == D("600.00")


def test_a_huge_quantity_asks_before_it_is_added(desk, make_sale, coffee):
    sale = make_sale()
    before = snapshot()
    asked = post(desk, "sale-add", sale, {"item": f"p{coffee.pk}", "quantity": "100000"})
    assert asked.status_code == 400
    html = asked.content.decode()
    assert "100,000 × Coffee is €200,000.00: is that right?" in html
    assert 'name="confirm_quantity"' in html  # the box to tick, with what was typed kept
    assert 'value="100000"' in html
    assert snapshot() == before
    confirmed = post(
        desk, "sale-add", sale, {"item": f"p{coffee.pk}", "quantity": "100000", "confirm_quantity": "1"}
    )
    assert confirmed.status_code == 200
    assert sale.lines.get().quantity == D(100000)


def test_products_with_the_same_short_name_are_told_apart_in_the_menu(desk, make_sale, coffee, make_product):
    make_product(internal_name="Coffee (terrace)", short_name="Coffee", price=D("2.50"), vat_rate=D("20"))
    html = desk.get(f"/till/sales/{make_sale().pk}/").content.decode()
    assert "Coffee · Coffee (bar) · €2.00" in html
    assert "Coffee · Coffee (terrace) · €2.50" in html


# 3. An empty sale opened by mistake can be thrown away


def test_an_empty_sale_is_deleted(desk, make_sale, site):
    sale = make_sale()
    page = desk.get(f"/till/sales/{sale.pk}/").content.decode()
    assert "Delete this empty sale" in page
    response = desk.post(f"/till/sales/{sale.pk}/delete/")
    assert response.status_code == 302 and response["Location"].startswith("/till/")
    assert not Sale.objects.filter(pk=sale.pk).exists()


def test_a_sale_with_lines_is_not_deleted(desk, make_sale, coffee):
    sale = make_sale((coffee, 1))
    assert "Delete this empty sale" not in desk.get(f"/till/sales/{sale.pk}/").content.decode()
    before = snapshot()
    response = desk.post(f"/till/sales/{sale.pk}/delete/", HTTP_HX_REQUEST="true")
    assert response.status_code == 409
    assert "Only an empty sale can be deleted" in response.content.decode()
    assert snapshot() == before


def test_deleting_an_empty_sale_unlinks_its_stay(desk, make_sale, site, make_customer):
    from timetill.sales.stays import link_time_line, sale_id_of
    from timetill.timelines.actors import Actor
    from timetill.timelines.services.scan import check_in

    line = check_in(site=site, customer=make_customer("Alice"), actor=Actor.operator(), at=NOON)
    sale = link_time_line(time_line_id=line.pk, actor=Actor.operator(), at=NOON)
    desk.post(f"/till/sales/{sale.pk}/delete/")
    line.refresh_from_db()
    assert sale_id_of(line) is None and not Sale.objects.exists()


def test_the_delete_page_needs_the_till_right(login, make_user, make_sale):
    sale = make_sale()
    response = login(make_user("parent")).post(f"/till/sales/{sale.pk}/delete/")
    assert response.status_code == 403
    assert Sale.objects.filter(pk=sale.pk).exists()


# 9. Messages in the cashier's words


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"card": "-5"}, "The card amount must be more than zero."),
        ({"cash": "0"}, "The cash amount must be more than zero."),
        ({"cash": "2.505"}, "Cash: €2.505 has too many decimals: at most 2."),
        ({"card": "1.00"}, "€1.00 is still missing: €1.00 paid, €2.00 due."),
    ],
)
def test_a_refused_payment_speaks_the_cashiers_words(desk, make_sale, coffee, data, expected):
    sale = make_sale((coffee, 1))
    before = snapshot()
    response = post(desk, "sale-pay", sale, data)
    html = response.content.decode()
    assert response.status_code == 400
    assert expected in html
    assert "payments[" not in html and "amount:" not in html
    assert snapshot() == before


def test_a_negative_typed_price_speaks_the_cashiers_words(desk, make_sale, make_product):
    typed = make_product(internal_name="Repair", short_name="Repair", kind="time", vat_rate=D("20"))
    sale = make_sale()
    response = post(desk, "sale-add", sale, {"item": f"p{typed.pk}", "quantity": "1", "unit_price": "-3"})
    html = response.content.decode()
    assert "A price cannot be negative (only a refund pays back)." in html
    assert "unit_price" not in html.split('<div id="flash"')[1].split("</div>")[0]
