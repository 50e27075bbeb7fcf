"""The Timestamp page and the till: a stop prices the stay, amounts due so far, links to sales, hide paid."""

from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from tests.catalog.conftest import (  # noqa: F401 - fixtures shared with the catalogue's tests
    ladder_product,
    make_product,
    site_time_product,
    time_product,
)
from tests.conftest import paris
from tests.web.conftest import HX, code_of
from timetill.sales.models import Sale, SaleLine
from timetill.sales.services import PaymentSpec, close_sale, open_sale, park
from timetill.sales.stays import (
    link_time_line,
    sale_id_of,  # the link is on the till's side
)
from timetill.timelines.actors import Actor
from timetill.timelines.models import AuditEntry, TimeLine
from timetill.timelines.services.scan import check_in, stop_line

D = Decimal


@pytest.fixture
def car_park(site, time_product, site_time_product):  # noqa: F811 - the imported fixtures
    """The front desk prices stays with PRODUCT.md's car park: first hour 2.50, then 0.60 per 15 min."""
    site_time_product(site, time_product)
    return time_product


def arrive(site, customer, at):
    with time_machine.travel(at, tick=False):
        return check_in(site=site, customer=customer, actor=Actor.operator(), at=timezone.now())


def left(line, at):
    """A stay that stopped without being priced (as before the till existed)."""
    return stop_line(line, actor=Actor.operator(), end=at, at=at)


def post(client, name, data, *args):
    return client.post(reverse(name, args=args), data, **HX)


# A stop prices the stay, once


def test_the_stop_button_prices_the_stay_once(login, cashier, site, car_park, make_customer):
    client = login(cashier)
    line = arrive(site, make_customer("Alice"), paris(2026, 3, 2, 10, 0))
    with time_machine.travel(paris(2026, 3, 2, 11, 20), tick=False):
        response = post(client, "timestamp-stop", {"site": site.slug}, line.pk)
        again = post(client, "timestamp-stop", {"site": site.slug}, line.pk)
    html = response.content.decode()
    sale_line = SaleLine.objects.get(time_line=line)
    assert f"Alice checked out. €3.70 on sale {sale_line.sale_id}." in html
    assert (sale_line.gross, sale_line.short_name) == (D("3.70"), "Parking")
    assert [(x["label"], x["amount"]) for x in sale_line.explanation["lines"]] == [
        ("First hour", "2.50"),
        ("Time", "1.20"),
    ]
    assert sale_line.explanation["end"] == "2026-03-02T11:20:00+01:00"
    # The second press is refused (already stopped) and adds nothing.
    assert again.status_code == 409
    assert "already stopped" in again.content.decode()
    assert SaleLine.objects.count() == 1 and Sale.objects.count() == 1
    assert Sale.objects.get().gross == D("3.70")


def test_a_toggle_scan_that_stops_prices_the_stay(login, cashier, site, car_park, make_customer):
    client = login(cashier)
    alice = make_customer("Alice")
    with time_machine.travel(paris(2026, 3, 2, 10, 0), tick=False):
        post(client, "timestamp-scan", {"site": site.slug, "code": code_of(alice)})
    with time_machine.travel(paris(2026, 3, 2, 15, 0), tick=False):
        html = post(client, "timestamp-scan", {"site": site.slug, "code": code_of(alice)}).content.decode()
    sale_line = SaleLine.objects.get()
    assert sale_line.gross == D("12.10")  # 5 h: 2.50 + 16 × 0.60
    assert f"Alice checked out. €12.10 on sale {sale_line.sale_id}." in html
    assert sale_id_of(TimeLine.objects.get()) == sale_line.sale_id


def test_without_a_time_product_a_stop_adds_no_sale(login, cashier, site, make_customer):
    line = arrive(site, make_customer("Alice"), paris(2026, 3, 2, 10, 0))
    with time_machine.travel(paris(2026, 3, 2, 11, 0), tick=False):
        html = post(login(cashier), "timestamp-stop", {"site": site.slug}, line.pk).content.decode()
    assert "Alice checked out." in html and "on sale" not in html
    assert not Sale.objects.exists()


