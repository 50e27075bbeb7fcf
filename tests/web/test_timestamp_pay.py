"""The Timestamp page leads to the payment: a Pay button in a check-out message and on unpaid rows."""

import re

import time_machine
from django.urls import reverse

from tests.catalog.conftest import (  # noqa: F401 - fixtures shared with the catalogue's tests
    make_product,
    site_time_product,
    time_product,
)
from tests.conftest import paris
from tests.web.conftest import code_of
from tests.web.test_till_lines import _paid, arrive, car_park, left, post  # noqa: F401 - car_park fixture
from timetill.sales.models import Sale
from timetill.sales.services import open_sale
from timetill.sales.stays import (
    link_time_line,
    sale_id_of,  # the link is on the till's side
)
from timetill.timelines.actors import Actor


def _pay_links(html: str) -> list[str]:
    """The sale pages the Pay buttons lead to, in page order."""
    return re.findall(r'<a class="btn btn-primary[^"]*" href="([^"]+)"[^>]*>Pay</a>', html)


def _stopped_row(html: str, line_pk: int) -> str:
    match = re.search(
        rf'<article class="line line-stopped[^"]*" data-line="{line_pk}">(.*?)</article>', html, re.S
    )
    assert match, f"no stopped row for line {line_pk}"
    return match.group(1)


def test_the_stop_message_offers_to_pay_the_sale(login, cashier, site, car_park, make_customer):  # noqa: F811
    line = arrive(site, make_customer("Alice"), paris(2026, 3, 2, 10, 0))
    with time_machine.travel(paris(2026, 3, 2, 11, 20), tick=False):
        html = post(login(cashier), "timestamp-stop", {"site": site.slug}, line.pk).content.decode()
    sale = Sale.objects.get()
    flash = re.search(r'<div id="flash".*?</div>\s*</div>', html, re.S).group(0)
    assert f"Alice checked out. €3.70 on sale {sale.pk}." in flash
    assert _pay_links(flash) == [f"/till/sales/{sale.pk}/"]
    # The sale page the button leads to is the one to pay it.
    page = login(cashier).get(_pay_links(flash)[0])
    assert page.status_code == 200 and "3.70" in page.content.decode()


def test_a_check_out_scan_message_offers_to_pay(login, cashier, site, car_park, make_customer):  # noqa: F811
    client = login(cashier)
    alice = make_customer("Alice")
    with time_machine.travel(paris(2026, 3, 2, 10, 0), tick=False):
        checked_in = post(
            client, "timestamp-scan", {"site": site.slug, "code": code_of(alice)}
        ).content.decode()
    assert "Pay</a>" not in checked_in.split('<div id="lists"')[0]  # a check-in has nothing to pay yet
    with time_machine.travel(paris(2026, 3, 2, 15, 0), tick=False):
        html = post(client, "timestamp-scan", {"site": site.slug, "code": code_of(alice)}).content.decode()
    sale = Sale.objects.get()
    flash = html.split('<div id="lists"')[0]
    assert f"Alice checked out. €12.10 on sale {sale.pk}." in flash
    assert _pay_links(flash) == [f"/till/sales/{sale.pk}/"]


def test_a_stop_without_a_time_product_offers_no_payment(login, cashier, site, make_customer):
    line = arrive(site, make_customer("Alice"), paris(2026, 3, 2, 10, 0))
    with time_machine.travel(paris(2026, 3, 2, 11, 0), tick=False):
        html = post(login(cashier), "timestamp-stop", {"site": site.slug}, line.pk).content.decode()
    assert "Alice checked out." in html
    assert _pay_links(html) == []


def test_stopped_rows_whose_sale_is_not_closed_have_a_pay_link(
    login,
    cashier,
    site,
    car_park,  # noqa: F811
    make_customer,
):
    client = login(cashier)
    alice = arrive(site, make_customer("Alice"), paris(2026, 3, 2, 10, 0))
    bob = arrive(site, make_customer("Bob"), paris(2026, 3, 2, 10, 0))
    with time_machine.travel(paris(2026, 3, 2, 11, 20), tick=False):
        post(client, "timestamp-stop", {"site": site.slug}, alice.pk)
        post(client, "timestamp-stop", {"site": site.slug}, bob.pk)
    alice.refresh_from_db()
    bob.refresh_from_db()
    _paid(Sale.objects.get(pk=sale_id_of(alice)))
    # Carol stopped before the till priced stays, then was linked to an open sale without a priced line.
    carol = left(arrive(site, make_customer("Carol"), paris(2026, 3, 2, 9, 0)), paris(2026, 3, 2, 9, 5))
    # Dan stopped and is on no sale at all.
    dan = left(arrive(site, make_customer("Dan"), paris(2026, 3, 2, 9, 0)), paris(2026, 3, 2, 9, 10))
    empty_sale = open_sale(site=site, actor=Actor.operator(), at=paris(2026, 3, 2, 9, 6))
    link_time_line(
        time_line_id=carol.pk, sale_id=empty_sale.pk, actor=Actor.operator(), at=paris(2026, 3, 2, 9, 6)
    )
    with time_machine.travel(paris(2026, 3, 2, 12, 30), tick=False):
        html = client.get(reverse("timestamp-lists"), {"site": site.slug}).content.decode()
    assert _pay_links(_stopped_row(html, alice.pk)) == []  # paid: nothing left to pay
    assert _pay_links(_stopped_row(html, bob.pk)) == [f"/till/sales/{sale_id_of(bob)}/"]
    assert _pay_links(_stopped_row(html, carol.pk)) == [f"/till/sales/{empty_sale.pk}/"]
    assert _pay_links(_stopped_row(html, dan.pk)) == []
