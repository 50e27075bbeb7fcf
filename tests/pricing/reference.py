"""A deliberately naive reference pricer: walks a stay unit by unit (Daily Time: minute by minute).

It shares nothing with the engine's pricing code: it reads the parsed rules, converts them to timedelta
and Decimal, and re-derives every amount the slow, obvious way, reading the wall clock at each instant.
Property tests compare it with the engine; the benchmark measures the engine's speed-up over it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from timetill.pricing import Tariff
from timetill.pricing.kinds.daily import DailyRules
from timetill.pricing.kinds.ladder import LadderRules
from timetill.pricing.kinds.rate import RateRules

DAY = timedelta(hours=24)


def td(micros: int) -> timedelta:
    return timedelta(microseconds=micros)


def minor_to_decimal(minor: int, exponent: int) -> Decimal:
    return Decimal(minor) / (Decimal(10) ** exponent)


def round_money(value: Decimal, exponent: int) -> Decimal:
    return value.quantize(Decimal(1) / (Decimal(10) ** exponent), rounding=ROUND_HALF_UP)


def reference_total(
    tariff: Tariff, start: datetime | None = None, end: datetime | None = None, *, stays=None, group=None
) -> Decimal:
    """The total the engine must give, computed naively."""
    chosen = tariff.groups.get(group) if group is not None else None
    rules = chosen.tariff.rules if chosen is not None and chosen.tariff is not None else tariff.rules
    exp = tariff.currency.exponent
    if isinstance(rules, LadderRules):
        total = ladder_total(rules, exp, start, end)
    elif isinstance(rules, RateRules):
        total = rate_total(rules, exp, tariff.time_zone, start, end)
    else:
        assert isinstance(rules, DailyRules)
        total = daily_total(rules, exp, tariff.time_zone, stays if stays is not None else [(start, end)])
    if chosen is not None and chosen.discount_percent is not None:
        total -= round_money(total * chosen.discount_percent / 100, exp)
    return total


def ladder_total(rules: LadderRules, exp: int, start: datetime, end: datetime) -> Decimal:
    remaining = end.astimezone(UTC) - start.astimezone(UTC)
    if rules.grace is not None:
        grace = td(rules.grace.duration)
        if rules.grace.mode == "threshold" and remaining <= grace:
            return Decimal(0)
        if rules.grace.mode == "deducted":
            remaining = max(remaining - grace, timedelta(0))
    # Minute by minute: a round of the ladder closes when it reaches the longest step and time remains.
    longest = rules.steps[-1]
    total, in_round = Decimal(0), timedelta(0)
    while remaining > timedelta(0):
        take = min(timedelta(minutes=1), remaining, td(longest.duration) - in_round)
        in_round += take
        remaining -= take
        if in_round == td(longest.duration) and remaining > timedelta(0):
            total += minor_to_decimal(longest.price, exp)
            in_round = timedelta(0)
    if in_round > timedelta(0):
        step = next(s for s in rules.steps if td(s.duration) >= in_round)
        total += minor_to_decimal(step.price, exp)
    return total


def _band_at(rules: RateRules, wall: datetime):
    """The band whose local window contains this wall-clock time (a band may have started the day before)."""
    for band in rules.bands:
        for back in (0, 1):
            day = wall.date() - timedelta(days=back)
            if day.weekday() not in band.days:
                continue
            opens = datetime.combine(day, time(0)) + td(band.start)
            closes = datetime.combine(day, time(0)) + td(band.end)
            if opens <= wall < closes:
                return band
    return None


def _per_unit(price, unit: timedelta, exp: int) -> Decimal:
    """Exact price of `unit` of time (may have more decimals than the currency: rounding happens per line)."""
    return (
        minor_to_decimal(price.minor, exp) * Decimal(unit // timedelta(microseconds=1)) / Decimal(price.per)
    )


def _unit_price(rules: RateRules, start: datetime, t: datetime, tz, exp: int):
    unit = td(rules.unit)
    spent = t - start
    if rules.tiers_restart:
        spent = spent % DAY
    price, label = rules.base, "Time"
    for tier in rules.tiers:
        if spent >= td(tier.after):
            price, label = tier.price, tier.title
    if rules.bands:
        wall = t.astimezone(tz).replace(tzinfo=None)
        band = _band_at(rules, wall)
        if band is not None:
            if rules.band_precedence == "band":
                price, label = band.price, band.title
            else:
                band_value, tier_value = _per_unit(band.price, unit, exp), _per_unit(price, unit, exp)
                if (rules.band_precedence == "lowest" and band_value < tier_value) or (
                    rules.band_precedence == "highest" and band_value > tier_value
                ):
                    price, label = band.price, band.title
    return price, label


def rate_total(rules: RateRules, exp: int, tz, start: datetime, end: datetime, windows_out=None) -> Decimal:
    start, end = start.astimezone(UTC), end.astimezone(UTC)
    if end == start:
        return Decimal(0)
    charge_from = start
    if rules.grace is not None:
        grace = td(rules.grace.duration)
        if rules.grace.mode == "threshold" and end - start <= grace:
            return Decimal(0)
        if rules.grace.mode == "deducted":
            charge_from = start + grace
            if charge_from >= end:
                return Decimal(0)
    window_sums: dict[int, Decimal] = {}
    t = charge_from
    if rules.first_block is not None:
        window_sums[0] = minor_to_decimal(rules.first_block.price, exp)
        t = charge_from + td(rules.first_block.duration)
    unit = td(rules.unit)
    # Walk the units one at a time; consecutive units of the same window, label and price share a line.
    runs: list[list] = []  # [window, label, price, units]
    while t < end:
        left = end - t
        if left < unit:
            counts = rules.rounding == "up" or (rules.rounding == "nearest" and left * 2 >= unit)
            if not counts:
                break
        window = (t - start) // DAY
        price, label = _unit_price(rules, start, t, tz, exp)
        if runs and runs[-1][0] == window and runs[-1][1] == label and runs[-1][2] == price:
            runs[-1][3] += 1
        else:
            runs.append([window, label, price, 1])
        t += unit
    for window, _label, price, units in runs:
        # The price of the run's whole time, divided once: a per-unit price such as 0.34 / 12 has no exact
        # decimal, and multiplied back it turned 4.675 (a half, rounded up) into 4.67499… (rounded down).
        amount = round_money(_per_unit(price, unit * units, exp), exp)
        window_sums[window] = window_sums.get(window, Decimal(0)) + amount
    total = Decimal(0)
    for window, subtotal in sorted(window_sums.items()):
        if rules.cap is not None:
            subtotal = min(subtotal, minor_to_decimal(rules.cap, exp))
        if windows_out is not None:
            windows_out[window] = subtotal
        total += subtotal
    if rules.maximum is not None:
        total = min(total, minor_to_decimal(rules.maximum, exp))
    if rules.minimum is not None:
        total = max(total, minor_to_decimal(rules.minimum, exp))
    return total


def daily_total(rules: DailyRules, exp: int, tz, stays) -> Decimal:
    """Minute by minute: stays must start and end on whole minutes."""
    minute = timedelta(minutes=1)
    spans = [(a.astimezone(UTC), b.astimezone(UTC)) for a, b in stays]
    for a, b in spans:
        assert a.second == 0 and a.microsecond == 0 and b.second == 0 and b.microsecond == 0
    spans = [(a, b) for a, b in spans if b > a]
    if not spans:
        return Decimal(0)
    counted: dict[tuple[date, str], int] = {}
    t = min(a for a, _ in spans)
    last = max(b for _, b in spans)
    while t < last:
        if any(a <= t < b for a, b in spans):
            wall = t.astimezone(tz).replace(tzinfo=None)
            window = rules.included[wall.weekday()]
            since_midnight = wall - datetime.combine(wall.date(), time(0))
            if window is None:
                part = "day"
            elif since_midnight < td(window.start):
                part = "early"
            elif since_midnight >= td(window.end):
                part = "late"
            else:
                part = "in"
            counted[(wall.date(), part)] = counted.get((wall.date(), part), 0) + 1
        t += minute
    total = Decimal(0)
    unit = td(rules.unit)
    tolerance = td(rules.tolerance)
    for (_day, part), minutes in counted.items():
        if part == "day":
            total += minor_to_decimal(rules.unplanned_day or 0, exp)
            continue
        if part == "in":
            continue
        length = minutes * minute
        if rules.tolerance_mode == "deducted":
            billable = max(length - tolerance, timedelta(0))
        else:
            billable = length if length > tolerance else timedelta(0)
        units = billable // unit
        rest = billable - units * unit
        if rest and (rules.rounding == "up" or (rules.rounding == "nearest" and rest * 2 >= unit)):
            units += 1
        price = rules.early if part == "early" else rules.late
        total += minor_to_decimal(price, exp) * units
    return total
