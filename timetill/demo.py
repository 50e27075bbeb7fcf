"""Demo data: three sites (coworking, car park, daycare), customers, logins, time lines, products, a sale,
and the daycare's families, packages and months (timetill/demo_daycare.py).

Its sites are its users' (PRODUCT.md): a coworking and a car park in Lyon, which speak French, and a
daycare in Milan, which speaks Italian; their catalogues, tariff labels and receipts are in the site's
language."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction

from timetill.accounts.services import create_user
from timetill.catalog.examples import CAR_PARK, EXTRA_HOURS
from timetill.catalog.models import Product
from timetill.catalog.services import ProductSpec, VariantSpec, create_product, set_site_time_product
from timetill.customers.codes import make_ean13
from timetill.customers.models import CustomerGroup, Guardian
from timetill.customers.services import create_customer
from timetill.demo_daycare import OFFICE_LOGIN, load_daycare
from timetill.demo_einvoice import credit_a_day, load_sellers
from timetill.sales.services import LineSpec, add_line, park
from timetill.sales.stays import stop_and_price
from timetill.sites.models import Site
from timetill.timelines.actors import Actor
from timetill.timelines.models import Via
from timetill.timelines.services.scan import check_in, stop_line

DEMO_LOGINS = {
    "demo": ("demo-password", "manager"),
    "cashier": ("cashier-password", "cashier"),
    "parent": ("parent-password", "parent"),
}


# The coworking's rate tariff: the first hour is charged whole, then every started 15 minutes; members pay
# their own, lower prices; never more than a day pass per 24 hours.
COWORKING = {
    "version": 1,
    "kind": "rate",
    "name": "Coworking",
    "currency": "EUR",
    "time_zone": "Europe/Paris",
    "unit": "15m",
    "first_block": {"duration": "1h", "price": "4.00", "label": "Première heure"},
    "per_unit": "0.90",
    "cap_per_24h": "25.00",
    "groups": {
        "Membres": {
            "tariff": {
                "kind": "rate",
                "unit": "15m",
                "first_block": {"duration": "1h", "price": "3.00", "label": "Première heure (membre)"},
                "per_unit": "0.60",
                "cap_per_24h": "18.00",
            }
        }
    },
}


# PRODUCT.md's car park (catalog.examples), its label in the French of the car park's tickets.
PARKING = {
    **CAR_PARK,
    "name": "Parking",
    "first_block": {**CAR_PARK["first_block"], "label": "Première heure"},
}


@dataclass
class DemoSummary:
    logins: dict[str, tuple[str, str]] = field(default_factory=dict)
    codes: list[tuple[str, str, str]] = field(default_factory=list)  # (site, customer, code)
    products: list[str] = field(default_factory=list)  # what the till sells, and where it prices stays


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
        language="fr",
    )
    parking = Site.objects.create(
        name="Parking Part-Dieu",
        slug="parking",
        time_zone="Europe/Paris",
        capacity=120,
        existing_line_policy=Site.ExistingLinePolicy.SHOW,
        unknown_code_policy=Site.UnknownCodePolicy.ANONYMOUS,
        language="fr",
    )
    daycare = Site.objects.create(
        name="Asilo nido Piccoli Passi",
        slug="daycare",
        time_zone="Europe/Rome",
        capacity=24,
        unknown_code_policy=Site.UnknownCodePolicy.REFUSE,
        # The full day is 07:30–18:30: a stay over 13 hours is a forgotten check-out.
        max_stay_minutes=13 * 60,
        family_check_in=True,
        language="it",
    )
    members = CustomerGroup.objects.create(name="Membres")
    visitors = CustomerGroup.objects.create(name="Visiteurs")
    families = CustomerGroup.objects.create(name="Famiglie")
    # The demo's desk is the coworking's: the codes the README gives first are its members'.
    for name in ("demo", "cashier"):
        profile = users[name].profile
        profile.default_site = cowork
        profile.save(update_fields=["default_site"])
    # Each person reads the pages in the language of their site: the coworking's cashier French, the daycare's
    # parent Italian; the manager's follow the browser (the language switch is in the top bar).
    for name, language in (("cashier", "fr"), ("parent", "it")):
        users[name].profile.language = language
        users[name].profile.save(update_fields=["language"])

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
    # Inès is at the daycare now (on a weekday): her parents' phone shows the extra time accruing.
    if (now - timedelta(hours=1)).astimezone(daycare.tz).weekday() < 5:
        check_in(site=daycare, customer=kids[2], actor=manager, at=now - timedelta(hours=1))

    # The legal identities first: the daycare's products take its exempt rate, its invoices its identity.
    load_sellers(daycare=daycare, actor=manager, at=now)
    products = _load_products(manager)
    for site, key in ((cowork, "cowork"), (parking, "parking"), (daycare, "daycare")):
        set_site_time_product(site=site, group=None, product=products[key], actor=manager)
        summary.products.append(f"{products[key].internal_name}: the time product of {site.name}")
    office_actor = Actor(user=users["demo"], via=Via.MANUAL)
    month = load_daycare(
        daycare=daycare, families_group=families, parent=users["parent"], now=now, actor=office_actor
    )
    credit_a_day(daycare=daycare, actor=office_actor, at=now)
    summary.logins[OFFICE_LOGIN[0]] = (
        OFFICE_LOGIN[1],
        "daycare office: invoicing, families, time corrections",
    )
    for name, child in month.children.items():
        if child.pk not in {kid.pk for kid in kids}:
            summary.codes.append((daycare.slug, name, child.codes.first().value))
    summary.products += [products[key].internal_name for key in ("play", "coffee", "socks")]
    # A parked sale, so the till is not empty: a coworker who left an hour ago, and the coffee they had.
    stay = check_in(
        site=cowork, customer=coworkers[4], actor=manager, at=now - timedelta(hours=3, minutes=40)
    )
    _, sale_line = stop_and_price(time_line_id=stay.pk, actor=manager, at=now - timedelta(hours=1))
    assert sale_line is not None  # the coworking's time product prices every stay
    add_line(sale_id=sale_line.sale_id, spec=LineSpec(products["coffee"].pk, Decimal(2)), actor=manager)
    park(sale_id=sale_line.sale_id, actor=manager, at=now - timedelta(minutes=55))
    return summary


def _load_products(actor: Actor) -> dict[str, Product]:
    """The catalogue: each site's time product, a price ladder, a few simple products."""

    def make(key: str, kind: str, internal_name: str, short_name: str, **fields) -> tuple[str, Product]:
        fields.setdefault("vat_rate", Decimal(20))
        spec = ProductSpec(internal_name=internal_name, short_name=short_name, kind=kind, **fields)
        return key, create_product(spec=spec, actor=actor)

    return dict(
        (
            make("cowork", Product.Kind.TIME, "Coworking à l'heure", "Coworking", tariff=COWORKING),
            make("parking", Product.Kind.TIME, "Parking (visiteurs)", "Parking", tariff=PARKING),
            make(
                "daycare",
                Product.Kind.DAILY_TIME,
                "Ore extra 8-16",
                "Ore extra",
                tariff={**EXTRA_HOURS, "name": "Ore extra 8-16", "time_zone": "Europe/Rome"},
                description="Il tempo fuori lun–gio 08:00–16:00, fatturato ogni mese con il pacchetto.",
                vat_rate=Decimal(0),
            ),
            make(
                "play",
                Product.Kind.LADDER,
                "Aire de jeux (forfaits)",
                "Aire de jeux",
                variants=(
                    VariantSpec("1 heure", 60, Decimal("6.00")),
                    VariantSpec("2 heures", 120, Decimal("11.00")),
                ),
            ),
            make("coffee", Product.Kind.SIMPLE, "Café", "Café", price=Decimal("2.00"), vat_rate=Decimal(10)),
            make(
                "socks",
                Product.Kind.SIMPLE,
                "Chaussettes antidérapantes",
                "Chaussettes",
                price=Decimal("3.50"),
            ),
        )
    )
