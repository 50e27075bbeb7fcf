"""Time lines at the till: a stop prices the stay with its explanation; links, ladders, amounts due so far."""

from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from tests.conftest import paris
from tests.sales.conftest import NOON
from timetill.customers.models import CustomerGroup
from timetill.errors import TimetillError
from timetill.sales.models import Sale
from timetill.sales.services import PaymentSpec, close_sale, remove_line
from timetill.sales.stays import (
    amount_due_so_far,
    amounts_due_so_far,
    assign_customer,
    change_step,
    hide_lines_of_closed_sales,
    link_time_line,
    price_after_scan,
    price_time_line_on_stop,
    sale_of,  # the link is on the till's side
    stop_and_price,
)
from timetill.timelines.services.scan import check_in, scan

D = Decimal


def arrive(site, customer, actor, at):
    with time_machine.travel(at, tick=False):
        return check_in(site=site, customer=customer, actor=actor, at=timezone.now())


def leave(line, actor, at):
    with time_machine.travel(at, tick=False):
        return stop_and_price(time_line_id=line.pk, actor=actor, at=timezone.now())


@pytest.fixture
def car_park(site, time_product, site_time_product):
    site_time_product(site, time_product)
    return time_product


def test_a_stop_adds_the_priced_line_with_its_explanation(site, car_park, make_customer, cashier_actor):
    # 1 h 20 in Paris on a winter morning: first hour 2.50, then 2 × 0.60.
    line = arrive(site, make_customer(), cashier_actor, paris(2026, 3, 2, 10, 0))
    line, sale_line = leave(line, cashier_actor, paris(2026, 3, 2, 11, 20))
    assert sale_line.gross == D("3.70")
    assert (sale_line.short_name, sale_line.quantity, sale_line.time_line_id) == ("Parking", D(1), line.pk)
    explanation = sale_line.explanation
    assert explanation["start"] == "2026-03-02T10:00:00+01:00"
    assert explanation["end"] == "2026-03-02T11:20:00+01:00"
    assert [(x["label"], x["amount"]) for x in explanation["lines"]] == [
        ("First hour", "2.50"),
        ("Time", "1.20"),
    ]
    line.refresh_from_db()
    assert sale_of(line) == sale_line.sale
    assert sale_of(line).state == "open"
    assert sale_of(line).gross == D("3.70")


def test_a_stop_across_the_spring_forward_night_bills_real_time(site, car_park, make_customer, cashier_actor):
    line = arrive(site, make_customer(), cashier_actor, paris(2026, 3, 29, 1, 30))
    _, sale_line = leave(line, cashier_actor, paris(2026, 3, 29, 3, 30))  # one real hour
    assert sale_line.gross == D("2.50")
    assert sale_line.explanation["duration_seconds"] == "3600"


def test_a_scan_that_stops_is_priced_too(site, car_park, make_customer, cashier_actor):
    alice = make_customer()
    code = alice.codes.first().value
    with time_machine.travel(paris(2026, 3, 2, 10, 0), tick=False):
        scan(site=site, code=code, actor=cashier_actor, at=timezone.now())
    with time_machine.travel(paris(2026, 3, 2, 15, 0), tick=False):
        result = scan(site=site, code=code, actor=cashier_actor, at=timezone.now())
        sale_line = price_after_scan(result=result, actor=cashier_actor, at=timezone.now())
    assert sale_line.gross == D("12.10")


def test_pricing_twice_adds_one_line(site, car_park, make_customer, cashier_actor):
    line = arrive(site, make_customer(), cashier_actor, paris(2026, 3, 2, 10))
    _, first = leave(line, cashier_actor, paris(2026, 3, 2, 11))
    again = price_time_line_on_stop(time_line_id=line.pk, actor=cashier_actor, at=paris(2026, 3, 2, 11))
    assert again.pk == first.pk
    assert first.sale.lines.count() == 1


def test_a_group_gets_its_price(site, car_park, make_customer, cashier_actor):
    line = arrive(site, make_customer(group="members"), cashier_actor, paris(2026, 3, 2, 10))
    _, sale_line = leave(line, cashier_actor, paris(2026, 3, 2, 11, 20))
    assert sale_line.gross == D("3.14")
    assert sale_line.explanation["lines"][-1]["code"] == "discount"


def test_a_group_can_have_its_own_time_product(
    site, car_park, make_product, site_time_product, make_customer, cashier_actor
):
    flat = make_product(
        "time",
        internal_name="Staff parking",
        tariff={"version": 1, "kind": "rate", "currency": "EUR", "unit": "1h", "per_unit": "0.10"},
    )
    site_time_product(site, flat, CustomerGroup.objects.get_or_create(name="staff")[0])
    line = arrive(site, make_customer(group="staff"), cashier_actor, paris(2026, 3, 2, 10))
    _, sale_line = leave(line, cashier_actor, paris(2026, 3, 2, 13))
    assert (sale_line.name, sale_line.gross) == ("Staff parking", D("0.30"))


