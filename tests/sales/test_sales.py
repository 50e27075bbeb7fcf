"""The sale life cycle: lines, discounts, parking, closing; each bad input refused, nothing changed."""

from decimal import Decimal

import pytest

from tests.sales.conftest import NOON
from timetill.billing.models import Counter
from timetill.catalog.services import delete_product
from timetill.errors import TimetillError
from timetill.sales.models import Payment, Sale, SaleLine
from timetill.sales.services import (
    LineSpec,
    PaymentSpec,
    add_line,
    change_given,
    close_sale,
    open_sale,
    park,
    remove_line,
    resume,
    set_discount,
)

D = Decimal


def refused(code, call, **kwargs):
    with pytest.raises(TimetillError) as caught:
        call(**kwargs)
    assert caught.value.code == code, caught.value.message
    return caught.value


def snapshot(sale):
    sale = Sale.objects.get(pk=sale.pk)
    return (
        sale.state,
        sale.number,
        sale.gross,
        list(SaleLine.objects.filter(sale=sale).values_list("quantity", "unit_price", "discount", "gross")),
        list(Payment.objects.filter(sale=sale).values_list("amount")),
    )


@pytest.fixture
def coffee(make_product):
    return make_product(internal_name="Coffee (bar)", short_name="Coffee", price=D("1.80"), vat_rate=D("10"))


def test_a_line_copies_the_product(make_sale, coffee):
    sale = make_sale((coffee, 2))
    line = sale.lines.get()
    assert (line.name, line.short_name, line.quantity, line.unit_price, line.vat_rate) == (
        "Coffee (bar)",
        "Coffee",
        D(2),
        D("1.80"),
        D("10.00"),
    )
    assert (line.net, line.vat, line.gross) == (D("3.27"), D("0.33"), D("3.60"))


def test_a_ladder_step_is_sold_at_its_price(make_sale, ladder_product, system):
    sale = make_sale()
    step = ladder_product.variants.get(label="2 hours")
    line = add_line(sale_id=sale.pk, spec=LineSpec(ladder_product.pk, variant_id=step.pk), actor=system)
    assert (line.short_name, line.unit_price) == ("Billiard 2 hours", D("11.00"))
    refused("variant_required", add_line, sale_id=sale.pk, spec=LineSpec(ladder_product.pk), actor=system)


def test_a_daily_time_product_added_by_hand_needs_its_price(make_sale, make_product, system):
    extra = make_product("daily_time")
    sale = make_sale()
    refused("price_required", add_line, sale_id=sale.pk, spec=LineSpec(extra.pk), actor=system)
    line = add_line(sale_id=sale.pk, spec=LineSpec(extra.pk, unit_price=D("38.00")), actor=system)
    assert line.gross == D("38.00")


@pytest.mark.parametrize(
    ("quantity", "price", "code"),
    [
        ("-1", None, "negative_quantity"),
        ("0", None, "invalid_quantity"),
        ("1.0001", None, "invalid_quantity"),
        ("1", "-1.80", "negative_price"),
        ("1", "1.805", "too_many_decimals"),
    ],
)
def test_bad_lines_are_refused_and_nothing_changes(make_sale, coffee, system, quantity, price, code):
    sale = make_sale((coffee, 1))
    before = snapshot(sale)
    spec = LineSpec(coffee.pk, D(quantity), unit_price=None if price is None else D(price))
    refused(code, add_line, sale_id=sale.pk, spec=spec, actor=system)
    assert snapshot(sale) == before


def test_an_unknown_or_deleted_product_is_refused(make_sale, coffee, system):
    sale = make_sale((coffee, 1))
    refused("unknown_product", add_line, sale_id=sale.pk, spec=LineSpec(99999), actor=system)
    close_sale(sale_id=sale.pk, payments=[PaymentSpec("card", D("1.80"))], actor=system, at=NOON)
    assert delete_product(product_id=coffee.pk, actor=system).archived
    refused("product_archived", add_line, sale_id=make_sale().pk, spec=LineSpec(coffee.pk), actor=system)


def test_a_sold_product_is_archived_and_the_sale_keeps_its_line(make_sale, coffee, system):
    sale = make_sale((coffee, 1))
    close_sale(sale_id=sale.pk, payments=[PaymentSpec("cash", D("2"))], actor=system, at=NOON)
    delete_product(product_id=coffee.pk, actor=system)
    coffee.refresh_from_db()
    assert coffee.archived
    line = sale.lines.get()
    assert (line.product_id, line.short_name, line.gross) == (coffee.pk, "Coffee", D("1.80"))


def test_remove_line(make_sale, coffee, system):
    sale = make_sale((coffee, 1), (coffee, 2))
    sale = remove_line(sale_id=sale.pk, line_id=sale.lines.first().pk, actor=system)
    assert sale.gross == D("3.60")


def test_discounts_as_amount_or_percent(make_sale, coffee, system):
    sale = make_sale((coffee, 3))
    line = sale.lines.get()
    line = set_discount(sale_id=sale.pk, line_id=line.pk, amount=D("0.40"), actor=system)
    assert (line.discount, line.gross, line.vat) == (D("0.40"), D("5.00"), D("0.45"))
    line = set_discount(sale_id=sale.pk, line_id=line.pk, percent=D("15"), actor=system)
    assert (line.discount, line.gross) == (D("0.81"), D("4.59"))
    refused("invalid_discount", set_discount, sale_id=sale.pk, line_id=line.pk, amount=D("6"), actor=system)
    refused(
        "invalid_discount", set_discount, sale_id=sale.pk, line_id=line.pk, percent=D("101"), actor=system
    )
    line = set_discount(sale_id=sale.pk, line_id=line.pk, actor=system)
    assert line.gross == D("5.40")


