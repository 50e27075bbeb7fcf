"""Every instant and integer that comes in is bounded: ISO 8601 text from 2000 to 2099, an offline scan no
older than its site allows and never before the site existed; nothing out of range is a 500 or a price."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from tests.api.helpers import open_line
from tests.catalog.conftest import CAR_PARK, make_product, time_product  # noqa: F401 - fixtures
from timetill.timelines.models import TimeLine

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
# Far instants, with the offsets that turned them into an overflow (a 500) when converted to UTC.
FAR = [
    "0001-01-01T00:00:00+23:59",
    "0001-01-01T00:00:00Z",
    "9999-12-31T23:59:59-23:59",
    "1900-01-01T00:00:00+01:00",
    "2100-01-01T00:00:00Z",
]
NOT_TEXT = [1_700_000_000, 1.7e9, True, ["2026-03-02T09:00:00Z"], {"at": "2026-03-02T09:00:00Z"}]


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def kiosk(api_device, site, make_device):
    return api_device(make_device(site).token)


@pytest.mark.parametrize("value", FAR + NOT_TEXT + ["2026-03-02", "2026-03-02 09:00:00Z", "20260302T0900Z"])
def test_a_scan_time_out_of_range_or_not_iso_text_is_refused(kiosk, site, make_customer, unchanged, value):
    code = make_customer().codes.get().value
    with unchanged():
        status, body = kiosk.post("/scans", {"site": site.slug, "code": code, "scanned_at": value})
    assert (status, body["code"]) == (422, "invalid_input")
    assert "a date and time with its offset from UTC" in body["message"]  # ISO 8601, in plain words


def test_an_offline_scan_older_than_the_site_allows_is_refused(kiosk, site, make_customer, unchanged):
    code = make_customer().codes.get().value
    with unchanged():
        # The device that sent a scan dated 1900 started a stay priced at 1,158,900.00 €; a week and a day:
        status, body = kiosk.post(
            "/scans", {"site": site.slug, "code": code, "scanned_at": (NOW - timedelta(days=8)).isoformat()}
        )
    assert (status, body["code"]) == (400, "scan_too_old")
    assert "7 days" in body["message"]
    status, body = kiosk.post(
        "/scans", {"site": site.slug, "code": code, "scanned_at": (NOW - timedelta(days=6)).isoformat()}
    )
    assert (status, body["outcome"]) == (200, "started")


def test_the_offline_limit_is_the_sites_setting(api_device, make_site, make_device, make_customer):
    strict = make_site(max_offline_days=1)
    kiosk = api_device(make_device(strict).token)
    code = make_customer().codes.get().value
    two_days_ago = (NOW - timedelta(days=2)).isoformat()
    status, body = kiosk.post("/scans", {"site": strict.slug, "code": code, "scanned_at": two_days_ago})
    assert (status, body["code"]) == (400, "scan_too_old")


def test_nothing_is_dated_before_the_site_existed(
    api_device, make_site, make_device, make_customer, unchanged
):
    new = make_site(name="New place", created_at=NOW - timedelta(days=1))
    kiosk = api_device(make_device(new).token)
    code = make_customer().codes.get().value
    with unchanged():
        status, body = kiosk.post(
            "/scans", {"site": new.slug, "code": code, "scanned_at": (NOW - timedelta(days=2)).isoformat()}
        )
    assert (status, body["code"]) == (400, "before_site_existed")
    assert "New place" in body["message"]
    # Said in the site's wall-clock time (Paris, UTC+1), as a person reads it, not as ISO text with an offset.
    assert body["message"] == (
        "The time of the scan, Feb 28, 2026, 10:00, is before New place existed (Mar 1, 2026, 10:00)."
    )


def test_a_scan_time_in_the_future_is_said_in_the_sites_local_time(kiosk, site, make_customer, unchanged):
    code = make_customer().codes.get().value
    with unchanged():
        status, body = kiosk.post(
            "/scans", {"site": site.slug, "code": code, "scanned_at": "2026-03-02T12:00:00Z"}
        )
    assert (status, body["code"]) == (400, "time_in_future")
    assert (
        body["message"]
        == "The time of the scan, Mar 2, 2026, 13:00, is in the future (it is Mar 2, 2026, 10:00 now)."
    )
    assert "+00:00" not in body["message"] and "T12" not in body["message"]


@pytest.mark.parametrize("value", FAR + NOT_TEXT)
def test_a_time_correction_out_of_range_is_refused(
    api_as, manager, cashier, site, make_customer, unchanged, value
):
    line = open_line(cashier, site, make_customer(), minutes_ago=60)
    with unchanged():
        status, body = api_as(manager).post(
            f"/time-lines/{line.pk}/times", {"start": value, "reason": "Typed it wrong"}
        )
    assert (status, body["code"]) == (422, "invalid_input")


def test_a_time_correction_before_the_site_existed_is_refused(
    api_as, manager, cashier, make_site, make_customer, unchanged
):
    new = make_site(name="New place", created_at=NOW - timedelta(days=1))
    line = open_line(cashier, new, make_customer(), minutes_ago=60)
    with unchanged():
        status, body = api_as(manager).post(
            f"/time-lines/{line.pk}/times", {"start": "2001-01-01T00:00:00Z", "reason": "Typed it wrong"}
        )
    assert (status, body["code"]) == (400, "before_site_existed")
    assert TimeLine.objects.get().start > NOW - timedelta(days=1)


@pytest.mark.parametrize("value", [*FAR, "1700000000"])  # a query's values are all text
def test_time_line_filters_out_of_range_are_refused(api_as, cashier, value):
    status, body = api_as(cashier).get("/time-lines", {"since": value})
    assert (status, body["code"]) == (422, "invalid_input")


@pytest.mark.parametrize("path", ["/time-lines", "/sales", "/customers"])
@pytest.mark.parametrize("offset", [2**64, 2**70, -1, 10**30])
def test_list_offsets_beyond_their_bounds_are_refused(api_as, manager, path, offset):
    status, body = api_as(manager).get(path, {"offset": offset})
    assert (status, body["code"]) == (422, "invalid_input")


@pytest.mark.parametrize("value", FAR + NOT_TEXT)
def test_quotes_out_of_range_are_refused(api_as, manager, value):
    api = api_as(manager)
    status, body = api.post(
        "/quote", {"tariff": CAR_PARK, "start": value, "end": "2026-03-02T10:00:00+01:00"}
    )
    assert (status, body["code"]) == (422, "invalid_input")


def test_a_quote_without_offset_is_still_read_in_the_tariffs_zone(api_as, manager):
    status, body = api_as(manager).post(
        "/quote", {"tariff": CAR_PARK, "start": "2026-03-02T10:00", "end": "2026-03-02T11:20"}
    )
    assert (status, body["total"]) == (200, "3.70")


@pytest.mark.parametrize("value", FAR + NOT_TEXT)
def test_product_quotes_out_of_range_are_refused(api_as, manager, site, time_product, value):  # noqa: F811
    status, body = api_as(manager).post(
        f"/products/{time_product.pk}/quote", {"site": site.slug, "start": value, "minutes": 60}
    )
    assert (status, body["code"]) == (422, "invalid_input")
