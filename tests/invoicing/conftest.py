"""The daycare of the invoicing tests: its products, packages, families and a way to write stays."""

from datetime import date, datetime
from decimal import Decimal

import pytest

from timetill.catalog import examples
from timetill.catalog.packages import ItemSpec, PackageSpec, create_package
from timetill.catalog.services import ProductSpec, create_product
from timetill.invoicing.families import PayerSpec, create_family, enrol, set_shares
from timetill.timelines.actors import Actor
from timetill.timelines.models import TimeLine, Via

from ..conftest import paris

OPERATOR = Actor.operator()
ENROLLED_AT = paris(2026, 9, 1, 9, 0)


@pytest.fixture
def daycare(make_site):
    return make_site(name="Les Lutins", slug="lutins", max_stay_minutes=11 * 60)


@pytest.fixture
def products(db):
    def product(kind, name, short, **fields):
        return create_product(
            spec=ProductSpec(
                kind=kind, internal_name=name, short_name=short, vat_rate=Decimal("20"), **fields
            ),
            actor=OPERATOR,
        )

    return {
        "fee": product("simple", "Monthly fee 8-16", "Monthly fee", price=Decimal("440.00")),
        "lunch": product("simple", "Lunches", "Lunch", price=Decimal("88.00")),
        "extra": product(
            "daily_time",
            "Extra Hours 8-16",
            "Extra Hours",
            description="",
            tariff=examples.EXTRA_HOURS,
        ),
    }


@pytest.fixture
def make_package(products):
    def make(name="Package 8-16", proration="none", items=("fee", "extra")):
        return create_package(
            spec=PackageSpec(
                name=name, proration=proration, items=tuple(ItemSpec(products[i].pk) for i in items)
            ),
            actor=OPERATOR,
        )

    return make


@pytest.fixture
def package(make_package):
    return make_package()


@pytest.fixture
def make_family(daycare, make_customer, make_user):
    def make(name="Martin", children=("Léa",), payers=1, split=None):
        kids = [make_customer(f"{child} {name}") for child in children]
        specs = tuple(
            PayerSpec(
                name=f"Parent{i + 1} {name}",
                address="12 rue des Lilas\n75011 Paris",
                tax_code=f"TAX{i + 1}",
                email=f"parent{i + 1}.{name.lower()}@example.org",
                username=make_user("parent").username,
            )
            for i in range(payers)
        )
        family = create_family(
            site_id=daycare.pk, name=name, payers=specs, children=tuple(k.pk for k in kids), actor=OPERATOR
        )
        if split:
            payer_ids = list(family.payers.values_list("pk", flat=True))
            for kid in kids:
                set_shares(
                    customer_id=kid.pk, shares=dict(zip(payer_ids, split, strict=True)), actor=OPERATOR
                )
        return family, kids

    return make


@pytest.fixture
def make_enrolment(db):
    def make(child, package, start=date(2026, 9, 1), end=None):
        return enrol(
            customer_id=child.pk, package_id=package.pk, start=start, end=end, actor=OPERATOR, at=ENROLLED_AT
        )

    return make


@pytest.fixture
def make_stay(daycare):
    def make(child, start: datetime, end: datetime | None):
        return TimeLine.objects.create(
            site=daycare,
            customer=child,
            start=start,
            end=end,
            started_via=Via.SCAN,
            stopped_via=Via.SCAN if end else "",
        )

    return make


# PRODUCT.md's week: Mon–Thu 08:00–16:00, early 3 € and late 5 € per 15 min, 10 min tolerance, Friday 20 €.
# In October 2026: the week of Monday the 5th. Its extra time is €38.00.
PRODUCT_WEEK = (
    ((2026, 10, 5, 8, 0), (2026, 10, 5, 16, 10)),
    ((2026, 10, 6, 8, 0), (2026, 10, 6, 16, 11)),
    ((2026, 10, 7, 7, 40), (2026, 10, 7, 16, 0)),
    ((2026, 10, 8, 8, 5), (2026, 10, 8, 16, 40)),
    ((2026, 10, 9, 9, 0), (2026, 10, 9, 12, 0)),
)


@pytest.fixture
def product_week(make_stay):
    def make(child):
        return [make_stay(child, paris(*a), paris(*b)) for a, b in PRODUCT_WEEK]

    return make


@pytest.fixture
def api_as(db):
    """api_as(user) for a person's session, api_as(None) for nobody (the API tests' JSON client)."""
    from django.test import Client

    from ..api.conftest import Api

    class JsonApi(Api):
        def put(self, path: str, data=None, **kwargs):
            return self._call("put", path, data if data is not None else {}, **kwargs)

    def make(user=None) -> Api:
        client = Client()
        if user is not None:
            client.force_login(user)
        return JsonApi(client)

    return make


@pytest.fixture
def work(monkeypatch):
    """Run the queued background jobs as the worker does (`timetill db_worker --batch`), inside the test's
    transaction: the worker's closing of idle connections would close the test's own, so it is left out."""
    from django.core.management import call_command
    from django_tasks_db.management.commands import db_worker

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)

    def run() -> None:
        call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)

    return run