def test_park_and_resume(make_sale, coffee, system):
    sale = make_sale((coffee, 1))
    assert park(sale_id=sale.pk, actor=system, at=NOON).state == "parked"
    add_line(sale_id=sale.pk, spec=LineSpec(coffee.pk), actor=system)  # a parked sale still takes lines
    assert resume(sale_id=sale.pk, actor=system, at=NOON).state == "open"


def test_close_with_cash_gives_change_and_a_number(make_sale, coffee, system):
    sale = make_sale((coffee, 3))
    sale = close_sale(sale_id=sale.pk, payments=[PaymentSpec("cash", D("10.00"))], actor=system, at=NOON)
    assert (sale.state, sale.number, sale.closed_at) == ("closed", 1, NOON)
    payment = sale.payments.get()
    assert (payment.amount, payment.tendered, payment.change) == (D("5.40"), D("10.00"), D("4.60"))
    assert change_given(sale) == D("4.60")


def test_split_payment_card_then_cash(make_sale, coffee, system):
    sale = make_sale((coffee, 10))  # 18.00
    sale = close_sale(
        sale_id=sale.pk,
        payments=[
            PaymentSpec("card", D("10.00")),
            PaymentSpec("other", D("3.00")),
            PaymentSpec("cash", D("20")),
        ],
        actor=system,
        at=NOON,
    )
    assert list(sale.payments.values_list("method", "amount", "tendered", "change")) == [
        ("card", D("10.00"), None, None),
        ("other", D("3.00"), None, None),
        ("cash", D("5.00"), D("20.00"), D("15.00")),
    ]


def test_numbers_follow_each_other_per_site(make_sale, coffee, system, make_site):
    numbers = []
    for _ in range(3):
        sale = make_sale((coffee, 1))
        numbers.append(
            close_sale(
                sale_id=sale.pk, payments=[PaymentSpec("card", D("1.80"))], actor=system, at=NOON
            ).number
        )
    other = make_sale((coffee, 1), site=make_site())
    assert numbers == [1, 2, 3]
    assert (
        close_sale(sale_id=other.pk, payments=[PaymentSpec("card", D("1.80"))], actor=system, at=NOON).number
        == 1
    )


@pytest.mark.parametrize(
    ("payments", "code"),
    [
        ([PaymentSpec("cash", D("5.00"))], "underpaid"),
        ([], "underpaid"),
        ([PaymentSpec("card", D("6.00"))], "overpaid"),
        ([PaymentSpec("card", D("-1")), PaymentSpec("cash", D("7"))], "invalid_payment"),
        ([PaymentSpec("cheque", D("6.00"))], "invalid_payment_method"),
        ([PaymentSpec("cash", D("5.401"))], "too_many_decimals"),
    ],
)
def test_bad_payments_are_refused_and_nothing_changes(make_sale, coffee, system, payments, code):
    sale = make_sale((coffee, 3))  # 5.40
    before = snapshot(sale)
    refused(code, close_sale, sale_id=sale.pk, payments=payments, actor=system, at=NOON)
    assert snapshot(sale) == before
    assert not Counter.objects.filter(last__gt=0).exists()


def test_an_empty_sale_cannot_be_closed(make_sale, system):
    sale = make_sale()
    refused("empty_sale", close_sale, sale_id=sale.pk, payments=[], actor=system, at=NOON)
    assert snapshot(sale) == ("open", None, D(0), [], [])


def test_a_free_sale_closes_without_payment(make_sale, make_product, system):
    free = make_product(price=D("0"))
    sale = close_sale(sale_id=make_sale((free, 1)).pk, payments=[], actor=system, at=NOON)
    assert sale.number == 1


def test_a_closed_sale_never_changes(make_sale, coffee, system):
    sale = make_sale((coffee, 1))
    close_sale(sale_id=sale.pk, payments=[PaymentSpec("card", D("1.80"))], actor=system, at=NOON)
    before = snapshot(sale)
    line_id = sale.lines.get().pk
    for call, kwargs in [
        (add_line, {"spec": LineSpec(coffee.pk)}),
        (remove_line, {"line_id": line_id}),
        (set_discount, {"line_id": line_id, "amount": D("1")}),
        (park, {"at": NOON}),
        (resume, {"at": NOON}),
        (close_sale, {"payments": [PaymentSpec("card", D("1.80"))], "at": NOON}),
    ]:
        error = refused("sale_closed", call, sale_id=sale.pk, actor=system, **kwargs)
        assert "refund" in error.message
    assert snapshot(sale) == before


def test_the_till_needs_track_time_and_a_person(site, make_parent, make_device):
    from timetill.timelines.actors import Actor

    refused("forbidden", open_sale, site=site, actor=Actor.for_user(make_parent()), at=NOON)
    refused(
        "devices_cannot_sell", open_sale, site=site, actor=Actor.for_device(make_device(site).device), at=NOON
    )
