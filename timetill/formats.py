"""Amounts, quantities and lengths of time written the way the active language writes them (CLDR via Babel).

The one place the pages, messages and PDFs format numbers: a language added later needs only its catalogue.
"""

from datetime import datetime, timedelta, tzinfo
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from babel import Locale
from babel.dates import format_skeleton
from babel.numbers import format_currency, format_decimal
from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _


def current_locale() -> str:
    """The Babel locale of the active language ("en", "fr", "it_CH"…)."""
    return translation.to_locale(translation.get_language() or settings.LANGUAGE_CODE)


# Where a language's documents write amounts otherwise than CLDR: Italian invoices and receipts put the sign
# first ("€ 1.234,50"; CLDR says "1.234,50 €").
CURRENCY_PATTERNS = {"it": "¤\u00a0#,##0.00;-¤\u00a0#,##0.00"}


def money(amount: Decimal | int | str | None, currency: str) -> str:
    """3.7 and "EUR" → "€3.70" in English, "3,70 €" in French, "€ 3,70" in Italian: the currency's sign, at
    least its minor unit.

    A part of a cent the till charges (a unit price of 0.125) is shown, never rounded away."""
    if amount is None or amount == "":
        return ""
    try:
        value = Decimal(amount)
    except (InvalidOperation, TypeError, ValueError):
        return str(amount)
    return _money(str(value), currency, current_locale())


@lru_cache(maxsize=4096)
def _money(value: str, currency: str, locale: str) -> str:
    # Babel takes ~100 µs an amount; a pending list of 500 stays shows a few dozen distinct ones. Keyed by
    # the text, not the Decimal: 3.7 and 3.70 are equal but a part of a cent is shown as given.
    return format_currency(
        Decimal(value),
        currency,
        format=CURRENCY_PATTERNS.get(locale.split("_")[0]),
        locale=locale,
        decimal_quantization=False,
    )


def number(value: Decimal | int | str | None) -> str:
    """A quantity or a rate without trailing zeros, with the language's separators: 1234.500 → "1,234.5"."""
    if value is None or value == "":
        return ""
    return format_decimal(Decimal(value).normalize(), locale=current_locale(), decimal_quantization=False)


def duration(length: timedelta) -> str:
    """A length of time a desk reads at a glance: "45 min", "2 h 05", "27 h 01" (hours past a day)."""
    minutes = max(int(length.total_seconds()) // 60, 0)
    hours, rest = divmod(minutes, 60)
    if hours == 0:
        return _("{minutes} min").format(minutes=rest)
    return _("{hours} h {minutes}").format(hours=_hours(hours, current_locale()), minutes=f"{rest:02d}")


@lru_cache(maxsize=1024)
def _hours(hours: int, locale: str) -> str:
    return format_decimal(hours, locale=locale)


def local_time(value: datetime, tz: tzinfo | None = None) -> str:
    """An instant as a person reads it, in a site's (or the server's) zone: "Mar 2, 2026, 09:15" in English,
    "2 mars 2026, 09:15" in French; never an ISO string with its offset."""
    zone = tz or timezone.get_current_timezone()
    local = value.astimezone(zone) if value.tzinfo is not None else value
    locale = Locale.parse(current_locale())
    day = format_skeleton("yMMMd", local, locale=locale)
    hour = format_skeleton("Hm", local, locale=locale)
    return str(locale.datetime_formats["medium"]).format(hour, day)  # "{1}, {0}" in English
