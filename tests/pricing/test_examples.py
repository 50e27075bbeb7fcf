"""PRODUCT.md's worked examples, each reproduced to the cent."""

from datetime import timedelta

import pytest

from timetill.pricing import parse_tariff, quote_document

from .helpers import at, car_park, total

LADDER = {
    "version": 1,
    "kind": "ladder",
    "currency": "EUR",
    "steps": [{"duration": "1h", "price": "6.00"}, {"duration": "2h", "price": "11.00"}],
}


@pytest.mark.parametrize(("minutes", "amount"), [(45, "6.00"), (61, "11.00"), (210, "22.00")])
def test_price_ladder(minutes, amount):
    assert str(total(parse_tariff(LADDER), at("2026-03-02T10:00"), minutes)) == amount


@pytest.mark.parametrize(
    ("minutes", "amount"),
    [(10, "0.00"), (16, "2.50"), (80, "3.70"), (300, "12.10"), (480, "15.00"), (30 * 60, "29.40")],
)
def test_rate_tariff(minutes, amount):
    assert str(total(car_park(), at("2026-03-02T10:00"), minutes)) == amount


def test_rate_tariff_30_hours_is_a_capped_day_plus_six_hours():
    quote = car_park().quote(at("2026-03-02T10:00"), at("2026-03-03T16:00"))
    by_code = [(line.code, str(line.amount.amount)) for line in quote.lines]
    assert by_code == [("first_block", "2.50"), ("units", "55.20"), ("cap", "-42.70"), ("units", "14.40")]


DAILY = {
    "version": 1,
    "kind": "daily",
    "currency": "EUR",
    "time_zone": "Europe/Paris",
    "included": {d: {"from": "08:00", "to": "16:00"} for d in ("mon", "tue", "wed", "thu")},
    "unit": "15m",
    "early_per_unit": "3.00",
    "late_per_unit": "5.00",
    "tolerance": "10m",
    "unplanned_day": "20.00",
}
WEEK = [
    ("2026-10-05T08:00", "2026-10-05T16:10", "0.00"),
    ("2026-10-06T08:00", "2026-10-06T16:11", "5.00"),
    ("2026-10-07T07:40", "2026-10-07T16:00", "3.00"),
    ("2026-10-08T08:05", "2026-10-08T16:40", "10.00"),
    ("2026-10-09T09:00", "2026-10-09T12:00", "20.00"),
]


@pytest.mark.parametrize(("start", "end", "amount"), WEEK)
def test_daily_time_each_day(start, end, amount):
    assert str(parse_tariff(DAILY).quote(start, end).total.amount) == amount


def test_daily_time_the_week_with_a_line_per_day():
    quote = parse_tariff(DAILY).quote(stays=[(a, b) for a, b, _ in WEEK])
    assert str(quote.total.amount) == "38.00"
    assert [str(line.amount.amount) for line in quote.lines] == [amount for *_, amount in WEEK]
    assert [line.start.astimezone(at("2026-10-05T00:00").tzinfo).date().day for line in quote.lines] == [
        5,
        6,
        7,
        8,
        9,
    ]


def test_open_stay_so_far_is_the_same_quote_with_end_now():
    start = at("2026-03-02T10:00")
    assert total(car_park(), start, end=start + timedelta(minutes=80)) == total(car_park(), start, 80)


def test_quote_document_is_parse_and_quote_in_one_call():
    data = quote_document(LADDER, "2026-03-02T10:00Z", "2026-03-02T10:45Z").to_dict()
    assert (data["total"], data["currency"], data["lines"][0]["amount"]) == ("6.00", "EUR", "6.00")
