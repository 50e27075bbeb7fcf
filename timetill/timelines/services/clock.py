"""Checks on instants handed to services: aware only, not from the future."""

from datetime import datetime, timedelta

from timetill.errors import TimetillError

# A device's clock may run a little ahead of the server's; more than this is a wrong clock, not skew.
MAX_CLOCK_SKEW = timedelta(minutes=5)


def require_aware(value: datetime, *, field: str) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise TimetillError(
            "naive_time",
            f"{field}: {value.isoformat()} has no time zone; send an offset such as +01:00 or Z.",
        )
    return value


def require_not_future(value: datetime, *, field: str, now: datetime) -> datetime:
    if value > now + MAX_CLOCK_SKEW:
        raise TimetillError("time_in_future", f"{field}: {value.isoformat()} is in the future.")
    return value
