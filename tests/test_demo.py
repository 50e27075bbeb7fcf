"""`timetill demo`: the catalogue, each site's time product, and a parked sale with a priced stay."""

import json
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone, translation

from timetill.catalog.examples import CAR_PARK
from timetill.catalog.models import Package, Product, SiteTimeProduct
from timetill.catalog.services import quote_for
from timetill.customers.models import CustomerGroup
from timetill.formats import money
from timetill.invoicing.models import Enrolment, Family, Invoice, InvoiceLine
from timetill.invoicing.month import parse_month
from timetill.invoicing.run import run_month
from timetill.sales.models import Sale
from timetill.sites.models import Site
from timetill.timelines.actors import Actor
from timetill.timelines.models import TimeLine

from .conftest import paris

ROOT = Path(__file__).resolve().parents[1]


def test_demo_loads_products_time_products_and_a_parked_sale(db, capsys):
    call_command("demo")
    out = capsys.readouterr().out
    kinds = dict(
        Product.objects.values_list("short_name", "kind")
    )  # the daycare's three Ore extra share a name
    assert kinds == {
        "Coworking": "time",
        "Parking": "time",
        "Ore extra": "daily_time",
        "Aire de jeux": "ladder",
        "Pranzi": "simple",
        "Retta mensile 8-12": "simple",
        "Retta mensile 8-16": "simple",
        "Retta mensile full": "simple",
        "Café": "simple",
        "Chaussettes": "simple",
    }
    chosen = dict(SiteTimeProduct.objects.filter(group=None).values_list("site__slug", "product__short_name"))
    assert chosen == {"cowork": "Coworking", "parking": "Parking", "daycare": "Ore extra"}
    ladder = Product.objects.get(short_name="Aire de jeux")
    assert [(v.duration_minutes, v.price) for v in ladder.variants.order_by("duration_minutes")] == [
        (60, Decimal("6.00")),
        (120, Decimal("11.00")),
    ]
    sale = Sale.objects.get()
    assert sale.state == "parked" and sale.site.slug == "cowork"
    stay, coffee = sale.lines.order_by("position")
    assert stay.time_line is not None and stay.explanation["lines"][0]["label"] == "Première heure"
    assert (coffee.short_name, coffee.quantity, coffee.gross) == ("Café", Decimal(2), Decimal("4.00"))
    assert "Coworking à l'heure: the time product of Coworking Bellecour" in out


def test_the_coworking_charges_the_first_hour_whole_and_members_less(db):
    call_command("demo")
    cowork, product = Site.objects.get(slug="cowork"), Product.objects.get(short_name="Coworking")
    start = timezone.now().replace(hour=9, minute=0, second=0, microsecond=0) - timedelta(days=1)

    def price(minutes, group=None):
        end = start + timedelta(minutes=minutes)
        return quote_for(product=product, site=cowork, start=start, end=end, group=group).total.amount

    assert CustomerGroup.objects.filter(name="Membres").exists()
    assert (price(20), price(80), price(80, "Membres")) == (Decimal("4.00"), Decimal("5.80"), Decimal("4.20"))


def test_the_demo_car_park_is_the_documented_example():
    assert json.loads((ROOT / "docs" / "examples" / "car-park.json").read_text()) == CAR_PARK


# -- the daycare's month ----------------------------------------------------------------------------------

DEMO_NOW = paris(2026, 12, 2, 10, 0)  # a Wednesday: the demo's months are October and November


@pytest.fixture
def daycare_demo(db):
    with time_machine.travel(DEMO_NOW, tick=False):
        call_command("demo")
    return Site.objects.get(slug="daycare")


def _window(product):
    included = product.tariff["included"]
    return {(w["from"], w["to"]) for w in included.values()}, set(included)


def test_the_demo_daycare_has_three_packages_fourteen_families_and_twenty_children(daycare_demo):
    packages = {p.name: p for p in Package.objects.prefetch_related("items__product")}
    windows = {}
    for name, package in packages.items():
        daily = [i.product for i in package.items.all() if i.product.kind == Product.Kind.DAILY_TIME]
        assert len(daily) == 1 and any(i.product.kind == "simple" for i in package.items.all())
        windows[name] = _window(daily[0])
    assert windows == {
        "Pacchetto 8-12 (mattine)": ({("08:00", "12:00")}, {"mon", "tue", "wed", "thu"}),
        "Pacchetto 8-16": ({("08:00", "16:00")}, {"mon", "tue", "wed", "thu"}),
        "Pacchetto giornata intera": ({("07:30", "18:30")}, {"mon", "tue", "wed", "thu"}),
    }
    families = Family.objects.filter(site=daycare_demo).prefetch_related("children", "payers")
    sizes = sorted(f.children.count() for f in families)
    assert len(sizes) == 14 and sum(sizes) == 20 and sizes.count(2) == 2
    # Every child is enrolled, in one of the three packages.
    assert Enrolment.objects.values("customer").distinct().count() == 20
    separated = [f for f in families if f.payers.count() == 2]
    assert len(separated) == 1
    (child,) = separated[0].children.all()
    assert sorted(s.percent for s in child.shares.all()) == [Decimal(50), Decimal(50)]


