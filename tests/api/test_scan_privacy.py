"""What a scan tells, and to whom: client ids belong to their maker, rights come before a replay, a replay
answers as the first time, parents scan only where families do, and a refusal never tells what exists."""

import pytest

from timetill.customers.models import Guardian
from timetill.timelines.actors import Actor
from timetill.timelines.models import Scan, TimeLine, Via
from timetill.timelines.services import lines as line_service


@pytest.fixture
def kiosk(api_device, site, make_device):
    return api_device(make_device(site, "Kiosk 1").token)


def test_another_devices_client_id_answers_nothing_of_its_scan(
    kiosk, api_as, make_parent, make_customer, site
):
    child, other_child = make_customer("Léa Bernard"), make_customer("Tom Other")
    status, first = kiosk.post(
        "/scans", {"site": site.slug, "code": child.codes.get().value, "client_id": "k1"}
    )
    assert status == 200
    parent = api_as(make_parent(other_child))
    # The same client id, the same code: not the parent's child, so refused, and nothing of Léa's stay told.
    status, body = parent.post(
        "/scans", {"site": site.slug, "code": child.codes.get().value, "client_id": "k1"}
    )
    assert (status, body["code"]) == (403, "not_your_child")
    assert "Léa" not in parent.last.content.decode()


def test_a_client_id_another_device_used_is_unknown_to_this_one(api_device, make_device, make_customer, site):
    first, second, third = (api_device(make_device(site, f"Kiosk {n}").token) for n in (1, 2, 3))
    ada, bob = make_customer("Ada"), make_customer("Bob")
    site.bounce_seconds = 0
    site.save()
    first.post("/scans", {"site": site.slug, "code": ada.codes.get().value, "client_id": "0001"})
    # The same code with the same id from another kiosk is a scan of its own (a check-out), not a replay.
    status, body = second.post(
        "/scans", {"site": site.slug, "code": ada.codes.get().value, "client_id": "0001"}
    )
    assert (status, body["outcome"], second.last["Idempotent-Replayed"]) == (200, "stopped", "false")
    # Another code with the same id: not `client_id_reused` (which would tell that the id exists), a scan.
    status, body = third.post(
        "/scans", {"site": site.slug, "code": bob.codes.get().value, "client_id": "0001"}
    )
    assert (status, body["outcome"], body["time_line"]["customer_id"]) == (200, "started", bob.pk)
    assert Scan.objects.filter(client_id="0001").count() == 3


def test_rights_are_checked_before_a_replay(api_as, make_parent, make_customer, site, unchanged):
    child = make_customer("Léa")
    parent = make_parent(child)
    api = api_as(parent)
    scan = {"site": site.slug, "code": child.codes.get().value, "client_id": "phone-1"}
    assert api.post("/scans", scan)[0] == 200
    Guardian.objects.filter(user=parent).delete()  # the parent is no longer a guardian of Léa
    with unchanged():
        status, body = api.post("/scans", scan)
    assert (status, body["code"]) == (403, "forbidden")  # neither the right nor a child any more
    assert "Léa" not in api.last.content.decode()


def test_a_replay_answers_as_the_first_time_even_after_the_line_changed(kiosk, site, make_customer, cashier):
    code = make_customer("Ada").codes.get().value
    scan = {"site": site.slug, "code": code, "client_id": "kiosk-1/7"}
    status, first = kiosk.post("/scans", scan)
    assert (status, first["outcome"], first["time_line"]["end"]) == (200, "started", None)
    line_service.stop(
        line_id=first["time_line"]["id"], actor=Actor.for_user(cashier, via=Via.MANUAL), at=_later()
    )
    status, again = kiosk.post("/scans", scan)
    assert kiosk.last["Idempotent-Replayed"] == "true"
    assert (status, again) == (200, first)
    assert TimeLine.objects.get().end is not None  # the line did change; the answer did not


def _later():
    from datetime import UTC, datetime, timedelta

    return datetime.now(UTC) + timedelta(seconds=1)


def test_a_parent_checks_in_only_where_families_do(api_as, make_parent, make_customer, make_site, unchanged):
    coworking = make_site(name="Coworking", slug="cowork")  # family_check_in is off by default
    daycare = make_site(name="Daycare", slug="daycare", family_check_in=True)
    child = make_customer("Léa")
    api = api_as(make_parent(child))
    with unchanged():
        status, body = api.post("/scans", {"site": coworking.slug, "code": child.codes.get().value})
    assert (status, body["code"]) == (403, "not_a_family_site")
    assert "Coworking" in body["message"]
    status, body = api.post("/scans", {"site": daycare.slug, "code": child.codes.get().value})
    assert (status, body["outcome"]) == (200, "started")


def test_a_parent_stops_only_where_families_do(
    api_as, make_parent, make_customer, make_site, cashier, unchanged
):
    from tests.api.helpers import open_line

    coworking = make_site(name="Coworking", slug="cowork")
    child = make_customer("Léa")
    line = open_line(cashier, coworking, child)
    api = api_as(make_parent(child))
    with unchanged():
        status, body = api.post(f"/time-lines/{line.pk}/stop")
    assert (status, body["code"]) == (403, "not_a_family_site")


def test_another_sites_line_code_is_an_unknown_code_to_a_device(
    api_device, make_site, make_device, make_customer, cashier
):
    from tests.api.helpers import open_line

    here = make_site(name="Here", unknown_code_policy="refuse")
    elsewhere = make_site(name="Secret elsewhere")
    line = open_line(cashier, elsewhere, make_customer())
    kiosk = api_device(make_device(here).token)
    status, body = kiosk.post("/scans", {"site": here.slug, "code": line.code})
    unknown_status, unknown = kiosk.post("/scans", {"site": here.slug, "code": "TL0000000000"})
    assert (status, body["code"]) == (unknown_status, unknown["code"]) == (404, "unknown_code")
    assert "Secret elsewhere" not in kiosk.last.content.decode() + str(body)


def test_staff_are_told_which_site_a_line_is_at(api_as, cashier, make_site, make_customer):
    from tests.api.helpers import open_line

    here, elsewhere = make_site(name="Here"), make_site(name="Elsewhere")
    line = open_line(cashier, elsewhere, make_customer())
    status, body = api_as(cashier).post("/scans", {"site": here.slug, "code": line.code})
    assert (status, body["code"]) == (400, "other_site")
    assert "Elsewhere" in body["message"]


def test_assigning_needs_the_right_before_any_customer_is_looked_up(
    api_as, make_parent, make_customer, site, cashier, unchanged
):
    from tests.api.helpers import open_line

    child = make_customer("Léa")
    line = open_line(cashier, site, child)
    api, other = api_as(make_parent(child)), make_customer()
    with unchanged():
        known = api.post(f"/time-lines/{line.pk}/assign", {"customer_id": other.pk})
        unknown = api.post(f"/time-lines/{line.pk}/assign", {"customer_id": 987654})
    assert known == unknown
    assert known[0] == 403 and known[1]["code"] == "forbidden"


def test_a_time_product_choice_needs_the_right_before_any_product_is_looked_up(
    api_as, cashier, site, unchanged
):
    api = api_as(cashier)
    with unchanged():
        status, body = api.put(f"/sites/{site.slug}/time-products", {"product_id": 987654})
        unknown_site = api.put("/sites/nowhere/time-products", {"product_id": 987654})
    assert (status, body["code"]) == (403, "forbidden")
    assert unknown_site == (status, body)
