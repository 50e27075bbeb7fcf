"""The one place where UTC instants meet local wall time: offsets, local days and wall-time intervals."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import timedelta
from functools import lru_cache
from typing import TypeVar
from zoneinfo import ZoneInfo

from .spans import DAY, EPOCH, SECOND, US

T = TypeVar("T")

# 1970-01-01 was a Thursday; weekdays count from Monday = 0 like datetime.weekday().
_EPOCH_WEEKDAY = 3


def weekday(local_day: int) -> int:
    """The weekday (Monday = 0) of a local day counted from 1970-01-01."""
    return (local_day + _EPOCH_WEEKDAY) % 7


def _offset(tz: ZoneInfo, micros: int) -> int:
    moment = (EPOCH + timedelta(microseconds=micros)).astimezone(tz)
    offset = moment.utcoffset()
    assert offset is not None
    return offset // US


@lru_cache(maxsize=1 << 16)
def _utc_day(tz: ZoneInfo, day: int) -> tuple[tuple[int, int], ...]:
    """(instant, offset) at the start of a UTC day and at the clock change inside it, if any.

    Real zones change their offset at most once a day, so comparing the offsets at both ends of the day
    finds every change; a bisection on whole seconds (tzdata's resolution) then finds its instant.
    """
    lo, hi = day * DAY, (day + 1) * DAY
    before, after = _offset(tz, lo), _offset(tz, hi)
    if before == after:
        return ((lo, before),)
    while hi - lo > SECOND:
        mid = (lo + (hi - lo) // 2) // SECOND * SECOND
        if mid <= lo:
            mid = lo + SECOND
        if _offset(tz, mid) == before:
            lo = mid
        else:
            hi = mid
    return ((day * DAY, before), (hi, after))


def offset_pieces(tz: ZoneInfo, lo: int, hi: int) -> list[tuple[int, int, int]]:
    """[lo, hi) in UTC microseconds cut where the zone's offset changes: (start, end, offset) pieces."""
    if hi <= lo:
        return []
    pieces: list[tuple[int, int, int]] = []
    start = lo
    current: int | None = None
    for day in range(lo // DAY, (hi - 1) // DAY + 1):
        for instant, offset in _utc_day(tz, day):
            if instant <= lo:
                current = offset
            elif instant < hi and offset != current:
                assert current is not None
                pieces.append((start, instant, current))
                start, current = instant, offset
    assert current is not None
    pieces.append((start, hi, current))
    return pieces


def wall_to_utc(
    pieces: Iterable[tuple[int, int, int]],
    occurrences: Callable[[int], Iterable[tuple[int, int, T]]],
) -> list[tuple[int, int, T]]:
    """The UTC intervals whose local wall time falls in the wall-time intervals given per local day.

    `occurrences(day)` yields (wall_start, wall_end, payload) for a local day (wall times in microseconds
    since 1970-01-01 00:00 local; an interval may run past midnight). Within one offset piece wall time is
    UTC plus a constant, so each wall interval maps back by subtraction: a wall time skipped when the clocks
    jump forward starts at the jump, and an hour lived twice is matched twice, exactly as reading the wall
    clock at every instant would.
    """
    found: list[tuple[int, int, T]] = []
    for start, end, offset in pieces:
        wall_lo, wall_hi = start + offset, end + offset
        # The previous day too: its intervals may cross midnight into this piece.
        for day in range(wall_lo // DAY - 1, (wall_hi - 1) // DAY + 1):
            for a, b, payload in occurrences(day):
                x = max(a - offset, start)
                y = min(b - offset, end)
                if x < y:
                    found.append((x, y, payload))
    found.sort(key=lambda item: item[0])
    return found


class LocalClock:
    """One zone's offset at UTC instants (microseconds), kept per UTC day: wall time and local day by integer
    arithmetic, as `astimezone` gives them, for code that reads thousands of instants of a few days."""

    __slots__ = ("_days", "tz")

    def __init__(self, tz: ZoneInfo) -> None:
        self.tz = tz
        self._days: dict[int, int | tuple[int, int, int]] = {}

    def offset(self, micros: int) -> int:
        """The zone's UTC offset at the instant, in microseconds."""
        day = micros // DAY
        entry = self._days.get(day)
        if entry is None:
            entry = self._day(day)
        if type(entry) is int:  # most days: one offset all day
            return entry
        assert isinstance(entry, tuple)
        return entry[0] if micros < entry[1] else entry[2]

    def _day(self, day: int) -> int | tuple[int, int, int]:
        # A day without a change keeps its offset alone; a day with one, (before, instant, after).
        changes = _utc_day(self.tz, day)
        entry: int | tuple[int, int, int] = (
            changes[0][1] if len(changes) == 1 else (changes[0][1], changes[1][0], changes[1][1])
        )
        self._days[day] = entry
        return entry

    def wall(self, micros: int) -> int:
        """The local wall time of the instant, in microseconds since 1970-01-01 00:00 local."""
        return micros + self.offset(micros)
