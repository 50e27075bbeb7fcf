"""Correcting a priced stay's times prices it again while its sale is open or parked, never once closed."""

import json
import re
from datetime import datetime
from decimal import Decimal

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.conftest import paris
from tests.web.conftest import HX
from timetill.api import api
from timetill.sales.models import Sale, SaleLine
from timetill.sales.services import PaymentSpec, close_sale, park, set_discount
from timetill.sales.stays import (
    change_step,
    edit_times_and_reprice,
    sale_id_of,  # the link is on the till's side
    stop_and_price,
)
from timetill.timelines.actors import Actor
from timetill.timelines.models import AuditEntry, TimeLine
from timetill.timelines.services.scan import check_in

D = Decimal
CORRECTED_AT = paris(2026, 3, 2, 14, 0)


@pytest.fixture
def car_park(site, time_product, site_time_product):
    """PRODUCT.md's car park at the (Europe/Paris) front desk: first hour 2.50, then 0.60 per 15 min."""
    site_time_product(site, time_product)
    return time_product


def stay(site, customer, start, end=None):
    """A stay checked in at `start` and, with `end`, stopped then (priced as any stop)."""
    with time_machine.travel(start, tick=False):
        line = check_in(site=site, customer=customer, actor=Actor.operator(), at=timezone.now())
    if end is None:
        return line
    with time_machine.travel(end, tick=False):
        return stop_and_price(time_line_id=line.pk, actor=Actor.operator(), at=timezone.now()).time_line


def correct_on_the_page(client, line, start, end, reason="Forgot to scan out"):
    with time_machine.travel(CORRECTED_AT, tick=False):
        return client.post(
            reverse("timestamp-times", args=[line.pk]),
            {"site": line.site.slug, "start": start, "end": end, "reason": reason},
            **HX,
        )


def correct_by_api(user, line, start, end, reason="Forgot to scan out"):
    client = Client()
    client.force_login(user)
    with time_machine.travel(CORRECTED_AT, tick=False):
        response = client.post(
            f"/api/time-lines/{line.pk}/times",
            json.dumps({"start": start, "end": end, "reason": reason}),
            content_type="application/json",
        )
    return response.status_code, response.json()


def explained(sale_line):
    return [(part["label"], part["amount"]) for part in sale_line.explanation["lines"]]


def state_of(line):
    """Everything a refused correction must leave as it was."""
    sale_line = SaleLine.objects.get(time_line=line)
    sale = sale_line.sale
    return (
        TimeLine.objects.filter(pk=line.pk).values_list("start", "end").get(),
        (sale_line.unit_price, sale_line.gross, sale_line.explanation, sale_line.variant_id),
        (sale.state, sale.net, sale.vat, sale.gross),
        AuditEntry.objects.count(),
    )


def test_the_page_correction_prices_the_stay_again(login, manager, site, car_park, make_customer):
    line = stay(site, make_customer("Alice"), paris(2026, 3, 2, 10, 0), paris(2026, 3, 2, 11, 20))
    sale_line = SaleLine.objects.get(time_line=line)
    assert sale_line.gross == D("3.70")
    response = correct_on_the_page(login(manager), line, "2026-03-02T10:00", "2026-03-02T12:00")
    assert response.status_code == 200
    html = response.content.decode()
    sale_line.refresh_from_db()
    # 2 h in Paris: first hour 2.50, then 4 × 0.60.
    assert (sale_line.unit_price, sale_line.gross) == (D("2.50") + D("2.40"), D("4.90"))
    assert explained(sale_line) == [("First hour", "2.50"), ("Time", "2.40")]
    assert sale_line.explanation["end"] == "2026-03-02T12:00:00+01:00"
    assert sale_line.explanation["total"] == "4.90"
    assert Sale.objects.get().gross == D("4.90")
    assert SaleLine.objects.count() == 1  # the same line, priced again
    flash = html.split('<div id="lists"')[0]
    assert f"Times of Alice corrected. Now €4.90 on sale {sale_line.sale_id}." in flash
    assert f'href="/till/sales/{sale_line.sale_id}/">Pay</a>' in flash
    # The audit trail records the correction as before.
    entry = AuditEntry.objects.get(time_line=line, action="edit_times")
    assert (entry.user, entry.reason) == (manager, "Forgot to scan out")
    assert (entry.old["end"], entry.new["end"]) == ("2026-03-02T10:20:00+00:00", "2026-03-02T11:00:00+00:00")


