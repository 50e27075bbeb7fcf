"""Catalogue fixtures: products of each kind, made through the services, and example tariffs."""

from decimal import Decimal

import pytest

from timetill.catalog import examples
from timetill.catalog.services import ProductSpec, VariantSpec, create_product, set_site_time_product
from timetill.timelines.actors import Actor

# PRODUCT.md's car park (grace 15 min, first hour 2.50, then 0.60 per 15 min, cap 15.00 per 24 h), with a
# members' discount; and its Daily Time example.
CAR_PARK = {**examples.CAR_PARK, "groups": {"members": {"discount_percent": "15"}}}
EXTRA_HOURS = examples.EXTRA_HOURS

BILLIARD_STEPS = (
    VariantSpec("1 hour", 60, Decimal("6.00"), "2000000000015"),
    VariantSpec("2 hours", 120, Decimal("11.00")),
)


@pytest.fixture
def system(db) -> Actor:
    return Actor.operator()


@pytest.fixture
def make_product(db):
    def make(kind: str = "simple", **fields):
        fields.setdefault("internal_name", f"{kind.title()} product")
        fields.setdefault("short_name", fields["internal_name"][:60])
        fields.setdefault("vat_rate", Decimal("20"))
        if kind == "simple":
            fields.setdefault("price", Decimal("2.50"))
        elif kind == "ladder":
            fields.setdefault("variants", BILLIARD_STEPS)
        elif kind == "time":
            fields.setdefault("tariff", CAR_PARK)
        elif kind == "daily_time":
            fields.setdefault("tariff", EXTRA_HOURS)
        return create_product(spec=ProductSpec(kind=kind, **fields), actor=Actor.operator())

    return make


@pytest.fixture
def time_product(make_product):
    return make_product("time", internal_name="Car park (visitors)", short_name="Parking")


@pytest.fixture
def ladder_product(make_product):
    return make_product("ladder", internal_name="Billiard table", short_name="Billiard")


@pytest.fixture
def site_time_product(db):
    def choose(site, product, group=None):
        return set_site_time_product(site=site, group=group, product=product, actor=Actor.operator())

    return choose
