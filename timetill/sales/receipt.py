"""What a sale shows (till, receipt page, PDF, API): amounts at the currency's precision, local times.

A closed sale's receipt reads only what the sale and its lines copied (Sale.frozen, the lines' names and
explanations): renaming its customer or product, or editing the seller's identity, changes nothing on it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from timetill.billing.explanations import explain
from timetill.billing.frozen import PartyCopy, SellerCopy
from timetill.billing.money import rounded
from timetill.sales.models import Sale
from timetill.sales.services import copy_of, vat_breakdown


@dataclass(frozen=True)
class ReceiptLine:
    id: int
    product_id: int | None
    variant_id: int | None
    time_line_id: int | None
    name: str
    short_name: str
    quantity: Decimal
    unit_price: Decimal
    vat_rate: Decimal
    prices_include_vat: bool
    discount: Decimal
    net: Decimal
    vat: Decimal
    gross: Decimal
    details: tuple[str, ...]  # the explanation of a stay, one readable line per part
    explanation: dict[str, Any] | None
    refund_of_line_id: int | None


@dataclass(frozen=True)
class VatLine:
    rate: Decimal
    net: Decimal
    vat: Decimal
    gross: Decimal


@dataclass(frozen=True)
class ReceiptPayment:
    method: str
    amount: Decimal
    tendered: Decimal | None
    change: Decimal | None


@dataclass(frozen=True)
class Receipt:
    sale_id: int
    state: str
    number: int | None
    business: str
    site: str
    site_slug: str
    time_zone: str
    currency: str
    customer_id: int | None
    customer: str | None
    created_at: datetime
    closed_at: datetime | None
    refund_of_id: int | None
    refund_of_number: int | None
    lines: tuple[ReceiptLine, ...]
    vat_lines: tuple[VatLine, ...]
    net: Decimal
    vat: Decimal
    gross: Decimal
    paid: Decimal
    change: Decimal
    payments: tuple[ReceiptPayment, ...]
    time_lines: tuple[int, ...]
    seller: SellerCopy
    language: str  # what the receipt speaks: its customer's language, copied when it closed

    @property
    def title(self) -> str:
        """ "Receipt 000042", in the active language (the page's, or the receipt's inside `language`)."""
        if self.number is None:
            state = Sale.State(self.state).label if self.state in Sale.State.values else self.state
            return _("Sale %(number)s (%(state)s)") % {"number": self.sale_id, "state": state}
        kind = _("Refund %(number)s") if self.refund_of_id else _("Receipt %(number)s")
        return kind % {"number": f"{self.number:06d}"}


def _plain(quantity: Decimal) -> Decimal:
    # 2.000 → 2 and 2.500 → 2.5, never 1E+1.
    whole = quantity.quantize(Decimal(1))
    return whole if whole == quantity else quantity.normalize()


def receipt_of(sale: Sale) -> Receipt:
    """Everything a receipt shows: amounts rounded to the sale's currency, times in the site's zone."""
    cur = sale.currency
    copy = sale.frozen if sale.is_closed and sale.frozen else copy_of(sale)
    # A receipt issued before receipts had a language was printed in English.
    language = copy.get("language") or settings.LANGUAGE_CODE
    seller = SellerCopy.from_dict(copy["seller"])
    site = copy["site"]
    tz = ZoneInfo(site["time_zone"])
    customer = PartyCopy.from_dict(copy["customer"]) if copy.get("customer") else None

    def money(value: Decimal | None) -> Decimal | None:
        return None if value is None else rounded(value, cur)

    lines = tuple(
        ReceiptLine(
            id=line.pk,
            product_id=line.product_id,
            variant_id=line.variant_id,
            time_line_id=line.time_line_id,
            name=line.name,
            short_name=line.short_name,
            quantity=_plain(line.quantity),
            unit_price=rounded(line.unit_price, cur),
            vat_rate=line.vat_rate,
            prices_include_vat=line.prices_include_vat,
            discount=rounded(line.discount, cur),
            net=rounded(line.net, cur),
            vat=rounded(line.vat, cur),
            gross=rounded(line.gross, cur),
            details=_details(copy, line, tz, language),
            explanation=line.explanation,
            refund_of_line_id=line.refund_of_line_id,
        )
        for line in sale.lines.all()
    )
    totals = vat_breakdown(sale)
    payments = tuple(
        ReceiptPayment(p.method, rounded(p.amount, cur), money(p.tendered), money(p.change))
        for p in sale.payments.all()
    )
    zero = rounded(Decimal(0), cur)
    return Receipt(
        sale_id=sale.pk,
        state=sale.state,
        number=sale.number,
        business=seller.legal_name,
        site=site["name"],
        site_slug=site["slug"],
        time_zone=site["time_zone"],
        currency=cur,
        customer_id=sale.customer_id,
        customer=customer.name if customer is not None else None,
        created_at=sale.created_at.astimezone(tz),
        closed_at=sale.closed_at.astimezone(tz) if sale.closed_at else None,
        refund_of_id=sale.refund_of_id,
        refund_of_number=copy.get("refund_of_number"),
        lines=lines,
        vat_lines=tuple(VatLine(r.rate, r.net, r.vat, r.gross) for r in totals.by_rate),
        net=totals.net,
        vat=totals.vat,
        gross=totals.gross,
        paid=sum((p.amount for p in payments), zero),
        change=sum((p.change or zero for p in payments), zero),
        payments=payments,
        time_lines=tuple(sale.time_lines.values_list("pk", flat=True)),
        seller=seller,
        language=language,
    )


def _details(copy: dict[str, Any], line: Any, tz: ZoneInfo, language: str) -> tuple[str, ...]:
    """A line's explanation as the receipt prints it: as written when the sale closed (the copy keeps the
    text), or, before that, in the receipt's language now."""
    issued = (copy.get("details") or {}).get(str(line.pk))
    if issued is not None:
        return tuple(issued)
    with translation.override(language):
        return explain(line.explanation, tz)
