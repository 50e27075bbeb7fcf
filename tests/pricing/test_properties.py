"""Properties on random tariffs and stays: the engine equals the naive reference, more time never costs
less, a cap is never exceeded, rounding boundaries hold, and splitting a Daily Time stay changes nothing."""

import os
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from timetill.pricing import parse_tariff

from .reference import reference_total

# PRICING_MAX_EXAMPLES=5000 for a longer hunt; the default keeps the suite quick.
SETTINGS = settings(
    max_examples=int(os.environ.get("PRICING_MAX_EXAMPLES", "250")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
ZONES = ["Europe/Paris", "America/New_York", "UTC"]
# Instants near both DST changes of both zones, and ordinary days, month ends and 29 February.
ANCHORS = [
    datetime(2026, 3, 28, 20, tzinfo=UTC),
    datetime(2026, 10, 24, 20, tzinfo=UTC),
    datetime(2026, 3, 7, 23, tzinfo=UTC),
    datetime(2026, 10, 31, 23, tzinfo=UTC),
    datetime(2028, 2, 28, 12, tzinfo=UTC),
    datetime(2026, 1, 31, 18, tzinfo=UTC),
]
DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


def amount(max_minor=500):
    return st.integers(0, max_minor).map(lambda m: f"{m // 100}.{m % 100:02d}")


def hhmm(half_hours: int) -> str:
    return f"{half_hours // 2:02d}:{30 * (half_hours % 2):02d}"


@st.composite
def bands(draw):
    """Non-overlapping by construction: one band every day, or intervals cut on the weekly clock."""
    if draw(st.booleans()):
        start, stop = draw(st.integers(0, 47)), draw(st.integers(0, 48))
        assume(start != stop)
        return [
            {"from": hhmm(start), "to": hhmm(stop) if stop != 48 else "24:00", "per_unit": draw(amount())}
        ]
    points = sorted(draw(st.sets(st.integers(0, 7 * 48 - 1), min_size=2, max_size=6)))
    found = []
    for a, b in zip(points[::2], points[1::2], strict=False):
        if b - a > 48 or (b - a == 48 and a % 48):
            continue
        day, start, stop = a // 48, a % 48, b - (a // 48) * 48
        to = "24:00" if stop == 48 and start == 0 else hhmm(stop % 48)
        found.append({"days": [DAYS[day]], "from": hhmm(start), "to": to, "per_unit": draw(amount())})
    return found


@st.composite
def rate_documents(draw):
    doc = {
        "version": 1,
        "kind": "rate",
        "currency": "EUR",
        "time_zone": draw(st.sampled_from(ZONES)),
        "unit": draw(st.sampled_from(["1m", "5m", "7m", "15m", "30m", "1h", "90s"])),
        "rounding": draw(st.sampled_from(["up", "nearest", "down"])),
    }
    doc["per_hour" if draw(st.booleans()) else "per_unit"] = draw(amount())
    if draw(st.booleans()):
        doc["grace"] = {
            "duration": draw(st.sampled_from(["5m", "15m", "1h"])),
            "mode": draw(st.sampled_from(["threshold", "deducted"])),
        }
    if draw(st.booleans()):
        doc["first_block"] = {"duration": draw(st.sampled_from(["30m", "1h", "2h"])), "price": draw(amount())}
    restart = draw(st.booleans())
    afters = sorted(draw(st.sets(st.integers(1, 23 if restart else 40), max_size=2)))
    if afters:
        doc["tiers"] = [
            {"after": f"{h}h", ("per_hour" if draw(st.booleans()) else "per_unit"): draw(amount())}
            for h in afters
        ]
        doc["tiers_restart_every_24h"] = restart
    if draw(st.booleans()):
        doc["bands"] = draw(bands()) or None
        doc["band_precedence"] = draw(st.sampled_from(["band", "lowest", "highest"]))
    if draw(st.booleans()):
        doc["cap_per_24h"] = draw(amount(3000))
    if draw(st.booleans()):
        doc["max_per_stay"] = draw(amount(6000))
    if draw(st.booleans()):
        limit = min(
            int(float(doc.get("cap_per_24h", "99")) * 100), int(float(doc.get("max_per_stay", "99")) * 100)
        )
        doc["minimum"] = draw(amount(limit))
    if draw(st.booleans()):
        doc["groups"] = {"g": {"discount_percent": draw(st.sampled_from(["10", "15", "33.3333", "100"]))}}
    return {k: v for k, v in doc.items() if v is not None}


instants = st.builds(
    lambda anchor, seconds: anchor + timedelta(seconds=seconds),
    st.sampled_from(ANCHORS),
    st.integers(0, 36 * 3600),
)
lengths = st.integers(0, 3 * 86400)


@SETTINGS
@given(rate_documents(), instants, lengths, st.booleans())
def test_rate_engine_equals_reference(doc, start, seconds, grouped):
    tariff = parse_tariff(doc)
    end = start + timedelta(seconds=seconds)
    group = "g" if grouped else None
    assert tariff.quote(start, end, group=group).total.amount == reference_total(
        tariff, start, end, group=group
    )


@SETTINGS
@given(rate_documents(), instants, st.integers(0, 3 * 86400), st.integers(0, 86400))
def test_more_time_never_costs_less(doc, start, seconds, more):
    tariff = parse_tariff(doc)
    shorter = tariff.quote(start, start + timedelta(seconds=seconds)).total
    longer = tariff.quote(start, start + timedelta(seconds=seconds + more)).total
    assert longer >= shorter


@SETTINGS
@given(rate_documents(), instants, st.integers(0, 5 * 86400))
def test_a_cap_is_never_exceeded(doc, start, seconds):
    assume("cap_per_24h" in doc)
    tariff = parse_tariff(doc)
    quote = tariff.quote(start, start + timedelta(seconds=seconds))
    limit = tariff.rules.cap
    per_window: dict[int, int] = {}
    for line in quote.lines:
        if line.code in ("maximum", "minimum", "discount", "capped_days"):
            if line.code == "capped_days":
                assert line.unit_price.minor == limit
            continue
        window = (line.start - start) // timedelta(hours=24)
        per_window[window] = per_window.get(window, 0) + line.amount.minor
    assert all(subtotal <= limit for subtotal in per_window.values()), per_window
    windows = max(1, -(-seconds // 86400))
    assert quote.total.minor <= limit * windows


@SETTINGS
@given(rate_documents(), instants, st.integers(0, 200), st.sampled_from([0, 1]))
def test_rounding_boundaries_exactly_on_a_unit_and_one_second_over(doc, start, units, over):
    tariff = parse_tariff(doc)
    rules = tariff.rules
    offset = timedelta(0)
    if rules.grace is not None and rules.grace.mode == "deducted":
        offset += timedelta(microseconds=rules.grace.duration)
    if rules.first_block is not None:
        offset += timedelta(microseconds=rules.first_block.duration)
    end = start + offset + units * timedelta(microseconds=rules.unit) + timedelta(seconds=over)
    exact = tariff.quote(start, end).total.amount
    assert exact == reference_total(tariff, start, end)
    if over and rules.rounding == "up" and units < 100 and rules.cap is None and rules.maximum is None:
        assert exact >= tariff.quote(start, end - timedelta(seconds=1)).total.amount


@st.composite
def ladder_documents(draw):
    minutes = sorted(draw(st.sets(st.integers(1, 600), min_size=1, max_size=4)))
    doc = {
        "version": 1,
        "kind": "ladder",
        "currency": "EUR",
        "steps": [{"duration": f"{m}m", "price": draw(amount(3000))} for m in minutes],
    }
    if draw(st.booleans()):
        doc["grace"] = {"duration": "5m", "mode": draw(st.sampled_from(["threshold", "deducted"]))}
    return doc


@SETTINGS
@given(ladder_documents(), instants, st.integers(0, 3 * 86400))
def test_ladder_engine_equals_reference(doc, start, seconds):
    tariff = parse_tariff(doc)
    end = start + timedelta(seconds=seconds)
    assert tariff.quote(start, end).total.amount == reference_total(tariff, start, end)


@st.composite
def daily_documents(draw):
    included = {}
    for day in DAYS:
        if draw(st.booleans()):
            a = draw(st.integers(0, 46))
            b = draw(st.integers(a + 1, 48))
            included[day] = {"from": hhmm(a), "to": hhmm(b) if b < 48 else "24:00"}
    doc = {
        "version": 1,
        "kind": "daily",
        "currency": "EUR",
        "time_zone": draw(st.sampled_from(ZONES)),
        "included": included,
        "unit": draw(st.sampled_from(["1m", "15m", "30m", "1h"])),
        "rounding": draw(st.sampled_from(["up", "nearest", "down"])),
        "early_per_unit": draw(amount()),
        "late_per_unit": draw(amount()),
        "tolerance": draw(st.sampled_from(["0m", "10m", "15m"])),
        "tolerance_mode": draw(st.sampled_from(["deducted", "threshold"])),
    }
    if draw(st.booleans()):
        doc["unplanned_day"] = draw(amount(3000))
    return doc


minute_instants = st.builds(
    lambda anchor, minutes: anchor + timedelta(minutes=minutes),
    st.sampled_from(ANCHORS),
    st.integers(0, 36 * 60),
)
stays_lists = st.lists(st.tuples(minute_instants, st.integers(0, 20 * 60)), min_size=1, max_size=4).map(
    lambda items: [(a, a + timedelta(minutes=m)) for a, m in items]
)


@SETTINGS
@given(daily_documents(), stays_lists)
def test_daily_engine_equals_reference(doc, stays):
    tariff = parse_tariff(doc)
    assert tariff.quote(stays=stays).total.amount == reference_total(tariff, stays=stays)


@SETTINGS
@given(daily_documents(), minute_instants, st.integers(1, 40 * 60), st.data())
def test_splitting_a_daily_stay_anywhere_changes_nothing(doc, start, minutes, data):
    tariff = parse_tariff(doc)
    end = start + timedelta(minutes=minutes)
    cut = start + timedelta(seconds=data.draw(st.integers(0, minutes * 60)))
    whole = tariff.quote(start, end).total
    assert tariff.quote(stays=[(start, cut), (cut, end)]).total == whole
    midnight = end.astimezone(ZoneInfo(doc["time_zone"])).replace(hour=0, minute=0)
    if start < midnight < end:
        assert tariff.quote(stays=[(start, midnight), (midnight, end)]).total == whole
