"""Amounts of a document: rounded half up to the currency's minor unit, and checked when entered."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from timetill.errors import TimetillError
from timetill.pricing import PricingError, currency


class BillingError(TimetillError):
    """A billing rule refused its input (a 400 answer); `code` is stable, the message is for people."""


def quantum(currency_code: str) -> Decimal:
    """The currency's minor unit (0.01 for EUR, 1 for JPY)."""
    try:
        return currency(currency_code).quantum
    except PricingError as error:
        raise BillingError("unknown_currency", f"Unknown currency {currency_code}.") from error


def rounded(value: Decimal, currency_code: str) -> Decimal:
    """Half up (halves away from zero, so a refund is exactly the negative of its sale) to the minor unit."""
    return Decimal(value).quantize(quantum(currency_code), rounding=ROUND_HALF_UP)


def check_amount(value: Decimal, currency_code: str, field: str) -> Decimal:
    """An amount with no more decimals than the currency has (0.605 EUR is refused, not rounded)."""
    try:
        value = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        raise BillingError("invalid_amount", f"{field}: {value!r} is not an amount.") from None
    if not value.is_finite():
        raise BillingError("invalid_amount", f"{field}: {value} is not an amount.")
    if value != rounded(value, currency_code):
        raise BillingError(
            "too_many_decimals", f"{field}: {value} has more decimals than {currency_code} allows."
        )
    return rounded(value, currency_code)
