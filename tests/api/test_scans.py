"""POST /api/scans: outcomes, retries by client id, offline sync; every bad input refused, nothing changed."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from timetill.customers.codes import make_ean13
from timetill.sites.models import Site
from timetill.timelines.models import Scan, TimeLine


@pytest.fixture
def kiosk(api_device, site, make_device):
    return api_device(make_device(site).token)


def test_a_device_checks_a_customer_in_and_out(kiosk, site, make_customer):
    customer = make_customer("Ada")
    code = customer.codes.get().value
    status, body = kiosk.post("/scans", {"site": site.slug, "code": code})
    assert status == 200
    assert body["outcome"] == "started"
    assert body["message"] == "Ada checked in."
    assert body["time_line"]["customer_id"] == customer.pk
    assert body["time_line"]["started_via"] == "device"
    assert kiosk.last["Idempotent-Replayed"] == "false"

    later = (datetime.now(UTC) + timedelta(seconds=30)).isoformat()
    site.bounce_seconds = 0
    site.save()
    status, body = kiosk.post("/scans", {"site": site.slug, "code": code, "scanned_at": later})
    assert (status, body["outcome"]) == (200, "stopped")
    assert body["time_line"]["end"] is not None


def test_a_scan_in_the_bounce_window_is_recorded_and_changes_nothing(kiosk, site, make_customer):
    code = make_customer().codes.get().value
    first = kiosk.post("/scans", {"site": site.slug, "code": code})[1]
    before = list(TimeLine.objects.values_list("pk", "end"))
    status, body = kiosk.post("/scans", {"site": site.slug, "code": code})
    assert (status, body["outcome"]) == (200, "bounced")
    assert body["time_line"]["id"] == first["time_line"]["id"]
    assert list(TimeLine.objects.values_list("pk", "end")) == before
    assert list(Scan.objects.order_by("pk").values_list("outcome", flat=True)) == ["started", "bounced"]


def test_a_retry_with_the_same_client_id_answers_as_the_first_time(kiosk, site, make_customer):
    code = make_customer().codes.get().value
    scan = {"site": site.slug, "code": code, "client_id": "kiosk-1/000042"}
    first = kiosk.post("/scans", scan)
    assert kiosk.last["Idempotent-Replayed"] == "false"
    again = kiosk.post("/scans", scan)
    assert again == first
    assert kiosk.last["Idempotent-Replayed"] == "true"
    assert Scan.objects.count() == 1 and TimeLine.objects.count() == 1


def test_a_client_id_reused_for_another_code_is_refused(kiosk, site, make_customer, unchanged):
    first, second = (make_customer().codes.get().value for _ in range(2))
    kiosk.post("/scans", {"site": site.slug, "code": first, "client_id": "c1"})
    with unchanged():
        status, body = kiosk.post("/scans", {"site": site.slug, "code": second, "client_id": "c1"})
    assert (status, body["code"]) == (409, "client_id_reused")


def test_an_offline_scan_keeps_the_devices_time(kiosk, site, make_customer):
    code = make_customer().codes.get().value
    when = datetime(2026, 1, 5, 7, 59, 30, tzinfo=UTC)
    with time_machine.travel(when + timedelta(hours=20), tick=False):
        status, body = kiosk.post(
            "/scans", {"site": site.slug, "code": code, "scanned_at": "2026-01-05T08:59:30+01:00"}
        )
    assert status == 200
    assert datetime.fromisoformat(body["time_line"]["start"]) == when
    scan = Scan.objects.get()
    assert scan.device_time == when and scan.received_at > when


def test_an_unknown_code_starts_an_anonymous_line_or_is_refused(kiosk, site, unchanged):
    status, body = kiosk.post("/scans", {"site": site.slug, "code": "ticket-123"})
    assert (status, body["outcome"], body["time_line"]["scanned_code"]) == (200, "started", "TICKET-123")
    site.unknown_code_policy = Site.UnknownCodePolicy.REFUSE
    site.save()
    with unchanged():
        status, body = kiosk.post("/scans", {"site": site.slug, "code": "ticket-456"})
    assert (status, body["code"]) == (404, "unknown_code")


def test_a_show_site_shows_the_open_line(cashier, api_as, make_site, make_customer):
    show = make_site(existing_line_policy=Site.ExistingLinePolicy.SHOW, bounce_seconds=0)
    code = make_customer().codes.get().value
    api = api_as(cashier)
    api.post("/scans", {"site": show.slug, "code": code})
    status, body = api.post("/scans", {"site": show.slug, "code": code})
    assert (status, body["outcome"]) == (200, "shown")
    assert TimeLine.objects.filter(end__isnull=True).count() == 1


def test_a_parent_checks_in_their_own_child(api_as, make_parent, make_customer, site):
    child = make_customer("Lea")
    status, body = api_as(make_parent(child)).post(
        "/scans", {"site": site.slug, "code": child.codes.get().value}
    )
    assert (status, body["outcome"], body["time_line"]["started_via"]) == (200, "started", "parent")


def test_a_parent_cannot_scan_another_familys_child(api_as, make_parent, make_customer, site, unchanged):
    mine, theirs = make_customer("Lea"), make_customer("Tom")
    api = api_as(make_parent(mine))
    with unchanged():
        status, body = api.post("/scans", {"site": site.slug, "code": theirs.codes.get().value})
        assert (status, body["code"]) == (403, "not_your_child")
        status, body = api.post("/scans", {"site": site.slug, "code": "UNKNOWN-CARD"})
        assert (status, body["code"]) == (403, "not_your_child")


def _bad_scans(site_slug: str, good_code: str):
    wrong_ean = make_ean13("400638133393")[:-1] + str((int(make_ean13("400638133393")[-1]) + 1) % 10)
    return [
        ({"site": "nowhere", "code": good_code}, 404, "unknown_site"),
        ({"site": "bad slug!", "code": good_code}, 422, "invalid_input"),
        ({"site": "nul\u0000", "code": good_code}, 422, "invalid_input"),
        ({"site": site_slug, "code": ""}, 400, "empty_code"),
        ({"site": site_slug, "code": "   "}, 400, "empty_code"),
        ({"site": site_slug, "code": "A" * 65}, 400, "code_too_long"),
        ({"site": site_slug, "code": "A" * 100_000}, 400, "code_too_long"),
        ({"site": site_slug, "code": "AB\u0000CD"}, 400, "malformed_code"),
        ({"site": site_slug, "code": "AB\u0007CD"}, 400, "malformed_code"),
        ({"site": site_slug, "code": "AB\nCD"}, 400, "malformed_code"),
        ({"site": site_slug, "code": "\udcff\udcfe"}, 400, "malformed_code"),
        ({"site": site_slug, "code": "ÿþ\u00fe\u00ff"}, 400, "malformed_code"),
        ({"site": site_slug, "code": "two words"}, 400, "malformed_code"),
        ({"site": site_slug, "code": wrong_ean}, 400, "invalid_ean"),
        ({"site": site_slug, "code": 4006381333931}, 422, "invalid_input"),
        ({"site": site_slug, "code": None}, 422, "invalid_input"),
        ({"site": site_slug}, 422, "invalid_input"),
        ({"code": good_code}, 422, "invalid_input"),
        ({"site": site_slug, "code": good_code, "scanned_at": "2026-01-05T08:59:30"}, 422, "naive_time"),
        ({"site": site_slug, "code": good_code, "scanned_at": "yesterday"}, 422, "invalid_input"),
        ({"site": site_slug, "code": good_code, "scanned_at": "2099-01-01T00:00:00Z"}, 400, "time_in_future"),
        ({"site": site_slug, "code": good_code, "scanned_at": "2999-01-01T00:00:00Z"}, 422, "invalid_input"),
        ({"site": site_slug, "code": good_code, "client_id": ""}, 400, "invalid_client_id"),
        ({"site": site_slug, "code": good_code, "client_id": "x" * 65}, 400, "invalid_client_id"),
        ({"site": site_slug, "code": good_code, "client_id": "a\u0000b"}, 400, "invalid_client_id"),
        ([site_slug, good_code], 422, "body_not_object"),
        ("a string", 422, "body_not_object"),
    ]


def test_bad_scans_are_refused_with_a_code_and_change_nothing(kiosk, site, make_customer, unchanged):
    good_code = make_customer().codes.get().value
    for payload, status, code in _bad_scans(site.slug, good_code):
        with unchanged():
            got_status, body = kiosk.post("/scans", payload)
        assert (got_status, body["code"]) == (status, code), payload
        assert body["message"]
    assert Scan.objects.count() == 0 and TimeLine.objects.count() == 0


def test_the_wrong_ean_is_explained(kiosk, site, unchanged):
    with unchanged():
        status, body = kiosk.post("/scans", {"site": site.slug, "code": "4006381333932"})
    assert (status, body["code"]) == (400, "invalid_ean")
    assert "check digit should be 1" in body["message"]


def test_a_late_synced_scan_from_before_the_line_shows_it(api_device, make_site, make_device, make_customer):
    toggle = make_site(existing_line_policy=Site.ExistingLinePolicy.TOGGLE, bounce_seconds=0)
    kiosk = api_device(make_device(toggle).token)
    code = make_customer().codes.get().value
    status, started = kiosk.post("/scans", {"site": toggle.slug, "code": code})
    before = datetime.fromisoformat(started["time_line"]["start"]) - timedelta(minutes=1)
    status, body = kiosk.post("/scans", {"site": toggle.slug, "code": code, "scanned_at": before.isoformat()})
    assert (status, body["outcome"]) == (200, "shown")
    assert body["time_line"]["end"] is None
    assert TimeLine.objects.get().end is None
