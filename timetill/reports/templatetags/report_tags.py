"""Template filters of the report pages: lengths of time, rates as percentages, amounts."""

from datetime import timedelta
from decimal import Decimal

from babel.numbers import format_decimal
from django import template

from timetill import formats

register = template.Library()


@register.filter
def seconds_duration(seconds: int | None) -> str:
    """3,900 → "1 h 05", in the language's words."""
    if seconds is None:
        return ""
    return formats.duration(timedelta(seconds=int(seconds)))


@register.filter
def length(value: timedelta | None) -> str:
    return formats.duration(value) if value is not None else ""


@register.filter
def percent(rate: Decimal | None) -> str:
    """0.2750 → "27.5 %"; nothing when the site was closed."""
    if rate is None or rate == "":
        return "—"
    return f"{formats.number((Decimal(rate) * 100).quantize(Decimal('0.1')))} %"


@register.filter
def amount(value: Decimal | None) -> str:
    if value is None:
        return ""
    # Two decimals always, with the language's separators: a column of amounts lines up.
    return format_decimal(
        Decimal(value).quantize(Decimal("0.01")), format="#,##0.00", locale=formats.current_locale()
    )
