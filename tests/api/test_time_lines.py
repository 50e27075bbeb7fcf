"""Time line endpoints: list, filter, get, assign, note, stop, hide, edit times, audit; rights, bad input."""

from datetime import UTC, datetime, timedelta, timezone

import pytest

from tests.api.helpers import open_line
from timetill.timelines.models import AuditEntry


def test_list_filters_and_get(api_as, cashier, site, make_site, make_customer):
    ada, bob = make_customer("Ada"), make_customer("Bob")
    here = open_line(cashier, site, ada, minutes_ago=60)
    there = open_line(cashier, make_site(slug="annex"), bob, minutes_ago=30)
    api = api_as(cashier)

    status, lines = api.get("/time-lines")
    assert status == 200
    assert [line["id"] for line in lines] == [there.pk, here.pk]  # newest first
    assert [line["id"] for line in api.get("/time-lines", {"site": site.slug})[1]] == [here.pk]
    assert [line["id"] for line in api.get("/time-lines", {"customer": bob.pk})[1]] == [there.pk]
    since = (datetime.now(UTC) - timedelta(minutes=45)).isoformat()
    assert [line["id"] for line in api.get("/time-lines", {"since": since})[1]] == [there.pk]
    assert [line["id"] for line in api.get("/time-lines", {"open": "false"})[1]] == []
    assert len(api.get("/time-lines", {"limit": 1})[1]) == 1

    status, body = api.get(f"/time-lines/{here.pk}")
    assert (status, body["customer_name"], body["site"], body["end"]) == (200, "Ada", site.slug, None)


def test_bad_filters_are_refused(api_as, cashier):
    api = api_as(cashier)
    for params, code in [
        ({"since": "2026-01-05T08:00:00"}, "naive_time"),
        ({"since": "soon"}, "invalid_input"),
        ({"limit": 0}, "invalid_input"),
        ({"limit": 10**6}, "invalid_input"),
        ({"offset": -1}, "invalid_input"),
        ({"customer": 2**70}, "invalid_input"),
        ({"site": "no such/site"}, "invalid_input"),
    ]:
        status, body = api.get("/time-lines", params)
        assert (status, body["code"]) == (422, code), params
    status, body = api.get(f"/time-lines/{2**70}")
    assert status == 422
    status, body = api.get("/time-lines/424242")
    assert (status, body["code"]) == (404, "unknown_time_line")


def test_assign_note_stop_hide_and_audit(api_as, cashier, site, make_customer):
    line = open_line(cashier, site, make_customer("Ada"))
    other = make_customer("Bob")
    api = api_as(cashier)

    status, body = api.post(f"/time-lines/{line.pk}/assign", {"customer_id": other.pk})
    assert (status, body["customer_name"]) == (200, "Bob")
    status, body = api.post(f"/time-lines/{line.pk}/note", {"note": "  window seat "})
    assert (status, body["note"]) == (200, "window seat")
    status, body = api.post(f"/time-lines/{line.pk}/hide", {})
    assert (status, body["code"]) == (409, "still_open")
    status, body = api.post(f"/time-lines/{line.pk}/stop")
    assert status == 200 and body["end"] is not None and body["stopped_via"] == "manual"
    status, body = api.post(f"/time-lines/{line.pk}/stop")
    assert (status, body["code"]) == (409, "already_stopped")
    status, body = api.post(f"/time-lines/{line.pk}/hide", {})
    assert (status, body["hidden"]) == (200, True)
    assert [line["id"] for line in api.get("/time-lines", {"hidden": "true"})[1]] == [line.pk]

    status, trail = api.get(f"/time-lines/{line.pk}/audit")
    assert status == 200
    assert [entry["action"] for entry in trail] == ["assign", "note", "stop", "hide"]
    assert trail[0]["user"] == cashier.username


def test_assign_to_an_unknown_customer_changes_nothing(api_as, cashier, site, make_customer, unchanged):
    line = open_line(cashier, site, make_customer())
    with unchanged():
        status, body = api_as(cashier).post(f"/time-lines/{line.pk}/assign", {"customer_id": 987654})
    assert (status, body["code"]) == (404, "unknown_customer")


def test_bad_notes_change_nothing(api_as, cashier, site, make_customer, unchanged):
    line = open_line(cashier, site, make_customer())
    api = api_as(cashier)
    with unchanged():
        for note in ["x" * 501, "bell\u0007", "nul\u0000", 42]:
            status, body = api.post(f"/time-lines/{line.pk}/note", {"note": note})
            assert (status, body["code"]) == (422, "invalid_input"), note


def test_edit_times_with_the_right_and_a_reason(api_as, manager, cashier, site, make_customer):
    line = open_line(cashier, site, make_customer(), minutes_ago=120)
    start = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
    api = api_as(manager)
    status, body = api.post(
        f"/time-lines/{line.pk}/times",
        {
            "start": "2026-01-05T09:00:00+01:00",
            "end": "2026-01-05T11:30:00+01:00",
            "reason": "Forgot to scan",
        },
    )
    assert status == 200
    assert datetime.fromisoformat(body["start"]) == start
    assert datetime.fromisoformat(body["end"]) == start + timedelta(hours=2, minutes=30)
    # In UTC, as every other answer gives instants, whatever offset the client sent.
    assert datetime.fromisoformat(body["start"]).utcoffset() == timedelta(0)
    entry = AuditEntry.objects.get(action="edit_times")
    assert (entry.user, entry.reason) == (manager, "Forgot to scan")