def test_the_api_correction_prices_a_stay_on_a_parked_sale_again(manager, site, car_park, make_customer):
    line = stay(site, make_customer("Alice"), paris(2026, 3, 2, 10, 0), paris(2026, 3, 2, 11, 20))
    sale = Sale.objects.get()
    park(sale_id=sale.pk, actor=Actor.operator(), at=paris(2026, 3, 2, 11, 30))
    status, body = correct_by_api(manager, line, "2026-03-02T09:00:00+01:00", "2026-03-02T11:20:00+01:00")
    assert status == 200
    assert datetime.fromisoformat(body["start"]) == paris(2026, 3, 2, 9, 0)
    assert datetime.fromisoformat(body["end"]) == paris(2026, 3, 2, 11, 20)
    sale_line = SaleLine.objects.get()
    assert sale_line.gross == D("6.10")  # 2 h 20: 2.50 + 6 × 0.60
    assert sale_line.explanation["start"] == "2026-03-02T09:00:00+01:00"
    sale.refresh_from_db()
    assert (sale.state, sale.gross) == ("parked", D("6.10"))


def test_a_ladder_proposes_its_step_again_for_the_new_length(
    manager_actor, site, ladder_product, site_time_product, make_customer
):
    site_time_product(site, ladder_product)
    line = stay(site, make_customer(), paris(2026, 3, 2, 10, 0), paris(2026, 3, 2, 10, 45))
    sale_line = SaleLine.objects.get()
    assert (sale_line.variant.label, sale_line.gross) == ("1 hour", D("6.00"))
    two_hours = ladder_product.variants.get(label="2 hours")
    change_step(sale_id=sale_line.sale_id, line_id=sale_line.pk, variant_id=two_hours.pk, actor=manager_actor)
    # The stay was in fact 3 h 30: past the longest step, the ladder starts again (as on stop).
    corrected = edit_times_and_reprice(
        time_line_id=line.pk,
        start=paris(2026, 3, 2, 10, 0),
        end=paris(2026, 3, 2, 13, 30),
        reason="Left at half past one",
        actor=manager_actor,
        at=CORRECTED_AT,
    )
    sale_line.refresh_from_db()
    assert corrected.sale_line.pk == sale_line.pk
    assert (sale_line.variant.label, sale_line.gross) == ("2 hours", D("22.00"))
    assert not any("(chosen)" in part["label"] for part in sale_line.explanation["lines"])
    assert Sale.objects.get().gross == D("22.00")


def test_a_percentage_discount_follows_the_new_price(manager_actor, site, car_park, make_customer):
    line = stay(site, make_customer(), paris(2026, 3, 2, 10, 0), paris(2026, 3, 2, 11, 20))
    sale_line = SaleLine.objects.get()
    set_discount(sale_id=sale_line.sale_id, line_id=sale_line.pk, percent=D(10), actor=manager_actor)
    edit_times_and_reprice(
        time_line_id=line.pk,
        start=paris(2026, 3, 2, 10, 0),
        end=paris(2026, 3, 2, 12, 0),
        reason="Left at noon",
        actor=manager_actor,
        at=CORRECTED_AT,
    )
    sale_line.refresh_from_db()
    assert (sale_line.discount, sale_line.gross) == (D("0.49"), D("4.41"))  # 4.90 less 10 %


