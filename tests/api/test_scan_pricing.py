"""A stop through the API prices the stay once: toggle scans (people, devices), retries, the stop action."""

from decimal import Decimal

import pytest
import time_machine

from tests.catalog.conftest import make_product, site_time_product, time_product  # noqa: F401 - fixtures
from tests.conftest import paris
from timetill.sales.models import Sale, SaleLine
from timetill.sales.stays import sale_id_of  # the link is on the till's side
from timetill.timelines.models import Scan, TimeLine

D = Decimal
IN, OUT = paris(2026, 3, 2, 10, 0), paris(2026, 3, 2, 11, 20)  # 1 h 20: first hour 2.50 + 2 × 0.60


@pytest.fixture
def car_park(site, time_product, site_time_product):  # noqa: F811 - the imported fixtures
    site_time_product(site, time_product)
    return time_product


@pytest.fixture
def kiosk(api_device, site, make_device):
    return api_device(make_device(site).token)


def scan_at(api, when, body):
    with time_machine.travel(when, tick=False):
        return api.post("/scans", body)


def test_a_toggle_scan_that_stops_adds_one_sale_line(api_as, cashier, site, car_park, make_customer):
    api = api_as(cashier)
    body = {"site": site.slug, "code": make_customer("Ada").codes.get().value}
    status, started = scan_at(api, IN, body)
    assert (status, started["outcome"], started["sale"]) == (200, "started", None)
    status, stopped = scan_at(api, OUT, body)
    sale_line = SaleLine.objects.get()
    assert (status, stopped["outcome"]) == (200, "stopped")
    assert stopped["sale"] == {
        "sale_id": sale_line.sale_id,
        "line_id": sale_line.pk,
        "amount": "3.70",
        "currency": "EUR",
    }
    assert [part["amount"] for part in sale_line.explanation["lines"]] == ["2.50", "1.20"]
    assert sale_id_of(TimeLine.objects.get()) == sale_line.sale_id
    assert Sale.objects.get().gross == D("3.70")


def test_the_same_client_id_replayed_adds_nothing_and_answers_as_the_first_time(
    kiosk, site, car_park, make_customer
):
    code = make_customer("Ada").codes.get().value
    scan_at(kiosk, IN, {"site": site.slug, "code": code, "client_id": "kiosk-1/1"})
    checkout = {"site": site.slug, "code": code, "client_id": "kiosk-1/2"}
    first = scan_at(kiosk, OUT, checkout)
    assert kiosk.last["Idempotent-Replayed"] == "false"
    assert first[1]["sale"]["amount"] == "3.70"
    # The kiosk lost the answer and sends the check-out again, later (a retry, an offline sync).
    again = scan_at(kiosk, paris(2026, 3, 2, 11, 40), checkout)
    assert kiosk.last["Idempotent-Replayed"] == "true"
    assert again == first
    assert SaleLine.objects.count() == 1 and Sale.objects.count() == 1
    assert Sale.objects.get().gross == D("3.70")
    assert Scan.objects.count() == 2


def test_a_devices_check_out_is_priced_with_no_user_behind_it(kiosk, site, car_park, make_customer):
    code = make_customer("Ada").codes.get().value
    scan_at(kiosk, IN, {"site": site.slug, "code": code})
    status, body = scan_at(kiosk, OUT, {"site": site.slug, "code": code})
    sale = Sale.objects.get()
    assert (status, body["sale"]["sale_id"], sale.gross, sale.created_by) == (200, sale.pk, D("3.70"), None)
    assert TimeLine.objects.get().stopped_via == "device"


def test_a_scan_that_does_not_stop_adds_nothing(api_as, cashier, make_site, car_park, make_customer):
    show = make_site(existing_line_policy="show", bounce_seconds=0)
    api = api_as(cashier)
    body = {"site": show.slug, "code": make_customer().codes.get().value}
    scan_at(api, IN, body)
    status, shown = scan_at(api, OUT, body)
    assert (status, shown["outcome"], shown["sale"]) == (200, "shown", None)
    assert not Sale.objects.exists()


def test_without_a_time_product_a_stop_answers_no_sale(api_as, cashier, site, make_customer):
    api = api_as(cashier)
    body = {"site": site.slug, "code": make_customer().codes.get().value}
    scan_at(api, IN, body)
    status, stopped = scan_at(api, OUT, body)
    assert (status, stopped["outcome"], stopped["sale"]) == (200, "stopped", None)
    assert not Sale.objects.exists()


def test_the_stop_action_prices_the_stay(api_as, cashier, site, car_park, make_customer):
    api = api_as(cashier)
    started = scan_at(api, IN, {"site": site.slug, "code": make_customer().codes.get().value})[1]
    line_id = started["time_line"]["id"]
    with time_machine.travel(OUT, tick=False):
        status, line = api.post(f"/time-lines/{line_id}/stop")
        again = api.post(f"/time-lines/{line_id}/stop")
    assert (status, line["end"] is not None) == (200, True)
    assert again[0] == 409 and again[1]["code"] == "already_stopped"
    assert SaleLine.objects.get().gross == D("3.70")


def test_a_parents_check_out_by_api_is_priced(api_as, make_parent, site, car_park, make_customer):
    child = make_customer("Léa")
    api = api_as(make_parent(child))
    body = {"site": site.slug, "code": child.codes.get().value}
    scan_at(api, IN, body)
    status, stopped = scan_at(api, OUT, body)
    assert (status, stopped["outcome"], stopped["sale"]["amount"]) == (200, "stopped", "3.70")
    assert Sale.objects.get().customer_id == child.pk
