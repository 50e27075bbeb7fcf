"""Correcting times on the Timestamp page: a stay stopped so is priced; the form keeps what was typed."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine

from tests.catalog.conftest import (  # noqa: F401 - fixtures shared with the catalogue's tests
    make_product,
    site_time_product,
    time_product,
)
from tests.conftest import paris
from tests.sales.test_edit_times_reprice import CORRECTED_AT, correct_by_api, correct_on_the_page, stay
from tests.web.test_till_lines import post
from timetill.sales.models import Sale, SaleLine
from timetill.sales.services import PaymentSpec, close_sale
from timetill.timelines.actors import Actor
from timetill.timelines.models import AuditEntry, TimeLine

D = Decimal


@pytest.fixture
def car_park(site, time_product, site_time_product):  # noqa: F811 - the imported fixtures
    """PRODUCT.md's car park at the front desk: first hour 2.50, then 0.60 per 15 min."""
    site_time_product(site, time_product)
    return time_product


def _flash(html: str) -> str:
    return html.split('<div id="lists"')[0]


def _stopped_ids(html: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'<article class="line line-stopped[^"]*" data-line="(\d+)"', html)]


def _panel(html: str) -> str:
    match = re.search(r'<section id="line-panel".*?</section>', html, re.S)
    assert match, "the answer has no panel"
    return match.group(0)


# 1. A stay stopped by a correction is priced like any stop


def test_a_stay_stopped_by_a_correction_is_priced(login, manager, site, car_park, make_customer):
    line = stay(site, make_customer("Alice"), paris(2026, 3, 2, 10, 0))
    response = correct_on_the_page(login(manager), line, "2026-03-02T10:00", "2026-03-02T11:20")
    assert response.status_code == 200
    sale_line = SaleLine.objects.get(time_line=line)
    assert sale_line.gross == D("3.70")
    assert [(x["label"], x["amount"]) for x in sale_line.explanation["lines"]] == [
        ("First hour", "2.50"),
        ("Time", "1.20"),
    ]
    flash = _flash(response.content.decode())
    assert f"Times of Alice corrected. Now €3.70 on sale {sale_line.sale_id}." in flash
    assert f'href="/till/sales/{sale_line.sale_id}/">Pay</a>' in flash


def test_a_stay_stopped_by_an_api_correction_is_priced(manager, site, car_park, make_customer):
    line = stay(site, make_customer("Alice"), paris(2026, 3, 2, 10, 0))
    status, _body = correct_by_api(manager, line, "2026-03-02T10:00:00+01:00", "2026-03-02T11:20:00+01:00")
    assert status == 200
    assert SaleLine.objects.get(time_line=line).gross == D("3.70")
    assert Sale.objects.get().gross == D("3.70")


def test_a_stay_ended_on_an_earlier_day_stays_in_the_stopped_list_until_paid(
    login, manager, site, car_park, make_customer
):
    # Checked in yesterday, forgotten: corrected today to have left yesterday at 11:20.
    line = stay(site, make_customer("Alice"), paris(2026, 3, 1, 10, 0))
    client = login(manager)
    html = correct_on_the_page(client, line, "2026-03-01T10:00", "2026-03-01T11:20").content.decode()
    assert line.pk in _stopped_ids(html)
    sale = Sale.objects.get()
    assert sale.gross == D("3.70")
    # Paid, it leaves the list (it ended yesterday).
    close_sale(
        sale_id=sale.pk, payments=[PaymentSpec("cash", sale.gross)], actor=Actor.operator(), at=CORRECTED_AT
    )
    with time_machine.travel(CORRECTED_AT + timedelta(minutes=1), tick=False):
        page = client.get(f"/timestamp/?site={site.slug}").content.decode()
        lists = client.get(f"/timestamp/lists/?site={site.slug}").content.decode()
    assert line.pk not in _stopped_ids(lists)
    assert "Alice" not in lists
    assert page  # the page renders


def test_the_stopped_list_shows_unpaid_stays_of_earlier_days_only(
    login, cashier, site, car_park, make_customer
):
    unpaid = stay(site, make_customer("Unpaid"), paris(2026, 3, 1, 9, 0), paris(2026, 3, 1, 10, 0))
    paid = stay(site, make_customer("Paid"), paris(2026, 3, 1, 9, 0), paris(2026, 3, 1, 10, 0))
    paid_sale = SaleLine.objects.get(time_line=paid).sale
    close_sale(
        sale_id=paid_sale.pk,
        payments=[PaymentSpec("cash", paid_sale.gross)],
        actor=Actor.operator(),
        at=paris(2026, 3, 1, 10, 5),
    )
    with time_machine.travel(paris(2026, 3, 2, 9, 0), tick=False):
        lists = login(cashier).get(f"/timestamp/lists/?site={site.slug}").content.decode()
    assert _stopped_ids(lists) == [unpaid.pk]
    assert "Sun 01/03" in lists  # an earlier day's stay says which day


# 8. The correction form keeps what was typed and speaks local time


def test_a_refused_correction_keeps_the_form_open_with_what_was_typed(
    login, manager, site, car_park, make_customer
):
    line = stay(site, make_customer("Alice"), paris(2026, 3, 2, 10, 0), paris(2026, 3, 2, 11, 20))
    client = login(manager)
    with time_machine.travel(CORRECTED_AT, tick=False):
        response = client.post(
            f"/timestamp/lines/{line.pk}/times/",
            {
                "site": site.slug,
                "panel": str(line.pk),
                "start": "2026-03-02T10:00",
                "end": "2026-03-02T09:00",
                "reason": "Left early",
            },
            HTTP_HX_REQUEST="true",
        )
    assert response.status_code == 400
    panel = _panel(response.content.decode())
    # The form stays open, with the message beside it and what was typed still there.
    assert re.search(r'<details class="panel-block edit-times" open', panel)
    form = panel.split('<details class="panel-block edit-times"')[1].split("</details>")[0]
    assert "The end cannot be before the start." in form
    assert 'value="2026-03-02T09:00"' in form
    assert 'value="Left early"' in form
    assert TimeLine.objects.get(pk=line.pk).end == paris(2026, 3, 2, 11, 20)


