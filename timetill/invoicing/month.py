"""Months of the daycare's calendar: "2026-11" read, its days, the month before, enrolled days, proration."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from timetill.catalog.models import Package
from timetill.catalog.packages import planned_days
from timetill.errors import TimetillError

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")

DateRange = tuple[date, date]  # first and last day, both included


@dataclass(frozen=True, order=True)
class Month:
    first: date

    @property
    def last(self) -> date:
        return self.next.first - timedelta(days=1)

    @property
    def next(self) -> Month:
        year, month = (
            (self.first.year + 1, 1) if self.first.month == 12 else (self.first.year, self.first.month + 1)
        )
        return Month(date(year, month, 1))

    @property
    def previous(self) -> Month:
        year, month = (
            (self.first.year - 1, 12) if self.first.month == 1 else (self.first.year, self.first.month - 1)
        )
        return Month(date(year, month, 1))

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def __str__(self) -> str:
        return f"{self.first:%Y-%m}"


def parse_month(text: str) -> Month:
    """A month written YYYY-MM (2026-11); invalid_month otherwise."""
    found = _MONTH.match((text or "").strip())
    if found is None or not 1 <= int(found[2]) <= 12 or not 2000 <= int(found[1]) <= 2100:
        raise TimetillError(
            "invalid_month", _("%(text)r is not a month: write it YYYY-MM, e.g. 2026-11.") % {"text": text}
        )
    return Month(date(int(found[1]), int(found[2]), 1))


def clip(ranges: list[DateRange], first: date, last: date) -> list[DateRange]:
    """The parts of `ranges` inside [first, last], merged and sorted."""
    parts = sorted((max(a, first), min(b, last)) for a, b in ranges if a <= last and b >= first)
    merged: list[DateRange] = []
    for a, b in parts:
        if merged and a <= merged[-1][1] + timedelta(days=1):
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    return merged


def period_text(first: date, last: date) -> str:
    fmt = pgettext("a date on an invoice", "%d/%m/%Y")
    return _("for the period %(start)s–%(end)s") % {"start": first.strftime(fmt), "end": last.strftime(fmt)}


@dataclass(frozen=True)
class Proration:
    """How much of a month's price a child pays: enrolled / of (1 / 1 when whole), said in `text`."""

    enrolled: int
    of: int
    text: str = ""

    @property
    def whole(self) -> bool:
        return self.enrolled == self.of

    def of_price(self, price: Decimal) -> Decimal:
        return price if self.whole else price * self.enrolled / self.of


def prorate(rule: str, weekdays: frozenset[int], month: Month, enrolled: list[DateRange]) -> Proration:
    """The share of month `month` the enrolled days give under a package's proration rule."""
    inside = clip(enrolled, month.first, month.last)
    if rule == Package.Proration.CALENDAR_DAYS:
        days = sum((b - a).days + 1 for a, b in inside)
        text = (
            "" if days == month.days else ngettext("%(n)d of %(of)d day", "%(n)d of %(of)d days", month.days)
        )
        return Proration(days, month.days, text % {"n": days, "of": month.days} if text else "")
    if rule == Package.Proration.PLANNED_DAYS:
        of = planned_days(weekdays, month.first, month.last)
        days = sum(planned_days(weekdays, a, b) for a, b in inside)
        if of == 0 or days == of:
            return Proration(1, 1)
        text = ngettext("%(n)d of %(of)d planned day", "%(n)d of %(of)d planned days", of)
        return Proration(days, of, text % {"n": days, "of": of})
    return Proration(1, 1)
