"""Tariff.quote_micros: the same quote as quote(stays=...) from epoch microseconds, its refusals named."""

from datetime import UTC, datetime, timedelta

import pytest

from timetill.pricing import StayError, parse_tariff

from .test_examples import DAILY

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _us(text: str) -> int:
    moment = datetime.fromisoformat(text)
    return (moment - EPOCH) // timedelta(microseconds=1)


# A month of stays across the end of summer time (25 October 2026 in Paris), an unplanned Friday and a
# stay past midnight: the same instants give the same quote, line for line.
STAYS = [
    ("2026-10-05T07:41:00+02:00", "2026-10-05T16:12:30+02:00"),
    ("2026-10-09T09:00:00+02:00", "2026-10-09T12:00:00+02:00"),
    ("2026-10-22T07:30:00+02:00", "2026-10-23T00:20:00+02:00"),
    ("2026-10-26T07:50:00+01:00", "2026-10-26T16:31:00+01:00"),
]


@pytest.mark.parametrize("group", [None, "Members"])
def test_the_same_instants_give_the_same_quote(group):
    tariff = parse_tariff(DAILY | {"groups": {"Members": {"discount_percent": "10"}}})
    by_datetimes = tariff.quote(
        stays=[(datetime.fromisoformat(a), datetime.fromisoformat(b)) for a, b in STAYS], group=group
    )
    by_micros = tariff.quote_micros([(_us(a), _us(b)) for a, b in STAYS], group=group)
    assert by_micros.to_dict() == by_datetimes.to_dict()
    assert by_micros.total.amount > 0


@pytest.mark.parametrize(
    ("stays", "code"),
    [
        ([], "no_stays"),
        ([(_us("2026-10-05T16:00:00+02:00"), _us("2026-10-05T08:00:00+02:00"))], "end_before_start"),
        ([(1.5, 2)], "not_micros"),
        ([(True, 2)], "not_micros"),
        ([(0, 10**20)], "out_of_range"),
        ([(-(10**18), 0)], "out_of_range"),
    ],
)
def test_bad_stays_are_refused_by_name(stays, code):
    with pytest.raises(StayError) as refused:
        parse_tariff(DAILY).quote_micros(stays)
    assert refused.value.code == code
