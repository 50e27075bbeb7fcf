"""Money: a Decimal amount in a currency, rounded half up to the currency's minor unit."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from .errors import CurrencyMismatchError, PricingError


@dataclass(frozen=True, slots=True)
class Currency:
    """An ISO 4217 currency and the number of decimals of its minor unit."""

    code: str
    exponent: int

    @property
    def quantum(self) -> Decimal:
        return Decimal(1).scaleb(-self.exponent)


# ISO 4217 minor units of the currencies a till is likely to meet; extend when a customer needs one.
_EXPONENTS: dict[str, int] = {
    "AED": 2, "ARS": 2, "AUD": 2, "BGN": 2, "BHD": 3, "BRL": 2, "CAD": 2, "CHF": 2, "CLP": 0, "CNY": 2,
    "COP": 2, "CZK": 2, "DKK": 2, "EGP": 2, "EUR": 2, "GBP": 2, "HKD": 2, "HUF": 2, "IDR": 2, "ILS": 2,
    "INR": 2, "ISK": 0, "JOD": 3, "JPY": 0, "KRW": 0, "KWD": 3, "MAD": 2, "MXN": 2, "MYR": 2, "NOK": 2,
    "NZD": 2, "OMR": 3, "PHP": 2, "PLN": 2, "QAR": 2, "RON": 2, "RSD": 2, "SAR": 2, "SEK": 2, "SGD": 2,
    "THB": 2, "TND": 3, "TRY": 2, "TWD": 2, "UAH": 2, "USD": 2, "VND": 0, "XAF": 0, "XOF": 0, "XPF": 0,
    "ZAR": 2,
}  # fmt: skip

CURRENCIES: dict[str, Currency] = {code: Currency(code, exp) for code, exp in _EXPONENTS.items()}


def currency(code: str) -> Currency:
    """The currency with this ISO code; PricingError when the engine does not know it."""
    try:
        return CURRENCIES[code]
    except KeyError:
        raise PricingError(f"unknown currency {code!r}", code="unknown_currency") from None


def round_half_up(numerator: int, denominator: int) -> int:
    """numerator / denominator rounded to an integer, halves away from zero (the till's rule)."""
    if denominator < 0:
        numerator, denominator = -numerator, -denominator
    if numerator >= 0:
        return (2 * numerator + denominator) // (2 * denominator)
    return -((-2 * numerator + denominator) // (2 * denominator))


@dataclass(frozen=True, slots=True)
class Money:
    """An exact amount in one currency. Adding two currencies raises CurrencyMismatchError."""

    amount: Decimal
    currency: Currency

    @classmethod
    def of(cls, amount: Decimal | int | str, cur: Currency) -> Money:
        """The amount rounded half up to the currency's minor unit."""
        try:
            value = Decimal(amount)
        except (InvalidOperation, ValueError):
            raise PricingError(f"{amount!r} is not an amount", code="invalid_amount") from None
        return cls(value.quantize(cur.quantum, rounding=ROUND_HALF_UP), cur)

    @classmethod
    def from_minor(cls, minor: int, cur: Currency) -> Money:
        """An amount given in minor units (cents): from_minor(250, EUR) is 2.50 EUR."""
        return cls(Decimal(minor).scaleb(-cur.exponent), cur)

    @classmethod
    def zero(cls, cur: Currency) -> Money:
        return cls.from_minor(0, cur)

    @property
    def minor(self) -> int:
        """The amount in minor units; exact because amounts are kept at the currency's precision."""
        return int(self.amount.scaleb(self.currency.exponent).to_integral_value(rounding=ROUND_HALF_UP))

    def _same(self, other: Money) -> None:
        if other.currency != self.currency:
            raise CurrencyMismatchError(
                f"cannot combine {self.currency.code} and {other.currency.code}", code="currency_mismatch"
            )

    def __add__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.amount - other.amount, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.amount, self.currency)

    def __lt__(self, other: Money) -> bool:
        self._same(other)
        return self.amount < other.amount

    def __le__(self, other: Money) -> bool:
        self._same(other)
        return self.amount <= other.amount

    def __str__(self) -> str:
        return f"{self.amount:f} {self.currency.code}"
