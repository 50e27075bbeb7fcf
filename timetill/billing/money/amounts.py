"""Amounts of a document: rounded half up to the currency's minor unit, and checked when entered."""

from __future__ import annotations

from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import ClassVar

from timetill.errors import TimetillError
from timetill.pricing import PricingError, currency
from timetill.pricing.text import Arg, Text, gettext_noop, text


class BillingError(TimetillError):
    """A billing rule refused its input (a 400 answer); `code` is stable, the message is for people.

    The money rules know no languages: the message is an English id (marked with gettext_noop) with named
    arguments, kept as `text`; `message` reads it through `BillingError.translate`, which the billing app sets
    to a translation into the active language (timetill/billing/apps.py), so that whoever shows the error (the
    API, a page, a command) shows it in the reader's language. Without Django it reads in English.
    """

    translate: ClassVar[Callable[[Text], str]] = str

    def __init__(self, code: str, message: str, *, field: str | None = None, **args: Arg) -> None:
        self.text = text(message, **args)
        super().__init__(code, str(self.text), field=field)

    @property
    def message(self) -> str:
        return BillingError.translate(self.text)

    @message.setter
    def message(self, english: str) -> None:
        # TimetillError sets the message; this one always reads `text`, in the active language.
        pass


def quantum(currency_code: str) -> Decimal:
    """The currency's minor unit (0.01 for EUR, 1 for JPY)."""
    try:
        return currency(currency_code).quantum
    except PricingError as error:
        raise BillingError(
            "unknown_currency",
            gettext_noop("{currency} is not a currency Timetill knows."),
            currency=currency_code,
        ) from error


def rounded(value: Decimal, currency_code: str) -> Decimal:
    """Half up (halves away from zero, so a refund is exactly the negative of its sale) to the minor unit."""
    return Decimal(value).quantize(quantum(currency_code), rounding=ROUND_HALF_UP)


def check_amount(value: Decimal, currency_code: str, field: str) -> Decimal:
    """An amount with no more decimals than the currency has (0.605 EUR is refused, not rounded)."""
    try:
        value = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        raise BillingError(
            "invalid_amount",
            gettext_noop("“{value}” is not an amount, such as 12.50."),
            field=field,
            value=str(value),
        ) from None
    if not value.is_finite():
        raise BillingError(
            "invalid_amount",
            gettext_noop("“{value}” is not an amount, such as 12.50."),
            field=field,
            value=str(value),
        )
    if value != rounded(value, currency_code):
        raise BillingError(
            "too_many_decimals",
            gettext_noop("{value_amount} has too many decimals: {currency} has {digits_number} at most."),
            field=field,
            value_amount=[str(value), currency_code],
            currency=currency_code,
            digits_number=str(-int(quantum(currency_code).as_tuple().exponent)),
        )
    return rounded(value, currency_code)