def test_bad_time_edits_change_nothing(api_as, manager, cashier, site, make_customer, unchanged):
    line = open_line(cashier, site, make_customer(), minutes_ago=120)
    path = f"/time-lines/{line.pk}/times"
    good = {"start": "2026-01-05T09:00:00+01:00", "end": "2026-01-05T11:00:00+01:00", "reason": "Fix"}
    with unchanged():
        for change, status, code in [
            ({"start": "2026-01-05T09:00:00"}, 422, "naive_time"),
            ({"end": "2026-01-05T11:00:00"}, 422, "naive_time"),
            ({"end": "2026-01-05T08:00:00+01:00"}, 400, "end_before_start"),
            ({"end": "2099-01-01T00:00:00Z"}, 400, "time_in_future"),
            ({"end": "2999-01-01T00:00:00Z"}, 422, "invalid_input"),
            ({"reason": "  "}, 400, "reason_required"),
            ({"reason": "r" * 501}, 422, "invalid_input"),
            ({"reason": "nul\u0000"}, 422, "invalid_input"),
            ({"start": "not a time"}, 422, "invalid_input"),
        ]:
            got, body = api_as(manager).post(path, {**good, **change})
            assert (got, body["code"]) == (status, code), change
        # The right is needed: a cashier has track_time but not edit_times.
        got, body = api_as(cashier).post(path, good)
        assert (got, body["code"]) == (403, "forbidden")
        assert "edit_times" in body["message"]


def test_without_track_time_lines_cannot_be_changed(
    api_as, make_user, cashier, site, make_customer, unchanged
):
    line = open_line(cashier, site, make_customer())
    nobody = api_as(make_user("parent"))
    with unchanged():
        for path, data in [
            (f"/time-lines/{line.pk}/assign", {"customer_id": None}),
            (f"/time-lines/{line.pk}/note", {"note": "x"}),
            (f"/time-lines/{line.pk}/stop", {}),
            (f"/time-lines/{line.pk}/hide", {}),
        ]:
            status, body = nobody.post(path, data)
            assert (status, body["code"]) == (403, "forbidden"), path


def test_a_parent_sees_and_stops_only_their_own_children(
    api_as, make_parent, cashier, site, make_customer, unchanged
):
    mine, theirs = make_customer("Lea"), make_customer("Tom")
    my_line, their_line = open_line(cashier, site, mine), open_line(cashier, site, theirs)
    parent = api_as(make_parent(mine))

    status, lines = parent.get("/time-lines")
    assert [line["id"] for line in lines] == [my_line.pk]
    with unchanged():
        status, body = parent.get(f"/time-lines/{their_line.pk}")
        assert (status, body["code"]) == (404, "unknown_time_line")
        status, body = parent.post(f"/time-lines/{their_line.pk}/stop")
        assert (status, body["code"]) == (404, "unknown_time_line")
        status, body = parent.get(f"/time-lines/{their_line.pk}/audit")
        assert status == 404
        # Changing anything but check-in and check-out is staff work, even on their own child's line.
        status, body = parent.post(f"/time-lines/{my_line.pk}/note", {"note": "hello"})
        assert (status, body["code"]) == (403, "forbidden")
    status, body = parent.post(f"/time-lines/{my_line.pk}/stop")
    assert (status, body["stopped_via"]) == (200, "parent")


def test_a_time_sent_back_as_it_was_read_changes_nothing(api_as, manager, cashier, site, make_customer):
    line = open_line(cashier, site, make_customer(), minutes_ago=90)
    assert line.start.microsecond  # a scan's instant has microseconds
    api = api_as(manager)
    _, read = api.get(f"/time-lines/{line.pk}")
    end = (line.start + timedelta(hours=1)).isoformat()
    status, body = api.post(
        f"/time-lines/{line.pk}/times", {"start": read["start"], "end": end, "reason": "End"}
    )
    assert status == 200
    entry = AuditEntry.objects.get(action="edit_times")
    assert entry.old["start"] == entry.new["start"]


@pytest.mark.parametrize("precision", ["seconds", "minutes"])
def test_a_time_sent_at_a_coarser_precision_keeps_the_stored_one(
    api_as, manager, cashier, site, make_customer, precision
):
    line = open_line(cashier, site, make_customer(), minutes_ago=90)
    shown = (
        line.start.replace(microsecond=0)
        if precision == "seconds"
        else line.start.replace(second=0, microsecond=0)
    )
    end = (line.start + timedelta(hours=1)).replace(microsecond=0).isoformat()
    api_as(manager).post(
        f"/time-lines/{line.pk}/times", {"start": shown.isoformat(), "end": end, "reason": "End"}
    )
    line.refresh_from_db()
    entry = AuditEntry.objects.get(action="edit_times")
    assert entry.old["start"] == entry.new["start"]
    assert line.start.microsecond  # kept as it was


def test_an_offset_beyond_postgresqls_range_is_the_same_instant_in_utc(
    api_as, manager, cashier, site, make_customer
):
    """ISO 8601 offsets go to ±23:59; PostgreSQL's stop at ±15:59 and refused -23:10 with a 500 (found by
    the API fuzz on PostgreSQL)."""
    line = open_line(cashier, site, make_customer(), minutes_ago=120)
    api = api_as(manager)
    west, east = timezone(-timedelta(hours=23, minutes=10)), timezone(timedelta(hours=23, minutes=30))
    earlier = (line.start - timedelta(hours=1)).replace(microsecond=0).astimezone(west)
    later = (line.start + timedelta(minutes=1)).astimezone(east)

    assert [row["id"] for row in api.get("/time-lines", {"since": earlier.isoformat()})[1]] == [line.pk]
    assert api.get("/time-lines", {"since": later.isoformat()}) == (200, [])
    status, body = api.post(
        f"/time-lines/{line.pk}/times", {"start": earlier.isoformat(), "reason": "Came in an hour earlier"}
    )
    assert (status, datetime.fromisoformat(body["start"])) == (200, earlier)
    assert datetime.fromisoformat(body["start"]).utcoffset() == timedelta(0)
