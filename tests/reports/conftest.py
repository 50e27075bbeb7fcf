"""Report fixtures: stays written straight into the time lines (reports only read them), and a till scene."""

from dataclasses import dataclass
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from tests.api.conftest import api_as, api_device  # noqa: F401 - the API client fixtures
from tests.catalog.conftest import (  # noqa: F401 - fixtures shared with the catalogue's tests
    make_product,
    site_time_product,
    system,
    time_product,  # noqa: F811
)
from tests.conftest import paris
from tests.invoicing.conftest import work  # noqa: F401 - the tasks worker, run in the test
from timetill.sales.services import PaymentSpec, close_sale
from timetill.sales.stays import stop_and_price
from timetill.timelines.models import TimeLine, Via
from timetill.timelines.services.scan import check_in


@pytest.fixture
def make_stay(db):
    def make(site, start, end=None, *, customer=None, **fields) -> TimeLine:
        return TimeLine.objects.create(
            site=site, customer=customer, start=start, end=end, started_via=Via.SCAN, **fields
        )

    return make


@dataclass
class Scene:
    site: object
    product: object
    lines: dict
    customers: dict


@pytest.fixture
def scene(
    site,
    time_product,  # noqa: F811
    site_time_product,  # noqa: F811
    make_customer,
    cashier_actor,
):
    """Tuesday 3 March 2026 at the car park (first hour 2.50, then 0.60 per 15 min): Ana (Members) 10:00–11:20
    paid 3.70; Bruno (Visitors) 10:30–12:00 stopped, 3.70 unpaid; Chloé (Members) still there since 11:00."""
    site.capacity = 10
    site.save()
    site_time_product(site, time_product)
    people = {
        "ana": make_customer("Ana Dupré", group="Members"),
        "bruno": make_customer("Bruno Martin", group="Visitors"),
        "chloe": make_customer("Chloé Bernard", group="Members"),
    }

    def arrive(who, *at):
        with time_machine.travel(paris(*at), tick=False):
            return check_in(site=site, customer=people[who], actor=cashier_actor, at=timezone.now())

    def leave(line, *at):
        with time_machine.travel(paris(*at), tick=False):
            return stop_and_price(time_line_id=line.pk, actor=cashier_actor, at=timezone.now())

    lines = {"ana": arrive("ana", 2026, 3, 3, 10, 0), "bruno": arrive("bruno", 2026, 3, 3, 10, 30)}
    lines["chloe"] = arrive("chloe", 2026, 3, 3, 11, 0)
    lines["ana"], ana_line = leave(lines["ana"], 2026, 3, 3, 11, 20)
    lines["bruno"], _ = leave(lines["bruno"], 2026, 3, 3, 12, 0)
    close_sale(
        sale_id=ana_line.sale_id,
        payments=[PaymentSpec("cash", Decimal("5.00"))],
        actor=cashier_actor,
        at=paris(2026, 3, 3, 11, 21),
    )
    for line in lines.values():
        line.refresh_from_db()
    return Scene(site=site, product=time_product, lines=lines, customers=people)
