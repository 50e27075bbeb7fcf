"""Filters of the till pages: a VAT rate or quantity without trailing zeros, a payment method's name."""

from decimal import Decimal

from django import template

from timetill.sales.models import Payment

register = template.Library()


@register.filter
def plain(value: Decimal | None) -> str:
    """20.00 → 20, 5.50 → 5.5, 2.000 → 2 (never 2E+1)."""
    if value is None:
        return ""
    return f"{Decimal(value).normalize():f}"


@register.filter
def method_label(method: str) -> str:
    return Payment.Method(method).label if method in Payment.Method.values else method


@register.filter
def negate(value: Decimal) -> Decimal:
    return -value
