"""Checks on instants handed to services: aware only, not from the future."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

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


def require_not_future(value: datetime, *, field: str, now: datetime, tz: ZoneInfo | None = None) -> datetime:
    """Refuse an instant past the clock skew; with `tz`, the message speaks the site's wall-clock time."""
    if value > now + MAX_CLOCK_SKEW:
        if tz is None:
            raise TimetillError("time_in_future", f"{field}: {value.isoformat()} is in the future.")
        shown, current = value.astimezone(tz), now.astimezone(tz)
        raise TimetillError(
            "time_in_future",
            f"{field}: {shown:%d/%m/%Y %H:%M} is in the future (it is {current:%H:%M} now).",
        )
    return value
