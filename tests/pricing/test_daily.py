"""Daily Time: presence as the union of a day's stays, tolerance per side, rounding, unplanned days."""

from decimal import Decimal

from timetill.pricing import parse_tariff

from .test_examples import DAILY


def quote(stays, **changes):
    return parse_tariff(DAILY | changes).quote(stays=stays)


def test_presence_is_the_union_of_the_days_stays():
    q = quote(
        [
            ("2026-10-06T07:30", "2026-10-06T12:00"),
            ("2026-10-06T11:00", "2026-10-06T16:30"),
            ("2026-10-06T07:35", "2026-10-06T07:50"),
        ]
    )
    assert [(line.code, int(line.quantity), str(line.amount.amount)) for line in q.lines] == [
        ("early", 2, "6.00"),
        ("late", 2, "10.00"),
    ]


def test_early_time_is_presence_not_the_span_from_first_arrival():
    q = quote([("2026-10-06T07:00", "2026-10-06T07:10"), ("2026-10-06T07:50", "2026-10-06T16:00")])
    assert q.total.amount == Decimal("3.00")  # 20 min present early − 10 min tolerance = 1 unit


def test_tolerance_as_threshold():
    q = quote([("2026-10-07T07:40", "2026-10-07T16:00")], tolerance_mode="threshold")
    assert q.total.amount == Decimal("6.00")  # 20 min > 10 min: all 20 min count, 2 units
    q = quote([("2026-10-07T07:50", "2026-10-07T16:00")], tolerance_mode="threshold")
    assert q.total.amount == Decimal("0.00")


def test_rounding_down_and_nearest():
    assert quote([("2026-10-06T08:00", "2026-10-06T16:39")], rounding="down").total.amount == Decimal("5.00")
    assert quote([("2026-10-06T08:00", "2026-10-06T16:32")], rounding="nearest").total.amount == Decimal(
        "5.00"
    )
    assert quote([("2026-10-06T08:00", "2026-10-06T16:17")], rounding="nearest").total.amount == Decimal(
        "0.00"
    )


def test_unplanned_day_without_a_price_is_shown_free():
    tariff = {k: v for k, v in DAILY.items() if k != "unplanned_day"}
    q = parse_tariff(tariff).quote("2026-10-10T09:00", "2026-10-10T10:00")
    assert [line.code for line in q.lines] == ["unplanned_day"] and q.total.amount == Decimal("0.00")


def test_no_presence_no_lines():
    q = quote([("2026-10-06T08:00", "2026-10-06T08:00")])
    assert q.lines == () and q.total.amount == Decimal("0.00")


def test_a_month_of_stays_has_a_line_per_day():
    stays = [(f"2026-10-{d:02d}T07:50", f"2026-10-{d:02d}T16:20") for d in range(1, 32)]
    q = quote(stays)
    days = {line.label[:14] for line in q.lines}
    assert len(days) == 31
