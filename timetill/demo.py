"""Demo data: three sites (coworking, car park, daycare), customers with codes, logins, time lines."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction

from timetill.accounts.services import create_user
from timetill.customers.codes import make_ean13
from timetill.customers.models import CustomerGroup, Guardian
from timetill.customers.services import create_customer
from timetill.sites.models import Site
from timetill.timelines.actors import Actor
from timetill.timelines.models import Via
from timetill.timelines.services.scan import check_in, stop_line

DEMO_LOGINS = {
    "demo": ("demo-password", "manager"),
    "cashier": ("cashier-password", "cashier"),
    "parent": ("parent-password", "parent"),
}


@dataclass
class DemoSummary:
    logins: dict[str, tuple[str, str]] = field(default_factory=dict)
    codes: list[tuple[str, str, str]] = field(default_factory=list)  # (site, customer, code)


def demo_exists() -> bool:
    return get_user_model().objects.filter(username="demo").exists()


@transaction.atomic
def load_demo(*, now: datetime) -> DemoSummary:
    summary = DemoSummary(logins=dict(DEMO_LOGINS))
    users = {
        name: create_user(username=name, password=pw, role=role) for name, (pw, role) in DEMO_LOGINS.items()
    }
    cowork = Site.objects.create(
        name="Coworking Bellecour",
        slug="cowork",
        time_zone="Europe/Paris",
        capacity=40,
        max_stay_minutes=12 * 60,
    )
    Site.objects.create(
        name="Car park Part-Dieu",
        slug="parking",
        time_zone="Europe/Paris",
        capacity=120,
        existing_line_policy=Site.ExistingLinePolicy.SHOW,
        unknown_code_policy=Site.UnknownCodePolicy.ANONYMOUS,
    )
    daycare = Site.objects.create(
        name="Little Steps daycare",
        slug="daycare",
        time_zone="Europe/Paris",
        capacity=24,
        unknown_code_policy=Site.UnknownCodePolicy.REFUSE,
        max_stay_minutes=10 * 60,
    )
    members = CustomerGroup.objects.create(name="Members")
    visitors = CustomerGroup.objects.create(name="Visitors")
    families = CustomerGroup.objects.create(name="Families")
    profile = users["demo"].profile
    profile.default_site = cowork
    profile.save(update_fields=["default_site"])

    adults = [
        ("Alice Martin", members),
        ("Bruno Lefèvre", members),
        ("Chloé Durand", visitors),
        ("David Moreau", members),
        ("Emma Petit", visitors),
        ("Farid Benali", members),
    ]
    children = [
        ("Léa Bernard", "QR-LEA-2021"),
        ("Hugo Bernard", "QR-HUGO-2019"),
        ("Inès Roux", "QR-INES-2020"),
    ]
    manager = Actor(user=users["demo"], via=Via.SCAN)
    coworkers = []
    for index, (name, group) in enumerate(adults, start=1):
        code = make_ean13(f"200000000{index:03d}")
        coworkers.append(create_customer(name=name, group=group, codes=[(code, "ean13")]))
        summary.codes.append((cowork.slug, name, code))
    kids = []
    for name, code in children:
        kids.append(create_customer(name=name, group=families, codes=[(code, "qr")]))
        summary.codes.append((daycare.slug, name, code))
    for kid in kids[:2]:
        Guardian.objects.create(user=users["parent"], customer=kid)
    summary.codes.append(("parking", "any ticket", "TICKET-0042"))

    # Today: three people in, one of them since yesterday (a forgotten check-out the pending list flags).
    for customer, ago in (
        (coworkers[0], timedelta(hours=2, minutes=10)),
        (coworkers[1], timedelta(minutes=35)),
    ):
        check_in(site=cowork, customer=customer, actor=manager, at=now - ago)
    check_in(site=cowork, customer=coworkers[2], actor=manager, at=now - timedelta(days=1, hours=3))
    # Closed stays over the past week, for the stopped list and later reports.
    for day in range(1, 6):
        for customer in coworkers[3:]:
            start = now - timedelta(days=day, hours=6)
            line = check_in(site=cowork, customer=customer, actor=manager, at=start)
            stop_line(
                line, actor=manager, end=start + timedelta(hours=2 + day % 3, minutes=15 * day), at=start
            )
        for kid in kids:
            start = now - timedelta(days=day, hours=9)
            line = check_in(site=daycare, customer=kid, actor=manager, at=start)
            stop_line(line, actor=manager, end=start + timedelta(hours=8, minutes=5 * day), at=start)
    check_in(site=daycare, customer=kids[2], actor=manager, at=now - timedelta(hours=1))
    return summary
