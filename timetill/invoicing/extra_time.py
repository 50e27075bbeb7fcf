"""A child's extra time of a period: their stays clipped to the days they were enrolled, priced by a compiled
tariff, and the day-by-day detail the family reads (date, arrival, departure, early and late time, amount)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from timetill.pricing import Explained, LocalClock

DAY = 86_400_000_000
MINUTE = 60_000_000
# Wall times of the day detail, by minute of the day ("07:45"), and days written once ("2026-10-05").
_HHMM = [f"{m // 60:02d}:{m % 60:02d}" for m in range(24 * 60)]
_DATES: dict[int, str] = {}


def _date(day: int) -> str:
    found = _DATES.get(day)
    if found is None:
        if len(_DATES) > 100_000:
            _DATES.clear()
        found = _DATES[day] = (date(1970, 1, 1) + timedelta(days=day)).isoformat()
    return found


def clipped(
    stays: list[tuple[int, int, int | None]], windows: list[tuple[int, int]], longest: int | None
) -> tuple[list[tuple[int, int]], list[tuple[int, str]]]:
    """The parts of the stays inside the enrolled windows (instants in microseconds), and the stays to
    review: still open ("open", not priced: no end to price), or longer than `longest` ("too_long")."""
    pairs: list[tuple[int, int]] = []
    flags: list[tuple[int, str]] = []
    if len(windows) == 1:  # most children: enrolled the whole period
        ((first, last),) = windows
        for line_id, start, end in stays:
            a = start if start > first else first
            if end is None:
                if a < last:
                    flags.append((line_id, "open"))
                continue
            b = end if end < last else last
            if a >= b:
                continue
            if longest is not None and end - start > longest:
                flags.append((line_id, "too_long"))
            pairs.append((a, b))
        return pairs, flags
    for line_id, start, end in stays:
        inside = [(max(start, a), b if end is None else min(end, b)) for a, b in windows]
        inside = [(a, b) for a, b in inside if a < b]
        if not inside:
            continue
        if end is None:
            flags.append((line_id, "open"))
            continue
        if longest is not None and end - start > longest:
            flags.append((line_id, "too_long"))
        pairs.extend(inside)
    return pairs, flags


def _days(
    explained: Explained, pairs: list[tuple[int, int]], clock: LocalClock, same_zone: bool
) -> list[tuple[int, list[Any]]]:
    wall = clock.wall
    days: dict[int, list[Any]] = {}
    for a, b in pairs:
        local = wall(a)
        day = local // DAY
        entry = days.get(day)
        if entry is None:
            days[day] = [a, local, b, wall(b), 0, 0, 0, False]
            continue
        if a < entry[0]:
            entry[0], entry[1] = a, local
        if b > entry[2]:
            entry[2], entry[3] = b, wall(b)
    for code, start, end, amount, part_day in explained.parts:
        if start is None or end is None:
            continue
        entry = days.get(part_day if same_zone else wall(start) // DAY)
        if entry is None:
            continue
        if code == "early":
            entry[4] += round((end - start) / 1_000_000 / 60)
        elif code == "late":
            entry[5] += round((end - start) / 1_000_000 / 60)
        entry[6] += amount
        entry[7] = True
    return sorted(days.items())


def day_detail(
    explained: Explained, pairs: list[tuple[int, int]], clock: LocalClock, same_zone: bool
) -> list[dict[str, Any]]:
    """The detail of each local day (in `clock`'s zone) a stay starts on: the first arrival and last
    departure, the early and late minutes and the amount of the explanation's lines that start that day.
    `same_zone`: the explanation's days are already in that zone."""
    exponent = explained.currency.exponent
    return [
        {
            "date": _date(day),
            "arrival": _HHMM[entry[1] % DAY // MINUTE],
            "departure": _HHMM[entry[3] % DAY // MINUTE],
            "early_minutes": entry[4],
            "late_minutes": entry[5],
            # The sum of the lines' amounts, as Decimal adds them: "0" for a day with no line.
            "amount": str(Decimal(entry[6]).scaleb(-exponent)) if entry[7] else "0",
        }
        for day, entry in _days(explained, pairs, clock, same_zone)
    ]


def compact_days(
    explained: Explained, pairs: list[tuple[int, int]], clock: LocalClock, same_zone: bool
) -> list[list[int | None]]:
    """day_detail() in the compact form expand_days() reads: [local day, minute of arrival, minute of
    departure, early minutes, late minutes, amount in minor units or None for a day with no line]."""
    if same_zone and explained.days is not None:
        # Each stay alone in its local day: the pricing worked the day out with the price.
        return [
            [
                day,
                arrival % DAY // MINUTE,
                departure % DAY // MINUTE,
                round(early / 1_000_000 / 60),
                round(late / 1_000_000 / 60),
                amount,
            ]
            for day, arrival, departure, early, late, amount in explained.days
        ]
    return [
        [
            day,
            entry[1] % DAY // MINUTE,
            entry[3] % DAY // MINUTE,
            entry[4],
            entry[5],
            entry[6] if entry[7] else None,
        ]
        for day, entry in _days(explained, pairs, clock, same_zone)
    ]


_AMOUNTS: dict[tuple[int, int], str] = {}


def _amount(minor: int, exponent: int) -> str:
    found = _AMOUNTS.get((minor, exponent))
    if found is None:
        if len(_AMOUNTS) > 100_000:
            _AMOUNTS.clear()
        found = _AMOUNTS[minor, exponent] = str(Decimal(minor).scaleb(-exponent))
    return found


def expand_days(days: list[list[int | None]], exponent: int) -> list[dict[str, Any]]:
    """compact_days() as day_detail() writes the same days."""
    return [
        {
            "date": _date(day),
            "arrival": _HHMM[arrival],
            "departure": _HHMM[departure],
            "early_minutes": early,
            "late_minutes": late,
            "amount": "0" if amount is None else _amount(amount, exponent),
        }
        for day, arrival, departure, early, late, amount in days
    ]