# The amount due so far


def test_the_pending_list_shows_the_amount_due_so_far(login, cashier, site, car_park, make_customer):
    arrive(site, make_customer("Alice"), paris(2026, 3, 2, 10, 0))
    arrive(site, make_customer("Bob"), paris(2026, 3, 2, 11, 50))
    with time_machine.travel(paris(2026, 3, 2, 11, 20), tick=False):
        html = login(cashier).get(reverse("timestamp-lists"), {"site": site.slug}).content.decode()
    # Alice: 1 h 20 → 3.70; Bob arrives later, so at 11:20 he is not counted yet: 0.00 under the grace.
    assert '<div class="line-sub line-due">€3.70</div>' in html
    assert 'hx-trigger="every 10s"' in html  # the amount moves with the list's refresh
    with time_machine.travel(paris(2026, 3, 2, 12, 0), tick=False):
        html = login(cashier).get(reverse("timestamp-lists"), {"site": site.slug}).content.decode()
    assert '<div class="line-sub line-due">€4.90</div>' in html  # Alice, 2 h
    assert '<div class="line-sub line-due">€0.00</div>' in html  # Bob, 10 min: grace


def test_the_amount_due_column_reads_the_tariff_once_per_list(
    login, cashier, site, car_park, make_customer, django_assert_max_num_queries
):
    client = login(cashier)
    for hour in (8, 9, 10):
        arrive(site, make_customer(), paris(2026, 3, 2, hour, 0))
    with time_machine.travel(paris(2026, 3, 2, 11, 0), tick=False):
        client.get(reverse("timestamp-lists"), {"site": site.slug})  # warm the session and content types
        with django_assert_max_num_queries(12) as few:
            client.get(reverse("timestamp-lists"), {"site": site.slug})
        for hour in (8, 9, 10):
            arrive(site, make_customer(), paris(2026, 3, 2, hour, 30))
        with django_assert_max_num_queries(len(few.captured_queries)):
            html = client.get(reverse("timestamp-lists"), {"site": site.slug}).content.decode()
    assert html.count('class="line-sub line-due"') == 6


def test_no_amount_is_shown_without_a_time_product(login, cashier, site, make_customer):
    arrive(site, make_customer("Alice"), paris(2026, 3, 2, 10, 0))
    with time_machine.travel(paris(2026, 3, 2, 11, 0), tick=False):
        html = login(cashier).get(reverse("timestamp-lists"), {"site": site.slug}).content.decode()
    assert "Alice" in html and "line-due" not in html and "€" not in html


# Linking a stay to a sale


def test_a_stay_is_linked_to_a_parked_sale_and_priced_on_it(login, cashier, site, car_park, make_customer):
    client = login(cashier)
    family = open_sale(site=site, actor=Actor.operator(), at=paris(2026, 3, 2, 9))
    park(sale_id=family.pk, actor=Actor.operator(), at=paris(2026, 3, 2, 9))
    line = arrive(site, make_customer("Alice"), paris(2026, 3, 2, 10, 0))
    panel = client.get(reverse("timestamp-line", args=[line.pk])).content.decode()
    assert f'<option value="{family.pk}">Sale {family.pk} · parked · €0.00</option>' in panel
    with time_machine.travel(paris(2026, 3, 2, 10, 30), tick=False):
        response = post(client, "timestamp-link-sale", {"site": site.slug, "sale": family.pk}, line.pk)
    assert f"Alice: time line linked to sale {family.pk}." in response.content.decode()
    line.refresh_from_db()
    assert sale_id_of(line) == family.pk
    with time_machine.travel(paris(2026, 3, 2, 11, 20), tick=False):
        post(client, "timestamp-stop", {"site": site.slug}, line.pk)
    family.refresh_from_db()
    assert (family.state, family.gross) == ("parked", D("3.70"))
    assert SaleLine.objects.get().sale_id == family.pk
    with time_machine.travel(paris(2026, 3, 2, 11, 25), tick=False):
        panel = client.get(reverse("timestamp-line", args=[line.pk])).content.decode()
    assert f'<a href="/till/sales/{family.pk}/">Sale {family.pk}</a>' in panel
    assert '<dt>Price</dt><dd class="strong">€3.70' in panel