def test_a_ladder_proposes_a_step_the_cashier_can_change(
    site, ladder_product, site_time_product, make_customer, cashier_actor
):
    site_time_product(site, ladder_product)
    line = arrive(site, make_customer(), cashier_actor, paris(2026, 3, 2, 10))
    _, sale_line = leave(line, cashier_actor, paris(2026, 3, 2, 10, 45))
    assert (sale_line.variant.label, sale_line.gross) == ("1 hour", D("6.00"))
    two_hours = ladder_product.variants.get(label="2 hours")
    changed = change_step(
        sale_id=sale_line.sale_id, line_id=sale_line.pk, variant_id=two_hours.pk, actor=cashier_actor
    )
    assert (changed.variant.label, changed.unit_price, changed.gross) == ("2 hours", D("11.00"), D("11.00"))
    assert changed.explanation["total"] == "11.00"
    assert [c["proposed"] for c in changed.explanation["choices"]] == [False, True]
    sale = Sale.objects.get(pk=sale_line.sale_id)
    assert sale.gross == D("11.00")


def test_a_changed_step_is_quoted_again_so_line_explanation_and_vat_agree(
    site, ladder_product, site_time_product, make_customer, cashier_actor
):
    site_time_product(site, ladder_product)
    line = arrive(site, make_customer(), cashier_actor, paris(2026, 3, 2, 10))
    _, sale_line = leave(line, cashier_actor, paris(2026, 3, 2, 10, 45))
    two_hours = ladder_product.variants.get(label="2 hours")
    change_step(sale_id=sale_line.sale_id, line_id=sale_line.pk, variant_id=two_hours.pk, actor=cashier_actor)
    sale_line.refresh_from_db()
    explanation = sale_line.explanation
    # The stored explanation is the engine's quote for the chosen step: same total as the line.
    assert (sale_line.unit_price, sale_line.gross) == (D("11.00"), D("11.00"))
    assert explanation["total"] == "11.00"
    assert [(p["label"], p["amount"]) for p in explanation["lines"]] == [("2 hours (chosen)", "11.00")]
    # 11.00 incl. 20 %: 11.00 × 20 / 120 = 1.833… → 1.83 on the line and on the sale.
    sale = Sale.objects.get(pk=sale_line.sale_id)
    assert (sale_line.net, sale_line.vat) == (D("9.17"), D("1.83"))
    assert (sale.net, sale.vat, sale.gross) == (D("9.17"), D("1.83"), D("11.00"))


def test_a_ladder_past_its_longest_step_starts_again(
    site, ladder_product, site_time_product, make_customer, cashier_actor
):
    site_time_product(site, ladder_product)
    line = arrive(site, make_customer(), cashier_actor, paris(2026, 3, 2, 10))
    _, sale_line = leave(line, cashier_actor, paris(2026, 3, 2, 13, 30))
    assert (sale_line.variant.label, sale_line.gross) == ("2 hours", D("22.00"))
    one_hour = ladder_product.variants.get(label="1 hour")
    changed = change_step(
        sale_id=sale_line.sale_id, line_id=sale_line.pk, variant_id=one_hour.pk, actor=cashier_actor
    )
    assert changed.gross == D("17.00")


def test_several_stays_on_one_parked_sale(site, car_park, make_customer, cashier_actor):
    family = [arrive(site, make_customer(), cashier_actor, paris(2026, 3, 2, 10)) for _ in range(2)]
    sale = link_time_line(time_line_id=family[0].pk, actor=cashier_actor, at=paris(2026, 3, 2, 10))
    link_time_line(time_line_id=family[1].pk, sale_id=sale.pk, actor=cashier_actor, at=paris(2026, 3, 2, 10))
    assert sale.lines.count() == 0  # still running: nothing to price yet
    with pytest.raises(TimetillError) as caught:
        close_sale(sale_id=sale.pk, payments=[], actor=cashier_actor, at=paris(2026, 3, 2, 10))
    assert caught.value.code == "empty_sale"
    leave(family[0], cashier_actor, paris(2026, 3, 2, 11, 20))
    with pytest.raises(TimetillError) as caught:
        close_sale(sale_id=sale.pk, payments=[PaymentSpec("cash", D("20"))], actor=cashier_actor, at=NOON)
    assert caught.value.code == "time_line_open"
    leave(family[1], cashier_actor, paris(2026, 3, 2, 15))
    sale.refresh_from_db()
    assert sale.gross == D("15.80")
    assert sale.time_lines.count() == 2


