"""The till pages through the Django test client: rights, the till list, a sale's lines, customer, parking,
and every refused action answered with a red message and nothing changed."""

from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from tests.conftest import paris
from tests.sales.pages import post, snapshot
from tests.web.conftest import HX
from timetill.sales.models import Sale
from timetill.sales.services import LineSpec, PaymentSpec, add_line, close_sale, park
from timetill.sales.stays import link_time_line, stop_and_price
from timetill.timelines.actors import Actor
from timetill.timelines.services.scan import check_in

D = Decimal
NOON = paris(2026, 3, 2, 12, 0)


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOON, tick=False):
        yield


@pytest.fixture
def coffee(make_product):
    return make_product(internal_name="Coffee (bar)", short_name="Coffee", price=D("2.50"), vat_rate=D("20"))


@pytest.fixture
def book(make_product):
    return make_product(internal_name="Book shop", short_name="Book", price=D("12.00"), vat_rate=D("5.5"))


@pytest.fixture
def desk(login, cashier):
    return login(cashier)


def item(product, variant=None) -> str:
    return f"p{product.pk}" + (f"-v{variant.pk}" if variant else "")


def line_of(sale, product):
    return sale.lines.get(product=product)


# Rights


@pytest.mark.parametrize("name", ["sales", "sale", "sale-receipt", "sale-receipt-pdf"])
def test_the_pages_need_a_login(client, make_sale, name):
    sale = make_sale()
    response = client.get(reverse(name, args=[] if name == "sales" else [sale.pk]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("name", ["sales", "sale", "sale-receipt", "sale-receipt-pdf"])
def test_without_track_time_the_pages_are_a_403(login, make_parent, make_sale, name):
    sale = make_sale()
    response = login(make_parent()).get(reverse(name, args=[] if name == "sales" else [sale.pk]))
    assert response.status_code == 403
    assert "track_time" in response.content.decode()


def test_without_track_time_actions_are_refused_and_change_nothing(
    login, make_parent, make_sale, coffee, site
):
    sale = make_sale((coffee, 1))
    client = login(make_parent())
    before = snapshot()
    for name, data in [
        ("sale-add", {"item": item(coffee), "quantity": "1"}),
        ("sale-pay", {"cash": "10"}),
        ("sale-park", {}),
    ]:
        response = post(client, name, sale, data)
        assert response.status_code == 403
        assert response["HX-Retarget"] == "#flash"
    assert client.post(reverse("sale-new"), {"site": site.slug}).status_code == 403
    assert snapshot() == before


def test_the_nav_links_to_the_till_for_cashiers_only(login, cashier, make_parent, site):
    assert f'href="{reverse("sales")}"' in login(cashier).get(reverse("timestamp")).content.decode()
    assert f'href="{reverse("sales")}"' not in login(make_parent()).get(reverse("family")).content.decode()


def test_an_unknown_sale_is_a_404(desk):
    assert desk.get(reverse("sale", args=[999999])).status_code == 404
    response = desk.post(reverse("sale-park", args=[999999]), **HX)
    assert response.status_code == 404
    assert response["HX-Retarget"] == "#flash"
    assert "There is no sale 999999." in response.content.decode()


# The till list


def test_the_till_lists_open_parked_and_todays_closed_sales(
    desk,
    site,
    make_sale,
    make_customer,
    coffee,
    book,
    make_site,
    time_product,
    site_time_product,
    cashier_actor,
):
    site_time_product(site, time_product)
    alice = make_customer("Alice Martin")
    waiting = make_sale((coffee, 2), customer=alice)
    stay = check_in(
        site=site, customer=make_customer("Bruno Lefèvre"), actor=cashier_actor, at=paris(2026, 3, 2, 10, 5)
    )
    link_time_line(time_line_id=stay.pk, actor=cashier_actor, at=timezone.now(), sale_id=waiting.pk)
    aside = make_sale((book, 1))
    park(sale_id=aside.pk, actor=cashier_actor, at=timezone.now())
    yesterday = make_sale((coffee, 1), at=paris(2026, 3, 1, 18))
    close_sale(
        sale_id=yesterday.pk,
        payments=[PaymentSpec("card", D("2.50"))],
        actor=cashier_actor,
        at=paris(2026, 3, 1, 18),
    )
    paid = make_sale((coffee, 1))
    close_sale(
        sale_id=paid.pk, payments=[PaymentSpec("card", D("2.50"))], actor=cashier_actor, at=timezone.now()
    )
    elsewhere = make_sale((coffee, 1), site=make_site())

    response = desk.get(reverse("sales"), {"site": site.slug})
    assert response.status_code == 200
    assert 'hx-trigger="every 15s"' in response.content.decode()  # the lists refresh themselves
    context = response.context
    assert [row.sale for row in context["open_rows"]] == [waiting]
    assert [row.sale for row in context["parked_rows"]] == [aside]
    assert [row.sale for row in context["closed_rows"]] == [paid]
    row = context["open_rows"][0]
    assert (row.who, row.lines, row.gross, row.running) == ("Alice Martin", 1, D("5.00"), 1)
    html = response.content.decode()
    assert "Alice Martin" in html and "5.00" in html
    assert "Bruno Lefèvre · running since 10:05" in html  # Paris time, not UTC
    assert "№ 000002" in html  # paid is the second receipt of the site (yesterday's was the first)
    assert "paid 12:00" in html
    assert f'href="{reverse("sale-receipt", args=[paid.pk])}"' in html
    assert reverse("sale", args=[elsewhere.pk]) not in html


def test_new_sale_opens_a_sale_at_the_chosen_site(desk, site, cashier):
    response = desk.post(reverse("sale-new"), {"site": site.slug})
    sale = Sale.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("sale", args=[sale.pk])
    assert (sale.site, sale.state, sale.created_by, sale.created_at) == (site, "open", cashier, NOON)


# One sale: lines


def test_add_products_of_mixed_vat_rates_and_discount_one(desk, make_sale, coffee, book):
    sale = make_sale()
    response = post(desk, "sale-add", sale, {"item": item(coffee), "quantity": "2"})
    assert response.status_code == 200
    assert "Added 2 × Coffee." in response.content.decode()
    post(desk, "sale-add", sale, {"item": item(book), "quantity": "1"})
    response = post(desk, "sale-discount", sale, {"kind": "percent", "value": "10"}, line=line_of(sale, book))
    assert "Discount of €1.20 on Book." in response.content.decode()

    sale.refresh_from_db()
    assert (sale.net, sale.vat, sale.gross) == (D("14.41"), D("1.39"), D("15.80"))
    html = response.content.decode()
    # Each line: name, quantity × unit price, VAT rate, discount, gross; then the VAT breakdown per rate.
    assert "2 × €2.50" in html and "VAT 20 %" in html
    assert "1 × €12.00" in html and "VAT 5.5 %" in html and "discount −€1.20" in html
    assert "10.80" in html
    assert "<td>20 %</td><td>€4.17</td><td>€0.83</td><td>€5.00</td>" in html
    assert "<td>5.5 %</td><td>€10.24</td><td>€0.56</td><td>€10.80</td>" in html
    assert "€15.80" in html

    response = post(desk, "sale-discount", sale, {"kind": "amount", "value": ""}, line=line_of(sale, book))
    assert "Discount removed." in response.content.decode()
    assert line_of(sale, book).discount == 0


def test_a_ladder_step_and_a_product_priced_by_hand(desk, make_sale, ladder_product, make_product):
    sale = make_sale()
    two_hours = ladder_product.variants.get(label="2 hours")
    post(desk, "sale-add", sale, {"item": item(ladder_product, two_hours), "quantity": "1"})
    extra = make_product("daily_time", internal_name="Extra Hours 8-16", short_name="Extra Hours")
    response = post(desk, "sale-add", sale, {"item": item(extra), "quantity": "1", "unit_price": "7.50"})
    assert response.status_code == 200
    assert list(sale.lines.values_list("short_name", "unit_price")) == [
        ("Billiard 2 hours", D("11.000")),
        ("Extra Hours", D("7.500")),
    ]


def test_remove_a_line(desk, make_sale, coffee, book):
    sale = make_sale((coffee, 1), (book, 1))
    response = post(desk, "sale-remove-line", sale, line=line_of(sale, coffee))
    assert "Line removed." in response.content.decode()
    assert list(sale.lines.values_list("product", flat=True)) == [book.pk]
    sale.refresh_from_db()
    assert sale.gross == D("12.00")


def test_a_stay_priced_by_a_ladder_shows_its_explanation_and_can_take_another_step(
    desk, site, ladder_product, site_time_product, make_customer, cashier_actor
):
    site_time_product(site, ladder_product)
    stay = check_in(
        site=site, customer=make_customer("Chloé"), actor=cashier_actor, at=paris(2026, 3, 2, 10, 0)
    )
    with time_machine.travel(paris(2026, 3, 2, 10, 45), tick=False):
        _, line = stop_and_price(time_line_id=stay.pk, actor=cashier_actor, at=timezone.now())
    sale = line.sale
    html = desk.get(reverse("sale", args=[sale.pk])).content.decode()
    assert "Stay 02/03/2026 10:00 – 10:45" in html  # the explanation, in Paris time
    assert "Chloé" in html and "stopped" in html
    assert 'name="variant"' in html

    two_hours = ladder_product.variants.get(label="2 hours")
    response = post(desk, "sale-step", sale, {"variant": two_hours.pk}, line=line)
    assert response.status_code == 200
    assert "2 hours (chosen)" in response.content.decode()
    line.refresh_from_db()
    assert (line.variant, line.unit_price) == (two_hours, D("11.000"))


# One sale: customer, park and resume


def test_choose_then_remove_the_customer(desk, make_sale, make_customer):
    sale = make_sale()
    zoe = make_customer("Zoé Martin")
    results = desk.get(reverse("sale-customer-search", args=[sale.pk]), {"q": "zoé"}, **HX).content.decode()
    assert "Zoé Martin" in results and f'value="{zoe.pk}"' in results
    response = post(desk, "sale-customer", sale, {"customer": zoe.pk})
    assert "The sale is for Zoé Martin." in response.content.decode()
    sale.refresh_from_db()
    assert sale.customer == zoe
    post(desk, "sale-customer", sale, {"customer": ""})
    sale.refresh_from_db()
    assert sale.customer is None


def test_park_and_resume(desk, make_sale, coffee):
    sale = make_sale((coffee, 1))
    response = post(desk, "sale-park", sale)
    assert "Sale parked" in response.content.decode()
    assert Sale.objects.get(pk=sale.pk).state == "parked"
    assert "Resume" in response.content.decode()
    post(desk, "sale-resume", sale)
    assert Sale.objects.get(pk=sale.pk).state == "open"


def test_a_plain_form_post_redirects_to_the_sale_with_the_message(desk, make_sale, coffee):
    sale = make_sale()
    response = post(desk, "sale-add", sale, {"item": item(coffee), "quantity": "-1"}, htmx=False)
    assert response.status_code == 302
    page = desk.get(response.url).content.decode()
    assert "flash-error" in page and "The quantity must be more than zero" in page
    assert "quantity:" not in page
    assert not sale.lines.exists()


# Refused: a red message, and nothing changed


def _empty(make_sale, coffee, book, **_):
    return make_sale(), None


def _one_coffee(make_sale, coffee, book, **_):
    sale = make_sale((coffee, 1))
    return sale, sale.lines.get()


def _closed(make_sale, coffee, book, cashier_actor, **_):
    sale = make_sale((coffee, 1))
    close_sale(sale_id=sale.pk, payments=[PaymentSpec("cash", D("5"))], actor=cashier_actor, at=NOON)
    return sale, sale.lines.get()


REFUSED = [
    ("empty sale", _empty, "sale-pay", {"card": "1.00"}, False, "There is nothing to pay"),
    ("underpaid", _one_coffee, "sale-pay", {"cash": "2.00"}, False, "€0.50 is still missing"),
    ("card overpaid", _one_coffee, "sale-pay", {"card": "5.00"}, False, "only cash can be more than due"),
    ("too many decimals", _one_coffee, "sale-pay", {"cash": "2.505"}, False, "too many decimals: at most 2"),
    (
        "not an amount",
        _one_coffee,
        "sale-pay",
        {"cash": "ten"},
        False,
        "Cash tendered: Type a number, such as 2 or 12.50.",
    ),
    (
        "negative quantity",
        _one_coffee,
        "sale-add",
        {"item": "COFFEE", "quantity": "-2"},
        False,
        "The quantity must be more than zero (only a refund takes back).",
    ),
    (
        "zero quantity",
        _one_coffee,
        "sale-add",
        {"item": "COFFEE", "quantity": "0"},
        False,
        "The quantity cannot be zero.",
    ),
    (
        "no product",
        _one_coffee,
        "sale-add",
        {"item": "", "quantity": "1"},
        False,
        "Product: This field is required.",
    ),
    (
        "unknown product",
        _one_coffee,
        "sale-add",
        {"item": "p999999", "quantity": "1"},
        False,
        "not one of the available",
    ),
    (
        "discount above the line",
        _one_coffee,
        "sale-discount",
        {"kind": "amount", "value": "3"},
        True,
        "more than the line",
    ),
    (
        "discount over 100 %",
        _one_coffee,
        "sale-discount",
        {"kind": "percent", "value": "150"},
        True,
        "between 0 and 100",
    ),
    (
        "step of a simple line",
        _one_coffee,
        "sale-step",
        {"variant": "1"},
        True,
        "Only a stay priced by a price ladder",
    ),
    ("closed: add", _closed, "sale-add", {"item": "COFFEE", "quantity": "1"}, False, "can never change"),
    ("closed: remove", _closed, "sale-remove-line", {}, True, "can never change"),
    (
        "closed: discount",
        _closed,
        "sale-discount",
        {"kind": "percent", "value": "10"},
        True,
        "can never change",
    ),
    ("closed: park", _closed, "sale-park", {}, False, "can never change"),
    ("closed: customer", _closed, "sale-customer", {"customer": ""}, False, "can never change"),
    ("closed: pay again", _closed, "sale-pay", {"cash": "5"}, False, "can never change"),
    (
        "open: refund",
        _one_coffee,
        "sale-refund",
        {"everything": "1"},
        False,
        "Only a closed sale is refunded",
    ),
]


@pytest.mark.parametrize(
    ("setup", "name", "data", "on_line", "message"),
    [pytest.param(*case[1:], id=case[0]) for case in REFUSED],
)
def test_a_refused_action_is_a_red_message_and_changes_nothing(
    desk, make_sale, coffee, book, cashier_actor, setup, name, data, on_line, message
):
    sale, line = setup(make_sale=make_sale, coffee=coffee, book=book, cashier_actor=cashier_actor)
    data = {key: {"COFFEE": item(coffee)}.get(value, value) for key, value in data.items()}
    before = snapshot()
    response = post(desk, name, sale, data, line=line if on_line else None)
    html = response.content.decode()
    assert 400 <= response.status_code < 500
    assert 'class="flash flash-error"' in html
    assert message in html
    assert 'id="sale"' in html  # the sale comes back as it was, with the message on top
    assert snapshot() == before


def test_a_sale_with_a_running_stay_cannot_be_paid(
    desk, site, time_product, site_time_product, make_customer, cashier_actor, make_sale, coffee
):
    site_time_product(site, time_product)
    sale = make_sale((coffee, 1))
    stay = check_in(site=site, customer=make_customer(), actor=cashier_actor, at=paris(2026, 3, 2, 11))
    link_time_line(time_line_id=stay.pk, actor=cashier_actor, at=NOON, sale_id=sale.pk)
    page = desk.get(reverse("sale", args=[sale.pk])).content.decode()
    assert "still running" in page
    before = snapshot()
    response = post(desk, "sale-pay", sale, {"cash": "5"})
    assert response.status_code == 409
    assert "still running; stop it first" in response.content.decode()
    assert snapshot() == before

    # Stop it from the sale: its priced line joins the sale, which can then be paid.
    response = desk.post(reverse("sale-stop-stay", args=[sale.pk, stay.pk]), **HX)
    assert "checked out: €2.50 added." in response.content.decode()  # 1 h: the first hour
    stay.refresh_from_db()
    assert stay.end == NOON
    assert list(sale.lines.values_list("short_name", "time_line")) == [("Coffee", None), ("Parking", stay.pk)]
    assert "Receipt 000001 paid." in post(desk, "sale-pay", sale, {"cash": "5"}).content.decode()


def test_only_a_stay_of_this_sale_is_stopped_from_it(
    desk, site, make_customer, cashier_actor, make_sale, coffee
):
    sale = make_sale((coffee, 1))
    elsewhere = check_in(site=site, customer=make_customer(), actor=cashier_actor, at=paris(2026, 3, 2, 11))
    before = snapshot()
    response = desk.post(reverse("sale-stop-stay", args=[sale.pk, elsewhere.pk]), **HX)
    assert response.status_code == 404
    assert "This stay is not on this sale." in response.content.decode()
    elsewhere.refresh_from_db()
    assert elsewhere.end is None
    assert snapshot() == before


def test_the_product_list_offers_what_can_be_sold(
    desk, make_sale, coffee, ladder_product, make_product, system
):
    gone = make_product(internal_name="Old tea", short_name="Tea")
    gone.archived = True
    gone.save()
    sale = make_sale()
    add_line(sale_id=sale.pk, spec=LineSpec(coffee.pk), actor=Actor.operator())
    html = desk.get(reverse("sale", args=[sale.pk])).content.decode()
    assert "Coffee · €2.50" in html
    assert "Billiard 1 hour" in html and "Billiard 2 hours" in html
    assert "Old tea" not in html and ">Tea<" not in html
