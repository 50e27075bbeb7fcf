"""A site's opening hours: per weekday, the local times it is open, read once into typed windows."""

from dataclasses import dataclass
from datetime import time

from django.core.exceptions import ValidationError

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
            "invalid_opening_hours", f"{day}: “{text[:20]}” is not a time of day (hh:mm)."
        ) from None
    if (hours, minutes) == (24, 0):
        return None
    if not (0 <= hours < 24 and 0 <= minutes < 60):
        raise TimetillError("invalid_opening_hours", f"{day}: “{text[:20]}” is not a time of day (hh:mm).")
    return time(hours, minutes)


def parse_opening_hours(value: object) -> dict[int, tuple[Window, ...]] | None:
    """Read the stored document: ``{"mon": [["08:00", "18:00"]], "sat": [["09:00", "12:00"]], ...}``.

    An empty document means the site never closes (None); otherwise a weekday left out is closed. Windows are
    sorted and must not overlap; "24:00" ends a window at midnight."""
    if not value:
        return None
    if not isinstance(value, dict):
        raise TimetillError("invalid_opening_hours", "Opening hours are a weekday → list of [from, to].")
    unknown = sorted(set(value) - set(WEEKDAYS))
    if unknown:
        raise TimetillError(
            "invalid_opening_hours", f"“{unknown[0][:10]}” is not a weekday (mon, tue, … sun)."
        )
    days: dict[int, tuple[Window, ...]] = {}
    for index, day in enumerate(WEEKDAYS):
        windows = []
        for pair in value.get(day) or ():
            if not isinstance(pair, list | tuple) or len(pair) != 2:
                raise TimetillError("invalid_opening_hours", f"{day}: each window is [from, to].")
            start = _clock(str(pair[0]), day=day)
            if start is None:
                raise TimetillError("invalid_opening_hours", f"{day}: a window cannot start at 24:00.")
            window = Window(start, _clock(str(pair[1]), day=day))
            begin, end = window.minutes()
            if end <= begin:
                raise TimetillError(
                    "invalid_opening_hours",
                    f"{day}: {pair[0]}–{pair[1]} ends before it starts (split a night into two days).",
                )
            windows.append(window)
        windows.sort(key=Window.minutes)
        for before, after in zip(windows, windows[1:], strict=False):
            if after.minutes()[0] < before.minutes()[1]:
                raise TimetillError("invalid_opening_hours", f"{day}: two windows overlap.")
        days[index] = tuple(windows)
    return days


def validate_opening_hours(value: object) -> None:
    """The model field's validator: the same rules, as a form error."""
    try:
        parse_opening_hours(value)
    except TimetillError as error:
        raise ValidationError(error.message) from error