def test_a_stopped_stay_is_linked_to_a_new_sale_and_priced_at_once(
    login, cashier, site, car_park, make_customer
):
    line = left(arrive(site, make_customer("Alice"), paris(2026, 3, 2, 10, 0)), paris(2026, 3, 2, 10, 50))
    with time_machine.travel(paris(2026, 3, 2, 11, 0), tick=False):
        response = post(login(cashier), "timestamp-link-sale", {"site": site.slug, "sale": "new"}, line.pk)
    sale = Sale.objects.get()
    assert f"time line linked to sale {sale.pk}." in response.content.decode()
    assert (sale.state, sale.gross, sale.lines.get().time_line_id) == ("open", D("2.50"), line.pk)


def test_the_panel_links_to_the_sale_page(login, cashier, site, car_park, make_customer):
    line = arrive(site, make_customer("Alice"), paris(2026, 3, 2, 10, 0))
    with time_machine.travel(paris(2026, 3, 2, 11, 0), tick=False):
        post(login(cashier), "timestamp-stop", {"site": site.slug}, line.pk)
        panel = login(cashier).get(reverse("timestamp-line", args=[line.pk])).content.decode()
    sale = Sale.objects.get()
    assert f'<a href="/till/sales/{sale.pk}/">Sale {sale.pk}</a>' in panel


def _paid(sale):
    return close_sale(
        sale_id=sale.pk,
        payments=[PaymentSpec("cash", sale.gross)],
        actor=Actor.operator(),
        at=paris(2026, 3, 2, 12),
    )


@pytest.mark.parametrize("where", ["closed", "other site"])
def test_linking_to_a_closed_sale_or_another_sites_sale_changes_nothing(
    login, cashier, site, make_site, car_park, make_customer, where
):
    line = arrive(site, make_customer("Alice"), paris(2026, 3, 2, 10, 0))
    if where == "closed":
        target = open_sale(site=site, actor=Actor.operator(), at=paris(2026, 3, 2, 9))
        other = left(arrive(site, make_customer(), paris(2026, 3, 2, 9)), paris(2026, 3, 2, 9, 30))
        link_time_line(
            time_line_id=other.pk, sale_id=target.pk, actor=Actor.operator(), at=paris(2026, 3, 2, 10)
        )
        _paid(Sale.objects.get(pk=target.pk))
        message = "is closed and can never change"
    else:
        target = open_sale(site=make_site(name="Elsewhere"), actor=Actor.operator(), at=paris(2026, 3, 2, 9))
        message = "is at Elsewhere"
    before = (Sale.objects.get(pk=target.pk).gross, SaleLine.objects.count(), AuditEntry.objects.count())
    with time_machine.travel(paris(2026, 3, 2, 10, 30), tick=False):
        response = post(
            login(cashier), "timestamp-link-sale", {"site": site.slug, "sale": target.pk}, line.pk
        )
    assert response.status_code in (400, 409)
    assert message in response.content.decode()
    line.refresh_from_db()
    assert sale_id_of(line) is None
    assert (
        Sale.objects.get(pk=target.pk).gross,
        SaleLine.objects.count(),
        AuditEntry.objects.count(),
    ) == before


def test_linking_to_no_sale_at_all_is_a_message(login, cashier, site, make_customer):
    line = arrive(site, make_customer("Alice"), paris(2026, 3, 2, 10, 0))
    response = post(login(cashier), "timestamp-link-sale", {"site": site.slug, "sale": "x"}, line.pk)
    assert response.status_code == 400
    assert "Choose a sale, or a new one." in response.content.decode()
    assert not Sale.objects.exists() and sale_id_of(TimeLine.objects.get()) is None


# The stopped list: amounts, paid, and hiding the paid ones