def test_linking_a_stopped_stay_prices_it_and_moving_it_moves_its_line(
    site, car_park, make_customer, cashier_actor
):
    line = arrive(site, make_customer(), cashier_actor, paris(2026, 3, 2, 10))
    _, sale_line = leave(line, cashier_actor, paris(2026, 3, 2, 11))
    other = link_time_line(time_line_id=line.pk, actor=cashier_actor, at=NOON)
    assert other.pk != sale_line.sale_id
    assert other.gross == D("2.50")
    # The sale it left holds nothing now: it goes, rather than lingering empty in the open list.
    assert not Sale.objects.filter(pk=sale_line.sale_id).exists()
    # Removing the line unlinks the stay; linking it again prices it again.
    remove_line(sale_id=other.pk, line_id=other.lines.get().pk, actor=cashier_actor)
    line.refresh_from_db()
    assert sale_of(line) is None
    assert link_time_line(time_line_id=line.pk, sale_id=other.pk, actor=cashier_actor, at=NOON).gross == D(
        "2.50"
    )


def test_a_stay_of_a_closed_sale_cannot_move(site, car_park, make_customer, cashier_actor):
    line = arrive(site, make_customer(), cashier_actor, paris(2026, 3, 2, 10))
    _, sale_line = leave(line, cashier_actor, paris(2026, 3, 2, 11))
    close_sale(
        sale_id=sale_line.sale_id, payments=[PaymentSpec("cash", D("2.50"))], actor=cashier_actor, at=NOON
    )
    with pytest.raises(TimetillError) as caught:
        link_time_line(time_line_id=line.pk, actor=cashier_actor, at=NOON)
    assert caught.value.code == "sale_closed"


def test_no_time_product_means_no_line(site, make_customer, cashier_actor):
    line = arrive(site, make_customer(), cashier_actor, paris(2026, 3, 2, 10))
    stopped, sale_line = leave(line, cashier_actor, paris(2026, 3, 2, 11))
    assert sale_line is None
    assert sale_of(stopped) is None


def test_daily_time_is_not_priced_at_the_till(
    site, make_product, site_time_product, make_customer, cashier_actor
):
    site_time_product(site, make_product("daily_time"))
    line = arrive(site, make_customer(), cashier_actor, paris(2026, 10, 5, 8))
    _, sale_line = leave(line, cashier_actor, paris(2026, 10, 5, 16, 40))
    assert sale_line is None


def test_amount_due_so_far(site, car_park, make_customer, cashier_actor):
    lines = [arrive(site, make_customer(), cashier_actor, paris(2026, 3, 2, h)) for h in (8, 10)]
    quote = amount_due_so_far(time_line=lines[0], now=paris(2026, 3, 2, 13))
    assert quote.total.amount == D("12.10")  # 5 h so far
    dues = amounts_due_so_far(time_lines=lines, now=paris(2026, 3, 2, 13))
    assert [dues[t.pk].quote.total.amount for t in lines] == [D("12.10"), D("7.30")]


def test_hide_lines_of_closed_sales(site, car_park, make_customer, cashier_actor):
    paid, unpaid, running = (
        arrive(site, make_customer(), cashier_actor, paris(2026, 3, 2, 9)) for _ in range(3)
    )
    _, line = leave(paid, cashier_actor, paris(2026, 3, 2, 10))
    leave(unpaid, cashier_actor, paris(2026, 3, 2, 10))
    close_sale(sale_id=line.sale_id, payments=[PaymentSpec("card", D("2.50"))], actor=cashier_actor, at=NOON)
    assert hide_lines_of_closed_sales(site_id=site.pk, actor=cashier_actor, at=NOON) == 1
    hidden = {t.pk: t.hidden for t in type(paid).objects.all()}
    assert hidden == {paid.pk: True, unpaid.pk: False, running.pk: False}
    assert paid.audit.filter(action="hide").count() == 1


def test_a_paid_stay_keeps_its_customer(site, car_park, make_customer, cashier_actor):
    alice, chloe = make_customer("Alice"), make_customer("Chloé")
    line = arrive(site, alice, cashier_actor, paris(2026, 3, 2, 10, 0))
    line, sale_line = leave(line, cashier_actor, paris(2026, 3, 2, 11, 20))
    close_sale(
        sale_id=sale_line.sale_id, payments=[PaymentSpec("cash", D("3.70"))], actor=cashier_actor, at=NOON
    )
    with pytest.raises(TimetillError) as refused:
        assign_customer(time_line_id=line.pk, customer=chloe, actor=cashier_actor, at=NOON)
    assert refused.value.code == "sale_closed"
    line.refresh_from_db()
    assert line.customer == alice
    assert not line.audit.filter(action="assign").exists()


def test_a_stay_on_an_open_sale_can_be_reassigned(site, car_park, make_customer, cashier_actor):
    alice, chloe = make_customer("Alice"), make_customer("Chloé")
    line = arrive(site, alice, cashier_actor, paris(2026, 3, 2, 10, 0))
    line, _ = leave(line, cashier_actor, paris(2026, 3, 2, 11, 20))
    assert (
        assign_customer(time_line_id=line.pk, customer=chloe, actor=cashier_actor, at=NOON).customer == chloe
    )
