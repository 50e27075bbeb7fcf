"""Refunds: a new sale that refers to a closed one and takes its lines back, never more than was sold."""

from decimal import Decimal

import pytest

from tests.sales.conftest import NOON
from timetill.errors import TimetillError
from timetill.sales.models import Sale
from timetill.sales.services import (
    LineSpec,
    PaymentSpec,
    RefundItem,
    add_line,
    close_sale,
    refund,
    vat_breakdown,
)

D = Decimal


@pytest.fixture
def paid_sale(make_sale, make_product, system):
    coffee = make_product(internal_name="Coffee", price=D("1.05"), vat_rate=D("10"))
    book = make_product(internal_name="Book", price=D("0.13"), vat_rate=D("5.5"), prices_include_vat=False)
    sale = make_sale((coffee, 3), (book, 1))
    return close_sale(sale_id=sale.pk, payments=[PaymentSpec("cash", D("5"))], actor=system, at=NOON)


def test_a_full_refund_is_the_exact_negative(paid_sale, system):
    back = refund(sale_id=paid_sale.pk, actor=system, at=NOON)
    assert back.refund_of == paid_sale
    assert (back.net, back.vat, back.gross) == (-paid_sale.net, -paid_sale.vat, -paid_sale.gross)
    assert [(r.rate, r.gross) for r in vat_breakdown(back).by_rate] == [
        (r.rate, -r.gross) for r in vat_breakdown(paid_sale).by_rate
    ]
    back = close_sale(sale_id=back.pk, payments=[PaymentSpec("cash", back.gross)], actor=system, at=NOON)
    assert back.number == 2
    paid_sale.refresh_from_db()
    assert paid_sale.state == "closed"


def test_a_partial_refund_and_never_more_than_sold(paid_sale, system):
    coffee_line = paid_sale.lines.get(name="Coffee")
    back = refund(sale_id=paid_sale.pk, items=[RefundItem(coffee_line.pk, D(2))], actor=system, at=NOON)
    assert back.gross == D("-2.10")
    with pytest.raises(TimetillError) as caught:
        refund(sale_id=paid_sale.pk, items=[RefundItem(coffee_line.pk, D(2))], actor=system, at=NOON)
    assert caught.value.code == "already_refunded"
    assert Sale.objects.filter(refund_of=paid_sale).count() == 1


def test_a_refund_sale_takes_negative_lines_and_pays_back_exactly(paid_sale, make_product, system):
    back = refund(
        sale_id=paid_sale.pk, items=[RefundItem(paid_sale.lines.first().pk, D(1))], actor=system, at=NOON
    )
    extra = make_product(price=D("1.00"))
    add_line(sale_id=back.pk, spec=LineSpec(extra.pk, D(-1)), actor=system)  # allowed on a refund only
    back.refresh_from_db()
    assert back.gross == D("-2.05")
    for payments, code in [
        ([PaymentSpec("cash", D("-2.00"))], "refund_mismatch"),
        ([PaymentSpec("cash", D("2.05"))], "invalid_payment"),
    ]:
        with pytest.raises(TimetillError) as caught:
            close_sale(sale_id=back.pk, payments=payments, actor=system, at=NOON)
        assert caught.value.code == code
    assert close_sale(
        sale_id=back.pk, payments=[PaymentSpec("card", D("-2.05"))], actor=system, at=NOON
    ).number


def test_only_a_closed_sale_is_refunded(make_sale, make_product, system, paid_sale):
    open_one = make_sale((make_product(), 1))
    for sale_id, code in [(open_one.pk, "sale_not_closed")]:
        with pytest.raises(TimetillError) as caught:
            refund(sale_id=sale_id, actor=system, at=NOON)
        assert caught.value.code == code
    back = refund(sale_id=paid_sale.pk, actor=system, at=NOON)
    close_sale(sale_id=back.pk, payments=[PaymentSpec("cash", back.gross)], actor=system, at=NOON)
    with pytest.raises(TimetillError) as caught:
        refund(sale_id=back.pk, actor=system, at=NOON)
    assert caught.value.code == "refund_of_refund"