def _closed(line):
    sale = Sale.objects.get(pk=sale_id_of(line))
    return close_sale(
        sale_id=sale.pk,
        payments=[PaymentSpec("cash", sale.gross)],
        actor=Actor.operator(),
        at=paris(2026, 3, 2, 11, 30),
    )


def test_a_stay_paid_on_a_closed_sale_keeps_its_times_on_the_page(
    login, manager, site, car_park, make_customer
):
    line = stay(site, make_customer("Alice"), paris(2026, 3, 2, 10, 0), paris(2026, 3, 2, 11, 20))
    sale = _closed(line)
    before = state_of(line)
    response = correct_on_the_page(login(manager), line, "2026-03-02T10:00", "2026-03-02T12:00")
    assert response.status_code == 409
    html = response.content.decode()
    assert f"The stay is paid on receipt {sale.number} (sale {sale.pk}), which can never change" in html
    assert "Correct the receipt with a refund." in html
    assert state_of(line) == before
    assert not AuditEntry.objects.filter(action="edit_times").exists()


def test_a_stay_paid_on_a_closed_sale_keeps_its_times_by_api(manager, site, car_park, make_customer):
    line = stay(site, make_customer("Alice"), paris(2026, 3, 2, 10, 0), paris(2026, 3, 2, 11, 20))
    _closed(line)
    before = state_of(line)
    status, body = correct_by_api(manager, line, "2026-03-02T10:00:00+01:00", "2026-03-02T12:00:00+01:00")
    assert (status, body["code"]) == (409, "sale_closed")
    assert "Correct the receipt with a refund." in body["message"]
    assert state_of(line) == before


def test_an_open_stay_is_just_edited(login, manager, site, car_park, make_customer):
    line = stay(site, make_customer("Alice"), paris(2026, 3, 2, 10, 0))
    response = correct_on_the_page(login(manager), line, "2026-03-02T09:15", "")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Times of Alice corrected." in html and "Now " not in html and ">Pay</a>" not in html
    line.refresh_from_db()
    assert (line.start, line.end) == (paris(2026, 3, 2, 9, 15), None)
    assert not Sale.objects.exists() and not SaleLine.objects.exists()
    assert AuditEntry.objects.filter(time_line=line, action="edit_times").count() == 1


def test_a_stay_without_a_line_is_just_edited(manager, site, make_customer):
    # Nothing prices stays at this site: the stop added no line, the correction adds none.
    line = stay(site, make_customer("Alice"), paris(2026, 3, 2, 10, 0), paris(2026, 3, 2, 11, 20))
    status, body = correct_by_api(manager, line, "2026-03-02T10:00:00+01:00", "2026-03-02T12:00:00+01:00")
    assert (status, datetime.fromisoformat(body["end"])) == (200, paris(2026, 3, 2, 12, 0))
    assert not Sale.objects.exists() and not SaleLine.objects.exists()


def test_a_bad_correction_of_a_priced_stay_changes_nothing(login, manager, site, car_park, make_customer):
    line = stay(site, make_customer("Alice"), paris(2026, 3, 2, 10, 0), paris(2026, 3, 2, 11, 20))
    before = state_of(line)
    response = correct_on_the_page(login(manager), line, "2026-03-02T10:00", "2026-03-02T09:00")
    assert response.status_code == 400
    assert "The end cannot be before the start." in response.content.decode()
    assert re.search(r"on sale \d+\.", response.content.decode().split('<div id="lists"')[0]) is None
    assert state_of(line) == before


def test_the_endpoint_kept_its_url_tag_and_operation_id_when_it_moved_to_the_till(db):
    operation = api.get_openapi_schema()["paths"]["/api/time-lines/{line_id}/times"]["post"]
    assert (operation["tags"], operation["operationId"]) == (
        ["time lines"],
        "timetill_timelines_api_edit_times",
    )
    assert "sale_closed" in operation["description"]
