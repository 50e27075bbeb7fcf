"""Document lines: the one builder from a priced quote (or a price) to a line of a receipt or invoice."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, localcontext
from typing import Any

from timetill.pricing import Quote
from timetill.pricing.text import gettext_noop

from .amounts import BillingError, rounded
from .vat import VatSpec, add_vat, extract_vat


@dataclass(frozen=True, slots=True)
class LineAmounts:
    """A line's amount after discount (in its price basis) and its indicative net, VAT and gross."""

    amount: Decimal
    net: Decimal
    vat: Decimal
    gross: Decimal


def line_amounts(
    *,
    quantity: Decimal,
    unit_price: Decimal,
    discount: Decimal,
    vat_spec: VatSpec,
    prices_include_vat: bool,
    currency_code: str,
) -> LineAmounts:
    """Quantity × unit price (rounded once) less the discount, and the VAT this line alone would carry.

    A line's own VAT is shown for the reader; the document's VAT is worked out per rate on the sum of its
    lines (vat_breakdown), so the lines' VAT may add up to a cent more or less than the document's.
    """
    with localcontext() as ctx:
        ctx.prec = 50  # exact for any amount a document holds
        amount = rounded(Decimal(quantity) * Decimal(unit_price), currency_code) - Decimal(discount)
    if prices_include_vat:
        vat = extract_vat(amount, vat_spec.rate, currency_code)
        return LineAmounts(amount, amount - vat, vat, amount)
    vat = add_vat(amount, vat_spec.rate, currency_code)
    return LineAmounts(amount, amount, vat, amount + vat)


@dataclass(frozen=True, slots=True)
class DocumentLine:
    """One line of an issued or draft document, everything it shows computed once.

    `text` is what the customer reads ("Play area 1 hour"), `detail` a second line (the stay's times, a
    staff name of the product); `amount` is quantity × unit price less the discount, in the line's price
    basis; `net`, `vat` and `gross` are the line's own (see line_amounts); `explanation` is the quote that
    priced it (Quote.to_dict()), or None for a product sold at its price.
    """

    text: str
    quantity: Decimal
    unit_price: Decimal
    vat_spec: VatSpec
    prices_include_vat: bool
    currency: str
    amount: Decimal
    net: Decimal
    vat: Decimal
    gross: Decimal
    discount: Decimal = Decimal(0)
    detail: str = ""
    period_start: datetime | None = None
    period_end: datetime | None = None
    explanation: dict[str, Any] | None = None


def make_document_line(
    *,
    text: str,
    quantity: Decimal,
    unit_price: Decimal,
    vat_spec: VatSpec,
    prices_include_vat: bool,
    currency: str,
    discount: Decimal = Decimal(0),
    detail: str = "",
    period: tuple[datetime, datetime] | None = None,
    explanation: dict[str, Any] | None = None,
) -> DocumentLine:
    """A line with its amounts computed (the inputs are checked by the caller: signs, decimals, limits)."""
    amounts = line_amounts(
        quantity=quantity,
        unit_price=unit_price,
        discount=discount,
        vat_spec=vat_spec,
        prices_include_vat=prices_include_vat,
        currency_code=currency,
    )
    return _line(
        amounts, text, quantity, unit_price, vat_spec, prices_include_vat, currency, discount, detail, period,
        explanation,
    )  # fmt: skip


def _line(  # noqa: PLR0913
    amounts: LineAmounts,
    text: str,
    quantity: Decimal,
    unit_price: Decimal,
    vat_spec: VatSpec,
    prices_include_vat: bool,
    currency: str,
    discount: Decimal,
    detail: str,
    period: tuple[datetime, datetime] | None,
    explanation: dict[str, Any] | None,
) -> DocumentLine:
    return DocumentLine(
        text=text,
        quantity=Decimal(quantity),
        unit_price=Decimal(unit_price),
        vat_spec=vat_spec,
        prices_include_vat=prices_include_vat,
        currency=currency,
        amount=amounts.amount,
        net=amounts.net,
        vat=amounts.vat,
        gross=amounts.gross,
        discount=Decimal(discount),
        detail=detail,
        period_start=period[0] if period else None,
        period_end=period[1] if period else None,
        explanation=explanation,
    )


class DocumentLines:
    """make_document_line() for many documents whose lines come in few shapes (a monthly run: the same fee,
    the same few extra-time totals): each shape's amounts are worked out once, by line_amounts().

    A shape is the quantity, unit price, discount, VAT, price basis and currency, each Decimal by its text:
    1.0 and 1.00 are equal numbers but different shapes (they give amounts that print differently)."""

    __slots__ = ("_amounts",)

    def __init__(self) -> None:
        self._amounts: dict[tuple[object, ...], LineAmounts] = {}

    def make(
        self,
        *,
        text: str,
        quantity: Decimal,
        unit_price: Decimal,
        vat_spec: VatSpec,
        prices_include_vat: bool,
        currency: str,
        discount: Decimal = Decimal(0),
        detail: str = "",
        period: tuple[datetime, datetime] | None = None,
        explanation: dict[str, Any] | None = None,
    ) -> DocumentLine:
        """The line make_document_line() makes of the same arguments."""
        spec = (str(vat_spec.rate), vat_spec.category, vat_spec.exemption_reason, vat_spec.exemption_code)
        key = (str(quantity), str(unit_price), str(discount), spec, prices_include_vat, currency)
        amounts = self._amounts.get(key)
        if amounts is None:
            amounts = self._amounts[key] = line_amounts(
                quantity=quantity,
                unit_price=unit_price,
                discount=discount,
                vat_spec=vat_spec,
                prices_include_vat=prices_include_vat,
                currency_code=currency,
            )
        return _line(
            amounts, text, quantity, unit_price, vat_spec, prices_include_vat, currency, discount, detail,
            period, explanation,
        )  # fmt: skip


def line_from_quote(
    quote: Quote,
    *,
    text: str,
    vat_spec: VatSpec,
    prices_include_vat: bool,
    quantity: Decimal = Decimal(1),
    discount: Decimal = Decimal(0),
    detail: str = "",
) -> DocumentLine:
    """The line that bills a quote: its total the unit price, its span the period, itself the explanation.

    The only way a priced stay (or a month of stays) becomes a line, so that the line and its explanation
    always agree: to charge something else (another ladder step), ask the pricing engine for a new quote.
    """
    if rounded(quote.total.amount, quote.currency) != quote.total.amount:
        raise BillingError("invalid_quote", gettext_noop("The price is not rounded to its currency's cents."))
    return make_document_line(
        text=text,
        quantity=quantity,
        unit_price=quote.total.amount,
        vat_spec=vat_spec,
        prices_include_vat=prices_include_vat,
        currency=quote.currency,
        discount=discount,
        detail=detail,
        period=(quote.start, quote.end),
        explanation=quote.to_dict(),
    )
