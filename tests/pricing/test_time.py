"""Time: real elapsed durations across DST changes (Paris and New York), midnight, month end, 29 February."""

from datetime import datetime
from decimal import Decimal

import pytest

from timetill.pricing import StayError, parse_tariff

from .helpers import NEW_YORK, PARIS, at, car_park, rate, total
from .test_examples import DAILY, LADDER

# (zone, wall time before the change, wall time after it, real hours between them)
CHANGES = [
    pytest.param(PARIS, "2026-03-29T01:30", "2026-03-29T03:30", 1, id="paris-spring-forward"),
    pytest.param(PARIS, "2026-10-25T01:30", "2026-10-25T03:30", 3, id="paris-fall-back"),
    pytest.param(NEW_YORK, "2026-03-08T01:30", "2026-03-08T03:30", 1, id="new-york-spring-forward"),
    pytest.param(NEW_YORK, "2026-11-01T00:30", "2026-11-01T02:30", 3, id="new-york-fall-back"),
]


@pytest.mark.parametrize(("tz", "start", "end", "hours"), CHANGES)
def test_a_stay_lasts_its_real_elapsed_time(tz, start, end, hours):
    a, b = at(start, tz), at(end, tz)
    assert total(rate(), a, end=b) == Decimal("2.40") * hours  # 4 units of 15 min an hour
    assert total(parse_tariff(LADDER), a, end=b) == {1: Decimal("6.00"), 3: Decimal("17.00")}[hours]


@pytest.mark.parametrize(("tz", "start", "end", "hours"), CHANGES)
def test_naive_text_is_read_in_the_tariffs_zone(tz, start, end, hours):
    tariff = rate(time_zone=tz.key)
    assert tariff.quote(start, end).total.amount == Decimal("2.40") * hours


def test_night_band_on_the_spring_forward_night():
    tariff = rate(unit="1h", per_unit="2.00", bands=[{"from": "20:00", "to": "08:00", "per_unit": "0.50"}])
    # Sat 19:00 → Sun 09:00 is 13 real hours: 19:00 and 08:00 at day rate, 11 night hours.
    quote = tariff.quote(at("2026-03-28T19:00"), at("2026-03-29T09:00"))
    assert [int(line.quantity) for line in quote.lines] == [1, 11, 1]
    assert quote.total.amount == Decimal("9.50")


def test_a_band_starting_inside_the_skipped_hour_starts_when_the_clocks_jump():
    tariff = rate(unit="30m", per_unit="1.00", bands=[{"from": "02:30", "to": "05:00", "per_unit": "0.10"}])
    quote = tariff.quote(at("2026-03-29T01:00"), at("2026-03-29T04:00"))  # 2 real hours
    assert [(line.label, int(line.quantity)) for line in quote.lines] == [("Time", 2), ("02:30–05:00", 2)]


def test_an_hour_lived_twice_is_in_the_band_twice():
    tariff = rate(unit="30m", per_unit="1.00", bands=[{"from": "02:00", "to": "02:30", "per_unit": "0.10"}])
    quote = tariff.quote(at("2026-10-25T01:00"), at("2026-10-25T03:00"))  # 3 real hours, 02:00 seen twice
    assert [(line.label, int(line.quantity)) for line in quote.lines] == [
        ("Time", 2),
        ("02:00–02:30", 1),
        ("Time", 1),
        ("02:00–02:30", 1),
        ("Time", 1),
    ]


def test_the_cap_window_is_24_real_hours_across_the_change():
    # Sat 10:00 → Sun 11:00 in Paris reads 25 hours on the wall but lasts 24: one window, capped.
    assert total(car_park(), at("2026-03-28T10:00"), end=at("2026-03-29T11:00")) == Decimal("15.00")
    assert total(car_park(), at("2026-10-24T10:00"), end=at("2026-10-25T09:00")) == Decimal("15.00")  # 24 h


def test_daily_time_counts_real_time_on_a_dst_day():
    tariff = parse_tariff(DAILY | {"included": {"sun": {"from": "08:00", "to": "16:00"}}})
    # 00:30 → 08:00 on the spring-forward Sunday is 6 h 30 early: 380 min after tolerance, 26 units of 3.00.
    assert tariff.quote("2026-03-29T00:30", "2026-03-29T08:00").total.amount == Decimal("78.00")


def test_daily_time_across_midnight_splits_by_local_day():
    quote = parse_tariff(DAILY).quote("2026-10-05T15:00", "2026-10-06T09:00")
    assert [(line.code, str(line.amount.amount)) for line in quote.lines] == [
        ("late", "160.00"),
        ("early", "96.00"),
    ]


def test_month_end_and_year_end():
    quote = parse_tariff(DAILY).quote(
        stays=[("2026-10-31T09:00", "2026-10-31T10:00"), ("2026-11-02T07:00", "2026-11-02T16:00")]
    )
    assert [line.label.split(":")[0] for line in quote.lines] == ["Sat 2026-10-31", "Mon 2026-11-02"]
    assert total(car_park(), at("2026-12-31T20:00"), end=at("2027-01-02T00:00")) == Decimal("24.60")


def test_29_february():
    quote = parse_tariff(DAILY).quote("2028-02-29T07:00", "2028-02-29T16:00")
    assert quote.lines[0].label.startswith("Tue 2028-02-29") and quote.total.amount == Decimal("12.00")
    assert total(car_park(), at("2028-02-28T22:00"), end=at("2028-03-01T02:00")) == Decimal("24.60")


def test_naive_datetimes_are_refused():
    with pytest.raises(StayError) as err:
        rate().quote(datetime(2026, 3, 2, 10), datetime(2026, 3, 2, 11))
    assert err.value.code == "naive_datetime"


def test_naive_text_without_a_tariff_zone_is_refused():
    tariff = parse_tariff(LADDER)
    with pytest.raises(
        StayError, match="start: 2026-03-02T10:00 has no UTC offset and the tariff names no time"
    ):
        tariff.quote("2026-03-02T10:00", "2026-03-02T11:00")
    assert tariff.quote("2026-03-02T10:00Z", "2026-03-02T11:00+00:00").total.amount == Decimal("6.00")


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("2026-03-29T02:30", "nonexistent_time"),
        ("2026-10-25T02:30", "ambiguous_time"),
        ("yesterday", "invalid_datetime"),
    ],
)
def test_wall_times_that_do_not_name_one_instant_are_refused(text, code):
    with pytest.raises(StayError) as err:
        rate().quote(text, "2026-10-26T00:00")
    assert err.value.code == code


def test_an_end_before_the_start_is_refused():
    with pytest.raises(StayError) as err:
        rate().quote(at("2026-03-02T11:00"), at("2026-03-02T10:00"))
    assert err.value.code == "end_before_start" and "end: 2026-03-02T10:00:00+01:00 is before start" in str(
        err.value
    )
