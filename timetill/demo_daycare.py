"""Demo data of the daycare: packages, families with their payers, enrolments, two months of stays."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth.models import Permission

from timetill.accounts.services import create_user
from timetill.catalog.examples import EXTRA_HOURS
from timetill.catalog.models import Product
from timetill.catalog.packages import ItemSpec, PackageSpec, create_package
from timetill.catalog.services import ProductSpec, create_product
from timetill.customers.models import Customer, CustomerGroup
from timetill.customers.services import create_customer
from timetill.demo_einvoice import codice_fiscale
from timetill.invoicing import families as family_services
from timetill.invoicing.invoices import issue_month, record_payment
from timetill.invoicing.models import Payment
from timetill.invoicing.month import Month
from timetill.invoicing.run import run_month
from timetill.sites.models import Site
from timetill.timelines.actors import Actor
from timetill.timelines.models import TimeLine, Via

OFFICE_LOGIN = ("office", "office-password")
# What the daycare's office does: the month's invoices, time corrections, the families' records, the desk.
OFFICE_RIGHTS = ("track_time", "edit_times", "manage_invoicing", "manage_customers")
# Mon–Thu are the planned days of every package; a Friday is a day not included (a flat price).
PLANNED = ("mon", "tue", "wed", "thu")
# Families whose invoices are left unpaid: the office sees them overdue, the demo parent sees what is due.
UNPAID = ("Bernard", "Garcia")


@dataclass(frozen=True)
class _Plan:
    key: str
    name: str
    fee: Decimal
    opens: time
    closes: time
    lunches: int


PACKAGES = (
    _Plan("8-12", "Pacchetto 8-12 (mattine)", Decimal("280.00"), time(8), time(12), 0),
    _Plan("8-16", "Pacchetto 8-16", Decimal("440.00"), time(8), time(16), 16),
    _Plan("full", "Pacchetto giornata intera", Decimal("560.00"), time(7, 30), time(18, 30), 16),
)

# Fourteen families, twenty children: two families of two, two of three, ten of one. The Bernards are the
# demo parent's; Jules's parents are separated and share his invoices 50/50.
FAMILIES: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("Bernard", ("Claire Bernard",), ("Léa Bernard", "Hugo Bernard")),
    ("Roux", ("Nadia Roux",), ("Inès Roux",)),
    ("Garcia", ("Pablo Garcia",), ("Lucas Garcia", "Manon Garcia")),
    ("Fontaine / Marchand", ("Sophie Fontaine", "Marc Marchand"), ("Jules Marchand",)),
    ("Dubois", ("Anne Dubois",), ("Arthur Dubois", "Louise Dubois", "Gabriel Dubois")),
    ("Lambert", ("Julien Lambert",), ("Zoé Lambert",)),
    ("Nguyen", ("Linh Nguyen",), ("Tom Nguyen", "Mia Nguyen", "Sacha Nguyen")),
    ("Faure", ("Camille Faure",), ("Rose Faure",)),
    ("Girard", ("Élodie Girard",), ("Noah Girard",)),
    ("Morel", ("Karim Morel",), ("Adam Morel",)),
    ("André", ("Lucie André",), ("Alice André",)),
    ("Mercier", ("Paul Mercier",), ("Nina Mercier",)),
    ("Blanc", ("Sarah Blanc",), ("Éva Blanc",)),
    ("Guerin", ("Hélène Guerin",), ("Léon Guerin",)),
)


@dataclass
class DaycareDemo:
    office: object
    children: dict[str, Customer]
    packages: dict[str, int]
    forgotten: TimeLine
    unplanned_friday: date


def load_daycare(*, daycare: Site, families_group: CustomerGroup, parent, now: datetime, actor: Actor):
    """The daycare's packages, families, enrolments and stays from the first day of the month before last
    to yesterday; the month before last invoiced and issued (so the parent has an invoice), this month left
    to the office, with one forgotten check-out of last month to review."""
    office = create_user(username=OFFICE_LOGIN[0], password=OFFICE_LOGIN[1], role="cashier")
    office.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="accounts", codename__in=OFFICE_RIGHTS)
    )
    office.profile.default_site = daycare
    office.profile.language = "it"  # the daycare's office speaks Italian, as its site does
    office.profile.save(update_fields=["default_site", "language"])
    packages, plans = _packages(actor)
    today = now.astimezone(daycare.tz).date()
    this_month = Month(today.replace(day=1))
    first_month = this_month.previous.previous
    children: dict[str, Customer] = {
        c.name: c for c in Customer.objects.filter(group=families_group, family_link__isnull=True)
    }
    kids_by_family = []
    for index, (name, payers, kids) in enumerate(FAMILIES):
        specs = tuple(
            family_services.PayerSpec(
                name=payer,
                address=f"{12 + index} rue de la République\n69002 Lyon",
                email=f"{payer.split()[0].lower()}@example.org",
                tax_code=codice_fiscale(payer),
                username=parent.username if name == "Bernard" else None,
            )
            for payer in payers
        )
        for kid in kids:
            if kid not in children:
                code = "QR-" + kid.split()[0].upper().replace("É", "E").replace("È", "E") + f"-{index:02d}"
                children[kid] = create_customer(name=kid, group=families_group, codes=[(code, "qr")])
        family = family_services.create_family(
            site_id=daycare.pk,
            name=name,
            payers=specs,
            children=tuple(children[kid].pk for kid in kids),
            actor=actor,
        )
        if len(payers) == 2:
            first, second = family.payers.order_by("position")
            for kid in kids:
                family_services.set_shares(
                    customer_id=children[kid].pk,
                    shares={first.pk: Decimal(50), second.pk: Decimal(50)},
                    actor=actor,
                )
        kids_by_family.append(kids)
    # Each child in a package, in turn; the last child joined in the middle of last month (prorated).
    order = [kid for kids in kids_by_family for kid in kids]
    late_starter = order[-1]
    enrolled: dict[str, tuple[_Plan, date]] = {}
    for position, kid in enumerate(order):
        plan = plans[position % len(plans)]
        start = this_month.previous.first + timedelta(days=14) if kid == late_starter else first_month.first
        family_services.enrol(
            customer_id=children[kid].pk,
            package_id=packages[plan.key],
            start=start,
            actor=actor,
            at=datetime.combine(first_month.first, time(9), daycare.tz) - timedelta(days=7),
        )
        enrolled[kid] = (plan, start)
    forgotten, friday = _stays(daycare, children, enrolled, first_month.first, today, actor)
    # The two months before this one are invoiced and issued (the parent's phone shows last month's extra
    # time day by day), and most of them paid; this month's run is the office's, with its forgotten check-out.
    for month in (first_month, first_month.next):
        run_at = datetime.combine(month.first, time(9), daycare.tz)
        run_month(site_id=daycare.pk, month=month, actor=actor, at=run_at)
        issued = issue_month(site_id=daycare.pk, month=month, actor=actor, at=run_at)
        for number, invoice in enumerate(issued.issued):
            if invoice.family.name in UNPAID or (month != first_month and number % 3 == 0):
                continue
            record_payment(
                invoice_id=invoice.pk,
                method=Payment.Method.DIRECT_DEBIT,
                amount=invoice.gross,
                paid_on=invoice.issue_date + timedelta(days=5),
                actor=actor,
                at=run_at + timedelta(days=5),
            )
    return DaycareDemo(office, children, packages, forgotten, friday)


def _packages(actor: Actor) -> tuple[dict[str, int], tuple[_Plan, ...]]:
    def product(**fields) -> Product:
        return create_product(spec=ProductSpec(vat_rate=Decimal(0), **fields), actor=actor)

    lunch = product(
        internal_name="Pranzo", short_name="Pranzi", kind=Product.Kind.SIMPLE, price=Decimal("4.50")
    )
    found = {}
    for plan in PACKAGES:
        fee = product(
            internal_name=f"Retta mensile {plan.key}",
            short_name=f"Retta mensile {plan.key}",
            kind=Product.Kind.SIMPLE,
            price=plan.fee,
        )
        window = {"from": f"{plan.opens:%H:%M}", "to": f"{plan.closes:%H:%M}"}
        tariff = {
            **EXTRA_HOURS,
            "name": f"Ore extra {plan.key}",
            "time_zone": "Europe/Rome",
            "included": {day: window for day in PLANNED},
        }
        extra = product(
            internal_name=f"Ore extra {plan.key}",
            short_name="Ore extra",
            kind=Product.Kind.DAILY_TIME,
            tariff=tariff,
            description=f"fuori {plan.opens:%H:%M}–{plan.closes:%H:%M}",
        )
        items = [ItemSpec(fee.pk), ItemSpec(extra.pk)]
        if plan.lunches:
            items.append(ItemSpec(lunch.pk, Decimal(plan.lunches)))
        package = create_package(
            spec=PackageSpec(name=plan.name, items=tuple(items), proration="planned_days"), actor=actor
        )
        found[plan.key] = package.pk
    return found, PACKAGES


def _stays(daycare, children, enrolled, first: date, today: date, actor: Actor) -> tuple[TimeLine, date]:
    """Every planned day from `first` to yesterday: arrivals around the opening, departures around the
    closing, now and then an early drop-off or a late pick-up; one child on an unplanned Friday of last
    month; and one forgotten check-out last month (closed by the next morning's arrival scan)."""
    rng = random.Random(2026)
    tz = daycare.tz
    last_month = Month(today.replace(day=1)).previous
    fridays = [d for d in _days(last_month.first, last_month.last) if d.weekday() == 4]
    friday = fridays[len(fridays) // 2]
    # A Monday to Wednesday: the next morning is a planned day, whose arrival scan stops the stay.
    planned = [d for d in _days(last_month.first, last_month.last) if d.weekday() < 3]
    forgotten_day = planned[len(planned) // 2]
    friday_child, forgotten_child = "Inès Roux", "Hugo Bernard"
    rows: list[TimeLine] = []
    for name, (plan, start) in enrolled.items():
        for day in _days(max(first, start), today - timedelta(days=1)):
            if day.weekday() >= 4 and not (name == friday_child and day == friday):
                continue
            arrive = datetime.combine(day, plan.opens, tz) + timedelta(minutes=rng.randint(-8, 12))
            leave = datetime.combine(day, plan.closes, tz) - timedelta(minutes=rng.randint(0, 20))
            if rng.random() < 0.12:
                arrive -= timedelta(minutes=rng.choice((15, 25, 40)))  # an early drop-off
            if rng.random() < 0.15:
                leave += timedelta(minutes=rng.choice((15, 30, 45, 60)))  # a late pick-up
            if name == forgotten_child and day == forgotten_day:
                # Nobody scanned Hugo out: his stay ran until the next morning's arrival scan stopped it.
                leave = datetime.combine(day + timedelta(days=1), time(7, 58), tz)
            rows.append(
                TimeLine(
                    site=daycare,
                    customer=children[name],
                    start=arrive,
                    end=leave,
                    started_by=actor.user,
                    stopped_by=actor.user,
                    started_via=Via.SCAN,
                    stopped_via=Via.SCAN,
                )
            )
    # The morning after the forgotten check-out, Hugo's arrival scan stopped the old stay: his new one
    # starts a minute later.
    for row in rows:
        if row.customer == children[forgotten_child] and row.start.date() == forgotten_day + timedelta(
            days=1
        ):
            row.start = datetime.combine(forgotten_day + timedelta(days=1), time(7, 59), tz)
    TimeLine.objects.bulk_create(rows, batch_size=500)
    forgotten = TimeLine.objects.get(
        customer=children[forgotten_child],
        start__gte=datetime.combine(forgotten_day, time(0), tz),
        start__lt=datetime.combine(forgotten_day + timedelta(days=1), time(0), tz),
    )
    return forgotten, friday


def _days(first: date, last: date):
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)
