"""Gapless document numbers: one counter per scope, series and year, locked late and once by the caller."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from timetill.billing.models import Counter
from timetill.errors import TimetillError

BUSINESS = "business"


def site_scope(site_id: int) -> str:
    """The scope of a site that numbers its documents itself (receipts are numbered per site)."""
    return f"site:{site_id}"


@dataclass(frozen=True)
class Series:
    """A numbered series: how its numbers are written, and whether it starts again at 1 each year."""

    name: str
    format: str
    yearly: bool


SERIES = {
    # Receipts count on across years per site: the values printed before this series existed stay valid.
    "receipt": Series("receipt", "{number}", yearly=False),
    "invoice": Series("invoice", "F{year}-{number:06d}", yearly=True),
    "credit_note": Series("credit_note", "A{year}-{number:06d}", yearly=True),
    # The progressive of a seller's FatturaPA files: five characters in the file name, never restarted.
    "fatturapa": Series("fatturapa", "{number:05d}", yearly=False),
}


@dataclass(frozen=True)
class Number:
    """A number drawn from a series: its value, and its text as printed (F2026-000123)."""

    scope: str
    series: str
    year: int | None
    value: int
    text: str

    def __str__(self) -> str:
        return self.text


def format_number(*, series: str, year: int | None, value: int) -> str:
    return SERIES[series].format.format(year=year or "", number=value)


def _series(name: str, year: int | None) -> Series:
    found = SERIES.get(name)
    if found is None:
        raise TimetillError(
            "unknown_series", _("There is no numbered series %(name)s.") % {"name": repr(name)}
        )
    if found.yearly and (year is None or not 1900 <= year <= 9999):
        raise TimetillError(
            "year_required", _("The %(name)s series restarts each year: give its year.") % {"name": name}
        )
    if not found.yearly and year is not None:
        raise TimetillError(
            "no_year", _("The %(name)s series does not restart each year: give no year.") % {"name": name}
        )
    return found


def next_number(*, scope: str, series: str, year: int | None) -> Number:
    """The next number of a series, inside the caller's transaction (which must be open).

    Call it last, just before the document is saved: the counter row stays locked until the caller's
    transaction ends, so a second document waits and takes the following number, and a rolled-back document
    gives its number back. The row is created on first use (a concurrent first use waits on the unique
    constraint instead of creating a second counter).
    """
    if not transaction.get_connection().in_atomic_block:
        raise TimetillError(
            "no_transaction", _("A number is drawn inside the transaction that saves the document.")
        )
    _series(series, year)
    key = {"scope": scope, "series": series, "year": year or 0}
    Counter.objects.bulk_create([Counter(**key)], ignore_conflicts=True)
    counter = Counter.objects.select_for_update().get(**key)
    counter.last += 1
    counter.save(update_fields=["last"])
    return Number(
        scope, series, year, counter.last, format_number(series=series, year=year, value=counter.last)
    )