def test_the_demo_stays_have_late_pickups_early_dropoffs_an_unplanned_friday_and_a_forgotten_checkout(
    daycare_demo,
):
    tz = daycare_demo.tz
    opens = {}
    for enrolment in Enrolment.objects.select_related("package"):
        daily = next(i.product for i in enrolment.package.items.all() if i.product.kind == "daily_time")
        (window,) = _window(daily)[0]
        opens[enrolment.customer_id] = tuple(datetime.strptime(t, "%H:%M").time() for t in window)
    stays = list(TimeLine.objects.filter(site=daycare_demo, end__isnull=False))
    starts = [(s, s.start.astimezone(tz), s.end.astimezone(tz)) for s in stays]
    assert all(start.weekday() < 5 for _s, start, _e in starts)
    assert {start.date().replace(day=1) for _s, start, _e in starts} == {
        date(2026, 10, 1),
        date(2026, 11, 1),
        date(2026, 12, 1),
    }
    assert all(start.date() < date(2026, 12, 2) for _s, start, _e in starts)
    early = [
        s
        for s, start, _e in starts
        if start.time()
        < (datetime.combine(start.date(), opens[s.customer_id][0]) - timedelta(minutes=10)).time()
    ]
    late = [
        s
        for s, _st, end in starts
        if end.time() > (datetime.combine(end.date(), opens[s.customer_id][1]) + timedelta(minutes=10)).time()
    ]
    assert len(early) >= 10 and len(late) >= 10
    fridays = [(s.customer.name, start.date()) for s, start, _e in starts if start.weekday() == 4]
    assert fridays == [("Inès Roux", date(2026, 11, 20))]
    too_long = [s for s in stays if s.end - s.start > timedelta(minutes=daycare_demo.max_stay_minutes)]
    assert [(s.customer.name, s.start.astimezone(tz).date()) for s in too_long] == [
        ("Hugo Bernard", date(2026, 11, 16))
    ]


def test_the_demo_office_runs_december_and_sees_the_forgotten_checkout(daycare_demo, client):
    office = get_user_model().objects.get(username="office")
    assert all(office.has_perm(f"accounts.{r}") for r in ("manage_invoicing", "edit_times", "track_time"))
    assert not office.has_perm("accounts.manage_users")
    # October and November are issued; most paid, the Bernards' and the Garcias' not.
    issued = Invoice.objects.filter(state="issued")
    assert set(issued.values_list("month", flat=True)) == {date(2026, 10, 1), date(2026, 11, 1)}
    assert not Invoice.objects.filter(state="draft").exists()
    with time_machine.travel(DEMO_NOW, tick=False):
        summary = run_month(
            site_id=daycare_demo.pk, month=parse_month("2026-12"), actor=Actor.for_user(office), at=DEMO_NOW
        )
    assert (summary.families, summary.invoices, summary.to_review) == (14, 15, 1)
    assert summary.warnings[0].startswith(
        "Hugo Bernard: permanenza dal 16/11/2026 08:09"
    )  # the site speaks Italian
    friday = InvoiceLine.objects.get(
        child__name="Inès Roux", kind="extra_time", period_start=date(2026, 11, 1)
    )
    assert {"date": "2026-11-20", "amount": "20.00"}.items() <= next(
        d for d in friday.explanation["days"] if d["date"] == "2026-11-20"
    ).items()


def test_the_demo_parent_sees_the_bernards_invoices_and_what_is_due(daycare_demo, client):
    assert client.login(username="parent", password="parent-password")
    with time_machine.travel(DEMO_NOW, tick=False):
        page = client.get("/invoicing/mine/").content.decode()
    bernard = Invoice.objects.filter(family__name="Bernard", state="issued").order_by("month")
    assert len(bernard) == 2 and all(i.number in page for i in bernard)
    other = Invoice.objects.filter(family__name="Roux", state="issued").first()
    assert other.number not in page
    due = sum(i.gross for i in bernard)
    with translation.override("it"):  # the daycare's parent reads Italian: "€ 1.636,00"
        assert f"Da pagare: {money(due, 'EUR')}" in page
    november = bernard[1]
    detail = client.get(f"/invoicing/mine/{november.pk}/").content.decode()
    assert "2026-10-" in detail  # October's extra time, day by day
