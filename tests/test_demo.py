"""`timetill demo`: the catalogue, each site's time product, and a parked sale with a priced stay."""

import json
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from django.core.management import call_command
from django.utils import timezone

from timetill.catalog.examples import CAR_PARK
from timetill.catalog.models import Product, SiteTimeProduct
from timetill.catalog.services import quote_for
from timetill.customers.models import CustomerGroup
from timetill.sales.models import Sale
from timetill.sites.models import Site

ROOT = Path(__file__).resolve().parents[1]


def test_demo_loads_products_time_products_and_a_parked_sale(db, capsys):
    call_command("demo")
    out = capsys.readouterr().out
    kinds = dict(Product.objects.values_list("short_name", "kind"))
    assert kinds == {
        "Coworking": "time",
        "Parking": "time",
        "Extra Hours": "daily_time",
        "Play area": "ladder",
        "Coffee": "simple",
        "Socks": "simple",
    }
    chosen = dict(SiteTimeProduct.objects.filter(group=None).values_list("site__slug", "product__short_name"))
    assert chosen == {"cowork": "Coworking", "parking": "Parking", "daycare": "Extra Hours"}
    ladder = Product.objects.get(short_name="Play area")
    assert [(v.duration_minutes, v.price) for v in ladder.variants.order_by("duration_minutes")] == [
        (60, Decimal("6.00")),
        (120, Decimal("11.00")),
    ]
    sale = Sale.objects.get()
    assert sale.state == "parked" and sale.site.slug == "cowork"
    stay, coffee = sale.lines.order_by("position")
    assert stay.time_line is not None and stay.explanation["lines"][0]["label"] == "First hour"
    assert (coffee.short_name, coffee.quantity, coffee.gross) == ("Coffee", Decimal(2), Decimal("4.00"))
    assert "Coworking by the hour: the time product of Coworking Bellecour" in out


def test_the_coworking_charges_the_first_hour_whole_and_members_less(db):
    call_command("demo")
    cowork, product = Site.objects.get(slug="cowork"), Product.objects.get(short_name="Coworking")
    start = timezone.now().replace(hour=9, minute=0, second=0, microsecond=0) - timedelta(days=1)

    def price(minutes, group=None):
        end = start + timedelta(minutes=minutes)
        return quote_for(product=product, site=cowork, start=start, end=end, group=group).total.amount

    assert CustomerGroup.objects.filter(name="Members").exists()
    assert (price(20), price(80), price(80, "Members")) == (Decimal("4.00"), Decimal("5.80"), Decimal("4.20"))


def test_the_demo_car_park_is_the_documented_example():
    assert json.loads((ROOT / "docs" / "examples" / "car-park.json").read_text()) == CAR_PARK
