"""Data for the pending-list benchmark, run by bench/bench_lists.py in a process of its own per database:
a busy car park (PRODUCT.md's tariff, members with a discount), N open stays and a day's stopped ones, a
cashier and a logged-in session. Prints what the driver needs as JSON."""

from __future__ import annotations

import json
import os
import random
import sys
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "timetill.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from timetill.accounts.services import create_user  # noqa: E402
from timetill.catalog import examples  # noqa: E402
from timetill.catalog.services import ProductSpec, create_product, set_site_time_product  # noqa: E402
from timetill.customers.models import Customer, CustomerGroup  # noqa: E402
from timetill.sites.models import Site  # noqa: E402
from timetill.timelines.actors import Actor  # noqa: E402
from timetill.timelines.models import TimeLine, Via  # noqa: E402

SITE = "bench-car-park"
CAR_PARK = {**examples.CAR_PARK, "groups": {"members": {"discount_percent": "15"}}}


def setup(open_stays: int) -> dict:
    call_command("migrate", verbosity=0, interactive=False)
    now = timezone.now()
    rng = random.Random(20261202)
    operator = Actor.operator()
    with transaction.atomic():
        site = Site.objects.create(
            name="Bench car park",
            slug=SITE,
            time_zone="Europe/Paris",
            capacity=open_stays + 100,
            max_stay_minutes=12 * 60,
        )
        product = create_product(
            spec=ProductSpec(
                kind="time",
                internal_name="Car park (visitors)",
                short_name="Parking",
                vat_rate=Decimal("20"),
                tariff=CAR_PARK,
            ),
            actor=operator,
        )
        set_site_time_product(site=site, group=None, product=product, actor=operator)
        members = CustomerGroup.objects.create(name="members")
        stopped = open_stays // 10
        people = Customer.objects.bulk_create(
            [
                Customer(name=f"Driver {i:04d}", group=members if i % 5 == 0 else None)
                for i in range(open_stays + stopped)
            ],
            batch_size=1000,
        )
        lines = []
        for i, person in enumerate(people[:open_stays]):
            # Most arrived in the last hours; one in twenty yesterday (a forgotten check-out to warn about).
            minutes = rng.randint(24 * 60, 30 * 60) if i % 20 == 0 else rng.randint(1, 9 * 60)
            lines.append(
                TimeLine(
                    site=site, customer=person, start=now - timedelta(minutes=minutes), started_via=Via.SCAN
                )
            )
        for person in people[open_stays:]:
            start = now - timedelta(minutes=rng.randint(60, 8 * 60))
            lines.append(
                TimeLine(
                    site=site,
                    customer=person,
                    start=start,
                    end=start + timedelta(minutes=rng.randint(10, 50)),
                    started_via=Via.SCAN,
                    stopped_via=Via.SCAN,
                )
            )
        TimeLine.objects.bulk_create(lines, batch_size=1000)
        cashier = create_user(username="bench-cashier", password="bench-password-not-secret", role="cashier")
    client = Client()
    client.force_login(cashier)
    return {
        "site": SITE,
        "open": open_stays,
        "stopped": stopped,
        "cookie": f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}",
    }


if __name__ == "__main__":
    print(json.dumps(setup(int(sys.argv[1]))))
