"""A report's period: whole local days at a site, from a first to a last day, read from dates or a preset."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from timetill.errors import TimetillError
from timetill.sites.localtime import local_date, local_day_bounds

# Long enough for a year compared with the year before; short enough that an hourly chart stays readable.
MAX_DAYS = 731
EARLIEST = date(2000, 1, 1)
LATEST = date(2099, 12, 31)

PRESETS = {
    "today": gettext_lazy("Today"),
    "yesterday": gettext_lazy("Yesterday"),
    "this_week": gettext_lazy("This week"),
    "last_week": gettext_lazy("Last week"),
    "this_month": gettext_lazy("This month"),
    "last_month": gettext_lazy("Last month"),
}


class PeriodError(TimetillError):
    pass


@dataclass(frozen=True)
class Period:
    """Local days `first` to `last` (both included) in zone `tz`; `start`/`end` are the UTC instants."""

    first: date
    last: date
    tz: ZoneInfo

    @property
    def start(self) -> datetime:
        return local_day_bounds(self.first, self.tz)[0]

    @property
    def end(self) -> datetime:
        return local_day_bounds(self.last, self.tz)[1]

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def previous(self) -> "Period":
        """The period of as many days just before this one (a month compared with the month before it)."""
        if self.first.day == 1 and (self.last + timedelta(days=1)).day == 1:
            months = (self.last.year - self.first.year) * 12 + self.last.month - self.first.month + 1
            year, month = divmod(self.first.year * 12 + self.first.month - 1 - months, 12)
            first = date(year, month + 1, 1)
            return Period(first=first, last=self.first - timedelta(days=1), tz=self.tz)
        return Period(
            first=self.first - timedelta(days=self.days), last=self.first - timedelta(days=1), tz=self.tz
        )

    def label(self) -> str:
        if self.first == self.last:
            return self.first.strftime("%d/%m/%Y")
        return f"{self.first:%d/%m/%Y} – {self.last:%d/%m/%Y}"


def _parse_day(text: str, *, field: str) -> date:
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise PeriodError(
            "invalid_date",
            _("%(field)s: “%(text)s” is not a date (year-month-day).") % {"field": field, "text": text[:30]},
        ) from None
    if not EARLIEST <= day <= LATEST:
        raise PeriodError(
            "invalid_date", _("%(field)s: give a date between 2000 and 2099.") % {"field": field}
        )
    return day


def preset_days(preset: str, today: date) -> tuple[date, date]:
    if preset == "today":
        return today, today
    if preset == "yesterday":
        return today - timedelta(days=1), today - timedelta(days=1)
    if preset == "this_week":
        monday = today - timedelta(days=today.weekday())
        return monday, monday + timedelta(days=6)
    if preset == "last_week":
        monday = today - timedelta(days=today.weekday() + 7)
        return monday, monday + timedelta(days=6)
    if preset == "this_month":
        first = today.replace(day=1)
        return first, (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    if preset == "last_month":
        last = today.replace(day=1) - timedelta(days=1)
        return last.replace(day=1), last
    raise PeriodError(
        "invalid_preset",
        _("“%(preset)s” is not a period: choose one of %(choices)s.")
        % {"preset": preset[:30], "choices": ", ".join(PRESETS)},
    )


def read_period(
    *,
    tz: ZoneInfo,
    at: datetime,
    first: str | None = None,
    last: str | None = None,
    preset: str | None = None,
) -> Period:
    """The period a request asks for: a preset, or dates (one date alone is that day); by default today."""
    today = local_date(at, tz)
    if preset:
        # Days given beside a preset are not used, but still days: nonsense is refused, not ignored.
        for text, name in ((first, _("From")), (last, _("To"))):
            if text:
                _parse_day(text, field=name)
        day_one, day_last = preset_days(preset, today)
    elif first or last:
        day_one = _parse_day(first or last or "", field=_("From"))
        day_last = _parse_day(last or first or "", field=_("To"))
    else:
        day_one = day_last = today
    if day_last < day_one:
        raise PeriodError("end_before_start", _("The period ends before it starts: swap From and To."))
    if (day_last - day_one).days + 1 > MAX_DAYS:
        raise PeriodError(
            "period_too_long",
            _("A report covers at most %(days)d days: choose a shorter period.") % {"days": MAX_DAYS},
        )
    return Period(first=day_one, last=day_last, tz=tz)
