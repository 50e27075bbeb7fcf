"""Wall-clock time at a site: UTC instants shown in local time, typed local times read back as instants."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

from timetill.errors import TimetillError

# What an <input type="datetime-local"> sends, with or without seconds.
_INPUT_FORMATS = ("%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S")
INPUT_FORMAT = "%Y-%m-%dT%H:%M"


def to_local(instant: datetime, tz: ZoneInfo) -> datetime:
    """The wall-clock time `instant` shows at a site in zone `tz`."""
    return instant.astimezone(tz)


def local_date(instant: datetime, tz: ZoneInfo) -> date:
    return instant.astimezone(tz).date()


def local_day_bounds(day: date, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """The instants at which the local day and the next one start (23 or 25 hours apart on DST days)."""
    start = from_local(datetime.combine(day, time()), tz)
    end = from_local(datetime.combine(day + timedelta(days=1), time()), tz)
    return start, end


def _exists(wall: datetime, tz: ZoneInfo) -> bool:
    # A wall time exists when the round trip through UTC gives it back; one skipped by a spring-forward gap
    # comes back shifted by the gap.
    aware = wall.replace(tzinfo=tz)
    return aware.astimezone(UTC).astimezone(tz).replace(tzinfo=None) == wall


def is_ambiguous(wall: datetime, tz: ZoneInfo) -> bool:
    """True when the clocks show `wall` twice (the hour repeated when they go back)."""
    wall = wall.replace(tzinfo=None)
    first = wall.replace(tzinfo=tz, fold=0).utcoffset()
    second = wall.replace(tzinfo=tz, fold=1).utcoffset()
    return first != second and _exists(wall, tz)


def from_local(wall: datetime, tz: ZoneInfo, *, second_occurrence: bool = False) -> datetime:
    """The aware instant at which the clocks at a site in zone `tz` show the naive wall time `wall`.

    - A wall time that does not exist (skipped when the clocks go forward, e.g. 02:30 on the last Sunday of
      March in Paris) is refused with a TimetillError ``nonexistent_local_time``: guessing would silently move
      a stay by an hour.
    - An ambiguous wall time (shown twice when the clocks go back, e.g. 02:30 on the last Sunday of October in
      Paris) means its first occurrence (summer time), unless `second_occurrence` asks for the later one.
    """
    if wall.tzinfo is not None:
        raise ValueError("from_local takes a naive wall-clock time")
    if not _exists(wall, tz):
        raise TimetillError(
            "nonexistent_local_time",
            _("%(wall)s does not exist in %(zone)s: the clocks jumped forward that night.")
            % {"wall": format(wall, "%d/%m/%Y %H:%M"), "zone": tz.key},
        )
    # Handed over in UTC: PEP 495 makes an ambiguous local time with fold=1 unequal to every other instant.
    return wall.replace(tzinfo=tz, fold=1 if second_occurrence else 0).astimezone(UTC)


def parse_local(text: str, tz: ZoneInfo, *, field: str, second_occurrence: bool = False) -> datetime:
    """Read a local date and time typed in a form (``2026-03-29T01:30``) as an aware instant."""
    text = (text or "").strip()
    if not text:
        raise TimetillError("missing_time", _("%(field)s: give a date and a time.") % {"field": field})
    for fmt in _INPUT_FORMATS:
        try:
            wall = datetime.strptime(text, fmt)  # noqa: DTZ007 - a wall time, made aware by from_local
        except ValueError:
            continue
        return from_local(wall, tz, second_occurrence=second_occurrence)
    raise TimetillError(
        "invalid_time",
        _("%(field)s: “%(text)s” is not a date and time (day/month/year hh:mm).")
        % {"field": field, "text": text[:40]},
    )


def format_for_input(instant: datetime | None, tz: ZoneInfo) -> str:
    """The value an <input type="datetime-local"> shows for `instant` at the site."""
    return to_local(instant, tz).strftime(INPUT_FORMAT) if instant is not None else ""
