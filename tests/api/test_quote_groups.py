"""A quote for a customer group nobody has is refused, not quietly priced for everyone."""

from datetime import UTC, datetime

import pytest
import time_machine

from tests.catalog.conftest import CAR_PARK, make_product, time_product  # noqa: F401 - fixtures
from timetill.customers.models import CustomerGroup

STAY = {"start": "2026-03-02T10:00", "end": "2026-03-02T11:20"}


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(datetime(2026, 3, 2, 12, 0, tzinfo=UTC), tick=False):
        yield


def test_a_document_quote_for_an_unknown_group_is_refused(api_as, manager):
    status, body = api_as(manager).post("/quote", {"tariff": CAR_PARK, **STAY, "group": "ghosts"})
    assert (status, body["code"]) == (404, "unknown_group")
    assert body["message"] == "There is no customer group “ghosts”: give one of members, or none."


def test_a_document_quote_for_the_documents_group_or_a_customer_group_is_priced(api_as, manager):
    api = api_as(manager)
    everyone = api.post("/quote", {"tariff": CAR_PARK, **STAY})[1]["total"]
    # The document prices "members" (any case, as the editor's preview takes it).
    status, body = api.post("/quote", {"tariff": CAR_PARK, **STAY, "group": "Members"})
    assert status == 200
    status, body = api.post("/quote", {"tariff": CAR_PARK, **STAY, "group": "members"})
    assert (status, body["total"]) == (200, "3.14")
    # A customers' group the document does not price pays what everyone pays.
    CustomerGroup.objects.create(name="Staff")
    status, body = api.post("/quote", {"tariff": CAR_PARK, **STAY, "group": "Staff"})
    assert (status, body["total"]) == (200, everyone)


def test_a_product_quote_for_an_unknown_group_is_refused(api_as, manager, site, time_product):  # noqa: F811
    api = api_as(manager)
    path = f"/products/{time_product.pk}/quote"
    stay = {"site": site.slug, "start": "2026-03-02T10:00:00+01:00", "minutes": 80}
    status, body = api.post(path, {**stay, "group": "ghosts"})
    assert (status, body["code"]) == (404, "unknown_group")
    assert "ghosts" in body["message"]
    status, body = api.post(path, {**stay, "group": "members"})
    assert (status, body["total"]) == (200, "3.14")
