"""Scenes the Timestamp page's browser tests start from: a morning at a Paris coworking with people here, its
groups and products named in French as a French business names them (stored data is shown as typed)."""

from datetime import datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import time_machine
from django.utils import timezone

from tests.conftest import PASSWORD
from timetill.accounts.services import create_user
from timetill.catalog.services import ProductSpec, create_product, set_site_time_product
from timetill.customers.codes import make_ean13
from timetill.customers.models import CustomerGroup
from timetill.customers.services import create_customer
from timetill.demo import COWORKING
from timetill.sales.services import PaymentSpec, close_sale
from timetill.sales.stays import stop_and_price
from timetill.sites.models import Site
from timetill.timelines.actors import Actor
from timetill.timelines.models import Via
from timetill.timelines.services import lines as line_service
from timetill.timelines.services.scan import check_in

PARIS = ZoneInfo("Europe/Paris")


def next_weekday_morning() -> datetime:
    """A Tuesday 10:40 in Paris after today: a steady scene, later than the browser's clock (cookies)."""
    day = timezone.now().astimezone(PARIS).date() + timedelta(days=1)
    while day.weekday() != 1:
        day += timedelta(days=1)
    return datetime.combine(day, time(10, 40), tzinfo=PARIS)


def desk_scene(now: datetime) -> None:
    site = Site.objects.create(
        name="Coworking Bellecour", slug="cowork", time_zone="Europe/Paris", capacity=40, max_stay_minutes=600
    )
    members, visitors = (
        CustomerGroup.objects.create(name="Membres"),
        CustomerGroup.objects.create(name="Visiteurs"),
    )
    manager = create_user(username="demo", password=PASSWORD, role="manager")
    actor = Actor.for_user(manager, via=Via.SCAN)
    coworking = create_product(
        spec=ProductSpec(
            internal_name="Coworking à l'heure",
            short_name="Coworking",
            kind="time",
            vat_rate=Decimal(20),
            tariff=COWORKING,
        ),
        actor=actor,
    )
    set_site_time_product(site=site, group=None, product=coworking, actor=actor)
    people = [
        ("Chloé Durand", visitors, timedelta(days=1, hours=2, minutes=5)),
        ("Alice Martin", members, timedelta(hours=2, minutes=25)),
        ("Bruno Lefèvre", members, timedelta(hours=1, minutes=10)),
        ("Farid Benali", members, timedelta(minutes=35)),
        ("Emma Petit", visitors, timedelta(minutes=12)),
    ]
    lines = {}
    for index, (name, group, ago) in enumerate(people, start=1):
        customer = create_customer(
            name=name, group=group, codes=[(make_ean13(f"2000000001{index:02d}"), "ean13")]
        )
        lines[name] = check_in(site=site, customer=customer, actor=actor, at=now - ago)
    line_service.set_note(line_id=lines["Bruno Lefèvre"].pk, note="casier 12", actor=actor, at=now)
    for index, (name, start, length) in enumerate(
        [
            ("David Moreau", timedelta(hours=2, minutes=40), timedelta(hours=1, minutes=55)),
            ("Hugo Roux", timedelta(hours=2, minutes=5), timedelta(minutes=50)),
        ],
        start=1,
    ):
        customer = create_customer(
            name=name, group=members, codes=[(make_ean13(f"2000000002{index:02d}"), "ean13")]
        )
        line = check_in(site=site, customer=customer, actor=actor, at=now - start)
        with time_machine.travel(now - start + length, tick=False):
            _, sale_line = stop_and_price(time_line_id=line.pk, actor=actor, at=timezone.now())
        if name == "David Moreau":  # paid: the stopped list offers to hide it
            payment = PaymentSpec("card", sale_line.gross)
            close_sale(sale_id=sale_line.sale_id, payments=[payment], actor=actor, at=now)
