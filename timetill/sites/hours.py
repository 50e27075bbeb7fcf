"""A site's opening hours: per weekday, the local times it is open, read once into typed windows."""

from dataclasses import dataclass
from datetime import time

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from timetill.errors import TimetillError

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class Window:
    """Open from `start` to `end` on one local day; `end` None means until midnight (written "24:00")."""

    start: time
    end: time | None

    def minutes(self) -> tuple[int, int]:
        end = 24 * 60 if self.end is None else self.end.hour * 60 + self.end.minute
        return self.start.hour * 60 + self.start.minute, end


def _clock(text: str, *, day: str) -> time | None:
    try:
        hours, minutes = (int(part) for part in text.strip().split(":"))
    except ValueError:
        raise TimetillError(
            "invalid_opening_hours",
            _("%(day)s: “%(text)s” is not a time of day (hh:mm).") % {"day": day, "text": text[:20]},
        ) from None
    if (hours, minutes) == (24, 0):
        return None
    if not (0 <= hours < 24 and 0 <= minutes < 60):
        raise TimetillError(
            "invalid_opening_hours",
            _("%(day)s: “%(text)s” is not a time of day (hh:mm).") % {"day": day, "text": text[:20]},
        )
    return time(hours, minutes)


def parse_opening_hours(value: object) -> dict[int, tuple[Window, ...]] | None:
    """Read the stored document: ``{"mon": [["08:00", "18:00"]], "sat": [["09:00", "12:00"]], ...}``.

    An empty document means the site never closes (None); otherwise a weekday left out is closed. Windows are
    sorted and must not overlap; "24:00" ends a window at midnight."""
    if not value:
        return None
    if not isinstance(value, dict):
        raise TimetillError("invalid_opening_hours", _("Opening hours are a weekday → list of [from, to]."))
    unknown = sorted(set(value) - set(WEEKDAYS))
    if unknown:
        raise TimetillError(
            "invalid_opening_hours",
            _("“%(unknown)s” is not a weekday (mon, tue, … sun).") % {"unknown": unknown[0][:10]},
        )
    days: dict[int, tuple[Window, ...]] = {}
    for index, day in enumerate(WEEKDAYS):
        windows = []
        for pair in value.get(day) or ():
            if not isinstance(pair, list | tuple) or len(pair) != 2:
                raise TimetillError(
                    "invalid_opening_hours", _("%(day)s: each window is [from, to].") % {"day": day}
                )
            start = _clock(str(pair[0]), day=day)
            if start is None:
                raise TimetillError(
                    "invalid_opening_hours", _("%(day)s: a window cannot start at 24:00.") % {"day": day}
                )
            window = Window(start, _clock(str(pair[1]), day=day))
            begin, end = window.minutes()
            if end <= begin:
                raise TimetillError(
                    "invalid_opening_hours",
                    _("%(day)s: %(start)s–%(end)s ends before it starts (split a night into two days).")
                    % {"day": day, "start": pair[0], "end": pair[1]},
                )
            windows.append(window)
        windows.sort(key=Window.minutes)
        for before, after in zip(windows, windows[1:], strict=False):
            if after.minutes()[0] < before.minutes()[1]:
                raise TimetillError(
                    "invalid_opening_hours", _("%(day)s: two windows overlap.") % {"day": day}
                )
        days[index] = tuple(windows)
    return days


def validate_opening_hours(value: object) -> None:
    """The model field's validator: the same rules, as a form error."""
    try:
        parse_opening_hours(value)
    except TimetillError as error:
        raise ValidationError(error.message) from error