def test_the_stopped_list_shows_amounts_and_hides_the_paid_ones(
    login, cashier, site, car_park, make_customer
):
    client = login(cashier)
    alice = arrive(site, make_customer("Alice"), paris(2026, 3, 2, 10, 0))
    bob = arrive(site, make_customer("Bob"), paris(2026, 3, 2, 10, 0))
    with time_machine.travel(paris(2026, 3, 2, 11, 20), tick=False):
        post(client, "timestamp-stop", {"site": site.slug}, alice.pk)
        post(client, "timestamp-stop", {"site": site.slug}, bob.pk)
    alice.refresh_from_db()
    _paid(Sale.objects.get(pk=sale_id_of(alice)))
    with time_machine.travel(paris(2026, 3, 2, 12, 30), tick=False):
        html = client.get(reverse("timestamp-lists"), {"site": site.slug}).content.decode()
        assert html.count('€3.70 <span class="chip chip-ok">paid</span>') == 1
        assert html.count('€3.70 <span class="chip chip-warn">to pay</span>') == 1
        assert "Hide paid (1)" in html
        response = post(client, "timestamp-hide-paid", {"site": site.slug})
    html = response.content.decode()
    assert "1 paid time line hidden." in html and "Hide paid" not in html
    alice.refresh_from_db()
    bob.refresh_from_db()
    assert (alice.hidden, bob.hidden) == (True, False)
    assert AuditEntry.objects.filter(time_line=alice, action="hide", user=cashier).count() == 1
    with time_machine.travel(paris(2026, 3, 2, 12, 31), tick=False):
        again = post(client, "timestamp-hide-paid", {"site": site.slug}).content.decode()
    assert "Nothing to hide." in again
    assert AuditEntry.objects.filter(action="hide").count() == 1


def test_a_parents_check_out_on_the_family_page_is_priced(login, make_parent, site, car_park, make_customer):
    lea = make_customer("Léa Bernard")
    client = login(make_parent(lea))
    with time_machine.travel(paris(2026, 3, 2, 10, 0), tick=False):
        client.post(reverse("family-check-in", args=[lea.pk]), {"site": site.pk})
    with time_machine.travel(paris(2026, 3, 2, 11, 20), tick=False):
        html = client.post(reverse("family-check-out", args=[lea.pk]), follow=True).content.decode()
    assert "Léa Bernard is checked out after 1 h 20. €3.70 to pay at the desk." in html
    sale_line = SaleLine.objects.get()
    assert (sale_line.gross, sale_line.time_line.customer_id, sale_line.sale.customer_id) == (
        D("3.70"),
        lea.pk,
        lea.pk,
    )
    assert sale_line.explanation["lines"][0]["label"] == "First hour"


def test_after_a_link_the_panel_shows_the_sale_and_linking_again_opens_no_empty_sale(
    login, cashier, site, car_park, make_customer
):
    """Issue 14, point 2: the panel went stale after "Link to a sale" (it still offered Link) and a second
    click opened another empty sale."""
    client = login(cashier)
    line = left(arrive(site, make_customer("Alice"), paris(2026, 3, 2, 10, 0)), paris(2026, 3, 2, 10, 50))
    data = {"site": site.slug, "sale": "new", "panel": line.pk}
    with time_machine.travel(paris(2026, 3, 2, 11, 0), tick=False):
        panel = client.get(reverse("timestamp-line", args=[line.pk])).content.decode()
        assert ">Link</button>" in panel and "Not on a sale yet." in panel
        html = post(client, "timestamp-link-sale", data, line.pk).content.decode()
        sale = Sale.objects.get()
        panel = html[html.index('id="line-panel"') :]
        assert f'<a href="/till/sales/{sale.pk}/">Sale {sale.pk}</a>' in panel
        assert ">Link</button>" not in panel and ">Move</button>" in panel
        post(client, "timestamp-link-sale", data, line.pk)
    empty = [other.pk for other in Sale.objects.all() if not other.lines.exists()]
    assert empty == [] and SaleLine.objects.count() == 1
