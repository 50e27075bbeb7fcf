"""A month whose stays are each alone in their local day (most of a daycare's) is priced and detailed day by
day in one pass (the compiled tariff's plain days): the same quote as the engine's, line for line, and the
same day-by-day detail as the one worked out from the engine's own lines; on random tariffs and stays in
Paris, New York and UTC, across the clock changes, at midnight, on the second and the microsecond, with
days not included. Stays that are not each alone in a plain day (two a day, past midnight, on a clock
change's day) take the general path, and give the same again."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from timetill.invoicing.extra_time import compact_days, day_detail, expand_days
from timetill.pricing import LocalClock, compile_tariff, parse_tariff
from timetill.pricing.spans import DAY

from ..pricing.test_compiled import DAYCARE, _same, _us
from ..pricing.test_properties import ANCHORS, SETTINGS, daily_documents

MINUTE = 60_000_000
# Where a stay starts in its local day and how long it lasts: on the minute, the second or the microsecond,
# from a microsecond to past the end of the day.
times_of_day = st.one_of(
    st.integers(0, 24 * 60 - 1).map(lambda m: m * MINUTE),
    st.integers(0, 86_399).map(lambda s: s * 1_000_000),
    st.integers(0, DAY - 1),
)
lengths = st.one_of(
    st.integers(1, 16 * 60).map(lambda m: m * MINUTE),
    st.integers(1, 20 * 3600).map(lambda s: s * 1_000_000),
    st.integers(1, 3 * 3600 * 1_000_000),
)
days = st.lists(st.tuples(st.integers(0, 34), times_of_day, lengths), min_size=1, max_size=25)


def _stays(doc, anchor, items):
    """One stay a day (a day drawn twice keeps its first stay), in the tariff's zone, in order."""
    clock = LocalClock(ZoneInfo(doc["time_zone"]))
    first = clock.wall(_us(anchor)) // DAY
    stays, seen = [], set()
    for day, at, length in sorted(items):
        if day in seen:
            continue
        seen.add(day)
        wall = (first + day) * DAY + at
        start = wall - clock.offset(wall - clock.offset(wall))
        stays.append((start, start + length))
    return stays


def _detail_of_engine(tariff, compiled, stays):
    """The detail as it is worked out from the engine's own lines (the general path)."""
    engine = compiled._from_quote(tariff.quote_micros(stays))
    assert engine.days is None
    return compact_days(engine, stays, LocalClock(tariff.time_zone), False), engine


def _check(doc, stays):
    tariff = parse_tariff(doc)
    compiled = compile_tariff(tariff)
    _same(tariff, compiled, stays)
    explained = compiled.explain_compact(stays)
    clock = LocalClock(tariff.time_zone)
    expected, engine = _detail_of_engine(tariff, compiled, stays)
    assert compact_days(explained, stays, clock, True) == expected
    exponent = tariff.currency.exponent
    assert expand_days(compact_days(explained, stays, clock, True), exponent) == day_detail(
        engine, stays, clock, False
    )
    return explained


@SETTINGS
@given(daily_documents(), st.sampled_from(ANCHORS), days)
def test_one_stay_a_day_priced_and_detailed_in_one_pass_as_the_engine(doc, anchor, items):
    _check(doc, _stays(doc, anchor, items))


@SETTINGS
@given(daily_documents(), st.sampled_from(ANCHORS), days, st.data())
def test_stays_that_are_not_alone_in_a_plain_day_give_the_same(doc, anchor, items, data):
    stays = _stays(doc, anchor, items)
    # A second stay on one of the days, or a stay moved past midnight, or the days out of order.
    how = data.draw(st.sampled_from(["second", "midnight", "order"]))
    i = data.draw(st.integers(0, len(stays) - 1))
    start, end = stays[i]
    if how == "second":
        stays.insert(i + 1, (end + MINUTE, end + 2 * MINUTE))
    elif how == "midnight":
        stays[i] = (start, start + DAY)
    else:
        stays.reverse()
    _check(doc, stays)


def _paris(day, hour, minute):
    local = datetime(2026, 10, day, hour, minute, tzinfo=ZoneInfo("Europe/Paris"))
    return _us(local.astimezone(UTC))


def test_a_daycare_month_takes_the_one_pass_unless_a_day_is_not_plain():
    """October 2026 in Paris, one stay a working day: the plain days' pass, the unplanned Friday included;
    a stay on the 25th (summer time ends: 25 hours) or two stays on one day send the month to the engine's
    general path. Each gives the engine's quote and detail."""
    workdays = [d for d in range(1, 32) if datetime(2026, 10, d).weekday() < 5]
    month = [(_paris(d, 7, 35 + d % 25), _paris(d, 16, 5 + d)) for d in workdays]
    month[4] = (_paris(7, 8, 0), _paris(7, 16, 5))  # inside the tolerance: no extra time
    plain = _check(DAYCARE, month)
    assert plain.days is not None
    assert len(plain.days) == len(workdays)
    assert {line[0] for line in plain.document["lines"]} == {"early", "late", "unplanned_day", "day"}
    on_the_25th = sorted([*month, (_paris(25, 9, 0), _paris(25, 12, 0))])
    assert _check(DAYCARE, on_the_25th).days is None
    two_a_day = sorted([*month, (_paris(5, 17, 0), _paris(5, 18, 0))])
    assert _check(DAYCARE, two_a_day).days is None
    until_midnight = [*month[:-1], (_paris(30, 20, 0), _us(datetime(2026, 10, 30, 23, tzinfo=UTC)))]
    assert _check(DAYCARE, until_midnight).days is None
