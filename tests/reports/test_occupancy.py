"""Occupancy worked by hand: capacity 10, one Paris day, a handful of stays; DST nights; midnight; now."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from tests.conftest import PARIS, paris
from timetill.errors import TimetillError
from timetill.reports.occupancy import occupancy
from timetill.reports.periods import Period

H = 3600


def day(d: date, last: date | None = None) -> Period:
    return Period(first=d, last=last or d, tz=PARIS)


@pytest.fixture
def desk(make_site):
    return make_site(name="Cowork", slug="cowork", capacity=10)


@pytest.fixture
def tuesday(desk, make_stay):
    """Tuesday 24 November 2026: five stays, 8 h 45 in all, four people at 10:45."""
    for start, end in [
        ((9, 0), (11, 0)),
        ((10, 0), (12, 30)),
        ((10, 30), (11, 30)),
        ((14, 0), (15, 0)),
        ((10, 45), (13, 0)),
    ]:
        make_stay(desk, paris(2026, 11, 24, *start), paris(2026, 11, 24, *end))
    return date(2026, 11, 24)


LATER = datetime(2026, 12, 1, tzinfo=UTC)


def test_a_day_of_five_stays_worked_by_hand(desk, tuesday):
    report = occupancy(site=desk, period=day(tuesday), bucket="hour", at=LATER)
    summary = report.summary
    assert summary.occupied_seconds == 8 * H + 45 * 60
    assert summary.open_seconds == 24 * H
    # 8.75 h ÷ (10 places × 24 h) = 0.036458…
    assert summary.rate == Decimal("0.0365")
    assert (summary.peak, summary.peak_at) == (4, paris(2026, 11, 24, 10, 45).astimezone(UTC))
    assert summary.stays == 5
    assert summary.average_stay_seconds == 105 * 60  # 8 h 45 ÷ 5
    hours = {s.start.astimezone(PARIS).hour: s for s in report.slices}
    assert len(report.slices) == 24
    # 10:00–11:00: 60 + 60 + 30 + 15 minutes = 165 of 600 place-minutes.
    assert hours[10].occupied_seconds == 165 * 60
    assert hours[10].rate == Decimal("0.2750")
    assert hours[10].average_present == Decimal("2.75")
    assert hours[8].occupied_seconds == 0 and hours[8].rate == Decimal("0.0000")
    assert report.peak_slice is hours[10]


def test_opening_hours_count_only_open_time(desk, tuesday, make_stay):
    desk.opening_hours = {"tue": [["08:00", "18:00"]]}
    desk.save()
    make_stay(desk, paris(2026, 11, 24, 17, 0), paris(2026, 11, 24, 19, 0))  # one hour after closing
    report = occupancy(site=desk, period=day(tuesday), bucket="hour", at=LATER)
    assert report.summary.open_seconds == 10 * H
    assert report.summary.occupied_seconds == 9 * H + 45 * 60
    assert report.summary.outside_hours_seconds == H
    assert report.summary.rate == Decimal("0.0975")  # 9.75 h ÷ (10 × 10 h)
    hours = {s.start.astimezone(PARIS).hour: s for s in report.slices}
    assert hours[7].open_seconds == 0 and hours[7].rate is None
    assert hours[18].rate is None and hours[18].occupied_seconds == 0


def test_the_autumn_dst_day_has_25_hours(desk, make_stay):
    sunday = date(2026, 10, 25)  # Paris goes back from 03:00 CEST to 02:00 CET
    # 01:30 summer time to 03:30 winter time: three real hours.
    make_stay(desk, paris(2026, 10, 25, 1, 30), paris(2026, 10, 25, 3, 30))
    make_stay(desk, paris(2026, 10, 25, 0, 0), paris(2026, 10, 26, 0, 0))  # the whole day: 25 hours
    report = occupancy(site=desk, period=day(sunday), bucket="hour", at=LATER)
    assert report.summary.open_seconds == 25 * H
    assert report.summary.occupied_seconds == 28 * H
    assert report.summary.rate == Decimal("0.1120")  # 28 ÷ (10 × 25)
    assert (report.summary.peak, report.summary.peak_at) == (2, datetime(2026, 10, 24, 23, 30, tzinfo=UTC))
    assert len(report.slices) == 25
    local_hours = [s.start.astimezone(PARIS).strftime("%H%z") for s in report.slices]
    assert local_hours[:5] == ["00+0200", "01+0200", "02+0200", "02+0100", "03+0100"]
    assert [s.occupied_seconds for s in report.slices[:5]] == [H, H + H // 2, 2 * H, 2 * H, H + H // 2]
    days = occupancy(site=desk, period=day(sunday), bucket="day", at=LATER)
    assert [s.open_seconds for s in days.slices] == [25 * H]


def test_the_spring_dst_day_has_23_hours(desk, make_stay):
    sunday = date(2026, 3, 29)
    make_stay(desk, paris(2026, 3, 29, 1, 30), paris(2026, 3, 29, 3, 30))  # one real hour
    report = occupancy(site=desk, period=day(sunday), bucket="hour", at=LATER)
    assert len(report.slices) == 23
    assert report.summary.open_seconds == 23 * H
    assert report.summary.occupied_seconds == H


def test_a_stay_over_midnight_is_split_between_the_two_days(desk, make_stay):
    make_stay(desk, paris(2026, 11, 24, 22, 0), paris(2026, 11, 25, 2, 0))
    report = occupancy(site=desk, period=day(date(2026, 11, 24), date(2026, 11, 25)), bucket="day", at=LATER)
    assert [s.occupied_seconds for s in report.slices] == [2 * H, 2 * H]
    assert [s.start for s in report.slices] == [
        paris(2026, 11, 24).astimezone(UTC),
        paris(2026, 11, 25).astimezone(UTC),
    ]
    # The day alone counts only its own two hours, and the peak is the stay's start.
    first = occupancy(site=desk, period=day(date(2026, 11, 25)), bucket="hour", at=LATER)
    assert first.summary.occupied_seconds == 2 * H
    assert (first.summary.peak, first.summary.peak_at) == (1, paris(2026, 11, 25).astimezone(UTC))
    assert first.summary.stays == 0  # it started the day before


def test_open_stays_count_up_to_now(desk, make_stay):
    make_stay(desk, paris(2026, 11, 24, 10, 0))  # still there
    make_stay(desk, paris(2026, 11, 24, 9, 0), paris(2026, 11, 24, 9, 30))
    now = paris(2026, 11, 24, 12, 0)
    report = occupancy(site=desk, period=day(date(2026, 11, 24)), bucket="hour", at=now)
    assert report.summary.open_seconds == 12 * H  # midnight to now
    assert report.summary.occupied_seconds == 2 * H + 30 * 60
    assert report.summary.measured_until == now
    assert len(report.slices) == 12
    assert report.summary.average_stay_seconds == (2 * H + 30 * 60) // 2


def test_a_stay_that_ends_as_another_starts_is_not_two_at_once(desk, make_stay):
    make_stay(desk, paris(2026, 11, 24, 10, 0), paris(2026, 11, 24, 11, 0))
    make_stay(desk, paris(2026, 11, 24, 11, 0), paris(2026, 11, 24, 12, 0))
    make_stay(desk, paris(2026, 11, 24, 11, 0), paris(2026, 11, 24, 11, 0))  # no time at all
    summary = occupancy(site=desk, period=day(date(2026, 11, 24)), bucket="hour", at=LATER).summary
    assert (summary.peak, summary.peak_at) == (1, paris(2026, 11, 24, 10, 0).astimezone(UTC))


def test_other_sites_do_not_count(desk, make_site, make_stay, tuesday):
    other = make_site(capacity=3)
    make_stay(other, paris(2026, 11, 24, 10, 0), paris(2026, 11, 24, 20, 0))
    assert occupancy(site=desk, period=day(tuesday), bucket="day", at=LATER).summary.occupied_seconds == 31500
    assert occupancy(site=other, period=day(tuesday), bucket="day", at=LATER).summary.peak == 1


def test_compared_with_the_previous_period(desk, tuesday, make_stay):
    make_stay(desk, paris(2026, 11, 23, 9, 0), paris(2026, 11, 23, 21, 0))  # Monday: 12 hours
    report = occupancy(site=desk, period=day(tuesday), bucket="hour", at=LATER)
    assert report.previous.period == day(date(2026, 11, 23))
    assert report.previous.occupied_seconds == 12 * H
    assert report.previous.rate == Decimal("0.0500")
    assert report.previous.peak == 1


def test_weeks_and_the_heat_map(desk, tuesday, make_stay):
    make_stay(desk, paris(2026, 12, 1, 10, 0), paris(2026, 12, 1, 11, 0))  # the next Tuesday
    period = Period(first=date(2026, 11, 23), last=date(2026, 12, 6), tz=PARIS)
    report = occupancy(site=desk, period=period, bucket="week", at=datetime(2026, 12, 10, tzinfo=UTC))
    assert [s.occupied_seconds for s in report.slices] == [31500, H]
    assert [s.open_seconds for s in report.slices] == [7 * 24 * H, 7 * 24 * H]
    cell = next(c for c in report.heat if (c.weekday, c.hour) == (1, 10))
    # Two Tuesdays 10:00–11:00: 165 + 60 minutes of 2 × 10 × 60.
    assert cell.occupied_seconds == 225 * 60 and cell.open_seconds == 2 * H
    assert cell.rate == Decimal("0.1875")
    assert len(report.heat) == 7 * 24


def test_a_period_that_has_not_started_is_refused(desk):
    with pytest.raises(TimetillError) as caught:
        occupancy(site=desk, period=day(date(2026, 12, 24)), bucket="hour", at=LATER - timedelta(days=1))
    assert caught.value.code == "period_not_started"
    with pytest.raises(TimetillError) as caught:
        occupancy(site=desk, period=day(date(2026, 11, 24)), bucket="minute", at=LATER)
    assert caught.value.code == "invalid_bucket"
