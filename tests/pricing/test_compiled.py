"""A compiled tariff gives exactly the engine's quote: the same total, the same Quote.to_dict() line for line,
the same parts, on random Daily Time tariffs and stays (clock changes in Paris and New York, midnight, month
ends, seconds and microseconds), with customer groups, and for the kinds it hands back to the engine."""

from datetime import UTC, datetime, timedelta

import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

from timetill.pricing import LocalClock, StayError, compile_tariff, parse_tariff
from timetill.pricing.compiled import expand, is_compact
from timetill.pricing.spans import DAY

from .test_properties import ANCHORS, SETTINGS, daily_documents, rate_documents

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
DAYCARE = {
    "version": 1,
    "kind": "daily",
    "name": "Extra Hours 8-16",
    "currency": "EUR",
    "time_zone": "Europe/Paris",
    "vat_rate": "20",
    "included": {d: {"from": "08:00", "to": "16:00"} for d in ("mon", "tue", "wed", "thu")},
    "unit": "15m",
    "early_per_unit": "3.00",
    "late_per_unit": "3.00",
    "tolerance": "10m",
    "unplanned_day": "20.00",
}


def _us(moment: datetime) -> int:
    return (moment - EPOCH) // timedelta(microseconds=1)


# The first days of a month across a clock change, month ends and 29 February (ANCHORS), and the last
# days of October 2026 in Paris (summer time ends on the 25th).
STARTS = [_us(a) for a in ANCHORS] + [_us(datetime(2026, 9, 30, 22, tzinfo=UTC))]
# Times of day that matter: on the minute, on the second, and a microsecond off.
offsets = st.one_of(
    st.integers(0, 40 * 24 * 60).map(lambda m: m * 60_000_000),
    st.integers(0, 40 * 86_400).map(lambda s: s * 1_000_000),
    st.integers(0, 40 * DAY),
)
lengths = st.one_of(
    st.integers(0, 14 * 60).map(lambda m: m * 60_000_000),
    st.integers(0, 30 * 3600 * 1_000_000),
)
stays_micros = st.builds(
    lambda start, items: [(start + o, start + o + n) for o, n in items],
    st.sampled_from(STARTS),
    st.lists(st.tuples(offsets, lengths), min_size=1, max_size=25),
)


def _parts(quote, tz):
    clock = LocalClock(tz)
    out = []
    for line in quote.lines:
        start = None if line.start is None else _us(line.start)
        end = None if line.end is None else _us(line.end)
        day = None if start is None else clock.wall(start) // DAY
        out.append((line.code, start, end, line.amount.minor, day))
    return tuple(out)


def _same(tariff, compiled, stays, group=None):
    quote = tariff.quote_micros(stays, group=group)
    explained = compiled.explain_micros(stays, group=group)
    assert explained.document == quote.to_dict()
    assert explained.total == quote.total.minor
    assert explained.amount == quote.total.amount
    assert (explained.start, explained.end) == (_us(quote.start), _us(quote.end))
    assert explained.parts == _parts(quote, tariff.time_zone)
    # The compact form the monthly run stores reads back, once through JSON, as the same quote.
    compact = compiled.explain_compact(stays, group=group)
    stored = orjson.loads(orjson.dumps(compact.document))
    assert (expand(stored) if is_compact(stored) else stored) == quote.to_dict()
    assert (compact.total, compact.parts) == (explained.total, explained.parts)


@SETTINGS
@given(daily_documents(), st.lists(stays_micros, min_size=1, max_size=3), st.booleans())
def test_a_compiled_daily_tariff_gives_the_engines_quote(doc, periods, with_vat):
    if with_vat:
        doc = doc | {"vat_rate": "20", "prices_include_vat": len(periods) % 2 == 0}
    tariff = parse_tariff(doc)
    compiled = compile_tariff(tariff)
    # One compiled tariff for several periods, as the run uses it: what it keeps does not leak.
    for stays in periods:
        _same(tariff, compiled, stays)


@SETTINGS
@given(daily_documents(), daily_documents(), rate_documents(), stays_micros, st.data())
def test_groups_discounted_or_priced_by_their_own_tariff(doc, other, rate, stays, data):
    nested = {k: v for k, v in other.items() if k not in ("version", "currency", "time_zone")}
    rate_rules = {k: v for k, v in rate.items() if k not in ("version", "currency", "time_zone", "groups")}
    percent = data.draw(st.sampled_from(["10", "33.33", "100"]))
    doc = doc | {
        "groups": {
            "Members": {"discount_percent": percent},
            "Staff": {"tariff": nested},
            "Parking": {"tariff": rate_rules},
        }
    }
    tariff = parse_tariff(doc)
    compiled = compile_tariff(tariff)
    for group in (None, "Members", "Staff", "Nobody"):
        _same(tariff, compiled, stays, group)
    _same(tariff, compiled, stays[:1], "Parking")  # a rate prices one stay: the engine's own quote


def test_a_month_of_a_daycare_across_the_end_of_summer_time():
    """October 2026 in Paris, day by day, arrivals and departures on the second; the 25th is 25 hours long."""
    tariff = parse_tariff(DAYCARE)
    first = _us(datetime(2026, 9, 30, 22, tzinfo=UTC))
    stays = [
        (
            first + day * DAY + (7 * 3600 + 41 * 60 + day) * 10**6,
            first + day * DAY + (16 * 3600 + 7 * 60) * 10**6,
        )
        for day in range(31)
    ]
    stays.append((first + 30 * DAY + 23 * 3600 * 10**6, first + 31 * DAY + 30 * 60 * 10**6))  # past midnight
    _same(tariff, compile_tariff(tariff), stays)
    compact = compile_tariff(tariff).explain_compact(stays).document
    assert is_compact(compact)
    assert len(orjson.dumps(compact)) * 4 < len(orjson.dumps(tariff.quote_micros(stays).to_dict()))


@pytest.mark.parametrize(
    ("stays", "code"),
    [
        ([], "no_stays"),
        ([(10, 5)], "end_before_start"),
        ([(1.5, 2)], "not_micros"),
        ([(0, 10**20)], "out_of_range"),
    ],
)
def test_the_same_stays_are_refused_the_same_way(stays, code):
    with pytest.raises(StayError) as refused:
        compile_tariff(parse_tariff(DAYCARE)).explain_micros(stays)
    assert refused.value.code == code
