"""Template filters of the catalogue pages: a VAT rate as people write it (20, 5.5, 2.1)."""

from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def percent(rate: Decimal | str | None) -> str:
    if rate is None or rate == "":
        return ""
    return format(Decimal(rate).normalize(), "f")
