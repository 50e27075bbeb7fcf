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

    @property
    def title(self) -> str:
        kind = "Refund" if self.refund_of_id else "Receipt"
        return (
            f"{kind} {self.number:06d}" if self.number is not None else f"Sale {self.sale_id} ({self.state})"
        )


def _local(value: str | None, tz: ZoneInfo) -> datetime | None:
    return datetime.fromisoformat(value).astimezone(tz) if value else None


def explain(explanation: dict[str, Any] | None, tz: ZoneInfo) -> tuple[str, ...]:
    """A quote's lines as text: "First hour 10:00–11:00: 1 × 1 h at 2.50 / 1 h = 2.50", in local time."""
    if not explanation:
        return ()
    out = []
    start, end = _local(explanation.get("start"), tz), _local(explanation.get("end"), tz)
    if start and end:
        same_day = start.date() == end.date()
        out.append(
            f"Stay {start:%d/%m/%Y %H:%M} – {end:%H:%M}"
            if same_day
            else f"Stay {start:%d/%m %H:%M} – {end:%d/%m %H:%M}"
        )
    for part in explanation.get("lines", ()):
        text = part["label"]
        a, b = _local(part.get("from"), tz), _local(part.get("to"), tz)
        if a and b:
            text += f" {a:%H:%M}–{b:%H:%M}" if a.date() == b.date() else f" {a:%d/%m %H:%M}–{b:%d/%m %H:%M}"
        if part.get("unit_price") is not None and part.get("unit"):
            text += f": {part['quantity']} × {part['unit']} at {part['unit_price']} / {part['price_per']}"
        out.append(f"{text} = {part['amount']}")
    return tuple(out)


def _plain(quantity: Decimal) -> Decimal:
    # 2.000 → 2 and 2.500 → 2.5, never 1E+1.
    whole = quantity.quantize(Decimal(1))
    return whole if whole == quantity else quantity.normalize()


def receipt_of(sale: Sale) -> Receipt:
    """Everything a receipt shows: amounts rounded to the sale's currency, times in the site's zone."""
    cur = sale.currency
    copy = sale.frozen if sale.is_closed and sale.frozen else copy_of(sale)
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
            details=explain(line.explanation, tz),
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
    )
