"""scan_and_price, price_after_scan: a check-out by scan is priced in the scan's transaction, exactly once."""

from decimal import Decimal

import pytest
import time_machine
from django.core.management import call_command
from django.db import IntegrityError
from django.utils import timezone

from tests.conftest import paris
from timetill.errors import TimetillError
from timetill.sales.models import Sale, SaleLine
from timetill.sales.stays import (
    price_after_scan,
    sale_id_of,  # the link is on the till's side
    scan_and_price,
    stop_and_price,
)
from timetill.timelines.models import Scan, TimeLine
from timetill.timelines.services import rows

D = Decimal


@pytest.fixture
def car_park(site, time_product, site_time_product):
    site_time_product(site, time_product)
    return time_product


def scan_at(site, code, actor, when, **kwargs):
    with time_machine.travel(when, tick=False):
        return scan_and_price(site=site, code=code, actor=actor, at=timezone.now(), **kwargs)


def test_price_after_scan_is_idempotent(site, car_park, make_customer, cashier_actor):
    code = make_customer().codes.get().value
    scan_at(site, code, cashier_actor, paris(2026, 3, 2, 10))
    result, first = scan_at(site, code, cashier_actor, paris(2026, 3, 2, 11, 20), client_id="c-2")
    again = price_after_scan(result=result, actor=cashier_actor, at=paris(2026, 3, 2, 11, 21))
    replay, replayed_line = scan_at(site, code, cashier_actor, paris(2026, 3, 2, 11, 22), client_id="c-2")
    assert replay.replayed
    assert first.pk == again.pk == replayed_line.pk
    assert SaleLine.objects.count() == 1 and Sale.objects.get().gross == D("3.70")


def test_a_failing_price_rolls_the_check_out_back(site, car_park, make_customer, cashier_actor, monkeypatch):
    code = make_customer().codes.get().value
    scan_at(site, code, cashier_actor, paris(2026, 3, 2, 10))

    def broken(*args, **kwargs):
        raise TimetillError("currency_mismatch", "The tariff is in USD, the site in EUR.")

    monkeypatch.setattr("timetill.sales.stays._priced_line", broken)
    with pytest.raises(TimetillError, match="USD"):
        scan_at(site, code, cashier_actor, paris(2026, 3, 2, 11, 20))
    # One transaction: the stop, the scan and the sale are all gone.
    assert TimeLine.objects.get().end is None
    assert Scan.objects.count() == 1 and not Sale.objects.exists()


def test_a_scan_retried_after_a_lost_race_is_priced_once(
    site, car_park, make_customer, cashier_actor, monkeypatch
):
    """The scan service retries the whole transaction when a constraint fires; the price comes once."""
    code = make_customer().codes.get().value
    scan_at(site, code, cashier_actor, paris(2026, 3, 2, 10))
    real = rows.write
    calls = []

    def write_once_failing(*, updates=(), inserts=()):
        # The scan's row is the transaction's last write: a race lost there rolls back the priced line.
        for instance in inserts:
            if isinstance(instance, Scan):
                calls.append(instance.outcome)
                if len(calls) == 1:
                    raise IntegrityError("simulated race")
        return real(updates=updates, inserts=inserts)

    monkeypatch.setattr(rows, "write", write_once_failing)
    result, sale_line = scan_at(site, code, cashier_actor, paris(2026, 3, 2, 11, 20))
    assert calls == ["stopped", "stopped"]
    assert result.outcome == "stopped" and sale_line.gross == D("3.70")
    assert SaleLine.objects.count() == 1 and Sale.objects.count() == 1


def test_the_shell_scan_prices_a_check_out(site, car_park, make_customer, capsys):
    code = make_customer("Alice").codes.get().value
    with time_machine.travel(paris(2026, 3, 2, 10), tick=False):
        call_command("scan", code, "--site", site.slug)
    with time_machine.travel(paris(2026, 3, 2, 11, 20), tick=False):
        call_command("scan", code, "--site", site.slug)
    out = capsys.readouterr().out
    sale = Sale.objects.get()
    assert "stopped: Alice checked out." in out
    assert f"Car park (visitors): 3.70 EUR on sale {sale.pk}" in out
    assert sale.gross == D("3.70") and sale.created_by is None


def test_stop_and_price_answers_the_stay_with_the_sale_it_got(site, car_park, make_customer, cashier_actor):
    code = make_customer().codes.get().value
    result, _ = scan_at(site, code, cashier_actor, paris(2026, 3, 2, 10))
    with time_machine.travel(paris(2026, 3, 2, 11, 20), tick=False):
        time_line, sale_line = stop_and_price(
            time_line_id=result.time_line.pk, actor=cashier_actor, at=timezone.now()
        )
    assert sale_id_of(time_line) == sale_line.sale_id == sale_id_of(TimeLine.objects.get())
    assert time_line.end == paris(2026, 3, 2, 11, 20) and sale_line.gross == D("3.70")
