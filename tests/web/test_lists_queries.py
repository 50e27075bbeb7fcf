"""The Timestamp page's lists read the database a fixed number of times, whatever their length: the amounts
due are worked out in one pass (time products and tariffs read once, a ladder's steps in one query), and the
stopped list's charges in one query. A behaviour test: it counts statements, it times nothing."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.conftest import paris
from timetill.catalog import examples
from timetill.catalog.services import ProductSpec, VariantSpec, create_product, set_site_time_product
from timetill.customers.models import CustomerGroup
from timetill.sales import stays
from timetill.timelines.actors import Actor
from timetill.timelines.services.scan import check_in

NOW = paris(2026, 3, 4, 15, 0)


@pytest.fixture
def car_park(site):
    """The site prices stays with PRODUCT.md's car park, and members with a ladder of their own."""
    operator = Actor.operator()
    parking = create_product(
        spec=ProductSpec(
            kind="time",
            internal_name="Car park",
            short_name="Parking",
            vat_rate=Decimal("20"),
            tariff=examples.CAR_PARK,
        ),
        actor=operator,
    )
    ladder = create_product(
        spec=ProductSpec(
            kind="ladder",
            internal_name="Members' ladder",
            short_name="Members",
            vat_rate=Decimal("20"),
            variants=(
                VariantSpec("1 hour", 60, Decimal("2.00")),
                VariantSpec("3 hours", 180, Decimal("5.00")),
            ),
        ),
        actor=operator,
    )
    members = CustomerGroup.objects.create(name="members")
    set_site_time_product(site=site, group=None, product=parking, actor=operator)
    set_site_time_product(site=site, group=members, product=ladder, actor=operator)
    return site


def fill(site, make_customer, cashier_actor, *, open_stays: int, stopped: int) -> None:
    """Open stays (every third a member's) arrived over the last hours, and stays stopped and priced today."""
    for i in range(open_stays):
        customer = make_customer(group="members" if i % 3 == 0 else None)
        check_in(site=site, customer=customer, actor=cashier_actor, at=NOW - timedelta(minutes=10 + 7 * i))
    for i in range(stopped):
        customer = make_customer()
        line = check_in(
            site=site, customer=customer, actor=cashier_actor, at=NOW - timedelta(hours=3, minutes=i)
        )
        stays.stop_and_price(
            time_line_id=line.pk, actor=cashier_actor, at=NOW - timedelta(hours=1, minutes=i)
        )


def lists_queries(client, site) -> tuple[int, str]:
    """The statements of one refresh of the lists, and the lists (after a first, which fills caches)."""
    with time_machine.travel(NOW, tick=False):
        client.get(reverse("timestamp-lists"), {"site": site.slug})
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("timestamp-lists"), {"site": site.slug})
    assert response.status_code == 200
    return len(queries.captured_queries), response.content.decode()


def test_the_lists_read_the_database_as_often_for_thirty_stays_as_for_three(
    login, cashier, car_park, make_customer, cashier_actor
):
    client = login(cashier)
    fill(car_park, make_customer, cashier_actor, open_stays=3, stopped=2)
    few, page = lists_queries(client, car_park)
    assert page.count('class="line-sub line-due"') == 3  # each open stay shows its amount due so far

    fill(car_park, make_customer, cashier_actor, open_stays=27, stopped=8)
    many, page = lists_queries(client, car_park)

    assert page.count('class="line-sub line-due"') == 30
    assert page.count('class="line-sub line-charge"') == 10
    assert many == few, f"{few} statements for 5 stays, {many} for 45"


def test_every_open_stay_shows_what_its_own_tariff_charges_so_far(
    login, cashier, car_park, make_customer, cashier_actor
):
    fill(car_park, make_customer, cashier_actor, open_stays=6, stopped=0)
    _, page = lists_queries(login(cashier), car_park)
    # Longest first: 45, 38, 31 (a member), 24, 17 and 10 minutes (a member). The car park charges its first
    # hour past the 15 minutes' grace; members pay their ladder's first step.
    assert re.findall(r'<div class="line-sub line-due">([^<]*)</div>', page) == [
        "€2.50",
        "€2.50",
        "€2.00",
        "€2.50",
        "€2.50",
        "€2.00",
    ]
