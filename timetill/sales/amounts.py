"""The till's arithmetic: a line's net, VAT and gross rounded half up per line, and totals per VAT rate."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext

from django.utils.translation import gettext as _

from timetill.errors import TimetillError
from timetill.pricing import PricingError, currency

HUNDRED = Decimal(100)


def quantum(currency_code: str) -> Decimal:
    try:
        return currency(currency_code).quantum
    except PricingError as error:
        raise TimetillError(
            "unknown_currency",
            _("The till does not know the currency %(currency_code)s.") % {"currency_code": currency_code},
        ) from error


def rounded(value: Decimal, currency_code: str) -> Decimal:
    """Half up (halves away from zero, so a refund is exactly the negative of its sale) to the minor unit."""
    return value.quantize(quantum(currency_code), rounding=ROUND_HALF_UP)


def check_amount(value: Decimal, currency_code: str, field: str) -> Decimal:
    """An amount with no more decimals than the currency has (0.605 EUR is refused, not rounded)."""
    value = Decimal(value)
    if not value.is_finite():
        raise TimetillError(
            "invalid_amount", _("%(field)s: %(value)s is not an amount.") % {"field": field, "value": value}
        )
    if value != rounded(value, currency_code):
        raise TimetillError(
            "too_many_decimals",
            _("%(field)s: %(value)s has more decimals than %(currency_code)s allows.")
            % {"field": field, "value": value, "currency_code": currency_code},
        )
    return rounded(value, currency_code)


@dataclass(frozen=True)
class LineAmounts:
    net: Decimal
    vat: Decimal
    gross: Decimal


def line_amounts(
    *,
    quantity: Decimal,
    unit_price: Decimal,
    discount: Decimal,
    vat_rate: Decimal,
    prices_include_vat: bool,
    currency_code: str,
) -> LineAmounts:
    """Quantity × unit price less the discount, in the line's price basis; its VAT rounded on this line."""
    with localcontext() as ctx:
        ctx.prec = 50  # exact for any amount the till holds
        amount = rounded(quantity * unit_price, currency_code) - discount
        if prices_include_vat:
            gross = amount
            vat = rounded(gross * vat_rate / (HUNDRED + vat_rate), currency_code)
            net = gross - vat
        else:
            net = amount
            vat = rounded(net * vat_rate / HUNDRED, currency_code)
            gross = net + vat
    return LineAmounts(net, vat, gross)


@dataclass(frozen=True)
class VatRow:
    """The lines at one VAT rate: their net, VAT and gross summed."""

    rate: Decimal
    net: Decimal
    vat: Decimal
    gross: Decimal


@dataclass(frozen=True)
class Totals:
    net: Decimal
    vat: Decimal
    gross: Decimal
    by_rate: tuple[VatRow, ...]


def totals(lines: Iterable[tuple[Decimal, Decimal, Decimal, Decimal]], currency_code: str) -> Totals:
    """Totals of (rate, net, vat, gross) lines, and per rate (highest rate first): sums of rounded lines."""
    zero = rounded(Decimal(0), currency_code)
    rows: dict[Decimal, list[Decimal]] = {}
    for rate, net, vat, gross in lines:
        row = rows.setdefault(Decimal(rate).normalize(), [zero, zero, zero])
        row[0] += net
        row[1] += vat
        row[2] += gross
    by_rate = tuple(
        VatRow(
            rate.quantize(Decimal("0.01")),
            rounded(n, currency_code),
            rounded(v, currency_code),
            rounded(g, currency_code),
        )
        for rate, (n, v, g) in sorted(rows.items(), reverse=True)
    )
    return Totals(
        net=rounded(sum((r.net for r in by_rate), zero), currency_code),
        vat=rounded(sum((r.vat for r in by_rate), zero), currency_code),
        gross=rounded(sum((r.gross for r in by_rate), zero), currency_code),
        by_rate=by_rate,
    )
