"""Data for the HTTP benchmark, run by bench/run_http.py in a process of its own per database (Django's
settings are per process): `setup` builds the schema and the data and prints what the load scripts need
as JSON; `outcomes` counts the scans of one run by outcome."""

from __future__ import annotations

import json
import os
import random
import sys
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "timetill.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.utils import timezone  # noqa: E402

from timetill.customers.codes import make_ean13  # noqa: E402
from timetill.customers.models import Code, Customer  # noqa: E402
from timetill.sites.models import Site  # noqa: E402
from timetill.sites.services import register_device  # noqa: E402
from timetill.timelines.models import Scan, TimeLine, Via  # noqa: E402

SITE = "bench-hall"


def setup(customers: int, open_share: float, bounce_seconds: int, codes_file: Path) -> dict:
    call_command("migrate", verbosity=0, interactive=False)
    now = timezone.now()
    rng = random.Random(20260302)
    with transaction.atomic():
        site = Site.objects.create(
            name="Bench hall",
            slug=SITE,
            time_zone="Europe/Paris",
            capacity=customers,
            existing_line_policy=Site.ExistingLinePolicy.TOGGLE,
            bounce_seconds=bounce_seconds,
        )
        issued = register_device(site=site, name="Bench gate")
        people = Customer.objects.bulk_create(
            [Customer(name=f"Bench customer {i:05d}") for i in range(customers)], batch_size=2000
        )
        codes = [make_ean13(f"20{i:010d}") for i in range(customers)]
        Code.objects.bulk_create(
            [Code(customer=c, value=v, kind=Code.Kind.EAN13) for c, v in zip(people, codes, strict=True)],
            batch_size=2000,
        )
        # Some customers are already in when the bench starts, so that random scans of the toggle site are a
        # steady mix of check-ins and check-outs from the first second (each one moves a customer across).
        inside = rng.sample(people, int(customers * open_share))
        TimeLine.objects.bulk_create(
            [
                TimeLine(
                    site=site,
                    customer=c,
                    start=now - timedelta(minutes=rng.randint(5, 240)),
                    started_via=Via.DEVICE,
                    started_device=issued.device,
                )
                for c in inside
            ],
            batch_size=2000,
        )
    codes_file.write_text("\n".join(codes) + "\n")
    return {"site": SITE, "token": issued.token, "customers": customers, "open": len(inside)}


def outcomes(prefix: str) -> dict:
    rows = (
        Scan.objects.filter(site__slug=SITE, client_id__startswith=prefix)
        .values_list("outcome")
        .annotate(n=Count("id"))
    )
    return dict(rows)


if __name__ == "__main__":
    command = sys.argv[1]
    if command == "setup":
        result = setup(int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), Path(sys.argv[5]))
    elif command == "outcomes":
        result = outcomes(sys.argv[2])
    else:
        raise SystemExit(f"unknown command {command}")
    print(json.dumps(result))