def test_a_future_end_is_reported_in_the_sites_local_time(login, manager, site, car_park, make_customer):
    line = stay(site, make_customer("Alice"), paris(2026, 3, 2, 10, 0))
    response = correct_on_the_page(login(manager), line, "2026-03-02T10:00", "2026-03-02T15:30")
    assert response.status_code == 400
    html = response.content.decode()
    assert "15:30" in html and "14:30" not in html
    assert "+00:00" not in html and "T14" not in html
    assert TimeLine.objects.get(pk=line.pk).end is None


def test_correcting_only_the_end_keeps_the_start_to_the_second(login, manager, site, car_park, make_customer):
    line = stay(site, make_customer("Alice"), paris(2026, 3, 2, 10, 0, 37), paris(2026, 3, 2, 11, 20, 12))
    # The form shows minutes; the start is sent back as shown.
    response = correct_on_the_page(login(manager), line, "2026-03-02T10:00", "2026-03-02T12:00")
    assert response.status_code == 200
    line.refresh_from_db()
    assert line.start == paris(2026, 3, 2, 10, 0, 37)
    assert line.end == paris(2026, 3, 2, 12, 0)
    entry = AuditEntry.objects.get(time_line=line, action="edit_times")
    assert entry.old["start"] == entry.new["start"]
    panel_history = login(manager).get(f"/timestamp/lines/{line.pk}/").content.decode().split("History")[1]
    assert "start" not in panel_history  # the history says only the end changed


# 2. The panel follows what an action did


def test_the_panel_shows_the_sale_after_link_to_a_sale(login, cashier, site, car_park, make_customer):
    line = stay(site, make_customer("Alice"), paris(2026, 3, 2, 10, 0))
    with time_machine.travel(paris(2026, 3, 2, 10, 30), tick=False):
        html = post(
            login(cashier),
            "timestamp-link-sale",
            {"site": site.slug, "panel": str(line.pk), "sale": "new"},
            line.pk,
        ).content.decode()
    sale = Sale.objects.get()
    panel = _panel(html)
    assert f"Sale {sale.pk}</a>" in panel
    assert "Not on a sale yet" not in panel
    assert ">Move</button>" in panel and ">Link</button>" not in panel


def test_the_panel_shows_the_price_after_stop_now(login, cashier, site, car_park, make_customer):
    line = stay(site, make_customer("Alice"), paris(2026, 3, 2, 10, 0))
    with time_machine.travel(paris(2026, 3, 2, 11, 20), tick=False):
        html = post(
            login(cashier), "timestamp-stop", {"site": site.slug, "panel": str(line.pk)}, line.pk
        ).content.decode()
    sale = Sale.objects.get()
    panel = _panel(html)
    assert f"Sale {sale.pk}</a>" in panel and "Not on a sale yet" not in panel
    assert "3.70" in panel and "Stop now" not in panel


# 11. Hiding a stay still to pay asks first


def test_hiding_an_unpaid_stay_asks_first_and_hides_once_confirmed(
    login, cashier, site, car_park, make_customer
):
    line = stay(site, make_customer("Alice"), paris(2026, 3, 2, 10, 0), paris(2026, 3, 2, 11, 20))
    sale = Sale.objects.get()
    client = login(cashier)
    with time_machine.travel(paris(2026, 3, 2, 11, 30), tick=False):
        refused = post(client, "timestamp-hide", {"site": site.slug, "hidden": "1"}, line.pk)
        lists = client.get(f"/timestamp/lists/?site={site.slug}").content.decode()
    assert refused.status_code == 409
    assert f"Alice’s stay is not paid yet: €3.70 on sale {sale.pk}." in refused.content.decode()
    assert not TimeLine.objects.get(pk=line.pk).hidden
    # The Hide button says so before sending, and sends the confirmation.
    row = lists.split(f'data-line="{line.pk}"')[1].split("</article>")[0]
    assert 'hx-confirm="Alice’s stay is not paid yet' in row
    assert 'name="unpaid_ok" value="1"' in row
    with time_machine.travel(paris(2026, 3, 2, 11, 31), tick=False):
        confirmed = post(
            client, "timestamp-hide", {"site": site.slug, "hidden": "1", "unpaid_ok": "1"}, line.pk
        )
    assert confirmed.status_code == 200
    assert TimeLine.objects.get(pk=line.pk).hidden


def test_a_paid_stay_hides_without_a_question(login, cashier, site, car_park, make_customer):
    line = stay(site, make_customer("Alice"), paris(2026, 3, 2, 10, 0), paris(2026, 3, 2, 11, 20))
    sale = Sale.objects.get()
    close_sale(
        sale_id=sale.pk, payments=[PaymentSpec("cash", sale.gross)], actor=Actor.operator(), at=CORRECTED_AT
    )
    with time_machine.travel(CORRECTED_AT, tick=False):
        response = post(login(cashier), "timestamp-hide", {"site": site.slug, "hidden": "1"}, line.pk)
    assert response.status_code == 200
    assert TimeLine.objects.get(pk=line.pk).hidden
