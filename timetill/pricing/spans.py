"""Instants and stays: aware datetimes only, kept inside the engine as microseconds since the epoch."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from .errors import StayError
from .text import gettext_noop

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
US = timedelta(microseconds=1)
SECOND = 1_000_000
MINUTE = 60 * SECOND
HOUR = 60 * MINUTE
DAY = 24 * HOUR


def to_us(moment: datetime, field: str = "instant") -> int:
    """Microseconds since the epoch of an aware datetime; a naive one is refused (its instant is unknown)."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise StayError(
            gettext_noop("{field}: {value} has no time zone"),
            code="naive_datetime",
            field=field,
            value=moment.isoformat(),
        )
    return (moment - EPOCH) // US


def from_us(micros: int) -> datetime:
    """The UTC datetime of a count of microseconds since the epoch."""
    seconds, rest = divmod(micros, SECOND)  # cheaper for timedelta to normalise than one huge field
    return EPOCH + timedelta(0, seconds, rest)


def localize(naive: datetime, tz: ZoneInfo, field: str = "instant") -> datetime:
    """A naive wall time read in `tz`; refused when the wall time is skipped or repeated by a clock change."""
    first = naive.replace(tzinfo=tz, fold=0)
    second = naive.replace(tzinfo=tz, fold=1)
    if first.utcoffset() != second.utcoffset():
        # Both folds give a different instant: the time is either in a gap or in the repeated hour.
        back = first.astimezone(UTC).astimezone(tz).replace(tzinfo=None)
        if back != naive:
            raise StayError(
                gettext_noop("{field}: {value} does not exist in {zone} (the clocks jump forward)"),
                code="nonexistent_time",
                field=field,
                value=naive.isoformat(),
                zone=tz.key,
            )
        raise StayError(
            gettext_noop("{field}: {value} happens twice in {zone} (the clocks go back); give a UTC offset"),
            code="ambiguous_time",
            field=field,
            value=naive.isoformat(),
            zone=tz.key,
        )
    return first


def parse_instant(text: str, tz: ZoneInfo | None, field: str = "instant") -> datetime:
    """An ISO 8601 timestamp; a naive one is read in the tariff's time zone `tz`, and refused without one."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise StayError(
            gettext_noop("{field}: {value} is not an ISO 8601 timestamp"),
            code="invalid_datetime",
            field=field,
            value=repr(text),
        ) from None
    if moment.tzinfo is None:
        if tz is None:
            raise StayError(
                gettext_noop("{field}: {value} has no UTC offset and the tariff names no time zone"),
                code="naive_datetime",
                field=field,
                value=text,
            )
        return localize(moment, tz, field)
    return moment


@dataclass(frozen=True, slots=True)
class Stay:
    """A closed stay [start, end) between two aware instants; its length is real elapsed time."""

    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        if to_us(self.end, "end") < to_us(self.start, "start"):
            raise StayError(
                gettext_noop("{field}: {value} is before {start_field} {start}"),
                code="end_before_start",
                field="end",
                start_field="start",
                value=self.end.isoformat(),
                start=self.start.isoformat(),
            )

    @property
    def duration(self) -> timedelta:
        # Subtracting two datetimes that share a tzinfo ignores DST; going through the epoch does not.
        start, end = self.bounds_us()
        return timedelta(microseconds=end - start)

    def bounds_us(self) -> tuple[int, int]:
        return to_us(self.start, "start"), to_us(self.end, "end")


@lru_cache(maxsize=4096)
def describe_duration(micros: int) -> str:
    """A duration for people: '1 h 20 min', '45 min', '30 s', '2 d 3 h'."""
    if micros == 0:
        return "0 min"
    parts = []
    seconds, rest = divmod(micros, SECOND)
    days, seconds = divmod(seconds, 86400)
    hours, seconds = divmod(seconds, 3600)
    minutes, seconds = divmod(seconds, 60)
    for value, name in ((days, "d"), (hours, "h"), (minutes, "min"), (seconds, "s")):
        if value:
            parts.append(f"{value} {name}")
    if rest:
        parts.append(f"{rest} µs")
    return " ".join(parts)
